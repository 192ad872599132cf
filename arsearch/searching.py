"""Searching: the search loop over a searcher, and the values it returns.

:func:`run_search` runs a parsed query (``arsearch.query``) through the top-k evaluator
(``arsearch.topk``) and builds :class:`Hit` values from the index's columns: the ``hit``
column (id, title, metadata) and the ``text`` column, read without unpickling the stored
fields; indexes built before those columns are read from their stored fields."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import regex
from whoosh import query as wq

from .metadata import conditions, entity_conditions, facet_fields, sort_keys
from .pipeline.entities import KINDS as ENTITY_FIELDS
from .pipeline.tokenizer import iter_tokens
from .pipeline.views import VIEWS
from .query.builder import ParsedQuery
from .query.ranking import auto_distance
from .query.syntax import FIELD_NAMES
from .readercache import kept_on_reader
from .schema import FIELDS, LONE_SURROGATE, analyzer_version, field_name, view_of
from .snippets import Highlighter, Snippet, mark, vocalized_key
from .topk import best, matching_docs, scored_docs
from .topk.arrays import NO_IDS
from .topk.readings import each_reading_first, reading_matches
from .topk.values import allowed, facet_counts, field_types, live_docs, sort_key, with_full_names


@dataclass(frozen=True)
class Document:
    """A stored document, as :meth:`Index.get` returns it."""

    id: str
    text: str
    title: str | None
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Hit:
    """One search result: an immutable value that outlives the searcher.

    ``id``, ``title`` and ``fields`` are the document's, as added. ``partial`` is true
    for a document that matched only some of the query's words (``mode="auto"``).
    What is shown of the hit is built the first time it is read, with the markers
    and escaping given to :meth:`Index.search`:

    - ``snippet``: fragments of the original text, harakat and all, with the matched
      words between the markers;
    - ``marked_title``: the whole title (None without one), marked the same way;
    - when the markers are HTML tags (or ``escape_html=True``), both are HTML-escaped,
      quotes included, and safe to put in a page: no tag of a document survives, and
      the only tags are the markers. ``title`` itself is never escaped;
    - ``plain_snippet`` and ``plain_title``: the same text unmarked and unescaped, as
      :class:`arsearch.snippets.Snippet` values with the ``(start, end)`` offsets of
      the matched words, for output that marks them itself.
    """

    id: str
    score: float
    title: str | None
    fields: Mapping[str, Any]
    partial: bool = False
    stored_text: str | bytes = field(default="", repr=False, compare=False)  # UTF-8: decoded when needed
    _highlighter: Highlighter | None = field(default=None, repr=False, compare=False)

    @cached_property
    def plain_snippet(self) -> Snippet:
        if self._highlighter is None:
            return Snippet("")
        return self._highlighter.plain_snippet(stored_str(self.stored_text))

    @cached_property
    def snippet(self) -> str:
        if self._highlighter is None:
            return ""
        return mark(self.plain_snippet, self._highlighter.markers, self._highlighter.escape_html)

    @cached_property
    def plain_title(self) -> Snippet | None:
        if self.title is None:
            return None
        if self._highlighter is None:
            return Snippet(self.title)
        return self._highlighter.plain_title(self.title)

    @cached_property
    def marked_title(self) -> str | None:
        if self.plain_title is None:
            return None
        if self._highlighter is None:
            return self.title
        return mark(self.plain_title, self._highlighter.markers, self._highlighter.escape_html)

    def as_dict(self, plain: bool = False) -> dict[str, Any]:
        """The hit as shown, for JSON: ``title`` and ``snippet`` marked (and escaped) like
        ``snippet``; with ``plain``, both unmarked and unescaped, with the offsets of the
        matched words in ``title_matches`` and ``snippet_matches``."""
        out: dict[str, Any] = {"id": self.id, "score": round(self.score, 6)}
        if plain:
            title, snippet = self.plain_title, self.plain_snippet
            out["title"] = self.title
            out["title_matches"] = [list(m) for m in title.matches] if title else []
            out["snippet"] = snippet.text
            out["snippet_matches"] = [list(m) for m in snippet.matches]
        else:
            out["title"] = self.marked_title
            out["snippet"] = self.snippet
        out["fields"] = dict(self.fields)
        out["partial"] = self.partial
        return out


def stored_str(value: Any) -> Any:
    """A stored text or title as str (stored as UTF-8 bytes; as str by earlier versions)."""
    return value.decode("utf-8") if type(value) is bytes else value


def column(searcher, name: str):
    """The searcher's reader of the column ``name`` (one per searcher), or None if the
    index has no such column."""
    def read():
        field = searcher.schema[name] if name in searcher.schema else None
        return searcher.reader().column_reader(name, translate=False) if field is not None and field.column_type else None

    return kept_on_reader(searcher, "_arsearch_columns", name, read)


def raw_text(searcher, docnum: int, stored: Mapping[str, Any] | None) -> str | bytes:
    """A document's text, as stored (UTF-8 bytes, or str in the first versions): from the
    text column, or from the stored fields (``stored``, read if None) of an index built
    before the column."""
    reader = column(searcher, "text")
    if reader is not None:
        return reader[docnum]
    if stored is None:
        stored = searcher.stored_fields(docnum)
    return stored.get("text") or ""


def stored_text(searcher, docnum: int, stored: Mapping[str, Any] | None = None) -> str:
    return stored_str(raw_text(searcher, docnum, stored)) or ""


def hit_fields(searcher, docnum: int) -> tuple[str, str | None, dict[str, Any], Mapping[str, Any] | None]:
    """A hit's id, title and metadata, from the ``hit`` column (uncompressed), or from the
    stored fields of an index built before it; and the stored fields, if read."""
    reader = column(searcher, "hit")
    if reader is not None:
        doc_id, title, fields = pickle.loads(reader[docnum])
        return doc_id, stored_str(title), fields or {}, None
    stored = searcher.stored_fields(docnum)
    return stored["id"], stored_str(stored.get("title")), stored.get("fields") or {}, stored


def check_query(query: Any) -> str:
    # Before the (cached) parser, so that an unhashable query gets this message too.
    if not isinstance(query, str):
        raise TypeError(f"query must be str, not {type(query).__name__}")
    # Lone surrogates cannot be encoded as index terms: U+FFFD, as in documents.
    return LONE_SURROGATE.sub("\ufffd", query)


def expanded_terms(q, searcher) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {v: set() for v in VIEWS}
    reader = searcher.reader()
    for leaf in q.leaves():
        if isinstance(leaf, (wq.Prefix, wq.FuzzyTerm)):
            view = view_of(leaf.fieldname)
            for _, text in leaf.expanded_terms(reader):
                out[view].add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return {v: frozenset(t) for v, t in out.items()}


def diacritics_check(parsed: ParsedQuery):
    wanted = {vocalized_key(w) for w in parsed.vocalized}

    def check(text: str) -> bool:
        found = {vocalized_key(t.text) for t in iter_tokens(text)} & wanted
        return found == wanted

    return check


class Results(list):
    """The hits of one page of a search: a list of :class:`Hit`, with

    - ``total``: how many documents match the query and the filters in that mode (all
      of them, not just this page);
    - ``offset``: the rank of the first hit of the page in the whole list (0 first);
    - ``facets``: for each field asked for, ``(value, count)`` pairs over every
      matching document, largest count first; a keyword's ties to the value more documents of
      the index hold, then by value; a number's or date's by value.
    """

    def __init__(self, hits=(), total: int = 0, offset: int = 0, facets: dict[str, list[tuple]] | None = None,
                 pending=None):
        super().__init__(hits)
        self._total = total
        self.offset = offset
        self.facets = facets or {}
        # (searcher, count): matches of a later tier the page did not need, counted when
        # ``total`` is first read, or before the searcher closes (``Index._resolve_pending``)
        self.pending = pending

    @property
    def total(self) -> int:
        self.resolve()
        return self._total

    def resolve(self) -> None:
        """Count the matches left to count (on the searcher of the search)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            self._total += pending[1]()

    def __repr__(self) -> str:
        return f"Results(total={self.total}, offset={self.offset}, hits={list.__repr__(self)}, facets={self.facets})"


@dataclass(frozen=True)
class Refinement:
    """What a search asks of metadata, checked (:mod:`arsearch.metadata`): the declared
    types, the filter conditions, sort keys, facet fields and the page."""

    declared: Mapping[str, str]
    conditions: tuple = ()
    sort: tuple[tuple[str, bool], ...] = ()
    facets: tuple[str, ...] = ()
    facet_limit: int = 20
    offset: int = 0


_PLAIN = Refinement({})

#: ``name:`` in a query (a field name, as the query language reads one).
_FIELD = regex.compile(r"[A-Za-z_]+:")


def refinement(searcher, declared: Mapping[str, str], query: str, filter, sort, facets, facet_limit: int,
               offset: int) -> tuple[Refinement, tuple[tuple[str, str], ...]]:
    """A search's arguments on metadata checked against the fields' types, and the
    metadata fields the query language reads (``name:value``). The undeclared keyword
    fields are looked up (which reads each segment's metadata once) only when asked
    for or named in the query."""
    named = (m.group()[:-1] for m in _FIELD.finditer(query))
    if (filter is not None or sort is not None or facets is not None
            or any(n not in declared and n.lower() not in FIELD_NAMES for n in named)):
        types = field_types(searcher, declared)
    else:
        types = dict(declared)
    refine = Refinement(declared, conditions(filter, types), sort_keys(sort, types),
                        facet_fields(facets, facet_limit, types), facet_limit, offset)
    return refine, tuple(sorted(types.items()))


def entity_filters(searcher, refine: Refinement, parsed: ParsedQuery) -> tuple[Refinement, ParsedQuery]:
    """A search's filters on an index with entities: values on its entity fields read as
    they keep names (metadata.entity_conditions), a surname standing for full names too."""
    def read(conds: tuple) -> tuple:
        return with_full_names(searcher, refine.declared, entity_conditions(conds), ENTITY_FIELDS)

    return replace(refine, conditions=read(refine.conditions)), replace(parsed, filters=read(parsed.filters))


def index_stats(searcher, config, path) -> dict[str, Any]:
    """Documents, distinct terms per view and size on disk (:meth:`arsearch.Index.stats`)."""
    reader = searcher.reader()
    return {
        "documents": searcher.doc_count(),
        "terms": {view: sum(1 for _ in reader.lexicon(field_name("body", view))) for view in VIEWS},
        "segments": len(reader.leaf_readers()),
        "size_bytes": sum(p.stat().st_size for p in path.iterdir() if p.is_file()) if path is not None else None,
        "analyzer": analyzer_version(config),
        "path": str(path) if path else None,
    }


def suggestion(searcher, parsed: ParsedQuery) -> str | None:
    """A spelling the index knows for a query that finds nothing (did you mean)."""
    if not parsed.words:
        return None
    out, changed = [], False
    reader = searcher.reader()
    body = field_name("body", "exact")
    for word in parsed.words:
        if any(reader.frequency(field_name(f, "exact"), word) for f in FIELDS):
            out.append(word)
            continue
        best = None
        for dist in range(1, auto_distance(word) + 1):
            cands = list(reader.terms_within(body, word, dist, prefix=0 if len(word) < 4 else 1))
            if cands:
                best = max(cands, key=lambda t: reader.frequency(body, t))
                break
        if best is None:
            out.append(word)
        else:
            out.append(best)
            changed = True
    return " ".join(out) if changed else None


class _Tier:
    """One tier's matches, evaluated when first needed: ``(ids, scores)`` of ``parsed``'s
    query ``which`` (None: every document, for filters alone), without the documents of
    the tiers ``before`` it, with the filters and the diacritics check (``keep``) applied.
    ``partial`` None: told apart per hit (a question's one ranking)."""

    def __init__(self, searcher, parsed: ParsedQuery, which: str | None, partial: bool | None,
                 before: list[_Tier], keep):
        self.searcher, self.parsed, self.which, self.partial, self.before, self.keep = (
            searcher, parsed, which, partial, before, keep)
        self._arrays: tuple[np.ndarray, np.ndarray] | None = None
        self.parts = None  # a Latin name typed alone: each reading's matches (arsearch.topk.readings)
        self.raw = NO_IDS  # the tier's documents before the filters: what the next tiers leave out

    @property
    def done(self) -> bool:
        return self._arrays is not None

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if self._arrays is None:
            ids, scores = self._matches()
            if self.before and len(ids):
                seen = np.zeros(self.searcher.doc_count_all(), dtype=bool)
                for tier in self.before:
                    tier.arrays()
                    seen[tier.raw] = True
                keep = ~seen[ids]
                ids, scores = ids[keep], scores[keep]
            self.raw = ids
            if self.keep is not None and len(ids):
                keep = self.keep(ids)
                ids, scores = ids[keep], scores[keep]
            self._arrays = ids, scores
        return self._arrays

    def _matches(self) -> tuple[np.ndarray, np.ndarray]:
        if self.which is not None and self.parsed.readings and not self.before:
            (ids, scores), self.parts = reading_matches(self.searcher, self.parsed.readings)
            return ids, scores
        if self.which is not None:
            # a name's mode="any" query is built only now (ParsedQuery.any)
            return scored_docs(self.searcher, getattr(self.parsed, self.which))
        ids = live_docs(self.searcher)
        if self.parsed.exclude is not None and len(ids):  # but those of the excluded words
            out = np.zeros(self.searcher.doc_count_all(), dtype=bool)
            out[scored_docs(self.searcher, self.parsed.exclude)[0]] = True
            ids = ids[~out[ids]]
        return ids, np.zeros(len(ids))


def _tiers(searcher, parsed: ParsedQuery, mode: str, keep) -> list[_Tier]:
    if parsed.empty:
        return [_Tier(searcher, parsed, None, False, [], keep)]
    runs = [("all", False)]  # (which of parsed's queries, partial)
    if mode == "any":
        runs = [("any", False)]
    elif mode == "auto" and parsed.n_positive > 1 and parsed.has_partial_matches:
        # A name: all-word matches first. A question: one ranking (arsearch.query.RANKINGS).
        runs = [("all", False), ("any", True)] if parsed.tiered else [("any", None)]
    tiers: list[_Tier] = []
    for which, partial in runs:
        tiers.append(_Tier(searcher, parsed, which, partial, list(tiers), keep))
    return tiers


def _keeper(searcher, mask: np.ndarray | None, check):
    """Which of an array of documents meet the filters (``mask``) and the diacritics
    check (None: every one)."""
    if mask is None and check is None:
        return None

    def keep(ids: np.ndarray) -> np.ndarray:
        kept = mask[ids] if mask is not None else np.ones(len(ids), dtype=bool)
        if check is not None:
            kept &= np.fromiter((check(stored_text(searcher, int(d))) for d in ids), dtype=bool, count=len(ids))
        return kept

    return keep


def run_search(searcher, parsed: ParsedQuery, limit: int, mode: str, highlighter: Highlighter,
               match_diacritics: bool = False, refine: Refinement = _PLAIN) -> Results:
    """The hits of a parsed query (:meth:`arsearch.Index.search`, after its checks).

    ``mode="auto"`` runs in tiers for a name (documents holding every word first, then
    partial matches, marked ``partial``) and in one ranking for a question. Every match
    of a tier is scored (:func:`arsearch.topk.scored_docs`), so its count, the filters
    and the facets cost array operations over the matches, not another pass over
    postings. A tier the page does not reach (a name's partial matches) is evaluated
    only for facets or a sort, or when ``total`` is read. With ``match_diacritics``,
    the documents whose text lacks the query's vocalized words are dropped: that reads
    the text of every match."""
    if parsed.expands:
        highlighter = highlighter.with_terms(expanded_terms(parsed.any, searcher))
    mask = allowed(searcher, refine.declared, refine.conditions + parsed.filters)
    check = diacritics_check(parsed) if match_diacritics and parsed.vocalized else None
    tiers = _tiers(searcher, parsed, mode, _keeper(searcher, mask, check))
    if refine.facets or refine.sort:
        for tier in tiers:
            tier.arrays()
    facets = {}
    if refine.facets:
        everything = np.concatenate([t.arrays()[0] for t in tiers])
        for name in refine.facets:
            facets[name] = facet_counts(searcher, refine.declared, name, everything, refine.facet_limit)
    page = _page(searcher, tiers, refine, refine.offset + limit)[refine.offset:]
    complete: set[int] | None = None
    hits: list[Hit] = []
    for docnum, score, partial in page:
        if partial is None:
            if complete is None:
                complete = matching_docs(searcher, parsed.all)
            partial = docnum not in complete
        doc_id, title, fields, stored = hit_fields(searcher, docnum)
        text = raw_text(searcher, docnum, stored)
        hits.append(Hit(doc_id, float(score), title, fields, partial, text, highlighter))
    counted = sum(len(t.arrays()[0]) for t in tiers if t.done)
    left = [t for t in tiers if not t.done]
    pending = (searcher, lambda: sum(len(t.arrays()[0]) for t in left)) if left else None
    return Results(hits, counted, refine.offset, facets, pending)


def _page(searcher, tiers: list[_Tier], refine: Refinement, need: int) -> list[tuple[int, float, bool | None]]:
    """The first ``need`` matches in order: by relevance (tier, then score, then
    document number), or by the sort keys with relevance breaking ties. A Latin name
    alone (``readings``) leads with the best match of each of its readings."""
    out: list[tuple[int, float, bool | None]] = []
    if not refine.sort:
        for tier in tiers:
            if len(out) >= need:
                break
            ids, scores = tier.arrays()
            if tier.parts is not None:
                ranked = each_reading_first(ids, scores, tier.parts, tier.parsed.readings, need)
            else:
                ranked = best(ids, scores, need - len(out))
            out.extend((d, s, tier.partial) for d, s in ranked)
        return out
    arrays = [t.arrays() for t in tiers]
    ids = np.concatenate([a[0] for a in arrays])
    scores = np.concatenate([a[1] for a in arrays])
    tier = np.concatenate([np.full(len(a[0]), i) for i, a in enumerate(arrays)])
    keys = [sort_key(searcher, refine.declared, name, descending)[ids] for name, descending in refine.sort]
    if len(ids) > 4 * need:  # only those whose first key is among the ``need`` smallest can be on the page
        kth = np.partition(keys[0], need - 1)[need - 1]
        few = keys[0] <= kth
        ids, scores, tier, keys = ids[few], scores[few], tier[few], [k[few] for k in keys]
    # np.lexsort sorts by its last key first
    order = np.lexsort((ids, -scores, tier, *reversed(keys)))[:need]
    return [(int(ids[i]), float(scores[i]), tiers[tier[i]].partial) for i in order]

"""How fast does arsearch index and answer Arabic queries, next to what users would pick?

One command, every engine measured in the same run on the same documents and queries::

    python benchmarks/speed.py --corpus ../shared/data/corpus/arabic_news.jsonl.gz --docs 20000

Engines (each warm, its searcher reused, each returning the top-10 ids and no snippets):

- ``arsearch``: :class:`arsearch.Index` on disk;
- ``arsearch-plain``: the same index and parsed queries through Whoosh's own search and
  ``Phrase`` (arsearch before its speed-ups: no word pairs, no ``arsearch.topk``);
- ``arsearch-nocap``: the same index, prefix and fuzzy words expanded to every matching
  term instead of at most ``arsearch.query.expansion.MAX_EXPANSIONS`` (prefix and fuzzy only);
- ``whoosh``: stock Whoosh (same version), one ``TEXT`` field (``StandardAnalyzer``) over
  title and text; prefix and fuzzy words through arsearch's bounded classes, so that it
  expands them to as many terms at most as arsearch;
- ``fts5``: SQLite FTS5 from Python's ``sqlite3``, ranked by its bm25, and
- ``tantivy``: tantivy-py, both fed arsearch's analyzed terms (the ``clitic`` view:
  normalized, stopwords and proclitics removed; the ``exact`` view for prefixes),
  space-joined; a prefix expands to the same number of terms at most.

Query kinds, drawn with a fixed seed from the documents being indexed: single terms
(frequent, middle, rare document frequency), two-term AND (two words of one document; in
``and2_auto`` other pairs, arsearch in ``mode="auto"``), 2-3-word phrases (a run of one
document), names with clitics (a frequent word pair whose first word the corpus writes with
و / ب / ل, queried as a phrase in that form), fuzzy (a middle word with one letter replaced,
distance 1) and prefix (the first letters of a middle word). Queries are drawn without
replacement: no query text (normalized) is measured twice, in any kind. A warm-up pass runs
queries of every kind that share no word with the measured ones. Engines are interleaved
query by query. How many look-ups arsearch's caches answered during the timed pass is
counted and reported (parsed queries, decoded postings, what is kept on index readers).

Figures: p50/p95/p99 latency and QPS per kind; arsearch's ratio to every other engine;
per query kind, each engine's mean number of matches (counted after the timed pass, not
capped at 10) and how much of arsearch's top 10 its top 10 holds; indexing docs/s in one
process and in two; index size on disk; peak RSS of the indexing process (each engine
builds in its own subprocess); a latency plot (``speed.png``). ``speed.md``, ``speed.json``
and ``speed.png`` go to ``--out`` (``benchmarks/results/``). ``--scaling`` adds a run over
growing corpora (articles, then paragraphs: one per line of an article) with a log-log plot
of latency and index size against corpus size.

Application search (``plain``, ``filtered_kw``, ``filtered_date``, ``sorted_date``,
``facets2``; arsearch and stock Whoosh): one set of single words (frequent and middle
document frequency, alternately; drawn like the other kinds, no word of any other kind),
each searched in every one of the five ways by both engines, top ten ids and the exact
number of matches:

- ``plain``: the word alone (the baseline of the four others);
- ``filtered_kw``: ``filter={"source": X}`` (Whoosh: ``filter=Term("source", X)``), X a
  source (or, when no source is near, a category) holding about 10 % of the indexed
  documents, chosen from the documents and printed;
- ``filtered_date``: ``filter={"date": (a, b)}`` (Whoosh: ``filter=DateRange("date", a, b)``),
  a range holding about 19 % of them;
- ``sorted_date``: ``sort="-date"``, ties by relevance (Whoosh: ``sortedby=[FieldFacet("date",
  reverse=True), ScoreFacet()]``, the same order);
- ``facets2``: ``facets=["source", "category"]`` (Whoosh: ``groupedby=["source", "category"]``,
  ``maptype=Count``, each field's counts sorted and cut to 20 as arsearch does).

arsearch's index declares ``source`` and ``category`` keyword and ``date`` date; Whoosh's
schema has ``source`` and ``category`` ``ID(sortable=True)`` and ``date``
``DATETIME(sortable=True)``. The corpus has no dates: each article gets a SYNTHETIC date,
a hash of its id spread uniformly over 2015-01-01 .. 2018-12-31 (a paragraph its
article's). The total is ``Results.total`` for arsearch, which scores every match anyway
and counts them from the arrays it scored (no second pass); ``len(results)`` for Whoosh,
inside the timed call, which makes Whoosh read the postings again (``docs_for_query``)
whenever its top-k search skipped blocks (``has_exact_length()`` false: the tables say
how often). An engine runs the five ways of a word one after another (then the other
engine does), in an order rotated from word to word, so each comes first (the word's
postings not yet decoded and cached, right after the other engine's searches) equally
often; arsearch's p50 of the first and of the later searches of a word are given apart.
(Interleaved query by query instead, an arsearch search ran about twice as slow right
after a Whoosh search as right after its own, and Whoosh's heaviest kinds weighed on
arsearch's same kinds: a ratio then measured Whoosh's work as much as arsearch's.)
Per kind: each engine's p50 and its ratio to its own ``plain`` p50 beside the targets
(filtered ≤ 1.2×, sorted ≤ 1.5×, two facets ≤ 2×), arsearch ÷ Whoosh, mean totals. The
first query that reads metadata (arsearch: every document's ``hit`` column, once per
process and segment) is in the warm-up, which runs all five ways; its time is reported.
``--kinds`` runs a subset of the kinds, ``--name`` names the output files.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import inspect
import json
import math
import multiprocessing as mp
import os
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from _common import REPO, news_articles  # benchmarks/_common.py

DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "corpus" / "arabic_news.jsonl.gz"
DEFAULT_OUT = REPO / "benchmarks" / "results"

KINDS = ("term_freq", "term_mid", "term_rare", "and2", "and2_auto", "phrase", "name", "fuzzy", "prefix")
#: Application search: one set of words, each searched in all five ways (see the docstring).
APP_KINDS = ("plain", "filtered_kw", "filtered_date", "sorted_date", "facets2")
ALL_KINDS = KINDS + APP_KINDS
#: The issue's targets: an application kind's p50 at most this many times ``plain``'s.
TARGETS = {"filtered_kw": 1.2, "filtered_date": 1.2, "sorted_date": 1.5, "facets2": 2.0}
#: Metadata fields, as arsearch declares them.
META_FIELDS = {"source": "keyword", "category": "keyword", "date": "date"}
FACETS = ("source", "category")
#: The synthetic dates' span (the corpus has none), and the range filtered_date asks for.
DATE_FIRST, DATE_LAST = dt.date(2015, 1, 1), dt.date(2018, 12, 31)
DATE_RANGE = (dt.date(2017, 1, 1), dt.date(2017, 9, 30))
ENGINES = ("arsearch", "arsearch-plain", "arsearch-nocap", "whoosh", "fts5", "tantivy")
CLITICS = ("و", "ب", "ل")


# --- the corpus ---------------------------------------------------------------------
def synthetic_date(article_id: str) -> dt.date:
    """A date made up for an article (the corpus has none): a hash of its id, spread
    uniformly over DATE_FIRST .. DATE_LAST; the same on every run and machine."""
    h = int.from_bytes(hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "big")
    return DATE_FIRST + dt.timedelta(days=h % ((DATE_LAST - DATE_FIRST).days + 1))


def metadata(d: dict) -> dict:
    """An article's metadata: its source and category (left out when empty) and its
    synthetic date."""
    out = {name: d[name] for name in ("source", "category") if d.get(name)}
    out["date"] = synthetic_date(str(d["id"]))
    return out


def load_docs(path: Path, n: int, paragraphs: bool = False) -> list[dict]:
    """The first ``n`` articles (or, with ``paragraphs``, their paragraphs: the corpus
    writes one paragraph per line, 437k in all; blank lines would split it into 87k),
    with their metadata (:func:`metadata`; a paragraph has its article's)."""
    docs: list[dict] = []
    for d in news_articles(path):
        meta = metadata(d)
        if not paragraphs:
            docs.append({"id": str(d["id"]), "title": d.get("title") or "", "text": d["text"], **meta})
        else:
            for i, para in enumerate(p for p in d["text"].splitlines() if p.strip()):
                docs.append({"id": f"{d['id']}#{i}", "title": d.get("title") or "" if i == 0 else "", "text": para,
                             **meta})
                if len(docs) >= n:
                    break
        if len(docs) >= n:
            break
    return docs


@dataclass(frozen=True)
class AppSpec:
    """What the application kinds ask for: the keyword filter (a field and a value), the
    date range, and the share of the documents each holds."""

    field: str
    value: str
    value_share: float
    date_from: dt.date
    date_to: dt.date
    date_share: float

    def describe(self) -> str:
        return (f"keyword filter {self.field} = {self.value!r} ({self.value_share:.1%} of the documents); "
                f"date range {self.date_from} .. {self.date_to} ({self.date_share:.1%}; synthetic dates)")


def app_spec(docs: list[dict]) -> AppSpec:
    """The keyword filter: the source (else category) value whose share of ``docs`` is
    nearest 10 % (by ratio; sources first on a tie); the date range: DATE_RANGE."""
    best: tuple[float, int, str, str, float] | None = None
    for rank, name in enumerate(("source", "category")):
        counts = Counter(d[name] for d in docs if d.get(name))
        for value, n in counts.items():
            share = n / len(docs)
            score = (abs(math.log(share / 0.10)), rank, name, value, share)
            if best is None or score[:2] < best[:2]:
                best = score
    assert best is not None, "documents without source or category"
    low, high = DATE_RANGE
    date_share = sum(low <= d["date"] <= high for d in docs) / len(docs)
    return AppSpec(best[2], best[3], best[4], low, high, date_share)


# --- the queries --------------------------------------------------------------------
@dataclass(frozen=True)
class Q:
    kind: str
    words: tuple[str, ...]  # surface words, as the corpus writes them


def draw_queries(docs: list[dict], per_kind: int, n_warm: int, seed: int) -> tuple[dict[str, list[Q]], dict[str, list[Q]]]:
    """Measured queries of every kind and warm-up queries, drawn deterministically from
    ``docs``. No query is drawn twice (in any kind, after normalization: and2_auto draws
    pairs of its own), and no warm-up query shares a word with a measured one (for fuzzy
    and prefix words, the word they were made from either). A kind with too few
    candidates gets fewer queries (the tables give ``n``)."""
    from arsearch import normalize
    from arsearch.pipeline.lexicon import stopwords
    from arsearch.pipeline.tokenizer import iter_tokens

    rng = random.Random(seed)
    stop = stopwords()
    sample = docs if len(docs) <= 5000 else random.Random(0).sample(docs, 5000)
    df: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    clitic_forms: dict[str, str] = {}
    tokenized = []

    def ok(w: str) -> bool:
        return len(w) >= 2 and not w.isdigit() and normalize(w) not in stop and any("\u0621" <= ch <= "\u064a" for ch in w)

    for d in sample:
        words = [t.text for t in iter_tokens(d["text"])]
        tokenized.append(words)
        df.update(sorted({w for w in words if ok(w)}))  # sorted: ties in df.most_common() in one order, whatever the hash seed
        for a, b in zip(words, words[1:]):
            if ok(a) and ok(b):
                pairs[(a, b)] += 1
            if len(a) > 3 and a[0] in CLITICS and ok(a[1:]) and ok(b):
                clitic_forms.setdefault(f"{a[1:]} {b}", a)
    ranked = [w for w, _ in df.most_common()]
    mid = [w for w in ranked if 20 <= df[w] <= 200]
    bands = {
        "term_freq": ranked[: max(50, len(ranked) // 200)],
        "term_mid": mid,
        "term_rare": [w for w in ranked if 2 <= df[w] <= 3],
    }
    # each band's words in a random order, taken one by one: without replacement
    queues = {kind: rng.sample(band, len(band)) for kind, band in bands.items()}
    names = [(a, b) for (a, b), n in pairs.most_common(5000) if n >= 3 and f"{a} {b}" in clitic_forms]
    names = rng.sample(names, len(names))
    mid4 = [m for m in mid if len(m) >= 4] or mid
    mid5 = [m for m in mid if len(m) >= 5] or mid
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"

    def candidate(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(query words, the words it was made from), or None when the kind ran out."""
        if kind in queues:
            return ((queues[kind].pop(),),) * 2 if queues[kind] else None
        if kind in ("and2", "and2_auto"):
            words = sorted(set(w for w in rng.choice(tokenized) if ok(w)))
            if len(words) < 2:
                return (), ()
            pair = tuple(rng.sample(words, 2))
            return pair, pair
        if kind == "phrase":
            words = rng.choice(tokenized)
            k = rng.choice((2, 3))
            if len(words) <= k:
                return (), ()
            i = rng.randrange(len(words) - k)
            run = tuple(words[i : i + k])
            return (run, run) if ok(run[0]) and ok(run[-1]) else ((), ())
        if kind == "name":
            if not names:
                return None
            a, b = names.pop()
            return (clitic_forms[f"{a} {b}"], b), (a, b)
        if kind == "app":  # frequent and middle words, alternately
            order = ("term_freq", "term_mid") if len(seen) % 2 else ("term_mid", "term_freq")
            band = next((queues[k] for k in order if queues[k]), None)
            return ((band.pop(),),) * 2 if band is not None else None
        if kind == "fuzzy":
            w = rng.choice(mid4)
            i = rng.randrange(1, len(w))
            return (w[:i] + rng.choice(letters) + w[i + 1 :],), (w,)
        p = rng.choice(mid5)  # prefix
        return (p[: rng.choice((3, 4))],), (p,)

    seen: set[tuple[str, ...]] = set()  # normalized query texts drawn so far
    measured_words: set[str] = set()

    def draw(kind: str, n: int, disjoint: bool) -> list[Q]:
        out: list[Q] = []
        for _ in range(200 * n):
            if len(out) >= n:
                break
            got = candidate(kind)
            if got is None:
                break
            words, sources = got
            if not words:
                continue
            key = tuple(normalize(w) for w in words)
            used = set(key) | {normalize(w) for w in sources}
            if key in seen or (disjoint and used & measured_words):
                continue
            seen.add(key)
            if not disjoint:
                measured_words.update(used)
            out.append(Q(kind, words))
        return out

    measured = {kind: draw(kind, per_kind, False) for kind in KINDS}
    # after the other kinds' (theirs are the queries they always were), before the
    # warm-up (whose words are then none of these)
    words = draw("app", per_kind, False)
    warmup = {kind: draw(kind, n_warm, True) for kind in KINDS}
    warm_words = draw("app", n_warm, True)
    for kind in APP_KINDS:
        measured[kind] = [Q(kind, q.words) for q in words]
        warmup[kind] = [Q(kind, q.words) for q in warm_words]
    return measured, warmup


# --- the engines --------------------------------------------------------------------
def query_text(q: Q) -> str:
    """``q`` in arsearch's query language."""
    if q.kind in ("phrase", "name"):
        return '"' + " ".join(q.words) + '"'
    if q.kind == "fuzzy":
        return q.words[0] + "~1"
    if q.kind == "prefix":
        return q.words[0] + "*"
    return " ".join(q.words)


def prefix_terms(prefix: str) -> dict[str, list[str]]:
    """What arsearch expands a prefix word from, per view: the normalized prefix in the
    exact view, each of its readings in the clitic view (``arsearch.query``)."""
    from arsearch import AnalysisConfig, normalize

    norm = normalize(prefix)
    if not norm:
        return {"exact": [], "clitic": []}
    return {"exact": [norm], "clitic": sorted({clitic for clitic, _ in AnalysisConfig().readings(norm)})}


def app_arguments(q: Q, spec: AppSpec) -> dict:
    """What arsearch's ``Index.search`` is given for an application kind."""
    if q.kind == "filtered_kw":
        return {"filter": {spec.field: spec.value}}
    if q.kind == "filtered_date":
        return {"filter": {"date": (spec.date_from, spec.date_to)}}
    if q.kind == "sorted_date":
        return {"sort": "-date"}
    if q.kind == "facets2":
        return {"facets": list(FACETS)}
    return {}


class Engine:
    name = ""
    app: AppSpec | None = None  # what the application kinds ask for (set before measuring)

    def __init__(self, path: Path):
        self.path = path

    def build(self, docs: list[dict], procs: int) -> dict | None:
        """Index ``docs``; may return extra figures (seconds spent in arsearch's analysis)."""
        raise NotImplementedError

    def open(self) -> None:
        raise NotImplementedError

    def search(self, q: Q) -> list[str] | None:
        """Top-10 ids, or None when the engine has no such query kind."""
        raise NotImplementedError

    def count(self, q: Q) -> int:
        """How many documents ``q`` matches (not timed; after the timed pass)."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


class ArsearchEngine(Engine):
    name = "arsearch"

    def build(self, docs, procs):
        import arsearch

        with arsearch.Index(self.path / "ix", fields=META_FIELDS) as ix:
            kwargs = {"procs": procs} if procs > 1 else {}
            if kwargs and "procs" not in inspect.signature(ix.add_many).parameters:
                raise NotImplementedError("arsearch has no multi-process indexing")
            ix.add_many(docs, **kwargs)

    def open(self):
        import arsearch

        self.ix = arsearch.Index(self.path / "ix", create=False)

    def search(self, q):
        if q.kind in APP_KINDS:
            return [h.id for h in self.app_search(q)]
        mode = "auto" if q.kind == "and2_auto" else "all"
        return [h.id for h in self.ix.search(query_text(q), limit=10, mode=mode)]

    def app_search(self, q: Q):
        """The top ten with ``total`` and ``facets`` (an ``arsearch.Results``)."""
        return self.ix.search(query_text(q), limit=10, mode="all", **app_arguments(q, self.app))

    def count(self, q):
        if q.kind in APP_KINDS:
            return self.app_search(q).total  # what the timed search returned
        # the documents the search chooses its top ten from: mode="auto" adds the
        # partial matches when fewer than ten documents hold every word
        from arsearch.query import parse_query
        from arsearch.topk import matching_docs

        parsed = parse_query(query_text(q), self.ix.config)
        if parsed.empty:
            return 0
        searcher = self.ix._searcher()
        found = matching_docs(searcher, parsed.all)
        if q.kind == "and2_auto" and len(found) < 10 and parsed.n_positive > 1 and parsed.has_partial_matches:
            found |= matching_docs(searcher, parsed.any)
        return len(found)

    def close(self):
        self.ix.close()


class ArsearchNocapEngine(ArsearchEngine):
    """arsearch with no bound on a prefix or fuzzy word's expansion (every matching
    term, in every field and view): prefix and fuzzy queries only, the others do not
    expand. Its own ``Index`` (so its own reader and kept expansions), its own postings
    cache and parsed-query cache, so that neither it nor arsearch answers the other's
    look-ups."""

    name = "arsearch-nocap"

    def build(self, docs, procs):
        raise NotImplementedError("searches the arsearch index")

    def open(self):
        import functools

        from arsearch.query import parse_query
        from arsearch.topk import postings

        super().open()
        self.postings = postings._PostingsCache()
        self.parse = functools.lru_cache(maxsize=1024)(parse_query.__wrapped__)

    @contextlib.contextmanager
    def uncapped(self):
        from arsearch import index as index_module
        from arsearch.query import expansion
        from arsearch.topk import postings

        saved = expansion.MAX_EXPANSIONS, expansion.MAX_SCANNED, postings.CACHE, index_module.parse_query
        expansion.MAX_EXPANSIONS = expansion.MAX_SCANNED = sys.maxsize
        postings.CACHE, index_module.parse_query = self.postings, self.parse
        try:
            yield
        finally:
            expansion.MAX_EXPANSIONS, expansion.MAX_SCANNED, postings.CACHE, index_module.parse_query = saved

    def search(self, q):
        if q.kind not in ("fuzzy", "prefix"):
            return None
        with self.uncapped():
            return super().search(q)

    def count(self, q):
        with self.uncapped():
            return super().count(q)


class ArsearchPlainEngine(ArsearchEngine):
    """arsearch's index and parsed queries, searched the way arsearch did before its
    speed-ups: Whoosh's own top-k search and Whoosh's ``Phrase`` (no word pairs, no
    :mod:`arsearch.topk`). Its own ``Index`` on the arsearch index and its own
    parsed-query cache; ids only, like the others."""

    name = "arsearch-plain"

    def build(self, docs, procs):
        raise NotImplementedError("searches the arsearch index")

    def open(self):
        import functools

        from arsearch.query import parse_query

        super().open()
        self.parse = functools.lru_cache(maxsize=1024)(parse_query.__wrapped__)

    def queries(self, q: Q) -> list:
        from arsearch.query.nodes import without_pairs

        parsed = self.parse(query_text(q), self.ix.config)
        if parsed.empty:
            return []
        runs = [parsed.all]
        if q.kind == "and2_auto" and parsed.any is not parsed.all:
            runs.append(parsed.any)
        return [without_pairs(query) for query in runs]

    def search(self, q):
        if q.kind in APP_KINDS:
            return None
        searcher = self.ix._searcher()
        ids: list[str] = []
        for query in self.queries(q):
            for r in searcher.search(query, limit=10):
                stored = searcher.stored_fields(r.docnum)
                if stored["id"] not in ids:
                    ids.append(stored["id"])
            if len(ids) >= 10:
                break
        return ids[:10]

    def count(self, q):
        searcher = self.ix._searcher()
        runs = self.queries(q)
        found = set(searcher.docs_for_query(runs[0])) if runs else set()
        if len(runs) > 1 and len(found) < 10:
            found |= set(searcher.docs_for_query(runs[1]))
        return len(found)


class WhooshEngine(Engine):
    """Stock Whoosh; prefix and fuzzy words expand through arsearch's bounded classes
    (``BoundedPrefix``, ``BoundedFuzzyTerm``: Whoosh queries), to the same number of
    terms at most as arsearch's. Metadata: ``source`` and ``category`` ``ID`` and
    ``date`` ``DATETIME``, all sortable (columns, as Whoosh's facets and sorting want)."""

    name = "whoosh"

    def schema(self):
        from whoosh import fields
        from whoosh.analysis import StandardAnalyzer

        return fields.Schema(id=fields.ID(stored=True), content=fields.TEXT(analyzer=StandardAnalyzer()),
                             source=fields.ID(sortable=True), category=fields.ID(sortable=True),
                             date=fields.DATETIME(sortable=True))

    def build(self, docs, procs):
        from whoosh import index

        (self.path / "ix").mkdir()
        ix = index.create_in(str(self.path / "ix"), self.schema())
        w = ix.writer(procs=procs, multisegment=procs > 1, limitmb=256)
        for d in docs:
            meta = {name: d[name] for name in FACETS if d.get(name)}
            w.add_document(id=d["id"], content=d["title"] + "\n" + d["text"],
                           date=dt.datetime.combine(d["date"], dt.time()), **meta)
        w.commit()

    def open(self):
        from whoosh import index

        self.ix = index.open_dir(str(self.path / "ix"))
        self.searcher = self.ix.searcher()
        self.analyzer = self.ix.schema["content"].analyzer
        #: per application kind, whether each query's count came with its search
        #: (``has_exact_length()``), or needed ``len(results)`` to read the postings again
        self.exact_counts: dict[str, list[bool]] = defaultdict(list)

    def terms(self, words):
        return [t.text for w in words for t in self.analyzer(w)]

    def query(self, q: Q):
        from whoosh import query as wq

        from arsearch.query.expansion import BoundedFuzzyTerm, BoundedPrefix

        if q.kind == "prefix":
            return BoundedPrefix("content", q.words[0].lower())
        terms = self.terms(q.words)
        if not terms:
            return None
        if q.kind in ("phrase", "name"):
            return wq.Phrase("content", terms) if len(terms) > 1 else wq.Term("content", terms[0])
        if q.kind == "fuzzy":
            return BoundedFuzzyTerm("content", terms[0], maxdist=1, prefixlength=1)
        return wq.And([wq.Term("content", t) for t in terms])

    def search(self, q):
        if q.kind in APP_KINDS:
            return self.app_search(q)[0]
        query = self.query(q)
        return [] if query is None else [r["id"] for r in self.searcher.search(query, limit=10)]

    def app_search(self, q: Q) -> tuple[list[str], int, bool, dict[str, list[tuple[str, int]]]]:
        """The top ten ids, the total (``len(results)``), whether Whoosh knew it without
        reading the postings again, and the facets, as arsearch gives them: per field,
        ``(value, count)`` largest first, ties by value, at most 20 (documents without
        the field, which Whoosh's column gives an empty value, left out)."""
        from whoosh import query as wq
        from whoosh import sorting

        query = self.query(q)
        if query is None:
            return [], 0, True, {}
        spec = self.app
        kwargs: dict = {}
        if q.kind == "filtered_kw":
            kwargs["filter"] = wq.Term(spec.field, spec.value)
        elif q.kind == "filtered_date":
            kwargs["filter"] = wq.DateRange("date", dt.datetime.combine(spec.date_from, dt.time()),
                                            dt.datetime.combine(spec.date_to, dt.time()))
        elif q.kind == "sorted_date":  # newest first, ties by relevance, as arsearch's sort="-date"
            kwargs["sortedby"] = [sorting.FieldFacet("date", reverse=True), sorting.ScoreFacet()]
        elif q.kind == "facets2":
            kwargs["groupedby"] = list(FACETS)
            kwargs["maptype"] = sorting.Count
        results = self.searcher.search(query, limit=10, **kwargs)
        ids = [r["id"] for r in results[:10]]  # grouped, Whoosh keeps every match in order
        exact = self.counted(results.collector)
        total = len(results)
        facets = {}
        if q.kind == "facets2":
            for name in FACETS:
                counts = [(k, n) for k, n in results.groups(name).items() if k]
                facets[name] = sorted(counts, key=lambda kv: (-kv[1], kv[0]))[:20]
        return ids, total, exact, facets

    @staticmethod
    def counted(collector) -> bool:
        """Whether ``len(results)`` is known from the search itself: whether the innermost
        collector counted every match (``has_exact_length()`` asks the outermost one,
        and a ``FilterCollector`` says yes, then reads the postings again when its
        top-k child skipped blocks)."""
        from whoosh.collectors import WrappingCollector

        while isinstance(collector, WrappingCollector):
            collector = collector.child
        return collector.computes_count()

    def count(self, q):
        if q.kind in APP_KINDS:
            _, total, exact, _ = self.app_search(q)  # what the timed search returned
            self.exact_counts[q.kind].append(exact)
            return total
        query = self.query(q)
        return 0 if query is None else len(set(self.searcher.docs_for_query(query)))

    def close(self):
        self.searcher.close()


class _Analyzed:
    """(id, clitic-view terms, exact-view terms) of each document, terms space-joined,
    made one document at a time (the engine holds no more than it would); ``seconds``
    adds up the time arsearch's analysis took."""

    def __init__(self, docs: list[dict]):
        self.docs = docs
        self.seconds = 0.0

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        from arsearch import analyze

        clock = time.perf_counter
        for d in self.docs:
            t = clock()
            text = d["title"] + "\n" + d["text"]
            row = (d["id"], " ".join(analyze(text, "clitic")), " ".join(analyze(text, "exact")))
            self.seconds += clock() - t
            yield row


class Fts5Engine(Engine):
    """SQLite FTS5 fed arsearch's analysis, as tantivy is: the clitic view (``body``) and,
    for prefixes, the exact view (``exact``), space-joined. Its ``unicode61`` tokenizer
    then keeps each term whole (with ``remove_diacritics 2`` on raw text it split a
    vocalized word at its marks, and it folds neither alef nor ة)."""

    name = "fts5"
    TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* M* Co'"

    def build(self, docs, procs):
        if procs > 1:
            raise NotImplementedError("SQLite writes from one process")
        rows = _Analyzed(docs)
        con = sqlite3.connect(self.path / "fts.db")
        con.execute(f'CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, exact, tokenize="{self.TOKENIZE}")')
        con.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'col')")
        con.executemany("INSERT INTO docs(id, body, exact) VALUES (?, ?, ?)", rows)
        con.commit()
        con.close()
        return {"analysis_seconds": rows.seconds}

    def open(self):
        self.con = sqlite3.connect(self.path / "fts.db")

    @staticmethod
    def quote(w: str) -> str:
        return '"' + w.replace('"', '""') + '"'

    def completions(self, column: str, prefix: str) -> list[str]:
        """arsearch's bound: the MAX_EXPANSIONS most frequent of the first MAX_SCANNED
        terms (in lexicon order) beginning with ``prefix``."""
        from arsearch.query.expansion import MAX_EXPANSIONS, MAX_SCANNED

        rows = self.con.execute(
            "SELECT term FROM (SELECT term, doc FROM vocab WHERE col = ? AND term >= ? AND term < ? LIMIT ?)"
            " ORDER BY doc DESC LIMIT ?",
            (column, prefix, prefix + "\U0010ffff", MAX_SCANNED, MAX_EXPANSIONS),
        )
        return [r[0] for r in rows]

    def match(self, q: Q) -> str | None:
        from arsearch import analyze

        if q.kind == "prefix":
            parts = []
            for view, column in (("exact", "exact"), ("clitic", "body")):
                terms = [t for p in prefix_terms(q.words[0])[view] for t in self.completions(column, p)]
                if terms:
                    parts.append(f"{column} : (" + " OR ".join(self.quote(t) for t in terms) + ")")
            return " OR ".join(parts) or None
        terms = [t for w in q.words for t in analyze(w, "clitic")]
        if not terms:
            return None
        if q.kind in ("phrase", "name"):
            return "body : " + self.quote(" ".join(terms))
        return "body : (" + " AND ".join(self.quote(t) for t in terms) + ")"

    def search(self, q):
        if q.kind == "fuzzy" or q.kind in APP_KINDS:
            return None
        match = self.match(q)
        if match is None:
            return []
        rows = self.con.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", (match,))
        return [r[0] for r in rows]

    def count(self, q):
        match = self.match(q)
        return 0 if match is None else self.con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]

    def close(self):
        self.con.close()


class TantivyEngine(Engine):
    """tantivy-py fed arsearch's analysis: the clitic view (``body``, with positions) and,
    for prefixes, the exact view (``exact``), space-joined, with tantivy's whitespace
    tokenizer. A prefix expands to the ``MAX_EXPANSIONS`` most frequent terms
    (``terms_with_prefix``), then a ``term_set_query``; a fuzzy word is tantivy's
    ``fuzzy_term_query`` (distance 1), which has no bound and no fixed first letter."""

    name = "tantivy"
    VIEW = "clitic"

    def schema(self):
        import tantivy

        sb = tantivy.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_text_field("body", tokenizer_name="whitespace", index_option="position")
        sb.add_text_field("exact", tokenizer_name="whitespace", index_option="freq")
        return sb.build()

    def build(self, docs, procs):
        import tantivy

        rows = _Analyzed(docs)
        (self.path / "ix").mkdir()
        ix = tantivy.Index(self.schema(), path=str(self.path / "ix"))
        w = ix.writer(heap_size=100_000_000 * procs, num_threads=procs)
        for doc_id, body, exact in rows:
            w.add_document(tantivy.Document(id=doc_id, body=body, exact=exact))
        w.commit()
        w.wait_merging_threads()
        return {"analysis_seconds": rows.seconds}

    def open(self):
        import tantivy

        self.ix = tantivy.Index.open(str(self.path / "ix"))
        self.schema_ = self.ix.schema
        self.searcher = self.ix.searcher()

    def query(self, q: Q):
        import tantivy

        from arsearch import analyze
        from arsearch.query.expansion import MAX_EXPANSIONS

        s = self.schema_
        if q.kind == "prefix":
            parts = []
            for view, field in (("exact", "exact"), ("clitic", "body")):
                terms = [t for p in prefix_terms(q.words[0])[view]
                         for t, _ in self.searcher.terms_with_prefix(field, p, limit=MAX_EXPANSIONS)]
                if terms:
                    parts.append((tantivy.Occur.Should, tantivy.Query.term_set_query(s, field, terms)))
            return tantivy.Query.boolean_query(parts) if parts else None
        terms = [t for w in q.words for t in analyze(w, self.VIEW)]
        if not terms:
            return None
        if q.kind in ("phrase", "name") and len(terms) > 1:
            return tantivy.Query.phrase_query(s, "body", terms)
        if q.kind == "fuzzy":
            return tantivy.Query.fuzzy_term_query(s, "body", terms[0], distance=1)
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, tantivy.Query.term_query(s, "body", t)) for t in terms])

    def search(self, q):
        if q.kind in APP_KINDS:
            return None
        query = self.query(q)
        if query is None:
            return []
        hits = self.searcher.search(query, 10, count=False).hits
        return [self.searcher.doc(addr)["id"][0] for _, addr in hits]

    def count(self, q):
        query = self.query(q)
        return 0 if query is None else self.searcher.search(query, 1, count=True).count


ENGINE_CLASSES = {e.name: e for e in (ArsearchEngine, ArsearchPlainEngine, ArsearchNocapEngine, WhooshEngine, Fts5Engine,
                                      TantivyEngine)}
#: Engines that search the arsearch index rather than build one.
SHARED = {"arsearch-plain", "arsearch-nocap"}


def _cpu_seconds() -> float:
    # this process and its finished children (Whoosh's procs=2 workers); tantivy's
    # threads are in the process's own time
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_rss_kb() -> int:
    """This process's peak resident memory since it started its program: VmHWM (Linux),
    which exec resets, unlike ru_maxrss, which keeps the high-water mark of the process
    that spawned this one."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _build_child(engine: str, path: str, corpus: str, n: int, paragraphs: bool, procs: int, conn) -> None:
    try:
        docs = load_docs(Path(corpus), n, paragraphs)
        base = _peak_rss_kb()
        cpu = _cpu_seconds()
        t = time.perf_counter()
        extra = ENGINE_CLASSES[engine](Path(path)).build(docs, procs) or {}
        seconds = time.perf_counter() - t
        cpu = _cpu_seconds() - cpu
        peak = _peak_rss_kb()
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if procs > 1 else 0  # indexing workers
        conn.send({"seconds": seconds, "cpu_seconds": cpu, "docs": len(docs), "peak_rss_mb": max(peak, kids) / 1024,
                   "build_rss_mb": (max(peak, kids) - base) / 1024, **extra})
    except NotImplementedError as e:
        conn.send({"skipped": str(e)})
    except Exception as e:  # noqa: BLE001 - reported in the parent's table
        conn.send({"error": f"{type(e).__name__}: {e}"})


def build(engine: str, path: Path, args, n: int, paragraphs: bool, procs: int) -> dict:
    """Build one engine's index in a fresh process: time, docs/s, peak RSS."""
    path.mkdir(parents=True)
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_build_child, args=(engine, str(path), str(args.corpus), n, paragraphs, procs, child))
    p.start()
    child.close()
    result = parent.recv() if parent.poll(24 * 3600) else {"error": "no answer"}
    p.join()
    if "seconds" in result:
        result["docs_per_s"] = result["docs"] / result["seconds"]
        result["docs_per_cpu_s"] = result["docs"] / result["cpu_seconds"]
        result["size_mb"] = ENGINE_CLASSES[engine](path).size() / 2**20
    return result


# --- measuring ------------------------------------------------------------------------
def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


class CacheCounter:
    """Counts the look-ups arsearch's caches answer while an engine is being timed: the
    postings cache of :mod:`arsearch.topk` (arsearch-nocap's own one too) and what
    :func:`arsearch.readercache.kept_on_reader` keeps on index readers (prefix and fuzzy
    expansions, a prefix's weighed completions, a word's readings; stock Whoosh gets them
    too, through the bounded classes). ``parse_query``'s own ``cache_info`` counts its
    hits. Each look-up goes through one more Python call while counted."""

    def __init__(self):
        self.engine: str | None = None
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)

    def install(self, engines: dict[str, Engine]) -> None:
        from arsearch.query import expansion, nodes
        from arsearch.topk import postings

        kept = expansion.kept_on_reader

        def counted_kept(ixreader, name, key, make, *args):
            if self.engine is not None:
                hit = key in ixreader.__dict__.get(name, {})
                self.counts[self.engine][f"kept on reader ({name.removeprefix('_arsearch_')}) " + ("hit" if hit else "miss")] += 1
            return kept(ixreader, name, key, make, *args)

        expansion.kept_on_reader = nodes.kept_on_reader = counted_kept
        caches = [postings.CACHE] + [e.postings for e in engines.values() if isinstance(e, ArsearchNocapEngine)]
        for cache in caches:
            get = cache.get

            def counted_get(key, get=get):
                entry = get(key)
                if self.engine is not None:
                    self.counts[self.engine]["postings " + ("miss" if entry is None else "hit")] += 1
                return entry

            cache.get = counted_get


def _parse_caches(engines: dict[str, Engine]) -> dict[str, Callable]:
    from arsearch.query import parse_query

    out = {"arsearch": parse_query}
    out.update((name, e.parse) for name, e in engines.items() if hasattr(e, "parse"))
    return out


def schedule(queries: dict[str, list[Q]]) -> list[tuple[int, list[Q]]]:
    """The timed pass's order: ``(rotation index, queries)``, each engine running the
    queries of a step one after another before the next engine does. Each kind's queries
    in turn, one a step; then the application kinds word by word, a word's five searches
    a step, in an order rotated from one word to the next, so that each kind comes first
    (the word's postings not yet cached, just after the other engine's searches) equally
    often, and an engine's five searches of a word follow one another: what the other
    engine does between them, which differs from kind to kind, weighs on none of them."""
    out = [(i, [q]) for kind, qs in queries.items() if kind not in APP_KINDS for i, q in enumerate(qs)]
    app = [kind for kind in APP_KINDS if kind in queries]
    if app:
        for j in range(len(queries[app[0]])):
            r = j % len(app)
            out.append((j, [queries[kind][j] for kind in app[r:] + app[:r]]))
    return out


def measure(engines: dict[str, Engine], queries: dict[str, list[Q]], warmup: dict[str, list[Q]]) -> dict:
    """Latencies in ms per engine and kind, engines interleaved query by query (arsearch
    before the engines that search its index, so that it never gains from their look-ups);
    then, untimed, each query's match count per engine; the caches' hits while timed.
    The warm-up's application queries are timed too: the first one of a kind pays for
    reading what it needs of the metadata (arsearch: once per process and segment)."""
    clock = time.perf_counter
    warm_lat: dict[str, dict[str, list[float]]] = {n: defaultdict(list) for n in engines}
    for kind, qs in warmup.items():
        for q in qs:
            for name, e in engines.items():
                t = clock()
                found = e.search(q)
                if kind in APP_KINDS and found is not None:
                    warm_lat[name][kind].append((clock() - t) * 1000)
    counter = CacheCounter()
    counter.install(engines)
    parse_caches = _parse_caches(engines)
    parse_before = {n: f.cache_info() for n, f in parse_caches.items() if n in engines}
    lat: dict[str, dict[str, list[float]]] = {n: defaultdict(list) for n in engines}
    firsts: dict[str, dict[str, list[bool]]] = {n: defaultdict(list) for n in engines}
    ids: dict[str, dict[str, list[list[str] | None]]] = {n: defaultdict(list) for n in engines}
    family = [n for n in ("arsearch", "arsearch-plain", "arsearch-nocap") if n in engines]
    groups = ([family] if family else []) + [[n] for n in engines if n not in family]
    for i, step in schedule(queries):
        rot = groups[i % len(groups):] + groups[: i % len(groups)]
        for name in (n for group in rot for n in group):
            for pos, q in enumerate(step):
                counter.engine = name
                t = clock()
                found = engines[name].search(q)
                dt_ = clock() - t
                counter.engine = None
                ids[name][q.kind].append(found)
                if found is not None:
                    lat[name][q.kind].append(dt_ * 1000)
                    firsts[name][q.kind].append(pos == 0)
    caches = {name: dict(sorted(counter.counts[name].items())) for name in engines if counter.counts[name]}
    for name, before in parse_before.items():
        after = parse_caches[name].cache_info()
        caches.setdefault(name, {}).update({"parse_query hit": after.hits - before.hits,
                                            "parse_query miss": after.misses - before.misses})
    print("  counting matches …", file=sys.stderr, flush=True)
    out: dict = {"caches": caches, "latency": {}, "matches": {}, "warmup_app": {}}
    for name, e in engines.items():
        out["latency"][name] = {}
        out["matches"][name] = {}
        for kind, xs in lat[name].items():
            stats = {
                "p50": percentile(xs, 0.5), "p95": percentile(xs, 0.95), "p99": percentile(xs, 0.99),
                "qps": 1000 / statistics.mean(xs), "n": len(xs),
            }
            if kind in APP_KINDS:
                first = [x for x, f in zip(xs, firsts[name][kind]) if f]
                later = [x for x, f in zip(xs, firsts[name][kind]) if not f]
                stats.update({"p50_first": percentile(first, 0.5) if first else None, "n_first": len(first),
                              "p50_later": percentile(later, 0.5) if later else None, "n_later": len(later)})
            out["latency"][name][kind] = stats
            counts, shared, empty = [], [], 0
            for q, mine, theirs in zip(queries[kind], ids[name][kind], ids.get("arsearch", {}).get(kind, [])):
                if mine is None:
                    continue
                counts.append(e.count(q))
                empty += not mine
                if theirs:
                    shared.append(len(set(mine) & set(theirs)) / len(theirs))
            out["matches"][name][kind] = {
                "mean": statistics.mean(counts), "median": statistics.median(counts),
                "none_found": empty / len(counts), "top10": statistics.mean(len(x) for x in ids[name][kind] if x is not None),
                "shared_with_arsearch": statistics.mean(shared) if shared else None,
            }
            exact = getattr(e, "exact_counts", {}).get(kind)
            if exact:
                out["matches"][name][kind]["count_with_search"] = statistics.mean(exact)
        out["warmup_app"][name] = {kind: {"first": xs[0], "median": statistics.median(xs), "n": len(xs)}
                                   for kind, xs in warm_lat[name].items() if xs}
    return out


def run_size(args, n: int, paragraphs: bool, engines: list[str], per_kind: int, procs_list, workdir: Path) -> dict:
    started = time.perf_counter()
    docs = load_docs(args.corpus, n, paragraphs)
    queries, warmup = draw_queries(docs, per_kind, max(20, per_kind // 5), args.seed)
    # every kind is drawn (so that each kind's queries are the same whichever run), then
    # only those asked for are measured
    queries = {k: v for k, v in queries.items() if k in args.kinds}
    warmup = {k: v for k, v in warmup.items() if k in args.kinds}
    spec = app_spec(docs)
    if set(APP_KINDS) & set(args.kinds):
        print(f"  application kinds: {spec.describe()}", file=sys.stderr, flush=True)
    builds: dict = defaultdict(dict)
    opened: dict[str, Engine] = {}
    for procs in procs_list:
        for name in engines:
            if name in SHARED:
                continue  # searches the arsearch index
            path = workdir / f"{name}-{n}-{int(paragraphs)}-p{procs}"
            print(f"  building {name} ({len(docs)} docs, {procs} proc) …", file=sys.stderr, flush=True)
            builds[name][procs] = build(name, path, args, n, paragraphs, procs)
            print(f"    {builds[name][procs]}", file=sys.stderr, flush=True)
            if procs == 1 and "seconds" in builds[name][procs]:
                e = ENGINE_CLASSES[name](path)
                e.open()
                opened[name] = e
            elif procs != 1:
                shutil.rmtree(path, ignore_errors=True)
    for name in SHARED:
        if name in engines and "arsearch" in opened:
            e = ENGINE_CLASSES[name](opened["arsearch"].path)
            e.open()
            opened[name] = e
    opened = {name: opened[name] for name in ENGINES if name in opened}
    for e in opened.values():
        e.app = spec
    print("  querying …", file=sys.stderr, flush=True)
    measured = measure(opened, queries, warmup)
    for e in opened.values():
        e.close()
    return {"docs": len(docs), "paragraphs": paragraphs, "wall_seconds": time.perf_counter() - started,
            "builds": builds, **measured, "app": {
                **{k: str(v) if isinstance(v, dt.date) else v for k, v in spec.__dict__.items()},
                "description": spec.describe()},
            "queries": {k: len(v) for k, v in queries.items()}, "warmup": {k: len(v) for k, v in warmup.items()},
            "examples": {k: [" ".join(q.words) for q in v[:3]] for k, v in queries.items()}}


# --- reporting ------------------------------------------------------------------------
def _f(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}" if x >= 0.1 else f"{x:.3f}"


NOTES = """\
- Every engine gets the same queries, each measured once (no query text twice, warm-up
  words disjoint from the measured ones), top-10 ids, engines interleaved query by query.
- and2_auto: arsearch runs `mode="auto"` (a second pass for partial matches when fewer than
  ten documents hold both words); the other engines run the same plain AND as and2.
- prefix: arsearch, arsearch-plain and whoosh expand to at most 32 terms per field and view
  (arsearch's `BoundedPrefix`), fts5 and tantivy to the 32 most frequent per view (fts5vocab,
  `terms_with_prefix`), in the exact and clitic views as arsearch; arsearch-nocap to every
  matching term.
- fuzzy (distance 1): arsearch and whoosh keep the first letter and at most 32 terms
  (`BoundedFuzzyTerm`); tantivy's `fuzzy_term_query` has no bound and no fixed first letter;
  fts5 has no fuzzy query; arsearch-nocap has no bound.
- fts5 and tantivy index arsearch's analyzed terms (clitic view, and the exact view for
  prefixes): their indexing time includes arsearch's Python analysis (its own column).
"""

APP_NOTES = """- Application kinds (arsearch and Whoosh only): one set of single words (frequent and
  middle document frequency, alternately), each searched the five ways by both engines;
  top ten ids and the exact total (arsearch: `Results.total`, counted from the arrays the
  search scored, no second pass; Whoosh: `len(results)` in the timed call, which reads the
  postings again when its top-k search skipped blocks: last column).
- The dates are SYNTHETIC (the corpus has none): a hash of the article's id, uniform over
  2015-01-01 .. 2018-12-31.
- Whoosh sorts by `[FieldFacet("date", reverse=True), ScoreFacet()]` (ties by relevance, as
  arsearch) and groups with `groupedby=["source", "category"], maptype=Count`, sorting each
  field's counts and keeping 20 as arsearch does; its filters are `Term` and `DateRange`.
- An engine runs a word's five searches one after another (then the other engine), in an
  order rotated from word to word: "first" is the p50 of the searches that came first for
  their word (postings read and decoded, right after the other engine's searches), "later"
  of the others (arsearch finds the postings in its cache).
- The warm-up runs every kind on other words; the first warm-up query of each kind reads
  what that kind needs of the metadata (arsearch: the `hit` column of every document,
  once per process and segment; Whoosh: its columns): its time is in the last table.
"""


def app_table(result: dict) -> str:
    """The application kinds: each engine's p50 and its ratio to its own ``plain``, the
    targets, arsearch ÷ Whoosh, mean totals, the warm-up's first queries."""
    lat, matches = result["latency"], result["matches"]
    a, w = lat.get("arsearch", {}), lat.get("whoosh", {})
    am, wm = matches.get("arsearch", {}), matches.get("whoosh", {})
    kinds = [k for k in APP_KINDS if k in a or k in w]
    if not kinds:
        return ""
    lines = [f"### Application search, {result['docs']:,} documents (ms; ratios of p50s)", "",
             f"{result['app']['description']}.", ""]
    lines.append("| kind | n | arsearch p50 | arsearch p95 | arsearch ÷ its plain | target | | arsearch p50 first / later "
                 "| whoosh p50 | whoosh ÷ its plain | arsearch ÷ whoosh | mean total arsearch | mean total whoosh "
                 "| whoosh total known without a second pass |")
    lines.append("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in kinds:
        sa, sw = a.get(kind), w.get(kind)
        ratio = sa["p50"] / a["plain"]["p50"] if sa and "plain" in a else None
        target = TARGETS.get(kind)
        verdict = "" if target is None or ratio is None else ("PASS" if ratio <= target else "FAIL")
        wexact = wm.get(kind, {}).get("count_with_search")
        cells = [
            kind, str((sa or sw)["n"]), _f(sa["p50"]) if sa else "n/a", _f(sa["p95"]) if sa else "n/a",
            f"{_f(ratio)}×" if ratio is not None else "n/a", f"≤ {target}×" if target else "", verdict,
            f"{_f(sa.get('p50_first'))} / {_f(sa.get('p50_later'))}" if sa else "n/a",
            _f(sw["p50"]) if sw else "n/a",
            _ratio(sw["p50"], w.get("plain", {}).get("p50")) if sw else "n/a",
            _ratio(sa["p50"], sw["p50"]) if sa and sw else "n/a",
            f"{am[kind]['mean']:,.1f}" if kind in am else "n/a",
            f"{wm[kind]['mean']:,.1f}" if kind in wm else "n/a",
            f"{wexact:.0%}" if wexact is not None else "n/a",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    warm = result.get("warmup_app", {})
    if any(warm.values()):
        lines += ["", "First warm-up query of each kind (reads what the kind needs of the metadata) "
                  "and the median of the kind's warm-up (ms):", ""]
        lines.append("| engine | " + " | ".join(kinds) + " |")
        lines.append("|---|" + "---:|" * len(kinds))
        for name, per_kind in warm.items():
            if per_kind:
                lines.append(f"| {name} | " + " | ".join(
                    f"{_f(per_kind[k]['first'])} (median {_f(per_kind[k]['median'])})" if k in per_kind else "n/a"
                    for k in kinds) + " |")
    return "\n".join(lines)


def app_scaling_table(runs: list[dict]) -> str:
    """arsearch's and Whoosh's ratios to their own ``plain`` at each size, with the targets."""
    rows = [r for r in runs if "plain" in r["latency"].get("arsearch", {})]
    if not rows:
        return ""
    kinds = [k for k in APP_KINDS[1:] if k in rows[0]["latency"]["arsearch"]]
    lines = ["### Application search against corpus size (p50 ÷ the engine's own plain p50; target)", ""]
    lines.append("| documents | arsearch plain p50 ms | " + " | ".join(
        f"{k} (≤ {TARGETS[k]}×)" for k in kinds) + " | whoosh plain p50 ms | " + " | ".join(f"whoosh {k}" for k in kinds) + " |")
    lines.append("|---:|---:|" + "---:|" * len(kinds) + "---:|" + "---:|" * len(kinds))
    for r in rows:
        a, w = r["latency"]["arsearch"], r["latency"].get("whoosh", {})
        cells = [f"{r['docs']:,}{' paragraphs' if r.get('paragraphs') else ''}", _f(a["plain"]["p50"])]
        for k in kinds:
            ratio = a[k]["p50"] / a["plain"]["p50"]
            cells.append(f"{_f(ratio)}× {'PASS' if ratio <= TARGETS[k] else 'FAIL'}")
        cells.append(_f(w["plain"]["p50"]) if "plain" in w else "n/a")
        cells += [_ratio(w[k]["p50"], w["plain"]["p50"]) if k in w and "plain" in w else "n/a" for k in kinds]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ratio(a: float | None, b: float | None) -> str:
    return _f(a / b) + "×" if a is not None and b else "n/a"


def table(result: dict) -> str:
    lat, builds, matches = result["latency"], result["builds"], result["matches"]
    names = list(lat)
    mine = lat.get("arsearch", {})
    lines = [f"### Query latency, {result['docs']:,} documents (ms; arsearch ÷ engine: arsearch's figure over the engine's)", ""]
    lines.append("| kind | engine | n | p50 | p95 | p99 | QPS | arsearch ÷ engine, p50 | arsearch ÷ engine, p99 |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in ALL_KINDS:
        a = mine.get(kind, {})
        for name in names:
            s = lat[name].get(kind)
            if s is None:
                continue
            lines.append(
                f"| {kind} | {name} | {s['n']} | {_f(s['p50'])} | {_f(s['p95'])} | {_f(s['p99'])} | {s['qps']:,.0f} | "
                f"{_ratio(a.get('p50'), s['p50']) if name != 'arsearch' else ''} | "
                f"{_ratio(a.get('p99'), s['p99']) if name != 'arsearch' else ''} |"
            )
    lines += ["", f"### Matches, {result['docs']:,} documents (counted apart from the timing, not capped at 10)", ""]
    lines.append("| kind | engine | mean matches | median | none found | mean top-10 size "
                 "| of arsearch's top 10, also in the engine's |")
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    for kind in ALL_KINDS:
        for name in names:
            m = matches[name].get(kind)
            if m is None:
                continue
            shared = "" if name == "arsearch" or m["shared_with_arsearch"] is None else f"{m['shared_with_arsearch']:.0%}"
            lines.append(f"| {kind} | {name} | {m['mean']:,.1f} | {m['median']:,.0f} | {m['none_found']:.0%} | "
                         f"{m['top10']:.1f} | {shared} |")
    lines += ["", "### Cache look-ups answered while timed", ""]
    lines.append("| engine | cache | hits | misses |")
    lines.append("|---|---|---:|---:|")
    for name, counts in result["caches"].items():
        for cache in sorted({k.rsplit(" ", 1)[0] for k in counts}):
            lines.append(f"| {name} | {cache} | {counts.get(cache + ' hit', 0):,} | {counts.get(cache + ' miss', 0):,} |")
    lines += ["", f"### Indexing, {result['docs']:,} documents", ""]
    lines.append("| engine | docs/s (1 proc) | docs/s (2 procs) | arsearch ÷ engine (1 proc) | docs per CPU-s (1 proc) | "
                 "of which arsearch's analysis, s | size MB | peak RSS MB | RSS growth while indexing MB |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    a1 = builds.get("arsearch", {}).get(1, {})
    for name, b in builds.items():
        one, two = b.get(1, {}), b.get(2, {})
        if "docs_per_s" not in one:
            lines.append(f"| {name} | {one.get('error') or one.get('skipped')} |")
            continue
        if not two:
            two_s = "not run"
        else:
            two_s = _f(two["docs_per_s"], 1) if "docs_per_s" in two else (two.get("skipped") or two.get("error", "n/a"))
        analysis = f"{one['analysis_seconds']:.0f} of {one['seconds']:.0f}" if "analysis_seconds" in one else ""
        lines.append(
            f"| {name} | {_f(one['docs_per_s'], 1)} | {two_s} | "
            f"{_ratio(a1.get('docs_per_s'), one['docs_per_s']) if name != 'arsearch' else ''} | "
            f"{_f(one['docs_per_cpu_s'], 1)} | {analysis} | "
            f"{_f(one['size_mb'], 1)} | {_f(one['peak_rss_mb'], 0)} | {_f(one['build_rss_mb'], 0)} |"
        )
    app = app_table(result)
    if app:
        lines = [app, ""] + lines  # first: what the run is about when it has them
    if "wall_seconds" in result:
        kinds = ", ".join(k for k in ALL_KINDS if k in result["queries"])
        lines = [f"{result['docs']:,} {'paragraphs' if result.get('paragraphs') else 'articles'}: built and queried in "
                 f"{result['wall_seconds'] / 60:.1f} min; kinds {kinds}.", ""] + lines
    lines += ["", NOTES]
    if app:
        lines.append(APP_NOTES)
    return "\n".join(lines)


def plot_latency(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lat = result["latency"]
    names = list(lat)
    kinds = [k for k in ALL_KINDS if any(k in lat[n] for n in names)]
    app = [k for k in APP_KINDS[1:] if all(k in lat.get(n, {}) and "plain" in lat.get(n, {}) for n in ("arsearch",))]
    if app:
        fig, (ax, rax) = plt.subplots(1, 2, figsize=(17, 5), gridspec_kw={"width_ratios": [3, 1]})
    else:
        fig, ax = plt.subplots(figsize=(12, 5))
    width = 0.8 / len(names)
    colors = {}
    for i, name in enumerate(names):
        xs, p50, p99 = [], [], []
        for k, kind in enumerate(kinds):
            if kind in lat[name]:
                xs.append(k + i * width)
                p50.append(lat[name][kind]["p50"])
                p99.append(lat[name][kind]["p99"])
        colors[name] = f"C{i}"
        ax.bar(xs, p50, width, label=f"{name} p50", color=colors[name])
        ax.scatter(xs, p99, marker="_", s=150, color="black", zorder=3)
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(kinds))], kinds, rotation=20)
    ax.set_yscale("log")
    ax.set_ylabel("latency, ms (bars p50, ticks p99; log)")
    ax.set_title(f"Top-10 query latency, {result['docs']:,} Arabic news documents")
    ax.legend(fontsize=8, ncol=3, loc="upper left")
    if app:
        with_plain = [n for n in names if "plain" in lat[n]]
        w = 0.8 / len(with_plain)
        for i, name in enumerate(with_plain):
            ks = [k for k in app if k in lat[name]]
            rax.bar([app.index(k) + i * w for k in ks], [lat[name][k]["p50"] / lat[name]["plain"]["p50"] for k in ks],
                    w, label=name, color=colors[name])
        for k, kind in enumerate(app):
            rax.plot([k - w / 2, k + 0.8 - w / 2], [TARGETS[kind]] * 2, "k--", lw=1,
                     label="target" if k == 0 else None)
        rax.set_xticks([k + 0.4 - w / 2 for k in range(len(app))], app, rotation=20)
        rax.set_ylabel("p50 ÷ the engine's own plain p50")
        rax.set_title("Filter, sort, facets (synthetic dates)")
        rax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_scaling(runs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    app = [k for k in APP_KINDS[1:] if all(k in r["latency"].get("arsearch", {}) for r in runs)]
    app = app if all("plain" in r["latency"].get("arsearch", {}) for r in runs) else []
    fig, axes = plt.subplots(1, 4 if app else 3, figsize=(20 if app else 15, 4.5))
    names = list(runs[0]["latency"])
    present = [k for k in ("term_mid", "and2", "phrase") if all(k in r["latency"].get("arsearch", {}) for r in runs)]
    styles = ("-", "--", ":", "-.")
    for name in names:
        xs = [r["docs"] for r in runs]
        for kind, style in zip(present or [k for k in ("plain", "sorted_date", "facets2")], styles):
            ys = [r["latency"][name].get(kind, {}).get("p50") for r in runs]
            if all(y is not None for y in ys):
                axes[0].plot(xs, ys, style, marker="o", label=f"{name} {kind}")
            ys = [r["latency"][name].get(kind, {}).get("p99") for r in runs]
            if all(y is not None for y in ys):
                axes[1].plot(xs, ys, style, marker="o", label=f"{name} {kind}")
        ys = [r["builds"].get(name, {}).get(1, {}).get("size_mb") for r in runs]
        if all(y is not None for y in ys):
            axes[2].plot(xs, ys, marker="o", label=name)
    for ax, title in zip(axes, ("p50 latency, ms", "p99 latency, ms", "index size, MB")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("documents")
        ax.set_title(title)
        ax.legend(fontsize=6)
    if app:
        xs = [r["docs"] for r in runs]
        for i, (kind, style) in enumerate(zip(app, styles)):
            axes[3].plot(xs, [r["latency"]["arsearch"][kind]["p50"] / r["latency"]["arsearch"]["plain"]["p50"] for r in runs],
                         style, marker="o", color=f"C{i}", label=f"arsearch {kind} (target {TARGETS[kind]}×)")
            axes[3].axhline(TARGETS[kind], color=f"C{i}", lw=0.8, alpha=0.5)
        axes[3].set_xscale("log")
        axes[3].set_xlabel("documents")
        axes[3].set_title("arsearch p50 ÷ its plain p50")
        axes[3].legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--docs", type=int, default=20_000, help="articles to index (default 20000)")
    ap.add_argument("--queries", type=int, default=300, help="queries per kind (default 300)")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated subset of " + ",".join(ENGINES))
    ap.add_argument("--kinds", default=",".join(ALL_KINDS),
                    help="comma-separated subset of " + ",".join(ALL_KINDS) + " (an application kind brings plain, "
                    "its baseline)")
    ap.add_argument("--name", default="speed", help="the output files' name: NAME.md, NAME.json, NAME.png, "
                    "NAME_scaling.png (default speed)")
    ap.add_argument("--no-procs2", action="store_true", help="skip the two-process indexing runs")
    ap.add_argument("--scaling", action="store_true",
                    help="also run 10k, 20k, 70k articles and 437k paragraphs (long; see README)")
    ap.add_argument("--scaling-sizes", default="10000,20000,70000,p437000",
                    help="sizes for --scaling; a 'p' prefix means paragraphs")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--workdir", type=Path, default=None, help="where indexes are built (default: a temp dir)")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        ap.error(f"no corpus at {args.corpus}: give --corpus PATH.jsonl.gz")
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        ap.error(f"unknown engines {sorted(unknown)}; choose from {ENGINES}")
    kinds = [k for k in args.kinds.split(",") if k]
    if set(kinds) - set(ALL_KINDS):
        ap.error(f"unknown kinds {sorted(set(kinds) - set(ALL_KINDS))}; choose from {ALL_KINDS}")
    if set(kinds) & set(APP_KINDS[1:]) and "plain" not in kinds:
        kinds.append("plain")
    args.kinds = [k for k in ALL_KINDS if k in kinds]
    args.out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="arsearch-speed-", dir=args.workdir))
    try:
        procs = (1,) if args.no_procs2 else (1, 2)
        print(f"main run: {args.docs} articles, {args.queries} queries per kind", file=sys.stderr)
        load = os.getloadavg()[0]
        result = run_size(args, args.docs, False, engines, args.queries, procs, workdir)
        result["run"] = {"command": " ".join(["python", "benchmarks/speed.py", *(argv if argv is not None else sys.argv[1:])]),
                         "cpus": os.cpu_count(), "load_average_1min": [load, os.getloadavg()[0]]}
        text = (f"`{result['run']['command']}`: {os.cpu_count()} CPUs, 1-minute load average "
                f"{load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end\n\n" + table(result))
        plot_latency(result, args.out / f"{args.name}.png")
        (args.out / f"{args.name}.md").write_text(text + "\n", encoding="utf-8")  # before the long scaling runs
        print(text, flush=True)
        report = {"main": result}
        if args.scaling:
            runs = []
            sizes = args.scaling_sizes.split(",")
            if str(args.docs) not in sizes:
                runs.append(result)  # the main run is one point of the curve
            for size in sizes:
                paragraphs = size.startswith("p")
                n = int(size.lstrip("p"))
                print(f"scaling run: {n} {'paragraphs' if paragraphs else 'articles'}", file=sys.stderr)
                runs.append(run_size(args, n, paragraphs, engines, max(50, args.queries // 3), (1,), workdir))
                runs.sort(key=lambda r: r["docs"])
                shutil.rmtree(workdir, ignore_errors=True)
                workdir.mkdir()
            report["scaling"] = runs
            plot_scaling(runs, args.out / f"{args.name}_scaling.png")
            text += "\n\n## Scaling\n"
            summary = app_scaling_table(runs)
            if summary:
                text += "\n" + summary + "\n"
            for r in runs:
                text += "\n" + table(r) + "\n"
        (args.out / f"{args.name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        (args.out / f"{args.name}.md").write_text(text + "\n", encoding="utf-8")
        if args.scaling:
            print(text[text.index("## Scaling"):])
        print(f"\nwrote {args.out / args.name}.md, .json, .png", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

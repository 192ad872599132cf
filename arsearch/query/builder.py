"""From parsed clauses to Whoosh queries over the analysis views: :func:`parse_query`.

Each word becomes an ``Or`` of its terms in the views of both fields (its readings,
boosted by view and field as its :class:`~arsearch.query.ranking.Ranking` says), phrases
become word-pair phrases, and a query of several words the tiers ``mode="auto"`` runs."""

from __future__ import annotations

from functools import lru_cache, partial

from whoosh import query as wq

from .. import schema
from ..analysis.pairs import PAIR_VIEW, pair_terms
from ..errors import QueryError
from ..pipeline import VIEWS, AnalysisConfig
from ..pipeline.chars import MARKS
from ..pipeline.derivation import relatives
from ..pipeline.lexicon import is_stopword, stopwords
from ..pipeline.normalization import normalize
from ..schema import FIELDS
from ..scoring import B, weighting
from . import ranking as rules
from .clauses import latin_names, metadata_filters
from .expansion import BoundedFuzzyTerm, BoundedPrefix
from .latin_names import LatinNames, held_alternatives
from .nodes import CoordOr, LeadTerm, PairPhrase, Readings, TermSet, Weighted, reboosted
from .parsed import Deferred, ParsedQuery
from .ranking import (
    LEAD_WORDS,
    VERB_PREFIXES,
    Ranking,
    auto_distance,
    frame_words,
    is_question,
    is_question_word,
)
from .syntax import (
    MAX_EXPANDING_WORDS,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    Group,
    LatinName,
    Parser,
    Phrase,
    Word,
)

MODES = ("auto", "all", "any")


_NEGLIGIBLE = 1e-9  # a boost that keeps a subquery's documents but not its score


# --- building Whoosh queries ------------------------------------------------------
class _Builder(LatinNames):
    def __init__(self, config: AnalysisConfig, drop_questions: bool = False, ranking: Ranking | None = None,
                 relatives: bool = False, latin: dict | None = None, variants: tuple = (),
                 unheld: frozenset[str] = frozenset()):
        self.config = config
        self.stop = stopwords() if config.stopwords else frozenset()
        # a Latin name's unit -> its Arabic alternatives and weights (none a stopword)
        self.latin = held_alternatives(latin or {}, self.stop)
        self.unheld = unheld  # Latin words (normalized) no document of the index holds
        self.variants = dict(variants or ())  # a normalized word -> other spellings the index has, weighted
        # a Latin name's unit -> its query and its readings' (query, weight)
        self.readings_of: dict[str, tuple[wq.Query, tuple[tuple[wq.Query, float], ...]]] = {}
        self.ranking = ranking or rules.RANKINGS["name"]
        self.relatives = relatives and bool(self.ranking.derived)  # a word also matches its root's words
        self.drop_questions = drop_questions
        self.highlight: dict[str, set[str]] = {"exact": set(), "clitic": set(), "stem": set()}
        self.vocalized: list[str] = []
        self.words: list[str] = []
        self.n_words = 0
        self.n_expanding = 0
        self.expands = False

    def views(self, raw: str):
        if self.n_words >= MAX_QUERY_WORDS:
            return None
        norm = normalize(raw, hamza_seats=self.config.hamza_seats)
        if not norm or is_stopword(raw, norm, self.stop) or self.dropped(norm):
            return None
        self.n_words += 1
        if any(ch in MARKS for ch in raw):
            self.vocalized.append(raw)
        self.words.append(norm)
        readings = self.config.written_readings(raw, norm)  # وعلى: not و + علي (Ali)
        return {"exact": norm, "clitic": readings[0][0], "stem": readings[0][1] or readings[0][0],
                "readings": readings}

    def dropped(self, norm: str) -> bool:
        """A question's interrogative or framing word, when those are dropped."""
        if not self.drop_questions:
            return False
        return is_question_word(norm) or self.config.view_term(norm, "clitic") in frame_words()

    def verb_forms(self, stem: str) -> list[str]:
        """The stem with each other verb prefix (يقع → اقع، نقع، تقع); none for a name."""
        if len(stem) < 3 or stem[0] not in VERB_PREFIXES:
            return []
        if stem in self.config.protected_names:
            return []  # تونس is not a verb (يونس is another name)
        return [p + stem[1:] for p in VERB_PREFIXES if p != stem[0]]

    def derived(self, terms: dict[str, str]) -> list[str]:
        """Stems of the word's relatives of the same root (ولد → مولد، ميلاد), other than
        its own stem and verb forms; none for a name."""
        stem = terms["stem"]
        if stem in self.config.protected_names:
            return []
        own = {stem, *self.verb_forms(stem)}
        found = dict.fromkeys(relatives_of(stem, self.config) + relatives_of(terms["clitic"], self.config))
        return [t for t in found if t not in own]

    def fields(self, field_name):
        return (field_name,) if field_name else FIELDS

    def word(self, node: Word, negated: bool):
        if node.prefix or node.fuzzy is not None:
            if self.n_expanding >= MAX_EXPANDING_WORDS:
                node = Word(node.text, node.field)
            self.n_expanding += 1
        terms = self.views(node.text)
        if terms is None:
            return None
        derived = self.derived(terms) if self.relatives and not negated and not node.prefix else []
        subs = []
        for f in self.fields(node.field):
            fb = self.ranking.field_boost(f)
            self.expands = self.expands or node.prefix or node.fuzzy is not None
            if node.prefix:
                subs.append(BoundedPrefix(schema.field_name(f, "exact"), terms["exact"], boost=self.ranking.boost("exact") * fb))
                # a prefix whose first letter may be a proclitic: each reading's completions
                subs.extend(BoundedPrefix(schema.field_name(f, "clitic"), clitic, boost=self.ranking.boost("clitic") * fb)
                            for clitic, _ in terms["readings"])
                continue
            subs.append(wq.Term(schema.field_name(f, "exact"), terms["exact"], boost=self.ranking.boost("exact") * fb))
            if len(terms["readings"]) == 1:
                subs.append(wq.Term(schema.field_name(f, "clitic"), terms["clitic"], boost=self.ranking.boost("clitic") * fb))
                if not negated:
                    subs.append(wq.Term(schema.field_name(f, "stem"), terms["stem"], boost=self.ranking.boost("stem") * fb))
            if self.ranking.verb_forms and not negated:
                boost = self.ranking.verb_forms * self.ranking.boost("stem") * fb
                subs.extend(wq.Term(schema.field_name(f, "stem"), t, boost=boost) for t in self.verb_forms(terms["stem"]))
            if derived:
                boost = self.ranking.derived * self.ranking.boost("stem") * fb
                subs.append(TermSet(schema.field_name(f, "stem"), derived, boost=boost))
            if node.fuzzy is not None and not negated:
                dist = node.fuzzy or auto_distance(terms["clitic"])
                if dist:
                    subs.append(
                        BoundedFuzzyTerm(
                            schema.field_name(f, "clitic"), terms["clitic"], boost=self.ranking.boost("stem") * fb,
                            maxdist=dist, prefixlength=1,
                        )
                    )
        if len(terms["readings"]) > 1 and not node.prefix:
            subs.append(self.readings(terms["readings"], node.field, negated))
        if not node.prefix and node.fuzzy is None and not negated:
            # another spelling, searched as the word is, scaled by its weight
            kept, self.variants = self.variants, {}  # a variant's own variants are not searched
            for variant, weight in kept.get(terms["exact"], ()):
                q = self.word(Word(variant, node.field), False)
                if q is not None:
                    subs.append(reboosted(q, weight))
            self.variants = kept
        for v in VIEWS:
            self.highlight[v].add(terms[v])
        for clitic, stem in terms["readings"][1:]:
            self.highlight["clitic"].add(clitic)
            if stem:
                self.highlight["stem"].add(stem)
        if self.ranking.verb_forms and not negated:
            self.highlight["stem"].update(self.verb_forms(terms["stem"]))
        self.highlight["stem"].update(derived)
        return wq.Or(subs)

    def readings(self, readings, field_name: str | None, negated: bool) -> Readings:
        """A word whose first letters read several ways: each reading's clitic and stem
        terms in each field, weighted when searched by how much the index uses it."""
        alternatives = []
        for clitic, stem in readings:
            terms = []
            for f in self.fields(field_name):
                fb = self.ranking.field_boost(f)
                terms.append(wq.Term(schema.field_name(f, "clitic"), clitic, boost=self.ranking.boost("clitic") * fb))
                if stem and not negated:
                    terms.append(wq.Term(schema.field_name(f, "stem"), stem, boost=self.ranking.boost("stem") * fb))
            alternatives.append(wq.Or(terms))
        return Readings(tuple(c for c, _ in readings), tuple(alternatives),
                        tuple(schema.field_name(f, "exact") for f in self.fields(field_name)), boolean=negated)

    def phrase(self, node: Phrase, negated: bool):
        views = []
        slops = []
        gap = 0
        for raw in node.words:
            terms = self.views(raw)
            if terms is None:
                gap += 1
                continue
            views.append(terms)
            slops.append(gap)
            gap = 0
        if not views:
            return None
        if len(views) == 1:
            return self.word(Word(node.words[0] if len(node.words) == 1 else views[0]["exact"], node.field), negated)
        # Whoosh's slop: each word 1 to ``slop`` positions after the one before.
        slop = 1 + max(slops[1:], default=0) + node.slop
        # Adjacent words: answered through the index's word pairs, same results.
        pairs = pair_terms([t[PAIR_VIEW] for t in views]) if slop == 1 else []
        subs = []
        for f in self.fields(node.field):
            for v in ("exact", "clitic"):
                words, boost = [t[v] for t in views], self.ranking.boost(v) * self.ranking.field_boost(f)
                if pairs:
                    subs.append(PairPhrase(schema.field_name(f, v), words, schema.field_name(f, schema.PAIR), pairs, boost=boost))
                else:
                    subs.append(wq.Phrase(schema.field_name(f, v), words, slop=slop, boost=boost))
        for terms in views:
            for v in ("exact", "clitic"):
                self.highlight[v].add(terms[v])
        return wq.Or(subs)

    def node(self, node, negated=False):
        if isinstance(node, Word):
            return self.word(node, negated)
        if isinstance(node, LatinName):
            return self.latin_name(node, negated)
        if isinstance(node, Phrase):
            return self.phrase(node, negated)
        if isinstance(node, Group):
            alts = [self.conjunction(a, "all") for a in node.alternatives]
            alts = [a for a in alts if a is not None]
            return wq.Or(alts) if alts else None
        raise TypeError(node)

    def conjunction(self, clauses, mode: str):
        clauses = list(dict.fromkeys(clauses))  # a repeated word or phrase adds nothing
        positive = [q for c in clauses if not c.negated and (q := self.node(c.node)) is not None]
        negative = [q for c in clauses if c.negated and (q := self.node(c.node, negated=True)) is not None]
        if not positive:
            return None
        if len(positive) == 1:
            combined = positive[0]
        elif mode == "all":
            combined = wq.And(positive)
        elif self.ranking.coord:
            combined = CoordOr(positive, self.ranking.coord)
        else:
            combined = wq.Or(positive)
        for bonus in (self.proximity(clauses), self.lead(clauses)):
            if bonus is not None:
                # combined, plus the bonus where both match (AndMaybe, built of the
                # Or/And/boost nodes that arsearch.topk evaluates itself)
                combined = wq.Or([combined, wq.And([bonus, reboosted(combined, _NEGLIGIBLE)])])
        if negative:
            combined = wq.AndNot(combined, wq.Or(negative))
        return combined


    def excluded(self, clauses) -> wq.Query | None:
        """The documents a query's excluded words (``-word``) take out, or None."""
        negative = [q for c in clauses if c.negated and (q := self.node(c.node, negated=True)) is not None]
        return wq.Or(negative) if negative else None

    def plain_words(self, clauses) -> list[str]:
        """The query's plain words (no field, prefix, fuzziness or negation), clitic view;
        only words searched (past :data:`MAX_QUERY_WORDS`, a word adds nothing)."""
        words = (self.plain_term(c) for c in clauses)
        return list(dict.fromkeys(w for w in words if w is not None))  # a repeated word is searched once

    def plain_term(self, c) -> str | None:
        """A clause's clitic-view term if it is a plain word searched (see :meth:`plain_words`)."""
        node = c.node
        if not isinstance(node, Word) or c.negated or node.field is not None or node.prefix or node.fuzzy is not None:
            return None
        norm = normalize(node.text, hamza_seats=self.config.hamza_seats)
        if norm not in self.words or self.dropped(norm):
            return None
        return self.config.view_term(norm, "clitic")

    def lead(self, clauses):
        """Plain query words among the first words of a passage's body, or None."""
        if not self.ranking.lead:
            return None
        words = self.plain_words(clauses)
        if not words:
            return None
        field_name = schema.field_name("body", PAIR_VIEW)
        return wq.Or([LeadTerm(wq.Term(field_name, w), limit=LEAD_WORDS - 1) for w in words], boost=self.ranking.lead)

    def proximity(self, clauses):
        """Phrase matches of neighbouring query words (clitic view), or None. A name typed in
        Latin script stands there by its likeliest Arabic words (:data:`NEIGHBOUR_READINGS`),
        each pair weighed by both words' weights: خليفة حفتر side by side for Khalifa Haftar."""
        if not self.ranking.proximity:
            return None
        slots = self.neighbour_slots(clauses)
        subs = [
            PairPhrase(schema.field_name(f, PAIR_VIEW), [a, b], schema.field_name(f, schema.PAIR), pair_terms([a, b]),
                       boost=self.ranking.proximity * self.ranking.field_boost(f) * wa * wb)
            for f in FIELDS
            for first, second in zip(slots, slots[1:])
            for a, wa in first
            for b, wb in second
            if a != b
        ]
        return wq.Or(subs) if subs else None

def _weighted(q: wq.Query, ranking: Ranking) -> wq.Query:
    """``q`` scored with the ranking's BM25 (its b, and BM25+'s delta)."""
    return q if ranking.b == B and not ranking.delta else Weighted(q, weighting(ranking.b, ranking.delta))


def _any_query(clauses, config: AnalysisConfig, drop: bool, ranking: Ranking, latin: dict,
               variants: tuple, unheld: frozenset[str]) -> wq.Query | None:
    """The query of ``mode="any"`` of a name (no relatives of the root)."""
    builder = _Builder(config, drop, ranking, relatives=True, latin=latin, variants=variants, unheld=unheld)
    return _weighted(builder.conjunction(clauses, "any"), ranking)


@lru_cache(maxsize=4096)
def relatives_of(word: str, config: AnalysisConfig) -> tuple[str, ...]:
    """Stem-view terms of ``word``'s relatives of the same root."""
    return relatives(word, partial(config.view_term, view="stem"))


@lru_cache(maxsize=1024)
def parse_query(text: str, config: AnalysisConfig, strict: bool = False,
                meta: tuple[tuple[str, str], ...] = (), latin: tuple | None = None,
                variants: tuple = (), unheld: frozenset[str] = frozenset()) -> ParsedQuery:
    """Parse ``text`` into Whoosh queries for the views and fields of an arsearch index.

    Lenient unless ``strict``: then a malformed query raises :class:`QueryError`
    giving the character position. ``meta``: the metadata fields and their types,
    as ``(name, type)`` pairs: ``name:value`` on one of them is a filter (a malformed value is a
    :class:`QueryError` even when lenient: a filter is never guessed). ``latin`` (None:
    Latin words are plain words): the Arabic alternatives of names typed in Latin script,
    ``(unit, ((words, weight), ...))`` pairs for the units :attr:`ParsedQuery.latin_units`
    lists (:func:`arsearch.query.clauses.latin_units` reads them first). ``variants``:
    other spellings of the query's words the index holds, ``(normalized word, ((term,
    weight), ...))`` pairs, each searched as the word is, scaled by its weight (ترمب also
    finds ترامب). ``unheld``: Latin words (normalized) no document of the index holds,
    a name holding one is not searched as written (it would match nothing).
    """
    if not isinstance(text, str):
        raise TypeError(f"query must be str, not {type(text).__name__}")
    if len(text) > MAX_QUERY_CHARS:
        if strict:
            raise QueryError(
                f"query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}: shorten it",
                MAX_QUERY_CHARS,
            )
        text = text[:MAX_QUERY_CHARS]
    clauses, filters = metadata_filters(Parser(text, strict, dict(meta)).parse())
    units: tuple[str, ...] = ()
    names = dict(latin or ())
    if latin is not None:
        clauses, units = latin_names(clauses, lambda phrase: bool(names.get(phrase)))
    if strict and not clauses and not filters:
        raise QueryError("empty query: give at least one word", 0)
    kind = "question" if is_question(text, clauses) else "name"
    # read from the module at each parse: the relevance benchmark's ablations set them
    ranking = rules.RANKINGS[kind]
    drop = rules.DROP_QUESTION_WORDS and kind == "question"
    builder = _Builder(config, drop, ranking, latin=names, variants=variants, unheld=unheld)
    q_all = builder.conjunction(clauses, "all")
    if q_all is None and drop:  # nothing but question words: search them after all
        drop = False
        builder = _Builder(config, drop, ranking, latin=names, variants=variants, unheld=unheld)
        q_all = builder.conjunction(clauses, "all")
    # mode="any" has a builder of its own: the word limit counts the words of one query,
    # not of both. A question's words meet their relatives of the same root in its one
    # ranking, not in mode="all", where a passage holds every word.
    n_positive = sum(1 for c in clauses if not c.negated)
    highlight = builder.highlight
    if q_all is None:
        q_any = None
    elif n_positive <= 1 and not ranking.derived:
        # One word or phrase, and no relatives: mode="any" builds the very same query.
        q_any = q_all = _weighted(q_all, ranking)
    elif not ranking.derived:
        # Without relatives, mode="any" meets the words of mode="all": same highlights.
        q_all = _weighted(q_all, ranking)
        q_any = Deferred(_any_query, clauses, config, drop, ranking, names, variants, unheld)
    else:
        any_builder = _Builder(config, drop, ranking, relatives=True, latin=names, variants=variants, unheld=unheld)
        q_any = _weighted(any_builder.conjunction(clauses, "any"), ranking)
        q_all = _weighted(q_all, ranking)
        # its relatives are highlighted too
        highlight = {k: v | any_builder.highlight[k] for k, v in highlight.items()}
    return ParsedQuery(
        text=text,
        all=q_all,
        _any=q_any,
        n_positive=n_positive,
        highlight={k: frozenset(v) for k, v in highlight.items()},
        vocalized=tuple(builder.vocalized),
        words=tuple(dict.fromkeys(builder.words)),
        expands=builder.expands,
        kind=kind,
        tiered=ranking.tiered,
        filters=filters,
        exclude=builder.excluded(clauses) if q_all is None else None,
        latin_units=units,
        readings=_sole_name_readings(clauses, builder, q_all, ranking),
    )


def _sole_name_readings(clauses, builder: _Builder, q_all, ranking: Ranking) -> tuple[tuple[wq.Query, float], ...]:
    """The readings of a query that is one Latin name and nothing else (no other word,
    no excluded word), each scored as the query is: its ``all`` query is the sum of its
    readings times their weights. ``()`` for any other query, or a name with one reading."""
    if len(clauses) != 1 or clauses[0].negated or not isinstance(clauses[0].node, LatinName):
        return ()
    q, readings = builder.readings_of.get(clauses[0].node.unit, (None, ()))
    inner = q_all.child if isinstance(q_all, Weighted) else q_all
    if len(readings) < 2 or inner is not q:  # a bonus or another clause joined the name
        return ()
    return tuple((_weighted(r, ranking), weight) for r, weight in readings)

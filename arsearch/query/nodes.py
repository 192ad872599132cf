"""arsearch's own Whoosh query nodes: the readings of a word's first letters
(:class:`Readings`), a question's share of words (:class:`CoordOr`), a set of terms
(:class:`TermSet`), a term among a passage's first words (:class:`LeadTerm`), a subtree
with its own weighting (:class:`Weighted`) and word-pair phrases (:class:`PairPhrase`).

Each scores exactly as the Whoosh nodes it stands for; ``arsearch.topk`` recognises
them and evaluates them as arrays."""

from __future__ import annotations

import copy

from whoosh import query as wq
from whoosh.matching import NullMatcher
from whoosh.query.spans import SpanFirst

from ..pipeline.stemming import ARTICLE
from ..readercache import kept_on_reader
from .matchers import CoordMatcher, PairPhraseMatcher

#: A reading of a word's first letters the index hardly uses is still searched, at
#: this share of the weight of the one it uses most (see :class:`Readings`).
MIN_READING_WEIGHT = 0.05


#: A negated word excludes the documents holding those of its readings that weigh at
#: least this much: -كتاب excludes الكتاب, not every تاب.
NEGATED_READING_WEIGHT = 0.5


def whole_index(searcher):
    """The searcher of the whole index a segment's searcher belongs to."""
    return searcher.get_parent() if searcher.has_parent() else searcher


class Readings(wq.Query):
    """A word whose first letters read several ways (كتاب: a book, or ك + تاب; لحفتر:
    ل + حفتر), as the query of each reading, weighted by the index.

    A reading's support is the number of documents holding it written as a word of its
    own, bare or with the article (كتاب، الكتاب; حفتر): what the index says of how the
    word is used, with no proclitic in doubt. When searched, each reading's query is
    boosted by its support over the best supported one's, ``(s + 1) / (best + 1)``, and
    by :data:`MIN_READING_WEIGHT` at least, so the reading the index uses comes first
    and the other is still found. ``boolean`` (a negated word): the readings weighing
    :data:`NEGATED_READING_WEIGHT` or more, unweighted. Supports come from the whole
    index, whatever the segment, and are kept on its reader.
    """

    def __init__(self, readings: tuple[str, ...], alternatives: tuple[wq.Query, ...], support_fields: tuple[str, ...],
                 boolean: bool = False, boost: float = 1.0):
        if len(readings) != len(alternatives):
            raise ValueError("one alternative query per reading")
        self.readings = tuple(readings)
        self.alternatives = tuple(alternatives)
        self.support_fields = tuple(support_fields)
        self.boolean = boolean
        self.boost = boost

    def __eq__(self, other):
        return (type(self) is type(other) and self.readings == other.readings and self.alternatives == other.alternatives
                and self.support_fields == other.support_fields and self.boolean == other.boolean
                and self.boost == other.boost)

    def __hash__(self):
        return hash((type(self).__name__, self.readings, self.alternatives, self.support_fields, self.boolean, self.boost))

    def __repr__(self):
        return f"{type(self).__name__}({list(self.readings)!r}, boolean={self.boolean}, boost={self.boost})"

    def __str__(self):
        return f"({' | '.join(self.readings)})"

    def is_leaf(self):
        return False

    def children(self):
        return iter(self.alternatives)

    def apply(self, fn):
        return Readings(self.readings, tuple(fn(q) for q in self.alternatives), self.support_fields, self.boolean,
                        self.boost)

    def normalize(self):
        return self.apply(lambda q: q.normalize())

    def estimate_size(self, ixreader):
        return min(sum(q.estimate_size(ixreader) for q in self.alternatives), ixreader.doc_count_all())

    def estimate_min_size(self, ixreader):
        return min(q.estimate_min_size(ixreader) for q in self.alternatives)

    def weights(self, searcher) -> tuple[float, ...]:
        """Each reading's weight in ``searcher``'s whole index."""
        top = whole_index(searcher)
        return kept_on_reader(top.reader(), "_arsearch_readings", (self.readings, self.support_fields),
                              lambda: self._weights(top))

    def _weights(self, searcher) -> tuple[float, ...]:
        support = [sum(searcher.doc_frequency(f, text) + searcher.doc_frequency(f, ARTICLE + text)
                       for f in self.support_fields) for text in self.readings]
        best = max(support)
        return tuple(max(MIN_READING_WEIGHT, (s + 1) / (best + 1)) for s in support)

    def resolved(self, searcher) -> wq.Query:
        """The Whoosh query this word stands for in ``searcher``'s index (the same
        object for every segment of it)."""
        top = whole_index(searcher)
        return kept_on_reader(top.reader(), "_arsearch_resolved", self, lambda: self._resolved(top))

    def _resolved(self, searcher) -> wq.Query:
        weights = self.weights(searcher)
        if self.boolean:
            subs = [q for q, w in zip(self.alternatives, weights) if w >= NEGATED_READING_WEIGHT]
        else:
            subs = [reboosted(q, q.boost * w) for q, w in zip(self.alternatives, weights)]
        return wq.Or(subs, boost=self.boost)

    def matcher(self, searcher, context=None):
        return self.resolved(searcher).matcher(searcher, context)


class LeadTerm(SpanFirst):
    """A term within the first ``limit + 1`` positions of its field: Whoosh's ``SpanFirst``,
    which cannot estimate its size for Whoosh's ``Or``."""

    def estimate_size(self, ixreader):
        return self.q.estimate_size(ixreader)


class TermSet(wq.MultiTerm):
    """Any of ``texts`` in one field, each scored as its own ``Term`` (times the boost):
    the ``Or`` of those of them the index holds, chosen when the query is matched (a
    question word's relatives of the same root: dozens of patterns, a few of them words)."""

    def __init__(self, fieldname: str, texts, boost: float = 1.0):
        self.fieldname = fieldname
        self.texts = tuple(texts)
        self.boost = boost

    def __eq__(self, other):
        return (type(self) is type(other) and self.fieldname == other.fieldname
                and self.texts == other.texts and self.boost == other.boost)

    def __hash__(self):
        return hash((type(self).__name__, self.fieldname, self.texts, self.boost))

    def __repr__(self):
        return f"{type(self).__name__}({self.fieldname!r}, {list(self.texts)!r}, boost={self.boost})"

    def __str__(self):
        return f"{self.fieldname}:({' | '.join(self.texts)})^{self.boost}"

    def __deepcopy__(self, memo):
        return TermSet(self.fieldname, self.texts, self.boost)  # the texts are a tuple

    def _btexts(self, ixreader):
        # The terms the segment holds, in the given order; looked up once per reader.
        key = (self.fieldname, self.texts)
        return list(kept_on_reader(ixreader, "_arsearch_termsets", key, lambda: self._existing(ixreader), _TERMSETS_KEPT))

    def _existing(self, ixreader) -> tuple[bytes, ...]:
        if self.fieldname not in ixreader.schema:
            return ()
        field = ixreader.schema[self.fieldname]
        out = []
        for text in self.texts:
            btext = field.to_bytes(text)
            if (self.fieldname, btext) in ixreader:
                out.append(btext)
        return tuple(out)


_TERMSETS_KEPT = 1024  # term sets whose terms in the index are kept per reader


class CoordOr(wq.Or):
    """Any of the subqueries (a query's words); a document's summed score is multiplied
    by (subqueries it matches / subqueries) ** ``exponent``: the more of a question's
    words a passage holds, the better, beyond what adding their scores gives."""

    def __init__(self, subqueries, exponent: float = 1.0, boost: float = 1.0):
        super().__init__(subqueries, boost=boost)
        self.exponent = exponent

    def __eq__(self, other):
        return super().__eq__(other) and self.exponent == other.exponent

    def __hash__(self):
        return super().__hash__() ^ hash(self.exponent)

    def normalize(self):
        norm = super().normalize()
        return CoordOr(norm.subqueries, self.exponent, norm.boost) if isinstance(norm, wq.Or) else norm

    def _matcher(self, subs, searcher, context):
        matchers = [q.matcher(searcher, context) for q in subs]
        return CoordMatcher(matchers, self.exponent, self.boost)


class Weighted(wq.WeightingQuery):
    """Score the wrapped query with its own weighting model (Whoosh's WeightingQuery
    discards the context it sets: ``SearchContext.set`` returns a copy)."""

    def __eq__(self, other):
        return type(self) is type(other) and self.child == other.child and self.weighting is other.weighting

    def __hash__(self):
        return hash(self.child) ^ id(self.weighting)

    def __repr__(self):
        delta = getattr(self.weighting, "delta", 0.0)
        return f"{type(self).__name__}({self.child!r}, B={self.weighting.B}, delta={delta})"

    def _rewrap(self, child):
        return Weighted(child, self.weighting)

    def matcher(self, searcher, context=None):
        context = context or searcher.context()
        return self.child.matcher(searcher, context.set(weighting=self.weighting))


def reboosted(q: wq.Query, boost: float) -> wq.Query:
    """``q`` with another boost, sharing its subqueries (Whoosh's ``with_boost`` copies
    the whole tree, which was half the time of parsing a two-word query)."""
    q = copy.copy(q)
    q.boost = boost
    return q


class PairPhrase(wq.Phrase):
    """``Phrase(fieldname, words, slop=1, boost)`` answered through word pairs.

    ``pairfield`` is the index's pair field and ``pairs`` the pair terms of the
    phrase's words in the clitic view. Matches and scores as ``Phrase``.
    """

    def __init__(self, fieldname: str, words: list[str], pairfield: str, pairs: list[str],
                 slop: int = 1, boost: float = 1.0):
        super().__init__(fieldname, words, slop=slop, boost=boost)
        self.pairfield = pairfield
        self.pairs = pairs

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.pairfield == other.pairfield and self.pairs == other.pairs

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(tuple(self.pairs))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.words!r}, pairs={self.pairs!r}, boost={self.boost:f})"

    def normalize(self):
        if len(self.words) < 2 or None in self.words:
            return wq.Phrase(self.fieldname, self.words, slop=self.slop, boost=self.boost).normalize()
        return self

    def matcher(self, searcher, context=None):
        schema = searcher.schema
        if self.slop != 1 or not self.pairs or self.pairfield not in schema or self.fieldname not in schema:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        # The terms and matchers of Whoosh's Phrase.matcher, built the same way.
        field = schema[self.fieldname]
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, word) not in reader:
                return NullMatcher()
            terms.append(wq.Term(self.fieldname, word))
        span_q = wq.SpanNear2(terms, slop=1, ordered=True, mindist=1)
        context = span_q._span_context(context)
        words = [t.matcher(searcher, context) for t in terms]
        pair_field = schema[self.pairfield]
        pair_bytes = [pair_field.to_bytes(p) for p in self.pairs]
        if any((self.pairfield, b) not in reader for b in pair_bytes):
            # No document holds the phrase. The word matchers still count for
            # Whoosh's coordination bonus (Or(scale=...)), as in Phrase.matcher.
            return PairPhraseMatcher(None, words, self.boost)
        pairs = [reader.postings(self.pairfield, b) for b in pair_bytes]
        return PairPhraseMatcher(pairs, words, self.boost)


def without_pairs(q):
    """The same query with each :class:`PairPhrase` as Whoosh's own ``Phrase`` (for
    comparisons; Whoosh's ``Query.accept`` would drop ``Or.scale``, so the tree is
    copied node by node)."""
    if isinstance(q, PairPhrase):
        return wq.Phrase(q.fieldname, q.words, slop=q.slop, boost=q.boost)
    q = copy.copy(q)
    if isinstance(q, wq.CompoundQuery):
        q.subqueries = [without_pairs(s) for s in q.subqueries]
    for attr in ("a", "b", "child"):
        if isinstance(getattr(q, attr, None), wq.Query):
            setattr(q, attr, without_pairs(getattr(q, attr)))
    return q

"""Planning: the tree of nodes that ``q.matcher(searcher, context)`` would build in one
segment, built by Whoosh's rules (the same shape, so that sums keep their order) but
without building any matcher: each leaf is a term with its term info and weighting.

A node the evaluator cannot compute as arrays raises :class:`Unsupported` (the query
then goes to Whoosh's own search) or is kept as a :class:`WhooshPlan`, a matcher Whoosh
builds and :mod:`arsearch.topk.fallback` reads."""

from __future__ import annotations

import functools
from bisect import insort

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermInfo, W3TermsReader
from whoosh.matching import (
    AndNotMatcher,
    ArrayUnionMatcher,
    FilterMatcher,
    IntersectionMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.query.spans import SpanFirst
from whoosh.reading import TermNotFound
from whoosh.searching import SearchContext

from ..analysis.pairs import PAIR_VIEW
from ..query.expansion import PRESENCE, BoundedFuzzyTerm, BoundedPrefix
from ..query.matchers import CoordMatcher, PairPhraseMatcher
from ..query.nodes import CoordOr, PairPhrase, Readings, TermSet, Weighted
from ..schema import field_name, field_of


class Unsupported(Exception):
    """A matcher node this module does not evaluate: Whoosh searches instead."""


# --- the plan: the matcher tree Whoosh would build, without building it ------------
# Whoosh's matchers read postings as they are made (an intersection steps its children
# to their first common document); a plan node only names what to read. Each node
# stands for the matcher Whoosh makes for that query, in the same tree shape, so that
# scores are added in the same order.
class Node:
    size = 0  # estimated documents, to read the smaller side of an intersection first
    matcher_class: type = NullMatcherClass  # the class of the matcher Whoosh would make

    # make_weighted_tree sorts (weight, matcher) pairs, so on equal weights matchers are
    # compared; their comparisons depend on their classes alone (and on which class
    # subclasses which): compare as the matchers would.
    def __eq__(self, other):
        return _instance(self.matcher_class) == _instance(other.matcher_class)

    def __lt__(self, other):
        return _instance(self.matcher_class) < _instance(other.matcher_class)

    __hash__ = object.__hash__


@functools.cache
def _instance(cls):
    return cls.__new__(cls)  # never used but in comparisons, which read only the class


class Null(Node):
    pass


NULL = Null()


class Leaf(Node):
    def __init__(self, searcher, fieldname: str, btext: bytes, weighting, size: int, info: W3TermInfo | None = None):
        self.searcher, self.fieldname, self.btext, self.weighting, self.size = searcher, fieldname, btext, weighting, size
        self.info = info  # the term's info in a W3 segment, if read already
        # deleted documents are filtered out of every posting list
        self.matcher_class = FilterMatcher if searcher.reader().deleted_docs_set else W3LeafMatcher


class Boost(Node):
    matcher_class = WrappingMatcher

    def __init__(self, child: Node, boost: float):
        self.child, self.boost, self.size = child, boost, child.size


class Union(Node):
    matcher_class = UnionMatcher

    def __init__(self, a: Node, b: Node):
        self.a, self.b, self.size = a, b, a.size + b.size


class Intersection(Node):
    matcher_class = IntersectionMatcher

    def __init__(self, a: Node, b: Node):
        self.a, self.b, self.size = a, b, min(a.size, b.size)


class Without(Node):
    matcher_class = AndNotMatcher

    def __init__(self, a: Node, b: Node):
        self.a, self.b, self.size = a, b, a.size


class ArrayOr(Node):
    matcher_class = ArrayUnionMatcher

    def __init__(self, subs: list[Node], boost: float, scored: bool):
        self.subs, self.boost, self.scored, self.size = subs, boost, scored, sum(c.size for c in subs)


class Coord(Node):
    matcher_class = CoordMatcher

    def __init__(self, subs: list[Node], exponent: float, boost: float):
        self.subs, self.exponent, self.boost, self.size = subs, exponent, boost, sum(c.size for c in subs)


class PhrasePlan(Node):
    """A phrase: Whoosh's ``Phrase`` or a :class:`arsearch.query.nodes.PairPhrase`."""

    def __init__(self, words: list[Leaf], boost: float, slop: int, positions: bool,
                 pairs: list[Leaf] | None = None, matcher_class: type = PairPhraseMatcher):
        self.words, self.boost, self.slop = words, boost, slop
        self.positions = positions  # whether the words' positions must be checked
        self.pairs = pairs  # documents must hold every one of these word pairs
        self.matcher_class = matcher_class
        self.size = min(w.size for w in (pairs or words)) if words else 0


class First(Node):
    """Whoosh's ``SpanFirst`` of a term: documents where it stands within the first
    ``limit + 1`` positions, scored as the term."""

    def __init__(self, leaf: Leaf | None, limit: int):
        self.leaf, self.limit, self.size = leaf, limit, leaf.size if leaf is not None else 0
        self.matcher_class = SpanFirst.SpanFirstMatcher


class WhooshPlan(Node):
    """A subtree left to Whoosh's own matcher (evaluated by :func:`matcher_scores`)."""

    def __init__(self, matcher):
        self.matcher, self.size, self.matcher_class = matcher, matcher_size(matcher), type(matcher)


class Sizes:
    """Whoosh's ``estimate_size`` of queries in one segment, document frequencies read once."""

    def __init__(self, reader):
        self.reader = reader
        self.df: dict[tuple[str, bytes], int] = {}
        # A W3 segment's term infos, looked up once: they give the document frequency
        # here and the posting list's place when it is read.
        self.infos: dict[tuple[str, bytes], W3TermInfo] = {}
        terms = getattr(reader, "_terms", None)
        self._terms = terms if type(terms) is W3TermsReader else None
        # sizes of queries by id, each with its query (kept alive, so that no other
        # takes its id): a word's Or stands in several places of a query
        self._of: dict[int, tuple[object, int]] = {}
        # plans of Ors and Ands of terms (which hold no matcher state) by query and
        # context ids, each with its query and context
        self.plans: dict[tuple[int, int], tuple[object, object, Node]] = {}

    def term(self, fieldname: str, btext: bytes) -> int:
        key = (fieldname, btext)
        n = self.df.get(key)
        if n is None:
            if self._terms is None:
                n = self.reader.doc_frequency(fieldname, btext)
            else:
                try:
                    info = self.infos[key] = self._terms.term_info(fieldname, btext)
                    n = info.doc_frequency()
                except TermNotFound:
                    n = 0
            self.df[key] = n
        return n

    def leaf(self, searcher, fieldname: str, btext: bytes, weighting) -> Leaf:
        key = (fieldname, btext)
        return Leaf(searcher, fieldname, btext, weighting, self.term(fieldname, btext), self.infos.get(key))

    def of(self, q) -> int:
        known = self._of.get(id(q))
        if known is not None:
            return known[1]
        n = self._estimate(q)
        self._of[id(q)] = (q, n)
        return n

    def _estimate(self, q) -> int:
        kind = type(q)
        if kind is wq.Term:
            btext = _term_bytes(q, self.reader.schema)
            return 0 if btext is None else self.term(q.fieldname, btext)
        if kind is wq.And:
            return min(self.of(c) for c in q.subqueries)
        if kind in (wq.Or, CoordOr):
            return min(sum(self.of(c) for c in q.subqueries), self.reader.doc_count())
        if kind is Weighted:
            return self.of(q.child)
        if kind is TermSet:
            return sum(self.term(q.fieldname, b) for b in q._btexts(self.reader))
        if kind in (wq.Phrase, PairPhrase) and q.words:  # as Whoosh's: the And of its words
            if q.fieldname not in self.reader.schema:
                return 0
            field, sizes = self.reader.schema[q.fieldname], []
            for word in q.words:
                try:
                    sizes.append(self.term(q.fieldname, field.to_bytes(word)))
                except ValueError:
                    sizes.append(0)
            return min(sizes)
        return q.estimate_size(self.reader)


def _weighting(searcher, context):
    """The weighting model a term is scored with (as ``Term.matcher`` and
    ``Searcher.postings`` choose it)."""
    return (context.weighting if context is not None else searcher.weighting) or searcher.weighting


def _term_bytes(q, schema) -> bytes | None:
    if q.fieldname not in schema:
        return None
    try:
        return schema[q.fieldname].to_bytes(q.text)
    except ValueError:
        return None


def plan(q, searcher, context, sizes: Sizes) -> Node:
    """The plan of ``q.matcher(searcher, context)`` in one segment."""
    if type(q) in (wq.Or, wq.And) and all(type(c) is wq.Term for c in q.subqueries):
        # A word's Or of terms stands in several places of a query: planned once. (Its
        # plan holds no matcher, which a second evaluation would find used up.)
        key = (id(q), id(context))
        known = sizes.plans.get(key)
        if known is None:
            known = sizes.plans[key] = (q, context, _plan_query(q, searcher, context, sizes))
        return known[2]
    return _plan_query(q, searcher, context, sizes)


def _plan_query(q, searcher, context, sizes: Sizes) -> Node:
    kind = type(q)
    if kind is wq.Term:
        btext = _term_bytes(q, searcher.schema)
        if btext is None or not sizes.term(q.fieldname, btext):
            return NULL
        weighting = _weighting(searcher, context)
        node = sizes.leaf(searcher, q.fieldname, btext, weighting)
        return Boost(node, q.boost) if q.boost != 1.0 else node
    if kind is Weighted:
        return plan(q.child, searcher, (context or searcher.context()).set(weighting=q.weighting), sizes)
    if kind in (wq.And, wq.Or, CoordOr):
        subs = q.subqueries
        if not subs:
            return NULL
        if len(subs) == 1:
            return plan(subs[0], searcher, context, sizes)
        if kind is CoordOr:
            return Coord([plan(c, searcher, context, sizes) for c in subs], q.exponent, q.boost)
        if kind is wq.Or:
            needs_current = context.needs_current if context else True
            if q.scale or q.minmatch or q.matcher_type not in (q.AUTO_MATCHER, q.DEFAULT_MATCHER):
                raise Unsupported(kind)
            small = needs_current or len(subs) == 2 or searcher.doc_count_all() > 5000
            if q.matcher_type == q.AUTO_MATCHER and not (len(subs) < q.TOO_MANY_CLAUSES and small):
                # Whoosh's PreloadedOr (small indexes): the children's scores times the
                # boost, added into an array in child order
                scored = context.weighting is not None if context else True
                return ArrayOr([plan(c, searcher, context, sizes) for c in subs], q.boost, scored)
            weight = sizes.of
            combine = Union
        else:
            weight = lambda c: 0 - sizes.of(c)  # noqa: E731 - as And._matcher weighs
            combine = Intersection
        # whoosh.util.make_weighted_tree: pair the two lightest, again and again. (A
        # term's weight is its plan's size: its document frequency, 0 if absent.)
        nodes = []
        for c in subs:
            node = plan(c, searcher, context, sizes)
            nodes.append((weight(c) if type(c) is not wq.Term else node.size if combine is Union else 0 - node.size,
                          node))
        nodes.sort()
        while len(nodes) > 1:
            (wa, a), (wb, b) = nodes.pop(0), nodes.pop(0)
            insort(nodes, (wa + wb, combine(a, b)))
        node = nodes[0][1]
        return Boost(node, q.boost) if q.boost != 1.0 else node
    if kind is wq.AndNot:
        return Without(plan(q.a, searcher, context, sizes), plan(q.b, searcher, searcher.boolean_context(), sizes))
    if kind is wq.NullQuery.__class__:
        return NULL
    if kind in (BoundedPrefix, BoundedFuzzyTerm, TermSet):
        return _plan_expansion(q, searcher, context, sizes)
    if kind is Readings:
        return plan(q.resolved(searcher), searcher, context, sizes)
    if kind is PairPhrase:
        return _plan_pairs(q, searcher, context, sizes)
    if kind is wq.Phrase:
        return _plan_phrase(q, searcher, context, sizes)
    if isinstance(q, SpanFirst) and type(q.q) is wq.Term and q.q.boost == 1.0:
        leaf = plan(q.q, searcher, context, sizes)
        if type(leaf) is Leaf and searcher.schema[leaf.fieldname].format.supports("positions"):
            return First(leaf, q.limit)
        if leaf is NULL:
            return First(None, q.limit)
    return WhooshPlan(q.matcher(searcher, context))


def _plan_expansion(q, searcher, context, sizes: Sizes) -> Node:
    """A prefix or fuzzy word or a :class:`TermSet`, planned as its matcher is built: its
    terms ORed together; a prefix's each with its own boost and scored by ``PRESENCE``
    (``BoundedPrefix.matcher``), the others' carrying its boost, unweighted in the
    context when constant-scored (``MultiTerm.matcher``)."""
    if type(q) is BoundedPrefix:
        terms = [wq.Term(q.fieldname, btext, boost=boost) for btext, boost in q.completions(searcher)]
        context = (context or searcher.context()).set(weighting=PRESENCE)
    else:
        terms = [wq.Term(q.fieldname, btext, boost=q.boost) for btext in q._btexts(searcher.reader()) if btext]
    if not terms:
        return NULL
    if len(terms) == 1:
        return plan(terms[0], searcher, context, sizes)
    if q.constantscore and type(q) is not BoundedPrefix:  # a prefix's completions are weighed
        context = context.set(weighting=None) if context else SearchContext(weighting=None)
    return plan(wq.Or(terms), searcher, context, sizes)


def _phrase_words(q, searcher, weighting, sizes: Sizes) -> list[Leaf] | None:
    """The phrase's words as leaves, or None when one is not in the segment (then
    Whoosh's phrase matchers match nothing)."""
    field = searcher.schema[q.fieldname]
    words = []
    for word in q.words:
        try:
            btext = field.to_bytes(word)
        except ValueError:
            return None
        if not sizes.term(q.fieldname, btext):
            return None
        words.append(sizes.leaf(searcher, q.fieldname, btext, weighting))
    return words


def _plan_phrase(q: wq.Phrase, searcher, context, sizes: Sizes) -> Node:
    """Whoosh's ``Phrase`` (its ``SpanNear2`` matcher: each word 1 to ``slop``
    positions after the one before), planned as its matcher is built."""
    schema = searcher.schema
    if q.fieldname not in schema:
        return NULL
    fmt = schema[q.fieldname].format
    if not fmt or not fmt.supports("positions") or len(q.words) < 2:
        return WhooshPlan(q.matcher(searcher, context))
    weighting = _weighting(searcher, context)
    words = _phrase_words(q, searcher, weighting, sizes)
    if words is None:
        return NULL
    from whoosh.query.spans import SpanNear2

    cls = WrappingMatcher if q.boost != 1.0 else SpanNear2.SpanNear2Matcher
    return PhrasePlan(words, q.boost, q.slop, positions=True, matcher_class=cls)


def _plan_pairs(q: PairPhrase, searcher, context, sizes: Sizes) -> Node:
    """A :class:`PairPhrase`, planned as its matcher is built."""
    schema = searcher.schema
    if q.slop != 1 or not q.pairs or q.pairfield not in schema or q.fieldname not in schema:
        return _plan_phrase(q, searcher, context, sizes)  # as PairPhrase.matcher: a Phrase
    weighting = _weighting(searcher, context)
    words = _phrase_words(q, searcher, weighting, sizes)
    if words is None:
        return NULL
    pairs = []
    for pair in q.pairs:
        btext = schema[q.pairfield].to_bytes(pair)
        if not sizes.term(q.pairfield, btext):
            return PhrasePlan([], q.boost, 1, False)  # no document holds the phrase
        pairs.append(sizes.leaf(searcher, q.pairfield, btext, weighting))
    # Two words in the view the pairs are made of: the pair term alone says that they
    # stand side by side. Otherwise their positions are checked.
    same_view = q.fieldname == field_name(field_of(q.pairfield), PAIR_VIEW)
    return PhrasePlan(words, q.boost, 1, positions=not (same_view and len(words) == 2), pairs=pairs)


def matcher_size(m) -> int:
    """A cheap estimate of how much ``m`` matches: bytes of postings."""
    kind = type(m)
    if kind is W3LeafMatcher:
        n = m._length  # a 1-tuple in whoosh3
        return n[0] if isinstance(n, tuple) else n
    if kind in (WrappingMatcher, FilterMatcher):
        return matcher_size(m.child)
    if kind is UnionMatcher:
        return matcher_size(m.a) + matcher_size(m.b)
    if kind is IntersectionMatcher:
        return min(matcher_size(m.a), matcher_size(m.b))
    if kind is ArrayUnionMatcher:
        return sum(matcher_size(c) for c in m._submatchers) + len(m._a)
    if kind is AndNotMatcher:
        return matcher_size(m.a)
    if kind is PairPhraseMatcher:
        return min(matcher_size(p) for p in m._pair_ms) if m._pair_ms else 0
    if kind is CoordMatcher:
        return sum(matcher_size(c) for c in m._subs)
    return 0

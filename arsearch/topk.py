"""Exact top-k for word queries, without stepping Whoosh's matcher tree doc by doc.

A word of an arsearch query is an ``Or`` of up to six boosted terms (three views ×
title and body), and a query of several words an ``And`` of those. Whoosh scores such a
tree one document at a time through a dozen method calls per node, and its matchers
already read postings while the tree is being built. :func:`top_docs` plans the very
same tree (the same shape, built by Whoosh's rules, so that sums keep their order)
without building it, reads each term's postings into numpy arrays (decoded once, then
kept in a bounded cache: :data:`POSTINGS_CACHE_BYTES`), and combines the scores
bottom-up, a whole posting list at a time, with the arithmetic of the node it replaces
(so the floats are the same bits: numpy's float64 ``+ - * /`` round as Python's floats
do):

- a term: BM25F of Whoosh's scorer for that term (``bm25()`` inlined, same operand
  order; or BM25+ of :mod:`arsearch.scoring`), the field length read as Whoosh's
  scorer reads it;
- ``WrappingMatcher`` (a boost): the child's score times the boost;
- ``UnionMatcher``: ``a + b`` where both match; ``IntersectionMatcher``: ``a + b``,
  the smaller side read first and the other only in the blocks that can hold its
  documents;
- ``ArrayUnionMatcher`` (Whoosh's ``Or`` on small indexes): the children's scores
  times the boost added in child order into a zero, documents scoring above zero
  (the part Whoosh summed when it built the matcher is taken from its array);
- ``AndNotMatcher``: the first child's documents without those Whoosh lists for the
  second;
- ``FilterMatcher`` (deleted documents): the child's documents outside the set;
- a word-pair phrase (:mod:`arsearch.phrases`): walked with its own matcher;
- the share-of-words factor of questions (:class:`arsearch.query.CoordOr`): the
  children's scores summed in child order, times the boost, times the factor of the
  number of children that match;
- a set of terms (:class:`arsearch.query.TermSet`, a question word's relatives): the
  ``Or`` of the boosted terms the segment holds, as Whoosh's ``MultiTerm`` builds it.

Any other node (such as Whoosh's coordination bonus, ``Or(scale=...)``, whose term count
Whoosh's collector changes as sub-matchers run out, so that a document's score depends
on when it is reached; arsearch's queries do not use it) makes :func:`top_docs` hand
the query to Whoosh's own search. The result is Whoosh's scoring of every match: the
``limit`` best documents by score, ties by document number. (Whoosh's own top-k search
prunes the tree as it goes and can miss or underscore a document: on 20,000 articles,
6 of 150 frequent single words got another top ten.)
"""

from __future__ import annotations

import functools
import itertools
import math
import threading
from bisect import bisect_right, insort
from collections import OrderedDict
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
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
from whoosh.scoring import BM25F, BM25FScorer, WeightingModel
from whoosh.searching import SearchContext
from whoosh.util.numeric import byte_to_length

from .analysis.pairs import PAIR_VIEW
from .codec.blocks import (
    ArsearchCodec,
    ArsearchLeafMatcher,
    CompactPositions,
    term_postings,
)
from .codec.lengths import length_bytes
from .query.expansion import PRESENCE, BoundedFuzzyTerm, BoundedPrefix, Presence
from .query.matchers import CoordMatcher, PairPhraseMatcher
from .query.nodes import CoordOr, PairPhrase, Readings, TermSet, Weighted
from .scoring import BM25Plus, BM25PlusScorer

__all__ = ["top_docs", "matching_docs", "best", "POSTINGS_CACHE_BYTES", "clear_postings_cache"]

#: Decoded posting lists (document numbers and term weights) are kept, least recently
#: used out first, up to this many bytes per process: a word's postings are unpickled
#: and decompressed once per segment, not at every query. 0 turns the cache off.
POSTINGS_CACHE_BYTES = 64 * 2**20

# Up to this many scores in all, unions and the top k run on Python floats: numpy's cost per
# call (about a microsecond) outweighs its speed on so few numbers. The bits are the
# same: Python's float and numpy's float64 are IEEE doubles, each operation rounded.
_FEW = 32
_PARTS_KEPT = 16  # length-part arrays per segment reader (fields × BM25 parameters)

# (document numbers, sorted and distinct; their scores)
Scored = tuple[np.ndarray, np.ndarray]
_NO_IDS = np.empty(0, dtype=np.int64)
_NO_SCORES = np.empty(0, dtype=np.float64)


class _Unsupported(Exception):
    """A matcher node this module does not evaluate: Whoosh searches instead."""


class _PostingsCache:
    """Least-recently-used decoded posting lists, by (segment, field, term), bounded in
    bytes. Segments never change once written (deletions are filtered above the
    postings), so an entry never goes stale. Thread-safe."""

    def __init__(self):
        self._entries: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[np.ndarray, np.ndarray] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: tuple[np.ndarray, np.ndarray]) -> None:
        size = entry[0].nbytes + entry[1].nbytes
        if size > POSTINGS_CACHE_BYTES:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > POSTINGS_CACHE_BYTES:
                _, (ids, weights) = self._entries.popitem(last=False)
                self._bytes -= ids.nbytes + weights.nbytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


_CACHE = _PostingsCache()
_STORAGES = itertools.count()


def _segment_key(reader) -> tuple:
    """A segment's key in the cache: its id within its storage. Whoosh draws segment ids
    from ``random``, which a seeded program (or a test framework) makes repeat across
    indexes, so the storage is named too: a number kept on its storage object (under a
    compound file's overlay, the storage beneath it)."""
    storage = reader._storage
    storage = getattr(storage, "b", storage)  # OverlayStorage(compound file, storage)
    token = storage.__dict__.get("_arsearch_cache_token")
    if token is None:
        token = storage.__dict__.setdefault("_arsearch_cache_token", next(_STORAGES))
    return token, reader._segid


def clear_postings_cache() -> None:
    """Empty the cache of decoded posting lists (see :data:`POSTINGS_CACHE_BYTES`)."""
    _CACHE.clear()


def top_docs(searcher, q, limit: int) -> list[tuple[int, float]]:
    """The top ``limit`` ``(docnum, score)`` of ``q``, as ``searcher.search`` ranks them."""
    try:
        parts = []
        context = searcher.context()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            ids, scores = _evaluate(_plan(q, sub, context, _Sizes(reader)), reader, None)
            parts.append((ids + offset if offset else ids, scores))
    except _Unsupported:
        return [(r.docnum, r.score) for r in searcher.search(q, limit=limit)]
    if not parts:
        return []
    if len(parts) == 1:
        ids, scores = parts[0]
    else:
        ids, scores = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    return best(ids, scores, limit)


# --- the plan: the matcher tree Whoosh would build, without building it ------------
# Whoosh's matchers read postings as they are made (an intersection steps its children
# to their first common document); a plan node only names what to read. Each node
# stands for the matcher Whoosh makes for that query, in the same tree shape, so that
# scores are added in the same order.
class _Node:
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


@functools.lru_cache(maxsize=None)
def _instance(cls):
    return cls.__new__(cls)  # never used but in comparisons, which read only the class


class _Null(_Node):
    pass


_NULL = _Null()


class _Leaf(_Node):
    def __init__(self, searcher, fieldname: str, btext: bytes, weighting, size: int, info: W3TermInfo | None = None):
        self.searcher, self.fieldname, self.btext, self.weighting, self.size = searcher, fieldname, btext, weighting, size
        self.info = info  # the term's info in a W3 segment, if read already
        # deleted documents are filtered out of every posting list
        self.matcher_class = FilterMatcher if searcher.reader().deleted_docs_set else W3LeafMatcher


class _Boost(_Node):
    matcher_class = WrappingMatcher

    def __init__(self, child: _Node, boost: float):
        self.child, self.boost, self.size = child, boost, child.size


class _Union(_Node):
    matcher_class = UnionMatcher

    def __init__(self, a: _Node, b: _Node):
        self.a, self.b, self.size = a, b, a.size + b.size


class _Intersection(_Node):
    matcher_class = IntersectionMatcher

    def __init__(self, a: _Node, b: _Node):
        self.a, self.b, self.size = a, b, min(a.size, b.size)


class _Without(_Node):
    matcher_class = AndNotMatcher

    def __init__(self, a: _Node, b: _Node):
        self.a, self.b, self.size = a, b, a.size


class _ArrayOr(_Node):
    matcher_class = ArrayUnionMatcher

    def __init__(self, subs: list[_Node], boost: float, scored: bool):
        self.subs, self.boost, self.scored, self.size = subs, boost, scored, sum(c.size for c in subs)


class _Coord(_Node):
    matcher_class = CoordMatcher

    def __init__(self, subs: list[_Node], exponent: float, boost: float):
        self.subs, self.exponent, self.boost, self.size = subs, exponent, boost, sum(c.size for c in subs)


class _Phrase(_Node):
    """A phrase: Whoosh's ``Phrase`` or a :class:`arsearch.phrases.PairPhrase`."""

    def __init__(self, words: list[_Leaf], boost: float, slop: int, positions: bool,
                 pairs: list[_Leaf] | None = None, matcher_class: type = PairPhraseMatcher):
        self.words, self.boost, self.slop = words, boost, slop
        self.positions = positions  # whether the words' positions must be checked
        self.pairs = pairs  # documents must hold every one of these word pairs
        self.matcher_class = matcher_class
        self.size = min(w.size for w in (pairs or words)) if words else 0


class _First(_Node):
    """Whoosh's ``SpanFirst`` of a term: documents where it stands within the first
    ``limit + 1`` positions, scored as the term."""

    def __init__(self, leaf: _Leaf | None, limit: int):
        self.leaf, self.limit, self.size = leaf, limit, leaf.size if leaf is not None else 0
        self.matcher_class = SpanFirst.SpanFirstMatcher


class _Whoosh(_Node):
    """A subtree left to Whoosh's own matcher (evaluated by :func:`_scores`)."""

    def __init__(self, matcher):
        self.matcher, self.size, self.matcher_class = matcher, _size(matcher), type(matcher)


class _Sizes:
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
        self.plans: dict[tuple[int, int], tuple[object, object, _Node]] = {}

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

    def leaf(self, searcher, fieldname: str, btext: bytes, weighting) -> _Leaf:
        key = (fieldname, btext)
        return _Leaf(searcher, fieldname, btext, weighting, self.term(fieldname, btext), self.infos.get(key))

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


def _plan(q, searcher, context, sizes: _Sizes) -> _Node:
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


def _plan_query(q, searcher, context, sizes: _Sizes) -> _Node:
    kind = type(q)
    if kind is wq.Term:
        btext = _term_bytes(q, searcher.schema)
        if btext is None or not sizes.term(q.fieldname, btext):
            return _NULL
        weighting = _weighting(searcher, context)
        node = sizes.leaf(searcher, q.fieldname, btext, weighting)
        return _Boost(node, q.boost) if q.boost != 1.0 else node
    if kind is Weighted:
        return _plan(q.child, searcher, (context or searcher.context()).set(weighting=q.weighting), sizes)
    if kind in (wq.And, wq.Or, CoordOr):
        subs = q.subqueries
        if not subs:
            return _NULL
        if len(subs) == 1:
            return _plan(subs[0], searcher, context, sizes)
        if kind is CoordOr:
            return _Coord([_plan(c, searcher, context, sizes) for c in subs], q.exponent, q.boost)
        if kind is wq.Or:
            needs_current = context.needs_current if context else True
            if q.scale or q.minmatch or q.matcher_type not in (q.AUTO_MATCHER, q.DEFAULT_MATCHER):
                raise _Unsupported(kind)
            if q.matcher_type == q.AUTO_MATCHER and not (len(subs) < q.TOO_MANY_CLAUSES and (needs_current or len(subs) == 2 or searcher.doc_count_all() > 5000)):
                # Whoosh's PreloadedOr (small indexes): the children's scores times the
                # boost, added into an array in child order
                scored = context.weighting is not None if context else True
                return _ArrayOr([_plan(c, searcher, context, sizes) for c in subs], q.boost, scored)
            weight = sizes.of
            combine = _Union
        else:
            weight = lambda c: 0 - sizes.of(c)  # noqa: E731 - as And._matcher weighs
            combine = _Intersection
        # whoosh.util.make_weighted_tree: pair the two lightest, again and again. (A
        # term's weight is its plan's size: its document frequency, 0 if absent.)
        nodes = []
        for c in subs:
            node = _plan(c, searcher, context, sizes)
            nodes.append((weight(c) if type(c) is not wq.Term else node.size if combine is _Union else 0 - node.size,
                          node))
        nodes.sort()
        while len(nodes) > 1:
            (wa, a), (wb, b) = nodes.pop(0), nodes.pop(0)
            insort(nodes, (wa + wb, combine(a, b)))
        node = nodes[0][1]
        return _Boost(node, q.boost) if q.boost != 1.0 else node
    if kind is wq.AndNot:
        return _Without(_plan(q.a, searcher, context, sizes), _plan(q.b, searcher, searcher.boolean_context(), sizes))
    if kind is wq.NullQuery.__class__:
        return _NULL
    if kind in (BoundedPrefix, BoundedFuzzyTerm, TermSet):
        return _plan_expansion(q, searcher, context, sizes)
    if kind is Readings:
        return _plan(q.resolved(searcher), searcher, context, sizes)
    if kind is PairPhrase:
        return _plan_pairs(q, searcher, context, sizes)
    if kind is wq.Phrase:
        return _plan_phrase(q, searcher, context, sizes)
    if isinstance(q, SpanFirst) and type(q.q) is wq.Term and q.q.boost == 1.0:
        leaf = _plan(q.q, searcher, context, sizes)
        if type(leaf) is _Leaf and searcher.schema[leaf.fieldname].format.supports("positions"):
            return _First(leaf, q.limit)
        if leaf is _NULL:
            return _First(None, q.limit)
    return _Whoosh(q.matcher(searcher, context))


def _plan_expansion(q, searcher, context, sizes: _Sizes) -> _Node:
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
        return _NULL
    if len(terms) == 1:
        return _plan(terms[0], searcher, context, sizes)
    if q.constantscore and type(q) is not BoundedPrefix:  # a prefix's completions are weighed
        context = context.set(weighting=None) if context else SearchContext(weighting=None)
    return _plan(wq.Or(terms), searcher, context, sizes)


def _phrase_words(q, searcher, weighting, sizes: _Sizes) -> list[_Leaf] | None:
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


def _plan_phrase(q: wq.Phrase, searcher, context, sizes: _Sizes) -> _Node:
    """Whoosh's ``Phrase`` (its ``SpanNear2`` matcher: each word 1 to ``slop``
    positions after the one before), planned as its matcher is built."""
    schema = searcher.schema
    if q.fieldname not in schema:
        return _NULL
    fmt = schema[q.fieldname].format
    if not fmt or not fmt.supports("positions") or len(q.words) < 2:
        return _Whoosh(q.matcher(searcher, context))
    weighting = _weighting(searcher, context)
    words = _phrase_words(q, searcher, weighting, sizes)
    if words is None:
        return _NULL
    from whoosh.query.spans import SpanNear2

    cls = WrappingMatcher if q.boost != 1.0 else SpanNear2.SpanNear2Matcher
    return _Phrase(words, q.boost, q.slop, positions=True, matcher_class=cls)


def _plan_pairs(q: PairPhrase, searcher, context, sizes: _Sizes) -> _Node:
    """A :class:`PairPhrase`, planned as its matcher is built."""
    schema = searcher.schema
    if q.slop != 1 or not q.pairs or q.pairfield not in schema or q.fieldname not in schema:
        return _plan_phrase(q, searcher, context, sizes)  # as PairPhrase.matcher: a Phrase
    weighting = _weighting(searcher, context)
    words = _phrase_words(q, searcher, weighting, sizes)
    if words is None:
        return _NULL
    pairs = []
    for pair in q.pairs:
        btext = schema[q.pairfield].to_bytes(pair)
        if not sizes.term(q.pairfield, btext):
            return _Phrase([], q.boost, 1, False)  # no document holds the phrase
        pairs.append(sizes.leaf(searcher, q.pairfield, btext, weighting))
    # Two words in the view the pairs are made of: the pair term alone says that they
    # stand side by side. Otherwise their positions are checked.
    same_view = q.fieldname == q.pairfield.rpartition("_")[0] + "_" + PAIR_VIEW
    return _Phrase(words, q.boost, 1, positions=not (same_view and len(words) == 2), pairs=pairs)


def _evaluate(node: _Node, reader, only: np.ndarray | None) -> Scored:
    kind = type(node)
    if kind is _Leaf:
        return _leaf_plan_scores(node, reader, only)
    if kind is _Boost:
        ids, scores = _evaluate(node.child, reader, only)
        return ids, scores * node.boost
    if kind is _Union:
        return _union_tree(node, reader, only)
    if kind is _Intersection:
        a, b = node.a, node.b
        if a.size <= b.size:
            ia, sa = _evaluate(a, reader, only)
            ib, sb = _evaluate(b, reader, ia) if len(ia) else (_NO_IDS, _NO_SCORES)
            ja = _positions_in(ia, ib)
            if ja is not None:  # b read within a's documents
                return ib, sa[ja] + sb
        else:
            ib, sb = _evaluate(b, reader, only)
            ia, sa = _evaluate(a, reader, ib) if len(ib) else (_NO_IDS, _NO_SCORES)
            jb = _positions_in(ib, ia)
            if jb is not None:
                return ia, sa + sb[jb]
        ids, ja, jb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        return ids, sa[ja] + sb[jb]
    if kind is _Without:
        ids, scores = _evaluate(node.a, reader, only)
        if len(ids):
            b = node.b
            if type(b) is _Whoosh:  # e.g. an unscored array: its documents are enough
                m = b.matcher
                excluded = np.fromiter(m.all_ids(), dtype=np.int64) if m.is_active() else _NO_IDS
            else:
                excluded, _ = _evaluate(b, reader, ids)
            keep = ~np.isin(ids, excluded)
            ids, scores = ids[keep], scores[keep]
        return ids, scores
    if kind is _Coord:
        parts = [_evaluate(c, reader, only) for c in node.subs]
        return _coordinated(parts, node.exponent, node.boost)
    if kind is _Phrase:
        return _phrase_scores(node, reader, only)
    if kind is _First:
        return _first_scores(node, reader, only)
    if kind is _ArrayOr:
        ids, scores = _union([_evaluate(c, reader, only) for c in node.subs], boost=node.boost)
        if not node.scored:  # constant-scored (a fuzzy word): each match is 1
            return ids, np.ones(len(ids))
        keep = scores > 0  # the array holds the documents scoring above zero
        return ids[keep], scores[keep]
    if kind is _Null:
        return _NO_IDS, _NO_SCORES
    if kind is _Whoosh:
        return _scores(node.matcher, reader, only)
    raise TypeError(kind)


class _BM25(NamedTuple):
    """What :func:`_term_scores` reads of a ``BM25FScorer`` (or ``BM25PlusScorer``), as
    its initializer sets it."""

    idf: float
    avgfl: float
    B: float
    K1: float
    delta: float = 0.0  # BM25+'s lower bound (0: BM25)


#: The weighting models and scorers whose scores :func:`_term_scores` computes itself.
_BM25_MODELS = (BM25F, BM25Plus)
_BM25_SCORERS = (BM25FScorer, BM25PlusScorer)


def _bm25_params(node: _Leaf) -> _BM25 | None:
    """The BM25F scorer's figures for the leaf's term, without the scorer's setup (which
    looks the term up again for block quality, which the plan does not use); None unless
    Whoosh would score it with ``BM25FScorer`` (or arsearch's ``BM25PlusScorer``)."""
    weighting, searcher, fieldname = node.weighting, node.searcher, node.fieldname
    if type(weighting) not in _BM25_MODELS or not searcher.schema[fieldname].scorable:
        return None
    parent = searcher.get_parent()
    B = weighting._field_B.get(fieldname, weighting.B)
    return _BM25(_idf(parent, node), parent.avg_field_length(fieldname) or 1, B, weighting.K1,
                 getattr(weighting, "delta", 0.0))


def _idf(parent, node: _Leaf) -> float:
    """``parent.idf`` of the leaf's term (and cached there as it caches it). In an index
    of one segment, from the term info the plan read, rather than a second look-up."""
    key = (node.fieldname, node.btext)
    idf = parent._idf_cache.get(key)
    if idf is None:
        info = node.info
        if info is None or type(parent.weighting).idf is not WeightingModel.idf or parent.reader() is not node.searcher.reader():
            return parent.idf(node.fieldname, node.btext)
        # WeightingModel.idf, with the segment's document frequency as the index's
        idf = parent._idf_cache[key] = math.log(parent.doc_count_all() / (info.doc_frequency() + 1)) + 1
    return idf


def _leaf_plan_scores(node: _Leaf, reader, only: np.ndarray | None) -> Scored:
    searcher, fieldname, btext = node.searcher, node.fieldname, node.btext
    if type(node.weighting) is Presence:  # a prefix's completion: 1 in each document
        ids, _ = _posting_arrays(reader, fieldname, btext, only, node.info)
        return ids, np.ones(len(ids))
    params = _bm25_params(node)
    lengths = _field_lengths(reader, fieldname) if params is not None else None
    if lengths is None:
        scorer = node.weighting.scorer(searcher, fieldname, btext)
        return _scores(reader.postings(fieldname, btext, scorer=scorer), reader, only)
    ids, tf = _posting_arrays(reader, fieldname, btext, only, node.info)
    return ids, _term_scores(reader, fieldname, params, lengths, ids, tf)


def _term_scores(reader, fieldname: str, sc: BM25FScorer | BM25PlusScorer | _BM25, lengths: np.ndarray,
                 ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
    """``whoosh.scoring.bm25`` of a term's documents ``ids`` (weights ``tf``) in one
    segment, operation for operation, in two parts: BM25's length part of every
    document (from its length byte in ``lengths``, through a table of the 256), kept per
    segment reader, field and parameters; then the term's part (plus BM25+'s
    ``delta × idf``, as :class:`arsearch.scoring.BM25PlusScorer` adds it)."""
    idf, avgfl, B, K1 = sc.idf, sc.avgfl, sc.B, sc.K1
    cache = reader._perdoc.__dict__.setdefault("_arsearch_length_parts", {})
    key = (fieldname, avgfl, B, K1)
    parts = cache.get(key)
    if parts is None:
        if len(cache) >= _PARTS_KEPT:
            cache.clear()
        parts = cache[key] = (K1 * ((1 - B) + B * _LENGTH_OF_BYTE / avgfl))[lengths]
    scores = idf * ((tf * (K1 + 1)) / (tf + parts[ids]))
    delta = getattr(sc, "delta", 0.0)
    if delta:
        scores += delta * idf
    return scores


def _posting_arrays(reader, fieldname: str, btext: bytes, only: np.ndarray | None,
                    info: W3TermInfo | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A term's documents (not deleted; of ``only``, if given) and weights in one segment
    (``info``: its term info, when the plan has read it)."""
    key = (_segment_key(reader), (fieldname, btext))
    entry = _CACHE.get(key) if POSTINGS_CACHE_BYTES else None
    if entry is None:
        entry = _read_postings(reader, fieldname, btext, None if POSTINGS_CACHE_BYTES else only, info)
        if POSTINGS_CACHE_BYTES:
            _CACHE.put(key, entry)
    ids, tf = entry
    ids, tf = _kept(reader, ids, tf, only)
    return ids, tf


def _read_postings(reader, fieldname: str, btext: bytes, only: np.ndarray | None,
                   info: W3TermInfo | None) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings in one segment (with ``only``: at least the blocks holding
    those documents)."""
    terms = reader._terms
    if info is None:
        info = terms.term_info(fieldname, btext)
    if only is None and type(getattr(terms, "_codec", None)) is ArsearchCodec and not info.is_inlined():
        return term_postings(terms._postfile, info)  # arsearch's blocks, all at once
    fmt = reader.schema[fieldname].format
    m = terms._codec.postings_reader(terms._postfile, info, fmt, term=(fieldname, btext))
    return _read_blocks(m, only)


def _phrase_scores(node: _Phrase, reader, only: np.ndarray | None) -> Scored:
    # Candidates: the documents holding every word pair, or else every word. Each
    # scores as Whoosh's phrase matchers score: its words' scores added as a binary
    # tree of intersections, times the boost.
    if not node.words:
        return _NO_IDS, _NO_SCORES
    candidates = only
    for leaf in sorted(node.pairs or node.words, key=lambda p: p.size):
        candidates, _ = _posting_arrays(reader, leaf.fieldname, leaf.btext, candidates)
        if not len(candidates):
            return _NO_IDS, _NO_SCORES
    if node.positions:
        if node.pairs:  # first the documents holding every word, from their postings
            for leaf in sorted(node.words, key=lambda w: w.size):
                candidates, _ = _posting_arrays(reader, leaf.fieldname, leaf.btext, candidates)
                if not len(candidates):
                    return _NO_IDS, _NO_SCORES
        candidates = _near(reader, node.words, node.slop, candidates)
        if not len(candidates):
            return _NO_IDS, _NO_SCORES
    ids, scores = _word_tree([_leaf_plan_scores(w, reader, candidates) for w in node.words])
    return ids, scores * node.boost if node.boost != 1.0 else scores


def _word_tree(parts: list[Scored]) -> Scored:
    """whoosh.util.make_binary_tree of intersections over ``parts``."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    (ia, sa), (ib, sb) = _word_tree(parts[:half]), _word_tree(parts[half:])
    ids, ja, jb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return ids, sa[ja] + sb[jb]


def _near(reader, words: list[_Leaf], slop: int, docs: np.ndarray) -> np.ndarray:
    """The documents of ``docs`` where each word stands 1 to ``slop`` positions after
    the one before (Whoosh's ``SpanNear2`` with ``ordered=True, mindist=1``)."""
    found = [_positions(reader, w.fieldname, w.btext, docs) for w in words]
    keep = []
    for d in docs.tolist():
        ends = found[0].get(d)
        for f in found[1:]:
            if not ends:
                break
            positions = f.get(d) or ()
            ends = {p for p in positions if any(1 <= p - e <= slop for e in ends)} if slop > 1 else {
                p for p in positions if p - 1 in ends}
        if ends:
            keep.append(d)
    return np.array(keep, dtype=np.int64)


def _positions(reader, fieldname: str, btext: bytes, docs: np.ndarray) -> dict[int, list[int]]:
    """A term's positions in each of ``docs`` that holds it."""
    return {d: positions for d, _, positions in _position_postings(reader, fieldname, btext, docs.tolist())}


def _position_postings(reader, fieldname: str, btext: bytes, wanted: list[int] | None = None):
    """``(document, weight, positions)`` of a term's postings, of the sorted ``wanted``
    documents only if given (blocks holding none of them are not read)."""
    fmt = reader.schema[fieldname].format
    m = reader._terms.matcher(fieldname, btext, fmt)
    wanted_set = set(wanted) if wanted is not None else None
    if type(m) is ArsearchLeafMatcher and type(fmt) is CompactPositions:
        for _ in _blocks_holding(m, wanted):  # a block's positions decoded as one array
            ids, starts, positions = m.block_positions()
            weights = m.block_arrays()[1].tolist()
            i = m._i
            ids_l, starts_l = ids.tolist(), starts.tolist()
            for k in range(i, len(ids_l)):
                d = ids_l[k]
                if wanted_set is None or d in wanted_set:
                    yield d, weights[k - i], positions[starts_l[k] : starts_l[k + 1]].tolist()
        return
    if not isinstance(m, W3LeafMatcher):  # postings of another codec: step through them
        while m.is_active():
            if wanted_set is None or m.id() in wanted_set:
                yield m.id(), m.weight(), m.value_as("positions")
            m.next()
        return
    decode = fmt.decoder("positions")
    for _ in _blocks_holding(m, wanted):
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        if m._values is None:
            m._read_values()
        for d, weight, value in zip(m._ids, m._weights, m._values):
            if wanted_set is None or d in wanted_set:
                yield d, weight, decode(value)


def _blocks_holding(m: W3LeafMatcher, wanted: list[int] | None) -> Iterator[W3LeafMatcher]:
    """Stops at each of ``m``'s blocks that can hold one of the sorted ``wanted`` (every
    block if None) for the caller to read, then moves on; the others are skipped unread."""
    w = 0
    while m.is_active():
        if wanted is not None:
            if w == len(wanted):
                return
            if wanted[w] > m._maxid:
                m._next_block()
                continue
            w = bisect_right(wanted, m._maxid, w)
        yield m
        m._i = m._blocklength
        m._next_block()


def _first_scores(node: _First, reader, only: np.ndarray | None) -> Scored:
    leaf = node.leaf
    if leaf is None:
        return _NO_IDS, _NO_SCORES
    scorer = leaf.weighting.scorer(leaf.searcher, leaf.fieldname, leaf.btext)
    lengths = _field_lengths(reader, leaf.fieldname) if type(scorer) in _BM25_SCORERS else None
    if lengths is None:
        raise _Unsupported(type(scorer))
    # The documents (and weights) where the term stands early, read once and cached.
    key = (_segment_key(reader), (leaf.fieldname, leaf.btext), "first", node.limit)
    entry = _CACHE.get(key) if POSTINGS_CACHE_BYTES else None
    if entry is None:
        ids: list[int] = []
        weights: list[float] = []
        for d, weight, positions in _position_postings(reader, leaf.fieldname, leaf.btext):
            if min(positions) <= node.limit:
                ids.append(d)
                weights.append(weight)
        entry = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
        if POSTINGS_CACHE_BYTES:
            _CACHE.put(key, entry)
    ids, tf = entry
    ids, tf = _kept(reader, ids, tf, only)
    return ids, _term_scores(reader, leaf.fieldname, scorer, lengths, ids, tf)


def _kept(reader, ids: np.ndarray, tf: np.ndarray, only: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Postings of a segment without its deleted documents (and of ``only``'s, if given)."""
    deleted = _deleted(reader)
    if only is None and deleted is None:
        return ids, tf
    if only is not None and 4 * len(only) < len(ids):  # look up the few wanted instead
        at = np.searchsorted(ids, only)
        np.minimum(at, len(ids) - 1, out=at)
        at = at[ids[at] == only]
        ids, tf = ids[at], tf[at]
        only = None
        if deleted is None:
            return ids, tf
    keep = np.ones(len(ids), dtype=bool) if only is None else _within(ids, only)
    if deleted is not None:
        keep &= ~_within(ids, deleted)
    return ids[keep], tf[keep]


def _positions_in(ids: np.ndarray, some: np.ndarray) -> np.ndarray | None:
    """Where each of ``some`` stands in ``ids`` (both sorted and distinct), or None if
    one is not there."""
    if not len(some):
        return _NO_IDS
    at = np.searchsorted(ids, some)
    if at[-1] < len(ids) and np.array_equal(ids[at], some):
        return at
    return None


def _within(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of the sorted ``ids`` are in the sorted, distinct ``wanted``: ``np.isin``,
    by binary search (``np.isin`` costs ten times more on a few ids)."""
    if not len(wanted):
        return np.zeros(len(ids), dtype=bool)
    at = np.searchsorted(wanted, ids)
    np.minimum(at, len(wanted) - 1, out=at)
    return wanted[at] == ids


def _deleted(reader) -> np.ndarray | None:
    """The segment's deleted documents, sorted (read once per reader), or None."""
    cache = reader.__dict__
    if "_arsearch_deleted" not in cache:
        deleted = reader.deleted_docs_set
        cache["_arsearch_deleted"] = np.array(sorted(deleted), dtype=np.int64) if deleted else None
    return cache["_arsearch_deleted"]


def _coordinated(parts: list[Scored], exponent: float, boost: float) -> Scored:
    """:class:`arsearch.query.CoordOr`: the parts' scores summed in order, times the
    boost, times (parts matched / parts) ** exponent."""
    ids, total = _union(parts, boost=1.0)
    matched = np.zeros(len(ids), dtype=np.int64)
    for pids, _ in parts:
        matched[np.searchsorted(ids, pids)] += 1
    n = len(parts)
    factors = np.array([(k / n) ** exponent for k in range(n + 1)])
    return ids, total * boost * factors[matched]


def matching_docs(searcher, q) -> set[int]:
    """The documents ``q`` matches (``searcher.docs_for_query``, from the plan)."""
    try:
        found: set[int] = set()
        context = searcher.context()
        for sub, offset in searcher.leaf_searchers():
            ids, _ = _evaluate(_plan(q, sub, context, _Sizes(sub.reader())), sub.reader(), None)
            found.update((ids + offset).tolist())
        return found
    except _Unsupported:
        return set(searcher.docs_for_query(q))


def best(ids: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best ``(id, score)``: highest score first, ties by smaller id."""
    if len(scores) <= _FEW:
        ranked = sorted(zip((-scores).tolist(), ids.tolist()))[:limit]
        return [(d, -s) for s, d in ranked]
    if len(scores) > limit:
        cut = len(scores) - limit
        kth = np.partition(scores, cut)[cut]  # the limit-th highest score
        keep = scores >= kth
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:limit]
    return list(zip(ids[order].tolist(), scores[order].tolist()))


def _scores(m, reader, only: np.ndarray | None = None) -> Scored:
    """The documents ``m`` matches (of those in the sorted array ``only``, if given)
    and their scores."""
    kind = type(m)
    if kind is W3LeafMatcher:
        return _leaf_scores(m, reader, only)
    if kind is WrappingMatcher:
        ids, scores = _scores(m.child, reader, only)
        return ids, scores * m.boost
    if kind is UnionMatcher:
        return _union([_scores(m.a, reader, only), _scores(m.b, reader, only)])
    if kind is IntersectionMatcher:
        # The smaller side first; the other is then read for its documents only.
        if _size(m.a) <= _size(m.b):
            ia, sa = _scores(m.a, reader, only)
            ib, sb = _scores(m.b, reader, ia) if len(ia) else (_NO_IDS, _NO_SCORES)
        else:
            ib, sb = _scores(m.b, reader, only)
            ia, sa = _scores(m.a, reader, ib) if len(ib) else (_NO_IDS, _NO_SCORES)
        ids, ja, jb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        return ids, sa[ja] + sb[jb]
    if kind is ArrayUnionMatcher:
        return _array_union_scores(m, reader, only)
    if kind is AndNotMatcher:
        ids, scores = _scores(m.a, reader, only)
        if len(ids) and m.b.is_active():
            keep = ~np.isin(ids, np.fromiter(m.b.all_ids(), dtype=np.int64))
            ids, scores = ids[keep], scores[keep]
        return ids, scores
    if kind is FilterMatcher:
        ids, scores = _scores(m.child, reader, only)
        allowed, exclude = m._ids, m._exclude
        keep = np.fromiter((d in allowed for d in ids.tolist()), dtype=bool, count=len(ids)) != exclude
        return ids[keep], scores[keep] * m.boost
    if kind is NullMatcherClass:
        return _NO_IDS, _NO_SCORES
    if kind is PairPhraseMatcher:
        return _stepped_scores(m, only)
    if kind is CoordMatcher:
        return _coord_scores(m, reader, only)
    raise _Unsupported(kind)


def _union(parts: list[Scored], boost: float | None = None) -> Scored:
    """Documents of any part; a document's scores added in part order (times ``boost``
    each, if given) into a zero, as Whoosh's unions add them."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _NO_IDS, _NO_SCORES
    if len(parts) == 1 and boost is None:
        return parts[0]
    if sum(len(p[0]) for p in parts) <= _FEW:
        total: dict[int, float] = {}
        for pids, pscores in parts:
            for d, s in zip(pids.tolist(), pscores.tolist()):
                total[d] = total.get(d, 0.0) + (s if boost is None else s * boost)
        return _arrays(total)
    ids = parts[0][0] if len(parts) == 1 else _distinct([p[0] for p in parts])
    total = np.zeros(len(ids))
    for pids, pscores in parts:
        total[np.searchsorted(ids, pids)] += pscores if boost is None else pscores * boost
    return ids, total


def _union_tree(node: _Union, reader, only: np.ndarray | None) -> Scored:
    """A tree of unions and boosts (a word: the ``Or`` of its boosted terms), over the
    documents of all its operands at once rather than one union at a time.

    The operands (the nodes below that are neither a union nor a boost) are evaluated
    once each, and their documents merged once. Each operand's scores are laid over
    those documents, 0.0 where it does not match, and the tree's arithmetic runs
    elementwise in the tree's order: a union adds, a boost multiplies. The bits are
    those of the unions taken pair by pair (``a + b`` where both sides match, the
    matching side's score elsewhere, and ``_union``'s ``0.0 + a + b``), since
    ``x + 0.0 == 0.0 + x == x`` for every nonzero ``x``, and ``0.0 * boost == 0.0``
    for a finite boost (a boost that is not is taken as an operand).
    """
    operands: list[Scored] = []
    _operands(node, reader, only, operands)
    present = [p for p in operands if len(p[0])]
    if not present:
        return _NO_IDS, _NO_SCORES
    if len(present) == 1:
        ids = present[0][0]
    elif sum(len(p[0]) for p in present) <= _FEW:  # pair by pair, on Python floats
        merged = _merged(node, iter([dict(zip(i.tolist(), s.tolist())) if len(i) else None for i, s in operands]))
        return _arrays(merged)
    else:
        ids = _distinct([p[0] for p in present])
    return ids, _laid(node, iter(operands), ids)


def _operands(node: _Node, reader, only: np.ndarray | None, out: list[Scored]) -> None:
    """The scores of a tree of unions and boosts' operands, in the tree's order."""
    kind = type(node)
    if kind is _Union:
        _operands(node.a, reader, only, out)
        _operands(node.b, reader, only, out)
    elif kind is _Boost and math.isfinite(node.boost):
        _operands(node.child, reader, only, out)
    else:
        out.append(_evaluate(node, reader, only))


def _laid(node: _Node, operands: Iterator[Scored], ids: np.ndarray) -> np.ndarray | None:
    """A tree of unions and boosts' scores over all its operands' ``ids``, 0.0 where
    no operand matches (None when none below ``node`` matches at all)."""
    kind = type(node)
    if kind is _Union:
        a, b = _laid(node.a, operands, ids), _laid(node.b, operands, ids)
        return b if a is None else a if b is None else a + b
    if kind is _Boost and math.isfinite(node.boost):
        a = _laid(node.child, operands, ids)
        return None if a is None else a * node.boost
    pids, pscores = next(operands)
    if not len(pids):
        return None
    if len(pids) == len(ids):  # the operand matches every document
        return pscores
    laid = np.zeros(len(ids))
    laid[np.searchsorted(ids, pids)] = pscores
    return laid


def _merged(node: _Node, operands: Iterator[dict[int, float] | None]) -> dict[int, float] | None:
    """:func:`_laid` on few documents: the tree's unions and boosts evaluated on
    dictionaries of scores by document (None: no operand below matches)."""
    kind = type(node)
    if kind is _Union:
        a, b = _merged(node.a, operands), _merged(node.b, operands)
        if a is None or b is None:
            return b if a is None else a
        for d, s in b.items():
            a[d] = a[d] + s if d in a else s
        return a
    if kind is _Boost and math.isfinite(node.boost):
        a = _merged(node.child, operands)
        return None if a is None else {d: s * node.boost for d, s in a.items()}
    return next(operands)


def _arrays(scores: dict[int, float]) -> Scored:
    """Scores by document as arrays, by document number."""
    ids = sorted(scores)
    return np.array(ids, dtype=np.int64), np.array([scores[d] for d in ids], dtype=np.float64)


def _distinct(id_arrays: list[np.ndarray]) -> np.ndarray:
    """The distinct ids of the arrays, sorted: ``np.unique`` of their concatenation,
    which hashes and is ten times slower than a mask over the ids' range, or a sort."""
    n = sum(len(a) for a in id_arrays)
    top = max(int(a.max()) for a in id_arrays) + 1
    if top <= 16 * n:  # dense: a mask costs little more than the ids themselves
        mask = np.zeros(top, dtype=bool)
        for a in id_arrays:
            mask[a] = True
        return np.flatnonzero(mask).astype(np.int64, copy=False)
    ids = np.sort(np.concatenate(id_arrays))
    keep = np.empty(len(ids), dtype=bool)
    keep[0] = True
    np.not_equal(ids[1:], ids[:-1], out=keep[1:])
    return ids[keep]


def _array_union_scores(m: ArrayUnionMatcher, reader, only: np.ndarray | None) -> Scored:
    if not m._scored:
        raise _Unsupported(type(m))
    # Whoosh has already summed the first part of the documents into its array (and
    # moved the children past it): take those sums, add up the rest.
    done_ids, done_scores = _NO_IDS, _NO_SCORES
    if m.is_active():
        offset, start, stop = m._offset, max(m._docnum, m._offset), m._limit
        sums = np.frombuffer(m._a, dtype=np.float64)[start - offset : stop - offset]
        keep = sums > 0
        done_ids, done_scores = np.arange(start, stop, dtype=np.int64)[keep], sums[keep].copy()
        if only is not None:
            keep = np.isin(done_ids, only, assume_unique=True)
            done_ids, done_scores = done_ids[keep], done_scores[keep]
    # Its children have been moved past the summed part: not fresh.
    ids, scores = _union([_scores(c, reader, only) for c in m._submatchers], boost=m._boost)
    keep = scores > 0
    ids, scores = ids[keep], scores[keep]
    if len(done_ids):
        # the rest lies past the summed part; a document in both keeps the later sum
        keep = ~np.isin(done_ids, ids, assume_unique=True)
        ids = np.concatenate([done_ids[keep], ids])
        scores = np.concatenate([done_scores[keep], scores])
        order = np.argsort(ids, kind="stable")
        ids, scores = ids[order], scores[order]
    return ids, scores


def _coord_scores(m: CoordMatcher, reader, only: np.ndarray | None) -> Scored:
    parts = [_scores(c, reader, only) if c.is_active() else (_NO_IDS, _NO_SCORES) for c in m._subs]
    return _coordinated(parts, m._exponent, m._boost)


def _stepped_scores(m, only: np.ndarray | None) -> Scored:
    """Scores of a matcher walked with its own ``next``/``skip_to``."""
    ids: list[int] = []
    scores: list[float] = []
    if only is None:
        while m.is_active():
            ids.append(m.id())
            scores.append(m.score())
            m.next()
    else:
        for d in only.tolist():
            if not m.is_active():
                break
            m.skip_to(d)
            if m.is_active() and m.id() == d:
                ids.append(d)
                scores.append(m.score())
    return np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64)


def _size(m) -> int:
    """A cheap estimate of how much ``m`` matches: bytes of postings."""
    kind = type(m)
    if kind is W3LeafMatcher:
        n = m._length  # a 1-tuple in whoosh3
        return n[0] if isinstance(n, tuple) else n
    if kind in (WrappingMatcher, FilterMatcher):
        return _size(m.child)
    if kind is UnionMatcher:
        return _size(m.a) + _size(m.b)
    if kind is IntersectionMatcher:
        return min(_size(m.a), _size(m.b))
    if kind is ArrayUnionMatcher:
        return sum(_size(c) for c in m._submatchers) + len(m._a)
    if kind is AndNotMatcher:
        return _size(m.a)
    if kind is PairPhraseMatcher:
        return min(_size(p) for p in m._pair_ms) if m._pair_ms else 0
    if kind is CoordMatcher:
        return sum(_size(c) for c in m._subs)
    return 0


#: A field length's value by its byte (Whoosh's ``length_to_byte`` code), decoded as
#: Whoosh's ``doc_field_length`` decodes it.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def _field_lengths(reader, fieldname: str) -> np.ndarray | None:
    """Every document's length byte of ``fieldname`` in one segment (a byte a document,
    decoded by ``_LENGTH_OF_BYTE``); read once per segment reader and field."""
    try:
        perdoc = reader._perdoc
        cache = perdoc.__dict__.setdefault("_arsearch_lengths", {})
        if fieldname not in cache:
            raw = length_bytes(perdoc, fieldname)
            cache[fieldname] = None if raw is None else np.frombuffer(raw, dtype=np.uint8)
        return cache[fieldname]
    except AttributeError:  # not a W3 segment reader
        return None


def _block(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """The current block's remaining document numbers and term weights."""
    if type(m) is ArsearchLeafMatcher:
        return m.block_arrays()
    if m._ids is not None:
        ids = np.array(m._ids, dtype=np.int64)
    else:
        if m._data is None:
            m._read_data()
        ids = np.array(m._data[0], dtype=np.int64)
        if not m._byteids:
            ids = np.cumsum(ids)  # the block stores gaps
    if m._weights is not None:
        weights = np.array(m._weights, dtype=np.float64)
    else:
        if m._data is None:
            m._read_data()
        raw = m._data[1]
        if raw is None or isinstance(raw, float):
            weights = np.full(len(ids), 1.0 if raw is None else raw)
        else:
            weights = np.array(raw, dtype=np.float64)
    i = m._i
    return (ids[i:], weights[i:]) if i else (ids, weights)


def _read_blocks(m: W3LeafMatcher, only: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Read ``m``'s postings to the end, skipping blocks that hold none of ``only``."""
    id_blocks, weight_blocks = [], []
    w = 0  # only[w:] are the wanted documents not passed yet
    while m.is_active():
        if only is not None:
            if w == len(only):
                break
            if only[w] > m._maxid:  # no wanted document in this block: skip it unread
                m._next_block()
                continue
            w = int(np.searchsorted(only, m._maxid, side="right"))
        ids, weights = _block(m)
        id_blocks.append(ids)
        weight_blocks.append(weights)
        m._i = m._blocklength
        m._next_block()
    if not id_blocks:
        return _NO_IDS, _NO_SCORES
    ids = id_blocks[0] if len(id_blocks) == 1 else np.concatenate(id_blocks)
    tf = weight_blocks[0] if len(weight_blocks) == 1 else np.concatenate(weight_blocks)
    if only is not None:
        keep = _within(ids, only)
        ids, tf = ids[keep], tf[keep]
    return ids, tf


def _leaf_scores(m: W3LeafMatcher, reader, only: np.ndarray | None) -> Scored:
    sc = m.scorer
    term = m.term()
    lengths = _field_lengths(reader, term[0]) if type(sc) in _BM25_SCORERS and term else None
    if lengths is None:
        # any other scorer or reader: ask the scorer, posting by posting
        wanted = None if only is None else set(only.tolist())
        ids: list[int] = []
        scores: list[float] = []
        while m.is_active():
            if wanted is None or m.id() in wanted:
                ids.append(m.id())
                scores.append(m.score())
            m.next()
        return np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64)
    ids, tf = _read_blocks(m, only)
    return ids, _term_scores(reader, term[0], sc, lengths, ids, tf)

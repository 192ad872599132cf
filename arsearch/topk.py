"""Exact top-k for word queries, without stepping Whoosh's matcher tree doc by doc.

A word of an arsearch query is an ``Or`` of up to six boosted terms (three views ×
title and body), and a query of several words an ``And`` of those. Whoosh scores such a
tree one document at a time through a dozen method calls per node. :func:`top_docs`
builds the very same matcher tree, then reads each term's postings block by block into
numpy arrays and combines the scores bottom-up, node by node, a whole posting list at
a time, with the arithmetic of the node it replaces (so the floats are the same bits:
numpy's float64 ``+ - * /`` round as Python's floats do, and sums keep their order):

- a term: BM25F of Whoosh's scorer for that term (``bm25()`` inlined, same operand
  order), the field length read as Whoosh's scorer reads it;
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
  number of children that match.

Any other node (a phrase with a stopword inside; the coordination bonus of a name in
``mode="any"``, whose term count Whoosh's collector changes as sub-matchers run out, so
that a document's score depends on when it is reached) makes :func:`top_docs` hand the
query to Whoosh's own search. The result is Whoosh's scoring of every match: the
``limit`` best documents by score, ties by document number. (Whoosh's own top-k search
prunes the tree as it goes and can miss or underscore a document: on 20,000 articles,
6 of 150 frequent single words got another top ten.)
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching import (
    AndNotMatcher,
    ArrayUnionMatcher,
    FilterMatcher,
    IntersectionMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

from .phrases import _PairPhraseMatcher
from .query import _CoordMatcher

__all__ = ["top_docs", "best", "POSTINGS_CACHE_BYTES", "clear_postings_cache"]

#: Decoded posting lists (document numbers and term weights) are kept, least recently
#: used out first, up to this many bytes per process: a word's postings are unpickled
#: and decompressed once per segment, not at every query. 0 turns the cache off.
POSTINGS_CACHE_BYTES = 64 * 2**20

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


def clear_postings_cache() -> None:
    """Empty the cache of decoded posting lists (see :data:`POSTINGS_CACHE_BYTES`)."""
    _CACHE.clear()


def top_docs(searcher, q, limit: int) -> list[tuple[int, float]]:
    """The top ``limit`` ``(docnum, score)`` of ``q``, as ``searcher.search`` ranks them."""
    try:
        parts = []
        context = searcher.context()
        for sub, offset in searcher.leaf_searchers():
            ids, scores = _scores(q.matcher(sub, context), sub.reader())
            parts.append((ids + offset, scores))
    except _Unsupported:
        return [(r.docnum, r.score) for r in searcher.search(q, limit=limit)]
    if not parts:
        return []
    if len(parts) == 1:
        ids, scores = parts[0]
    else:
        ids, scores = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    return best(ids, scores, limit)


def best(ids: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best ``(id, score)``: highest score first, ties by smaller id."""
    if len(scores) > limit:
        cut = len(scores) - limit
        kth = np.partition(scores, cut)[cut]  # the limit-th highest score
        keep = scores >= kth
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:limit]
    return list(zip(ids[order].tolist(), scores[order].tolist()))


def _scores(m, reader, only: np.ndarray | None = None, cached: bool = True) -> Scored:
    """The documents ``m`` matches (of those in the sorted array ``only``, if given)
    and their scores. ``cached``: the term matchers below are fresh, at their first
    posting, and may be answered from the postings cache."""
    kind = type(m)
    if kind is W3LeafMatcher:
        return _leaf_scores(m, reader, only, cached)
    if kind is WrappingMatcher:
        ids, scores = _scores(m.child, reader, only, cached)
        return ids, scores * m.boost
    if kind is UnionMatcher:
        return _union([_scores(m.a, reader, only, cached), _scores(m.b, reader, only, cached)])
    if kind is IntersectionMatcher:
        # The smaller side first; the other is then read for its documents only.
        if _size(m.a) <= _size(m.b):
            ia, sa = _scores(m.a, reader, only, cached)
            ib, sb = _scores(m.b, reader, ia, cached) if len(ia) else (_NO_IDS, _NO_SCORES)
        else:
            ib, sb = _scores(m.b, reader, only, cached)
            ia, sa = _scores(m.a, reader, ib, cached) if len(ib) else (_NO_IDS, _NO_SCORES)
        ids, ja, jb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        return ids, sa[ja] + sb[jb]
    if kind is ArrayUnionMatcher:
        return _array_union_scores(m, reader, only)
    if kind is AndNotMatcher:
        ids, scores = _scores(m.a, reader, only, cached)
        if len(ids) and m.b.is_active():
            keep = ~np.isin(ids, np.fromiter(m.b.all_ids(), dtype=np.int64))
            ids, scores = ids[keep], scores[keep]
        return ids, scores
    if kind is FilterMatcher:
        ids, scores = _scores(m.child, reader, only, cached)
        allowed, exclude = m._ids, m._exclude
        keep = np.fromiter((d in allowed for d in ids.tolist()), dtype=bool, count=len(ids)) != exclude
        return ids[keep], scores[keep] * m.boost
    if kind is NullMatcherClass:
        return _NO_IDS, _NO_SCORES
    if kind is _PairPhraseMatcher:
        return _stepped_scores(m, only)
    if kind is _CoordMatcher:
        return _coord_scores(m, reader, only, cached)
    raise _Unsupported(kind)


def _union(parts: list[Scored], boost: float | None = None) -> Scored:
    """Documents of any part; a document's scores added in part order (times ``boost``
    each, if given) into a zero, as Whoosh's unions add them."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _NO_IDS, _NO_SCORES
    if len(parts) == 1 and boost is None:
        return parts[0]
    ids = parts[0][0] if len(parts) == 1 else np.unique(np.concatenate([p[0] for p in parts]))
    total = np.zeros(len(ids))
    for pids, pscores in parts:
        total[np.searchsorted(ids, pids)] += pscores if boost is None else pscores * boost
    return ids, total


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
    ids, scores = _union([_scores(c, reader, only, False) for c in m._submatchers], boost=m._boost)
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


def _coord_scores(m: _CoordMatcher, reader, only: np.ndarray | None, cached: bool) -> Scored:
    parts = [_scores(c, reader, only, cached) if c.is_active() else (_NO_IDS, _NO_SCORES) for c in m._subs]
    ids, total = _union(parts, boost=1.0)
    matched = np.zeros(len(ids), dtype=np.int64)
    for pids, _ in parts:
        matched[np.searchsorted(ids, pids)] += 1
    n = m._n
    factors = np.array([(k / n) ** m._exponent for k in range(n + 1)])
    return ids, total * m._boost * factors[matched]


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
    if kind is _PairPhraseMatcher:
        return min(_size(p) for p in m._pair_ms) if m._pair_ms else 0
    if kind is _CoordMatcher:
        return sum(_size(c) for c in m._subs)
    return 0


def _field_lengths(reader, fieldname: str) -> np.ndarray | None:
    """Every document's length of ``fieldname`` in one segment, decoded as Whoosh's
    ``doc_field_length`` decodes it; read once per segment reader and field."""
    try:
        perdoc = reader._perdoc
        cache = perdoc.__dict__.setdefault("_arsearch_lengths", {})
        if fieldname not in cache:
            col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if type(col) is not NumericColumn.Reader or col._fixedlen != 1:
                cache[fieldname] = None
            else:
                raw = col._dbfile.get(col._basepos, col._count)
                cache[fieldname] = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)[
                    np.frombuffer(raw, dtype=np.uint8)
                ]
        return cache[fieldname]
    except AttributeError:  # not a W3 segment reader
        return None


def _block(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """The current block's remaining document numbers and term weights."""
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


def _postings(m: W3LeafMatcher, reader, term: tuple, only: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The document numbers and weights of ``m`` from where it stands (of ``only``'s
    documents, if given): from the cache, or read whole and cached."""
    if not m.is_active():
        return _NO_IDS, _NO_SCORES
    if POSTINGS_CACHE_BYTES:
        key = (reader._segid, term)
        entry = _CACHE.get(key)
        # Never moved, or moved by an intersection finding its first document (which
        # reads the block's ids): the postings from m.id() on are the ones to score.
        fresh = m._ids is None and m._i == 0
        start = None if fresh else m.id()
        if entry is None:
            if not fresh:
                m.reset()
            entry = _read_blocks(m, None)
            _CACHE.put(key, entry)
        ids, tf = entry
        if start is not None:
            first = int(np.searchsorted(ids, start))
            ids, tf = ids[first:], tf[first:]
        if only is not None:
            keep = np.isin(ids, only, assume_unique=True)
            ids, tf = ids[keep], tf[keep]
        return ids, tf
    return _read_blocks(m, only)


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
        keep = np.isin(ids, only, assume_unique=True)
        ids, tf = ids[keep], tf[keep]
    return ids, tf


def _leaf_scores(m: W3LeafMatcher, reader, only: np.ndarray | None, cached: bool) -> Scored:
    sc = m.scorer
    term = m.term()
    lengths = _field_lengths(reader, term[0]) if type(sc) is BM25FScorer and term else None
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
    ids, tf = _postings(m, reader, term, only) if cached else _read_blocks(m, only)
    idf, avgfl, B, K1 = sc.idf, sc.avgfl, sc.B, sc.K1
    # whoosh.scoring.bm25(idf, tf, fl, avgfl, B, K1), operation for operation
    scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths[ids] / avgfl)))
    return ids, scores

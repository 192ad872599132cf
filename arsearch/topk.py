"""Exact top-k for word queries, without stepping Whoosh's matcher tree doc by doc.

A word of an arsearch query is an ``Or`` of up to six boosted terms (three views ×
title and body), and a query of several words an ``And`` of those. Whoosh scores such a
tree one document at a time through a dozen method calls per node. :func:`top_docs`
builds the very same matcher tree, then reads each term's postings block by block
and combines the scores bottom-up, node by node, with the arithmetic of the node it
replaces (so the floats are the same bits):

- a term: BM25F of Whoosh's scorer for that term (``bm25()`` inlined, same operand
  order), the field length read as Whoosh's scorer reads it;
- ``WrappingMatcher`` (a boost): the child's score times the boost;
- ``UnionMatcher``: ``a + b`` where both match; ``IntersectionMatcher``: ``a + b``;
- ``ArrayUnionMatcher`` (Whoosh's ``Or`` on small indexes): the children's scores
  times the boost added in child order into a zero, documents scoring above zero
  (the part Whoosh summed when it built the matcher is taken from its array);
- ``AndNotMatcher``: the first child's documents without those Whoosh lists for the
  second;
- ``FilterMatcher`` (deleted documents): the child's documents outside the set;
- a word-pair phrase (:mod:`arsearch.phrases`): walked with its own matcher.

Any other node (a phrase with a stopword inside; the coordination bonus of
``mode="any"``, whose term count Whoosh's collector changes as sub-matchers run out, so
that a document's score depends on when it is reached) makes :func:`top_docs` hand the
query to Whoosh's own search. The result is Whoosh's scoring of every match: the
``limit`` best documents by score, ties by document number. (Whoosh's own top-k search
prunes the tree as it goes and can miss or underscore a document: on 20,000 articles,
6 of 150 frequent single words got another top ten.)
"""

from __future__ import annotations

import heapq

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

__all__ = ["top_docs"]


class _Unsupported(Exception):
    """A matcher node this module does not evaluate: Whoosh searches instead."""


def top_docs(searcher, q, limit: int) -> list[tuple[int, float]]:
    """The top ``limit`` ``(docnum, score)`` of ``q``, as ``searcher.search`` ranks them."""
    try:
        scored: list[tuple[int, float]] = []
        context = searcher.context()
        for sub, offset in searcher.leaf_searchers():
            scores = _scores(q.matcher(sub, context), sub.reader())
            scored.extend((offset + d, s) for d, s in scores.items())
    except _Unsupported:
        return [(r.docnum, r.score) for r in searcher.search(q, limit=limit)]
    return heapq.nsmallest(limit, scored, key=lambda item: (-item[1], item[0]))


def _scores(m, reader, only: set[int] | None = None) -> dict[int, float]:
    """Scores of the documents ``m`` matches (of those in ``only``, if given)."""
    kind = type(m)
    if kind is W3LeafMatcher:
        return _leaf_scores(m, reader, only)
    if kind is WrappingMatcher:
        boost = m.boost
        return {d: s * boost for d, s in _scores(m.child, reader, only).items()}
    if kind is UnionMatcher:
        a, b = _scores(m.a, reader, only), _scores(m.b, reader, only)
        for d, s in b.items():
            a[d] = a[d] + s if d in a else s
        return a
    if kind is IntersectionMatcher:
        # The smaller side first; the other is then scored on its documents only.
        if _size(m.a) <= _size(m.b):
            a = _scores(m.a, reader, only)
            b = _scores(m.b, reader, set(a))
        else:
            b = _scores(m.b, reader, only)
            a = _scores(m.a, reader, set(b))
        return {d: s + b[d] for d, s in a.items() if d in b}
    if kind is ArrayUnionMatcher:
        if not m._scored:
            raise _Unsupported(kind)
        # Whoosh has already summed the first part of the documents into its array
        # (and moved the children past it): take those sums, add up the rest.
        done: dict[int, float] = {}
        if m.is_active():
            a, offset = m._a, m._offset
            for d in range(max(m._docnum, offset), m._limit):
                if a[d - offset] > 0 and (only is None or d in only):
                    done[d] = a[d - offset]
        boost, acc = m._boost, {}
        for child in m._submatchers:
            for d, s in _scores(child, reader, only).items():
                acc[d] = acc.get(d, 0.0) + s * boost
        done.update((d, s) for d, s in acc.items() if s > 0)
        return done
    if kind is AndNotMatcher:
        a = _scores(m.a, reader, only)
        excluded = set(m.b.all_ids()) if a and m.b.is_active() else set()
        return {d: s for d, s in a.items() if d not in excluded}
    if kind is FilterMatcher:
        ids, exclude, boost = m._ids, m._exclude, m.boost
        return {d: s * boost for d, s in _scores(m.child, reader, only).items() if (d in ids) != exclude}
    if kind is NullMatcherClass:
        return {}
    if kind is _PairPhraseMatcher:
        return _stepped_scores(m, only)
    raise _Unsupported(kind)


def _stepped_scores(m, only: set[int] | None) -> dict[int, float]:
    """Scores of a matcher walked with its own ``next``/``skip_to``."""
    out: dict[int, float] = {}
    if only is None:
        while m.is_active():
            out[m.id()] = m.score()
            m.next()
        return out
    for d in sorted(only):
        if not m.is_active():
            break
        m.skip_to(d)
        if m.is_active() and m.id() == d:
            out[d] = m.score()
    return out


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
    return 0


def _field_lengths(reader, fieldname: str) -> list[int] | None:
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
                cache[fieldname] = [byte_to_length(b) for b in col._dbfile.get(col._basepos, col._count)]
        return cache[fieldname]
    except AttributeError:  # not a W3 segment reader
        return None


def _leaf_scores(m: W3LeafMatcher, reader, only: set[int] | None) -> dict[int, float]:
    out: dict[int, float] = {}
    sc = m.scorer
    term = m.term()
    lengths = _field_lengths(reader, term[0]) if type(sc) is BM25FScorer and term else None
    if lengths is None:
        # any other scorer or reader: ask the scorer, posting by posting
        while m.is_active():
            if only is None or m.id() in only:
                out[m.id()] = m.score()
            m.next()
        return out
    idf, avgfl, B, K1 = sc.idf, sc.avgfl, sc.B, sc.K1
    k1p1, one_minus_b = K1 + 1, 1 - B
    wanted = sorted(only) if only is not None else None
    w = 0  # wanted[w:] are the wanted documents not passed yet
    while m.is_active():
        if wanted is not None:
            # skip blocks holding none of the wanted documents, unread
            while w < len(wanted) and wanted[w] < (m.block_min_id() if m._ids is not None else -1):
                w += 1
            if w == len(wanted):
                break
            if wanted[w] > m._maxid:
                m._next_block()
                continue
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        i = m._i
        ids, weights = m._ids, m._weights
        for d, tf in zip(ids[i:], weights[i:]):
            if only is None or d in only:
                # whoosh.scoring.bm25(idf, tf, fl, avgfl, B, K1), operation for operation
                out[d] = idf * ((tf * k1p1) / (tf + K1 * (one_minus_b + B * lengths[d] / avgfl)))
        m._i = m._blocklength
        m._next_block()
    return out

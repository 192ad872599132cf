"""Scores of matchers Whoosh has already built (a :class:`arsearch.topk.plan.WhooshPlan`
node, or a query the planner does not know): each kind of matcher read into arrays with
its own arithmetic, or stepped one document at a time as Whoosh would."""

from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import (
    AndNotMatcher,
    ArrayUnionMatcher,
    FilterMatcher,
    IntersectionMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)

from ..query.matchers import CoordMatcher, PairPhraseMatcher
from ..scoring import BM25_SCORERS, term_scores
from .arrays import NO_IDS, NO_SCORES, Scored, coordinated, union
from .plan import Unsupported, matcher_size
from .postings import field_lengths, read_blocks


def matcher_scores(m, reader, only: np.ndarray | None = None) -> Scored:
    """The documents ``m`` matches (of those in the sorted array ``only``, if given)
    and their scores."""
    kind = type(m)
    if kind is W3LeafMatcher:
        return _leaf_scores(m, reader, only)
    if kind is WrappingMatcher:
        ids, scores = matcher_scores(m.child, reader, only)
        return ids, scores * m.boost
    if kind is UnionMatcher:
        return union([matcher_scores(m.a, reader, only), matcher_scores(m.b, reader, only)])
    if kind is IntersectionMatcher:
        # The smaller side first; the other is then read for its documents only.
        if matcher_size(m.a) <= matcher_size(m.b):
            ia, sa = matcher_scores(m.a, reader, only)
            ib, sb = matcher_scores(m.b, reader, ia) if len(ia) else (NO_IDS, NO_SCORES)
        else:
            ib, sb = matcher_scores(m.b, reader, only)
            ia, sa = matcher_scores(m.a, reader, ib) if len(ib) else (NO_IDS, NO_SCORES)
        ids, ja, jb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        return ids, sa[ja] + sb[jb]
    if kind is ArrayUnionMatcher:
        return _array_union_scores(m, reader, only)
    if kind is AndNotMatcher:
        ids, scores = matcher_scores(m.a, reader, only)
        if len(ids) and m.b.is_active():
            keep = ~np.isin(ids, np.fromiter(m.b.all_ids(), dtype=np.int64))
            ids, scores = ids[keep], scores[keep]
        return ids, scores
    if kind is FilterMatcher:
        ids, scores = matcher_scores(m.child, reader, only)
        allowed, exclude = m._ids, m._exclude
        keep = np.fromiter((d in allowed for d in ids.tolist()), dtype=bool, count=len(ids)) != exclude
        return ids[keep], scores[keep] * m.boost
    if kind is NullMatcherClass:
        return NO_IDS, NO_SCORES
    if kind is PairPhraseMatcher:
        return _stepped_scores(m, only)
    if kind is CoordMatcher:
        return _coord_scores(m, reader, only)
    raise Unsupported(kind)


def _array_union_scores(m: ArrayUnionMatcher, reader, only: np.ndarray | None) -> Scored:
    if not m._scored:
        raise Unsupported(type(m))
    # Whoosh has already summed the first part of the documents into its array (and
    # moved the children past it): take those sums, add up the rest.
    done_ids, done_scores = NO_IDS, NO_SCORES
    if m.is_active():
        offset, start, stop = m._offset, max(m._docnum, m._offset), m._limit
        sums = np.frombuffer(m._a, dtype=np.float64)[start - offset : stop - offset]
        keep = sums > 0
        done_ids, done_scores = np.arange(start, stop, dtype=np.int64)[keep], sums[keep].copy()
        if only is not None:
            keep = np.isin(done_ids, only, assume_unique=True)
            done_ids, done_scores = done_ids[keep], done_scores[keep]
    # Its children have been moved past the summed part: not fresh.
    ids, scores = union([matcher_scores(c, reader, only) for c in m._submatchers], boost=m._boost)
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
    parts = [matcher_scores(c, reader, only) if c.is_active() else (NO_IDS, NO_SCORES) for c in m._subs]
    return coordinated(parts, m._exponent, m._boost)


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


def _leaf_scores(m: W3LeafMatcher, reader, only: np.ndarray | None) -> Scored:
    sc = m.scorer
    term = m.term()
    lengths = field_lengths(reader, term[0]) if type(sc) in BM25_SCORERS and term else None
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
    ids, tf = read_blocks(m, only)
    return ids, term_scores(reader, term[0], sc, lengths, ids, tf)

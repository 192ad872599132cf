"""Evaluating a plan: a query tree run over one segment's posting lists as whole arrays,
its BM25 scores computed as Whoosh computes them."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from whoosh.scoring import WeightingModel

from ..query.expansion import Presence
from ..scoring import BM25_MODELS, BM25_SCORERS, BM25Params, term_scores
from . import postings  # postings.CACHE, read at each use (a benchmark swaps it)
from .arrays import (
    FEW,
    NO_IDS,
    NO_SCORES,
    Scored,
    as_arrays,
    best,
    coordinated,
    distinct,
    positions_in,
    union,
    word_tree,
)
from .fallback import matcher_scores
from .plan import (
    ArrayOr,
    Boost,
    Coord,
    First,
    Intersection,
    Leaf,
    Node,
    Null,
    PhrasePlan,
    Sizes,
    Union,
    Unsupported,
    WhooshPlan,
    Without,
    plan,
)
from .postings import (
    field_lengths,
    kept,
    position_postings,
    posting_arrays,
    segment_key,
    term_positions,
)


def top_docs(searcher, q, limit: int) -> list[tuple[int, float]]:
    """The top ``limit`` ``(docnum, score)`` of ``q``, as ``searcher.search`` ranks them."""
    try:
        ids, scores = _scored(searcher, q)
    except Unsupported:
        return [(r.docnum, r.score) for r in searcher.search(q, limit=limit)]
    return best(ids, scores, limit)


def scored_docs(searcher, q) -> Scored:
    """Every document ``q`` matches and its score, as ``searcher.search`` scores them
    (by document number within each segment)."""
    try:
        return _scored(searcher, q)
    except Unsupported:
        found = searcher.search(q, limit=None)
        return (np.array([r.docnum for r in found], dtype=np.int64),
                np.array([r.score for r in found], dtype=np.float64))


def each_scored(searcher, queries: list) -> list[Scored]:
    """:func:`scored_docs` of each query, the segments gone through once for them all
    (each segment's term look-ups shared: a Latin name's readings)."""
    try:
        return _scored_each(searcher, queries)
    except Unsupported:
        return [scored_docs(searcher, q) for q in queries]


def _scored(searcher, q) -> Scored:
    return _scored_each(searcher, [q])[0]


def _scored_each(searcher, queries: list) -> list[Scored]:
    found: list[list[Scored]] = [[] for _ in queries]
    context = searcher.context()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        sizes = Sizes(reader)
        for q, parts in zip(queries, found):
            ids, scores = evaluate(plan(q, sub, context, sizes), reader, None)
            parts.append((ids + offset if offset else ids, scores))
    return [_joined(parts) for parts in found]


def _joined(parts: list[Scored]) -> Scored:
    if not parts:
        return NO_IDS, NO_SCORES
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def evaluate(node: Node, reader, only: np.ndarray | None) -> Scored:
    kind = type(node)
    if kind is Leaf:
        return _leaf_plan_scores(node, reader, only)
    if kind is Boost:
        ids, scores = evaluate(node.child, reader, only)
        return ids, scores * node.boost
    if kind is Union:
        return _union_tree(node, reader, only)
    if kind is Intersection:
        a, b = node.a, node.b
        if a.size <= b.size:
            ia, sa = evaluate(a, reader, only)
            ib, sb = evaluate(b, reader, ia) if len(ia) else (NO_IDS, NO_SCORES)
            ja = positions_in(ia, ib)
            if ja is not None:  # b read within a's documents
                return ib, sa[ja] + sb
        else:
            ib, sb = evaluate(b, reader, only)
            ia, sa = evaluate(a, reader, ib) if len(ib) else (NO_IDS, NO_SCORES)
            jb = positions_in(ib, ia)
            if jb is not None:
                return ia, sa + sb[jb]
        ids, ja, jb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        return ids, sa[ja] + sb[jb]
    if kind is Without:
        ids, scores = evaluate(node.a, reader, only)
        if len(ids):
            b = node.b
            if type(b) is WhooshPlan:  # e.g. an unscored array: its documents are enough
                m = b.matcher
                excluded = np.fromiter(m.all_ids(), dtype=np.int64) if m.is_active() else NO_IDS
            else:
                excluded, _ = evaluate(b, reader, ids)
            keep = ~np.isin(ids, excluded)
            ids, scores = ids[keep], scores[keep]
        return ids, scores
    if kind is Coord:
        parts = [evaluate(c, reader, only) for c in node.subs]
        return coordinated(parts, node.exponent, node.boost)
    if kind is PhrasePlan:
        return _phrase_scores(node, reader, only)
    if kind is First:
        return _first_scores(node, reader, only)
    if kind is ArrayOr:
        ids, scores = union([evaluate(c, reader, only) for c in node.subs], boost=node.boost)
        if not node.scored:  # constant-scored (a fuzzy word): each match is 1
            return ids, np.ones(len(ids))
        keep = scores > 0  # the array holds the documents scoring above zero
        return ids[keep], scores[keep]
    if kind is Null:
        return NO_IDS, NO_SCORES
    if kind is WhooshPlan:
        return matcher_scores(node.matcher, reader, only)
    raise TypeError(kind)


def _bm25_params(node: Leaf) -> BM25Params | None:
    """The BM25F scorer's figures for the leaf's term, without the scorer's setup (which
    looks the term up again for block quality, which the plan does not use); None unless
    Whoosh would score it with ``BM25FScorer`` (or arsearch's ``BM25PlusScorer``)."""
    weighting, searcher, fieldname = node.weighting, node.searcher, node.fieldname
    if type(weighting) not in BM25_MODELS or not searcher.schema[fieldname].scorable:
        return None
    parent = searcher.get_parent()
    B = weighting._field_B.get(fieldname, weighting.B)
    return BM25Params(_idf(parent, node), parent.avg_field_length(fieldname) or 1, B, weighting.K1,
                 getattr(weighting, "delta", 0.0))


def _idf(parent, node: Leaf) -> float:
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


def _leaf_plan_scores(node: Leaf, reader, only: np.ndarray | None) -> Scored:
    searcher, fieldname, btext = node.searcher, node.fieldname, node.btext
    if type(node.weighting) is Presence:  # a prefix's completion: 1 in each document
        ids, _ = posting_arrays(reader, fieldname, btext, only, node.info)
        return ids, np.ones(len(ids))
    params = _bm25_params(node)
    lengths = field_lengths(reader, fieldname) if params is not None else None
    if lengths is None:
        scorer = node.weighting.scorer(searcher, fieldname, btext)
        return matcher_scores(reader.postings(fieldname, btext, scorer=scorer), reader, only)
    ids, tf = posting_arrays(reader, fieldname, btext, only, node.info)
    return ids, term_scores(reader, fieldname, params, lengths, ids, tf)


def _phrase_scores(node: PhrasePlan, reader, only: np.ndarray | None) -> Scored:
    # Candidates: the documents holding every word pair, or else every word. Each
    # scores as Whoosh's phrase matchers score: its words' scores added as a binary
    # tree of intersections, times the boost.
    if not node.words:
        return NO_IDS, NO_SCORES
    candidates = only
    for leaf in sorted(node.pairs or node.words, key=lambda p: p.size):
        candidates, _ = posting_arrays(reader, leaf.fieldname, leaf.btext, candidates)
        if not len(candidates):
            return NO_IDS, NO_SCORES
    if node.positions:
        if node.pairs:  # first the documents holding every word, from their postings
            for leaf in sorted(node.words, key=lambda w: w.size):
                candidates, _ = posting_arrays(reader, leaf.fieldname, leaf.btext, candidates)
                if not len(candidates):
                    return NO_IDS, NO_SCORES
        candidates = _near(reader, node.words, node.slop, candidates)
        if not len(candidates):
            return NO_IDS, NO_SCORES
    ids, scores = word_tree([_leaf_plan_scores(w, reader, candidates) for w in node.words])
    return ids, scores * node.boost if node.boost != 1.0 else scores


def _near(reader, words: list[Leaf], slop: int, docs: np.ndarray) -> np.ndarray:
    """The documents of ``docs`` where each word stands 1 to ``slop`` positions after
    the one before (Whoosh's ``SpanNear2`` with ``ordered=True, mindist=1``)."""
    found = [term_positions(reader, w.fieldname, w.btext, docs) for w in words]
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


def _first_scores(node: First, reader, only: np.ndarray | None) -> Scored:
    leaf = node.leaf
    if leaf is None:
        return NO_IDS, NO_SCORES
    scorer = leaf.weighting.scorer(leaf.searcher, leaf.fieldname, leaf.btext)
    lengths = field_lengths(reader, leaf.fieldname) if type(scorer) in BM25_SCORERS else None
    if lengths is None:
        raise Unsupported(type(scorer))
    # The documents (and weights) where the term stands early, read once and cached.
    key = (segment_key(reader), (leaf.fieldname, leaf.btext), "first", node.limit)
    entry = postings.CACHE.get(key) if postings.CACHE.on else None
    if entry is None:
        ids: list[int] = []
        weights: list[float] = []
        for d, weight, positions in position_postings(reader, leaf.fieldname, leaf.btext):
            if min(positions) <= node.limit:
                ids.append(d)
                weights.append(weight)
        entry = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
        if postings.CACHE.on:
            postings.CACHE.put(key, entry)
    ids, tf = entry
    ids, tf = kept(reader, ids, tf, only)
    return ids, term_scores(reader, leaf.fieldname, scorer, lengths, ids, tf)


def matching_docs(searcher, q) -> set[int]:
    """The documents ``q`` matches (``searcher.docs_for_query``, from the plan)."""
    try:
        found: set[int] = set()
        context = searcher.context()
        for sub, offset in searcher.leaf_searchers():
            ids, _ = evaluate(plan(q, sub, context, Sizes(sub.reader())), sub.reader(), None)
            found.update((ids + offset).tolist())
        return found
    except Unsupported:
        return set(searcher.docs_for_query(q))


def _union_tree(node: Union, reader, only: np.ndarray | None) -> Scored:
    """A tree of unions and boosts (a word: the ``Or`` of its boosted terms), over the
    documents of all its operands at once rather than one union at a time.

    The operands (the nodes below that are neither a union nor a boost) are evaluated
    once each, and their documents merged once. Each operand's scores are laid over
    those documents, 0.0 where it does not match, and the tree's arithmetic runs
    elementwise in the tree's order: a union adds, a boost multiplies. The bits are
    those of the unions taken pair by pair (``a + b`` where both sides match, the
    matching side's score elsewhere, and ``union``'s ``0.0 + a + b``), since
    ``x + 0.0 == 0.0 + x == x`` for every nonzero ``x``, and ``0.0 * boost == 0.0``
    for a finite boost (a boost that is not is taken as an operand).
    """
    operands: list[Scored] = []
    _operands(node, reader, only, operands)
    present = [p for p in operands if len(p[0])]
    if not present:
        return NO_IDS, NO_SCORES
    if len(present) == 1:
        ids = present[0][0]
    elif sum(len(p[0]) for p in present) <= FEW:  # pair by pair, on Python floats
        merged = _merged(node, iter([dict(zip(i.tolist(), s.tolist())) if len(i) else None for i, s in operands]))
        return as_arrays(merged)
    else:
        ids = distinct([p[0] for p in present])
    return ids, _laid(node, iter(operands), ids)


def _operands(node: Node, reader, only: np.ndarray | None, out: list[Scored]) -> None:
    """The scores of a tree of unions and boosts' operands, in the tree's order."""
    kind = type(node)
    if kind is Union:
        _operands(node.a, reader, only, out)
        _operands(node.b, reader, only, out)
    elif kind is Boost and math.isfinite(node.boost):
        _operands(node.child, reader, only, out)
    else:
        out.append(evaluate(node, reader, only))


def _laid(node: Node, operands: Iterator[Scored], ids: np.ndarray) -> np.ndarray | None:
    """A tree of unions and boosts' scores over all its operands' ``ids``, 0.0 where
    no operand matches (None when none below ``node`` matches at all)."""
    kind = type(node)
    if kind is Union:
        a, b = _laid(node.a, operands, ids), _laid(node.b, operands, ids)
        return b if a is None else a if b is None else a + b
    if kind is Boost and math.isfinite(node.boost):
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


def _merged(node: Node, operands: Iterator[dict[int, float] | None]) -> dict[int, float] | None:
    """:func:`_laid` on few documents: the tree's unions and boosts evaluated on
    dictionaries of scores by document (None: no operand below matches)."""
    kind = type(node)
    if kind is Union:
        a, b = _merged(node.a, operands), _merged(node.b, operands)
        if a is None or b is None:
            return b if a is None else a
        for d, s in b.items():
            a[d] = a[d] + s if d in a else s
        return a
    if kind is Boost and math.isfinite(node.boost):
        a = _merged(node.child, operands)
        return None if a is None else {d: s * node.boost for d, s in a.items()}
    return next(operands)

"""The array algebra of top-k: ``(ids, scores)`` pairs of sorted document numbers and
their float64 scores, combined as Whoosh's matchers combine them (same operations, same
order, so the same bits), and the exact top-k cut (:func:`best`)."""

from __future__ import annotations

import numpy as np

# Up to this many scores in all, unions and the top k run on Python floats: numpy's cost per
# call (about a microsecond) outweighs its speed on so few numbers. The bits are the
# same: Python's float and numpy's float64 are IEEE doubles, each operation rounded.
FEW = 32


# (document numbers, sorted and distinct; their scores)
Scored = tuple[np.ndarray, np.ndarray]


NO_IDS = np.empty(0, dtype=np.int64)


NO_SCORES = np.empty(0, dtype=np.float64)


def word_tree(parts: list[Scored]) -> Scored:
    """whoosh.util.make_binary_tree of intersections over ``parts``."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    (ia, sa), (ib, sb) = word_tree(parts[:half]), word_tree(parts[half:])
    ids, ja, jb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return ids, sa[ja] + sb[jb]


def positions_in(ids: np.ndarray, some: np.ndarray) -> np.ndarray | None:
    """Where each of ``some`` stands in ``ids`` (both sorted and distinct), or None if
    one is not there."""
    if not len(some):
        return NO_IDS
    at = np.searchsorted(ids, some)
    if at[-1] < len(ids) and np.array_equal(ids[at], some):
        return at
    return None


def within(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of the sorted ``ids`` are in the sorted, distinct ``wanted``: ``np.isin``,
    by binary search (``np.isin`` costs ten times more on a few ids)."""
    if not len(wanted):
        return np.zeros(len(ids), dtype=bool)
    at = np.searchsorted(wanted, ids)
    np.minimum(at, len(wanted) - 1, out=at)
    return wanted[at] == ids


def coordinated(parts: list[Scored], exponent: float, boost: float) -> Scored:
    """:class:`arsearch.query.CoordOr`: the parts' scores summed in order, times the
    boost, times (parts matched / parts) ** exponent."""
    ids, total = union(parts, boost=1.0)
    matched = np.zeros(len(ids), dtype=np.int64)
    for pids, _ in parts:
        matched[np.searchsorted(ids, pids)] += 1
    n = len(parts)
    factors = np.array([(k / n) ** exponent for k in range(n + 1)])
    return ids, total * boost * factors[matched]


def best(ids: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best ``(id, score)``: highest score first, ties by smaller id."""
    if len(scores) <= FEW:
        ranked = sorted(zip((-scores).tolist(), ids.tolist()))[:limit]
        return [(d, -s) for s, d in ranked]
    if len(scores) > limit:
        cut = len(scores) - limit
        kth = np.partition(scores, cut)[cut]  # the limit-th highest score
        keep = scores >= kth
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:limit]
    return list(zip(ids[order].tolist(), scores[order].tolist()))


def union(parts: list[Scored], boost: float | None = None) -> Scored:
    """Documents of any part; a document's scores added in part order (times ``boost``
    each, if given) into a zero, as Whoosh's unions add them."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return NO_IDS, NO_SCORES
    if len(parts) == 1 and boost is None:
        return parts[0]
    if sum(len(p[0]) for p in parts) <= FEW:
        total: dict[int, float] = {}
        for pids, pscores in parts:
            for d, s in zip(pids.tolist(), pscores.tolist()):
                total[d] = total.get(d, 0.0) + (s if boost is None else s * boost)
        return as_arrays(total)
    ids = parts[0][0] if len(parts) == 1 else distinct([p[0] for p in parts])
    total = np.zeros(len(ids))
    for pids, pscores in parts:
        total[np.searchsorted(ids, pids)] += pscores if boost is None else pscores * boost
    return ids, total


def as_arrays(scores: dict[int, float]) -> Scored:
    """Scores by document as arrays, by document number."""
    ids = sorted(scores)
    return np.array(ids, dtype=np.int64), np.array([scores[d] for d in ids], dtype=np.float64)


def distinct(id_arrays: list[np.ndarray]) -> np.ndarray:
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

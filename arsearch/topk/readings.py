"""The first page of a Latin name typed alone: each of its readings shown.

A Latin name is ambiguous (Ammor: عمور, or الامور, "the matters"): its Arabic readings
are searched together, each weighted by how well it aligns, and a frequent reading whose
documents score higher would push every other reading off the first page. The page keeps
the score order but brings the best match of each reading among the first
:data:`READINGS_BY` hits."""

from __future__ import annotations

import numpy as np

from .arrays import best
from .evaluate import scored_docs, scores_among

#: A Latin name's readings are looked for among this many of its best matches.
READING_WINDOW = 100
#: The best match of each of a Latin name's readings is among this many first hits.
READINGS_BY = 10
#: A reading weighing less than this (its alignment far from the best) is not brought forward.
READING_FLOOR = 0.05


def each_reading_first(searcher, ids: np.ndarray, scores: np.ndarray, readings: tuple,
                        need: int) -> list[tuple[int, float]]:
    """The ``need`` best matches of a Latin name in score order, but with the best match
    of each of its readings (as written, and each Arabic word it may write) among the
    first :data:`READINGS_BY`. A Latin name is ambiguous (Ammor: عمور, or الامور): a frequent reading
    whose documents score higher would otherwise push every other reading off the page.

    A reading is looked for among the name's :data:`READING_WINDOW` best matches first;
    one with none there (a rare word, so a cheap one) is searched alone."""
    ranked = best(ids, scores, max(need, READING_WINDOW))
    window = np.array([d for d, _ in ranked[:READING_WINDOW]], dtype=np.int64)
    claimed = np.zeros(len(window), dtype=bool)
    leaders: dict[int, float] = {}
    for q, weight in readings:
        if weight < READING_FLOOR:
            continue
        own = scores_among(searcher, q, window)
        if own.any():
            if not claimed[own > 0].any():  # this reading has no leader yet: its best match
                top = int(np.argmax(own))
                claimed[top] = True
                leaders[int(window[top])] = ranked[top][1]
            continue
        own_ids, own_scores = scored_docs(searcher, q)
        if len(own_ids):
            doc = best(own_ids, own_scores, 1)[0][0]
            at = np.flatnonzero(ids == doc)
            if len(at):  # not left out by a filter
                leaders[doc] = float(scores[at[0]])
    return _merged(sorted(leaders.items(), key=lambda item: (-item[1], item[0])),
                   [(d, s) for d, s in ranked if d not in leaders], need)


def _merged(leaders: list, rest: list, need: int) -> list:
    """Both lists (each in score order) merged by score, but every leader within the first
    :data:`READINGS_BY` places: the order does not depend on the page asked for."""
    out: list = []
    i = j = 0
    while len(out) < need and (i < len(leaders) or j < len(rest)):
        due = i < len(leaders) and len(leaders) - i >= READINGS_BY - len(out)
        if i < len(leaders) and (due or j >= len(rest) or leaders[i][1] >= rest[j][1]):
            out.append(leaders[i])
            i += 1
        else:
            out.append(rest[j])
            j += 1
    return out

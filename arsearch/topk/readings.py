"""The first page of a Latin name typed alone: each of its readings shown.

A Latin name is ambiguous (Ammor: عمور, or الامور, "the matters"): its Arabic readings
are searched together, each weighted by how well it aligns, and a frequent reading whose
documents score higher would push every other reading off the first page, and a word's
score says nothing of which word a Latin name writes. The first hit is the best match of
the likeliest reading; the rest keep the score order but with the best match of each
reading among the first :data:`READINGS_BY` hits."""

from __future__ import annotations

import numpy as np

from .arrays import Scored, best, union, within
from .evaluate import each_scored

#: The best match of each of a Latin name's readings is among this many first hits.
READINGS_BY = 10
#: A reading weighing less than this (its alignment far from the best) is not brought forward
#: (the Arabic alternatives of a Latin name weigh at least as much: arsearch.topk.names.MIN_WEIGHT).
READING_FLOOR = 0.05


def reading_matches(searcher, readings: tuple) -> tuple[Scored, list[Scored]]:
    """The matches of a Latin name typed alone and their scores, and each reading's own:
    the name's query is the sum of its ``(query, weight)`` readings, so each is evaluated
    once and the sum made here."""
    parts = each_scored(searcher, [q for q, _ in readings])
    return union([(ids, scores * weight) for (ids, scores), (_, weight) in zip(parts, readings)]), parts


def each_reading_first(ids: np.ndarray, scores: np.ndarray, parts: list[Scored], readings: tuple,
                       need: int) -> list[tuple[int, float]]:
    """The ``need`` best of the name's matches ``ids`` (sorted; those the filters keep):
    first the best match of its likeliest reading, then the rest in score order but with
    the best match of each reading weighing at least :data:`READING_FLOOR` among the first
    :data:`READINGS_BY`; a reading one of whose documents is brought forward already needs
    no other."""
    if not len(ids):
        return []
    found = [_best_kept(ids, scores, part) for part in parts]
    leaders: dict[int, float] = {}
    for best_of, (_, weight) in zip(found, readings):
        if weight < READING_FLOOR or best_of is None:
            continue
        doc, score, kept = best_of
        if not (leaders and within(np.fromiter(sorted(leaders), dtype=np.int64, count=len(leaders)), kept).any()):
            leaders[doc] = score
    ranked = best(ids, scores, need + len(leaders) + 1)
    # the first hit: the best match of the likeliest reading (the best of them, when several
    # weigh the most), whatever the scores of the others' documents. Scores of different words
    # do not say which word a Latin name writes; the alignment does.
    top = max(weight for _, weight in readings)
    first = None
    for best_of, (_, weight) in zip(found, readings):
        if weight >= top and best_of is not None and (first is None or best_of[1] > first[1]):
            first = best_of[:2]
    order = sorted(((d, sc) for d, sc in leaders.items() if first is None or d != first[0]),
                   key=lambda item: (-item[1], item[0]))
    rest = [(d, sc) for d, sc in ranked if d not in leaders and (first is None or d != first[0])]
    if first is None:
        return _merged(order, rest, need)
    return [first, *_merged(order, rest, need - 1, READINGS_BY - 1)][:need]


def _best_kept(ids: np.ndarray, scores: np.ndarray, part: Scored) -> tuple[int, float, np.ndarray] | None:
    """A reading's best match among the name's matches ``ids`` (those the filters keep),
    with its score there, and the reading's documents among them; None if it has none."""
    own_ids, own_scores = part
    if not len(own_ids):
        return None
    at = np.searchsorted(ids, own_ids)
    np.minimum(at, len(ids) - 1, out=at)
    kept = ids[at] == own_ids
    if not kept.all():  # the filters left some out
        if not kept.any():
            return None
        own_ids, own_scores, at = own_ids[kept], own_scores[kept], at[kept]
    # the best: the first of the highest scores, the smallest id among ties (ids are sorted)
    i = int(np.argmax(own_scores))
    return int(own_ids[i]), float(scores[at[i]]), own_ids


def _merged(leaders: list, rest: list, need: int, by: int = READINGS_BY) -> list:
    """Both lists (each in score order) merged by score, but every leader within the first
    :data:`READINGS_BY` places: the order does not depend on the page asked for."""
    out: list = []
    i = j = 0
    while len(out) < need and (i < len(leaders) or j < len(rest)):
        due = i < len(leaders) and len(leaders) - i >= by - len(out)
        if i < len(leaders) and (due or j >= len(rest) or leaders[i][1] >= rest[j][1]):
            out.append(leaders[i])
            i += 1
        else:
            out.append(rest[j])
            j += 1
    return out

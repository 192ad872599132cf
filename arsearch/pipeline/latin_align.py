"""The alignment behind :mod:`arsearch.pipeline.latin`: the cheapest way a Latin word writes
a normalized Arabic term, each Arabic letter written as one of its weighted Latin strings
(``latin_tables.options``), Latin letters nothing accounts for inserted
(``latin_tables.insertions``): a dynamic programme over the Arabic letters, each row one
pass over the Latin word, cut short once every partial alignment costs more than a ceiling.

>>> align("haftar", "حفتر") < align("haftar", "حفار")
True
"""

from __future__ import annotations

from functools import lru_cache

import regex

from . import chars as c
from . import latin_tables as t

__all__ = ["INFINITY", "Aligner", "align"]

# The few distinct letter plans (a letter's Latin options and the insertions after it),
# each known by its place here, so that a Latin word keeps what it makes with each plan in
# a list.
_PLANS: list[tuple[dict[str, float], dict[str, float]]] = []


# The letters whose plan depends on their place or neighbours (``latin_tables.options``):
# an alef (first, before و or ي, after an emphatic), a first و or ي, a final ي or ه, an ن
# before ب. Every other letter's plan is its own, kept here once read.
_PLACED = frozenset((c.ALEF, c.WAW, c.YEH, c.HEH, c.NOON))
_ALONE: dict[str, int] = {}


@lru_cache(maxsize=65536)
def _plan(arabic: str) -> tuple[int, ...]:
    """Each letter's plan (its place in ``_PLANS``)."""
    last = len(arabic) - 1
    plans = []
    for i, letter in enumerate(arabic):
        found = None if letter in _PLACED else _ALONE.get(letter)
        if found is None:
            following = arabic[i + 1] if i < last else ""
            joined = (letter == c.ALEF and following == c.LAM and i > 0
                      and (arabic[:i] in t.JOINED_FIRST_PARTS or arabic[i:] == t.ALLAH))
            found = _letter_plan(letter, arabic[i - 1] if i else "", i == 0, i == last, following, joined)
            if letter not in _PLACED:
                _ALONE[letter] = found
        plans.append(found)
    return tuple(plans)


_PLAN_IDS: dict[tuple[int, int], int] = {}


@lru_cache(maxsize=4096)
def _letter_plan(letter: str, previous: str, first: bool, last: bool, following: str,
                 joined_article: bool = False) -> int:
    opts, ins = t.options(letter, previous, first, last, following, joined_article), t.insertions(letter)
    key = (id(opts), id(ins))  # the tables are module constants: their ids stay theirs
    found = _PLAN_IDS.get(key)
    if found is None:
        if max(map(len, opts)) > t.LATIN_OPTION_MAX:  # a new table left out of the constant's
            raise ValueError(f"an option of {letter!r} is longer than LATIN_OPTION_MAX ({t.LATIN_OPTION_MAX})")
        found = _PLAN_IDS[key] = len(_PLANS)
        _PLANS.append((opts, ins))
    return found


INFINITY = float("inf")


class _Word:
    """A Latin word as the alignment reads it: the cost of inserting its first letters before
    any Arabic letter, and for each letter plan met so far, where the letter's options occur
    in the word and what inserting each Latin letter after it costs."""

    __slots__ = ("latin", "where", "inserted", "start", "steps")

    def __init__(self, latin: str):
        self.latin = latin
        # where each piece of the word (up to the longest option) starts and ends
        self.where: dict[str, list[tuple[int, int]]] = {}
        m = len(latin)
        for j in range(m + 1):
            for k in range(min(t.LATIN_OPTION_MAX, m - j) + 1):
                self.where.setdefault(latin[j:j + k], []).append((j, j + k))
        self.inserted: dict[int, tuple[float, ...]] = {}  # by the id of an insertion table
        start, ins, total = [0.0], t.insertions(""), 0.0
        for ch in latin:
            total += ins.get(ch, t.MISSING_CONSONANT)
            start.append(total)
        self.start = tuple(start)
        self.steps: list[tuple | None] = []

    def step(self, plan: int) -> tuple[tuple[tuple[int, int, float], ...], tuple[float, ...]]:
        steps = self.steps
        if plan >= len(steps):
            steps.extend([None] * (plan + 1 - len(steps)))
        found = steps[plan]
        if found is None:
            opts, ins = _PLANS[plan]
            inserted = self.inserted.get(id(ins))
            if inserted is None:
                inserted = self.inserted[id(ins)] = _insertion_costs(self.latin, ins)
            found = steps[plan] = (_matches(self.latin, self.where, opts), inserted)
        return found


@lru_cache(maxsize=1024)
def _word(latin: str) -> _Word:
    return _Word(latin)


def _insertion_costs(latin: str, ins: dict[str, float]) -> tuple[float, ...]:
    """What inserting each letter of ``latin`` costs after a letter whose insertions are
    ``ins`` (the word's last letter at most its final cost)."""
    missing = t.MISSING_CONSONANT
    costs = [ins.get(ch, missing) for ch in latin]
    if latin and latin[-1] in t.FINAL_INSERTIONS:
        costs[-1] = max(t.FINAL_INSERTIONS[latin[-1]], costs[-1])
    return tuple(costs)


def _matches(latin: str, where: dict[str, list[tuple[int, int]]],
             opts: dict[str, float]) -> tuple[tuple[int, int, float], ...]:
    """Where a letter's Latin options occur in ``latin`` (``where``: where each of its pieces
    does): ``(start, end, cost)``. A final ه written as the h of a digraph (Riyadh: ض is dh,
    not d and a ة in h) costs :data:`~.latin_tables.SPLIT_DIGRAPH` more; a long vowel inside
    a word written by a Latin vowel that closes its syllable, :data:`~.latin_tables.CLOSED_SYLLABLE` more."""
    m = len(latin)
    found = [(j, end, cost) for option, cost in opts.items() for j, end in where.get(option, ())]
    if opts is t.FINAL_HEH and m > 1 and latin[-1] == "h" and latin[-2] in t.DIGRAPH_H:
        found = [(j, end, cost + t.SPLIT_DIGRAPH if j == m - 1 and end == m else cost) for j, end, cost in found]
    elif any(opts is table for table in t.MEDIAL_LONG_VOWELS):
        found = [(j, end, cost + t.CLOSED_SYLLABLE if j < end and _VOWEL_RUN.fullmatch(latin, j, end)
                  and closes_syllable(latin, end) else cost) for j, end, cost in found]
    return tuple(found)


_VOWEL_RUN = regex.compile(r"[aeiou]+")
_LATIN_VOWELS = frozenset("aeiouy'")


def closes_syllable(latin: str, end: int) -> bool:
    """Whether a Latin vowel ending at ``end`` closes its syllable: two consonants follow (a
    doubled letter, or a consonant and another, a digraph such as sh counting as one), not ss.

    >>> closes_syllable("salman", 2), closes_syllable("rashid", 2), closes_syllable("nasser", 2)
    (True, False, False)
    """
    rest = latin[end:end + t.LATIN_GRAPHEME_MAX + 1]  # a consonant, and the letter after it
    if len(rest) < 2 or rest[0] in _LATIN_VOWELS or rest[0] == "w":
        return False
    if rest[0] == rest[1]:
        return rest[0] != "s"
    first = next((g for g in t.CONSONANT_DIGRAPHS if rest.startswith(g)), rest[0])
    following = rest[len(first):len(first) + 1]
    return bool(following) and following not in _LATIN_VOWELS


def _row(prev, matches, inserted, m: int, ceiling: float = INFINITY) -> tuple[list[float] | None, float]:
    """The next row of the programme and its lowest cost; no row when that cost is over
    ``ceiling`` (no alignment through it is wanted: costs only grow)."""
    cur = [INFINITY] * (m + 1)
    lowest = INFINITY
    for j, end, cost in matches:
        step = prev[j] + cost
        if step < cur[end]:
            cur[end] = step
            if step < lowest:
                lowest = step
    if lowest > ceiling:
        return None, lowest
    # then Latin letters no Arabic letter writes, left to right: they add to a cell's cost,
    # so the lowest is a letter's own
    best = cur[0]
    for j, cost in enumerate(inserted, 1):
        best += cost
        here = cur[j]
        if here < best:
            best = here
        else:
            cur[j] = best
    return cur, lowest


def align(latin: str, arabic: str, ceiling: float = INFINITY) -> float:
    """The cheapest alignment of ``latin`` with ``arabic``; ``inf`` once every partial
    alignment costs more than ``ceiling`` (costs only grow)."""
    return Aligner(latin).cost(arabic, ceiling)


class Aligner:
    """:func:`align` of one Latin word with many Arabic terms in turn: the rows of the
    letters a term begins with as the one before did are kept, not computed again (terms in
    sorted order share about half their letters). Each row is exact (no partial alignment
    is cut), so a row kept under one ceiling serves another.

    >>> a = Aligner("haftar")
    >>> [a.cost(term) == align("haftar", term) for term in ("حفار", "حفتر", "حفتري")]
    [True, True, True]
    """

    __slots__ = ("word", "m", "plans", "rows", "lows")

    def __init__(self, latin: str):
        self.word, self.m = _word(latin), len(latin)
        self.plans: list[int] = []  # the letter plans of the rows kept
        self.rows: list = [self.word.start]  # rows[k]: after k letters
        self.lows: list[float] = [0.0]  # each row's lowest cost (they only grow)

    def cost(self, arabic: str, ceiling: float = INFINITY) -> float:
        plan, plans, rows, lows = _plan(arabic), self.plans, self.rows, self.lows
        k, n = 0, min(len(plan), len(plans))
        while k < n and plan[k] == plans[k]:
            k += 1
        if k < len(plans):
            del plans[k:], rows[k + 1:], lows[k + 1:]
        if lows[k] > ceiling:
            return INFINITY
        prev, word, m = rows[k], self.word, self.m
        if prev is None:  # left out under a lower ceiling: wanted now
            prev = rows[k] = _row(rows[k - 1], *word.step(plans[k - 1]), m)[0]
        steps = word.steps
        for letter in plan[k:]:
            found = steps[letter] if letter < len(steps) else None
            matches, inserted = found if found is not None else word.step(letter)
            prev, lowest = _row(prev, matches, inserted, m, ceiling)
            plans.append(letter)
            rows.append(prev)
            lows.append(lowest)
            if prev is None:
                return INFINITY
        return prev[m]

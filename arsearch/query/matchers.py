"""The matchers of arsearch's query nodes: :class:`CoordMatcher` (a question's share of
words) and :class:`PairPhraseMatcher` (a phrase checked only in the documents holding its
word pairs)."""

from __future__ import annotations

import math
from collections.abc import Iterator

from whoosh import matching
from whoosh.matching import NullMatcher, ReadTooFar, binary, mcore
from whoosh.util import make_binary_tree


class CoordMatcher(matching.Matcher):
    def __init__(self, subs, exponent: float, boost: float = 1.0):
        self._subs = subs
        self._n = len(subs)
        self._exponent = exponent
        self._boost = boost
        self._id = self._min_id()

    def _min_id(self):
        ids = [m.id() for m in self._subs if m.is_active()]
        return min(ids) if ids else None

    def copy(self):
        return CoordMatcher([m.copy() for m in self._subs], self._exponent, self._boost)

    def children(self):
        return self._subs

    def is_active(self):
        return self._id is not None

    def id(self):
        return self._id

    def reset(self):
        for m in self._subs:
            m.reset()
        self._id = self._min_id()

    def supports_block_quality(self):
        return False

    def max_quality(self):
        # Whoosh's union of this and a bonus (lead, proximity) asks for an upper bound of
        # the scores: the share is ≤ 1; a sub-matcher without one leaves it unbounded.
        try:
            return self._boost * sum(m.max_quality() for m in self._subs if m.is_active())
        except matching.NoQualityAvailable:
            return math.inf

    def replace(self, minquality=0):
        return self if self.is_active() else matching.NullMatcher()

    def next(self):
        if self._id is None:
            raise matching.ReadTooFar
        current = self._id
        for m in self._subs:
            if m.is_active() and m.id() == current:
                m.next()
        self._id = self._min_id()

    def skip_to(self, id):
        if self._id is None:
            raise matching.ReadTooFar
        for m in self._subs:
            if m.is_active() and m.id() < id:
                m.skip_to(id)
        self._id = self._min_id()

    def score(self):
        current, total, k = self._id, 0.0, 0
        for m in self._subs:
            if m.is_active() and m.id() == current:
                total += m.score()
                k += 1
        return total * self._boost * (k / self._n) ** self._exponent

    def weight(self):
        current = self._id
        return sum(m.weight() for m in self._subs if m.is_active() and m.id() == current)


class PairPhraseMatcher(mcore.Matcher):
    """Documents of the pair postings whose words stand at consecutive positions."""

    def __init__(self, pairs: list | None, words: list, boost: float):
        self._pair_ms = pairs
        self._word_ms = words
        self._words = make_binary_tree(binary.IntersectionMatcher, words)
        self._boost = boost
        self._active = pairs is not None
        if self._active:
            self._pairs = make_binary_tree(binary.IntersectionMatcher, pairs)
            self._find()

    def _consecutive(self) -> bool:
        first, *rest = [m.value_as("positions") for m in self._word_ms]
        if not rest:
            return True
        later = [set(p) for p in rest]
        return any(all(p + i in s for i, s in enumerate(later, 1)) for p in first)

    def _find(self) -> None:
        pairs, words = self._pairs, self._words
        while pairs.is_active() and words.is_active():
            target = pairs.id()
            if words.id() < target:
                words.skip_to(target)
                if not words.is_active():
                    break
            got = words.id()
            if got == target and self._consecutive():
                return
            if got > target:
                pairs.skip_to(got)
            else:
                pairs.next()
        self._active = False

    def is_active(self) -> bool:
        return self._active

    def id(self) -> int:
        return self._words.id()

    def next(self) -> None:
        if not self._active:
            raise ReadTooFar
        self._pairs.next()
        self._find()

    def skip_to(self, id: int) -> None:
        if not self._active:
            raise ReadTooFar
        if id <= self.id():
            return
        self._pairs.skip_to(id)
        self._find()

    def score(self) -> float:
        s = self._words.score()
        return s * self._boost if self._boost != 1.0 else s

    def weight(self) -> float:
        return self._words.weight()

    # The bounds of Whoosh's phrase matcher (a boost around the words' intersection),
    # which Whoosh's collector asks for when it simplifies a tree of unions.
    def max_quality(self) -> float:
        q = self._words.max_quality()
        return q * self._boost if self._boost != 1.0 else q

    def block_quality(self) -> float:
        q = self._words.block_quality()
        return q * self._boost if self._boost != 1.0 else q

    def spans(self):
        return []

    def supports(self, astype: str) -> bool:
        return False

    def children(self) -> list:
        return [self._words]

    def depth(self) -> int:
        return 1 + self._words.depth()

    def replace(self, minquality: float = 0):
        return self if self._active else NullMatcher()

    def copy(self):
        raise NotImplementedError("a pair phrase matcher is not copied")

    def all_ids(self) -> Iterator[int]:
        while self.is_active():
            yield self.id()
            self.next()

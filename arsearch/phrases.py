"""Word pairs: fast phrase queries with the results of Whoosh's own.

Whoosh answers a phrase by walking the postings of every word and comparing positions
in each document that holds them all: a name of two common words (حكومة الوفاق) costs
thousands of position checks. arsearch also indexes every pair of adjacent words of
the ``clitic`` view as one term of a ``{field}_pair`` field ("حكومه وفاق"), documents
only. A phrase then starts from the few documents holding its word pairs and checks
positions there alone:

- the candidates (documents holding every adjacent pair of the phrase, in the clitic
  view) are a superset of the documents matching the phrase in the ``exact`` or the
  ``clitic`` view, since a word's clitic term follows from its exact term;
- each candidate is checked on the phrase's own field and view with the rule of
  Whoosh's ``Phrase`` at ``slop=1`` (the words at consecutive positions);
- its score is Whoosh's: the sum of the words' scores, times the boost.

So :class:`PairPhrase` matches and scores exactly as ``whoosh.query.Phrase``; it falls
back to it when the slop is not 1 (a stopword inside the quoted phrase) or the index
has no pair field.
"""

from __future__ import annotations

import copy
from typing import Any, Iterable, Iterator

from whoosh import query as wq
from whoosh.analysis import Analyzer, Token
from whoosh.matching import NullMatcher, ReadTooFar, binary, mcore
from whoosh.util import make_binary_tree

from .pipeline import DEFAULT_CONFIG, AnalysisConfig

__all__ = ["PAIR_VIEW", "WordPairAnalyzer", "PairPhrase", "pair_terms", "adjacent_pairs", "without_pairs"]

#: The view word pairs are built from: the loosest view phrases are searched in.
PAIR_VIEW = "clitic"
_SEP = " "  # never inside a term: terms are runs of letters, marks and digits


def pair_terms(terms: list[str]) -> list[str]:
    """The pair terms of consecutive words: ``["a", "b", "c"]`` → ``["a b", "b c"]``."""
    return [a + _SEP + b for a, b in zip(terms, terms[1:])]


def adjacent_pairs(terms: Iterable[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """``(pair term, position of its first word)`` of the ``(term, position)`` that stand
    at consecutive positions (a dropped stopword leaves a gap: no pair spans it). A word
    with several readings has several terms at its position: each pairs with each
    reading of its neighbours, so a phrase of any of their readings has its pairs."""
    prev: list[str] = []
    prev_pos = -2
    current: list[str] = []
    pos = -2
    for text, at in terms:
        if at != pos:
            prev, prev_pos, current, pos = current, pos, [], at
        current.append(text)
        if pos == prev_pos + 1:
            for before in prev:
                yield before + _SEP + text, prev_pos


class WordPairAnalyzer(Analyzer):
    """Yields one term per pair of words at consecutive positions in the ``clitic``
    view, of each reading of the two (stopwords leave a gap, so no pair spans one). Module-level and comparable:
    Whoosh pickles it into the schema."""

    def __init__(self, config: AnalysisConfig = DEFAULT_CONFIG):
        self.config = config

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.config == other.config

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.config))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(config={self.config!r})"

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        if not tokenize:
            t.text = value
            yield t
            return
        words = ((w.text, w.pos) for w in _view_analyzer(self.config)(value, positions=True, start_pos=start_pos))
        for pair, pos in adjacent_pairs(words):
            t.text = pair
            if positions:
                t.pos = pos
            yield t


_ANALYZERS: dict[AnalysisConfig, Any] = {}


def _view_analyzer(config: AnalysisConfig):
    analyzer = _ANALYZERS.get(config)
    if analyzer is None:
        from .analysis import ArabicAnalyzer

        analyzer = _ANALYZERS[config] = ArabicAnalyzer(PAIR_VIEW, config)
    return analyzer


class PairPhrase(wq.Phrase):
    """``Phrase(fieldname, words, slop=1, boost)`` answered through word pairs.

    ``pairfield`` is the index's pair field and ``pairs`` the pair terms of the
    phrase's words in the clitic view. Matches and scores as ``Phrase``.
    """

    def __init__(self, fieldname: str, words: list[str], pairfield: str, pairs: list[str],
                 slop: int = 1, boost: float = 1.0):
        super().__init__(fieldname, words, slop=slop, boost=boost)
        self.pairfield = pairfield
        self.pairs = pairs

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.pairfield == other.pairfield and self.pairs == other.pairs

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(tuple(self.pairs))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.words!r}, pairs={self.pairs!r}, boost={self.boost:f})"

    def normalize(self):
        if len(self.words) < 2 or None in self.words:
            return wq.Phrase(self.fieldname, self.words, slop=self.slop, boost=self.boost).normalize()
        return self

    def matcher(self, searcher, context=None):
        schema = searcher.schema
        if self.slop != 1 or not self.pairs or self.pairfield not in schema or self.fieldname not in schema:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        # The terms and matchers of Whoosh's Phrase.matcher, built the same way.
        field = schema[self.fieldname]
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, word) not in reader:
                return NullMatcher()
            terms.append(wq.Term(self.fieldname, word))
        span_q = wq.SpanNear2(terms, slop=1, ordered=True, mindist=1)
        context = span_q._span_context(context)
        words = [t.matcher(searcher, context) for t in terms]
        pair_field = schema[self.pairfield]
        pair_bytes = [pair_field.to_bytes(p) for p in self.pairs]
        if any((self.pairfield, b) not in reader for b in pair_bytes):
            # No document holds the phrase. The word matchers still count for
            # Whoosh's coordination bonus (Or(scale=...)), as in Phrase.matcher.
            return _PairPhraseMatcher(None, words, self.boost)
        pairs = [reader.postings(self.pairfield, b) for b in pair_bytes]
        return _PairPhraseMatcher(pairs, words, self.boost)


def without_pairs(q):
    """The same query with each :class:`PairPhrase` as Whoosh's own ``Phrase`` (for
    comparisons; Whoosh's ``Query.accept`` would drop ``Or.scale``, so the tree is
    copied node by node)."""
    if isinstance(q, PairPhrase):
        return wq.Phrase(q.fieldname, q.words, slop=q.slop, boost=q.boost)
    q = copy.copy(q)
    if isinstance(q, wq.CompoundQuery):
        q.subqueries = [without_pairs(s) for s in q.subqueries]
    for attr in ("a", "b", "child"):
        if isinstance(getattr(q, attr, None), wq.Query):
            setattr(q, attr, without_pairs(getattr(q, attr)))
    return q


class _PairPhraseMatcher(mcore.Matcher):
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

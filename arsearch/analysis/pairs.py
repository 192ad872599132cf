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

from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.analysis import Analyzer, Token

from ..pipeline import DEFAULT_CONFIG, AnalysisConfig
from .filters import ArabicAnalyzer

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
        analyzer = _ANALYZERS[config] = ArabicAnalyzer(PAIR_VIEW, config)
    return analyzer

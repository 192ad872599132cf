"""Whoosh tokenizer and filters around the pure analysis functions.

Each class is module-level, picklable and comparable: Whoosh pickles the schema,
analyzers included, into every index. The chain is::

    ArabicTokenizer() | ArabicNormalizeFilter() | ArabicStopFilter() | ViewFilter("stem")

:func:`ArabicAnalyzer` builds the same analysis for one view as
``ArabicTokenizer() | ArabicTermFilter(view, config)``: the last three steps fused
into one cached lookup per token (same terms, a third of the time).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Filter, Token, Tokenizer

from ..pipeline import (
    DEFAULT_CONFIG,
    VIEWS,
    AnalysisConfig,
    token_normalizer,
    token_terms,
)
from ..pipeline.lexicon import is_stopword, stopwords
from ..pipeline.normalization import DEFAULT_HAMZA_SEATS
from ..pipeline.tokenizer import MAX_TOKEN_CHARS, WORD

__all__ = [
    "Comparable",
    "ArabicTokenizer",
    "ArabicNormalizeFilter",
    "ArabicStopFilter",
    "ViewFilter",
    "ArabicTermFilter",
    "ArabicAnalyzer",
]


class Comparable:
    """Equality, hashing and repr from the instance's attributes: Whoosh compares
    schemas, analyzers included, when it opens an index."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(self.__dict__.items()))))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({args})"


class ArabicTokenizer(Comparable, Tokenizer):
    """Whoosh tokenizer over :func:`arsearch.tokenize`: harakat stay inside the word,
    offsets point into the original text."""

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
        if not isinstance(value, str):
            raise TypeError(f"expected str, not {type(value).__name__}")
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        # The loop of arsearch.tokenize, inlined: this is the analyzer's hot path.
        position = start_pos
        for match in WORD.finditer(value):
            start, end = match.span()
            if end - start > MAX_TOKEN_CHARS:
                continue
            t.text = text = value[start:end]
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = position
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            position += 1
            yield t


class ArabicNormalizeFilter(Comparable, Filter):
    """Replace each token's text by :func:`arsearch.normalize` of it; drop empty ones."""

    def __init__(self, hamza_seats: str = DEFAULT_HAMZA_SEATS):
        self.hamza_seats = hamza_seats

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        normalize = token_normalizer(self.hamza_seats)
        for t in tokens:
            t.written, t.text = t.text, normalize(t.text)  # ArabicStopFilter reads it: علي, not على
            if t.text:
                yield t


class ArabicStopFilter(Comparable, Filter):
    """Drop the shipped Arabic stopwords (normalized; after :class:`ArabicNormalizeFilter`,
    as :func:`arsearch.pipeline.lexicon.is_stopword` tells them from the written token: علي
    is a name). Positions keep their gaps, so a phrase matches only words that really stood
    side by side."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stop = stopwords()
        for t in tokens:
            written = getattr(t, "written", None)  # None: no ArabicNormalizeFilter before
            if (t.text in stop) if written is None else is_stopword(written, t.text, stop):
                if not t.removestops:
                    t.stopped = True
                    yield t
            else:
                yield t


class ViewFilter(Comparable, Filter):
    """Map a normalized token to its terms in one view: ``exact``, ``clitic`` or ``stem``
    (one per reading of its first letters, at the token's position)."""

    def __init__(self, view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG):
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
        self.view = view
        self.config = config

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        config, view = self.config, self.view
        view_terms, written_view_terms = config.view_terms, config.written_view_terms
        for t in tokens:
            written = getattr(t, "written", None)  # None: no ArabicNormalizeFilter before
            terms = view_terms(t.text, view) if written is None else written_view_terms(written, t.text, view)
            for term in terms:
                t.text = term
                yield t


class ArabicTermFilter(ViewFilter):
    """Normalize, drop stopwords and map to one view in a single step: one cached
    lookup per token (:func:`arsearch.pipeline.token_terms`). Gives the terms of
    ``ArabicNormalizeFilter() | ArabicStopFilter() | ViewFilter(view, config)``."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        term_of = token_terms(self.view, self.config)
        for t in tokens:
            terms, is_stop = term_of(t.text)
            if not terms:
                continue
            if is_stop:
                if t.removestops:
                    continue
                t.stopped = True
            for term in terms:  # a word's readings stand at its one position
                t.text = term
                yield t


def ArabicAnalyzer(view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG):  # noqa: N802 (Whoosh style)
    """The Whoosh analyzer of one view: tokenize → normalize → stopwords → view.

    >>> [t.text for t in ArabicAnalyzer("clitic")("وَصَلَ حفتر إلى دمشق")]
    ['وصل', 'حفتر', 'دمشق']
    """
    return ArabicTokenizer() | ArabicTermFilter(view, config)



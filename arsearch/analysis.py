"""Whoosh adapters around the pure analysis functions.

Each class is module-level, picklable and comparable: Whoosh pickles the schema,
analyzers included, into every index. The pipeline is::

    ArabicTokenizer() | ArabicNormalizeFilter() | ArabicStopFilter() | ViewFilter("stem")

and :func:`ArabicAnalyzer` builds it for one view.
"""

from __future__ import annotations

from typing import Any, Iterator

from whoosh.analysis import Filter, Token, Tokenizer

from .normalization import DEFAULT_HAMZA_SEATS, normalize
from .pipeline import DEFAULT_CONFIG, VIEWS, AnalysisConfig
from .stemming import stopwords
from .tokenizer import iter_tokens

__all__ = ["ArabicTokenizer", "ArabicNormalizeFilter", "ArabicStopFilter", "ViewFilter", "ArabicAnalyzer"]


class _Comparable:
    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(self.__dict__.items()))))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({args})"


class ArabicTokenizer(_Comparable, Tokenizer):
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
        for token in iter_tokens(value):
            t.text = token.text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = token.text
            if positions:
                t.pos = start_pos + token.position
            if chars:
                t.startchar = start_char + token.start
                t.endchar = start_char + token.end
            yield t


class ArabicNormalizeFilter(_Comparable, Filter):
    """Replace each token's text by :func:`arsearch.normalize` of it; drop empty ones."""

    def __init__(self, hamza_seats: str = DEFAULT_HAMZA_SEATS):
        self.hamza_seats = hamza_seats

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        seats = self.hamza_seats
        for t in tokens:
            t.text = normalize(t.text, hamza_seats=seats)
            if t.text:
                yield t


class ArabicStopFilter(_Comparable, Filter):
    """Drop the shipped Arabic stopwords (normalized). Positions keep their gaps, so a
    phrase matches only words that really stood side by side."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stop = stopwords()
        for t in tokens:
            if t.text in stop:
                if not t.removestops:
                    t.stopped = True
                    yield t
            else:
                yield t


class ViewFilter(_Comparable, Filter):
    """Map a normalized token to its term in one view: ``exact``, ``clitic`` or ``stem``."""

    def __init__(self, view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG):
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
        self.view = view
        self.config = config

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        view_term = self.config.view_term
        view = self.view
        for t in tokens:
            t.text = view_term(t.text, view)
            yield t


def ArabicAnalyzer(view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG):  # noqa: N802 (Whoosh style)
    """The Whoosh analyzer of one view: tokenize → normalize → stopwords → view.

    >>> [t.text for t in ArabicAnalyzer("clitic")("وَصَلَ حفتر إلى دمشق")]
    ['وصل', 'حفتر', 'دمشق']
    """
    chain = ArabicTokenizer() | ArabicNormalizeFilter(config.hamza_seats)
    if config.stopwords:
        chain = chain | ArabicStopFilter()
    if view != "exact":
        chain = chain | ViewFilter(view, config)
    return chain

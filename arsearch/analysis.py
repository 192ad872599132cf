"""Whoosh adapters around the pure analysis functions.

Each class is module-level, picklable and comparable: Whoosh pickles the schema,
analyzers included, into every index. The pipeline is::

    ArabicTokenizer() | ArabicNormalizeFilter() | ArabicStopFilter() | ViewFilter("stem")

:func:`ArabicAnalyzer` builds the same analysis for one view as
``ArabicTokenizer() | ArabicTermFilter(view, config)``: the last three steps fused
into one cached lookup per token (same terms, a third of the time).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any, Iterator

from whoosh import fields as wf
from whoosh import formats
from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.system import emptybytes

from .codec import CompactPositions
from .normalization import DEFAULT_HAMZA_SEATS, token_normalizer
from .phrases import PAIR_VIEW, WordPairAnalyzer, adjacent_pairs
from .pipeline import DEFAULT_CONFIG, VIEWS, AnalysisConfig, token_terms, token_views
from .stemming import stopwords
from .tokenizer import _WORD, MAX_TOKEN_CHARS

__all__ = [
    "ArabicTokenizer",
    "ArabicNormalizeFilter",
    "ArabicStopFilter",
    "ViewFilter",
    "ArabicTermFilter",
    "ArabicAnalyzer",
    "ViewField",
    "PairField",
]


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
        # The loop of arsearch.tokenize, inlined: this is the analyzer's hot path.
        position = start_pos
        for match in _WORD.finditer(value):
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


class ArabicNormalizeFilter(_Comparable, Filter):
    """Replace each token's text by :func:`arsearch.normalize` of it; drop empty ones."""

    def __init__(self, hamza_seats: str = DEFAULT_HAMZA_SEATS):
        self.hamza_seats = hamza_seats

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        normalize = token_normalizer(self.hamza_seats)
        for t in tokens:
            t.text = normalize(t.text)
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
    """Map a normalized token to its terms in one view: ``exact``, ``clitic`` or ``stem``
    (one per reading of its first letters, at the token's position)."""

    def __init__(self, view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG):
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
        self.view = view
        self.config = config

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        config, view = self.config, self.view
        view_terms = config.view_terms
        for t in tokens:
            for term in view_terms(t.text, view):
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


# --- indexing: every view of a text from one analysis ----------------------------------
class _Analyzed:
    """The tokens of one text, and their terms in each view, computed once.

    Whoosh indexes each field of a document on its own, and arsearch indexes a text
    in several views and as word pairs: tokenizing it once and looking each token up
    once per view gives the terms of :class:`ArabicAnalyzer` (same terms, same
    positions: stopwords and mark-only tokens keep their place) for a fraction of
    the work."""

    __slots__ = ("value", "config", "tokens", "views")

    def __init__(self, value: str, config: AnalysisConfig):
        self.value, self.config, self.views = value, config, {}
        self.tokens = [token for token in _WORD.findall(value) if len(token) <= MAX_TOKEN_CHARS]

    def terms(self, view: str) -> list[tuple[str, int]]:
        """``(term, position)`` of the words kept in ``view``, in text order; a word's
        readings (see :meth:`AnalysisConfig.view_terms`) at its one position."""
        if not self.views:
            self._analyze()
        return self.views[view]

    def _analyze(self) -> None:
        # every view at once: the index holds them all
        exact, clitic, stem = self.views["exact"], self.views["clitic"], self.views["stem"] = [], [], []
        terms_of = token_views(self.config)
        for position, token in enumerate(self.tokens):
            e, c, s, is_stop = terms_of(token)
            if is_stop or not e:
                continue
            exact.append((e[0], position))
            clitic += [(t, position) for t in c]
            stem += [(t, position) for t in s]

    def length(self) -> int:
        """The words kept, in any view: a word's readings share its position and count
        once (as Lucene's BM25 discounts overlapping tokens), so a text is no longer for
        holding ambiguous words."""
        if not self.views:
            self._analyze()
        return len(self.views["exact"])


_LAST = threading.local()


def _analyzed(value: str, config: AnalysisConfig) -> _Analyzed:
    """The analysis of ``value``; the last text a thread indexed is remembered (the
    views of one text are indexed one after another)."""
    last = getattr(_LAST, "analyzed", None)
    if last is None or last.value is not value or last.config != config:
        last = _LAST.analyzed = _Analyzed(value, config)
    return last


def _postings(fmt: formats.Format, occurrences: dict[str, Any]) -> Iterator[tuple[bytes, int, float, bytes]]:
    """``FieldType.index`` output for terms and their positions (a list per term; for
    an Existence format only the terms count), encoded as ``fmt`` encodes them
    (positions, a frequency, or nothing)."""
    fb = fmt.field_boost
    if type(fmt) is CompactPositions or type(fmt) is formats.Positions:
        for term, positions in occurrences.items():
            yield term.encode("utf-8"), len(positions), len(positions) * fb, fmt.encode(positions)
    elif type(fmt) is formats.Frequency:
        for term, positions in occurrences.items():
            yield term.encode("utf-8"), len(positions), len(positions) * fb, formats.pack_uint(len(positions))
    else:
        for term in occurrences:
            yield term.encode("utf-8"), 1, fb, emptybytes


_OWN_FORMATS = (CompactPositions, formats.Positions, formats.Frequency)


class ViewField(wf.TEXT):
    """A text field of one view (:func:`ArabicAnalyzer`), indexed from the text's
    shared analysis."""

    def __init__(self, view: str, config: AnalysisConfig = DEFAULT_CONFIG, phrase: bool = True,
                 compact: bool = True):
        super().__init__(analyzer=ArabicAnalyzer(view, config), phrase=phrase)
        if phrase and compact:  # positions as 32-bit integers (see arsearch.codec)
            self.format = CompactPositions(field_boost=self.format.field_boost)
        self.view, self.config = view, config

    def index(self, value: Any, **kwargs: Any):
        if kwargs or type(value) is not str or type(self.format) not in _OWN_FORMATS:
            return super().index(value, **kwargs)
        occurrences: dict[str, list[int]] = defaultdict(list)
        for term, position in _analyzed(value, self.config).terms(self.view):
            occurrences[term].append(position)
        return _postings(self.format, occurrences)

    def length(self, value: Any) -> int | None:
        """The field length BM25 sees for ``value``: its words, each counted once
        whatever its readings (``None`` when :meth:`index` took Whoosh's way)."""
        if type(value) is not str or type(self.format) not in _OWN_FORMATS:
            return None
        return _analyzed(value, self.config).length()


class PairField(wf.FieldType):
    """The word pairs of a text (see :mod:`arsearch.phrases`): documents only."""

    def __init__(self, config: AnalysisConfig = DEFAULT_CONFIG):
        super().__init__(formats.Existence(), WordPairAnalyzer(config))
        self.config = config

    def index(self, value: Any, **kwargs: Any):
        if kwargs or type(value) is not str:
            return super().index(value, **kwargs)
        pairs = dict.fromkeys(pair for pair, _ in adjacent_pairs(_analyzed(value, self.config).terms(PAIR_VIEW)))
        return _postings(self.format, pairs)

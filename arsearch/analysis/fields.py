"""The index's text fields: one per view, and the word pairs, all fed by one analysis.

A document's text is indexed in several fields (``body_exact``, ``body_clitic``,
``body_stem``, ``body_pair``, and the same for the title), each holding the same ``str``
object. Whoosh indexes a document's fields one at a time, in sorted order of their names,
so a text's fields arrive one after another: :func:`_analyzed` remembers the last text a
thread analysed (by identity) and every view of it reads its terms from that one
:class:`_Analyzed`. The contract has two halves: the writer hands each text over as one
object to all of its fields (``arsearch.index``), and Whoosh visits the fields of a
document in sorted order (``SegmentWriter.add_document``). If either changes, the texts
are analysed once per field: the same terms, only slower.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from whoosh import fields as wf
from whoosh import formats
from whoosh.system import emptybytes

from ..codec import CompactPositions
from ..pipeline import DEFAULT_CONFIG, AnalysisConfig, token_views
from ..pipeline.tokenizer import MAX_TOKEN_CHARS, WORD
from .filters import ArabicAnalyzer
from .pairs import PAIR_VIEW, WordPairAnalyzer, adjacent_pairs


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
        # iter_tokens's loop without offsets (positions come from the order): the indexing hot path
        self.tokens = [token for token in WORD.findall(value) if len(token) <= MAX_TOKEN_CHARS]

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
    """The word pairs of a text (see :mod:`arsearch.analysis.pairs`): documents only."""

    def __init__(self, config: AnalysisConfig = DEFAULT_CONFIG):
        super().__init__(formats.Existence(), WordPairAnalyzer(config))
        self.config = config

    def index(self, value: Any, **kwargs: Any):
        if kwargs or type(value) is not str:
            return super().index(value, **kwargs)
        pairs = dict.fromkeys(pair for pair, _ in adjacent_pairs(_analyzed(value, self.config).terms(PAIR_VIEW)))
        return _postings(self.format, pairs)

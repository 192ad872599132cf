"""Whoosh adapters: the analyzer chain, the view fields and word pairs.

Whoosh pickles the schema into every index, so the classes below are part of the index
format under the names ``arsearch.analysis.<Class>``: they are re-exported here (as
Whoosh's own packages do) and carry that module name, whichever file holds them.

- ``filters``: :class:`ArabicTokenizer` and the filters, :func:`ArabicAnalyzer`;
- ``pairs``: the word-pair terms and :class:`WordPairAnalyzer`;
- ``fields``: :class:`ViewField` and :class:`PairField`, which index every view of a
  text from one analysis.
"""

from __future__ import annotations

from .fields import PairField, ViewField
from .filters import (
    ArabicAnalyzer,
    ArabicNormalizeFilter,
    ArabicStopFilter,
    ArabicTermFilter,
    ArabicTokenizer,
    Comparable,
    ViewFilter,
)
from .pairs import PAIR_VIEW, WordPairAnalyzer, adjacent_pairs, pair_terms

for _pickled in (
    ArabicTokenizer,
    ArabicNormalizeFilter,
    ArabicStopFilter,
    ViewFilter,
    ArabicTermFilter,
    ViewField,
    PairField,
    WordPairAnalyzer,
):
    _pickled.__module__ = __name__  # the name pickled into indexes, whichever file holds it
del _pickled

__all__ = [
    "ArabicAnalyzer",
    "ArabicNormalizeFilter",
    "ArabicStopFilter",
    "ArabicTermFilter",
    "ArabicTokenizer",
    "Comparable",
    "PAIR_VIEW",
    "PairField",
    "ViewField",
    "ViewFilter",
    "WordPairAnalyzer",
    "adjacent_pairs",
    "pair_terms",
]

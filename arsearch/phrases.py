"""The old home of the word-pair analyzer, kept because indexes written by arsearch 0.1
pickled it under the name ``arsearch.phrases.WordPairAnalyzer``. Remove with the next
``SCHEMA_VERSION`` (see docs/index-format.md)."""

from .analysis.pairs import WordPairAnalyzer

__all__ = ["WordPairAnalyzer"]

"""The analysis as plain functions over ``str``: characters, normalization, the tokenizer,
stemming, derivation, and the views with the only term caches. Nothing here imports Whoosh.

``AnalysisConfig`` is pickled into every index under the name
``arsearch.pipeline.AnalysisConfig``, so it is re-exported here and keeps that name.
"""

from __future__ import annotations

from .views import (
    DEFAULT_CONFIG,
    TERM_CACHE_SIZE,
    VIEWS,
    AnalysisConfig,
    Term,
    analyze,
    analyze_terms,
    clear_caches,
    stem,
    token_normalizer,
    token_terms,
    token_views,
)

AnalysisConfig.__module__ = __name__  # its pickled name, whichever file it lives in

__all__ = [
    "AnalysisConfig",
    "DEFAULT_CONFIG",
    "TERM_CACHE_SIZE",
    "VIEWS",
    "Term",
    "analyze",
    "analyze_terms",
    "clear_caches",
    "stem",
    "token_normalizer",
    "token_terms",
    "token_views",
]

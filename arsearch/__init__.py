"""arsearch: full-text search for Arabic on an embedded Whoosh index."""

from __future__ import annotations

from .api import search
from .errors import (
    ArsearchError,
    CorruptIndexError,
    DocumentError,
    IndexLockedError,
    IndexNotFoundError,
    QueryError,
    SchemaMismatchError,
    StorageError,
)
from .index import Batch, Index
from .pipeline import AnalysisConfig, analyze, stem
from .pipeline.normalization import normalize
from .pipeline.tokenizer import Token, tokenize
from .searching import Document, Hit, Results

__version__ = "0.1.0"

__all__ = [
    "ArsearchError",
    "CorruptIndexError",
    "DocumentError",
    "IndexLockedError",
    "IndexNotFoundError",
    "QueryError",
    "SchemaMismatchError",
    "StorageError",
    "AnalysisConfig",
    "Batch",
    "Document",
    "Hit",
    "Results",
    "Index",
    "search",
    "Token",
    "analyze",
    "normalize",
    "stem",
    "tokenize",
]

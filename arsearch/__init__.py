"""arsearch: full-text search for Arabic on an embedded Whoosh index."""

from __future__ import annotations

from .errors import (
    ArsearchError,
    DocumentError,
    IndexLockedError,
    IndexNotFoundError,
    QueryError,
    SchemaMismatchError,
    StorageError,
)
from .normalization import normalize
from .stemming import stem
from .tokenizer import Token, tokenize
from .pipeline import AnalysisConfig, analyze
from .index import Batch, Document, Hit, Index
from .api import search

__version__ = "0.1.0"

__all__ = [
    "ArsearchError",
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
    "Index",
    "search",
    "Token",
    "analyze",
    "normalize",
    "stem",
    "tokenize",
]

"""arsearch's one error hierarchy: every message says what to do next."""

from __future__ import annotations

from whoosh.codec.whoosh3 import CorruptIndexError as _WhooshCorruptIndexError


class ArsearchError(Exception):
    """Base class of every error arsearch raises on purpose."""


class IndexNotFoundError(ArsearchError):
    """The index directory does not exist or holds no arsearch index."""


class IndexLockedError(ArsearchError):
    """Another writer held the index lock for longer than the timeout."""


class SchemaMismatchError(ArsearchError):
    """The index was built by another analyzer or schema version."""


class QueryError(ArsearchError):
    """A query could not be understood (raised only with ``strict=True``)."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


class DocumentError(ArsearchError):
    """A document was refused (for example an empty id)."""


class StorageError(ArsearchError):
    """Writing the index failed (disk full, permissions); the last commit is intact."""


class CorruptIndexError(ArsearchError, _WhooshCorruptIndexError):
    """The index's files are damaged (a postings block that does not decode): rebuild
    the index from its documents. Also a Whoosh ``CorruptIndexError``, which is what
    Whoosh's own readers raise and catch."""

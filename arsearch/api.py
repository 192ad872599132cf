"""One-line search for scripts."""

from __future__ import annotations

import os
from typing import Any

from .index import Index
from .searching import Results

__all__ = ["search"]


def search(query: str, index: str | os.PathLike[str] | Index | None = None, limit: int = 10, **options: Any) -> Results:
    """Search ``index`` (a path, an :class:`Index`, or None for the bundled seeds).

    >>> [h.id for h in search("حفتر")]
    ['000_de690f560e5f0edb']
    """
    if index is None:
        from .seeds import seed_index

        return seed_index().search(query, limit=limit, **options)
    if isinstance(index, Index):
        return index.search(query, limit=limit, **options)
    if not isinstance(index, (str, os.PathLike)):
        raise TypeError(f"index must be a path or an arsearch.Index, not {type(index).__name__}")
    with Index(index, create=False) as ix:
        return ix.search(query, limit=limit, **options)

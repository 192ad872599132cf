"""The one way arsearch keeps a cache on a Whoosh reader or searcher.

A reader belongs to one index generation and its segments never change, so whatever
is computed from it stays true as long as the reader lives, and dies with it: the cache
is a table in the reader's own ``__dict__``, with no invalidation to get wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["kept_on_reader"]

T = TypeVar("T")

_MISSING = object()  # None is a value worth keeping ("this segment has no such column")

#: Entries a table holds by default; a full table is emptied and starts again.
KEPT = 256


def kept_on_reader(owner: Any, name: str, key: Hashable, make: Callable[[], T], limit: int = KEPT) -> T:
    """``make()``, kept on ``owner`` (a reader, a searcher, or one of their parts) under
    ``key`` in its table ``name``, which holds ``limit`` entries at most.

    >>> class Reader: pass
    >>> r = Reader()
    >>> kept_on_reader(r, "_squares", 3, lambda: 9), kept_on_reader(r, "_squares", 3, lambda: 0)
    (9, 9)
    """
    kept = owner.__dict__.setdefault(name, {})
    found = kept.get(key, _MISSING)
    if found is _MISSING:
        if len(kept) >= limit:
            kept.clear()
        found = kept[key] = make()
    return found

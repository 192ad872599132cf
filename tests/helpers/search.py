"""A small in-memory index of texts by id, and the ids a search finds in it."""

from __future__ import annotations

from collections.abc import Mapping

from arsearch import Index


def index_of(docs: Mapping[str, str]) -> Index:
    """An in-memory index of ``{id: text}``."""
    index = Index()
    index.add_many({"id": k, "text": v} for k, v in docs.items())
    return index


def ids(ix: Index, query: str, **options) -> list[str]:
    """The ids of the first 20 hits of ``query``."""
    return [h.id for h in ix.search(query, limit=20, **options)]

"""A batch of adds and deletes written into one commit (:meth:`arsearch.Index.batch`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import ArsearchError
from .schema import document_fields

if TYPE_CHECKING:  # the Index opens batches: only its type is needed here
    from .index import Index


class Batch:
    """Adds and deletes written into one commit, as :meth:`Index.batch` opens it.

    One document per id, the last one given: Whoosh's ``update_document`` replaces
    committed documents only, so a document added earlier in the batch is deleted
    here from the segment being written.
    """

    def __init__(self, index: Index, writer):
        self._index = index
        self._writer = writer
        self._hit_column = "hit" in writer.schema  # not in indexes built before it
        self._new: dict[str, int] = {}  # id -> its number in the segment being written
        self._open = True
        self._failure: BaseException | None = None

    def add(self, id: str, text: str, *, title: str | None = None, **fields: Any) -> None:
        """Add one document to the batch (as :meth:`Index.add`, without its commit)."""
        self._check_open()
        self._put(document_fields(id, text, title, fields, self._index.fields, self._index.entities))

    def add_many(self, docs: Iterable[Mapping[str, Any]]) -> int:
        """Add documents to the batch (as :meth:`Index.add_many` in one process); returns
        how many were added. If one is refused, the batch is not committed."""
        self._check_open()
        written = 0
        try:
            for n, d in enumerate(docs):
                self._put(self._index._prepared(n, d))
                written += 1
        except BaseException as e:
            # Caught or not, the documents before the refused one must stay out of the index.
            self._failure = self._failure or e
            raise
        return written

    def delete(self, id: str) -> bool:
        """Delete the document ``id`` (committed, or added earlier in the batch); returns
        whether it existed."""
        self._check_open()
        if not isinstance(id, str):
            raise TypeError(f"document id must be str, not {type(id).__name__}")
        try:
            deleted = bool(self._writer.delete_by_term("id", id))
            earlier = self._new.pop(id, None)
            if earlier is not None:
                self._writer.newsegment.delete_document(earlier)
        except BaseException as e:
            self._failure = self._failure or e
            raise
        return deleted or earlier is not None

    def _put(self, doc: dict[str, Any]) -> None:
        """Write a document's fields (:meth:`Index._doc_fields`)."""
        writer = self._writer
        if not self._hit_column:
            del doc["hit"]
        docnum = writer.docnum
        earlier = self._new.get(doc["id"])
        try:
            writer.update_document(**doc)
            if earlier is not None:
                writer.newsegment.delete_document(earlier)
        except BaseException as e:
            # A writer that failed half-way must not be committed, even if the caller
            # catches the error and goes on.
            self._failure = self._failure or e
            raise
        self._new[doc["id"]] = docnum

    def _check_open(self) -> None:
        if not self._open:
            raise ArsearchError("this batch has ended (committed or discarded): open a new one with Index.batch()")

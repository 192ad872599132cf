"""TODO docstring."""

from __future__ import annotations

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    _lenfield,
)
from whoosh.columns import NumericColumn


def length_bytes(perdoc, fieldname: str) -> bytes | None:
    """A W3 segment's length column of the field, one byte a document (Whoosh's
    ``length_to_byte`` code, 0 for none), or None when it is not kept that way."""
    col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if type(col) is not NumericColumn.Reader or col._fixedlen != 1:
        return None
    return col._dbfile.get(col._basepos, col._count)

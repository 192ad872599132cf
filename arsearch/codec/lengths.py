"""The field-length column: one byte a document per field (Whoosh's ``length_to_byte``
code), read whole for the array form of BM25 (:func:`arsearch.scoring.term_scores`)."""

from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    _lenfield,
)
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length


def length_bytes(perdoc, fieldname: str) -> bytes | None:
    """A W3 segment's length column of the field, one byte a document (Whoosh's
    ``length_to_byte`` code, 0 for none), or None when it is not kept that way."""
    col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if type(col) is not NumericColumn.Reader or col._fixedlen != 1:
        return None
    return col._dbfile.get(col._basepos, col._count)


#: A field length's value by its byte (Whoosh's ``length_to_byte`` code), decoded as
#: Whoosh's ``doc_field_length`` decodes it.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)

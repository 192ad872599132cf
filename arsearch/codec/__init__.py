"""arsearch's bytes on disk: the postings blocks, the term table and the field lengths.

Whoosh pickles each segment's codec into the table of contents, and the schema holds
the positions format, so :class:`ArsearchCodec` and :class:`CompactPositions` are part
of the index format under the names ``arsearch.codec.<Class>``: they are re-exported
here and carry that module name.

- ``blocks``: the postings block format (the byte layout is in its docstring), the codec;
- ``termtable``: the compact term table (CRC-32 buckets, spilled to disk when large);
- ``lengths``: the field-length column's bytes.
"""

from __future__ import annotations

from .blocks import (
    BLOCK_MAGIC,
    ArsearchCodec,
    ArsearchLeafMatcher,
    ArsearchPostingsWriter,
    CompactPositions,
    encode_block,
    encode_single,
    read_postings,
    term_postings,
)

for _pickled in (ArsearchCodec, CompactPositions):
    _pickled.__module__ = __name__  # the name pickled into indexes, whichever file holds it
del _pickled

__all__ = [
    "BLOCK_MAGIC",
    "ArsearchCodec",
    "ArsearchLeafMatcher",
    "ArsearchPostingsWriter",
    "CompactPositions",
    "encode_block",
    "encode_single",
    "read_postings",
    "term_postings",
]

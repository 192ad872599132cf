"""How postings are stored: Whoosh's W3 codec with blocks that numpy reads directly.

Whoosh's W3 codec writes each block of up to 128 postings as one zlib-compressed pickle
of the document gaps, the weights and the values, and a posting's positions are a
pickle of their own inside its value. Reading a frequent word's postings therefore
unpickles thousands of Python objects, positions included, even when frequencies are
all a search needs: about half of a frequent word's search.

:class:`ArsearchCodec` keeps all the rest of W3 (term table and term infos, columns,
stored fields, segment files) and writes each block as:

- a fixed header: the block's length in bytes (negative for a term's last block), its
  number of postings, first and last document, highest weight, the codes of the three
  sections below, and its shortest and longest field length as Whoosh's length bytes
  (what Whoosh reads to skip blocks);
- the document gaps after the first document, unsigned little-endian integers of 1, 2
  or 4 bytes, the narrowest that holds the block's largest gap;
- the weights: nothing when all are 1, one byte each when all are whole numbers below
  256, 32-bit floats otherwise (Whoosh's weights are 32-bit floats too);
- the values (a posting's positions): nothing when all are empty, else their lengths as
  32-bit integers and their bytes, zlib-compressed from :data:`COMPRESSION_MIN_SIZE`
  bytes up. They are read only when asked for.

:class:`CompactPositions` keeps a posting's positions as little-endian 32-bit integers,
so that the values of a block are one array of positions.

Segments written by Whoosh's W3 codec (indexes built before) are read by it: each
segment names its codec.
"""

from __future__ import annotations

import functools
import struct
import sys
import zlib
from array import array
from collections.abc import Sequence
from operator import sub
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
)
from whoosh.util.numeric import byte_to_length, length_to_byte

from ..errors import CorruptIndexError

__all__ = [
    "ArsearchCodec",
    "ArsearchLeafMatcher",
    "CompactPositions",
    "encode_block",
    "encode_single",
    "read_postings",
    "term_postings",
    "BLOCK_MAGIC",
]

#: Postings per block in :class:`ArsearchCodec`'s segments (W3's: 128). A term's blocks
#: are read at once, each with a header to unpack in Python, so fewer blocks read
#: faster: on 20,000 articles, p50 of a frequent word 0.85 ms against 1.13 at 128, a
#: middle word 0.76 against 0.93, two words 1.12 against 1.42. Whoosh's own matchers
#: skip whole blocks, which a larger block makes coarser; arsearch's searches read
#: arrays (:mod:`arsearch.topk`).
BLOCK_LIMIT = 1024

#: The first bytes of a term's postings written by :class:`ArsearchCodec`.
BLOCK_MAGIC = b"ArP1"
#: length, count, first and last document, highest weight, gap width, weight code,
#: value code, shortest and longest length (as bytes).
_HEAD = struct.Struct("<iHIIfBBBBB")
_F32 = struct.Struct("<f")
_U32 = struct.Struct("<I")
_BIG = sys.byteorder == "big"
_GAP_TYPES = {1: ("B", "<u1"), 2: ("H", "<u2"), 4: ("I", "<u4")}
# weights: all 1.0 / one byte each / 32-bit floats
_ONES, _BYTES, _FLOATS = 0, 1, 2
# values: none / lengths and bytes / the same, zlib-compressed
_NONE, _RAW, _ZLIB = 0, 1, 2
_MAX_BLOCK = 0xFFFF


def _le_bytes(typecode: str, values: Sequence[int] | Sequence[float]) -> bytes:
    """``values`` as a little-endian array of ``typecode``."""
    a = array(typecode, values)
    if _BIG:  # pragma: no cover - every platform Python runs on today is little-endian
        a.byteswap()
    return a.tobytes()


def encode_block(ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes],
                 minlength: int | None, maxlength: int | None, level: int, last: bool) -> bytes:
    """One block of postings as :class:`ArsearchLeafMatcher` reads it: ``ids`` the
    ascending document numbers, ``weights`` and ``values`` theirs, ``minlength`` and
    ``maxlength`` the block's shortest and longest field length (None: not kept),
    ``level`` zlib's (0: no compression), ``last``: the term's last block."""
    n = len(ids)
    if not 0 < n <= _MAX_BLOCK:
        raise ValueError(f"a block holds 1 to {_MAX_BLOCK} postings, not {n}")
    first = ids[0]
    if n > 1:
        # map over C functions, not a generator: this runs for every block of every term
        gap_list = list(map(sub, ids[1:], ids[:-1]))
        widest = max(gap_list)
        width = 1 if widest < 0x100 else 2 if widest < 0x10000 else 4
        gaps = _le_bytes(_GAP_TYPES[width][0], gap_list)
    else:
        width, gaps = 1, b""
    floats = array("f", weights)  # Whoosh keeps weights as 32-bit floats
    top = max(floats)
    maxweight = top if top > 0 else 0.0
    if floats.count(1.0) == n:
        wcode, wbytes = _ONES, b""
    elif all(map(float.is_integer, floats)) and 0 <= min(floats) and top < 256:
        wcode, wbytes = _BYTES, bytes(map(int, floats))
    else:
        wcode, wbytes = _FLOATS, _le_bytes("f", floats)
    if not any(values):
        vcode, vbytes = _NONE, b""
    else:
        if len(values) != n:
            raise ValueError(f"{len(values)} values for {n} postings")
        vbytes = _le_bytes("I", list(map(len, values))) + b"".join(values)
        vcode = _RAW
        if level and len(vbytes) >= COMPRESSION_MIN_SIZE:
            vcode, vbytes = _ZLIB, zlib.compress(vbytes, level)
    length = _HEAD.size - 4 + len(gaps) + len(wbytes) + len(vbytes)
    head = _HEAD.pack(
        -length if last else length, n, first, ids[-1], maxweight, width, wcode, vcode,
        length_to_byte(minlength), length_to_byte(maxlength),
    )
    return head + gaps + wbytes + vbytes


def _weight_section(data: bytes, wcode: int, n: int, at: int) -> tuple[np.ndarray | None, int]:
    """A block's ``n`` weights as stored at ``at`` (None: all 1), and where its values
    start."""
    if wcode == _ONES:
        return None, at
    if wcode == _BYTES:
        return np.frombuffer(data, np.uint8, n, at), at + n
    return np.frombuffer(data, "<f4", n, at), at + 4 * n


def term_postings(postfile, info) -> tuple[np.ndarray, np.ndarray]:
    """:func:`read_postings` of a term, by its ``W3TermInfo`` (not inlined)."""
    offset, length = info.extent()
    if type(length) is tuple:  # W3TermInfo.from_bytes leaves the length as unpack's 1-tuple
        length = length[0]
    return read_postings(postfile.get(offset, length))


def read_postings(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A whole posting list's document numbers (int64) and weights (float64), from its
    bytes (:data:`BLOCK_MAGIC` and its blocks) at once: the gaps of all blocks summed
    by one ``cumsum``, each block's first gap taken from the last document before it."""
    if data[: len(BLOCK_MAGIC)] != BLOCK_MAGIC:
        raise CorruptIndexError(f"bad postings tag {data[:4]!r}: the index is damaged; rebuild it from its documents")
    unpack, size = _HEAD.unpack_from, _HEAD.size
    at, before = len(BLOCK_MAGIC), 0
    counts: list[int] = []
    leads: list[int] = []
    gaps: list[np.ndarray] = []
    weights: list[np.ndarray | None] = []
    try:
        while True:
            length, n, first, last, _, width, wcode, _, _, _ = unpack(data, at)
            counts.append(n)
            leads.append(first - before)
            before = last
            body = at + size
            if n > 1:
                gaps.append(np.frombuffer(data, _GAP_TYPES[width][1], n - 1, body))
            weights.append(_weight_section(data, wcode, n, body + (n - 1) * width)[0])
            if length < 0:
                break
            at += 4 + length
    except (struct.error, ValueError, KeyError) as e:
        raise CorruptIndexError(f"damaged posting list ({e!r}): rebuild the index from its documents") from e
    if len(counts) == 1:  # most terms: one block (up to BLOCK_LIMIT postings)
        ids = np.empty(counts[0], dtype=np.int64)
        ids[0] = leads[0]
        if gaps:
            ids[1:] = gaps[0]
            np.add.accumulate(ids, out=ids)
        w = weights[0]
        return ids, np.ones(len(ids)) if w is None else w.astype(np.float64)
    total = sum(counts)
    deltas = np.empty(total, dtype=np.int64)
    starts = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    deltas[starts] = leads
    if gaps:
        inner = np.ones(total, dtype=bool)
        inner[starts] = False
        deltas[inner] = np.concatenate(gaps)
    ids = np.cumsum(deltas)
    if all(w is None for w in weights):
        tf = np.ones(len(ids), dtype=np.float64)
    else:
        tf = np.concatenate([np.ones(n) if w is None else w for w, n in zip(weights, counts)]).astype(np.float64)
    return ids, tf


_length_byte = functools.lru_cache(maxsize=4096)(length_to_byte)


def encode_single(docnum: int, weight: float, value: bytes, length: int | None, level: int) -> tuple[bytes, float]:
    """``encode_block([docnum], [weight], [value], length, length, level, True)``, for
    the many terms of one posting, and the weight as a 32-bit float."""
    if weight == 1.0:  # most postings: 1.0 is a 32-bit float as it is
        w, wcode, wbytes = 1.0, _ONES, b""
    elif (w := _F32.unpack(_F32.pack(weight))[0]) == 1.0:
        wcode, wbytes = _ONES, b""
    elif 0 <= w < 256 and w == int(w):
        wcode, wbytes = _BYTES, bytes((int(w),))
    else:
        wcode, wbytes = _FLOATS, _F32.pack(w)
    if value:
        vbytes = _U32.pack(len(value)) + value
        vcode = _RAW
        if level and len(vbytes) >= COMPRESSION_MIN_SIZE:
            vcode, vbytes = _ZLIB, zlib.compress(vbytes, level)
    else:
        vcode, vbytes = _NONE, b""
    byte = _length_byte(length)
    head = _HEAD.pack(
        -(_HEAD.size - 4 + len(wbytes) + len(vbytes)), 1, docnum, docnum, w if w > 0 else 0.0, 1, wcode, vcode,
        byte, byte,
    )
    return head + wbytes + vbytes, w


class CompactPositions(formats.Positions):
    """Whoosh's ``Positions`` format with a posting's positions as little-endian 32-bit
    integers (Whoosh's pickles the list of their gaps): encoded and decoded by one
    array call, and a block's positions are one array."""

    def encode(self, poslist: Any) -> bytes:
        try:
            if len(poslist) == 1:  # most words of a document: once
                return _U32.pack(poslist[0])
            return _le_bytes("I", poslist)
        except (struct.error, OverflowError) as e:
            raise ValueError(f"a word position must be an integer from 0 to 2**32 - 1: {list(poslist)[:4]!r}") from e

    def decode_positions(self, valuestring: bytes) -> list[int]:
        a = array("I")
        a.frombytes(valuestring)
        if _BIG:  # pragma: no cover
            a.byteswap()
        return a.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4


class ArsearchPostingsWriter(W3PostingsWriter):
    """W3's postings writer, writing blocks with :func:`encode_block`."""

    def _new_block(self) -> None:
        super()._new_block()
        self._values = []

    def add_posting(self, id_, weight, vbytes, length=None):
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        if not isinstance(id_, int) or not isinstance(weight, (int, float)) or not isinstance(vbytes, bytes):
            raise TypeError(f"a posting is (int, number, bytes), not ({id_!r}, {weight!r}, {vbytes!r})")
        self._ids.append(id_)
        self._weights.append(weight)
        self._values.append(vbytes)  # empty ones too: one value per posting
        if weight > self._maxweight:
            self._maxweight = weight
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(BLOCK_MAGIC)
        self._terminfo.add_block(self)
        self._postfile.write(encode_block(
            self._ids, self._weights, self._values, self._minlength, self._maxlength or None,
            self._compression, last,
        ))
        self._blockcount += 1
        self._new_block()


class ArsearchLeafMatcher(W3LeafMatcher):
    """Reads the postings :class:`ArsearchPostingsWriter` writes, through Whoosh's
    matcher interface, and a block at a time as numpy arrays (:meth:`block_arrays`,
    :meth:`block_positions`)."""

    def _read_header(self) -> None:
        magic = self._postfile.get(self._startoffset, len(BLOCK_MAGIC))
        if magic != BLOCK_MAGIC:
            raise CorruptIndexError(
                f"bad postings tag {magic!r} at offset {self._startoffset} (expected {BLOCK_MAGIC!r}): "
                "the index is damaged; rebuild it from its documents"
            )
        self._baseoffset = self._startoffset + len(BLOCK_MAGIC)

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._arrays = None
        self._i = 0
        head = self._postfile.get(position, _HEAD.size)
        try:
            length, n, first, last, maxweight, width, wcode, vcode, minbyte, maxbyte = _HEAD.unpack(head)
        except struct.error as e:
            raise CorruptIndexError(
                f"damaged postings block at offset {position} ({e}): rebuild the index from its documents"
            ) from e
        if length < 0:
            self._lastblock = True
            length = -length
        if width not in _GAP_TYPES or wcode > _FLOATS or vcode > _ZLIB or n == 0:
            raise CorruptIndexError(
                f"damaged postings block at offset {position}: rebuild the index from its documents"
            )
        self._nextoffset = position + 4 + length
        self._dataoffset = position + _HEAD.size
        self._blocklength, self._first, self._maxid, self._maxweight = n, first, last, maxweight
        self._codes = (width, wcode, vcode)
        self._compression = vcode == _ZLIB
        self._minlength = byte_to_length(minbyte)
        self._maxlength = byte_to_length(maxbyte)

    def _read_data(self) -> None:
        self._data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)

    def _decode(self) -> tuple[np.ndarray, np.ndarray, int]:
        """The whole block's document numbers (int64) and weights (float64), and where
        its values start in the block's bytes."""
        if self._arrays is None:
            if self._data is None:
                self._read_data()
            data, n = self._data, self._blocklength
            width, wcode, _ = self._codes
            if n == 1:
                ids = np.array((self._first,), dtype=np.int64)
            else:
                ids = np.empty(n, dtype=np.int64)
                ids[0] = 0
                np.cumsum(np.frombuffer(data, _GAP_TYPES[width][1], n - 1), out=ids[1:])
                ids += self._first
            stored, at = _weight_section(data, wcode, n, (n - 1) * width)
            weights = np.ones(n, dtype=np.float64) if stored is None else stored.astype(np.float64)
            self._arrays = (ids, weights, at)
        return self._arrays

    def block_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The block's document numbers (int64) and weights (float64), from the current
        posting on."""
        ids, weights, _ = self._decode()
        i = self._i
        return (ids[i:], weights[i:]) if i else (ids, weights)

    def _value_bytes(self) -> tuple[np.ndarray, bytes] | None:
        """Each value's length, and all values' bytes; None if every value is empty."""
        _, _, at = self._decode()
        vcode = self._codes[2]
        if vcode == _NONE:
            return None
        raw = self._data[at:]
        if vcode == _ZLIB:
            raw = zlib.decompress(raw)
        n = self._blocklength
        return np.frombuffer(raw, "<u4", n), raw[4 * n:]

    def block_positions(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(ids, starts, positions)`` of the whole block of a :class:`CompactPositions`
        field: posting ``i``'s positions are ``positions[starts[i]:starts[i + 1]]``."""
        ids, _, _ = self._decode()
        values = self._value_bytes()
        starts = np.zeros(len(ids) + 1, dtype=np.int64)
        if values is None:
            return ids, starts, np.zeros(0, dtype=np.int64)
        lengths, payload = values
        np.cumsum(lengths // 4, out=starts[1:])
        return ids, starts, np.frombuffer(payload, "<u4").astype(np.int64)

    # Whoosh's matcher interface
    def _read_ids(self) -> None:
        self._ids = self._decode()[0].tolist()

    def _read_weights(self) -> None:
        self._weights = self._decode()[1].tolist()

    def _read_values(self) -> None:
        n = self._blocklength
        values = self._value_bytes()
        if values is None:
            self._values = (None if self._fixedsize == 0 else b"",) * n
            return
        lengths, payload = values
        out, at = [], 0
        for size in lengths.tolist():
            out.append(payload[at : at + size])
            at += size
        self._values = tuple(out)

    def block_min_id(self) -> int:
        return self._first


class ArsearchCodec(W3Codec):
    """Whoosh's W3 codec with the postings blocks of :func:`encode_block` (vectors,
    which arsearch does not keep, stay W3's), of up to :data:`BLOCK_LIMIT` postings."""

    def __init__(self, blocklimit: int | None = None, compression: int = 3, inlinelimit: int = 1):
        super().__init__(BLOCK_LIMIT if blocklimit is None else blocklimit, compression, inlinelimit)

    def postings_writer(self, dbfile, byteids: bool = False):
        if byteids:
            return super().postings_writer(dbfile, byteids=True)
        return ArsearchPostingsWriter(
            dbfile, blocklimit=self._blocklimit, compression=self._compression, inlinelimit=self._inlinelimit,
        )

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return ArsearchLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

"""The compact term table: Whoosh's ``OrderedHashWriter`` (its on-disk format, with
CRC-32 as the hash) written from arrays, not one Python dict per term, and spilled to a
temporary file past :data:`TABLE_TERMS` terms."""

from __future__ import annotations

import tempfile
import zlib
from array import array
from typing import Any

import numpy as np
from whoosh.filedb.filetables import (
    OrderedHashWriter,
    _hash_functions,
    _lengths,
    crc_hash,
)
from whoosh.util.numlists import GrowableArray

#: Terms whose place in the term table is kept in memory (12 bytes each) before it is
#: written to a temporary file.
TABLE_TERMS = 1 << 21


class _CompactTermTable(OrderedHashWriter):
    """Whoosh's ``OrderedHashWriter`` keeping its 256 buckets of ``(hash, position)``
    as pairs of arrays, and past :data:`TABLE_TERMS` terms writing them to a temporary
    file in ``spill_dir`` (when given), so that a segment's term table does not grow in
    memory with its vocabulary. It writes the file Whoosh's writes with CRC-32 hashes."""

    arrays: list[tuple[array, array]]
    position: int
    spill_dir: str | None
    spilled: Any  # the temporary file, once one is needed
    chunks: list[list[tuple[int, int]]]  # per bucket: (offset, entries) in that file
    held: int  # entries in memory

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        position = self.position
        self.index.append(position)
        pending = self.pending  # entries not yet written: one write for many terms
        pending += _lengths.pack(len(key), len(value))
        pending += key
        pending += value
        self.position = position + _lengths.size + len(key) + len(value)
        if len(pending) >= PENDING_BYTES:
            self._write_pending()
        hashval = self.hashfn(key)
        hashes, positions = self.arrays[hashval & 255]
        hashes.append(hashval)
        positions.append(position)
        self.lastkey = key
        self.held += 1
        if self.held >= TABLE_TERMS and self.spill_dir is not None:
            self._spill()

    def _write_pending(self) -> None:
        self.dbfile.write(self.pending)
        self.pending = bytearray()

    def tell(self) -> int:
        return self.position

    def _spill(self) -> None:
        if self.spilled is None:
            self.spilled = tempfile.TemporaryFile(dir=self.spill_dir, suffix=".terms")
        f = self.spilled
        f.seek(0, 2)
        for bucket, (hashes, positions) in enumerate(self.arrays):
            if hashes:
                self.chunks[bucket].append((f.tell(), len(hashes)))
                hashes.tofile(f)
                positions.tofile(f)
        self.arrays = _empty_buckets()
        self.held = 0
        self._spill_index()

    def _spill_index(self) -> None:
        """The keys' positions (for Whoosh's nearest-key look-ups) to a file of their own,
        8 bytes each; the array goes on with the type it had reached."""
        if self.index_file is None:
            self.index_file = tempfile.TemporaryFile(dir=self.spill_dir, suffix=".keys")
        array("q", self.index.array).tofile(self.index_file)
        self.index_counts.append(len(self.index))
        self.index = GrowableArray(self.index.typecode)

    def _write_extras(self) -> None:
        if self.index_file is None:
            super()._write_extras()
            return
        # OrderedHashWriter._write_extras, the positions read back from their file: the
        # same bytes, as positions only grow and the array's type follows the largest.
        typecode = self.index.typecode
        self.extras["indextype"] = typecode
        self.extras["indexlen"] = sum(self.index_counts) + len(self.index)
        self.dbfile.write_pickle(self.extras)
        self.index_file.seek(0)
        for n in self.index_counts:
            spilled = array("q")
            spilled.fromfile(self.index_file, n)
            self.dbfile.write_array(array(typecode, spilled))
        self.index.to_file(self.dbfile)
        self.index_file.close()
        self.index_file = None

    def _bucket(self, bucket: int) -> list[tuple[int, int]]:
        """The bucket's entries in the order they were added."""
        hashes, positions = array("I"), array("q")
        for offset, n in self.chunks[bucket]:
            self.spilled.seek(offset)
            hashes.fromfile(self.spilled, n)
            positions.fromfile(self.spilled, n)
        hashes.extend(self.arrays[bucket][0])
        positions.extend(self.arrays[bucket][1])
        return list(zip(hashes, positions))

    def _write_hashes(self) -> None:
        # Whoosh's HashWriter._write_hashes, a bucket's hash table written at once
        self._write_pending()
        dbfile = self.dbfile
        try:
            for bucket in range(256):
                entries = self._bucket(bucket)
                numslots = 2 * len(entries)
                self.directory.append((dbfile.tell(), numslots))
                table = np.zeros(numslots, dtype=_POINTER)
                hashes, positions = [0] * numslots, [0] * numslots
                for hashval, position in entries:
                    slot = (hashval >> 8) % numslots
                    while positions[slot]:  # taken (no entry is at 0: the header is)
                        slot = (slot + 1) % numslots
                    hashes[slot], positions[slot] = hashval, position
                table["hash"], table["position"] = hashes, positions
                dbfile.write(table.tobytes())
        finally:
            self._discard_buckets()

    def _discard_buckets(self) -> None:
        if self.spilled is not None:
            self.spilled.close()
            self.spilled = None

    def discard(self) -> None:
        """Delete the temporary files (also when the segment is cancelled)."""
        self._discard_buckets()
        if self.index_file is not None:
            self.index_file.close()
            self.index_file = None


def _empty_buckets() -> list[tuple[array, array]]:
    return [(array("I"), array("q")) for _ in range(256)]


def compact_term_table(fieldwriter, spill_dir: str | None = None) -> None:
    """Make the term table of a new segment's ``W3FieldWriter`` compact (a writer of
    another codec is left as it is); ``spill_dir``: where it may keep a temporary file.
    Its keys are hashed with CRC-32 instead of MD5 (a tenth of the time): the file names
    its hash function, and Whoosh's reader uses the one it names."""
    table = getattr(fieldwriter, "_tindex", None)
    if type(table) is OrderedHashWriter and not any(table.buckets):
        table.__class__ = _CompactTermTable
        table.arrays = _empty_buckets()
        table.spill_dir, table.spilled, table.held = spill_dir, None, 0
        table.chunks = [[] for _ in range(256)]
        table.index_file, table.index_counts = None, []
        table.position = table.dbfile.tell()  # where the next entry goes (only add writes)
        table.pending = bytearray()
        if table.position == table.startoffset + _TABLE_HEADER:  # nothing added yet
            table.dbfile.seek(table.startoffset + len(_TABLE_MAGIC))
            table.dbfile.write_byte(CRC_HASH)
            table.dbfile.seek(table.position)
            table.hashtype, table.hashfn = CRC_HASH, zlib.crc32


#: Whoosh's ``_pointer`` (a hash table slot: the key's hash and its entry's position).
_POINTER = np.dtype([("hash", ">u4"), ("position", ">i8")])


#: Bytes of term table entries gathered before they are written.
PENDING_BYTES = 1 << 16


#: The number a hash file gives Whoosh's CRC-32 hash function by.
CRC_HASH = _hash_functions.index(crc_hash)


_TABLE_MAGIC = b"HSH3"


_TABLE_HEADER = len(_TABLE_MAGIC) + 1 + 4 + 4  # magic, hash function, two unused ints

"""Indexing memory: a posting pool that groups postings by term, and a compact term table.

Whoosh's own pool keeps every posting as a tuple, sorts them all at commit, and
when its memory limit is reached pickles them one by one into sorted runs on disk
that it merges back. arsearch's views and word pairs make about four postings of
each word, so that sorting and pickling was a quarter of the indexing time.

:class:`TermPool` packs each posting onto its term's bytearray instead (about 20
bytes where a tuple took about 150). Documents arrive in ascending order, so a term's
postings are already sorted and only the distinct terms need sorting. Past its limit
it writes a run of whole terms (one pickle of one bytes object per term) and frees the
memory, so a batch's memory stays bounded.

:func:`compact_term_table` makes Whoosh's term table writer keep each term's hash and
file position in two arrays until it writes them at commit, 12 bytes a term instead of a
tuple of two ints (about 120 bytes): the word pairs make more distinct terms than words.
Past :data:`TABLE_TERMS` terms they go to a temporary file, read back bucket by bucket.
It hashes the terms with CRC-32, which the file names, rather than Whoosh's MD5.
"""

from __future__ import annotations

import functools
import heapq
import struct
import tempfile
import zlib
from array import array
from itertools import groupby
from operator import itemgetter
from pickle import HIGHEST_PROTOCOL, dump, dumps, load
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3FieldWriter,
    W3PostingsWriter,
    W3TermInfo,
    _lenfield,
)
from whoosh.columns import NumericColumn
from whoosh.filedb.filetables import OrderedHashWriter, _hash_functions, _lengths, crc_hash
from whoosh.system import emptybytes, pack_int, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.numlists import GrowableArray, delta_encode
from whoosh.writing import PostingPool

from .codec import BLOCK_MAGIC, ArsearchCodec, ArsearchPostingsWriter, encode_block, encode_single

__all__ = ["TermPool", "POSTING_BYTES", "compact_term_table", "write_terms"]

#: What one pooled posting costs in memory, as estimated for the limit (besides its
#: value's bytes): its record (document, weight, value length) and the bytearray's
#: spare room.
POSTING_BYTES = 20
#: The same for a term (besides its text): its key, its place in the dictionary and its
#: bytearray. Measured with tracemalloc on news articles: about 126 bytes.
TERM_BYTES = 140
#: Terms pickled together in a run the pool writes to disk.
RUN_CHUNK = 1024
#: Terms whose place in the term table is kept in memory (12 bytes each) before it is
#: written to a temporary file.
TABLE_TERMS = 1 << 21

# A pooled posting: document number, weight, length of the value (NONE_VALUE: None), then
# the value's bytes.
_RECORD = struct.Struct("<idI")
NONE_VALUE = 0xFFFFFFFF


def pack_postings(postings: Iterable[tuple[int, float, bytes | None]]) -> bytearray:
    """Postings ``(document, weight, value)`` as :class:`TermPool` keeps a term's."""
    out = bytearray()
    pack = _RECORD.pack
    for docnum, weight, value in postings:
        out += pack(docnum, weight, NONE_VALUE if value is None else len(value))
        if value:
            out += value
    return out


def unpack_postings(buf: bytes | bytearray) -> list[tuple[int, float, bytes | None]]:
    """The postings :func:`pack_postings` packed, in their order."""
    out = []
    unpack, size, at, end = _RECORD.unpack_from, _RECORD.size, 0, len(buf)
    while at < end:
        docnum, weight, n = unpack(buf, at)
        at += size
        if n == NONE_VALUE:
            out.append((docnum, weight, None))
        else:
            out.append((docnum, weight, bytes(buf[at : at + n])))
            at += n
    return out


def unpack_columns(buf: bytes | bytearray, fixedsize: int | None = None) -> tuple[Sequence[int], Sequence[float], Sequence[bytes | None]]:
    """The documents, weights and values of the postings :func:`pack_postings` packed,
    as three sequences. ``fixedsize``: the format's size of a value, if fixed."""
    if fixedsize is not None and fixedsize >= 0 and len(buf) % (_RECORD.size + fixedsize) == 0:
        # Every value of that size (not None): records of one size, unpacked at once.
        # The first record is read right, so is each after one of that size.
        columns = tuple(zip(*_fixed_record(fixedsize).iter_unpack(buf)))
        if columns and columns[2].count(fixedsize) == len(columns[2]):
            return columns[0], columns[1], columns[3]
    buf = bytes(buf)  # its slices are then bytes
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes | None] = []
    add_id, add_weight, add_value = ids.append, weights.append, values.append
    unpack, size, at, end = _RECORD.unpack_from, _RECORD.size, 0, len(buf)
    while at < end:
        docnum, weight, n = unpack(buf, at)
        at += size
        add_id(docnum)
        add_weight(weight)
        if n == NONE_VALUE:
            add_value(None)
        else:
            add_value(buf[at : at + n])
            at += n
    return ids, weights, values


@functools.lru_cache(maxsize=None)
def _fixed_record(size: int) -> struct.Struct:
    """A pooled posting whose value has ``size`` bytes, the value included."""
    return struct.Struct(f"{_RECORD.format}{size}s")


class TermPool(PostingPool):
    """Postings grouped by ``(fieldname, term)``; yields them sorted as Whoosh's
    :class:`~whoosh.writing.PostingPool` does. A term's postings are packed one after
    the other in a bytearray (:func:`pack_postings`): about 20 bytes a posting where a
    tuple of three objects took about 150, so the pool writes far fewer runs to disk,
    and a run is one bytes object per term to pickle."""

    def __init__(self, tempstore, segment, limitmb: int = 128, **kwargs: Any):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.terms: dict[str, dict[bytes, bytearray]] = {}  # by field, then term
        self.lastdoc = -1
        self.ordered = True

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Add one posting (Whoosh's writer for schemas :meth:`add_field` does not serve)."""
        fieldname, text, docnum, weight, value = item
        self.add_field(fieldname, ((text, 1, weight, value),), docnum)

    def add_field(self, fieldname: str, items: Iterable[tuple[bytes, int, float, bytes | None]], docnum: int,
                  boost: float = 1.0, scorable: bool = True) -> int:
        """Add a document's postings of one field, ``FieldType.index`` output (term,
        frequency, weight, value) as Whoosh's ``add_document`` adds them one by one (each
        weight times ``boost``); returns the field's length, the sum of the frequencies
        (0 unless ``scorable``). One call for the field's postings instead of one each."""
        terms = self.terms.get(fieldname)
        if terms is None:
            self.terms[fieldname] = terms = {}
        pack = _RECORD.pack
        length = added = 0
        for text, freq, weight, value in items:
            weight *= boost
            if scorable:
                length += freq
            postings = terms.get(text)
            if postings is None:
                terms[text] = postings = bytearray()
                added += TERM_BYTES + len(text)
            if value:
                postings += pack(docnum, weight, len(value))
                postings += value
                added += POSTING_BYTES + len(value)
            else:
                postings += pack(docnum, weight, NONE_VALUE if value is None else 0)
                added += POSTING_BYTES
        if added:
            self.fieldnames.add(fieldname)
            if docnum < self.lastdoc:
                self.ordered = False  # e.g. spelling words (docnum -1): sort at the end
            else:
                self.lastdoc = docnum
            self.currentsize += added
            if self.currentsize > self.limit:
                self.save()
        return length

    def _sorted_terms(self) -> list[tuple[tuple[str, bytes], bytearray]]:
        out = []
        for fieldname in sorted(self.terms):
            terms = self.terms[fieldname]
            if not self.ordered:
                for text, postings in terms.items():
                    terms[text] = _in_document_order(postings)
            out += [((fieldname, text), postings) for text, postings in sorted(terms.items(), key=itemgetter(0))]
        return out

    def save(self) -> None:
        """Write the pooled terms as one sorted run and empty the pool."""
        if not self.terms:
            return
        path, f = self._new_run()
        try:
            _dump_run(f, self._sorted_terms())
        finally:
            f.close()
        self.runs.append(path)
        self.terms = {}
        self.currentsize = 0

    def _read_terms(self, path: str) -> Iterator[tuple[tuple[str, bytes], bytearray]]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    yield from load(f)
                except EOFError:
                    return
        finally:
            f.close()
            self._remove_run(path)

    def _merged(self, paths: list[str]) -> Iterator[tuple[tuple[str, bytes], bytes]]:
        # heapq.merge is stable: a term's parts come back in run order, which is
        # document order, so joining them keeps its postings sorted.
        entries = heapq.merge(*(self._read_terms(p) for p in paths), key=itemgetter(0))
        for key, group in groupby(entries, key=itemgetter(0)):
            postings = b"".join(part for _, part in group)
            if not self.ordered:
                postings = _in_document_order(postings)
            yield key, postings

    def items(self, maxfiles: int = 128) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        """Every posting, sorted by field, term and document."""
        for (fieldname, text), postings in self.terms_sorted(maxfiles):
            for docnum, weight, value in unpack_postings(postings):
                yield fieldname, text, docnum, weight, value

    def terms_sorted(self, maxfiles: int = 128) -> Iterator[tuple[tuple[str, bytes], bytes | bytearray]]:
        """Every term and its packed postings (:func:`unpack_postings`), sorted by field
        and term (the pool empties)."""
        if self.runs:
            self.save()
            runs, self.runs = self.runs, []
            while len(runs) > maxfiles:  # never more open files than that
                path, f = self._new_run()
                try:
                    _dump_run(f, self._merged(runs[:maxfiles]))
                finally:
                    f.close()
                runs = [path] + runs[maxfiles:]
            entries = self._merged(runs)
        else:
            entries = iter(self._sorted_terms())
            self.terms = {}
        yield from entries

    def cleanup(self) -> None:
        self.terms = {}
        super().cleanup()


def _dump_run(f, entries: Iterable[tuple[tuple[str, bytes], bytes | bytearray]]) -> None:
    """Write sorted terms and their postings to a run: :data:`RUN_CHUNK` terms a pickle
    (a pickle each made writing and reading a run a call per term)."""
    chunk = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) >= RUN_CHUNK:
            dump(chunk, f, HIGHEST_PROTOCOL)
            chunk = []
    if chunk:
        dump(chunk, f, HIGHEST_PROTOCOL)


def _in_document_order(postings: bytes | bytearray) -> bytearray:
    return pack_postings(sorted(unpack_postings(postings), key=itemgetter(0)))


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
        if len(pending) >= _PENDING_BYTES:
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
_PENDING_BYTES = 1 << 16
#: The number a hash file gives Whoosh's CRC-32 hash function by.
CRC_HASH = _hash_functions.index(crc_hash)
_TABLE_MAGIC = b"HSH3"
_TABLE_HEADER = len(_TABLE_MAGIC) + 1 + 4 + 4  # magic, hash function, two unused ints


# --- writing the segment's postings a term at a time ------------------------------
def can_write_terms(fieldwriter) -> bool:
    """Whether :func:`write_terms` can stand in for this field writer's ``add_postings``
    (a W3 field writer, of W3's or arsearch's blocks, whose postings writer never
    inlines postings)."""
    if type(fieldwriter) is not W3FieldWriter:
        return False
    probe = fieldwriter._codec.postings_writer(None)
    return type(probe) in (W3PostingsWriter, ArsearchPostingsWriter) and not probe._byteids and probe._inlinelimit <= 1


def length_bytes(perdoc, fieldname: str) -> bytes | None:
    """A W3 segment's length column of the field, one byte a document (Whoosh's
    ``length_to_byte`` code, 0 for none), or None when it is not kept that way."""
    col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if type(col) is not NumericColumn.Reader or col._fixedlen != 1:
        return None
    return col._dbfile.get(col._basepos, col._count)


def _field_lengths(lengths, fieldname: str) -> list[int]:
    """Every document's length of the field as ``doc_field_length_reader`` gives it,
    0 for none."""
    raw = length_bytes(lengths, fieldname)
    if raw is not None:
        table = [byte_to_length(b) if b else 0 for b in range(256)]
        return [table[b] for b in raw]
    get = lengths.doc_field_length_reader(fieldname)
    return [get(d) or 0 for d in range(lengths._doccount)]


def write_terms(fieldwriter: W3FieldWriter, schema, lengths, terms: Iterable[tuple[tuple[str, bytes], bytes]]) -> None:
    """Write sorted terms and their postings as Whoosh's ``FieldWriter.add_postings``
    writes them through the codec's postings writer (one method call per posting, one
    object per block and term): the same bytes, a block written at once, the term's
    statistics added up here. ``terms``: ``(field, term)`` and the term's postings as
    :class:`TermPool` packs them. Most terms, the word pairs above all, have one posting."""
    postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
    own_blocks = isinstance(fieldwriter._codec, ArsearchCodec)  # else W3's blocks
    # W3TermInfo.to_bytes of a term written to the postings file: its info, offset, length
    pack_entry = struct.Struct(W3TermInfo._struct.format + "qi").pack
    to_byte = functools.lru_cache(maxsize=4096)(length_to_byte)
    position = postfile.tell()
    out = bytearray()  # postings not yet written: one write for many terms
    lastfn = None
    record = _RECORD.unpack_from
    for (fieldname, btext), packed in terms:
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldobj = schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            lastfn = fieldname
            writer = fieldwriter._postwriter
            blocklimit, level = writer._blocklimit, writer._compression
            fixedsize = fieldobj.format.fixed_value_size()
            lens = _field_lengths(lengths, fieldname) if lengths else None
            keyprefix = pack_ushort(fieldwriter._fieldid)
        if own_blocks:
            docnum, raw_weight, size = record(packed, 0)
            if docnum >= 0 and len(packed) == _RECORD.size + (0 if size == NONE_VALUE else size):
                # One posting (most terms): its block and statistics as below, directly.
                length = lens[docnum] if lens is not None else 0
                chunk, weight = encode_single(docnum, raw_weight, packed[_RECORD.size:], length or None, level)
                out += BLOCK_MAGIC
                out += chunk
                size = len(BLOCK_MAGIC) + len(chunk)
                tindex.add(keyprefix + btext, pack_entry(False, weight, 1, to_byte(length) if length else 0,
                                                         to_byte(length), raw_weight if raw_weight > 0 else 0,
                                                         docnum, docnum, position, size))
                position += size
                if len(out) >= _PENDING_BYTES:
                    postfile.write(out)
                    out = bytearray()
                continue
        ids, raws, values = unpack_columns(packed, fixedsize)
        if ids[0] == -1:  # spelling words (sorted first) are not postings
            spelling = ids.count(-1)
            ids, raws, values = ids[spelling:], raws[spelling:], values[spelling:]
            if not ids:
                continue
        startoffset = position
        n = len(ids)
        # the term's statistics, as W3TermInfo.add_block adds them up block by block
        weight, minlength, maxlength, maxweight = 0, None, 0, 0
        chunk = BLOCK_MAGIC if own_blocks else WHOOSH3_HEADER_MAGIC
        for start in range(0, n, blocklimit):
            if n > blocklimit:
                block = slice(start, start + blocklimit)
                bids, raw, bvalues = ids[block], raws[block], values[block]
            else:
                bids, raw, bvalues = ids, raws, values
            top = max(raw)
            bmaxweight = top if top > 0 else 0
            weights = array("f", raw)
            if lens is not None:
                found = [x for x in map(lens.__getitem__, bids) if x]
            else:
                found = ()
            bminlength = min(found) if found else None
            bmaxlength = max(found) if found else 0
            weight += sum(weights)
            if minlength is None:
                minlength = bminlength
            elif bminlength is not None:
                minlength = min(minlength, bminlength)
            maxlength = max(maxlength, bmaxlength)
            maxweight = max(maxweight, bmaxweight)
            last = start + blocklimit >= n
            if own_blocks:
                chunk += encode_block(bids, weights, bvalues, bminlength, bmaxlength, level, last)
                out += chunk
                position += len(chunk)
                chunk = b""
                continue
            kept = [v for v in bvalues if v]
            first = weights[0]
            if first == 1.0 and all(w == 1.0 for w in weights):
                mini_weights = None
            elif all(w == first for w in weights):
                mini_weights = first
            else:
                mini_weights = tuple(weights)
            if fixedsize is None or fixedsize < 0:
                mini_values = tuple(kept)
            elif fixedsize == 0:
                mini_values = None
            else:
                mini_values = emptybytes.join(kept)
            gaps = (bids[0],) if len(bids) == 1 else tuple(delta_encode(bids))
            databytes = dumps((gaps, mini_weights, mini_values), 2)
            comp = level if len(databytes) >= COMPRESSION_MIN_SIZE else 0
            if comp:
                databytes = zlib.compress(databytes, comp)
            infobytes = dumps((len(bids), bids[-1], bmaxweight, comp, to_byte(bminlength), to_byte(bmaxlength)), 2)
            blocklength = len(infobytes) + len(databytes)
            chunk += pack_int(-blocklength if last else blocklength) + infobytes + databytes
            out += chunk
            position += len(chunk)
            chunk = b""
        tindex.add(keyprefix + btext, pack_entry(
            False, weight, n, 0 if minlength is None else to_byte(minlength), to_byte(maxlength),
            maxweight, ids[0], ids[-1], startoffset, position - startoffset,
        ))
        if len(out) >= _PENDING_BYTES:
            postfile.write(out)
            out = bytearray()
    postfile.write(out)
    if lastfn is not None:
        fieldwriter.finish_field()

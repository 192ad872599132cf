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
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from pickle import HIGHEST_PROTOCOL, dump, load
from typing import Any

from whoosh.writing import PostingPool

__all__ = ["TermPool", "POSTING_BYTES", "pack_postings", "unpack_postings", "unpack_columns"]

#: What one pooled posting costs in memory, as estimated for the limit (besides its
#: value's bytes): its record (document, weight, value length) and the bytearray's
#: spare room.
POSTING_BYTES = 20
#: The same for a term (besides its text): its key, its place in the dictionary and its
#: bytearray. Measured with tracemalloc on news articles: about 126 bytes.
TERM_BYTES = 140
#: Terms pickled together in a run the pool writes to disk.
RUN_CHUNK = 1024

# A pooled posting: document number, weight, length of the value (NONE_VALUE: None), then
# the value's bytes.
RECORD = struct.Struct("<idI")
NONE_VALUE = 0xFFFFFFFF


def pack_postings(postings: Iterable[tuple[int, float, bytes | None]]) -> bytearray:
    """Postings ``(document, weight, value)`` as :class:`TermPool` keeps a term's."""
    out = bytearray()
    pack = RECORD.pack
    for docnum, weight, value in postings:
        out += pack(docnum, weight, NONE_VALUE if value is None else len(value))
        if value:
            out += value
    return out


def unpack_postings(buf: bytes | bytearray) -> list[tuple[int, float, bytes | None]]:
    """The postings :func:`pack_postings` packed, in their order."""
    out = []
    unpack, size, at, end = RECORD.unpack_from, RECORD.size, 0, len(buf)
    while at < end:
        docnum, weight, n = unpack(buf, at)
        at += size
        if n == NONE_VALUE:
            out.append((docnum, weight, None))
        else:
            out.append((docnum, weight, bytes(buf[at : at + n])))
            at += n
    return out


def unpack_columns(
    buf: bytes | bytearray, fixedsize: int | None = None
) -> tuple[Sequence[int], Sequence[float], Sequence[bytes | None]]:
    """The documents, weights and values of the postings :func:`pack_postings` packed,
    as three sequences. ``fixedsize``: the format's size of a value, if fixed."""
    if fixedsize is not None and fixedsize >= 0 and len(buf) % (RECORD.size + fixedsize) == 0:
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
    unpack, size, at, end = RECORD.unpack_from, RECORD.size, 0, len(buf)
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


@functools.cache
def _fixed_record(size: int) -> struct.Struct:
    """A pooled posting whose value has ``size`` bytes, the value included."""
    return struct.Struct(f"{RECORD.format}{size}s")


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
        pack = RECORD.pack
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



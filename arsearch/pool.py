"""Indexing memory: a posting pool that groups postings by term, and a compact term table.

Whoosh's own pool keeps every posting as a tuple, sorts them all at commit, and
when its memory limit is reached pickles them one by one into sorted runs on disk
that it merges back. arsearch's views and word pairs make about four postings of
each word, so that sorting and pickling was a quarter of the indexing time.

:class:`TermPool` appends each posting to its term's list instead. Documents arrive
in ascending order, so a term's postings are already sorted and only the distinct
terms need sorting. Past its limit it writes a run of whole terms (one pickle per
term) and frees the memory, so a batch's memory stays bounded.

:func:`compact_term_table` makes Whoosh's term table writer keep each term's hash and
file position in two arrays until it writes them at commit, 12 bytes a term instead of a
tuple of two ints (about 120 bytes): the word pairs make more distinct terms than words.
Past :data:`TABLE_TERMS` terms they go to a temporary file, read back bucket by bucket.
"""

from __future__ import annotations

import heapq
import tempfile
from array import array
from itertools import groupby
from operator import itemgetter
from pickle import HIGHEST_PROTOCOL, dump, load
from typing import Any, Iterator

from whoosh.filedb.filetables import OrderedHashWriter, _lengths
from whoosh.writing import PostingPool

__all__ = ["TermPool", "POSTING_BYTES", "compact_term_table"]

#: What one pooled posting costs in memory, as estimated for the limit (a tuple of
#: docnum, weight and positions, and its place in the term's list).
POSTING_BYTES = 120
#: The same for a term's key and list.
TERM_BYTES = 200
#: Terms whose place in the term table is kept in memory (12 bytes each) before it is
#: written to a temporary file.
TABLE_TERMS = 1 << 21


class TermPool(PostingPool):
    """Postings grouped by ``(fieldname, term)``; yields them sorted as Whoosh's
    :class:`~whoosh.writing.PostingPool` does."""

    def __init__(self, tempstore, segment, limitmb: int = 128, **kwargs: Any):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.terms: dict[tuple[str, bytes], list[tuple[int, float, bytes | None]]] = {}
        self.lastdoc = -1
        self.ordered = True

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, text, docnum, weight, value = item
        key = (fieldname, text)
        postings = self.terms.get(key)
        if postings is None:
            self.terms[key] = postings = []
            self.currentsize += TERM_BYTES + len(text)
            self.fieldnames.add(fieldname)
        postings.append((docnum, weight, value))
        if docnum < self.lastdoc:
            self.ordered = False  # e.g. spelling words (docnum -1): sort at the end
        else:
            self.lastdoc = docnum
        self.currentsize += POSTING_BYTES + (len(value) if value else 0)
        if self.currentsize > self.limit:
            self.save()

    def _sorted_terms(self) -> list[tuple[tuple[str, bytes], list]]:
        terms = self.terms
        if not self.ordered:
            for postings in terms.values():
                postings.sort(key=itemgetter(0))
        return sorted(terms.items(), key=itemgetter(0))

    def save(self) -> None:
        """Write the pooled terms as one sorted run and empty the pool."""
        if not self.terms:
            return
        path, f = self._new_run()
        try:
            for entry in self._sorted_terms():
                dump(entry, f, HIGHEST_PROTOCOL)
        finally:
            f.close()
        self.runs.append(path)
        self.terms = {}
        self.currentsize = 0

    def _read_terms(self, path: str) -> Iterator[tuple[tuple[str, bytes], list]]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    yield load(f)
                except EOFError:
                    return
        finally:
            f.close()
            self._remove_run(path)

    def _merged(self, paths: list[str]) -> Iterator[tuple[tuple[str, bytes], list]]:
        # heapq.merge is stable: a term's lists come back in run order, which is
        # document order, so joining them keeps its postings sorted.
        entries = heapq.merge(*(self._read_terms(p) for p in paths), key=itemgetter(0))
        for key, group in groupby(entries, key=itemgetter(0)):
            postings = [p for _, part in group for p in part]
            if not self.ordered:
                postings.sort(key=itemgetter(0))
            yield key, postings

    def items(self, maxfiles: int = 128) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        """Every posting, sorted by field, term and document."""
        if self.runs:
            self.save()
            runs, self.runs = self.runs, []
            while len(runs) > maxfiles:  # never more open files than that
                path, f = self._new_run()
                try:
                    for entry in self._merged(runs[:maxfiles]):
                        dump(entry, f, HIGHEST_PROTOCOL)
                finally:
                    f.close()
                runs = [path] + runs[maxfiles:]
            entries = self._merged(runs)
        else:
            entries = iter(self._sorted_terms())
            self.terms = {}
        for (fieldname, text), postings in entries:
            for docnum, weight, value in postings:
                yield fieldname, text, docnum, weight, value

    def cleanup(self) -> None:
        self.terms = {}
        super().cleanup()



class _CompactTermTable(OrderedHashWriter):
    """Whoosh's ``OrderedHashWriter`` keeping its 256 buckets of ``(hash, position)``
    as pairs of arrays, and past :data:`TABLE_TERMS` terms writing them to a temporary
    file in ``spill_dir`` (when given), so that a segment's term table does not grow in
    memory with its vocabulary. It writes the same file."""

    arrays: list[tuple[array, array]]
    spill_dir: str | None
    spilled: Any  # the temporary file, once one is needed
    chunks: list[list[tuple[int, int]]]  # per bucket: (offset, entries) in that file
    held: int  # entries in memory

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        dbfile = self.dbfile
        position = dbfile.tell()
        self.index.append(position)
        dbfile.write(_lengths.pack(len(key), len(value)))
        dbfile.write(key)
        dbfile.write(value)
        hashval = self.hashfn(key)
        hashes, positions = self.arrays[hashval & 255]
        hashes.append(hashval)
        positions.append(position)
        self.lastkey = key
        self.held += 1
        if self.held >= TABLE_TERMS and self.spill_dir is not None:
            self._spill()

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
        # Whoosh's code walks the buckets once, in order: each bucket's tuples are made
        # only when its turn comes.
        self.buckets = (self._bucket(b) for b in range(256))
        try:
            super()._write_hashes()
        finally:
            self.discard()

    def discard(self) -> None:
        """Delete the temporary file (also when the segment is cancelled)."""
        if self.spilled is not None:
            self.spilled.close()
            self.spilled = None


def _empty_buckets() -> list[tuple[array, array]]:
    return [(array("I"), array("q")) for _ in range(256)]


def compact_term_table(fieldwriter, spill_dir: str | None = None) -> None:
    """Make the term table of a new segment's ``W3FieldWriter`` compact (a writer of
    another codec is left as it is); ``spill_dir``: where it may keep a temporary file."""
    table = getattr(fieldwriter, "_tindex", None)
    if type(table) is OrderedHashWriter and not any(table.buckets):
        table.__class__ = _CompactTermTable
        table.arrays = _empty_buckets()
        table.spill_dir, table.spilled, table.held = spill_dir, None, 0
        table.chunks = [[] for _ in range(256)]

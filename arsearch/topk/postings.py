"""Posting lists as numpy arrays: read from arsearch's blocks (all at once) or Whoosh's
W3 blocks (block by block), kept decoded in a bounded cache keyed by storage and segment
(:data:`POSTINGS_CACHE_BYTES`), with deleted documents and field lengths read once per
segment reader."""

from __future__ import annotations

import itertools
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermInfo

from ..codec.blocks import (
    ArsearchCodec,
    ArsearchLeafMatcher,
    CompactPositions,
    term_postings,
)
from ..codec.lengths import length_bytes
from ..readercache import kept_on_reader
from .arrays import NO_IDS, NO_SCORES, within

#: Decoded posting lists (document numbers and term weights) are kept, least recently
#: used out first, up to this many bytes per process: a word's postings are unpickled
#: and decompressed once per segment, not at every query. 0 turns the cache off.
POSTINGS_CACHE_BYTES = 64 * 2**20


class _PostingsCache:
    """Least-recently-used decoded posting lists, by (segment, field, term), bounded in
    bytes. Segments never change once written (deletions are filtered above the
    postings), so an entry never goes stale. Thread-safe."""

    def __init__(self):
        self._entries: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def on(self) -> bool:
        """Whether entries are kept (:data:`POSTINGS_CACHE_BYTES` is above 0), read at each
        use so that setting the module's figure takes effect at once."""
        return POSTINGS_CACHE_BYTES > 0

    def get(self, key: tuple) -> tuple[np.ndarray, np.ndarray] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: tuple[np.ndarray, np.ndarray]) -> None:
        size = entry[0].nbytes + entry[1].nbytes
        if not self.on or size > POSTINGS_CACHE_BYTES:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > POSTINGS_CACHE_BYTES:
                _, (ids, weights) = self._entries.popitem(last=False)
                self._bytes -= ids.nbytes + weights.nbytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


CACHE = _PostingsCache()


_STORAGES = itertools.count()


def segment_key(reader) -> tuple:
    """A segment's key in the cache: its id within its storage. Whoosh draws segment ids
    from ``random``, which a seeded program (or a test framework) makes repeat across
    indexes, so the storage is named too: a number kept on its storage object (under a
    compound file's overlay, the storage beneath it)."""
    storage = reader._storage
    storage = getattr(storage, "b", storage)  # OverlayStorage(compound file, storage)
    token = storage.__dict__.get("_arsearch_cache_token")
    if token is None:
        token = storage.__dict__.setdefault("_arsearch_cache_token", next(_STORAGES))
    return token, reader._segid


def clear_postings_cache() -> None:
    """Empty the cache of decoded posting lists (see :data:`POSTINGS_CACHE_BYTES`)."""
    CACHE.clear()


def posting_arrays(reader, fieldname: str, btext: bytes, only: np.ndarray | None,
                    info: W3TermInfo | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A term's documents (not deleted; of ``only``, if given) and weights in one segment
    (``info``: its term info, when the plan has read it)."""
    key = (segment_key(reader), (fieldname, btext))
    entry = CACHE.get(key) if CACHE.on else None
    if entry is None:
        entry = _read_postings(reader, fieldname, btext, None if POSTINGS_CACHE_BYTES else only, info)
        if POSTINGS_CACHE_BYTES:
            CACHE.put(key, entry)
    ids, tf = entry
    ids, tf = kept(reader, ids, tf, only)
    return ids, tf


def _read_postings(reader, fieldname: str, btext: bytes, only: np.ndarray | None,
                   info: W3TermInfo | None) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings in one segment (with ``only``: at least the blocks holding
    those documents)."""
    terms = reader._terms
    if info is None:
        info = terms.term_info(fieldname, btext)
    if only is None and type(getattr(terms, "_codec", None)) is ArsearchCodec and not info.is_inlined():
        return term_postings(terms._postfile, info)  # arsearch's blocks, all at once
    fmt = reader.schema[fieldname].format
    m = terms._codec.postings_reader(terms._postfile, info, fmt, term=(fieldname, btext))
    return read_blocks(m, only)


def term_positions(reader, fieldname: str, btext: bytes, docs: np.ndarray) -> dict[int, list[int]]:
    """A term's positions in each of ``docs`` that holds it."""
    return {d: positions for d, _, positions in position_postings(reader, fieldname, btext, docs.tolist())}


def position_postings(reader, fieldname: str, btext: bytes, wanted: list[int] | None = None):
    """``(document, weight, positions)`` of a term's postings, of the sorted ``wanted``
    documents only if given (blocks holding none of them are not read)."""
    fmt = reader.schema[fieldname].format
    m = reader._terms.matcher(fieldname, btext, fmt)
    wanted_set = set(wanted) if wanted is not None else None
    if type(m) is ArsearchLeafMatcher and type(fmt) is CompactPositions:
        for _ in _blocks_holding(m, wanted):  # a block's positions decoded as one array
            ids, starts, positions = m.block_positions()
            weights = m.block_arrays()[1].tolist()
            i = m._i
            ids_l, starts_l = ids.tolist(), starts.tolist()
            for k in range(i, len(ids_l)):
                d = ids_l[k]
                if wanted_set is None or d in wanted_set:
                    yield d, weights[k - i], positions[starts_l[k] : starts_l[k + 1]].tolist()
        return
    if not isinstance(m, W3LeafMatcher):  # postings of another codec: step through them
        while m.is_active():
            if wanted_set is None or m.id() in wanted_set:
                yield m.id(), m.weight(), m.value_as("positions")
            m.next()
        return
    decode = fmt.decoder("positions")
    for _ in _blocks_holding(m, wanted):
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        if m._values is None:
            m._read_values()
        for d, weight, value in zip(m._ids, m._weights, m._values):
            if wanted_set is None or d in wanted_set:
                yield d, weight, decode(value)


def _blocks_holding(m: W3LeafMatcher, wanted: list[int] | None) -> Iterator[W3LeafMatcher]:
    """Stops at each of ``m``'s blocks that can hold one of the sorted ``wanted`` (every
    block if None) for the caller to read, then moves on; the others are skipped unread."""
    w = 0
    while m.is_active():
        if wanted is not None:
            if w == len(wanted):
                return
            if wanted[w] > m._maxid:
                m._next_block()
                continue
            w = bisect_right(wanted, m._maxid, w)
        yield m
        m._i = m._blocklength
        m._next_block()


def kept(reader, ids: np.ndarray, tf: np.ndarray, only: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Postings of a segment without its deleted documents (and of ``only``'s, if given)."""
    deleted = _deleted(reader)
    if only is None and deleted is None:
        return ids, tf
    if only is not None and 4 * len(only) < len(ids):  # look up the few wanted instead
        at = np.searchsorted(ids, only)
        np.minimum(at, len(ids) - 1, out=at)
        at = at[ids[at] == only]
        ids, tf = ids[at], tf[at]
        only = None
        if deleted is None:
            return ids, tf
    keep = np.ones(len(ids), dtype=bool) if only is None else within(ids, only)
    if deleted is not None:
        keep &= ~within(ids, deleted)
    return ids[keep], tf[keep]


def _deleted(reader) -> np.ndarray | None:
    """The segment's deleted documents, sorted (read once per reader), or None."""
    def read() -> np.ndarray | None:
        deleted = reader.deleted_docs_set
        return np.array(sorted(deleted), dtype=np.int64) if deleted else None

    return kept_on_reader(reader, "_arsearch_deleted", None, read)


class SegmentCache:
    """What is computed once per segment and process (metadata arrays, key groups of
    terms): at most ``limit`` segments' entries, least recently used out first, keyed by
    :func:`segment_key` and what the caller adds. Segments never change once written.
    Thread-safe; two threads may compute the same entry, and one of them is kept."""

    def __init__(self, limit: int):
        self.limit = limit
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, reader, extra, make):
        key = (segment_key(reader), extra)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        found = make()
        with self._lock:
            self._entries[key] = found
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)
        return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def field_lengths(reader, fieldname: str) -> np.ndarray | None:
    """Every document's length byte of ``fieldname`` in one segment (a byte a document,
    decoded by ``LENGTH_OF_BYTE``); read once per segment reader and field."""
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None:  # not a W3 segment reader
        return None

    def read() -> np.ndarray | None:
        try:
            raw = length_bytes(perdoc, fieldname)
        except AttributeError:  # not a W3 per-document reader
            return None
        return None if raw is None else np.frombuffer(raw, dtype=np.uint8)

    return kept_on_reader(perdoc, "_arsearch_lengths", fieldname, read)


def _block(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """The current block's remaining document numbers and term weights."""
    if type(m) is ArsearchLeafMatcher:
        return m.block_arrays()
    if m._ids is not None:
        ids = np.array(m._ids, dtype=np.int64)
    else:
        if m._data is None:
            m._read_data()
        ids = np.array(m._data[0], dtype=np.int64)
        if not m._byteids:
            ids = np.cumsum(ids)  # the block stores gaps
    if m._weights is not None:
        weights = np.array(m._weights, dtype=np.float64)
    else:
        if m._data is None:
            m._read_data()
        raw = m._data[1]
        if raw is None or isinstance(raw, float):
            weights = np.full(len(ids), 1.0 if raw is None else raw)
        else:
            weights = np.array(raw, dtype=np.float64)
    i = m._i
    return (ids[i:], weights[i:]) if i else (ids, weights)


def read_blocks(m: W3LeafMatcher, only: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Read ``m``'s postings to the end, skipping blocks that hold none of ``only``."""
    id_blocks, weight_blocks = [], []
    w = 0  # only[w:] are the wanted documents not passed yet
    while m.is_active():
        if only is not None:
            if w == len(only):
                break
            if only[w] > m._maxid:  # no wanted document in this block: skip it unread
                m._next_block()
                continue
            w = int(np.searchsorted(only, m._maxid, side="right"))
        ids, weights = _block(m)
        id_blocks.append(ids)
        weight_blocks.append(weights)
        m._i = m._blocklength
        m._next_block()
    if not id_blocks:
        return NO_IDS, NO_SCORES
    ids = id_blocks[0] if len(id_blocks) == 1 else np.concatenate(id_blocks)
    tf = weight_blocks[0] if len(weight_blocks) == 1 else np.concatenate(weight_blocks)
    if only is not None:
        keep = within(ids, only)
        ids, tf = ids[keep], tf[keep]
    return ids, tf

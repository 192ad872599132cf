"""A searcher's metadata as arrays, for filters, sort keys and facet counts.

Each segment's metadata is read once per process (from the ``hit`` column, or the
stored fields of an index built before it) into arrays by field and kept in a small
cache keyed by storage and segment, as posting lists are: segments never change once
written, so after a commit only the new segment is read. A searcher joins its
segments' arrays once (kept on it) into arrays over its document numbers:

- a keyword field: its distinct values, sorted, and one ``(document, value)`` row per
  value a document holds (a document may hold several);
- a number or date field: one key per document (:func:`arsearch.metadata.key_of`),
  NaN where it has none.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from ..metadata import KEYWORD, Condition, key_of, keyword_values
from ..metadata.types import parse_day
from ..readercache import kept_on_reader
from .postings import SegmentCache, kept

#: Segments whose metadata arrays are kept per process, least recently used out first.
KEPT_SEGMENTS = 64


@dataclass
class FieldValues:
    """One field's values over a range of document numbers."""

    kind: str
    values: list[str] = field(default_factory=list)  # keyword: distinct, sorted
    owner: np.ndarray | None = None  # keyword: the document of each row
    ords: np.ndarray | None = None  # keyword: the value (index into values) of each row
    keys: np.ndarray | None = None  # number, date: the key of each document, NaN if none
    shown: dict[float, object] = field(default_factory=dict)  # number, date: a value for each key
    _position: dict[str, int] | None = None

    @property
    def position(self) -> dict[str, int]:
        """keyword: each value's index in ``values``."""
        if self._position is None:
            self._position = {v: i for i, v in enumerate(self.values)}
        return self._position


CACHE = SegmentCache(KEPT_SEGMENTS)


def _documents_fields(reader):
    """Each document's metadata dict in a segment, in document order."""
    n = reader.doc_count_all()
    column = reader.column_reader("hit", translate=False) if reader.has_column("hit") else None
    if column is not None:
        loads = pickle.loads
        for docnum in range(n):
            yield loads(column[docnum])[2] or {}
    else:
        for docnum in range(n):
            yield reader.stored_fields(docnum).get("fields") or {}


def _typed_key(value, kind: str):
    """The key of a stored value in a field of ``kind`` (None: it holds no such value)."""
    if kind == "number":
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if isinstance(value, str):  # an ISO date stored before the field was declared
        try:
            value = parse_day(value)
        except ValueError:
            return None
    return key_of(value) if hasattr(value, "year") else None


def _segment_arrays(reader, declared: tuple[tuple[str, str], ...]) -> dict[str, FieldValues]:
    types = dict(declared)
    n = reader.doc_count_all()
    rows: dict[str, tuple[list[int], list[str]]] = {}
    keys: dict[str, np.ndarray] = {}
    shown: dict[str, dict] = {}
    for docnum, fields in enumerate(_documents_fields(reader)):
        for name, value in fields.items():
            kind = types.get(name, KEYWORD)
            if kind == KEYWORD:
                values = list(dict.fromkeys(keyword_values(value)))  # a value given twice counts once
                if values:
                    owners, vals = rows.setdefault(name, ([], []))
                    owners.extend([docnum] * len(values))
                    vals.extend(values)
            else:
                k = _typed_key(value, kind)
                if k is not None:
                    if name not in keys:
                        keys[name] = np.full(n, np.nan)
                        shown[name] = {}
                    keys[name][docnum] = k
                    shown[name].setdefault(k, value)
    out = {}
    for name, (owners, vals) in rows.items():
        distinct = sorted(set(vals))
        position = {v: i for i, v in enumerate(distinct)}
        out[name] = FieldValues(KEYWORD, distinct, np.array(owners, dtype=np.int64),
                                np.array([position[v] for v in vals], dtype=np.int64))
    for name, k in keys.items():
        out[name] = FieldValues(types[name], keys=k, shown=shown[name])
    return out


def _segments(searcher, declared: tuple[tuple[str, str], ...]):
    """``(offset, size, arrays by field)`` of each segment of ``searcher``."""
    out = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if not reader.doc_count_all():  # an empty index's reader is no segment
            continue
        arrays = CACHE.get(reader, declared, lambda r=reader: _segment_arrays(r, declared))
        out.append((offset, reader.doc_count_all(), arrays))
    return out


def field_types(searcher, declared: Mapping[str, str]) -> dict[str, str]:
    """The declared fields' types, and ``keyword`` for every undeclared field some
    document holds a string (or a list of strings) in."""
    key = tuple(sorted(declared.items()))

    def make():
        types = dict(declared)
        for _, _, arrays in _segments(searcher, key):
            for name, values in arrays.items():
                types.setdefault(name, values.kind)
        return types

    return kept_on_reader(searcher, "_arsearch_field_types", key, make)


def joined(searcher, declared: Mapping[str, str], name: str) -> FieldValues:
    """A field's values over the searcher's document numbers (kept on the searcher)."""
    key = tuple(sorted(declared.items()))
    kind = declared.get(name, KEYWORD)
    return kept_on_reader(searcher, "_arsearch_values", (key, name), lambda: _join(searcher, key, name, kind))


def _join(searcher, declared, name: str, kind: str) -> FieldValues:
    parts = [(offset, size, arrays.get(name)) for offset, size, arrays in _segments(searcher, declared)]
    total = searcher.doc_count_all()
    if kind != KEYWORD:
        keys = np.full(total, np.nan)
        shown: dict[float, object] = {}
        for offset, size, values in parts:
            if values is not None:
                keys[offset:offset + size] = values.keys
                shown.update(values.shown)
        return FieldValues(kind, keys=keys, shown=shown)
    present = [p for p in parts if p[2] is not None]
    distinct = sorted(set().union(*(p[2].values for p in present))) if present else []
    position = {v: i for i, v in enumerate(distinct)}
    owners, ords = [], []
    for offset, _, values in present:
        remap = np.array([position[v] for v in values.values], dtype=np.int64)
        owners.append(values.owner + offset)
        ords.append(remap[values.ords])
    owner = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
    ords_all = np.concatenate(ords) if ords else np.zeros(0, dtype=np.int64)
    return FieldValues(KEYWORD, distinct, owner, ords_all)


# --- what a search does with them --------------------------------------------------
def allowed(searcher, declared: Mapping[str, str], conds: tuple[Condition, ...]) -> np.ndarray | None:
    """Which document numbers meet every condition (None: no condition)."""
    if not conds:
        return None
    key = (tuple(sorted(declared.items())), conds)
    # an application repeats its filters (a source, "this month") from query to query
    return kept_on_reader(searcher, "_arsearch_masks", key, lambda: _allowed(searcher, declared, conds), limit=64)


def _allowed(searcher, declared: Mapping[str, str], conds: tuple[Condition, ...]) -> np.ndarray:
    mask = np.ones(searcher.doc_count_all(), dtype=bool)
    for cond in conds:
        values = joined(searcher, declared, cond.field)
        if cond.kind == KEYWORD:
            position = values.position
            wanted = np.zeros(len(values.values), dtype=bool)
            wanted[[position[v] for v in cond.values if v in position]] = True
            meets = np.zeros(len(mask), dtype=bool)
            meets[values.owner[wanted[values.ords]]] = True
        else:
            keys = values.keys
            meets = np.zeros(len(mask), dtype=bool)
            for low, high in cond.ranges:
                meets |= (keys >= low) & (keys <= high)
        mask &= ~meets if cond.negated else meets
    return mask


def _held(searcher, declared: Mapping[str, str], name: str) -> np.ndarray:
    """How many live documents of the whole index hold each value of keyword field ``name``."""
    def make() -> np.ndarray:
        values = joined(searcher, declared, name)
        live = np.zeros(searcher.doc_count_all(), dtype=bool)
        live[live_docs(searcher)] = True
        return np.bincount(np.compress(live[values.owner], values.ords), minlength=len(values.values))
    return kept_on_reader(searcher, "_arsearch_held", (tuple(sorted(declared.items())), name), make)


def facet_counts(searcher, declared: Mapping[str, str], name: str, ids: np.ndarray, limit: int) -> list[tuple]:
    """``(value, count)`` of field ``name`` over the documents ``ids``: largest count
    first, at most ``limit``. A keyword's ties go to the value more documents of the whole
    index hold, then by value: among the many names a result set mentions once, the ones
    the collection knows well (a country, a ministry) before a one-off phrase. Numbers and
    dates tie by value."""
    values = joined(searcher, declared, name)
    if values.kind == KEYWORD:
        chosen = np.zeros(searcher.doc_count_all(), dtype=bool)
        chosen[ids] = True
        counts = np.bincount(np.compress(chosen[values.owner], values.ords), minlength=len(values.values))
        # Only values counted at least as often as the limit-th can be shown: sorting the long
        # tail of a field with thousands of values (people, places) cost more than counting.
        # The threshold is read off a histogram of the counts (np.partition is slow on the
        # many equal small counts of such a tail).
        at_least = np.cumsum(np.bincount(counts)[:0:-1])  # values counted max, max-1, ..., 1 times or more
        floor = len(at_least) - int(np.searchsorted(at_least, limit)) if len(at_least) else 1
        present = np.flatnonzero(counts >= max(floor, 1))
        held = _held(searcher, declared, name)
        # values are sorted: index order is value order
        order = present[np.lexsort((present, -held[present], -counts[present]))][:limit]
        return [(values.values[i], int(counts[i])) for i in order]
    keys = values.keys[ids]
    keys = keys[~np.isnan(keys)]
    distinct, counts = np.unique(keys, return_counts=True)
    order = np.lexsort((distinct, -counts))[:limit]
    return [(values.shown[float(distinct[i])], int(counts[i])) for i in order]


def sort_key(searcher, declared: Mapping[str, str], name: str, descending: bool) -> np.ndarray:
    """A number per document that orders by field ``name`` ascending (the smallest of
    a document's keywords) or descending (the largest), documents without a value last."""
    key = (tuple(sorted(declared.items())), name, descending)
    return kept_on_reader(searcher, "_arsearch_sort_keys", key, lambda: _sort_key(searcher, declared, name, descending))


def _sort_key(searcher, declared: Mapping[str, str], name: str, descending: bool) -> np.ndarray:
    values = joined(searcher, declared, name)
    total = searcher.doc_count_all()
    if values.kind == KEYWORD:
        key = np.full(total, np.inf)
        if len(values.ords):
            if descending:
                best = np.full(total, -1.0)
                np.maximum.at(best, values.owner, values.ords.astype(float))
                key = np.where(best >= 0, -best, np.inf)
            else:
                np.minimum.at(key, values.owner, values.ords.astype(float))
        return key
    keys = -values.keys if descending else values.keys.copy()
    keys[np.isnan(keys)] = np.inf
    return keys


def live_docs(searcher) -> np.ndarray:
    """Every document number that is not deleted."""
    parts = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        n = reader.doc_count_all()
        if not n:  # an empty index's reader is no segment
            continue
        ids, _ = kept(reader, np.arange(n, dtype=np.int64), np.zeros(n), None)  # the segment's deletions, read once
        parts.append(ids + offset)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def with_full_names(searcher, declared: Mapping[str, str], conds: tuple[Condition, ...],
                    fields: tuple[str, ...]) -> tuple[Condition, ...]:
    """The conditions on ``fields`` (an index's entity fields), a one-word value also
    standing for every value of the field that ends with it: ``people:بوتين`` finds
    فلاديمير بوتين, as a surname in a text stands for the full name found there."""
    out = []
    for c in conds:
        words = [v for v in c.values if " " not in v]
        if c.field in fields and words:
            by_last = kept_on_reader(searcher, "_arsearch_full_names", c.field,
                                     lambda name=c.field: _by_last_word(joined(searcher, declared, name).values))
            c = replace(c, values=tuple(dict.fromkeys((*c.values, *(v for w in words for v in by_last.get(w, ()))))))
        out.append(c)
    return tuple(out)


def _by_last_word(values) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for value in values:
        if isinstance(value, str) and " " in value:
            found.setdefault(value.rsplit(" ", 1)[1], []).append(value)
    return {last: tuple(names) for last, names in found.items()}

"""The index: one class around a Whoosh index, on disk or in memory."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import queue as queue_module
import re
import shutil
import functools
import threading
import time
import weakref
from collections.abc import Sized
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from whoosh import fields as wf
from whoosh.columns import VarBytesColumn
from whoosh import index as windex
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh import multiproc
from whoosh.util.filelock import FcntlLock
from whoosh.writing import SegmentWriter
from whoosh.util.filelock import LockBase as FileLockBase

from .analysis import PairField, ViewField
from .codec import ArsearchCodec
from .errors import (
    ArsearchError,
    DocumentError,
    IndexLockedError,
    IndexNotFoundError,
    SchemaMismatchError,
    StorageError,
)
from .pipeline import DEFAULT_CONFIG, VIEWS, AnalysisConfig, token_terms
from .pool import TermPool, can_write_terms, compact_term_table, write_terms
from .query import FIELDS, MODES, ParsedQuery, _auto_distance, parse_query
from .snippets import Highlighter, Snippet, mark
from .tokenizer import iter_tokens
from .topk import matching_docs, top_docs

__all__ = ["Index", "Batch", "Hit", "Document", "SCHEMA_VERSION"]

#: Bumped whenever the schema (fields, views) changes.
SCHEMA_VERSION = 2
_META_FILE = "arsearch.json"
#: How old an index folder's modification time must be to be trusted to show every
#: commit since (``Index._generation``): coarser than any file system's clock tick.
_SETTLED_NS = 2_000_000_000
#: Documents handed to an indexing process at a time (``Index.add_many(procs=N)``).
_MP_BATCH = 256
#: The memory limit of one process's posting pool, in MB (Whoosh's default): past it the
#: pool writes its terms to a run on disk.
POOL_MB = 128
#: The codec new segments are written with (segments of Whoosh's W3 codec, from indexes
#: built before, are read by theirs).
POSTINGS_CODEC = ArsearchCodec
#: Several indexing processes need fork (Linux, macOS); elsewhere a batch is indexed in
#: the calling process.
_FORK = "fork" in multiprocessing.get_all_start_methods()
_LOCK_NAME = f"{windex._DEF_INDEX_NAME}_WRITELOCK"
# What an interrupted creation can leave in a directory that holds no index yet.
_CREATE_LEFTOVERS = {_META_FILE, "arsearch.tmp", _LOCK_NAME, f"{windex._DEF_INDEX_NAME}.tmp"}
# Temporary tables of contents (``_MAIN_7.toc.1712345678.9``) of writers that died.
_TOC_TEMP = re.compile(rf"^_{windex._DEF_INDEX_NAME}_[0-9]+\.toc\..+$")
# Analysis fingerprint: a change in what these words analyze to means the analyzer
# changed, and an index built by the old one must be rebuilt.
_PROBE = (
    "وَالحُكُومَاتُ لِحَفْتَرَ بِدِمَشْقَ وَبِالْمُخَابَرَاتِ فَلَسْطِينِيُّونَ مَسْئُولٌ مسؤولون "
    "ٱلْكِتَٰبُ هَٰذَا هـٰذا أهـٰكذا ٱلْعَـٰلَمِينَ وليد بنغازي مصراتة ومصراتة كتابهم سيارتها الإرهاب ١٢٣ ﻻ ک ی Latin ǅ "
    "كتاب لجنة للجنة برلمان وزير وكالة"
)


def analyzer_version(config: AnalysisConfig) -> str:
    """A short fingerprint of what ``config``'s analysis produces: every term of every
    view (each reading of a word) of a probe text."""
    terms = [[token_terms(view, config)(t.text) for t in iter_tokens(_PROBE)] for view in VIEWS]
    digest = hashlib.sha256(json.dumps([terms, sorted(config.protected)]).encode()).hexdigest()
    return f"{config.stemmer}-{digest[:12]}"


def build_schema(config: AnalysisConfig, text_column: bool = True, hit_column: bool = True,
                 compact_positions: bool = True) -> wf.Schema:
    """The index's fields. What a hit shows is read from columns, without the
    decompression and unpickling of the stored fields (which, with decoding the text,
    took about a third of a rare word's search): the text as UTF-8 in a column of its
    own, and the id, title and metadata in another (``hit``, see :func:`_hit_bytes`);
    the stored fields keep them too, for :meth:`Index.get` and :meth:`Index.ids`.
    ``text_column=False``: the text among the stored fields, ``hit_column=False``: no
    ``hit`` column, and ``compact_positions=False``: Whoosh's pickled positions instead
    of :class:`arsearch.codec.CompactPositions`, as indexes built before kept them."""
    schema = wf.Schema(
        id=wf.ID(stored=True, unique=True),
        title=wf.STORED(),
        text=wf.COLUMN(VarBytesColumn()) if text_column else wf.STORED(),
        fields=wf.STORED(),
    )
    if hit_column:
        schema.add("hit", wf.COLUMN(VarBytesColumn()))
    for f in FIELDS:
        for view in VIEWS:
            # Phrases are searched in the exact and clitic views only: the stem view
            # keeps frequencies, not positions (same scores, a third fewer positions).
            schema.add(f"{f}_{view}", ViewField(view, config, phrase=view != "stem", compact=compact_positions))
        # Adjacent word pairs, documents only: fast phrases (see arsearch.phrases).
        schema.add(f"{f}_pair", PairField(config))
    return schema


@dataclass(frozen=True)
class Document:
    """A stored document, as :meth:`Index.get` returns it."""

    id: str
    text: str
    title: str | None
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Hit:
    """One search result: an immutable value that outlives the searcher.

    ``id``, ``title`` and ``fields`` are the document's, as added. ``partial`` is true
    for a document that matched only some of the query's words (``mode="auto"``).
    What is shown of the hit is built the first time it is read, with the markers
    and escaping given to :meth:`Index.search`:

    - ``snippet``: fragments of the original text, harakat and all, with the matched
      words between the markers;
    - ``marked_title``: the whole title (None without one), marked the same way;
    - when the markers are HTML tags (or ``escape_html=True``), both are HTML-escaped,
      quotes included, and safe to put in a page: no tag of a document survives, and
      the only tags are the markers. ``title`` itself is never escaped;
    - ``plain_snippet`` and ``plain_title``: the same text unmarked and unescaped, as
      :class:`arsearch.snippets.Snippet` values with the ``(start, end)`` offsets of
      the matched words, for output that marks them itself.
    """

    id: str
    score: float
    title: str | None
    fields: Mapping[str, Any]
    partial: bool = False
    _text: str | bytes = field(default="", repr=False, compare=False)  # UTF-8: decoded when needed
    _highlighter: Highlighter | None = field(default=None, repr=False, compare=False)

    @cached_property
    def plain_snippet(self) -> Snippet:
        if self._highlighter is None:
            return Snippet("")
        return self._highlighter.plain_snippet(_stored_str(self._text))

    @cached_property
    def snippet(self) -> str:
        if self._highlighter is None:
            return ""
        return mark(self.plain_snippet, self._highlighter.markers, self._highlighter.escape_html)

    @cached_property
    def plain_title(self) -> Snippet | None:
        if self.title is None:
            return None
        if self._highlighter is None:
            return Snippet(self.title)
        return self._highlighter.plain_title(self.title)

    @cached_property
    def marked_title(self) -> str | None:
        if self.plain_title is None:
            return None
        if self._highlighter is None:
            return self.title
        return mark(self.plain_title, self._highlighter.markers, self._highlighter.escape_html)

    def as_dict(self, plain: bool = False) -> dict[str, Any]:
        """The hit as shown, for JSON: ``title`` and ``snippet`` marked (and escaped) like
        ``snippet``; with ``plain``, both unmarked and unescaped, with the offsets of the
        matched words in ``title_matches`` and ``snippet_matches``."""
        out: dict[str, Any] = {"id": self.id, "score": round(self.score, 6)}
        if plain:
            title, snippet = self.plain_title, self.plain_snippet
            out["title"] = self.title
            out["title_matches"] = [list(m) for m in title.matches] if title else []
            out["snippet"] = snippet.text
            out["snippet_matches"] = [list(m) for m in snippet.matches]
        else:
            out["title"] = self.marked_title
            out["snippet"] = self.snippet
        out["fields"] = dict(self.fields)
        out["partial"] = self.partial
        return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_text(value: Any, what: str) -> tuple[str, bytes]:
    """The text to index and its UTF-8, which is what is stored: pickling the string
    itself would leave a UTF-8 copy attached to it, held as long as the caller holds
    the document (a corpus in memory would grow by half of its size)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    try:
        return value, value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be stored as UTF-8; each becomes U+FFFD (offsets keep).
        value = _SURROGATE.sub("\ufffd", value)
        return value, value.encode("utf-8")


def _stored_str(value: Any) -> Any:
    """A stored text or title as str (stored as UTF-8 bytes; as str by earlier versions)."""
    return value.decode("utf-8") if type(value) is bytes else value


def _column(searcher, name: str):
    """The searcher's reader of the column ``name`` (one per searcher), or None if the
    index has no such column."""
    cache = searcher.__dict__
    key = f"_arsearch_{name}"
    if key not in cache:
        field = searcher.schema[name] if name in searcher.schema else None
        cache[key] = (searcher.reader().column_reader(name, translate=False)
                      if field is not None and field.column_type else None)
    return cache[key]


def _raw_text(searcher, docnum: int, stored: Mapping[str, Any] | None) -> str | bytes:
    """A document's text, as stored (UTF-8 bytes, or str in the first versions): from the
    text column, or from the stored fields (``stored``, read if None) of an index built
    before the column."""
    reader = _column(searcher, "text")
    if reader is not None:
        return reader[docnum]
    if stored is None:
        stored = searcher.stored_fields(docnum)
    return stored.get("text") or ""


def _text(searcher, docnum: int, stored: Mapping[str, Any] | None = None) -> str:
    return _stored_str(_raw_text(searcher, docnum, stored)) or ""


def _hit_bytes(doc_id: str, title: bytes | None, fields: Mapping[str, Any]) -> bytes:
    """What the ``hit`` column keeps of a document: its id, title (UTF-8) and metadata."""
    return pickle.dumps((doc_id, title, dict(fields) or None), protocol=pickle.HIGHEST_PROTOCOL)


def _hit_fields(searcher, docnum: int) -> tuple[str, str | None, dict[str, Any], Mapping[str, Any] | None]:
    """A hit's id, title and metadata, from the ``hit`` column (uncompressed), or from the
    stored fields of an index built before it; and the stored fields, if read."""
    reader = _column(searcher, "hit")
    if reader is not None:
        doc_id, title, fields = pickle.loads(reader[docnum])
        return doc_id, _stored_str(title), fields or {}, None
    stored = searcher.stored_fields(docnum)
    return stored["id"], _stored_str(stored.get("title")), stored.get("fields") or {}, stored


def _check_query(query: Any) -> str:
    # Before the (cached) parser, so that an unhashable query gets this message too.
    if not isinstance(query, str):
        raise TypeError(f"query must be str, not {type(query).__name__}")
    # Lone surrogates cannot be encoded as index terms: U+FFFD, as in documents.
    return _SURROGATE.sub("\ufffd", query)


class _Committed(Exception):
    """Internal: a write failed after its table of contents was published."""


def _acquire(lock, timeout: float) -> bool:
    """Take a Whoosh lock within ``timeout`` seconds; False if another writer kept it.

    An fcntl lock (Linux, macOS) is waited for in the kernel, from a helper thread so
    that the wait can time out: a waiting writer is woken the moment the lock is
    released, where polling would let a writer that commits batch after batch take it
    again each time and starve the other. If the wait times out, the helper thread
    stays blocked until the holder releases the lock, then releases it at once.
    Other locks (in-memory, Windows) are polled."""
    if lock.acquire(False):
        return True
    if timeout <= 0:
        return False
    if not isinstance(lock, FcntlLock):
        if not isinstance(lock, FileLockBase):  # threading.Lock of an in-memory index
            return lock.acquire(True, timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.01)
            if lock.acquire(False):
                return True
        return False
    handoff = threading.Lock()
    done = threading.Event()
    state = {"taken": False, "abandoned": False, "error": None}

    def wait() -> None:
        try:
            lock.acquire(True)
        except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
            state["error"] = e
            done.set()
            return
        with handoff:
            if state["abandoned"]:
                lock.release()
                return
            state["taken"] = True
        done.set()

    threading.Thread(target=wait, name="arsearch-lock-wait", daemon=True).start()
    done.wait(timeout)
    with handoff:
        if not state["taken"]:
            state["abandoned"] = True
    if state["error"] is not None:
        raise state["error"]
    return state["taken"]


def _retry_vanished(fn, attempts: int = 20):
    """fn(), again if a file vanished meanwhile: a commit in another process deletes the
    table of contents that this process has just listed (Whoosh's reader retries too)."""
    for attempt in range(attempts):
        try:
            return fn()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.005 * (attempt + 1))


def _fsync_path(path: Path) -> None:
    """fsync a file or a directory by path."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _SyncedRenames:
    """The index storage, for TOC.write: a file is fsynced before the rename that
    publishes it, and the directory after."""

    def __init__(self, storage, folder: Path):
        self._storage = storage
        self._folder = folder

    def __getattr__(self, name: str):
        return getattr(self._storage, name)

    def rename_file(self, frm: str, to: str, safe: bool = False) -> None:
        _fsync_path(self._folder / frm)
        self._storage.rename_file(frm, to, safe=safe)
        _fsync_path(self._folder)


class Index:
    """An arsearch index: ``Index()`` in memory, ``Index(path)`` on disk (created if missing).

    Writers wait up to ``lock_timeout`` seconds for another writer, then raise
    :class:`IndexLockedError`. With ``durable=True`` every commit is fsynced (segment
    files, table of contents, directory). Searching from several threads is safe:
    each thread gets its own searcher, reopened when the index changes (Whoosh's
    ``Searcher.refresh()`` is never used).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        config: AnalysisConfig | None = None,
        create: bool = True,
        lock_timeout: float = 10.0,
        durable: bool = False,
    ):
        if config is not None and not isinstance(config, AnalysisConfig):
            raise TypeError("config must be an arsearch.AnalysisConfig")
        self.path = Path(path) if path is not None else None
        self.lock_timeout = float(lock_timeout)
        self.durable = durable
        self._local = threading.local()
        self._listed: tuple[int, int] | None = None  # see _generation
        self._searchers: weakref.WeakSet = weakref.WeakSet()
        self._lock = threading.Lock()
        self._closed = False
        if self.path is None:
            self.config = config or DEFAULT_CONFIG
            self._storage = RamStorage()
            self._ix = self._storage.create_index(build_schema(self.config))
        else:
            self._ix = self._open_disk(config, create)

    # --- opening -----------------------------------------------------------------
    def _meta(self, config: AnalysisConfig) -> dict[str, Any]:
        return {
            "format": "arsearch-index",
            "schema_version": SCHEMA_VERSION,
            "analyzer": analyzer_version(config),
            "config": {**asdict(config), "protected": sorted(config.protected)},
        }

    def _open_disk(self, config: AnalysisConfig | None, create: bool):
        path = self.path
        meta_path = path / _META_FILE
        if path.exists() and not path.is_dir():
            raise IndexNotFoundError(f"{path} is a file, not an index directory: give a directory")
        exists = path.is_dir() and _retry_vanished(lambda: windex.exists_in(str(path)))
        if not exists:
            if not create:
                raise IndexNotFoundError(
                    f"no arsearch index at {path}: build one with `arsearch index FILES --index {path}`"
                )
            if path.is_dir() and any(p.name not in _CREATE_LEFTOVERS for p in path.iterdir()):
                raise IndexNotFoundError(f"{path} is not empty and holds no index: choose an empty or new directory")
            ix = self._create_disk(config)
            if ix is not None:
                return ix
            # Another process created the index while this one waited for the lock: open it.
        try:
            stored = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise SchemaMismatchError(
                f"{path} holds a Whoosh index that arsearch did not build (no readable {_META_FILE}): "
                "rebuild it with `arsearch index`"
            ) from e
        stored_config = AnalysisConfig(**{**stored.get("config", {}), "protected": frozenset(stored.get("config", {}).get("protected", ()))})
        self.config = config or stored_config
        expected = self._meta(self.config)
        for key in ("schema_version", "analyzer"):
            if stored.get(key) != expected[key]:
                raise SchemaMismatchError(
                    f"index at {path} was built with {key.replace('_', ' ')} {stored.get(key)!r}, "
                    f"this arsearch uses {expected[key]!r}: rebuild the index (arsearch index … --index NEWDIR), "
                    "terms of the two are never mixed"
                )
        ix = _retry_vanished(lambda: windex.open_dir(str(path)))
        self._storage = ix.storage
        return ix

    def _create_disk(self, config: AnalysisConfig | None):
        """Create the index under the write lock, as processes may race to create the
        same one; None if another process created it first."""
        path = self.path
        try:
            path.mkdir(parents=True, exist_ok=True)
            storage = FileStorage(str(path))
            lock = storage.lock(_LOCK_NAME)
            if not _acquire(lock, self.lock_timeout):
                raise IndexLockedError(
                    f"another process held the lock of {path} for {self.lock_timeout:g} s while "
                    "creating the index: try again, or give a longer lock_timeout"
                )
            try:
                if windex.exists_in(str(path)):
                    return None
                self.config = config or DEFAULT_CONFIG
                self._write_meta(path / _META_FILE, self._meta(self.config))
                ix = storage.create_index(build_schema(self.config))
                if self.durable:
                    for name in storage.list():
                        if name.endswith(".toc"):
                            _fsync_path(path / name)
                    _fsync_path(path)
                    _fsync_path(path.parent)
            finally:
                lock.release()
        except OSError as e:
            raise StorageError(f"cannot create an index at {path}: {e.strerror or e}") from e
        self._storage = storage
        return ix

    def _write_meta(self, meta_path: Path, meta: dict[str, Any]) -> None:
        tmp = meta_path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False, indent=1)
            f.flush()
            if self.durable:
                os.fsync(f.fileno())
        os.replace(tmp, meta_path)

    # --- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close every searcher this index opened. Idempotent."""
        self._closed = True
        for s in list(self._searchers):
            try:
                s.close()
            except Exception:  # noqa: BLE001 - closing is best effort
                pass
        self._local = threading.local()

    def _check_open(self) -> None:
        if self._closed:
            raise ArsearchError("this Index is closed: open a new one")

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "memory"
        return f"Index({where!r}{', closed' if self._closed else ''})"

    # --- writing -------------------------------------------------------------------
    # Every write holds the index's write lock from before the Whoosh writer is made
    # until after its files are committed or cleaned away, so a failed batch's files are
    # removed before any other writer can start. Whoosh's own lock handling is bypassed
    # (writer(_lk=False)): its LockError never reaches the caller.
    def _lock_acquire(self):
        lock = self._ix.lock("WRITELOCK")
        try:
            taken = _acquire(lock, self.lock_timeout)
        except OSError as e:
            raise StorageError(f"cannot take the write lock of {self.path}: {e.strerror or e}") from e
        if not taken:
            raise IndexLockedError(
                f"another writer held the lock of the index at {self.path or 'memory'} for "
                f"{self.lock_timeout:g} s (lock_timeout): wait for it to finish and try again, "
                "or give a longer lock_timeout; nothing of this batch was written"
            )
        return lock

    def _writer(self):
        """A raw Whoosh writer owning the write lock (released by its commit or cancel)."""
        self._check_open()
        lock = self._lock_acquire()
        try:
            self._remove_leftovers()
            writer = self._segment_writer()
        except BaseException as e:
            lock.release()
            if isinstance(e, OSError):
                raise StorageError(f"cannot open a writer on {self.path}: {e.strerror or e}") from e
            raise
        writer.writelock = lock
        return writer

    def _segment_writer(self):
        """Whoosh's one-process writer (the lock is the caller's), pooling postings by term."""
        return _TermPoolWriter(self._ix, _lk=False)

    @contextmanager
    def _writing(self, *, optimize: bool = False, procs: int = 1, expected: int | None = None):
        """Yield a Whoosh writer and commit it, all-or-nothing, under the write lock.

        On any failure (disk full, an exception while adding, KeyboardInterrupt) the
        batch's files are deleted, the lock is released and the last commit is intact;
        an ``OSError`` becomes :class:`StorageError`. With ``procs`` > 1 (on disk),
        documents are analyzed and written by that many processes, each into its own
        segment; the commit is refused unless their segments hold the ``expected``
        number of documents."""
        self._check_open()
        if getattr(self._local, "batch", None) is not None:
            # The batch holds the write lock: waiting for it here would wait for itself.
            raise ArsearchError(
                "a batch of this Index is open in this thread: write through it (b.add, b.add_many, "
                "b.delete) or after its with block ends; batches do not nest"
            )
        lock = self._lock_acquire()
        writer = None
        try:
            try:
                self._remove_leftovers()
                if procs > 1 and self.path is not None and _FORK:
                    # Forked: the processes share the open index (a spawned one would
                    # have to unpickle it, which Whoosh's storage does not allow).
                    writer = _TermPoolMpWriter(self._ix, procs=procs, batchsize=_MP_BATCH, multisegment=True, _lk=False,
                                      subargs={"limitmb": POOL_MB}, start_method="fork")
                    writer.jobqueue = _WatchedQueue(writer.jobqueue, writer)
                    publish = writer._commit_toc
                    if self.durable:
                        publish = functools.partial(self._durable_commit_toc, writer)
                    before = frozenset(seg.segid for seg in writer.segments)
                    writer._commit_toc = functools.partial(_checked_commit_toc, writer, publish, before, expected)
                else:
                    writer = self._segment_writer()
                    if self.durable and self.path is not None:
                        writer._commit_toc = functools.partial(self._durable_commit_toc, writer)
                yield writer
                writer.commit(optimize=optimize)
            except BaseException as exc:
                committed = (
                    isinstance(exc, OSError) and writer is not None
                    and self._ix.latest_generation() >= writer.generation
                )
                if writer is not None and not writer.is_closed:
                    try:
                        writer.cancel()
                    except Exception:  # noqa: BLE001 - the first error is the one to report
                        pass
                for task in getattr(writer, "tasks", ()):  # indexing processes still waiting for work
                    if task.is_alive():
                        task.terminate()
                        task.join(5)
                self._remove_leftovers()
                if committed:
                    raise _Committed()
                raise
        except _Committed as c:
            e = c.__context__
            raise StorageError(
                f"the batch was committed, but syncing it to disk failed ({getattr(e, 'strerror', None) or e}): "
                "check the disk; it may be missing after a power loss"
            ) from e
        except OSError as e:
            raise StorageError(
                f"writing the index at {self.path or 'memory'} failed ({e.strerror or e}); nothing of this "
                "batch was written and the index is as it was before it: free disk space (or fix the "
                "permissions) and add the batch again"
            ) from e
        finally:
            lock.release()

    def _remove_leftovers(self) -> None:
        """Delete what failed or killed writers left behind: segment files that the
        current table of contents does not name, temporary TOC files and the writer's
        scratch folder. Called only with the write lock held."""
        if self.path is None:
            return
        storage, name = self._storage, self._ix.indexname
        try:
            toc = windex.TOC.read(storage, name)
            windex.clean_files(storage, name, toc.generation, toc.segments)
            for leftover in storage.list():
                if _TOC_TEMP.match(leftover):
                    storage.delete_file(leftover)
        except OSError:
            pass  # best effort: the next write tries again
        shutil.rmtree(self.path / f"{name}.tmp", ignore_errors=True)

    def _durable_commit_toc(self, writer, segments) -> None:
        # Whoosh's SegmentWriter._commit_toc with fsyncs in the order that makes the
        # commit survive a power loss: the files of every segment the new table of
        # contents names, then the TOC (before the rename that publishes it), then the
        # directory (after the rename and after old files are deleted).
        for segment in segments:
            for name in segment.list_files(self._storage):
                _fsync_path(self.path / name)
        toc = windex.TOC(writer.schema, segments, writer.generation)
        toc.write(_SyncedRenames(self._storage, self.path), writer.indexname)
        windex.clean_files(self._storage, writer.indexname, writer.generation, segments)
        _fsync_path(self.path)

    @staticmethod
    def _doc_fields(doc_id: Any, text: Any, title: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(doc_id, str):
            raise TypeError(f"document id must be str, not {type(doc_id).__name__}")
        if not doc_id.strip():
            raise DocumentError("document id is empty: give every document a non-empty id")
        try:
            doc_id.encode("utf-8")
        except UnicodeEncodeError as e:
            raise DocumentError("document id holds a lone surrogate: ids must be valid Unicode") from e
        text, stored_text = _clean_text(text, "document text")
        stored_title = None
        if title is not None:
            title, stored_title = _clean_text(title, "title")
        try:
            json.dumps(dict(fields))
        except (TypeError, ValueError) as e:
            raise TypeError(f"metadata fields must be JSON-serializable: {e}") from e
        out = {"id": doc_id, "text": stored_text, "title": stored_title, "fields": dict(fields),
               "hit": _hit_bytes(doc_id, stored_title, fields)}
        for view in (*VIEWS, "pair"):
            out[f"body_{view}"] = text
            out[f"title_{view}"] = title or ""
        return out

    def add(self, id: str, text: str, *, title: str | None = None, **fields: Any) -> None:
        """Add one document and commit. An existing ``id`` is replaced.

        Each call is a commit of its own (a new segment, a new table of contents): for
        many documents, add them in one :meth:`batch` or with :meth:`add_many`.
        """
        doc = self._doc_fields(id, text, title, fields)
        self._write([doc])

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """A batch of adds and deletes committed once, when the ``with`` block ends::

            with ix.batch() as b:
                for doc_id, text in pages:
                    b.add(doc_id, text, title=None, source="scan")
                b.delete("old")

        All or nothing: if the block raises, nothing of the batch is committed and the
        index is as it was before it. Nothing of the batch is visible to searches
        (of this or any other :class:`Index`) before the block ends. A document whose id
        is already in the index, or was added earlier in the batch, replaces it.

        The batch holds the index's write lock from the start of the block to its end:
        another writer (another thread, process or :class:`Index` on the same folder)
        waits for it up to its ``lock_timeout``, then raises :class:`IndexLockedError`.
        In the thread that opened the batch, writing to this index other than through
        the batch (``add``, ``add_many``, ``delete``, ``optimize``, another ``batch``)
        raises :class:`ArsearchError`, and so does using the batch after its block.
        """
        with self._writing() as writer:
            b = Batch(self, writer)
            self._local.batch = b
            try:
                yield b
            finally:
                b._open = False
                self._local.batch = None
            if b._failure is not None:
                raise ArsearchError(
                    f"a write in this batch failed ({b._failure}), so nothing of the batch was "
                    "committed: fix what that error says and run the batch again"
                ) from b._failure

    def add_many(self, docs: Iterable[Mapping[str, Any]], *, progress: bool = False, procs: int = 1) -> int:
        """Add documents (dicts with ``id``, ``text``, optional ``title`` and metadata) in
        one commit. If any document is refused, nothing of the batch is added. A document
        whose id is in the index, or earlier in the batch, replaces it.
        Returns the number of documents added.

        ``procs``: processes that analyze and write the batch (an index on disk, on a
        system with ``fork``; each adds a segment, so searches read one more segment
        until the index merges them).
        """
        if not isinstance(procs, int) or isinstance(procs, bool) or procs < 1:
            raise ValueError("procs must be a positive int")
        # One process: each document is checked as it is written, so the batch is never
        # held in memory (a refused one cancels the commit: nothing of the batch is added).
        prepared = (self._prepared(n, d) for n, d in enumerate(docs))
        total = len(docs) if isinstance(docs, Sized) else None
        if procs > 1:
            # One document per id, the last one given, as one process would keep.
            batch = list({doc["id"]: doc for doc in prepared}.values())
            return self._write(batch, progress=progress, procs=procs, total=len(batch))
        return self._write(prepared, progress=progress, total=total)

    def _prepared(self, n: int, d: Any) -> dict[str, Any]:
        """The fields of the ``n``-th document of a batch."""
        if not isinstance(d, Mapping):
            raise TypeError(f"document {n} must be a dict, not {type(d).__name__}")
        d = dict(d)
        if "id" not in d or "text" not in d:
            raise DocumentError(f"document {n} needs 'id' and 'text' keys")
        doc_id, text, title = d.pop("id"), d.pop("text"), d.pop("title", None)
        return self._doc_fields(doc_id, text, title, d)

    def _write(self, docs: Iterable[dict[str, Any]], progress: bool = False, procs: int = 1,
               total: int | None = None) -> int:
        """Write ``docs`` in one commit; returns how many were written. ``procs`` > 1
        needs ``total``, the number of documents."""
        if procs > 1:
            procs = min(procs, max(1, (total or 0) // _MP_BATCH))  # a process per batch at most
        written = 0
        with self._writing(procs=procs, expected=total) as writer:
            items: Iterable = docs
            if progress:
                from tqdm import tqdm

                items = tqdm(docs, unit="doc", desc="indexing", total=total)
            batch = Batch(self, writer)
            for doc in items:
                batch._put(doc)
                written += 1
        return written

    def delete(self, id: str) -> bool:
        """Delete the document ``id``; returns whether it existed."""
        if not isinstance(id, str):
            raise TypeError(f"document id must be str, not {type(id).__name__}")
        with self._writing() as writer:
            n = writer.delete_by_term("id", id)
        return bool(n)

    def optimize(self) -> None:
        """Merge all segments into one (faster searches after many small commits)."""
        with self._writing(optimize=True):
            pass

    # --- reading ---------------------------------------------------------------------
    def _generation(self) -> int:
        """The index's latest generation (its newest table of contents).

        On disk, Whoosh lists the folder to find it, about 5% of a rare word's search.
        The folder's modification time changes with every file a commit adds
        or deletes, so an unchanged time means an unchanged generation; but it is
        trusted only once it is :data:`_SETTLED_NS` old, as a file system's clock may
        tick too coarsely to tell two changes apart."""
        if self.path is None:
            return self._ix.latest_generation()
        try:
            mtime = os.stat(self.path).st_mtime_ns  # before listing: a change after it is seen next time
        except OSError:
            return self._ix.latest_generation()
        listed = self._listed
        if listed is not None and listed[0] == mtime:
            return listed[1]
        gen = self._ix.latest_generation()
        if time.time_ns() - mtime > _SETTLED_NS:
            self._listed = (mtime, gen)
        return gen

    def _searcher(self):
        """This thread's searcher, reopened when the index generation changed."""
        self._check_open()
        gen = self._generation()
        cached = getattr(self._local, "searcher", None)
        if cached is not None and cached[0] == gen:
            return cached[1]
        searcher = self._ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
        self._searchers.add(searcher)
        if cached is not None:
            cached[1].close()
        self._local.searcher = (gen, searcher)
        return searcher

    def __len__(self) -> int:
        return self._searcher().doc_count()

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self._searcher().document_number(id=id) is not None

    def get(self, id: str) -> Document | None:
        """The stored document ``id``, or None."""
        if not isinstance(id, str):
            raise TypeError(f"document id must be str, not {type(id).__name__}")
        s = self._searcher()
        docnum = s.document_number(id=id)
        if docnum is None:
            return None
        stored = s.stored_fields(docnum)
        return Document(stored["id"], _text(s, docnum, stored), _stored_str(stored.get("title")),
                        stored.get("fields") or {})

    def ids(self) -> Iterator[str]:
        """Every document id."""
        s = self._searcher()
        for _, stored in s.iter_docs():
            yield stored["id"]

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        mode: str = "auto",
        strict: bool = False,
        match_diacritics: bool = False,
        markers: tuple[str, str] = ("[", "]"),
        escape_html: bool | None = None,
    ) -> list[Hit]:
        """Search; see :mod:`arsearch.query` for the query language.

        ``mode``: ``"all"`` (every word must match), ``"any"`` (best partial matches,
        more matched words first) or ``"auto"`` (all-word matches first, then partial
        ones up to ``limit``, marked ``partial``). ``match_diacritics``: words written
        with harakat in the query match only words vocalized the same way.
        ``markers`` wrap the matched words of each hit's ``snippet`` and ``marked_title``.
        ``escape_html``: HTML-escape their text (quotes included; never the markers).
        By default (None) it is escaped exactly when a marker is an HTML tag, so
        ``markers=("<b>", "</b>")`` gives snippets and titles safe to put in a page;
        ``escape_html=False`` with HTML markers is for text known to hold no markup.
        """
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValueError("limit must be a positive int")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        query = _check_query(query)
        parsed = parse_query(query, self.config, strict)
        if parsed.empty:
            return []
        searcher = self._searcher()
        highlighter = Highlighter(parsed.highlight, self.config, markers, escape_html)
        if parsed.expands:
            highlighter = highlighter.with_terms(_expanded_terms(parsed.any, searcher))
        check = _diacritics_check(parsed) if match_diacritics and parsed.vocalized else None
        fetch = limit if check is None else max(limit * 20, 500)
        hits: list[Hit] = []
        seen: set[int] = set()
        runs = [("all", False)]  # (which of parsed's queries, partial)
        if mode == "any":
            runs = [("any", False)]
        elif mode == "auto" and parsed.n_positive > 1 and parsed.has_partial_matches:
            # A name: all-word matches first. A question: one ranking (arsearch.query.RANKINGS).
            runs = [("all", False), ("any", True)] if parsed.tiered else [("any", None)]
        complete: set[int] | None = None
        for which, partial in runs:
            if len(hits) >= limit:
                break
            q = getattr(parsed, which)  # a name's mode="any" query is built only if needed
            for docnum, score in top_docs(searcher, q, fetch + len(seen)):
                if docnum in seen:
                    continue
                seen.add(docnum)
                is_partial = partial
                if partial is None:
                    if complete is None:
                        complete = matching_docs(searcher, parsed.all)
                    is_partial = docnum not in complete
                doc_id, title, fields, stored = _hit_fields(searcher, docnum)
                text = _raw_text(searcher, docnum, stored)
                if check is not None and not check(_stored_str(text)):
                    continue
                hits.append(Hit(doc_id, float(score), title, fields, is_partial, text, highlighter))
                if len(hits) >= limit:
                    break
        return hits

    def suggest(self, query: str) -> str | None:
        """A spelling the index knows for a query that finds nothing (did you mean)."""
        query = _check_query(query)
        parsed = parse_query(query, self.config, False)
        if not parsed.words:
            return None
        searcher = self._searcher()
        out, changed = [], False
        reader = searcher.reader()
        for word in parsed.words:
            if reader.frequency("body_exact", word) or reader.frequency("title_exact", word):
                out.append(word)
                continue
            best = None
            for dist in range(1, _auto_distance(word) + 1):
                cands = list(reader.terms_within("body_exact", word, dist, prefix=0 if len(word) < 4 else 1))
                if cands:
                    best = max(cands, key=lambda t: reader.frequency("body_exact", t))
                    break
            if best is None:
                out.append(word)
            else:
                out.append(best)
                changed = True
        return " ".join(out) if changed else None

    def stats(self) -> dict[str, Any]:
        """Documents, distinct terms per view and size on disk."""
        s = self._searcher()
        reader = s.reader()
        terms = {view: sum(1 for _ in reader.lexicon(f"body_{view}")) for view in VIEWS}
        size = None
        if self.path is not None:
            size = sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        return {
            "documents": s.doc_count(),
            "terms": terms,
            "segments": len(reader.leaf_readers()),
            "size_bytes": size,
            "analyzer": analyzer_version(self.config),
            "path": str(self.path) if self.path else None,
        }


class Batch:
    """Adds and deletes written into one commit, as :meth:`Index.batch` opens it.

    One document per id, the last one given: Whoosh's ``update_document`` replaces
    committed documents only, so a document added earlier in the batch is deleted
    here from the segment being written.
    """

    def __init__(self, index: Index, writer):
        self._index = index
        self._writer = writer
        self._hit_column = "hit" in writer.schema  # not in indexes built before it
        self._new: dict[str, int] = {}  # id -> its number in the segment being written
        self._open = True
        self._failure: BaseException | None = None

    def add(self, id: str, text: str, *, title: str | None = None, **fields: Any) -> None:
        """Add one document to the batch (as :meth:`Index.add`, without its commit)."""
        self._check_open()
        self._put(Index._doc_fields(id, text, title, fields))

    def add_many(self, docs: Iterable[Mapping[str, Any]]) -> int:
        """Add documents to the batch (as :meth:`Index.add_many` in one process); returns
        how many were added. If one is refused, the batch is not committed."""
        self._check_open()
        written = 0
        try:
            for n, d in enumerate(docs):
                self._put(self._index._prepared(n, d))
                written += 1
        except BaseException as e:
            # Caught or not, the documents before the refused one must stay out of the index.
            self._failure = self._failure or e
            raise
        return written

    def delete(self, id: str) -> bool:
        """Delete the document ``id`` (committed, or added earlier in the batch); returns
        whether it existed."""
        self._check_open()
        if not isinstance(id, str):
            raise TypeError(f"document id must be str, not {type(id).__name__}")
        try:
            deleted = bool(self._writer.delete_by_term("id", id))
            earlier = self._new.pop(id, None)
            if earlier is not None:
                self._writer.newsegment.delete_document(earlier)
        except BaseException as e:
            self._failure = self._failure or e
            raise
        return deleted or earlier is not None

    def _put(self, doc: dict[str, Any]) -> None:
        """Write a document's fields (:meth:`Index._doc_fields`)."""
        writer = self._writer
        if not self._hit_column:
            del doc["hit"]
        docnum = writer.docnum
        earlier = self._new.get(doc["id"])
        try:
            writer.update_document(**doc)
            if earlier is not None:
                writer.newsegment.delete_document(earlier)
        except BaseException as e:
            # A writer that failed half-way must not be committed, even if the caller
            # catches the error and goes on.
            self._failure = self._failure or e
            raise
        self._new[doc["id"]] = docnum

    def _check_open(self) -> None:
        if not self._open:
            raise ArsearchError("this batch has ended (committed or discarded): open a new one with Index.batch()")


class _TermPoolWriter(SegmentWriter):
    """Whoosh's segment writer with a :class:`arsearch.pool.TermPool` and a compact
    term table."""

    def __init__(self, ix, **kwargs: Any):
        kwargs.setdefault("codec", POSTINGS_CODEC())
        super().__init__(ix, **kwargs)
        self.pool = TermPool(self._tempstorage, self.newsegment, limitmb=POOL_MB)
        self._whole_fields = hasattr(self.pool, "add_field") and not any(
            field.vector or field.separate_spelling() for _, field in self.schema.items()
        )
        # An index on disk: the term table may keep a temporary file beside the pool's runs.
        compact_term_table(self.fieldwriter, getattr(self._tempstorage, "folder", None) or None)

    def add_document(self, **fields: Any) -> None:
        # Whoosh's, with each field's postings handed to the pool at once (TermPool.add_field)
        # instead of a call per posting; schemas with vectors or spelling fields take Whoosh's.
        if not self._whole_fields:
            return super().add_document(**fields)
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    length = self.pool.add_field(fieldname, field.index(value), docnum, boost, field.scorable)
                    if length and type(field) is ViewField:
                        # a word's readings stand at one position: the length counts words
                        length = field.length(value) or length
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        # Whoosh's, with the postings written a term at a time (arsearch.pool.write_terms)
        if not hasattr(self.pool, "terms_sorted") or not can_write_terms(self.fieldwriter):
            return super()._flush_segment()
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        write_terms(self.fieldwriter, self.schema, lengths, self.pool.terms_sorted())
        self.fieldwriter.close()
        if lengths:
            lengths.close()

    def cancel(self, *args: Any, **kwargs: Any) -> None:
        table = getattr(self.fieldwriter, "_tindex", None)
        if hasattr(table, "discard"):
            table.discard()
        super().cancel(*args, **kwargs)


def _run_subwriter(*args) -> None:
    """An indexing process of ``add_many(procs=N)``: Whoosh's, writing its segment
    through a :class:`_TermPoolWriter`. The process is forked for this task alone, so
    the writer class is swapped in this process only."""
    multiproc.SegmentWriter = _TermPoolWriter
    multiproc._run_subwriter(*args)


class _TermPoolMpWriter(multiproc.MpWriter):
    """Whoosh's multi-process writer whose processes pool postings by term."""

    def _new_task(self):
        args = (self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
        task = self._mpctx.Process(target=_run_subwriter, args=args)
        self.tasks.append(task)
        task.start()
        return task


class _WatchedQueue:
    """The job queue of a multi-process writer: a put that waits for a full queue
    fails, rather than hanging, once an indexing process has died."""

    def __init__(self, queue, writer):
        self._queue = queue
        self._writer = writer

    def put(self, item) -> None:
        while True:
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue_module.Full:
                dead = [t for t in self._writer.tasks if not t.is_alive()]
                if dead:
                    raise StorageError(
                        f"an indexing process stopped (exit code {dead[0].exitcode}); nothing was committed: "
                        "add the batch again (with procs=1 to index it in this process)"
                    ) from None

    def __getattr__(self, name: str):
        return getattr(self._queue, name)


def _checked_commit_toc(writer, publish, before: frozenset, expected: int | None, segments) -> None:
    """Publish the table of contents of a multi-process commit only if the segments
    the processes wrote hold every document of the batch (Whoosh's MpWriter drops a
    process's segment silently if it does not report back in time)."""
    added = sum(s.doc_count_all() for s in segments if s.segid not in before and s is not writer.newsegment)
    if expected is not None and added != expected:
        raise StorageError(
            f"indexing processes wrote {added} of the batch's {expected} documents; nothing was "
            "committed: add the batch again (with procs=1 to index it in this process)"
        )
    publish(segments)


def _expanded_terms(q, searcher) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {v: set() for v in VIEWS}
    reader = searcher.reader()
    for leaf in q.leaves():
        if isinstance(leaf, (wq.Prefix, wq.FuzzyTerm)):
            view = leaf.fieldname.rpartition("_")[2]
            for _, text in leaf.expanded_terms(reader):
                out[view].add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return {v: frozenset(t) for v, t in out.items()}


def _diacritics_check(parsed: ParsedQuery):
    from .snippets import vocalized_key

    wanted = {vocalized_key(w) for w in parsed.vocalized}

    def check(text: str) -> bool:
        found = {vocalized_key(t.text) for t in iter_tokens(text)} & wanted
        return found == wanted

    return check

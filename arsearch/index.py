"""The index: one class around a Whoosh index, on disk or in memory."""

from __future__ import annotations

import functools
import os
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import RamStorage

from .batch import Batch
from .errors import ArsearchError, DocumentError, StorageError
from .metadata import check_declarations
from .opening import Declarations, declare_fields, open_on_disk, with_entities
from .parsing import latin_terms, parsed_query
from .pipeline.views import DEFAULT_CONFIG, AnalysisConfig
from .query.builder import MODES, parse_query
from .query.syntax import MAX_QUERY_CHARS
from .schema import build_schema, document_fields
from .scoring import B, weighting
from .searching import (
    Document,
    Results,
    check_query,
    entity_filters,
    index_stats,
    refinement,
    run_search,
    stored_str,
    stored_text,
    suggestion,
)
from .snippets import Highlighter
from .topk.values import field_types
from .writing.durability import Committed, durable_commit_toc, remove_leftovers, take_write_lock
from .writing.writers import MP_BATCH, TermPoolWriter, open_writer

__all__ = ["Index", "Batch"]

#: How old an index folder's modification time must be to be trusted to show every
#: commit since (``Index._generation``): coarser than any file system's clock tick.
_SETTLED_NS = 2_000_000_000


class Index:
    """An arsearch index: ``Index()`` in memory, ``Index(path)`` on disk (created if missing).

    Writers wait up to ``lock_timeout`` seconds for another writer, then raise
    :class:`IndexLockedError`. With ``durable=True`` every commit is fsynced (segment
    files, table of contents, directory). Searching from several threads is safe:
    each thread gets its own searcher, reopened when the index changes (Whoosh's
    ``Searcher.refresh()`` is never used). ``entities=True``: each document added gets the
    people, places and organizations it names as keyword fields ``people``, ``places``,
    ``orgs`` (kept by the index: None reopens it as it was built).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        config: AnalysisConfig | None = None,
        create: bool = True,
        lock_timeout: float = 10.0,
        durable: bool = False,
        fields: Mapping[str, str] | None = None,
        entities: bool | None = None,
    ):
        if config is not None and not isinstance(config, AnalysisConfig):
            raise TypeError("config must be an arsearch.AnalysisConfig")
        declared = check_declarations(fields) if fields is not None else {}
        self.path = Path(path) if path is not None else None
        self.lock_timeout = float(lock_timeout)
        self.durable = durable
        self._local = threading.local()
        self._listed: tuple[int, int] | None = None  # see _generation
        self._searchers: weakref.WeakSet = weakref.WeakSet()
        # Results whose total is still to count, by id (a list is not hashable)
        self._pending: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self._lock = threading.Lock()
        self._closed = False
        if self.path is None:
            self.config = config or DEFAULT_CONFIG
            self._storage = RamStorage()
            self._ix = self._storage.create_index(build_schema(self.config))
            self._declarations = Declarations(None, with_entities(declared, entities), bool(entities))
        else:
            self._ix, self.config = open_on_disk(self.path, config, create=create, lock_timeout=self.lock_timeout,
                                                 durable=self.durable)
            self._storage = self._ix.storage
            self._declarations = declare_fields(self.path, self._ix, declared, self.lock_timeout, self.durable, entities)
        self._fields_now = self._declarations.now

    @property
    def fields(self) -> dict[str, str]:
        """The declared metadata fields and their types (``keyword``, ``number``, ``date``),
        given as ``fields=`` now or before (see :meth:`metadata_fields`)."""
        return dict(self._fields_now())

    @property
    def entities(self) -> bool:
        """Whether documents added get their people, places and organizations as fields."""
        self._fields_now()
        return self._declarations.entities

    def metadata_fields(self) -> dict[str, str]:
        """Every field a filter, a sort or a facet may name, with its type: the declared
        ones, and ``keyword`` for each undeclared field holding strings."""
        return field_types(self._searcher(), self._fields_now())

    # --- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close every searcher this index opened. Idempotent."""
        self._closed = True
        self._resolve_pending(None)
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
        return take_write_lock(self._ix, self.path, self.lock_timeout)

    def _writer(self):
        """A raw Whoosh writer owning the write lock (released by its commit or cancel)."""
        self._check_open()
        lock = self._lock_acquire()
        try:
            self._remove_leftovers()
            writer = TermPoolWriter(self._ix, _lk=False)
        except BaseException as e:
            lock.release()
            if isinstance(e, OSError):
                raise StorageError(f"cannot open a writer on {self.path}: {e.strerror or e}") from e
            raise
        writer.writelock = lock
        return writer

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
                durable = self.durable and self.path is not None
                publish = functools.partial(durable_commit_toc, self._storage, self.path) if durable else None
                writer = open_writer(self._ix, procs=procs if self.path is not None else 1, expected=expected,
                                     publish=publish)
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
                    raise Committed() from exc
                raise
        except Committed as c:
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
        if self.path is not None:
            remove_leftovers(self._ix, self.path)

    def add(self, id: str, text: str, *, title: str | None = None, **fields: Any) -> None:
        """Add one document and commit. An existing ``id`` is replaced.

        Each call is a commit of its own (a new segment, a new table of contents): for
        many documents, add them in one :meth:`batch` or with :meth:`add_many`.
        """
        doc = document_fields(id, text, title, fields, self._fields_now(), self._declarations.entities)
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
        self._fields_now()  # the declarations the batch is checked against
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
        return document_fields(doc_id, text, title, d, self._declarations.declared,  # as of the batch's start
                               self._declarations.entities)

    def _write(self, docs: Iterable[dict[str, Any]], progress: bool = False, procs: int = 1,
               total: int | None = None) -> int:
        """Write ``docs`` in one commit; returns how many were written. ``procs`` > 1
        needs ``total``, the number of documents."""
        if procs > 1:
            procs = min(procs, max(1, (total or 0) // MP_BATCH))  # a process per batch at most
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
        searcher = self._ix.searcher(weighting=weighting(B))
        self._searchers.add(searcher)
        if cached is not None:
            self._resolve_pending(cached[1])
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
        return Document(stored["id"], stored_text(s, docnum, stored), stored_str(stored.get("title")),
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
        offset: int = 0,
        filter: Mapping[str, Any] | None = None,
        sort: str | Sequence[str] | None = None,
        facets: Sequence[str] | None = None,
        facet_limit: int = 20,
        mode: str = "auto",
        strict: bool = False,
        match_diacritics: bool = False,
        markers: tuple[str, str] = ("[", "]"),
        escape_html: bool | None = None,
        latin_names: bool = True,
        spelling_variants: bool = False,
    ) -> Results:
        """Search; see :mod:`arsearch.query` for the query language. Returns a
        :class:`Results`: the hits ranked ``offset`` to ``offset + limit`` (a list of
        :class:`Hit`), with ``total`` (every match) and ``facets``.

        ``mode``: ``"all"`` (every word must match), ``"any"`` (best partial matches,
        more matched words first) or ``"auto"`` (all-word matches first, then partial
        ones, marked ``partial``; ``total`` counts both). ``match_diacritics``: words
        written with harakat in the query match only words vocalized the same way.

        ``filter``: ``{field: value}`` (equal), ``{field: [a, b]}`` (any of),
        ``{field: (low, high)}`` (a number or date range, inclusive, None for an open
        end); all must hold. It takes documents out without changing the order of the
        rest. A query with filters (``source:x``) and no words lists every document
        that meets them. ``sort``: ``"date"``, ``"-date"`` (descending) or a list of them,
        ties by relevance; None: by relevance. ``facets``: fields whose ``(value, count)``
        over every match are given in ``Results.facets``, at most ``facet_limit`` each.

        ``latin_names``: a name typed in Latin script (Haftar) also finds the Arabic
        words it may write (حفتر; :meth:`latin_terms` shows them). ``spelling_variants``:
        an Arabic name also finds the other spellings the index holds (ترمب: ترامب).
        ``markers`` wrap the matched words of each hit's ``snippet`` and ``marked_title``;
        ``escape_html`` (None: when a marker is an HTML tag) escapes their text, so
        ``markers=("<b>", "</b>")`` gives snippets and titles safe to put in a page.
        """
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValueError("limit must be a positive int")
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise ValueError("offset must be an int, 0 or more (the rank of the first hit wanted)")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        query = check_query(query)
        searcher = self._searcher()
        refine, meta = refinement(searcher, self._fields_now(), query, filter, sort, facets, facet_limit, offset)
        parsed = parsed_query(searcher, query, self.config, strict, meta, latin_names, spelling_variants)
        if self._declarations.entities:
            refine, parsed = entity_filters(searcher, refine, parsed)
        if parsed.empty and not parsed.filters and not refine.conditions:
            return Results([], 0, offset, {name: [] for name in refine.facets})
        highlighter = Highlighter(parsed.highlight, self.config, markers, escape_html)
        results = run_search(searcher, parsed, limit, mode, highlighter, match_diacritics, refine)
        if results.pending is not None:
            with self._lock:
                self._pending[id(results)] = results
        return results

    def _resolve_pending(self, searcher) -> None:
        """Count the totals still to count on ``searcher`` (None: every searcher) before
        it closes: a :class:`Results` stays whole after the index changes."""
        with self._lock:
            pending = [r for r in self._pending.values() if r.pending is not None and searcher in (None, r.pending[0])]
        for results in pending:
            results.resolve()

    def suggest(self, query: str) -> str | None:
        """A spelling the index knows for a query that finds nothing (did you mean)."""
        query = check_query(query)
        parsed = parse_query(query, self.config, False, tuple(sorted(self._fields_now().items())))
        return suggestion(self._searcher(), parsed)

    def latin_terms(self, word: str) -> list[tuple[str, float]]:
        """The Arabic words of this index a Latin name may write, weighted (1: the best),
        as ``search`` expands it: ``ix.latin_terms("Haftar")`` → ``[("حفتر", 1.0), ...]``."""
        if not isinstance(word, str):
            raise TypeError(f"word must be str, not {type(word).__name__}")
        return latin_terms(self._searcher(), check_query(word)[:MAX_QUERY_CHARS], self.config)

    def stats(self) -> dict[str, Any]:
        """Documents, distinct terms per view and size on disk."""
        return index_stats(self._searcher(), self.config, self.path)



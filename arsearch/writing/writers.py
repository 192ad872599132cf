"""Whoosh writers that pool postings by term, in one process or several.

:class:`TermPoolWriter` is Whoosh's ``SegmentWriter`` with arsearch's postings pool
(:mod:`arsearch.writing.pool`), compact term table and a term-at-a-time flush
(:mod:`arsearch.writing.flush`); :class:`TermPoolMpWriter` runs it in forked
processes, each writing a segment. :func:`open_writer` picks one and wires its
commit: durable, and for several processes checked to hold every document."""

from __future__ import annotations

import functools
import multiprocessing
import queue as queue_module
from typing import Any

from whoosh import multiproc
from whoosh.writing import SegmentWriter

from ..analysis.fields import ViewField
from ..codec.blocks import ArsearchCodec
from ..codec.termtable import compact_term_table
from ..errors import StorageError
from .flush import can_write_terms, write_terms
from .pool import TermPool

#: Documents handed to an indexing process at a time (``Index.add_many(procs=N)``).
MP_BATCH = 256


#: The memory limit of one process's posting pool, in MB (Whoosh's default): past it the
#: pool writes its terms to a run on disk.
POOL_MB = 128


#: The codec new segments are written with (segments of Whoosh's W3 codec, from indexes
#: built before, are read by theirs).
POSTINGS_CODEC = ArsearchCodec


#: Several indexing processes need fork (Linux, macOS); elsewhere a batch is indexed in
#: the calling process.
FORK = "fork" in multiprocessing.get_all_start_methods()


class TermPoolWriter(SegmentWriter):
    """Whoosh's segment writer with a :class:`arsearch.writing.pool.TermPool` and a compact
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
        # Whoosh's, with the postings written a term at a time (arsearch.writing.flush.write_terms)
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
    through a :class:`TermPoolWriter`. The process is forked for this task alone, so
    the writer class is swapped in this process only."""
    multiproc.SegmentWriter = TermPoolWriter
    multiproc._run_subwriter(*args)


class TermPoolMpWriter(multiproc.MpWriter):
    """Whoosh's multi-process writer whose processes pool postings by term."""

    def _new_task(self):
        args = (self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
        task = self._mpctx.Process(target=_run_subwriter, args=args)
        self.tasks.append(task)
        task.start()
        return task


class WatchedQueue:
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


def checked_commit_toc(writer, publish, before: frozenset, expected: int | None, segments) -> None:
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


def open_writer(ix, *, procs: int = 1, expected: int | None = None, publish=None):
    """A writer on ``ix`` whose lock is the caller's (``_lk=False``).

    ``procs`` > 1 (where ``fork`` exists): a multi-process writer whose commit is refused
    unless the processes' segments hold ``expected`` documents. ``publish(writer,
    segments)``, when given, replaces Whoosh's publication of the table of contents
    (:func:`arsearch.writing.durability.durable_commit_toc`)."""
    if procs > 1 and FORK:
        # Forked: the processes share the open index (a spawned one would have to
        # unpickle it, which Whoosh's storage does not allow).
        writer = TermPoolMpWriter(ix, procs=procs, batchsize=MP_BATCH, multisegment=True, _lk=False,
                                  subargs={"limitmb": POOL_MB}, start_method="fork")
        writer.jobqueue = WatchedQueue(writer.jobqueue, writer)
        commit = functools.partial(publish, writer) if publish is not None else writer._commit_toc
        before = frozenset(seg.segid for seg in writer.segments)
        writer._commit_toc = functools.partial(checked_commit_toc, writer, commit, before, expected)
        return writer
    writer = TermPoolWriter(ix, _lk=False)
    if publish is not None:
        writer._commit_toc = functools.partial(publish, writer)
    return writer

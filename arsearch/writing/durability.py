"""Locks, fsync and clean-up: what makes a commit all-or-nothing and, with
``durable=True``, survive a power loss.

Whoosh never fsyncs and leaves a failed writer's files behind; arsearch holds the
write lock from before a writer is made until its files are committed or removed
(:func:`remove_leftovers`), and a durable commit syncs the segment files, the table of
contents and the directory in the order that keeps the last commit whole
(:func:`durable_commit_toc`)."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path

from whoosh import index as windex
from whoosh.util.filelock import FcntlLock
from whoosh.util.filelock import LockBase as FileLockBase

from ..errors import IndexLockedError, StorageError
from ..schema import META_FILE

LOCK_NAME = f"{windex._DEF_INDEX_NAME}_WRITELOCK"


# What an interrupted creation can leave in a directory that holds no index yet.
CREATE_LEFTOVERS = {META_FILE, "arsearch.tmp", LOCK_NAME, f"{windex._DEF_INDEX_NAME}.tmp"}


# Temporary tables of contents (``_MAIN_7.toc.1712345678.9``) of writers that died.
TOC_TEMP = re.compile(rf"^_{windex._DEF_INDEX_NAME}_[0-9]+\.toc\..+$")


class Committed(Exception):
    """A write failed after its table of contents was published (turned into a
    :class:`arsearch.StorageError` that says so)."""


def acquire(lock, timeout: float) -> bool:
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


def take_write_lock(ix, path: Path | None, timeout: float):
    """The write lock of the index ``ix`` (at ``path``, None in memory), taken within
    ``timeout`` seconds, else :class:`IndexLockedError`."""
    lock = ix.lock("WRITELOCK")
    try:
        taken = acquire(lock, timeout)
    except OSError as e:
        raise StorageError(f"cannot take the write lock of {path}: {e.strerror or e}") from e
    if not taken:
        raise IndexLockedError(
            f"another writer held the lock of the index at {path or 'memory'} for "
            f"{timeout:g} s (lock_timeout): wait for it to finish and try again, "
            "or give a longer lock_timeout; nothing of this batch was written"
        )
    return lock


def retry_vanished(fn, attempts: int = 20):
    """fn(), again if a file vanished meanwhile: a commit in another process deletes the
    table of contents that this process has just listed (Whoosh's reader retries too)."""
    for attempt in range(attempts):
        try:
            return fn()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.005 * (attempt + 1))


def fsync_path(path: Path) -> None:
    """fsync a file or a directory by path."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class SyncedRenames:
    """The index storage, for TOC.write: a file is fsynced before the rename that
    publishes it, and the directory after."""

    def __init__(self, storage, folder: Path):
        self._storage = storage
        self._folder = folder

    def __getattr__(self, name: str):
        return getattr(self._storage, name)

    def rename_file(self, frm: str, to: str, safe: bool = False) -> None:
        fsync_path(self._folder / frm)
        self._storage.rename_file(frm, to, safe=safe)
        fsync_path(self._folder)


def remove_leftovers(ix, path: Path) -> None:
    """Delete what failed or killed writers left behind in the index folder ``path``:
    segment files that the current table of contents does not name, temporary TOC files
    and the writer's scratch folder. Call it only with the write lock held."""
    storage, name = ix.storage, ix.indexname
    try:
        toc = windex.TOC.read(storage, name)
        windex.clean_files(storage, name, toc.generation, toc.segments)
        for leftover in storage.list():
            if TOC_TEMP.match(leftover):
                storage.delete_file(leftover)
    except OSError:
        pass  # best effort: the next write tries again
    shutil.rmtree(path / f"{name}.tmp", ignore_errors=True)


def durable_commit_toc(storage, path: Path, writer, segments) -> None:
    """Whoosh's ``SegmentWriter._commit_toc`` with fsyncs in the order that makes the
    commit survive a power loss: the files of every segment the new table of contents
    names, then the TOC (before the rename that publishes it), then the directory (after
    the rename and after old files are deleted)."""
    for segment in segments:
        for name in segment.list_files(storage):
            fsync_path(path / name)
    toc = windex.TOC(writer.schema, segments, writer.generation)
    toc.write(SyncedRenames(storage, path), writer.indexname)
    windex.clean_files(storage, writer.indexname, writer.generation, segments)
    fsync_path(path)

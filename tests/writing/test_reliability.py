"""Reliability of the write path (issue 6): crashes, concurrent writers, readers during
writes, threads, durability and full disks.

Writers run in child processes (tests/writing/reliability_child.py) so that they can be killed
with SIGKILL. Set ARSEARCH_RELIABILITY_OUT=FILE to get the counts of every scenario
(runs, acknowledged batches, lost documents) as JSON lines: the README table is made
from them. Every count is measured (documents expected against documents found), and
written before the scenario's assertions, so a failing run reports what it saw.

No assertion is about time: a writer that must wait waits for a signal from the test,
and timeouts (of a subprocess, of a wait for the lock) only guard against a hang.
"""

from __future__ import annotations

import errno
import json
import os
import random
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import REPO, hits_of, run_threads
from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from arsearch import ArsearchError, Index, IndexLockedError, StorageError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_child import text_for  # noqa: E402

CHILD = Path(__file__).resolve().with_name("reliability_child.py")
MARKER = "علامة"
LOCK = "MAIN_WRITELOCK"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fcntl locks are POSIX")


def report(scenario: str, **counts) -> None:
    """Append one scenario's counts to $ARSEARCH_RELIABILITY_OUT (if set)."""
    out = os.environ.get("ARSEARCH_RELIABILITY_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps({"scenario": scenario, **counts}, ensure_ascii=False) + "\n")


def child(*args: str, kill_at: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    env.pop("ARSEARCH_TEST_KILL_AT", None)
    if kill_at:
        env["ARSEARCH_TEST_KILL_AT"] = kill_at
    return subprocess.Popen(
        [sys.executable, str(CHILD), *map(str, args)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def stepped_batches(proc: subprocess.Popen, batches: int, between) -> None:
    """Let a ``stepped`` child commit ``batches`` batches one at a time: for each, tell it
    to start, call ``between(b, False)`` until it acknowledges batch ``b`` (its commit
    runs meanwhile), then ``between(b, True)`` once, after the commit."""
    for b in range(batches):
        proc.stdin.write("go\n")
        proc.stdin.flush()
        while True:
            between(b, False)
            if select.select([proc.stdout], [], [], 0)[0]:
                line = proc.stdout.readline()
                assert line == f"ack {b}\n", (line, proc.stderr.read()[-2000:] if not line else "")
                break
        between(b, True)
    proc.stdin.close()


def lock_is_free(path: Path) -> bool:
    lock = FileStorage(str(path)).lock(LOCK)
    if lock.acquire(False):
        lock.release()
        return True
    return False


def batches_present(path: Path, size: int) -> dict[int, int]:
    """Open the index afresh and count the documents of each batch (ids bNNNNN-III)."""
    with Index(path, create=False) as ix:
        ids = list(ix.ids())
        assert len(ids) == len(set(ids)) == len(ix)
        # The marker word is in every document: a search sees them all too.
        assert len(ix.search(MARKER, limit=10**6, mode="all")) == len(ids)
    counts: dict[int, int] = {}
    for doc_id in ids:
        counts[int(doc_id[1:6])] = counts.get(int(doc_id[1:6]), 0) + 1
    return counts


def referenced_files(path: Path) -> set[str]:
    storage = FileStorage(str(path))
    toc = windex.TOC.read(storage, "MAIN")
    names = {f"_MAIN_{toc.generation}.toc", "arsearch.json", LOCK}
    for segment in toc.segments:
        names.update(segment.list_files(storage))
    return names


# --- crash safety ------------------------------------------------------------------
# Fixed kill points inside a write (see reliability_child._install_kill_hook), each hit
# at its n-th occurrence so that some batches are acknowledged before the kill.
FIXED_KILLS = [
    ("add", 25), ("add", 47), ("add", 70),  # inside update_document, mid-batch
    ("merge", 1), ("merge", 2), ("merge", 4),  # while merging small segments
    ("assemble", 1), ("assemble", 3), ("assemble", 5),  # segment files written, not assembled
    ("finalize", 1), ("finalize", 2), ("finalize", 4),  # segment done, no TOC yet
    ("toc_temp", 1), ("toc_temp", 3), ("toc_temp", 5),  # new TOC written, not renamed
    ("toc_renamed", 1), ("toc_renamed", 3), ("toc_renamed", 5),  # published, before cleanup
    ("clean", 1), ("clean", 3), ("clean", 6),  # while deleting merged-away files
]
# ARSEARCH_RANDOM_KILLS / ARSEARCH_THREAD_ROUNDS: a longer soak than CI's.
RANDOM_KILLS = int(os.environ.get("ARSEARCH_RANDOM_KILLS", "15"))
THREAD_ROUNDS = int(os.environ.get("ARSEARCH_THREAD_ROUNDS", "15"))
BATCH = 20


@pytest.mark.slow
def test_sigkill_never_loses_acknowledged_batches(tmp_path):
    path = tmp_path / "ix"
    Index(path).close()
    rng = random.Random(6)
    acked: set[int] = set()
    next_batch = 0
    kills = partial_batches = lost_docs = 0
    schedule = [("fixed", p, n) for p, n in FIXED_KILLS] + [("random", None, None)] * RANDOM_KILLS
    rng.shuffle(schedule)
    for kind, point, nth in schedule:
        # A randomly killed child has more batches than it can commit before the kill.
        count = 8 if kind == "fixed" else 10**6
        proc = child("batches", path, next_batch, count, BATCH,
                     kill_at=f"{point}:{nth}" if kind == "fixed" else None)
        first_line = ""
        if kind == "random":
            first_line = proc.stdout.readline()  # the first batch is in: commits are under way
            time.sleep(rng.uniform(0.0, 1.0))
            proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=120)
        out = first_line + out
        assert proc.returncode == -signal.SIGKILL, f"{kind} {point}:{nth} not killed: {err[-2000:]}"
        kills += 1
        run_acks = {int(line.split()[1]) for line in out.splitlines() if line.startswith("ack ")}
        acked |= run_acks
        # The batch after the last acknowledged one may have been cut off: it is skipped.
        next_batch = max(run_acks, default=next_batch - 1) + 2
        # The lock died with the process; the index opens; every acknowledged batch is
        # whole; every batch is all or nothing.
        assert lock_is_free(path)
        present = batches_present(path, BATCH)
        lost_docs += sum(BATCH - present.get(b, 0) for b in acked)
        partial_batches += sum(1 for n in present.values() if n != BATCH)
        assert {b for b in acked if present.get(b) != BATCH} == set()
        assert {b: n for b, n in present.items() if n != BATCH} == {}
    report("kill -9 while indexing (random moments and 7 points inside the commit)",
           runs=kills, acknowledged_batches=len(acked), documents=len(acked) * BATCH,
           lost=lost_docs, partial_batches=partial_batches)
    # every run was killed; a random kill comes after the run's first acknowledged batch
    assert kills == len(schedule) and len(acked) >= RANDOM_KILLS
    # A writer that starts right away gets the lock, and its commit removes what the
    # killed writers left (partial segments, temporary TOCs, scratch folders).
    with Index(path, lock_timeout=0) as ix:
        ix.add("after", f"{MARKER} بعد")
    assert set(os.listdir(path)) == referenced_files(path)


def test_crash_during_creation_leaves_a_usable_directory(tmp_path):
    # A creation killed after arsearch.json was written but before the first TOC.
    path = tmp_path / "ix"
    path.mkdir()
    (path / "arsearch.json").write_text("{}", encoding="utf-8")
    (path / LOCK).touch()
    with Index(path) as ix:
        ix.add("a", "نص")
        assert len(ix) == 1


# --- concurrent writers ------------------------------------------------------------
@pytest.mark.slow
def test_two_processes_add_5000_documents_each(tmp_path):
    path = tmp_path / "ix"  # not created beforehand: the two also race to create it
    procs = [child("writer", path, prefix, 5000, 25) for prefix in ("p", "q")]
    outs = [p.communicate(timeout=500) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert "LockError" not in out + err
        assert p.returncode == 0 and out.strip() == "done", (out, err[-2000:])
    with Index(path, create=False) as ix:
        ids = set(ix.ids())
        assert len(ix) == 10_000
    expected = {f"{prefix}-{n:05d}" for prefix in "pq" for n in range(5000)}
    assert ids == expected
    report("two writer processes, 5,000 documents each in batches of 25", runs=1,
           documents=10_000, lost=len(expected - ids))


def _lock_holder(path: Path) -> subprocess.Popen:
    """A process holding the index's write lock until it reads a line (or its stdin
    closes): ``_release(holder)``."""
    code = (
        "import sys\n"
        "from whoosh.filedb.filestore import FileStorage\n"
        f"lock = FileStorage(sys.argv[1]).lock({LOCK!r})\n"
        "assert lock.acquire(False)\n"
        "print('locked', flush=True)\n"
        "sys.stdin.readline()\n"
        "lock.release()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def _release(holder: subprocess.Popen) -> None:
    holder.stdin.write("release\n")
    holder.stdin.close()
    assert holder.wait(timeout=60) == 0  # a hang guard


def test_writer_blocked_past_timeout_gets_index_locked_error(tmp_path):
    path = tmp_path / "ix"
    Index(path).close()
    holder = _lock_holder(path)
    try:
        ix = Index(path, lock_timeout=0.5)
        with pytest.raises(IndexLockedError) as info:
            ix.add("a", "نص")
        message = str(info.value)
        assert str(path) in message and "lock_timeout" in message and "0.5 s" in message
        assert isinstance(info.value, ArsearchError)
        assert not isinstance(info.value, windex.LockError)
        chain, e = [], info.value
        while e is not None:
            chain.append(type(e).__name__)
            e = e.__cause__ or e.__context__
        assert "LockError" not in chain
        assert len(ix) == 0
    finally:
        holder.kill()
        holder.wait()
    # The holder died and its lock went with it. The timed-out writer's waiting thread
    # takes the lock then and hands it back at once: a writer that waits gets it.
    ix.lock_timeout = 60  # a hang guard
    ix.add("a", "نص")
    assert len(ix) == 1 and lock_is_free(path)


def test_waiting_writer_gets_the_lock_when_it_is_released(tmp_path):
    path = tmp_path / "ix"
    Index(path).close()
    holder = _lock_holder(path)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            Index(path, lock_timeout=600).add("a", "نص")  # waits for the holder, then writes
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(0.5)  # not a bound: it waits as long as the holder holds the lock
    assert writer.is_alive() and len(Index(path)) == 0
    _release(holder)
    writer.join(600)  # a hang guard
    assert not writer.is_alive() and errors == []
    assert list(Index(path).ids()) == ["a"]
    # A writer that gave up leaves no waiting thread holding the lock afterwards.
    holder = _lock_holder(path)
    with pytest.raises(IndexLockedError):
        Index(path, lock_timeout=0.2).add("b", "نص")
    _release(holder)
    Index(path, lock_timeout=60).add("b", "نص")
    assert set(Index(path).ids()) == {"a", "b"}


def test_two_writer_threads_on_one_index(tmp_path):
    ix = Index(tmp_path / "ix", lock_timeout=60)

    def write(prefix: str) -> None:
        for b in range(20):
            ix.add_many({"id": f"{prefix}{b}-{i}", "text": text_for(b * 10 + i, 8)} for i in range(10))

    assert run_threads(3, write, per_thread="xyz") == []
    assert len(ix) == 600


# --- readers during writes ---------------------------------------------------------
@pytest.mark.slow
def test_readers_see_whole_batches_while_another_process_commits(tmp_path):
    path = tmp_path / "ix"
    Index(path).close()
    k, batches = 10, 40
    proc = child("marker", path, 0, batches, k, "stepped")
    ix = Index(path)
    seen: list[int] = []
    after_commit: list[int] = []

    def read(b: int, committed: bool) -> None:
        hits = ix.search(MARKER, limit=10**6, mode="all")
        n = len(ix)
        seen.append(len(hits))
        assert len(hits) % k == 0 and n % k == 0, (len(hits), n)
        assert all(h.id.startswith("b") and h.fields.get("batch") is not None for h in hits)
        if committed:
            after_commit.append(len(hits))

    stepped_batches(proc, batches, read)
    proc.wait(timeout=120)  # a hang guard
    err = proc.stderr.read()
    found = len(ix.search(MARKER, limit=10**6, mode="all"))
    report("searches while another process commits (batches of 10, replaces, merges)",
           runs=len(seen), documents=k * batches, lost=k * batches - found)
    assert proc.returncode == 0, err[-2000:]
    assert seen == sorted(seen)  # never goes back to an older snapshot
    # every batch seen as soon as it was acknowledged, each reader read during commits too
    assert after_commit == [k * (b + 1) for b in range(batches)]
    assert len(seen) >= 2 * batches
    assert found == len(ix) == k * batches


@pytest.mark.slow
def test_opening_the_index_while_another_process_commits(tmp_path):
    # A commit deletes the previous table of contents: an Index opened at that moment
    # must look again, not fail (it did, about once in 300 opens).
    path = tmp_path / "ix"
    Index(path).close()
    batches = 250
    proc = child("batches", path, 0, batches, 1, "stepped")
    opens, errors, after_commit = [0], [], []

    def open_and_search(b: int, committed: bool) -> None:
        try:
            with Index(path, create=False) as ix:
                n = len(ix.search(MARKER, limit=10**6, mode="all"))  # each call may see a newer commit
            if committed:
                after_commit.append(n)
        except Exception as e:  # noqa: BLE001 - counted and reported
            errors.append(repr(e))
        opens[0] += 1

    stepped_batches(proc, batches, open_and_search)
    proc.wait(timeout=120)  # a hang guard
    err = proc.stderr.read()
    with Index(path, create=False) as ix:
        ids = set(ix.ids())
    expected = {f"b{b:05d}-000" for b in range(batches)}
    report("opening the index while another process commits", runs=opens[0], documents=batches,
           lost=len(expected - ids), errors=len(errors))
    assert proc.returncode == 0, err[-2000:]
    assert errors == []
    assert after_commit == list(range(1, batches + 1)) and opens[0] >= 2 * batches
    assert ids == expected


QUERIES = ["حفتر", "طرابلس بنغازي", '"المجلس الرئاسي"', "مصراتة OR سرت", "الوطني -طبرق", "حفت*", "بنغازى~"]


def _results(ix: Index) -> dict[str, list[tuple[str, float]]]:
    # Searched again (another searcher, other segments): scores to 5 digits, in order.
    return hits_of(ix, QUERIES, limit=50, digits=5)


def test_reopened_searcher_matches_a_fresh_index(tmp_path):
    path = tmp_path / "ix"
    ix = Index(path)
    ix.add_many({"id": f"d{n}", "text": text_for(n)} for n in range(60))
    _results(ix)  # this thread's searcher is now open on the first generation
    other = Index(path)
    steps = [
        lambda: other.add_many({"id": f"d{n}", "text": text_for(n + 1000)} for n in range(0, 60, 3)),  # updates
        lambda: [other.delete(f"d{n}") for n in range(1, 60, 7)],  # deletes
        lambda: other.add_many({"id": f"e{n}", "text": text_for(n + 77)} for n in range(40)),
        lambda: [other.add(f"f{n}", text_for(n + 5)) for n in range(12)],  # many small segments
        other.optimize,  # merge
        lambda: ix.add("d0", "حفتر في بنغازي"),  # a write through the reading Index itself
    ]
    for step in steps:
        step()
        with Index(path, create=False) as fresh:
            assert _results(ix) == _results(fresh)
            assert len(ix) == len(fresh) and set(ix.ids()) == set(fresh.ids())


# --- threads -----------------------------------------------------------------------
def test_eight_threads_search_one_index(tmp_path):
    ix = Index(tmp_path / "ix")
    ix.add_many({"id": f"d{n}", "text": text_for(n)} for n in range(200))
    expected = _results(ix)
    got: list[dict] = []

    def work() -> None:
        for _ in range(THREAD_ROUNDS):
            got.append(_results(ix))

    errors = run_threads(8, work)
    wrong = sum(g != expected for g in got)
    lost = 200 - len(set(ix.ids()) & {f"d{n}" for n in range(200)})
    report("8 threads searching one Index (7 queries a round)", runs=len(got) * len(QUERIES), documents=200,
           lost=lost, wrong_results=wrong)
    assert errors == []
    assert len(got) == 8 * THREAD_ROUNDS
    assert wrong == 0 and lost == 0


def test_eight_threads_search_while_a_thread_writes(tmp_path):
    ix = Index(tmp_path / "ix")
    k, batches, n_readers = 7, 30, 8
    errors: list[BaseException] = []
    done = threading.Event()
    counts: list[list[int]] = [[] for _ in range(n_readers)]
    latest = [0] * n_readers
    seen_all = threading.Condition()

    def read(r: int) -> None:
        try:
            while not done.is_set():
                n = len(ix.search(MARKER, limit=10**6, mode="all"))
                assert n % k == 0, n
                counts[r].append(n)
                with seen_all:
                    latest[r] = n
                    seen_all.notify_all()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
            with seen_all:
                seen_all.notify_all()

    readers = [threading.Thread(target=read, args=(r,)) for r in range(n_readers)]
    for t in readers:
        t.start()
    try:
        for b in range(batches):
            ix.add_many({"id": f"b{b}-{i}", "text": f"{MARKER} {text_for(b * k + i, 10)}"} for i in range(k))
            # Before the next commit, every reader sees this one (the timeout guards a hang).
            with seen_all:
                assert seen_all.wait_for(lambda b=b: errors or min(latest) >= k * (b + 1), timeout=600)
    finally:
        done.set()
        for t in readers:
            t.join()
    searches = sum(map(len, counts))
    report("8 threads searching while a thread commits", runs=searches, documents=batches * k,
           lost=batches * k - len(ix))
    assert errors == []
    for mine in counts:
        assert mine == sorted(mine)  # a reader never goes back to an older snapshot
        assert set(mine) >= {k * (b + 1) for b in range(batches)}  # and saw every commit
    assert searches >= n_readers * batches and len(ix) == batches * k


# --- durability --------------------------------------------------------------------
class FsyncLog:
    """Records os.fsync and os.rename calls, in order, by path."""

    def __init__(self, monkeypatch):
        self.events: list[tuple[str, str]] = []
        real_fsync, real_rename = os.fsync, os.rename

        def fsync(fd):
            self.events.append(("fsync", os.path.realpath(f"/proc/self/fd/{fd}")))
            return real_fsync(fd)

        def rename(src, dst, *a, **kw):
            self.events.append(("rename", os.path.realpath(dst)))
            return real_rename(src, dst, *a, **kw)

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "rename", rename)

    def synced(self) -> list[str]:
        return [p for e, p in self.events if e == "fsync"]

    def index(self, event: str, path: str) -> int:
        return self.events.index((event, path))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to name file descriptors")
@pytest.mark.parametrize("operation", ["add_many", "delete", "optimize"])
def test_durable_commit_fsyncs_segments_toc_and_directory(tmp_path, monkeypatch, operation):
    path = (tmp_path / "ix").resolve()
    ix = Index(path, durable=True)
    for b in range(3):
        ix.add_many({"id": f"d{b}-{i}", "text": text_for(b * 10 + i)} for i in range(10))
    expected = {f"d{b}-{i}" for b in range(3) for i in range(10)}
    log = FsyncLog(monkeypatch)
    if operation == "add_many":
        ix.add_many({"id": f"n{i}", "text": text_for(i + 500)} for i in range(10))
        expected |= {f"n{i}" for i in range(10)}
    elif operation == "delete":
        assert ix.delete("d1-3")
        expected.discard("d1-3")
    else:
        ix.optimize()
    with Index(path, create=False) as fresh:
        ids = set(fresh.ids())
    report(f"durable=True {operation}: fsync calls checked", runs=1, documents=len(expected),
           lost=len(expected - ids))
    assert ids == expected
    storage = FileStorage(str(path))
    toc = windex.TOC.read(storage, "MAIN")
    toc_path = str(path / f"_MAIN_{toc.generation}.toc")
    segment_files = {str(path / n) for s in toc.segments for n in s.list_files(storage)}
    synced = log.synced()
    # Exactly: every file of every segment the new TOC names, the new TOC (under its
    # temporary name, before the rename publishes it) and the directory.
    toc_temp = [p for p in synced if os.path.basename(p).startswith(f"_MAIN_{toc.generation}.toc.")]
    assert len(toc_temp) == 1
    assert set(synced) == segment_files | {toc_temp[0], str(path)}
    rename = log.index("rename", toc_path)
    assert all(log.index("fsync", f) < rename for f in segment_files | set(toc_temp))
    assert ("fsync", str(path)) in log.events[rename + 1:]


def test_non_durable_commit_does_not_fsync(tmp_path, monkeypatch):
    ix = Index(tmp_path / "ix")
    log = FsyncLog(monkeypatch)
    ix.add_many({"id": str(i), "text": text_for(i)} for i in range(10))
    assert log.synced() == []


def test_durable_index_creation_fsyncs(tmp_path, monkeypatch):
    log = FsyncLog(monkeypatch)
    path = (tmp_path / "ix").resolve()
    Index(path, durable=True).close()
    synced = set(log.synced())
    assert {str(path / "_MAIN_0.toc"), str(path), str(path.parent)} <= synced


# --- disk full ---------------------------------------------------------------------
class FailingWrites:
    """Makes writes to files whose name matches ``which`` fail with ENOSPC."""

    def __init__(self, monkeypatch, which, after_bytes: int = 0):
        self.which, self.budget, self.failed = which, after_bytes, 0
        real_write = StructFile.write

        def write(sf, data):
            if self.which(getattr(sf, "_name", "") or "") and self.budget is not None:
                self.budget -= len(data)
                if self.budget < 0:
                    self.failed += 1
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(sf, data)

        monkeypatch.setattr(StructFile, "write", write)

    def stop(self) -> None:
        self.budget = None


DISK_FULL_POINTS = {
    "segment component file": lambda name: name.startswith("MAIN_") and not name.endswith(".seg"),
    "compound segment file": lambda name: name.endswith(".seg"),
    "table of contents": lambda name: ".toc" in name,
    "any file, after 64 kB": lambda name: True,
}


@pytest.mark.parametrize("point", DISK_FULL_POINTS)
def test_disk_full_injected(tmp_path, monkeypatch, point):
    path = tmp_path / "ix"
    ix = Index(path)
    ix.add_many({"id": f"d{i}", "text": text_for(i)} for i in range(30))
    before_files = set(os.listdir(path))
    before = _results(ix)
    faults = FailingWrites(monkeypatch, DISK_FULL_POINTS[point], 65536 if point.startswith("any") else 0)
    batch = [{"id": f"n{i}", "text": text_for(i + 300, 400)} for i in range(100)]
    with pytest.raises(StorageError) as info:
        ix.add_many(batch)
    assert faults.failed >= 1
    assert isinstance(info.value, ArsearchError)
    assert "No space left on device" in str(info.value)
    # The last commit is intact, seen by this Index and by a new one; no file is left.
    assert set(os.listdir(path)) == before_files
    assert lock_is_free(path)
    assert _results(ix) == before and len(ix) == 30
    with Index(path, create=False) as fresh:
        assert _results(fresh) == before
        lost = 30 - len(set(fresh.ids()) & {f"d{i}" for i in range(30)})
    # Room again: the same batch commits.
    faults.stop()
    ix.lock_timeout = 0
    ix.add_many(batch)
    assert len(ix) == 130 and set(os.listdir(path)) == referenced_files(path)
    report(f"disk full (injected ENOSPC writing the {point})", runs=1, documents=30, lost=lost)


@pytest.fixture
def small_tmpfs(tmp_path):
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
                       check=True, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("cannot mount a tmpfs here (needs root); the injected disk-full tests cover this")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True, timeout=10)


@pytest.mark.slow
def test_disk_full_on_a_real_small_filesystem(small_tmpfs):
    path = small_tmpfs / "ix"
    ix = Index(path)
    committed: list[str] = []
    failure = None
    for b in range(200):
        batch = [{"id": f"b{b:05d}-{i:03d}", "text": f"{MARKER} {text_for(b * 50 + i, 200)} {b}x{i}"}
                 for i in range(50)]
        try:
            ix.add_many(batch)
        except StorageError as e:
            failure = (e, batch)
            break
        committed.extend(d["id"] for d in batch)
    assert failure is not None, "the 2 MB filesystem never filled"
    error, batch = failure
    assert "No space left on device" in str(error)
    assert lock_is_free(path)
    assert set(os.listdir(path)) == referenced_files(path)  # no stray segment or temp file
    with Index(path, create=False) as fresh:
        lost = len(set(committed) - set(fresh.ids()))
        assert sorted(fresh.ids()) == committed
        assert len(fresh.search(MARKER, limit=10**6)) == len(committed)
    # Once there is room, the refused batch commits.
    subprocess.run(["mount", "-o", "remount,size=16m", str(small_tmpfs)], check=True, timeout=10)
    ix.lock_timeout = 0
    ix.add_many(batch)
    assert len(ix) == len(committed) + len(batch)
    ix.close()
    report("disk full (2 MB tmpfs, filled by batches of 50)", runs=1, documents=len(committed), lost=lost)


def test_interrupted_batch_leaves_nothing(tmp_path, monkeypatch):
    # Ctrl-C (or any exception) in the middle of add_many: nothing of the batch is
    # written, its files are gone, the lock is free.
    from whoosh.writing import SegmentWriter

    path = tmp_path / "ix"
    ix = Index(path)
    ix.add_many({"id": f"d{i}", "text": text_for(i)} for i in range(10))
    before = set(os.listdir(path))
    real_update = SegmentWriter.update_document
    calls = {"n": 0}

    def update_document(self, **fields):
        calls["n"] += 1
        if calls["n"] == 30:
            raise KeyboardInterrupt
        return real_update(self, **fields)

    monkeypatch.setattr(SegmentWriter, "update_document", update_document)
    with pytest.raises(KeyboardInterrupt):
        ix.add_many({"id": f"n{i}", "text": text_for(i + 50, 300)} for i in range(100))
    assert set(os.listdir(path)) == before and lock_is_free(path)
    assert len(ix) == 10 and len(Index(path)) == 10
    monkeypatch.setattr(SegmentWriter, "update_document", real_update)
    ix.lock_timeout = 0
    ix.add("n0", "نص")
    assert len(ix) == 11

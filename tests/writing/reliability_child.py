"""Child process for tests/writing/test_reliability.py (not a test module).

    python reliability_child.py batches INDEX FIRST COUNT SIZE
        add COUNT batches of SIZE documents (ids bNNNNN-III) with add_many; after each
        add_many returns, print "ack N" (flushed): an acknowledged batch.
    python reliability_child.py writer INDEX PREFIX DOCS SIZE
        add DOCS documents (ids PREFIX-NNNNN) in batches of SIZE; print "done" at the
        end, or the type and message of the first error.
    python reliability_child.py marker INDEX FIRST COUNT SIZE
        like batches, each batch also deletes and re-adds (replaces) one document of
        the previous batch, so merges, deletions and updates happen while readers read.

A last argument ``stepped`` (batches, marker) makes the process read a line from stdin
before each batch: the parent says when the next batch may start.

ARSEARCH_TEST_KILL_AT=POINT:N makes the process SIGKILL itself the N-th time POINT is
reached inside a write (see _HOOKS). Whoosh is patched in this process only.
"""

from __future__ import annotations

import os
import signal
import sys

WORDS = (
    "حكومة الوفاق الوطني في طرابلس قوات حفتر بنغازي مصراتة المجلس الرئاسي الأمم المتحدة "
    "وزارة الخارجية الجيش الوطني الليبي اتفاق الصخيرات مجلس النواب طبرق الزاوية سرت"
).split()


def text_for(n: int, words: int = 40) -> str:
    # Deterministic, varied Arabic text: no randomness shared with the parent.
    return " ".join(WORDS[(n * 7 + i * 13 + (n >> 3)) % len(WORDS)] for i in range(words))


def _kill() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _install_kill_hook(spec: str) -> None:
    point, _, nth = spec.partition(":")
    target = int(nth or 1)
    seen = {"n": 0}

    def reached() -> bool:
        seen["n"] += 1
        return seen["n"] == target

    from whoosh import index as windex
    from whoosh import writing
    from whoosh.filedb.filestore import FileStorage

    if point == "add":  # in the middle of a batch, before the commit
        orig_update = writing.SegmentWriter.update_document

        def update_document(self, **fields):
            if reached():
                _kill()
            return orig_update(self, **fields)

        writing.SegmentWriter.update_document = update_document
    elif point == "merge":  # while merging older segments into the new one
        orig_add_reader = writing.SegmentWriter.add_reader

        def add_reader(self, reader):
            if reached():
                _kill()
            return orig_add_reader(self, reader)

        writing.SegmentWriter.add_reader = add_reader
    elif point == "assemble":  # segment files written, compound file not yet assembled
        orig_assemble = writing.SegmentWriter._assemble_segment

        def _assemble_segment(self):
            if reached():
                _kill()
            return orig_assemble(self)

        writing.SegmentWriter._assemble_segment = _assemble_segment
    elif point == "finalize":  # segment complete, table of contents not written
        orig_finalize = writing.SegmentWriter._finalize_segment

        def _finalize_segment(self):
            segment = orig_finalize(self)
            if reached():
                _kill()
            return segment

        writing.SegmentWriter._finalize_segment = _finalize_segment
    elif point in ("toc_temp", "toc_renamed"):  # around the rename that publishes the TOC
        orig_rename = FileStorage.rename_file

        def rename_file(self, frm, to, safe=False):
            is_toc = ".toc." in frm
            if is_toc and point == "toc_temp" and reached():
                _kill()
            orig_rename(self, frm, to, safe=safe)
            if is_toc and point == "toc_renamed" and reached():
                _kill()

        FileStorage.rename_file = rename_file
    elif point == "clean":  # deleting the files the new TOC no longer names
        orig_clean = windex.clean_files

        def clean_files(storage, indexname, gen, segments):
            if sys._getframe(1).f_code.co_name == "_commit_toc" and reached():
                orig_delete = storage.delete_file
                deleted = {"n": 0}

                def delete_file(name):
                    orig_delete(name)
                    deleted["n"] += 1
                    _kill()

                storage.delete_file = delete_file
                orig_clean(storage, indexname, gen, segments)
                _kill()  # nothing to delete: die after the (empty) clean
            return orig_clean(storage, indexname, gen, segments)

        windex.clean_files = clean_files
    else:
        raise SystemExit(f"unknown kill point {point!r}")


def main(argv: list[str]) -> int:
    if os.environ.get("ARSEARCH_TEST_KILL_AT"):
        _install_kill_hook(os.environ["ARSEARCH_TEST_KILL_AT"])
    from arsearch import Index

    mode, path = argv[0], argv[1]
    if mode in ("batches", "marker"):
        first, count, size = map(int, argv[2:5])
        stepped = argv[5:6] == ["stepped"]
        ix = Index(path, lock_timeout=30)
        for b in range(first, first + count):
            if stepped and not sys.stdin.readline():
                return 0  # the parent closed stdin: no more batches
            docs = [{"id": f"b{b:05d}-{i:03d}", "text": f"علامة {text_for(b * size + i)}", "batch": b}
                    for i in range(size)]
            if mode == "marker" and b > first:
                # replace one document of the previous batch: a deletion plus an add
                prev = b - 1
                docs.append({"id": f"b{prev:05d}-000", "text": f"علامة {text_for(b)}", "batch": prev})
            ix.add_many(docs)
            print(f"ack {b}", flush=True)
        return 0
    if mode == "writer":
        prefix, total, size = argv[2], int(argv[3]), int(argv[4])
        try:
            ix = Index(path, lock_timeout=60)
            for start in range(0, total, size):
                ix.add_many({"id": f"{prefix}-{n:05d}", "text": text_for(n, 12)}
                            for n in range(start, min(start + size, total)))
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            print(f"error {type(e).__module__}.{type(e).__name__}: {e}", flush=True)
            return 1
        print("done", flush=True)
        return 0
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

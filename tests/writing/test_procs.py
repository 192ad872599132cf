"""Multi-process indexing (``Index.add_many(procs=N)``): the same index as one process
builds, replacements kept, and a failed process leaves the index as it was."""

from __future__ import annotations

import multiprocessing
import os
import random

import pytest
from helpers import hits_of, seed_words
from whoosh import multiproc

from arsearch import Index, StorageError


@pytest.fixture(scope="module")
def documents():
    # Many short documents (random runs of the seed's words), not its sentences: enough
    # of them for each process to write a segment of its own.
    words = seed_words()
    rng = random.Random(3)
    docs = []
    for i in range(700):
        start = rng.randrange(len(words) - 30)
        docs.append({"id": f"d{i}", "text": " ".join(words[start : start + rng.randrange(8, 30)]),
                     "title": " ".join(words[start : start + 3]) if i % 4 == 0 else None})
    return docs


QUERIES = ["حفتر", "دمشق", "ليبيا", '"حفتر ليبيا"', "حفتر دمشق", "سوريا -حفتر", "حفطر~", "مطا*"]


def _results(ix):
    # Scores are index-wide statistics, summed in another order across segments (to 9
    # digits); ties may come in another order: compared as sorted hits.
    return hits_of(ix, QUERIES, limit=1000, digits=9, ordered=False)


def test_two_processes_build_the_same_index(documents, tmp_path):
    with Index(tmp_path / "one") as one, Index(tmp_path / "two") as two:
        one.add_many(documents)
        assert two.add_many(documents, procs=2) == len(documents)
        assert len(two) == len(one) == len(documents)
        assert two.stats()["segments"] == 2  # one per process
        results = _results(one)
        assert sum(len(r) for r in results.values()) > 100
        assert _results(two) == results
        assert two.get("d5") == one.get("d5")


def test_two_processes_replace_existing_documents(documents, tmp_path):
    with Index(tmp_path / "ix") as ix:
        ix.add_many(documents[:300])
        changed = [{**d, "text": d["text"] + " كلمةجديدة"} for d in documents[:600]]
        ix.add_many(changed + changed[:5], procs=2)  # an id twice: the last one kept
        assert len(ix) == 600
        assert {h.id for h in ix.search("كلمةجديدة", limit=1000)} == {d["id"] for d in changed}


def test_a_process_that_dies_commits_nothing(documents, tmp_path, monkeypatch):
    with Index(tmp_path / "ix") as ix:
        ix.add_many(documents[:100])
        before = _results(ix)

        def die(self, filename, doc_count):
            os._exit(3)

        monkeypatch.setattr(multiproc.SubWriterTask, "_process_file", die)
        with pytest.raises(StorageError, match="procs=1"):
            ix.add_many(documents[100:], procs=2)
        monkeypatch.undo()
        assert not multiprocessing.active_children()  # the other process was stopped too
        assert len(ix) == 100 and _results(ix) == before
        assert not [p for p in (tmp_path / "ix").iterdir() if p.suffix in (".doclist",)]
        ix.add_many(documents[100:], procs=2)  # the lock was released
        assert len(ix) == len(documents)


def test_procs_checked_and_ignored_in_memory(documents):
    with Index() as ix:
        with pytest.raises(ValueError, match="procs"):
            ix.add_many(documents, procs=0)
        ix.add_many(documents, procs=2)  # in memory: one process
        assert len(ix) == len(documents) and ix.stats()["segments"] == 1


def test_cli_indexes_with_two_processes(documents, tmp_path):
    import json

    from helpers.cli import run

    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    run("index", str(source), "--index", str(tmp_path / "ix"), "--procs", "2", "-q")
    with Index(tmp_path / "ix", create=False) as ix:
        assert len(ix) == len(documents) and ix.stats()["segments"] == 2
    out = run("search", "حفتر", "--index", str(tmp_path / "ix"), "--json").stdout
    assert json.loads(out)["hits"]
    assert run("index", str(source), "--index", str(tmp_path / "ix"), "--procs", "0", check_rc=2).returncode == 2


def _index_in_child(path, docs):
    with Index(path) as ix:
        ix.add_many(docs, procs=2)


def test_two_processes_from_a_spawned_process(documents, tmp_path):
    """The default start method of a spawned process (macOS, Windows, and Python's
    future default) is spawn: arsearch forks its indexing processes anyway."""
    child = multiprocessing.get_context("spawn").Process(target=_index_in_child, args=(tmp_path / "ix", documents))
    child.start()
    child.join(120)
    assert child.exitcode == 0
    with Index(tmp_path / "ix", create=False) as ix:
        assert len(ix) == len(documents) and ix.stats()["segments"] == 2

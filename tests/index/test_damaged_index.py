"""A damaged index is an :class:`arsearch.CorruptIndexError` (an ``ArsearchError``), and
the command line reports it without a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

import arsearch
from arsearch.codec import BLOCK_MAGIC

DOCS = [{"id": f"d{i}", "text": f"قال خليفة حفتر في بنغازي والحكومة في دمشق {i}"} for i in range(40)]


@pytest.fixture
def damaged(tmp_path):
    """An index on disk whose postings blocks no longer start with their tag."""
    path = tmp_path / "ix"
    with arsearch.Index(path) as ix:
        ix.add_many(DOCS)
        assert len(ix.search("حفتر")) == 10
    damaged = 0
    for seg in path.glob("*.seg"):
        data = seg.read_bytes()
        damaged += data.count(BLOCK_MAGIC)
        seg.write_bytes(data.replace(BLOCK_MAGIC, b"XXXX"))
    assert damaged, "the index holds no arsearch postings block to damage"
    return path


def test_search_of_a_damaged_index_is_an_arsearch_error(damaged):
    with arsearch.Index(damaged) as ix, pytest.raises(arsearch.CorruptIndexError, match="rebuild"):
        ix.search("حفتر")
    assert issubclass(arsearch.CorruptIndexError, arsearch.ArsearchError)


def test_command_line_reports_a_damaged_index_without_a_traceback(damaged):
    run = subprocess.run([sys.executable, "-m", "arsearch.cli", "search", "حفتر", "--index", str(damaged)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "arsearch: error:" in run.stderr and "rebuild" in run.stderr
    assert "Traceback" not in run.stderr

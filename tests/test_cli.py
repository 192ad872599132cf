"""The ``arsearch`` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEED_ID = "000_de690f560e5f0edb"


def _command() -> list[str]:
    script = Path(sys.executable).parent / "arsearch"
    if script.exists():
        return [str(script)]  # the installed console script
    found = shutil.which("arsearch")
    return [found] if found else [sys.executable, "-m", "arsearch.cli"]


def run(*args: str, check_rc: int | None = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C"}
    proc = subprocess.run([*_command(), *args], capture_output=True, text=True, encoding="utf-8", env=env)
    if check_rc is not None:
        assert proc.returncode == check_rc, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def test_search_bundled_seed():
    out = run("search", "حفتر").stdout
    assert SEED_ID in out and "«حفتر»" in out


def test_search_json():
    data = json.loads(run("search", "بحفتر", "--json").stdout)
    assert data["query"] == "بحفتر" and data["total"] == len(data["hits"]) >= 1
    hit = data["hits"][0]
    assert hit["id"] == SEED_ID and set(hit) >= {"id", "score", "title", "snippet", "fields"}
    assert "<b>" in hit["snippet"]


def test_no_result_is_not_an_error():
    data = json.loads(run("search", "بغداد", "--json").stdout)
    assert data["hits"] == [] and data["total"] == 0
    assert "no results" in run("search", "بغداد").stdout


def test_index_search_stats(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("زيارة حفتر\nوصل حفتر إلى دمشق", encoding="utf-8")
    (src / "sub" / "b.txt").write_text("خبر عن بنغازي", encoding="utf-8")
    (src / "bad.txt").write_bytes("نص ".encode() + b"\xff\xfe broken")
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text(
        json.dumps({"doc": "j1", "body": "حكومة الوفاق في طرابلس", "source": "x"}, ensure_ascii=False)
        + "\n{not json\n"
        + json.dumps({"doc": "j2", "body": "والحكومات العربية"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    ix = tmp_path / "ix"
    proc = run("index", str(src), "--index", str(ix), "-q")
    assert "indexed 2 documents" in proc.stdout
    assert "bad.txt:1: not UTF-8" in proc.stderr
    proc = run("index", str(jsonl), "--index", str(ix), "--id-field", "doc", "--text-field", "body", "-q")
    assert "indexed 2 documents" in proc.stdout and "holds 4" in proc.stdout
    assert f"{jsonl}:2: malformed JSON" in proc.stderr
    csv_file = tmp_path / "docs.csv"
    csv_file.write_text("id,text,title\nc1,وصل حفتر إلى بنغازي,عنوان\n", encoding="utf-8")
    run("index", str(csv_file), "--index", str(ix), "-q")

    data = json.loads(run("search", "لحفتر", "--index", str(ix), "--json").stdout)
    assert {h["id"] for h in data["hits"]} == {"a.txt", "c1"}
    data = json.loads(run("search", '"حكومة الوفاق"', "--index", str(ix), "--json").stdout)
    assert [(h["id"], h["fields"]) for h in data["hits"]] == [("j1", {"source": "x"})]
    stats = json.loads(run("stats", "--index", str(ix), "--json").stdout)
    assert stats["documents"] == 5 and stats["size_bytes"] > 0
    assert "documents: 5" in run("stats", "--index", str(ix)).stdout


def test_analyze_explains_terms():
    out = run("analyze", "وَبِالحُكُومَاتِ في دمشق").stdout
    assert "exact=وبالحكومات" in out and "clitic=حكومات" in out and "stem=حكوم" in out
    assert "stopword" in out
    rows = json.loads(run("analyze", "مُحَمَّدٌ", "--json").stdout)
    assert rows == [
        {"token": "مُحَمَّدٌ", "start": 0, "end": 9, "position": 0, "normalized": "محمد",
         "terms": {"exact": "محمد", "clitic": "محمد", "stem": "محمد"}}
    ]


def test_analyze_shows_both_readings_of_a_first_letter():
    assert "exact=لجنه  clitic=جنه|لجنه  stem=جنه|لجن" in run("analyze", "لجنة").stdout
    (row,) = json.loads(run("analyze", "كتاب", "--json").stdout)
    assert row["terms"] == {"exact": "كتاب", "clitic": "تاب", "stem": "تاب"}
    assert row["readings"] == {"exact": ["كتاب"], "clitic": ["تاب", "كتاب"], "stem": ["تاب", "كتاب"]}


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["search", "حفتر", "--index", "/nonexistent/ix"], "no arsearch index", id="missing index"),
        pytest.param(["stats", "--index", "/nonexistent/ix"], "no arsearch index", id="stats missing index"),
        pytest.param(["search", '"حفتر', "--strict"], "unbalanced", id="strict query"),
    ],
)
def test_errors_are_one_line(args, message):
    proc = run(*args, check_rc=1)
    assert proc.stderr.startswith("arsearch: error: ") and message in proc.stderr


def test_usage_error_exit_status():
    proc = run("search", check_rc=2)
    assert "usage:" in proc.stderr

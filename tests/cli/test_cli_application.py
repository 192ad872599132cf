"""The command's application search: typed fields at indexing, then filters, sort,
pages and facets at search time, in text and JSON."""

from __future__ import annotations

import csv
import json

import pytest
from helpers.cli import run

ROWS = [
    # id, text, source, date, views
    ("a", "حفتر في بنغازي", "sky", "2018-03-02", "10"),
    ("b", "قوات حفتر تتقدم نحو طرابلس", "bbc", "2018-05-31", "200"),
    ("c", "لقاء السراج وحفتر في باريس", "sky", "2019-01-01", "50"),
    ("d", "حفتر يلتقي بوتين", "cnn", "2017-07-15", ""),
    ("e", "دمشق اليوم", "bbc", "2018-04-01", "7"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    path = tmp / "docs.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "source", "date", "views"])
        writer.writerows(ROWS)
    ix = tmp / "ix"
    run("index", str(path), "--index", str(ix), "--field", "date=date", "--field", "views=number", "-q")
    return str(ix)


def _json(*args):
    return json.loads(run("search", *args, "--json").stdout)


def test_csv_columns_become_typed_metadata(index):
    data = _json("حفتر", "--index", index, "--filter", "views=>20")
    assert sorted(h["id"] for h in data["hits"]) == ["b", "c"]
    assert {h["id"]: h["fields"]["views"] for h in data["hits"]} == {"b": 200, "c": 50}
    assert data["hits"][0]["fields"]["date"] in ("2018-05-31", "2019-01-01")  # a date, shown as ISO


def test_filter_sort_page_and_facets(index):
    full = _json("حفتر", "--index", index, "--sort=-date")
    assert [h["id"] for h in full["hits"]] == ["c", "b", "a", "d"] and full["total"] == 4
    page = _json("حفتر", "--index", index, "--sort", "date:desc", "--limit", "2", "--page", "2")
    assert [h["id"] for h in page["hits"]] == ["a", "d"] and (page["total"], page["offset"]) == (4, 2)
    data = _json("حفتر", "--index", index, "--filter", "source=sky", "--filter", "source=cnn",
                 "--filter", "date=2017..2018", "--facet", "source", "--facet", "date")
    assert sorted(h["id"] for h in data["hits"]) == ["a", "d"] and data["total"] == 2
    # a tie goes to the value more documents hold (sky: a and c); dates tie by value
    assert data["facets"] == {"source": [["sky", 1], ["cnn", 1]], "date": [["2017-07-15", 1], ["2018-03-02", 1]]}


def test_text_output_gives_total_page_and_facets(index):
    out = run("search", "حفتر", "--index", index, "--limit", "1", "--page", "2", "--facet", "source",
              "--color", "never").stdout
    lines = out.splitlines()
    assert lines[0] == "4 results (page 2: 2-2)"
    assert lines[1].startswith("1. ") or lines[1].startswith("2. ")
    assert lines[-1] == "source: sky 2 · bbc 1 · cnn 1"


def test_page_past_the_end(index):
    out = run("search", "حفتر", "--index", index, "--page", "9", "--color", "never").stdout
    assert out == "4 results; page 9 is past the last one\n"


@pytest.mark.parametrize("args, message", [
    (["--filter", "nope=1"], "no field 'nope'"),
    (["--filter", "date=soon"], "date:soon is not a date"),
    (["--filter", "views"], "NAME=VALUE"),
    (["--sort", "nope"], "unknown field 'nope'"),
    (["--facet", "nope"], "unknown field 'nope'"),
    (["--page", "0"], "--page must be at least 1"),
])
def test_bad_options_are_clear_errors(index, args, message):
    proc = run("search", "حفتر", "--index", index, *args, check_rc=None)
    assert proc.returncode != 0 and message in proc.stderr and "Traceback" not in proc.stderr


def test_a_bad_value_of_a_typed_column_skips_its_record(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "1", "text": "حفتر", "views": "many"}, ensure_ascii=False) + "\n"
                    + json.dumps({"id": "2", "text": "حفتر", "views": 3}, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = run("index", str(path), "--index", str(tmp_path / "ix"), "--field", "views=number", "-q")
    assert "views='many' is not a number" in proc.stderr and "holds 1" in proc.stdout


def test_index_refuses_an_unknown_type(tmp_path):
    proc = run("index", "x.txt", "--index", str(tmp_path / "ix"), "--field", "date=time", check_rc=None)
    assert proc.returncode == 2 and "TYPE one of keyword, number, date" in proc.stderr


def test_spelling_variants_on_request(index):
    # the index writes بوتين; بوتن finds it only with --spelling-variants
    assert _json("بوتن", "--index", index)["total"] == 0
    data = _json("بوتن", "--index", index, "--spelling-variants")
    assert [h["id"] for h in data["hits"]] == ["d"], data

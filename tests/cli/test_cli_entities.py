"""The command's entity facets: ``index --entities``, ``search --facet people`` and
``--filter places=…``, ``analyze --entities``."""

from __future__ import annotations

import json

import pytest
from helpers.cli import run

DOCS = [
    {"id": "a", "title": "حفتر في بنغازي", "text": "وصل خليفة حفتر إلى بنغازي، وقال لحفتر مقربون إن الجيش جاهز."},
    {"id": "b", "text": "قال الرئيس السوري بشار الأسد في دمشق إن خليفة حفتر زار سوريا."},
    {"id": "c", "text": "التقى خليفة حفتر الرئيس بوتين في موسكو."},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli-entities")
    path = tmp / "docs.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), encoding="utf-8")
    ix = tmp / "ix"
    run("index", str(path), "--index", str(ix), "--entities", "-q")
    return str(ix)


def _json(*args):
    return json.loads(run("search", *args, "--json").stdout)


def test_facet_people(index) -> None:
    data = _json("حفتر", "--index", index, "--facet", "people", "--facet", "places")
    assert data["facets"]["people"][0] == ["خليفة حفتر", 3]
    assert ["بوتين", 1] in data["facets"]["people"]
    assert ["بنغازي", 1] in data["facets"]["places"]


def test_facet_in_text_output(index) -> None:
    out = run("search", "حفتر", "--index", index, "--facet", "people", "--color", "never").stdout
    assert "people: خليفة حفتر 3 · " in out


def test_filter_by_place(index) -> None:
    data = _json("حفتر", "--index", index, "--filter", "places=موسكو")
    assert [h["id"] for h in data["hits"]] == ["c"]
    data = _json("حفتر places:دمشق", "--index", index)
    assert [h["id"] for h in data["hits"]] == ["b"]


def test_adding_again_keeps_entities(index, tmp_path) -> None:
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "d", "text": "وصل الرئيس ماكرون إلى باريس"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    run("index", str(more), "--index", index, "-q")  # no --entities: the index keeps finding them
    data = _json("ماكرون", "--index", index, "--facet", "places")
    assert data["facets"]["places"] == [["باريس", 1]]


def test_analyze_entities() -> None:
    out = run("analyze", "--entities", "قال الرئيس السوري بشار الأسد في دمشق إن لحفتر").stdout
    assert "people" in out and "بشار الاسد" in out and "(بشار الأسد)" in out
    assert "places" in out and "دمشق" in out
    data = json.loads(run("analyze", "--entities", "--json", "زار الوزير لافروف مدينة بنغازي").stdout)
    assert data["entities"] == {"people": ["لافروف"], "places": ["بنغازي"], "orgs": []}
    assert [m["text"] for m in data["mentions"]] == ["لافروف", "بنغازي"]


def test_analyze_entities_finds_nothing() -> None:
    assert "no people, places or organizations" in run("analyze", "--entities", "كتاب جميل").stdout

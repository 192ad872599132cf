"""Indexes written by an earlier arsearch open and answer the same.

Whoosh pickles the schema (arsearch's analyzers, fields, ``AnalysisConfig``, the word-pair
analyzer) and each segment's codec into the index, so the dotted names of those classes are
part of the index format. ``fixtures/index-0.1`` was written by arsearch 0.1 before its
modules were regrouped into packages (``fixtures/make_format_fixture.py``, with the hits it
gave then); these tests open copies of it with today's code. They must give the hits 0.1
gave, in its order, with the scores of the same documents indexed today (the ranking has
changed since).

The analyzer has changed since for words the fixture's documents do not hold (a ؤا or ئا
after a first letter that looks like a proclitic: فؤاد, فئات no longer lose their hamza),
so its stamp no longer matches and such an index is refused until rebuilt
(``tests/index/test_index.py`` checks the refusal). Each copy is stamped with today's
analyzer, which analyzes every word of those documents as 0.1 did, so that what is tested
here stays the format: the pickled class names and codecs.
"""

from __future__ import annotations

import importlib.util
import json
import shutil

import pytest
from helpers import FIXTURES

import arsearch
from arsearch import AnalysisConfig
from arsearch.schema import META_FILE, analyzer_version

FIXTURE = FIXTURES / "index-0.1"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(params=sorted(EXPECTED))
def old_index(request, tmp_path):
    """A writable copy of one fixture index (opening must never touch the fixture)."""
    path = tmp_path / request.param
    shutil.copytree(FIXTURE / request.param, path)
    meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    config = AnalysisConfig(**{**meta["config"], "protected": frozenset(meta["config"]["protected"])})
    (path / META_FILE).write_text(json.dumps({**meta, "analyzer": analyzer_version(config)}), encoding="utf-8")
    with arsearch.Index(path) as ix:
        yield request.param, ix


def _fixture_script():
    spec = importlib.util.spec_from_file_location("make_format_fixture", FIXTURES / "make_format_fixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def written_today(tmp_path_factory) -> dict[str, dict[str, list[list]]]:
    """The fixture's documents indexed by today's code as 0.1 indexed them (two segments, one
    document deleted), and the hits each query gives there."""
    script = _fixture_script()
    out = {}
    for name, config in script.CONFIGS.items():
        docs = script.documents()
        with arsearch.Index(tmp_path_factory.mktemp(name), config=config) as ix:
            ix.add_many(docs[: len(docs) // 2])
            ix.add_many(docs[len(docs) // 2 :])
            ix.delete("p1")
            out[name] = script.hits(ix)
    return out


def test_old_index_gives_the_same_hits_and_scores(old_index, written_today):
    # the hits 0.1 gave, in its order; the scores of today's ranking (a name's side-by-side
    # bonus has grown since: حكومة الوفاق scores more, in the same order)
    name, ix = old_index
    assert set(written_today[name]) == set(EXPECTED[name])
    for key, expected in EXPECTED[name].items():
        mode, query = key.split("|", 1)
        got = [[h.id, h.score] for h in ix.search(query, limit=10, mode=mode)]
        assert [h for h, _ in got] == [h for h, _ in expected], f"{name}: {mode} {query!r}"
        assert got == written_today[name][key], f"{name}: {mode} {query!r}"


def test_old_index_takes_new_documents(old_index):
    name, ix = old_index
    before = ix.stats()["documents"]
    ix.add("new", "وصل حفتر إلى دمشق")
    assert ix.stats()["documents"] == before + 1
    assert "new" in [h.id for h in ix.search("حفتر", limit=100)]

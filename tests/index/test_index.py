"""The Index API end to end on the seed article: what users search for must be found."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

import arsearch
import arsearch.schema
from arsearch import (
    AnalysisConfig,
    DocumentError,
    Hit,
    Index,
    IndexLockedError,
    IndexNotFoundError,
    SchemaMismatchError,
)
from arsearch.schema import document_fields

SEED_ID = "seed"


@pytest.fixture(scope="module")
def seed_index(seed_text):
    ix = Index()
    ix.add(SEED_ID, seed_text, title=seed_text.splitlines()[0], source="seed")
    ix.add("other", "مقال عن الطقس في بغداد والمطر الغزير.", title="الطقس")
    yield ix
    ix.close()


FOUND = [
    pytest.param("الارهاب", id="hamza-less spelling"),
    pytest.param("الإرهاب", id="hamza spelling"),
    pytest.param("مرتزقه", id="heh for teh marbuta"),
    pytest.param("مرتزقة", id="teh marbuta"),
    pytest.param("بحفتر", id="clitic b+name"),
    pytest.param("لدمشق", id="clitic l+place"),
    pytest.param("والمخابرات", id="clitics w+al+noun"),
    pytest.param("حفتـــر", id="tatweel"),
    pytest.param("حَفْتَر", id="harakat"),
    pytest.param("حكومة الوفاق", id="two words, all"),
    pytest.param('"خليفة حفتر"', id="phrase in order"),
    pytest.param('"وخليفة حفتر"', id="phrase with clitic in query"),
    pytest.param("حفطر~", id="fuzzy 4-letter name"),
    pytest.param("حفت*", id="prefix"),
    pytest.param("title:حفتر", id="title field"),
    pytest.param("HAFTAR OR حفتر", id="or"),
    pytest.param("بلاد", id="bare ب-word finds البلاد"),
    pytest.param("لواء", id="bare ل-word finds اللواء"),
    pytest.param("كاتب", id="bare ك-word finds الكاتب"),
    pytest.param("وزير", id="bare و-word finds وزير with its ambiguous و"),
]


@pytest.mark.parametrize("query", FOUND)
def test_seed_article_is_found(seed_index, query):
    hits = seed_index.search(query)
    assert hits and hits[0].id == SEED_ID, query
    assert not hits[0].partial


NOT_FOUND = [
    pytest.param('"حفتر خليفة"', id="phrase out of order"),
    pytest.param("كوالالمبور", id="absent word"),
    pytest.param("حفتر -دمشق", id="excluded word present"),
    pytest.param("title:مرتزقة", id="word only in body"),
]


@pytest.mark.parametrize("query", NOT_FOUND)
def test_seed_article_is_not_found(seed_index, query):
    assert SEED_ID not in [h.id for h in seed_index.search(query, mode="all")]


def test_absent_word_finds_nothing(seed_index):
    assert [h.id for h in seed_index.search("بغداد")] == ["other"]
    assert seed_index.search("بيروت") == []


def test_hit_is_an_immutable_value(seed_index):
    hit = seed_index.search("حفتر")[0]
    assert isinstance(hit, Hit) and hit.title.startswith("صحيفة تكشف")
    assert hit.fields == {"source": "seed"}
    with pytest.raises(AttributeError):
        hit.score = 0  # type: ignore[misc]


def test_snippet_shows_original_text_with_marks():
    ix = Index()
    ix.add("v", "قال مُحَمَّدٌ إنّ حَفْتَرَ وصل إلى دمشق", title="t")
    hit = ix.search("حفتر", markers=("<<", ">>"))[0]
    assert "<<حَفْتَرَ>>" in hit.snippet  # what the author wrote, harakat and all
    esc = ix.search("حفتر", markers=("<b>", "</b>"), escape_html=True)
    ix.add("h", "حفتر <script> وصل", title=None)
    html_hit = [h for h in ix.search("حفتر", markers=("<b>", "</b>"), escape_html=True) if h.id == "h"][0]
    assert "&lt;script&gt;" in html_hit.snippet and "<b>حفتر</b>" in html_hit.snippet
    assert esc


def test_snippet_not_built_for_ids_and_scores(seed_index, monkeypatch):
    from arsearch import snippets

    calls = []
    monkeypatch.setattr(snippets.Highlighter, "plain_snippet", lambda self, text: calls.append(1) or snippets.Snippet(""))
    hits = seed_index.search("حفتر")
    assert [h.id for h in hits] and calls == []
    _ = hits[0].snippet
    assert calls == [1]


def test_exact_view_outranks_stem_match():
    ix = Index()
    ix.add("stem", "اجتمعت الحكومات العربية", title=None)
    ix.add("exact", "اجتمعت الحكومة العربية", title=None)
    assert [h.id for h in ix.search("الحكومة")] == ["exact", "stem"]


def test_title_outranks_body():
    ix = Index()
    ix.add("body", "خبر عن دمشق وعن مدن اخرى كثيرة", title="اخبار")
    ix.add("title", "خبر عن مدن اخرى كثيرة ومنها دمشق", title="دمشق")
    assert ix.search("دمشق")[0].id == "title"


def test_modes():
    ix = Index()
    ix.add("both", "حفتر في دمشق", title=None)
    ix.add("one", "حفتر في بنغازي", title=None)
    assert [h.id for h in ix.search("حفتر دمشق", mode="all")] == ["both"]
    auto = ix.search("حفتر دمشق")
    assert [(h.id, h.partial) for h in auto] == [("both", False), ("one", True)]
    assert {h.id for h in ix.search("حفتر دمشق", mode="any")} == {"both", "one"}
    with pytest.raises(ValueError, match="mode"):
        ix.search("حفتر", mode="some")


def test_match_diacritics():
    ix = Index()
    ix.add("a", "رأيت المَلِكَ", title=None)
    ix.add("b", "رأيت المُلْكَ", title=None)
    ix.add("c", "رأيت الملك", title=None)
    assert {h.id for h in ix.search("المَلِك")} == {"a", "b", "c"}
    assert [h.id for h in ix.search("المَلِكَ", match_diacritics=True)] == ["a"]


def test_a_hamza_seat_after_a_letter_like_a_proclitic_is_kept():
    """فئات and الفئات are one word, and فؤاد is not فاد: a ؤا or ئا at the start of a word
    is no Uthmani madda alef, though its first letter looks like a proclitic."""
    ix = Index()
    ix.add("def", "تستهدف الفئات الفقيرة", title=None)
    ix.add("bare", "فئات المجتمع", title=None)
    ix.add("fuad", "قال فؤاد السنيورة", title=None)
    ix.add("fad", "فاد النهر", title=None)
    assert {h.id for h in ix.search("فئات")} == {"def", "bare"}
    assert {h.id for h in ix.search("الفئات")} == {"def", "bare"}
    assert [h.id for h in ix.search("فؤاد")] == ["fuad"]


def test_did_you_mean(seed_index):
    assert seed_index.search("دمشك") == []
    assert seed_index.suggest("دمشك") == "دمشق"
    assert seed_index.suggest("حفتر") is None


def test_update_and_delete_visible_after_commit():
    ix = Index()
    ix.add("d", "حفتر في دمشق", title=None)
    assert [h.id for h in ix.search("دمشق")] == ["d"]
    ix.add("d", "حفتر في بنغازي", title=None)  # same id: replaced
    assert len(ix) == 1 and ix.search("دمشق") == [] and ix.search("بنغازي")[0].id == "d"
    assert ix.get("d").text == "حفتر في بنغازي"
    assert ix.delete("d") is True and ix.delete("d") is False
    assert len(ix) == 0 and ix.search("بنغازي") == [] and ix.get("d") is None


def test_add_many_is_all_or_nothing():
    ix = Index()
    ix.add("keep", "نص محفوظ", title=None)
    batch = [{"id": "a", "text": "نص اول"}, {"id": "", "text": "بلا معرف"}]
    with pytest.raises(DocumentError, match="empty"):
        ix.add_many(batch)
    assert len(ix) == 1 and ix.get("a") is None
    assert ix.add_many([{"id": "a", "text": "نص اول", "source": "x"}]) == 1
    assert ix.get("a").fields == {"source": "x"}


def test_add_many_writes_documents_as_they_come(monkeypatch):
    """A batch is streamed to the writer: never more than one document drawn ahead of
    the writer, so a generator over a large corpus is not held in memory."""
    from arsearch.writing import writers as writers_module

    written = []
    real = writers_module.TermPoolWriter.update_document
    monkeypatch.setattr(writers_module.TermPoolWriter, "update_document",
                        lambda self, **doc: written.append(doc["id"]) or real(self, **doc))
    ahead = []

    def docs():
        for n in range(50):
            ahead.append(n - len(written))
            yield {"id": f"d{n}", "text": f"حفتر في دمشق {n}"}

    ix = Index()
    assert ix.add_many(docs()) == 50
    assert len(ix) == 50 and max(ahead) == 0


def test_a_refused_document_late_in_a_stream_adds_nothing():
    ix = Index()
    ix.add("keep", "نص محفوظ", title=None)
    docs = ({"id": f"d{n}", "text": "نص"} if n < 30 else {"id": "bad", "text": None} for n in range(31))
    with pytest.raises(TypeError, match="document text must be str"):
        ix.add_many(docs)
    assert len(ix) == 1 and ix.get("d0") is None


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="a CPython string's cached UTF-8")
def test_indexing_leaves_the_callers_strings_as_they_were():
    """Pickling a str caches its UTF-8 on the string; a corpus held in memory would grow
    by half while indexing. Stored text is pickled as its UTF-8 bytes instead."""
    text, title = "حفتر في دمشق " * 200, "عنوان الخبر " * 10
    sizes = (sys.getsizeof(text), sys.getsizeof(title))
    ix = Index()
    ix.add_many([{"id": "d", "text": text, "title": title}])
    assert (sys.getsizeof(text), sys.getsizeof(title)) == sizes
    doc = ix.get("d")
    assert (doc.text, doc.title) == (text, title)
    hit = ix.search("دمشق")[0]
    assert hit.title == title and "[دمشق]" in ix.search("دمشق", markers=("[", "]"))[0].snippet


@pytest.mark.parametrize("text_column", [False, True])
def test_layouts_of_earlier_versions_still_read(monkeypatch, text_column):
    """Indexes built before the ``hit`` column keep a hit's id, title and metadata among
    the stored fields only, and the first ones the text too (as str, or as UTF-8 bytes):
    they still read, and documents added to them go where their layout keeps them."""
    from arsearch import index as index_module

    real = index_module.build_schema
    monkeypatch.setattr(index_module, "build_schema",
                        lambda config: real(config, text_column=text_column, hit_column=False))
    ix = Index()
    assert bool(ix._ix.schema["text"].column_type) == text_column and "hit" not in ix._ix.schema
    ix.add("new", "حفتر في دمشق", title="جديد", source="وكالة")
    if not text_column:
        with ix._writing() as writer:  # a document as the first versions stored it
            fields = document_fields("old", "حفتر في بنغازي", "قديم", {})
            del fields["hit"]
            writer.update_document(**{**fields, "text": "حفتر في بنغازي", "title": "قديم"})
        assert ix.get("old").text == "حفتر في بنغازي" and ix.get("old").title == "قديم"
        assert {(h.id, h.title) for h in ix.search("حفتر")} == {("new", "جديد"), ("old", "قديم")}
    assert ix.get("new").text == "حفتر في دمشق"
    [hit] = ix.search("دمشق", markers=("[", "]"))
    assert (hit.id, hit.title, dict(hit.fields)) == ("new", "جديد", {"source": "وكالة"})
    assert "[دمشق]" in hit.snippet


def test_hits_read_the_hit_column_not_the_stored_fields(monkeypatch):
    ix = Index()
    ix.add_many([{"id": "a", "text": "حفتر في دمشق", "title": "عنوان", "source": "وكالة", "n": [1, 2]},
                 {"id": "b", "text": "حفتر"}])
    searcher = ix._searcher()
    monkeypatch.setattr(searcher, "stored_fields", lambda *a: pytest.fail("stored fields read"))
    got = {h.id: (h.title, dict(h.fields), h.snippet) for h in ix.search("حفتر", markers=("[", "]"))}
    assert got == {"a": ("عنوان", {"source": "وكالة", "n": [1, 2]}, "[حفتر] في دمشق"), "b": (None, {}, "[حفتر]")}


def test_text_column_survives_merges_and_deletions(tmp_path):
    texts = {f"d{n}": f"حفتر في دمشق رقم {n} " + "كلمة " * n for n in range(30)}
    with Index(tmp_path / "ix") as ix:
        assert ix._ix.schema["text"].column_type is not None
        for n, (doc_id, text) in enumerate(texts.items()):
            ix.add_many([{"id": doc_id, "text": text, "title": f"عنوان {doc_id}"}])  # one segment each
            if n % 7 == 3:
                ix.delete(doc_id)
        kept = {d: t for n, (d, t) in enumerate(texts.items()) if n % 7 != 3}
        for _ in ("segments", "merged"):
            assert {d: ix.get(d).text for d in ix.ids()} == kept
            assert {h.id: h.title for h in ix.search("دمشق", limit=50)} == {d: f"عنوان {d}" for d in kept}
            assert {h.id: h.snippet.count("دمشق") for h in ix.search("دمشق", limit=50)} == dict.fromkeys(kept, 1)
            ix.optimize()


@pytest.mark.parametrize(
    "call, error",
    [
        pytest.param(lambda ix: ix.add("", "نص"), DocumentError, id="empty id"),
        pytest.param(lambda ix: ix.add(3, "نص"), TypeError, id="int id"),
        pytest.param(lambda ix: ix.add("x", None), TypeError, id="None text"),
        pytest.param(lambda ix: ix.add("x", b"bytes"), TypeError, id="bytes text"),
        pytest.param(lambda ix: ix.add("x", "نص", when=object()), TypeError, id="non-JSON field"),
        pytest.param(lambda ix: ix.search(None), TypeError, id="None query"),
        pytest.param(lambda ix: ix.search("x", limit=0), ValueError, id="zero limit"),
    ],
)
def test_bad_input(call, error):
    ix = Index()
    ix.add("keep", "نص", title=None)
    with pytest.raises(error):
        call(ix)
    assert len(ix) == 1


def test_persistence_across_processes(tmp_path):
    path = tmp_path / "ix"
    script = textwrap.dedent(
        f"""
        import arsearch
        with arsearch.Index({str(path)!r}) as ix:
            ix.add("p1", "وصل حفتر إلى دمشق", title="زيارة", source="proc")
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    with Index(path, create=False) as ix:
        hits = ix.search("لحفتر")
        assert [(h.id, h.title, dict(h.fields)) for h in hits] == [("p1", "زيارة", {"source": "proc"})]
    assert [h.id for h in arsearch.search("دمشق", index=path)] == ["p1"]


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexNotFoundError, match="arsearch index"):
        Index(tmp_path / "nope", create=False)


def test_schema_mismatch_names_both_versions(tmp_path):
    path = tmp_path / "ix"
    with Index(path) as ix:
        ix.add("a", "نص", title=None)
    meta_file = path / "arsearch.json"
    meta = json.loads(meta_file.read_text())
    meta["schema_version"] = 999
    meta_file.write_text(json.dumps(meta))
    current = arsearch.schema.SCHEMA_VERSION
    with pytest.raises(SchemaMismatchError, match=rf"schema version 999, this arsearch uses {current}: rebuild"):
        Index(path)
    meta["schema_version"] = current
    meta_file.write_text(json.dumps(meta))
    Index(path).close()
    stored, other = ANALYZER_VERSIONS["light"], ANALYZER_VERSIONS["none"]
    with pytest.raises(SchemaMismatchError, match=rf"analyzer '{stored}', this arsearch uses '{other}': rebuild"):
        Index(path, config=AnalysisConfig(stemmer="none"))


#: What the default analysis produces, pinned: a change in it must change the version
#: (and be announced: indexes built before are refused until rebuilt).
ANALYZER_VERSIONS = {"light": "light-d2d38f93b3ea", "tashaphyne": "tashaphyne-d6a694249b1f", "none": "none-b1c6b5d25458"}


@pytest.mark.parametrize("stemmer", sorted(ANALYZER_VERSIONS))
def test_analyzer_version_is_pinned(stemmer):
    assert arsearch.schema.analyzer_version(AnalysisConfig(stemmer=stemmer)) == ANALYZER_VERSIONS[stemmer]


@pytest.mark.parametrize("old", [
    pytest.param("light-75cc8f6f6401", id="before-readings"),  # a bare ب ك ل و always came off
    pytest.param("light-671959acf68c", id="before-hamza-seats-at-start"),  # فؤاد was فاد, فئات فات
    pytest.param("light-b636e08cd8b8", id="before-ali-was-a-name"),  # علي, as على, was a stopword
    pytest.param("light-26e26eaa2075", id="before-proclitic-article-readings"),  # والده was ده alone
    pytest.param("light-a9de03f95756", id="before-written-stopword-readings"),  # وعلى was و + علي (Ali)
])
def test_index_of_an_earlier_analysis_is_refused(tmp_path, old):
    """An index built by an earlier analysis holds terms today's queries do not ask for
    (the letter-kept readings; فءات where it held فات): opening it says to rebuild, and
    nothing in it is touched."""
    path = tmp_path / "ix"
    with Index(path) as ix:
        ix.add("a", "نص", title=None)
    meta_file = path / "arsearch.json"
    meta = json.loads(meta_file.read_text())
    meta["analyzer"] = old
    meta_file.write_text(json.dumps(meta))
    before = sorted((p.name, p.stat().st_size) for p in path.iterdir())
    with pytest.raises(SchemaMismatchError, match=f"{old}.*rebuild the index"):
        Index(path)
    assert sorted((p.name, p.stat().st_size) for p in path.iterdir()) == before


def test_second_writer_gets_index_locked_error(tmp_path):
    path = tmp_path / "ix"
    Index(path).close()
    holder = Index(path)
    writer = holder._writer()  # hold the write lock, as another process would
    try:
        blocked = Index(path, lock_timeout=0.3)
        with pytest.raises(IndexLockedError, match="lock"):
            blocked.add("x", "نص")
    finally:
        writer.cancel()
    blocked.add("x", "نص")
    assert len(blocked) == 1


def test_context_manager_closes():
    with Index() as ix:
        ix.add("a", "نص", title=None)
    with pytest.raises(arsearch.ArsearchError, match="closed"):
        ix.search("نص")


def test_top_level_search_on_bundled_seeds():
    hits = arsearch.search("حفتر")
    assert hits and hits[0].id == "000_de690f560e5f0edb"
    assert arsearch.search("بغداد") == []


def test_searches_see_every_commit_of_another_writer_while_listing_rarely(tmp_path, monkeypatch):
    """The index folder is listed for its newest generation only when its modification
    time changed, or is too recent to be trusted (a coarse clock)."""
    from whoosh.index import FileIndex

    path = tmp_path / "ix"
    reader, writer = Index(path), Index(path)
    writer.add("a", "حفتر في دمشق")
    listings = []
    real = FileIndex.latest_generation
    monkeypatch.setattr(FileIndex, "latest_generation", lambda self: listings.append(1) or real(self))
    assert [h.id for h in reader.search("حفتر")] == ["a"]
    assert listings  # a fresh folder is listed at every search
    old = time.time() - 60
    os.utime(path, (old, old))
    listings.clear()
    for _ in range(3):
        assert [h.id for h in reader.search("حفتر")] == ["a"]
    assert len(listings) == 1  # listed once, then its settled time stands for it
    writer.add("b", "حفتر في بنغازي")  # another writer's commit changes the folder
    assert {h.id for h in reader.search("حفتر")} == {"a", "b"}
    writer.delete("a")
    assert [h.id for h in reader.search("حفتر")] == ["b"]
    reader.close(), writer.close()


# --- batches -------------------------------------------------------------------------
def _generation(path) -> int:
    """The number of the index's newest table of contents: one more per commit."""
    from whoosh import index as windex

    return windex.open_dir(str(path)).latest_generation()


def _state(ix: Index) -> tuple:
    """What a reader sees of an index: its documents and a search."""
    return len(ix), sorted((d, ix.get(d).text) for d in ix.ids()), [h.id for h in ix.search("دمشق")]


def test_batch_commits_once_and_shows_nothing_before_its_end(tmp_path):
    path = tmp_path / "ix"
    ix = Index(path)
    ix.add("old", "حفتر في بنغازي")
    before = _generation(path)
    other = Index(path)  # another reader of the same folder
    with ix.batch() as b:
        for n in range(20):
            b.add(f"d{n}", f"وصل حفتر إلى دمشق رقم {n}", title=f"خبر {n}", source="وكالة")
        assert b.add_many({"id": f"m{n}", "text": "مطار دمشق"} for n in range(5)) == 5
        assert _state(other) == _state(ix) == (1, [("old", "حفتر في بنغازي")], [])
        assert _generation(path) == before
    assert _generation(path) == before + 1
    for reader in (ix, other):
        assert len(reader) == 26
        assert {h.id for h in reader.search("دمشق", limit=50)} == {f"d{n}" for n in range(20)} | {f"m{n}" for n in range(5)}
    assert ix.get("d3") == arsearch.Document("d3", "وصل حفتر إلى دمشق رقم 3", "خبر 3", {"source": "وكالة"})
    ix.close(), other.close()


class _Stop(Exception):
    pass


def _raise_stop(b):
    raise _Stop()


def _refused_late(b):
    b.add_many([{"id": "a", "text": "نص في دمشق"}, {"id": " ", "text": "بلا معرف"}])


def _refused_and_caught(b):
    try:
        b.add_many([{"id": "a", "text": "نص في دمشق"}, {"id": " ", "text": "بلا معرف"}])
    except DocumentError:
        pass  # the caller goes on: the batch must still not commit "a"


@pytest.mark.parametrize(
    "fail, error, match",
    [
        pytest.param(_raise_stop, _Stop, None, id="the block raises"),
        pytest.param(_refused_late, DocumentError, "empty", id="add_many refuses a document"),
        pytest.param(_refused_and_caught, arsearch.ArsearchError, "nothing of the batch was committed",
                     id="refusal caught in the block"),
    ],
)
@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_a_failed_batch_leaves_the_index_as_it_was(tmp_path, on_disk, fail, error, match):
    path = tmp_path / "ix" if on_disk else None
    ix = Index(path)
    ix.add_many([{"id": "keep", "text": "حفتر في دمشق"}, {"id": "gone", "text": "مطار بنغازي"}])
    before = _state(ix)
    generation = _generation(path) if on_disk else None
    with pytest.raises(error, match=match):
        with ix.batch() as b:
            b.add("keep", "نص بدله")  # replaces a committed document
            b.add("new", "خبر من دمشق")
            b.delete("gone")
            fail(b)
    assert _state(ix) == before
    if on_disk:
        assert _generation(path) == generation
        assert _state(Index(path)) == before
    ix.add("after", "خبر من دمشق")  # the lock was released
    assert len(ix) == 3


BATCH_OPS = [
    pytest.param([("add", "a", "كتاب"), ("add", "a", "قلم")], {"a": "قلم", "c": "حفتر"}, id="added twice: the last"),
    pytest.param([("add", "c", "كتاب"), ("add", "c", "قلم")], {"c": "قلم"}, id="committed id added twice"),
    pytest.param([("add", "a", "كتاب"), ("delete", "a"), ("add", "a", "قلم")], {"a": "قلم", "c": "حفتر"},
                 id="added, deleted, added"),
    pytest.param([("add", "a", "كتاب"), ("delete", "a")], {"c": "حفتر"}, id="added then deleted"),
    pytest.param([("delete", "c"), ("add", "c", "قلم")], {"c": "قلم"}, id="committed deleted then added"),
    pytest.param([("add", "c", "كتاب"), ("delete", "c")], {}, id="committed replaced then deleted"),
]


@pytest.mark.parametrize("ops, expected", BATCH_OPS)
def test_batch_keeps_one_document_per_id_as_separate_commits_would(ops, expected):
    results = []
    for batched in (False, True):
        ix = Index()
        ix.add("c", "حفتر")
        with (ix.batch() if batched else contextlib.nullcontext(ix)) as writer:
            for op, *args in ops:
                getattr(writer, op)(*args)
        got = {d: ix.get(d).text for d in ix.ids()}
        words = {w: sorted(h.id for h in ix.search(w)) for w in ("كتاب", "قلم", "حفتر")}
        results.append((len(ix), got, words))
    assert results[1] == results[0]
    assert results[1][:2] == (len(expected), expected)


def test_batch_delete_says_whether_the_document_existed():
    ix = Index()
    ix.add("c", "حفتر")
    with ix.batch() as b:
        b.add("a", "كتاب")
        assert [b.delete("a"), b.delete("a"), b.delete("c"), b.delete("none")] == [True, False, True, False]


def test_add_many_keeps_the_last_document_of_an_id():
    ix = Index()
    ix.add("b", "بيت")
    ix.add_many([{"id": "a", "text": "كتاب"}, {"id": "a", "text": "قلم"}, {"id": "b", "text": "شمس"},
                 {"id": "b", "text": "قمر"}])
    assert len(ix) == 2 and sorted(ix.ids()) == ["a", "b"]
    assert (ix.get("a").text, ix.get("b").text) == ("قلم", "قمر")
    assert ix.search("كتاب") == ix.search("شمس") == ix.search("بيت") == []


def test_a_batch_is_used_inside_its_block_only():
    ix = Index()
    with ix.batch() as b:
        b.add("a", "نص")
    for use in (lambda: b.add("b", "نص"), lambda: b.add_many([]), lambda: b.delete("a")):
        with pytest.raises(arsearch.ArsearchError, match="batch has ended.*Index.batch"):
            use()
    assert list(ix.ids()) == ["a"]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda ix: ix.batch().__enter__(), id="nested batch"),
        pytest.param(lambda ix: ix.add("x", "نص"), id="add"),
        pytest.param(lambda ix: ix.add_many([{"id": "x", "text": "نص"}]), id="add_many"),
        pytest.param(lambda ix: ix.delete("a"), id="delete"),
        pytest.param(lambda ix: ix.optimize(), id="optimize"),
    ],
)
def test_writing_around_an_open_batch_is_a_clear_error(tmp_path, write):
    # lock_timeout=0: a write that waited for the batch's lock would raise IndexLockedError.
    ix = Index(tmp_path / "ix", lock_timeout=0)
    ix.add("a", "نص")
    with ix.batch() as b:
        b.add("b", "نص")
        with pytest.raises(arsearch.ArsearchError, match="batch of this Index is open.*do not nest") as e:
            write(ix)
        assert not isinstance(e.value, IndexLockedError)
        b.add("c", "نص")
    assert sorted(ix.ids()) == ["a", "b", "c"]
    ix.add("d", "نص")  # after the block, writes go on as before
    assert len(ix) == 4


def test_another_writer_waits_for_a_batch(tmp_path):
    path = tmp_path / "ix"
    ix = Index(path)
    other = Index(path, lock_timeout=0)
    with ix.batch() as b:
        b.add("a", "نص")
        with pytest.raises(IndexLockedError, match="lock_timeout"):
            other.add("x", "نص")
    other.add("x", "نص")
    assert sorted(other.ids()) == ["a", "x"]
    ix.close(), other.close()


# --- a dagger alef on a tatweel --------------------------------------------------------
DAGGER_ON_TATWEEL = {
    "kitab": "قال: هـٰذا الكتاب لا ريب فيه",
    "arsh": "قالت أَهَـٰكَذَا عَرْشُكِ",
    "alihah": "أهـٰذا الذي يذكر آلهتكم",
    "other": "مقال عن الطقس في بغداد",
}


@pytest.mark.parametrize(
    "query, expected",
    [
        pytest.param('"هذا الكتاب"', ["kitab"], id="phrase"),
        pytest.param("الكتاب هذا", ["kitab"], id="words"),
        pytest.param('"هـٰذا الكتاب"', ["kitab"], id="phrase as written"),
        pytest.param("أهكذا", ["arsh"], id="a-hakadha"),
        pytest.param('"أهكذا عرشك"', ["arsh"], id="a-hakadha phrase"),
        pytest.param("أهذا", ["alihah"], id="a-hadha"),
        pytest.param('"اهذا الذي"', ["alihah"], id="a-hadha phrase, hamza-less"),
    ],
)
def test_a_word_with_a_dagger_alef_on_a_tatweel_is_found_by_its_plain_spelling(query, expected):
    ix = Index()
    ix.add_many({"id": doc_id, "text": text} for doc_id, text in DAGGER_ON_TATWEEL.items())
    assert [h.id for h in ix.search(query)] == expected


# --- opening guards ------------------------------------------------------------------
def test_a_file_is_not_an_index_and_is_left_as_it_was(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("ملاحظات", encoding="utf-8")
    for create in (True, False):
        with pytest.raises(IndexNotFoundError, match="is a file, not an index directory"):
            Index(path, create=create)
    assert path.read_text(encoding="utf-8") == "ملاحظات"


def test_a_folder_holding_other_files_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "photos"
    (path / "sub").mkdir(parents=True)
    (path / "a.jpg").write_bytes(b"\xff\xd8 not an index")
    (path / "sub" / "b.txt").write_text("نص", encoding="utf-8")
    before = sorted((str(p.relative_to(path)), p.is_file() and p.read_bytes()) for p in path.rglob("*"))
    with pytest.raises(IndexNotFoundError, match="is not empty and holds no index: choose an empty or new directory"):
        Index(path)
    with pytest.raises(IndexNotFoundError, match="no arsearch index"):
        Index(path, create=False)
    assert sorted((str(p.relative_to(path)), p.is_file() and p.read_bytes()) for p in path.rglob("*")) == before


def test_a_folder_another_process_is_creating_an_index_in_is_not_refused(tmp_path):
    # what a creation writes before its first table of contents (the stamp, a temporary TOC)
    path = tmp_path / "ix"
    path.mkdir()
    (path / "arsearch.json").write_text("{}", encoding="utf-8")
    (path / "_MAIN_0.toc.1712345678.9").write_bytes(b"")
    with Index(path) as ix:
        ix.add("a", "نص")
        assert len(ix) == 1


def test_an_index_created_by_another_process_since_the_first_look_is_opened(tmp_path, monkeypatch):
    # two processes race to create one index: the second looked before the first's table of
    # contents was written, and lists the folder after it was
    path = tmp_path / "ix"
    with Index(path) as ix:
        ix.add("a", "نص")
    from arsearch import opening

    real, looks = opening.windex.exists_in, []

    def late(dirname, *args, **kwargs):
        looks.append(dirname)
        return False if len(looks) == 1 else real(dirname, *args, **kwargs)

    monkeypatch.setattr(opening.windex, "exists_in", late)
    with Index(path) as ix:
        assert len(ix) == 1
    assert len(looks) >= 2


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda meta: meta.write_text("{not json", encoding="utf-8"), id="malformed JSON"),
        pytest.param(lambda meta: meta.write_bytes(b"\xff\xfe"), id="not UTF-8"),
        pytest.param(lambda meta: (meta.unlink(), meta.mkdir()), id="a folder in its place"),
        pytest.param(lambda meta: meta.unlink(), id="missing"),
    ],
)
def test_an_unreadable_arsearch_json_is_a_schema_mismatch(tmp_path, spoil):
    path = tmp_path / "ix"
    with Index(path) as ix:
        ix.add("a", "نص")
    spoil(path / "arsearch.json")
    with pytest.raises(SchemaMismatchError, match="no readable arsearch.json.*rebuild it with `arsearch index`"):
        Index(path)


def _can_make_read_only(path) -> bool:
    """Whether taking the write permission of ``path`` stops this process writing there
    (it does not for root)."""
    os.chmod(path, 0o555)
    try:
        return not os.access(path, os.W_OK)
    finally:
        os.chmod(path, 0o755)


def test_a_read_only_index_folder_is_a_storage_error(tmp_path):
    path = tmp_path / "ix"
    ix = Index(path)
    ix.add("a", "حفتر في دمشق")
    if not _can_make_read_only(path):
        pytest.skip("this user writes to read-only folders (root); the injected permission error covers this")
    os.chmod(path, 0o555)
    try:
        with pytest.raises(arsearch.StorageError, match="Permission denied"):
            ix.add("b", "حفتر في بنغازي")
        assert sorted(ix.ids()) == ["a"]
    finally:
        os.chmod(path, 0o755)
    ix.add("b", "حفتر في بنغازي")
    assert sorted(ix.ids()) == ["a", "b"]


def test_a_read_only_parent_folder_is_a_storage_error(tmp_path):
    parent = tmp_path / "parent"
    parent.mkdir()
    if not _can_make_read_only(parent):
        pytest.skip("this user writes to read-only folders (root); the injected permission error covers this")
    os.chmod(parent, 0o555)
    try:
        with pytest.raises(arsearch.StorageError, match="cannot create an index at .*Permission denied"):
            Index(parent / "ix")
    finally:
        os.chmod(parent, 0o755)
    assert list(parent.iterdir()) == []


@pytest.mark.parametrize("where", ["create_file", "rename_file"])
def test_a_permission_error_while_writing_is_a_storage_error(tmp_path, monkeypatch, where):
    import errno

    from whoosh.filedb.filestore import FileStorage

    path = tmp_path / "ix"
    ix = Index(path)
    ix.add("a", "حفتر في دمشق")
    files = sorted(os.listdir(path))

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(FileStorage, where, refuse)
    with pytest.raises(arsearch.StorageError, match=rf"{os.strerror(errno.EACCES)}.*fix the permissions") as info:
        ix.add_many([{"id": "b", "text": "حفتر في بنغازي"}, {"id": "a", "text": "بدل"}])
    assert isinstance(info.value.__cause__, PermissionError)
    assert sorted(ix.ids()) == ["a"] and sorted(os.listdir(path)) == files
    monkeypatch.undo()
    ix.lock_timeout = 0  # the lock was released
    ix.add("b", "حفتر في بنغازي")
    assert sorted(ix.ids()) == ["a", "b"]


def test_creating_an_index_with_a_permission_error_is_a_storage_error(tmp_path, monkeypatch):
    import errno

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(type(tmp_path), "mkdir", refuse)
    with pytest.raises(arsearch.StorageError, match=rf"cannot create an index at .*: {os.strerror(errno.EACCES)}"):
        Index(tmp_path / "ix")


# --- the rest of the API ---------------------------------------------------------------
def test_add_many_with_progress_shows_a_bar_and_adds_everything(capsys):
    ix = Index()
    assert ix.add_many([{"id": f"d{n}", "text": "حفتر في دمشق"} for n in range(3)], progress=True) == 3
    err = capsys.readouterr().err
    assert "indexing" in err and "3/3" in err
    assert sorted(ix.ids()) == ["d0", "d1", "d2"]


def test_in_says_whether_an_id_is_indexed():
    ix = Index()
    ix.add("a", "حفتر")
    assert ("a" in ix, "b" in ix, 42 in ix, None in ix) == (True, False, False, False)
    ix.delete("a")
    assert "a" not in ix


@pytest.mark.parametrize("bad", [42, None, b"a", ["a"]])
@pytest.mark.parametrize("call", ["get", "delete"])
def test_get_and_delete_take_a_str_id(call, bad):
    ix = Index()
    ix.add("a", "حفتر")
    with pytest.raises(TypeError, match=f"document id must be str, not {type(bad).__name__}"):
        getattr(ix, call)(bad)
    assert list(ix.ids()) == ["a"]


def test_top_level_search_of_an_index():
    ix = Index()
    ix.add_many([{"id": "a", "text": "وصل حفتر إلى دمشق"}, {"id": "b", "text": "حفتر في بنغازي"}])
    assert [h.id for h in arsearch.search("دمشق", index=ix)] == ["a"]
    assert len(arsearch.search("حفتر", index=ix, limit=1)) == 1
    assert sorted(h.id for h in arsearch.search("دمشق بنغازي", index=ix, mode="any", limit=5)) == ["a", "b"]


@pytest.mark.parametrize("bad", [42, b"/tmp/ix", ["ix"]])
def test_top_level_search_of_something_else_is_a_type_error(bad):
    with pytest.raises(TypeError, match=f"index must be a path or an arsearch.Index, not {type(bad).__name__}"):
        arsearch.search("حفتر", index=bad)


def test_hit_as_dict():
    ix = Index()
    ix.add("a", "قال حفتر في دمشق", title="زيارة حفتر", source="وكالة")
    [hit] = ix.search("حفتر")
    score = round(hit.score, 6)
    assert hit.as_dict() == {"id": "a", "score": score, "title": "زيارة [حفتر]", "snippet": "قال [حفتر] في دمشق",
                             "fields": {"source": "وكالة"}, "partial": False}
    assert hit.as_dict(plain=True) == {"id": "a", "score": score, "title": "زيارة حفتر", "title_matches": [[6, 10]],
                                       "snippet": "قال حفتر في دمشق", "snippet_matches": [[4, 8]],
                                       "fields": {"source": "وكالة"}, "partial": False}
    json.dumps(hit.as_dict())  # JSON-serializable


@pytest.mark.parametrize("query, found", [("والدة", {"bare", "article"}), ("الوالدة", {"bare", "article"}),
                                          ("بالون", {"balloon"}), ("بالتيمور", {"baltimore"})])
def test_a_word_that_begins_like_a_proclitic_and_the_article_is_found(query, found):
    """والدة may be و + ال + ده or the word ("mother"), بالون ب + ال + ون or the word: a bare
    query finds the word with the article (الوالدة, البالون), and the name بالتيمور is not
    the name تيمور."""
    ix = Index()
    ix.add_many([{"id": "bare", "text": "توفيت والدة اللاعب"}, {"id": "article", "text": "كرمت الوالدة المثالية"},
                 {"id": "balloon", "text": "طار البالون فوق المدينة"}, {"id": "baltimore", "text": "وصل إلى بالتيمور"},
                 {"id": "timur", "text": "قال تيمور إنه سيعود"}])
    top = [h.id for h in ix.search(query)]
    assert set(top[: len(found)]) == found, top


@pytest.mark.parametrize("query", ["علي", "عَلِيّ", "وعلي"])
def test_the_name_ali_is_no_stopword(query):
    """Normalizing ى to ي makes the preposition على and the name علي one word: the stopword
    is the one written with ى, so the name is found, written with or without its marks."""
    ix = Index()
    ix.add_many([{"id": "name", "text": "التقى علي بالوفد"}, {"id": "on", "text": "حصل على الموافقة"}])
    assert [h.id for h in ix.search(query)] == ["name"]
    assert [h.id for h in ix.search("على")] == []


@pytest.mark.parametrize("query", ["علي", "Ali"])
def test_the_preposition_after_a_proclitic_is_not_the_name_ali(query):
    """وعلى is و + على ("and on"), a stopword after its proclitic: normalized, its clitic
    reading would be علي and match the name. A word written with ي (لعلي) keeps it."""
    ix = Index()
    ix.add_many([{"id": "name", "text": "التقى الوزير لعلي بالوفد"},
                 {"id": "and-on", "text": "حصل الوزير وعلى الوفد الموافقة"},
                 {"id": "so-on", "text": "فعلى الوزير أن يرد"}])
    assert [h.id for h in ix.search(query)] == ["name"]
    assert "and-on" in [h.id for h in ix.search("وعلى")]  # as written it is still found


def test_stats_count_distinct_terms_per_view(tmp_path):
    ix = Index(tmp_path / "ix")
    # exact: الحكومات الحكومه حكومه; clitic: حكومات حكومه; stem: حكوم
    ix.add("a", "الحكومات الحكومة", title="عنوان لا يحسب")
    ix.add("b", "حكومة")
    stats = ix.stats()
    assert stats["terms"] == {"exact": 3, "clitic": 2, "stem": 1}
    assert stats["documents"] == 2 and stats["path"] == str(tmp_path / "ix") and stats["size_bytes"] > 0
    assert stats["analyzer"] == ANALYZER_VERSIONS["light"]


# --- analysis settings end to end ---------------------------------------------------------
@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk, reopened"])
def test_hamza_seats_letter_through_an_index(tmp_path, on_disk):
    """With hamza_seats="letter", ؤ and ئ are read as و and ي: a text that writes them
    without the hamza is found by the hamza spelling (and not by default)."""
    docs = [{"id": "a", "text": "قال المسوول إن الرييس وصل"}, {"id": "b", "text": "قال المسؤول إن الرئيس وصل"}]
    config = AnalysisConfig(hamza_seats="letter")
    path = tmp_path / "ix" if on_disk else None
    ix = Index(path, config=config)
    ix.add_many(docs)
    if on_disk:
        ix = Index(path)  # the stored config is used
        assert ix.config == config
    assert sorted(h.id for h in ix.search("مسؤول")) == sorted(h.id for h in ix.search("رئيس")) == ["a", "b"]
    default = Index()
    default.add_many(docs)
    assert [h.id for h in default.search("مسؤول")] == [h.id for h in default.search("رئيس")] == ["b"]


def test_protected_words_keep_their_suffix_through_an_index():
    """دارين (a name) loses ين to the stemmer and meets دار (a house); protected, it does not."""
    docs = [{"id": "name", "text": "قالت دارين إنها وصلت"}, {"id": "house", "text": "وصل إلى الدار"}]
    plain, protected = Index(), Index(config=AnalysisConfig(protected=frozenset({"دارين"})))
    for ix in (plain, protected):
        ix.add_many(docs)
    assert [h.id for h in plain.search("دارين")] == ["name", "house"]
    assert [h.id for h in protected.search("دارين")] == ["name"]
    assert [h.id for h in protected.search("الدار")] == ["house"]

"""Entity facets (``Index(entities=True)``): the people, places and organizations of each
document are keyword fields from then on: filters, the query language, facets over every
match, ``Hit.fields``, the index's stamp."""

from __future__ import annotations

from collections import Counter

import pytest

from arsearch import Index
from arsearch.pipeline.entities import KINDS, entities

DOCS = [
    {"id": "a", "title": "حفتر في بنغازي", "text": "وصل خليفة حفتر إلى بنغازي، وقال لحفتر مقربون إن الجيش جاهز."},
    {"id": "b", "text": "قال الرئيس السوري بشار الأسد في دمشق إن خليفة حفتر زار سوريا."},
    {"id": "c", "text": "التقى خليفة حفتر الرئيس بوتين في موسكو، وأعلنت وزارة الخارجية الروسية ذلك."},
    {"id": "d", "text": "قادة حركة حماس في غزة، وقال متحدث باسم الأمم المتحدة إن الوضع صعب."},
    {"id": "e", "text": "وصل الوفد إلى بنغازي لبحث الأوضاع مع حكومة الوفاق في طرابلس."},
    {"id": "f", "text": "حفتر", "people": ["مختار بنفسه"]},  # the document's own value is kept
]
FACETS = list(KINDS)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    path = tmp_path_factory.mktemp("entities") / "ix"
    with Index(path, entities=True) as ix:
        ix.add_many(DOCS)
    return path


def matches(ix: Index, query: str) -> list:
    return list(ix.search(query, limit=100))


def test_hit_fields_hold_the_lists(index) -> None:
    with Index(index) as ix:
        fields = ix.get("a").fields
    assert fields["people"] == ["خليفة حفتر"]  # لحفتر and the title's حفتر are the full name
    assert fields["places"] == ["بنغازي"]
    assert "orgs" not in fields  # an empty kind is left out
    with Index(index) as ix:
        hit = next(h for h in ix.search("بوتين") if h.id == "c")
    assert "بوتين" in hit.fields["people"] and "موسكو" in hit.fields["places"]


def test_a_documents_own_value_is_kept(index) -> None:
    with Index(index) as ix:
        assert ix.get("f").fields["people"] == ["مختار بنفسه"]


@pytest.mark.parametrize("query", ["حفتر", "وصل", "بنغازي"])
def test_facets_count_every_match(index, query) -> None:
    with Index(index) as ix:
        res = ix.search(query, limit=1, facets=FACETS)
        hits = matches(ix, query)
        assert res.total == len(hits) > 1
        for kind in KINDS:
            expected = Counter(v for h in hits for v in h.fields.get(kind, ()))
            assert dict(res.facets[kind]) == dict(expected), kind


def test_filter_by_a_place(index) -> None:
    with Index(index) as ix:
        by_filter = {h.id for h in ix.search("حفتر", filter={"places": "بنغازي"})}
        by_query = {h.id for h in ix.search("حفتر places:بنغازي")}
        only_filter = {h.id for h in ix.search("places:بنغازي")}
    assert by_filter == by_query == {"a"}
    assert only_filter == {"a", "e"}


def test_filter_by_an_organization(index) -> None:
    with Index(index) as ix:
        assert {h.id for h in ix.search("", filter={"orgs": "الامم المتحده"})} == {"d"}


def test_reopening_keeps_entities(index) -> None:
    with Index(index) as ix:
        assert ix.entities is True
        assert {ix.fields[k] for k in KINDS} == {"keyword"}
        ix.add("g", "وصل الرئيس ماكرون إلى باريس")
        assert ix.get("g").fields == {"people": ["ماكرون"], "places": ["باريس"]}
        ix.delete("g")


def test_entities_false_on_an_entity_index_is_refused(index) -> None:
    with pytest.raises(ValueError, match="entities=None"):
        Index(index, entities=False)


def test_entities_switched_on_later(tmp_path) -> None:
    with Index(tmp_path / "ix") as ix:
        ix.add("old", "وصل خليفة حفتر إلى بنغازي")
        assert ix.entities is False
    with Index(tmp_path / "ix", entities=True) as ix:
        ix.add("new", "وصل خليفة حفتر إلى بنغازي")
        assert ix.get("old").fields == {}  # added before: as it was
        assert ix.get("new").fields["places"] == ["بنغازي"]
    with Index(tmp_path / "ix") as ix:
        assert ix.entities is True


def test_in_memory_and_batch() -> None:
    with Index(entities=True) as ix:
        with ix.batch() as b:
            b.add("a", "في بنغازي", title="خليفة حفتر")
        assert ix.get("a").fields == {"people": ["خليفة حفتر"], "places": ["بنغازي"]}  # title and text


def test_procs_give_the_same_fields(tmp_path) -> None:
    docs = [{"id": str(n), "text": d["text"]} for n, d in enumerate(DOCS * 400)]
    with Index(tmp_path / "ix", entities=True) as ix:
        ix.add_many(docs, procs=2)
        assert ix.get("1").fields == {k: v for k, v in entities(DOCS[1]["text"]).items() if v}


@pytest.mark.parametrize("fields, error", [
    ({"people": "number"}, "keyword field"),
    ({"places": "date"}, "keyword field"),
])
def test_an_entity_field_of_another_type_is_refused(fields, error) -> None:
    with pytest.raises(ValueError, match=error):
        Index(fields=fields, entities=True)


def test_entities_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="entities must be"):
        Index(entities="yes")


@pytest.mark.parametrize("written", ["بنغازي", "وبنغازي", "بِنْغازي"])
def test_a_filter_value_is_read_as_names_are_kept(index, written) -> None:
    # values are kept normalized with clitics off (الامم المتحده); a filter may be typed as written
    with Index(index) as ix:
        assert {h.id for h in ix.search("", filter={"places": written})} == {"a", "e"}
        assert {h.id for h in ix.search(f"places:{written}")} == {"a", "e"}
        assert {h.id for h in ix.search("", filter={"orgs": "الأمم المتحدة"})} == {"d"}
        assert {h.id for h in ix.search("", filter={"orgs": "للامم المتحده"})} == {"d"}  # ة typed as ه
        assert {h.id for h in ix.search("", filter={"people": "مختار بنفسه"})} == {"f"}  # a given value, as given


def test_a_surname_filter_finds_the_full_names_ending_with_it() -> None:
    ix = Index(entities=True)
    ix.add_many([{"id": "full", "text": "التقى الرئيس الروسي فلاديمير بوتين في موسكو الوفد"},
                 {"id": "bare", "text": "قال بوتين إن روسيا مستعدة"},
                 {"id": "other", "text": "وصل خليفة حفتر إلى بنغازي"}])
    assert ix.get("full").fields["people"] == ["فلاديمير بوتين"]  # the value is the full name
    assert {h.id for h in ix.search("", filter={"people": "بوتين"})} == {"full", "bare"}
    assert {h.id for h in ix.search("people:بوتين")} == {"full", "bare"}
    assert {h.id for h in ix.search("", filter={"people": "فلاديمير بوتين"})} == {"full"}  # a full name is itself
    assert {h.id for h in ix.search("-people:بوتين الى")} == {"other"}


@pytest.mark.parametrize("written", ["إسرائيل", "اسرائيل", "لإسرائيل"])
def test_a_value_keeps_its_hamza_seat_and_a_filter_finds_it_as_typed(written) -> None:
    ix = Index(entities=True)
    ix.add_many([{"id": "seat", "text": "انسحب الجيش من إسرائيل أمس"},
                 {"id": "bare", "text": "وصل الوفد إلى اسرائيل أمس"},
                 {"id": "other", "text": "وصل الوفد إلى بنغازي أمس"}])
    assert ix.get("seat").fields["places"] == ["اسرائيل"]  # not the folded اسراءيل
    assert {h.id for h in ix.search("", filter={"places": written})} == {"seat", "bare"}
    assert dict(ix.search("الوفد OR الجيش", facets=["places"]).facets["places"]) == {"اسرائيل": 2, "بنغازي": 1}

"""Ranking behaviour on small documents written for these tests (no evaluation data).

What is measured on real judgments lives in ``benchmarks/relevance.py``; here each rule
of ``arsearch.query.RANKINGS`` is checked on a case built to show it.
"""

from __future__ import annotations

import pytest

from arsearch import Index
from arsearch.pipeline import DEFAULT_CONFIG
from arsearch.query import parse_query


def _index(docs: dict[str, str], titles: dict[str, str] | None = None) -> Index:
    ix = Index()
    titles = titles or {}
    ix.add_many({"id": k, "text": v, "title": titles.get(k)} for k, v in docs.items())
    return ix


def _ids(ix: Index, query: str, **kw) -> list[str]:
    return [h.id for h in ix.search(query, limit=20, **kw)]


# Each row: documents of the same length; the query; the order they must come in; why.
ORDER_CASES = [
    pytest.param(
        {"stem": "أعلنت الحكومة خطة جديدة اليوم", "clitic": "أعلنت وبالحكومات خطة جديدة اليوم",
         "exact": "أعلنت الحكومات خطة جديدة اليوم"},
        "الحكومات", ["exact", "clitic", "stem"],
        id="layered-views", marks=[],
    ),
    pytest.param(
        {"clitic": "وصل لحفتر وفد من المدينة", "exact": "وصل حفتر مع وفد من المدينة"},
        "حفتر", ["exact", "clitic"],
        id="name-exact-before-clitic",
    ),
    pytest.param(
        {"apart": "الوفاق صعب وقالت حكومة طرابلس إنها تسعى إليه",
         "adjacent": "حكومة الوفاق قالت صباحا طرابلس إنها تسعى إليه"},
        "حكومة الوفاق", ["adjacent", "apart"],
        id="multi-word-name-side-by-side",
    ),
    pytest.param(
        {"one-word": "حفتر حفتر حفتر قال كلاما كثيرا", "all-words": "وصل حفتر إلى دمشق صباح أمس"},
        "متى وصل حفتر إلى دمشق؟", ["all-words", "one-word"],
        id="question-more-words-first",
    ),
]


@pytest.mark.parametrize("docs, query, order", ORDER_CASES)
def test_ranking_order(docs, query, order):
    with _index(docs) as ix:
        assert _ids(ix, query) == order


def test_question_prefers_the_passage_holding_more_of_its_words():
    # بنغازي is the rarest word of the question, but the passage holding only it says
    # nothing of what is asked; summed BM25 alone ranks it first.
    docs = {f"filler{i}": f"تقرير رقم {i} عن المتحف الوطني الذي افتتح في العاصمة" for i in range(12)}
    docs |= {"rare": "بنغازي مدينة ساحلية هادئة", "most": "افتتح المتحف الوطني الجديد أمس أبوابه"}
    with _index(docs) as ix:
        ids = _ids(ix, "متى افتتح المتحف الوطني في بنغازي؟")
        assert ids[0] == "most" and ids.index("most") < ids.index("rare")


def test_title_outranks_body():
    docs = {"body": "اجتماع في دمشق حول الاقتصاد", "title": "اجتماع حول الاقتصاد"}
    with _index(docs, {"title": "دمشق", "body": "أخبار"}) as ix:
        assert _ids(ix, "دمشق") == ["title", "body"]


def test_long_sentence_naming_the_entity_is_not_buried():
    # Weak length normalization for names: a long sentence mentioning حفتر once still
    # ranks above a short one that only holds a clitic form of it.
    long = "قال المتحدث إن حفتر " + " ".join(["التقى بالوفد الزائر في المدينة"] * 6)
    with _index({"long": long, "short": "لحفتر رأي"}) as ix:
        assert _ids(ix, "حفتر") == ["long", "short"]


QUESTION_CASES = [
    pytest.param("متى ولد نزار قباني؟", ("ولد", "نزار", "قباني"), id="question-mark"),
    pytest.param("متى ولد نزار قباني", ("ولد", "نزار", "قباني"), id="leading-interrogative"),
    pytest.param("ومتى ولد نزار قباني", ("ولد", "نزار", "قباني"), id="interrogative-with-waw"),
    pytest.param("بماذا اشتهر نزار قباني", ("اشتهر", "نزار", "قباني"), id="interrogative-with-beh"),
    pytest.param("نزار قباني أين ولد", ("نزار", "قباني", "ولد"), id="unambiguous-inside"),
]


@pytest.mark.parametrize("text, words", QUESTION_CASES)
def test_questions_drop_interrogatives(text, words):
    parsed = parse_query(text, DEFAULT_CONFIG)
    assert parsed.kind == "question"
    assert parsed.words == words


@pytest.mark.parametrize(
    "text, words",
    [
        pytest.param("حكومة الوفاق", ("حكومه", "الوفاق"), id="name"),
        pytest.param("لبنان كم", ("لبنان", "كم"), id="ambiguous-interrogative-not-first"),
    ],
)
def test_names_are_not_questions(text, words):
    parsed = parse_query(text, DEFAULT_CONFIG)
    assert parsed.kind == "name"
    assert parsed.words == words


def test_question_of_interrogatives_only_still_searches_them():
    parsed = parse_query("كيف", DEFAULT_CONFIG)
    assert not parsed.empty and parsed.words == ("كيف",)


DOCS = {
    "all": "زار الوفد بنغازي وطرابلس في رحلة طويلة إلى ليبيا استمرت أسبوعا",
    "two": "بنغازي مدينة ليبية كبيرة على البحر",
    "one": "طرابلس عاصمة",
}


def test_name_query_puts_all_word_matches_first():
    with _index(DOCS) as ix:
        hits = ix.search("بنغازي طرابلس ليبيا", limit=10)
        assert [h.id for h in hits][0] == "all"
        flags = [h.partial for h in hits]
        assert flags == sorted(flags)  # complete matches, then partial ones
        assert {h.id: h.partial for h in hits}["all"] is False


def test_question_is_one_ranking_with_partial_flags():
    with _index(DOCS) as ix:
        hits = ix.search("متى زار الوفد بنغازي وطرابلس؟", limit=10)
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)
        partial = {h.id: h.partial for h in hits}
        assert partial["all"] is False and partial["two"] is True and partial["one"] is True


def test_modes_all_and_any_ignore_the_question_ranking_tiers():
    with _index(DOCS) as ix:
        assert _ids(ix, "متى زار الوفد بنغازي وطرابلس؟", mode="all") == ["all"]
        assert set(_ids(ix, "متى زار الوفد بنغازي وطرابلس؟", mode="any")) == {"all", "two", "one"}

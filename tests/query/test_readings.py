"""A first ب ك ل و is a proclitic or the word's own letter: both readings are searched.

A bare word must find its article form (لجنة → اللجنة, وزير → الوزير), and a proclitic
must still come off (لحفتر → حفتر). End to end, through ``Index.search``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from arsearch import Index, normalize
from arsearch.pipeline import DEFAULT_CONFIG
from arsearch.pipeline.stemming import readings, stopwords
from arsearch.query import Readings, parse_query
from arsearch.query.nodes import MIN_READING_WEIGHT

# (query, document text, reason): the query must find the document in mode="all"
FOUND = [
    pytest.param("لجنة", "أعلنت اللجنة النتائج", "bare ل-word, article form", id="lajna-al"),
    pytest.param("لجنة", "وأعلنت واللجنة النتائج", "bare ل-word, و + article", id="lajna-wal"),
    pytest.param("لجنة", "قدم الطلب للجنة أمس", "bare ل-word, ل + article (لل)", id="lajna-lil"),
    pytest.param("لجنة", "اجتمع أعضاء بلجنة الانتخابات", "bare ل-word, ب before the bare word", id="lajna-bi"),
    pytest.param("برلمان", "صوت البرلمان على القانون", "bare ب-word, article", id="barlaman-al"),
    pytest.param("برلمان", "وقال بالبرلمان نائب", "bare ب-word, ب + article", id="barlaman-bil"),
    pytest.param("بلاد", "عاد الهدوء إلى البلاد", "bare ب-word, article", id="bilad-al"),
    pytest.param("كتاب", "قرأ الطلاب الكتاب كاملا", "bare ك-word, article", id="kitab-al"),
    pytest.param("كتاب", "وجاء في والكتاب ما يلي", "bare ك-word, و + article", id="kitab-wal"),
    pytest.param("وزير", "قال الوزير إن الاتفاق قريب", "bare و-word, article", id="wazir-al"),
    pytest.param("وزير", "التقى بالوزير في مكتبه", "bare و-word, ب + article", id="wazir-bil"),
    pytest.param("وكالة", "نقلت الوكالة الخبر", "bare و-word whose second letter is ك", id="wakala-al"),
    pytest.param("ولاية", "في الولاية الشمالية", "bare و-word whose second letter is ل", id="wilaya-al"),
    pytest.param("اللجنة", "رئيس لجنة الانتخابات", "article query, bare document word", id="al-lajna-bare"),
    pytest.param("الوزير", "صرح وزير الخارجية", "article query, bare و document word", id="al-wazir-bare"),
    pytest.param("كبرى", "القمة الكبرى في المدينة", "a protected name (بري) does not swallow كبري", id="kubra-al"),
    # controls: the letter really is a preposition
    pytest.param("مجلس", "اجتمع بمجلس الأمن", "ب is a preposition", id="control-bi-majlis"),
    pytest.param("حفتر", "قال لحفتر إن", "ل is a preposition before a name", id="control-li-haftar"),
    pytest.param("دمشق", "التقى بدمشق وفدا", "ب is a preposition before a place", id="control-bi-dimashq"),
    pytest.param("بمجلس", "اجتمع مجلس الأمن", "a query with a preposition finds the bare word", id="control-query-bi"),
    pytest.param("لحفتر", "قال حفتر إن", "a query with a preposition finds the name", id="control-query-li"),
]


@pytest.mark.parametrize("query, text, reason", FOUND)
def test_bare_word_finds_each_reading(query: str, text: str, reason: str) -> None:
    ix = Index()
    ix.add_many([{"id": "doc", "text": text}, {"id": "other", "text": "نص لا علاقة له بالموضوع"}])
    assert [h.id for h in ix.search(query, mode="all")] == ["doc"], reason


def _ranked(docs: dict[str, str], query: str) -> list[str]:
    ix = Index()
    ix.add_many([{"id": k, "text": v} for k, v in docs.items()])
    return [h.id for h in ix.search(query, mode="all")]


def test_the_reading_the_index_uses_comes_first() -> None:
    """كتاب: the book (الكتاب, used in many documents) before the verb تاب, which the
    index holds once: a reading's weight follows how much the index uses it."""
    docs = {f"book{i}": f"صدر الكتاب الجديد رقم {i}" for i in range(5)}
    docs["repented"] = "تاب الرجل عن ذنبه"
    ranked = _ranked(docs, "كتاب")
    assert set(ranked) == set(docs)  # both readings are searched
    assert ranked[-1] == "repented"


def test_a_preposition_before_a_name_reads_as_the_name() -> None:
    """لحفتر: حفتر is a word of its own in many documents, لحفتر in none: documents
    saying حفتر come before those that only share a letter-kept reading."""
    docs = {f"haftar{i}": f"قال حفتر في بيان رقم {i}" for i in range(4)}
    docs["exact"] = "رسالة لحفتر من الحكومة"
    ranked = _ranked(docs, "لحفتر")
    assert ranked[0] == "exact"  # the word as written first
    assert set(ranked) == set(docs)


def test_reading_weights_follow_the_index() -> None:
    ix = Index()
    ix.add_many([{"id": str(i), "text": "الكتاب"} for i in range(9)] + [{"id": "t", "text": "تاب"}])
    parsed = parse_query("كتاب", DEFAULT_CONFIG)
    found = [q for q in _walk(parsed.all) if isinstance(q, Readings)]
    assert len(found) == 1 and found[0].readings == ("تاب", "كتاب")
    weights = found[0].weights(ix._searcher())
    # تاب: held bare by 1 document; كتاب: by 9 with the article: (1 + 1) / (9 + 1)
    assert weights == (pytest.approx(0.2), 1.0)


def _walk(q):
    yield q
    for child in q.children():
        yield from _walk(child)


def test_a_reading_the_index_does_not_use_weighs_the_floor() -> None:
    ix = Index()
    ix.add_many([{"id": str(i), "text": "الوزير"} for i in range(100)])
    (node,) = [q for q in _walk(parse_query("وزير", DEFAULT_CONFIG).all) if isinstance(q, Readings)]
    assert node.weights(ix._searcher()) == (MIN_READING_WEIGHT, 1.0)  # زير: no document


def test_negated_word_excludes_its_supported_reading_only() -> None:
    docs = {f"book{i}": f"صدر الكتاب رقم {i} اليوم" for i in range(4)}
    docs["repented"] = "تاب الرجل اليوم"
    docs["other"] = "صدر الخبر اليوم"
    assert set(_ranked(docs, "اليوم -كتاب")) == {"repented", "other"}


def test_phrase_of_a_bare_word_finds_its_forms_with_prepositions() -> None:
    docs = {"bare": "رئيس لجنة الانتخابات", "lil": "قدمت للجنة الانتخابات طلبا", "al": "اللجنة الانتخابات"}
    assert set(_ranked(docs, '"لجنة الانتخابات"')) == {"bare", "lil"}


def test_prefix_of_a_bare_word_finds_the_article_form() -> None:
    assert _ranked({"doc": "صوت البرلمان", "other": "نص آخر"}, "برلما*") == ["doc"]


def test_snippet_marks_the_article_form() -> None:
    ix = Index()
    ix.add("doc", "قال الوزير إن اللجنة ستجتمع")
    (hit,) = ix.search("لجنة")
    assert hit.snippet == "قال الوزير إن [اللجنة] ستجتمع"


_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_LETTERS, min_size=4, max_size=8))
def test_any_word_finds_its_article_forms(word: str) -> None:
    """For a word w of 4+ letters that is no stopword, an index holding ال+w and وال+w
    is found by w, whatever w begins with (ولل aside: no word does)."""
    # (no word begins with ولل, which is و + ل + ال: such a form is never a reading)
    assume(normalize(word) not in stopwords() and not word.startswith(("ال", "لل", "ولل")))
    ix = Index()
    ix.add_many([{"id": "al", "text": f"جاء ال{word} اليوم"}, {"id": "wal", "text": f"ثم وال{word} غدا"},
                 {"id": "none", "text": "no Arabic word here"}])
    assert {h.id for h in ix.search(word, mode="all")} == {"al", "wal"}


@pytest.mark.parametrize("word, expected", [
    pytest.param("كتاب", ("تاب", "كتاب"), id="kitab"),
    pytest.param("لحفتر", ("حفتر", "لحفتر"), id="li-haftar"),
    pytest.param("وكاله", ("اله", "كاله", "وكاله"), id="wakala-two-letters"),
    pytest.param("للجنه", ("جنه", "لجنه"), id="lil-before-lam"),
    pytest.param("وللجنه", ("جنه", "لجنه"), id="wa-lil"),
    pytest.param("وللا", ("للا", "وللا"), id="no-reading-left-keeps-them-all"),
    pytest.param("الوزير", ("وزير",), id="article-is-unambiguous"),
    pytest.param("بالحكومه", ("حكومه", "بالحكومه"), id="bi-article"),
    pytest.param("والده", ("ده", "والده"), id="wa-article-or-the-word-walida"),
    pytest.param("وبالحكومه", ("حكومه", "بالحكومه", "وبالحكومه"), id="wa-bi-article"),
    pytest.param("فيلم", ("فيلم",), id="fa-before-a-bare-noun-is-the-word"),
    pytest.param("بنغازي", ("بنغازي",), id="protected-name"),
    pytest.param("وبنغازي", ("بنغازي", "وبنغازي"), id="name-after-wa"),
    pytest.param("بين", ("بين",), id="guard-three-letters"),
    pytest.param("وللا", ("للا", "وللا"), id="no-reading-left-by-the-lam-rule-keeps-all"),
])
def test_readings_table(word: str, expected: tuple[str, ...]) -> None:
    assert readings(word) == expected

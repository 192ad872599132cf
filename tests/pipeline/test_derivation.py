"""Roots read off patterns, and the relatives built on them (arsearch.derivation)."""

from __future__ import annotations

import pytest

from arsearch.pipeline import DEFAULT_CONFIG
from arsearch.pipeline.derivation import derived, relatives, roots


def _stem(word: str) -> str:
    return DEFAULT_CONFIG.view_term(word, "stem")


# Each row: a normalized word; the roots it must be read as.
ROOT_CASES = [
    pytest.param("اقاليم", {"قلم"}, id="broken-plural-afaail"),
    pytest.param("اقليم", {"قلم"}, id="ifiil"),
    pytest.param("مكتوب", {"كتب"}, id="passive-participle"),
    pytest.param("استقلال", {"قلل"}, id="form-x-verbal-noun"),
    pytest.param("تاسيس", {"اسس"}, id="hamza-root-written-with-alef"),
    pytest.param("مولد", {"ولد"}, id="first-letter-waw"),
    pytest.param("اتحاد", {"وحد"}, id="waw-assimilated-in-form-viii"),
    pytest.param("يقول", {"قول", "قيل"}, id="hollow-imperfect"),
    pytest.param("دعا", {"دعو"}, id="defective-perfect"),
    pytest.param("حدود", {"حدد"}, id="doubled"),
]


@pytest.mark.parametrize("word, expected", ROOT_CASES)
def test_roots(word, expected):
    assert expected <= roots(word)


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("دمشق", id="fits-no-pattern"),
        pytest.param("بنغازي", id="name-of-six-letters"),
        pytest.param("2018", id="number"),
        pytest.param("ب", id="one-letter"),
        pytest.param("", id="empty"),
    ],
)
def test_no_root(word):
    assert roots(word) == frozenset()


# Each row: a word; relatives that must be among its relatives in the stem view.
RELATIVE_CASES = [
    pytest.param("ولد", {"مولد", "ميلاد", "مولود"}, id="verb-to-nouns"),
    pytest.param("اقليم", {"اقاليم"}, id="singular-to-broken-plural"),
    pytest.param("حدود", {"تحديد", "محدود", "يحد"}, id="doubled-root"),
    pytest.param("تاسس", {"تاسيس", "اساس"}, id="form-v-to-form-ii"),
]


@pytest.mark.parametrize("word, expected", RELATIVE_CASES)
def test_relatives(word, expected):
    found = relatives(word, _stem)
    assert expected <= set(found)
    assert _stem(word) not in found
    assert list(found) == sorted(set(found))


def test_relatives_are_passed_through_stem_and_keep_the_root():
    # The stemmer may cut a built word short (كاتب → اتب): what no longer holds the
    # root's letters in order is dropped.
    for term in relatives("كتب", _stem):
        letters = iter(term)
        assert all(ch in letters for ch in "كتب"), term


def test_no_relatives_without_a_root():
    assert relatives("دمشق", _stem) == ()


@pytest.mark.parametrize("word, expected", [
    pytest.param("استخدام", True, id="verbal-noun-x"),
    pytest.param("اجتماع", True, id="verbal-noun-viii"),
    pytest.param("انسحاب", True, id="verbal-noun-vii"),
    pytest.param("تقديم", True, id="verbal-noun-ii"),
    pytest.param("مشاركه", True, id="verbal-noun-iii"),
    pytest.param("انتقل", True, id="perfect-viii"),
    pytest.param("تقارير", True, id="plural-tafaail"),
    pytest.param("اتصال", True, id="verbal-noun-viii-waw"),
    pytest.param("اتحاد", True, id="verbal-noun-viii-waw-2"),
    pytest.param("لافروف", False, id="foreign-name"),
    pytest.param("ترامب", False, id="foreign-name-t"),
    pytest.param("محمد", False, id="participle-shaped-name"),
    pytest.param("استون", False, id="no-root"),
])
def test_derived(word, expected):
    assert derived(word) is expected


@pytest.mark.parametrize("word, expected", [
    pytest.param("اظهار", True, id="verbal-noun-iv"),
    pytest.param("حصول", True, id="verbal-noun-fuul"),
    pytest.param("استخدام", True, id="derived-still"),
    pytest.param("ترامب", False, id="foreign-name"),
])
def test_derived_in_the_accusative_takes_the_shapes_names_share(word, expected):
    """إسلام and حمود are names too: their shapes count only with an accusative ending."""
    assert derived(word, accusative=True) is expected
    assert derived(word) is (expected and word == "استخدام")

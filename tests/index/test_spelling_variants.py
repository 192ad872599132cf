"""An Arabic name spelled two ways (ترامب and ترمب) finds both with
``spelling_variants=True``, its own spelling first; off, nothing changes."""

from __future__ import annotations

import pytest
from helpers.search import ids, index_of

DOCS = {
    "trump-long": "قال الرئيس ترامب إن الاتفاق سيء",
    "trump-short": "ترمب يلتقي الرئيس في البيت الأبيض",
    "putin-long": "الرئيس بوتين في زيارة إلى أنقرة",
    "putin-short": "استقبل بوتن الوفد في موسكو",
    "america-1": "زار الوزير أمريكا الأسبوع الماضي",
    "america-2": "عاد الوفد من أميركا أمس",
    "books": "الكتاب والكتب في المعرض",
    "other": "ارتفعت الأسعار في الأسواق المحلية",
    "summit": "عقدت في العاصمة قمة جمعت ترامب وبوتن وناقشت ملفات كثيرة منها التجارة والأمن والطاقة والمناخ",
}


@pytest.fixture(scope="module")
def ix():
    return index_of(DOCS)


@pytest.mark.parametrize("query, own, other", [
    ("ترمب", "trump-short", "trump-long"),
    ("ترامب", "trump-long", "trump-short"),
    ("بوتين", "putin-long", "putin-short"),
    ("بوتن", "putin-short", "putin-long"),
    ("امريكا", "america-1", "america-2"),
    ("أمريكا", "america-1", "america-2"),
    ("اميركا", "america-2", "america-1"),
])
def test_both_spellings_found_own_first(ix, query, own, other):
    off = ids(ix, query)
    assert off[0] == own and other not in off  # off by default
    on = ids(ix, query, spelling_variants=True)
    assert on[0] == own and other in on


def test_a_variant_weighs_less_than_the_spelling_asked_for(ix):
    hits = ix.search("ترمب", spelling_variants=True)
    assert hits[0].score > hits[1].score > 0


def test_words_of_two_consonants_get_no_variants(ix):
    # كتب and كتاب share a skeleton of three letters; a word of two, such as في, has none
    assert ids(ix, "في", spelling_variants=True) == ids(ix, "في")


def test_an_excluded_word_excludes_only_its_spelling(ix):
    found = ids(ix, "الرئيس -ترمب", spelling_variants=True)
    assert "trump-short" not in found and "trump-long" in found


def test_two_names_each_with_its_variants(ix):
    assert "summit" not in ids(ix, "ترمب بوتين", mode="all")
    hits = ix.search("ترمب بوتين", limit=20, spelling_variants=True)
    assert hits[0].id == "summit" and not hits[0].partial  # holds a spelling of each
    assert {h.id for h in hits} == {"summit", "trump-short", "trump-long", "putin-long", "putin-short"}

"""Latin names to Arabic terms (arsearch.pipeline.latin): keys, alignment, ranking, exonyms."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arsearch import normalize
from arsearch.pipeline.latin import (
    MAX_KEYS,
    alignment_cost,
    arabic_keys,
    fold_latin,
    latin_exonyms,
    latin_keys,
    latin_words,
    rank_candidates,
    scored_candidates,
    split_joined,
)
from arsearch.pipeline.latin_align import Aligner, align

# Candidate lists as an index would give them: the right term among others sharing its
# skeleton or its first letters, each with a document frequency (about those of 20,000 news
# articles; a made-up distractor gets 1 or 2).
HAFTAR = [("حفتر", 38), ("حفار", 2), ("حافظ", 98), ("حفر", 54), ("الحفتري", 1), ("حفيتر", 1)]
MISRATA = [("مصراته", 3), ("مسرات", 3), ("مصر", 900), ("مسارات", 41), ("مصرات", 5), ("مسرته", 2)]
GADDAFI = [("القذافي", 100), ("قذافي", 1), ("الكذاب", 40), ("قداف", 1), ("القداح", 30), ("غداف", 2)]
ASSAD = [("الاسد", 529), ("اسد", 18), ("السد", 45), ("السيد", 163), ("الاسود", 60)]
BOUTEFLIKA = [("بوتفليقه", 200), ("بتفليقه", 1), ("تفليق", 2), ("بوتفلي", 1), ("فليقه", 3)]
OTHERS = [("بنغازي", 300), ("بنزين", 40), ("الدبيبه", 6), ("دبيبه", 2), ("دبابه", 30), ("السراج", 90), ("سراج", 20),
          ("السيسي", 400), ("السياسي", 3000), ("الشاذلي", 30), ("الشاذليه", 3), ("جربه", 30), ("جرب", 50),
          ("عزيز", 100), ("العزيز", 300), ("عزز", 200)]

# Each row: the Latin word, its candidates, the Arabic terms any of which must come first.
RANKING_CASES = [
    pytest.param("Haftar", HAFTAR, {"حفتر"}, id="haftar"),
    pytest.param("Hifter", HAFTAR, {"حفتر"}, id="hifter-other-vowels"),
    pytest.param("Misrata", MISRATA, {"مصراته"}, id="misrata-final-teh-marbuta-a"),
    pytest.param("Misurata", MISRATA, {"مصراته"}, id="misurata-extra-short-vowel"),
    pytest.param("Gaddafi", GADDAFI, {"القذافي", "قذافي"}, id="gaddafi-qaf-as-g-thal-as-d"),
    pytest.param("Kadhafi", GADDAFI, {"القذافي", "قذافي"}, id="kadhafi-french"),
    pytest.param("Qaddāfī", GADDAFI, {"القذافي", "قذافي"}, id="qaddafi-diacritics"),
    pytest.param("al-Assad", ASSAD, {"الاسد", "اسد"}, id="al-assad-article-apart"),
    pytest.param("Assad", [("صاد", 20), ("اسعد", 30), ("اسد", 18)], {"اسد", "اسعد"},
                 id="a-first-vowel-is-no-joined-article-of-a-term-without-one"),
    pytest.param("Bouteflika", BOUTEFLIKA, {"بوتفليقه"}, id="bouteflika-french-ou"),
    pytest.param("Benghazi", OTHERS, {"بنغازي"}, id="benghazi-gh"),
    pytest.param("Dbeibah", OTHERS, {"الدبيبه", "دبيبه"}, id="dbeibah"),
    pytest.param("Sarraj", OTHERS, {"السراج", "سراج"}, id="sarraj-shadda-twice"),
    pytest.param("el-Sisi", OTHERS, {"السيسي"}, id="el-sisi"),
    pytest.param("Chadli", OTHERS, {"الشاذلي"}, id="chadli-french-ch"),
    pytest.param("Djerba", OTHERS, {"جربه"}, id="djerba-french-dj"),
    pytest.param("Dbeibah", [("الدبيبه", 6), ("دبابه", 30)], {"الدبيبه"}, id="dbeibah-only-with-article"),
    pytest.param("Okba", [("عقبه", 88), ("وكبه", 13), ("وكبا", 3)], {"عقبه"}, id="first-vowel-is-no-waw"),
    pytest.param("Izzat", [("عزت", 30), ("يزات", 2)], {"عزت"}, id="first-vowel-is-no-yeh"),
    pytest.param("Yazid", [("يزيد", 40), ("ازيد", 2), ("عزيز", 100)], {"يزيد"}, id="first-yeh-as-y"),
    pytest.param("Wael", [("واءل", 30), ("اول", 200)], {"واءل"}, id="first-waw-as-w"),
    pytest.param("Ouda", [("عوده", 60), ("وضاء", 3), ("ودع", 20)], {"عوده"}, id="french-ou-before-a-consonant"),
    pytest.param("Oualid", [("وليد", 50), ("اوليد", 1)], {"وليد"}, id="french-ou-before-a-vowel"),
    pytest.param("Bin", [("بين", 5000), ("بن", 800), ("ابن", 300)], {"بن"}, id="particle-bin"),
    pytest.param("Ibn", [("بين", 5000), ("يبن", 2), ("ابن", 300), ("بن", 800)], {"ابن", "بن"}, id="particle-ibn"),
    pytest.param("Umm", [("ام", 900), ("امم", 300), ("عم", 200)], {"ام"}, id="particle-umm"),
    pytest.param("Abu", [("ابو", 900), ("ابي", 400), ("العبو", 2), ("ابوي", 3)], {"ابو", "ابي"}, id="particle-abu"),
    pytest.param("Riyadh", [("رياضه", 10), ("رياض", 10)], {"رياض"}, id="digraph-dh-ends-the-word"),
    pytest.param("Jumblatt", [("جنبلاط", 40), ("جبلاط", 1), ("جملات", 3)], {"جنبلاط"}, id="noon-before-beh-said-m"),
    pytest.param("Anbar", [("انبار", 30), ("عنبر", 20), ("امبار", 1)], {"انبار"}, id="noon-before-beh-written-n"),
    pytest.param("Salman", [("سلمان", 90), ("سالمان", 2)], {"سلمان"}, id="no-long-vowel-in-a-closed-syllable"),
    pytest.param("Mustafa", [("مصطفي", 200), ("موستافي", 2)], {"مصطفي"}, id="closed-before-a-cluster"),
    pytest.param("Raqqa", [("رقه", 40), ("راقا", 2)], {"رقه"}, id="closed-before-a-doubled-letter"),
    pytest.param("Nasser", [("ناصر", 90), ("نصر", 300)], {"ناصر"}, id="ss-is-one-s-between-vowels"),
]
# Known failures of the ranking alone: fixing one is noticed.
RANKING_FAILURES = [
    pytest.param(
        "al-Assad", [*ASSAD, ("الاساد", 1)], {"الاسد", "اسد"}, id="assad-against-a-rare-long-a-spelling",
        marks=pytest.mark.xfail(strict=True, reason="الاساد writes the Latin a with ا and aligns better; "
                                "frequency only breaks near-ties (more of it lowers Recall@1 on names_dev)"),
    ),
]


@pytest.mark.parametrize("word, candidates, expected", RANKING_CASES + RANKING_FAILURES)
def test_the_right_term_comes_first(word, candidates, expected):
    ranked = rank_candidates(word, candidates)
    assert ranked[0][0] in expected, ranked
    assert ranked[0][1] == 1.0
    assert all(0 < weight <= 1 for _, weight in ranked)


@pytest.mark.parametrize("word, candidates, expected", RANKING_CASES)
def test_the_right_term_shares_a_key(word, candidates, expected):
    assert any(latin_keys(word) & arabic_keys(term) for term in expected)


@pytest.mark.parametrize("word, candidates, expected", RANKING_CASES)
def test_the_right_term_aligns_better_than_a_distractor_of_its_letters(word, candidates, expected):
    best = min(alignment_cost(word, term) for term in expected)
    assert best < alignment_cost(word, "حسن")
    assert best < 0.3


def test_salah_prefers_the_emphatic_sad_at_equal_frequency():
    # "Salah": the a after s is the back vowel of ص (صلاح، صالح); سلاح (weapon) is silah.
    ranked = dict(rank_candidates("Salah", [("سلاح", 100), ("صالح", 100), ("صلاح", 100)]))
    assert min(ranked["صلاح"], ranked["صالح"]) > ranked["سلاح"]


def test_a_joined_article_aligns_with_a_term_the_index_writes_with_it():
    # the candidates are clitic-view terms, their article off: سبسي stands for السبسي
    pool = [("سبسي", 40), ("سيبث", 40)]
    assert scored_candidates("Essebsi", pool, articled=frozenset({"سبسي"}))[0][0] == "سبسي"
    never_with_article = dict(scored_candidates("Essebsi", pool))
    with_article = dict(scored_candidates("Essebsi", pool, articled=frozenset({"سبسي"})))
    assert with_article["سبسي"] < never_with_article["سبسي"]


def test_ss_is_more_often_one_s_than_an_article_joined():
    # Essam is عصام, although سام is written السام too (es-Sam)
    ranked = scored_candidates("Essam", [("عصام", 30), ("سام", 30)], articled=frozenset({"سام"}))
    assert ranked[0][0] == "عصام", ranked
    # a doubled letter other than s still reads as the article (Ezzine: الزين)
    assert scored_candidates("Ezzine", [("عزين", 30), ("زين", 30)], articled=frozenset({"زين"}))[0][0] == "زين"


def test_frequency_breaks_a_tie():
    ranked = rank_candidates("Hassan", [("حسن", 5000), ("هسن", 2)])
    assert [term for term, _ in ranked] == ["حسن", "هسن"]
    assert ranked[1][1] < 1.0


def test_limit_and_duplicates():
    ranked = rank_candidates("Haftar", HAFTAR + HAFTAR, limit=3)
    assert len(ranked) == 3
    assert len({term for term, _ in ranked}) == 3
    assert rank_candidates("Haftar", HAFTAR, limit=0) == []
    assert rank_candidates("Haftar", []) == []


# Each row: a Latin phrase, its words.
WORD_CASES = [
    pytest.param("Khalifa Haftar", ["khalifa", "haftar"], id="two-words"),
    pytest.param("Abd al-Aziz", ["abd", "al-aziz"], id="abd-article-apart"),
    pytest.param("Abdul Aziz", ["abd", "al-aziz"], id="abdul-as-abd-al"),
    pytest.param("Al Khadir", ["al-khadir"], id="article-word-joined-to-its-noun"),
    pytest.param("As Salt", ["as-salt"], id="sun-letter-article"),
    pytest.param("Ain Salah", ["ain", "salah"], id="ain-is-no-article"),
    pytest.param("Haftar 2019", [], id="digits-no-words"),
]


@pytest.mark.parametrize("text, expected", WORD_CASES)
def test_latin_words(text, expected):
    assert latin_words(text) == expected


# Each row: a joined Latin word, its two parts.
SPLIT_CASES = [
    pytest.param("Abdelaziz", ("abd", "al-aziz"), id="abdel"),
    pytest.param("Abdulaziz", ("abd", "al-aziz"), id="abdul"),
    pytest.param("Abuzeid", ("abu", "zeid"), id="abu"),
    pytest.param("Bennouar", ("ben", "nouar"), id="ben"),
    pytest.param("Nasrallah", ("nasr", "allah"), id="allah-ending"),
    pytest.param("Haftar", (), id="nothing-to-split"),
    pytest.param("Abdou", (), id="too-short-a-rest"),
]


@pytest.mark.parametrize("word, expected", SPLIT_CASES)
def test_split_joined(word, expected):
    assert split_joined(word) == expected


def test_abdelaziz_finds_both_arabic_words_when_split():
    first, second = split_joined("Abdelaziz")
    assert rank_candidates(first, [("عبد", 900), ("بعد", 5000), ("عبيد", 50)])[0][0] == "عبد"
    assert rank_candidates(second, OTHERS)[0][0] == "العزيز"


def test_keys_of_the_same_name_meet():
    assert latin_keys("Misrata") & arabic_keys(normalize("مصراتة"))
    assert latin_keys("Kadhafi") & latin_keys("Gaddafi") & arabic_keys(normalize("القذافي"))


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("Abderrahmaneelkhatibelmoghrabichaouch", id="long-latin"),
        pytest.param("Ghaththaththaththadhdhadhdhadh", id="ambiguous-digraphs"),
    ],
)
def test_keys_are_bounded(word):
    assert 0 < len(latin_keys(word)) <= MAX_KEYS


def test_arabic_keys_are_bounded():
    assert 0 < len(arabic_keys("الثذضظثذضظثذضظثذضظه")) <= MAX_KEYS


def test_a_huge_word_gives_nothing_and_no_error():
    huge = "ab" * 2500
    assert latin_keys(huge) == frozenset()
    assert alignment_cost(huge, "حفتر") == float("inf")
    assert rank_candidates(huge, HAFTAR) == []
    assert arabic_keys("ب" * 5000) == frozenset()


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("Haftar2", id="digit"),
        pytest.param("حفتر", id="arabic-script"),
        pytest.param("Haftarحفتر", id="mixed-scripts"),
        pytest.param("Хафтар", id="cyrillic"),
        pytest.param("", id="empty"),
        pytest.param("'-'", id="punctuation-only"),
    ],
)
def test_no_keys_for_what_is_no_latin_word(word):
    assert latin_keys(word) == frozenset()
    assert rank_candidates(word, HAFTAR) == []


@pytest.mark.parametrize("term", ["haftar", "حفتر2", "حفتر x", ""])
def test_no_keys_for_what_is_no_arabic_term(term):
    assert arabic_keys(term) == frozenset()


def test_diacritics_are_stripped():
    assert fold_latin("Qaddāfī") == "qaddafi"
    assert latin_keys("Qaddāfī") == latin_keys("Qaddafi")
    assert latin_keys("Ṣāliḥ") == latin_keys("Salih")


# Each row: a Latin exonym, one Arabic name GeoNames gives it.
EXONYM_CASES = [
    pytest.param("Tripoli", "طرابلس", id="tripoli"),
    pytest.param("Aleppo", "حلب", id="aleppo"),
    pytest.param("Damascus", "دمشق", id="damascus"),
    pytest.param("Cairo", "القاهره", id="cairo"),
    pytest.param("Algiers", "الجزاءر", id="algiers"),
]


@pytest.mark.parametrize("word, arabic", EXONYM_CASES)
def test_exonyms(word, arabic):
    assert arabic in latin_exonyms(word)
    assert rank_candidates(word, [("الحلو", 500), (arabic, 3)])[0][0] == arabic


def test_exonyms_need_the_table_only_where_sound_rules_fail():
    assert latin_exonyms("Haftar") == ()
    assert latin_exonyms("123") == ()
    assert rank_candidates("Aleppo", [("حلب", 3), ("البو", 50)], exonyms=False)[0][0] == "البو"


@given(st.text(max_size=60))
def test_any_text_is_safe(text):
    assert len(latin_keys(text)) <= MAX_KEYS
    assert len(arabic_keys(text)) <= MAX_KEYS
    assert alignment_cost(text, "حفتر") >= 0
    assert all(0 < weight <= 1 for _, weight in rank_candidates(text, HAFTAR))


_ARABIC_TERMS = st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويء", min_size=1, max_size=8)


@given(st.sampled_from(["haftar", "misurata", "gaddafi", "abdelaziz", "ou", "bouteflika"]),
       st.lists(st.tuples(_ARABIC_TERMS, st.floats(0.0, 5.0) | st.just(float("inf"))), min_size=1, max_size=12))
def test_an_aligner_kept_from_term_to_term_gives_each_term_its_own_cost(latin, terms):
    # the rows kept from the term before (its first letters) and the ceilings of the terms
    # before change nothing: each cost is the term's own; above its ceiling, it may be inf
    kept = Aligner(latin)
    for term, ceiling in sorted(terms):
        alone = align(latin, term)
        found = kept.cost(term, ceiling)
        assert found == alone or (alone > ceiling and found == float("inf")), (term, ceiling, found, alone)


@given(st.sampled_from(["haftar", "al-assad", "lamine", "alwaleed", "misurata", "abdelaziz", "ou", "salah"]),
       st.lists(st.tuples(_ARABIC_TERMS | st.builds(lambda t: "ال" + t, _ARABIC_TERMS), st.integers(0, 5000)),
                min_size=1, max_size=30),
       st.integers(1, 8), st.sampled_from([0.0, 0.05, 0.3]))
def test_the_candidates_ranked_are_those_every_alignment_ranks(latin, candidates, limit, min_weight):
    # the ranking cuts alignments short under the scores found so far and takes a short way
    # for most terms: the same candidates, in the same order, as aligning every one in full
    from arsearch.pipeline.latin import WEIGHT_SCALE, _bonus, scored_candidates

    costs = {}
    for term, df in candidates:
        if term not in costs:
            costs[term] = alignment_cost(latin, term) - _bonus(df)
    full = sorted(((t, c) for t, c in costs.items() if c != float("inf")), key=lambda item: (item[1], item[0]))[:limit]
    reach = WEIGHT_SCALE * math.log(1 / min_weight) if min_weight else float("inf")
    full = [(t, c) for t, c in full if c <= full[0][1] + reach]
    got = scored_candidates(latin, candidates, limit, exonyms=False, min_weight=min_weight)
    assert [t for t, _ in got] == [t for t, _ in full]
    assert [c for _, c in got] == pytest.approx([c for _, c in full])


@given(_ARABIC_TERMS)
def test_a_terms_letter_plans_are_each_letter_in_its_place(term):
    # a letter whose options do not depend on its place is planned once for every place
    from arsearch.pipeline.latin_align import _letter_plan, _plan

    last = len(term) - 1
    placed = tuple(_letter_plan(ch, term[i - 1] if i else "", i == 0, i == last, term[i + 1] if i < last else "")
                   for i, ch in enumerate(term))
    assert _plan(term) == placed


@pytest.mark.parametrize("latin, better, worse", [
    ("Sha'ban", "شعبان", "شابان"),  # the apostrophe is the ع, not a letter nobody wrote
    ("Ja'far", "جعفر", "جافر"),
    ("Sa'id", "سعيد", "سايد"),
])
def test_an_apostrophe_aligns_with_the_ain_or_hamza_it_writes(latin, better, worse):
    assert alignment_cost(latin, better) < alignment_cost(latin, worse)
    assert rank_candidates(latin, [(worse, 10), (better, 10)])[0][0] == better


def test_an_english_plural_is_read_as_its_nisba():
    # Houthis: the Houthi, and an English s; a name ending in is still aligns whole
    assert rank_candidates("Houthis", [("الحوثي", 40), ("الحثيث", 5)])[0][0] == "الحوثي"
    assert rank_candidates("Idris", [("ادريس", 40), ("ادري", 40)])[0][0] == "ادريس"
    assert rank_candidates("Younis", [("يونس", 40), ("يوني", 40)])[0][0] == "يونس"

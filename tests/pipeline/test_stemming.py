"""arsearch.stem and the light stemmer: one row per clitic, suffix, guard and name."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arsearch import normalize, stem
from arsearch.pipeline.stemming import STEMMERS, light_stem, protected_words, stopwords, strip_proclitics

# Every proclitic and combination on one noun: (word, reason)
PROCLITICS = [
    pytest.param("مجلس", "no clitic", id="bare"),
    pytest.param("المجلس", "article ال", id="al"),
    pytest.param("والمجلس", "و + ال", id="wa-al"),
    pytest.param("فالمجلس", "ف + ال: before the article ف can only be the conjunction", id="fa-al"),
    pytest.param("بالمجلس", "ب + ال", id="bi-al"),
    pytest.param("كالمجلس", "ك + ال", id="ka-al"),
    pytest.param("للمجلس", "لل = ل + ال with the alef dropped", id="lil"),
    pytest.param("وللمجلس", "و + لل", id="wa-lil"),
    pytest.param("فللمجلس", "ف + لل", id="fa-lil"),
    pytest.param("وبالمجلس", "و + ب + ال", id="wa-bi-al"),
    pytest.param("وكالمجلس", "و + ك + ال", id="wa-ka-al"),
    pytest.param("فبالمجلس", "ف + ب + ال", id="fa-bi-al"),
    pytest.param("فكالمجلس", "ف + ك + ال", id="fa-ka-al"),
    pytest.param("ومجلس", "conjunction و before a bare noun", id="wa"),
    pytest.param("بمجلس", "preposition ب before a bare noun", id="bi"),
    pytest.param("كمجلس", "preposition ك before a bare noun", id="ka"),
    pytest.param("لمجلس", "preposition ل before a bare noun", id="li"),
    pytest.param("وبمجلس", "و + ب", id="wa-bi"),
    pytest.param("وكمجلس", "و + ك", id="wa-ka"),
    pytest.param("ولمجلس", "و + ل", id="wa-li"),
]


@pytest.mark.parametrize("word, reason", PROCLITICS)
def test_every_proclitic_comes_off(word: str, reason: str) -> None:
    assert stem(word) == "مجلس", reason
    assert strip_proclitics(normalize(word)) == "مجلس", reason


# (word, stem, reason)
SUFFIXES = [
    pytest.param("قلمها", "قلم", "pronoun ها", id="ha"),
    pytest.param("قلمهم", "قلم", "pronoun هم", id="hum"),
    pytest.param("قلمهن", "قلم", "pronoun هن", id="hunna"),
    pytest.param("قلمهما", "قلم", "pronoun هما", id="huma"),
    pytest.param("قلمكم", "قلم", "pronoun كم", id="kum"),
    pytest.param("قلمكن", "قلم", "pronoun كن", id="kunna"),
    pytest.param("قلمكما", "قلم", "pronoun كما", id="kuma"),
    pytest.param("قلمنا", "قلم", "pronoun نا", id="na"),
    pytest.param("قلمه", "قلم", "pronoun ه", id="hu"),
    pytest.param("معلمات", "معلم", "feminine plural ات", id="at"),
    pytest.param("معلمان", "معلم", "dual ان", id="an"),
    pytest.param("معلمون", "معلم", "masculine plural ون", id="un"),
    pytest.param("معلمين", "معلم", "masculine plural or dual, oblique, ين", id="in"),
    pytest.param("معلمتان", "معلم", "feminine dual تان", id="tan"),
    pytest.param("معلمتين", "معلم", "feminine dual, oblique, تين", id="tayn"),
    pytest.param("حكومة", "حكوم", "teh marbuta (ه once normalized)", id="teh-marbuta"),
    pytest.param("حكومته", "حكوم", "ة is written ت before a pronoun", id="teh-before-pronoun"),
    pytest.param("حكوماتهم", "حكوم", "a pronoun, then the plural", id="pronoun-then-plural"),
    pytest.param("سياسية", "سياسي", "nisba ية keeps its ي: a derived word", id="nisba-iyya"),
    pytest.param("سياسيون", "سياسي", "nisba plural يون", id="nisba-iyyun"),
    pytest.param("سياسيين", "سياسي", "nisba plural يين", id="nisba-iyyin"),
    pytest.param("سياسيات", "سياسي", "nisba feminine plural يات", id="nisba-iyyat"),
    pytest.param("سياسي", "سياسي", "a final ي stays (nisba more often than 'my')", id="final-yeh-stays"),
    pytest.param("حصلوا", "حصل", "verb ending وا", id="verb-uu"),
    pytest.param("حصلت", "حصل", "verb ending ت", id="verb-t"),
    pytest.param("حصلتا", "حصل", "verb ending تا", id="verb-ta"),
    pytest.param("رجلا", "رجل", "accusative tanween alef", id="accusative-alef"),
]


@pytest.mark.parametrize("word, expected, reason", SUFFIXES)
def test_suffix_rule(word: str, expected: str, reason: str) -> None:
    assert stem(word) == expected, reason


# Guards: (word, stem, reason)
GUARDS = [
    pytest.param("ولد", "ولد", "و needs 3 letters after it: ولد is a word, not و+لد", id="waw-guard"),
    pytest.param("وطن", "وطن", "و needs 3 letters after it", id="waw-guard-watan"),
    pytest.param("بيت", "بيت", "ب needs 3 letters after it", id="prep-guard"),
    pytest.param("كلب", "كلب", "ك needs 3 letters after it", id="prep-guard-ka"),
    pytest.param("فيلم", "فيلم", "ف before a bare noun stays: فيلم, فريق begin with ف", id="fa-bare-stays"),
    pytest.param("فريق", "فريق", "ف before a bare noun stays", id="fa-bare-stays-fariq"),
    pytest.param("الفيلم", "فيلم", "...so فيلم and الفيلم meet", id="fa-with-article"),
    pytest.param("اله", "اله", "ال needs 2 letters after it", id="article-guard"),
    pytest.param("الحب", "حب", "ال before 2 letters comes off", id="article-two-letters"),
    pytest.param("سنة", "سنه", "a suffix goes only if 3 letters stay", id="stem-guard"),
    pytest.param("موت", "موت", "a final ت stays on a 3-letter word", id="stem-guard-t"),
    pytest.param("قوة", "قوه", "teh marbuta stays on a 3-letter word", id="stem-guard-teh"),
    pytest.param("بقوة", "قوه", "...and ب+قوة meets قوة", id="prep-then-stem-guard"),
]


@pytest.mark.parametrize("word, expected, reason", GUARDS)
def test_guard(word: str, expected: str, reason: str) -> None:
    assert stem(word) == expected, reason


# Known over-stemming of the first reading, kept because measurement chose the rule (see
# benchmarks/stemming.py): a bare ب ك ل before 3 letters is a preposition more often than
# not (بسبب, لعدد, بمصر). The letter-kept reading is indexed and searched too
# (tests/query/test_readings.py: كتاب finds الكتاب), so search does not lose these words.
KNOWN_FAILURES = [
    pytest.param("بيته", "بيت", id="baytuhu",
                 marks=pytest.mark.xfail(strict=True, reason="ب+يته: the guard sees 3 letters before the pronoun comes off")),
    pytest.param("كتبوا", "كتب", id="katabu",
                 marks=pytest.mark.xfail(strict=True, reason="ك+تبوا: verbs beginning with ب ك ل lose their first letter")),
]


@pytest.mark.parametrize("word, expected", KNOWN_FAILURES)
def test_known_over_stemming(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize("word, expected", [("كتاب", "كتاب"), ("بيته", "بيت"), ("كتبوا", "كتب")])
def test_the_right_stem_is_among_the_readings(word: str, expected: str) -> None:
    from arsearch.pipeline.stemming import light_readings

    assert expected in light_readings(normalize(word), protected_words())[1]


NAMES = [
    pytest.param(name, id=name)
    for name in ["وليد", "فلسطين", "فرنسا", "بنغازي", "مصراتة", "واشنطن", "بريطانيا", "وفاء", "فيصل", "كندا", "لبنان"]
]


@pytest.mark.parametrize("name", NAMES)
def test_protected_name_stays_recognizable(name: str) -> None:
    # Names begin with letters that can be clitics and end with ones that can be suffixes.
    assert stem(name) == normalize(name)


@pytest.mark.parametrize("clitic", ["و", "ب", "ل", "وب", "ول"])
@pytest.mark.parametrize("name", ["فلسطين", "فرنسا", "بنغازي", "مصراتة", "واشنطن", "بريطانيا"])
def test_protected_name_loses_its_clitics_only(name: str, clitic: str) -> None:
    assert stem(clitic + name) == normalize(name)


@pytest.mark.parametrize(
    "family, reason",
    [
        pytest.param(["حفتر", "وحفتر", "لحفتر", "بحفتر"], "a name not on the list is still found behind و ل ب", id="haftar"),
        pytest.param(["الحكومة", "حكومة", "والحكومات", "للحكومة", "حكومتها"], "one noun, its article and plural", id="hukuma"),
        pytest.param(["مسؤول", "مسئول", "المسؤولين", "والمسئولون"], "both hamza spellings and the plural", id="masul"),
        pytest.param(["مُحَمَّدٌ", "محمد", "ومحمد"], "vocalized and plain", id="muhammad"),
    ],
)
def test_family_shares_one_stem(family: list[str], reason: str) -> None:
    assert len({stem(w) for w in family}) == 1, f"{reason}: {[(w, stem(w)) for w in family]}"


def test_user_protected_names_extend_the_list() -> None:
    assert stem("بوتفليقة") != normalize("بوتفليقة")
    assert stem("بوتفليقة", protected=frozenset({"بوتفليقة"})) == "بوتفليقه"
    assert stem("وبوتفليقة", protected=frozenset({"بوتفليقة"})) == "بوتفليقه"


def test_data_files_are_normalized_at_load() -> None:
    assert "فلسطين" in protected_words()
    assert "مصراته" in protected_words()  # written مصراتة in the file
    assert "الي" in stopwords() and "إلى" not in stopwords()  # إلى normalized


@pytest.mark.parametrize(
    "stemmer, word, expected",
    [
        pytest.param("none", "الحكومة", "الحكومه", id="none-is-normalize"),
        pytest.param("light", "الحكومة", "حكوم", id="light"),
    ],
)
def test_stemmer_choice(stemmer: str, word: str, expected: str) -> None:
    assert stem(word, stemmer) == expected


@pytest.mark.parametrize(
    "word, expected, reason",
    [
        pytest.param("والحكومات", "حكوم", "و, ال and the plural ات come off", id="wa-al-plural"),
        pytest.param("بالمدرسة", "مدرسه", "ب and ال come off; the teh marbuta stays, normalized to ه", id="bi-al"),
        pytest.param("يلعبون", "لعب", "the verb's ي and ون come off", id="verb"),
    ],
)
def test_tashaphyne_stemmer_gives_a_light_stem(word: str, expected: str, reason: str) -> None:
    assert stem(word, "tashaphyne") == expected, reason


def test_unknown_stemmer_is_a_value_error_listing_the_choices() -> None:
    with pytest.raises(ValueError, match="stemmer must be one of"):
        stem("كلمة", "porter")


@pytest.mark.parametrize("bad", [pytest.param(b"x", id="bytes"), pytest.param(None, id="none"), pytest.param(7, id="int")])
def test_non_str_is_a_type_error(bad) -> None:
    with pytest.raises(TypeError, match="expects str"):
        stem(bad)


# Determinism across processes ------------------------------------------------------

WORDS = (
    "والحكومات بالمدرسة للمسؤولين فالتقى وسيكتبونها مستشفيات الاقتصادية وبريطانيا "
    "استراتيجيات والمعلمتين بحفتر كتابهما المتحدة يستخدمون الإسرائيليين لعملياتهم"
).split()


def _stems_in_subprocess(seed: str) -> dict[str, list[str]]:
    code = (
        "import json, sys; from arsearch import stem; "
        "words = sys.argv[1:]; "
        "print(json.dumps({s: [stem(w, s) for w in words] for s in ('light', 'tashaphyne')}))"
    )
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-c", code, *WORDS], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_stems_are_the_same_in_every_process() -> None:
    # Under other hash seeds (tashaphyne's get_root is not stable; its light stem is).
    here = {s: [stem(w, s) for w in WORDS] for s in ("light", "tashaphyne")}
    for seed in ("1", "2", "12345"):
        assert _stems_in_subprocess(seed) == here, f"PYTHONHASHSEED={seed}"


# Properties -----------------------------------------------------------------------

@given(st.text(max_size=30), st.sampled_from(STEMMERS))
def test_stem_never_raises_and_returns_str(word: str, stemmer: str) -> None:
    assert isinstance(stem(word, stemmer), str)


@given(st.text(max_size=30))
def test_stem_normalizes_first(word: str) -> None:
    assert stem(word) == stem(normalize(word))


ARABIC_WORD = st.text(alphabet=st.sampled_from(list("ابتثجحدرسشصعفقكلمنهويءة")), min_size=1, max_size=12)


@given(ARABIC_WORD)
def test_light_stem_is_a_piece_of_the_word(word: str) -> None:
    word = normalize(word)
    assert light_stem(word) in word
    assert word.endswith(strip_proclitics(word))

"""arsearch.normalize: one row per rule of its docstring, then properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arsearch.pipeline.normalization import HAMZA_SEAT_POLICIES, normalize

# (input, expected, reason)
RULES = [
    # alef forms
    pytest.param("آمن", "امن", "alef with madda above is a bare alef", id="alef-madda"),
    pytest.param("أحمد", "احمد", "alef with hamza above is a bare alef", id="alef-hamza-above"),
    pytest.param("إسلام", "اسلام", "alef with hamza below is a bare alef", id="alef-hamza-below"),
    pytest.param("ٱلكتاب", "الكتاب", "alef wasla is a bare alef", id="alef-wasla"),
    pytest.param("ا\u0654مل", "امل", "alef + combining hamza is composed to أ, then folded", id="combining-hamza-on-alef"),
    # letters at the end of words
    pytest.param("مستشفى", "مستشفي", "alef maksura is yeh", id="alef-maksura"),
    pytest.param("مدرسة", "مدرسه", "teh marbuta is heh", id="teh-marbuta"),
    # hamza seats (default policy "hamza")
    pytest.param("مسؤول", "مسءول", "waw with hamza is a hamza (default policy)", id="waw-hamza"),
    pytest.param("مسئول", "مسءول", "yeh with hamza is a hamza: مسؤول and مسئول meet", id="yeh-hamza"),
    pytest.param("شيء", "شيء", "a hamza on the line stays", id="hamza-on-line"),
    pytest.param("بـ\u0654س", "بءس", "a combining hamza above on no seat (on tatweel) is a hamza", id="combining-hamza-above"),
    # tatweel and marks
    pytest.param("جمـــيل", "جميل", "tatweel is removed", id="tatweel"),
    pytest.param("كَتَبَ", "كتب", "fatha is removed", id="fatha"),
    pytest.param("كُتُب", "كتب", "damma is removed", id="damma"),
    pytest.param("كِتاب", "كتاب", "kasra is removed", id="kasra"),
    pytest.param("كتابٌ", "كتاب", "tanween damm is removed", id="dammatan"),
    pytest.param("كتابٍ", "كتاب", "tanween kasr is removed", id="kasratan"),
    pytest.param("كتاباً", "كتابا", "tanween fath is removed, its alef stays", id="fathatan"),
    pytest.param("مدرّس", "مدرس", "shadda is removed", id="shadda"),
    pytest.param("قُلْ", "قل", "sukun is removed", id="sukun"),
    pytest.param("مُحَمَّدٌ", "محمد", "full tashkeel is removed", id="full-tashkeel"),
    pytest.param("صلى الله عليه وسلم\u0610", "صلي الله عليه وسلم", "Quranic honorific signs are removed", id="sign-sallallahou"),
    pytest.param("فيه\u06db", "فيه", "Quranic pause marks (U+06D6..U+06ED) are removed", id="quranic-pause-mark"),
    pytest.param("له\u06e5", "له", "a small waw after a pronoun only lengthens the vowel", id="small-waw"),
    pytest.param("به\u06e6", "به", "a small yeh after a pronoun only lengthens the vowel", id="small-yeh-silent"),
    # Uthmani spelling
    pytest.param("ٱلْكِتَٰبُ", "الكتاب", "the dagger alef is a written alef today", id="dagger-alef"),
    pytest.param("هَٰذَا", "هذا", "the dagger alef of هٰذا is silent in modern spelling", id="dagger-silent-hadha"),
    pytest.param("ذَٰلِكَ", "ذلك", "the dagger alef of ذٰلك is silent", id="dagger-silent-dhalika"),
    pytest.param("لَٰكِنَّ", "لكن", "the dagger alef of لٰكن is silent", id="dagger-silent-lakin"),
    pytest.param("إِلَٰهَ", "اله", "the dagger alef of إلٰه is silent", id="dagger-silent-ilah"),
    pytest.param("ٱلرَّحْمَٰنِ", "الرحمن", "the dagger alef of الرحمٰن is silent", id="dagger-silent-rahman"),
    pytest.param("عَلَىٰ", "علي", "a dagger alef over alef maksura adds nothing", id="dagger-after-maksura"),
    pytest.param("ٱلصَّلَوٰةَ", "الصلاه", "waw carrying a dagger alef is alef (الصلاة)", id="waw-dagger"),
    pytest.param("هٰكذا", "هكذا", "the dagger alef of هٰكذا is silent", id="dagger-silent-hakadha"),
    pytest.param("أهٰذا", "اهذا", "...and of هٰذا after the question's أ (أهذا)", id="dagger-silent-a-hadha"),
    # a tatweel carrying the dagger alef is only its seat
    pytest.param("هـٰذا", "هذا", "the silent dagger alef of هٰذا, on a tatweel", id="tatweel-dagger-hadha"),
    pytest.param("ذـٰلك", "ذلك", "the silent dagger alef of ذٰلك, on a tatweel", id="tatweel-dagger-dhalika"),
    pytest.param("أهـٰكذا", "اهكذا", "the silent dagger alef of أهٰكذا, on a tatweel", id="tatweel-dagger-a-hakadha"),
    pytest.param("أهـٰذا", "اهذا", "the silent dagger alef of أهٰذا, on a tatweel", id="tatweel-dagger-a-hadha"),
    pytest.param("أَهَـٰكَذَا", "اهكذا", "...vocalized, harakat between the letters and the tatweel", id="tatweel-dagger-a-hakadha-vocalized"),
    pytest.param("ٱلْعَـٰلَمِينَ", "العالمين", "a dagger alef on a tatweel that is a written alef (العالمين) stays one",
                 id="tatweel-dagger-alef"),
    pytest.param("ٱلسَّمَـٰوَٰتِ", "السماوات", "...each of two (السماوات)", id="tatweel-dagger-alef-twice"),
    pytest.param("ٱلرَّحْمَـٰنِ", "الرحمن", "the silent dagger alef of الرحمٰن, on a tatweel", id="tatweel-dagger-rahman"),
    pytest.param("ٱلْقُرْءَانُ", "القران", "hamza + alef in a Quranic word is the madda alef (القرآن)", id="uthmani-hamza-alef"),
    pytest.param("ءَامَنُوا۟", "امنوا", "a word-initial hamza + alef is the madda alef (آمنوا)", id="initial-hamza-alef"),
    pytest.param("وَءَاتُوا۟", "واتوا", "...also after a proclitic (وآتوا)", id="initial-hamza-alef-after-waw"),
    pytest.param("قراءات", "قراءات", "a modern hamza + alef inside a word stays", id="medial-hamza-alef-stays"),
    pytest.param("جزءا", "جزءا", "a final hamza + alef (accusative) stays", id="final-hamza-alef-stays"),
    pytest.param("ءَامَنُوا", "امنوا", "a vocalized word-initial hamza + alef is the madda alef without a Quranic sign",
                 id="initial-hamza-alef-vocalized"),
    pytest.param("بـٔايات", "بايات", "...and so is a hamza on a tatweel before alef (بآيات)", id="initial-tatweel-hamza-alef"),
    pytest.param("فئات", "فءات", "ئا folds to ءا, and its ف is the word's own: no madda (فئات, الفئات are one word)",
                 id="yeh-hamza-alef-after-feh-stays"),
    pytest.param("فؤاد", "فءاد", "...nor after ؤ (فؤاد is not فاد)", id="waw-hamza-alef-after-feh-stays"),
    pytest.param("وئام", "وءام", "...nor when the first letter is و (وئام)", id="yeh-hamza-alef-after-waw-stays"),
    pytest.param("ئاستانا", "استانا", "a ئا that begins the word is its alef (Kurdish and Uyghur spelling)",
                 id="word-initial-yeh-hamza-alef"),
    pytest.param("إِبْرَٰهِـۧمَ", "ابراهيم", "the small high yeh is a written yeh today (إبراهيم)", id="small-high-yeh"),
    pytest.param("يُحْىِۦ", "يحيي", "a small yeh after yeh is a written yeh (يحيي)", id="small-yeh-after-yeh"),
    # Persian and Urdu letters
    pytest.param("کتاب", "كتاب", "keheh is kaf", id="keheh"),
    pytest.param("ڪتاب", "كتاب", "swash kaf is kaf", id="swash-kaf"),
    pytest.param("علی", "علي", "farsi yeh is yeh", id="farsi-yeh"),
    pytest.param("ے", "ي", "yeh barree is yeh", id="yeh-barree"),
    pytest.param("ھذا", "هذا", "heh doachashmee is heh", id="heh-doachashmee"),
    pytest.param("ہ", "ه", "heh goal is heh", id="heh-goal"),
    pytest.param("ە", "ه", "ae is heh", id="ae"),
    pytest.param("ۀ", "ه", "heh with yeh above is heh", id="heh-yeh-above"),
    pytest.param("ې", "ي", "e (U+06D0) is yeh", id="e"),
    pytest.param("ۓ", "ي", "yeh barree with hamza is yeh", id="yeh-barree-hamza"),
    pytest.param("ۃ", "ه", "teh marbuta goal is heh, like teh marbuta", id="teh-marbuta-goal"),
    pytest.param("ۆ", "و", "oe is waw", id="oe"),
    pytest.param("ۅ", "و", "kirghiz oe is waw", id="kirghiz-oe"),
    pytest.param("ۇ", "و", "u is waw", id="u"),
    pytest.param("ۈ", "و", "yu is waw", id="yu"),
    pytest.param("ۏ", "و", "waw with dot above is waw", id="waw-dot-above"),
    pytest.param("ۋ", "و", "ve is waw", id="ve"),
    # digits
    pytest.param("٢٠٢٤", "2024", "Arabic-Indic digits are ASCII digits", id="arabic-indic-digits"),
    pytest.param("۱۴۰۳", "1403", "Extended Arabic-Indic digits are ASCII digits", id="extended-digits"),
    # presentation forms and ligatures
    pytest.param("\ufe8d\ufedf\ufed8\ufeae\ufe8e\ufee5", "القران", "presentation forms (U+FE70..U+FEFF) are unfolded",
                 id="presentation-forms-b"),
    pytest.param("\ufefb", "لا", "the lam-alef ligature is two letters", id="lam-alef-ligature"),
    pytest.param("\ufef7", "لا", "lam-alef with hamza is lam + alef", id="lam-alef-hamza-ligature"),
    pytest.param("\ufdf2", "الله", "the Allah ligature (U+FDF2) is four letters", id="allah-ligature"),
    pytest.param("\ufb8e", "ك", "a presentation form of keheh (U+FB50..U+FDFF) is kaf", id="presentation-forms-a"),
    # invisible controls
    pytest.param("سلا\u200bم", "سلام", "zero-width space is removed", id="zwsp"),
    pytest.param("سلا\u200cم", "سلام", "zero-width non-joiner is removed", id="zwnj"),
    pytest.param("سلا\u200dم", "سلام", "zero-width joiner is removed", id="zwj"),
    pytest.param("\u200eسلام\u200f", "سلام", "LRM and RLM are removed", id="lrm-rlm"),
    pytest.param("\u202bسلام\u202c", "سلام", "bidi embeddings are removed", id="bidi-embedding"),
    pytest.param("\u2067سلام\u2069", "سلام", "bidi isolates are removed", id="bidi-isolate"),
    pytest.param("\u061cسلام", "سلام", "the Arabic letter mark is removed", id="arabic-letter-mark"),
    pytest.param("\ufeffسلام", "سلام", "a BOM is removed", id="bom"),
    # other scripts
    pytest.param("BBC", "bbc", "Latin is lowercased", id="latin-lower"),
    pytest.param("Straße", "strasse", "Latin is casefolded, not only lowercased", id="latin-casefold"),
    pytest.param("ｉＰｈｏｎｅ", "iphone", "fullwidth Latin is unfolded", id="fullwidth"),
    pytest.param("", "", "empty text stays empty", id="empty"),
    pytest.param("مرحبا، world ٣!", "مرحبا، world 3!", "punctuation and spaces are kept", id="punctuation-kept"),
]


@pytest.mark.parametrize("text, expected, reason", RULES)
def test_normalize_rule(text: str, expected: str, reason: str) -> None:
    assert normalize(text) == expected, reason


# (input, policy, expected, reason)
HAMZA_SEATS = [
    pytest.param("مسؤول", "hamza", "مسءول", "the default writes every seat as ء", id="hamza-waw"),
    pytest.param("رئيس", "hamza", "رءيس", "the default writes every seat as ء", id="hamza-yeh"),
    pytest.param("مسؤول", "keep", "مسؤول", "keep leaves the seat (Lucene's choice)", id="keep-waw"),
    pytest.param("رئيس", "keep", "رئيس", "keep leaves the seat", id="keep-yeh"),
    pytest.param("مسؤول", "letter", "مسوول", "letter writes the seat's letter", id="letter-waw"),
    pytest.param("رئيس", "letter", "رييس", "letter writes the seat's letter", id="letter-yeh"),
    pytest.param("أداؤه", "hamza", "اداءه", "case endings move the seat: أداؤه أداءه أدائه meet", id="hamza-case-nom"),
    pytest.param("أدائه", "hamza", "اداءه", "case endings move the seat: أداؤه أداءه أدائه meet", id="hamza-case-gen"),
]


@pytest.mark.parametrize("text, policy, expected, reason", HAMZA_SEATS)
def test_hamza_seat_policy(text: str, policy: str, expected: str, reason: str) -> None:
    assert normalize(text, hamza_seats=policy) == expected, reason


def test_unknown_hamza_policy_is_a_value_error_listing_the_choices() -> None:
    with pytest.raises(ValueError, match="hamza_seats must be one of"):
        normalize("سؤال", hamza_seats="drop")


@pytest.mark.parametrize(
    "bad",
    [pytest.param(b"\xd9\x82", id="bytes"), pytest.param(None, id="none"), pytest.param(["x"], id="list")],
)
def test_non_str_is_a_type_error_saying_what_was_expected(bad) -> None:
    with pytest.raises(TypeError, match="expects str"):
        normalize(bad)


# Properties ----------------------------------------------------------------------

ARABIC_SOUP = st.text(
    alphabet=st.sampled_from(
        list("ءاأإآٱؤئيىوفبكلتهةمنرـ ")
        + ["\u064b", "\u064e", "\u0651", "\u0652", "\u0654", "\u0655", "\u0670", "\u06df", "\u06e5", "\u06e6", "\u06e7"]
        + ["\ufefb", "\u200c", "\u200f", "ک", "ی", "٣", "A", "ǰ"]
    ),
    max_size=40,
)


@given(st.text(), st.sampled_from(HAMZA_SEAT_POLICIES))
def test_normalize_is_idempotent_on_any_unicode(text: str, policy: str) -> None:
    once = normalize(text, hamza_seats=policy)
    assert isinstance(once, str)
    assert normalize(once, hamza_seats=policy) == once


@settings(max_examples=500)
@given(ARABIC_SOUP, st.sampled_from(HAMZA_SEAT_POLICIES))
def test_normalize_is_idempotent_on_arabic_letters_and_marks(text: str, policy: str) -> None:
    once = normalize(text, hamza_seats=policy)
    assert normalize(once, hamza_seats=policy) == once


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=50) | st.text(max_size=50))
def test_no_marks_tatweel_or_controls_survive(text: str) -> None:
    out = normalize(text)
    for ch in "\u064b\u064e\u064f\u0650\u0651\u0652\u0670\u0640\u200b\u200c\u200d\u200e\u200f\u061c\ufeff":
        assert ch not in out
    for ch in "آأإٱىة":
        assert ch not in out

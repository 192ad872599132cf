"""arsearch.tokenize: words with offsets into the original text, one row per rule."""

from __future__ import annotations

import pytest
from helpers import assert_tokens
from hypothesis import given
from hypothesis import strategies as st

from arsearch.pipeline.tokenizer import MAX_TOKEN_CHARS, iter_tokens, tokenize

RULES = [
    pytest.param("قال الوزير", [("قال", 0, 3, 0), ("الوزير", 4, 10, 1)], "Arabic words are runs of letters between spaces", id="spaces-separate"),
    pytest.param("مُحَمَّدٌ رَسُولُ", [("مُحَمَّدٌ", 0, 9, 0), ("رَسُولُ", 10, 17, 1)], "harakat and shadda are part of the word, not separators (Whoosh's stock tokenizer splits here)", id="harakat-stay-inside"),
    pytest.param("ٱلْكِتَٰبُ", [("ٱلْكِتَٰبُ", 0, 10, 0)], "alef wasla, sukun and the dagger alef belong to the word", id="quranic-marks-stay-inside"),
    pytest.param("جمـــيل", [("جمـــيل", 0, 7, 0)], "tatweel stretches a word, it does not split it", id="tatweel-stays-inside"),
    pytest.param("هـٰذا أهـٰكذا", [("هـٰذا", 0, 5, 0), ("أهـٰكذا", 6, 13, 1)],
                 "a tatweel carrying a dagger alef belongs to the word, with its mark", id="tatweel-dagger-alef-inside"),
    pytest.param("نعم، لا؛ لماذا؟", [("نعم", 0, 3, 0), ("لا", 5, 7, 1), ("لماذا", 9, 14, 2)], "، ؛ ؟ separate words", id="arabic-punctuation"),
    pytest.param("«الحرية»", [("الحرية", 1, 7, 0)], "« » separate words", id="guillemets"),
    pytest.param("زار Paris في 2020", [("زار", 0, 3, 0), ("Paris", 4, 9, 1), ("في", 10, 12, 2), ("2020", 13, 17, 3)], "Latin words and numbers are tokens of their own", id="mixed-arabic-latin-digits"),
    pytest.param("نسبة ٣٫٥ و 3.5 و ١٬٠٠٠", [("نسبة", 0, 4, 0), ("٣٫٥", 5, 8, 1), ("و", 9, 10, 2), ("3.5", 11, 14, 3),
                                           ("و", 15, 16, 4), ("١٬٠٠٠", 17, 22, 5)], "a decimal point or separator between digits keeps one number", id="decimal-numbers"),
    pytest.param("نهاية. بداية", [("نهاية", 0, 5, 0), ("بداية", 7, 12, 1)], "a full stop not between digits separates", id="full-stop-separates"),
    pytest.param("شمال-غرب", [("شمال", 0, 4, 0), ("غرب", 5, 8, 1)], "a hyphen joins no Arabic word", id="hyphen-separates"),
    pytest.param("مي\u200cخواهم", [("مي\u200cخواهم", 0, 8, 0)], "a zero-width non-joiner inside a word does not split it", id="zwnj-inside-word"),
    pytest.param("سلام\u200fعليكم", [("سلام\u200fعليكم", 0, 10, 0)], "a bidi mark pasted inside a word does not split it (normalize removes it)", id="bidi-mark-inside-word"),
    pytest.param("\u200fسلام", [("سلام", 1, 5, 0)], "a leading bidi mark is not part of the word", id="bidi-mark-before-word"),
    pytest.param("حب❤️سلام 🙂", [("حب", 0, 2, 0), ("سلام", 4, 8, 1)], "symbols separate words and are not tokens", id="emoji-separates"),
    pytest.param("", [], "empty text has no tokens", id="empty"),
    pytest.param(" \t\n،؛ ", [], "spaces and punctuation alone have no tokens", id="only-separators"),
]


@pytest.mark.parametrize("text, expected, reason", RULES)
def test_tokenize_rule(text: str, expected, reason: str) -> None:
    assert_tokens(text, expected, reason)


def test_token_of_exactly_the_cap_is_kept() -> None:
    word = "ب" * MAX_TOKEN_CHARS
    assert_tokens(f"قال {word}", [("قال", 0, 3, 0), (word, 4, 4 + MAX_TOKEN_CHARS, 1)])


def test_token_over_the_cap_is_dropped_without_a_position() -> None:
    # A dropped monster token takes no position: the next word follows the previous one.
    long = "ب" * (MAX_TOKEN_CHARS + 1)
    end = 4 + len(long)
    assert_tokens(f"قال {long} نعم", [("قال", 0, 3, 0), ("نعم", end + 1, end + 4, 1)])


@pytest.mark.parametrize(
    "bad",
    [pytest.param(b"\xd9\x82", id="bytes"), pytest.param(None, id="none"), pytest.param(42, id="int")],
)
def test_non_str_is_a_type_error_saying_what_was_expected(bad) -> None:
    with pytest.raises(TypeError, match="expects str"):
        tokenize(bad)


def test_iter_tokens_is_lazy_and_checks_type_at_first_step() -> None:
    assert next(iter_tokens("كلمة")).text == "كلمة"
    with pytest.raises(TypeError, match="decode bytes first"):
        next(iter_tokens(b"abc"))


@given(st.text())
def test_offsets_increase_and_slice_the_original(text: str) -> None:
    tokens = tokenize(text)
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert 0 < len(token.text) <= MAX_TOKEN_CHARS
    assert [t.position for t in tokens] == list(range(len(tokens)))
    for left, right in zip(tokens, tokens[1:]):
        assert left.end <= right.start


ARABIC_AND_MARKS = st.text(
    alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهوي ءآأإىة،؛؟.٣5x") + ["\u064e", "\u0651", "\u0640", "\u200c"]),
    max_size=60,
)


@given(ARABIC_AND_MARKS)
def test_arabic_text_round_trips_through_offsets(text: str) -> None:
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    # every Arabic letter of the text lands in some token
    covered = {i for t in tokens for i in range(t.start, t.end)}
    letters = {i for i, ch in enumerate(text) if "\u0621" <= ch <= "\u064a"}
    assert letters <= covered

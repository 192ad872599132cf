"""Split text into words, keeping harakat inside the word and offsets into the original."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import regex

from . import chars as c

__all__ = ["Token", "tokenize", "iter_tokens", "MAX_TOKEN_CHARS", "WORD"]

#: Tokens longer than this many characters (marks included) are dropped: no word is
#: that long, and a 100,000-character "word" would only bloat the index.
MAX_TOKEN_CHARS = 100

_JOINERS = regex.escape("".join(sorted(c.WORD_JOINERS)))
# A word is a run of letters, marks (harakat, shadda, Quranic marks) and digits;
# tatweel is a letter (Lm).  Invisible joiners and bidi controls inside a word do not
# split it, nor do a decimal point or separator between digits (3.5, ١٬٠٠٠).
# Punctuation, Arabic included (، ؛ ؟ « »), and symbols separate words.
# A word starts with a letter or digit: a mark with nothing to sit on (the variation
# selector after an emoji, a Quranic pause sign standing alone) starts no word.
_NUMBER_JOINERS = f".,{c.ARABIC_DECIMAL_SEPARATOR}{c.ARABIC_THOUSANDS_SEPARATOR}"
WORD = regex.compile(
    rf"[\p{{L}}\p{{Nd}}][\p{{L}}\p{{M}}\p{{Nd}}]*"
    rf"(?:(?:[{_JOINERS}]+|(?<=\p{{Nd}})[{_NUMBER_JOINERS}](?=\p{{Nd}}))[\p{{L}}\p{{M}}\p{{Nd}}]+)*"
)


class Token(NamedTuple):
    """One word: its text as written, its character span in the original, its position."""

    text: str
    start: int
    end: int
    position: int


def iter_tokens(text: str) -> Iterator[Token]:
    """Yield the words of ``text`` lazily; see :func:`tokenize`."""
    if not isinstance(text, str):
        raise TypeError(f"tokenize() expects str, not {type(text).__name__}; decode bytes first")
    position = 0
    for match in WORD.finditer(text):
        start, end = match.span()
        if end - start > MAX_TOKEN_CHARS:
            continue
        yield Token(match.group(), start, end, position)
        position += 1


def tokenize(text: str) -> list[Token]:
    """Return the words of ``text`` with their offsets into ``text`` itself.

    - an Arabic word keeps its harakat, shadda and tatweel: مُحَمَّدٌ is one token;
    - Latin words and numbers are tokens; digits joined by . , ٫ ٬ stay one number;
    - punctuation, Arabic included (، ؛ ؟ « »), spaces and symbols separate words;
    - zero-width and bidi controls inside a word do not split it;
    - a token longer than ``MAX_TOKEN_CHARS`` (100) characters is dropped.

    >>> [(t.text, t.start, t.end) for t in tokenize("قال مُحَمَّدٌ، ٣.٥")]
    [('قال', 0, 3), ('مُحَمَّدٌ', 4, 13), ('٣.٥', 15, 18)]
    """
    return list(iter_tokens(text))

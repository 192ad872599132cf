"""Light stemming that knows Arabic clitics and leaves names alone."""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib import resources

from .normalization import normalize

__all__ = [
    "STEMMERS",
    "strip_proclitics",
    "light_stem",
    "stem",
    "protected_words",
    "stopwords",
]

STEMMERS = ("light", "tashaphyne", "none")

# Proclitics, normalized. A word may carry a conjunction, then a preposition, then the
# article: و+ب+ال+بيت. لل is ل + ال with the alef dropped (للحكومة).
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ك", "ل")
_ARTICLE = "ال"
_LAM_ARTICLE = "لل"

# Guards (letters left after stripping):
_MIN_AFTER_ARTICLE = 2  # الحب → حب, but ال alone is no word
_MIN_AFTER_CONJ = 3  # و needs ≥ 3 letters left: ولد is a word, not و+لد
_MIN_AFTER_PREP = 4  # ب ك ل begin many words (كتاب, لعب): strip only before ≥ 4 letters (بحفتر)
_MIN_STEM = 3  # a suffix goes only if 3 letters stay: بيت, not بي+ت

# Suffixes, normalized (ة → ه), longest first within each class. Pronouns come off
# before the plural or feminine ending they follow (حكوماتهم → حكومات → حكوم).
_PRONOUN_SUFFIXES = ("هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ه", "ي", "ك")
_NOUN_SUFFIXES = ("يين", "يون", "يه", "ات", "ان", "ون", "ين", "ه", "ي")


@lru_cache(maxsize=1)
def _word_list(name: str, names: bool = False) -> frozenset[str]:
    text = resources.files("arsearch").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    words = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word = normalize(line)
            # Names are kept without the article, which comes off like any proclitic.
            if names and word.startswith(_ARTICLE) and len(word) - 2 >= _MIN_AFTER_ARTICLE:
                word = word[2:]
            words.add(word)
    return frozenset(words)


def protected_words() -> frozenset[str]:
    """The shipped list of names that are never suffix-stripped (normalized)."""
    return _word_list("protected.txt", names=True)


def stopwords() -> frozenset[str]:
    """The shipped Arabic stopword list, normalized at load time."""
    return _word_list("stopwords.txt")


def _proclitic_splits(word: str) -> list[str]:
    """Every way to take proclitics off ``word``, shortest prefix first."""
    out = [word]
    conj_options = [""] + [p for p in _CONJUNCTIONS if word.startswith(p)]
    for conj in conj_options:
        rest = word[len(conj) :]
        if conj and len(rest) >= _MIN_AFTER_CONJ:
            out.append(rest)
        for prep in _PREPOSITIONS:
            if rest.startswith(prep) and len(rest) - 1 >= _MIN_AFTER_PREP:
                out.append(rest[1:])
        if rest.startswith(_LAM_ARTICLE) and len(rest) - 2 >= _MIN_AFTER_ARTICLE:
            out.append(rest[2:])
        for prep in ("",) + _PREPOSITIONS:
            if rest.startswith(prep + _ARTICLE) and len(rest) - len(prep) - 2 >= _MIN_AFTER_ARTICLE:
                out.append(rest[len(prep) + 2 :])
    return sorted(set(out), key=lambda w: -len(w))


def _decliticize(word: str, protected: frozenset[str]) -> tuple[str, bool]:
    splits = _proclitic_splits(word)
    for candidate in splits:
        if candidate in protected:
            return candidate, True
    return splits[-1], False


def strip_proclitics(word: str, protected: frozenset[str] | None = None) -> str:
    """Remove the proclitics و ف ب ك ل ال لل (and their combinations) from a normalized word.

    A name on the protected list keeps its first letters: وبريطانيا → بريطانيا.

    >>> strip_proclitics("وبالحكومه"), strip_proclitics("لحفتر"), strip_proclitics("ولد")
    ('حكومه', 'حفتر', 'ولد')
    """
    if protected is None:
        protected = protected_words()
    return _decliticize(word, protected)[0]


def _strip_suffixes(word: str, protected: frozenset[str]) -> str:
    for table in (_PRONOUN_SUFFIXES, _NOUN_SUFFIXES):
        for suffix in table:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                if word in protected:
                    return word
                break
    return word


def light_stem(word: str, protected: frozenset[str] | None = None) -> str:
    """arsearch's light stemmer on a *normalized* word.

    Rules:

    - proclitics: an optional conjunction (و ف; ≥ 3 letters must stay), then an optional
      preposition (ب ك ل; ≥ 4 letters must stay) and/or the article (ال, or لل after ل;
      ≥ 2 letters must stay);
    - one pronoun suffix (ها هم هن هما كم كن كما نا ه ي ك), then one noun ending
      (ات ان ون ين يون يين يه ه ي), each only if ≥ 3 letters stay;
    - a word that is, or becomes, a protected name stops there: names are
      de-cliticized but never suffix-stripped (وبنغازي → بنغازي, not بنغاز).

    >>> light_stem("والحكومات"), light_stem("وفلسطين"), light_stem("لحفتر")
    ('حكوم', 'فلسطين', 'حفتر')
    """
    if protected is None:
        protected = protected_words()
    base, is_name = _decliticize(word, protected)
    if is_name:
        return base
    return _strip_suffixes(base, protected)


_tashaphyne_local = threading.local()


def _tashaphyne_stem(word: str) -> str:
    # ArabicLightStemmer keeps the last word's segmentation on the instance: one per thread.
    stemmer = getattr(_tashaphyne_local, "stemmer", None)
    if stemmer is None:
        from tashaphyne.stemming import ArabicLightStemmer

        stemmer = _tashaphyne_local.stemmer = ArabicLightStemmer()
    return stemmer.light_stem(word) or word


@lru_cache(maxsize=200_000)
def _cached_stem(word: str, stemmer: str, extra: frozenset[str]) -> str:
    if stemmer == "light":
        protected = protected_words() | extra if extra else protected_words()
        return light_stem(word, protected)
    if stemmer == "tashaphyne":
        return _tashaphyne_stem(word)
    return word


def stem(word: str, stemmer: str = "light", protected: frozenset[str] = frozenset()) -> str:
    """Normalize ``word``, then stem it with ``stemmer`` (``"light"``, ``"tashaphyne"``, ``"none"``).

    ``protected`` adds names to the shipped protected list (written in any spelling).
    Results are cached (bounded, thread-safe), so repeated words cost a dict lookup.

    >>> stem("وَالحُكُومَاتُ"), stem("بنغازي"), stem("وليد"), stem("الحكومة", "none")
    ('حكوم', 'بنغازي', 'وليد', 'الحكومه')
    """
    if not isinstance(word, str):
        raise TypeError(f"stem() expects str, not {type(word).__name__}")
    if stemmer not in STEMMERS:
        raise ValueError(f"stemmer must be one of {STEMMERS}, not {stemmer!r}")
    extra = frozenset(normalize(w) for w in protected) if protected else frozenset()
    return _cached_stem(normalize(word), stemmer, extra)

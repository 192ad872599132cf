"""Light stemming that knows Arabic clitics and leaves names alone."""

from __future__ import annotations

import threading
from functools import cache

from .lexicon import stopwords, word_list

__all__ = [
    "STEMMERS",
    "strip_proclitics",
    "light_stem",
    "readings",
    "light_readings",
    "stem_normalized",
    "protected_words",
    "stopwords",
]

STEMMERS = ("light", "tashaphyne", "none")

# Proclitics, normalized. A word may carry a conjunction, then a preposition, then the
# article: و+ب+ال+بيت. لل is ل + ال with the alef dropped (للحكومة).
WAW = "و"
FEH = "ف"
PREPOSITIONS = ("ب", "ك", "ل")
ARTICLE = "ال"
_LAM_ARTICLE = "لل"

# Guards (letters left after stripping), chosen on benchmarks/stemming.py:
_MIN_AFTER_ARTICLE = 2  # الحب → حب, but ال alone is no word
_MIN_AFTER_WAW = 3  # و needs ≥ 3 letters left: ولد is a word, not و+لد
_MIN_AFTER_PREP = 3  # بقوة → قوه and لحفتر → حفتر, but بين, كل, لم stay whole
_MIN_STEM = 3  # a suffix goes only if 3 letters stay: بيت, not بي+ت

# Suffixes, normalized (ة → ه), longest first within each table. At most one pronoun
# comes off, then at most one ending (حكوماتهم → حكومات → حكوم). Each ending maps to
# what replaces it: the nisba ي stays (تاريخيه → تاريخي, not تاريخ: a derived word).
_PRONOUN_SUFFIXES = ("هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ه")
_ENDINGS = (
    ("يين", "ي"),  # nisba plural, oblique: السياسيين → سياسي
    ("يون", "ي"),  # nisba plural: السياسيون → سياسي
    ("يات", "ي"),  # nisba feminine plural: الشخصيات → شخصي
    ("تين", ""),  # feminine dual, oblique: سنتين
    ("تان", ""),  # feminine dual
    ("يه", "ي"),  # nisba feminine (ية): السياسيه → سياسي
    ("ات", ""),  # feminine sound plural
    ("ان", ""),  # dual
    ("ون", ""),  # masculine sound plural
    ("ين", ""),  # masculine sound plural or dual, oblique
    ("وا", ""),  # verb, 3rd person plural: كانوا → كان
    ("تا", ""),  # verb, feminine dual: كانتا
    ("ه", ""),  # teh marbuta (ة)
    ("ت", ""),  # verb, feminine (قالت), or ة before a pronoun (حكومته → حكومت)
    ("ا", ""),  # accusative tanween alef (رجلا) or verb dual (قالا)
)


@cache
def protected_words() -> frozenset[str]:
    """The shipped list of names that are never suffix-stripped (normalized)."""
    # Names are kept without the article, which comes off like any proclitic.
    return frozenset(
        w[len(ARTICLE) :] if w.startswith(ARTICLE) and len(w) - len(ARTICLE) >= _MIN_AFTER_ARTICLE else w
        for w in word_list("protected.txt")
    )


def _proclitic_splits(word: str) -> list[str]:
    """Every way to take proclitics off ``word``, longest remainder first."""
    out = [word]
    conj_options = [""]
    if word.startswith(WAW):
        conj_options.append(WAW)
    if word.startswith(FEH):
        conj_options.append(FEH)
    for conj in conj_options:
        rest = word[len(conj) :]
        if conj == WAW and len(rest) >= _MIN_AFTER_WAW:
            out.append(rest)
        if conj != FEH:
            # ف begins too many words (فيلم, فريق) to be taken off before a bare
            # noun; before the article (فالحكومه) it can only be the conjunction.
            for prep in PREPOSITIONS:
                if rest.startswith(prep) and len(rest) - 1 >= _MIN_AFTER_PREP:
                    out.append(rest[1:])
        if rest.startswith(_LAM_ARTICLE) and len(rest) - 2 >= _MIN_AFTER_ARTICLE:
            out.append(rest[2:])
        for prep in ("",) + PREPOSITIONS:
            if rest.startswith(prep + ARTICLE) and len(rest) - len(prep) - 2 >= _MIN_AFTER_ARTICLE:
                out.append(rest[len(prep) + 2 :])
    return sorted(set(out), key=lambda w: -len(w))


def _readings(word: str, protected: frozenset[str]) -> tuple[tuple[str, ...], bool]:
    """The readings of a word's first letters, most stripped first, and whether the word
    is a protected name (then it is its only reading)."""
    splits = _proclitic_splits(word)
    for n, candidate in enumerate(splits):
        if candidate in protected:
            # The name, and any longer reading: كبري may be ك + بري or the word كبري.
            longer = tuple(s for s in splits[:n] if _is_word_start(s))
            return (candidate,) + tuple(reversed(longer)) if n and not _after_article(word, candidate) else (candidate,), True
    deepest = splits[-1]
    if len(splits) == 1 or (word.startswith(ARTICLE) and _after_article(word, deepest)):
        return (deepest,), False  # nothing to strip, or a first ال with its alef: unambiguous
    # No first ال: each stripped letter may be the word's own, and so may a proclitic before
    # ال (والدة is و + ال + ده or a word, بالون ب + ال + ون or one; الوالدة gives والده); a
    # form that is ال before a deeper reading is the article, no word's start.
    # (A form the rule below leaves no reading of, as وللا, keeps them all.)
    deeper, after_article = set(splits), _after_article(word, deepest)
    return tuple(s for s in reversed(splits)
                 if (s is deepest and after_article)
                 or (_is_word_start(s) and not (s.startswith(ARTICLE) and s[len(ARTICLE):] in deeper))) \
        or tuple(reversed(splits)), False


def _after_article(word: str, rest: str) -> bool:
    """Whether ``rest`` is what follows an ال (written with its alef) in ``word``."""
    return word[: len(word) - len(rest)].endswith(ARTICLE)


def _is_word_start(form: str) -> bool:
    # No word begins with لل, which is ل + ال (للجنه is ل + لجنه or لل + جنه), nor
    # with و before it (وللجنه).
    return not form.startswith(_LAM_ARTICLE) and not form.startswith(WAW + _LAM_ARTICLE)


def readings(word: str, protected: frozenset[str] | None = None) -> tuple[str, ...]:
    """Every reading of a normalized word's proclitics, the most stripped first.

    A first و ب ك ل (and لل) may be a proclitic or the word's own letter: كتاب is a
    book, not ك + تاب, while لحفتر is ل + حفتر; only the index can tell which reading
    a query means. Rules:

    - the proclitics come off as :func:`strip_proclitics` takes them (same guards); that
      most stripped form is the first reading;
    - after a first ال (written with its alef: الحكومه) the reading is unambiguous: it is
      the only one;
    - otherwise every shorter strip is a reading too, down to the whole word (وكاله:
      اله, كاله, وكاله; والحكومه: حكومه, والحكومه, as والده is a word), except a form
      beginning with لل or ولل, which no word does, or ال before a shorter reading (the
      article);
    - a protected name stops the stripping: it is the first reading, and the longer ones
      stay (كبري: بري, كبري; وبنغازي: بنغازي, وبنغازي; بنغازي alone), unless it came
      after ال (والقاهره: قاهره).

    >>> readings("كتاب"), readings("وكاله"), readings("للجنه"), readings("الحكومه"), readings("كبري")
    (('تاب', 'كتاب'), ('اله', 'كاله', 'وكاله'), ('جنه', 'لجنه'), ('حكومه',), ('بري', 'كبري'))
    >>> readings("والده"), readings("وبالحكومه")
    (('ده', 'والده'), ('حكومه', 'بالحكومه', 'وبالحكومه'))
    """
    if protected is None:
        protected = protected_words()
    return _readings(word, protected)[0]


def light_readings(word: str, protected: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(readings, stems)``: :func:`readings` of a normalized word, and the light stem
    of each reading, in the same order (the first of each is :func:`strip_proclitics`
    and :func:`light_stem` of the word; two readings may share a stem).

    >>> light_readings("لجنه", protected_words())
    (('جنه', 'لجنه'), ('جنه', 'لجن'))
    """
    bases, is_name = _readings(word, protected)
    if is_name:  # the name is never suffix-stripped; a longer reading is a word
        return bases, bases[:1] + tuple(_strip_suffixes(b, protected) for b in bases[1:])
    return bases, tuple(_strip_suffixes(b, protected) for b in bases)


def strip_proclitics(word: str, protected: frozenset[str] | None = None) -> str:
    """Remove the proclitics و ف ب ك ل ال لل (and their combinations) from a normalized word.

    A name on the protected list keeps its first letters: وبريطانيا → بريطانيا.

    >>> strip_proclitics("وبالحكومه"), strip_proclitics("لحفتر"), strip_proclitics("ولد")
    ('حكومه', 'حفتر', 'ولد')
    """
    if protected is None:
        protected = protected_words()
    return _readings(word, protected)[0][0]


def _strip_suffixes(word: str, protected: frozenset[str]) -> str:
    for suffix in _PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            if word in protected:
                return word
            break
    for suffix, replacement in _ENDINGS:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)] + replacement
    return word


def light_stem(word: str, protected: frozenset[str] | None = None) -> str:
    """arsearch's light stemmer on a *normalized* word.

    Rules (guards and suffix sets chosen by measurement, see ``benchmarks/stemming.py``):

    - proclitics: an optional conjunction و (≥ 3 letters must stay) or ف (only before
      the article: فالحكومه, never فيلم), then an optional preposition ب ك ل (≥ 3
      letters must stay) and/or the article ال (or لل after ل; ≥ 2 letters must stay);
      the most that the guards allow comes off;
    - at most one pronoun suffix (ها هم هن هما كم كن كما نا ه), then at most one ending:
      the plural, dual and feminine endings (ات ان ون ين تان تين ه), the verb endings
      وا تا ت and the accusative alef ا; each only if ≥ 3 letters stay;
    - the nisba ي stays, it makes a new word (سياسي is not سياسه): يه يات يون يين → ي,
      and a final ي is never stripped (it is more often the nisba than "my");
    - a word that is, or becomes, a protected name stops there: names are
      de-cliticized but never suffix-stripped (وبنغازي → بنغازي, not بنغاز).

    >>> light_stem("والحكومات"), light_stem("وفلسطين"), light_stem("لحفتر")
    ('حكوم', 'فلسطين', 'حفتر')
    """
    if protected is None:
        protected = protected_words()
    bases, is_name = _readings(word, protected)
    return bases[0] if is_name else _strip_suffixes(bases[0], protected)


_tashaphyne_local = threading.local()


def _tashaphyne_stem(word: str) -> str:
    # ArabicLightStemmer keeps the last word's segmentation on the instance: one per thread.
    stemmer = getattr(_tashaphyne_local, "stemmer", None)
    if stemmer is None:
        from tashaphyne.stemming import ArabicLightStemmer

        stemmer = _tashaphyne_local.stemmer = ArabicLightStemmer()
    return stemmer.light_stem(word) or word


def stem_normalized(word: str, stemmer: str, protected: frozenset[str] | None = None) -> str:
    """An already normalized ``word`` stemmed with ``stemmer``; ``protected``: the names
    the light stemmer leaves whole (the shipped list by default). Uncached:
    :func:`arsearch.stem` and the analysis keep the caches (``arsearch.pipeline.views``)."""
    if stemmer == "light":
        return light_stem(word, protected)
    if stemmer == "tashaphyne":
        return _tashaphyne_stem(word)
    return word

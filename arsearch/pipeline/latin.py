"""Arab names typed in Latin script (Haftar, Kadhafi, Misurata) and the Arabic terms they stand for.

Two steps, both pure functions:

- **keys** pick the candidates. A word, Latin or Arabic, becomes its consonant skeletons in
  one alphabet of consonant classes (``latin_tables``): vowels, ا و ي ع ء, w and y, a leading
  article and doubled letters are dropped, and a letter that may stand for more than one class
  gives more than one key (at most :data:`MAX_KEYS`). A Latin word's candidates are the
  Arabic terms sharing a key with it.
- **alignment** ranks them (Freeman, Condon & Ackerman, HLT-NAACL 2006): each Arabic letter is
  written as one of its weighted Latin strings, Latin letters nothing accounts for are
  inserted (a short vowel cheaply) and Arabic letters may go unwritten (ا و ي ع ء cheaply).
  The cheapest alignment, per Latin letter, is :func:`alignment_cost`; :func:`rank_candidates`
  breaks near-ties by how often the index has seen each term.

Place names no sound rule bridges (Tripoli, طرابلس) come from a table generated from GeoNames
(``arsearch/data/exonyms.tsv``), read by :func:`latin_exonyms`.

>>> sorted(latin_keys("Haftar")) == sorted(arabic_keys("حفتر"))
True
>>> rank_candidates("Misurata", [("مصراته", 40), ("مسرات", 3), ("مصر", 900)])[0]
('مصراته', 1.0)
"""

from __future__ import annotations

import bisect
import math
import unicodedata
from collections.abc import Container, Iterable
from functools import lru_cache

import regex

from . import chars as c
from . import latin_tables as t
from .latin_align import INFINITY, Aligner
from .lexicon import name_table

__all__ = [
    "MAX_KEYS",
    "MAX_WORD_LETTERS",
    "fold_latin",
    "latin_words",
    "split_joined",
    "latin_length",
    "latin_starts",
    "has_article",
    "joins_article",
    "latin_keys",
    "arabic_keys",
    "alignment_cost",
    "scored_candidates",
    "weights",
    "rank_candidates",
    "latin_exonyms",
    "name_particles",
]

#: At most this many keys per word: the likelier readings are kept first.
MAX_KEYS = 16
#: A longer Latin word is no name: it gets no keys and no candidates.
MAX_WORD_LETTERS = 40

#: What a Latin article with no Arabic ال, or the reverse, costs (Nadori, الناظوري).
ARTICLE_MISMATCH = 0.12
#: What reading a Latin word's first l as the article costs (Lounnas: الوناس), as a cost of
#: the whole alignment.
L_ARTICLE = 0.1
#: What reading a Latin word's start as a joined article costs against a term no document
#: writes with ال (Assad read as-Sad against صاد): the Latin's first vowel then writes no
#: Arabic letter at all. The word's reading without the article is there for such a term
#: (Assad: اسعد). A term written with ال (Essebsi: السبسي) costs nothing more.
JOINED_ARTICLE_MISMATCH = 0.25
#: What reading a first vowel and ss as a joined article costs (Essaouira: الصويره), as a cost
#: of the whole alignment: English and French also write ss for one s between vowels (Essam
#: عصام, Assaf عساف, as Nasser ناصر), where the other letters doubled seldom stand for one.
SS_ARTICLE = 0.15
#: What reading a final s after i as an English plural costs (Houthis: الحوثي, Sunnis), as a
#: cost of the whole alignment: a name written so (Idris, Younis) aligns better whole.
ENGLISH_PLURAL = 0.3
#: How much a tenfold document frequency lowers a candidate's cost (per Latin letter).
FREQUENCY_WEIGHT = 0.003
#: How fast a candidate's weight falls with its cost above the best one (per Latin letter).
WEIGHT_SCALE = 0.015

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʿ": "'", "ʾ": "'", "`": "'", "´": "'", "ʼ": "'"})
_LATIN_WORD = regex.compile(r"[a-z' -]+")
_VOWELS = frozenset("aeiouyw'")
_SPLIT = regex.compile(r"[\s\-]+")
_APOSTROPHE_RUN = regex.compile(r"'+")
# Articles written apart (al-Assad, As Salt, ash-Shihr); a sun letter is written twice.
_ARTICLE = regex.compile(r"(?:[ae]l|ul|il|l)[-' ](?=[a-z])|[aeu](sh|th|dh|[tdsznrz])[- ](?=\1)")
_ABD_WORD = regex.compile(r"abd(?:el|al|ul|oul|ou|u)?")
# A joined al, el, or a sun letter's assimilated article (Ezzine الزين, Essaouira الصويره).
_JOINED_ARTICLE = regex.compile(r"[ae]l(?=[a-z]{3})|[ae](?=(sh|th|dh|[tdsznrz])\1[a-z]{2})")
# Name parts that Latin joins to the next word where Arabic writes two (Abdelaziz, عبد العزيز).
# A joined al or el is not among them: Arabic writes the article as part of its word.
_ABD = regex.compile(r"abd(el|al|ul|oul|ou|u|e|a)?(?=[a-z]{3})")
_JOINED_PARTS = regex.compile(r"(abu|abou|abo|bou|bu|bin|ben|ibn|ould|ouled|oulad|walad)(?=[a-z]{3})")
# ...and the second parts of names made with الله and الدين (Nasrallah, Shamseddine).
_JOINED_ENDS = regex.compile(r"(?<=[a-z]{3})(?:[aeiou]?l?lah?|[aeu](?:d|l-?d)dine?|[aeu]d-?deen)")
_ARABIC_ARTICLE = c.ALEF + c.LAM
# A first ou before a consonant: French for the vowel u (Ouda عودة, Oumar عمر), where before
# a vowel it is a w (Oualid وليد).
_FRENCH_OU = regex.compile(r"ou(?=[b-df-hj-np-tv-xz])")


@lru_cache(maxsize=4096)
def fold_latin(text: str) -> str | None:
    """``text`` in lower-case ASCII letters, apostrophes, hyphens and spaces, its diacritics
    stripped (Qaddāfī → qaddafi); ``None`` when it holds anything else (digits, other scripts).

    >>> fold_latin("Qaddāfī"), fold_latin("Ṣāliḥ ʿAbd"), fold_latin("Haftar2"), fold_latin("حفتر")
    ('qaddafi', "salih 'abd", None, None)
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()
    return folded if folded and _LATIN_WORD.fullmatch(folded) else None


def latin_words(text: str) -> list[str]:
    """The words of a Latin phrase, an article written apart joined to its word.

    >>> latin_words("Khalifa Haftar"), latin_words("Abdel Aziz"), latin_words("As Salt")
    (['khalifa', 'haftar'], ['abd', 'al-aziz'], ['as-salt'])
    """
    folded = fold_latin(text)
    if folded is None:
        return []
    parts = [p for p in _SPLIT.split(folded) if p.strip("'")]
    words: list[str] = []
    i = 0
    while i < len(parts):
        if i + 1 < len(parts) and _ABD_WORD.fullmatch(parts[i]) and not parts[i + 1].startswith(("al-", "el-")):
            # Abdel Aziz, Abdul Halim: عبد العزيز, عبد الحليم
            parts[i + 1] = f"al-{parts[i + 1]}" if parts[i] != "abd" else parts[i + 1]
            words.append("abd")
            i += 1
            continue
        if i + 1 < len(parts):
            joined = f"{parts[i]}-{parts[i + 1]}"
            match = _ARTICLE.match(joined)
            if match is not None and match.end() == len(parts[i]) + 1:
                words.append(joined)
                i += 2
                continue
        words.append(parts[i])
        i += 1
    return words


def split_joined(word: str) -> tuple[str, ...]:
    """``word`` cut after a name part Latin often joins to the next word (abd, abdel, abdul,
    abu, abou, bou, bin, ben, ibn, ould), or before the الله and الدين that end names
    (Nasrallah, Shamseddine); ``()`` when there is none. The article of the second part is
    written apart (Abdelaziz → abd, al-aziz) so that its keys drop it.

    Arabic may write the parts as one word (بوتفليقه) or two (عبد العزيز): a caller tries both.

    >>> split_joined("Abdelaziz"), split_joined("Bennouar"), split_joined("Haftar")
    (('abd', 'al-aziz'), ('ben', 'nouar'), ())
    >>> split_joined("Nasrallah"), split_joined("Shamseddine")
    (('nasr', 'allah'), ('shams', 'al-din'))
    """
    folded = fold_latin(word)
    if folded is None:
        return ()
    folded = folded.replace("-", "").replace("'", "")
    match = _ABD.match(folded)
    if match is not None:
        rest = folded[match.end():]
        return ("abd", f"al-{rest}" if match.group(1) else rest)
    match = _JOINED_PARTS.match(folded)
    if match is not None:
        return (match.group(1), folded[match.end():])
    match = _JOINED_ENDS.search(folded)
    if match is not None and match.end() == len(folded):
        end = match.group()
        return (folded[: match.start()], "al-din" if "d" in end else "allah")
    return ()


@lru_cache(maxsize=4096)
def _latin_readings(word: str) -> tuple[tuple[bool, str, float], ...]:
    """``(has_article, letters, cost)`` readings of a Latin word: an article written apart is
    one (al-Assad); a joined al or el may be one or not (Elarbi العربي, Alaoui علوي), and so
    may a first vowel before a doubled sun letter (Essebsi السبسي; before ss at
    :data:`SS_ARTICLE`); so may a first l before two consonants or more, at :data:`L_ARTICLE` (Lounnas الوناس, Lakhdaria
    الاخضريه, as French and Maghrebi spellings write the article; Lotfi لطفي)."""
    folded = fold_latin(word)
    if folded is None or " " in folded.strip():
        return ()
    match = _ARTICLE.match(folded)
    if match is not None:
        body = _aligned(folded[match.end():])
        return ((True, body, 0.0),) if 0 < _length(body) <= MAX_WORD_LETTERS else ()
    letters = _aligned(folded)
    if not letters or _length(letters) > MAX_WORD_LETTERS:
        return ()
    if _FRENCH_OU.match(letters):  # Ouda, Oumar: French ou before a consonant is the vowel u
        letters = letters[1:]
    joined = _JOINED_ARTICLE.match(letters)
    if joined is not None:
        readings = ((False, letters, 0.0), (True, letters[joined.end():], SS_ARTICLE if joined.group(1) == "s" else 0.0))
    elif letters[0] == "l" and len(_graphemes(letters[1:].replace("'", ""))) >= 2:
        readings = ((False, letters, 0.0), (True, letters[1:], L_ARTICLE))
    else:
        readings = ((False, letters, 0.0),)
    if letters.endswith("is") and _length(letters) > 4:  # Houthis, Sunnis: the nisba, and s
        readings += tuple((article, word[:-1], cost + ENGLISH_PLURAL) for article, word, cost in readings)
    return readings


def _aligned(folded: str) -> str:
    """A folded Latin word's letters as they are aligned: an apostrophe between letters
    kept, once, for the ع or ء it writes (Sha'ban: شعبان, not شابان); hyphens off."""
    return _APOSTROPHE_RUN.sub("'", folded.replace("-", "")).strip("'")


def _length(letters: str) -> int:
    """How many letters an alignment's cost is divided by: the apostrophes not counted."""
    return len(letters) - letters.count("'")


def joins_article(word: str) -> bool:
    """Whether the Latin ``word`` may begin with a joined article (Essebsi, Elarbi, Lounnas):
    then which candidates the index writes with ال changes their costs (``scored_candidates``).

    >>> joins_article("Essebsi"), joins_article("al-Assad"), joins_article("Haftar")
    (True, False, False)
    """
    readings = _latin_readings(word)
    return any(article for article, _, _ in readings) and not all(article for article, _, _ in readings)


def has_article(word: str) -> bool:
    """Whether the Latin ``word`` writes the article apart (al-Assad, As Salt): its Arabic
    word then holds it too.

    >>> has_article("al-Assad"), has_article("Assad"), has_article("Elarbi")
    (True, False, False)
    """
    readings = _latin_readings(word)
    return len(readings) == 1 and readings[0][0]


def latin_starts(word: str) -> tuple[str, ...]:
    """How the Latin ``word`` may begin once an article is off: its letters, and those
    after a joined article.

    >>> latin_starts("al-Walid"), latin_starts("Alwaleed"), latin_starts("Haftar")
    (('walid',), ('alwaleed', 'waleed'), ('haftar',))
    """
    return tuple(letters.replace("'", "") for _, letters, _ in _latin_readings(word))


def latin_length(word: str) -> int:
    """How many letters of the Latin ``word`` its alignment costs are divided by (an article
    written apart not counted); 0 for no word.

    >>> latin_length("Haftar"), latin_length("al-Assad"), latin_length("Haftar2")
    (6, 5, 0)
    """
    readings = _latin_readings(word)
    return _length(readings[0][1]) if readings else 0


def _graphemes(letters: str) -> list[tuple[str, ...]]:
    out = []
    i = 0
    while i < len(letters):
        if letters[i] in _VOWELS:
            i += 1
            continue
        for size in range(t.LATIN_GRAPHEME_MAX, 0, -1):
            chunk = letters[i:i + size]
            classes = t.LATIN_GRAPHEMES.get(chunk)
            if classes is not None and len(chunk) == size:
                break
        if chunk == "c" and letters[i + 1:i + 2] in ("e", "i", "y"):
            classes = ("S",)
        out.append(classes)
        i += size
    return out


def _expand(choices: Iterable[tuple[str, ...]]) -> frozenset[str]:
    keys = [""]
    for options in choices:
        keys = [k + o for k in keys for o in options][:MAX_KEYS]
    out = set()
    for key in keys:
        collapsed = "".join(ch for i, ch in enumerate(key) if i == 0 or key[i - 1] != ch)
        if collapsed:
            out.add(collapsed)
    return frozenset(out)


@lru_cache(maxsize=4096)
def latin_keys(word: str) -> frozenset[str]:
    """The consonant-class keys of a Latin word (at most :data:`MAX_KEYS`); none for a word
    with digits or other scripts, or longer than :data:`MAX_WORD_LETTERS` letters.

    >>> sorted(latin_keys("al-Assad")), sorted(latin_keys("Kadhafi"))
    (['SD'], ['KDF', 'KDHF'])
    """
    keys: set[str] = set()
    for _, letters, _ in _latin_readings(word):
        keys |= _expand(_graphemes(letters.replace("'", "")))
    return frozenset(sorted(keys)[:MAX_KEYS]) if len(keys) > MAX_KEYS else frozenset(keys)


def _arabic_readings(term: str) -> tuple[tuple[bool, str], ...]:
    if len(term) > 3 and term.startswith(_ARABIC_ARTICLE):
        return ((True, term[2:]), (False, term))
    return ((False, term),)


@lru_cache(maxsize=65536)
def arabic_keys(term: str) -> frozenset[str]:
    """The consonant-class keys of a normalized Arabic term (``normalize``): those of the
    whole term and, after ال, of the rest; none if it holds anything but Arabic letters.

    >>> sorted(arabic_keys("القذافي"))
    ['KDF', 'KZF', 'LKDF', 'LKZF']
    """
    if not term or len(term) > MAX_WORD_LETTERS or any(ch not in t.ARABIC_CLASSES for ch in term):
        return frozenset()
    keys: set[str] = set()
    for _, letters in _arabic_readings(term):
        last = len(letters) - 1
        keys |= _expand(
            t.FINAL_HEH_CLASSES if i == last and ch == c.HEH and i > 0
            else t.NOON_BEFORE_BEH_CLASSES if ch == c.NOON and letters[i + 1:i + 2] == c.BEH
            else t.ARABIC_CLASSES[ch]
            for i, ch in enumerate(letters)
        )
    return frozenset(sorted(keys, key=len, reverse=True)[:MAX_KEYS]) if len(keys) > MAX_KEYS else frozenset(keys)


def _cost(readings: tuple[tuple[bool, str, float], ...], arabic: str, length: int, ceiling: float = INFINITY,
          aligners: list[Aligner] | None = None, articled: bool = False) -> float:
    """The best alignment cost per Latin letter over both sides' article readings. The whole
    Arabic term (its ال read as letters) is tried only for a Latin word starting with l
    (Lamine, الامين): elsewhere the Latin reading with a joined article covers it.
    ``aligners``: one per Latin reading, kept from one term to the next; ``articled``: the
    term (a clitic-view term, its article off) is written with ال in the index."""
    best = bound = ceiling * length
    arabic_readings = _arabic_readings(arabic)
    if articled:
        arabic_readings = ((True, arabic), *arabic_readings)
    apart = all(article for article, _, _ in readings)  # an article written apart: every reading has it
    for n, (latin_article, letters, reading_cost) in enumerate(readings):
        aligner = aligners[n] if aligners is not None else Aligner(letters)
        for arabic_article, body in arabic_readings:
            if not arabic_article and body is arabic and body.startswith(_ARABIC_ARTICLE) and letters[:1] != "l":
                continue
            penalty = reading_cost
            if latin_article != arabic_article:
                penalty += JOINED_ARTICLE_MISMATCH if latin_article and not apart else ARTICLE_MISMATCH
            if penalty < best:
                found = aligner.cost(body, best - penalty) + penalty
                if found < best:
                    best = found
    return best / length if best < bound or bound == INFINITY else INFINITY


def alignment_cost(latin: str, arabic: str) -> float:
    """How badly the Latin word ``latin`` writes the normalized Arabic term ``arabic``: the
    cheapest alignment's cost per Latin letter, 0 for a perfect one; ``inf`` if either is no
    word (digits, another script, longer than :data:`MAX_WORD_LETTERS`).

    >>> alignment_cost("Haftar", "حفتر") < alignment_cost("Haftar", "حفار")
    True
    """
    readings = _latin_readings(latin)
    if not readings or not arabic or len(arabic) > MAX_WORD_LETTERS or any(ch not in t.ARABIC_CLASSES for ch in arabic):
        return INFINITY
    return _cost(readings, arabic, _length(readings[0][1]))


_ARABIC_LETTERS = frozenset(t.ARABIC_CLASSES)


@lru_cache(maxsize=65536)
def _arabic_term(term: str) -> bool:
    return bool(term) and _ARABIC_LETTERS.issuperset(term)


@lru_cache(maxsize=4096)
def _bonus(frequency: int) -> float:
    """What a document frequency takes off a candidate's cost."""
    return FREQUENCY_WEIGHT * math.log10(1 + max(frequency, 0))


def scored_candidates(
    latin: str, candidates: Iterable[tuple[str, int]], limit: int = 5, *, exonyms: bool = True,
    min_weight: float = 0.0, known: Iterable[str] = (), articled: Container[str] = frozenset(),
) -> list[tuple[str, float]]:
    """The ``limit`` candidates (normalized Arabic terms and their document frequency) that
    ``latin`` most likely writes, best first, each with its score: its :func:`alignment_cost`
    less :data:`FREQUENCY_WEIGHT` per tenfold frequency, so that frequency decides between
    near-equal alignments (ص or س for s); a term the exonym table gives for ``latin``
    aligns perfectly (unless ``exonyms`` is false), and so do the ``known`` terms (the
    table's names as the candidates write them: الاردن is اردن in the clitic view). None
    would weigh under ``min_weight`` (:func:`weights`) beside the best. ``articled``: the
    candidates the index writes with ال (their clitic-view terms have it off), which a Latin
    word that may join the article aligns with as so written (:func:`joins_article`)."""
    readings = _latin_readings(latin)
    if not readings or limit <= 0:
        return []
    known = frozenset(latin_exonyms(latin)).union(known) if exonyms else frozenset(known)
    known = known.union(name_particles(latin))
    pool = {}
    for term, frequency in candidates:
        if term not in pool and _arabic_term(term):
            pool[term] = _bonus(frequency)
    # a score more than ``reach`` above the best weighs under min_weight
    reach = WEIGHT_SCALE * math.log(1 / min_weight) if min_weight > 0 else INFINITY
    length = _length(readings[0][1])
    scored: dict[str, float] = {}
    kept: list[float] = []
    aligners = [Aligner(letters) for _, letters, _ in readings]
    # One Latin reading (most words) and a term without the article (most terms): the
    # alignment of _cost's one pair, called directly (this loop runs for every candidate).
    single = aligners[0] if len(readings) == 1 else None
    penalty = readings[0][2] + (ARTICLE_MISMATCH if readings[0][0] else 0.0)
    base = INFINITY  # the score a candidate must beat (before its bonus)
    # in the order of their letters: each shares the rows of its first letters with the one before
    for term, bonus in sorted(pool.items()):
        if single is not None and term not in known and not term.startswith(_ARABIC_ARTICLE):
            bound = (base + bonus) * length
            if penalty >= bound:
                continue
            found = single.cost(term, bound - penalty) + penalty
            if not found < bound:  # cut, or no alignment at all
                continue
            cost = found / length
        else:
            cost = 0.0 if term in known else _cost(readings, term, length, base + bonus, aligners, term in articled)
            if cost == INFINITY:
                continue
        scored[term] = cost - bonus
        bisect.insort(kept, cost - bonus)
        base = min(kept[limit - 1] if len(kept) >= limit else INFINITY, kept[0] + reach)
    best = sorted(scored.items(), key=lambda item: (item[1], item[0]))[:limit]
    return [(term, score) for term, score in best if not best or score <= best[0][1] + reach]


def weights(scored: Iterable[tuple[object, float]], min_weight: float = 0.0) -> list[tuple[object, float]]:
    """Scores (lower is better) as weights in (0, 1], 1 for the best, in the same order,
    none under ``min_weight``: a score :data:`WEIGHT_SCALE` above the best weighs 1/e."""
    scored = list(scored)
    if not scored:
        return []
    top = min(score for _, score in scored)
    weighted = [(item, math.exp(-(score - top) / WEIGHT_SCALE)) for item, score in scored]
    return [(item, weight) for item, weight in weighted if weight >= min_weight]


def rank_candidates(
    latin: str, candidates: Iterable[tuple[str, int]], limit: int = 5, *, exonyms: bool = True,
    min_weight: float = 0.0,
) -> list[tuple[str, float]]:
    """:func:`scored_candidates` with their :func:`weights`: 1 for the best, none under
    ``min_weight``."""
    return weights(scored_candidates(latin, candidates, limit, exonyms=exonyms, min_weight=min_weight), min_weight)


def name_particles(word: str) -> tuple[str, ...]:
    """The Arabic words of a name's particle written apart in Latin (``bin``: بن, ``abu``:
    ابو; :data:`~.latin_tables.NAME_PARTICLES`), ``()`` for any other word."""
    return t.NAME_PARTICLES.get(fold_latin(word) or "", ())


def latin_exonyms(word: str) -> tuple[str, ...]:
    """The Arabic names (normalized, maybe of several words) GeoNames gives for a place whose
    Latin name no sound rule bridges: ``latin_exonyms("Tripoli")`` holds طرابلس.
    The Latin ``word`` (or phrase) is folded first; an unknown name gives ``()``."""
    folded = fold_latin(word)
    if folded is None:
        return ()
    return name_table("exonyms.tsv").get(" ".join(_SPLIT.split(folded)), ())

"""Arabic orthographic normalization: one table-driven pass over the characters."""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

import regex

from . import chars as c

__all__ = ["normalize", "HAMZA_SEAT_POLICIES", "as_written", "written_ending"]

#: How the hamza seats ؤ and ئ are written after normalization.
#: ``"hamza"`` (the default, chosen by ``benchmarks/stemming.py``) writes both as ء, so
#: مسؤول and مسئول (both spellings are current) become one term; ``"keep"`` leaves them
#: as they are (Lucene's choice); ``"letter"`` writes them as و and ي.
HAMZA_SEAT_POLICIES = ("hamza", "keep", "letter")
DEFAULT_HAMZA_SEATS = "hamza"


@cache
def _table(hamza_seats: str = DEFAULT_HAMZA_SEATS) -> dict[int, str | None]:
    if hamza_seats not in HAMZA_SEAT_POLICIES:
        raise ValueError(f"hamza_seats must be one of {HAMZA_SEAT_POLICIES}, not {hamza_seats!r}")
    table: dict[str, str | None] = {}
    for form in c.ALEF_FORMS:
        table[form] = c.ALEF
    table[c.ALEF_MAKSURA] = c.YEH
    table[c.TEH_MARBUTA] = c.HEH
    table[c.TATWEEL] = None
    for mark in c.MARKS | c.WORD_JOINERS:
        table[mark] = None
    # A hamza left on no seat (Uthmani ـٔ, or a seat NFKC could not compose) is a hamza.
    table[c.HAMZA_ABOVE] = c.HAMZA
    table[c.HAMZA_BELOW] = c.HAMZA
    table.update(c.PERSIAN_FOLDS)
    for digits in (c.ARABIC_INDIC_DIGITS, c.EXTENDED_ARABIC_INDIC_DIGITS):
        for value, digit in enumerate(digits):
            table[digit] = str(value)
    if hamza_seats == "hamza":
        table[c.WAW_HAMZA] = c.HAMZA
        table[c.YEH_HAMZA] = c.HAMZA
    elif hamza_seats == "letter":
        table[c.WAW_HAMZA] = c.WAW
        table[c.YEH_HAMZA] = c.YEH
    return str.maketrans(table)


# Uthmani (Quranic) spelling writes a long ā as a dagger alef where modern spelling
# writes a full alef (ٱلْكِتَٰب → الكتاب), except in a closed class of words that modern
# spelling also writes without it: هٰذا هٰذه هٰؤلاء هٰكذا ذٰلك لٰكن أولٰئك إلٰه الله الرحمٰن.
# A tatweel before the dagger alef is only its seat (هَـٰذَا، ٱلْعَـٰلَمِينَ, the common
# typesetting of Quranic text), so _M lets tatweel and marks stand between the letters.
_MARKS_BUT_DAGGER = "".join(sorted(c.MARKS - {c.DAGGER_ALEF, c.HAMZA_ABOVE, c.HAMZA_BELOW}))
_M = f"[{regex.escape(_MARKS_BUT_DAGGER)}{c.TATWEEL}]*"
_D = c.DAGGER_ALEF
_SILENT_DAGGER = regex.compile(
    # ...after heh or thal of the demonstratives (the heh after a proclitic or the
    # question's أ: وهٰذا، أهٰذا، أهٰكذا), lam of لكن/أولئك/إله, meem of الرحمن,
    # and after alef maksura or alef, where it only marks the vowel already written.
    rf"(?<=(?:^|\P{{L}}|[{c.WAW}{c.FEH}{c.KAF}{c.LAM}{c.BEH}{c.ALEF_HAMZA_ABOVE}]){c.HEH}{_M}){_D}"
    rf"(?={_M}(?:[{c.THAL}{c.WAW_HAMZA}{c.NOON}]|{c.KAF}{_M}{c.THAL}))"
    rf"|(?<={c.THAL}{_M}){_D}(?={_M}{c.LAM}{_M}{c.KAF})"
    rf"|(?<={c.LAM}{_M}){_D}(?={_M}(?:{c.KAF}{_M}{c.NOON}|{c.HEH}))"
    rf"|(?<={c.WAW}{_M}{c.LAM}{_M}){_D}(?={_M}{c.YEH_HAMZA})"
    rf"|(?<={c.HAH}{_M}{c.MEEM}{_M}){_D}(?={_M}{c.NOON})"
    rf"|(?<=[{c.ALEF_MAKSURA}{c.ALEF}]{_M}){_D}"
    rf"|{_D}(?={_M}{c.ALEF})"
)
# ...and ٱلصَّلَوٰة، ٱلزَّكَوٰة، ٱلْحَيَوٰة are الصلاة، الزكاة، الحياة: waw carrying the
# dagger alef is read, and written today, as alef.
_WAW_DAGGER = regex.compile(rf"(?<=\p{{L}}{_M}){c.WAW}({_M}){c.DAGGER_ALEF}")


# Uthmani spelling writes the madda alef آ as hamza + alef (ٱلْقُرْءَانُ, ءَامَنُوا۟,
# ٱلْءَاخِرَةِ); read and written today as آ. Inside a word that carries a sign only
# Uthmani text has (ٱ, the dagger alef, the Quranic marks), every ءا is that madda;
# elsewhere only a vocalized ءَا (or ـٔا, hamza on a tatweel) that begins the word (after proclitics: وَءَاتُوا,
# بِـَٔايَٰتِ) is, read before the seats are folded: modern spelling writes ءا inside words
# (قراءات), and ؤا ئا, which fold to ءا, begin words whose first letter only looks like a
# proclitic (فؤاد, فئات, وئام). Uthmani text is always vocalized, and the mark makes the
# rule idempotent: normalized text has none. A ءا that begins the word itself, which no
# Arabic word does, is read as its alef however it came: Kurdish and Uyghur spelling seat
# an initial vowel on ئ (ئاستانا).
_QURANIC_SIGNS = c.ALEF_WASLA + c.DAGGER_ALEF + "".join(chr(x) for x in range(0x06D6, 0x06EE))
_QURANIC_WORD = regex.compile(rf"[\p{{L}}\p{{M}}{c.TATWEEL}]*[{_QURANIC_SIGNS}][\p{{L}}\p{{M}}{c.TATWEEL}]*")
_WORD_INITIAL_HAMZA_ALEF = regex.compile(rf"(?<=^|\P{{L}}){c.HAMZA}(?={c.ALEF})")
_HAMZA_ALEF = regex.compile(rf"{c.HAMZA}(?={_M}{c.ALEF})")
_INITIAL_HAMZA_ALEF = regex.compile(
    rf"(?<=(?:^|[^\p{{L}}\p{{M}}{c.TATWEEL}])(?:[{c.WAW}{c.FEH}]{_M})?(?:[{c.BEH}{c.KAF}{c.LAM}]{_M})?"
    rf"(?:{c.ALEF}{_M}{c.LAM}{_M}|{c.LAM}{_M})?)"
    rf"(?:{c.HAMZA}(?=[{regex.escape(_MARKS_BUT_DAGGER)}]{_M}{c.ALEF})|{c.TATWEEL}{_M}{c.HAMZA_ABOVE}(?={_M}{c.ALEF}))"
)
# ...and it writes as a small yeh a yeh that modern spelling writes in full:
_SMALL_YEH_WRITTEN = regex.compile(rf"{c.SMALL_HIGH_YEH}|(?<=[{c.YEH}{c.ALEF_MAKSURA}]{_M}){c.SMALL_YEH}")


_UTHMANI_SIGNS = frozenset((c.DAGGER_ALEF, c.HAMZA, c.SMALL_HIGH_YEH, c.SMALL_YEH))


def _uthmani(text: str) -> str:
    if c.HAMZA in text:
        text = _QURANIC_WORD.sub(lambda m: _HAMZA_ALEF.sub("", m.group()), text)
    if c.SMALL_HIGH_YEH in text or c.SMALL_YEH in text:
        text = _SMALL_YEH_WRITTEN.sub(c.YEH, text)
    if c.DAGGER_ALEF in text:
        text = _SILENT_DAGGER.sub("", text)
        text = _WAW_DAGGER.sub(lambda m: m.group(1) + c.ALEF, text)
        text = text.replace(c.DAGGER_ALEF, c.ALEF)
    return text


def normalize(text: str, *, hamza_seats: str = DEFAULT_HAMZA_SEATS) -> str:
    """Return ``text`` in the one spelling arsearch indexes and searches.

    Rules, applied in one pass (a translate table built once), after Unicode NFKC:

    - presentation forms (U+FB50..U+FDFF, U+FE70..U+FEFF) and the lam-alef ligatures
      are unfolded to plain letters (NFKC); a letter followed by a combining hamza is
      composed (ا + ٔ → أ) before the next rules;
    - آ أ إ ٱ → ا (alef with madda, hamza above, hamza below, alef wasla);
    - ى → ي (alef maksura); ة → ه (teh marbuta);
    - ؤ ئ → ء by default (``hamza_seats``: ``"keep"`` leaves them, ``"letter"`` gives و ي);
      a hamza on no seat (ـٔ) → ء;
    - tatweel ـ is removed;
    - harakat, shadda, sukun and every combining mark of the Arabic block
      (U+064B..U+065F), Quranic annotation marks (U+0610..U+061A, U+06D6..U+06ED) are
      removed;
    - the dagger alef ٰ (U+0670) becomes ا as in modern spelling (ٱلْكِتَٰبُ → الكتاب),
      and و carrying it becomes ا (ٱلصَّلَوٰة → الصلاه); it is silent where modern
      spelling writes no alef (هٰذا، أهٰذا، هٰكذا، ذٰلك، لٰكن، أولٰئك، إلٰه، الرحمٰن, and
      after ى or ا); a tatweel carrying it changes neither: هـٰذا → هذا like هٰذا,
      ٱلْعَـٰلَمِينَ → العالمين like ٱلْعَٰلَمِينَ;
    - ء then ا is the Uthmani madda alef, ءَامَنُوا → امنوا like آمنوا: vocalized at the
      start of a word (after proclitics), and anywhere in a word with a Quranic sign
      (ٱلْقُرْءَانُ → القران); an unvocalized ءا only where it begins the word itself
      (ئاستانا → استانا); modern ءا inside a word (قراءات) stays, and so does the ءا that ؤا
      ئا fold to after a letter that looks like a proclitic (فؤاد → فءاد, فئات → فءات);
    - the small yeh that stands for a written yeh becomes ي: ۧ always (إِبْرَٰهِـۧمَ →
      ابراهيم), ۦ after ي or ى (يُحْىِۦ → يحيي); elsewhere (بِهِۦ) it is removed;
    - Persian and Urdu letters are folded: ک ڪ → ك; ی ې ے → ي; ھ ہ ە ۀ ۃ → ه; ۆ ۇ ۋ → و;
    - Arabic-Indic ٠..٩ and Extended Arabic-Indic ۰..۹ digits → 0..9;
    - zero-width characters (U+200B..U+200F), bidi controls (U+202A..U+202E,
      U+2066..U+2069), the Arabic letter mark (U+061C) and U+FEFF are removed;
    - Latin (and every cased script) is casefolded.

    The result is idempotent: ``normalize(normalize(s)) == normalize(s)``.

    >>> normalize("مُحَمَّدٌ وإِسْرائِيل في المستشفى، ٢٠٢٠")
    'محمد واسراءيل في المستشفي، 2020'
    >>> normalize("أَهَـٰكَذَا رَبِّ ٱلْعَـٰلَمِينَ")
    'اهكذا رب العالمين'
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() expects str, not {type(text).__name__}; decode bytes first")
    if text.isascii():
        return text.lower()
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _UTHMANI_SIGNS.intersection(text):
        text = _uthmani(text)
    if c.HAMZA in text or c.HAMZA_ABOVE in text:
        text = _INITIAL_HAMZA_ALEF.sub("", text)
    text = text.translate(_table(hamza_seats)).casefold()
    if not unicodedata.is_normalized("NFKC", text):
        # casefolding can leave a decomposed sequence (ǰ → ǰ); compose it again so that
        # a second pass changes nothing.
        text = unicodedata.normalize("NFKC", text).translate(_table(hamza_seats))
    if c.HAMZA in text:
        text = _WORD_INITIAL_HAMZA_ALEF.sub("", text)
    return text


def written_ending(normalized: str, written: str) -> str:
    """``normalized`` (a word as :func:`normalize` gives it, maybe with proclitics off)
    ending again in the ة or ى of ``written``, the word as written: a name shown to a
    reader keeps its spelling where the folding is only for matching.

    >>> written_ending(normalize("خليفة"), "خليفة"), written_ending("مصطفي", "بمصطفى")
    ('خليفة', 'مصطفى')
    >>> written_ending("الله", "الله")
    'الله'
    """
    last = next((ch for ch in reversed(written) if ch != c.TATWEEL and not unicodedata.combining(ch)), "")
    if last == c.TEH_MARBUTA and normalized.endswith(c.HEH):
        return normalized[:-1] + c.TEH_MARBUTA
    if last == c.ALEF_MAKSURA and normalized.endswith(c.YEH):
        return normalized[:-1] + c.ALEF_MAKSURA
    return normalized


@lru_cache(maxsize=1 << 14)
def as_written(normalized: str, written: str) -> str:
    """``normalized`` (as :func:`normalize` gives ``written``, maybe with proclitics off)
    with what the folding hid taken back from ``written``: the hamza seats ؤ and ئ
    (فءاد → فؤاد) and a final ة or ى (:func:`written_ending`). A name shown to a reader
    (an entity value) is spelled so; two spellings of it still read as one through
    :func:`normalize`.

    >>> as_written("فءاد", "فؤاد"), as_written("اسراءيل", "لإسرائيل"), as_written("مسءوله", "مسؤولة")
    ('فؤاد', 'اسرائيل', 'مسؤولة')
    """
    word = written_ending(normalized, written)
    if c.HAMZA not in normalized:
        return word
    folded, kept = normalize(written), normalize(written, hamza_seats="keep")
    if len(folded) != len(kept) or not folded.endswith(normalized):
        return word
    seats = kept[len(kept) - len(normalized):]
    return "".join(seat if letter == c.HAMZA and seat in _SEATS else shown
                   for letter, seat, shown in zip(normalized, seats, word))


_SEATS = frozenset((c.WAW_HAMZA, c.YEH_HAMZA))

"""The tables behind :mod:`arsearch.pipeline.latin`: how each Arabic letter is written in Latin
script, and the consonant classes both scripts share.

Every number is a cost in one unit, a consonant nobody wrote (1.5); the tables hold sound
rules about the two scripts, never a list of names. The costs were set by hand, then scaled
as groups by a coordinate search on the development names (each half's choice checked on
the other half): inserted short vowels, ع and ء, a missing article
(``latin.ARTICLE_MISMATCH``), then the ways of writing an initial alef, و and ي, and a long
a as i, o or u (``docs/decisions/0009-latin-names.md``).

Consonant classes (one character each, so that a key is a short ``str``):

- ``B`` ب (b, p); ``F`` ف (f, ph, v); ``L`` ل; ``M`` م (and ن before ب); ``N`` ن; ``R`` ر (and غ, which
  French writes r);
- ``T`` ت ط, and ث (th, t); ``D`` د ض, and ذ ظ (d, dh, th); ``S`` س ص, and ث (s, ss, c);
  ``Z`` ز, and ذ ظ ض (z);
- ``K`` ك ق غ (k, q, c, g, gh); ``J`` ج (j, g, dj, dsch); ``X`` خ (kh, x, ch, j);
  ``H`` ح ه, and خ (h); ``C`` ش (sh, ch, sch).

ا و ي ع ء and every Latin vowel, w and y are weak: they carry no class.
"""

from __future__ import annotations

from . import chars as c

__all__ = [
    "NAME_PARTICLES",
    "FINAL_INSERTIONS",
    "ARABIC_CLASSES",
    "FINAL_HEH_CLASSES",
    "LATIN_GRAPHEMES",
    "LATIN_GRAPHEME_MAX",
    "LATIN_OPTION_MAX",
    "EMPHATICS",
    "MISSING_CONSONANT",
    "options",
    "insertions",
]

#: What an Arabic consonant deleted from the Latin, or a Latin consonant added, costs.
MISSING_CONSONANT = 1.5
#: What a word's first و or ي written as a Latin vowel alone costs (see _INITIAL_WAW).
INITIAL_VOWEL_ALONE = 0.6
#: What an initial alef left unwritten before the و or ي that writes its vowel costs.
SEAT_UNWRITTEN = 0.05

#: The emphatic (and uvular) letters: the vowel next to them is a back [ɑ], which Latin
#: writes a (Salah ص), where after a plain letter it is often written e (Selim س).
EMPHATICS = frozenset((c.SAD, c.DAD, c.TAH, c.ZAH, c.QAF, c.KHAH, c.GHAIN))

# Arabic letter -> the classes it may take in a key ("" = none).
ARABIC_CLASSES: dict[str, tuple[str, ...]] = {
    c.BEH: ("B",),
    c.TEH: ("T",),
    c.TAH: ("T",),
    c.THEH: ("T", "S"),
    c.JEEM: ("J",),
    c.HAH: ("H",),
    c.KHAH: ("X", "H"),
    c.DAL: ("D",),
    c.THAL: ("D", "Z"),
    c.REH: ("R",),
    c.ZAIN: ("Z",),
    c.SEEN: ("S",),
    c.SHEEN: ("C",),
    c.SAD: ("S",),
    c.DAD: ("D", "Z"),
    c.ZAH: ("D", "Z"),
    c.GHAIN: ("K", "R"),
    c.FEH: ("F",),
    c.QAF: ("K",),
    c.KAF: ("K",),
    c.LAM: ("L",),
    c.MEEM: ("M",),
    c.NOON: ("N",),
    c.HEH: ("H",),
    c.ALEF: ("",),
    c.WAW: ("",),
    c.YEH: ("",),
    c.AIN: ("",),
    c.HAMZA: ("",),
}
#: A final ه is a ة (normalized): -a, -ah, -at in Latin, or a real h.
FINAL_HEH_CLASSES = ("H", "", "T")

# Latin grapheme -> the class strings it may stand for, the likelier first. A digraph may
# also be two letters (Fathi فتحي, Adham ادهم, Ishaq اسحاق).
LATIN_GRAPHEMES: dict[str, tuple[str, ...]] = {
    "dsch": ("J",),
    "sch": ("C",),
    "tch": ("C",),
    "dj": ("J", "DJ"),
    "dh": ("D", "DH"),
    "th": ("T", "D", "TH"),
    "sh": ("C", "SH"),
    "ch": ("C", "X"),
    "kh": ("X",),
    "gh": ("K",),
    "ph": ("F",),
    "zh": ("J", "Z"),
    "ck": ("K",),
    "b": ("B",),
    "p": ("B",),
    "t": ("T",),
    "d": ("D",),
    "s": ("S",),
    "z": ("Z",),
    "k": ("K",),
    "q": ("K",),
    "g": ("K", "J"),
    "j": ("J", "X"),
    "x": ("X", "KS"),
    "h": ("H",),
    "f": ("F",),
    "v": ("F", ""),
    "l": ("L",),
    "m": ("M",),
    "n": ("N",),
    "r": ("R",),
    "c": ("K",),  # before e, i, y it is S (handled where the word is read)
}
LATIN_GRAPHEME_MAX = max(map(len, LATIN_GRAPHEMES))

_VOWELS = "aeiou"

# Arabic letter -> {Latin string: cost}; "" is the letter left unwritten.
_CONSONANTS: dict[str, dict[str, float]] = {
    c.BEH: {"b": 0.0, "p": 0.5},
    c.TEH: {"t": 0.0, "th": 0.3, "d": 0.9},
    c.THEH: {"th": 0.0, "t": 0.2, "s": 0.3, "ts": 0.5},
    c.JEEM: {"j": 0.0, "g": 0.2, "dj": 0.0, "dsch": 0.1, "zh": 0.4, "y": 0.9, "gu": 0.5},
    c.HAH: {"h": 0.0, "kh": 0.9, "ch": 0.9, "": 1.2},
    c.KHAH: {"kh": 0.0, "x": 0.2, "ch": 0.3, "h": 0.4, "j": 0.5, "k": 0.5},
    c.DAL: {"d": 0.0, "dh": 0.4, "t": 0.9},
    c.THAL: {"dh": 0.0, "th": 0.2, "z": 0.2, "d": 0.3, "dz": 0.5},
    c.REH: {"r": 0.0},
    c.ZAIN: {"z": 0.0, "s": 0.6},
    c.SEEN: {"s": 0.0, "c": 0.3, "z": 0.7},
    c.SHEEN: {"sh": 0.0, "ch": 0.1, "sch": 0.1, "tch": 0.4, "s": 0.8, "x": 0.8},
    c.SAD: {"s": 0.0, "c": 0.3},
    c.DAD: {"d": 0.0, "dh": 0.1, "z": 0.4, "th": 0.5},
    c.TAH: {"t": 0.0, "th": 0.4, "d": 0.8},
    c.ZAH: {"z": 0.1, "dh": 0.0, "th": 0.3, "d": 0.4, "zh": 0.3},
    c.GHAIN: {"gh": 0.0, "g": 0.2, "r": 0.5, "rh": 0.3, "kh": 0.7, "q": 0.8},
    c.FEH: {"f": 0.0, "ph": 0.2, "v": 0.4},
    c.QAF: {"q": 0.0, "k": 0.2, "g": 0.2, "c": 0.3, "qu": 0.2, "ck": 0.3, "gu": 0.4},
    c.KAF: {"k": 0.0, "c": 0.2, "ck": 0.2, "g": 0.4, "q": 0.5, "ch": 0.5},
    c.LAM: {"l": 0.0},
    c.MEEM: {"m": 0.0},
    c.NOON: {"n": 0.0},
    c.HEH: {"h": 0.0, "": 1.0},
}
_LONG_A = {"a": 0.05, "aa": 0.1, "e": 0.2, "i": 0.53, "o": 0.4, "u": 0.53, "": 0.4}
_LONG_A_EMPHATIC = {**_LONG_A, "a": 0.0, "e": 0.35, "o": 0.27}
_INITIAL_ALEF = {"a": 0.1, "e": 0.2, "i": 0.2, "o": 0.4, "ou": 0.6, "u": 0.4, "": 0.375}
# The alef of an article joined inside a name (عبدالله Abdullah, عبدالعزيز Abdelaziz, نصرالله
# Nasrallah): a wasla, written as the vowel before it, or not at all.
_JOINED_ARTICLE_ALEF = {"": 0.2, "a": 0.05, "e": 0.15, "u": 0.15, "ou": 0.2, "o": 0.2, "i": 0.2}
#: The particles of Arabic names, as Latin writes them apart: their Arabic words align
#: perfectly (bin is بن, not بين "between"; ibn ابن or بن; abu ابو, or ابي after ابن: ابن ابي طالب).
NAME_PARTICLES: dict[str, tuple[str, ...]] = {
    "bin": ("بن",), "ben": ("بن",), "ibn": ("ابن", "بن"), "bint": ("بنت",), "bent": ("بنت",),
    "abu": ("ابو", "ابي"), "abou": ("ابو", "ابي"), "abo": ("ابو", "ابي"), "bou": ("بو",), "umm": ("ام",), "oum": ("ام",),
    "ould": ("ولد",),
}
#: First parts of names that join the article of the second (عبدالرحمن, ابوالحسن).
JOINED_FIRST_PARTS = (c.AIN + c.BEH + c.DAL, c.ALEF + c.BEH + c.WAW)
#: ...and the name every part may end with, joined (عبدالله, نصرالله, فتحالله).
ALLAH = c.ALEF + c.LAM + c.LAM + c.HEH
# An initial alef before و or ي is the seat of the vowel they write (Obama اوباما, Ayman ايمن).
_INITIAL_SEAT = {**_INITIAL_ALEF, "": SEAT_UNWRITTEN}
_WAW = {"w": 0.0375, "ou": 0.0375, "u": 0.0375, "o": 0.0375, "oo": 0.075, "ow": 0.15, "v": 0.4, "": 0.5}
_YEH = {"y": 0.0375, "i": 0.0375, "ee": 0.075, "ie": 0.075, "e": 0.225, "ey": 0.15, "ei": 0.15, "j": 0.6, "": 0.5}
# A word's first و or ي is a consonant (وليد Walid, Oualid; يزيد Yazid): a Latin vowel alone
# there is the vowel of an alef or ain Arabic writes (Okba عقبة, Ibn ابن, not وكبة, يبن).
_INITIAL_WAW = {**_WAW, "u": INITIAL_VOWEL_ALONE, "o": INITIAL_VOWEL_ALONE, "oo": INITIAL_VOWEL_ALONE}
_INITIAL_YEH = {**_YEH, "i": INITIAL_VOWEL_ALONE, "e": INITIAL_VOWEL_ALONE, "ee": INITIAL_VOWEL_ALONE,
                "ie": INITIAL_VOWEL_ALONE}
# A final ي may be a normalized ى, written a (موسى Moussa, هدى Houda).
_FINAL_YEH = {**_YEH, "a": 0.3}
_AIN = {"": 0.18, "'": 0.0, "'a": 0.06, "a'": 0.06, "a": 0.09, "aa": 0.09, "e": 0.12, "o": 0.12, "i": 0.12, "u": 0.18,
        "ou": 0.18}
_HAMZA = {"": 0.03, "'": 0.0, "'a": 0.06, "a'": 0.06, "a": 0.12, "e": 0.12, "i": 0.12, "o": 0.12, "u": 0.12}
FINAL_HEH = {"a": 0.05, "ah": 0.05, "e": 0.15, "eh": 0.15, "h": 0.05, "at": 0.3, "et": 0.35,
              "t": 0.4, "i": 0.6, "": 0.3}
#: A final h after a letter it makes a digraph with (Riyadh's dh, Tayeb's Dhiyab) ends that
#: digraph: as a ة (رياضه) it costs this more.
DIGRAPH_H = frozenset("cdgkpstz")
SPLIT_DIGRAPH = 0.3
_OTHER = {"": MISSING_CONSONANT}
#: What a long vowel letter inside a word costs more when the Latin vowel it writes closes its
#: syllable, before two consonants (Salman سلمان, not سالمان; Muscat مسقط, Raqqa الرقه): Arabic
#: keeps its long vowels out of closed syllables. Not before ss, which French and English write
#: for one s between vowels (Nasser ناصر, Moussa موسى).
CLOSED_SYLLABLE = 0.15
#: Latin consonants written with two letters or more (one consonant for a closed syllable).
CONSONANT_DIGRAPHS = tuple(sorted((g for g in LATIN_GRAPHEMES if len(g) > 1), key=len, reverse=True))


def _with_doubles(table: dict[str, float]) -> dict[str, float]:
    """A letter with shadda is written once or twice (Gaddafi, Qadhafi): add the doubled form."""
    out = dict(table)
    for latin, cost in table.items():
        if len(latin) == 1 and latin not in _VOWELS:
            out.setdefault(latin * 2, cost + 0.1)
        elif len(latin) == 2 and latin[1] == "h" and latin[0] in "dtksgz":
            out.setdefault(latin[0] + latin, cost + 0.15)  # ddh, tth, ssh
    out.setdefault("", MISSING_CONSONANT)
    return out


_CONSONANT_OPTIONS = {letter: _with_doubles(table) for letter, table in _CONSONANTS.items()}
#: The tables of a long vowel letter inside a word (ا, and و or ي neither first nor last).
MEDIAL_LONG_VOWELS = (_LONG_A, _LONG_A_EMPHATIC, _WAW, _YEH)
#: What an ن before ب written m costs: it is said m there (Jumblatt جنبلاط, Stambouli اسطنبولي).
NOON_AS_M = 0.2
_NOON_BEFORE_BEH = {**_CONSONANT_OPTIONS[c.NOON], "m": NOON_AS_M, "mm": NOON_AS_M + 0.1}
#: ن before ب takes class M too (Latin writes m there).
NOON_BEFORE_BEH_CLASSES = ("N", "M")


def options(letter: str, previous: str, first: bool, last: bool, following: str = "",
            joined_article: bool = False) -> dict[str, float]:
    """The Latin strings an Arabic ``letter`` may be written as, with their costs, given the
    ``previous`` letter ("" at the start), its place in the word and the ``following`` one;
    ``joined_article``: an alef that begins an article joined inside a name (عبدالله)."""
    if letter == c.ALEF:
        if joined_article:
            return _JOINED_ARTICLE_ALEF
        if first:
            return _INITIAL_SEAT if following in (c.WAW, c.YEH) else _INITIAL_ALEF
        return _LONG_A_EMPHATIC if previous in EMPHATICS else _LONG_A
    if letter == c.WAW:
        return _INITIAL_WAW if first else _WAW
    if letter == c.YEH:
        if first:
            return _INITIAL_YEH
        return _FINAL_YEH if last else _YEH
    if letter == c.AIN:
        return _AIN
    if letter == c.HAMZA:
        return _HAMZA
    if letter == c.HEH and last and not first:
        return FINAL_HEH
    if letter == c.NOON and following == c.BEH:
        return _NOON_BEFORE_BEH
    return _CONSONANT_OPTIONS.get(letter, _OTHER)


#: The longest Latin string any Arabic letter is written as (``options``).
LATIN_OPTION_MAX = max(len(option) for table in (
    *_CONSONANT_OPTIONS.values(), _NOON_BEFORE_BEH, _LONG_A, _LONG_A_EMPHATIC, _INITIAL_ALEF, _JOINED_ARTICLE_ALEF,
    _INITIAL_SEAT, _WAW, _YEH, _INITIAL_WAW, _INITIAL_YEH, _FINAL_YEH, _AIN, _HAMZA, FINAL_HEH, _OTHER) for option in table)

_INSERT_PLAIN = {"a": 0.15, "e": 0.125, "i": 0.125, "o": 0.15, "u": 0.15, "y": 0.8, "w": 0.8, "h": 0.8, "'": 0.5}
_INSERT_EMPHATIC = {**_INSERT_PLAIN, "a": 0.09, "o": 0.12, "u": 0.12, "e": 0.27, "i": 0.24}
# A word's first sound is its first letter: a vowel before it is an alef or ain Arabic writes.
_INSERT_INITIAL = {**_INSERT_PLAIN, "a": 0.4, "e": 0.4, "i": 0.4, "o": 0.4, "u": 0.4}
# A final long vowel is written (-i ي, -a ة or ى); only a French mute e is not.
FINAL_INSERTIONS = _INSERT_FINAL = {"a": 0.27, "e": 0.135, "i": 0.36, "o": 0.27, "u": 0.27}


def insertions(previous: str) -> dict[str, float]:
    """What a Latin letter no Arabic letter accounts for costs after the Arabic letter
    ``previous`` ("" before the first one): a short vowel is cheap, any other letter costs
    :data:`MISSING_CONSONANT`; :data:`FINAL_INSERTIONS` for the Latin word's last letter."""
    if not previous:
        return _INSERT_INITIAL
    return _INSERT_EMPHATIC if previous in EMPHATICS else _INSERT_PLAIN

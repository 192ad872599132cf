"""Named Arabic characters and the sets the normalizer folds.

Letters and marks come from :mod:`pyarabic.araby`; what pyarabic does not name
(bidi controls, Persian letters, Quranic annotation ranges) is named here.
"""

from __future__ import annotations

from pyarabic import araby

# Letters -------------------------------------------------------------------
ALEF = araby.ALEF
ALEF_MADDA = araby.ALEF_MADDA
ALEF_HAMZA_ABOVE = araby.ALEF_HAMZA_ABOVE
ALEF_HAMZA_BELOW = araby.ALEF_HAMZA_BELOW
ALEF_WASLA = araby.ALEF_WASLA
ALEF_MAKSURA = araby.ALEF_MAKSURA
HAMZA = araby.HAMZA
WAW = araby.WAW
WAW_HAMZA = araby.WAW_HAMZA
YEH = araby.YEH
YEH_HAMZA = araby.YEH_HAMZA
TEH_MARBUTA = araby.TEH_MARBUTA
HEH = araby.HEH
KAF = araby.KAF
FEH = araby.FEH
BEH = araby.BEH
HAH = araby.HAH
LAM = araby.LAM
THAL = araby.THAL
NOON = araby.NOON
MEEM = araby.MEEM
TEH = araby.TEH
THEH = araby.THEH
JEEM = araby.JEEM
KHAH = araby.KHAH
DAL = araby.DAL
REH = araby.REH
ZAIN = araby.ZAIN
SEEN = araby.SEEN
SHEEN = araby.SHEEN
SAD = araby.SAD
DAD = araby.DAD
TAH = araby.TAH
ZAH = araby.ZAH
AIN = araby.AIN
GHAIN = araby.GHAIN
QAF = araby.QAF
TATWEEL = araby.TATWEEL
SHADDA = araby.SHADDA
TANWEEN = frozenset(araby.TANWIN)  # ً ٌ ٍ: an indefinite ending, which names seldom take
HAMZA_ABOVE = araby.HAMZA_ABOVE  # combining U+0654
HAMZA_BELOW = araby.HAMZA_BELOW  # combining U+0655
MADDA_ABOVE = araby.MADDA_ABOVE  # combining U+0653
DAGGER_ALEF = araby.SMALL_ALEF  # U+0670, the superscript alef of Quranic spelling
SMALL_WAW = araby.SMALL_WAW  # U+06E5
SMALL_YEH = araby.SMALL_YEH  # U+06E6
SMALL_HIGH_YEH = "\u06e7"  # ۧ, a yeh Uthmani spelling leaves out (إبرٰهـۧم)

# Persian, Urdu and other letters written for Arabic ones -------------------
KEHEH = "\u06a9"  # ک
SWASH_KAF = "\u06aa"  # ڪ
FARSI_YEH = "\u06cc"  # ی
YEH_BARREE = "\u06d2"  # ے
HEH_DOACHASHMEE = "\u06be"  # ھ
HEH_GOAL = "\u06c1"  # ہ
AE = "\u06d5"  # ە
HEH_YEH_ABOVE = "\u06c0"  # ۀ
TEH_MARBUTA_GOAL = "\u06c3"  # ۃ
YEH_HAMZA_BARREE = "\u06d3"  # ۓ
PERSIAN_FOLDS = {
    KEHEH: KAF,
    SWASH_KAF: KAF,
    FARSI_YEH: YEH,
    "\u06d0": YEH,  # ې E
    YEH_BARREE: YEH,
    YEH_HAMZA_BARREE: YEH,
    HEH_DOACHASHMEE: HEH,
    HEH_GOAL: HEH,
    AE: HEH,
    HEH_YEH_ABOVE: HEH,
    TEH_MARBUTA_GOAL: HEH,
    "\u06c5": WAW,  # ۅ kirghiz oe
    "\u06c6": WAW,  # ۆ oe
    "\u06c7": WAW,  # ۇ u
    "\u06c8": WAW,  # ۈ yu
    "\u06cb": WAW,  # ۋ ve
    "\u06cf": WAW,  # ۏ waw with dot above
}

# Marks ---------------------------------------------------------------------
# Harakat, shadda, sukun, the other combining marks of the Arabic block
# (U+064B..U+065F), the dagger alef, Quranic annotation signs (U+0610..U+061A,
# U+06D6..U+06ED) and the marks pyarabic lists; all are removed.
MARKS = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]
    + [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x06D6, 0x06EE) if chr(c) not in "\u06de\u06e9"]
    + [DAGGER_ALEF]
    + list(araby.DIACRITICS)
    + list(araby.TASHKEEL)
)
# ۞ (U+06DE) and ۩ (U+06E9) are symbols, not marks: the tokenizer never keeps them.

# Invisible controls ---------------------------------------------------------
ZERO_WIDTH = frozenset(chr(c) for c in range(0x200B, 0x2010))  # ZWSP ZWNJ ZWJ LRM RLM
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u061c"]  # ARABIC LETTER MARK
)
WORD_JOINERS = ZERO_WIDTH | BIDI_CONTROLS | {"\ufeff"}  # BOM / ZWNBSP

# Digits ----------------------------------------------------------------------
ARABIC_INDIC_DIGITS = "".join(araby.NUMBERS_EAST)  # ٠..٩
EXTENDED_ARABIC_INDIC_DIGITS = "".join(araby.NUMBERS_PERS)  # ۰..۹

# Alef forms that become a bare alef.
ALEF_FORMS = (ALEF_MADDA, ALEF_HAMZA_ABOVE, ALEF_HAMZA_BELOW, ALEF_WASLA)

# Punctuation -----------------------------------------------------------------
ARABIC_DECIMAL_SEPARATOR = "\u066b"  # ٫
ARABIC_THOUSANDS_SEPARATOR = "\u066c"  # ٬
ARABIC_QUESTION_MARK = "\u061f"  # ؟

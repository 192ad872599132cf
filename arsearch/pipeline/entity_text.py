"""The words of a text as :mod:`arsearch.pipeline.entities` reads them: each word's forms
(normalized, then without proclitics), its span, what separates it from the word before; and
what a word is (common, a listed name, definite, a derived verb's shape, a nationality …),
questions its rules ask of the words around a mention."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import regex

from . import chars as c
from .derivation import derived, roots
from .entity_lists import EntityLists, entity_lists, word_forms
from .normalization import normalize
from .stemming import ARTICLE, FEH, PREPOSITIONS, WAW
from .tokenizer import MAX_TOKEN_CHARS, WORD

__all__ = ["CLITICS", "NISBA", "QUOTES", "TEH_MARBUTA", "Word", "WordReader", "nisba_shaped", "read_words", "verb_shaped"]

CLITICS = frozenset((WAW, FEH, *PREPOSITIONS))
#: Quotes that may open a name after a title or head (after a verb of speech they open what was said)
QUOTES = '"«»“”„\''
_HASHTAG = " #_"  # الرئيس دونالد #ترمب, #دونالد_ترمب: a hashtag's words are words of the sentence

NISBA = "ي"
TEH_MARBUTA = "ه"  # ة, normalized
# Nisbas not made by adding ي to the place's name
_IRREGULAR_NISBA = {normalize(k): normalize(v) for k, v in (("إنجليز", "إنجلترا"), ("إنكليز", "إنكلترا"))}
_PLURAL_ENDINGS = ("يين", "يون", "تان")  # عسكريين, فلسطينيون, دولتان: no name ends so
_SOUND_ENDINGS = ("ين", "ان", "ات", "ون")  # a dual's or sound plural's ending on a derived word: اتصالين
_PRONOUNS = ("ها", "هم", "نا", "كم")  # a pronoun on a derived word: استعدادها
_MIN_PLACE = 4  # a single-word place of three letters (ابا, ابخ) is too often a word
_WORD_ENDINGS = ("نا", "ها", "هم", "وا")  # a verb's or pronoun's: مواقفنا (a name may end in ت: دانا وايت)
_IMPERFECT = ("ي", "ت")  # يقول, تكشف: the prefixes of a verb's imperfect, third person


def verb_shaped(word: str, lists: EntityLists) -> bool:
    # A name rarely has an imperfect verb's shape; a listed one is kept.
    return word[:1] in _IMPERFECT and 4 <= len(word) <= 5 and word not in lists.given and word not in lists.surname


class Word(NamedTuple):
    """A word of a text as the rules read it."""

    forms: tuple[str, ...]  # normalized, then stripped of proclitics (see word_forms)
    start: int
    end: int
    joined: bool  # nothing but spaces (or a hashtag's #) between it and the word before
    quoted: bool  # quotation marks (and spaces) between: صحيفة "الشرق الأوسط", الرئيس « بوتين »
    indefinite: bool  # written with tanween (تمهيداً): a common noun or adverb
    definite: bool  # the article, alone or after a proclitic (الامم, للامم); أل إل آل are no article (ألونسو)
    nisba: bool  # has a definite nisba's shape (:func:`nisba_shaped`): السوري


# The article is written with a bare alef; أل إل آل begin a word (after proclitics) of its own.
_HAMZA_LAM = regex.compile(rf"[{c.WAW}{c.FEH}]?[{c.BEH}{c.KAF}{c.LAM}]?\p{{M}}*"
                           rf"[{c.ALEF_HAMZA_ABOVE}{c.ALEF_HAMZA_BELOW}{c.ALEF_MADDA}]\p{{M}}*{c.LAM}")


@lru_cache(maxsize=1 << 16)
def _derived_word(word: str) -> bool:
    if derived(word):
        return True
    if word.endswith(_SOUND_ENDINGS + _PRONOUNS) and derived(word[:-2]):
        return True  # اتصالين, استعدادها
    return word.endswith(c.ALEF) and len(word) >= 5 and derived(word[:-1], accusative=True)  # حصولا


def nisba_shaped(word: str) -> bool:
    """A definite word in ي (not يي): the shape of a definite nisba (السوري)."""
    return word.startswith(ARTICLE) and word.endswith(NISBA) and not word.endswith(c.YEH * 2)


@lru_cache(maxsize=1 << 17)  # as the analysis's term caches: a news vocabulary fits
def _token(text: str) -> tuple[tuple[str, ...], bool, bool, bool]:
    """A token's forms (:func:`~.entity_lists.word_forms` of its normalized text), whether
    it has tanween, whether it is definite (see :class:`Word`), and whether it is nisba-shaped."""
    forms = word_forms(normalize(text))
    definite = any(f.startswith(ARTICLE) for f in forms) and _HAMZA_LAM.match(text) is None
    return forms, not c.TANWEEN.isdisjoint(text), definite, nisba_shaped(forms[0])


def read_words(text: str) -> list[Word]:
    """The words of ``text``, with their spans and what separates each from the one before."""
    # iter_tokens's words without a Token each: this loop is most of what finding entities costs
    out: list[Word] = []
    append, token, separators = out.append, _token, QUOTES + " "
    new = tuple.__new__  # Word(...) without NamedTuple's Python-level __new__: a word each
    last = -1
    for match in WORD.finditer(text):
        start, end = match.span()
        if end - start > MAX_TOKEN_CHARS:
            continue
        forms, indefinite, definite, nisba = token(text[start:end])
        if last < 0:
            append(new(Word, (forms, start, end, False, False, indefinite, definite, nisba)))
        else:
            gap = text[last:start]
            if gap == " " or not gap or gap.isspace() or not gap.strip(_HASHTAG):  # one space, most often
                append(new(Word, (forms, start, end, True, False, indefinite, definite, nisba)))
            else:
                append(new(Word, (forms, start, end, False, not gap.strip(separators), indefinite, definite, nisba)))
        last = end
    return out


@lru_cache(maxsize=1 << 14)
def _nationality(word: str, known: bool = False) -> bool:
    """Whether definite ``word`` is the nisba of a listed place (of a hand-written one: a
    country, region or capital, if ``known``)."""
    stem = word[len(ARTICLE):-1]
    stem = _IRREGULAR_NISBA.get(stem, stem)
    lists = entity_lists()
    forms = (stem, stem + c.ALEF, stem + c.YEH + c.ALEF, ARTICLE + stem, ARTICLE + stem + c.YEH + TEH_MARBUTA)
    if known:
        return not lists.known_places.isdisjoint(forms)
    return any((f,) in lists.places.get(f, ()) for f in forms)


class WordReader:
    """What each word of a text is, by the shipped lists (:func:`~.entity_lists.entity_lists`)."""

    def __init__(self, words: list[Word]):
        self.w, self.lists = words, entity_lists()
        self.use_lists = True

    def bare(self, i: int) -> str:
        return self.w[i].forms[-1]

    def joined(self, i: int) -> bool:
        return i < len(self.w) and self.w[i].joined

    def opens(self, i: int) -> bool:
        """Whether word ``i`` follows a title or head: joined, or across quotation marks."""
        return i < len(self.w) and (self.w[i].joined or self.w[i].quoted)

    def in_set(self, i: int, names: frozenset[str]) -> str | None:
        return next((f for f in self.w[i].forms if f in names), None)

    def common(self, i: int) -> bool:
        """A function word, a word of ``not_name``, a verb, a verb's shape or no word at all."""
        lists, word = self.lists, self.w[i].forms[0]
        if any(f in lists.stop or f in lists.not_name or f in lists.verbs for f in self.w[i].forms):
            return True
        # فان, بان, لما: a clitic on a function word too short for word_forms to strip
        if word[:1] in CLITICS and word[1:] in lists.stop:
            return True
        return self.w[i].indefinite or not word.isalpha() or len(word) < 2 or verb_shaped(word, lists)

    def derived(self, i: int) -> bool:
        """A derived verb or verbal noun (استخدام, انتقل; :func:`~.derivation.derived`), also
        with a dual's or plural's ending (اتصالين), a pronoun (استعدادها) or an accusative
        ending (إظهاراً, حصولاً), a nisba's plural or a feminine dual (عسكريين, دولتان), and no
        listed name: no person's name, though an organization's may hold one (هيئة تنظيم
        الاتصالات)."""
        forms = self.w[i].forms
        word = forms[-1]
        plural = len(word) >= 5 and word.endswith(_PLURAL_ENDINGS)
        return (plural or any(_derived_word(f) for f in forms)) and self.lists.names.isdisjoint(forms)

    def known_name(self, i: int) -> bool:
        return self.use_lists and self.in_set(i, self.lists.names) is not None

    def family_name(self, i: int, nisba: bool = False) -> bool:
        """Whether definite word ``i`` is a listed family name, as listed (القرضاوي's
        قرضاوي) or listed without its article (السنيورة: سنيورة), and not a word, a place or a
        nisba's shape: الرئيس الليبي, المتحدث الرسمي, whose adjectives are surnames too. Where
        no adjective stands (``nisba``: a verb's subject, وقال المالكي), a nisba but a country's or
        region's is one."""
        if i >= len(self.w) or not self.use_lists or not self.article(i) or self.common(i) or self.listed_place(i):
            return False
        if self.w[i].nisba and (not nisba or _nationality(self.w[i].forms[0], known=True)):
            return False  # a town's nisba is a family name as often: المالكي (المالكية, a town)
        word, lists = self.w[i].forms[0], self.lists
        bare = word[len(ARTICLE):]
        if word in lists.titles or bare in lists.org_heads or word.endswith(NISBA + TEH_MARBUTA) \
                or (bare in lists.not_name or bare in lists.stop) and bare not in lists.given:
            return False  # الرئيس, النادي, الشاهد (شاهد), العربية: a title, head, word or adjective
        # an adjective's shape, فعيل or مفعول, is the title's adjective: الكبير
        if len(bare) == 4 and bare[2] == c.YEH or len(bare) == 5 and bare[0] == c.MEEM and bare[3] == c.WAW:
            return False
        if word in lists.surname:
            return True
        # listed bare only: nor an elative, أفعل (الأكبر)
        return len(bare) > 2 and bare in lists.surname and not (len(bare) == 4 and bare[0] == c.ALEF and roots(bare))

    def clitic_name(self, i: int) -> bool:
        """Whether word ``i`` is a listed name only without a proclitic (وجود: و + جود). A
        subject or a titled name takes none, so there it is a word (أكد وجود, الرئيس السابق وجود)."""
        forms = self.w[i].forms
        return len(forms) > 1 and forms[0] not in self.lists.names and any(f in self.lists.names for f in forms[1:])

    def conjunct(self, i: int) -> bool:
        """Whether word ``i`` is و and a word rather than a name in و: و before a listed name
        (وفؤاد), a word of an Arabic root (وكبار), a common or derived word, a title, head or
        nisba (والرئيس, والياباني), or a verb's or pronoun's ending (ومواقفنا). A name in و is
        listed (وليد), a particle's complement (أبي وقاص) or foreign, of no Arabic root (غافين
        ويليامسون, جوكو ويدودو)."""
        rest, lists = self.w[i].forms[-1], self.lists
        return self.clitic_name(i) or self.common(i) or self.derived(i) or bool(roots(rest)) \
            or rest.endswith(_WORD_ENDINGS) or nisba_shaped(rest) or rest in lists.titles or rest in lists.org_heads

    def listed_place(self, i: int) -> bool:
        return any((f,) in self.lists.places.get(f, ()) for f in self.w[i].forms)

    def definite(self, i: int) -> bool:
        """Written with the article, alone or after a proclitic: الامم, للامم, والامم (not
        ألونسو, whose أل is its own)."""
        return self.w[i].definite

    def article(self, i: int) -> bool:
        """Begins with the article itself, no proclitic before it: الخارجية (not والتجارة,
        بالفلبين, nor ألماني)."""
        return self.w[i].definite and self.w[i].forms[0].startswith(ARTICLE)

    def nationality(self, i: int) -> bool:
        """Whether word ``i`` is a definite masculine nisba of a listed place (الإسباني,
        الإيطالي, القطري, السعودي; الإنجليزي of إنجلترا)."""
        word = self.w[i].forms[0]
        return nisba_shaped(word) and _nationality(word)

    def describes(self, j: int) -> bool:
        """Whether an indefinite word after a head describes it rather than names it (مركز
        ثقافي, حزب جديد, شركة مدرجة, منتدى ألماني): a noun or adjective in ة, a nisba of a known
        root or a nationality, an adjective فعيل (12ي3) of a known root, though a person may bear
        it (جديد), or a verbal noun in the accusative (ارتفاعا). A listed name in ة or ي is a
        name."""
        word = self.w[j].forms[0]
        if len(word) == 4 and word[2] == c.YEH and roots(word):
            return True
        if word.endswith(c.ALEF) and derived(word[:-1]):
            return True  # شركة ارتفاعا: a verbal noun in the accusative
        if word.endswith(NISBA) and len(word) >= 4 and _nationality(ARTICLE + word):
            return True  # منتدى ألماني
        if self.known_name(j):
            return False
        if word.endswith(TEH_MARBUTA):
            return True
        return word.endswith(NISBA) and len(word) >= 4 and bool(roots(word[:-1]))

    def word_in_phrase(self, i: int, form: str) -> bool:
        """Whether a town's one-word name reads as a word of the phrase around it: the first
        noun of a construct (في إطار التعاون, not Atar) or an adjective after a definite noun
        (القوانين الجديدة, not El Jadida). A hand-written place is always a place, and a place's
        own adjective may follow it (بنغازي الليبية)."""
        if form in self.lists.known_places:
            return False
        if form.startswith(ARTICLE):
            return i > 0 and self.joined(i) and self.definite(i - 1)
        if not self.joined(i + 1) or not self.definite(i + 1):
            return False
        after = self.w[i + 1].forms[-1]
        return not (after.endswith(NISBA) or after.endswith(NISBA + TEH_MARBUTA))

    def ambiguous_place(self, form: str) -> bool:
        """Whether a one-word place may be a word or a name instead: a short one, a given
        name (a town of GeoNames named عودة), a word of ``not_name`` or a function word.
        A hand-written place (a country, region or capital: مصر, آسيا) is a place however
        short, and though a given name too."""
        lists = self.lists
        if form in lists.not_name or form in lists.stop:
            return True
        return form not in lists.known_places and (len(form) < _MIN_PLACE or form in lists.given)

"""People, places and organizations named in a text, by lists and context rules.

A capital-less script gives no sign of a name, and many names are words too (أمل, جمال,
سلام), so a word found in a list is weak evidence. A mention is taken when:

- **organizations**: a known name (الأمم المتحدة), or an indefinite head word (وزارة, حزب,
  حركة, مجلس …) and its complement: definite words (وزارة الخارجية الأمريكية), a construct
  (اتحاد صناعة السيارات), or, after a head that names things (حركة, شركة, صحيفة …), one or
  two bare names (حركة حماس, وكالة فرانس برس); a definite head (الحكومة, الجيش الإسرائيلي)
  describes a body rather than naming it, and a company's organs (مجلس الإدارة) name none;
  a team or outlet (:mod:`.entity_teams`): a city and a masculine nisba (برشلونة الإسباني),
  a city beside a foreign word (دينامو كييف), the construct of a player's or coach's word
  (لاعب آرسنال, مدرب الأهلي المصري) or of a correspondent's (مراسل الجزيرة);
- **people**: a title (الرئيس, الوزير, الشيخ …), then, past its adjectives and construct
  (الرئيس السوري، وزير الخارجية الأمريكي), a run of name words (بشار الأسد) or a listed
  family name with its article (الرئيس السنيورة); a given name before a listed surname or
  given name (خليفة حفتر); the subject of a verb of speech or meeting (وشددت رايس, وأضاف
  المالكي); a name ends at a regnal number (عبدالله الثاني) and at و before another word
  (نبيه بري ومحمد علي);
- **places**: a known place (GeoNames cities, countries, regions; multi-word names first:
  الولايات المتحدة), unless it is also a given name or a common word; or a place head
  (مدينة, بلدة, محافظة …) and the name after it;
- **the document's own links**: once a full name is found (خليفة حفتر), its last word
  alone (حفتر, لحفتر) is a mention of it, and so is any other mention of a name found once.

Values are canonical (:func:`canonical`): normalized but ؤ ئ and a final ة or ى as written, the
proclitics و ف ب ك ل off the first word, ال kept (لحفتر → حفتر, للأمم المتحدة → الامم المتحدة).
A run never crosses punctuation, but quotation marks may open a name after a title or head
(الرئيس « بوتين »). ``mode`` gives the two halves alone (the baselines of
``benchmarks/entities.py``): ``"lists"`` takes every listed word or name as a mention of its
list's type, without context; ``"rules"`` uses the titles and heads but no list of names.

>>> entities("قال الرئيس السوري بشار الأسد في دمشق إن خليفة حفتر ... لحفتر")
{'people': ['بشار الاسد', 'خليفة حفتر'], 'places': ['دمشق'], 'orgs': []}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from . import chars as c
from .derivation import derived, roots
from .entity_lists import KINDS, canonical, entity_lists, listed_spelling
from .entity_teams import TeamReader
from .entity_text import CLITICS, TEH_MARBUTA, Word, read_words, verb_shaped
from .normalization import as_written, normalize
from .stemming import ARTICLE, WAW

__all__ = ["KINDS", "MODES", "Mention", "entities", "find_entities", "canonical"]

MODES = ("both", "lists", "rules")

_PERSON, _PLACE, _ORG = KINDS
_MAX_NAME_WORDS = 4  # a name run (بشار حافظ الأسد, محمد بن عبد الله) is no longer, its particles
# (بن, عبد, أبو) apart: عبد الرحمن بن عبد العزيز
_MAX_COMPLEMENT = 3  # وزارة الخارجية الأمريكية، الجيش الوطني الليبي
_MAX_TITLE_WORDS = 4  # منسق السياسة الخارجية للاتحاد الأوروبي
_MONTH = "شهر"
_REGNAL = frozenset(normalize(w) for w in ("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع",
                                            "الثامن", "التاسع", "العاشر"))  # الحسن الثاني, بنديكت السادس عشر
_DIN = "الدين"  # the second word of a compound given name: صلاح الدين, عماد الدين
_ALLAH = "الله"  # عبدالله, نصرالله: a name's end, though normalized as a noun's ة
_PLURAL_FEMININE = "ات"


class Mention(NamedTuple):
    """One mention: its kind (``people``, ``places``, ``orgs``), canonical value and span."""

    kind: str
    value: str
    start: int
    end: int


def _activity(head: str) -> bool:
    """A head that is a verbal noun of form II, تفعيل (تنظيم): an activity before a plural
    object (تنظيم الرحلات), a body before a name (تنظيم القاعدة); unlike اتحاد or ائتلاف,
    which are bodies before either (اتحاد الخميسات)."""
    return len(head) == 5 and head[0] == c.TEH and head[3] == c.YEH and derived(head)


class _Finder(TeamReader):
    """One left-to-right pass over a text's words; see the module's rules."""

    def __init__(self, words: list[Word], mode: str):
        super().__init__(words)
        self.use_lists, self.use_rules = mode != "rules", mode != "lists"
        self.found: list[tuple[str, tuple[str, ...], int, int]] = []  # kind, words, first, last+1

    def name_word(self, i: int, first: bool, titled: bool = False) -> bool:
        """Whether word ``i`` may be part of a person's name after a title (``titled``) or
        a given name."""
        if i >= len(self.w) or (not first and not self.joined(i)):
            return False
        lists = self.lists
        if any(f in lists.titles or f in lists.org_heads or f in lists.place_heads or f in lists.team_roles
               for f in self.w[i].forms):
            return False  # بمجلس الأمن: a preposition and a head; قال مدرب: a role
        if self.listed_place(i) and self.in_set(i, lists.given) is None or self.derived(i):
            return False  # زار سوريا: the place, though سوريا is a surname too; استخدام
        forms = self.w[i].forms
        if forms[-1].endswith(TEH_MARBUTA) and not forms[-1].endswith(_ALLAH) and not self.known_name(i) \
                and not self.definite(i):
            return False  # إيمرسون لمدة, لكرة القدم: a noun in ة, maybe after a preposition
        if self.common(i):
            if titled and self.titled_common(i, first):
                return True
            # جمال عبد الناصر: a name that is also a word is a name before another name
            return self.known_name(i) and self.joined(i + 1) and (self.known_name(i + 1) or self.family_name(i + 1)) \
                and lists.stop.isdisjoint(self.w[i].forms)
        return self.known_name(i) or not self.definite(i)

    def titled_common(self, i: int, first: bool) -> bool:
        """Whether a listed name that is also a word (فؤاد, صالح, or على's spelling علي) is a
        name after a title: as a given name, when a name word follows it (رئيس الوزراء فؤاد
        السنيورة, الرئيس علي عبد الله صالح, الرئيس حسن روحاني) and not a preposition's
        object (الرئيس سعيد بالنتائج); as a surname, ending the name (الرئيس حسني مبارك)."""
        lists, word = self.lists, self.w[i]
        if word.indefinite or word.forms[0] in lists.verbs:
            return False
        if not first:
            return word.forms[0] in lists.surname and word.forms[0] not in lists.stop
        if word.forms[0] not in lists.given or not self.joined(i + 1):
            return False
        after = self.w[i + 1]
        if self.known_name(i + 1) or after.forms[0] in lists.particles:
            return True
        if word.forms[0] in lists.stop or word.forms[0][:1] in CLITICS and word.forms[0][1:] in lists.stop:
            return False  # الراحل على جائزة: علي, spelled as على, only before a name; بأن is ب + أن, not Ban
        if len(word.forms) > 1 and not word.forms[-1].startswith(c.HAMZA) and self.definite(i + 1):
            return False  # المتحدث باسم المجلس: ب + اسم and its complement (فؤاد has no reading ف + ءاد)
        # a preposition's object is definite or a noun in ة (بالنتائج, بزيارة); بلماضي is neither
        return not any(f.startswith(ARTICLE) or f.endswith(TEH_MARBUTA) for f in after.forms[1:]) \
            and not self.common(i + 1) and not self.listed_place(i + 1) \
            and after.forms[0] not in lists.titles and after.forms[0] not in lists.org_heads

    def surname_shaped(self, i: int) -> bool:
        """A word after a titled person's first name that is a name though shaped as a verb
        (الرئيس دونالد ترمب): joined, no listed word, no article, no place, and not begun
        with ي, the verb that agrees with a man's name (الرئيس محمد يبحث)."""
        lists, word = self.lists, self.w[i]
        listed = any(f in lists.stop or f in lists.not_name or f in lists.verbs or f in lists.titles for f in word.forms)
        return self.joined(i) and not word.forms[0].startswith(c.YEH) and word.forms[0].isalpha() \
            and not word.indefinite and not self.definite(i) and not listed \
            and verb_shaped(word.forms[0], lists) and not self.listed_place(i)

    # --- matchers: each returns the index after what it took, or None ----------------
    def listed_at(self, i: int, table: dict) -> Iterator[tuple[str, ...]]:
        """The names of ``table`` written at word ``i`` (by any of its forms), longest first."""
        for form in self.w[i].forms:
            for words in table.get(form, ()):
                if all(self.joined(i + k) and self.w[i + k].forms[0] == words[k] for k in range(1, len(words))):
                    yield words

    def listed(self, i: int, table: dict, kind: str, after_head: bool = False) -> int | None:
        for words in self.listed_at(i, table):
            n = len(words)
            if kind == _PLACE and self.use_rules and not after_head:
                team = self.team(i, words)
                if team is not None:
                    return team  # برشلونة الإسباني
                if n == 1 and (self.ambiguous_place(words[0]) or self.word_in_phrase(i, words[0])):
                    continue
                team = self.foreign_team(i, words) if n == 1 else None
                if team is not None:
                    return team  # دينامو كييف, مانشستر يونايتد
            self.found.append((kind, words, i, i + n))
            return i + n
        return None

    def org(self, i: int) -> int | None:
        lists = self.lists
        head = self.in_set(i, lists.org_heads)
        if head is None:
            return None
        j, taken = i + 1, []
        while j < len(self.w) and len(taken) < _MAX_COMPLEMENT and (self.joined(j) or not taken and self.opens(j)):
            form = self.w[j].forms[0]
            if form in lists.stop or form in lists.titles or form in lists.org_heads:
                break
            if self.article(j) and (form not in lists.not_name or taken and not taken[-1].startswith(ARTICLE)):
                taken.append(form)  # وزارة الخارجية; قوات حفظ السلام: a construct's definite end, common or not
            elif not taken and self.joined(j + 1) and self.article(j + 1) \
                    and not self.common(j):
                taken.append(form)  # a construct: اتحاد صناعة السيارات
            elif len(taken) < 2 and head in lists.org_named and not self.common(j) and not self.definite(j) \
                    and not any(t.startswith(ARTICLE) for t in taken) and not self.describes(j):
                taken.append(form)  # a bare name: حركة حماس, وكالة فرانس برس
            else:
                break
            j += 1
        if not taken or _activity(head) and taken[0].endswith(_PLURAL_FEMININE):
            return None  # تنظيم الصلوات: a verbal noun and its object, not تنظيم القاعدة
        if f"{head} {taken[0]}" in lists.not_org:
            return None  # مجلس الإدارة, حركة السوق: a function, not a body's name
        self.found.append((_ORG, (head, *taken), i, j))
        return j

    def name_form(self, i: int) -> str:
        """A name word's canonical form: a listed reading without proclitics (لحفتر → حفتر),
        else the word as written (لافروف stays whole: its ل is its own)."""
        known = self.in_set(i, self.lists.names) if self.use_lists else None
        return known or self.w[i].forms[0]

    def complement(self, j: int, strong: bool) -> bool:
        """Whether word ``j`` may follow a particle (بن, أبو, آل) in a name: a name word, or
        after a title any word but a function word, verb, title or head (آل ثاني)."""
        if self.name_word(j, False, titled=strong):
            return True
        if not strong or not self.joined(j) or not self.w[j].forms[0].isalpha():
            return False
        lists = self.lists
        return not any(f in lists.stop or f in lists.verbs or f in lists.titles or f in lists.org_heads
                       for f in self.w[j].forms) and not self.derived(j)

    def person_run(self, j: int, strong: bool, subject: bool = False) -> int | None:
        """A person whose name starts at word ``j``: after a title (``strong``), name words;
        else listed names (and particles) only, after a first name word of any kind when
        ``subject`` (the subject of a verb of speech: وكرر بوش ...)."""
        lists, start = self.lists, j
        names: list[str] = []
        particles = lists.particles
        while j < len(self.w) and sum(n not in particles for n in names) < _MAX_NAME_WORDS \
                and (not names or self.joined(j)):
            forms = self.w[j].forms
            form = forms[0]
            if names and form[:1] == WAW and form not in lists.names and names[-1] not in particles \
                    and (len(names) > 1 or self.conjunct(j)):
                break  # نبيه بري وفؤاد السنيورة: و begins what follows a name
            if names and names[-1] in lists.particles and self.definite(j) and len(form) > len(ARTICLE) and form.isalpha():
                names.append(form)  # عبد الله, أبو الغيط: the particle's complement, the name goes on
                j += 1
                continue
            if names and form in _REGNAL and names[-1] not in particles:
                names.append(form)  # عبد الله الثاني: a regnal number ends the name
                j += 1
                break
            if names and form == _DIN and names[-1] not in particles and (len(names) > 1 or names[0] in lists.names):
                names.append(form)  # شمس الدين, محمود محيي الدين: a compound given name (not رجل الدين)
                j += 1
                continue
            if names and self.definite(j):
                if self.in_set(j, lists.surname) or subject and form != _DIN and self.family_name(j) \
                        or (strong and self.use_rules and len(names) == 1 and not self.common(j)):
                    names.append(form)  # بشار الأسد: a family name with its article ends the name
                    j += 1
                break
            if form in lists.particles and self.complement(j + 1, strong):
                names.append(form)
            elif names and names[-1] in lists.particles and self.complement(j, strong):
                names.append(form)  # آل ثاني: after a particle and a title, a word that is also a word
            elif (strong or not names or self.known_name(j)) and self.name_word(j, not names, titled=strong):
                names.append(self.name_form(j) if not names else form)
            elif strong and len(names) == 1 and self.surname_shaped(j):
                names.append(form)  # دونالد ترمب: the name ends there
                j += 1
                break
            else:
                break
            j += 1
        if not names or names[-1] in lists.particles or (not strong and not subject and len(names) < 2):
            return None
        self.found.append((_PERSON, tuple(names), start, j))
        return self.conjoined(j) if strong or subject else j

    def conjoined(self, j: int) -> int:
        """A second unlisted name joined to a titled or subject one by و (وكرر بوش وبلير)."""
        if not self.joined(j) or self.w[j].forms[0][:1] != WAW or len(self.w[j].forms) < 2:
            return j
        second = self.w[j].forms[1]
        if self.common(j) or self.definite(j) or self.listed_place(j) or second.endswith(TEH_MARBUTA) or self.derived(j) \
                or len(second) < 3 or self.known_name(j) and self.in_set(j, self.lists.surname) is None:
            return j
        self.found.append((_PERSON, (second,), j, j + 1))
        return j + 1

    def titled(self, i: int) -> int | None:
        """A title, its adjectives and construct, then a name (وزير الخارجية الأمريكي كولن باول),
        or a family name with its article (الشيخ القرضاوي, رئيس الوزراء السنيورة)."""
        lists = self.lists
        if self.w[i].forms[0] not in lists.titles and self.bare(i) not in lists.titles:
            return None
        j, last_definite = i + 1, None
        # An indefinite title (رئيس, قائد, عضو) heads a construct: رئيس الوزراء ...، قائد مرتزقة
        # ...; a name comes only after a definite word or an organization.
        indefinite = not self.bare(i).startswith(ARTICLE)  # بالمشير is definite: ب + المشير
        while j < len(self.w) and j - i <= _MAX_TITLE_WORDS and self.opens(j):
            after = self.org(j) if self.use_rules else None
            if after is not None:
                j = after
            elif self.definite(j) and (self.article(j) or last_definite is None or not self.family_name(last_definite)):
                last_definite = j  # السوري, الخارجية, للاتحاد; الرئيس السنيورة للوفد: the name ends
                j += 1
            else:
                break
        if j < len(self.w) and self.opens(j) and self.name_word(j, True, titled=True) \
                and not (indefinite and j == i + 1) and not self.clitic_name(j):
            return self.person_run(j, strong=True)
        if last_definite == j - 1 and last_definite > i + indefinite and self.family_name(last_definite):
            self.found.append((_PERSON, (self.w[last_definite].forms[0],), last_definite, j))
        return j if j > i + 1 else None

    def nationality_title(self, i: int) -> int | None:
        """A nationality that stands as a title before a name (فاز الإسباني فرناندو ألونسو،
        تعاقد مع البرازيلي إيمرسون), unless it is the adjective of a definite word before it
        (الفريق البرازيلي)."""
        if not self.w[i].nisba or (i and self.joined(i) and self.definite(i - 1)) or not self.nationality(i):
            return None
        j = i + 1
        if self.opens(j) and self.name_word(j, True, titled=True):
            return self.person_run(j, strong=True)
        return None

    def subject(self, i: int) -> int | None:
        """A verb of speech or meeting, then its subject when it is a name (وشددت رايس،
        واتهم فؤاد السنيورة): an unlisted word that is no common word, noun in ة or definite."""
        lists, j = self.lists, i + 1
        if self.in_set(i, lists.verbs) is None or not self.joined(j):
            return None
        if self.family_name(j, nisba=True) and not (self.joined(j + 1) and self.article(j + 1)):
            self.found.append((_PERSON, (self.w[j].forms[0],), j, j + 1))  # وقال السنيورة, أضاف المالكي
            return j + 1
        if self.common(j) and not (self.known_name(j) and self.family_name(j + 1)) or self.definite(j) or self.derived(j):
            return None  # واتهم فؤاد السنيورة: a given name that is a word, before a family name
        team = self.club(j) or self.club(j + 1)
        if team is not None:
            return team  # أعلن ريال مدريد الإسباني
        forms = self.w[j].forms
        if not self.known_name(j) and forms[0].endswith(TEH_MARBUTA) and not forms[0].endswith(_ALLAH):
            return None  # قال مصدر, أكدت وزارة: a noun
        if self.joined(j + 1) and self.listed_place(j + 1) and not self.listed_place(j):
            return None  # وصل أمير قطر, استقبل ملك الأردن: the head of a place, not a name
        if forms[0] not in lists.names and forms[-1][:1] == c.MEEM and roots(forms[-1]) or self.clitic_name(j):
            return None  # أبلغ بمقتل, أمر مروع: a noun in م, no subject; أكد وجود (see clitic_name)
        return self.person_run(j, strong=False, subject=True)

    def given(self, i: int) -> int | None:
        lists = self.lists
        if self.in_set(i, lists.given) is None or not self.joined(i + 1) or self.common(i + 1) or self.definite(i):
            return None  # البحر الأبيض: a given name takes no article
        if self.common(i) and not (self.in_set(i + 1, lists.surname) and self.family_name(i + 1)
                                   and not self.w[i].forms[-1].endswith(TEH_MARBUTA)):
            return None  # a given name that is a word before a family name listed so (فؤاد القرضاوي), but no
            # noun in ة, a construct's head (سلامة الركاب)
        if i and self.joined(i) and self.w[i - 1].forms[-1] == _MONTH:
            return None  # شهر رمضان المبارك: a month, named as people are
        if self.in_set(i + 1, lists.names) is None and self.w[i + 1].forms[0] not in lists.particles \
                and self.w[i + 1].forms[0] != _DIN:
            return None  # a given name alone may be a word (خليفة, عودة), and so may the next one
        return self.person_run(i, strong=False)

    def place_head(self, i: int) -> int | None:
        """مدينة بنغازي: a listed place, or a bare name after the head."""
        lists = self.lists
        if self.w[i].forms[0] not in lists.place_heads and self.bare(i) not in lists.place_heads:
            return None
        j = i + 1
        if not self.opens(j) or self.common(j):
            return None
        if self.use_lists and self.listed(j, lists.places, _PLACE, after_head=True) is not None:
            return self.found[-1][3]
        form = self.w[j].forms[0]
        if form.startswith(ARTICLE) or form in lists.titles or form in lists.org_heads or form in lists.place_heads:
            return None  # العاصمة السورية: an adjective, not a name
        self.found.append((_PLACE, (form,), j, j + 1))
        return j + 1

    def lone_name(self, i: int) -> int | None:
        """The lists alone: a given name or surname is a person."""
        name = self.in_set(i, self.lists.names)
        if name is None or self.bare(i) in self.lists.stop:
            return None
        j, names = i + 1, [name]
        while self.joined(j) and self.known_name(j) and len(names) < _MAX_NAME_WORDS:
            names.append(self.w[j].forms[0])
            j += 1
        self.found.append((_PERSON, tuple(names), i, j))
        return j

    def run(self) -> list[tuple[str, tuple[str, ...], int, int]]:
        lists, i = self.lists, 0
        steps = []
        if self.use_lists:
            steps += [lambda i: self.listed(i, lists.orgs, _ORG)]
        if self.use_rules:
            steps += [self.org, self.role_team, self.outlet, self.play_team, self.titled, self.subject, self.place_head]
        if self.use_lists:
            steps += [self.nationality_title] if self.use_rules else []
            steps += [lambda i: self.listed(i, lists.places, _PLACE)]
            steps += [self.given] if self.use_rules else [self.lone_name]
        starts = lists.starts
        words, use_rules = self.w, self.use_rules
        while i < len(words):
            word = words[i]
            if starts.isdisjoint(word.forms):
                if word.nisba and use_rules:  # الإسباني فرناندو ألونسو: a nationality may begin a name
                    after = self.nationality_title(i)
                    if after is not None:
                        i = after
                        continue
                i += 1
                continue
            for step in steps:
                after = step(i)
                if after is not None:
                    i = after
                    break
            else:
                i += 1
        return self.found


def _linked(words: list[Word], found: list[tuple[str, tuple[str, ...], int, int]]) -> list[tuple[str, str, int, int]]:
    """The mentions with the document's links: a surname alone is the full name found
    elsewhere in the text, and every other occurrence of a found name is a mention."""
    lists = entity_lists()
    full: dict[str, str] = {}  # a person's last word -> the full name
    for kind, names, _, _ in found:
        # عبد الله, أبو مازن: the last word of a compound name is not its bearer's surname
        if kind == _PERSON and len(names) > 1 and names[-2] not in lists.particles \
                and names[-1] not in lists.stop and names[-1] not in lists.not_name:
            full.setdefault(names[-1], " ".join(names))
    values: dict[str, tuple[str, str]] = {}  # a one-word value -> (kind, value)
    out, covered = [], set()
    for kind, names, first, end in found:
        value = " ".join(names)
        if kind == _PERSON and len(names) == 1:
            value = full.get(names[0], value)
        if len(names) == 1:
            values.setdefault(names[0], (kind, value))
        out.append((kind, value, first, end))
        covered.update(range(first, end))
    for surname, name in full.items():
        values.setdefault(surname, (_PERSON, name))
    for n, word in enumerate(words):
        if n not in covered:
            hit = next((values[f] for f in word.forms if f in values), None)
            if hit is not None:
                out.append((*hit, n, n + 1))
    return out


def find_entities(text: str, mode: str = "both") -> list[Mention]:
    """Every mention of a person, place or organization in ``text``, in text order.

    >>> [(m.kind, m.value) for m in find_entities("زار الوزير لافروف مدينة بنغازي")]
    [('people', 'لافروف'), ('places', 'بنغازي')]
    """
    if not isinstance(text, str):
        raise TypeError(f"find_entities() expects str, not {type(text).__name__}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    words = read_words(text)
    found = _Finder(words, mode).run()
    linked = _linked(words, found)
    shown = {f: as_written(f, text[w.start:w.end])  # خليفه, فءاد: خليفة, فؤاد as written
             for _, _, first, end in linked for w in words[first:end] for f in w.forms}
    out = []
    for kind, value, first, end in linked:
        value = " ".join(shown.get(v, v) for v in value.split())
        out.append(Mention(kind, listed_spelling(value), words[first].start, words[end - 1].end))
    return sorted(out, key=lambda m: m.start)



def entities(*texts: str | None, mode: str = "both") -> dict[str, list[str]]:
    """The distinct values of each kind named in ``texts`` (a title and a body, say), in
    order of first mention: ``{"people": [...], "places": [...], "orgs": [...]}``.
    Each text is read apart, but a surname in one is linked to a full name in another."""
    mentions = [m for text in texts if text for m in find_entities(text, mode)]
    people = {m.value for m in mentions if m.kind == _PERSON}
    full = {v.split()[-1]: v for v in people if " " in v}
    out: dict[str, dict[str, None]] = {kind: {} for kind in KINDS}
    for m in mentions:
        value = full.get(m.value, m.value) if m.kind == _PERSON else m.value
        out[m.kind][value] = None
    return {kind: list(values) for kind, values in out.items()}

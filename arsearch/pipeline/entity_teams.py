"""Organizations named by their people's roles, for :mod:`arsearch.pipeline.entities`.
Teams in sports news: a team is named after its city (برشلونة الإسباني) or stands after a
player's, coach's or squad's word (لاعب آرسنال, مدرب الأهلي المصري), and is an organization,
not the place it is named after. News outlets: after a correspondent's word (مراسل الجزيرة)."""

from __future__ import annotations

from . import chars as c
from .derivation import roots
from .entity_lists import KINDS
from .entity_text import TEH_MARBUTA, WordReader, verb_shaped
from .normalization import normalize
from .stemming import ARTICLE

__all__ = ["TeamReader"]

_ORG = KINDS[2]
_PRONOUN_ENDINGS = ("ها", "هم", "هما", "كم")  # فريق عملها: a noun and its pronoun
# a perfect verb's, a pronoun's, an accusative's or a plural's ending: شهدت, شاركوا, شنتها, يعيشون
_ENDINGS = ("ت", "وا", "ا", "ها", "هم", "ون", "ين", "ان")
_FUTURE = ("سي", "ست", "سن")  # سيعقد: the future's prefix on an imperfect verb
_AGAINST = frozenset(normalize(w) for w in ("على", "أمام", "مع", "ضد"))  # the other team of a verb of play


class TeamReader(WordReader):
    """The team matchers of the entity finder; ``found`` holds what they take, and
    ``person_run``/``name_word`` (the finder's) read a person after a team."""

    found: list

    def club(self, k: int) -> int | None:
        """A team named after its city (برشلونة الإسباني, ريال مدريد الإسباني, مانشستر يونايتد
        الإنجليزي): a listed place, maybe a word after it, then a masculine nisba of a country.
        A city is feminine in Arabic (مدريد الإسبانية), so the masculine adjective agrees with
        the team (النادي، الفريق) it stands for. A foreign word just before the city is the
        team's (ريال, بايرن); the adjective is no part of the name."""
        if k >= len(self.w) or not self.use_lists:
            return None
        place = next(self.listed_at(k, self.lists.places), None)
        return None if place is None else self.team(k, place)

    def team(self, k: int, place: tuple[str, ...]) -> int | None:
        """The team a listed ``place`` at word ``k`` names (see :meth:`club`), if it does."""
        span = len(place)
        end = k + span
        if not any(n < len(self.w) and self.w[n].nisba for n in (end, end + 1)):
            return None  # most places: no nisba after them
        if self.joined(end) and not self.definite(end) and not self.common(end) and not self.listed_place(end):
            end += 1  # مانشستر يونايتد
        if not (self.joined(end) and self.nationality(end)):
            return None
        start = k - 1 if k and self.joined(k) and self.team_word(k - 1) else k
        self.found.append((_ORG, (*(self.w[n].forms[0] for n in range(start, k)), *place,
                                  *(self.w[n].forms[0] for n in range(k + span, end))), start, end))
        return end + 1

    def foreign_team(self, k: int, place: tuple[str, ...]) -> int | None:
        """A one-word city beside a foreign word is a team or a paper (دينامو كييف, بايرن
        ميونيخ, مانشستر يونايتد, واشنطن بوست): the word fits no Arabic root and has no verb's
        ending (في طرابلس شهدت). Returns the index after the two words (:meth:`took_team`)."""
        if place[0].startswith(ARTICLE) or place[0] in self.lists.known_places:
            return None  # a team is named after its city without the article; a country's side is the country
        if k and self.joined(k) and self.foreign(k - 1):
            return self.took_team((self.w[k - 1].forms[0], *place), k - 1, k + 1)
        if self.joined(k + 1) and self.foreign(k + 1):
            return self.took_team((*place, self.w[k + 1].forms[0]), k, k + 2)
        return None

    def foreign(self, i: int) -> bool:
        """A word that may be a foreign team's (:meth:`unlisted_bare`) that no Arabic root fits
        and that has no ending of a verb, pronoun or accusative (شهدت, شنتها, سلبيا)."""
        word = self.w[i].forms[0]
        if word.endswith(_ENDINGS) or len(word) > 4 and word[:2] in _FUTURE:
            return False
        return self.unlisted_bare(i) and not roots(word)

    def team_word(self, i: int) -> bool:
        """A word that may begin a team's name before its city (ريال, بايرن, إنتر): none of
        the lists' or a common word, no article, and no Arabic participle or adjective's shape
        (لاعب, فريق, مدرب: the team's player or squad)."""
        word = self.w[i].forms[0]
        if len(word) < 4 or not word.isalpha() or self.common(i) or self.definite(i) or self.known_name(i):
            return False
        if any(word in s for s in (self.lists.titles, self.lists.org_heads, self.lists.place_heads)):
            return False
        shaped = len(word) == 4 and (word[1] == c.ALEF or word[2] == c.YEH) or word[:1] == c.MEEM
        return not shaped and not word.endswith(TEH_MARBUTA) and not any(m[3] > i for m in self.found)

    def role_team(self, i: int) -> int | None:
        """The team after an indefinite sports role, its construct (لاعب برشلونة, مدرب آرسنال,
        فريق إنتر ميلان الإيطالي): a listed city, maybe after a foreign word; an unlisted
        word; or a definite word with a country's masculine nisba (مدرب الأهلي
        المصري). A country stays a place (لاعب البرازيل: its national side). A person may
        follow, as after a title (مدرب برشلونة فرانك ريكارد)."""
        lists = self.lists
        if self.in_set(i, lists.team_roles) is None or not self.opens(i + 1) or not self.use_lists:
            return None
        j = i + 1
        end = self.city_team(j)
        if end is None:
            if self.listed_place(j) and not self.definite(j):
                return None  # لاعب البرازيل, فريقه بلقب
            if self.definite(j):
                if not (self.joined(j + 1) and self.nationality(j + 1)) or self.common(j) or self.listed_place(j):
                    return None
            elif not self.unlisted_bare(j):
                return None
            end = self.took_team((self.w[j].forms[0],), j, j + 1)
        # a person after the team: a listed given name, or two name words, the second bare (not
        # هدفا in سجل مهاجم آرسنال هدفا, nor بطل الدوري in فريق برشلونة بطل الدوري)
        if self.opens(end) and not self.listed_place(end) and self.name_word(end, True, titled=True) \
                and (self.in_set(end, lists.given) is not None
                     or self.name_word(end + 1, False, titled=True) and not self.definite(end + 1)):
            return self.person_run(end, strong=True)
        return end

    def city_team(self, j: int) -> int | None:
        """A team named by its city at word ``j``, where the context says a team stands
        (after a player's word or a verb of play): a listed city, maybe after a foreign word
        (إنتر ميلان), written without a clitic (فريقه بلقب is ب + لقب); a country stays a place
        (its national side is named as the country). Maybe a word and a nisba after it
        (:meth:`team`). Returns the index after the team and its nisba."""
        lists = self.lists
        if j >= len(self.w) or self.definite(j):
            return None
        first, place = (), next(self.listed_at(j, lists.places), None)
        if place is None and self.team_word(j) and self.joined(j + 1):
            first, place = (self.w[j].forms[0],), next(self.listed_at(j + 1, lists.places), None)
        if place is None or not first and " ".join(place) in lists.known_places:
            return None  # a country or capital alone: its side, named as the place (ريال مدريد is a team)
        k = j + len(first)
        if place[0] != self.w[k].forms[0] or not first and len(place) == 1 and self.ambiguous_place(place[0]):
            return None  # وإن, not Van; after a foreign word (إنتر ميلان) a city though a given name too
        end = self.team(k, place)  # مانشستر يونايتد الإنجليزي
        return self.took_team((*first, *place), j, k + len(place)) if end is None else end

    def took_team(self, name: tuple[str, ...], start: int, end: int) -> int:
        """Take words ``start:end`` as the team ``name``; the index after them and the
        team's country, if its nisba follows (no part of the name)."""
        self.found.append((_ORG, name, start, end))
        return end + 1 if self.joined(end) and self.nationality(end) else end

    def play_team(self, i: int) -> int | None:
        """A city after a masculine verb of play is its team (فاز برشلونة على فالنسيا, تعادل
        بيلباو): a city is feminine (فازت ألمانيا is the country's side, a place), so the
        masculine verb agrees with the team it stands for. So is a city after the verb's
        على, أمام, مع or ضد (the other team)."""
        if self.in_set(i, self.lists.team_verbs) is None or not self.joined(i + 1) or not self.use_lists:
            return None
        end = self.city_team(i + 1)
        if end is None:
            return None
        if self.joined(end) and self.w[end].forms[0] in _AGAINST and self.joined(end + 1):
            end = self.city_team(end + 1) or end
        return end

    def outlet(self, i: int) -> int | None:
        """The news outlet after an indefinite newsroom role (مراسل الجزيرة, موفد الأهرام):
        a definite word, with the rest of a listed place's name it begins (a channel may be
        named as a place: الجزيرة), but no common word, adjective or head (مراسل الوكالة:
        a head; مراسل صحيفة ... is :meth:`org`'s), nor a listed organization (found there)."""
        lists = self.lists
        if self.in_set(i, lists.media_roles) is None or not self.opens(i + 1) or not self.use_lists:
            return None
        j = i + 1
        if not self.article(j) or self.common(j) or self.derived(j) or self.w[j].nisba:
            return None
        word = self.w[j].forms[0]
        if word[len(ARTICLE):] in lists.org_heads or word in lists.titles or next(self.listed_at(j, lists.orgs), None):
            return None
        name = next(self.listed_at(j, lists.places), (word,))
        self.found.append((_ORG, name, j, j + len(name)))
        return j + len(name)

    def unlisted_bare(self, i: int) -> bool:
        """A word that may be a foreign team's name (آرسنال, تشيلسي): four letters or more, no
        article, in no list, no common or derived word, no shape of a participle, adjective or
        verb (محترم, يؤكد), no proclitic (a construct's second noun takes none: فريقه بلقب),
        pronoun (عملها) or noun in ة."""
        forms = self.w[i].forms
        word = forms[0]
        return len(forms) == 1 and self.team_word(i) and not self.listed_place(i) \
            and not self.derived(i) and not self.describes(i) and not word.endswith(_PRONOUN_ENDINGS) \
            and not any(verb_shaped(f, self.lists) for f in forms) \
            and self.in_set(i, self.lists.team_roles) is None

"""Words of the same root: a question's words meet their derivational relatives.

A light stemmer conflates inflections (تأسست / تأسيس are still two stems, and so are
ولد / مولد and إقليم / أقاليم): Arabic derives words from a root of three letters by
patterns (أوزان). :func:`relatives` reads a word's root off the patterns it fits and
builds the other patterns of that root. It is used for questions only, at a low weight
(``arsearch.query.RANKINGS``): relatives are related, not synonyms (قلم "pen" and إقليم
"region" share a root).

Rules (on a *normalized* word: ة → ه, أ إ آ → ا, ئ ؤ → ء, ى → ي):

- a pattern is a word with the root's letters as 1 2 3 (``م12و3`` is مفعول, ``است123``
  is استفعل); :data:`SOUND` holds the common verb forms, verbal nouns, participles,
  adjectives and broken plurals, :data:`WEAK` those of roots with a و or ي (ولد → يلد،
  ميلاد؛ قول → قال، مقال؛ دعو → دعا) or a doubled letter (حدد → حد، يحد);
- a root is read off each pattern the word fits, and kept only if it is a known root
  (Tashaphyne's dictionary of Arabic roots, hamza roots also written with ا as the
  normalizer writes them); a root letter is never ا, except first (أسس → تأسيس، أساس);
- the relatives are the root's patterns, each passed through ``stem``, and kept only if
  they still hold the root's letters (other than و ي ا; a doubled letter once) in order.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import regex

from . import chars as c

__all__ = ["DERIVED", "DERIVED_ACCUSATIVE", "DERIVED_WAW", "SOUND", "WEAK", "derived", "roots", "relatives"]

#: Patterns of every root: 1 2 3 are its letters (ف ع ل), written normalized.
SOUND = (
    # verbs, forms I-X: perfect, then imperfect (ي and ت)
    "123", "1ا23", "ا123", "ت123", "ت1ا23", "ان123", "ا1ت23", "است123",
    "ي123", "ي1ا23", "يت123", "يت1ا23", "ين123", "ي1ت23", "يست123",
    "تت123", "تت1ا23", "تن123", "ت1ت23", "تست123",
    # verbal nouns
    "12و3", "12ا3", "12ا3ه", "123ه", "ت12ي3", "م1ا23ه", "ا12ا3", "ان12ا3", "ا1ت2ا3", "است12ا3",
    # participles, nouns of place and instrument
    "م12و3", "م123", "م123ه", "م1ا23", "مت123", "مت1ا23", "من123", "م1ت23", "مست123", "م12ا3",
    # adjectives
    "12ي3", "12ي3ه", "123ان", "ا12ي3",
    # broken plurals
    "ا123ه", "123اء", "ا123اء", "12اء3", "1وا23", "م1ا2ي3", "ا1ا2ي3", "ت1ا2ي3",
)
#: Patterns of weak roots, by the root letter that is و or ي ("double": the last two
#: letters are one doubled letter).
WEAK = {
    0: ("ي23", "ت23", "23ه", "مي2ا3", "ات23", "مت23", "ات2ا3"),  # ولد: يلد، ميلاد؛ وحد: اتحاد
    1: ("1ا3", "ي1و3", "ي1ي3", "ت1و3", "ت1ي3", "م1ا3", "1اء3", "ا1ا3ه", "است1ا3ه"),  # قول: قال، يقول، مقال
    2: ("12ا", "12ي", "ي12و", "ي12ي", "ت12و", "ت12ي", "1ا2ي", "م12ي", "ت12يه", "12اء", "ا12اء"),  # دعو، مشي
    "double": ("12", "ي12", "ت12", "م12", "ا1ت2", "ي1ت2", "م1ت2", "ان12", "است12", "يست12", "مست12"),  # حدد: حد، يحد؛ قلل: استقل
}
_WEAK_LETTERS = "وي"

#: The patterns of :data:`SOUND` that only a verb or verbal noun of a derived form fits: the
#: perfect of forms VI, VII, VIII, X (تبادل، انسحب، اجتمع، استقبل), their verbal nouns
#: (انسحاب، اجتماع، استخدام) and those of forms II and III (تقديم، مشاركة); and the broken
#: plural تفاعيل (تقارير، تفاصيل). A name seldom has these shapes (names of the same shapes,
#: انتصار, are listed as names).
DERIVED = ("ت1ا23", "ان123", "ا1ت23", "است123", "ان12ا3", "ا1ت2ا3", "است12ا3", "ت12ي3", "م1ا23ه", "ت1ا2ي3")


def _compile(pattern: str) -> regex.Pattern:
    """``م12و3`` → ``م(?P<r1>.)(?P<r2>[^ا])و(?P<r3>[^ا])`` (a repeated digit: the same letter)."""
    out, seen = [], set()
    for ch in pattern:
        if ch in "123":
            out.append(f"(?P=r{ch})" if ch in seen else f"(?P<r{ch}>{'.' if ch == '1' else '[^' + c.ALEF + ']'})")
            seen.add(ch)
        else:
            out.append(regex.escape(ch))
    return regex.compile("".join(out))


@lru_cache(maxsize=1)
def _known_roots() -> frozenset[str]:
    from tashaphyne.roots_const import ROOTS

    out = set()
    for root in ROOTS:
        if len(root) == 3:
            out.add(root)
            out.add(root.replace(c.HAMZA, c.ALEF))  # أسس is written اسس once normalized
    return frozenset(out)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[object, regex.Pattern], ...]:
    compiled = [(None, _compile(p)) for p in SOUND]
    for weak, patterns in WEAK.items():
        compiled.extend((weak, _compile(p)) for p in patterns)
    return tuple(compiled)


@lru_cache(maxsize=4096)
def roots(word: str) -> frozenset[str]:
    """The known three-letter roots that ``word`` (normalized) fits by a pattern.

    >>> sorted(roots("اقاليم")), sorted(roots("يقول"))
    (['قلم'], ['قول', 'قيل'])
    """
    known = _known_roots()
    found = set()
    for weak, rx in _patterns():
        m = rx.fullmatch(word)
        if m is None:
            continue
        letters = [m.groupdict().get(f"r{i}") for i in (1, 2, 3)]
        if weak is None:
            candidates = ["".join(letters)]
        elif weak == "double":
            candidates = [letters[0] + letters[1] + letters[1]]
        else:  # the weak letter the pattern does not show: و or ي
            candidates = ["".join(letter if i == weak else x for i, x in enumerate(letters)) for letter in _WEAK_LETTERS]
        found.update(c for c in candidates if len(c) == 3 and c in known)
    return frozenset(found)


#: Verbal nouns that a name may also be shaped as (إسلام, إيمان; حمود), told apart only by
#: the accusative ending a name in a sentence seldom takes (إظهاراً, حصولاً: see
#: :func:`derived`, ``accusative``).
DERIVED_ACCUSATIVE = ("ا12ا3", "12و3")

#: ...and those of a root whose first letter is و, assimilated to the ت of form VIII
#: (اتصل، اتصال، اتحاد of وصل، وحد).
DERIVED_WAW = ("ات23", "ات2ا3")


@lru_cache(maxsize=2)
def _derived_patterns(accusative: bool) -> tuple[tuple[str, regex.Pattern], ...]:
    patterns = DERIVED + DERIVED_ACCUSATIVE if accusative else DERIVED
    return tuple(("", _compile(p)) for p in patterns) + tuple((c.WAW, _compile(p)) for p in DERIVED_WAW)


@lru_cache(maxsize=1 << 16)
def derived(word: str, accusative: bool = False) -> bool:
    """Whether ``word`` (normalized) is a derived verb, a verbal noun or a plural تفاعيل: it
    fits a pattern of :data:`DERIVED` (or :data:`DERIVED_WAW`) with a known root; with
    ``accusative`` (the word had an accusative ending, taken off), one of
    :data:`DERIVED_ACCUSATIVE` too.

    >>> derived("استخدام"), derived("انتقل"), derived("اتصال"), derived("لافروف")
    (True, True, True, False)
    """
    known = _known_roots()
    for first, rx in _derived_patterns(accusative):
        m = rx.fullmatch(word)
        if m is not None and (first or m["r1"]) + m["r2"] + m["r3"] in known:
            return True
    return False


def _forms(root: str):
    patterns = list(SOUND)
    for weak, extra in WEAK.items():
        if (root[1] == root[2]) if weak == "double" else root[weak] in _WEAK_LETTERS:
            patterns.extend(extra)
    for p in patterns:
        yield p.replace("1", root[0]).replace("2", root[1]).replace("3", root[2])


def _holds(letters: str, term: str) -> bool:
    rest = iter(term)
    return all(ch in rest for ch in letters)


def relatives(word: str, stem: Callable[[str], str] = str) -> tuple[str, ...]:
    """Words of ``word``'s roots (see :func:`roots`) on the patterns, each passed through
    ``stem`` (e.g. the query's stem view), without ``stem(word)`` itself; sorted.

    >>> "مولد" in relatives("ولد"), "اقاليم" in relatives("اقليم")
    (True, True)
    """
    own = stem(word)
    out = set()
    for root in roots(word):
        # its letters other than و ي ا, a doubled one once (حدد: يحد)
        strong = "".join(ch for i, ch in enumerate(root) if ch not in _WEAK_LETTERS + c.ALEF and root[i - 1 : i] != ch)
        for form in _forms(root):
            term = stem(form)
            if len(term) >= 3 and term != own and _holds(strong, term) and c.ALEF * 2 not in term:
                out.add(term)
    return tuple(sorted(out))

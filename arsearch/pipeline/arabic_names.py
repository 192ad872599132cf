"""How Arabic writes names, apart from any Latin: the spellings of one foreign name
(ترامب, ترمب) and the names written joined or in two words (عبدالعزيز, عبد العزيز)."""

from __future__ import annotations

from . import chars as c
from . import latin_tables as t

__all__ = ["spelling_skeleton", "written_apart"]

_ARABIC_ARTICLE = c.ALEF + c.LAM

_LONG_VOWELS = frozenset((c.ALEF, c.WAW, c.YEH, c.ALEF_MAKSURA, c.HAMZA))


def spelling_skeleton(term: str) -> str:
    """A normalized Arabic term without the long vowels and hamza Arabic writers add or
    leave out in a foreign name (ترامب and ترمب, أميركا and أمريكا, بوتين and بوتن), but its
    first letter: terms with one skeleton may be spellings of one name (و, a clitic
    first, is kept: وترمب is not ترمب).

    >>> spelling_skeleton("ترامب") == spelling_skeleton("ترمب"), spelling_skeleton("امريكا") == spelling_skeleton("اميركا")
    (True, True)
    >>> spelling_skeleton("وترمب") == spelling_skeleton("ترمب")
    False
    """
    return term[:1] + "".join(ch for ch in term[1:] if ch not in _LONG_VOWELS)


def written_apart(term: str) -> tuple[str, ...]:
    """A normalized name that joins the article of its second part, in its two words:
    عبدالعزيز is also written عبد العزيز, نصرالله نصر الله; ``()`` for any other term.

    >>> written_apart("عبدالعزيز"), written_apart("نصرالله"), written_apart("عبيد")
    (('عبد', 'العزيز'), ('نصر', 'الله'), ())
    """
    for first in t.JOINED_FIRST_PARTS:
        if term.startswith(first + _ARABIC_ARTICLE) and len(term) > len(first) + 3:
            return first, term[len(first):]
    if term.endswith(t.ALLAH) and len(term) > len(t.ALLAH) + 1:
        return term[:-len(t.ALLAH)], t.ALLAH
    return ()

"""The word lists shipped in ``arsearch/data``, read once and normalized."""

from __future__ import annotations

from functools import cache
from importlib import resources

from . import chars as c
from .normalization import normalize

__all__ = ["word_list", "stopwords", "is_stopword", "name_table"]


@cache
def _written_words(name: str) -> tuple[str, ...]:
    """The words of ``arsearch/data/<name>`` as written: one per line, ``#`` starts a comment.

    A missing file is a packaging bug, so it raises rather than returning nothing.
    """
    text = resources.files("arsearch").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return tuple(w for w in (line.strip() for line in text.splitlines()) if w and not w.startswith("#"))


@cache
def word_list(name: str) -> frozenset[str]:
    """The normalized words of ``arsearch/data/<name>``: one per line, ``#`` starts a comment."""
    return frozenset(w for w in map(normalize, _written_words(name)) if w)


def stopwords() -> frozenset[str]:
    """The shipped Arabic stopword list, normalized at load time."""
    return word_list("stopwords.txt")


@cache
def yeh_words() -> frozenset[str]:
    """The normalized stopwords the list writes with a final ى only (على, إلى, حتى):
    written with a final ي, their normalized form is another word (علي, the name Ali)."""
    written = _written_words("stopwords.txt")
    maksura = {normalize(w) for w in written if w.endswith(c.ALEF_MAKSURA)}
    return frozenset(maksura - {normalize(w) for w in written if w.endswith(c.YEH)})


def is_stopword(written: str, normalized: str, stop: frozenset[str] | None = None) -> bool:
    """Whether a token as ``written`` (its ``normalized`` form given) is a stopword of
    ``stop`` (the shipped list by default): its normalized form is on the list, unless it
    ends in ي where the list writes ى. Normalizing ى to ي makes the preposition على and
    the name علي (Ali) one word; only their spelling tells them apart, so علي stays a name.

    >>> is_stopword("على", "علي"), is_stopword("علي", "علي"), is_stopword("عَلِيٌّ", "علي")
    (True, False, False)
    """
    if normalized not in (stopwords() if stop is None else stop):
        return False
    if normalized in yeh_words():
        return written.rstrip("".join(c.MARKS) + c.TATWEEL)[-1:] != c.YEH
    return True


@cache
def name_table(name: str) -> dict[str, tuple[str, ...]]:
    """The rows of the tab-separated table ``arsearch/data/<name>``: a key, a tab, then values
    separated by ``|`` (normalized); ``#`` starts a comment line. Read once."""
    text = resources.files("arsearch").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, values = line.partition("\t")
        table[key] = tuple(normalize(v) for v in values.split("|") if v)
    return table

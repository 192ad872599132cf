"""The word lists shipped in ``arsearch/data``, read once and normalized."""

from __future__ import annotations

from functools import cache
from importlib import resources

from .normalization import normalize

__all__ = ["word_list", "stopwords", "name_table"]


@cache
def word_list(name: str) -> frozenset[str]:
    """The normalized words of ``arsearch/data/<name>``: one per line, ``#`` starts a comment.

    A missing file is a packaging bug, so it raises rather than returning nothing.
    """
    text = resources.files("arsearch").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    words = (normalize(line.strip()) for line in text.splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))


def stopwords() -> frozenset[str]:
    """The shipped Arabic stopword list, normalized at load time."""
    return word_list("stopwords.txt")


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

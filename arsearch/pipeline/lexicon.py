"""The word lists shipped in ``arsearch/data``, read once and normalized."""

from __future__ import annotations

from functools import cache
from importlib import resources

from .normalization import normalize

__all__ = ["word_list", "stopwords"]


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

"""The seed article as a test corpus: its text, its sentences, its words.

Built once per session (the seed never changes); fixtures in ``tests/conftest.py``
hand them to the tests.
"""

from __future__ import annotations

from functools import cache

from arsearch.pipeline.tokenizer import tokenize

from .paths import SEED_DIR

SEED_FILE = SEED_DIR / "000_de690f560e5f0edb.txt"


@cache
def seed_text() -> str:
    """The seed article."""
    return SEED_FILE.read_text(encoding="utf-8")


@cache
def seed_sentences() -> tuple[str, ...]:
    """The seed article cut into sentences at full stops and line ends (empty ones
    dropped, spaces kept)."""
    return tuple(s for s in seed_text().replace("\n", ".").split(".") if s.strip())


@cache
def seed_words() -> tuple[str, ...]:
    """The seed article's tokens, in order."""
    return tuple(t.text for t in tokenize(seed_text()))


def seed_documents(repeat: int = 1) -> list[dict]:
    """The seed's sentences (``repeat`` times over) as documents d0, d1, ...; every
    fifth one titled with an earlier sentence."""
    sentences = list(seed_sentences())
    return [{"id": f"d{i}", "text": s, "title": sentences[i // 3] if i % 5 == 0 else None}
            for i, s in enumerate(sentences * repeat)]

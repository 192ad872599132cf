"""The bundled seed documents: the default index of ``arsearch search``."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

__all__ = ["seed_files", "seed_documents", "seed_index"]


def _seed_dir() -> Traversable:
    installed = resources.files("arsearch").joinpath("_seeds")
    if installed.is_dir():
        return installed
    # Running from a source checkout: the repository's seeds/ folder.
    return Path(__file__).resolve().parent.parent / "seeds"


def seed_files() -> list[Traversable]:
    """The seed text files, sorted by name."""
    return sorted((p for p in _seed_dir().iterdir() if p.name.endswith(".txt")), key=lambda p: p.name)


def seed_documents() -> Iterator[dict[str, str]]:
    """Each seed file as a document: id = file name without .txt, title = first line."""
    for path in seed_files():
        text = path.read_text(encoding="utf-8")
        title = next((line.strip() for line in text.splitlines() if line.strip()), None)
        yield {"id": path.name.removesuffix(".txt"), "text": text, "title": title, "source": "seed"}


@lru_cache(maxsize=1)
def seed_index():
    """An in-memory index of the seed documents, built once per process."""
    from .index import Index

    index = Index()
    index.add_many(seed_documents())
    return index

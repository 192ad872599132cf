"""What the benchmark scripts share: where the repository and the shared data are, and the
news corpus read one article at a time."""

from __future__ import annotations

import gzip
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

#: The repository (this file's folder's parent).
REPO = Path(__file__).resolve().parent.parent
#: The shared data beside the repository (``../shared/data``), read-only.
DEFAULT_DATA = REPO.parent / "shared" / "data"


def news_articles(path: Path) -> Iterator[dict]:
    """The articles of the news corpus (gzipped JSON Lines: ``id``, ``title``, ``text``,
    ``source``, ``category``…), one by one, in the corpus's order."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        yield from map(json.loads, f)


def commit() -> str:
    """The checkout's commit as ``git describe`` gives it (``-dirty`` if changed), for reports."""
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"

from __future__ import annotations

from pathlib import Path

import pytest

SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (SEED_DIR / "000_de690f560e5f0edb.txt").read_text(encoding="utf-8")

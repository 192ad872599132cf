"""Where the tests find the repository, the seed articles and the fixtures."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
SEED_DIR = REPO / "seeds"
FIXTURES = TESTS / "fixtures"

from __future__ import annotations

import pytest
from helpers.corpus import seed_sentences as _seed_sentences
from helpers.corpus import seed_text as _seed_text


@pytest.fixture(scope="session")
def seed_text() -> str:
    return _seed_text()


@pytest.fixture
def seed_sentences() -> list[str]:
    """The seed article cut into sentences (a new list for each test)."""
    return list(_seed_sentences())

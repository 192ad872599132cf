"""Helpers shared by the tests (``from helpers import ...`` works from every test folder:
``tests/`` is on the import path through ``tests/conftest.py``)."""

from .analysis import Expected, assert_analyzes_to, assert_tokens, step_by_step, whoosh_terms
from .corpus import seed_documents, seed_sentences, seed_text, seed_words
from .equivalence import hits_of, whoosh_hits
from .paths import FIXTURES, REPO, SEED_DIR
from .threads import run_threads

__all__ = [
    "FIXTURES",
    "REPO",
    "SEED_DIR",
    "Expected",
    "assert_analyzes_to",
    "assert_tokens",
    "hits_of",
    "run_threads",
    "seed_documents",
    "seed_sentences",
    "seed_text",
    "seed_words",
    "step_by_step",
    "whoosh_hits",
    "whoosh_terms",
]

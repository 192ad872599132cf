"""Run the ``>>>`` examples of every analysis module: each docstring is also a spec."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    pytest.param("arsearch.normalization", id="normalization"),
    pytest.param("arsearch.tokenizer", id="tokenizer"),
    pytest.param("arsearch.stemming", id="stemming"),
    pytest.param("arsearch.pipeline", id="pipeline"),
    pytest.param("arsearch.analysis", id="analysis"),
    pytest.param("arsearch.derivation", id="derivation"),
    pytest.param("arsearch.snippets", id="snippets"),
]


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no doctest"
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"

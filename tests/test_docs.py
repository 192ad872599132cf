"""Every ```python block of the README and of docs/*.md runs, so examples cannot rot.

A file's blocks run in order in one namespace (a later block may use what an earlier one
defined), in a temporary working directory, so that an example creating ``news-index``
writes there. Shell examples are fenced as ```sh and are not run here. The decision
records (docs/decisions/) are history and hold no examples to run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A fence opening with exactly ```python, up to the next fence at the same indentation.
_BLOCK = re.compile(r"^(?P<indent>[ \t]*)```python[ \t]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
                    re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The ```python blocks of a Markdown text: (line of the fence, code), in order."""
    blocks = []
    for m in _BLOCK.finditer(text):
        indent = len(m.group("indent"))
        code = "".join(line[indent:] for line in m.group("code").splitlines(keepends=True))
        blocks.append((text.count("\n", 0, m.start()) + 1, code))
    return blocks


def test_extractor_finds_python_blocks_only():
    text = "a\n```python\nx = 1\n```\n```sh\nls\n```\n  ```python\n  y = 2\n  ```\n"
    assert python_blocks(text) == [(2, "x = 1\n"), (8, "y = 2\n")]


def test_every_doc_has_been_found():
    names = {p.name for p in DOC_FILES}
    assert {"README.md", "tutorial.md", "query-language.md"} <= names


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_doc_examples_run(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": f"doc:{path.name}"}
    for line, code in python_blocks(path.read_text(encoding="utf-8")):
        where = f"{path.relative_to(ROOT)}:{line}"
        exec(compile(code, where, "exec"), namespace)

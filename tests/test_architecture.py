"""The package's layout holds: small modules, no import cycle, no private name shared
across modules, and each package importing only what lies below it on the data's path
(``docs/architecture.md``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "arsearch"

#: The data's path, bottom up: a module may import its own layer and those below.
LAYERS = {
    "errors": 0,
    "pipeline": 1,
    "codec": 2,
    "readercache": 2,
    "analysis": 3,
    "metadata": 3,
    "phrases": 3,
    "scoring": 3,
    "schema": 4,
    "query": 4,
    "snippets": 4,
    "topk": 5,
    "parsing": 6,
    "searching": 6,
    "writing": 6,
    "batch": 7,
    "opening": 7,
    "index": 8,
    "api": 9,
    "seeds": 9,
    "ingest": 9,
    "cli": 10,
}
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """``(module, names)`` of each import of an arsearch module in ``path``, outside
    ``if TYPE_CHECKING:`` blocks (function-level imports count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and getattr(node.test, "id", None) == "TYPE_CHECKING" for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "arsearch":
                continue
            names = [a.name for a in node.names]
            if node.module is None:  # from . import chars: each name is a module
                found += [(f"{target}.{n}" if f"{target}.{n}" in MODULES else target, [n]) for n in names]
            else:
                found.append((target, names))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names if a.name.split(".")[0] == "arsearch"]
    return found


def _layer(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else ""
    return LAYERS[top] if top else 99  # the package itself is the top


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_small(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it along its jobs"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_private_name_crosses_modules(name):
    for target, names in _imports(name, MODULES[name]):
        private = [n for n in names if n.startswith("_") and n != "__version__"]
        assert not private, f"{name} imports {private} from {target}: make it public where it is shared"


@pytest.mark.parametrize("name", sorted(m for m in MODULES if m != "arsearch"))
def test_imports_go_down_the_data_path(name):
    for target, _ in _imports(name, MODULES[name]):
        if target == "arsearch":  # the version string
            continue
        assert _layer(target) <= _layer(name), f"{name} (layer {_layer(name)}) imports {target} (layer {_layer(target)})"


def test_no_import_cycle():
    graph = {name: {t for t, _ in _imports(name, path) if t in MODULES and t != name} for name, path in MODULES.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_every_layer_is_known():
    tops = {name.split(".")[1] for name in MODULES if name.count(".")}
    assert tops <= set(LAYERS), f"modules without a layer: {tops - set(LAYERS)}"

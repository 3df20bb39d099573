"""The package layout: docs/ARCHITECTURE.md lists every module, imports flow one way (a layer
imports only from the layers below it), and no module outgrows one idea."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kg"
#: Bottom to top; the package root (the library API) and __main__ sit above them all.
LAYERS = ("model", "store", "curation", "reasoning", "views", "cli")
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_shipped" not in p.parts)


def _layer(module: str) -> int:
    """The layer index of a dotted module name inside kg (the root and __main__ are on top)."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return len(LAYERS)


def _name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every kg import in the file, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "kg" or node.module.startswith("kg."):
                found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("kg.")]
    return found


def test_architecture_page_lists_every_module_and_nothing_else() -> None:
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^- `(kg/[\w/]+\.py)`: \S", page, flags=re.MULTILINE))
    actual = {str(p.relative_to(ROOT)) for p in _modules()}
    assert actual - listed == set(), "add these modules to docs/ARCHITECTURE.md"
    assert listed - actual == set(), "docs/ARCHITECTURE.md lists modules that do not exist"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_flow_one_way(path: Path) -> None:
    own = _layer(_name(path))
    upward = []
    for line, module, _names in _imports(path):
        if _layer(module) > own:
            upward.append(f"line {line}: {module}")
    assert upward == [], f"{_name(path)} imports from a layer above it"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_are_small_and_say_their_job(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_LINES, f"over {MAX_LINES} lines: split it by idea"
    tree = ast.parse(text)
    assert ast.get_docstring(tree), "a module's docstring says its one job"


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The layer check is not vacuous: a model module importing from views is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from kg.views.answers import trace_text\n", encoding="utf-8")
    ((_line, module, _names),) = _imports(bad)
    assert _layer(module) > _layer("kg.model.records")

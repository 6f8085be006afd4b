"""The rules of ARCHITECTURE.md that a reader of the tree relies on, checked on every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bioplan import layout

ROOT = layout.PROJECT_ROOT
CORE = sorted((ROOT / "bioplan").rglob("*.py"))
CODE = CORE + sorted((ROOT / "api").rglob("*.py"))
MAX_LINES = 400


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_imports_the_http_layer(path):
    reaching_up = {name for name in imported_modules(path) if name == "api" or name.startswith("api.")}
    assert reaching_up == set()


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_at_most_a_dozen_modules_directly_in_bioplan():
    assert len(list((ROOT / "bioplan").glob("*.py"))) <= 12


def test_a_backend_is_told_apart_only_by_the_factory():
    """Callers rely on the Store protocol (its ``kind`` and ``supports_bulk_load``), not on a class."""
    for path in CODE:
        if path.parent.name == "store":
            continue
        text = path.read_text(encoding="utf-8")
        assert "isinstance(" not in text or not any(
            f", {backend})" in text for backend in ("OxigraphStore", "RemoteStore")
        ), path

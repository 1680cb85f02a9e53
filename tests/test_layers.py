"""The layers, read from the imports of every module: each imports only downwards.

``model`` and ``export`` import no UI; ``views`` import no screen and no app;
screens import no app; no two modules import each other, however indirectly;
no module is over 400 lines. Imports under ``if TYPE_CHECKING:`` are for the
type checker only and are left out; imports inside functions count.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "tuiprof"
MAX_LINES = 400

UI = ("textual", "rich", "tuiprof.views", "tuiprof.screens", "tuiprof.app", "tuiprof.commands")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "tuiprof.model": (*UI, "tuiprof.export", "tuiprof.actions", "tuiprof.messages"),
    "tuiprof.export": (*UI, "tuiprof.actions", "tuiprof.messages"),
    "tuiprof.views": ("tuiprof.screens", "tuiprof.app", "tuiprof.commands"),
    "tuiprof.screens": ("tuiprof.app", "tuiprof.commands"),
    "tuiprof.actions": ("tuiprof.views", "tuiprof.screens", "tuiprof.app", "tuiprof.commands"),
    "tuiprof.messages": ("tuiprof.views", "tuiprof.screens", "tuiprof.app"),
}
"""What each layer (a module or a package) must never import."""


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = frozenset(module_name(path) for path in PACKAGE.rglob("*.py"))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> Iterator[str]:
    """Every module ``path`` imports at run time, by absolute name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                pending.extend(child.orelse)
                continue
            if isinstance(child, ast.Import):
                yield from (alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*parent, base]) if base else ".".join(parent)
                # ``from tuiprof.model import session`` depends on that module
                # (a package's __init__ runs for any of its modules anyway).
                submodules = [f"{base}.{alias.name}" for alias in child.names]
                found = [name for name in submodules if name in MODULES]
                yield from found
                if len(found) < len(submodules):
                    yield base
            pending.append(child)


@functools.cache
def graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {
        name: {imported for imported in imports_of(path) if imported in modules} - {name}
        for name, path in modules.items()
    }


@functools.cache
def all_imports() -> dict[str, set[str]]:
    return {module_name(path): set(imports_of(path)) for path in PACKAGE.rglob("*.py")}


def within(name: str, layer: str) -> bool:
    return name == layer or name.startswith(layer + ".")


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_downwards(layer: str) -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imported_set in sorted(all_imports().items())
        if within(module, layer)
        for imported in sorted(imported_set)
        if any(within(imported, banned) for banned in FORBIDDEN[layer])
    ]
    assert wrong == []


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of ``edges``: each strongly connected part of two or more modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        # Tarjan's algorithm, with an explicit stack of (node, its remaining successors).
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(edges.get(succ, ())))))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                part: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1:
                    found.append(sorted(part))
    return found


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_the_cycle_check_can_fail() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_the_import_reader_sees_lazy_imports() -> None:
    path = PACKAGE / "screens" / "main.py"
    imported = set(imports_of(path))
    assert "tuiprof.screens.export_dialog" in imported  # imported inside an action
    assert "tuiprof.views.registry" in imported


def test_no_module_is_over_400_lines() -> None:
    long = {
        module_name(path): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}

"""No file imports another that imports it back, however far round (DESIGN.md: a web
edge's routes never import its `app`; screens see the engine through a protocol).

import-linter keeps the layers apart but not the files inside one package; this walks
every module's imports with `ast` (at module level, under `TYPE_CHECKING` and inside
functions alike: a deferred import hides a cycle, it does not remove it) and fails
naming each cycle it finds."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "flows")


def module_files(package: str) -> dict[str, Path]:
    """Every module of `package`, by dotted name (a package by its own name)."""
    modules = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of `known` that the module `name` (at `path`) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from package import module` imports the module; a name is the package's.
            found.update(
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            )
    return {module for module in found if module in known and module != name}


def import_graph(packages: Iterable[str]) -> dict[str, set[str]]:
    files = {name: path for package in packages for name, path in module_files(package).items()}
    known = set(files)
    return {name: imported(name, path, known) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """One cycle through each strongly connected component of more than one module
    (Tarjan's algorithm), as the path of modules that closes it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    for component in components:
        yield closing_path(graph, component)


def closing_path(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest path from the component's first module back to itself."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & component):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle in {sorted(component)}")  # pragma: no cover


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_imports_one_that_imports_it_back(package: str) -> None:
    found = [
        " -> ".join(path)
        for path in cycles(import_graph(PACKAGES))
        if path[0] == package or path[0].startswith(f"{package}.")
    ]
    assert not found, "import cycles:\n" + "\n".join(found)


def test_a_cycle_is_found_and_named() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert list(cycles(graph)) == [["a", "b", "c", "a"]]


def test_imports_inside_functions_and_relative_imports_count(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("def f():\n    from pkg.b import x\n")
    (tmp_path / "pkg" / "b.py").write_text("from . import a\nfrom .a import f\n")
    known = {"pkg", "pkg.a", "pkg.b"}
    assert imported("pkg.a", tmp_path / "pkg" / "a.py", known) == {"pkg.b"}
    assert imported("pkg.b", tmp_path / "pkg" / "b.py", known) == {"pkg.a"}

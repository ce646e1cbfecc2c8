"""The import graph: no cycle among module-level imports, and the layers of docs/architecture.md.

Imports are read with :mod:`ast` from every module of the project (``bot``,
``handlers``, ``nlp``, ``storage``, ``config``); nothing is imported. An import
at module level (including one under ``if TYPE_CHECKING:``, which mypy follows)
counts for the cycle check; imports inside functions are lazy and only count for
the layer rules and the second cycle check, which hold wherever the import is written.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "nlp", "storage", "config")

#: Module-level cycles allowed: none.
ALLOWED_CYCLES: set[frozenset[str]] = set()


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    module_level: bool
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _resolve(source: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = source.split(".")
    if not _is_package(source):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


class _Collector(ast.NodeVisitor):
    def __init__(self, source: str) -> None:
        self.source = source
        self.depth = 0
        self.found: list[Import] = []

    def _add(self, target: str, line: int) -> None:
        self.found.append(Import(self.source, target, self.depth == 0, line))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = _resolve(self.source, node)
        for alias in node.names:
            submodule = f"{module}.{alias.name}"
            self._add(submodule if submodule in MODULES else module, node.lineno)


def _imports() -> list[Import]:
    found: list[Import] = []
    for name, path in MODULES.items():
        collector = _Collector(name)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        found.extend(collector.found)
    return found


IMPORTS = _imports()


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def test_the_graph_is_read() -> None:
    assert "bot.services.cases" in MODULES
    assert "handlers.citizen" in MODULES
    assert any(
        i.source == "bot.runtime.telegram_app" and i.target == "handlers.citizen_conversation"
        for i in IMPORTS
    )


def test_no_cycle_among_module_level_imports() -> None:
    edges: dict[str, set[str]] = {}
    for imp in IMPORTS:
        if imp.module_level and imp.target in MODULES and imp.target != imp.source:
            edges.setdefault(imp.source, set()).add(imp.target)
    cycles = [c for c in _cycles(edges) if frozenset(c) not in ALLOWED_CYCLES]
    assert cycles == []


def test_no_cycle_even_through_lazy_imports() -> None:
    """Imports inside functions must not close a circle either (no lazy-import workarounds)."""
    edges: dict[str, set[str]] = {}
    for imp in IMPORTS:
        if imp.target in MODULES and imp.target != imp.source:
            edges.setdefault(imp.source, set()).add(imp.target)
    cycles = [c for c in _cycles(edges) if frozenset(c) not in ALLOWED_CYCLES]
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


LAYERS = [
    # (modules, forbidden import prefixes)
    (
        "bot.services",
        (
            "telegram",
            "aiohttp",
            "handlers",
            "bot.web",
            "bot.runtime",
            "bot.cli",
            "bot.bench",
            "bot.fakeapi",
        ),
    ),
    ("nlp", ("bot", "storage", "handlers")),
    ("storage", ("bot", "handlers")),
    # handlers may reach bot.web.auth only (the dashboard's login links); see EXCEPTIONS
    ("handlers", ("bot.web", "bot.cli", "bot.bench")),
    ("bot.web", ("handlers", "bot.cli", "bot.bench")),
    ("bot.runtime", ("bot.cli", "bot.bench")),
]


#: (importing layer, imported module) pairs the rules above let through.
EXCEPTIONS = {("handlers", "bot.web.auth")}


@pytest.mark.parametrize(("layer", "forbidden"), LAYERS, ids=[layer for layer, _ in LAYERS])
def test_layers(layer: str, forbidden: tuple[str, ...]) -> None:
    wrong = [
        f"{imp.source}:{imp.line} imports {imp.target}"
        for imp in IMPORTS
        if _within(imp.source, layer)
        and any(_within(imp.target, f) for f in forbidden)
        and (layer, imp.target) not in EXCEPTIONS
    ]
    assert wrong == []


def test_the_self_harm_family_is_named_in_one_place() -> None:
    """``"self_harm"`` is written once, as ``nlp.families.SELF_HARM``: every other module
    (the cases model, triage, the emergency step's crisis line) uses that name."""
    defined = MODULES["nlp.families"]
    written = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in MODULES.values()
        if path != defined
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value == "self_harm"
    ]
    assert written == []

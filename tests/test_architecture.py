"""The shape of the code: no import circle, and lower stages never import higher ones.

Walks every module of `src/newsledger` with `ast` (nothing is imported), builds the graph of
the imports between newsledger modules (at the top of a module and inside functions alike: an
import inside a function that closes a circle is a circle all the same), and checks:
- the graph has no cycle;
- each module imports only its own stage, the base modules (`records`, `errors`, `datafiles`,
  the package root) and lower stages, in the order of COMMON.md / docs/architecture.md.

`from package import name` counts as an import of `package.name` when that is a module, else of
`package` (so a package's `__init__` re-exporting its own modules is not a circle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
ROOT = "newsledger"

BASE = {"newsledger", "newsledger.records", "newsledger.errors", "newsledger.datafiles"}
# stage -> rank; a module may import modules of its own rank or lower. Packages not named here
# (cli, evaluate) sit on top: they may import anything and nothing imports them but themselves.
LAYERS: dict[str, int] = {
    "readers": 1,
    "repair": 2,
    "annotate": 3,
    "extract": 4,
    "geo": 4,
    "pipeline": 5,
    "store": 6,
    "track": 7,
    "web": 8,
    "watch": 8,
    "report": 8,
    "review": 8,
}
TOP = 9  # cli, evaluate and anything else


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / ROOT).rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def _imports(name: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(newsledger module imported, line) for every import statement in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if _is_package(name, modules) else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == ROOT:
                    yield _known(alias.name, modules), node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != ROOT:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield (sub if sub in modules else _known(target, modules)), node.lineno


def _known(name: str, modules: dict[str, Path]) -> str:
    """The longest prefix of `name` that is a module of the package."""
    while name not in modules and "." in name:
        name = name.rpartition(".")[0]
    return name


def _graph() -> dict[str, dict[str, int]]:
    modules = _modules()
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        edges = graph.setdefault(name, {})
        for target, line in _imports(name, path, modules):
            if target != name:
                edges.setdefault(target, line)
    return graph


def _rank(module: str) -> int | None:
    """None for a base module; else the module's stage rank."""
    if module in BASE:
        return None
    stage = module.split(".")[1]
    return LAYERS.get(stage, TOP)


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return components


def test_the_walk_finds_the_package() -> None:
    graph = _graph()
    assert "newsledger.pipeline.core" in graph
    assert "newsledger.annotate.annotator" in graph["newsledger.pipeline.core"]


def test_no_import_circle() -> None:
    assert _cycles(_graph()) == []


def test_lower_stages_never_import_higher_ones() -> None:
    graph = _graph()
    wrong = []
    for module, edges in sorted(graph.items()):
        rank = _rank(module)
        for target, line in sorted(edges.items()):
            target_rank = _rank(target)
            if target_rank is None:
                continue
            if rank is None or target_rank > rank:
                wrong.append(f"{module} (line {line}) imports {target}")
    assert wrong == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert _cycles(graph) == [["a", "b", "c"]]

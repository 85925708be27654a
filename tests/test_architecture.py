"""The import rule of docs/architecture.md: a package imports only packages of lower levels
(the shared modules, level 0, may import one another)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers.paths import REPO

PACKAGE = REPO / "src" / "newsledger"
LEVELS = (  # docs/architecture.md, "What may import what"
    ("records", "errors", "datafiles", ""),  # "": newsledger itself (its __version__)
    ("readers",),
    ("repair",),
    ("annotate",),
    ("geo",),
    ("extract",),
    ("store",),
    ("track",),
    ("pipeline",),
    ("evaluate", "watch", "report", "review"),
    ("web",),
    ("cli",),
)
LEVEL = {name: n for n, names in enumerate(LEVELS) for name in names}


def part(module: str) -> str:
    """newsledger.extract.events.dates -> extract; newsledger -> ''."""
    return module.split(".")[1] if "." in module else ""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every newsledger module `path` imports, relative imports resolved."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                found.append((node.lineno, ".".join([*base, *filter(None, [node.module])])))
            elif node.module:
                found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] == "newsledger"]


def test_every_package_has_a_level() -> None:
    packages = {part(module_name(p)) for p in PACKAGE.rglob("*.py")}
    unknown = sorted(packages - LEVEL.keys())
    assert not unknown, (
        f"packages without a level: {unknown}: give each one in docs/architecture.md and LEVELS"
    )


def test_no_package_imports_one_of_its_level_or_above() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = part(module_name(path))
        for line, name in imported(path):
            target = part(name)
            level, own = LEVEL.get(target, 0), LEVEL.get(source, 0)
            if target != source and level >= own and not level == own == 0:
                wrong.append(f"{path.relative_to(REPO)}:{line}: {source} imports {name}")
    assert not wrong, "imports against docs/architecture.md:\n" + "\n".join(wrong)

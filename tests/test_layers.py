"""The package's layers, as README's Development section draws them: imports point one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sti_plan"
DATA = {
    "model",
    "periods",
    "problems",
    "observations",
    "results",
    "formats",
    "limits",
    "units",
    "i18n",
}
LOAD = {
    "plan_file",
    "sources",
    "workbook",
    "values",
    "layout",
    "plausibility",
    "actuals",
    "allocations",
    "task_file",
}
COMPUTE = {
    "progress",
    "pace",
    "trend",
    "years",
    "report",
    "rollup",
    "bulletin",
    "template",
    "explain",
    "tasks",
}
# What each module may import of the package (besides the package's own __version__).
ALLOWED = {
    **{name: DATA for name in DATA},
    **{name: DATA | LOAD for name in LOAD},
    **{name: DATA | COMPUTE for name in COMPUTE},
    # validate: files loaded, then checked as assessing them would (the roll-up's warnings)
    "validation": DATA | LOAD | COMPUTE,
    "render": DATA,
    "output": {"problems", "i18n"},
    "cli": DATA | LOAD | COMPUTE | {"validation", "render", "output"},
}


def modules() -> list[Path]:
    """Every module but the package's own entry points (its lazy API and `python -m`)."""
    entry = {PACKAGE / "__init__.py", PACKAGE / "__main__.py"}
    return sorted(p for p in PACKAGE.rglob("*.py") if p not in entry)


def layer(path: Path) -> str:
    """render/records.py belongs to render, actuals.py to actuals."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported(path: Path) -> set[str]:
    """Every module a file imports, by its full name (relative imports resolved)."""
    package = ["sti_plan", *path.relative_to(PACKAGE).parent.parts]
    found: set[str] = set()
    for node in _run_time_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            if node.module:
                found.add(f"{base}.{node.module}" if base else node.module)
            else:
                found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _run_time_nodes(node: ast.AST) -> list[ast.AST]:
    """The nodes under `node`, less what `if TYPE_CHECKING:` holds (for type checkers only)."""
    test = node.test if isinstance(node, ast.If) else None
    if isinstance(node, ast.If) and isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
        return [child for other in node.orelse for child in _run_time_nodes(other)]
    found = [node]
    for child in ast.iter_child_nodes(node):
        found += _run_time_nodes(child)
    return found


def own_modules(path: Path) -> set[str]:
    """The package's modules a file imports, by their first name (render for render.text)."""
    names = {name.split(".")[1] for name in imported(path) if name.startswith("sti_plan.")}
    return names - {layer(path), "__version__"}


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    allowed = ALLOWED[layer(path)]
    assert own_modules(path) <= allowed, own_modules(path) - allowed


@pytest.mark.parametrize(
    ("outside", "only_in"),
    [
        ("rich", {"render/tables.py"}),
        ("typer", {"cli.py"}),
        ("yaml", {"plan_file.py"}),
        ("jinja2", {"render/html.py"}),
        ("pygal", {"render/html.py"}),
        ("markupsafe", {"render/html.py"}),
        ("xlsxwriter", {"render/xlsx.py"}),
    ],
)
def test_outside_packages_stay_in_their_module(outside: str, only_in: set[str]) -> None:
    users = {
        str(p.relative_to(PACKAGE))
        for p in modules()
        if any(name.split(".")[0] == outside for name in imported(p))
    }
    assert users == only_in

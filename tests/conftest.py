"""Shared fixtures: the bundled plan, CSV helpers, and a CLI runner with a fixed terminal."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sti_plan import sources
from sti_plan.actuals import Actuals, load_actuals, read_actuals
from sti_plan.model import Plan
from sti_plan.plan_file import bundled_plan_path, load_plan

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "actuals-2020-h1.csv"
SOURCE_TEXT = (
    Path(__file__).resolve().parent.parent / "data" / "source" / "wuhu-sti-2020-work-key-points.txt"
)
HEADER = "target,period,value,region\n"


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich reads these when a console is made: fixed width, no colour, no terminal tricks."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("STI_PLAN_ACTUALS", raising=False)
    monkeypatch.delenv("STI_PLAN_PLAN", raising=False)


@pytest.fixture(scope="session")
def source_text() -> str:
    """The published text of the 2020 work key points."""
    return SOURCE_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example() -> Path:
    """The bundled illustrative half-year actuals file."""
    return EXAMPLE


@pytest.fixture(scope="session")
def plan() -> Plan:
    loaded, problems = load_plan(bundled_plan_path())
    assert loaded is not None, problems
    return loaded


@pytest.fixture
def plan_data() -> dict[str, Any]:
    """The bundled plan as plain data, to change and validate again."""
    data = yaml.safe_load(bundled_plan_path().read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def folded(actuals: Actuals) -> dict[str, Any]:
    """All that a read of an actuals file found, to compare two reads of one file."""
    values = [  # lists, not dicts: the order of measures, periods and regions shows
        (
            measure,
            [
                (
                    key,
                    r.label,
                    str(r.city),
                    r.city_line,
                    str(r.regional_sum),  # the exponent too: 5.0 is not 5
                    r.regional_count,
                    list(r.regions.items()),
                )
                for key, r in periods.items()
            ],
        )
        for measure, periods in actuals.values.items()
    ]
    problems = [(p.code, p.message, p.line, p.col) for p in actuals.problems]
    return {
        "rows": actuals.rows,
        "count": actuals.problem_count,
        "problems": problems,
        "values": values,
    }


def _read_both_ways(text: str, plan: Plan, folder: Path, block_chars: int) -> Actuals:
    """Read CSV text row by row, and from a file in blocks of `block_chars` (the plain
    way, wherever the text allows); both reads must find the same. The first is returned."""
    by_rows = read_actuals(io.StringIO(text, newline=""), plan, "actuals.csv")
    path = folder / "actuals.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "_BLOCK_CHARS", block_chars)
        in_blocks = load_actuals(path, plan)
    assert folded(in_blocks) == folded(by_rows)
    return by_rows


@pytest.fixture(scope="session")
def read_both_ways() -> Callable[[str, Plan, Path, int], Actuals]:
    return _read_both_ways


@pytest.fixture
def read_csv(plan: Plan, tmp_path: Path) -> Callable[..., Actuals]:
    """Read CSV text (header included) against a plan, the bundled one by default.

    Comma-separated UTF-8 text is also read from a file, in blocks of a few lines and in
    one block, and must give the same: every test of the loader checks both ways through it.
    """

    def read(text: str, against: Plan | None = None, path: str = "actuals.csv") -> Actuals:
        header = text.split("\n", 1)[0]
        if path == "actuals.csv" and "," in header and not text.startswith("\ufeff"):
            _read_both_ways(text, against or plan, tmp_path, block_chars=40)
            return _read_both_ways(text, against or plan, tmp_path, block_chars=1 << 16)
        return read_actuals(io.StringIO(text, newline=""), against or plan, path)

    return read


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a file under tmp_path (text as UTF-8, or bytes as given) and return its path."""

    def write_file(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return write_file

"""The JSON contracts: keys that scripts and reports rely on. Change them only with schema_version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sti_plan.cli import app
from sti_plan.problems import Code

PLAN_KEYS = ["id", "title", "title_en", "issuer", "year"]
TARGET_KEYS = [
    "id",
    "name",
    "name_en",
    "unit",
    "gap_unit",
    "kind",
    "comparison",
    "target",
    "actual",
    "period",
    "basis",
    "baseline",
    "expected",
    "percent_of_target",
    "gap",
    "to_meet",
    "progress_percent",
    "pace_percent",
    "vs_pace_pp",
    "growth",
    "regions",
    "note",
    "stale",
    "pace",
    "projection",
    "compound",
    "status",
]
PACE_KEYS = ["profile", "declared", "note"]
PROJECTION_KEYS = ["run_rate", "seasonal", "low", "high", "meets_target"]
COVERAGE_KEYS = ["reported", "expected", "missing", "period"]
PROBLEM_KEYS = ["code", "path", "line", "col", "sheet", "message", "severity"]
GAP_KEYS = [
    *TARGET_KEYS,
    "months_elapsed",
    "months_remaining",
    "remaining",
    "pace_so_far",
    "pace_needed",
    "projected_year_end",
    "ratio",
    "growth_need",
]
RATIO_KEYS = [
    "numerator",
    "denominator",
    "denominator_value",
    "numerator_current",
    "numerator_needed",
]
GROWTH_KEYS = [
    "of",
    "base_period",
    "base_value",
    "current_value",
    "needed_value",
    "year_end_base",
    "year_end_needed",
]
STATUSES = ["achieved", "on_track", "at_risk", "off_track", "missed", "no_data"]


def run_json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_status_contract(runner: CliRunner, example: Path) -> None:
    data = run_json(runner, "status", str(example))
    assert list(data) == [
        *("schema_version", "plan", "as_of", "counts", "stale_counts", "targets", "problems")
    ]
    assert data["schema_version"] == 1
    assert list(data["plan"]) == PLAN_KEYS
    assert list(data["counts"]) == STATUSES
    assert list(data["stale_counts"]) == STATUSES
    assert all(list(target) == TARGET_KEYS for target in data["targets"])
    assert {t["status"] for t in data["targets"]} <= set(STATUSES)
    paced = [t["pace"] for t in data["targets"] if t["pace"] is not None]
    projected = [t["projection"] for t in data["targets"] if t["projection"] is not None]
    assert paced and all(list(pace) == PACE_KEYS for pace in paced)
    assert projected and all(list(range_) == PROJECTION_KEYS for range_ in projected)


def test_status_contract_without_data(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "actuals.csv"
    empty.write_text("target,period,value\n", encoding="utf-8")
    data = run_json(runner, "status", str(empty))
    assert data["as_of"] is None
    for target in data["targets"]:
        assert list(target) == TARGET_KEYS
        assert target["status"] == "no_data"
        figures = TARGET_KEYS[TARGET_KEYS.index("actual") : TARGET_KEYS.index("stale")]
        assert [target[k] for k in figures] == [None] * 14
        assert target["stale"] is False
        assert target["pace"] is target["projection"] is target["compound"] is None


@pytest.mark.parametrize(
    ("target", "ratio", "growth"),
    [
        ("rd_ratio", True, False),
        ("tech_contract_growth", False, True),
        ("key_projects", False, False),
    ],
)
def test_gap_contract(
    runner: CliRunner, example: Path, target: str, ratio: bool, growth: bool
) -> None:
    data = run_json(runner, "gap", "--target", target, str(example))
    assert list(data) == ["schema_version", "plan", "as_of", "target", "problems"]
    assert list(data["target"]) == GAP_KEYS
    assert (list(data["target"]["ratio"]) if ratio else None) == (RATIO_KEYS if ratio else None)
    need = data["target"]["growth_need"]
    assert (list(need) if growth else None) == (GROWTH_KEYS if growth else None)


def test_ranking_contract(runner: CliRunner, example: Path) -> None:
    data = run_json(runner, "gap", str(example))
    assert list(data) == ["schema_version", "plan", "as_of", "ranking", "problems"]
    assert all(
        list(row) == ["rank", *TARGET_KEYS, "shortfall_vs_expected"] for row in data["ranking"]
    )


def test_validate_contract(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("target,period,value\nnothing,2020,1\n", encoding="utf-8")
    data = run_json(runner, "validate", str(example), str(bad))
    assert list(data) == ["schema_version", "valid", "problem_count", "warning_count", "files"]
    for report in data["files"]:
        assert list(report) == [
            "path",
            "kind",
            "valid",
            "rows",
            "encoding",
            "sheet",
            "problem_count",
            "problems",
        ]
    [problem] = data["files"][1]["problems"]
    assert list(problem) == PROBLEM_KEYS


def test_targets_contract(runner: CliRunner) -> None:
    data = run_json(runner, "targets")
    assert list(data) == ["schema_version", "plan", "measures"]
    assert all(
        list(m)
        == [
            "id",
            "role",
            "name",
            "name_en",
            "unit",
            "kind",
            "comparison",
            "target",
            "aliases",
            "derived_by",
        ]
        for m in data["measures"]
    )


def test_readme_lists_every_problem_code_as_the_code_has_it() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("| code | what is wrong |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines()]
    listed = [(code.strip().strip("`"), text.strip()) for code, text in rows]
    assert listed == [(code.value, code.description) for code in Code]


def test_explain_contract(runner: CliRunner, example: Path) -> None:
    data = run_json(runner, "explain", "-t", "hitech_enterprises", str(example))
    assert list(data) == ["schema_version", "plan", "as_of", "target", "figures", "problems"]
    assert list(data["target"]) == [
        "id",
        "name",
        "name_en",
        "unit",
        "gap_unit",
        "kind",
        "comparison",
        "target",
        "stale",
    ]
    assert list(data["figures"]) == [
        "actual",
        "baseline",
        "expected",
        "percent_of_target",
        "progress_percent",
        "pace_percent",
        "vs_pace_pp",
        "gap",
        "to_meet",
        "growth",
        "status",
    ]
    shown = [figure for figure in data["figures"].values() if figure is not None]
    assert all(list(figure) == ["value", "formula", "note", "inputs"] for figure in shown)
    inputs = [row for figure in shown for row in figure["inputs"]]
    assert inputs and all(
        list(row) == ["file", "line", "sheet", "region", "period", "value"] for row in inputs
    )

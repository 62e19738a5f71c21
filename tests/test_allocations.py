"""Allocations (任务分解): each region's share of a target, long or wide, CSV or workbook."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sti_plan.allocations import load_allocations
from sti_plan.cli import app
from sti_plan.model import Plan

Write = Callable[[str, str | bytes], Path]

LONG = """\
指标,地区,目标值
重点科技项目,镜湖区,20
重点科技项目,弋江区,15
重点科技项目,南陵县,-
重点科技项目,全市,60
key_project_funding,镜湖区,3000万元
key_project_funding,弋江区,0.8
"""

WIDE = """\
指标,镜湖区,弋江区,南陵县,经开区
key_projects,20,15,—,30
高企,300,250,200,
"""


def problems(allocations: Any) -> list[tuple[str, int | None, str]]:
    return [(p.code.value, p.line, p.message) for p in allocations.problems]


def test_a_long_file_with_chinese_headers_units_and_dashes(write: Write, plan: Plan) -> None:
    allocations = load_allocations(write("a.csv", LONG), plan)
    # 重点科技项目: 20 + 15 = 35 of 60 over the regions counted in the total: short.
    assert problems(allocations) == [
        (
            "allocation-short",
            2,
            "key_projects: the regions' shares add up to 35, less than the city's target of 60",
        )
    ]
    assert allocations.values["key_projects"] == {"jinghu": 20, "yijiang": 15}  # - : none
    # 3000万元 = 0.3亿元; 0.3 + 0.8 = 1.1 >= 1: not short.
    assert allocations.values["key_project_funding"] == {
        "jinghu": Decimal("0.3"),
        "yijiang": Decimal("0.8"),
    }
    assert allocations.layout == "long"


def test_a_wide_file_as_breakdown_tables_are_printed(write: Write, plan: Plan) -> None:
    allocations = load_allocations(write("a.csv", WIDE), plan)
    assert allocations.layout == "wide"
    assert allocations.values["key_projects"] == {"jinghu": 20, "yijiang": 15, "etdz": 30}
    assert allocations.values["hitech_enterprises"] == {
        "jinghu": 300,
        "yijiang": 250,
        "nanling": 200,
    }
    # key_projects: 20 + 15 = 35 < 60 (经开区's 30 is inside its district: not counted);
    # 高企: 300 + 250 + 200 = 750 < 900.
    assert [(code, line) for code, line, _ in problems(allocations)] == [
        ("allocation-short", 2),
        ("allocation-short", 3),
    ]


def test_a_wide_workbook_reads_as_the_csv(tmp_path: Path, write: Write, plan: Plan) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in WIDE.splitlines():
        book.active.append([int(c) if c.isdigit() else c for c in row.split(",")])
    path = tmp_path / "a.xlsx"
    book.save(path)
    from_book = load_allocations(path, plan)
    from_csv = load_allocations(write("a.csv", WIDE), plan)
    assert from_book.values == from_csv.values


def test_what_is_wrong_in_an_allocations_file(write: Write, plan: Plan) -> None:
    text = (
        "target,region,value\n"
        "key_projects,镜湖区,20\n"
        "key_projects,镜湖,21\n"  # 镜湖 is 镜湖区: a duplicate
        "key_projetcs,弋江区,5\n"
        "gdp,弋江区,5\n"  # an indicator has no target to share
        "key_projects,火星,5\n"
        "talent_teams,弋江区,lots\n"
        "talent_teams,南陵县,-3\n"
    )
    found = problems(load_allocations(write("a.csv", text), plan))
    assert [(code, line) for code, line, _ in found] == [
        ("duplicate-row", 3),
        ("unknown-target", 4),
        ("unknown-target", 5),
        ("unknown-region", 6),
        ("type-error", 7),
        ("negative-value", 8),
        ("allocation-short", 2),
    ]
    assert found[0][2] == "key_projects for 镜湖区 is already given at line 2"
    assert "did you mean 'key_projects'?" in found[1][2]
    assert found[2][2].startswith("not a target (an indicator) 'gdp'")


def test_validate_tells_an_allocations_file_by_its_header(
    runner: CliRunner, write: Write, example: Path
) -> None:
    path = write("a.csv", LONG)
    result = runner.invoke(app, ["validate", str(path), str(example), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(f["kind"], f["valid"]) for f in report["files"]] == [
        ("allocations", True),
        ("actuals", True),
    ]
    assert report["warning_count"] == 1
    text = runner.invoke(app, ["validate", str(path)])
    assert text.stdout == (
        f"{path}:2: warning: allocation-short: key_projects: the regions' shares add up to 35, "
        "less than the city's target of 60\n"
    )
    assert runner.invoke(app, ["validate", str(path), "--strict"]).exit_code == 1


def test_allocations_say_which_regions_the_city_sum_waits_for(
    runner: CliRunner, write: Write
) -> None:
    """镜湖区 and 弋江区 have a share of key_projects; only 镜湖区 reports June, and 弋江区
    has no row this year: the sum is not taken (without allocations it would be 4)."""
    shares = write("a.csv", LONG)
    actuals = write("b.csv", "target,period,value,region\nkey_projects,2020-06,4,镜湖区\n")
    result = runner.invoke(
        app, ["status", str(actuals), "--allocations", str(shares), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [projects] = [t for t in data["targets"] if t["id"] == "key_projects"]
    assert (projects["status"], projects["actual"]) == ("no_data", None)
    assert projects["regions"] == {
        "reported": 1,
        "expected": 2,
        "missing": ["弋江区"],
        "period": "2020-06",
    }
    assert [p["code"] for p in data["problems"]] == ["allocation-short", "incomplete-regions"]
    assert (
        f"{actuals}:2: warning: incomplete-regions: key_projects 2020-06: 弋江区 has not "
        "reported (no row this year)"
    ) in result.stderr
    without = json.loads(runner.invoke(app, ["status", str(actuals), "-f", "json"]).stdout)
    [alone] = [t for t in without["targets"] if t["id"] == "key_projects"]
    assert alone["actual"] == 4


def test_a_plan_names_its_allocations_file_beside_it(
    runner: CliRunner, tmp_path: Path, plan_data: dict[str, Any], write: Write
) -> None:
    (tmp_path / "shares.csv").write_text(LONG, encoding="utf-8")
    plan_path = tmp_path / "plan.yaml"
    data = {**plan_data, "allocations": "shares.csv"}
    plan_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    actuals = write("b.csv", "target,period,value,region\nkey_projects,2020-06,4,镜湖区\n")
    result = runner.invoke(app, ["status", str(actuals), "--plan", str(plan_path), "-f", "json"])
    [projects] = [t for t in json.loads(result.stdout)["targets"] if t["id"] == "key_projects"]
    assert projects["regions"]["missing"] == ["弋江区"]
    # The option wins over what the plan names.
    other = write("c.csv", "指标,镜湖区\nkey_projects,60\n")
    chosen = runner.invoke(
        app,
        [
            "status",
            str(actuals),
            "--plan",
            str(plan_path),
            "--allocations",
            str(other),
            "-f",
            "json",
        ],
    )
    [projects] = [t for t in json.loads(chosen.stdout)["targets"] if t["id"] == "key_projects"]
    assert projects["actual"] == 4
    checked = runner.invoke(app, ["validate", str(plan_path), "-f", "json"])
    assert [f["kind"] for f in json.loads(checked.stdout)["files"]] == ["plan", "allocations"]


def test_an_allocations_file_that_is_not_there_is_exit_2(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["status", str(example), "--allocations", "nowhere.csv"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: nowhere.csv")

"""Plausibility warnings (README, "Warnings"): ytd-decrease and looks-like-fraction, at the
line of the row that looks wrong; --percent-cells and the plan's percent_cells."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sti_plan.actuals import load_actuals
from sti_plan.cli import app
from sti_plan.model import Plan
from sti_plan.observations import Actuals

HEADER = "target,period,value,region\n"
ReadCsv = Callable[..., Actuals]


def warnings(actuals: Actuals) -> list[tuple[str, int | None, str]]:
    assert all(p.severity == "warning" for p in actuals.problems), actuals.problems
    return [(p.code, p.line, p.message) for p in actuals.problems]


def rows(read_csv: ReadCsv, *lines: str, plan: Plan | None = None) -> Actuals:
    return read_csv(HEADER + "".join(f"{line}\n" for line in lines), plan)


# --- ytd-decrease -------------------------------------------------------------------------------


def test_a_month_figure_where_the_running_total_belongs(read_csv: ReadCsv) -> None:
    actuals = rows(
        read_csv,
        "key_projects,2020-04,25,",
        "key_projects,2020-05,30,",
        "key_projects,2020-06,2,",
    )
    assert warnings(actuals) == [
        (
            "ytd-decrease",
            4,
            "key_projects for the whole city: 2 in 2020-06 is lower than 30 in 2020-05: a "
            "year-to-date total does not fall (a month's own figure, 当月, where the "
            "year-to-date one, 累计, belongs?)",
        )
    ]
    # The figure still stands as reported: a warning says what it rests on, no more.
    reported = actuals.reported("key_projects", 2020, 6)
    assert reported is not None and reported.city == Decimal(2)


def test_each_fall_below_the_highest_so_far_is_warned_of(read_csv: ReadCsv) -> None:
    """30 in May; 28 in June and 29 in July are both below it (not below each other)."""
    actuals = rows(
        read_csv,
        "key_projects,2020-07,29,",
        "key_projects,2020-05,30,",
        "key_projects,2020-06,28,",
    )
    assert [(code, line) for code, line, _ in warnings(actuals)] == [
        ("ytd-decrease", 2),
        ("ytd-decrease", 4),
    ]
    assert "29 in 2020-07 is lower than 30 in 2020-05" in warnings(actuals)[0][2]
    assert "28 in 2020-06 is lower than 30 in 2020-05" in warnings(actuals)[1][2]


def test_a_region_falling_is_warned_of_by_its_name(read_csv: ReadCsv) -> None:
    actuals = rows(
        read_csv,
        "rd_institutions,2020-03,2,镜湖区",
        "rd_institutions,2020-06,1,镜湖区",
        "rd_institutions,2020-06,3,弋江区",
    )
    [(code, line, message)] = warnings(actuals)
    assert (code, line) == ("ytd-decrease", 3)
    assert message.startswith(
        "rd_institutions for region '镜湖区': 1 in 2020-06 is lower than 2 in 2020-03"
    )


@pytest.mark.parametrize(
    "lines",
    [
        # Another year starts again from zero.
        ("key_projects,2019,58,", "key_projects,2020-03,10,"),
        # The same total twice is no fall.
        ("key_projects,2020-05,30,", "key_projects,2020-06,30,"),
        # A stock (a level) may fall: enterprises lose their certificates.
        ("hitech_enterprises,2020-03,820,", "hitech_enterprises,2020-06,812,"),
        # A rate is not a running total.
        ("hitech_value_added_growth,2020-03,9,", "hitech_value_added_growth,2020-06,8.7,"),
        # The city and a region are not compared with each other.
        ("key_projects,2020-03,30,", "key_projects,2020-06,5,镜湖区"),
    ],
)
def test_what_is_not_a_decrease(read_csv: ReadCsv, lines: tuple[str, ...]) -> None:
    assert rows(read_csv, *lines).problems == []


# --- looks-like-fraction ------------------------------------------------------------------------


def test_a_percentage_cell_read_as_a_fraction_against_the_target(read_csv: ReadCsv) -> None:
    """rd_ratio's target is 3.1 %: 0.031 is probably 3.1 % in a cell formatted as a %."""
    [(code, line, message)] = warnings(rows(read_csv, "rd_ratio,2020-06,0.031,"))
    assert (code, line) == ("looks-like-fraction", 2)
    assert message == (
        "rd_ratio for the whole city: 0.031 in 2020-06 looks like a fraction: did you mean "
        "3.1? (a cell formatted as a percentage holds 8.7 % as 0.087; --percent-cells reads "
        "a workbook's cells so)"
    )


def test_a_fraction_against_other_periods(read_csv: ReadCsv, plan_data: dict[str, Any]) -> None:
    """A target below 1 (0.5 %) says nothing; another period at 1 or more does."""
    for target in plan_data["targets"]:
        if target["id"] == "tech_contract_growth":
            target["value"] = "0.5"
    plan = Plan.model_validate(plan_data)
    alone = rows(read_csv, "tech_contract_growth,2020-06,0.087,", plan=plan)
    assert alone.problems == []
    beside = rows(
        read_csv,
        "tech_contract_growth,2020-03,9.2,",
        "tech_contract_growth,2020-06,0.087,",
        plan=plan,
    )
    [(code, line, message)] = warnings(beside)
    assert (code, line) == ("looks-like-fraction", 3)
    assert "0.087 in 2020-06 looks like a fraction: did you mean 8.7?" in message


@pytest.mark.parametrize(
    "lines",
    [
        ("rd_ratio,2020-06,0,",),  # 0 is 0 however it is written
        ("rd_ratio,2020-06,2.61,",),
        ("hitech_value_added_growth,2020-06,-1.5,",),
        ("key_project_funding,2020-06,0.46,",),  # 亿元, not %
        # A growth of 0.8 % against a target of 10 %: 80 is no likelier (more than 3 × 10).
        ("hitech_value_added_growth,2020-06,0.8,",),
        ("hitech_value_added_growth,2020-06,-0.5,",),
    ],
)
def test_what_does_not_look_like_a_fraction(read_csv: ReadCsv, lines: tuple[str, ...]) -> None:
    assert rows(read_csv, *lines).problems == []


def test_a_negative_fraction_is_warned_of_too(read_csv: ReadCsv) -> None:
    """-0.046 beside 8.7: probably -4.6 %."""
    actuals = rows(
        read_csv,
        "hitech_value_added_growth,2020-03,-0.046,",
        "hitech_value_added_growth,2020-06,8.7,",
    )
    [(code, line, message)] = warnings(actuals)
    assert (code, line) == ("looks-like-fraction", 2)
    assert "-0.046 in 2020-03 looks like a fraction: did you mean -4.6?" in message


# --- workbooks: --percent-cells -----------------------------------------------------------------


@pytest.fixture
def percent_book(tmp_path: Path) -> Path:
    """rd_ratio as a number cell formatted as a percentage (0.031, shown 3.1%), growth
    written as text (8.7) and with its sign (-4.6%), and a count."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["指标", "统计期", "数值"])
    sheet.append(["rd_ratio", "2020-06", 0.031])
    sheet["C2"].number_format = "0.0%"
    sheet.append(["hitech_value_added_growth", "2020-06", "8.7"])
    sheet.append(["hitech_value_added_growth", "2020-03", "-4.6%"])
    sheet.append(["hitech_enterprises", "2020-06", 812])
    path = tmp_path / "percent.xlsx"
    book.save(path)
    return path


def values(actuals: Actuals) -> dict[str, Decimal | None]:
    return {
        measure: reported.city
        for measure, periods in actuals.values.items()
        for (_, months), reported in periods.items()
        if months == 6
    }


def test_percent_cells_reads_number_cells_of_percent_targets_as_fractions(
    plan: Plan, percent_book: Path
) -> None:
    read = load_actuals(percent_book, plan, percent_cells=True)
    assert read.problems == []
    # 0.031 × 100 = 3.1; a text cell (8.7) and a count (812) are as written.
    assert values(read) == {
        "rd_ratio": Decimal("3.1"),
        "hitech_value_added_growth": Decimal("8.7"),
        "hitech_enterprises": Decimal(812),
    }
    q1 = read.reported("hitech_value_added_growth", 2020, 3)
    assert q1 is not None and q1.city == Decimal("-4.6")


def test_without_percent_cells_the_fraction_is_warned_of(plan: Plan, percent_book: Path) -> None:
    read = load_actuals(percent_book, plan)
    assert values(read)["rd_ratio"] == Decimal("0.031")
    assert [(p.code, p.sheet, p.line) for p in read.problems] == [
        ("looks-like-fraction", "Sheet", 2)
    ]


def test_the_plan_setting_percent_cells_fraction(
    runner: CliRunner, tmp_path: Path, plan_data: dict[str, Any], percent_book: Path
) -> None:
    plan_data["settings"] = {**plan_data.get("settings", {}), "percent_cells": "fraction"}
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text(yaml.safe_dump(plan_data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(
        app, ["gap", str(percent_book), "--plan", str(plan_path), "-t", "rd_ratio", "-f", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert '"actual": 3.1' in result.stdout


def test_percent_cells_on_the_command_line(runner: CliRunner, percent_book: Path) -> None:
    loose = runner.invoke(app, ["validate", str(percent_book)])
    assert loose.exit_code == 0
    assert "warning: looks-like-fraction" in loose.stdout
    assert runner.invoke(app, ["validate", "--strict", str(percent_book)]).exit_code == 1
    read = runner.invoke(app, ["validate", "--percent-cells", str(percent_book)])
    assert (read.exit_code, read.stdout) == (0, "")
    assert "no problems" in read.stderr


def test_percent_cells_leaves_a_text_file_as_written(
    runner: CliRunner, write: Callable[[str, str], Path]
) -> None:
    """A CSV cell has no format: 0.031 stays 0.031 (and is warned of)."""
    path = write("a.csv", "target,period,value\nrd_ratio,2020-06,0.031\n")
    result = runner.invoke(app, ["status", str(path), "--percent-cells", "-f", "json"])
    assert result.exit_code == 0
    assert "looks-like-fraction" in result.stderr
    (rd_ratio,) = [t for t in json.loads(result.stdout)["targets"] if t["id"] == "rd_ratio"]
    assert rd_ratio["actual"] == 0.031

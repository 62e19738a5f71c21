"""sti-plan explain (README, "Explain"): every figure of a target with its formula, the
numbers put in, and the input rows it rests on; both directions of every kind."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sti_plan.cli import app
from sti_plan.explain import explain
from sti_plan.model import Plan
from sti_plan.observations import Actuals
from sti_plan.periods import parse_period
from sti_plan.render.records import formula
from sti_plan.results import Explanation, Input

D = Decimal
HEADER = "target,period,value,region\n"
EXAMPLE = "examples/actuals-2020-h1.csv"


def run(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["explain", *args, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def rows_of(figure: dict[str, Any]) -> list[tuple[int, str | None, str, float]]:
    return [(i["line"], i["region"], i["period"], i["value"]) for i in figure["inputs"]]


@pytest.fixture
def example_path(example: Path) -> str:
    return str(example)


def test_a_stock_paced_from_its_baseline(runner: CliRunner, example_path: str) -> None:
    """高企 > 900, 785 at the end of 2019, 812 in June."""
    figures = run(runner, "-t", "hitech_enterprises", example_path)["figures"]
    actual, baseline = figures["actual"], figures["baseline"]
    assert (actual["value"], actual["formula"]) == (812, "812")
    assert rows_of(actual) == [(3, None, "2020-06", 812)]
    assert actual["inputs"][0]["file"] == example_path
    assert (baseline["value"], rows_of(baseline)) == (785, [(2, None, "2019", 785)])
    # 785 + (900 − 785) × 6/12 = 785 + 57.5
    assert figures["expected"]["formula"] == "785 + (900 − 785) × 6/12 = 842.5"
    assert rows_of(figures["expected"]) == [(2, None, "2019", 785)]
    # (812 − 785) / (900 − 785) × 100 = 27 / 115 × 100 = 23.4782608…
    progress = figures["progress_percent"]
    assert progress["formula"].startswith("(812 − 785) / (900 − 785) × 100 = 23.478260869")
    assert [line for line, *_ in rows_of(progress)] == [3, 2]
    assert figures["pace_percent"]["formula"] == "6 / 12 × 100 = 50"
    assert figures["gap"]["formula"] == "900 − 812 = 88"
    # 突破900家: 901 is the least count that meets it.
    assert figures["to_meet"]["formula"] == "901 − 812 = 89"
    assert figures["to_meet"]["note"] == "> 900家 in whole counts: 901 is the nearest"
    # The change since the baseline, 27, against 0.9 × the change due, 57.5.
    assert figures["status"]["value"] == "off_track"
    assert figures["status"]["formula"] == "27 < 0.9 × 57.5 = 51.75: off_track"
    assert figures["growth"] is None  # no June 2019 row


def test_a_regional_sum_names_every_region_row(runner: CliRunner, example_path: str) -> None:
    figures = run(runner, "-t", "rd_institutions", example_path)["figures"]
    actual = figures["actual"]
    assert actual["formula"] == "1 + 1 + 2 = 4"
    assert actual["note"] == "the sum of 3 regions' rows, 2020-06"
    assert rows_of(actual) == [
        (12, "镜湖区", "2020-06", 1),
        (13, "弋江区", "2020-06", 1),
        (14, "鸠江区", "2020-06", 2),
    ]
    # 7 × 6/12 = 3.5; 4 ≥ 3.5: on track.
    assert figures["expected"]["formula"] == "7 × 6/12 = 3.5"
    assert figures["status"]["formula"] == "4 ≥ 3.5: on_track"
    assert figures["baseline"] is None  # cumulative: no baseline


def test_a_ratio_names_both_operands_rows(runner: CliRunner, example_path: str) -> None:
    figures = run(runner, "-t", "rd_ratio", example_path)["figures"]
    actual = figures["actual"]
    # 44.6 / 1708.9 × 100 = 2.6098659956…
    assert actual["formula"].startswith("44.6 / 1708.9 × 100 = 2.609865995")
    assert rows_of(actual) == [(18, None, "2020-06", 44.6), (19, None, "2020-06", 1708.9)]
    assert figures["expected"]["formula"] == "3.1"
    assert figures["expected"]["note"] == "a rate is held to its target all year"
    assert figures["progress_percent"] is None  # a rate has no 完成率
    assert figures["pace_percent"] is None
    # 3.1 − 2.6098659956… = 0.49013400…, in percentage points.
    assert figures["gap"]["formula"].startswith("3.1 − 2.609865995")
    assert figures["gap"]["value"] == pytest.approx(0.490134004)


def test_a_growth_names_this_year_and_last(runner: CliRunner, example_path: str) -> None:
    figures = run(runner, "-t", "tech_contract_growth", example_path)["figures"]
    actual = figures["actual"]
    # (34.8 / 30.5 − 1) × 100 = 14.0983606…
    assert actual["formula"].startswith("(34.8 / 30.5 − 1) × 100 = 14.098360655")
    assert rows_of(actual) == [(21, None, "2020-06", 34.8), (20, None, "2019-06", 30.5)]
    # 14.098… ≥ 0.9 × 15 = 13.5: at risk.
    assert figures["status"]["formula"].startswith("14.098360655")
    assert figures["status"]["formula"].endswith(" ≥ 0.9 × 15 = 13.5: at_risk")


def explained(
    read_csv: Callable[..., Actuals], plan: Plan, target_id: str, *rows: str
) -> Explanation:
    actuals = read_csv(HEADER + "".join(f"{row}\n" for row in rows), plan)
    target = plan.target(target_id)
    assert target is not None
    return explain(plan, actuals, target, parse_period("2020-06"))


def test_a_stock_that_must_come_down(
    read_csv: Callable[..., Actuals], shaped: Callable[..., Plan]
) -> None:
    """At most 20, 40 at the end of 2019, 35 in June."""
    plan = shaped("hitech_enterprises", comparison="at_most", value="20")
    report = explained(
        read_csv,
        plan,
        "hitech_enterprises",
        "hitech_enterprises,2019,40,",
        "hitech_enterprises,2020-06,35,",
    )
    figures = report.figures
    assert all(f is not None for f in (figures["expected"], figures["progress_percent"]))
    shown = {name: formula(f) for name, f in figures.items() if f is not None}
    # 40 + (20 − 40) × 6/12 = 40 − 10 = 30
    assert shown["expected"] == "40 + (20 − 40) × 6/12 = 30"
    # (35 − 40) / (20 − 40) × 100 = −5 / −20 × 100 = 25
    assert shown["progress_percent"] == "(35 − 40) / (20 − 40) × 100 = 25"
    # 35 − 20 = 15 still to take off
    assert shown["gap"] == "35 − 20 = 15"
    assert shown["to_meet"] == "35 − 20 = 15"
    # Came down 40 − 35 = 5 of the 40 − 30 = 10 due: 5 < 0.9 × 10 = 9.
    assert shown["status"] == "5 < 0.9 × 10 = 9: off_track"
    baseline = figures["baseline"]
    assert baseline is not None
    assert baseline.inputs == (
        Input("actuals.csv", 2, None, None, "2019", D(40), "hitech_enterprises"),
    )


def test_a_cumulative_maximum(
    read_csv: Callable[..., Actuals], shaped: Callable[..., Plan]
) -> None:
    """At most 60 in the year, 32 by June: 30 allowed by now; 32 × 0.9 = 28.8 ≤ 30."""
    plan = shaped("key_projects", comparison="at_most")
    report = explained(read_csv, plan, "key_projects", "key_projects,2020-06,32,")
    shown = {name: formula(f) for name, f in report.figures.items() if f is not None}
    assert shown["expected"] == "60 × 6/12 = 30"
    assert shown["gap"] == "32 − 60 = -28"  # 28 below the maximum
    assert shown["status"] == "32 × 0.9 = 28.8 ≤ 30: at_risk"
    to_meet = report.figures["to_meet"]
    assert to_meet is not None and (to_meet.value, to_meet.note) == (None, "met: nothing is needed")


def test_a_target_with_no_data(read_csv: Callable[..., Actuals], plan: Plan) -> None:
    report = explained(read_csv, plan, "talent_teams", "key_projects,2020-06,32,")
    status = report.figures["status"]
    assert status is not None and status.value == "no_data"
    assert report.figures["actual"] is None and report.figures["expected"] is None


def test_a_workbook_input_is_named_by_sheet_and_row(runner: CliRunner, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "数据"
    book.active.append(["指标", "统计期", "数值"])
    book.active.append(["高企", "2019年末", 785])
    book.active.append(["高企", "2020-06", 812])
    path = tmp_path / "book.xlsx"
    book.save(path)
    data = run(runner, "-t", "高企", str(path))
    assert data["figures"]["actual"]["inputs"] == [
        {
            "file": str(path),
            "line": 3,
            "sheet": "数据",
            "region": None,
            "period": "2020-06",
            "value": 812,
        }
    ]
    text = runner.invoke(app, ["explain", "-t", "高企", str(path)])
    assert f"{path}:数据!3:3  全市  2020-06  812" in text.stdout


def test_the_text_view_reads_figure_by_figure(runner: CliRunner, example_path: str) -> None:
    result = runner.invoke(app, ["explain", "-t", "hitech_enterprises", example_path])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "高新技术企业 (hitech_enterprises): > 900家, 2020-06"
    at = lines.index("Expected by now    842.5家")
    assert lines[at + 1].strip() == (
        "785 + (900 − 785) × 6/12 = 842.5  (序时进度: the baseline plus the year's change, pro rata)"
    )
    assert lines[at + 2].strip() == f"{example_path}:2  全市  2019  785"
    # A CJK label takes two cells a character: the values still line up.
    assert "Progress (完成率)  23.48%" in lines
    assert (
        "                   (812 − 785) / (900 − 785) × 100 ≈ 23.4783  (完成率: the change since the baseline)"
        in lines
    )


def test_explain_needs_a_known_target(runner: CliRunner, example_path: str) -> None:
    missing = runner.invoke(app, ["explain", example_path])
    assert missing.exit_code == 2
    assert "--target" in missing.stderr
    unknown = runner.invoke(app, ["explain", "-t", "nothing", example_path])
    assert unknown.exit_code == 2
    assert unknown.stderr.count("\n") == 1 and "nothing" in unknown.stderr


def test_explain_csv_has_a_row_per_input(runner: CliRunner, example_path: str) -> None:
    result = runner.invoke(app, ["explain", "-t", "rd_ratio", example_path, "-f", "csv"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "figure,value,formula,input_file,input_line,input_sheet,input_region,input_period,"
        "input_value"
    )
    actual = [line for line in lines if line.startswith("actual,")]
    assert [line.rsplit(",", 5)[1] for line in actual] == ["18", "19"]


def test_explain_markdown_is_a_table_people_read(runner: CliRunner, example_path: str) -> None:
    result = runner.invoke(app, ["explain", "-t", "rd_ratio", example_path, "-f", "markdown"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "## R&D支出占GDP比重 (rd_ratio): ≥ 3.1%, 2020-06"
    assert lines[2] == "| Figure | Value | Formula | Note | Inputs |"
    status = next(line for line in lines if line.startswith("| Status |"))
    # 2.6099 < 0.9 × 3.1 = 2.79: the status in words, the rule with its numbers.
    assert status.startswith("| Status | off track | 2.6099 < 0.9 × 3.1 = 2.79 | ")


def test_a_broken_cumulative_maximum(
    read_csv: Callable[..., Actuals], shaped: Callable[..., Plan]
) -> None:
    """At most 60, 64 by June: 4 over, and a year-to-date total cannot come down."""
    plan = shaped("key_projects", comparison="at_most")
    report = explained(read_csv, plan, "key_projects", "key_projects,2020-06,64,")
    to_meet, status = report.figures["to_meet"], report.figures["status"]
    assert to_meet is not None and status is not None
    assert formula(to_meet) == "64 − 60 = 4"
    assert to_meet.note == "the excess over the maximum: a year-to-date total cannot come down"
    assert formula(status) == "64 not ≤ 60: missed"


def test_a_rate_that_must_stay_below(
    read_csv: Callable[..., Actuals], shaped: Callable[..., Plan]
) -> None:
    """Less than 3 %, at 3.2 %: 0.2 pp over; 3.2 × 0.9 = 2.88 < 3: at risk."""
    plan = shaped("rd_ratio", comparison="less_than", value="3")
    report = explained(read_csv, plan, "rd_ratio", "rd_ratio,2020-06,3.2,")
    shown = {name: formula(f) for name, f in report.figures.items() if f is not None}
    assert shown["actual"] == "3.2"
    assert shown["gap"] == "3.2 − 3 = 0.2"
    assert shown["to_meet"] == "3.2 − 3 = 0.2"  # a continuous unit: more than 0.2 to take off
    assert shown["status"] == "3.2 × 0.9 = 2.88 ≤ 3: at_risk"
    assert report.figures["progress_percent"] is None


def test_explain_says_a_figure_is_stale(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "target,period,value\nkey_projects,2020-03,12\nhitech_enterprises,2020-06,812\n",
        encoding="utf-8",
    )
    data = run(runner, "-t", "key_projects", str(path))
    assert data["target"]["stale"] is True
    actual = data["figures"]["actual"]
    assert (
        actual["note"]
        == "the whole-city row, 2020-03; stale: last reported 2020-03, before 2020-06"
    )
    # Judged at its own period: 60 × 3/12 = 15.
    assert data["figures"]["expected"]["formula"] == "60 × 3/12 = 15"

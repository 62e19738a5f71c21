"""`sti-plan trend`: a target period by period through the plan year, as README ("Trend")
defines each figure; every expected value is worked out by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sti_plan.actuals import load_actuals
from sti_plan.allocations import load_allocations
from sti_plan.cli import app
from sti_plan.model import Plan
from sti_plan.observations import Actuals
from sti_plan.periods import parse_period
from sti_plan.results import Projection, Status
from sti_plan.trend import trend

HEADER = "target,period,value,region\n"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# registered_achievements: cumulative, at least 1000. January and February come as one
# figure (1–2月); April is missing.
MONTHLY = (
    "registered_achievements,2019-05,300,\n"
    "registered_achievements,2019-06,380,\n"
    "registered_achievements,2019,1200,\n"
    "registered_achievements,2020-02,100,\n"
    "registered_achievements,2020-03,230,\n"
    "registered_achievements,2020-05,330,\n"
    "registered_achievements,2020-06,420,\n"
)
Read = Callable[..., Actuals]


def city_trend(plan: Plan, read_csv: Read, rows: str, target: str, as_of: str | None = None):  # type: ignore[no-untyped-def]
    actuals = read_csv(HEADER + rows, plan)
    assert actuals.problems == []
    chosen = plan.target(target)
    assert chosen is not None
    return trend(plan, actuals, chosen, parse_period(as_of) if as_of else None)


def test_every_reported_period_in_order_with_its_own_increment(plan: Plan, read_csv: Read) -> None:
    report = city_trend(plan, read_csv, MONTHLY, "registered_achievements")
    points = report.points
    assert [p.period.code for p in points] == ["2020-02", "2020-03", "2020-05", "2020-06"]
    assert [p.value for p in points] == [100, 230, 330, 420]
    # 1–2月 from the year start, March its own month, April and May together, June its own.
    assert [(p.increment, p.increment_months) for p in points] == [
        (100, 2),
        (130, 1),
        (100, 2),
        (90, 1),
    ]


def test_each_period_against_the_pace_of_its_own_date(plan: Plan, read_csv: Read) -> None:
    points = city_trend(plan, read_csv, MONTHLY, "registered_achievements").points
    # Expected 1000 × m/12: 166.67, 250, 416.67, 500.
    assert [p.expected for p in points] == [
        Decimal(1000) * 2 / 12,
        Decimal(250),
        Decimal(1000) * 5 / 12,
        Decimal(500),
    ]
    assert [p.progress_percent for p in points] == [10, 23, 33, 42]
    assert [p.pace_percent for p in points] == [
        Decimal(200) / 12,
        25,
        Decimal(500) / 12,
        50,
    ]
    # 100 < 0.9 × 166.67 = 150; 230 >= 225; 330 < 375; 420 < 450.
    assert [p.status for p in points] == [
        Status.OFF_TRACK,
        Status.AT_RISK,
        Status.OFF_TRACK,
        Status.OFF_TRACK,
    ]
    assert points[1].vs_pace_pp == -2  # 23 − 25


def test_growth_on_the_same_period_of_last_year(plan: Plan, read_csv: Read) -> None:
    points = city_trend(plan, read_csv, MONTHLY, "registered_achievements").points
    assert [p.previous for p in points] == [None, None, 300, 380]
    # 330 / 300 − 1 = 10 %; 420 / 380 − 1 = 2/19 = 10.53 % (the quotient to 28 digits).
    assert [p.growth for p in points] == [None, None, Decimal(10), (Decimal(420) / 380 - 1) * 100]


def test_the_projection_is_that_of_the_latest_period(plan: Plan, read_csv: Read) -> None:
    report = city_trend(plan, read_csv, MONTHLY, "registered_achievements")
    # 420 × 12/6 = 840; 2019 had 380 of 1200 (19/60) by June: 420 × 60/19 = 1326.32.
    seasonal = Decimal(420) * 60 / 19
    assert report.projection == Projection(Decimal(840), seasonal, Decimal(840), seasonal, False)


def test_as_of_keeps_the_periods_up_to_it(plan: Plan, read_csv: Read) -> None:
    report = city_trend(plan, read_csv, MONTHLY, "registered_achievements", "2020-03")
    assert [p.period.code for p in report.points] == ["2020-02", "2020-03"]
    # 230 × 12/3 = 920; no 2019-03 row, so no seasonal figure.
    assert report.projection == Projection(Decimal(920), None, Decimal(920), Decimal(920), False)


def test_a_stocks_first_increment_is_its_change_on_the_baseline(plan: Plan, read_csv: Read) -> None:
    rows = (
        "hitech_enterprises,2019,785,\n"
        "hitech_enterprises,2020-03,790,\n"
        "hitech_enterprises,2020-06,812,\n"
    )
    points = city_trend(plan, read_csv, rows, "hitech_enterprises").points
    assert [(p.increment, p.increment_months) for p in points] == [(5, 3), (22, 3)]
    # 785 + 115 × 3/12 = 813.75, then 842.5.
    assert [p.expected for p in points] == [Decimal("813.75"), Decimal("842.5")]


def test_a_stock_without_baseline_has_no_first_increment(plan: Plan, read_csv: Read) -> None:
    rows = "hitech_enterprises,2020-03,790,\nhitech_enterprises,2020-06,812,\n"
    points = city_trend(plan, read_csv, rows, "hitech_enterprises").points
    assert [(p.increment, p.increment_months) for p in points] == [(None, None), (22, 3)]


def test_a_rate_has_values_and_no_increments(plan: Plan, read_csv: Read) -> None:
    rows = "rd_ratio,2020-Q1,2.5,\nrd_ratio,2020-06,2.9,\n"
    report = city_trend(plan, read_csv, rows, "rd_ratio")
    assert [(p.value, p.increment, p.pace_percent) for p in report.points] == [
        (Decimal("2.5"), None, None),
        (Decimal("2.9"), None, None),
    ]
    assert report.projection is None and report.pace is None


def test_one_region_against_its_share(plan: Plan) -> None:
    actuals = load_actuals(EXAMPLES / "districts-2020-h1.csv", plan)
    shares = load_allocations(EXAMPLES / "allocations-2020.csv", plan)
    target, region = plan.target("key_projects"), plan.region("jinghu")
    assert target is not None and region is not None
    report = trend(plan, actuals, target, None, shares, region)
    assert report.share == 10
    points = report.points
    assert [(p.period.code, p.value, p.increment) for p in points] == [
        ("2020-05", 4, 4),
        ("2020-06", 6, 2),
    ]
    # 10 × 5/12 = 4.17 and 5 expected; 40 % and 60 % done; 6 / 5 − 1 = 20 % on 2019-06.
    assert [p.expected for p in points] == [Decimal(50) / 12, Decimal(5)]
    assert [p.progress_percent for p in points] == [40, 60]
    assert (points[1].previous, points[1].growth) == (5, 20)
    assert [p.status for p in points] == [Status.AT_RISK, Status.ON_TRACK]
    # 6 × 2 = 12 at the pace so far, within reach of 10.
    assert report.projection == Projection(Decimal(12), None, Decimal(12), Decimal(12), True)


def test_the_trend_table(runner: CliRunner, write: Callable[..., Path]) -> None:
    actuals = write("a.csv", HEADER + MONTHLY)
    result = runner.invoke(app, ["trend", "-t", "登记科技成果", str(actuals)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "登记科技成果 (registered_achievements) · ≥ 1,000件 · as of 2020-06"
    rows = [line.split() for line in lines[3:7]]
    assert rows[2] == [
        *("2020-05", "330件", "100件", "(2", "months)", "416.67件", "█░░░░", "33%"),
        *("41.7%", "-8.7", "pp", "+10%", "300件", "off", "track"),
    ]
    assert lines[7:] == [
        "Pace (序时进度): linear",
        "Year-end projection: at this pace 840件, as last year ran 1,326.32件: short of ≥ 1,000件",
    ]


def test_trend_json_and_csv(runner: CliRunner, write: Callable[..., Path]) -> None:
    actuals = write("a.csv", HEADER + MONTHLY)
    args = ["trend", "-t", "registered_achievements", str(actuals)]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert list(data) == [
        *("schema_version", "plan", "as_of", "target", "region", "points", "projection"),
        "problems",
    ]
    assert list(data["points"][0]) == [
        *("period", "value", "increment", "expected", "progress_percent", "pace_percent"),
        *("growth", "previous", "increment_months", "vs_pace_pp", "status"),
    ]
    assert data["points"][3]["growth"] == pytest.approx(200 / 19, abs=1e-12)
    assert list(data["projection"]) == ["run_rate", "seasonal", "low", "high", "meets_target"]
    assert data["target"]["pace"] == {"profile": "linear", "declared": "linear", "note": None}
    csv = runner.invoke(app, [*args, "-f", "csv"]).stdout.splitlines()
    assert csv[0] == (
        "target,region,period,value,increment,expected,progress_percent,pace_percent,growth,"
        "previous,increment_months,vs_pace_pp,status"
    )
    assert csv[4] == (
        "registered_achievements,,2020-06,420,90,500,42,50,10.5263157894736842105263158,"
        "380,1,-8,off_track"
    )


def test_trend_markdown_in_chinese(runner: CliRunner, write: Callable[..., Path]) -> None:
    actuals = write("a.csv", HEADER + MONTHLY)
    args = ["trend", "-t", "registered_achievements", str(actuals), "-f", "markdown"]
    result = runner.invoke(app, [*args, "--lang", "zh"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2].startswith("| 统计期 | 完成值 | 当月 |")
    assert lines[6].startswith("| 2020-05 | 330件 | 100件（2个月） |")


def test_trend_needs_a_target_and_a_known_region(runner: CliRunner, example: Path) -> None:
    missing = runner.invoke(app, ["trend", str(example)])
    assert missing.exit_code == 2
    unknown = runner.invoke(
        app, ["trend", "-t", "key_projects", "--region", "镜湖湖", str(example)]
    )
    assert unknown.exit_code == 2
    assert (
        "--region: '镜湖湖' is not a region of the plan; did you mean '镜湖区'?" in unknown.stderr
    )


def test_a_trend_with_no_rows_says_so(runner: CliRunner, write: Callable[..., Path]) -> None:
    actuals = write("a.csv", HEADER + "key_projects,2020-06,32,\n")
    result = runner.invoke(app, ["trend", "-t", "talent_teams", str(actuals)])
    assert result.exit_code == 0, result.output
    assert "no value reported for the plan year up to the as-of period" in result.stdout


def test_the_monthly_example(runner: CliRunner) -> None:
    path = EXAMPLES / "monthly-2019-2020.csv"
    args = ["trend", "-t", "registered_achievements", str(path), "-f", "json"]
    data = json.loads(runner.invoke(app, args).stdout)
    assert [p["period"] for p in data["points"]] == [
        *("2020-02", "2020-03", "2020-04", "2020-05", "2020-06")
    ]
    assert [p["increment"] for p in data["points"]] == [60, 70, 80, 90, 130]
    # 430 × 2 = 860 at the pace so far; 2019 had 420 of 1050 (40 %) by June: 430 / 0.4.
    assert data["projection"] == {
        "run_rate": 860,
        "seasonal": 1075,
        "low": 860,
        "high": 1075,
        "meets_target": False,
    }


def test_the_readme_shows_what_trend_prints(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (EXAMPLES.parent / "README.md").read_text("utf-8")
    command = "$ sti-plan trend -t registered_achievements examples/monthly-2019-2020.csv\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0].splitlines()
    monkeypatch.setenv("COLUMNS", "100")
    result = runner.invoke(
        app, ["trend", "-t", "registered_achievements", str(EXAMPLES / "monthly-2019-2020.csv")]
    )
    printed = result.stdout.splitlines()
    assert [line for line in shown if line != "…"] == [line for line in printed if line in shown]
    assert len(printed) == len(shown) - 1 + 2  # "…" in place of 2020-04 and 2020-05

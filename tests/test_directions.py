"""Every kind of target in both directions, what it takes to meet one, targets of 0 and
below, stale figures and a plan's own units: README's "How every figure is computed".

Each expected figure is worked out by hand below it. All as of 2020-06 unless said:
m = 6 months, f = 6/12; settings.at_risk_ratio 0.9. Targets of the bundled plan changed here:
hitech_enterprises (stock, 家), key_projects (cumulative, 个), rd_expenditure (cumulative,
亿元, more_than 100), hitech_value_added_growth (rate, %).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sti_plan.cli import app
from sti_plan.model import Plan
from sti_plan.observations import Actuals
from sti_plan.periods import parse_period
from sti_plan.progress import analyse_gap, assess
from sti_plan.results import Assessment, GapAnalysis, Status

HEADER = "target,period,value,region\n"
D = Decimal


@pytest.fixture
def figures(read_csv: Callable[..., Actuals]) -> Callable[..., tuple[Assessment, GapAnalysis]]:
    """A target's assessment and gap analysis from rows (without the header)."""

    def run(
        plan: Plan, target_id: str, *rows: str, as_of: str = "2020-06"
    ) -> tuple[Assessment, GapAnalysis]:
        actuals = read_csv(HEADER + "".join(f"{row}\n" for row in rows), plan)
        assert actuals.problems == []
        when = parse_period(as_of)
        target = plan.target(target_id)
        assert target is not None and when is not None
        report = assess(plan, actuals, when)
        assessment = next(a for a in report.assessments if a.target.id == target_id)
        return assessment, analyse_gap(plan, actuals, target, when)

    return run


Figures = Callable[..., tuple[Assessment, GapAnalysis]]
Shaped = Callable[..., Plan]


# ---------------------------------------------------------------- stocks


def test_stock_at_most_with_baseline_counts_the_reduction(shaped: Shaped, figures: Figures) -> None:
    plan = shaped("hitech_enterprises", comparison="at_most", value=20)
    a, g = figures(
        plan, "hitech_enterprises", "hitech_enterprises,2019,40,", "hitech_enterprises,2020-06,35,"
    )
    assert a.expected == D(30)  # 40 + (20 - 40) x 6/12
    assert a.progress_percent == D(25)  # (35 - 40) / (20 - 40) x 100: a quarter of the fall
    assert a.completion == D(25)  # what the bar shows, not 35 / 20 = 175 %
    assert a.percent_of_target == D(175)  # the plain ratio A / T x 100
    assert a.vs_pace_pp == D(-25)  # 25 - 50
    assert (a.gap, a.to_meet) == (D(15), D(15))  # 35 - 20: at_most, the gap
    # 35 > 30 expected; the fall so far 40 - 35 = 5 < 0.9 x (40 - 30) = 9: off track.
    assert a.status is Status.OFF_TRACK
    assert g.remaining == D(15)  # still to take off
    assert g.pace_so_far == D(5) / 6  # 5 taken off in 6 months
    assert g.pace_needed == D("2.5")  # 15 over the 6 left
    assert g.projected_year_end == D(30)  # 40 + (35 - 40) x 12/6


def test_stock_at_most_close_to_its_pace_is_at_risk(shaped: Shaped, figures: Figures) -> None:
    plan = shaped("hitech_enterprises", comparison="at_most", value=20)
    a, _ = figures(
        plan, "hitech_enterprises", "hitech_enterprises,2019,40,", "hitech_enterprises,2020-06,31,"
    )
    # 31 > 30; fallen 9 >= 0.9 x 10 = 9: at risk; progress (31 - 40) / -20 = 45 %.
    assert a.status is Status.AT_RISK
    assert a.progress_percent == D(45)


def test_stock_less_than_a_whole_count_needs_one_more(shaped: Shaped, figures: Figures) -> None:
    plan = shaped("hitech_enterprises", comparison="less_than", value=20)
    a, g = figures(
        plan, "hitech_enterprises", "hitech_enterprises,2019,40,", "hitech_enterprises,2020-06,35,"
    )
    # fewer than 20 家 is at most 19: 35 - 19 = 16 to take off, though the gap is 15.
    assert (a.gap, a.to_meet, g.remaining) == (D(15), D(16), D(16))
    assert g.pace_needed == D(16) / 6


def test_stock_at_least_with_baseline(shaped: Shaped, figures: Figures) -> None:
    plan = shaped("hitech_enterprises", comparison="at_least", value=60)
    a, g = figures(
        plan, "hitech_enterprises", "hitech_enterprises,2019,40,", "hitech_enterprises,2020-06,45,"
    )
    assert a.expected == D(50)  # 40 + (60 - 40) x 6/12
    assert a.progress_percent == a.completion == D(25)  # (45 - 40) / (60 - 40)
    assert a.percent_of_target == D(75)  # 45 / 60
    # 45 < 50; the rise 5 < 0.9 x 10 = 9: off track.
    assert a.status is Status.OFF_TRACK
    assert (a.to_meet, g.remaining, g.pace_so_far) == (D(15), D(15), D(5) / 6)
    assert g.pace_needed == D("2.5")  # 15 / 6
    assert g.projected_year_end == D(50)  # 40 + 5 x 12/6


def test_more_than_a_whole_count_needs_one_past_it(plan: Plan, figures: Figures) -> None:
    # 突破900家 is met at 901: at 812, 901 - 812 = 89 (the gap is 88); at 900, 1; at 901, met.
    a, g = figures(
        plan,
        "hitech_enterprises",
        "hitech_enterprises,2019,785,",
        "hitech_enterprises,2020-06,812,",
    )
    assert (a.gap, a.to_meet, g.remaining) == (D(88), D(89), D(89))
    assert g.pace_needed == D(89) / 6
    a, _ = figures(plan, "hitech_enterprises", "hitech_enterprises,2020-06,900,")
    assert (a.gap, a.to_meet) == (D(0), D(1))
    a, g = figures(plan, "hitech_enterprises", "hitech_enterprises,2020-06,901,")
    assert (a.to_meet, g.remaining, a.status) == (None, D(0), Status.ACHIEVED)


def test_stock_at_most_without_baseline_is_its_level_against_the_target(
    shaped: Shaped, figures: Figures
) -> None:
    plan = shaped("hitech_enterprises", comparison="at_most", value=20)
    a, g = figures(plan, "hitech_enterprises", "hitech_enterprises,2020-06,25,")
    assert a.expected == D(20)  # no baseline: the target itself
    assert a.progress_percent == D(80)  # 20 / 25 x 100: a level that must come down
    assert a.percent_of_target == D(125)  # 25 / 20
    # 25 > 20; 25 x 0.9 = 22.5 > 20: off track. At 22: 19.8 <= 20, at risk.
    assert a.status is Status.OFF_TRACK
    assert (g.remaining, g.pace_so_far, g.pace_needed) == (D(5), None, None)
    a, _ = figures(plan, "hitech_enterprises", "hitech_enterprises,2020-06,22,")
    assert a.status is Status.AT_RISK
    assert a.progress_percent == D(2000) / 22


def test_a_baseline_that_meets_the_target_is_not_paced_from(
    shaped: Shaped, figures: Figures
) -> None:
    plan = shaped("hitech_enterprises", comparison="at_least", value=60)
    a, g = figures(
        plan, "hitech_enterprises", "hitech_enterprises,2019,70,", "hitech_enterprises,2020-06,55,"
    )
    # 70 at the start already meets 60: expected is 60, not 70 + (60 - 70) x 6/12 = 65;
    # 55 >= 0.9 x 60 = 54: at risk; progress the level 55 / 60 (not (55 - 70) / -10 = 150 %).
    assert a.baseline == D(70)
    assert a.expected == D(60)
    assert a.status is Status.AT_RISK
    assert a.progress_percent == D(5500) / 60
    assert (g.pace_so_far, g.remaining) == (None, D(5))


# ---------------------------------------------------------------- cumulative totals


def test_cumulative_at_most_is_an_allowance(shaped: Shaped, figures: Figures) -> None:
    plan = shaped("key_projects", comparison="at_most", value=20)
    a, g = figures(plan, "key_projects", "key_projects,2020-06,8,")
    assert a.expected == D(10)  # 20 x 6/12: the allowance by now
    assert a.status is Status.ON_TRACK  # 8 <= 10
    assert a.progress_percent == D(40)  # 8 / 20: the share of the allowance used
    assert (a.gap, a.to_meet) == (D(-12), None)  # met (so far)
    assert g.remaining == D(12)  # 20 - 8 may still come
    assert g.pace_so_far == D(8) / 6
    assert g.pace_needed == D(2)  # allowed: 12 over 6 months
    assert g.projected_year_end == D(16)  # 8 x 12/6


def test_cumulative_less_than_a_whole_count(shaped: Shaped, figures: Figures) -> None:
    plan = shaped("key_projects", comparison="less_than", value=20)
    _, g = figures(plan, "key_projects", "key_projects,2020-06,8,")
    assert g.remaining == D(11)  # fewer than 20 is at most 19: 19 - 8
    assert g.pace_needed == D(11) / 6


def test_cumulative_maximum_broken(shaped: Shaped, figures: Figures) -> None:
    plan = shaped("key_projects", comparison="at_most", value=20)
    a, g = figures(plan, "key_projects", "key_projects,2020-06,25,")
    assert a.status is Status.MISSED  # a year-to-date total does not come down
    assert (a.gap, a.to_meet, g.remaining, g.pace_needed) == (D(5), D(5), D(0), D(0))


def test_cumulative_at_least_and_more_than(shaped: Shaped, figures: Figures) -> None:
    a, g = figures(shaped("key_projects"), "key_projects", "key_projects,2020-06,32,")
    assert (a.gap, a.to_meet, g.remaining) == (D(28), D(28), D(28))  # 60 - 32
    assert g.pace_needed == D(28) / 6
    plan = shaped("key_projects", comparison="more_than")
    a, g = figures(plan, "key_projects", "key_projects,2020-06,60,")
    assert (a.gap, a.to_meet, g.remaining, a.status) == (D(0), D(1), D(1), Status.ON_TRACK)


def test_more_than_a_continuous_amount_is_the_gap(plan: Plan, figures: Figures) -> None:
    # rd_expenditure > 100亿元: any amount past 55.4 meets it; to_meet is the gap itself.
    a, g = figures(plan, "rd_expenditure", "rd_expenditure,2020-06,44.6,")
    assert (a.gap, a.to_meet, g.remaining) == (D("55.4"), D("55.4"), D("55.4"))
    a, _ = figures(plan, "rd_expenditure", "rd_expenditure,2020-06,100,")
    assert (a.gap, a.to_meet) == (D(0), D(0))  # more than 0 still: not met


# ---------------------------------------------------------------- rates


def test_rate_at_most(shaped: Shaped, figures: Figures) -> None:
    plan = shaped("hitech_value_added_growth", comparison="at_most", value=5)
    a, g = figures(plan, "hitech_value_added_growth", "hitech_value_added_growth,2020-06,8,")
    assert (a.expected, a.gap, a.to_meet) == (D(5), D(3), D(3))  # 8 - 5 points
    assert a.progress_percent is None  # a rate has no 完成率
    assert a.completion == D("62.5")  # 5 / 8: a level that must come down
    assert a.percent_of_target == D(160)  # 8 / 5
    assert a.status is Status.OFF_TRACK  # 8 x 0.9 = 7.2 > 5
    assert (g.remaining, g.pace_so_far) == (D(3), None)
    a, _ = figures(plan, "hitech_value_added_growth", "hitech_value_added_growth,2020-06,5.4,")
    assert a.status is Status.AT_RISK  # 5.4 x 0.9 = 4.86 <= 5
    assert a.completion == D(500) / D("5.4")


@pytest.mark.parametrize(
    ("value", "status", "gap", "to_meet"),
    [
        ("-1", Status.OFF_TRACK, D(1), D(1)),  # no at-risk band around 0
        ("0", Status.ON_TRACK, D(0), None),
        ("0.5", Status.ON_TRACK, D("-0.5"), None),
    ],
)
def test_rate_aimed_at_zero(
    shaped: Shaped, figures: Figures, value: str, status: Status, gap: Decimal, to_meet: Any
) -> None:
    plan = shaped("hitech_value_added_growth", value=0)  # 零增长: no fall
    a, _ = figures(plan, "hitech_value_added_growth", f"hitech_value_added_growth,2020-06,{value},")
    assert (a.status, a.gap, a.to_meet) == (status, gap, to_meet)
    assert a.percent_of_target is a.completion is None  # a ratio to 0 means nothing


def test_rate_aimed_below_zero(shaped: Shaped, figures: Figures) -> None:
    plan = shaped("hitech_value_added_growth", value=-5)  # a fall of at most 5 %
    a, _ = figures(plan, "hitech_value_added_growth", "hitech_value_added_growth,2020-06,-4,")
    assert (a.status, a.gap, a.percent_of_target) == (Status.ON_TRACK, D(-1), None)
    a, _ = figures(plan, "hitech_value_added_growth", "hitech_value_added_growth,2020-06,-5.2,")
    assert (a.status, a.gap, a.to_meet) == (Status.OFF_TRACK, D("0.2"), D("0.2"))
    a, _ = figures(
        plan, "hitech_value_added_growth", "hitech_value_added_growth,2020,-5.2,", as_of="2020-12"
    )
    assert a.status is Status.MISSED


def test_a_rate_may_aim_at_zero_or_below_but_a_total_may_not(plan_data: dict[str, Any]) -> None:
    for target in plan_data["targets"]:
        if target["id"] == "hitech_value_added_growth":
            target["value"] = -5
    assert Plan.model_validate(plan_data).target("hitech_value_added_growth") is not None


# ---------------------------------------------------------------- through the CLI


def write_plan(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def gap_view(runner: CliRunner, plan: Path, actuals: Path, target: str) -> list[str]:
    result = runner.invoke(app, ["gap", "--target", target, str(actuals), "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    return [line.rstrip() for line in result.stdout.splitlines()]


def test_gap_view_of_a_level_that_must_come_down(
    runner: CliRunner, plan_data: dict[str, Any], tmp_path: Path
) -> None:
    for target in plan_data["targets"]:
        if target["id"] == "hitech_enterprises":
            target.update(comparison="at_most", value=20)
    plan = write_plan(tmp_path, plan_data)
    actuals = tmp_path / "a.csv"
    actuals.write_text(HEADER + "hitech_enterprises,2019,40,\nhitech_enterprises,2020-06,35,\n")
    assert gap_view(runner, plan, actuals, "hitech_enterprises") == [
        "高新技术企业 hitech_enterprises · stock · ≤ 20家",
        "Status                 off track",
        "Actual                 35家 (2020-06)",
        "Baseline               40家 (previous year-end)",
        "Expected by now        30家",
        "Pace (序时进度)        50% (linear)",
        "Progress               25%",
        "% of target            175%",
        "Gap                    15家",
        "To meet                15家 to take off",
        "Months                 6 elapsed, 6 remaining",
        "Reduction so far       0.83家 per month",
        "Reduction needed       2.5家 per month",
        "Year-end at this pace  30家",
        # 40 − 5 × 12/6 = 30: above the maximum of 20.
        "Year-end projection    30家, over the limit ≤ 20家",
    ]


def test_gap_view_of_an_allowance(
    runner: CliRunner, plan_data: dict[str, Any], tmp_path: Path
) -> None:
    for target in plan_data["targets"]:
        if target["id"] == "rd_expenditure":
            target.update(comparison="less_than", value=20)
    plan = write_plan(tmp_path, plan_data)
    actuals = tmp_path / "a.csv"
    actuals.write_text(HEADER + "rd_expenditure,2020-06,8,\n")
    lines = gap_view(runner, plan, actuals, "rd_expenditure")
    # less than 20亿元 on a continuous unit: below 20 - 8 = 12 may still come, below 2 a month.
    assert lines[6:] == [
        "Gap                    -12亿元",
        "To meet                met",
        "Allowance left         less than 12亿元",
        "Months                 6 elapsed, 6 remaining",
        "Pace so far            1.33亿元 per month",
        "Pace allowed           less than 2亿元 per month",
        "Year-end at this pace  16亿元",
        "Year-end projection    16亿元, meets < 20亿元",  # 8 × 12/6 = 16, within 20
    ]


def test_gap_view_in_percentage_points_and_more_than(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["gap", "--target", "rd_ratio", str(example)])
    assert result.exit_code == 0, result.output
    # 3.1 - 44.6 / 1708.9 x 100 = 0.4901 points.
    assert "Gap                    0.49 pp" in result.stdout
    assert "To meet                0.49 pp to add" in result.stdout
    result = runner.invoke(app, ["gap", "--target", "rd_expenditure", str(example)])
    # > 100亿元 at 44.6: more than 55.4 to add, more than 55.4 / 6 = 9.23 a month.
    assert "To meet                more than 55.4亿元 to add" in result.stdout
    assert "Pace needed            more than 9.23亿元 per month" in result.stdout
    result = runner.invoke(
        app, ["gap", "--target", "hitech_enterprises", str(example), "-f", "json"]
    )
    target = json.loads(result.stdout)["target"]
    assert (target["gap"], target["to_meet"], target["remaining"]) == (88, 89, 89)
    assert target["gap_unit"] == "家"


# ---------------------------------------------------------------- stale figures


STALE_ROWS = HEADER + "key_projects,2020-03,20,\nhitech_enterprises,2020-06,812,\n"


def test_a_target_last_reported_before_the_as_of_period_is_stale(
    plan: Plan, figures: Figures
) -> None:
    rows = ("key_projects,2020-03,20,", "hitech_enterprises,2020-06,812,")
    a, _ = figures(plan, "key_projects", *rows)
    # Judged at its own period: 20 of 60 x 3/12 = 15 expected: on track, but stale.
    assert (a.actual and a.actual.period.code, a.status, a.stale) == (
        "2020-03",
        Status.ON_TRACK,
        True,
    )
    a, _ = figures(plan, "hitech_enterprises", *rows)
    assert a.stale is False
    a, _ = figures(plan, "key_projects", *rows, as_of="2020-03")
    assert a.stale is False  # as of March it is current


def test_stale_targets_are_marked_and_counted_apart(runner: CliRunner, tmp_path: Path) -> None:
    actuals = tmp_path / "a.csv"
    actuals.write_text(STALE_ROWS, encoding="utf-8")
    result = runner.invoke(app, ["status", str(actuals)])
    assert result.exit_code == 0, result.output
    out = [line.rstrip() for line in result.stdout.splitlines()]
    row = next(line for line in out if line.startswith("国家和省级重点科技项目 "))
    assert "2020-03 *" in row and "on track" in row
    # hitech_enterprises, no baseline: 812 >= 0.9 x 900 = 810, at risk; key_projects apart.
    summary = " ".join(out[-4:-2])
    assert summary == (
        "13 targets, as of 2020-06: 0 achieved, 0 on track, 1 at risk, 0 off track, 0 missed,"
        " 11 no data; stale (last reported before 2020-06): 1 on track"
    )
    assert out[-2:] == [
        "* = not reported since: stale",
        "国家和省级重点科技项目 (key_projects): last reported 2020-03, before 2020-06",
    ]
    data = json.loads(runner.invoke(app, ["status", str(actuals), "-f", "json"]).stdout)
    by_id = {t["id"]: t for t in data["targets"]}
    assert (by_id["key_projects"]["stale"], by_id["hitech_enterprises"]["stale"]) == (True, False)
    assert data["counts"]["on_track"] == 0 and data["counts"]["at_risk"] == 1
    assert data["stale_counts"] == {
        **dict.fromkeys(("achieved", "at_risk", "off_track", "missed", "no_data"), 0),
        "on_track": 1,
    }


def test_at_a_full_year_as_of_a_mid_year_total_is_not_silently_on_track(
    runner: CliRunner, tmp_path: Path
) -> None:
    actuals = tmp_path / "a.csv"
    actuals.write_text(STALE_ROWS, encoding="utf-8")
    result = runner.invoke(app, ["status", str(actuals), "--as-of", "2020-12", "-f", "markdown"])
    assert result.exit_code == 0, result.output
    # Both are stale now; each is judged at its own period, and the summary says so.
    assert (
        "13 targets, as of 2020-12: 0 achieved, 0 on track, 0 at risk, 0 off track, 0 missed,"
        " 11 no data; stale (last reported before 2020-12): 1 on track, 1 at risk"
    ) in result.stdout
    assert "| 2020-03 * |" in result.stdout and "| 2020-06 * |" in result.stdout
    result = runner.invoke(app, ["gap", "-t", "key_projects", str(actuals), "--as-of", "2020-12"])
    assert "Stale                  last reported 2020-03, before 2020-12" in result.stdout


# ---------------------------------------------------------------- a plan's own units


def units_plan(plan_data: dict[str, Any], units: dict[str, Any], unit: str) -> dict[str, Any]:
    """The bundled plan, its units declared, key_projects counted in `unit`."""
    plan_data["units"] = units
    for target in plan_data["targets"]:
        if target["id"] == "key_projects":
            target["unit"] = unit
    return plan_data


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.2", "1.2"),
        ("1.2万吨", "1.2"),
        ("12000吨", "1.2"),  # 吨 -> 万吨: x 0.0001
        ('"3,000,000千克"', "0.3"),  # 千克 -> 吨 -> 万吨: x 0.001 x 0.0001
    ],
)
def test_declared_units_convert_along_their_chain(
    plan_data: dict[str, Any], read_csv: Callable[..., Actuals], cell: str, expected: str
) -> None:
    units = {
        "万吨": {},
        "吨": {"to": "万吨", "factor": 0.0001},
        "千克": {"to": "吨", "factor": 0.001},
    }
    plan = Plan.model_validate(units_plan(plan_data, units, "万吨"))
    actuals = read_csv(f"{HEADER}key_projects,2020-06,{cell},\n", plan)
    assert actuals.problems == []
    assert actuals.values["key_projects"][2020, 6].city == D(expected)


def test_a_conversion_runs_both_ways(
    plan_data: dict[str, Any], read_csv: Callable[..., Actuals]
) -> None:
    plan = Plan.model_validate(
        units_plan(plan_data, {"万吨": {}, "吨": {"to": "万吨", "factor": "0.0001"}}, "吨")
    )
    actuals = read_csv(f"{HEADER}key_projects,2020-06,1.2万吨,\n", plan)
    assert actuals.values["key_projects"][2020, 6].city == D(12000)


def test_a_unit_without_a_way_to_the_targets_is_a_mismatch(
    plan_data: dict[str, Any], read_csv: Callable[..., Actuals]
) -> None:
    plan = Plan.model_validate(units_plan(plan_data, {"人次": {"whole": True}}, "人次"))
    actuals = read_csv(f"{HEADER}key_projects,2020-06,12亿元,\n", plan)
    assert [(p.code, p.message) for p in actuals.problems] == [
        ("unit-mismatch", "value '12亿元' is in 亿元, the target in 人次")
    ]


def test_a_declared_whole_unit_needs_one_past_a_more_than_target(
    plan_data: dict[str, Any], figures: Figures
) -> None:
    data = units_plan(plan_data, {"人次": {"whole": True}, "万人次": {}}, "人次")
    for target in data["targets"]:
        if target["id"] == "key_projects":
            target["comparison"] = "more_than"
    a, _ = figures(Plan.model_validate(data), "key_projects", "key_projects,2020-06,60,")
    assert a.to_meet == D(1)  # more than 60人次: 61
    data["targets"][[t["id"] for t in data["targets"]].index("key_projects")]["unit"] = "万人次"
    a, _ = figures(Plan.model_validate(data), "key_projects", "key_projects,2020-06,60,")
    assert a.to_meet == D(0)  # 万人次 is continuous: more than 0 more


@pytest.mark.parametrize(
    ("units", "unit", "loc", "kind"),
    [
        ({}, "万吨", ("targets", 3, "unit"), "unknown_unit"),
        ({"吨": {"to": "万吨", "factor": 0.0001}}, "吨", ("units", "吨", "to"), "unknown_unit"),
        ({"吨": {"to": "个"}}, "吨", ("units", "吨"), "half_conversion"),
        (
            {"万元": {"to": "亿元", "factor": 0.001}},
            "个",
            ("units", "万元", "factor"),
            "contradicts_built_in",
        ),
    ],
)
def test_units_a_plan_cannot_declare(
    plan_data: dict[str, Any], units: dict[str, Any], unit: str, loc: tuple[Any, ...], kind: str
) -> None:
    from pydantic import ValidationError

    assert plan_data["targets"][3]["id"] == "key_projects"
    with pytest.raises(ValidationError) as raised:
        Plan.model_validate(units_plan(plan_data, units, unit))
    assert [(e["loc"], e["type"]) for e in raised.value.errors()] == [(loc, kind)]


def test_a_money_conversion_that_agrees_is_accepted(plan_data: dict[str, Any]) -> None:
    data = units_plan(plan_data, {"万元": {"to": "亿元", "factor": "0.0001"}}, "个")
    assert Plan.model_validate(data).unit_table.factor("万元", "亿元") == D("0.0001")


@pytest.mark.parametrize(
    ("comparison", "actual", "status"),
    [("more_than", "901", Status.ACHIEVED), ("more_than", "900", Status.ON_TRACK)],
)
def test_a_baseline_at_a_strict_target_is_not_paced_from(
    shaped: Callable[..., Plan],
    figures: Callable[..., tuple[Assessment, GapAnalysis]],
    comparison: str,
    actual: str,
    status: Status,
) -> None:
    """突破900 from 900: T − B = 0, no change to pace; the level against the target."""
    plan = shaped("hitech_enterprises", comparison=comparison)
    a, gap = figures(
        plan,
        "hitech_enterprises",
        "hitech_enterprises,2019,900,",
        f"hitech_enterprises,2020-06,{actual},",
    )
    assert a.status is status
    assert a.expected == D(900)  # the target itself
    assert a.progress_percent == D(actual) * 100 / 900  # 901 / 900 × 100, 900 / 900 × 100
    assert gap.pace_needed is None  # no baseline to pace a change from

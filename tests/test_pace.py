"""Pace profiles (序时进度 that is not a straight line) and the year-end projection, as README
("Pace profiles", "Year-end projection") defines them, case by case with figures worked
out by hand.

Targets of the bundled plan used here: registered_achievements (cumulative, at least 1000),
hitech_enterprises (stock, more than 900), rd_ratio (rate, at least 3.1),
key_projects (cumulative, at least 60); settings.at_risk_ratio 0.9.
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

from sti_plan.actuals import load_actuals
from sti_plan.allocations import load_allocations
from sti_plan.bulletin import bulletin
from sti_plan.cli import app
from sti_plan.model import Plan
from sti_plan.observations import Actuals
from sti_plan.progress import assess
from sti_plan.results import Assessment, Projection, Status

HEADER = "target,period,value,region\n"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MILESTONES = {"2020-Q1": 15, "2020-H1": 50, "2020-Q3": 75}
Read = Callable[..., Actuals]


def paced(plan_data: dict[str, Any], settings: Any = None, **targets: Any) -> Plan:
    """The bundled plan with a pace for all (settings) and for some targets."""
    if settings is not None:
        plan_data["settings"]["pace"] = settings
    for target in plan_data["targets"]:
        if target["id"] in targets:
            target["pace"] = targets[target["id"]]
    return Plan.model_validate(plan_data)


def standing(plan: Plan, read_csv: Read, target_id: str, *rows: str) -> Assessment:
    actuals = read_csv(HEADER + "".join(f"{row}\n" for row in rows), plan)
    assert [p.code for p in actuals.problems] == []
    report = assess(plan, actuals)
    return next(a for a in report.assessments if a.target.id == target_id)


# --- milestones ----------------------------------------------------------------------------


def test_at_a_milestone_the_share_is_the_milestones(
    plan_data: dict[str, Any], read_csv: Read
) -> None:
    plan = paced(plan_data, MILESTONES)
    a = standing(plan, read_csv, "registered_achievements", "registered_achievements,2020-Q1,160,")
    # 15 % of 1000 due by March: 150. 160 is ahead (linear: 250, and 160 < 225 off track).
    assert a.pace_percent == Decimal(15)
    assert a.expected == Decimal(150)
    assert a.status is Status.ON_TRACK
    assert a.progress_percent == Decimal(16)
    assert a.vs_pace_pp == Decimal(1)
    assert a.pace is not None and (a.pace.profile, a.pace.declared) == ("milestones", "milestones")


def test_between_two_milestones_the_share_is_linear_by_month(
    plan_data: dict[str, Any], read_csv: Read
) -> None:
    plan = paced(plan_data, MILESTONES)
    a = standing(plan, read_csv, "registered_achievements", "registered_achievements,2020-05,360,")
    # May lies 2 of the 3 months from Q1 (15 %) to H1 (50 %): 15 + 35 × 2/3 = 38.33 %
    # (23/60). Expected 1000 × 23/60 = 383.33; 360 >= 0.9 × 383.33 = 345: at risk.
    assert a.pace_percent == Decimal(2300) / 60
    assert a.expected == Decimal(1000) * 23 / 60
    assert a.status is Status.AT_RISK
    # 完成率 36 % against 38.33 %: 2.33 points below.
    assert a.vs_pace_pp == Decimal(36) - Decimal(2300) / 60


@pytest.mark.parametrize(
    ("code", "numerator"),
    [
        ("2020-01", 15),  # from the year start (0) to Q1 (15): 15 × 1/3 = 5
        ("2020-08", 200),  # from H1 (50) to Q3 (75): 50 + 25 × 2/3 = 66.67 (200/3)
        ("2020-11", 275),  # from Q3 (75) to the year end (100): 75 + 25 × 2/3 = 91.67
    ],
)
def test_every_stretch_of_the_year_is_linear_between_its_ends(
    plan_data: dict[str, Any], read_csv: Read, code: str, numerator: int
) -> None:
    plan = paced(plan_data, MILESTONES)
    a = standing(plan, read_csv, "registered_achievements", f"registered_achievements,{code},1,")
    assert a.pace_percent == Decimal(numerator) / 3


def test_a_stock_is_paced_on_the_share_of_its_change(
    plan_data: dict[str, Any], read_csv: Read
) -> None:
    plan = paced(plan_data, MILESTONES)
    rows = ("hitech_enterprises,2019,785,", "hitech_enterprises,2020-Q1,801,")
    a = standing(plan, read_csv, "hitech_enterprises", *rows)
    # 785 + (900 − 785) × 15 % = 802.25; the change 16 >= 0.9 × 17.25 = 15.525: at risk.
    assert a.expected == Decimal("802.25")
    assert a.status is Status.AT_RISK


def test_a_targets_own_pace_wins_over_the_plans(plan_data: dict[str, Any], read_csv: Read) -> None:
    plan = paced(plan_data, MILESTONES, registered_achievements="linear")
    a = standing(plan, read_csv, "registered_achievements", "registered_achievements,2020-Q1,160,")
    assert (a.pace_percent, a.expected, a.status) == (Decimal(25), Decimal(250), Status.OFF_TRACK)
    other = standing(plan, read_csv, "key_projects", "key_projects,2020-Q1,9,")
    assert other.expected == Decimal(9)  # 60 × 15 %, the plan's milestones


def test_the_regional_bulletin_paces_every_region_by_the_profile(plan_data: dict[str, Any]) -> None:
    plan = paced(plan_data, {"2020-H1": 40})
    actuals = load_actuals(EXAMPLES / "districts-2020-h1.csv", plan)
    shares = load_allocations(EXAMPLES / "allocations-2020.csv", plan)
    target = plan.target("hitech_enterprises")
    assert target is not None
    result = bulletin(plan, actuals, target, None, shares)
    jinghu = next(r for r in result.regions if r.region_id == "jinghu")
    # 镜湖区: share 175 from 150; 150 + 25 × 40 % = 160, and 162 is ahead of it (linear:
    # 162.5, at risk). 完成率 12 / 25 = 48 %, 8 points above 40 %.
    assert (jinghu.pace_percent, jinghu.expected) == (Decimal(40), Decimal(160))
    assert jinghu.status is Status.ON_TRACK
    assert jinghu.vs_pace_pp == Decimal(8)
    assert result.city.pace_percent == Decimal(40)


# --- last year's shares --------------------------------------------------------------------


def test_last_years_share_paces_a_total(plan_data: dict[str, Any], read_csv: Read) -> None:
    plan = paced(plan_data, "last_year")
    rows = (
        "registered_achievements,2019-06,300,",
        "registered_achievements,2019,1200,",
        "registered_achievements,2020-06,320,",
    )
    a = standing(plan, read_csv, "registered_achievements", *rows)
    # By June 2019, 300 of 1200 (25 %): 250 due by June 2020, 320 is ahead (linear: 500).
    assert (a.pace_percent, a.expected, a.status) == (Decimal(25), Decimal(250), Status.ON_TRACK)
    assert a.vs_pace_pp == Decimal(7)  # 32 − 25
    assert a.pace is not None and a.pace.profile == "last_year" and a.pace.note is None


def test_last_years_share_paces_a_stock_on_its_change(
    plan_data: dict[str, Any], read_csv: Read
) -> None:
    plan = paced(plan_data, "last_year")
    rows = (
        "hitech_enterprises,2018,700,",
        "hitech_enterprises,2019-06,730,",
        "hitech_enterprises,2019,785,",
        "hitech_enterprises,2020-06,812,",
    )
    a = standing(plan, read_csv, "hitech_enterprises", *rows)
    # 2019 added 85 (700 -> 785), 30 of them by June: 6/17 = 35.29 %. Due by June 2020:
    # 785 + 115 × 6/17 = 825.59; the change 27 < 0.9 × 40.59 = 36.53: off track.
    assert a.pace_percent == Decimal(600) / 17
    assert a.expected == 785 + Decimal(690) / 17
    assert a.status is Status.OFF_TRACK


@pytest.mark.parametrize(
    ("rows", "note"),
    [
        (
            ("registered_achievements,2019,1200,",),
            "no 2019-06 value for last year's share by the same month: paced linearly",
        ),
        (
            ("registered_achievements,2019-06,300,",),
            "no 2019 full-year value for last year's shares: paced linearly",
        ),
        (
            ("registered_achievements,2019-06,1300,", "registered_achievements,2019,1200,"),
            "last year's share by 2019-06 is 108.3 %, outside 0–100 %: paced linearly",
        ),
    ],
)
def test_without_last_years_share_a_total_is_paced_linearly_and_says_so(
    plan_data: dict[str, Any], read_csv: Read, rows: tuple[str, ...], note: str
) -> None:
    plan = paced(plan_data, "last_year")
    all_rows = (*rows, "registered_achievements,2020-06,320,")
    actuals = read_csv(HEADER + "".join(f"{row}\n" for row in all_rows), plan)
    a = next(
        a for a in assess(plan, actuals).assessments if a.target.id == "registered_achievements"
    )
    assert (a.pace_percent, a.expected) == (Decimal(50), Decimal(500))
    assert a.pace is not None
    assert (a.pace.profile, a.pace.declared, a.pace.note) == ("linear", "last_year", note)


def test_a_stock_without_the_level_before_last_year_is_paced_linearly(
    plan_data: dict[str, Any], read_csv: Read
) -> None:
    plan = paced(plan_data, "last_year")
    rows = ("hitech_enterprises,2019-06,730,", "hitech_enterprises,2019,785,")
    a = standing(plan, read_csv, "hitech_enterprises", *rows, "hitech_enterprises,2020-06,812,")
    assert a.expected == Decimal("842.5")  # 785 + 115 × 6/12
    assert a.pace is not None
    assert a.pace.note == "no 2018 year-end level, where last year's change starts: paced linearly"


# --- the year-end projection ---------------------------------------------------------------


def test_a_total_is_projected_by_its_pace_and_by_last_years_shares(
    plan: Plan, read_csv: Read
) -> None:
    rows = (
        "registered_achievements,2019-06,300,",
        "registered_achievements,2019,1200,",
        "registered_achievements,2020-06,320,",
    )
    a = standing(plan, read_csv, "registered_achievements", *rows)
    # 320 × 12/6 = 640 at the pace so far; 320 / 25 % = 1280 if the year runs as 2019 did.
    # The worse end, 640, falls short of 1000.
    assert a.projection == Projection(
        Decimal(640), Decimal(1280), Decimal(640), Decimal(1280), False
    )


def test_a_stock_is_projected_from_its_baseline(plan: Plan, read_csv: Read) -> None:
    rows = (
        "hitech_enterprises,2018,700,",
        "hitech_enterprises,2019-06,730,",
        "hitech_enterprises,2019,785,",
        "hitech_enterprises,2020-06,812,",
    )
    a = standing(plan, read_csv, "hitech_enterprises", *rows)
    # 785 + 27 × 12/6 = 839; 785 + 27 / (6/17) = 785 + 76.5 = 861.5. Neither passes 900.
    assert a.projection == Projection(
        Decimal(839), Decimal("861.5"), Decimal(839), Decimal("861.5"), False
    )


def test_a_stock_without_the_level_before_last_year_has_no_seasonal_projection(
    plan: Plan, read_csv: Read
) -> None:
    rows = ("hitech_enterprises,2019,785,", "hitech_enterprises,2020-06,860,")
    a = standing(plan, read_csv, "hitech_enterprises", *rows)
    # 785 + 75 × 2 = 935 > 900: the range is the run rate alone, and it meets the target.
    assert a.projection == Projection(Decimal(935), None, Decimal(935), Decimal(935), True)


def test_a_maximum_meets_its_target_only_if_the_higher_end_does(
    shaped: Callable[..., Plan], read_csv: Read
) -> None:
    plan = shaped("key_projects", comparison="at_most")
    rows = ("key_projects,2019-06,20,", "key_projects,2019,80,", "key_projects,2020-06,25,")
    a = standing(plan, read_csv, "key_projects", *rows)
    # 25 × 2 = 50 within 60; 25 / (20/80) = 100 beyond it: the range does not keep within.
    assert a.projection == Projection(Decimal(50), Decimal(100), Decimal(50), Decimal(100), False)


@pytest.mark.parametrize(
    ("target", "rows"),
    [
        ("rd_ratio", ("rd_ratio,2020-06,2.9,",)),  # a rate is not extrapolated
        ("registered_achievements", ("registered_achievements,2020,900,",)),  # the year is out
        ("hitech_enterprises", ("hitech_enterprises,2020-06,812,",)),  # no baseline
    ],
)
def test_no_projection_where_there_is_nothing_to_project(
    plan: Plan, read_csv: Read, target: str, rows: tuple[str, ...]
) -> None:
    assert standing(plan, read_csv, target, *rows).projection is None


# --- the plan file and the CLI -------------------------------------------------------------


@pytest.mark.parametrize(
    ("pace", "message"),
    [
        (
            {"2020-Q1": 55, "2020-H1": 50},
            "settings.pace: Value error, the share due by '2020-H1' (50 %) is less than by "
            "'2020-Q1'",
        ),
        ({"2020-Q2": 15, "2020-06": 50}, "'2020-06' and '2020-Q2' are the same period"),
        ({"2020": 90}, "the share due by the year end ('2020') must be 100, not 90"),
        ({"2021-Q3": 75}, "settings.pace.2021-Q3: 2021-Q3 is not in the plan year 2020"),
        ({"2020-Q3": 120}, "settings.pace.2020-Q3: Input should be less than or equal to 100"),
        ("weekly", "settings.pace: Input should be 'linear' or 'last_year' (got 'weekly')"),
    ],
)
def test_a_bad_pace_is_a_schema_problem_at_its_line(
    runner: CliRunner,
    write: Callable[..., Path],
    plan_data: dict[str, Any],
    pace: Any,
    message: str,
) -> None:
    plan_data["settings"]["pace"] = pace
    path = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False))
    # At the milestone's own line where one is at fault, else at `pace:`.
    codes = pace if isinstance(pace, dict) else {}
    at = next((code for code in codes if f"pace.{code}" in message), "pace")
    line = next(i for i, text in enumerate(path.read_text("utf-8").splitlines(), 1) if at in text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"plan.yaml:{line}:" in result.stdout and message in result.stdout, result.stdout


def test_a_rate_declares_no_pace(
    runner: CliRunner, write: Callable[..., Path], plan_data: dict[str, Any]
) -> None:
    next(t for t in plan_data["targets"] if t["id"] == "rd_ratio")["pace"] = "last_year"
    path = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "a rate is not paced: it is held to its target all year" in result.stdout


def test_a_task_due_in_another_year_is_a_schema_problem(
    runner: CliRunner, write: Callable[..., Path], plan_data: dict[str, Any]
) -> None:
    plan_data["tasks"][7]["due"] = "2021-06"
    path = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "tasks[7].due: 2021-06 is not in the plan year 2020" in result.stdout


def test_explain_shows_the_profile_it_used(
    runner: CliRunner, write: Callable[..., Path], plan_data: dict[str, Any]
) -> None:
    plan_data["settings"]["pace"] = MILESTONES
    plan = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False))
    actuals = write("a.csv", HEADER + "registered_achievements,2020-05,360,\n")
    args = ["explain", "-t", "registered_achievements", str(actuals), "--plan", str(plan)]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    pace = data["figures"]["pace_percent"]
    assert pace["formula"] == "15 + (50 − 15) × (5 − 3)/(6 − 3) = 38.33333333333333333333333333"
    assert pace["note"] == "序时进度 by milestones: linear by month from 2020-03 to 2020-06"
    expected = data["figures"]["expected"]
    assert expected["formula"] == (
        "1000 × 38.33333333333333333333333333/100 = 383.3333333333333333333333333"
    )


def test_explain_cites_last_years_rows(
    runner: CliRunner, write: Callable[..., Path], plan_data: dict[str, Any]
) -> None:
    plan_data["settings"]["pace"] = "last_year"
    plan = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False))
    rows = "registered_achievements,2019-06,300,\nregistered_achievements,2019,1200,\n"
    actuals = write("a.csv", HEADER + rows + "registered_achievements,2020-06,320,\n")
    args = ["explain", "-t", "registered_achievements", str(actuals), "--plan", str(plan)]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    pace = data["figures"]["pace_percent"]
    assert pace["formula"] == "300 / 1200 × 100 = 25"
    assert [(row["line"], row["period"]) for row in pace["inputs"]] == [(2, "2019-06"), (3, "2019")]


def test_status_json_carries_the_pace_and_the_projection(runner: CliRunner, example: Path) -> None:
    data = json.loads(runner.invoke(app, ["status", str(example), "-f", "json"]).stdout)
    firms = next(t for t in data["targets"] if t["id"] == "hitech_enterprises")
    # 812 at June from 785: 785 + 27 × 2 = 839; the example has no 2019-06 nor 2018 rows.
    assert firms["pace"] == {"profile": "linear", "declared": "linear", "note": None}
    assert firms["projection"] == {
        "run_rate": 839,
        "seasonal": None,
        "low": 839,
        "high": 839,
        "meets_target": False,
    }
    assert next(t for t in data["targets"] if t["id"] == "rd_ratio")["projection"] is None


def test_a_share_too_large_to_write_is_still_a_note(
    plan_data: dict[str, Any], read_csv: Read
) -> None:
    plan = paced(plan_data, "last_year")
    rows = (
        "key_projects,2019-06,999999999999999,",
        "key_projects,2019,0.000000000001,",
        "key_projects,2020-06,30,",
    )
    actuals = read_csv(HEADER + "".join(f"{row}\n" for row in rows), plan)
    a = next(a for a in assess(plan, actuals).assessments if a.target.id == "key_projects")
    assert a.pace is not None and a.pace.note is not None
    assert a.pace.note.startswith("last year's share by 2019-06 is 99999999999999900000000000")
    assert a.pace.note.endswith(" %, outside 0–100 %: paced linearly")
    assert a.projection is not None and a.projection.seasonal is None


def test_trend_says_why_it_paced_linearly(
    runner: CliRunner, write: Callable[..., Path], plan_data: dict[str, Any]
) -> None:
    plan_data["settings"]["pace"] = "last_year"
    plan = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False))
    actuals = write("a.csv", HEADER + "key_projects,2019,58,\nkey_projects,2020-05,24,\n")
    args = ["trend", "-t", "key_projects", str(actuals), "--plan", str(plan)]
    english = runner.invoke(app, args).stdout
    assert (
        "Pace (序时进度): no 2019-05 value for last year's share by the same month: paced "
        "linearly" in english
    )
    chinese = runner.invoke(app, [*args, "--lang", "zh"]).stdout
    assert "序时进度：缺少2019-05的数值，无法计算上年同期进度，按时间均匀计算序时进度" in chinese

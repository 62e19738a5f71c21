"""Plans over several years and folders of plans, as README ("Plans over several years")
defines them; figures worked out by hand.

The illustrative five-year plan examples/plan-2021-2025.yaml (years 2021–2025, base 2020):
- hitech_enterprises: stock, more than 1800 from 900, milestone 1300 in 2023 (straight);
- tech_smes: stock, more than 2000 from 1000 (straight);
- rd_ratio: rate, at least 3.6 from 3.1 (compound, the default for rates);
- rd_expenditure: cumulative, at least 161.051 from 100 (compound: 10 % a year);
- registered_achievements: cumulative, at least 1500 from 1000 (straight).
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
from sti_plan.plan_file import bundled_plan_path, load_plan
from sti_plan.results import Assessment, Status
from sti_plan.years import assess_years

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FIVE_YEARS = EXAMPLES / "plan-2021-2025.yaml"
HEADER = "target,period,value,region\n"
Read = Callable[..., Actuals]


@pytest.fixture(scope="module")
def five() -> Plan:
    plan, problems = load_plan(FIVE_YEARS)
    assert plan is not None, problems
    return plan


def standing(
    five: Plan, read_csv: Read, target: str, rows: str, as_of: str | None = None
) -> Assessment:
    actuals = read_csv(HEADER + rows, five)
    assert actuals.problems == []
    report = assess_years(five, actuals, parse_period(as_of) if as_of else None)
    return next(a for a in report.assessments if a.target.id == target)


# --- the straight path ---------------------------------------------------------------------


def test_the_path_runs_through_the_milestones(five: Plan, read_csv: Read) -> None:
    a = standing(five, read_csv, "hitech_enterprises", "hitech_enterprises,2023-06,1240,\n")
    # June 2023 is 2.5 years from the end of 2020, on the stretch 900 -> 1300 (2020–2023):
    # 900 + 400 × 2.5/3 = 1233.33; 1240 is ahead.
    assert a.expected == 900 + Decimal(400) * 5 / 6
    assert a.status is Status.ON_TRACK
    assert a.baseline == 900
    # 完成率 (1240 − 900) / (1800 − 900) = 37.78 %; due (1233.33 − 900) / 900 = 37.04 %.
    assert a.progress_percent == Decimal(340) * 100 / 900
    assert a.pace_percent is not None and abs(a.pace_percent - Decimal(1000) / 27) < Decimal(
        "1e-20"
    )
    assert a.pace is not None and a.pace.profile == "milestones"


def test_after_the_milestone_the_path_runs_on_to_the_target(five: Plan, read_csv: Read) -> None:
    a = standing(five, read_csv, "hitech_enterprises", "hitech_enterprises,2024,1500,\n")
    # 1300 + (1800 − 1300) × 1/2 = 1550; the change 600 >= 0.9 × 650 = 585: at risk.
    assert (a.expected, a.status) == (Decimal(1550), Status.AT_RISK)


def test_a_straight_path_without_milestones(five: Plan, read_csv: Read) -> None:
    a = standing(five, read_csv, "tech_smes", "tech_smes,2022,1300,\n")
    # 1000 + 1000 × 2/5 = 1400; the change 300 < 0.9 × 400 = 360: off track.
    assert (a.expected, a.status) == (Decimal(1400), Status.OFF_TRACK)
    assert a.pace is not None and a.pace.profile == "linear" and a.pace_percent == 40


@pytest.mark.parametrize(("value", "status"), [("1801", Status.ACHIEVED), ("1800", Status.MISSED)])
def test_the_last_year_settles_it(five: Plan, read_csv: Read, value: str, status: Status) -> None:
    a = standing(five, read_csv, "hitech_enterprises", f"hitech_enterprises,2025,{value},\n")
    assert a.status is status  # more than 1800


def test_a_total_is_taken_from_its_last_full_year(five: Plan, read_csv: Read) -> None:
    rows = "registered_achievements,2022,1150,\nregistered_achievements,2023-06,600,\n"
    a = standing(five, read_csv, "registered_achievements", rows)
    # Half of 2023 is not comparable with a year's target: 2022's 1150 against
    # 1000 + 500 × 2/5 = 1200; the change 150 < 0.9 × 200 = 180: off track. 2023 is not
    # out, so 2022 is as late as a total can be: not stale.
    assert a.actual is not None and str(a.actual.period) == "2022"
    assert (a.expected, a.status, a.stale) == (Decimal(1200), Status.OFF_TRACK, False)
    later = standing(five, read_csv, "registered_achievements", rows, as_of="2024-03")
    assert later.stale  # 2023 was out and not reported


# --- the compound path ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "observed", "status"),
    [
        ("121", 10, Status.ON_TRACK),  # (121/100)^(1/2) − 1 = 10 %: ratio 1
        ("119.9025", Decimal("9.5"), Status.ON_TRACK),  # 1.095²: ratio 0.95, the bound
        ("115.5625", Decimal("7.5"), Status.AT_RISK),  # 1.075²: ratio 0.75
        ("110.25", 5, Status.OFF_TRACK),  # 1.05²: ratio 0.5, under 0.6
    ],
)
def test_the_observed_annual_rate_against_the_required_one(
    five: Plan, read_csv: Read, value: str, observed: Decimal, status: Status
) -> None:
    a = standing(five, read_csv, "rd_expenditure", f"rd_expenditure,2022,{value},\n")
    assert a.compound is not None
    # 161.051 = 100 × 1.1^5: 10 % a year is needed.
    assert a.compound.required_rate == 10
    assert a.compound.observed_rate == observed
    assert a.compound.ratio == Decimal(observed) / 10
    assert a.status is status
    # On the compound path 2022 is due 100 × 1.1² = 121.
    assert a.expected == 121


def test_a_rate_is_held_to_a_compound_path(five: Plan, read_csv: Read) -> None:
    a = standing(five, read_csv, "rd_ratio", "rd_ratio,2021,3.41,\n")
    assert a.compound is not None
    required = ((Decimal("3.6") / Decimal("3.1")) ** (Decimal(1) / 5) - 1) * 100
    assert a.compound.required_rate == required  # 3.04 % a year
    # One year on: 3.41 / 3.1 − 1 = 10 %, 3.29 times what is needed.
    assert a.compound.observed_rate == 10
    assert a.compound.ratio == 10 / required
    assert a.status is Status.ON_TRACK


def test_a_rate_that_has_not_moved_is_off_track(five: Plan, read_csv: Read) -> None:
    a = standing(five, read_csv, "rd_ratio", "rd_ratio,2022,3.1,\n")
    assert a.compound is not None and a.compound.ratio == 0
    assert a.status is Status.OFF_TRACK


def test_the_example_five_year_plan(runner: CliRunner) -> None:
    args = ["status", str(EXAMPLES / "actuals-2021-2023.csv"), "--plan", str(FIVE_YEARS)]
    result = runner.invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["plan"]["years"] == [2021, 2025]
    assert data["as_of"] == "2023-06"
    statuses = {t["id"]: t["status"] for t in data["targets"]}
    assert statuses == {
        "hitech_enterprises": "on_track",  # 1240 against 1233.33
        "tech_smes": "on_track",  # 1500 against 1000 + 1000 × 2.5/5 = 1500
        "rd_ratio": "on_track",  # 121 / 3630 × 100 = 3.33 % in 2022: 3.7 % a year
        "rd_expenditure": "on_track",  # 121 in 2022: 10 % a year
        "registered_achievements": "off_track",  # 1150 against 1200
    }
    table = runner.invoke(app, args).stdout
    assert "全社会研发投入 (rd_expenditure): needs 10% a year from 2020, 10% a year so far" in table


def test_commands_of_a_year_refuse_a_plan_over_several_years(runner: CliRunner) -> None:
    args = [str(EXAMPLES / "actuals-2021-2023.csv"), "--plan", str(FIVE_YEARS)]
    result = runner.invoke(app, ["gap", *args])
    assert result.exit_code == 2
    assert "a plan over several years is assessed by status" in result.stderr
    as_of = runner.invoke(app, ["status", *args, "--as-of", "2026"])
    assert as_of.exit_code == 2
    assert "--as-of: 2026 is not in the plan's years 2021–2025" in as_of.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"years": [2025, 2021]}, "the first year 2025 is after the last 2021"),
        ({"year": 2025}, "give the plan's year or the years it spans, not both"),
    ],
)
def test_a_bad_span_is_a_schema_problem(
    runner: CliRunner, write: Callable[..., Path], change: dict[str, Any], message: str
) -> None:
    data = yaml.safe_load(FIVE_YEARS.read_text("utf-8"))
    data.update(change)
    path = write("five.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert message in result.stdout


def test_a_target_over_several_years_needs_a_base(
    runner: CliRunner, write: Callable[..., Path]
) -> None:
    data = yaml.safe_load(FIVE_YEARS.read_text("utf-8"))
    del data["targets"][1]["base"]
    data["targets"][0]["milestones"] = {2026: 2000}
    path = write("five.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    out = runner.invoke(app, ["validate", str(path)]).stdout
    assert "targets[1]: a target of a plan over several years needs its base" in out
    assert "a milestone year must lie between the base year 2020 and 2025" in out


def test_a_plan_of_one_year_has_no_base(runner: CliRunner, write: Callable[..., Path]) -> None:
    data = yaml.safe_load(bundled_plan_path().read_text("utf-8"))
    data["targets"][1]["base"] = {"year": 2019, "value": 700}
    path = write("plan.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    out = runner.invoke(app, ["validate", str(path)]).stdout
    assert "only a plan over several years (years: [first, last]) has `base`" in out


# --- folders of plans ----------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Plans of 2020 (the bundled one) and 2021 (the same with one more target, patents),
    the 2021 one part of the five-year plan."""
    plans = tmp_path / "plans"
    plans.mkdir()
    data = yaml.safe_load(bundled_plan_path().read_text("utf-8"))
    (plans / "2020.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    data.update(id="wuhu_sti_2021", year=2021, title="2021年工作要点（示例）")
    data["targets"].append(
        {
            "id": "patents",
            "name": "发明专利授权量",
            "name_en": "Invention patents granted",
            "unit": "件",
            "value": 1200,
            "comparison": "at_least",
            "kind": "cumulative",
            "source": {"section": "示例", "quote": "发明专利授权1200件（示例）"},
        }
    )
    data["part_of"] = "../five.yaml"
    (plans / "2021.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    (tmp_path / "five.yaml").write_text(FIVE_YEARS.read_text("utf-8"), "utf-8")
    return plans


def plan_year(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, ["status", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_folder_uses_the_plan_of_the_latest_year_reported(
    runner: CliRunner, folder: Path, write: Callable[..., Path]
) -> None:
    both = write("both.csv", HEADER + "key_projects,2020-06,32,\npatents,2021-06,700,\n")
    data = plan_year(runner, str(both), "--plan", str(folder))
    assert (data["plan"]["year"], data["as_of"]) == (2021, "2021-06")
    patents = next(t for t in data["targets"] if t["id"] == "patents")
    # 1200 × 6/12 = 600 due by June; 700 is ahead.
    assert (patents["expected"], patents["status"]) == (600, "on_track")
    # 2021 is part of the five-year plan: its standing as of the same period comes along.
    assert data["part_of"]["plan"]["years"] == [2021, 2025]
    assert data["part_of"]["as_of"] == "2021-06"
    old = write("old.csv", HEADER + "key_projects,2020-06,32,\n")
    assert plan_year(runner, str(old), "--plan", str(folder))["plan"]["year"] == 2020


def test_year_and_as_of_choose_the_plan(runner: CliRunner, folder: Path, example: Path) -> None:
    assert plan_year(runner, str(example), "--plan", str(folder), "--year", "2020")["as_of"] == (
        "2020-06"
    )
    data = plan_year(runner, str(example), "--plan", str(folder), "--as-of", "2021-03")
    # The 2021 plan, as of a period the 2020 file has no rows of: no data.
    assert data["plan"]["year"] == 2021
    assert data["counts"]["no_data"] == 14
    missing = runner.invoke(app, ["status", str(example), "--plan", str(folder), "--year", "2019"])
    assert missing.exit_code == 2
    assert "no plan of 2019 among the plans given (their years: 2020, 2021)" in missing.stderr


def test_the_table_shows_the_five_year_plan_after_the_years(
    runner: CliRunner, folder: Path, write: Callable[..., Path]
) -> None:
    rows = HEADER + "hitech_enterprises,2020,905,\nhitech_enterprises,2021-06,990,\n"
    result = runner.invoke(app, ["status", str(write("a.csv", rows)), "--plan", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    titles = [line for line in lines if " · as of " in line]
    assert titles == [
        "2021年工作要点（示例） · as of 2021-06",
        "科技创新“十四五”规划（示例） · as of 2021-06",
    ]
    # Five-year path: 900 + 400 × 0.5/3 = 966.67 by June 2021; 990 is ahead.
    firms = [line for line in lines if line.startswith("高新技术企业")][-1].split()
    assert firms[:5] == ["高新技术企业", "hitech_enterprises", ">", "1,800家", "990家"]
    assert "966.67家" in firms and firms[-2:] == ["on", "track"]


def test_validate_checks_each_actuals_file_against_the_plan_of_its_year(
    runner: CliRunner, folder: Path, write: Callable[..., Path]
) -> None:
    new = write("2021.csv", HEADER + "patents,2021-06,700,\n")
    old = write("2020.csv", HEADER + "key_projects,2020-06,32,\n")
    result = runner.invoke(app, ["validate", str(folder), str(new), str(old)])
    assert result.exit_code == 0, result.output
    # patents is known to the 2021 plan only: against 2020's it would be unknown.
    alone = runner.invoke(app, ["validate", str(bundled_plan_path()), str(new)])
    assert alone.exit_code == 1 and "unknown-target" in alone.stdout


def test_validate_checks_what_a_plan_is_part_of(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    data = yaml.safe_load((folder / "2021.yaml").read_text("utf-8"))
    data["part_of"] = "2020.yaml"  # a plan of one year
    (folder / "2021.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "part_of: 2020.yaml is not a plan over several years that covers 2021" in result.stdout


def test_two_plans_of_one_year_are_refused(runner: CliRunner, folder: Path, example: Path) -> None:
    (folder / "copy.yaml").write_text((folder / "2020.yaml").read_text("utf-8"), "utf-8")
    for args in (["--year", "2020"], []):  # whichever plan would be chosen
        result = runner.invoke(app, ["status", str(example), "--plan", str(folder), *args])
        assert result.exit_code == 1
        assert "2020.yaml is a plan of 2020 too: keep one" in result.stderr
    checked = runner.invoke(app, ["validate", str(folder)])
    assert checked.exit_code == 1
    assert "copy.yaml: schema:" in checked.stdout


def test_a_folder_without_plans_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, example: Path
) -> None:
    result = runner.invoke(app, ["status", str(example), "--plan", str(tmp_path)])
    assert result.exit_code == 2
    assert "no plan files (.yaml, .yml) in the folder" in result.stderr


def five_with(write: Callable[..., Path], **target: Any) -> Path:
    """The five-year plan with one more target."""
    data = yaml.safe_load(FIVE_YEARS.read_text("utf-8"))
    data["targets"].append(
        {
            "name": "示例指标",
            "name_en": "An example",
            "unit": "%",
            "kind": "rate",
            "source": {"section": "示例", "quote": "示例"},
            **target,
        }
    )
    return write("five.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_a_rate_that_must_fall_met_early_is_on_track(
    runner: CliRunner, write: Callable[..., Path]
) -> None:
    plan = five_with(
        write, id="defects", value=2, comparison="at_most", base={"year": 2020, "value": 5}
    )
    rows = write("a.csv", HEADER + "defects,2022,0,\ndefects,2021,4,\n")
    data = plan_year(runner, str(rows), "--plan", str(plan))
    defects = next(t for t in data["targets"] if t["id"] == "defects")
    # 0 meets at most 2: on track, though no annual rate can be taken from 0.
    assert defects["status"] == "on_track"
    assert defects["compound"]["observed_rate"] is None
    # (2/5)^(1/5) − 1 = −16.74 % a year: a fall, and the table says so.
    table = runner.invoke(app, ["status", str(rows), "--plan", str(plan), "--as-of", "2021"])
    assert "needs a fall of 16.74% a year from 2020, a fall of 20% a year so far" in table.stdout
    assert "(1.19 times that)" in table.stdout  # −20 / −16.74


def test_a_rate_aimed_at_its_base_is_judged_by_meeting_it(
    runner: CliRunner, write: Callable[..., Path]
) -> None:
    plan = five_with(
        write, id="share", value=3, comparison="more_than", base={"year": 2020, "value": 3}
    )
    rows = write("a.csv", HEADER + "share,2022,3.5,\n")
    data = plan_year(runner, str(rows), "--plan", str(plan))
    share = next(t for t in data["targets"] if t["id"] == "share")
    # No rate is needed (3 -> more than 3): 3.5 is more than 3, on track.
    assert share["compound"]["required_rate"] == 0 and share["status"] == "on_track"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            {
                "id": "x",
                "value": 4,
                "comparison": "at_least",
                "base": {"year": 2020, "value": 3},
                "milestones": {2023: 3.9},
            },
            "milestones go with a straight path: give growth: linear",
        ),
        (
            {
                "id": "x",
                "value": 4,
                "comparison": "at_least",
                "base": {"year": 2020, "value": 3},
                "growth": "linear",
                "pace": "last_year",
            },
            "a target of a plan over several years follows its path, not a pace",
        ),
        (
            {
                "id": "x",
                "value": 4,
                "comparison": "at_least",
                "kind": "stock",
                "unit": "家",
                "base": {"year": 2020, "value": -3},
            },
            "a base of a total or a level must be above 0",
        ),
    ],
)
def test_what_a_path_cannot_follow_is_a_schema_problem(
    runner: CliRunner, write: Callable[..., Path], target: dict[str, Any], message: str
) -> None:
    result = runner.invoke(app, ["validate", str(five_with(write, **target))])
    assert result.exit_code == 1
    assert message in result.stdout


def test_a_folder_finds_the_plan_whose_targets_the_file_reports(
    runner: CliRunner, folder: Path, write: Callable[..., Path]
) -> None:
    five = yaml.safe_load(FIVE_YEARS.read_text("utf-8"))
    five["targets"][0].update(id="firms", aliases=[])  # a target the plans of a year lack
    (folder / "five.yaml").write_text(yaml.safe_dump(five, allow_unicode=True), "utf-8")
    rows = write("a.csv", HEADER + "firms,2023,1400,\n")
    data = plan_year(runner, str(rows), "--plan", str(folder))
    assert data["plan"]["years"] == [2021, 2025] and data["problems"] == []
    checked = runner.invoke(app, ["validate", str(folder), str(rows)])
    assert checked.exit_code == 0, checked.output


def test_a_missing_part_of_says_where_it_was_named(
    runner: CliRunner, folder: Path, tmp_path: Path, write: Callable[..., Path]
) -> None:
    (tmp_path / "five.yaml").unlink()
    rows = write("a.csv", HEADER + "patents,2021-06,700,\n")
    result = runner.invoke(app, ["status", str(rows), "--plan", str(folder)])
    assert result.exit_code == 2
    assert "2021.yaml: part_of:" in result.stderr


def test_tasks_files_are_not_checked_against_a_plan_over_several_years(
    runner: CliRunner,
) -> None:
    tasks = EXAMPLES / "tasks-2020-h1.csv"
    result = runner.invoke(app, ["validate", str(FIVE_YEARS), str(tasks)])
    assert "not checked, tasks files go with a plan of one year" in result.stderr


def test_a_plan_path_too_long_to_look_up_is_one_error(runner: CliRunner, example: Path) -> None:
    long = "/tmp/" + "a" * 300 + ".yaml"
    for command in (["status", str(example)], ["targets"], ["validate", str(example)]):
        result = runner.invoke(app, [*command, "--plan", long])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error: ") or "cannot read" in result.stderr

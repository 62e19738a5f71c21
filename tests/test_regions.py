"""Regions: declared in the plan, named as staff name them, and added up for the city only
when every region expected has reported; what falls short is a warning with its line."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sti_plan.actuals import read_actuals
from sti_plan.cli import app
from sti_plan.model import Plan
from sti_plan.observations import Actuals
from sti_plan.plan_file import parse_plan
from sti_plan.progress import assess, city_value
from sti_plan.results import Basis, Coverage, Status

HEADER = "target,period,value,region\n"
Write = Callable[[str, str | bytes], Path]


def read(plan: Plan, *rows: str) -> Actuals:
    return read_actuals((HEADER + "".join(f"{row}\n" for row in rows)).splitlines(True), plan)


def where(actuals: Actuals) -> list[tuple[str, int | None]]:
    return [(p.code.value, p.line) for p in actuals.problems]


def plan_with(plan_data: dict[str, Any], **changes: Any) -> Plan:
    text = yaml.safe_dump({**plan_data, **changes}, allow_unicode=True)
    plan, problems = parse_plan(text)
    assert plan is not None, problems
    return plan


def with_towns(plan_data: dict[str, Any]) -> Plan:
    """The bundled plan, with two towns of 南陵县 declared."""
    towns = [
        {"id": "jishan", "name": "籍山镇", "kind": "town", "parent": "nanling"},
        {"id": "xuzhen", "name": "许镇镇", "kind": "town", "parent": "nanling"},
    ]
    return plan_with(plan_data, regions=[*plan_data["regions"], *towns])


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name", ["全市", "合计", "总计", "全市合计", "全市总计", "芜湖市", "芜湖", ""]
)
def test_names_of_the_whole_city_are_the_whole_city_row(plan: Plan, name: str) -> None:
    actuals = read(plan, "key_projects,2020-06,30,镜湖区", f"key_projects,2020-06,32,{name}")
    assert actuals.problems == []
    reported = actuals.reported("key_projects", 2020, 6)
    assert reported is not None
    assert (reported.city, reported.city_line) == (Decimal(32), 3)
    assert reported.regions == {"": 3, "jinghu": 2}


def test_a_total_row_beside_the_district_rows_is_not_one_more_district(plan: Plan) -> None:
    """120 + 95 + 215 + 215 made 645; the city has 215, and 合计 repeats 全市."""
    actuals = read(
        plan,
        "hitech_enterprises,2020-06,120,镜湖区",
        "hitech_enterprises,2020-06,95,弋江区",
        "hitech_enterprises,2020-06,215,全市",
        "hitech_enterprises,2020-06,215,合计",
    )
    assert where(actuals) == [("duplicate-row", 5)]
    assert actuals.problems[0].message == (
        "hitech_enterprises for the whole city in 2020-06 is already given at line 4"
    )
    observation = city_value(plan, actuals, "hitech_enterprises", 2020, 6)
    assert observation is not None
    assert (observation.value, observation.basis) == (Decimal(215), Basis.REPORTED)


@pytest.mark.parametrize(
    ("written", "region"),
    [
        ("镜湖", "jinghu"),
        (" 镜 湖 区 ", "jinghu"),
        ("jinghu", "jinghu"),
        ("芜湖县", "wanzhi"),  # the name before 2020
        ("繁昌", "fanchang"),
        ("无为县", "wuwei"),
        ("无为", "wuwei"),
        ("经开区", "etdz"),
        ("高新区", "hitech_zone"),
        ("市本级", "city_level"),  # the city's own units: a region, not the total
    ],
)
def test_a_region_is_known_by_its_names_aliases_and_short_name(
    plan: Plan, written: str, region: str
) -> None:
    actuals = read(plan, f"key_projects,2020-06,3,{written}")
    assert actuals.problems == []
    reported = actuals.reported("key_projects", 2020, 6)
    assert reported is not None
    assert list(reported.regions) == [region]


def test_short_and_full_names_are_one_region(plan: Plan) -> None:
    actuals = read(plan, "key_projects,2020-06,3,镜湖", "key_projects,2020-06,3,镜湖区")
    assert where(actuals) == [("duplicate-row", 3)]
    assert "for region '镜湖区' in 2020-06 is already given at line 2" in (
        actuals.problems[0].message
    )


def test_an_unknown_region_is_a_problem_with_a_suggestion(runner: CliRunner, write: Write) -> None:
    path = write("a.csv", HEADER + "key_projects,2020-06,3,镜糊区\nkey_projects,2020-06,3,火星\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:2:4: unknown-region: unknown region '镜糊区'; did you mean '镜湖区'?",
        f"{path}:3:4: unknown-region: unknown region '火星' (the plan's regions are listed in it)",
    ]


def test_a_plan_without_regions_takes_any_region_but_knows_the_whole_city(
    free_plan: Plan,
) -> None:
    actuals = read(
        free_plan,
        "key_projects,2020-06,3,town-1",
        "key_projects,2020-06,4,town-2",
        "key_projects,2020-06,7,全市",
    )
    assert actuals.problems == []
    reported = actuals.reported("key_projects", 2020, 6)
    assert reported is not None
    assert reported.regions == {"": 4, "town-1": 2, "town-2": 3}
    observation = city_value(free_plan, actuals, "key_projects", 2020, 6)
    assert observation is not None and observation.value == 7


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ({"id": "x", "name": "全市", "kind": "district"}, "'全市' means the whole city"),
        ({"id": "x", "name": "芜湖市", "kind": "district"}, "'芜湖市' means the whole city"),
        ({"id": "x", "name": "镜湖区", "kind": "district"}, "name '镜湖区' already names 'jinghu'"),
        ({"id": "jinghu", "name": "新区", "kind": "district"}, "duplicate region 'jinghu'"),
        ({"id": "x", "name": "新镇", "kind": "town", "parent": "y"}, "unknown region 'y'"),
        (
            {"id": "x", "name": "新镇", "kind": "town", "parent": "x"},
            "region 'x' lies inside itself through its parents",
        ),
        ({"id": "x", "name": "新镇", "kind": "village"}, "Input should be 'district'"),
    ],
)
def test_regions_that_cannot_be_are_refused(
    plan_data: dict[str, Any], region: dict[str, Any], message: str
) -> None:
    text = yaml.safe_dump(
        {**plan_data, "regions": [*plan_data["regions"], region]}, allow_unicode=True
    )
    plan, problems = parse_plan(text, "p.yaml")
    assert plan is None
    assert len(problems) == 1
    assert message in problems[0].message


# ---------------------------------------------------------------- the roll-up


def test_a_district_that_reports_late_does_not_drop_out_of_the_city_total(
    runner: CliRunner, write: Write, plan: Plan
) -> None:
    """1-5月 镜湖区 3 + 南陵县 2; 1-6月 only 镜湖区 4: the city "had" 4, fewer than in May.
    Now June's regions are not added up: the city has 5, as of May, with a warning."""
    rows = [
        "key_projects,2020-05,3,镜湖区",
        "key_projects,2020-05,2,南陵县",
        "key_projects,2020-06,4,镜湖区",
    ]
    actuals = read(plan, *rows)
    [assessment] = [a for a in assess(plan, actuals).assessments if a.target.id == "key_projects"]
    assert assessment.actual is not None
    assert (assessment.actual.value, assessment.actual.period.code) == (Decimal(5), "2020-05")
    assert assessment.actual.basis is Basis.REGIONAL_SUM
    june = assessment.regions
    assert june == Coverage(1, 2, ("南陵县",), june.period if june else None)  # type: ignore[arg-type]
    assert june is not None and june.period.code == "2020-06"
    # 60 x 5/12 = 25 expected by May; 5 < 0.9 x 25 -> off track.
    assert assessment.expected == 25
    assert assessment.status is Status.OFF_TRACK

    path = write("a.csv", HEADER + "\n".join(rows) + "\n")
    warning = (
        f"{path}:3: warning: incomplete-regions: key_projects 2020-06: 南陵县 has not "
        "reported (last: 2020-05); the regions are not added up for 2020-06"
    )
    result = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [warning]
    data = json.loads(result.stdout)
    [projects] = [t for t in data["targets"] if t["id"] == "key_projects"]
    assert (projects["actual"], projects["period"]) == (5, "2020-05")
    assert projects["regions"] == {
        "reported": 1,
        "expected": 2,
        "missing": ["南陵县"],
        "period": "2020-06",
    }
    [problem] = data["problems"]
    assert (problem["code"], problem["severity"], problem["line"]) == (
        "incomplete-regions",
        "warning",
        3,
    )

    assert runner.invoke(app, ["status", str(path), "--strict"]).exit_code == 1
    checked = runner.invoke(app, ["validate", str(path)])
    assert checked.exit_code == 0
    assert checked.stdout.splitlines() == [warning]
    assert checked.stderr.splitlines() == ["ok: 1 file checked, no problems, 1 warning"]
    strict = runner.invoke(app, ["validate", str(path), "--strict", "-f", "github"])
    assert strict.exit_code == 1
    assert strict.stdout.startswith(f"::warning file={path},line=3,title=incomplete-regions::")


def test_the_table_marks_a_figure_taken_from_an_earlier_complete_period(
    runner: CliRunner, write: Write
) -> None:
    rows = "key_projects,2020-05,3,镜湖区\nkey_projects,2020-05,2,南陵县\nkey_projects,2020-06,4,镜湖区\n"
    result = runner.invoke(app, ["status", str(write("a.csv", HEADER + rows))])
    assert result.exit_code == 0
    out = [line.rstrip() for line in result.stdout.splitlines()]
    [row] = [line for line in out if "≥ 60个" in line]
    assert "2020-05 !" in row
    assert (
        out[-2]
        == "Σ = sum of regional rows, ! = later regional rows are incomplete: the latest complete period"
    )
    assert out[-1] == (
        "国家和省级重点科技项目 (key_projects): 2020-06: 1 of 2 regions reported (南陵县 not); "
        "2020-05 is shown"
    )


def test_a_complete_regional_sum_carries_its_coverage(plan: Plan) -> None:
    actuals = read(plan, "key_projects,2020-06,3,镜湖区", "key_projects,2020-06,2,南陵县")
    report = assess(plan, actuals)
    [a] = [a for a in report.assessments if a.target.id == "key_projects"]
    assert a.actual is not None and a.actual.value == 5
    assert a.regions is not None
    assert (a.regions.reported, a.regions.expected, a.regions.missing) == (2, 2, ())
    assert report.problems == []


def test_a_region_new_in_the_latest_period_is_added(plan: Plan) -> None:
    """Expected are the regions that reported earlier: a newcomer adds, misses nothing."""
    actuals = read(
        plan,
        "key_projects,2020-05,3,镜湖区",
        "key_projects,2020-06,4,镜湖区",
        "key_projects,2020-06,1,弋江区",
    )
    observation = city_value(plan, actuals, "key_projects", 2020, 6)
    assert observation is not None and observation.value == 5


@pytest.mark.parametrize(("city", "warned"), [("216", False), ("214", False), ("217", True)])
def test_a_city_row_the_regions_contradict_is_warned_of(
    plan: Plan, city: str, warned: bool
) -> None:
    """Regions 120 + 95 = 215: within 0.5 % of 216 (1.08) and of 214 (1.07), not of 217
    (|215 - 217| = 2 > 1.085). The city row stands either way."""
    actuals = read(
        plan,
        f"hitech_enterprises,2020-06,{city},全市",
        "hitech_enterprises,2020-06,120,镜湖区",
        "hitech_enterprises,2020-06,95,弋江区",
    )
    report = assess(plan, actuals)
    [a] = [a for a in report.assessments if a.target.id == "hitech_enterprises"]
    assert a.actual is not None and a.actual.value == Decimal(city)
    assert a.actual.basis is Basis.REPORTED and a.regions is None
    expected = [
        (
            "regional-sum-mismatch",
            2,
            "hitech_enterprises 2020-06: the whole-city row gives "
            f"{city}, the 2 regions add up to 215; the city row stands",
        )
    ]
    assert [(p.code.value, p.line, p.message) for p in report.problems] == (
        expected if warned else []
    )


def test_a_city_row_of_430_beside_regions_of_215_is_warned_of_in_validate(
    runner: CliRunner, write: Write
) -> None:
    path = write(
        "a.csv",
        HEADER + "hitech_enterprises,2020-06,430,全市\nhitech_enterprises,2020-06,120,镜湖区\n"
        "hitech_enterprises,2020-06,95,弋江区\n",
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"{path}:2: warning: regional-sum-mismatch: hitech_enterprises 2020-06: the whole-city "
        "row gives 430, the 2 regions add up to 215; the city row stands\n"
    )


def test_towns_add_up_into_their_county_unless_it_has_its_own_row(
    plan_data: dict[str, Any],
) -> None:
    plan = with_towns(plan_data)
    towns = (
        "key_projects,2020-06,3,镜湖区",
        "key_projects,2020-06,1,籍山镇",
        "key_projects,2020-06,2,许镇",
    )
    # 南陵县 = 籍山镇 1 + 许镇镇 2 = 3; the city = 镜湖区 3 + 南陵县 3 = 6.
    observation = city_value(plan, read(plan, *towns), "key_projects", 2020, 6)
    assert observation is not None and observation.value == 6
    # With the county's own row (4), its towns are inside it: 3 + 4 = 7.
    own = read(plan, *towns, "key_projects,2020-06,4,南陵县")
    observation = city_value(plan, own, "key_projects", 2020, 6)
    assert observation is not None and observation.value == 7


def test_a_town_that_reports_keeps_its_county_reported(plan_data: dict[str, Any]) -> None:
    """May: 南陵县 by its own row; June: by one town. The county has reported June."""
    plan = with_towns(plan_data)
    actuals = read(
        plan,
        "key_projects,2020-05,3,镜湖区",
        "key_projects,2020-05,2,南陵县",
        "key_projects,2020-06,4,镜湖区",
        "key_projects,2020-06,3,籍山镇",
    )
    observation = city_value(plan, actuals, "key_projects", 2020, 6)
    assert observation is not None and observation.value == 7


def test_zones_are_never_added_to_the_city(plan: Plan) -> None:
    actuals = read(plan, "key_projects,2020-06,3,镜湖区", "key_projects,2020-06,10,经开区")
    observation = city_value(plan, actuals, "key_projects", 2020, 6)
    assert observation is not None and observation.value == 3
    only_zones = read(plan, "key_projects,2020-06,10,经开区", "key_projects,2020-06,5,高新区")
    assert city_value(plan, only_zones, "key_projects", 2020, 6) is None


def test_a_zone_counted_in_the_total_by_the_plan_is_added(plan_data: dict[str, Any]) -> None:
    regions = [dict(r, in_total=True) if r["id"] == "etdz" else r for r in plan_data["regions"]]
    plan = plan_with(plan_data, regions=regions)
    actuals = read(plan, "key_projects,2020-06,3,镜湖区", "key_projects,2020-06,10,经开区")
    observation = city_value(plan, actuals, "key_projects", 2020, 6)
    assert observation is not None and observation.value == 13


def test_a_rate_reported_by_regions_only_says_so(runner: CliRunner, write: Write) -> None:
    path = write(
        "a.csv",
        HEADER + "hitech_value_added_growth,2020-06,8,镜湖区\n"
        "hitech_value_added_growth,2020-06,9,弋江区\n",
    )
    result = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert result.exit_code == 0
    [growth] = [
        t for t in json.loads(result.stdout)["targets"] if t["id"] == "hitech_value_added_growth"
    ]
    assert (growth["status"], growth["actual"]) == ("no_data", None)
    assert (
        growth["note"] == "reported by regions only (a rate is not added up: give a whole-city row)"
    )
    table = runner.invoke(app, ["status", str(path)]).stdout
    assert "高新技术产业增加值增长 (hitech_value_added_growth): reported by regions only" in table


def test_a_late_town_in_a_plan_without_regions_is_warned_of_too(free_plan: Plan) -> None:
    actuals = read(
        free_plan,
        "key_projects,2020-05,3,town-1",
        "key_projects,2020-05,2,town-2",
        "key_projects,2020-06,4,town-1",
    )
    report = assess(free_plan, actuals)
    assert [(p.code.value, p.line) for p in report.problems] == [("incomplete-regions", 3)]
    [a] = [a for a in report.assessments if a.target.id == "key_projects"]
    assert a.actual is not None and (a.actual.value, a.actual.period.code) == (5, "2020-05")


def test_a_stock_baseline_from_incomplete_regions_is_not_taken(plan: Plan) -> None:
    """December's regions fall short: the baseline is November's complete sum, 400 + 300."""
    actuals = read(
        plan,
        "hitech_enterprises,2019-11,400,镜湖区",
        "hitech_enterprises,2019-11,300,南陵县",
        "hitech_enterprises,2019-12,410,镜湖区",
        "hitech_enterprises,2020-06,900,全市",
    )
    report = assess(plan, actuals)
    [a] = [a for a in report.assessments if a.target.id == "hitech_enterprises"]
    assert a.baseline is None  # a baseline is December's value: none is complete
    assert [(p.code.value, p.line) for p in report.problems] == [("incomplete-regions", 3)]


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        # B = 785, T = 900, H1 expected 842.5: 57.5 of increase due, 0.9 x 57.5 = 51.75.
        ("842.5", Status.ON_TRACK),
        ("837", Status.AT_RISK),  # 52 >= 51.75
        ("836", Status.OFF_TRACK),  # 51 < 51.75
        ("785", Status.OFF_TRACK),  # no growth at all (was at risk: 785 >= 0.9 x 842.5)
    ],
)
def test_a_stock_is_paced_on_its_increase(plan: Plan, actual: str, status: Status) -> None:
    actuals = read(plan, "hitech_enterprises,2019,785,", f"hitech_enterprises,2020-06,{actual},")
    [a] = [a for a in assess(plan, actuals).assessments if a.target.id == "hitech_enterprises"]
    assert a.status is status
    # 完成率 = (A - 785) / 115 x 100; 序时进度 50.
    assert a.progress_percent == (Decimal(actual) - 785) * 100 / 115
    assert a.vs_pace_pp == (Decimal(actual) - 785) * 100 / 115 - 50


def test_a_stock_without_baseline_is_paced_on_its_level(plan: Plan) -> None:
    actuals = read(plan, "hitech_enterprises,2020-06,812,")
    [a] = [a for a in assess(plan, actuals).assessments if a.target.id == "hitech_enterprises"]
    # expected 900 (no baseline); 812 >= 0.9 x 900 = 810 -> at risk; 完成率 812 / 900.
    assert a.status is Status.AT_RISK
    assert a.progress_percent == Decimal(812) * 100 / 900


def test_growth_on_the_same_period_of_last_year(plan: Plan) -> None:
    actuals = read(plan, "key_projects,2019-06,20,", "key_projects,2020-06,25,")
    [a] = [a for a in assess(plan, actuals).assessments if a.target.id == "key_projects"]
    assert a.growth == 25  # 25 / 20 - 1 = 25 %
    # 完成率 25 / 60 = 41.67 %, 序时进度 6/12 = 50 %: 8.33 points below.
    assert a.progress_percent == Decimal(25) * 100 / 60
    assert a.pace_percent == 50
    assert a.vs_pace_pp == Decimal(25) * 100 / 60 - 50


def test_a_quarter_is_paced_by_its_months(plan: Plan) -> None:
    actuals = read(plan, "key_projects,2020-Q1,18,")
    [a] = [a for a in assess(plan, actuals).assessments if a.target.id == "key_projects"]
    # 1-3月: 序时进度 3/12 = 25 %; 18 / 60 = 30 %: 5 points above.
    assert (a.pace_percent, a.progress_percent, a.vs_pace_pp) == (25, 30, 5)


def test_a_zone_inside_a_district_is_not_added_to_it(plan_data: dict[str, Any]) -> None:
    regions = [dict(r, parent="jiujiang") if r["id"] == "etdz" else r for r in plan_data["regions"]]
    plan = plan_with(plan_data, regions=regions)
    actuals = read(plan, "key_projects,2020-06,3,镜湖区", "key_projects,2020-06,10,经开区")
    observation = city_value(plan, actuals, "key_projects", 2020, 6)
    assert observation is not None and observation.value == 3  # 鸠江区 has no rows of its own


# ---------------------------------------------------------------- the bulletin

DISTRICTS = Path(__file__).resolve().parent.parent / "examples" / "districts-2020-h1.csv"
SHARES = Path(__file__).resolve().parent.parent / "examples" / "allocations-2020.csv"
REGION_KEYS = [
    "region",
    "region_id",
    "kind",
    "in_total",
    "target",
    "actual",
    "period",
    "baseline",
    "expected",
    "percent_of_target",
    "progress_percent",
    "pace_percent",
    "vs_pace_pp",
    "growth",
    "gap",
    "status",
    "rank",
]


def bulletin_json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(
        app, ["regions", str(DISTRICTS), "--allocations", str(SHARES), *args, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_bulletin_contract(runner: CliRunner) -> None:
    data = bulletin_json(runner, "-t", "hitech_enterprises")
    assert list(data) == [
        "schema_version",
        "plan",
        "as_of",
        "target",
        "period",
        "ranked_by",
        "regions",
        "city",
        "problems",
    ]
    assert data["period"] == "2020-06"  # the period the regions' figures are of
    assert list(data["target"]) == ["id", "name", "unit", "gap_unit", "kind", "comparison", "value"]
    assert all(list(region) == REGION_KEYS for region in data["regions"])
    assert data["city"]["id"] == "hitech_enterprises"


def test_a_stock_bulletin_ranks_the_increase_against_each_share(runner: CliRunner) -> None:
    """高新技术企业 at 2020-06, each region against its share, from its 2019 year-end."""
    data = bulletin_json(runner, "-t", "hitech_enterprises")
    rows = {r["region_id"]: r for r in data["regions"]}
    jinghu = rows["jinghu"]
    # 镜湖区: share 175, baseline 150, actual 162. Expected 150 + 25 x 6/12 = 162.5;
    # 12 of the 12.5 due >= 0.9 x 12.5 = 11.25 -> at risk. 完成率 12 / 25 = 48 %,
    # 序时进度 50 %: 2 points below. Still to go: 175 - 162 = 13.
    assert (jinghu["expected"], jinghu["status"], jinghu["gap"]) == (162.5, "at_risk", 13)
    assert (jinghu["progress_percent"], jinghu["pace_percent"], jinghu["vs_pace_pp"]) == (
        48,
        50,
        -2,
    )
    # 完成率: 镜湖 48, 鸠江 11/25 = 44, 弋江 6/20 = 30, 繁昌 4/15 = 26.67, then 湾沚 3/15,
    # 南陵 2/10, 无为 3/15 and 市本级 1/5 all 20 %: they share rank 5.
    assert [(r["region_id"], r["rank"]) for r in data["regions"][:8]] == [
        ("jinghu", 1),
        ("jiujiang", 2),
        ("yijiang", 3),
        ("fanchang", 4),
        ("wanzhi", 5),
        ("nanling", 5),
        ("wuwei", 5),
        ("city_level", 5),
    ]
    # The zones, ranked among themselves: 经开区 10/20 = 50 %, 高新区 6/15 = 40 %.
    assert [(r["region_id"], r["rank"], r["in_total"]) for r in data["regions"][8:]] == [
        ("etdz", 1, False),
        ("hitech_zone", 2, False),
    ]
    # The city: the 合计 row, 827; (827 - 785) / 115 = 36.52 % against 50 %.
    city = data["city"]
    assert (city["actual"], city["basis"]) == (827, "reported")
    assert city["progress_percent"] == pytest.approx(42 * 100 / 115, abs=1e-12)
    assert data["problems"][0]["code"] == "incomplete-regions"  # key_projects: 南陵县


def test_a_late_region_is_listed_last_unranked(runner: CliRunner) -> None:
    data = bulletin_json(runner, "-t", "key_projects")
    last = data["regions"][-1]
    # 南陵县 has a share (5) and no row for 2020-06: no data, as the city would be.
    assert (last["region_id"], last["actual"], last["rank"], last["status"]) == (
        "nanling",
        None,
        None,
        "no_data",
    )
    rows = {r["region_id"]: r for r in data["regions"]}
    # 镜湖区: 6 of 10 = 60 %, 10 points above 50 %; 同比 6 / 5 - 1 = +20 %.
    assert (rows["jinghu"]["progress_percent"], rows["jinghu"]["growth"]) == (60, 20)
    # 弋江区 4/8 and 繁昌区 3/6 are both 50 %: ranks 4 and 4, then 湾沚区 6.
    ranks = {r["region_id"]: r["rank"] for r in data["regions"]}
    assert (ranks["yijiang"], ranks["fanchang"], ranks["wanzhi"]) == (4, 4, 6)
    # The city waits for 南陵县: May's 24 stands, 24 / 60 = 40 % against 5/12 = 41.67 %.
    assert (data["city"]["actual"], data["city"]["period"]) == (24, "2020-05")


@pytest.mark.parametrize(
    ("by", "first"),
    [("growth", "fanchang"), ("actual", "jiujiang"), ("pace", "jinghu")],
)
def test_the_bulletin_ranks_by_what_is_asked(runner: CliRunner, by: str, first: str) -> None:
    # 同比: 繁昌 3 / 2 - 1 = +50 % first; the most projects: 鸠江 7; above pace: 镜湖 +10.
    data = bulletin_json(runner, "-t", "key_projects", "--by", by)
    assert data["ranked_by"] == by
    assert (data["regions"][0]["region_id"], data["regions"][0]["rank"]) == (first, 1)


def test_a_region_without_a_share_shows_no_target_figures(runner: CliRunner, write: Write) -> None:
    shares = write("s.csv", "指标,镜湖区\n重点科技项目,10\n")
    result = runner.invoke(
        app,
        [
            "regions",
            str(DISTRICTS),
            "-t",
            "key_projects",
            "--allocations",
            str(shares),
            "-f",
            "json",
        ],
    )
    rows = {r["region_id"]: r for r in json.loads(result.stdout)["regions"]}
    yijiang = rows["yijiang"]
    assert (yijiang["target"], yijiang["actual"], yijiang["progress_percent"]) == (None, 4, None)
    assert (yijiang["status"], yijiang["rank"]) == (None, None)
    assert rows["jinghu"]["rank"] == 1


def test_the_bulletin_table(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["regions", str(DISTRICTS), "-t", "key_projects", "--allocations", str(SHARES)],
    )
    assert result.exit_code == 0
    out = [line.rstrip() for line in result.stdout.splitlines()]
    assert out[0].startswith("国家和省级重点科技项目 (key_projects) · 2020-06 · ranked by progress")
    assert out[3].split() == [
        *("镜湖区", "10个", "6个", "60%", "50%", "+10", "pp", "+20%", "on", "track", "1"),
    ]
    assert any(line.split()[:3] == ["经开区", "9个", "4个"] for line in out)
    assert any(line.split()[:3] == ["南陵县", "5个", "not"] for line in out)
    assert out[-1].split()[:3] == ["全市", "≥", "60个"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "size", "-t", "key_projects"], "--by: 'size' is not one of progress, actual"),
        (["-t", "gdp"], "is an indicator, not a target"),
    ],
)
def test_regions_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["regions", str(DISTRICTS), *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_regions_needs_declared_regions(runner: CliRunner, free_plan_path: Path) -> None:
    result = runner.invoke(
        app, ["regions", str(DISTRICTS), "-t", "key_projects", "--plan", str(free_plan_path)]
    )
    assert result.exit_code == 2
    assert "the plan declares no regions" in result.stderr

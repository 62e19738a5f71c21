"""The progress semantics of README.md ("How every figure is computed", "`gap`"), case by case.

Every expected value below is worked out by hand from the README, not copied from the code.
Targets of the bundled 2020 plan used here:

- key_projects: cumulative, at_least 60;  registered_achievements: cumulative, at_least 1000;
- talent_teams: cumulative, at_least 30;  rd_institutions: cumulative, at_least 7;
- hitech_enterprises: stock, more_than 900;  tech_smes: stock, more_than 1000;
- rd_ratio: rate, at_least 3.1 (= rd_expenditure / gdp x 100);
- tech_contract_growth: rate, at_least 15 (growth of tech_contract_turnover);
- settings.at_risk_ratio: 0.9.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from sti_plan.model import Comparison, Plan, Target
from sti_plan.observations import Actuals
from sti_plan.pace import pace_share
from sti_plan.periods import Period, parse_period
from sti_plan.progress import (
    analyse_gap,
    assess,
    assess_target,
    city_value,
    expected_by_now,
    rank_by_shortfall,
    status_of,
)
from sti_plan.results import Assessment, Basis, GapAnalysis, PaceShare, Status

HEADER = "target,period,value,region\n"
Load = Callable[..., Actuals]


@pytest.fixture
def load(read_csv: Callable[..., Actuals], plan: Plan) -> Load:
    """Rows (without the header) -> Actuals; the rows must be valid."""

    def read(*rows: str, against: Plan | None = None) -> Actuals:
        actuals = read_csv(HEADER + "".join(f"{row}\n" for row in rows), against or plan)
        assert [p.code for p in actuals.problems] == ([] if rows else ["header-only"])
        return actuals

    return read


def period(text: str) -> Period:
    parsed = parse_period(text)
    assert parsed is not None
    return parsed


def standing(plan: Plan, actuals: Actuals, target_id: str, as_of: str | None = None) -> Assessment:
    report = assess(plan, actuals, period(as_of) if as_of else None)
    return next(a for a in report.assessments if a.target.id == target_id)


def gap_of(plan: Plan, actuals: Actuals, target_id: str, as_of: str | None = None) -> GapAnalysis:
    target = plan.target(target_id)
    assert target is not None
    when = period(as_of) if as_of else actuals.latest_period(plan.year)
    return analyse_gap(plan, actuals, target, when)


def variant(plan_data: dict[str, Any], target_id: str, **changes: Any) -> Plan:
    """The bundled plan with one target's keys changed."""
    for target in plan_data["targets"]:
        if target["id"] == target_id:
            target.update(changes)
            break
    else:
        raise AssertionError(f"no target {target_id}")
    return Plan.model_validate(plan_data)


# --- status --------------------------------------------------------------------------------


def test_cumulative_met_mid_year_is_achieved(plan: Plan, load: Load) -> None:
    result = standing(plan, load("key_projects,2020-06,60,"), "key_projects")
    assert result.status is Status.ACHIEVED
    assert result.expected == Decimal(30)
    assert result.gap == Decimal(0)
    assert result.percent_of_target == Decimal(100)


def test_stock_met_mid_year_is_achieved(plan: Plan, load: Load) -> None:
    result = standing(plan, load("tech_smes,2020-06,1001,"), "tech_smes")
    assert result.status is Status.ACHIEVED


def test_cumulative_ahead_of_expected_is_on_track(plan: Plan, load: Load) -> None:
    result = standing(plan, load("key_projects,2020-06,35,"), "key_projects")
    assert result.expected == Decimal(30)
    assert result.status is Status.ON_TRACK


def test_actual_exactly_at_expected_is_on_track(plan: Plan, load: Load) -> None:
    result = standing(plan, load("key_projects,2020-06,30,"), "key_projects")
    assert result.status is Status.ON_TRACK


def test_actual_exactly_at_risk_ratio_of_expected_is_at_risk(plan: Plan, load: Load) -> None:
    # expected 30, 0.9 x 30 = 27
    result = standing(plan, load("key_projects,2020-06,27,"), "key_projects")
    assert result.status is Status.AT_RISK


def test_actual_just_below_risk_threshold_is_off_track(plan: Plan, load: Load) -> None:
    result = standing(plan, load("key_projects,2020-06,26.99,"), "key_projects")
    assert result.status is Status.OFF_TRACK


def test_actual_far_behind_is_off_track(plan: Plan, load: Load) -> None:
    result = standing(plan, load("key_projects,2020-06,10,"), "key_projects")
    assert result.status is Status.OFF_TRACK
    assert result.gap == Decimal(50)


def test_full_year_not_met_is_missed(plan: Plan, load: Load) -> None:
    result = standing(plan, load("key_projects,2020,59,"), "key_projects")
    assert result.status is Status.MISSED
    assert result.expected == Decimal(60)
    assert result.gap == Decimal(1)


def test_rate_not_met_at_full_year_is_missed(plan: Plan, load: Load) -> None:
    result = standing(plan, load("rd_ratio,2020,3.0,"), "rd_ratio")
    assert result.status is Status.MISSED


def test_rate_met_at_full_year_is_achieved(plan: Plan, load: Load) -> None:
    result = standing(plan, load("rd_ratio,2020,3.1,"), "rd_ratio")
    assert result.status is Status.ACHIEVED


def test_rate_met_mid_year_is_on_track_not_achieved(plan: Plan, load: Load) -> None:
    result = standing(plan, load("rd_ratio,2020-06,3.5,"), "rd_ratio")
    assert result.status is Status.ON_TRACK


def test_rate_at_risk_ratio_of_target_mid_year_is_at_risk(plan: Plan, load: Load) -> None:
    # expected for a rate is T = 3.1; 0.9 x 3.1 = 2.79
    assert standing(plan, load("rd_ratio,2020-06,2.79,"), "rd_ratio").status is Status.AT_RISK
    assert standing(plan, load("rd_ratio,2020-06,2.78,"), "rd_ratio").status is Status.OFF_TRACK


def test_target_without_rows_is_no_data(plan: Plan, load: Load) -> None:
    result = standing(plan, load("key_projects,2020-06,30,"), "talent_teams")
    assert result.status is Status.NO_DATA
    assert result.actual is None
    assert result.expected is None
    assert result.gap is None
    assert result.percent_of_target is None


def test_file_without_plan_year_rows_gives_no_data_everywhere(plan: Plan, load: Load) -> None:
    report = assess(plan, load("key_projects,2019,50,"))
    assert report.as_of is None
    assert {a.status for a in report.assessments} == {Status.NO_DATA}


def test_status_of_boundaries_directly(plan: Plan) -> None:
    target = plan.target("key_projects")
    assert target is not None
    h1, ratio = period("2020-06"), Decimal("0.9")
    assert status_of(target, Decimal(30), h1, Decimal(30), ratio) is Status.ON_TRACK
    assert status_of(target, Decimal(27), h1, Decimal(30), ratio) is Status.AT_RISK
    assert status_of(target, Decimal("26.999"), h1, Decimal(30), ratio) is Status.OFF_TRACK
    assert status_of(target, Decimal(60), h1, Decimal(30), ratio) is Status.ACHIEVED
    assert status_of(target, Decimal(60), period("2020"), Decimal(60), ratio) is Status.ACHIEVED
    assert status_of(target, Decimal(59), period("2020"), Decimal(60), ratio) is Status.MISSED


# --- comparisons ---------------------------------------------------------------------------


def test_at_least_is_met_at_equality(plan: Plan, load: Load) -> None:
    assert standing(plan, load("key_projects,2020,60,"), "key_projects").status is Status.ACHIEVED


def test_more_than_is_not_met_at_equality(plan: Plan, load: Load) -> None:
    result = standing(plan, load("hitech_enterprises,2020,900,"), "hitech_enterprises")
    assert result.status is Status.MISSED
    assert result.gap == Decimal(0)


def test_more_than_is_met_just_above(plan: Plan, load: Load) -> None:
    result = standing(plan, load("hitech_enterprises,2020,901,"), "hitech_enterprises")
    assert result.status is Status.ACHIEVED
    assert result.gap == Decimal(-1)


def test_more_than_stock_at_equality_mid_year_is_not_achieved(plan: Plan, load: Load) -> None:
    # not met (900 > 900 is false); no baseline so expected = T = 900; A >= expected
    result = standing(plan, load("hitech_enterprises,2020-06,900,"), "hitech_enterprises")
    assert result.status is Status.ON_TRACK


def test_comparison_met_semantics() -> None:
    two, three = Decimal(2), Decimal(3)
    assert Comparison.AT_LEAST.met(three, three)
    assert not Comparison.MORE_THAN.met(three, three)
    assert Comparison.MORE_THAN.met(Decimal("3.0001"), three)
    assert Comparison.AT_MOST.met(three, three)
    assert not Comparison.LESS_THAN.met(three, three)
    assert Comparison.LESS_THAN.met(two, three)


def test_at_most_cumulative_below_expected_is_on_track_with_negative_gap(
    plan_data: dict[str, Any], load: Load
) -> None:
    capped = variant(plan_data, "key_projects", comparison="at_most")
    result = standing(capped, load("key_projects,2020-06,20,", against=capped), "key_projects")
    assert result.expected == Decimal(30)
    assert result.status is Status.ON_TRACK
    assert result.gap == Decimal(-40)  # A - T: negative = no excess
    assert result.percent_of_target == Decimal(20) * 100 / 60


def test_at_most_cumulative_exactly_at_expected_is_on_track(
    plan_data: dict[str, Any], load: Load
) -> None:
    capped = variant(plan_data, "key_projects", comparison="at_most")
    result = standing(capped, load("key_projects,2020-06,30,", against=capped), "key_projects")
    assert result.status is Status.ON_TRACK


def test_at_most_mirror_at_risk_boundary(plan_data: dict[str, Any], load: Load) -> None:
    # Q3: expected 60 x 9/12 = 45; at_risk while A x 0.9 <= 45, i.e. A <= 50
    capped = variant(plan_data, "key_projects", comparison="at_most")
    at_50 = standing(capped, load("key_projects,2020-Q3,50,", against=capped), "key_projects")
    assert at_50.expected == Decimal(45)
    assert at_50.status is Status.AT_RISK
    above = standing(capped, load("key_projects,2020-Q3,50.01,", against=capped), "key_projects")
    assert above.status is Status.OFF_TRACK


def test_cumulative_maximum_broken_mid_year_is_missed(
    plan_data: dict[str, Any], load: Load
) -> None:
    capped = variant(plan_data, "key_projects", comparison="at_most")
    result = standing(capped, load("key_projects,2020-06,61,", against=capped), "key_projects")
    assert result.status is Status.MISSED
    assert result.gap == Decimal(1)  # positive = excess


def test_less_than_cumulative_at_equality_mid_year_is_missed(
    plan_data: dict[str, Any], load: Load
) -> None:
    capped = variant(plan_data, "key_projects", comparison="less_than")
    result = standing(capped, load("key_projects,2020-06,60,", against=capped), "key_projects")
    assert result.status is Status.MISSED
    assert result.gap == Decimal(0)


def test_less_than_at_full_year(plan_data: dict[str, Any], load: Load) -> None:
    capped = variant(plan_data, "key_projects", comparison="less_than")
    at_60 = standing(capped, load("key_projects,2020,60,", against=capped), "key_projects")
    assert at_60.status is Status.MISSED
    at_59 = standing(capped, load("key_projects,2020,59,", against=capped), "key_projects")
    assert at_59.status is Status.ACHIEVED
    assert at_59.gap == Decimal(-1)


def test_at_most_stock_met_mid_year_is_achieved(plan_data: dict[str, Any], load: Load) -> None:
    capped = variant(plan_data, "hitech_enterprises", comparison="at_most")
    actuals = load("hitech_enterprises,2020-06,850,", against=capped)
    assert standing(capped, actuals, "hitech_enterprises").status is Status.ACHIEVED


def test_at_most_stock_with_baseline_above_is_paced_on_the_decrease(
    plan_data: dict[str, Any], load: Load
) -> None:
    # B = 1000, T = 900, H1: expected 1000 + (900 - 1000) x 1/2 = 950; A = 960 > 950.
    # Paced on the change: 1000 - 960 = 40 done of the 1000 - 950 = 50 due by now, and
    # 40 < 0.9 x 50 = 45 -> off_track (it was at_risk when the level was compared:
    # 960 x 0.9 = 864 <= 950); gap = 960 - 900 = 60
    capped = variant(plan_data, "hitech_enterprises", comparison="at_most")
    rows = ("hitech_enterprises,2019,1000,", "hitech_enterprises,2020-06,960,")
    actuals = load(*rows, against=capped)
    result = standing(capped, actuals, "hitech_enterprises")
    assert result.expected == Decimal(950)
    assert result.status is Status.OFF_TRACK
    assert result.gap == Decimal(60)


def test_at_most_rate_met_mid_year_is_on_track(plan_data: dict[str, Any], load: Load) -> None:
    capped = variant(plan_data, "rd_ratio", comparison="at_most")
    result = standing(capped, load("rd_ratio,2020-06,2.9,", against=capped), "rd_ratio")
    assert result.status is Status.ON_TRACK
    assert result.gap == Decimal("-0.2")


# --- expected by now -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2020-Q1", Decimal(250)),
        ("2020-H1", Decimal(500)),
        ("2020-05", Decimal(1000) * 5 / 12),
        ("2020-Q3", Decimal(750)),
        ("2020", Decimal(1000)),
    ],
)
def test_cumulative_expected_is_target_times_elapsed_fraction(
    plan: Plan, load: Load, code: str, expected: Decimal
) -> None:
    result = standing(plan, load(f"registered_achievements,{code},100,"), "registered_achievements")
    assert result.expected == expected


def test_expected_by_now_directly(plan: Plan) -> None:
    cumulative, stock, rate = (plan.target(i) for i in ("key_projects", "tech_smes", "rd_ratio"))
    assert cumulative is not None and stock is not None and rate is not None

    def share(target: Target, code: str) -> PaceShare | None:
        return pace_share(plan, target, period(code), lambda year, months: None)

    # 60 x 5/12 = 25; 700 + (1000 - 700) x 3/12 = 775; a stock without baseline and a rate:
    # the target itself.
    assert expected_by_now(cumulative, share(cumulative, "2020-05"), None) == Decimal(25)
    assert expected_by_now(stock, share(stock, "2020-Q1"), Decimal(700)) == Decimal(775)
    assert expected_by_now(stock, share(stock, "2020-Q1"), None) == Decimal(1000)
    assert expected_by_now(rate, share(rate, "2020-Q1"), None) == Decimal("3.1")


def test_cumulative_mid_month_figures_are_exact(plan: Plan, load: Load) -> None:
    # 2020-05: expected 1000 x 5/12 = 416.66...; 400 >= 0.9 x 416.66... = 375 -> at_risk
    result = standing(plan, load("registered_achievements,2020-05,400,"), "registered_achievements")
    assert result.expected == Decimal(1000) * 5 / 12
    assert result.status is Status.AT_RISK
    assert result.percent_of_target == Decimal(40)
    assert result.gap == Decimal(600)


def test_stock_expected_moves_from_baseline_to_target(plan: Plan, load: Load) -> None:
    # B = 785, T = 900, H1: 785 + 115 x 1/2 = 842.5. A stock is paced on its increase:
    # 812 - 785 = 27 of the 842.5 - 785 = 57.5 due, and 27 < 0.9 x 57.5 = 51.75 -> off_track
    # (it was at_risk when the level was compared: 812 >= 0.9 x 842.5 = 758.25).
    actuals = load("hitech_enterprises,2019,785,", "hitech_enterprises,2020-06,812,")
    result = standing(plan, actuals, "hitech_enterprises")
    assert result.baseline == Decimal(785)
    assert result.expected == Decimal("842.5")
    assert result.status is Status.OFF_TRACK
    assert result.gap == Decimal(88)
    assert result.percent_of_target == Decimal(812) * 100 / 900
    # 完成率 27 / 115 = 23.478...%, 序时进度 6/12 = 50 %: 26.52... points below pace.
    assert result.progress_percent == Decimal(27) * 100 / 115
    assert result.pace_percent == Decimal(50)
    assert result.vs_pace_pp == Decimal(27) * 100 / 115 - 50


def test_stock_expected_at_q1_with_baseline(plan: Plan, load: Load) -> None:
    # 785 + 115 x 3/12 = 813.75; 812 >= 0.9 x 813.75 -> at_risk
    actuals = load("hitech_enterprises,2019,785,", "hitech_enterprises,2020-Q1,812,")
    result = standing(plan, actuals, "hitech_enterprises")
    assert result.expected == Decimal("813.75")
    assert result.status is Status.AT_RISK


def test_stock_without_baseline_expects_the_target(plan: Plan, load: Load) -> None:
    # expected = T = 900; 812 >= 810 = 0.9 x 900 -> at_risk
    result = standing(plan, load("hitech_enterprises,2020-06,812,"), "hitech_enterprises")
    assert result.baseline is None
    assert result.expected == Decimal(900)
    assert result.status is Status.AT_RISK


def test_stock_without_baseline_just_below_ninety_percent_is_off_track(
    plan: Plan, load: Load
) -> None:
    result = standing(plan, load("hitech_enterprises,2020-06,809,"), "hitech_enterprises")
    assert result.status is Status.OFF_TRACK


def test_rate_expects_the_target_at_any_period(plan: Plan, load: Load) -> None:
    assert standing(plan, load("rd_ratio,2020-Q1,3,"), "rd_ratio").expected == Decimal("3.1")
    assert standing(plan, load("rd_ratio,2020-09,3,"), "rd_ratio").expected == Decimal("3.1")


def test_percent_and_gap_are_exact_decimals(plan: Plan, load: Load) -> None:
    result = standing(plan, load("rd_ratio,2020,2.9,"), "rd_ratio")
    assert result.gap == Decimal("0.2")
    assert str(result.gap) == "0.2"
    assert result.percent_of_target == Decimal(290) / Decimal("3.1")


def test_percent_of_target_over_one_hundred(plan: Plan, load: Load) -> None:
    result = standing(plan, load("key_project_funding,2020-06,1.25,"), "key_project_funding")
    assert result.percent_of_target == Decimal(125)
    assert result.gap == Decimal("-0.25")
    assert result.status is Status.ACHIEVED


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["2020-Q2", "2020-H1", "2020-06"])
def test_q2_h1_and_june_are_the_same_half_year(plan: Plan, load: Load, code: str) -> None:
    result = standing(plan, load(f"key_projects,{code},20,"), "key_projects")
    assert result.actual is not None
    assert result.actual.period.months == 6
    assert result.expected == Decimal(30)
    assert result.status is Status.OFF_TRACK  # 20 < 27


@pytest.mark.parametrize("code", ["2020", "2020-H2", "2020-Q4", "2020-12"])
def test_full_year_forms_settle_the_status(plan: Plan, load: Load, code: str) -> None:
    result = standing(plan, load(f"key_projects,{code},59,"), "key_projects")
    assert result.expected == Decimal(60)
    assert result.status is Status.MISSED


def test_latest_period_not_after_as_of_is_used(plan: Plan, load: Load) -> None:
    actuals = load("key_projects,2020-Q1,10,", "key_projects,2020-06,25,")
    at_june = standing(plan, actuals, "key_projects", "2020-06")
    assert at_june.actual is not None
    assert at_june.actual.value == Decimal(25)
    # as of May the June row is in the future: Q1 is used, expected 60 x 3/12 = 15
    at_may = standing(plan, actuals, "key_projects", "2020-05")
    assert at_may.actual is not None
    assert at_may.actual.value == Decimal(10)
    assert at_may.actual.period.months == 3
    assert at_may.expected == Decimal(15)
    assert at_may.status is Status.OFF_TRACK  # 10 < 13.5


def test_row_after_as_of_is_ignored(plan: Plan, load: Load) -> None:
    actuals = load("key_projects,2020-06,25,", "key_projects,2020-09,70,")
    result = standing(plan, actuals, "key_projects", "2020-06")
    assert result.actual is not None
    assert result.actual.value == Decimal(25)
    assert result.status is Status.OFF_TRACK  # 25 < 0.9 x 30 = 27


def test_only_rows_after_as_of_give_no_data(plan: Plan, load: Load) -> None:
    actuals = load("key_projects,2020-09,70,")
    result = standing(plan, actuals, "key_projects", "2020-06")
    assert result.status is Status.NO_DATA


def test_default_as_of_is_latest_plan_year_period_in_file(plan: Plan, load: Load) -> None:
    actuals = load("key_projects,2020-Q1,10,", "gdp,2020-09,3000,", "key_projects,2021,70,")
    report = assess(plan, actuals)
    assert report.as_of == Period(2020, 9)
    result = next(a for a in report.assessments if a.target.id == "key_projects")
    assert result.actual is not None
    assert result.actual.value == Decimal(10)
    assert result.expected == Decimal(15)


def test_previous_year_rows_are_not_plan_year_actuals(plan: Plan, load: Load) -> None:
    actuals = load("key_projects,2019,70,", "talent_teams,2020-06,15,")
    assert standing(plan, actuals, "key_projects").status is Status.NO_DATA
    assert standing(plan, actuals, "talent_teams").status is Status.ON_TRACK


# --- regions -------------------------------------------------------------------------------


def test_cumulative_regional_rows_are_summed(plan: Plan, load: Load) -> None:
    actuals = load(
        "rd_institutions,2020-06,1,镜湖区",
        "rd_institutions,2020-06,1,弋江区",
        "rd_institutions,2020-06,2,鸠江区",
    )
    result = standing(plan, actuals, "rd_institutions")
    assert result.actual is not None
    assert result.actual.value == Decimal(4)
    assert result.actual.basis is Basis.REGIONAL_SUM
    assert result.expected == Decimal("3.5")
    assert result.status is Status.ON_TRACK


def test_stock_regional_rows_are_summed(plan: Plan, load: Load) -> None:
    actuals = load("hitech_enterprises,2020-06,500,镜湖区", "hitech_enterprises,2020-06,350,鸠江区")
    observation = city_value(plan, actuals, "hitech_enterprises", 2020, 6)
    assert observation is not None
    assert observation.value == Decimal(850)
    assert observation.basis is Basis.REGIONAL_SUM
    result = standing(plan, actuals, "hitech_enterprises")
    assert result.status is Status.AT_RISK  # 850 >= 810


def test_whole_city_row_wins_over_regional_rows(plan: Plan, load: Load) -> None:
    actuals = load(
        "rd_institutions,2020-06,1,镜湖区",
        "rd_institutions,2020-06,3,",
        "rd_institutions,2020-06,2,鸠江区",
    )
    observation = city_value(plan, actuals, "rd_institutions", 2020, 6)
    assert observation is not None
    assert observation.value == Decimal(3)
    assert observation.basis is Basis.REPORTED


def test_rate_regional_rows_are_never_summed(plan: Plan, load: Load) -> None:
    actuals = load("rd_ratio,2020-06,3.2,镜湖区", "rd_ratio,2020-06,3.3,鸠江区")
    assert city_value(plan, actuals, "rd_ratio", 2020, 6) is None
    assert standing(plan, actuals, "rd_ratio").status is Status.NO_DATA


def test_growth_rate_regional_rows_are_never_summed(plan: Plan, load: Load) -> None:
    actuals = load("hitech_value_added_growth,2020-06,8,镜湖区")
    assert standing(plan, actuals, "hitech_value_added_growth").status is Status.NO_DATA


# --- derivations ---------------------------------------------------------------------------


def test_rd_ratio_is_derived_from_expenditure_and_gdp(plan: Plan, load: Load) -> None:
    # 45 / 1500 x 100 = 3; rate mid-year: 3 >= 0.9 x 3.1 = 2.79 -> at_risk
    actuals = load("rd_expenditure,2020-06,45,", "gdp,2020-06,1500,")
    result = standing(plan, actuals, "rd_ratio")
    assert result.actual is not None
    assert result.actual.value == Decimal(3)
    assert result.actual.basis is Basis.DERIVED
    assert result.actual.period.months == 6
    assert result.status is Status.AT_RISK
    assert result.gap == Decimal("0.1")


def test_rd_ratio_derived_non_terminating_is_full_precision(plan: Plan, load: Load) -> None:
    actuals = load("rd_expenditure,2020-06,50,", "gdp,2020-06,1500,")
    observation = city_value(plan, actuals, "rd_ratio", 2020, 6)
    assert observation is not None
    assert observation.value == Decimal(10) / 3  # 50 / 1500 x 100 = 10/3


def test_rate_with_only_regional_rows_falls_back_to_derivation(plan: Plan, load: Load) -> None:
    actuals = load("rd_ratio,2020-06,9,镜湖区", "rd_expenditure,2020-06,45,", "gdp,2020-06,1500,")
    observation = city_value(plan, actuals, "rd_ratio", 2020, 6)
    assert observation is not None
    assert observation.value == Decimal(3)
    assert observation.basis is Basis.DERIVED


def test_reported_rd_ratio_wins_over_derived(plan: Plan, load: Load) -> None:
    actuals = load("rd_ratio,2020-06,3.2,", "rd_expenditure,2020-06,45,", "gdp,2020-06,1500,")
    result = standing(plan, actuals, "rd_ratio")
    assert result.actual is not None
    assert result.actual.value == Decimal("3.2")
    assert result.actual.basis is Basis.REPORTED


def test_no_rd_ratio_without_gdp(plan: Plan, load: Load) -> None:
    actuals = load("rd_expenditure,2020-06,45,")
    assert city_value(plan, actuals, "rd_ratio", 2020, 6) is None
    assert standing(plan, actuals, "rd_ratio").status is Status.NO_DATA


def test_rd_ratio_inputs_must_be_of_the_same_period(plan: Plan, load: Load) -> None:
    actuals = load("rd_expenditure,2020-Q1,15,", "gdp,2020-06,1500,")
    assert standing(plan, actuals, "rd_ratio").status is Status.NO_DATA


def test_rd_ratio_inputs_may_be_regional_sums(plan: Plan, load: Load) -> None:
    # gdp 1000 + 500 = 1500; 45 / 1500 x 100 = 3
    actuals = load(
        "rd_expenditure,2020-06,45,",
        "gdp,2020-06,1000,镜湖区",
        "gdp,2020-06,500,鸠江区",
    )
    observation = city_value(plan, actuals, "rd_ratio", 2020, 6)
    assert observation is not None
    assert observation.value == Decimal(3)
    assert observation.basis is Basis.DERIVED


def test_tech_contract_growth_is_derived_from_same_period_last_year(plan: Plan, load: Load) -> None:
    # (34.5 / 30 - 1) x 100 = 15: at the target, mid-year rate -> on_track
    actuals = load("tech_contract_turnover,2019-06,30,", "tech_contract_turnover,2020-06,34.5,")
    result = standing(plan, actuals, "tech_contract_growth")
    assert result.actual is not None
    assert result.actual.value == Decimal(15)
    assert result.actual.basis is Basis.DERIVED
    assert result.status is Status.ON_TRACK


def test_growth_matches_same_period_across_forms(plan: Plan, load: Load) -> None:
    # base 2019-Q2 for 2020-06; (44 / 40 - 1) x 100 = 10 < 13.5 -> off_track
    actuals = load("tech_contract_turnover,2019-Q2,40,", "tech_contract_turnover,2020-06,44,")
    result = standing(plan, actuals, "tech_contract_growth")
    assert result.actual is not None
    assert result.actual.value == Decimal(10)
    assert result.status is Status.OFF_TRACK


def test_growth_at_full_year_from_previous_full_year(plan: Plan, load: Load) -> None:
    # base 2019-12, current 2020: (92 / 80 - 1) x 100 = 15 -> achieved (at_least, equality)
    actuals = load("tech_contract_turnover,2019-12,80,", "tech_contract_turnover,2020,92,")
    result = standing(plan, actuals, "tech_contract_growth")
    assert result.actual is not None
    assert result.actual.value == Decimal(15)
    assert result.status is Status.ACHIEVED


def test_no_growth_without_the_base(plan: Plan, load: Load) -> None:
    actuals = load("tech_contract_turnover,2020-06,34.5,")
    assert standing(plan, actuals, "tech_contract_growth").status is Status.NO_DATA


def test_no_growth_from_a_base_of_another_period(plan: Plan, load: Load) -> None:
    actuals = load("tech_contract_turnover,2019-Q1,30,", "tech_contract_turnover,2020-06,34.5,")
    assert standing(plan, actuals, "tech_contract_growth").status is Status.NO_DATA


# --- baselines -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["2019", "2019-12", "2019-Q4", "2019-H2"])
def test_stock_baseline_is_previous_full_year(plan: Plan, load: Load, code: str) -> None:
    actuals = load(f"hitech_enterprises,{code},785,", "hitech_enterprises,2020-06,812,")
    result = standing(plan, actuals, "hitech_enterprises")
    assert result.baseline == Decimal(785)
    assert result.expected == Decimal("842.5")


def test_stock_baseline_from_regional_sum(plan: Plan, load: Load) -> None:
    actuals = load(
        "hitech_enterprises,2019,400,镜湖区",
        "hitech_enterprises,2019,385,鸠江区",
        "hitech_enterprises,2020-06,812,",
    )
    result = standing(plan, actuals, "hitech_enterprises")
    assert result.baseline == Decimal(785)
    assert result.expected == Decimal("842.5")


def test_previous_mid_year_value_is_not_a_baseline(plan: Plan, load: Load) -> None:
    actuals = load("hitech_enterprises,2019-06,785,", "hitech_enterprises,2020-06,812,")
    result = standing(plan, actuals, "hitech_enterprises")
    assert result.baseline is None
    assert result.expected == Decimal(900)


def test_cumulative_target_ignores_previous_year_for_expected(plan: Plan, load: Load) -> None:
    actuals = load("key_projects,2019,50,", "key_projects,2020-06,25,")
    assert standing(plan, actuals, "key_projects").expected == Decimal(30)


# --- gap analysis --------------------------------------------------------------------------


def test_gap_of_cumulative_target(plan: Plan, load: Load) -> None:
    # Q1: 12 of 60; remaining 48 over 9 months; pace 12/3 = 4; year-end 12 x 12/3 = 48
    analysis = gap_of(plan, load("key_projects,2020-Q1,12,"), "key_projects")
    assert analysis.months_elapsed == 3
    assert analysis.months_remaining == 9
    assert analysis.remaining == Decimal(48)
    assert analysis.pace_so_far == Decimal(4)
    assert analysis.pace_needed == Decimal(16) / 3
    assert analysis.projected_year_end == Decimal(48)
    assert analysis.ratio is None
    assert analysis.growth_need is None


def test_gap_of_cumulative_at_may(plan: Plan, load: Load) -> None:
    # 2020-05: 400 of 1000; pace 80/month; needed 600 / 7; year-end 400 x 12/5 = 960
    analysis = gap_of(plan, load("registered_achievements,2020-05,400,"), "registered_achievements")
    assert analysis.remaining == Decimal(600)
    assert analysis.pace_so_far == Decimal(80)
    assert analysis.pace_needed == Decimal(600) / 7
    assert analysis.projected_year_end == Decimal(960)


def test_gap_of_stock_target_with_baseline(plan: Plan, load: Load) -> None:
    # B 785, H1 812: pace (812-785)/6 = 4.5; "more than 900" is met at 901, so 901 - 812 = 89
    # remain over 6 months; 785 + 27 x 2 = 839
    actuals = load("hitech_enterprises,2019,785,", "hitech_enterprises,2020-06,812,")
    analysis = gap_of(plan, actuals, "hitech_enterprises")
    assert analysis.months_elapsed == 6
    assert analysis.months_remaining == 6
    assert analysis.remaining == Decimal(89)
    assert analysis.pace_so_far == Decimal("4.5")
    assert analysis.pace_needed == Decimal(89) / 6
    assert analysis.projected_year_end == Decimal(839)


def test_gap_of_stock_without_baseline_has_no_pace(plan: Plan, load: Load) -> None:
    analysis = gap_of(plan, load("hitech_enterprises,2020-06,812,"), "hitech_enterprises")
    assert analysis.remaining == Decimal(89)  # 901 - 812
    assert analysis.pace_so_far is None
    assert analysis.pace_needed is None
    assert analysis.projected_year_end is None


def test_remaining_is_never_negative(plan: Plan, load: Load) -> None:
    analysis = gap_of(plan, load("key_projects,2020-06,70,"), "key_projects")
    assert analysis.remaining == Decimal(0)
    assert analysis.pace_needed == Decimal(0)


def test_remaining_of_lower_is_better_is_the_headroom(
    plan_data: dict[str, Any], load: Load
) -> None:
    capped = variant(plan_data, "key_projects", comparison="at_most")
    under = gap_of(capped, load("key_projects,2020-06,20,", against=capped), "key_projects")
    assert under.remaining == Decimal(40)
    over = gap_of(capped, load("key_projects,2020-06,61,", against=capped), "key_projects")
    assert over.remaining == Decimal(0)


def test_pace_needed_is_none_at_full_year(plan: Plan, load: Load) -> None:
    analysis = gap_of(plan, load("key_projects,2020,50,"), "key_projects")
    assert analysis.months_elapsed == 12
    assert analysis.months_remaining == 0
    assert analysis.remaining == Decimal(10)
    assert analysis.pace_needed is None
    assert analysis.pace_so_far == Decimal(50) / 12
    assert analysis.projected_year_end == Decimal(50)


def test_gap_of_rate_has_no_pace(plan: Plan, load: Load) -> None:
    analysis = gap_of(plan, load("rd_ratio,2020-06,2.9,"), "rd_ratio")
    assert analysis.remaining == Decimal("0.2")
    assert analysis.pace_so_far is None
    assert analysis.pace_needed is None
    assert analysis.projected_year_end is None


def test_gap_ratio_numerator_needed(plan: Plan, load: Load) -> None:
    # T / 100 x gdp = 3.1 / 100 x 1500 = 46.5 against 45
    actuals = load("rd_expenditure,2020-06,45,", "gdp,2020-06,1500,")
    analysis = gap_of(plan, actuals, "rd_ratio")
    assert analysis.ratio is not None
    assert analysis.ratio.numerator == "rd_expenditure"
    assert analysis.ratio.denominator == "gdp"
    assert analysis.ratio.denominator_value == Decimal(1500)
    assert analysis.ratio.numerator_current == Decimal(45)
    assert analysis.ratio.numerator_needed == Decimal("46.5")
    assert analysis.remaining == Decimal("0.1")


def test_gap_ratio_with_reported_rate_and_gdp(plan: Plan, load: Load) -> None:
    actuals = load("rd_ratio,2020-06,3,", "gdp,2020-06,2000,")
    analysis = gap_of(plan, actuals, "rd_ratio")
    assert analysis.ratio is not None
    assert analysis.ratio.numerator_needed == Decimal(62)  # 3.1 / 100 x 2000
    assert analysis.ratio.numerator_current == Decimal(60)  # 3 / 100 x 2000


def test_gap_ratio_absent_without_denominator(plan: Plan, load: Load) -> None:
    analysis = gap_of(plan, load("rd_ratio,2020-06,3,"), "rd_ratio")
    assert analysis.ratio is None


def test_gap_growth_needed_values(plan: Plan, load: Load) -> None:
    # base 30 x 1.15 = 34.5 for the half year; 2019 full year 80 x 1.15 = 92
    actuals = load(
        "tech_contract_turnover,2019,80,",
        "tech_contract_turnover,2019-Q2,30,",
        "tech_contract_turnover,2020-06,33,",
    )
    analysis = gap_of(plan, actuals, "tech_contract_growth")
    assert analysis.growth_need is not None
    assert analysis.growth_need.of == "tech_contract_turnover"
    assert analysis.growth_need.base_period == Period(2019, 6)
    assert analysis.growth_need.base_value == Decimal(30)
    assert analysis.growth_need.current_value == Decimal(33)
    assert analysis.growth_need.needed_value == Decimal("34.5")
    assert analysis.growth_need.year_end_base == Decimal(80)
    assert analysis.growth_need.year_end_needed == Decimal(92)
    # (33 / 30 - 1) x 100 = 10; remaining 15 - 10 = 5
    assert analysis.assessment.actual is not None
    assert analysis.assessment.actual.value == Decimal(10)
    assert analysis.remaining == Decimal(5)


def test_gap_growth_without_previous_full_year(plan: Plan, load: Load) -> None:
    actuals = load("tech_contract_turnover,2019-06,30,", "tech_contract_turnover,2020-06,33,")
    analysis = gap_of(plan, actuals, "tech_contract_growth")
    assert analysis.growth_need is not None
    assert analysis.growth_need.needed_value == Decimal("34.5")
    assert analysis.growth_need.year_end_base is None
    assert analysis.growth_need.year_end_needed is None


def test_gap_of_target_without_data(plan: Plan, load: Load) -> None:
    analysis = gap_of(plan, load("key_projects,2020-06,30,"), "talent_teams")
    assert analysis.assessment.status is Status.NO_DATA
    assert analysis.remaining is None
    assert analysis.months_elapsed is None
    assert analysis.pace_needed is None


def test_assess_target_without_as_of_is_no_data(plan: Plan, load: Load) -> None:
    target = plan.target("key_projects")
    assert target is not None
    assert assess_target(plan, load(), target, None).status is Status.NO_DATA


# --- ranking by shortfall ------------------------------------------------------------------


def test_rank_by_shortfall_furthest_behind_first_no_data_last(plan: Plan, load: Load) -> None:
    # H1 shortfalls (expected - A) / expected x 100:
    #   key_projects (30 - 15) / 30 = 50; registered_achievements (500 - 450) / 500 = 10;
    #   hitech_enterprises (900 - 812) / 900 = 9.78 (no baseline); talent_teams (15 - 20) / 15 < 0
    actuals = load(
        "talent_teams,2020-06,20,",
        "hitech_enterprises,2020-06,812,",
        "registered_achievements,2020-06,450,",
        "key_projects,2020-06,15,",
    )
    ranked = rank_by_shortfall(assess(plan, actuals))
    assert [a.target.id for a in ranked[:4]] == [
        "key_projects",
        "registered_achievements",
        "hitech_enterprises",
        "talent_teams",
    ]
    assert all(a.status is Status.NO_DATA for a in ranked[4:])
    assert len(ranked) == len(plan.targets)
    assert ranked[0].shortfall_vs_expected == Decimal(50)
    assert ranked[1].shortfall_vs_expected == Decimal(10)
    assert ranked[2].shortfall_vs_expected == Decimal(8800) / 900
    assert ranked[3].shortfall_vs_expected == Decimal(-500) / 15


def test_rank_at_year_end_is_shortfall_against_target(plan: Plan, load: Load) -> None:
    # key_projects (60 - 57) / 60 = 5; rd_ratio (3.1 - 2.8) / 3.1 = 9.67 -> rd_ratio first
    actuals = load("key_projects,2020,57,", "rd_ratio,2020,2.8,")
    ranked = rank_by_shortfall(assess(plan, actuals))
    assert [a.target.id for a in ranked[:2]] == ["rd_ratio", "key_projects"]
    assert ranked[1].shortfall_vs_expected == Decimal(5)
    assert ranked[0].shortfall_vs_expected == Decimal(30) / Decimal("3.1")


def test_rank_mirrors_lower_is_better(plan_data: dict[str, Any], load: Load) -> None:
    # at_most 60, H1 A = 45: (45 - 30) / 30 = 50 ahead of talent_teams (15 - 12) / 15 = 20
    capped = variant(plan_data, "key_projects", comparison="at_most")
    actuals = load("talent_teams,2020-06,12,", "key_projects,2020-06,45,", against=capped)
    ranked = rank_by_shortfall(assess(capped, actuals))
    assert [a.target.id for a in ranked[:2]] == ["key_projects", "talent_teams"]
    assert ranked[0].shortfall_vs_expected == Decimal(50)
    assert ranked[1].shortfall_vs_expected == Decimal(20)

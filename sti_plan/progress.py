"""Plan + actuals -> where each target stands: expected by now, gap, status.

Pure functions on data; every figure follows the semantics in README.md and is
kept at full Decimal precision (rounding happens only in rendering).
"""

from __future__ import annotations

from decimal import Decimal

from .model import GrowthDerivation, Kind, Plan, RatioDerivation, Target
from .observations import Actuals
from .periods import MONTHS_IN_YEAR, Period
from .results import (
    HUNDRED,
    Assessment,
    Basis,
    GapAnalysis,
    GrowthNeed,
    Observation,
    RatioNeed,
    Report,
    Status,
)


def city_value(
    plan: Plan, actuals: Actuals, measure_id: str, year: int, months: int
) -> Observation | None:
    """The whole-city value of a measure for a period: reported, summed from regions, or derived."""
    return _summed_or_reported(plan, actuals, measure_id, year, months) or _derived_value(
        plan, actuals, measure_id, year, months
    )


def _summed_or_reported(
    plan: Plan, actuals: Actuals, measure_id: str, year: int, months: int
) -> Observation | None:
    """An operand of a derivation: reported or summed, never derived in turn."""
    reported = actuals.reported(measure_id, year, months)
    if reported is None:
        return None
    if reported.city is not None:
        return Observation(reported.city, reported.period, Basis.REPORTED)
    if reported.regional_count and plan.kind_of(measure_id) is not Kind.RATE:
        return Observation(reported.regional_sum, reported.period, Basis.REGIONAL_SUM)
    return None


def _derived_value(
    plan: Plan, actuals: Actuals, measure_id: str, year: int, months: int
) -> Observation | None:
    derivation = plan.derivation_for(measure_id)
    if isinstance(derivation, RatioDerivation):
        numerator = _summed_or_reported(plan, actuals, derivation.numerator, year, months)
        denominator = _summed_or_reported(plan, actuals, derivation.denominator, year, months)
        if numerator is None or denominator is None or denominator.value == 0:
            return None
        value = numerator.value * derivation.scale / denominator.value
        return Observation(value, numerator.period, Basis.DERIVED)
    if isinstance(derivation, GrowthDerivation):
        current = _summed_or_reported(plan, actuals, derivation.of, year, months)
        base = _summed_or_reported(plan, actuals, derivation.of, year - 1, months)
        if current is None or base is None or base.value == 0:
            return None
        value = (current.value / base.value - 1) * HUNDRED
        return Observation(value, current.period, Basis.DERIVED)
    return None


def latest_actual(
    plan: Plan, actuals: Actuals, target_id: str, as_of: Period
) -> Observation | None:
    """The target's value at its latest period of the plan year not after `as_of`."""
    for months in range(as_of.months, 0, -1):
        observation = city_value(plan, actuals, target_id, as_of.year, months)
        if observation is not None:
            return observation
    return None


def baseline(plan: Plan, actuals: Actuals, target: Target) -> Decimal | None:
    """A stock's start-of-year level: the previous year's full-year (December) value."""
    if target.kind is not Kind.STOCK:
        return None
    observation = city_value(plan, actuals, target.id, plan.year - 1, MONTHS_IN_YEAR)
    return observation.value if observation is not None else None


def expected_by_now(target: Target, period: Period, start: Decimal | None) -> Decimal:
    """Where the target should stand at the end of `period` on a straight path."""
    if target.kind is Kind.RATE:
        return target.value
    if target.kind is Kind.STOCK:
        if start is None:
            return target.value
        return start + (target.value - start) * period.months / MONTHS_IN_YEAR
    return target.value * period.months / MONTHS_IN_YEAR


def gap_to_target(target: Target, actual: Decimal) -> Decimal:
    """Positive = shortfall (or excess, for lower-is-better targets)."""
    if target.comparison.higher_is_better:
        return target.value - actual
    return actual - target.value


def status_of(
    target: Target, actual: Decimal, period: Period, expected: Decimal, at_risk_ratio: Decimal
) -> Status:
    comparison = target.comparison
    met = comparison.met(actual, target.value)
    higher = comparison.higher_is_better
    if period.is_full_year:
        return Status.ACHIEVED if met else Status.MISSED
    if target.kind is Kind.STOCK and met:
        return Status.ACHIEVED
    if target.kind is Kind.CUMULATIVE:
        # Year-to-date totals only grow: a minimum once met stays met,
        # a maximum once exceeded stays exceeded.
        if higher and met:
            return Status.ACHIEVED
        if not higher and not met:
            return Status.MISSED
    if higher:
        if actual >= expected:
            return Status.ON_TRACK
        return Status.AT_RISK if actual >= at_risk_ratio * expected else Status.OFF_TRACK
    if actual <= expected:
        return Status.ON_TRACK
    return Status.AT_RISK if actual * at_risk_ratio <= expected else Status.OFF_TRACK


def assess_target(plan: Plan, actuals: Actuals, target: Target, as_of: Period | None) -> Assessment:
    observation = latest_actual(plan, actuals, target.id, as_of) if as_of else None
    start = baseline(plan, actuals, target)
    if observation is None:
        return Assessment(target, Status.NO_DATA, baseline=start)
    actual = observation.value
    expected = expected_by_now(target, observation.period, start)
    return Assessment(
        target,
        status_of(target, actual, observation.period, expected, plan.settings.at_risk_ratio),
        actual=observation,
        baseline=start,
        expected=expected,
        percent_of_target=actual * HUNDRED / target.value,
        gap=gap_to_target(target, actual),
    )


def assess(plan: Plan, actuals: Actuals, as_of: Period | None = None) -> Report:
    """Assess every target at `as_of` (default: the latest period of the plan year in the file)."""
    if as_of is None:
        as_of = actuals.latest_period(plan.year)
    return Report(plan, as_of, [assess_target(plan, actuals, t, as_of) for t in plan.targets])


def analyse_gap(
    plan: Plan, actuals: Actuals, target: Target, as_of: Period | None = None
) -> GapAnalysis:
    """One target in depth, as of `as_of` (default: the latest period of the plan year)."""
    if as_of is None:
        as_of = actuals.latest_period(plan.year)
    assessment = assess_target(plan, actuals, target, as_of)
    observation = assessment.actual
    if observation is None:
        return GapAnalysis(assessment, as_of)
    elapsed = observation.period.months
    left = MONTHS_IN_YEAR - elapsed
    # Still to add to reach the target (for a lower-is-better target: the headroom left).
    remaining = max(target.value - observation.value, Decimal(0))
    pace = _pace(target, observation.value, assessment.baseline, elapsed, left, remaining)
    return GapAnalysis(
        assessment,
        as_of,
        months_elapsed=elapsed,
        months_remaining=left,
        remaining=remaining,
        pace_so_far=pace[0],
        pace_needed=pace[1],
        projected_year_end=pace[2],
        ratio=_ratio_need(plan, actuals, target, observation),
        growth=_growth_need(plan, actuals, target, observation),
    )


def _pace(
    target: Target,
    actual: Decimal,
    start: Decimal | None,
    elapsed: int,
    left: int,
    remaining: Decimal,
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Per-month pace so far and needed for the rest of the year; year-end at today's pace."""
    if target.kind is Kind.CUMULATIVE:
        gained = actual
        origin = Decimal(0)
    elif target.kind is Kind.STOCK and start is not None:
        gained = actual - start
        origin = start
    else:
        return None, None, None
    so_far = gained / elapsed
    needed = remaining / left if left else None
    return so_far, needed, origin + gained * MONTHS_IN_YEAR / elapsed


def _ratio_need(
    plan: Plan, actuals: Actuals, target: Target, observation: Observation
) -> RatioNeed | None:
    derivation = plan.derivation_for(target.id)
    if not isinstance(derivation, RatioDerivation):
        return None
    period = observation.period
    denominator = _summed_or_reported(
        plan, actuals, derivation.denominator, period.year, period.months
    )
    if denominator is None:
        return None
    numerator = _summed_or_reported(plan, actuals, derivation.numerator, period.year, period.months)
    current = (
        numerator.value
        if numerator is not None
        else observation.value * denominator.value / derivation.scale
    )
    return RatioNeed(
        derivation.numerator,
        derivation.denominator,
        denominator.value,
        current,
        target.value * denominator.value / derivation.scale,
    )


def _growth_need(
    plan: Plan, actuals: Actuals, target: Target, observation: Observation
) -> GrowthNeed | None:
    derivation = plan.derivation_for(target.id)
    if not isinstance(derivation, GrowthDerivation):
        return None
    period = observation.period
    base_period = period.same_period_of(period.year - 1)
    base = _summed_or_reported(plan, actuals, derivation.of, base_period.year, base_period.months)
    if base is None:
        return None
    current = _summed_or_reported(plan, actuals, derivation.of, period.year, period.months)
    factor = 1 + target.value / HUNDRED
    year_end = _summed_or_reported(plan, actuals, derivation.of, period.year - 1, MONTHS_IN_YEAR)
    return GrowthNeed(
        derivation.of,
        base.period,
        base.value,
        current.value if current is not None else None,
        base.value * factor,
        year_end.value if year_end is not None else None,
        year_end.value * factor if year_end is not None else None,
    )


def rank_by_shortfall(report: Report) -> list[Assessment]:
    """Targets furthest behind their expected-by-now value first; targets without data last."""

    def key(assessment: Assessment) -> tuple[int, Decimal]:
        shortfall = assessment.shortfall_vs_expected
        return (1, Decimal(0)) if shortfall is None else (0, -shortfall)

    return sorted(report.assessments, key=key)

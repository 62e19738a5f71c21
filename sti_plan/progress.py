"""Plan + actuals -> where each target stands: expected by now, gap, status.

Pure functions on data; every figure follows the semantics in README.md and is
kept at full Decimal precision (rounding happens only in rendering).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from .i18n import _
from .model import Comparison, GrowthDerivation, Kind, Plan, RatioDerivation, Target
from .observations import Actuals, Allocations
from .pace import ValueOf, last_year_share, pace_share
from .periods import MONTHS_IN_YEAR, Period
from .problems import Problem
from .results import (
    HUNDRED,
    Assessment,
    Basis,
    Coverage,
    GapAnalysis,
    GrowthNeed,
    Observation,
    PaceShare,
    Projection,
    RatioNeed,
    Report,
    Status,
)
from .rollup import Rollup


def city_value(
    plan: Plan, actuals: Actuals, measure_id: str, year: int, months: int
) -> Observation | None:
    """The whole-city value of a measure for a period: reported, summed from regions, or derived."""
    return city_value_of(Rollup(plan, actuals), measure_id, year, months)


def city_value_of(figures: Rollup, measure_id: str, year: int, months: int) -> Observation | None:
    return _summed_or_reported(figures, measure_id, year, months) or _derived_value(
        figures, measure_id, year, months
    )


def _summed_or_reported(
    figures: Rollup, measure_id: str, year: int, months: int
) -> Observation | None:
    """An operand of a derivation: reported or summed (complete), never derived in turn."""
    figure = figures.city(measure_id, year, months)
    return figure.observation if figure is not None else None


def _derived_value(figures: Rollup, measure_id: str, year: int, months: int) -> Observation | None:
    derivation = figures.plan.derivation_for(measure_id)
    if derivation is None:
        return None

    def value_of(operand: str, y: int, m: int) -> Decimal | None:
        observation = _summed_or_reported(figures, operand, y, m)
        return observation.value if observation is not None else None

    value = derive(derivation, year, months, value_of)
    if value is None:
        return None
    first = _summed_or_reported(figures, derivation.operands[0], year, months)
    assert first is not None  # the value was derived from it
    return Observation(value, first.period, Basis.DERIVED)


def derive(
    derivation: RatioDerivation | GrowthDerivation,
    year: int,
    months: int,
    value_of: Callable[[str, int, int], Decimal | None],
) -> Decimal | None:
    """A derived value for a period from its operands' values (the city's, or a region's):
    ratio = numerator / denominator x scale; growth = on the same period of last year."""
    if isinstance(derivation, RatioDerivation):
        numerator = value_of(derivation.numerator, year, months)
        denominator = value_of(derivation.denominator, year, months)
        if numerator is None or not denominator:
            return None
        return numerator * derivation.scale / denominator
    current = value_of(derivation.of, year, months)
    base = value_of(derivation.of, year - 1, months)
    return growth(current, base) if current is not None else None


def growth(current: Decimal, base: Decimal | None) -> Decimal | None:
    """(current / base - 1) x 100; none without a base (or from a base of 0)."""
    return (current / base - 1) * HUNDRED if base else None


def latest_actual(
    figures: Rollup, target_id: str, as_of: Period
) -> tuple[Observation | None, Coverage | None]:
    """The target's value at its latest period of the plan year not after `as_of`, and,
    where the latest period's regional rows were summed or fell short, what they cover."""
    coverage: Coverage | None = None
    for months in range(as_of.months, 0, -1):
        figure = figures.city(target_id, as_of.year, months)
        if coverage is None and figure is not None and figure.observation is None:
            coverage = figure.coverage  # incomplete: an earlier period is taken
        observation = city_value_of(figures, target_id, as_of.year, months)
        if observation is not None:
            if coverage is None and figure is not None:
                coverage = figure.coverage
            return observation, coverage
    return None, coverage


def baseline(figures: Rollup, target: Target) -> Decimal | None:
    """A stock's start-of-year level: the previous year's full-year (December) value."""
    if target.kind is not Kind.STOCK:
        return None
    observation = city_value_of(figures, target.id, figures.plan.year - 1, MONTHS_IN_YEAR)
    return observation.value if observation is not None else None


def paced_from(target: Target, start: Decimal | None) -> Decimal | None:
    """The baseline a stock is paced from: none when there is none, when it meets the
    target already (the year need not move the level, only keep it), or when it stands at
    the target of a strict one (突破900 from 900: no change is due by a date, only past it)."""
    if start is None or target.kind is not Kind.STOCK or start == target.value:
        return None
    return None if target.comparison.met(start, target.value) else start


def expected_by_now(target: Target, pace: PaceShare | None, start: Decimal | None) -> Decimal:
    """Where the target should stand at the end of the period `pace` is the share of the
    year of (序时进度, by the target's profile); `start`: the baseline paced from
    (`paced_from`)."""
    if target.kind is Kind.RATE or pace is None:
        return target.value
    if target.kind is Kind.STOCK:
        if start is None:
            return target.value
        return start + pace.of(target.value - start)
    return pace.of(target.value)


def gap_to_target(target: Target, actual: Decimal) -> Decimal:
    """Positive = shortfall (or excess, for lower-is-better targets)."""
    if target.comparison.higher_is_better:
        return target.value - actual
    return actual - target.value


def whole_bound(target: Target, whole: bool) -> Decimal:
    """The value that meets the target with least to spare: the target itself for at_least
    and at_most, and on a continuous unit (any amount beyond it meets it); for "more than"
    and "less than" on a whole-count unit, the next whole number past it (> 900: 901)."""
    comparison = target.comparison
    if not whole or comparison in (Comparison.AT_LEAST, Comparison.AT_MOST):
        return target.value
    if comparison is Comparison.MORE_THAN:
        return Decimal(math.floor(target.value) + 1)
    return Decimal(math.ceil(target.value) - 1)


def to_meet(target: Target, actual: Decimal, whole: bool) -> Decimal | None:
    """The smallest amount that meets the target (to add, or for lower-is-better targets to
    take off): none when it is met. On a continuous unit a strict target needs more than
    this amount (more than 0.2亿元)."""
    if target.comparison.met(actual, target.value):
        return None
    bound = whole_bound(target, whole)
    return bound - actual if target.comparison.higher_is_better else actual - bound


def status_of(
    target: Target,
    actual: Decimal,
    period: Period,
    expected: Decimal,
    at_risk_ratio: Decimal,
    start: Decimal | None = None,
) -> Status:
    """`start`: a stock's baseline, from which the year's change is paced (none: from 0)."""
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
    paced = paced_from(target, start)
    if higher:
        if actual >= expected:
            return Status.ON_TRACK
        if paced is not None:  # a stock: the increase so far against the one due
            close = actual - paced >= at_risk_ratio * (expected - paced)
        else:
            close = expected > 0 and actual >= at_risk_ratio * expected
        return Status.AT_RISK if close else Status.OFF_TRACK
    if actual <= expected:
        return Status.ON_TRACK
    if paced is not None:  # a stock: the decrease so far against the one due
        close = paced - actual >= at_risk_ratio * (paced - expected)
    else:
        close = expected > 0 and actual * at_risk_ratio <= expected
    return Status.AT_RISK if close else Status.OFF_TRACK


def percent_of_target(target: Target, actual: Decimal) -> Decimal | None:
    """A / T x 100; none for a target of 0 or below (a rate's), where a ratio means nothing."""
    return actual * HUNDRED / target.value if target.value > 0 else None


def level_percent(target: Target, actual: Decimal) -> Decimal | None:
    """How far a level (a rate, a stock without a baseline) has come to its target: A / T,
    or T / A for lower-is-better targets (a level twice the maximum is halfway there)."""
    if target.comparison.higher_is_better:
        return percent_of_target(target, actual)
    if target.value <= 0 or actual <= 0:
        return None
    return target.value * HUNDRED / actual


def progress_percent(target: Target, actual: Decimal, start: Decimal | None) -> Decimal | None:
    """完成率: a cumulative total against the target (a maximum's: the share of the
    allowance used); a stock's change since its baseline against the change the year must
    deliver, either way (no baseline to pace from: its level against the target)."""
    if target.kind is Kind.RATE:
        return None
    paced = paced_from(target, start)
    if paced is not None:
        return (actual - paced) * HUNDRED / (target.value - paced)
    if target.kind is Kind.STOCK:
        return level_percent(target, actual)
    return percent_of_target(target, actual)


def city_values(figures: Rollup, target: Target) -> ValueOf:
    """The target's whole-city value for (year, months), where there is one."""

    def value_of(year: int, months: int) -> Decimal | None:
        observation = city_value_of(figures, target.id, year, months)
        return observation.value if observation is not None else None

    return value_of


def pace_of(figures: Rollup, target: Target, period: Period) -> PaceShare | None:
    """序时进度 of the target at a period, by its profile (last year's: the city's values)."""
    return pace_share(figures.plan, target, period, city_values(figures, target))


def project(
    figures: Rollup, target: Target, observation: Observation, start: Decimal | None
) -> Projection | None:
    """The city's year-end range for a target (`projection`)."""
    values = city_values(figures, target)
    return projection(target, observation.value, observation.period, start, values)


def projection(
    target: Target,
    actual: Decimal,
    period: Period,
    start: Decimal | None,
    value_of: ValueOf,
) -> Projection | None:
    """The year-end range of a cumulative total or a stock, before the year is out: at the
    pace so far (year-to-date / f; a stock: B + (A − B) / f, f = months / 12), and by last
    year's share of the year by the same month in place of f (seasonal). None for rates,
    at the year end, and for a stock without its baseline."""
    if target.kind is Kind.RATE or period.is_full_year:
        return None
    if target.kind is Kind.STOCK and start is None:
        return None
    origin = start if target.kind is Kind.STOCK and start is not None else Decimal(0)
    change = actual - origin
    run_rate = origin + change * MONTHS_IN_YEAR / period.months
    share = last_year_share(target, period, value_of)[0]
    seasonal = origin + change * share.denominator / share.numerator if share else None
    ends = [run_rate] if seasonal is None else [run_rate, seasonal]
    low, high = min(ends), max(ends)
    worse = low if target.comparison.higher_is_better else high
    return Projection(run_rate, seasonal, low, high, target.comparison.met(worse, target.value))


def growth_on_last_year(
    figures: Rollup, target: Target, observation: Observation
) -> Decimal | None:
    """同比: the change on the same period of the previous year, in %."""
    if target.kind is Kind.RATE:
        return None
    period = observation.period
    before = city_value_of(figures, target.id, period.year - 1, period.months)
    return growth(observation.value, before.value if before is not None else None)


def assess_target(
    plan: Plan, actuals: Actuals | Rollup, target: Target, as_of: Period | None
) -> Assessment:
    figures = actuals if isinstance(actuals, Rollup) else Rollup(plan, actuals)
    observation, coverage = latest_actual(figures, target.id, as_of) if as_of else (None, None)
    start = baseline(figures, target)
    if observation is None:
        note = _regions_only_note(figures, target, as_of)
        return Assessment(target, Status.NO_DATA, baseline=start, regions=coverage, note=note)
    actual = observation.value
    period = observation.period
    share = pace_of(figures, target, period)
    expected = expected_by_now(target, share, paced_from(target, start))
    progress = progress_percent(target, actual, start)
    pace = share.percent if share is not None else None
    whole = target.unit in plan.unit_table.whole
    return Assessment(
        target,
        status_of(target, actual, period, expected, plan.settings.at_risk_ratio, start),
        actual=observation,
        baseline=start,
        expected=expected,
        percent_of_target=percent_of_target(target, actual),
        gap=gap_to_target(target, actual),
        to_meet=to_meet(target, actual, whole),
        progress_percent=progress,
        pace_percent=pace,
        vs_pace_pp=progress - pace if progress is not None and pace is not None else None,
        growth=growth_on_last_year(figures, target, observation),
        regions=coverage,
        stale=as_of is not None and period.months < as_of.months,
        pace=share,
        projection=project(figures, target, observation, start),
        completion=progress if progress is not None else level_percent(target, actual),
    )


def _regions_only_note(figures: Rollup, target: Target, as_of: Period | None) -> str | None:
    """A rate with regional rows and no city row: rates are not added up, and say so."""
    if target.kind is not Kind.RATE or as_of is None:
        return None
    periods = figures.actuals.values.get(target.id, {})
    if any(y == as_of.year and r.regional_count for (y, _months), r in periods.items()):
        return _("reported by regions only (a rate is not added up: give a whole-city row)")
    return None


def assess(
    plan: Plan,
    actuals: Actuals | Rollup,
    as_of: Period | None = None,
    allocations: Allocations | None = None,
) -> Report:
    """Assess every target at `as_of` (default: the latest period of the plan year in the file)."""
    figures = figures_for(plan, actuals, allocations)
    if as_of is None:
        as_of = figures.actuals.latest_period(plan.year)
    assessments = [assess_target(plan, figures, t, as_of) for t in plan.targets]
    return Report(plan, as_of, assessments, input_problems(figures, allocations))


def figures_for(plan: Plan, actuals: Actuals | Rollup, allocations: Allocations | None) -> Rollup:
    """The roll-up of the actuals, expecting the regions given a share where there are
    shares; a roll-up already made (one report's many parts) as it is."""
    if isinstance(actuals, Rollup):
        return actuals
    return Rollup(plan, actuals, allocations.regions_of() if allocations else None)


def input_problems(figures: Rollup, allocations: Allocations | None = None) -> list[Problem]:
    """Of the inputs: the allocations' and the actuals' problems kept, then the roll-up's
    warnings (the plan year's and the year before's, whose December gives the baselines)."""
    year = figures.plan.year
    given = allocations.problems if allocations else []
    return [*given, *figures.actuals.problems, *figures.problems((year - 1, year))]


def analyse_gap(
    plan: Plan,
    actuals: Actuals,
    target: Target,
    as_of: Period | None = None,
    allocations: Allocations | None = None,
) -> GapAnalysis:
    """One target in depth, as of `as_of` (default: the latest period of the plan year)."""
    if as_of is None:
        as_of = actuals.latest_period(plan.year)
    figures = figures_for(plan, actuals, allocations)
    assessment = assess_target(plan, figures, target, as_of)
    observation = assessment.actual
    if observation is None:
        return GapAnalysis(assessment, as_of, problems=input_problems(figures, allocations))
    elapsed = observation.period.months
    left = MONTHS_IN_YEAR - elapsed
    remaining = remaining_of(target, observation.value, plan.unit_table.whole)
    start = paced_from(target, assessment.baseline)
    pace = _pace(target, observation.value, start, elapsed, left, remaining)
    return GapAnalysis(
        assessment,
        as_of,
        months_elapsed=elapsed,
        months_remaining=left,
        remaining=remaining,
        pace_so_far=pace[0],
        pace_needed=pace[1],
        projected_year_end=pace[2],
        ratio=_ratio_need(figures, target, observation),
        growth_need=_growth_need(figures, target, observation),
        problems=input_problems(figures, allocations),
    )


def remaining_of(target: Target, actual: Decimal, units: frozenset[str]) -> Decimal:
    """What is still to go: to add to a minimum, to take off a level or rate that must come
    down (both `to_meet`, 0 once met); for a cumulative maximum, the allowance left (what
    may still be added and the total stay within it)."""
    whole = target.unit in units
    if target.kind is Kind.CUMULATIVE and not target.comparison.higher_is_better:
        return max(whole_bound(target, whole) - actual, Decimal(0))
    return to_meet(target, actual, whole) or Decimal(0)


def _pace(
    target: Target,
    actual: Decimal,
    start: Decimal | None,
    elapsed: int,
    left: int,
    remaining: Decimal,
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Per-month pace so far and needed (a maximum's: allowed) for the rest of the year, in
    the target's direction (a level that must come down: how much it came down); the
    year-end value at today's pace. `start`: the baseline a stock is paced from."""
    if target.kind is Kind.CUMULATIVE:
        gained = actual
        origin = Decimal(0)
    elif target.kind is Kind.STOCK and start is not None:
        gained = actual - start
        origin = start
    else:
        return None, None, None
    lowering = target.kind is Kind.STOCK and not target.comparison.higher_is_better
    so_far = (-gained if lowering else gained) / elapsed
    needed = remaining / left if left else None
    return so_far, needed, origin + gained * MONTHS_IN_YEAR / elapsed


def _ratio_need(figures: Rollup, target: Target, observation: Observation) -> RatioNeed | None:
    derivation = figures.plan.derivation_for(target.id)
    if not isinstance(derivation, RatioDerivation):
        return None
    period = observation.period
    denominator = _summed_or_reported(figures, derivation.denominator, period.year, period.months)
    if denominator is None:
        return None
    numerator = _summed_or_reported(figures, derivation.numerator, period.year, period.months)
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


def _growth_need(figures: Rollup, target: Target, observation: Observation) -> GrowthNeed | None:
    derivation = figures.plan.derivation_for(target.id)
    if not isinstance(derivation, GrowthDerivation):
        return None
    period = observation.period
    base_period = period.same_period_of(period.year - 1)
    base = _summed_or_reported(figures, derivation.of, base_period.year, base_period.months)
    if base is None:
        return None
    current = _summed_or_reported(figures, derivation.of, period.year, period.months)
    factor = 1 + target.value / HUNDRED
    year_end = _summed_or_reported(figures, derivation.of, period.year - 1, MONTHS_IN_YEAR)
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

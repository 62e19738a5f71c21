"""Plans over several years (a five-year plan, 十四五): each target from its base to its
value in the plan's last year, assessed from yearly rows (or the latest year-to-date level).

A target is held to a straight path by elapsed years (through its milestones, if any), or,
for rates and targets marked `growth: compound`, to a constant annual rate: the rate it
needs from its base against the one observed since, as the progress measures of Open SDG
(Statistics Canada) and UN ESCAP do. Pure functions on data, at full Decimal precision.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from .i18n import _
from .model import Growth, Kind, Plan, Target
from .observations import Actuals, Allocations
from .periods import MONTHS_IN_YEAR, Period
from .progress import (
    city_value_of,
    figures_for,
    gap_to_target,
    growth_on_last_year,
    level_percent,
    percent_of_target,
    to_meet,
)
from .results import (
    HUNDRED,
    Assessment,
    CompoundGrowth,
    Observation,
    PaceShare,
    Report,
    Status,
)
from .rollup import Rollup

# Observed over required annual rate: on track from 0.95, at risk from 0.6 (Open SDG).
ON_TRACK_RATIO = Decimal("0.95")
AT_RISK_RATIO = Decimal("0.6")

LINEAR = "linear"
MILESTONES = "milestones"
COMPOUND = "compound"


def latest_period_of_span(actuals: Actuals, plan: Plan) -> Period | None:
    """The latest period with any row in the years of the plan: the default as-of."""
    for year in range(plan.year, plan.first_year - 1, -1):
        found = actuals.latest_period(year)
        if found is not None:
            return found
    return None


def assess_years(
    plan: Plan,
    actuals: Actuals,
    as_of: Period | None = None,
    allocations: Allocations | None = None,
) -> Report:
    """Every target of a plan over several years as of `as_of` (default: the latest period
    of its years in the file)."""
    if as_of is None:
        as_of = latest_period_of_span(actuals, plan)
    figures = figures_for(plan, actuals, allocations)
    assessments = [assess_over_years(figures, target, as_of) for target in plan.targets]
    starts = [t.base.year for t in plan.targets if t.base is not None]
    years = range(min(starts, default=plan.first_year - 1), plan.year + 1)
    given = allocations.problems if allocations else []
    problems = [*given, *actuals.problems, *figures.problems(years)]
    return Report(plan, as_of, assessments, problems)


def latest_over_years(
    figures: Rollup, target: Target, as_of: Period, first: int
) -> Observation | None:
    """The latest value from `first` to `as_of`: a total's full-year value (part of a year
    is not comparable with a year's target), a level's or rate's latest period."""
    for year in range(as_of.year, first - 1, -1):
        top = as_of.months if year == as_of.year else MONTHS_IN_YEAR
        if target.kind is Kind.CUMULATIVE:
            months = [MONTHS_IN_YEAR] if top == MONTHS_IN_YEAR else []
        else:
            months = list(range(top, 0, -1))
        for month in months:
            found = city_value_of(figures, target.id, year, month)
            if found is not None:
                return found
    return None


def elapsed_years(target: Target, period: Period) -> Fraction:
    """Years since the end of the base year, to the end of `period`: 2023-06 from 2020 is 2.5."""
    assert target.base is not None  # every target of a plan over several years has one
    return Fraction((period.year - target.base.year - 1) * MONTHS_IN_YEAR + period.months, 12)


def path_value(target: Target, elapsed: Fraction, span: int) -> Decimal:
    """Where the target should stand after `elapsed` of its `span` years: on the straight
    path from the base (through the milestones), or at the constant annual rate."""
    assert target.base is not None
    start, goal = target.base.value, target.value
    if target.path is Growth.COMPOUND:
        exponent = Decimal(elapsed.numerator) / (elapsed.denominator * span)
        return start * (goal / start) ** exponent
    points = [(0, start)]
    points += sorted((year - target.base.year, value) for year, value in target.milestones.items())
    points.append((span, goal))
    for (before, low), (after, high) in pairwise(points):
        if before <= elapsed <= after:
            share = (elapsed - before) / (after - before)
            return low + (high - low) * share.numerator / share.denominator
    raise AssertionError("elapsed years outside the plan")  # elapsed lies in [0, span]


def compound_growth(
    target: Target, actual: Decimal, elapsed: Fraction, span: int
) -> CompoundGrowth:
    """The annual rate needed from the base to the target, the one observed since, and the
    ratio of the two (none where no rate can be taken: an actual at or below 0)."""
    assert target.base is not None
    start = target.base.value
    required = ((target.value / start) ** (Decimal(1) / span) - 1) * HUNDRED
    if actual <= 0 or elapsed <= 0:
        return CompoundGrowth(required, None, None)
    exponent = Decimal(elapsed.denominator) / elapsed.numerator
    observed = ((actual / start) ** exponent - 1) * HUNDRED
    return CompoundGrowth(required, observed, observed / required if required else None)


def assess_over_years(figures: Rollup, target: Target, as_of: Period | None) -> Assessment:
    plan = figures.plan
    base = target.base
    assert base is not None
    observation = latest_over_years(figures, target, as_of, base.year + 1) if as_of else None
    if observation is None:
        return Assessment(target, Status.NO_DATA, baseline=base.value)
    actual, period = observation.value, observation.period
    span = plan.year - base.year
    elapsed = elapsed_years(target, period)
    expected = path_value(target, elapsed, span)
    change = target.value - base.value
    progress = (actual - base.value) * HUNDRED / change if change else None
    share = _share_due(target, expected, elapsed, span)
    compound = (
        compound_growth(target, actual, elapsed, span) if target.path is Growth.COMPOUND else None
    )
    status = _status(
        target, actual, expected, elapsed == span, plan.settings.at_risk_ratio, compound
    )
    whole = target.unit in plan.unit_table.whole
    no_rate = compound is not None and compound.observed_rate is None
    return Assessment(
        target,
        status,
        actual=observation,
        baseline=base.value,
        expected=expected,
        percent_of_target=percent_of_target(target, actual),
        gap=gap_to_target(target, actual),
        to_meet=to_meet(target, actual, whole),
        progress_percent=progress,
        pace_percent=share.percent,
        vs_pace_pp=progress - share.percent if progress is not None else None,
        growth=growth_on_last_year(figures, target, observation),
        note=_("no annual rate from a value at or below 0") if no_rate else None,
        stale=_stale(target, period, as_of),
        pace=share,
        compound=compound,
        completion=progress if progress is not None else level_percent(target, actual),
    )


def _share_due(target: Target, expected: Decimal, elapsed: Fraction, span: int) -> PaceShare:
    """The share of the change from the base that is due by now."""
    assert target.base is not None
    if target.path is Growth.COMPOUND:
        profile = COMPOUND
    else:
        profile = MILESTONES if target.milestones else LINEAR
    change = target.value - target.base.value
    if profile == LINEAR or not change:
        fraction = elapsed / span
    else:
        fraction = Fraction(expected - target.base.value) / Fraction(change)
    return PaceShare(profile, profile, None, fraction)


def _status(
    target: Target,
    actual: Decimal,
    expected: Decimal,
    final: bool,
    at_risk_ratio: Decimal,
    compound: CompoundGrowth | None,
) -> Status:
    """achieved or missed in the last full year; a level met is achieved, anything else
    met on track; else on the path (or at the rate) on track, close to it at risk, off
    track."""
    assert target.base is not None
    comparison, start = target.comparison, target.base.value
    met = comparison.met(actual, target.value)
    if final:
        return Status.ACHIEVED if met else Status.MISSED
    if target.kind is Kind.STOCK and met:
        return Status.ACHIEVED
    if met:  # before the last year: met by now, and to be kept met
        return Status.ON_TRACK
    if comparison.met(start, target.value):  # the base met it, and it no longer does
        return Status.OFF_TRACK
    if compound is not None:
        ratio = compound.ratio
        if ratio is None:
            return Status.OFF_TRACK
        if ratio >= ON_TRACK_RATIO:
            return Status.ON_TRACK
        return Status.AT_RISK if ratio >= AT_RISK_RATIO else Status.OFF_TRACK
    if comparison.higher_is_better:
        if actual >= expected:
            return Status.ON_TRACK
        close = actual - start >= at_risk_ratio * (expected - start)
    else:
        if actual <= expected:
            return Status.ON_TRACK
        close = start - actual >= at_risk_ratio * (start - expected)
    return Status.AT_RISK if close else Status.OFF_TRACK


def _stale(target: Target, period: Period, as_of: Period | None) -> bool:
    """Whether a later value could have been given: a total's last full year is the latest
    it can have until the year is out."""
    if as_of is None:
        return False
    if target.kind is Kind.CUMULATIVE:
        last_full = as_of.year if as_of.is_full_year else as_of.year - 1
        return period.year < last_full
    return (period.year, period.months) < (as_of.year, as_of.months)

"""One target through the plan year (`trend`): each reported period's year-to-date value,
what it added since the period before (当月), where it should have stood by then (序时进度,
by the target's profile), 同比 on the same period of last year, and the year-end range.

Pure: the figures are those of `status` (progress.py) and, for one region, of its
bulletin (bulletin.py), period by period.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .bulletin import region_value, standing_of
from .model import Kind, Plan, Region, Target
from .observations import Actuals, Allocations
from .periods import MONTHS_IN_YEAR, Period
from .problems import Problem
from .progress import (
    assess_target,
    baseline,
    city_value_of,
    expected_by_now,
    figures_for,
    input_problems,
    level_percent,
    pace_of,
    paced_from,
    projection,
)
from .results import Assessment, Trend, TrendPoint
from .rollup import Rollup


def trend(
    plan: Plan,
    actuals: Actuals | Rollup,
    target: Target,
    as_of: Period | None = None,
    allocations: Allocations | None = None,
    region: Region | None = None,
) -> Trend:
    """Every reported period of the plan year up to `as_of` (default: the latest in the
    file), for the city or for one region."""
    figures = figures_for(plan, actuals, allocations)
    if as_of is None:
        as_of = figures.actuals.latest_period(plan.year)
    problems = input_problems(figures, allocations)
    share = allocations.share_of(target.id, region.id) if allocations and region else None
    if as_of is None:
        return Trend(plan, None, target, region, share, [], None, None, problems)
    if region is None:
        found = _city(figures, target, as_of, problems)
    else:
        found = _region(figures, target, region, as_of, allocations, share, problems)
    return replace(found, path=pace_path(figures, target, as_of.year))


def pace_path(figures: Rollup, target: Target, year: int) -> list[tuple[int, Decimal]]:
    """The city's value due by the end of each month of `year` (序时进度 by the target's
    profile, from its baseline for a stock), for a chart's pace line."""
    start = paced_from(target, baseline(figures, target))
    path = []
    for months in range(1, MONTHS_IN_YEAR + 1):
        share = pace_of(figures, target, Period(year, months, f"{year:04d}-{months:02d}"))
        path.append((months, expected_by_now(target, share, start)))
    return path


def _city(figures: Rollup, target: Target, as_of: Period, problems: list[Problem]) -> Trend:
    plan, year = figures.plan, as_of.year
    start = baseline(figures, target)
    points: list[TrendPoint] = []
    last: Assessment | None = None
    for months in range(1, as_of.months + 1):
        observation = city_value_of(figures, target.id, year, months)
        if observation is None:
            continue
        a = assess_target(plan, figures, target, observation.period)
        before = points[-1] if points else None
        increment, span = increment_of(target, observation.value, before, months, start)
        previous = city_value_of(figures, target.id, year - 1, months)
        points.append(
            TrendPoint(
                period=observation.period,
                value=observation.value,
                increment=increment,
                expected=a.expected,
                progress_percent=a.progress_percent,
                pace_percent=a.pace_percent,
                growth=a.growth,
                previous=previous.value if previous is not None else None,
                increment_months=span,
                vs_pace_pp=a.vs_pace_pp,
                status=a.status,
                completion=a.completion,
            )
        )
        last = a
    return Trend(
        plan,
        as_of,
        target,
        None,
        None,
        points,
        last.projection if last is not None else None,
        last.pace if last is not None else None,
        problems,
    )


def _region(
    figures: Rollup,
    target: Target,
    region: Region,
    as_of: Period,
    allocations: Allocations | None,
    share: Decimal | None,
    problems: list[Problem],
) -> Trend:
    year = as_of.year
    own = target.model_copy(update={"value": share}) if share is not None else None
    points: list[TrendPoint] = []
    standing = None
    for months in range(1, as_of.months + 1):
        value = region_value(figures, target.id, region.id, year, months)
        if value is None:
            continue
        period = Period(year, months, f"{year:04d}-{months:02d}")
        standing = standing_of(figures, target, region, period, allocations)
        before = points[-1] if points else None
        increment, span = increment_of(target, value, before, months, standing.baseline)
        completion = standing.progress_percent
        if completion is None and own is not None:
            completion = level_percent(own, value)
        points.append(
            TrendPoint(
                period=period,
                value=value,
                increment=increment,
                expected=standing.expected,
                progress_percent=standing.progress_percent,
                pace_percent=standing.pace_percent,
                growth=standing.growth,
                previous=region_value(figures, target.id, region.id, year - 1, months),
                increment_months=span,
                vs_pace_pp=standing.vs_pace_pp,
                status=standing.status,
                completion=completion,
            )
        )
    ahead = None
    pace = None
    if points and standing is not None:
        latest = points[-1]
        pace = pace_of(figures, target, latest.period)
        if own is not None:

            def value_of(y: int, m: int) -> Decimal | None:
                return region_value(figures, target.id, region.id, y, m)

            # The region's baseline (a stock's year-end level before), as its standing has it.
            ahead = projection(own, latest.value, latest.period, standing.baseline, value_of)
    return Trend(figures.plan, as_of, target, region, share, points, ahead, pace, problems)


def increment_of(
    target: Target,
    value: Decimal,
    before: TrendPoint | None,
    months: int,
    start: Decimal | None,
) -> tuple[Decimal | None, int | None]:
    """当月: the value less the period before's, over the months between them; the first
    period's since the year start (a total's value itself, a stock's change on its
    baseline). None for rates (a level, not an amount that accrues)."""
    if target.kind is Kind.RATE:
        return None, None
    if before is not None:
        return value - before.value, months - before.period.months
    if target.kind is Kind.CUMULATIVE:
        return value, months
    if start is not None:
        return value - start, months
    return None, None

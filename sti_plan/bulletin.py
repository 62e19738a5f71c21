"""Plan + actuals + allocations -> the ranking bulletin (通报) of one target, region by region.

Each declared top-level region is assessed as the city is, against its share of the target
(任务分解) as its target, with its own previous-year rows as its baseline and same-period
values: 完成率, 序时进度, points above or below pace, 同比, status, and a rank among the
regions the city total counts (zones among themselves). Pure functions on data.
"""

from __future__ import annotations

from decimal import Decimal

from .model import Kind, Plan, Region, Target
from .observations import Actuals, Allocations
from .periods import MONTHS_IN_YEAR, Period
from .problems import Problem
from .progress import (
    assess_target,
    derive,
    expected_by_now,
    figures_for,
    gap_to_target,
    growth,
    input_problems,
    pace_of,
    paced_from,
    percent_of_target,
    progress_percent,
    status_of,
)
from .results import (
    Bulletin,
    RegionMatrix,
    RegionReport,
    RegionStanding,
    RegionTarget,
    Status,
)
from .rollup import Rollup

RANKINGS = ("progress", "actual", "growth", "pace")


def default_ranking(target: Target) -> str:
    """完成率 for totals and levels; the value itself for rates."""
    return "actual" if target.kind is Kind.RATE else "progress"


def bulletin(
    plan: Plan,
    actuals: Actuals,
    target: Target,
    as_of: Period | None = None,
    allocations: Allocations | None = None,
    by: str | None = None,
) -> Bulletin:
    """The bulletin of `target` as of `as_of` (default: the latest period in the file)."""
    if as_of is None:
        as_of = actuals.latest_period(plan.year)
    figures = figures_for(plan, actuals, allocations)
    return _bulletin(figures, target, as_of, allocations, by, input_problems(figures, allocations))


def bulletins(
    plan: Plan,
    actuals: Actuals | Rollup,
    as_of: Period | None = None,
    allocations: Allocations | None = None,
) -> RegionMatrix:
    """Every target's bulletin, each ranked its default way: the regions x targets matrix."""
    figures = figures_for(plan, actuals, allocations)
    if as_of is None:
        as_of = figures.actuals.latest_period(plan.year)
    problems = input_problems(figures, allocations)
    return RegionMatrix(
        plan,
        as_of,
        [_bulletin(figures, t, as_of, allocations, None, problems) for t in plan.targets],
        problems,
    )


def region_report(
    plan: Plan,
    actuals: Actuals,
    region: Region,
    as_of: Period | None = None,
    allocations: Allocations | None = None,
) -> RegionReport:
    """One region's status: each target against the region's share of it, with the region's
    rank in the target's bulletin (a town, not in any bulletin, has none)."""
    if as_of is None:
        as_of = actuals.latest_period(plan.year)
    figures = figures_for(plan, actuals, allocations)
    problems = input_problems(figures, allocations)
    rows = []
    for target in plan.targets:
        report = _bulletin(figures, target, as_of, allocations, None, problems)
        standing = next((s for s in report.regions if s.region_id == region.id), None)
        if standing is None:  # a town: not in the bulletin
            standing = standing_of(figures, target, region, report.period, allocations)
        peers = [
            s for s in report.regions if s.in_total == standing.in_total and s.rank is not None
        ]
        rows.append(
            RegionTarget(target, standing, len(peers) if standing.rank is not None else None)
        )
    return RegionReport(plan, as_of, region, rows, problems)


def _bulletin(
    figures: Rollup,
    target: Target,
    as_of: Period | None,
    allocations: Allocations | None,
    by: str | None,
    problems: list[Problem],
) -> Bulletin:
    """The bulletin of `target` from the roll-up; `problems`: of the inputs, found once."""
    plan = figures.plan
    city = assess_target(plan, figures, target, as_of)
    period = _bulletin_period(plan, figures.actuals, target, as_of)
    ranking = by or default_ranking(target)
    standings = [
        standing_of(figures, target, region, period, allocations)
        for region in plan.regions
        if region.parent is None
    ]
    return Bulletin(
        plan,
        as_of,
        target,
        period,
        ranking,
        _ranked(standings, target, ranking),
        city,
        problems,
    )


def _operands_of(plan: Plan, target: Target) -> tuple[str, ...]:
    derivation = plan.derivation_for(target.id)
    return derivation.operands if derivation is not None else ()


def _bulletin_period(
    plan: Plan, actuals: Actuals, target: Target, as_of: Period | None
) -> Period | None:
    """The latest period of the plan year, not after `as_of`, with rows of the target (or,
    for a derived target, of what it is derived from)."""
    if as_of is None:
        return None
    months = [
        m
        for measure in (target.id, *_operands_of(plan, target))
        for (y, m) in actuals.values.get(measure, {})
        if y == as_of.year and m <= as_of.months
    ]
    if not months:
        return None
    latest = max(months)
    return Period(as_of.year, latest, f"{as_of.year}-{latest:02d}")


def region_value(
    figures: Rollup, measure_id: str, region: str, year: int, months: int
) -> Decimal | None:
    """A region's value of a measure for a period: its own row, its towns' sum, or the
    plan's derivation from its own rows."""
    reported = figures.actuals.reported(measure_id, year, months)
    if reported is not None:
        found = figures.region_value(region, reported)
        if found is not None:
            return found[0]
    derivation = figures.plan.derivation_for(measure_id)
    if derivation is None:
        return None
    return derive(
        derivation, year, months, lambda m, y, mo: region_value(figures, m, region, y, mo)
    )


def standing_of(
    figures: Rollup,
    target: Target,
    region: Region,
    period: Period | None,
    allocations: Allocations | None,
) -> RegionStanding:
    share = allocations.share_of(target.id, region.id) if allocations else None
    year = figures.plan.year
    baseline = (
        region_value(figures, target.id, region.id, year - 1, MONTHS_IN_YEAR)
        if target.kind is Kind.STOCK
        else None
    )
    actual = (
        region_value(figures, target.id, region.id, period.year, period.months)
        if period is not None
        else None
    )
    change = None
    if actual is not None and period is not None and target.kind is not Kind.RATE:
        before = region_value(figures, target.id, region.id, period.year - 1, period.months)
        change = growth(actual, before)
    due = pace_of(figures, target, period) if period is not None and actual is not None else None
    pace = due.percent if due is not None else None
    expected = percent = progress = gap = vs_pace = None
    status = Status.NO_DATA if share is not None and actual is None else None
    if share is not None and actual is not None and period is not None:
        own = target.model_copy(update={"value": share})
        expected = expected_by_now(own, due, paced_from(own, baseline))
        percent = percent_of_target(own, actual)
        progress = progress_percent(own, actual, baseline) if share else None
        gap = gap_to_target(own, actual)
        vs_pace = progress - pace if progress is not None and pace is not None else None
        ratio = figures.plan.settings.at_risk_ratio
        status = status_of(own, actual, period, expected, ratio, baseline)
    return RegionStanding(
        region=region.name,
        region_id=region.id,
        kind=region.kind.value,
        in_total=region.counts_in_total,
        target=share,
        actual=actual,
        period=period if actual is not None else None,
        baseline=baseline,
        expected=expected,
        percent_of_target=percent,
        progress_percent=progress,
        pace_percent=pace,
        vs_pace_pp=vs_pace,
        growth=change,
        gap=gap,
        status=status,
        rank=None,
    )


def _metric(standing: RegionStanding, by: str) -> Decimal | None:
    if by == "progress":
        return standing.progress_percent
    if by == "pace":
        return standing.vs_pace_pp
    if by == "growth":
        return standing.growth
    return standing.actual


def _ranked(standings: list[RegionStanding], target: Target, by: str) -> list[RegionStanding]:
    """The regions the total counts, ranked among themselves; then the zones, among
    themselves; then those that have not reported. Equal figures share a rank (1, 2, 2, 4);
    a higher figure ranks first unless the target is lower-is-better (完成率 of a level's
    change: more of the change done ranks first either way)."""
    higher = target.comparison.higher_is_better or (
        by in ("progress", "pace") and target.kind is Kind.STOCK
    )
    groups = (
        [s for s in standings if s.in_total and s.actual is not None],
        [s for s in standings if not s.in_total and s.actual is not None],
    )
    ranked: list[RegionStanding] = []
    for group in groups:
        values = [v for s in group if (v := _metric(s, by)) is not None]
        with_rank = [_with_rank(s, _rank(_metric(s, by), values, higher)) for s in group]
        ranked += sorted(with_rank, key=lambda s: (s.rank is None, s.rank or 0))
    return ranked + [s for s in standings if s.actual is None]


def _rank(value: Decimal | None, values: list[Decimal], higher: bool) -> int | None:
    """1 + how many do better: equal figures share a rank (1, 2, 2, 4)."""
    if value is None:
        return None
    return 1 + sum(1 for v in values if (v > value if higher else v < value))


def _with_rank(standing: RegionStanding, rank: int | None) -> RegionStanding:
    from dataclasses import replace

    return replace(standing, rank=rank)

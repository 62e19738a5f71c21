"""Figures that read well but are probably wrong, found once a file is read: warnings, each
at the line of the row that looks wrong.

- `ytd-decrease`: a cumulative measure's year-to-date value, for the city or a region,
  lower than at an earlier period of the same year (a month's own figure, 当月, typed
  where the running total, 累计, belongs: key_projects 25, 30, then 2).
- `looks-like-fraction`: a value of a % measure below 1 in size (not 0) whose hundredfold
  lies within a factor of 3 of the target, or of another period's value for the same city
  or region, where that is 1 or more: a cell formatted as a percentage holds 8.7 % as 0.087.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .i18n import _
from .model import Kind, Plan, Target
from .observations import CITY, Actuals, PeriodKey, Reported
from .problems import Code, Problem, shown
from .units import PERCENT

NEAR = 3  # a hundredfold value within this factor of a reference looks like a fraction
# One region's values of one measure: period -> (value, line, the period as labelled).
Series = dict[PeriodKey, tuple[Decimal, int, str]]


def plausibility_problems(actuals: Actuals, plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    for measure_id, periods in actuals.values.items():
        measure = plan.measure(measure_id)
        if measure is None or (measure.kind is not Kind.CUMULATIVE and measure.unit != PERCENT):
            continue
        for region, series in _series(periods).items():
            name = _region_name(plan, region)
            if measure.kind is Kind.CUMULATIVE:
                for line, message in _decreases(series, measure_id, name):
                    problems.append(_warning(actuals, Code.YTD_DECREASE, message, line))
            if measure.unit == PERCENT:
                target = measure.value if isinstance(measure, Target) else None
                for line, message in _fractions(series, target, measure_id, name):
                    problems.append(_warning(actuals, Code.LOOKS_LIKE_FRACTION, message, line))
    problems.sort(key=lambda problem: problem.line or 0)
    return problems


def _series(periods: dict[PeriodKey, Reported]) -> dict[str, Series]:
    """Region (CITY for the whole city) -> its values by period, in period order."""
    by_region: dict[str, Series] = {}
    for key in sorted(periods):
        reported = periods[key]
        if reported.city_line:
            assert reported.city is not None
            by_region.setdefault(CITY, {})[key] = (
                reported.city,
                reported.city_line,
                reported.label,
            )
        for region, (value, line) in reported.region_values().items():
            by_region.setdefault(region, {})[key] = (value, line, reported.label)
    return by_region


def _decreases(series: Series, measure_id: str, region: str | None) -> Iterator[tuple[int, str]]:
    """A year-to-date value below the highest one before it in the same year, said of
    `measure_id` for `region` (None: the whole city)."""
    highest: dict[int, tuple[Decimal, str]] = {}
    for (year, _months), (value, line, label) in series.items():
        before = highest.get(year)
        if before is not None and value < before[0]:
            if region is None:
                message = _(
                    "{measure} for the whole city: {value} in {period} is lower than {earlier} "
                    "in {earlier_period}: a year-to-date total does not fall (a month's own "
                    "figure, 当月, where the year-to-date one, 累计, belongs?)"
                )
            else:
                message = _(
                    "{measure} for region {region}: {value} in {period} is lower than {earlier} "
                    "in {earlier_period}: a year-to-date total does not fall (a month's own "
                    "figure, 当月, where the year-to-date one, 累计, belongs?)"
                )
            yield (
                line,
                message.format(
                    measure=measure_id,
                    region=region,
                    value=_number(value),
                    period=label,
                    earlier=_number(before[0]),
                    earlier_period=before[1],
                ),
            )
        if before is None or value > before[0]:
            highest[year] = (value, label)


def _fractions(
    series: Series, target: Decimal | None, measure_id: str, region: str | None
) -> Iterator[tuple[int, str]]:
    """A value below 1 in size whose hundredfold lies within a factor of 3 of the target or
    of another period's value, where that is 1 or more: 0.087 beside 10 (8.7), not 0.8
    beside 10 (80 is no likelier than a growth of 0.8 %). Said of `measure_id` for `region`
    (None: the whole city)."""
    references = [abs(value) for value, _line, _label in series.values() if abs(value) >= 1]
    if target is not None and abs(target) >= 1:
        references.append(abs(target))
    for value, line, label in series.values():
        if value == 0 or abs(value) >= 1:
            continue
        meant = abs(value) * 100
        if not any(size / NEAR <= meant <= size * NEAR for size in references):
            continue
        if region is None:
            message = _(
                "{measure} for the whole city: {value} in {period} looks like a fraction: did "
                "you mean {scaled}? (a cell formatted as a percentage holds 8.7 % as 0.087; "
                "--percent-cells reads a workbook's cells so)"
            )
        else:
            message = _(
                "{measure} for region {region}: {value} in {period} looks like a fraction: did "
                "you mean {scaled}? (a cell formatted as a percentage holds 8.7 % as 0.087; "
                "--percent-cells reads a workbook's cells so)"
            )
        yield (
            line,
            message.format(
                measure=measure_id,
                region=region,
                value=_number(value),
                period=label,
                scaled=_number(value * 100),
            ),
        )


def _region_name(plan: Plan, region: str) -> str | None:
    """A region as messages quote it; None for the whole city."""
    if region == CITY:
        return None
    declared = plan.region(region)
    return shown(declared.name if declared else region)


def _warning(actuals: Actuals, code: Code, message: str, line: int) -> Problem:
    return Problem(code, actuals.path, message, line=line, sheet=actuals.sheet)


def _number(value: Decimal) -> str:
    """A value as it would be written: 0.087, 8.7, 30 (not 8.700 or 3E+1)."""
    return format(value.normalize(), "f")

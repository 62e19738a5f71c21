"""序时进度 through the year: the share of a target due by a period, by its pace profile.

A profile is linear (months / 12), a set of milestones (the share due by given periods,
linear by month between them), or last year's shares (how much of last year's full-year
value, or of a stock's change over last year, had been reached by the same month). Pure
functions; shares are exact fractions, so that T × share is a single rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from .i18n import _
from .model import Kind, Plan, Target
from .periods import MONTHS_IN_YEAR, Period, parse_period
from .results import HUNDRED, PaceShare

# A target's whole-city value for (year, months), where there is one.
ValueOf = Callable[[int, int], Decimal | None]

LINEAR = "linear"
MILESTONES = "milestones"
LAST_YEAR = "last_year"


def pace_share(plan: Plan, target: Target, period: Period, value_of: ValueOf) -> PaceShare | None:
    """The share of `target` due by the end of `period` (none for rates: held to the
    target all year)."""
    if target.kind is Kind.RATE:
        return None
    declared = plan.pace_of(target)
    if isinstance(declared, dict):
        return _by_milestones(declared, period.months)
    linear = Fraction(period.months, MONTHS_IN_YEAR)
    if declared == LINEAR:
        return PaceShare(LINEAR, LINEAR, None, linear)
    share, previous, why = last_year_share(target, period, value_of)
    if share is None:
        note = _("{reason}: paced linearly").format(reason=why)
        return PaceShare(LINEAR, LAST_YEAR, note, linear)
    return PaceShare(LAST_YEAR, LAST_YEAR, None, share, previous=previous)


def _by_milestones(milestones: dict[str, Decimal], months: int) -> PaceShare:
    """Linear by month between the milestones, from 0 at the start of the year to 100 at
    its end."""
    points = sorted((_months(code), share) for code, share in milestones.items())
    if not points or points[-1][0] != MONTHS_IN_YEAR:
        points.append((MONTHS_IN_YEAR, HUNDRED))
    path = [(0, Decimal(0)), *points]
    for (start, low), (end, high) in pairwise(path):
        if months == end:
            return PaceShare(MILESTONES, MILESTONES, None, Fraction(high) / 100, ((end, high),))
        if start < months < end:
            share = Fraction(low) + (Fraction(high) - Fraction(low)) * (months - start) / (
                end - start
            )
            between = ((start, low), (end, high))
            return PaceShare(MILESTONES, MILESTONES, None, share / 100, between)
    raise AssertionError(f"month {months} outside the year")  # months are 1 to 12


def _months(code: str) -> int:
    period = parse_period(code)
    assert period is not None  # checked by the plan's schema
    return period.months


def last_year_share(
    target: Target, period: Period, value_of: ValueOf
) -> tuple[Fraction | None, tuple[Decimal, Decimal, Decimal | None] | None, str | None]:
    """How much of last year's full-year value (a stock: of last year's change) had been
    reached by the same month, with the values it rests on; or none, and why."""
    if period.is_full_year:
        return Fraction(1), None, None
    year = period.year - 1
    same = period.same_period_of(year)
    now, end = value_of(year, period.months), value_of(year, MONTHS_IN_YEAR)
    if end is None:
        return None, None, _("no {year} full-year value for last year's shares").format(year=year)
    if now is None:
        return (
            None,
            None,
            _("no {period} value for last year's share by the same month").format(period=same.code),
        )
    start: Decimal | None = None
    if target.kind is Kind.STOCK:
        start = value_of(year - 1, MONTHS_IN_YEAR)
        if start is None:
            why = _("no {year} year-end level, where last year's change starts")
            return None, None, why.format(year=year - 1)
        if end == start:
            return None, None, _("no change over {year} to take shares of").format(year=year)
        share = (Fraction(now) - Fraction(start)) / (Fraction(end) - Fraction(start))
    else:
        if end == 0:
            return None, None, _("the {year} full-year value is 0").format(year=year)
        share = Fraction(now) / Fraction(end)
    if not 0 <= share <= 1:
        why = _("last year's share by {period} is {percent} %, outside 0–100 %")
        return None, None, why.format(period=same.code, percent=_tenths(share * 100))
    return share, (now, end, start), None


def _tenths(value: Fraction) -> str:
    """A share in a message, to one decimal however large: 108.3, 1E+28 never."""
    tenths = round(value * 10)
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{tenth}".removesuffix(".0")

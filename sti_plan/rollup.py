"""Regional rows -> the whole city's value of a measure for a period, never miscounted in silence.

The rules (README, "Roll-up"): a whole-city row wins; otherwise the top-level regions that
count in the total are added up (a region's value is its own row or, without one, the sum
of its child regions' rows; zones never), and the sum counts only when every region
expected that period has reported it. Expected are the regions that reported the measure
earlier in the same year (or, given allocations, those with a share of the target). What
falls short is a warning with the line it rests on; so is a whole-city row that the
regions' rows contradict. Rates are never added up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from .i18n import _
from .model import Kind, Plan
from .observations import Actuals, PeriodKey, Reported
from .periods import Period
from .problems import Code, Problem, plain
from .results import Basis, Coverage, Observation

MISMATCH_SHARE = Decimal("0.005")  # of the city row: beyond it, the regions contradict it


@dataclass(frozen=True)
class CityFigure:
    """The whole-city value of one measure for one period, and what it rests on."""

    observation: Observation | None  # None: no city row and the regional sum is incomplete
    coverage: Coverage | None  # None: not a regional sum (a city row)


class Rollup:
    """City values of every measure and period, worked out once, with their warnings."""

    def __init__(
        self, plan: Plan, actuals: Actuals, allocated: dict[str, set[str]] | None = None
    ) -> None:
        self.plan = plan
        self.actuals = actuals
        self.allocated = allocated  # measure id -> ids of the regions given a share of it
        self._figures: dict[tuple[str, int], dict[int, CityFigure]] = {}
        self._problems: dict[tuple[str, int], list[Problem]] = {}

    def city(self, measure_id: str, year: int, months: int) -> CityFigure | None:
        """The city's figure for a period, or None when the file has no row for it."""
        return self._year(measure_id, year).get(months)

    def problems(self, years: Iterable[int]) -> list[Problem]:
        """The warnings of every measure in those years, in the order of the file's lines."""
        found = [
            problem
            for measure_id in self.actuals.values
            for year in years
            for problem in self._year_problems(measure_id, year)
        ]
        return sorted(found, key=lambda p: (p.line or 0, p.code.value))

    # ------------------------------------------------------------ regions

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for region in self.plan.regions:  # a zone inside a district is not added to it
            if region.parent is not None and region.counts_in_total:
                children.setdefault(region.parent, []).append(region.id)
        return children

    @cached_property
    def _top_level(self) -> list[str] | None:
        """The declared regions the city total adds up; None when regions are free text."""
        if not self.plan.regions:
            return None
        return [r.id for r in self.plan.regions if r.parent is None and r.counts_in_total]

    def name(self, region: str | int) -> str:
        """A region as shown: its declared name, or a free-text region as written."""
        if isinstance(region, int):
            return self._free_names[region]
        declared = self.plan.region(region)
        return declared.name if declared else region

    @property
    def _free_names(self) -> list[str]:
        """Free-text regions by number (made again only when the file named more)."""
        numbers = self.actuals.region_numbers
        names = self.__dict__.get("_names")
        if names is None or len(names) != len(numbers):
            names = self.__dict__["_names"] = list(numbers)
        return names

    def _present(self, reported: Reported) -> tuple[dict[str | int, int], Decimal]:
        """The top-level in-total regions with a value for the period -> the line it rests on
        (its own row, or its towns' first), and the sum of their values. Free-text regions
        are all top-level, known by number (a million towns cost no names)."""
        top = self._top_level
        if top is None:
            found: dict[str | int, int] = {i: line for i, line in enumerate(reported.lines) if line}
            return found, reported.regional_sum
        rows = reported.region_values()
        values = {r: v for r in top if (v := self._value_of(r, rows)) is not None}
        total = sum((value for value, _ in values.values()), Decimal(0))
        return {r: line for r, (_, line) in values.items()}, total

    def summed_rows(self, reported: Reported) -> list[tuple[str, Decimal | None, int]]:
        """The rows a regional sum adds, as (region shown, value, line): each top-level
        region's own row, or its towns' rows. Free-text regions keep no values (their
        sum only): None."""
        top = self._top_level
        if top is None:
            return [(self.name(i), None, line) for i, line in enumerate(reported.lines) if line]
        rows = reported.region_values()
        found: list[tuple[str, Decimal | None, int]] = []

        def add(region: str) -> None:
            own = rows.get(region)
            if own is not None:
                found.append((self.name(region), own[0], own[1]))
                return
            for child in self._children.get(region, ()):
                add(child)

        for region in top:
            add(region)
        return found

    def region_value(self, region: str, reported: Reported) -> tuple[Decimal, int] | None:
        """A declared region's value for a period (its own row, or its towns' sum), and the
        line it rests on."""
        if reported.numbers is None:
            return None
        return self._value_of(region, reported.region_values())

    def _value_of(
        self, region: str, rows: dict[str, tuple[Decimal, int]]
    ) -> tuple[Decimal, int] | None:
        """A region's value: its own row, or the sum of its child regions' values."""
        own = rows.get(region)
        if own is not None:
            return own
        parts = [
            part
            for child in self._children.get(region, ())
            if (part := self._value_of(child, rows)) is not None
        ]
        if not parts:
            return None
        return sum((value for value, _ in parts), Decimal(0)), min(line for _, line in parts)

    def _expected_of(self, measure_id: str) -> set[str | int] | None:
        """The regions given a share of the measure, as the roll-up keys them; None: no
        allocations (those that reported earlier in the year are expected)."""
        if self.allocated is None:
            return None
        allocated = self.allocated.get(measure_id, set())
        if self._top_level is not None:
            return {r for r in self._top_level if r in allocated}
        numbers = self.actuals.region_numbers
        return {numbers.get(name, name) for name in allocated}

    # ------------------------------------------------------------ a measure's year

    def _year_problems(self, measure_id: str, year: int) -> list[Problem]:
        self._year(measure_id, year)
        return self._problems.get((measure_id, year), [])

    def _year(self, measure_id: str, year: int) -> dict[int, CityFigure]:
        key = (measure_id, year)
        figures = self._figures.get(key)
        if figures is None:
            figures = self._figures[key] = self._work_out(measure_id, year)
        return figures

    def _work_out(self, measure_id: str, year: int) -> dict[int, CityFigure]:
        periods: dict[PeriodKey, Reported] = self.actuals.values.get(measure_id, {})
        summed = self.plan.kind_of(measure_id) is not Kind.RATE
        allocated = self._expected_of(measure_id)
        figures: dict[int, CityFigure] = {}
        problems: list[Problem] = []
        seen: set[str | int] = set()  # regions that reported an earlier period of the year
        months_done: list[int] = []
        for months in sorted(m for (y, m) in periods if y == year):
            reported = periods[year, months]
            period = reported.period
            present, total = self._present(reported) if summed else ({}, Decimal(0))
            expected = allocated if allocated is not None else seen | present.keys()
            missing = sorted(expected - present.keys(), key=self._order)
            coverage = Coverage(
                len(expected) - len(missing),
                len(expected),
                tuple(self.name(r) for r in missing),
                period,
            )
            if reported.city is not None:
                figures[months] = CityFigure(
                    Observation(reported.city, period, Basis.REPORTED), None
                )
                if present and not missing and self._contradicts(reported.city, total):
                    problems.append(
                        self._mismatch(measure_id, reported, reported.city, total, len(present))
                    )
            elif present:
                observation = (
                    Observation(total, period, Basis.REGIONAL_SUM) if not missing else None
                )
                figures[months] = CityFigure(observation, coverage)
                for region in missing:
                    last = self._last_report(region, periods, year, months_done)
                    problems.append(self._incomplete(measure_id, period, region, last, reported))
            seen.update(present)
            months_done.append(months)
        self._problems[measure_id, year] = problems
        return figures

    def _order(self, region: str | int) -> tuple[int, str]:
        """Declared regions in the plan's order; free-text ones as the file met them."""
        if isinstance(region, int):
            return region, ""
        top = self._top_level or []
        return (top.index(region) if region in top else len(top)), str(region)

    def _last_report(
        self, region: str | int, periods: dict[PeriodKey, Reported], year: int, months: list[int]
    ) -> tuple[Period, int] | None:
        """The latest earlier period of the year the region reported, and the line."""
        for earlier in reversed(months):
            reported = periods[year, earlier]
            if isinstance(region, int):
                lines = reported.lines
                line = lines[region] if region < len(lines) else 0
            else:
                found = self.region_value(region, reported)
                line = found[1] if found else 0
            if line:
                return reported.period, line
        return None

    @staticmethod
    def _contradicts(city: Decimal, total: Decimal) -> bool:
        return abs(total - city) > MISMATCH_SHARE * abs(city)

    def _incomplete(
        self,
        measure_id: str,
        period: Period,
        region: str | int,
        last: tuple[Period, int] | None,
        reported: Reported,
    ) -> Problem:
        name = self.name(region)
        if last is None:
            line = min(line for line in reported.lines if line) if reported.regional_count else None
            message = _(
                "{measure} {period}: {region} has not reported (no row this year); "
                "the regions are not added up for {period}"
            ).format(measure=measure_id, period=period.code, region=name)
        else:
            line = last[1]
            message = _(
                "{measure} {period}: {region} has not reported (last: {last}); "
                "the regions are not added up for {period}"
            ).format(measure=measure_id, period=period.code, region=name, last=last[0].code)
        return self._problem(Code.INCOMPLETE_REGIONS, message, line)

    def _mismatch(
        self, measure_id: str, reported: Reported, city: Decimal, total: Decimal, count: int
    ) -> Problem:
        message = _(
            "{measure} {period}: the whole-city row gives {city}, the {count} regions add up "
            "to {total}; the city row stands"
        ).format(
            measure=measure_id,
            period=reported.period.code,
            city=plain(city),
            count=count,
            total=plain(total),
        )
        return self._problem(Code.REGIONAL_SUM_MISMATCH, message, reported.city_line)

    def _problem(self, code: Code, message: str, line: int | None) -> Problem:
        return Problem(code, self.actuals.path, message, line=line, sheet=self.actuals.sheet)

"""What an actuals file reports per measure and period: what the loader fills and progress reads.

Values are year-to-date, so a period is keyed by its year and the months it covers. For
each (measure, period) we keep the whole-city value and the value and line of each region's
row (the line tells a duplicate): a million rows fit.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from .periods import Period, parse_period
from .problems import Problem, Severity

# The actuals format: one value per row, in these columns.
REQUIRED_COLUMNS = ("target", "period", "value")
OPTIONAL_COLUMNS = ("region", "note", "source")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The headers Chinese statistics staff write, per column.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "target": ("指标", "目标", "指标名称"),
    "period": ("期间", "时期", "统计期", "月份"),
    "value": ("数值", "完成值", "实际值"),
    "region": ("地区", "区域", "县区"),
    "note": ("备注",),
    "source": ("来源",),
}
CITY = ""  # the region of a whole-city row
PeriodKey = tuple[int, int]  # (year, months covered from January)


@dataclass(slots=True)
class Reported:
    """What the file reports for one measure in one period."""

    label: str  # the period's code as first given in the file, e.g. "2020-Q2"
    # Region -> its number, in the order the file names them: one for the whole file.
    # A region is its id where the plan declares regions, else its name as written.
    region_numbers: dict[str, int] = field(default_factory=dict, repr=False)
    city: Decimal | None = None
    city_line: int = 0  # 0: no whole-city row
    lines: array[int] = field(default_factory=lambda: array("I"), repr=False)  # by region number
    regional_sum: Decimal = Decimal(0)  # of every region's row, whatever lies inside what
    # Each region's value, by number: kept where the plan declares its regions (a bounded
    # number of them); free-text regions (a million towns) keep their sum only.
    numbers: list[Decimal | None] | None = field(default=None, repr=False)

    @property
    def period(self) -> Period:
        parsed = parse_period(self.label)
        assert parsed is not None  # labels are stored only after parsing
        return parsed

    @property
    def regional_count(self) -> int:
        """How many regions have a row."""
        return len(self.lines) - self.lines.count(0)

    @property
    def regions(self) -> dict[str, int]:
        """Region -> line of its row ("" for the whole city), in the order regions were met."""
        names = list(self.region_numbers)
        found = {names[i]: line for i, line in enumerate(self.lines) if line}
        return {CITY: self.city_line, **found} if self.city_line else found

    def region_values(self) -> dict[str, tuple[Decimal, int]]:
        """Region -> (its value, the line of its row), in the order regions were met."""
        names = list(self.region_numbers)
        numbers = self.numbers or []
        return {
            names[i]: (number, self.lines[i])
            for i, number in enumerate(numbers)
            if number is not None
        }

    def add(self, region: str, value: Decimal, line: int) -> int:
        """Take a row's value (`region` "" for the whole city); when the region already has a
        row, take nothing and give that row's line."""
        if not region:
            if self.city_line:
                return self.city_line
            self.city, self.city_line = value, line
            return 0
        number = self.region_numbers.get(region)
        if number is None:
            number = self.region_numbers[region] = len(self.region_numbers)
        lines = self.lines
        if number >= len(lines):
            # Grown by half at least, so that regions met one by one cost few copies.
            size = max(number + 1, len(lines) * 3 // 2)
            lines.frombytes(bytes(lines.itemsize * (size - len(lines))))
        elif lines[number]:
            return lines[number]
        lines[number] = line
        self.regional_sum += value
        numbers = self.numbers
        if numbers is not None:
            if number >= len(numbers):
                numbers.extend([None] * (len(lines) - len(numbers)))
            numbers[number] = value
        return 0


@dataclass
class Actuals:
    """Everything read from one actuals file."""

    path: str
    rows: int = 0
    values: dict[str, dict[PeriodKey, Reported]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0  # all problems found; `problems` keeps the first max_problems
    warning_count: int = 0  # of those, the warnings (extra-column, header-only, ytd-decrease…)
    max_problems: int | None = None
    encoding: str | None = "utf-8"
    sheet: str | None = None
    # Region -> its number, in the order the file names them: shared by every Reported.
    region_numbers: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def full(self) -> bool:
        """Whether problems found from now on are only counted, not kept."""
        return self.max_problems is not None and len(self.problems) >= self.max_problems

    @property
    def error_count(self) -> int:
        return self.problem_count - self.warning_count

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if problem.severity is Severity.WARNING:
            self.warning_count += 1
        if self.max_problems is None or len(self.problems) < self.max_problems:
            self.problems.append(problem)

    def reported(self, measure_id: str, year: int, months: int) -> Reported | None:
        return self.values.get(measure_id, {}).get((year, months))

    def latest_period(self, year: int) -> Period | None:
        """The latest period of `year` with any row, which is `as_of` by default."""
        months = [m for periods in self.values.values() for (y, m) in periods if y == year]
        if not months:
            return None
        latest = max(months)
        return Period(year, latest, f"{year}-{latest:02d}")


@dataclass
class Allocations:
    """Each region's share of each target, as read from one file."""

    path: str
    # target id -> region (id, or the name as written in a plan without regions) -> share
    values: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # where each was given
    problems: list[Problem] = field(default_factory=list)
    layout: str = "long"
    encoding: str | None = None
    sheet: str | None = None
    rows: int = 0

    def regions_of(self) -> dict[str, set[str]]:
        """Target id -> the regions given a share of it (what the roll-up expects)."""
        return {target: set(shares) for target, shares in self.values.items()}

    def share_of(self, target_id: str, region: str) -> Decimal | None:
        return self.values.get(target_id, {}).get(region)


# ---------------------------------------------------------------- key tasks


class TaskStatus(str, Enum):
    """How a key task stands, as a tasks progress file reports it (no_report: no row)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"
    BLOCKED = "blocked"
    NO_REPORT = "no_report"

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One row of a tasks progress file: a task's standing at a period."""

    task_id: str
    period: Period
    status: TaskStatus
    line: int
    progress: Decimal | None = None  # 0-100
    note: str = ""  # 进展情况
    evidence: str = ""  # 佐证材料
    owner: str = ""  # 责任人


@dataclass
class TaskReports:
    """What a tasks progress file reports, and its problems."""

    path: str
    rows: list[TaskRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None

    @property
    def error_count(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warning_count(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)

    def latest_period(self) -> Period | None:
        return max((row.period for row in self.rows), key=lambda p: p.months, default=None)

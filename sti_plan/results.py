"""What the figures come to: assessments, gap analyses and validation reports, as data.

progress.py and validation.py fill them; the render layer shows them. Every figure is
kept at full Decimal precision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from .model import Plan, Region, Target, Task
from .observations import TaskRow, TaskStatus
from .periods import Period
from .problems import Problem, Severity

HUNDRED = Decimal(100)


class Status(str, Enum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MISSED = "missed"
    NO_DATA = "no_data"


class Basis(str, Enum):
    """Where an actual comes from."""

    REPORTED = "reported"  # a whole-city row
    REGIONAL_SUM = "regional_sum"  # the sum of regional rows (cumulative and stock only)
    DERIVED = "derived"  # computed by the plan's derivation (ratio or growth)


@dataclass(frozen=True)
class Observation:
    value: Decimal
    period: Period
    basis: Basis


@dataclass(frozen=True)
class Coverage:
    """Which regions a regional sum rests on, for the latest period that has regional rows."""

    reported: int  # of the expected regions, how many have a row (or their towns have)
    expected: int
    missing: tuple[str, ...]  # the names of those that have not reported
    period: Period


# A field of a result kept for the computations and `explain`, not part of its records.
INTERNAL = {"internal": True}


@dataclass(frozen=True)
class PaceShare:
    """序时进度 at a period: the share of the year's target (cumulative) or of its change
    (a stock paced from its baseline) due by the end of the period."""

    profile: str  # the profile applied: linear, milestones or last_year
    declared: str  # the profile the plan declares (last_year that fell back: linear above)
    note: str | None  # why the declared profile was not applied, or what it rests on
    fraction: Fraction = field(metadata=INTERNAL)
    # milestones: the milestones the period lies between (months, percent), or the one at it
    between: tuple[tuple[int, Decimal], ...] = field(default=(), metadata=INTERNAL)
    # last_year: last year's value by the same month, at the year end, and (a stock's) the
    # level at the end of the year before, that the share is worked out from
    previous: tuple[Decimal, Decimal, Decimal | None] | None = field(
        default=None, metadata=INTERNAL
    )

    @property
    def percent(self) -> Decimal:
        return HUNDRED * self.fraction.numerator / self.fraction.denominator

    def of(self, amount: Decimal) -> Decimal:
        """The share of an amount due: amount × fraction, in one exact step."""
        return amount * self.fraction.numerator / self.fraction.denominator


@dataclass(frozen=True)
class Projection:
    """Where a cumulative or stock target will end the year: at the pace so far (run_rate)
    and by last year's shares of the year by the same month (seasonal)."""

    run_rate: Decimal
    seasonal: Decimal | None  # None: no usable share of last year's by the same month
    low: Decimal
    high: Decimal
    meets_target: bool  # the worse end of the range meets the target


@dataclass(frozen=True)
class CompoundGrowth:
    """A target of a plan over several years held to a constant annual rate: the rate it
    needs from its base, the one observed since, and the one against the other."""

    required_rate: Decimal  # % a year from the base to reach the target in the last year
    observed_rate: Decimal | None  # % a year from the base to the actual
    ratio: Decimal | None  # observed / required: 0.95 or more on track, 0.6 or more at risk


@dataclass(frozen=True)
class Assessment:
    """One target's standing at its latest reported period."""

    target: Target
    status: Status
    actual: Observation | None = None
    baseline: Decimal | None = None
    expected: Decimal | None = None
    percent_of_target: Decimal | None = None
    gap: Decimal | None = None
    to_meet: Decimal | None = None  # the smallest amount that meets it; None: it is met
    progress_percent: Decimal | None = None  # 完成率: of what the year must deliver
    pace_percent: Decimal | None = None  # 序时进度: the share of the year elapsed
    vs_pace_pp: Decimal | None = None  # 超/低于序时进度, in percentage points
    growth: Decimal | None = None  # 同比, % on the same period of the previous year
    regions: Coverage | None = None  # what a regional sum rests on; None: not a sum
    note: str | None = None  # why there is no figure where one might be expected
    stale: bool = False  # its latest period is earlier than the as-of period
    pace: PaceShare | None = None  # the 序时进度 profile applied (none for rates)
    projection: Projection | None = None  # the year-end range (cumulative and stock)
    compound: CompoundGrowth | None = None  # a plan over several years: a compound path
    # What the table's Progress shows: 完成率, else (a rate) its level against the target.
    completion: Decimal | None = None

    @property
    def shortfall_vs_expected(self) -> Decimal | None:
        """How far behind the expected-by-now value, in % of it (negative = ahead)."""
        if self.actual is None or self.expected is None or self.expected == 0:
            return None
        behind = self.expected - self.actual.value
        if not self.target.comparison.higher_is_better:
            behind = -behind
        return behind * HUNDRED / abs(self.expected)


@dataclass(frozen=True)
class Report:
    plan: Plan
    as_of: Period | None
    assessments: list[Assessment]
    # Of the inputs: the actuals' problems kept, then the roll-up's warnings.
    problems: list[Problem] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def counts(self) -> dict[Status, int]:
        """Targets by status, the stale ones left out (`stale_counts` has them)."""
        return _by_status(a for a in self.assessments if not a.stale)

    def stale_counts(self) -> dict[Status, int]:
        """The stale targets (not reported since an earlier period) by status."""
        return _by_status(a for a in self.assessments if a.stale)


def _by_status(assessments: Iterable[Assessment]) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for assessment in assessments:
        counts[assessment.status] += 1
    return counts


@dataclass(frozen=True)
class RegionStanding:
    """One region's figures for one target, against its share (任务分解) as its target."""

    region: str  # the declared Chinese name (free-text regions: as written)
    region_id: str | None
    kind: str | None
    in_total: bool
    target: Decimal | None  # its share; None: no share, no target-based figures
    actual: Decimal | None  # None: not reported for the bulletin's period
    period: Period | None
    baseline: Decimal | None
    expected: Decimal | None
    percent_of_target: Decimal | None
    progress_percent: Decimal | None
    pace_percent: Decimal | None
    vs_pace_pp: Decimal | None
    growth: Decimal | None
    gap: Decimal | None
    status: Status | None  # None: no share to be assessed against; no_data: share, no row
    rank: int | None


@dataclass(frozen=True)
class Bulletin:
    """The ranking bulletin (通报) of one target: a row per region, then the city."""

    plan: Plan
    as_of: Period | None
    target: Target
    period: Period | None  # the period the regions' figures are of
    by: str  # what ranks them: progress, actual, growth or pace
    regions: list[RegionStanding]
    city: Assessment
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class RegionMatrix:
    """Every target's bulletin: regions x targets, the whole 通报 on one screen."""

    plan: Plan
    as_of: Period | None
    bulletins: list[Bulletin]
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class RegionTarget:
    """One target as one region stands on it; `rank_of`: how many its rank is among."""

    target: Target
    standing: RegionStanding
    rank_of: int | None


@dataclass(frozen=True)
class RegionReport:
    """One region's status: every target against the region's share of it."""

    plan: Plan
    as_of: Period | None
    region: Region
    targets: list[RegionTarget]
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[Status, int]:
        """Targets by status, those with a share (`no_share` counts the others)."""
        counts = dict.fromkeys(Status, 0)
        for row in self.targets:
            if row.standing.status is not None:
                counts[row.standing.status] += 1
        return counts

    @property
    def no_share(self) -> int:
        return sum(1 for row in self.targets if row.standing.target is None)


@dataclass(frozen=True)
class TrendPoint:
    """One reported period of the plan year: the year-to-date value, what it added since the
    period before, and how it stood then."""

    period: Period
    value: Decimal
    increment: Decimal | None  # 当月: since the period before (or the year start)
    expected: Decimal | None
    progress_percent: Decimal | None
    pace_percent: Decimal | None
    growth: Decimal | None  # 同比
    previous: Decimal | None  # the same period of the previous year
    increment_months: int | None  # the months the increment covers: 1 for a month's own
    vs_pace_pp: Decimal | None
    status: Status | None  # None: a region without a share
    # What the table's Progress shows: 完成率, else (a rate) its level against the target.
    completion: Decimal | None = field(default=None, metadata=INTERNAL)


@dataclass(frozen=True)
class Trend:
    """One target (the city's, or one region's) through the plan year, period by period."""

    plan: Plan
    as_of: Period | None
    target: Target
    region: Region | None
    share: Decimal | None  # the region's share of the target; None: the city, or no share
    points: list[TrendPoint]
    projection: Projection | None  # from the latest point
    pace: PaceShare | None  # the profile at the latest point
    problems: list[Problem] = field(default_factory=list)
    # 序时进度 month by month: the value due by the end of each month of the year (the
    # city's, by the target's profile; a rate's: the target), for charts.
    path: list[tuple[int, Decimal]] = field(default_factory=list, metadata=INTERNAL)


@dataclass(frozen=True)
class FullReport:
    """What `report` puts in one document: the status, each target's year, the regions'
    bulletins where regions reported, the key tasks where a tasks file is given."""

    status: Report
    trends: list[Trend]  # one per target, in the plan's order
    bulletins: list[Bulletin]  # targets with regional rows, each ranked its default way
    tasks: TaskReport | None
    inputs: list[str]  # the files read: actuals, allocations, tasks
    generated: str  # when the report was made, as it is shown (2026-12-07)
    # Every input row a target's figures rest on, with the target: the workbook's 明细.
    rows: list[tuple[Target, Input]] = field(default_factory=list)


@dataclass(frozen=True)
class RatioNeed:
    """For a ratio target: the numerator that reaches the target at the reported denominator."""

    numerator: str
    denominator: str
    denominator_value: Decimal
    numerator_current: Decimal
    numerator_needed: Decimal


@dataclass(frozen=True)
class GrowthNeed:
    """For a growth target: the value of the grown measure that reaches the target."""

    of: str
    base_period: Period
    base_value: Decimal
    current_value: Decimal | None
    needed_value: Decimal
    year_end_base: Decimal | None
    year_end_needed: Decimal | None


@dataclass(frozen=True)
class GapAnalysis:
    """One target in depth: what remains and what it would take."""

    assessment: Assessment
    as_of: Period | None = None
    months_elapsed: int | None = None
    months_remaining: int | None = None
    remaining: Decimal | None = None
    pace_so_far: Decimal | None = None
    pace_needed: Decimal | None = None
    projected_year_end: Decimal | None = None
    ratio: RatioNeed | None = None
    growth_need: GrowthNeed | None = None
    problems: list[Problem] = field(default_factory=list)  # of the inputs, warnings too


@dataclass(frozen=True)
class FileReport:
    """One file checked: what it is, how it was read, and its problems."""

    path: str
    kind: str  # "plan", "actuals", "allocations" or "tasks"
    rows: int | None  # data rows read (actuals)
    encoding: str | None  # text files
    sheet: str | None  # workbooks
    error_count: int  # all found, of each severity
    warning_count: int
    problems: list[Problem]  # the first max_problems

    @classmethod
    def of(
        cls,
        path: str,
        kind: str,
        rows: int | None,
        encoding: str | None,
        sheet: str | None,
        problems: list[Problem],
        max_problems: int | None = None,
    ) -> FileReport:
        """A file's report from all its problems, keeping the first max_problems."""
        warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
        kept = problems[:max_problems] if max_problems else problems
        return cls(path, kind, rows, encoding, sheet, len(problems) - warnings, warnings, kept)

    @property
    def valid(self) -> bool:
        return self.error_count == 0

    @property
    def problem_count(self) -> int:
        return self.error_count + self.warning_count


@dataclass
class ValidationReport:
    files: list[FileReport]
    unreadable: list[str] = field(default_factory=list)  # why, one line per file
    skipped: list[str] = field(default_factory=list)  # actuals not checked, and why

    @property
    def problems(self) -> list[Problem]:
        return [problem for report in self.files for problem in report.problems]

    @property
    def problem_count(self) -> int:
        return sum(report.problem_count for report in self.files)

    @property
    def warning_count(self) -> int:
        return sum(report.warning_count for report in self.files)

    @property
    def error_count(self) -> int:
        return self.problem_count - self.warning_count

    @property
    def valid(self) -> bool:
        """No errors: warnings leave a file valid (--strict counts them too)."""
        return self.error_count == 0


# ---------------------------------------------------------------- explain

Term = str | Decimal  # a formula's text, and the numbers put into it


class Input(NamedTuple):  # NamedTuples: cheaper to define at start-up than dataclasses
    """A row a figure rests on."""

    file: str
    line: int
    sheet: str | None
    region: str | None  # None: the whole city's row
    period: str  # as the file labels it
    value: Decimal | None  # None: free-text regions keep their sum only
    measure: str | None = None  # the measure the row reports (an operand's, for a derived one)


class Figure(NamedTuple):
    """One figure of a target, how it is worked out, and the rows it rests on."""

    value: Decimal | str | None  # the status figure is its code
    terms: tuple[Term, ...]  # the formula with its numbers put in: 785, " + (", 900, …
    note: str | None = None  # what the formula means, where it needs saying
    inputs: tuple[Input, ...] = ()


@dataclass(frozen=True)
class Explanation:
    plan: Plan
    as_of: Period | None
    assessment: Assessment
    figures: dict[str, Figure | None]  # EXPLAINED, in order: None where it does not apply
    problems: list[Problem] = field(default_factory=list)


EXPLAINED = (
    "actual",
    "baseline",
    "expected",
    "percent_of_target",
    "progress_percent",
    "pace_percent",
    "vs_pace_pp",
    "gap",
    "to_meet",
    "growth",
    "status",
)


# ---------------------------------------------------------------- key tasks


@dataclass(frozen=True)
class MilestoneStanding:
    """A milestone of a task: what is due by its period, the progress that implies (the
    k-th of the task's m stages: 100 x k / m %), whether its period has passed and whether
    it is overdue (None: no progress reported to tell)."""

    code: str
    period: Period
    what: str
    implied: Decimal
    passed: bool
    overdue: bool | None


@dataclass(frozen=True)
class TaskStanding:
    """A key task as of a period: its latest row not after it (None: no report)."""

    task: Task
    status: TaskStatus
    row: TaskRow | None
    overdue: bool
    milestones: list[MilestoneStanding]
    targets: list[tuple[Target, Status]]


@dataclass
class TaskReport:
    plan: Plan
    as_of: Period | None
    tasks: list[TaskStanding]
    problems: list[Problem] = field(default_factory=list)
    path: str | None = None

    def counts(self, standings: Iterable[TaskStanding] | None = None) -> dict[TaskStatus, int]:
        counts = dict.fromkeys(TaskStatus, 0)
        for standing in self.tasks if standings is None else standings:
            counts[standing.status] += 1
        return counts

    def overdue_count(self) -> int:
        return sum(s.overdue for s in self.tasks)

"""Key tasks as of a period: each task's standing, whether it is overdue, its milestones,
and the statuses of the targets it serves (pure: no I/O)."""

from __future__ import annotations

from decimal import Decimal

from .i18n import _
from .model import Plan, Task
from .observations import TaskReports, TaskRow, TaskStatus
from .periods import MONTHS_IN_YEAR, Period
from .problems import Code, Problem
from .results import MilestoneStanding, Report, Status, TaskReport, TaskStanding

DISAGREEING = (Status.OFF_TRACK, Status.MISSED)


def reached(as_of: Period | None, period: Period) -> bool:
    """Whether `period` has passed as of `as_of`: its last month is reached."""
    if as_of is None:
        return False
    return (as_of.year, as_of.months) >= (period.year, period.months)


def assess_tasks(
    plan: Plan,
    reports: TaskReports | None,
    as_of: Period | None = None,
    targets: Report | None = None,
) -> TaskReport:
    """Every key task as of `as_of` (default: the latest period of the tasks file): its
    latest row not after it, overdue when its due period has passed and it is not done.
    `targets`: the assessment whose statuses the tasks' linked targets show (none: no data)."""
    rows = reports.rows if reports is not None else []
    if as_of is None and reports is not None:
        as_of = reports.latest_period()
    statuses = {a.target.id: a.status for a in targets.assessments} if targets else {}
    standings = []
    problems: list[Problem] = []
    for task in plan.tasks:
        row = _latest(task, rows, as_of)
        status = row.status if row is not None else TaskStatus.NO_REPORT
        done = status is TaskStatus.DONE
        due = task.due_period
        linked = [
            (target, statuses.get(target.id, Status.NO_DATA))
            for target in (plan.target(i) for i in task.targets)
            if target is not None
        ]
        standing = TaskStanding(
            task=task,
            status=status,
            row=row,
            overdue=due is not None and reached(as_of, due) and not done,
            milestones=_milestones(task, row, status, as_of, plan.year),
            targets=linked,
        )
        standings.append(standing)
        if done and row is not None and reports is not None:
            for target, target_status in linked:
                if target_status in DISAGREEING:
                    message = _(
                        "task {number} is reported done, but the target it serves, {target}, "
                        "is {status}"
                    ).format(number=task.number, target=target.id, status=target_status.value)
                    problems.append(
                        Problem(
                            Code.TASK_TARGET_DISAGREE,
                            reports.path,
                            message,
                            line=row.line,
                            sheet=reports.sheet,
                        )
                    )
    path = reports.path if reports is not None else None
    return TaskReport(plan, as_of, standings, problems, path)


def _latest(task: Task, rows: list[TaskRow], as_of: Period | None) -> TaskRow | None:
    """The task's row of the latest period not after `as_of` (of two, the later line)."""
    mine = [r for r in rows if r.task_id == task.id and (as_of is None or reached(as_of, r.period))]
    return max(mine, key=lambda r: (r.period.months, r.line), default=None)


def _milestones(
    task: Task, row: TaskRow | None, status: TaskStatus, as_of: Period | None, year: int
) -> list[MilestoneStanding]:
    """The task's stages are its milestones and, after the last, its completion at its due
    period (or the year end): the k-th milestone of m stages implies 100 x k / m %. A
    milestone at the due period (or the year end) is the completion itself."""
    milestones = task.milestone_periods()
    if not milestones:
        return []
    end = task.due_period
    end_months = end.months if end is not None else MONTHS_IN_YEAR
    last = milestones[-1][1]
    stages = len(milestones) + (0 if last.year == year and last.months >= end_months else 1)
    shown = []
    for k, (code, period, what) in enumerate(milestones, 1):
        implied = Decimal(100) * k / stages
        passed = reached(as_of, period)
        overdue: bool | None
        if not passed or status is TaskStatus.DONE:
            overdue = False
        elif status in (TaskStatus.NO_REPORT, TaskStatus.NOT_STARTED):
            overdue = True
        elif row is None or row.progress is None:
            overdue = None
        else:
            overdue = row.progress < implied
        shown.append(MilestoneStanding(code, period, what, implied, passed, overdue))
    return shown

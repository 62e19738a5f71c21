"""What `report` puts in the document a bureau passes on: the status of every target, each
target's year period by period with its pace line, the regions' bulletins where regions
reported, and the key tasks where a tasks file is given. Pure: the figures are those of
status, trend, regions and tasks.
"""

from __future__ import annotations

from dataclasses import replace

from .bulletin import bulletins as regions_bulletins
from .explain import explain
from .model import Plan
from .observations import Actuals, Allocations, TaskReports
from .periods import Period
from .progress import assess, figures_for
from .results import Bulletin, Explanation, FullReport, Input, TaskReport
from .tasks import assess_tasks
from .trend import trend


def full_report(
    plan: Plan,
    actuals: Actuals,
    as_of: Period | None = None,
    allocations: Allocations | None = None,
    tasks: TaskReports | None = None,
    *,
    inputs: list[str],
    generated: str,
    regions: Actuals | None = None,
) -> FullReport:
    """Every part of the report as of `as_of` (default: the latest period of the plan year
    in the actuals); `inputs`: the files it rests on; `generated`: when it is made;
    `regions`: another file's regional rows for the bulletins (default: the actuals')."""
    figures = figures_for(plan, actuals, allocations)  # one roll-up for every part
    status = assess(plan, figures, as_of, allocations)
    as_of = status.as_of
    trends = [trend(plan, figures, target, as_of, allocations) for target in plan.targets]
    bulletins: list[Bulletin] = []
    if plan.regions:
        matrix = regions_bulletins(plan, regions or figures, as_of, allocations)
        bulletins = [b for b in matrix.bulletins if any(r.actual is not None for r in b.regions)]
        if regions is not None:  # that file's problems and warnings too, each once
            seen = set(map(id, status.problems))
            more = [p for p in matrix.problems if id(p) not in seen]
            status = replace(status, problems=[*status.problems, *more])
    standing: TaskReport | None = None
    if tasks is not None:  # the file's own problems, then those of the standing
        assessed = assess_tasks(plan, tasks, as_of, status)
        standing = replace(assessed, problems=[*tasks.problems, *assessed.problems])
    rows = [
        (target, row)
        for target in plan.targets
        for row in _rows_of(explain(plan, figures, target, as_of, allocations))
    ]
    return FullReport(status, trends, bulletins, standing, inputs, generated, rows)


def _rows_of(explanation: Explanation) -> list[Input]:
    """The input rows of every figure of a target, each once, in the order first cited."""
    seen: dict[tuple[str, int, str | None], Input] = {}
    for figure in explanation.figures.values():
        for row in figure.inputs if figure is not None else ():
            seen.setdefault((row.file, row.line, row.region), row)
    return list(seen.values())

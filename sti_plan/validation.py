"""Validate plan and actuals files together, as CI does: every problem, every file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from .actuals import load_actuals
from .allocations import is_allocations_table, load_allocations
from .i18n import _
from .model import Plan
from .observations import Actuals
from .plan_file import (
    PLAN_SUFFIXES,
    bundled_plan_path,
    is_folder,
    load_plan,
    plan_files,
    plan_of_year,
    same_year_plans,
)
from .problems import Code, Problem, Severity, StiPlanError
from .results import FileReport, ValidationReport
from .rollup import Rollup
from .sources import STDIN, TEXT_SUFFIXES, WORKBOOK_SUFFIXES
from .task_file import is_tasks_table, load_tasks

ACTUALS_SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES


def file_kind(path: Path, sheet: str | None = None) -> str:
    """plan, actuals, allocations or tasks: by the name's ending, then by a table's header
    (a tasks file's names a status column)."""
    suffix = path.suffix.lower()
    if suffix in PLAN_SUFFIXES:
        return "plan"
    if suffix in ACTUALS_SUFFIXES:
        if str(path) != STDIN and is_tasks_table(path, sheet):
            return "tasks"
        if str(path) != STDIN and is_allocations_table(path, sheet):
            return "allocations"
        return "actuals"
    raise StiPlanError(
        _(
            "{path}: cannot tell what this file is; plans end in .yaml or .yml, "
            "actuals in .csv, .tsv, .txt or .xlsx"
        ).format(path=path)
    )


def validate_files(
    paths: Sequence[Path],
    plan_path: Path | None = None,
    *,
    sheet: str | None = None,
    max_problems: int | None = None,
    allocations_path: Path | None = None,
    percent_cells: bool = False,
) -> ValidationReport:
    """Check plan files, then allocations, then actuals files against the plan.

    The plan that the others are checked against is the one given among `paths`,
    else `plan_path`, else the bundled plan. With no paths the plan itself is checked.
    A table file is an allocations file when its header names a target column and no
    period column. The allocations are `allocations_path`, else those among `paths`, else
    those the plan names. A file that cannot be read is noted and the others are still
    checked.
    """
    report = ValidationReport([])
    kinds = []
    for path in paths:
        try:
            if is_folder(path):  # a folder of plans
                kinds += [(found, "plan") for found in plan_files(path)]
            else:
                kinds.append((path, file_kind(path, sheet)))
        except StiPlanError as exc:
            report.unreadable.append(str(exc))
    plan_paths = [path for path, kind in kinds if kind == "plan"]
    tables = [path for path, kind in kinds if kind in ("actuals", "allocations", "tasks")]
    if not paths:
        plan_paths = _plan_paths(plan_path or bundled_plan_path(), report)
    plans: list[tuple[Path, Plan]] = []
    for path in plan_paths:
        checked = _check_plan(path, report)
        if checked is not None:
            plans.append((path, checked))
    if tables and not plan_paths:
        for path in _plan_paths(plan_path or bundled_plan_path(), report):
            checked = _check_plan(path, report, quiet_when_valid=True)
            if checked is not None:
                plans.append((path, checked))
            else:
                plans = []  # a plan with problems: the tables are not checked
                break
    _add_problems(report, same_year_plans(plans))
    broken = any(f.kind == "plan" and not f.valid for f in report.files)
    _check_parts(plans, report)
    # Allocations and tasks files are checked against the latest plan of one year; each
    # actuals file against the plan of the latest plan year it reports.
    plan: Plan | None = None
    used_plan = plan_path or bundled_plan_path()
    if plans and not broken:
        used_plan, plan = plan_of_year(plans, None)
    given = [path for path, kind in kinds if kind == "allocations"]
    if allocations_path is not None:
        given = [allocations_path, *given]
    if not given and plan is not None and plan.allocations:
        given = [plan_allocations_path(used_plan, plan.allocations)]
    allocated: dict[str, set[str]] | None = None
    for path in given:
        if plan is None:
            report.skipped.append(_("{path}: not checked, the plan has problems").format(path=path))
            continue
        try:
            allocations = load_allocations(path, plan, sheet=sheet)
        except StiPlanError as exc:
            report.unreadable.append(str(exc))
            continue
        allocated = allocations.regions_of() if allocated is None else allocated
        problems = allocations.problems
        report.files.append(
            FileReport.of(
                str(path),
                "allocations",
                allocations.rows,
                allocations.encoding,
                allocations.sheet,
                problems,
                max_problems,
            )
        )
    for path in (path for path, kind in kinds if kind == "actuals"):
        if plan is None:
            report.skipped.append(_("{path}: not checked, the plan has problems").format(path=path))
            continue
        try:
            own, actuals = _actuals_of(path, plans, plan, sheet, max_problems, percent_cells)
        except StiPlanError as exc:
            report.unreadable.append(str(exc))
            continue
        # What assessing the file would warn of (a region missing, a total contradicted).
        years = range(own.first_year - 1, own.year + 1)
        warnings = Rollup(own, actuals, allocated).problems(years)
        report.files.append(
            FileReport(
                str(path),
                "actuals",
                actuals.rows,
                actuals.encoding,
                actuals.sheet,
                actuals.error_count + sum(p.severity is Severity.ERROR for p in warnings),
                actuals.warning_count + sum(p.severity is Severity.WARNING for p in warnings),
                actuals.problems + warnings,
            )
        )
    for path in (path for path, kind in kinds if kind == "tasks"):
        if plan is None:
            report.skipped.append(_("{path}: not checked, the plan has problems").format(path=path))
            continue
        if plan.years is not None:
            said = _("{path}: not checked, tasks files go with a plan of one year")
            report.skipped.append(said.format(path=path))
            continue
        try:
            tasks = load_tasks(path, plan, sheet=sheet)
        except StiPlanError as exc:
            report.unreadable.append(str(exc))
            continue
        report.files.append(
            FileReport.of(
                str(path),
                "tasks",
                len(tasks.rows),
                tasks.encoding,
                tasks.sheet,
                tasks.problems,
                max_problems,
            )
        )
    return report


def years_reported(actuals: Actuals) -> list[int]:
    """The years an actuals file has rows of, in order."""
    return sorted({year for periods in actuals.values.values() for year, _months in periods})


def _plan_paths(path: Path, report: ValidationReport) -> list[Path]:
    """A plan file, or the plan files of a folder."""
    if not is_folder(path):
        return [path]
    try:
        return plan_files(path)
    except StiPlanError as exc:
        report.unreadable.append(str(exc))
        return []


def _actuals_of(
    path: Path,
    plans: list[tuple[Path, Plan]],
    plan: Plan,
    sheet: str | None,
    max_problems: int | None,
    percent_cells: bool,
) -> tuple[Plan, Actuals]:
    """An actuals file read against the plan of the latest plan year it reports."""

    def read(against: Plan) -> Actuals:
        return load_actuals(
            path, against, sheet=sheet, max_problems=max_problems, percent_cells=percent_cells
        )

    if len(plans) < 2 or str(path) == STDIN:
        return plan, read(plan)
    _path, own, actuals = actuals_for_plans(plans, read)
    return own, actuals


def actuals_for_plans(
    plans: Sequence[tuple[Path, Plan]], read: Callable[[Plan], Actuals]
) -> tuple[Path, Plan, Actuals]:
    """Of several plans, the one of the latest plan year a file reports, and the file read
    against it. A row is known only to a plan that has its target, so the file is read
    against each plan, and the latest year any plan of it finds rows of decides."""
    found: list[tuple[Path, Plan, Actuals]] = []
    latest: int | None = None
    for path, plan in plans:
        actuals = read(plan)
        found.append((path, plan, actuals))
        years = [year for year in years_reported(actuals) if plan.covers(year)]
        if years and (latest is None or max(years) > latest):
            latest = max(years)
    chosen = plan_of_year(plans, latest)[1]
    return next(entry for entry in found if entry[1] is chosen)


def _check_parts(plans: list[tuple[Path, Plan]], report: ValidationReport) -> None:
    """A year's plan that names the plan over several years it is part of: that file must
    be such a plan, valid, and cover the year."""
    checked = {path.resolve() for path, _plan in plans}
    for path, plan in plans:
        if plan.part_of is None:
            continue
        part = part_of_path(path, plan.part_of)
        try:
            over, problems = load_plan(part)
        except StiPlanError as exc:
            said = _("{path}: part_of: {error}").format(path=path, error=exc)
            report.unreadable.append(said)
            continue
        if problems and part.resolve() not in checked:
            report.files.append(FileReport.of(str(part), "plan", None, "utf-8", None, problems))
        if over is not None and (over.years is None or not over.covers(plan.year)):
            message = _(
                "part_of: {part} is not a plan over several years that covers {year}"
            ).format(part=plan.part_of, year=plan.year)
            _add_problems(report, [Problem(Code.SCHEMA, str(path), message)])


def _add_problems(report: ValidationReport, problems: list[Problem]) -> None:
    """Problems of plan files found in checking them together, added to their reports."""
    for problem in problems:
        at = next(
            (i for i, f in enumerate(report.files) if f.kind == "plan" and f.path == problem.path),
            None,
        )
        if at is None:
            report.files.append(FileReport.of(problem.path, "plan", None, "utf-8", None, [problem]))
            continue
        file = report.files[at]
        report.files[at] = FileReport.of(
            file.path, "plan", None, file.encoding, None, [*file.problems, problem]
        )


def part_of_path(plan_path: Path, named: str) -> Path:
    """The plan over several years a plan is part of, relative to the plan file."""
    return plan_path.parent / named


def plan_allocations_path(plan_path: Path, named: str) -> Path:
    """The allocations file a plan names, relative to the plan file."""
    return plan_path.parent / named


def _check_plan(
    path: Path, report: ValidationReport, *, quiet_when_valid: bool = False
) -> Plan | None:
    try:
        plan, problems = load_plan(path)
    except StiPlanError as exc:
        report.unreadable.append(str(exc))
        return None
    if problems or not quiet_when_valid:
        report.files.append(FileReport.of(str(path), "plan", None, "utf-8", None, problems))
    return plan

"""Validate plan and actuals files together, as CI does: every problem, every file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .actuals import load_actuals
from .allocations import is_allocations_table, load_allocations
from .i18n import _
from .model import Plan
from .plan_file import bundled_plan_path, load_plan
from .problems import Severity, StiPlanError
from .results import FileReport, ValidationReport
from .rollup import Rollup
from .sources import STDIN, TEXT_SUFFIXES, WORKBOOK_SUFFIXES
from .task_file import is_tasks_table, load_tasks

PLAN_SUFFIXES = (".yaml", ".yml")
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
            kinds.append((path, file_kind(path, sheet)))
        except StiPlanError as exc:
            report.unreadable.append(str(exc))
    plan_paths = [path for path, kind in kinds if kind == "plan"]
    tables = [path for path, kind in kinds if kind in ("actuals", "allocations", "tasks")]
    if not paths:
        plan_paths = [plan_path or bundled_plan_path()]
    if len(plan_paths) > 1 and tables:
        raise StiPlanError(_("give one plan file to check actuals against, not several"))
    plan: Plan | None = None
    for path in plan_paths:
        plan = _check_plan(path, report)
    used_plan = plan_paths[0] if plan_paths else plan_path or bundled_plan_path()
    if tables and not plan_paths:
        plan = _check_plan(used_plan, report, quiet_when_valid=True)
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
            actuals = load_actuals(
                path, plan, sheet=sheet, max_problems=max_problems, percent_cells=percent_cells
            )
        except StiPlanError as exc:
            report.unreadable.append(str(exc))
            continue
        # What assessing the file would warn of (a region missing, a total contradicted).
        warnings = Rollup(plan, actuals, allocated).problems((plan.year - 1, plan.year))
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

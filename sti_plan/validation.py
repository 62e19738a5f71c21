"""Validate plan and actuals files together, as CI does: every problem, every file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .actuals import load_actuals
from .model import Plan
from .plan_file import bundled_plan_path, load_plan
from .problems import StiPlanError
from .results import FileReport, ValidationReport
from .rollup import Rollup
from .sources import TEXT_SUFFIXES, WORKBOOK_SUFFIXES

PLAN_SUFFIXES = (".yaml", ".yml")
ACTUALS_SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES


def file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in PLAN_SUFFIXES:
        return "plan"
    if suffix in ACTUALS_SUFFIXES:
        return "actuals"
    raise StiPlanError(
        f"{path}: cannot tell what this file is; plans end in .yaml or .yml, "
        "actuals in .csv, .tsv, .txt or .xlsx"
    )


def validate_files(
    paths: Sequence[Path],
    plan_path: Path | None = None,
    *,
    sheet: str | None = None,
    max_problems: int | None = None,
) -> ValidationReport:
    """Check plan files, then actuals files against the plan.

    The plan that actuals are checked against is the one given among `paths`,
    else `plan_path`, else the bundled plan. With no paths the plan itself is checked.
    A file that cannot be read is noted and the others are still checked.
    """
    report = ValidationReport([])
    kinds = []
    for path in paths:
        try:
            kinds.append((path, file_kind(path)))
        except StiPlanError as exc:
            report.unreadable.append(str(exc))
    plan_paths = [path for path, kind in kinds if kind == "plan"]
    actuals_paths = [path for path, kind in kinds if kind == "actuals"]
    if not paths:
        plan_paths = [plan_path or bundled_plan_path()]
    if len(plan_paths) > 1 and actuals_paths:
        raise StiPlanError("give one plan file to check actuals against, not several")
    plan: Plan | None = None
    for path in plan_paths:
        plan = _check_plan(path, report)
    if actuals_paths and not plan_paths:
        plan = _check_plan(plan_path or bundled_plan_path(), report, quiet_when_valid=True)
    for path in actuals_paths:
        if plan is None:
            report.skipped.append(f"{path}: not checked, the plan has problems")
            continue
        try:
            actuals = load_actuals(path, plan, sheet=sheet, max_problems=max_problems)
        except StiPlanError as exc:
            report.unreadable.append(str(exc))
            continue
        # What assessing the file would warn of (a region missing, a total contradicted).
        warnings = Rollup(plan, actuals).problems((plan.year - 1, plan.year))
        report.files.append(
            FileReport(
                str(path),
                "actuals",
                actuals.rows,
                actuals.encoding,
                actuals.sheet,
                actuals.problem_count + len(warnings),
                actuals.problems + warnings,
            )
        )
    return report


def _check_plan(
    path: Path, report: ValidationReport, *, quiet_when_valid: bool = False
) -> Plan | None:
    try:
        plan, problems = load_plan(path)
    except StiPlanError as exc:
        report.unreadable.append(str(exc))
        return None
    if problems or not quiet_when_valid:
        report.files.append(
            FileReport(str(path), "plan", None, "utf-8", None, len(problems), problems)
        )
    return plan

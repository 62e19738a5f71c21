"""Validate plan and actuals files together, as CI does: every problem, every file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .actuals import load_actuals
from .model import Plan
from .plan_file import bundled_plan_path, load_plan
from .problems import Problem, StiPlanError
from .sources import TEXT_SUFFIXES, WORKBOOK_SUFFIXES

PLAN_SUFFIXES = (".yaml", ".yml")
ACTUALS_SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES


@dataclass(frozen=True)
class FileReport:
    path: str
    kind: str  # "plan" or "actuals"
    problems: list[Problem] = field(default_factory=list)  # the first max_problems
    rows: int | None = None  # data rows read (actuals)
    encoding: str | None = None  # text files
    sheet: str | None = None  # workbooks
    problem_count: int | None = None  # all found (default: len(problems))

    @property
    def total(self) -> int:
        return len(self.problems) if self.problem_count is None else self.problem_count


@dataclass(frozen=True)
class ValidationReport:
    files: list[FileReport]

    @property
    def problems(self) -> list[Problem]:
        return [problem for report in self.files for problem in report.problems]

    @property
    def problem_count(self) -> int:
        return sum(report.total for report in self.files)

    @property
    def valid(self) -> bool:
        return self.problem_count == 0


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
    """
    kinds = [(path, file_kind(path)) for path in paths]
    plan_paths = [path for path, kind in kinds if kind == "plan"]
    actuals_paths = [path for path, kind in kinds if kind == "actuals"]
    if not plan_paths and not actuals_paths:
        plan_paths = [plan_path or bundled_plan_path()]
    if len(plan_paths) > 1 and actuals_paths:
        raise StiPlanError("give one plan file to check actuals against, not several")
    reports: list[FileReport] = []
    plans: list[Plan | None] = []
    for path in plan_paths:
        plan, problems = load_plan(path)
        plans.append(plan)
        reports.append(FileReport(str(path), "plan", problems, encoding="utf-8"))
    if actuals_paths:
        if plan_paths:
            plan = plans[0]
        else:
            source = plan_path or bundled_plan_path()
            plan, problems = load_plan(source)
            if problems:
                reports.append(FileReport(str(source), "plan", problems, encoding="utf-8"))
        if plan is None:
            return ValidationReport(reports)  # the plan's own problems say why
        for path in actuals_paths:
            actuals = load_actuals(path, plan, sheet=sheet, max_problems=max_problems)
            reports.append(
                FileReport(
                    str(path),
                    "actuals",
                    actuals.problems,
                    actuals.rows,
                    actuals.encoding,
                    actuals.sheet,
                    actuals.problem_count,
                )
            )
    return ValidationReport(reports)

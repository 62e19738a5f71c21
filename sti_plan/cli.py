"""The sti-plan command line: parse options, load, compute, render, exit.

Commands hold no logic of their own: options are parsed by typer, the work is done by
the core modules and shown by the render layer. Errors the user can fix (missing files,
bad options) end in one line on stderr and exit 2; problems in the data are listed and
end in exit 1.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__
from .formats import OutputFormat, ReportFormat
from .i18n import ENVIRONMENT, Language, _, from_environment, use
from .problems import ExitCode, Problem, Severity, StiPlanError, one_line, shown

if TYPE_CHECKING:
    from .model import Plan, Region, Target
    from .observations import Actuals, Allocations, TaskReports
    from .periods import Period


class _EscapedUsage:
    """Usage errors quote what was typed: escaped (\\u202e), as every other message."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)  # type: ignore[misc]
        except typer.TyperException as exc:
            message = getattr(exc, "message", None)
            if isinstance(message, str):
                exc.message = one_line(message)
            raise


class _Group(_EscapedUsage, TyperGroup):
    """The one error boundary: the project's own errors become one line and exit 2."""

    def invoke(self, ctx: Any) -> Any:
        _tolerant_streams()
        try:
            return super().invoke(ctx)
        except StiPlanError as exc:
            _say([_("error: {message}").format(message=exc)])
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader went away (| head): stop quietly, and let the exit flush go nowhere.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(ExitCode.OK) from None


class _Command(_EscapedUsage, TyperCommand):
    """Every command: before any work, --output naming a file the command reads (its plan
    too, given or bundled) is refused."""

    def invoke(self, ctx: Any) -> Any:
        _speak(ctx.params.get("lang"))
        output = ctx.params.get("output")
        if output is not None and str(output) == "-":  # -o -: standard output, as no -o
            ctx.params["output"] = output = None
        if output is not None:
            from .output import refuse_overwriting_inputs
            from .plan_file import bundled_plan_path

            inputs = [
                path
                for name, value in ctx.params.items()
                if name != "output"
                for path in (value if isinstance(value, list) else [value])
                if isinstance(path, Path)
            ]
            refuse_overwriting_inputs(output, inputs, bundled_plan_path())
        return super().invoke(ctx)


app = typer.Typer(
    cls=_Group,
    name="sti-plan",
    help="Track the targets of a science & technology plan against reported actuals.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        envvar="STI_PLAN_PLAN",
        help="Plan YAML file [default: the bundled 2020 plan].",
        show_default=False,
    ),
]
ActualsArgument = Annotated[
    Path,
    typer.Argument(
        envvar="STI_PLAN_ACTUALS",
        help="Actuals file: CSV, TSV or Excel workbook "
        "[default: $STI_PLAN_ACTUALS, else actuals.csv].",
        show_default=False,
    ),
]
SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet", metavar="NAME", help="Workbook sheet [default: the first with a header]."
    ),
]
PercentCellsOption = Annotated[
    bool,
    typer.Option(
        "--percent-cells",
        help="A workbook's number cells of % targets are fractions (0.087 is 8.7 %), as "
        "cells formatted as percentages hold them [default: the plan's percent_cells].",
        show_default=False,
    ),
]
MaxProblemsOption = Annotated[
    int,
    typer.Option(
        "--max-problems",
        min=0,
        metavar="N",
        help="Show at most N problems (0: all); the rest are counted.",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (atomically) instead of stdout.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
AllocationsOption = Annotated[
    Path | None,
    typer.Option(
        "--allocations",
        metavar="FILE",
        help="The regions' shares of the targets (任务分解), CSV or workbook "
        "[default: the file the plan names, if any].",
        show_default=False,
    ),
]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict", help="Exit 1 on warnings too (a region missing, a total contradicted)."
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="PERIOD",
        help="Assess as of this period of the plan year, e.g. 2020-06 or 2020-Q2 "
        "[default: the latest period in the file].",
        show_default=False,
    ),
]


LangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        help="Language of what people read: zh or en [default: $STI_PLAN_LANG, else the "
        "locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG): zh when it starts with zh].",
        case_sensitive=False,
        show_default=False,
    ),
]


DEFAULT_MAX_PROBLEMS = 100


def _speak(lang: Language | None) -> None:
    """The language of the run: --lang, else $STI_PLAN_LANG, else the locale."""
    if lang is None:
        lang, unknown = from_environment(os.environ)
        if unknown is not None:
            use(lang)
            raise StiPlanError(
                _("{variable}: {value} is not a language sti-plan speaks (zh, en)").format(
                    variable=ENVIRONMENT, value=shown(unknown)
                )
            )
    use(lang)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sti-plan {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Track the targets of a science & technology plan against reported actuals."""


def _limit(max_problems: int) -> int | None:
    return max_problems or None


def _say(lines: list[str]) -> None:
    """Lines on stderr, each one line with no control character in it."""
    for line in lines:
        sys.stderr.write(one_line(line) + "\n")
    sys.stderr.flush()


def _tolerant_streams() -> None:
    """What stdout or stderr cannot encode (Chinese on an ASCII terminal, a file name's
    undecodable bytes) is written as an escape, \\u829c, rather than ending the run."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def _stop(problems: list[Problem], total: int) -> NoReturn:
    """Problems on stderr, one line each, then how many more there were; exit 1."""
    from .render.text import problem_lines

    _say(problem_lines(problems, total))
    raise typer.Exit(ExitCode.PROBLEMS)


def _load_plan(path: Path | None, max_problems: int = DEFAULT_MAX_PROBLEMS) -> Plan:
    from .plan_file import bundled_plan_path, load_plan

    plan, problems = load_plan(path or bundled_plan_path())
    if plan is None:
        limit = _limit(max_problems)
        _stop(problems[:limit], len(problems))
    return plan


def _load(
    plan_path: Path | None,
    actuals_path: Path,
    sheet: str | None,
    max_problems: int,
    allocations_path: Path | None = None,
    percent_cells: bool = False,
) -> tuple[Plan, Actuals, Allocations | None]:
    """The plan, the actuals, and the allocations given (or named by the plan)."""
    from .actuals import load_actuals
    from .allocations import load_allocations
    from .plan_file import bundled_plan_path
    from .sources import is_workbook
    from .validation import plan_allocations_path

    plan = _load_plan(plan_path, max_problems)
    if allocations_path is None and plan.allocations:
        allocations_path = plan_allocations_path(plan_path or bundled_plan_path(), plan.allocations)
    allocations = load_allocations(allocations_path, plan) if allocations_path else None
    if sheet is not None and (str(actuals_path) == "-" or not is_workbook(actuals_path)):
        raise StiPlanError(
            _("--sheet: {path} is not a workbook (it has no sheets)").format(path=actuals_path)
        )
    limit = _limit(max_problems)
    actuals = load_actuals(
        actuals_path, plan, sheet=sheet, max_problems=limit, percent_cells=percent_cells
    )
    return plan, actuals, allocations


def _as_of(text: str | None, plan: Plan) -> Period | None:
    from .periods import parse_period

    if text is None:
        return None
    period = parse_period(text)
    if period is None:
        raise StiPlanError(
            _("--as-of: not a period: {value} (use e.g. 2020-06, 2020-Q2, 2020)").format(
                value=shown(text)
            )
        )
    if period.year != plan.year:
        raise StiPlanError(
            _("--as-of: {period} is not in the plan year {year}").format(
                period=text, year=plan.year
            )
        )
    return period


def _show(output: Any, destination: Path | None, *, csv: bool = False) -> None:
    """To stdout, or atomically to a file (CSV files with a BOM, for
    Excel). A file name's bytes that are not UTF-8 are written as escapes (\\udcff)."""
    from . import render

    if destination is None:
        render.emit(output)
        return
    from .output import write_atomically

    text = render.as_text(output)
    encoded = text.encode("utf-8-sig" if csv else "utf-8", "backslashreplace")
    write_atomically(destination, encoded)


def _finish(
    actuals: Actuals,
    output: Any,
    destination: Path | None,
    fmt: OutputFormat,
    problems: list[Problem],
    strict: bool,
) -> None:
    """Show the result; problems, then warnings, go to stderr; problems (and warnings
    under --strict) exit 1.

    Nothing is shown when the file gave nothing usable, and nothing is written
    to --output when there are problems: a file is not replaced by partial figures.
    """
    from .render.text import problem_line, problem_lines

    kept = set(map(id, actuals.problems))
    others = [p for p in problems if id(p) not in kept]  # the allocations', the warnings
    errors = [p for p in others if p.severity is Severity.ERROR]
    warnings = [p for p in others if p.severity is Severity.WARNING]
    failed = bool(actuals.error_count or errors) or (
        strict and bool(warnings or actuals.warning_count)
    )
    if not failed or (actuals.values and destination is None):
        _show(output, destination, csv=fmt is OutputFormat.CSV)
    lines = [problem_line(p) for p in errors]
    if actuals.problem_count:
        lines += problem_lines(actuals.problems, actuals.problem_count)
    _say(lines + [problem_line(warning) for warning in warnings])
    if failed:
        raise typer.Exit(ExitCode.PROBLEMS)


def _target(plan: Plan, text: str) -> Target:
    measure = plan.measure_named(text)
    if measure is None:
        hint = plan.closest_name(text)
        if hint:
            message = _("--target: {value} is not a target of the plan; did you mean {hint}?")
        else:
            message = _("--target: {value} is not a target of the plan; see `sti-plan targets`")
        raise StiPlanError(message.format(value=shown(text), hint=repr(hint)))
    target = plan.target(measure.id)
    if target is None:
        uses = ", ".join(plan.derived_from(measure.id)) or _("none")
        raise StiPlanError(
            _(
                "--target: {value} is an indicator, not a target (targets derived from it: {uses})"
            ).format(value=shown(text), uses=uses)
        )
    return target


def _needs_regions(plan: Plan, asked: str) -> None:
    if not plan.regions:
        raise StiPlanError(
            _(
                "{option}: the plan declares no regions (`regions:` in the plan file lists them)"
            ).format(option=asked)
        )


def _region(plan: Plan, text: str) -> Region | None:
    """The declared region `text` names; None for the whole city (全市, the area's name)."""
    from .model import region_key

    _needs_regions(plan, "--region")
    if region_key(text) in plan.city_names:
        return None
    found = plan.region_named(text)
    if found is None:
        hint = plan.closest_region_name(text)
        if hint:
            message = _("--region: {value} is not a region of the plan; did you mean {hint}?")
        else:
            message = _(
                "--region: {value} is not a region of the plan; the plan's `regions:` lists them"
            )
        raise StiPlanError(message.format(value=shown(text), hint=repr(hint)))
    return found


TasksOption = Annotated[
    Path | None,
    typer.Option(
        "--tasks",
        metavar="FILE",
        envvar="STI_PLAN_TASKS",
        help="Tasks progress file (重点任务进展), CSV or workbook [default: $STI_PLAN_TASKS].",
        show_default=False,
    ),
]


def _load_tasks(path: Path, plan: Plan, sheet: str | None) -> TaskReports:
    from .task_file import load_tasks

    return load_tasks(path, plan, sheet=sheet)


@app.command(cls=_Command)
def status(
    actuals: ActualsArgument = Path("actuals.csv"),
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    sheet: SheetOption = None,
    percent_cells: PercentCellsOption = False,
    output: OutputOption = None,
    lang: LangOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    strict: StrictOption = False,
    allocations: AllocationsOption = None,
    tasks: TasksOption = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="NAME",
            help="One region's targets against its shares (任务分解) [default: the city].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Where every target stands: actual, expected by now, gap, status."""
    from . import render
    from .bulletin import region_report
    from .progress import assess

    loaded_plan, loaded, shares = _load(
        plan, actuals, sheet, max_problems, allocations, percent_cells
    )
    period = _as_of(as_of, loaded_plan)
    chosen = _region(loaded_plan, region) if region is not None else None
    if chosen is not None:
        one = region_report(loaded_plan, loaded, chosen, period, shares)
        _finish(loaded, render.region_status(one, fmt), output, fmt, one.problems, strict)
        return
    report = assess(loaded_plan, loaded, period, shares)
    if tasks is None:
        _finish(loaded, render.status(report, fmt), output, fmt, report.problems, strict)
        return
    from .tasks import assess_tasks

    reports = _load_tasks(tasks, loaded_plan, None)
    standing = assess_tasks(loaded_plan, reports, report.as_of, report)
    problems = [*report.problems, *reports.problems, *standing.problems]
    _finish(loaded, render.status(report, fmt, standing), output, fmt, problems, strict)


@app.command(cls=_Command)
def gap(
    actuals: ActualsArgument = Path("actuals.csv"),
    target: Annotated[
        str | None,
        typer.Option(
            "--target", "-t", help="Target id, name or alias; without it, rank all targets."
        ),
    ] = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    sheet: SheetOption = None,
    percent_cells: PercentCellsOption = False,
    output: OutputOption = None,
    lang: LangOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    strict: StrictOption = False,
    allocations: AllocationsOption = None,
) -> None:
    """One target in depth (what remains, the pace needed), or all targets ranked by shortfall."""
    from . import render
    from .progress import analyse_gap, assess, rank_by_shortfall

    loaded_plan, loaded, shares = _load(
        plan, actuals, sheet, max_problems, allocations, percent_cells
    )
    period = _as_of(as_of, loaded_plan)
    if target is None:
        report = assess(loaded_plan, loaded, period, shares)
        shown = render.ranking(report, rank_by_shortfall(report), fmt)
        problems = report.problems
    else:
        chosen = _target(loaded_plan, target)
        analysis = analyse_gap(loaded_plan, loaded, chosen, period, shares)
        shown = render.gap(loaded_plan, analysis, fmt)
        problems = analysis.problems
    _finish(loaded, shown, output, fmt, problems, strict)


@app.command(cls=_Command)
def explain(
    actuals: ActualsArgument = Path("actuals.csv"),
    target: Annotated[
        str,
        typer.Option("--target", "-t", help="Target id, name or alias."),
    ] = ...,  # type: ignore[assignment]
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    sheet: SheetOption = None,
    percent_cells: PercentCellsOption = False,
    output: OutputOption = None,
    lang: LangOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    strict: StrictOption = False,
    allocations: AllocationsOption = None,
) -> None:
    """How each figure of a target is worked out: the formula with its numbers, and the
    input rows (file:line) it rests on."""
    from . import render
    from .explain import explain as explain_target

    loaded_plan, loaded, shares = _load(
        plan, actuals, sheet, max_problems, allocations, percent_cells
    )
    period = _as_of(as_of, loaded_plan)
    chosen = _target(loaded_plan, target)
    report = explain_target(loaded_plan, loaded, chosen, period, shares)
    _finish(loaded, render.explanation(report, fmt), output, fmt, report.problems, strict)


@app.command(cls=_Command)
def trend(
    actuals: ActualsArgument = Path("actuals.csv"),
    target: Annotated[
        str,
        typer.Option("--target", "-t", help="Target id, name or alias."),
    ] = ...,  # type: ignore[assignment]
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="NAME",
            help="One region's values, against its share where --allocations gives one.",
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    sheet: SheetOption = None,
    percent_cells: PercentCellsOption = False,
    output: OutputOption = None,
    lang: LangOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    strict: StrictOption = False,
    allocations: AllocationsOption = None,
) -> None:
    """A target through the year: each period's value, its own increment (当月), expected
    by the pace profile, 同比 and last year's value, and the year-end projection."""
    from . import render
    from .trend import trend as trend_of

    loaded_plan, loaded, shares = _load(
        plan, actuals, sheet, max_problems, allocations, percent_cells
    )
    period = _as_of(as_of, loaded_plan)
    chosen = _target(loaded_plan, target)
    where = _region(loaded_plan, region) if region is not None else None
    report = trend_of(loaded_plan, loaded, chosen, period, shares, where)
    _finish(loaded, render.trend(report, fmt), output, fmt, report.problems, strict)


@app.command(cls=_Command)
def regions(
    actuals: ActualsArgument = Path("actuals.csv"),
    target: Annotated[
        str | None,
        typer.Option("--target", "-t", help="Target id, name or alias: its bulletin (通报)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="progress|actual|growth|pace",
            help="What ranks the regions [default: progress; for rates, the actual].",
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    sheet: SheetOption = None,
    percent_cells: PercentCellsOption = False,
    output: OutputOption = None,
    lang: LangOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    strict: StrictOption = False,
    allocations: AllocationsOption = None,
) -> None:
    """The regions' bulletin for one target (share, actual, progress, pace, growth, rank);
    without --target, every target's progress region by region."""
    from . import render
    from .bulletin import RANKINGS, bulletin, bulletins

    if by is not None and by not in RANKINGS:
        raise StiPlanError(
            _("--by: {value} is not one of {choices}").format(
                value=shown(by), choices=", ".join(RANKINGS)
            )
        )
    if by is not None and target is None:
        raise StiPlanError(_("--by ranks one target's bulletin: give --target ID with it"))
    loaded_plan, loaded, shares = _load(
        plan, actuals, sheet, max_problems, allocations, percent_cells
    )
    _needs_regions(loaded_plan, "regions")
    period = _as_of(as_of, loaded_plan)
    if target is None:
        matrix = bulletins(loaded_plan, loaded, period, shares)
        _finish(loaded, render.matrix(matrix, fmt), output, fmt, matrix.problems, strict)
        return
    chosen = _target(loaded_plan, target)
    report = bulletin(loaded_plan, loaded, chosen, period, shares, by)
    _finish(loaded, render.bulletin(report, fmt), output, fmt, report.problems, strict)


@app.command(cls=_Command)
def tasks(
    tasks_file: Annotated[
        Path,
        typer.Argument(
            envvar="STI_PLAN_TASKS",
            help="Tasks progress file: CSV or workbook [default: $STI_PLAN_TASKS, else tasks.csv].",
            show_default=False,
            metavar="TASKS_FILE",
        ),
    ] = Path("tasks.csv"),
    actuals: Annotated[
        Path | None,
        typer.Option(
            "--actuals",
            metavar="FILE",
            envvar="STI_PLAN_ACTUALS",
            help="Actuals for the statuses of the targets the tasks serve [default: "
            "$STI_PLAN_ACTUALS, else actuals.csv when present].",
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Only the tasks of this status (not_started, in_progress, done, delayed, "
            "blocked, no_report; or 推进中, 滞后, …).",
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    sheet: SheetOption = None,
    output: OutputOption = None,
    lang: LangOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    strict: StrictOption = False,
) -> None:
    """The key tasks (重点任务) under their groups: status, progress, latest note, lead, and
    the statuses of the targets they serve."""
    from dataclasses import replace

    from . import render
    from .actuals import load_actuals
    from .observations import TaskStatus
    from .progress import assess
    from .task_file import status_of
    from .tasks import assess_tasks

    loaded_plan = _load_plan(plan, max_problems)
    wanted: TaskStatus | None = None
    if status is not None:
        wanted = status_of(status) or next(
            (s for s in TaskStatus if s.value == status.strip().lower()), None
        )
        if wanted is None:
            raise StiPlanError(
                _("--status: {value} is not a task status").format(value=shown(status))
            )
    period = _as_of(as_of, loaded_plan)
    reports = _load_tasks(tasks_file, loaded_plan, sheet)
    if actuals is None and Path("actuals.csv").is_file():
        actuals = Path("actuals.csv")
    loaded = load_actuals(actuals, loaded_plan) if actuals is not None else None
    targets = assess(loaded_plan, loaded, period) if loaded is not None else None
    report = assess_tasks(loaded_plan, reports, period, targets)
    if wanted is not None:
        report = replace(report, tasks=[s for s in report.tasks if s.status is wanted])
    problems = [
        *reports.problems,
        *(loaded.problems if loaded else []),
        *(targets.problems if targets else []),
        *report.problems,
    ]
    report.problems = problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    failed = bool(errors) or (strict and len(errors) < len(problems))
    if not failed or output is None:  # a file is not replaced by figures with problems
        _show(render.tasks(report, fmt), output, csv=fmt is OutputFormat.CSV)
    from .render.text import problem_lines

    _say(problem_lines(problems[: _limit(max_problems)], len(problems)))
    if failed:
        raise typer.Exit(ExitCode.PROBLEMS)


@app.command(cls=_Command)
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Plan (.yaml) and actuals (.csv, .tsv, .xlsx) files [default: the bundled plan]."
        ),
    ] = None,
    plan: PlanOption = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Report format.", case_sensitive=False),
    ] = ReportFormat.TEXT,
    sheet: SheetOption = None,
    percent_cells: PercentCellsOption = False,
    output: OutputOption = None,
    lang: LangOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    strict: StrictOption = False,
    allocations: AllocationsOption = None,
) -> None:
    """Check plan, allocations and actuals files; exit 1 when anything is wrong."""
    from . import render
    from .validation import validate_files

    report = validate_files(
        files or [],
        plan,
        sheet=sheet,
        max_problems=_limit(max_problems),
        allocations_path=allocations,
        percent_cells=percent_cells,
    )
    shown, messages = render.validation(report, fmt)
    _show(shown, output)
    _say(messages)
    if report.unreadable:
        raise typer.Exit(ExitCode.USAGE)
    if not report.valid or (strict and report.warning_count):
        raise typer.Exit(ExitCode.PROBLEMS)


@app.command(cls=_Command)
def targets(
    plan: PlanOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """List the plan's targets and indicators, with the names actuals may use."""
    from . import render

    shown = render.targets(_load_plan(plan), fmt)
    _show(shown, output, csv=fmt is OutputFormat.CSV)


@app.command(cls=_Command)
def template(
    plan: PlanOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period", metavar="PERIOD", help="Period to fill in [default: the plan year]."
        ),
    ] = None,
    output: OutputOption = None,
    lang: LangOption = None,
    by_region: Annotated[
        bool,
        typer.Option("--by-region", help="A block of rows for each region the plan declares."),
    ] = False,
    tasks: Annotated[
        bool,
        typer.Option("--tasks", help="A tasks progress skeleton instead: a row per key task."),
    ] = False,
) -> None:
    """Print an actuals CSV skeleton to fill in: one row per target and indicator."""
    from . import render
    from .periods import full_year, parse_period
    from .template import template_rows

    loaded_plan = _load_plan(plan)
    if by_region:
        _needs_regions(loaded_plan, "--by-region")
    chosen = full_year(loaded_plan.year) if period is None else parse_period(period)
    if chosen is None:
        raise StiPlanError(
            _("--period: not a period: {value} (use e.g. 2020-06, 2020-Q2)").format(
                value=shown(period or "")
            )
        )
    if chosen.year != loaded_plan.year:
        raise StiPlanError(
            _("--period: {period} is not in the plan year {year}").format(
                period=period, year=loaded_plan.year
            )
        )
    if tasks:
        _show(render.tasks_template(loaded_plan, chosen), output, csv=True)
        return
    rows = template_rows(loaded_plan, chosen, by_region=by_region)
    _show(render.template(rows), output, csv=True)


@app.command(cls=_Command)
def schema(output: OutputOption = None, lang: LangOption = None) -> None:
    """Print the JSON Schema of plan files (for editors and CI)."""
    from . import render
    from .model import plan_json_schema

    _show(render.schema(plan_json_schema()), output)


def run() -> None:
    """The console script: the app, ended quietly by Ctrl-C (exit 130) or SIGTERM (143),
    with no temporary file left behind."""
    import signal

    def stop(number: int, _frame: object) -> None:
        from .output import remove_temporaries

        remove_temporaries()
        os._exit(128 + number)

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)
    app(prog_name="sti-plan")

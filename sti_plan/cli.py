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
from .formats import DocumentFormat, OutputFormat, ReportFormat
from .i18n import ENVIRONMENT, Language, _, from_environment, use
from .problems import ExitCode, Problem, Severity, StiPlanError, one_line, shown

if TYPE_CHECKING:
    from .model import Plan, Region, Target
    from .observations import Actuals, Allocations, TaskReports
    from .periods import Period
    from .results import Report


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
            _format_of_file(ctx, output)
        return super().invoke(ctx)


# What an --output file's ending means, where the command offers that format.
FILE_FORMATS = {".json": "json", ".csv": "csv", ".md": "markdown"}
DOCUMENTS = (".html", ".htm", ".xlsx")
FORMAT_NAMES = {"json": "JSON", "csv": "CSV", "markdown": "Markdown"}


def _format_of_file(ctx: Any, output: Path) -> None:
    """-o FILE.json (.csv, .md) without -f writes that format; a text table (or text
    report) is not written to a .csv or a workbook, and pages and workbooks are the
    report's (and a workbook the template's)."""
    name, suffix = ctx.command.name, output.suffix.lower()
    if name == "report" or (name == "template" and suffix == ".xlsx"):
        return
    if suffix in DOCUMENTS:
        raise StiPlanError(
            _("--output {path}: pages and workbooks are written by `sti-plan report`").format(
                path=output
            )
        )
    fmt = ctx.params.get("fmt")
    wanted = FILE_FORMATS.get(suffix)
    if fmt is None:  # one format only: schema's JSON, template's CSV
        native = {"schema": "json", "template": "csv"}.get(name)
        if wanted is not None and native is not None and wanted != native:
            raise StiPlanError(
                _("--output {path}: {command} writes {format}; give a .{ending} file name").format(
                    path=output, command=name, format=FORMAT_NAMES[native], ending=native
                )
            )
        return
    kind = type(fmt)
    if wanted is not None and wanted not in {member.value for member in kind}:
        raise StiPlanError(
            _("--output {path}: {command} writes no {format}; give another file name").format(
                path=output, command=name, format=FORMAT_NAMES[wanted]
            )
        )
    source = ctx.get_parameter_source("fmt")
    given = source is not None and source.name != "DEFAULT"
    if not given and wanted in {member.value for member in kind}:
        ctx.params["fmt"] = fmt = kind(wanted)
    if suffix == ".csv" and fmt.value != "csv":
        message = _("--output {path}: -f {format} is not CSV; give -f csv or another name")
        raise StiPlanError(message.format(path=output, format=fmt.value))


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
        help="Plan YAML file, or a folder of them (the plan of --year is used) "
        "[default: the bundled 2020 plan].",
        show_default=False,
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year",
        min=1900,
        max=2999,
        help="With a folder of plans: the plan of this year [default: the --as-of year, "
        "else the latest plan year in the actuals].",
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


def _load_plan(
    path: Path | None, max_problems: int = DEFAULT_MAX_PROBLEMS, year: int | None = None
) -> Plan:
    return _plan_at(path, max_problems, year)[1]


def _plan_at(
    path: Path | None, max_problems: int = DEFAULT_MAX_PROBLEMS, year: int | None = None
) -> tuple[Path, Plan]:
    """The plan file and its plan: the one given, the one of `year` in a folder given (no
    year: the latest), or the bundled one."""
    from .plan_file import bundled_plan_path, is_folder, plan_of_year

    given = path or bundled_plan_path()
    if is_folder(given):
        return plan_of_year(_folder_plans(given, max_problems), year)
    plan = _valid_plan(given, max_problems)
    # A year that --as-of or --period gave is checked where that option is.
    if year is not None and not isinstance(year, _Year) and not plan.covers(year):
        raise StiPlanError(
            _("--year: {year} is not a year of the plan ({span})").format(
                year=year, span=plan.span_text
            )
        )
    return given, plan


def _valid_plan(path: Path, max_problems: int) -> Plan:
    from .plan_file import load_plan

    plan, problems = load_plan(path)
    if plan is None:
        limit = _limit(max_problems)
        _stop(problems[:limit], len(problems))
    return plan


def _folder_plans(folder: Path, max_problems: int) -> list[tuple[Path, Plan]]:
    """Every plan of a folder; any with problems stops the run (exit 1)."""
    from .plan_file import load_plan, plan_files, same_year_plans

    plans, problems = [], []
    for path in plan_files(folder):
        plan, found = load_plan(path)
        problems += found
        if plan is not None:
            plans.append((path, plan))
    problems += same_year_plans(plans)
    if problems:
        limit = _limit(max_problems)
        _stop(problems[:limit], len(problems))
    return plans


class _Year(int):
    """A year of --as-of or --period: it chooses among a folder's plans, and is checked
    against a plan where its option is."""


def _year(year: int | None, period: str | None) -> int | None:
    """The year a plan is chosen by: --year, else the year of --as-of (or --period)."""
    from .periods import parse_period

    if year is not None or period is None:
        return year
    parsed = parse_period(period)
    return _Year(parsed.year) if parsed is not None else None


def _load(
    plan_path: Path | None,
    actuals_path: Path,
    sheet: str | None,
    max_problems: int,
    allocations_path: Path | None = None,
    percent_cells: bool = False,
    year: int | None = None,
) -> tuple[Plan, Actuals, Allocations | None]:
    """The plan, the actuals, and the allocations given (or named by the plan)."""
    loaded = _load_from(
        plan_path, actuals_path, sheet, max_problems, allocations_path, percent_cells, year
    )
    return loaded[1], loaded[2], loaded[3]


def _load_from(
    plan_path: Path | None,
    actuals_path: Path,
    sheet: str | None,
    max_problems: int,
    allocations_path: Path | None = None,
    percent_cells: bool = False,
    year: int | None = None,
) -> tuple[Path, Plan, Actuals, Allocations | None]:
    """The plan file and its plan, the actuals, and the allocations given (or named by the
    plan). From a folder of plans without a year, the plan of the latest plan year the
    actuals report."""
    from .actuals import load_actuals
    from .allocations import load_allocations
    from .plan_file import is_folder
    from .sources import STDIN, is_workbook
    from .validation import actuals_for_plans, plan_allocations_path

    if sheet is not None and (str(actuals_path) == "-" or not is_workbook(actuals_path)):
        raise StiPlanError(
            _("--sheet: {path} is not a workbook (it has no sheets)").format(path=actuals_path)
        )
    limit = _limit(max_problems)

    def read(plan: Plan) -> Actuals:
        return load_actuals(
            actuals_path, plan, sheet=sheet, max_problems=limit, percent_cells=percent_cells
        )

    folder = plan_path is not None and is_folder(plan_path)
    if folder and year is None:
        assert plan_path is not None
        if str(actuals_path) == STDIN:
            raise StiPlanError(
                _("--plan {folder}: give --year to read standard input against a folder").format(
                    folder=plan_path
                )
            )
        plans = _folder_plans(plan_path, max_problems)
        path, plan, actuals = actuals_for_plans(plans, read)
    else:
        path, plan = _plan_at(plan_path, max_problems, year)
        actuals = read(plan)
    if allocations_path is None and plan.allocations:
        allocations_path = plan_allocations_path(path, plan.allocations)
    allocations = load_allocations(allocations_path, plan) if allocations_path else None
    return path, plan, actuals, allocations


def _one_year(plan: Plan, command: str) -> None:
    """Commands of a plan's year: a plan over several years is assessed by status."""
    if plan.years is not None:
        raise StiPlanError(
            _(
                "{command}: {plan} spans {span}; a plan over several years is assessed by "
                "status and checked by validate"
            ).format(command=command, plan=plan.id, span=plan.span_text)
        )


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
    if not plan.covers(period.year):
        if plan.years is not None:
            raise StiPlanError(
                _("--as-of: {period} is not in the plan's years {span}").format(
                    period=text, span=plan.span_text
                )
            )
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
    from .output import write_atomically

    if isinstance(output, bytes):  # a workbook: a file, never a terminal
        assert destination is not None
        write_atomically(destination, output)
        return
    if destination is None:
        render.emit(output)
        return
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
    year: YearOption = None,
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

    plan_path, loaded_plan, loaded, shares = _load_from(
        plan, actuals, sheet, max_problems, allocations, percent_cells, _year(year, as_of)
    )
    period = _as_of(as_of, loaded_plan)
    if loaded_plan.years is not None:
        if region is not None or tasks is not None:
            raise StiPlanError(
                _("--region and --tasks go with a plan of one year, not one over several")
            )
        from .years import assess_years

        over = assess_years(loaded_plan, loaded, period, shares)
        _finish(loaded, render.status(over, fmt), output, fmt, over.problems, strict)
        return
    chosen = _region(loaded_plan, region) if region is not None else None
    if chosen is not None:
        one = region_report(loaded_plan, loaded, chosen, period, shares)
        _finish(loaded, render.region_status(one, fmt), output, fmt, one.problems, strict)
        return
    report = assess(loaded_plan, loaded, period, shares)
    part = _part_of(plan_path, loaded_plan, actuals, sheet, max_problems, percent_cells, report)
    problems = list(report.problems)
    if tasks is None:
        shown = render.status(report, fmt, part_of=part)
        _finish(loaded, shown, output, fmt, problems, strict)
        return
    from .tasks import assess_tasks

    reports = _load_tasks(tasks, loaded_plan, None)
    standing = assess_tasks(loaded_plan, reports, report.as_of, report)
    problems += [*reports.problems, *standing.problems]
    shown = render.status(report, fmt, standing, part_of=part)
    _finish(loaded, shown, output, fmt, problems, strict)


def _part_of(
    plan_path: Path,
    plan: Plan,
    actuals_path: Path,
    sheet: str | None,
    max_problems: int,
    percent_cells: bool,
    report: Report,
) -> Report | None:
    """The plan over several years a year's plan is part of, assessed as of the same period
    from the same actuals (read again against it); none when the plan names none, or the
    actuals are standard input, which is read once."""
    from dataclasses import replace

    from .actuals import load_actuals
    from .sources import STDIN
    from .validation import part_of_path
    from .years import assess_years

    if plan.part_of is None:
        return None
    if str(actuals_path) == STDIN:
        _say(
            [_("note: {plan} is not shown: standard input is read once").format(plan=plan.part_of)]
        )
        return None
    try:
        over = _valid_plan(part_of_path(plan_path, plan.part_of), max_problems)
    except StiPlanError as exc:
        raise StiPlanError(
            _("{path}: part_of: {error}").format(path=plan_path, error=exc)
        ) from None
    if over.years is None or not over.covers(plan.year):
        raise StiPlanError(
            _("{path}: part_of: {part} is not a plan over several years that covers {year}").format(
                path=plan_path, part=plan.part_of, year=plan.year
            )
        )
    actuals = load_actuals(
        actuals_path,
        over,
        sheet=sheet,
        max_problems=_limit(max_problems),
        percent_cells=percent_cells,
    )
    # The file's problems are those of the year's plan, shown already; rows naming what
    # the plan over several years does not have are no concern of it.
    return replace(assess_years(over, actuals, report.as_of), problems=[])


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
    year: YearOption = None,
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
        plan, actuals, sheet, max_problems, allocations, percent_cells, _year(year, as_of)
    )
    _one_year(loaded_plan, "gap")
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
    year: YearOption = None,
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
        plan, actuals, sheet, max_problems, allocations, percent_cells, _year(year, as_of)
    )
    _one_year(loaded_plan, "explain")
    period = _as_of(as_of, loaded_plan)
    chosen = _target(loaded_plan, target)
    report = explain_target(loaded_plan, loaded, chosen, period, shares)
    _finish(loaded, render.explanation(report, fmt), output, fmt, report.problems, strict)


@app.command(cls=_Command)
def report(
    actuals: ActualsArgument = Path("actuals.csv"),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The report to write (atomically): FILE.html or FILE.xlsx.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        DocumentFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="html or xlsx [default: by the --output file's ending].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    year: YearOption = None,
    as_of: AsOfOption = None,
    sheet: SheetOption = None,
    percent_cells: PercentCellsOption = False,
    lang: LangOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    strict: StrictOption = False,
    allocations: AllocationsOption = None,
    tasks: TasksOption = None,
    regions: Annotated[
        Path | None,
        typer.Option(
            "--regions",
            metavar="FILE",
            help="The districts' rows for the bulletins, from another actuals file "
            "[default: ACTUALS' own regional rows].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """A report to pass on: a self-contained HTML page (charts, printable on A4) or an Excel
    workbook, with the status, each target's year, the regions' bulletins and the key tasks."""
    from . import render
    from .report import full_report

    chosen = _document_format(fmt, output)
    plan_path, loaded_plan, loaded, shares = _load_from(
        plan, actuals, sheet, max_problems, allocations, percent_cells, _year(year, as_of)
    )
    _one_year(loaded_plan, "report")
    period = _as_of(as_of, loaded_plan)
    reports = _load_tasks(tasks, loaded_plan, None) if tasks is not None else None
    regional = None
    if regions is not None:
        from .actuals import load_actuals

        _needs_regions(loaded_plan, "--regions")
        regional = load_actuals(regions, loaded_plan, max_problems=_limit(max_problems))
    inputs = [str(plan_path), str(actuals)]
    inputs += [str(path) for path in (regions, tasks) if path is not None]
    if shares is not None:
        inputs.insert(3 if regions is not None else 2, shares.path)
    whole = full_report(
        loaded_plan,
        loaded,
        period,
        shares,
        reports,
        inputs=inputs,
        generated=_today(),
        regions=regional,
    )
    problems = list(whole.status.problems)
    if whole.tasks is not None:
        problems += whole.tasks.problems  # the tasks file's own, then the standing's
    shown = render.document(whole, chosen)
    _finish(loaded, shown, output, OutputFormat.TABLE, problems, strict)


def _document_format(fmt: DocumentFormat | None, output: Path | None) -> DocumentFormat:
    """The report's format: -f, else the --output file's ending; they must agree. HTML may
    go to standard output, a workbook only to a file."""
    by_name = {
        ".html": DocumentFormat.HTML,
        ".htm": DocumentFormat.HTML,
        ".xlsx": DocumentFormat.XLSX,
    }
    named = by_name.get(output.suffix.lower()) if output is not None else None
    if fmt is not None and named is not None and fmt is not named:
        raise StiPlanError(
            _("--format {format} does not match --output {path}").format(
                format=fmt.value, path=output
            )
        )
    chosen = fmt or named
    if chosen is None:
        if output is None:
            raise StiPlanError(_("report: give --output FILE.html or FILE.xlsx"))
        raise StiPlanError(
            _("--output {path}: a report is .html or .xlsx (or give --format)").format(path=output)
        )
    if chosen is DocumentFormat.XLSX and output is None:
        raise StiPlanError(_("a workbook is written to a file: give --output FILE.xlsx"))
    return chosen


def _today() -> str:
    """Today's date for a report; $SOURCE_DATE_EPOCH, when set, for a reproducible one."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


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
    year: YearOption = None,
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
        plan, actuals, sheet, max_problems, allocations, percent_cells, _year(year, as_of)
    )
    _one_year(loaded_plan, "trend")
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
    year: YearOption = None,
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
        plan, actuals, sheet, max_problems, allocations, percent_cells, _year(year, as_of)
    )
    _one_year(loaded_plan, "regions")
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
    year: YearOption = None,
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

    loaded_plan = _load_plan(plan, max_problems, _year(year, as_of))
    _one_year(loaded_plan, "tasks")
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
    year: YearOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """List the plan's targets and indicators, with the names actuals may use."""
    from . import render

    shown = render.targets(_load_plan(plan, year=year), fmt)
    _show(shown, output, csv=fmt is OutputFormat.CSV)


@app.command(cls=_Command)
def template(
    plan: PlanOption = None,
    year: YearOption = None,
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

    loaded_plan = _load_plan(plan, year=_year(year, period))
    _one_year(loaded_plan, "template")
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
    workbook = output is not None and output.suffix.lower() == ".xlsx"
    if tasks:
        if workbook:
            raise StiPlanError(_("--tasks: the tasks template is CSV; give a .csv file name"))
        _show(render.tasks_template(loaded_plan, chosen), output, csv=True)
        return
    rows = template_rows(loaded_plan, chosen, by_region=by_region)
    if workbook:
        _show(render.template_workbook(loaded_plan, chosen, rows), output)
        return
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

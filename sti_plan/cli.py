"""The sti-plan command line: parse options, load, compute, render, exit.

Every command is a few lines; the work lives in the core modules. Errors the
user can fix (missing files, bad options) end in one line on stderr and exit 2;
problems in the data are listed and end in exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import __version__
from .formats import OutputFormat, ReportFormat
from .problems import ExitCode, Problem, StiPlanError

if TYPE_CHECKING:
    from .actuals import Actuals
    from .model import Plan, Target
    from .periods import Period


class _Group(TyperGroup):
    """The one error boundary: the project's own errors become one line and exit 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except StiPlanError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (| head): stop quietly
            raise typer.Exit(ExitCode.OK) from None


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
        help="Actuals CSV file [default: $STI_PLAN_ACTUALS, else actuals.csv].",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
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


def _report_problems(problems: list[Problem]) -> None:
    from .render import problem_line

    for problem in problems:
        typer.echo(problem_line(problem), err=True)


def _stop(problems: list[Problem]) -> NoReturn:
    _report_problems(problems)
    raise typer.Exit(ExitCode.PROBLEMS)


def _load_plan(path: Path | None) -> Plan:
    from .plan_file import bundled_plan_path, load_plan

    plan, problems = load_plan(path or bundled_plan_path())
    if plan is None:
        _stop(problems)
    return plan


def _load(plan_path: Path | None, actuals_path: Path) -> tuple[Plan, Actuals]:
    from .actuals import load_actuals

    plan = _load_plan(plan_path)
    return plan, load_actuals(actuals_path, plan)


def _as_of(text: str | None, plan: Plan) -> Period | None:
    from .periods import parse_period

    if text is None:
        return None
    period = parse_period(text)
    if period is None:
        raise StiPlanError(f"--as-of: not a period: {text!r} (use e.g. 2020-06, 2020-Q2, 2020)")
    if period.year != plan.year:
        raise StiPlanError(f"--as-of: {text} is not in the plan year {plan.year}")
    return period


def _finish(actuals: Actuals, output: Any) -> None:
    """Show the result unless the file gave nothing usable; problems go to stderr, exit 1."""
    from .render import emit

    if actuals.values or not actuals.problems:
        emit(output)
    if actuals.problems:
        _stop(actuals.problems)


def _target(plan: Plan, text: str) -> Target:
    from .actuals import MeasureLookup

    lookup = MeasureLookup(plan)
    measure_id = lookup.resolve(text.strip())
    target = plan.target(measure_id) if measure_id else None
    if target is None:
        hint = lookup.suggest(text)
        advice = f"did you mean {hint!r}?" if hint else "see `sti-plan targets`"
        what = "an indicator, not a target" if measure_id else "not a target of the plan"
        raise StiPlanError(f"--target: {text!r} is {what}; {advice}")
    return target


@app.command()
def status(
    actuals: ActualsArgument = Path("actuals.csv"),
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Where every target stands: actual, expected by now, gap, status."""
    from . import render
    from .progress import assess

    loaded_plan, loaded = _load(plan, actuals)
    report = assess(loaded_plan, loaded, _as_of(as_of, loaded_plan))
    _finish(loaded, render.status(report, fmt))


@app.command()
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
) -> None:
    """One target in depth (what remains, the pace needed), or all targets ranked by shortfall."""
    from . import render
    from .progress import analyse_gap, assess, rank_by_shortfall

    loaded_plan, loaded = _load(plan, actuals)
    period = _as_of(as_of, loaded_plan)
    if target is None:
        report = assess(loaded_plan, loaded, period)
        _finish(loaded, render.ranking(report, rank_by_shortfall(report), fmt))
        return
    chosen = _target(loaded_plan, target)
    period = period or loaded.latest_period(loaded_plan.year)
    analysis = analyse_gap(loaded_plan, loaded, chosen, period)
    _finish(loaded, render.gap(loaded_plan, analysis, period, fmt))


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Plan (.yaml) and actuals (.csv) files [default: the bundled plan]."),
    ] = None,
    plan: PlanOption = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Report format.", case_sensitive=False),
    ] = ReportFormat.TEXT,
) -> None:
    """Check plan and actuals files; exit 1 when anything is wrong."""
    from . import render
    from .validation import validate_files

    report = validate_files(files or [], plan)
    if fmt is ReportFormat.JSON:
        render.emit(render.to_json(render.validation_json(report)))
    else:
        line = render.github_line if fmt is ReportFormat.GITHUB else render.problem_line
        render.emit("".join(line(problem) + "\n" for problem in report.problems))
        typer.echo(render.validation_summary(report), err=True)
    if not report.valid:
        raise typer.Exit(ExitCode.PROBLEMS)


@app.command()
def targets(plan: PlanOption = None, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """List the plan's targets and indicators, with the names actuals may use."""
    from . import render

    render.emit(render.targets(_load_plan(plan), fmt))


@app.command()
def template(
    plan: PlanOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period", metavar="PERIOD", help="Period to fill in [default: the plan year]."
        ),
    ] = None,
) -> None:
    """Print an actuals CSV skeleton to fill in: one row per target and indicator."""
    from . import render
    from .periods import full_year, parse_period

    loaded_plan = _load_plan(plan)
    chosen = full_year(loaded_plan.year) if period is None else parse_period(period)
    if chosen is None:
        raise StiPlanError(f"--period: not a period: {period!r} (use e.g. 2020-06, 2020-Q2)")
    render.emit(render.template(loaded_plan, chosen))


@app.command()
def schema() -> None:
    """Print the JSON Schema of plan files (for editors and CI)."""
    from . import render
    from .model import plan_json_schema

    render.emit(render.to_json(plan_json_schema()))

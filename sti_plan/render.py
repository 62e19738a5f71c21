"""Results and problems -> table, JSON, CSV, Markdown and CI annotations.

The only module that imports rich. Numbers arrive at full precision: JSON and
CSV keep it; tables and Markdown round (half up) for people.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from .formats import SCHEMA_VERSION, OutputFormat
from .model import Comparison, Measure, Plan, Target
from .periods import Period
from .problems import Problem
from .progress import (
    Assessment,
    Basis,
    GapAnalysis,
    Report,
    Status,
)
from .validation import ValidationReport

Output = str | RenderableType

STATUS_STYLE = {
    Status.ACHIEVED: "bold green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.OFF_TRACK: "red",
    Status.MISSED: "bold red",
    Status.NO_DATA: "dim",
}
SYMBOL = {
    Comparison.AT_LEAST: "≥",
    Comparison.MORE_THAN: ">",
    Comparison.AT_MOST: "≤",
    Comparison.LESS_THAN: "<",
}
BAR_WIDTH = 8


# ---------------------------------------------------------------- numbers


def number(value: Decimal | None) -> int | float | None:
    """A JSON number: integers stay integers, the rest become the nearest float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def plain(value: Decimal | None) -> str:
    """Full precision, never in exponent notation (CSV)."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rounded(value: Decimal | None, places: int = 2) -> str:
    """For people: rounded half up, thousands separated, no trailing zeros."""
    if value is None:
        return "–"
    quantum = Decimal(1).scaleb(-places)
    text = format(value.quantize(quantum, rounding=ROUND_HALF_UP), ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def with_unit(value: Decimal | None, unit: str, places: int = 2) -> str:
    return "–" if value is None else f"{rounded(value, places)}{unit}"


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{rounded(value, 1)}%"


def target_text(target: Target) -> str:
    return f"{SYMBOL[target.comparison]} {rounded(target.value)}{target.unit}"


def status_label(status: Status) -> str:
    return status.value.replace("_", " ")


def bar(fraction_percent: Decimal | None) -> str:
    if fraction_percent is None:
        return " " * BAR_WIDTH
    share = min(max(fraction_percent, Decimal(0)), Decimal(100))
    filled = int(share * BAR_WIDTH / 100)  # rounded down: a full bar means 100 % or more
    return "█" * filled + "░" * (BAR_WIDTH - filled)


BASIS_MARK = {Basis.REPORTED: "", Basis.REGIONAL_SUM: " Σ", Basis.DERIVED: " ƒ"}


def period_text(assessment: Assessment) -> str:
    if assessment.actual is None:
        return "–"
    return f"{assessment.actual.period.code}{BASIS_MARK[assessment.actual.basis]}"


# ---------------------------------------------------------------- JSON


def _plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "title": plan.title,
        "title_en": plan.title_en,
        "issuer": plan.issuer,
        "year": plan.year,
    }


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    target, actual = assessment.target, assessment.actual
    return {
        "id": target.id,
        "name": target.name,
        "name_en": target.name_en,
        "unit": target.unit,
        "kind": target.kind.value,
        "comparison": target.comparison.value,
        "target": number(target.value),
        "actual": number(actual.value) if actual else None,
        "period": actual.period.code if actual else None,
        "basis": actual.basis.value if actual else None,
        "baseline": number(assessment.baseline),
        "expected": number(assessment.expected),
        "percent_of_target": number(assessment.percent_of_target),
        "gap": number(assessment.gap),
        "status": assessment.status.value,
    }


def _as_of(period: Period | None) -> str | None:
    return period.month_code if period else None


def status_json(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": _plan_json(report.plan),
        "as_of": _as_of(report.as_of),
        "counts": {status.value: count for status, count in report.counts().items()},
        "targets": [assessment_json(a) for a in report.assessments],
    }


def gap_json(plan: Plan, analysis: GapAnalysis, as_of: Period | None) -> dict[str, Any]:
    ratio, growth = analysis.ratio, analysis.growth
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": _plan_json(plan),
        "as_of": _as_of(as_of),
        "target": {
            **assessment_json(analysis.assessment),
            "months_elapsed": analysis.months_elapsed,
            "months_remaining": analysis.months_remaining,
            "remaining": number(analysis.remaining),
            "pace_so_far": number(analysis.pace_so_far),
            "pace_needed": number(analysis.pace_needed),
            "projected_year_end": number(analysis.projected_year_end),
            "ratio": None
            if ratio is None
            else {
                "numerator": ratio.numerator,
                "denominator": ratio.denominator,
                "denominator_value": number(ratio.denominator_value),
                "numerator_current": number(ratio.numerator_current),
                "numerator_needed": number(ratio.numerator_needed),
            },
            "growth": None
            if growth is None
            else {
                "of": growth.of,
                "base_period": growth.base_period.code,
                "base_value": number(growth.base_value),
                "current_value": number(growth.current_value),
                "needed_value": number(growth.needed_value),
                "year_end_base": number(growth.year_end_base),
                "year_end_needed": number(growth.year_end_needed),
            },
        },
    }


def ranking_json(report: Report, ranked: Sequence[Assessment]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": _plan_json(report.plan),
        "as_of": _as_of(report.as_of),
        "ranking": [
            {
                "rank": rank,
                **assessment_json(a),
                "shortfall_vs_expected": number(a.shortfall_vs_expected),
            }
            for rank, a in enumerate(ranked, 1)
        ],
    }


def targets_json(plan: Plan) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": _plan_json(plan),
        "measures": [_measure_json(plan, m) for m in plan.measures],
    }


def _measure_json(plan: Plan, measure: Measure) -> dict[str, Any]:
    is_target = isinstance(measure, Target)
    derivation = plan.derivation_for(measure.id)
    return {
        "id": measure.id,
        "role": "target" if is_target else "indicator",
        "name": measure.name,
        "name_en": measure.name_en,
        "unit": measure.unit,
        "kind": measure.kind.value,
        "comparison": measure.comparison.value if isinstance(measure, Target) else None,
        "target": number(measure.value) if isinstance(measure, Target) else None,
        "aliases": list(measure.aliases),
        "derived_by": derivation.formula if derivation else None,
    }


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- CSV and Markdown


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows: Iterable[Sequence[Any]]) -> str:
    """CSV text: numbers at full precision, text cells safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, list):
        value = "|".join(str(item) for item in value)
    text = str(value)
    # A text cell that a spreadsheet would run as a formula is kept as text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _flat_rows(records: list[dict[str, Any]], raw: list[list[Any]]) -> list[list[Any]]:
    header = list(records[0]) if records else []
    return [header, *raw]


def _assessment_raw(a: Assessment) -> list[Any]:
    target, actual = a.target, a.actual
    return [
        target.id,
        target.name,
        target.name_en,
        target.unit,
        target.kind.value,
        target.comparison.value,
        target.value,
        actual.value if actual else None,
        actual.period.code if actual else None,
        actual.basis.value if actual else None,
        a.baseline,
        a.expected,
        a.percent_of_target,
        a.gap,
        a.status.value,
    ]


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _table(title: str) -> Table:
    return Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        collapse_padding=True,
        pad_edge=False,
        title_justify="left",
    )


def _name_cell(target: Measure) -> Text:
    """The Chinese name, with the id (what commands take) dim beneath it."""
    name = Text(target.name, overflow="fold")
    name.append(f"\n{target.id}", style="dim")
    return name


# ---------------------------------------------------------------- status


STATUS_HEADER = (
    "Target",
    "ID",
    "Target value",
    "Actual",
    "Period",
    "% of target",
    "Expected",
    "Gap",
    "Status",
)


def _status_cells(a: Assessment) -> list[str]:
    unit = a.target.unit
    return [
        a.target.name,
        a.target.id,
        target_text(a.target),
        with_unit(a.actual.value if a.actual else None, unit),
        period_text(a),
        percent(a.percent_of_target),
        with_unit(a.expected, unit),
        with_unit(a.gap, unit),
        status_label(a.status),
    ]


def summary_line(report: Report) -> str:
    counts = report.counts()
    parts = [f"{count} {status_label(status)}" for status, count in counts.items()]
    as_of = report.as_of.month_code if report.as_of else "no data for the plan year"
    return f"{len(report.assessments)} targets, as of {as_of}: " + ", ".join(parts)


def _summary_text(report: Report) -> Text:
    counts = report.counts()
    as_of = report.as_of.month_code if report.as_of else "no data for the plan year"
    text = Text(f"{len(report.assessments)} targets, as of {as_of}: ")
    for index, (status, count) in enumerate(counts.items()):
        if index:
            text.append(", ")
        text.append(
            f"{count} {status_label(status)}", style=STATUS_STYLE[status] if count else "dim"
        )
    return text


def status(report: Report, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return to_json(status_json(report))
    if fmt is OutputFormat.CSV:
        return to_csv(
            _flat_rows(
                [assessment_json(a) for a in report.assessments],
                [_assessment_raw(a) for a in report.assessments],
            )
        )
    if fmt is OutputFormat.MARKDOWN:
        as_of = report.as_of.month_code if report.as_of else "–"
        title = f"## {report.plan.title}: status as of {as_of}\n\n"
        table = markdown_table(STATUS_HEADER, (_status_cells(a) for a in report.assessments))
        legend = _legend(report)
        return (
            title + table + "\n" + summary_line(report) + "\n" + (legend + "\n" if legend else "")
        )
    return StatusView(report)


def _legend(report: Report) -> str:
    """Explain the marks that the table uses, and only those."""
    used = {a.actual.basis for a in report.assessments if a.actual is not None}
    notes = {
        Basis.REGIONAL_SUM: "Σ = sum of regional rows",
        Basis.DERIVED: "ƒ = derived by the plan's formula",
    }
    return ", ".join(note for basis, note in notes.items() if basis in used)


BARS_FROM_WIDTH = 100  # below this many columns the bars give way to the figures


class StatusView:
    """The status table, laid out for the width it is given: bars only where they fit."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report = self.report
        yield _status_table(report, bars=options.max_width >= BARS_FROM_WIDTH)
        yield _summary_text(report)
        legend = _legend(report)
        if legend:
            yield Text(legend, style="dim")


def _status_table(report: Report, *, bars: bool) -> Table:
    as_of = report.as_of.month_code if report.as_of else "–"
    table = _table(f"{report.plan.title} · as of {as_of}")
    table.add_column("Target", min_width=8)
    table.add_column("Goal", justify="right", no_wrap=True)
    table.add_column("Actual", justify="right", no_wrap=True)
    table.add_column("Period", no_wrap=True)
    table.add_column("Expected", justify="right", no_wrap=True)
    table.add_column("Gap", justify="right", no_wrap=True)
    if bars:
        table.add_column("% of target", no_wrap=True)
    else:
        table.add_column("%", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for a in report.assessments:
        cells = _status_cells(a)
        style = STATUS_STYLE[a.status]
        actual = Text(cells[3])
        if a.actual is not None and a.actual.basis is not Basis.REPORTED:
            actual.append(BASIS_MARK[a.actual.basis], style="dim")
        progress = Text(bar(a.percent_of_target) + " ", style=style) if bars else Text()
        progress.append(f"{cells[5]:>6}")
        table.add_row(
            _name_cell(a.target),
            cells[2],
            actual,
            a.actual.period.code if a.actual else "–",
            cells[6],
            cells[7],
            progress,
            Text(cells[8], style=style),
        )
    return table


# ---------------------------------------------------------------- gap


def gap(plan: Plan, analysis: GapAnalysis, as_of: Period | None, fmt: OutputFormat) -> Output:
    data = gap_json(plan, analysis, as_of)
    if fmt is OutputFormat.JSON:
        return to_json(data)
    lines = _gap_lines(plan, analysis)
    if fmt is OutputFormat.CSV:
        flat = {k: data["target"][k] for k in data["target"] if k not in ("ratio", "growth")}
        for part in ("ratio", "growth"):
            for key, value in (data["target"][part] or {}).items():
                flat[f"{part}_{key}"] = value
        return to_csv([list(flat), list(flat.values())])
    if fmt is OutputFormat.MARKDOWN:
        target = analysis.assessment.target
        head = f"## {target.name} ({target.id}): {target_text(target)}\n\n"
        return head + markdown_table(("", "Value"), lines)
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    status_row = analysis.assessment.status
    for label, value in lines:
        table.add_row(
            label, Text(value, style=STATUS_STYLE[status_row]) if label == "Status" else value
        )
    target = analysis.assessment.target
    title = Text(f"{target.name} ", style="bold")
    title.append(f"{target.id} · {target.kind.value} · {target_text(target)}", style="dim")
    return Group(title, table)


def _gap_lines(plan: Plan, analysis: GapAnalysis) -> list[tuple[str, str]]:
    a = analysis.assessment
    unit = a.target.unit
    lines = [("Status", status_label(a.status))]
    if a.actual is None:
        lines.append(("Actual", "no data reported"))
        return lines
    lines += [
        ("Actual", f"{with_unit(a.actual.value, unit)} ({period_text(a).strip()})"),
    ]
    if a.baseline is not None:
        lines.append(("Baseline", f"{with_unit(a.baseline, unit)} (previous year-end)"))
    lines += [
        ("Expected by now", with_unit(a.expected, unit)),
        ("% of target", percent(a.percent_of_target)),
        ("Gap", with_unit(a.gap, unit)),
        ("Remaining", with_unit(analysis.remaining, unit)),
        ("Months", f"{analysis.months_elapsed} elapsed, {analysis.months_remaining} remaining"),
    ]
    higher = a.target.comparison.higher_is_better
    if analysis.pace_so_far is not None:
        lines.append(("Pace so far", f"{with_unit(analysis.pace_so_far, unit)} per month"))
        if analysis.pace_needed is not None:
            label = "Pace needed" if higher else "Pace allowed"
            lines.append((label, f"{with_unit(analysis.pace_needed, unit)} per month"))
        lines.append(("Year-end at this pace", with_unit(analysis.projected_year_end, unit)))
    if analysis.ratio is not None:
        r = analysis.ratio
        n_unit = _unit(plan, r.numerator)
        d_unit = _unit(plan, r.denominator)
        lines += [
            (
                f"{r.numerator} needed",
                f"{with_unit(r.numerator_needed, n_unit)} for {target_text(a.target)} of "
                f"{r.denominator} {with_unit(r.denominator_value, d_unit)}",
            ),
            (f"{r.numerator} now", with_unit(r.numerator_current, n_unit)),
            (
                f"{r.numerator} short by",
                with_unit(max(r.numerator_needed - r.numerator_current, Decimal(0)), n_unit),
            ),
        ]
    if analysis.growth is not None:
        g = analysis.growth
        g_unit = _unit(plan, g.of)
        lines += [
            (f"{g.of} base", f"{with_unit(g.base_value, g_unit)} ({g.base_period.code})"),
            (f"{g.of} needed", with_unit(g.needed_value, g_unit)),
            (f"{g.of} now", with_unit(g.current_value, g_unit)),
        ]
        if g.year_end_needed is not None:
            lines.append(
                (
                    f"{g.of} needed for the year",
                    f"{with_unit(g.year_end_needed, g_unit)} "
                    f"(previous year {with_unit(g.year_end_base, g_unit)})",
                )
            )
    return lines


def _unit(plan: Plan, measure_id: str) -> str:
    measure = plan.measure(measure_id)
    return measure.unit if measure else ""


RANK_HEADER = (
    "#",
    "Target",
    "ID",
    "Status",
    "Actual",
    "Expected",
    "Behind expected",
    "% of target",
    "Gap",
)


def ranking(report: Report, ranked: Sequence[Assessment], fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return to_json(ranking_json(report, ranked))
    if fmt is OutputFormat.CSV:
        records = ranking_json(report, ranked)["ranking"]
        raw = [
            [rank, *_assessment_raw(a), a.shortfall_vs_expected] for rank, a in enumerate(ranked, 1)
        ]
        return to_csv(_flat_rows(records, raw))
    rows = [
        [
            str(rank),
            a.target.name,
            a.target.id,
            status_label(a.status),
            with_unit(a.actual.value if a.actual else None, a.target.unit),
            with_unit(a.expected, a.target.unit),
            percent(a.shortfall_vs_expected),
            percent(a.percent_of_target),
            with_unit(a.gap, a.target.unit),
        ]
        for rank, a in enumerate(ranked, 1)
    ]
    if fmt is OutputFormat.MARKDOWN:
        return f"## {report.plan.title}: targets by shortfall\n\n" + markdown_table(
            RANK_HEADER, rows
        )
    as_of = report.as_of.month_code if report.as_of else "–"
    table = _table(f"Targets by shortfall against expected-by-now · as of {as_of}")
    for index, heading in enumerate(RANK_HEADER):
        if heading != "ID":
            table.add_column(
                heading, justify="left" if index in (1, 3) else "right", no_wrap=index != 1
            )
    for a, row in zip(ranked, rows, strict=True):
        status_cell = Text(row[3], style=STATUS_STYLE[a.status])
        table.add_row(row[0], _name_cell(a.target), status_cell, *row[4:])
    return table


# ---------------------------------------------------------------- targets and template


TARGETS_HEADER = ("ID", "Role", "Name", "English name", "Kind", "Target", "Aliases")


def targets(plan: Plan, fmt: OutputFormat) -> Output:
    data = targets_json(plan)
    if fmt is OutputFormat.JSON:
        return to_json(data)
    if fmt is OutputFormat.CSV:
        records = data["measures"]
        return to_csv([list(records[0]), *(list(r.values()) for r in records)])
    rows = [
        [
            m.id,
            "target" if isinstance(m, Target) else "indicator",
            m.name,
            m.name_en,
            m.kind.value,
            target_text(m) if isinstance(m, Target) else f"({m.unit})",
            "、".join(m.aliases),
        ]
        for m in plan.measures
    ]
    if fmt is OutputFormat.MARKDOWN:
        return f"## {plan.title}: targets and indicators\n\n" + markdown_table(TARGETS_HEADER, rows)
    table = _table(plan.title)
    for heading in TARGETS_HEADER:
        table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def template(plan: Plan, period: Period) -> str:
    """An actuals skeleton: one row per target and indicator, plus the baselines the figures use."""
    rows: list[list[str]] = [["target", "period", "value", "region", "note", "source"]]
    for measure in plan.measures:
        rows.append([measure.id, period.code, "", "", measure.name, ""])
    previous = period.year - 1
    for measure in plan.measures:
        if measure.kind.value == "stock":
            rows.append(
                [
                    measure.id,
                    str(previous),
                    "",
                    "",
                    f"{measure.name}: {previous}年末基数 (baseline)",
                    "",
                ]
            )
    for derivation in plan.derivations:
        if derivation.formula == "growth":
            base = (
                period.same_period_of(previous).code if not period.is_full_year else str(previous)
            )
            of = plan.measure(derivation.of)
            name = of.name if of else derivation.of
            rows.append(
                [derivation.of, base, "", "", f"{name}: 上年同期 (same period last year)", ""]
            )
    return to_csv(rows)


# ---------------------------------------------------------------- problems and validation


def more_problems_line(more: int) -> str:
    return f"… and {more} more problem{'s' if more != 1 else ''} (use --max-problems)"


def problem_line(problem: Problem) -> str:
    return f"{problem.location()}: {problem.code}: {problem.message}"


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(problem: Problem) -> str:
    props = [f"file={_github_escape(problem.path, prop=True)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
        if problem.col is not None:
            props.append(f"col={problem.col}")
    props.append(f"title={_github_escape(problem.code, prop=True)}")
    return f"::error {','.join(props)}::{_github_escape(problem.message)}"


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "code": problem.code,
        "path": problem.path,
        "line": problem.line,
        "col": problem.col,
        "sheet": problem.sheet,
        "message": problem.message,
    }


def validation_json(report: ValidationReport) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "valid": report.valid,
        "problem_count": report.problem_count,
        "files": [
            {
                "path": f.path,
                "kind": f.kind,
                "valid": not f.total,
                "rows": f.rows,
                "encoding": f.encoding,
                "sheet": f.sheet,
                "problem_count": f.total,
                "problems": [problem_json(p) for p in f.problems],
            }
            for f in report.files
        ],
    }


def validation_summary(report: ValidationReport) -> str:
    count = report.problem_count
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if not count:
        return f"ok: {files} {noun} checked, no problems"
    return f"{count} problem{'s' if count != 1 else ''} in {files} {noun} checked"


# ---------------------------------------------------------------- output


def as_text(output: Output, width: int = 120) -> str:
    """A result as plain text (no colour), for writing to a file."""
    if isinstance(output, str):
        return output
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(output)
    return buffer.getvalue()


def emit(output: Output) -> None:
    """Write a rendered result to stdout: text as is, rich renderables through a console."""
    if isinstance(output, str):
        sys.stdout.write(output)
        sys.stdout.flush()
    else:
        Console(highlight=False, soft_wrap=False).print(output)

"""Results and problems -> table, JSON, CSV, Markdown and CI annotations.

The only module that imports rich. Numbers arrive at full precision: JSON and
CSV keep it; tables and Markdown round (half up) for people.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
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
    with localcontext() as context:
        context.prec = max(context.prec, value.adjusted() + places + 2)
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


def assessment_record(assessment: Assessment) -> dict[str, Any]:
    """One target's figures at full precision: the JSON object and the CSV row."""
    target, actual = assessment.target, assessment.actual
    return {
        "id": target.id,
        "name": target.name,
        "name_en": target.name_en,
        "unit": target.unit,
        "kind": target.kind.value,
        "comparison": target.comparison.value,
        "target": target.value,
        "actual": actual.value if actual else None,
        "period": actual.period.code if actual else None,
        "basis": actual.basis.value if actual else None,
        "baseline": assessment.baseline,
        "expected": assessment.expected,
        "percent_of_target": assessment.percent_of_target,
        "gap": assessment.gap,
        "status": assessment.status.value,
    }


def as_of_code(period: Period | None) -> str | None:
    return period.month_code if period else None


def status_json(report: Report) -> dict[str, Any]:
    return jsonable(
        {
            "schema_version": SCHEMA_VERSION,
            "plan": _plan_json(report.plan),
            "as_of": as_of_code(report.as_of),
            "counts": {status.value: count for status, count in report.counts().items()},
            "targets": [assessment_record(a) for a in report.assessments],
        }
    )


RATIO_KEYS = (
    "numerator",
    "denominator",
    "denominator_value",
    "numerator_current",
    "numerator_needed",
)
GROWTH_KEYS = (
    "of",
    "base_period",
    "base_value",
    "current_value",
    "needed_value",
    "year_end_base",
    "year_end_needed",
)


def gap_record(analysis: GapAnalysis) -> dict[str, Any]:
    ratio, growth = analysis.ratio, analysis.growth
    return {
        **assessment_record(analysis.assessment),
        "months_elapsed": analysis.months_elapsed,
        "months_remaining": analysis.months_remaining,
        "remaining": analysis.remaining,
        "pace_so_far": analysis.pace_so_far,
        "pace_needed": analysis.pace_needed,
        "projected_year_end": analysis.projected_year_end,
        "ratio": None
        if ratio is None
        else dict(
            zip(
                RATIO_KEYS,
                (
                    ratio.numerator,
                    ratio.denominator,
                    ratio.denominator_value,
                    ratio.numerator_current,
                    ratio.numerator_needed,
                ),
                strict=True,
            )
        ),
        "growth": None
        if growth is None
        else dict(
            zip(
                GROWTH_KEYS,
                (
                    growth.of,
                    growth.base_period.code,
                    growth.base_value,
                    growth.current_value,
                    growth.needed_value,
                    growth.year_end_base,
                    growth.year_end_needed,
                ),
                strict=True,
            )
        ),
    }


def gap_json(plan: Plan, analysis: GapAnalysis) -> dict[str, Any]:
    return jsonable(
        {
            "schema_version": SCHEMA_VERSION,
            "plan": _plan_json(plan),
            "as_of": as_of_code(analysis.as_of),
            "target": gap_record(analysis),
        }
    )


def ranking_records(ranked: Sequence[Assessment]) -> list[dict[str, Any]]:
    return [
        {
            "rank": rank,
            **assessment_record(a),
            "shortfall_vs_expected": a.shortfall_vs_expected,
        }
        for rank, a in enumerate(ranked, 1)
    ]


def ranking_json(report: Report, ranked: Sequence[Assessment]) -> dict[str, Any]:
    return jsonable(
        {
            "schema_version": SCHEMA_VERSION,
            "plan": _plan_json(report.plan),
            "as_of": as_of_code(report.as_of),
            "ranking": ranking_records(ranked),
        }
    )


def targets_json(plan: Plan) -> dict[str, Any]:
    return jsonable(
        {
            "schema_version": SCHEMA_VERSION,
            "plan": _plan_json(plan),
            "measures": [measure_record(plan, m) for m in plan.measures],
        }
    )


def measure_record(plan: Plan, measure: Measure) -> dict[str, Any]:
    target = measure if isinstance(measure, Target) else None
    derivation = plan.derivation_for(measure.id)
    return {
        "id": measure.id,
        "role": "target" if target else "indicator",
        "name": measure.name,
        "name_en": measure.name_en,
        "unit": measure.unit,
        "kind": measure.kind.value,
        "comparison": target.comparison.value if target else None,
        "target": target.value if target else None,
        "aliases": list(measure.aliases),
        "derived_by": derivation.formula if derivation else None,
    }


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """Decimals as JSON numbers (the nearest double), everything else as it is."""
    return {key: _jsonable(value) for key, value in data.items()}


def _jsonable(data: Any) -> Any:
    if isinstance(data, Decimal):
        return number(data)
    if isinstance(data, dict):
        return jsonable(data)
    if isinstance(data, list | tuple):
        return [_jsonable(value) for value in data]
    return data


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(jsonable(data), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- CSV and Markdown


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows: Iterable[Sequence[Any]]) -> str:
    """CSV text: numbers at full precision, text cells safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; CR and LF in cells get quoted
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


def records_csv(records: Sequence[dict[str, Any]]) -> str:
    """One header row from the records' keys, one row per record, full precision."""
    header = list(records[0]) if records else []
    return to_csv([header, *([record[key] for key in header] for record in records)])


def flatten(record: dict[str, Any], nested: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Nested objects as prefixed columns, always present, so every file has the same header."""
    flat = {key: value for key, value in record.items() if key not in nested}
    for part, keys in nested.items():
        inner = record.get(part) or {}
        flat.update({f"{part}_{key}": inner.get(key) for key in keys})
    return flat


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


WIDE = 100  # from this many columns, tables show bars and ids


def _table(title: str) -> Table:
    return Table(
        title=Text(title),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        collapse_padding=True,
        pad_edge=False,
        title_justify="left",
    )


def _name_cell(measure: Measure, *, with_id: bool) -> Text:
    """The Chinese name; on wide terminals the id (what commands take) dim beneath it."""
    name = Text(measure.name, overflow="fold")
    if with_id:
        name.append(f"\n{measure.id}", style="dim")
    return name


def _as_of_text(period: Period | None) -> str:
    return period.month_code if period else "no data for the plan year"


# ---------------------------------------------------------------- status


STATUS_COLUMNS = (
    "Target",
    "ID",
    "Goal",
    "Actual",
    "Period",
    "Expected",
    "Gap",
    "% of target",
    "Status",
)


def _status_cells(a: Assessment) -> dict[str, str]:
    unit = a.target.unit
    return {
        "Target": a.target.name,
        "ID": a.target.id,
        "Goal": target_text(a.target),
        "Actual": with_unit(a.actual.value if a.actual else None, unit),
        "Period": period_text(a),
        "Expected": with_unit(a.expected, unit),
        "Gap": with_unit(a.gap, unit),
        "% of target": percent(a.percent_of_target),
        "Status": status_label(a.status),
    }


def _summary_text(report: Report) -> Text:
    text = Text(f"{len(report.assessments)} targets, as of {_as_of_text(report.as_of)}: ")
    for index, (status, count) in enumerate(report.counts().items()):
        if index:
            text.append(", ")
        text.append(
            f"{count} {status_label(status)}", style=STATUS_STYLE[status] if count else "dim"
        )
    return text


def summary_line(report: Report) -> str:
    return _summary_text(report).plain


def _legend(report: Report) -> str:
    """Explain the marks that the table uses, and only those."""
    used = {a.actual.basis for a in report.assessments if a.actual is not None}
    notes = {
        Basis.REGIONAL_SUM: "Σ = sum of regional rows",
        Basis.DERIVED: "ƒ = derived by the plan's formula",
    }
    return ", ".join(note for basis, note in notes.items() if basis in used)


def status(report: Report, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return to_json(status_json(report))
    if fmt is OutputFormat.CSV:
        return records_csv([assessment_record(a) for a in report.assessments])
    if fmt is OutputFormat.MARKDOWN:
        title = f"## {report.plan.title}: status as of {_as_of_text(report.as_of)}\n\n"
        rows = (
            [cells[c] for c in STATUS_COLUMNS] for cells in map(_status_cells, report.assessments)
        )
        legend = _legend(report)
        return (
            title
            + markdown_table(STATUS_COLUMNS, rows)
            + "\n"
            + summary_line(report)
            + "\n"
            + (legend + "\n" if legend else "")
        )
    return StatusView(report)


class StatusView:
    """The status table, laid out for the width it is given: bars and ids only where they fit."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report = self.report
        yield _status_table(report, wide=options.max_width >= WIDE)
        yield _summary_text(report)
        legend = _legend(report)
        if legend:
            yield Text(legend, style="dim")


def _status_table(report: Report, *, wide: bool) -> Table:
    table = _table(f"{report.plan.title} · as of {_as_of_text(report.as_of)}")
    table.add_column("Target", min_width=8)
    for heading in ("Goal", "Actual"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("Period", no_wrap=True)
    for heading in ("Expected", "Gap"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("% of target" if wide else "%", justify="left" if wide else "right")
    table.add_column("Status", no_wrap=True)
    for a in report.assessments:
        cells = _status_cells(a)
        style = STATUS_STYLE[a.status]
        actual = Text(cells["Actual"])
        if a.actual is not None and a.actual.basis is not Basis.REPORTED:
            actual.append(BASIS_MARK[a.actual.basis], style="dim")
        progress = Text(bar(a.percent_of_target) + " ", style=style) if wide else Text()
        progress.append(f"{cells['% of target']:>6}")
        table.add_row(
            _name_cell(a.target, with_id=wide),
            Text(cells["Goal"]),
            actual,
            Text(a.actual.period.code if a.actual else "–"),
            Text(cells["Expected"]),
            Text(cells["Gap"]),
            progress,
            Text(cells["Status"], style=style),
        )
    return table


# ---------------------------------------------------------------- gap


def gap(plan: Plan, analysis: GapAnalysis, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return to_json(gap_json(plan, analysis))
    if fmt is OutputFormat.CSV:
        nested = {"ratio": RATIO_KEYS, "growth": GROWTH_KEYS}
        return records_csv([flatten(gap_record(analysis), nested)])
    lines = _gap_lines(plan, analysis)
    target = analysis.assessment.target
    if fmt is OutputFormat.MARKDOWN:
        head = f"## {target.name} ({target.id}): {target_text(target)}\n\n"
        return head + markdown_table(("Figure", "Value"), lines)
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    status_style = STATUS_STYLE[analysis.assessment.status]
    for label, value in lines:
        table.add_row(Text(label), Text(value, style=status_style if label == "Status" else ""))
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
    lines.append(("Actual", f"{with_unit(a.actual.value, unit)} ({period_text(a).strip()})"))
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
        numerator, n_unit = _name_and_unit(plan, r.numerator)
        denominator, d_unit = _name_and_unit(plan, r.denominator)
        short = max(r.numerator_needed - r.numerator_current, Decimal(0))
        lines += [
            (
                f"{numerator} needed",
                f"{with_unit(r.numerator_needed, n_unit)} for {target_text(a.target)} of "
                f"{denominator} {with_unit(r.denominator_value, d_unit)}",
            ),
            (f"{numerator} now", with_unit(r.numerator_current, n_unit)),
            (f"{numerator} short by", with_unit(short, n_unit)),
        ]
    if analysis.growth is not None:
        g = analysis.growth
        grown, g_unit = _name_and_unit(plan, g.of)
        lines += [
            (f"{grown} base", f"{with_unit(g.base_value, g_unit)} ({g.base_period.code})"),
            (f"{grown} needed", with_unit(g.needed_value, g_unit)),
            (f"{grown} now", with_unit(g.current_value, g_unit)),
        ]
        if g.year_end_needed is not None:
            lines.append(
                (
                    f"{grown} needed for the year",
                    f"{with_unit(g.year_end_needed, g_unit)} "
                    f"(previous year {with_unit(g.year_end_base, g_unit)})",
                )
            )
    return lines


def _name_and_unit(plan: Plan, measure_id: str) -> tuple[str, str]:
    measure = plan.measure(measure_id)
    return (measure.name, measure.unit) if measure else (measure_id, "")


RANK_COLUMNS = (
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
_NARROW_RANK_DROPS = ("ID", "% of target", "Gap")


def _rank_cells(rank: int, a: Assessment) -> dict[str, str]:
    unit = a.target.unit
    return {
        "#": str(rank),
        "Target": a.target.name,
        "ID": a.target.id,
        "Status": status_label(a.status),
        "Actual": with_unit(a.actual.value if a.actual else None, unit),
        "Expected": with_unit(a.expected, unit),
        "Behind expected": percent(a.shortfall_vs_expected),
        "% of target": percent(a.percent_of_target),
        "Gap": with_unit(a.gap, unit),
    }


def ranking(report: Report, ranked: Sequence[Assessment], fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return to_json(ranking_json(report, ranked))
    if fmt is OutputFormat.CSV:
        return records_csv(ranking_records(ranked))
    if fmt is OutputFormat.MARKDOWN:
        rows = ([_rank_cells(r, a)[c] for c in RANK_COLUMNS] for r, a in enumerate(ranked, 1))
        title = f"## {report.plan.title}: targets by shortfall as of {_as_of_text(report.as_of)}"
        return title + "\n\n" + markdown_table(RANK_COLUMNS, rows)
    return RankingView(report, ranked)


class RankingView:
    """Targets by shortfall; narrow terminals keep the name and the figures that rank it."""

    def __init__(self, report: Report, ranked: Sequence[Assessment]) -> None:
        self.report, self.ranked = report, ranked

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= WIDE
        title = (
            f"Targets by shortfall against expected-by-now · as of {_as_of_text(self.report.as_of)}"
        )
        table = _table(title)
        columns = [c for c in RANK_COLUMNS if c != "ID" and (wide or c not in _NARROW_RANK_DROPS)]
        for column in columns:
            left = column in ("Target", "Status")
            table.add_column(
                column, justify="left" if left else "right", no_wrap=column != "Target"
            )
        for rank, a in enumerate(self.ranked, 1):
            cells = _rank_cells(rank, a)
            row: list[RenderableType] = []
            for column in columns:
                if column == "Target":
                    row.append(_name_cell(a.target, with_id=wide))
                elif column == "Status":
                    row.append(Text(cells[column], style=STATUS_STYLE[a.status]))
                else:
                    row.append(Text(cells[column]))
            table.add_row(*row)
        yield table


# ---------------------------------------------------------------- targets and template


TARGET_COLUMNS = ("ID", "Role", "Name", "English name", "Kind", "Target", "Aliases")


def _target_cells(measure: Measure, aliases_joiner: str) -> list[str]:
    is_target = isinstance(measure, Target)
    return [
        measure.id,
        "target" if is_target else "indicator",
        measure.name,
        measure.name_en,
        measure.kind.value,
        target_text(measure) if isinstance(measure, Target) else f"({measure.unit})",
        aliases_joiner.join(measure.aliases),
    ]


def targets(plan: Plan, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return to_json(targets_json(plan))
    if fmt is OutputFormat.CSV:
        return records_csv([measure_record(plan, m) for m in plan.measures])
    if fmt is OutputFormat.MARKDOWN:
        rows = (_target_cells(m, "、") for m in plan.measures)
        return f"## {plan.title}: targets and indicators\n\n" + markdown_table(TARGET_COLUMNS, rows)
    return TargetsView(plan)


class TargetsView:
    """Targets and indicators; narrow terminals keep what users type and the goal."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= WIDE
        columns = [c for c in TARGET_COLUMNS if wide or c in ("ID", "Name", "Target", "Aliases")]
        table = _table(self.plan.title)
        for heading in columns:
            # What users type (ids, aliases) is never broken across lines.
            fixed = heading in ("ID", "Aliases", "Target", "Role", "Kind")
            table.add_column(heading, no_wrap=fixed, overflow="fold")
        for measure in self.plan.measures:
            cells = dict(zip(TARGET_COLUMNS, _target_cells(measure, "\n"), strict=True))
            table.add_row(*(Text(cells[c]) for c in columns))
        yield table


def template(plan: Plan, period: Period) -> str:
    """An actuals skeleton to fill in (see actuals.template_rows)."""
    from .actuals import TEMPLATE_HEADER, template_rows

    return to_csv([list(TEMPLATE_HEADER), *template_rows(plan, period)])


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
    if report.unreadable:
        unread = len(report.unreadable)
        noun = "file" if files == 1 else "files"
        return f"{count} problems in {files} {noun} checked; {unread} could not be read"
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
        _Stdout(highlight=False, soft_wrap=False).print(output)


class _Stdout(Console):
    def on_broken_pipe(self) -> None:
        """Leave a closed pipe to the CLI's one error boundary (rich would exit 1 here)."""
        raise BrokenPipeError

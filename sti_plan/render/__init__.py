"""Results and problems -> every output format; the one rendering layer.

records.py makes JSON and CSV (full precision), text.py the text people read (rounded
figures, Markdown, problem lines, annotations), tables.py the terminal tables: rich is
imported only when a table is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..formats import DocumentFormat, OutputFormat, ReportFormat
from ..model import Plan
from ..periods import Period
from ..problems import printable
from ..results import (
    Assessment,
    Bulletin,
    CompoundGrowth,
    Coverage,
    Explanation,
    FullReport,
    GapAnalysis,
    GrowthNeed,
    PaceShare,
    Projection,
    RatioNeed,
    RegionMatrix,
    RegionReport,
    Report,
    TaskReport,
    Trend,
    TrendPoint,
    ValidationReport,
)
from . import records, text

if TYPE_CHECKING:
    from rich.console import RenderableType

    Output = str | RenderableType
else:
    Output = Any


# Nested in a status record: prefixed columns in CSV.
COVERAGE = {
    "regions": Coverage,
    "pace": PaceShare,
    "projection": Projection,
    "compound": CompoundGrowth,
}


def status(
    report: Report,
    fmt: OutputFormat,
    tasks: TaskReport | None = None,
    part_of: Report | None = None,
) -> Output:
    """The status of every target; with `tasks`, a line of the key tasks' counts too; with
    `part_of`, the plan over several years the year's plan is part of, after it (not in
    CSV, a row per target of the year's plan)."""
    if fmt is OutputFormat.JSON:
        document = records.status_document(report)
        if tasks is not None:
            document["task_counts"] = records.task_counts(tasks)
        if part_of is not None:
            document["part_of"] = records.part_of_record(part_of)
        return records.to_json(document)
    if fmt is OutputFormat.CSV:
        return records.records_csv(
            [records.flatten(records.assessment_record(a), COVERAGE) for a in report.assessments]
        )
    if fmt is OutputFormat.MARKDOWN:
        tail = text.tasks_summary(tasks) + "\n" if tasks is not None else ""
        over = "\n" + text.status_markdown(part_of) if part_of is not None else ""
        return text.status_markdown(report) + tail + over
    from .tables import StatusView, one_after_another

    view = StatusView(report, tasks)
    return view if part_of is None else one_after_another(view, StatusView(part_of))


def gap(plan: Plan, analysis: GapAnalysis, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return records.to_json(records.gap_document(plan, analysis))
    if fmt is OutputFormat.CSV:
        nested = {"ratio": RatioNeed, "growth_need": GrowthNeed, **COVERAGE}
        return records.records_csv([records.flatten(records.gap_record(analysis), nested)])
    if fmt is OutputFormat.MARKDOWN:
        return text.gap_markdown(plan, analysis)
    from .tables import gap_view

    return gap_view(plan, analysis)


def document(report: FullReport, fmt: DocumentFormat) -> str | bytes:
    """The report to pass on: an HTML page (text) or a workbook (bytes)."""
    if fmt is DocumentFormat.HTML:
        from .html import report_html

        return report_html(report)
    from .xlsx import report_workbook

    return report_workbook(report)


def trend(report: Trend, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return records.to_json(records.trend_document(report))
    if fmt is OutputFormat.CSV:
        header = ["target", "region", *records.fields_of_kind(TrendPoint)]
        rows = records.trend_records(report)
        return records.to_csv([header, *([row[key] for key in header] for row in rows)])
    if fmt is OutputFormat.MARKDOWN:
        return text.trend_markdown(report)
    from .tables import TrendView

    return TrendView(report)


def explanation(report: Explanation, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return records.to_json(records.explanation_document(report))
    if fmt is OutputFormat.CSV:
        return records.records_csv(records.explanation_records(report))
    if fmt is OutputFormat.MARKDOWN:
        return text.explanation_markdown(report)
    return "\n".join(text.explanation_lines(report)) + "\n"


def ranking(report: Report, ranked: Sequence[Assessment], fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return records.to_json(records.ranking_document(report, ranked))
    if fmt is OutputFormat.CSV:
        return records.records_csv(records.ranking_records(ranked))
    if fmt is OutputFormat.MARKDOWN:
        return text.ranking_markdown(report, ranked)
    from .tables import RankingView

    return RankingView(report, ranked)


def bulletin(report: Bulletin, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return records.to_json(records.bulletin_document(report))
    if fmt is OutputFormat.CSV:
        return records.records_csv(records.bulletin_records(report))
    if fmt is OutputFormat.MARKDOWN:
        return text.bulletin_markdown(report)
    from .tables import BulletinView

    return BulletinView(report)


def region_status(report: RegionReport, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return records.to_json(records.region_report_document(report))
    if fmt is OutputFormat.CSV:
        return records.records_csv([records.region_target_record(r) for r in report.targets])
    if fmt is OutputFormat.MARKDOWN:
        return text.region_markdown(report)
    from .tables import RegionView

    return RegionView(report)


def matrix(report: RegionMatrix, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return records.to_json(records.matrix_document(report))
    if fmt is OutputFormat.CSV:
        return records.records_csv(records.matrix_records(report))
    if fmt is OutputFormat.MARKDOWN:
        return text.matrix_markdown(report)
    from .tables import MatrixView

    return MatrixView(report)


def targets(plan: Plan, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return records.to_json(records.targets_document(plan))
    if fmt is OutputFormat.CSV:
        return records.records_csv([records.measure_record(plan, m) for m in plan.measures])
    if fmt is OutputFormat.MARKDOWN:
        return text.targets_markdown(plan)
    from .tables import TargetsView

    return TargetsView(plan)


def tasks(report: TaskReport, fmt: OutputFormat) -> Output:
    if fmt is OutputFormat.JSON:
        return records.to_json(records.tasks_document(report))
    if fmt is OutputFormat.CSV:
        return records.records_csv(records.task_csv_records(report))
    if fmt is OutputFormat.MARKDOWN:
        return text.tasks_markdown(report)
    from .tables import TasksView

    return TasksView(report)


def template_workbook(plan: Plan, period: Period, rows: Sequence[Sequence[str]]) -> bytes:
    """The actuals template as a workbook whose target and period cells take only the
    plan's names and the year's periods."""
    from .xlsx import template_workbook as workbook

    return workbook(plan, period, text.template_header(), rows)


def template(rows: Sequence[Sequence[str]]) -> str:
    """An actuals skeleton to fill in, as CSV, its header in the language in use (指标,
    统计期, … in Chinese: headers the actuals reader knows)."""
    return records.to_csv([text.template_header(), *rows])


def tasks_template(plan: Plan, period: Period) -> str:
    """A tasks progress skeleton to fill in, as CSV: a row per key task, its title beside."""
    rows = [[str(t.number), t.title, period.code, "", "", "", "", ""] for t in plan.tasks]
    return records.to_csv([text.tasks_template_header(), *rows])


def schema(schema: dict[str, Any]) -> str:
    return records.to_json(schema)


def validation(report: ValidationReport, fmt: ReportFormat) -> tuple[str, list[str]]:
    """What `validate` shows: the report (stdout), and the lines for stderr."""
    messages: list[str] = []
    shown: str
    if fmt is ReportFormat.JSON:
        shown = records.to_json(records.validation_document(report))
    else:
        line = text.github_line if fmt is ReportFormat.GITHUB else text.problem_line
        shown = "".join(line(problem) + "\n" for problem in report.problems)
        more = report.problem_count - len(report.problems)
        if more > 0:
            messages.append(text.more_problems_line(more))
    messages += [f"note: {note}" for note in report.skipped]
    messages += [f"error: {error}" for error in report.unreadable]
    if fmt is not ReportFormat.JSON:
        messages.append(text.validation_summary(report))
    return shown, messages


def as_text(output: Output) -> str:
    """A result as plain text (no colour), for writing to a file; control characters from
    the data escaped, as on a terminal."""
    if isinstance(output, str):
        return printable(output)
    from .tables import plain_text

    return plain_text(output)


def emit(output: Output) -> None:
    """Write a result to stdout: text with its control characters escaped (JSON in ASCII
    where stdout cannot encode Chinese), tables through a console that escapes them too."""
    if isinstance(output, str):
        shown = printable(output)
        if isinstance(output, records.JsonText) and not _encodes(sys.stdout, shown):
            shown = output.ascii()
        sys.stdout.write(shown)
        sys.stdout.flush()
        return
    from .tables import print_view

    print_view(output)


def _encodes(stream: Any, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True

"""The report, and the actuals template, as Excel workbooks (XlsxWriter): numbers as numbers
in number formats with their units, percentages in Excel's percent format, fills by
status, frozen headers, columns wide enough for Chinese, native charts of progress against
pace. The only module that imports xlsxwriter.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter

from ..i18n import _, pgettext
from ..model import Kind, Plan
from ..periods import Period
from ..results import Bulletin, FullReport, Status
from . import text

FILLS = {
    Status.ACHIEVED: "#C8E6C9",
    Status.ON_TRACK: "#E8F5E9",
    Status.AT_RISK: "#FFF3E0",
    Status.OFF_TRACK: "#FDECEA",
    Status.MISSED: "#F8BBD0",
    Status.NO_DATA: "#EEEEEE",
}
PERCENT = "0.0%"
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def report_workbook(report: FullReport) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties(
        {
            "title": report.status.plan.title,
            "comments": "sti-plan",
            "created": dt.datetime.fromisoformat(report.generated),  # as the report says
        }
    )
    formats = _Formats(book)
    _overview(book, formats, report)
    for bulletin in report.bulletins:
        _bulletin_sheet(book, formats, bulletin)
    if report.tasks is not None:
        _tasks_sheet(book, formats, report)
    _inputs_sheet(book, formats, report)
    book.close()
    return buffer.getvalue()


class _Formats:
    """The workbook's cell formats, made once each."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.head = book.add_format(
            {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True}
        )
        self.text = book.add_format({"border": 1})
        self.percent = book.add_format({"num_format": PERCENT, "border": 1})
        self.points = book.add_format({"num_format": "+0.0;-0.0;0.0", "border": 1})
        self._units: dict[str, Any] = {}
        self._status = {
            status: book.add_format({"bg_color": colour, "border": 1, "bold": True})
            for status, colour in FILLS.items()
        }

    def unit(self, unit: str, whole: bool = False) -> Any:
        """A number in its unit: 1,036家 (whole counts), 44.60亿元; a % value as a
        percentage; percentage points (pp) as points."""
        key = f"{unit}|{whole}"
        if key not in self._units:
            quoted = unit.replace('"', "")
            if unit == "%":
                spec = {"num_format": "0.00%", "border": 1}
            elif unit == "pp":
                spec = {"num_format": f'0.00" {text.points().strip()}"', "border": 1}
            else:
                number = "#,##0" if whole else "#,##0.00"
                spec = {"num_format": f'{number}"{quoted}"', "border": 1}
            self._units[key] = self.book.add_format(spec)
        return self._units[key]

    def status(self, status: Status | None) -> Any:
        return self._status[status] if status is not None else self.text


def _value(value: Decimal | None, unit: str) -> float | None:
    """A figure as Excel holds it: a % value as a fraction (8.7 % is 0.087)."""
    if value is None:
        return None
    return float(value / 100) if unit == "%" else float(value)


def _percent(value: Decimal | None) -> float | None:
    return float(value / 100) if value is not None else None


def _write(sheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


class _Widths:
    """Column widths that fit what is written, Chinese characters counted twice."""

    def __init__(self) -> None:
        self.widths: dict[int, int] = {}

    def see(self, col: int, shown: str) -> None:
        size = max((text.cell_width(line) for line in shown.splitlines()), default=0)
        self.widths[col] = max(self.widths.get(col, 0), min(size + 2, 60))

    def apply(self, sheet: Any) -> None:
        for col, width in self.widths.items():
            sheet.set_column(col, col, max(width, 6))


def _sheet_name(book: Any, name: str) -> str:
    """A sheet name Excel takes (31 characters, none of []:*?/\\, no apostrophe at either
    end), unique in the book whatever its case."""
    base = _SHEET_UNSAFE.sub("_", name)[:31].strip("'") or "sheet"
    taken = {sheet.name.casefold() for sheet in book.worksheets()}
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)].rstrip("'") + suffix, n + 1
    return candidate


def _overview(book: Any, formats: _Formats, report: FullReport) -> None:
    status = report.status
    sheet = book.add_worksheet(_sheet_name(book, pgettext("sheet", "Overview")))
    sheet.write_string(0, 0, status.plan.title, formats.title)
    sheet.write_string(
        1,
        0,
        _("as of {as_of} · generated {date}").format(
            as_of=text.as_of_text(status.as_of), date=report.generated
        ),
    )
    headings = [
        pgettext("column", "Target"),
        _("ID"),
        _("Goal"),
        _("Actual"),
        _("Period"),
        _("Expected"),
        _("Gap"),
        _("Progress"),
        _("Pace"),
        _("vs pace"),
        _("Growth"),
        _("Status"),
    ]
    top = 3
    widths = _Widths()
    for col, heading in enumerate(headings):
        sheet.write_string(top, col, heading, formats.head)
        widths.see(col, heading)
    whole_units = status.plan.unit_table.whole
    for index, a in enumerate(status.assessments, start=top + 1):
        target, unit = a.target, a.target.unit
        whole = unit in whole_units
        actual = a.actual.value if a.actual is not None else None
        gap = float(a.gap) if a.gap is not None and target.gap_unit == "pp" else _value(a.gap, unit)
        cells: list[tuple[Any, Any]] = [
            (target.name, formats.text),
            (target.id, formats.text),
            (text.target_text(target), formats.text),
            (_value(actual, unit), formats.unit(unit, whole)),
            (text.period_text(a) if a.actual is not None else None, formats.text),
            (_value(a.expected, unit), formats.unit(unit)),
            (gap, formats.unit(target.gap_unit, whole)),
            (_percent(a.completion), formats.percent),
            (_percent(a.pace_percent), formats.percent),
            (float(a.vs_pace_pp) if a.vs_pace_pp is not None else None, formats.points),
            (_percent(a.growth), formats.percent),
            (text.status_label(a.status), formats.status(a.status)),
        ]
        for col, (value, fmt) in enumerate(cells):
            _write(sheet, index, col, value, fmt)
            widths.see(col, value if isinstance(value, str) else f"{value:,.2f}" if value else "")
    last = top + len(status.assessments)
    notes = [*text.legend_items(status), *text.target_notes(status)]
    for offset, line in enumerate(notes, start=1):
        sheet.write_string(last + offset, 0, line)
    widths.apply(sheet)
    sheet.freeze_panes(top + 1, 1)
    sheet.autofilter(top, 0, last, len(headings) - 1)
    last += len(notes)
    chart = book.add_chart({"type": "bar"})
    name = _sheet_name_ref(sheet.name)
    for col, label in ((7, _("Progress")), (8, _("Pace"))):
        chart.add_series(
            {
                "name": label,
                "categories": f"={name}!$A${top + 2}:$A${last + 1}",
                "values": f"={name}!${_column(col)}${top + 2}:${_column(col)}${last + 1}",
                "data_labels": {"value": col == 7, "num_format": PERCENT},
            }
        )
    chart.set_title({"name": _("Progress against pace (序时进度)")})
    chart.set_x_axis({"num_format": "0%", "min": 0})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 24 * len(status.assessments) + 140})
    sheet.insert_chart(last + 3, 0, chart)


def _column(index: int) -> str:
    return chr(ord("A") + index)


def _sheet_name_ref(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _bulletin_sheet(book: Any, formats: _Formats, report: Bulletin) -> None:
    target = report.target
    short = target.short_name or target.name
    sheet = book.add_worksheet(_sheet_name(book, _("Regions {name}").format(name=short)))
    sheet.write_string(0, 0, text.bulletin_title(report), formats.title)
    headings = text.bulletin_headings()
    columns = list(text.BULLETIN_COLUMNS)
    top = 2
    widths = _Widths()
    for col, key in enumerate(columns):
        sheet.write_string(top, col, headings[key], formats.head)
        widths.see(col, headings[key])
    unit = target.unit
    whole = unit in report.plan.unit_table.whole
    rows = text.bulletin_rows(report)
    for index, standing in enumerate(report.regions, start=top + 1):
        cells: list[tuple[Any, Any]] = [
            (rows[index - top - 1]["Region"], formats.text),
            (_value(standing.target, unit), formats.unit(unit, whole)),
            (_value(standing.actual, unit), formats.unit(unit, whole)),
            (_percent(standing.progress_percent), formats.percent),
            (_percent(standing.pace_percent), formats.percent),
            (
                float(standing.vs_pace_pp) if standing.vs_pace_pp is not None else None,
                formats.points,
            ),
            (_percent(standing.growth), formats.percent),
            (
                text.status_label(standing.status) if standing.status is not None else "-",
                formats.status(standing.status),
            ),
            (standing.rank, formats.text),
        ]
        for col, (value, fmt) in enumerate(cells):
            _write(sheet, index, col, value, fmt)
            widths.see(col, value if isinstance(value, str) else str(value or ""))
    last = top + len(report.regions)
    widths.apply(sheet)
    sheet.freeze_panes(top + 1, 1)
    if target.kind is Kind.RATE or not report.regions:
        return
    name = _sheet_name_ref(sheet.name)
    categories = f"={name}!$A${top + 2}:$A${last + 1}"
    bars = book.add_chart({"type": "column"})
    bars.add_series(
        {
            "name": headings["Progress"],
            "categories": categories,
            "values": f"={name}!$D${top + 2}:$D${last + 1}",
            "data_labels": {"value": True, "num_format": PERCENT},
        }
    )
    pace = book.add_chart({"type": "line"})
    pace.add_series(
        {
            "name": headings["Pace"],
            "categories": categories,
            "values": f"={name}!$E${top + 2}:$E${last + 1}",
            "line": {"color": "#C62828", "dash_type": "dash"},
            "marker": {"type": "none"},
        }
    )
    bars.combine(pace)
    bars.set_title({"name": text.bulletin_title(report)})
    bars.set_y_axis({"num_format": "0%", "min": 0})
    bars.set_legend({"position": "bottom"})
    bars.set_size({"width": 760, "height": 340})
    sheet.insert_chart(last + 3, 0, bars)


def _tasks_sheet(book: Any, formats: _Formats, report: FullReport) -> None:
    assert report.tasks is not None
    sheet = book.add_worksheet(_sheet_name(book, pgettext("sheet", "Tasks")))
    sheet.write_string(0, 0, text.tasks_summary(report.tasks), formats.title)
    headings = text.task_headings()
    widths = _Widths()
    top = 2
    for col, key in enumerate(text.TASK_COLUMNS):
        sheet.write_string(top, col, headings[key], formats.head)
        widths.see(col, headings[key])
    for index, standing in enumerate(report.tasks.tasks, start=top + 1):
        cells = text.task_cells(standing)
        for col, key in enumerate(text.TASK_COLUMNS):
            sheet.write_string(index, col, cells[key], formats.text)
            widths.see(col, cells[key])
    widths.apply(sheet)
    sheet.freeze_panes(top + 1, 2)


def _inputs_sheet(book: Any, formats: _Formats, report: FullReport) -> None:
    """Every input row the figures rest on, with the file and line it stands at."""
    sheet = book.add_worksheet(_sheet_name(book, pgettext("sheet", "Inputs")))
    headings = [
        pgettext("column", "Target"),
        _("File"),
        _("Line"),
        _("Sheet"),
        _("Region"),
        _("Period"),
        _("Value"),
    ]
    widths = _Widths()
    for col, heading in enumerate(headings):
        sheet.write_string(0, col, heading, formats.head)
        widths.see(col, heading)
    plan = report.status.plan
    for index, (target, row) in enumerate(report.rows, start=1):
        measure = plan.measure(row.measure) if row.measure is not None else None
        unit = measure.unit if measure is not None else target.unit
        whole = unit in plan.unit_table.whole
        cells: list[tuple[Any, Any]] = [
            (target.name, formats.text),
            (row.file, formats.text),
            (row.line, formats.text),
            (row.sheet, formats.text),
            (row.region or "全市", formats.text),
            (row.period, formats.text),
            (_value(row.value, unit), formats.unit(unit, whole)),
        ]
        for col, (value, fmt) in enumerate(cells):
            _write(sheet, index, col, value, fmt)
            widths.see(col, value if isinstance(value, str) else str(value or ""))
    widths.apply(sheet)
    sheet.freeze_panes(1, 0)


# ---------------------------------------------------------------- the actuals template


def template_workbook(
    plan: Plan, period: Period, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> bytes:
    """The actuals template as a workbook: the target and period columns take only the
    plan's names and the year's periods (drop-down lists, Excel data validation)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    formats = _Formats(book)
    sheet = book.add_worksheet(_sheet_name(book, pgettext("sheet", "Actuals")))
    lists = book.add_worksheet("lists")
    names = [name for measure in plan.measures for name in (measure.id, measure.name)]
    periods = _year_periods(period.year)
    for index, name in enumerate(names):
        lists.write_string(index, 0, name)
    for index, code in enumerate(periods):
        lists.write_string(index, 1, code)
    lists.hide()
    widths = _Widths()
    for col, heading in enumerate(header):
        sheet.write_string(0, col, heading, formats.head)
        widths.see(col, heading)
    for index, row in enumerate(rows, start=1):
        for col, cell in enumerate(row):
            sheet.write_string(index, col, cell)
            widths.see(col, cell)
    last = max(len(rows) + 200, 1000)
    message = {
        "validate": "list",
        "error_type": "stop",
        "error_title": _("Not in the plan"),
    }
    sheet.data_validation(
        1,
        0,
        last,
        0,
        {
            **message,
            "source": f"=lists!$A$1:$A${len(names)}",
            "error_message": _("Choose a target of the plan from the list."),
        },
    )
    sheet.data_validation(
        1,
        1,
        last,
        1,
        {
            **message,
            "source": f"=lists!$B$1:$B${len(periods)}",
            "error_message": _("Choose a period of the year from the list."),
        },
    )
    if plan.regions:
        regions = ["全市", *(region.name for region in plan.regions)]
        for index, name in enumerate(regions):
            lists.write_string(index, 2, name)
        sheet.data_validation(
            1,
            3,
            last,
            3,
            {
                **message,
                "source": f"=lists!$C$1:$C${len(regions)}",
                "error_message": _("Choose a region of the plan from the list."),
            },
        )
    widths.apply(sheet)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _year_periods(year: int) -> list[str]:
    """The periods a template's rows take: the year's months, quarters, halves and the
    year, then the year before's (its year end is a stock's baseline, its same periods the
    bases of growth)."""
    found = []
    for each in (year, year - 1):
        found += [f"{each:04d}-{m:02d}" for m in range(1, 13)]
        found += [f"{each:04d}-Q{q}" for q in range(1, 5)]
        found += [f"{each:04d}-H1", f"{each:04d}-H2", f"{each:04d}"]
    return found

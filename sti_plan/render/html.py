"""The report as one self-contained HTML page: Jinja2 lays it out, pygal draws the charts
as inline SVG. Nothing in it asks for anything from a network: no script, no web font
(text is in the viewer's system fonts, Chinese ones first), no image file; it prints on A4.
The only module that imports jinja2 or pygal.
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from typing import Any

import jinja2
import pygal
from markupsafe import Markup, escape
from pygal.style import Style

from .. import __version__
from ..i18n import Language, _, language
from ..model import Kind, Target
from ..results import Bulletin, FullReport, Status, Trend
from . import text

FONTS = (
    '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", SimSun, sans-serif'
)
COLOURS = {
    Status.ACHIEVED: "#1b5e20",
    Status.ON_TRACK: "#2e7d32",
    Status.AT_RISK: "#b26a00",
    Status.OFF_TRACK: "#c62828",
    Status.MISSED: "#8e0000",
    Status.NO_DATA: "#6b6b6b",
}
ACTUAL, PACE, PROJECTION, TARGET = "#1f4e79", "#8a8a8a", "#7b5ea7", "#c62828"
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)  # pygal's config: not needed
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # its credits, with a date and addresses
_CHART_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def report_html(report: FullReport) -> str:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sti_plan.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    page = environment.get_template("report.html.j2")
    return page.render(**_context(report))


def _context(report: FullReport) -> dict[str, Any]:
    status = report.status
    columns = [c for c in text.STATUS_COLUMNS if c != "ID"]
    headings = text.status_headings()
    rows = []
    for a in status.assessments:
        cells = text.status_cells(a)
        cells["Period"] = text.period_text(a)
        rows.append(
            {"id": a.target.id, "status": a.status.value, "cells": [cells[c] for c in columns]}
        )
    summary = [
        {"text": said.strip(), "status": kind.value if kind is not None else ""}
        for said, kind in text.summary_items(status)
    ]
    return {
        "lang": "zh-CN" if language() is Language.ZH else "en",
        "version": __version__,
        "title": status.plan.title,
        "subtitle": _("as of {as_of} · generated {date} · sti-plan {version}").format(
            as_of=text.as_of_text(status.as_of), date=report.generated, version=__version__
        ),
        "summary": summary,
        "status": {
            "headings": [headings[c] for c in columns],
            "rows": rows,
            "notes": [*text.legend_items(status), *text.target_notes(status)],
        },
        "courses": [
            _course(trend, number)
            for number, trend in enumerate((t for t in report.trends if t.points), start=1)
        ],
        "unreported": [trend.target.name for trend in report.trends if not trend.points],
        "bulletins": [_bulletin(b, 100 + number) for number, b in enumerate(report.bulletins)],
        "tasks": _tasks(report),
        "problems": [text.problem_line(p) for p in _problems(report)],
        "inputs": report.inputs,
        "labels": {
            "status": _("Where each target stands"),
            "courses": _("The year so far: each target against 序时进度"),
            "regions": _("The regions (通报)"),
            "tasks": _("Key tasks (重点任务)"),
            "problems": _("Warnings and problems in the inputs"),
            "no_problems": _("none"),
            "unreported": _("Not reported for the plan year up to the as-of period:"),
            "separator": text.separator(),
            "inputs": _("Made from:"),
            "made": _("Figures follow the rules in sti-plan's README; rounded for reading."),
        },
    }


def _problems(report: FullReport) -> list[Any]:
    found = list(report.status.problems)
    if report.tasks is not None:
        found += report.tasks.problems
    return found


def _tasks(report: FullReport) -> dict[str, Any] | None:
    if report.tasks is None:
        return None
    headings = text.task_headings()
    return {
        "summary": text.tasks_summary(report.tasks),
        "headings": [headings[c] for c in text.TASK_COLUMNS],
        "rows": [
            [text.task_cells(standing)[c] for c in text.TASK_COLUMNS]
            for standing in report.tasks.tasks
        ],
    }


def _style() -> Style:
    return Style(
        font_family=FONTS,
        background="white",
        plot_background="white",
        foreground="#1a1a1a",
        foreground_strong="#1a1a1a",
        foreground_subtle="#cccccc",
        colors=(ACTUAL, PACE, PROJECTION, PROJECTION),
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=12,
        value_font_size=11,
        title_font_size=14,
    )


def _svg(chart: Any, title: str, number: int) -> Markup:
    """The chart as inline SVG, without pygal's script and credits, its random id made the
    chart's number (the same inputs make the same page) and its tooltip title its own."""
    svg = _COMMENT.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))
    svg = _CHART_ID.sub(f"chart-{number}", svg)
    svg = svg.replace("<title>Pygal</title>", f"<title>{escape(title)}</title>", 1)
    return Markup(svg)


def _number(value: float) -> str:
    return text.rounded(Decimal(str(value)))


def _month_labels() -> list[str]:
    if language() is Language.ZH:
        return [f"{month}月" for month in range(1, 13)]
    return [calendar.month_abbr[month] for month in range(1, 13)]


def _course(trend: Trend, number: int) -> dict[str, Any]:
    """A target's year-to-date values by month, the pace line, the target, the year end."""
    target = trend.target
    chart = pygal.Line(
        style=_style(),
        js=[],
        width=800,
        height=330,
        disable_xml_declaration=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        dots_size=3.5,
        value_formatter=_number,
        no_data_text=_("no data"),
        x_labels=_month_labels(),
        show_y_guides=True,
        truncate_legend=-1,
    )
    values: list[float | None] = [None] * 12
    for point in trend.points:
        values[point.period.months - 1] = float(point.value)
    label = _("Actual (year to date)") if target.kind is Kind.CUMULATIVE else _("Actual")
    chart.add(label, values, stroke_style={"width": 2.5})
    if target.kind is not Kind.RATE and trend.path:
        path = [float(value) for _month, value in trend.path]
        chart.add(
            _("序时进度 (due by then)"),
            path,
            show_dots=False,
            stroke_style={"width": 1.5, "dasharray": "6, 4"},
        )
    projection = trend.projection
    if projection is not None and trend.points:
        latest = trend.points[-1]
        for name, end in _projection_ends(projection.low, projection.high):
            line: list[Any] = [None] * 12
            line[latest.period.months - 1] = {"value": float(latest.value), "node": {"r": 0}}
            line[11] = float(end)
            chart.add(name, line, stroke_style={"width": 1.5, "dasharray": "2, 3"})
    chart.y_labels = _y_labels(target, [v for v in values if v is not None], trend)
    chart.y_labels_major = [float(target.value)]
    guides = [v["value"] if isinstance(v, dict) else v for v in chart.y_labels]
    chart.range = (min(guides), max(guides))
    title = text.trend_title(trend)
    return {
        "id": target.id,
        "title": title,
        "svg": _svg(chart, title, number),
        "notes": text.trend_notes(trend),
    }


def _projection_ends(low: Decimal, high: Decimal) -> list[tuple[str, Decimal]]:
    if low == high:
        return [(_("Year-end projection"), low)]
    return [(_("Year-end projection, low"), low), (_("Year-end projection, high"), high)]


def _y_labels(target: Target, values: list[float], trend: Trend) -> list[Any]:
    """Guides from 0 (or the lowest value) to the highest of the values, the target and
    the year end, the target's own labelled."""
    ends = [float(target.value), *values]
    if trend.projection is not None:
        ends += [float(trend.projection.low), float(trend.projection.high)]
    if target.kind is not Kind.RATE:
        ends += [float(value) for _month, value in trend.path]
    top, bottom = max(ends), min(ends)
    if target.kind is not Kind.STOCK or bottom < (top - bottom):
        bottom = min(0.0, bottom)  # totals and rates from 0; a stock from near its level
    # Figures a hair apart (99999999 and 99999999.00000001) get a span a chart can scale.
    bottom = min(bottom, top - max(abs(top), 1.0) * 1e-6)
    step = _step((top - bottom) / 5 or 1)
    labels: list[Any] = []
    value = bottom - bottom % step
    for _tick in range(12):  # a handful of guides; figures a hair apart get fewer
        if value >= top + step / 2:
            break
        if abs(value - float(target.value)) > step / 4:
            labels.append(value)
        value += step
    label = _("target {value}").format(value=text.with_unit(target.value, target.unit))
    labels.append({"label": label, "value": float(target.value)})
    return sorted(labels, key=lambda v: v["value"] if isinstance(v, dict) else v)


def _step(rough: float) -> float:
    """A round step near `rough`: 1, 2 or 5 times a power of ten."""
    power = 10.0 ** len(str(int(rough))) / 10 if rough >= 1 else 1.0
    while power > rough:
        power /= 10
    for factor in (1, 2, 5, 10):
        if power * factor >= rough:
            return power * factor
    return power * 10


def _bulletin(report: Bulletin, number: int) -> dict[str, Any]:
    """The regions' progress (a rate's: its value) as bars coloured by status, first
    ranked at the top, the regions' 序时进度 marked; no chart where no region has one."""
    target = report.target
    rate = target.kind is Kind.RATE
    shown = [r for r in report.regions if (r.actual if rate else r.progress_percent) is not None]
    title = text.bulletin_title(report)
    svg = None
    if shown:
        chart = pygal.HorizontalBar(
            style=_style(),
            js=[],
            width=800,
            height=max(220, 34 * len(shown) + 80),
            disable_xml_declaration=True,
            show_legend=False,
            value_formatter=(lambda v: _number(v)) if rate else (lambda v: f"{_number(v)}%"),
            print_values=True,
            print_values_position="top",
            no_data_text=_("no data"),
        )
        ordered = list(reversed(shown))  # pygal draws the first bar at the bottom
        chart.x_labels = [r.region for r in ordered]
        bars: list[dict[str, Any]] = []
        figures: list[float] = []
        for standing in ordered:
            figure = standing.actual if rate else standing.progress_percent
            assert figure is not None
            colour = COLOURS[standing.status] if standing.status is not None else ACTUAL
            bars.append({"value": float(figure), "color": colour})
            figures.append(float(figure))
        chart.add(target.name, bars)
        pace = next((r.pace_percent for r in shown if r.pace_percent is not None), None)
        if not rate and pace is not None:
            top = max(100.0, *figures)
            step = _step(top / 4)
            ticks = [step * i for i in range(int(top / step) + 2) if step * i <= top + step / 2]
            marked = _("序时进度 {percent}").format(percent=text.percent(pace))
            labels: list[Any] = [t for t in ticks if abs(t - float(pace)) > step / 4]
            labels.append({"label": marked, "value": float(pace)})
            chart.y_labels = labels
            chart.y_labels_major = [float(pace)]
        svg = _svg(chart, title, number)
    headings = text.bulletin_headings()
    rows = []
    for index, cells in enumerate(text.bulletin_rows(report)):
        region = report.regions[index] if index < len(report.regions) else None
        status = region.status if region is not None else report.city.status
        rows.append(
            {
                "status": status.value if status is not None else "",
                "cells": [cells[c] for c in text.BULLETIN_COLUMNS],
            }
        )
    return {
        "id": target.id,
        "title": title,
        "svg": svg or "",
        "headings": [headings[c] for c in text.BULLETIN_COLUMNS],
        "rows": rows,
    }

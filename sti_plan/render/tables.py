"""Results -> terminal tables, laid out for the width they are given. The only module using rich."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..model import Measure, Plan
from ..observations import TaskStatus
from ..problems import printable
from ..results import (
    Assessment,
    Bulletin,
    GapAnalysis,
    RegionMatrix,
    RegionReport,
    RegionStanding,
    Report,
    Status,
    TaskReport,
    Trend,
)
from . import text

STATUS_STYLE = {
    Status.ACHIEVED: "bold green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.OFF_TRACK: "red",
    Status.MISSED: "bold red",
    Status.NO_DATA: "dim",
}
WIDE = 100  # from this many columns, the targets table shows full names


def _table(title: str) -> Table:
    return Table(
        title=Text(title),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        collapse_padding=True,
        pad_edge=False,
        title_justify="left",
    )


# ---------------------------------------------------------------- status


BAR_WIDTHS = (text.BAR_WIDTH, 5, 4)  # the bar, and the narrower ones tried before it goes
# (bar, spaces between columns), tried in turn with short names before a column is given up
BAR_STEPS = ((BAR_WIDTHS[0], 2), (BAR_WIDTHS[1], 2), (BAR_WIDTHS[1], 1), (BAR_WIDTHS[2], 1))
# The columns given up, one after another, when the table does not fit: never the name,
# the actual, the progress or the status.
STATUS_DROPS = ("bar", "Expected", "Gap", "Goal", "Period")
MIN_NAME = 6  # cells: a name is cut short (…) to no fewer


class _Layout(NamedTuple):
    names: list[str]  # as shown
    name_width: int
    columns: list[str]  # status_cells keys, in order, after the name
    widths: dict[str, int]
    bar: int  # 0: no bar
    gap: int  # spaces between columns


class StatusView:
    """The status table, laid out for the width it is given (see `status_layout`)."""

    def __init__(self, report: Report, tasks: TaskReport | None = None) -> None:
        self.report, self.tasks = report, tasks

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report = self.report
        width = options.max_width
        layout = status_layout(report, width)
        yield _status_table(report, layout)
        yield _wrapped(
            [(said, STATUS_STYLE[s] if s else "") for said, s in _summary_styles(report)], width
        )
        legend = text.legend_items(report)
        if legend:
            separator = text.separator()
            items = [
                item + (separator if i < len(legend) - 1 else "") for i, item in enumerate(legend)
            ]
            yield _wrapped([(item, "dim") for item in items], width)
        if self.tasks is not None:
            yield Text(text.tasks_summary(self.tasks))
        for line in text.target_notes(report):
            yield _note(line, width, "yellow")


def _summary_styles(report: Report) -> list[tuple[str, Status | None]]:
    """The summary's items, a count of none shown dim (no status colour)."""
    counts = report.counts()
    items = text.summary_items(report)
    shown: list[tuple[str, Status | None]] = []
    for index, (said, status) in enumerate(items):
        stale = index >= len(counts)
        zero = not stale and status is not None and not counts[status]
        shown.append((said, None if zero else status))
    return shown


def _wrapped(items: Sequence[tuple[str, str]], width: int) -> Text:
    """Items on as few lines as `width` allows, a line broken only between items."""
    line = Text()
    used = 0
    for said, style in items:
        size = cell_len(said.rstrip())
        if used and used + size > width:
            line.rstrip()
            line.append("\n")
            used = 0
        line.append(said, style=style)
        used += cell_len(said)
    return line


# What a line of text may break between: a run of ASCII (a number, an id, a path), a run of
# spaces, or one other character, with the punctuation that may not begin a line after it.
_BREAKS = re.compile(r"[!-~]+[，。；：、）」』]*|\s+|.[，。；：、）」』]*")


def _note(line: str, width: int, style: str = "") -> Text:
    """A note on as few lines as `width` allows, broken between words, and in Chinese
    between characters, never inside a number or an id (3.04%, rd_ratio)."""
    units = _BREAKS.findall(line)
    shown = Text(style=style)
    used = 0
    for unit in units:
        size = cell_len(unit)
        if used and used + size > width and not unit.isspace():
            shown.rstrip()
            shown.append("\n")
            used = 0
        if used == 0 and unit.isspace():
            continue
        shown.append(unit)
        used += size
    return shown


def _short(measure: Measure) -> str:
    return measure.short_name or measure.name


def status_layout(report: Report, width: int) -> _Layout:
    """The first of these that fits `width`: every full name with the ids and the bar;
    without the ids; a row's short name (the plan's short_name) where its full name does not
    fit; a narrower bar, then one space between columns; then the columns of STATUS_DROPS
    given up one by one; at last, names cut short with …. A period that every figure
    shares is said in the title, not in a column."""
    cells = [_table_cells(a) for a in report.assessments]
    headings = text.status_headings()
    keys = ["Goal", "Actual", "Period", "Expected", "Gap", "Progress", "Status"]
    if text.common_period(report) is not None:
        keys.remove("Period")
    fulls = [a.target.name for a in report.assessments]
    shorts = [_short(a.target) for a in report.assessments]
    percents = max([cell_len(c["Progress"]) for c in cells], default=1)

    def widths(chosen: list[str], bar: int) -> dict[str, int]:
        sizes = {}
        for key in chosen:
            shown = [cell_len(c[key]) for c in cells]
            if key == "Progress":
                shown = [percents + (bar + 1 if bar else 0)]
            sizes[key] = max([cell_len(headings[key]), *shown])
        return sizes

    def attempt(
        *, full: bool, ids: bool, bar: int, gap: int, dropped: Sequence[str], cut: bool = False
    ) -> _Layout | None:
        chosen = [k for k in (["ID"] if ids else []) + keys if k not in dropped]
        bar = 0 if "bar" in dropped else bar
        sizes = widths(chosen, bar)
        room = width - sum(sizes.values()) - gap * len(chosen)
        if full:
            names = fulls
        else:
            names = [f if cell_len(f) <= room else s for f, s in zip(fulls, shorts, strict=True)]
        need = max([cell_len(headings["Target"]), *map(cell_len, names)])
        if need > room:
            if not cut:
                return None
            room = max(room, MIN_NAME, cell_len(headings["Target"]))
            names = [_cut(name, room) for name in names]
            need = max([cell_len(headings["Target"]), *map(cell_len, names)])
        return _Layout(names, need, chosen, sizes, bar, gap)

    wide = BAR_WIDTHS[0]
    tries: list[dict[str, Any]] = [
        {"full": True, "ids": True, "bar": wide, "gap": 2, "dropped": ()},
        {"full": True, "ids": False, "bar": wide, "gap": 2, "dropped": ()},
    ]
    for bar, gap in BAR_STEPS:
        tries.append({"full": False, "ids": False, "bar": bar, "gap": gap, "dropped": ()})
    for count in range(1, len(STATUS_DROPS) + 1):
        for gap in (2, 1):
            dropped = STATUS_DROPS[:count]
            tries.append({"full": False, "ids": False, "bar": 0, "gap": gap, "dropped": dropped})
    for kwargs in tries:
        layout = attempt(**kwargs)
        if layout is not None:
            return layout
    last = attempt(**{**tries[-1], "cut": True})
    assert last is not None
    return last


def _cut(name: str, room: int) -> str:
    """A name cut short to `room` cells, with … (a CJK character is two cells)."""
    if cell_len(name) <= room:
        return name
    kept = ""
    for char in name:
        if cell_len(kept + char) > room - 1:
            break
        kept += char
    return kept + "…"


def _table_cells(a: Assessment) -> dict[str, str]:
    """A row's cells as the table shows them: the basis mark after the actual, the period
    on its own."""
    cells = text.status_cells(a)
    if a.actual is not None:
        cells["Actual"] += text.BASIS_MARK[a.actual.basis]
    cells["Period"] = text.period_code(a)
    return cells


def _status_table(report: Report, layout: _Layout) -> Table:
    headings = text.status_headings()
    table = Table(
        title=Text(text.status_title(report, period_column="Period" in layout.columns)),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, layout.gap - 1, 0, 0),  # and the box's blank divider: `gap` in all
        title_justify="left",
    )
    table.add_column(headings["Target"], width=layout.name_width, no_wrap=True)
    for key in layout.columns:
        left = key in ("ID", "Period", "Status") or (key == "Progress" and layout.bar)
        table.add_column(
            headings[key],
            justify="left" if left else "right",
            width=layout.widths[key],
            no_wrap=True,
            style="dim" if key == "ID" else "",
        )
    percents = max([cell_len(text.percent(a.completion)) for a in report.assessments], default=1)
    for name, a in zip(layout.names, report.assessments, strict=True):
        cells = _table_cells(a)
        style = STATUS_STYLE[a.status]
        row: list[RenderableType] = [Text(name)]
        for key in layout.columns:
            if key == "Actual":
                mark = text.BASIS_MARK[a.actual.basis] if a.actual is not None else ""
                actual = Text(cells["Actual"][: len(cells["Actual"]) - len(mark)])
                actual.append(mark, style="dim")
                row.append(actual)
            elif key == "Progress":
                shown = Text()
                if layout.bar:
                    shown.append(text.bar(a.completion, layout.bar) + " ", style=style)
                shown.append(cells["Progress"].rjust(percents))
                row.append(shown)
            elif key == "Status":
                row.append(Text(cells["Status"], style=style))
            else:
                row.append(Text(cells[key]))
        table.add_row(*row)
    return table


def one_after_another(*views: RenderableType) -> RenderableType:
    """Views shown in turn, a blank line between them."""
    parts: list[RenderableType] = []
    for view in views:
        parts += [Text(""), view] if parts else [view]
    return Group(*parts)


# ---------------------------------------------------------------- gap


def gap_view(plan: Plan, analysis: GapAnalysis) -> RenderableType:
    target = analysis.assessment.target
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    status_style = STATUS_STYLE[analysis.assessment.status]
    for index, (label, value) in enumerate(text.gap_lines(plan, analysis)):
        table.add_row(Text(label), Text(value, style=status_style if index == 0 else ""))
    title = Text(f"{target.name} ", style="bold")
    title.append(
        f"{target.id} · {text.kind_label(target.kind)} · {text.target_text(target)}", style="dim"
    )
    return Group(title, table)


# ---------------------------------------------------------------- ranking


RANK_DROPS = ("Progress", "Gap", "Expected")  # given up in turn where the table does not fit


class RankingView:
    """Targets by shortfall; narrow terminals keep the name and the figures that rank it."""

    def __init__(self, report: Report, ranked: Sequence[Assessment]) -> None:
        self.report, self.ranked = report, ranked

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = _table(text.ranking_title(self.report))
        headings = text.rank_headings()
        rows = [text.rank_cells(rank, a) for rank, a in enumerate(self.ranked, 1)]
        measures = [a.target for a in self.ranked]
        wanted = [c for c in text.RANK_COLUMNS if c != "ID"]
        columns, names = _fit(options.max_width, headings, rows, wanted, RANK_DROPS, measures)
        for column in columns:
            left = column in ("Target", "Status")
            table.add_column(
                headings[column],
                justify="left" if left else "right",
                no_wrap=True,
                overflow="ellipsis",
            )
        for cells, a, name in zip(rows, self.ranked, names, strict=True):
            row: list[RenderableType] = []
            for column in columns:
                if column == "Target":
                    row.append(Text(name))
                elif column == "Status":
                    row.append(Text(cells[column], style=STATUS_STYLE[a.status]))
                else:
                    row.append(Text(cells[column]))
            table.add_row(*row)
        yield table


def _natural(headings: dict[str, str], rows: list[dict[str, str]], columns: list[str]) -> int:
    """The cells a table of these columns takes when nothing in it is cut: 2 between columns."""
    sizes = [max([cell_len(headings[c]), *(cell_len(r[c]) for r in rows)]) for c in columns]
    return sum(sizes) + 2 * (len(columns) - 1)


def _fit(
    width: int,
    headings: dict[str, str],
    rows: list[dict[str, str]],
    wanted: list[str],
    drops: Sequence[str],
    measures: Sequence[Measure],
) -> tuple[list[str], list[str]]:
    """The columns and the names that fit `width`: every full name; then a row's short name
    where its full name does not fit; then the columns of `drops` given up in turn; at
    last, names cut short with …. Columns are 2 apart."""
    fulls = [m.name for m in measures]
    shorts = [_short(m) for m in measures]
    columns = list(wanted)

    def rest(chosen: list[str]) -> int:
        return _natural(headings, rows, [c for c in chosen if c != "Target"]) + 2

    def widest(names: list[str]) -> int:
        return max([cell_len(headings["Target"]), *map(cell_len, names)])

    room = width - rest(columns)
    if widest(fulls) <= room:
        return columns, fulls
    for drop in (None, *drops):
        if drop is not None and drop in columns:
            columns.remove(drop)
        room = width - rest(columns)
        names = [f if cell_len(f) <= room else s for f, s in zip(fulls, shorts, strict=True)]
        if widest(names) <= room:
            return columns, names
    room = max(room, MIN_NAME)
    return columns, [_cut(s, room) for s in names]


# ---------------------------------------------------------------- trend


TREND_DROPS = ("bar", "Previous", "vs pace", "Expected", "Growth", "Pace", "Increment")
TREND_BAR = 5  # cells of the small bar of progress beside each period's percentage


class TrendView:
    """A target's periods of the year, with a small bar of progress per row; where the
    table does not fit, the columns of TREND_DROPS are given up in turn."""

    def __init__(self, report: Trend) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report = self.report
        headings = text.trend_headings()
        rows = [text.trend_cells(report, point) for point in report.points]
        columns = list(text.TREND_COLUMNS)
        bar = TREND_BAR
        for drop in TREND_DROPS:
            widths = _natural(headings, rows, columns) + (bar + 1 if bar else 0)
            if widths <= options.max_width:
                break
            if drop == "bar":
                bar = 0
            else:
                columns.remove(drop)
        table = _table(text.trend_title(report))
        for column in columns:
            table.add_column(
                headings[column],
                justify="left" if column in ("Period", "Status") else "right",
                no_wrap=True,
                overflow="ellipsis",
            )
        percents = max([cell_len(cells["Progress"]) for cells in rows], default=1)
        for point, cells in zip(report.points, rows, strict=True):
            style = STATUS_STYLE[point.status] if point.status is not None else ""
            shown: list[RenderableType] = []
            for column in columns:
                if column == "Progress":
                    cell = Text()
                    if bar:
                        cell.append(text.bar(point.completion, bar) + " ", style=style)
                    cell.append(cells["Progress"].rjust(percents))
                    shown.append(cell)
                else:
                    shown.append(Text(cells[column], style=style if column == "Status" else ""))
            table.add_row(*shown)
        yield table
        for line in text.trend_notes(report):
            yield _note(line, options.max_width)


# ---------------------------------------------------------------- the bulletin


BULLETIN_DROPS = ("Pace", "Growth", "vs pace")  # given up in turn where the table does not fit


class BulletinView:
    """Regions the total counts, then zones, then those not reported, then the city; where
    the table does not fit, the columns of BULLETIN_DROPS are given up in turn."""

    def __init__(self, report: Bulletin) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report, width = self.report, options.max_width
        table = _table(text.bulletin_title(report))
        headings = text.bulletin_headings()
        rows = text.bulletin_rows(report)
        columns = list(text.BULLETIN_COLUMNS)
        for drop in BULLETIN_DROPS:
            if _natural(headings, rows, columns) <= width:
                break
            columns.remove(drop)
        for column in columns:
            left = column in ("Region", "Status")
            region = column == "Region"
            table.add_column(
                headings[column],
                justify="left" if left else "right",
                no_wrap=not region,
                overflow="fold" if region else "ellipsis",
                min_width=6 if region else None,
            )
        standings = report.regions
        for index, cells in enumerate(rows):
            standing = standings[index] if index < len(standings) else None
            status = standing.status if standing is not None else report.city.status
            after = standings[index + 1] if index + 1 < len(standings) else None
            section = standing is None or after is None or _group(standing) != _group(after)
            table.add_row(
                *(
                    Text(cells[c], style=STATUS_STYLE[status] if c == "Status" and status else "")
                    for c in columns
                ),
                end_section=section,
            )
        yield table


def _group(standing: RegionStanding) -> int:
    if standing.actual is None:
        return 2
    return 0 if standing.in_total else 1


# ---------------------------------------------------------------- one region's status


REGION_DROPS = ("Period", "Pace", "Growth", "vs pace")  # given up in turn where it does not fit


class RegionView:
    """One region's targets against its shares; narrow terminals keep the name, the
    figures, the status and the rank."""

    def __init__(self, report: RegionReport) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        shown_rows = text.region_rows(self.report)
        rows = [text.region_cells(row) for row in shown_rows]
        headings = text.region_headings()
        columns, names = _fit(
            options.max_width,
            headings,
            rows,
            list(text.REGION_COLUMNS),
            REGION_DROPS,
            [row.target for row in shown_rows],
        )
        table = _table(text.region_title(self.report))
        for column in columns:
            table.add_column(
                headings[column],
                justify="left" if column in ("Target", "Period", "Status") else "right",
                no_wrap=True,
                overflow="ellipsis",
            )
        for row, cells, name in zip(shown_rows, rows, names, strict=True):
            style = STATUS_STYLE[row.standing.status] if row.standing.status else ""
            shown = [
                Text(name)
                if c == "Target"
                else Text(cells[c], style=style if c == "Status" else "")
                for c in columns
            ]
            table.add_row(*shown)
        yield table
        for line in text.region_notes(self.report):
            yield _note(line, options.max_width)


# ---------------------------------------------------------------- regions x targets


class MatrixView:
    """Targets down, the city then the regions across, 完成率 per cell coloured by status.
    Where the regions do not fit the width, they go on in a second table (and a third),
    each with the targets and the city again; a name too long is the short name (or cut
    short with …), never broken across lines."""

    NAME_WIDTH = (8, 24)  # the target column: at least, at most

    def __init__(self, matrix: RegionMatrix) -> None:
        self.matrix = matrix

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        matrix = self.matrix
        columns = text.matrix_columns(matrix)
        rows = text.matrix_rows(matrix)
        widest = self.NAME_WIDTH[1]
        names = [text.matrix_target(matrix, b) for b, _ in rows]
        names = [
            n if cell_len(n) <= widest else _cut(text.matrix_target(matrix, b, short=True), widest)
            for n, (b, _) in zip(names, rows, strict=True)
        ]
        name_width = max([cell_len(n) for n in names] or [6])
        name_width = min(max(name_width, self.NAME_WIDTH[0]), widest)
        figures = [
            max([len(cells[i].figure) for _, cells in rows], default=1) for i in range(len(columns))
        ]
        marks = [
            max([len(cells[i].mark) for _, cells in rows], default=0) for i in range(len(columns))
        ]
        widths = [
            max(cell_len(heading), figures[i] + marks[i]) for i, (heading, _) in enumerate(columns)
        ]
        room = options.max_width - name_width
        for part, chosen in enumerate(_chunks(widths, room)):
            table = _table(text.matrix_title(matrix) if part == 0 else "")
            table.add_column(
                text.status_headings()["Target"],
                width=name_width,
                no_wrap=True,
                overflow="ellipsis",
            )
            for i in chosen:
                table.add_column(columns[i][0], no_wrap=True, style="bold" if i == 0 else "")
            for name, (_, cells) in zip(names, rows, strict=True):
                shown = []
                for i in chosen:
                    cell = cells[i]
                    style = STATUS_STYLE[cell.status] if cell.status else "dim"
                    # Figures padded to the widest of their column, the cell set left: the
                    # figures line up (a cell's trailing blank would be dropped).
                    shown.append(Text(cell.figure.rjust(figures[i]) + cell.mark, style=style))
                table.add_row(Text(name), *shown)
            yield table
        for line in text.matrix_legend(matrix, rows):
            yield Text(line, style="dim")


def _chunks(widths: list[int], room: int) -> list[list[int]]:
    """The columns (by index) of each table: the first (the city) in every one, then as many
    of the rest as fit in `room` (a column takes its width and 2 of padding)."""
    first, rest = widths[0] + 2, list(range(1, len(widths)))
    chunks: list[list[int]] = []
    while rest:
        chunk, used = [0], first
        while rest and (len(chunk) == 1 or used + widths[rest[0]] + 2 <= room):
            used += widths[rest[0]] + 2
            chunk.append(rest.pop(0))
        chunks.append(chunk)
    return chunks or [[0]]


# ---------------------------------------------------------------- targets


class TargetsView:
    """Targets and indicators; narrow terminals keep what users type and the goal."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= WIDE
        columns = [
            c for c in text.TARGET_COLUMNS if wide or c in ("ID", "Name", "Target", "Aliases")
        ]
        table = _table(self.plan.title)
        headings = text.target_headings()
        for heading in columns:
            # What users type (ids, aliases) is never broken across lines.
            fixed = heading in ("ID", "Aliases", "Target", "Role", "Kind")
            table.add_column(headings[heading], no_wrap=fixed, overflow="fold")
        for measure in self.plan.measures:
            cells = text.target_cells(measure, "\n")
            table.add_row(*(Text(cells[c]) for c in columns))
        yield table


# ---------------------------------------------------------------- output


class _Console(Console):
    """A console that shows control characters from the data as escapes (\\x1b), so that
    none reaches the terminal; rich's own (colours, cursor) are kept."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        line: list[Segment] = []
        for segment in super().render(renderable, options):
            if segment.control:
                line.append(segment)
                continue
            pieces = printable(segment.text).split("\n")
            for index, piece in enumerate(pieces):
                if index:
                    yield from _without_trailing_blanks(line)
                    yield Segment.line()
                    line = []
                if piece:
                    line.append(Segment(piece, segment.style))
        yield from _without_trailing_blanks(line)


def _without_trailing_blanks(line: list[Segment]) -> list[Segment]:
    """A line's segments with no space at its end (tables pad their cells)."""
    while line and not line[-1].control and not line[-1].text.rstrip(" "):
        line = line[:-1]
    if line and not line[-1].control:
        last = line[-1]
        line = [*line[:-1], Segment(last.text.rstrip(" "), last.style)]
    return line


MIN_WIDTH = 40  # narrower (COLUMNS=0, say) is no terminal's: such a width is not believed
FILE_WIDTH = 100  # a table written to a file or a pipe, unless COLUMNS says otherwise


def _columns() -> int | None:
    """The width $COLUMNS asks for, when it is one to believe."""
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return width if width >= MIN_WIDTH else None


def plain_text(view: RenderableType) -> str:
    """A view as plain text (no colour), for writing to a file: $COLUMNS wide, else 100."""
    buffer = io.StringIO()
    width = _columns() or FILE_WIDTH
    _Console(file=buffer, width=width, color_system=None, highlight=False).print(view)
    return buffer.getvalue()


def print_view(view: RenderableType) -> None:
    """To stdout: as wide as $COLUMNS, else the terminal; 100 wide into a file or a pipe."""
    console = _Stdout(highlight=False, soft_wrap=False)
    width = _columns()
    if width is not None:
        console.width = width
    elif not console.is_terminal:
        console.width = FILE_WIDTH
    elif console.width < MIN_WIDTH:
        console.width = 80
    console.print(view)


class _Stdout(_Console):
    def on_broken_pipe(self) -> None:
        """Leave a closed pipe to the CLI's one error boundary (rich would exit 1 here)."""
        raise BrokenPipeError


# ---------------------------------------------------------------- key tasks


TASK_DROPS = ("Note", "Lead", "Period", "Targets")  # given up in turn where they do not fit
TASK_WIDTHS = {"Task": 30, "Targets": 44, "Note": 30}  # at most, in cells: longer is cut …
MIN_TARGETS = 16  # cells: the linked targets are cut short to no fewer, then given up


class TasksView:
    """The key tasks under their group headings, with the counts of each group."""

    def __init__(self, report: TaskReport) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report, width = self.report, options.max_width
        headings = text.task_headings()
        rows = []
        for standing in report.tasks:
            cells = text.task_cells(standing)
            for key, most in TASK_WIDTHS.items():
                cells[key] = _cut(cells[key], most)
            rows.append(cells)
        columns = list(text.TASK_COLUMNS)
        for drop in TASK_DROPS:
            if _natural(headings, rows, columns) <= width:
                break
            if drop == "Targets":  # cut short before it goes
                others = _natural(headings, rows, [c for c in columns if c != "Targets"])
                room = width - others - 2
                if room >= MIN_TARGETS:
                    for cells in rows:
                        cells["Targets"] = _cut(cells["Targets"], room)
                    break
            columns.remove(drop)
        if _natural(headings, rows, columns) > width:
            room = width - _natural(headings, rows, [c for c in columns if c != "Task"]) - 2
            for cells in rows:
                cells["Task"] = _cut(cells["Task"], max(room, MIN_NAME))
        widths = {
            c: max([cell_len(headings[c]), *(cell_len(cells[c]) for cells in rows)])
            for c in columns
        }
        yield Text(text.tasks_title(report))
        first = True
        for group in report.plan.groups:
            mine = [
                (s, cells)
                for s, cells in zip(report.tasks, rows, strict=True)
                if s.task.group == group.id
            ]
            if not mine:
                continue
            yield Text(text.group_heading(report, group.id), style="bold")
            table = Table(
                box=box.SIMPLE_HEAD,
                show_header=first,
                show_edge=False,
                collapse_padding=True,
                pad_edge=False,
            )
            first = False
            for column in columns:
                table.add_column(
                    headings[column],
                    justify="right" if column in ("#", "Progress") else "left",
                    width=widths[column],
                    no_wrap=True,
                    overflow="ellipsis",
                )
            for standing, cells in mine:
                style = TASK_STYLE[standing.status]
                shown = [Text(cells[c], style=style if c == "Status" else "") for c in columns]
                if standing.overdue:
                    shown[columns.index("Status")].stylize("bold red")
                table.add_row(*shown)
            yield table
        yield Text(text.tasks_summary(report))


TASK_STYLE = {
    TaskStatus.NOT_STARTED: "dim",
    TaskStatus.IN_PROGRESS: "green",
    TaskStatus.DONE: "bold green",
    TaskStatus.DELAYED: "red",
    TaskStatus.BLOCKED: "bold red",
    TaskStatus.NO_REPORT: "dim",
}

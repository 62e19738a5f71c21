"""Results -> terminal tables, laid out for the width they are given. The only module using rich."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..model import Measure, Plan
from ..problems import printable
from ..results import (
    Assessment,
    Basis,
    Bulletin,
    GapAnalysis,
    RegionMatrix,
    RegionReport,
    RegionStanding,
    Report,
    Status,
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
WIDE = 100  # from this many columns, tables show bars and ids
NARROW = 70  # below this many, tables keep only what identifies a row and how it stands


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


# ---------------------------------------------------------------- status


class StatusView:
    """The status table: bars and ids only where they fit."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report = self.report
        yield _status_table(report, wide=options.max_width >= WIDE)
        yield _summary(report)
        legend = text.legend(report)
        if legend:
            yield Text(legend, style="dim")
        for line in text.target_notes(report):
            yield Text(line, style="yellow")


def _summary(report: Report) -> Text:
    summary = Text(text.summary_head(report))
    for index, (status, count) in enumerate(report.counts().items()):
        if index:
            summary.append(", ")
        summary.append(
            text.count_text(status, count), style=STATUS_STYLE[status] if count else "dim"
        )
    stale = text.stale_counts(report)
    if stale:
        summary.append(text.stale_head(report))
        for index, (status, count) in enumerate(stale):
            if index:
                summary.append(", ")
            summary.append(text.count_text(status, count), style=STATUS_STYLE[status])
    return summary


def _status_table(report: Report, *, wide: bool) -> Table:
    table = _table(f"{report.plan.title} · as of {text.as_of_text(report.as_of)}")
    table.add_column("Target", min_width=8)
    for heading in ("Goal", "Actual"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("Period", no_wrap=True)
    for heading in ("Expected", "Gap"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("Progress" if wide else "%", justify="left" if wide else "right")
    table.add_column("Status", no_wrap=True)
    for a in report.assessments:
        cells = text.status_cells(a)
        style = STATUS_STYLE[a.status]
        actual = Text(cells["Actual"])
        if a.actual is not None and a.actual.basis is not Basis.REPORTED:
            actual.append(text.BASIS_MARK[a.actual.basis], style="dim")
        progress = Text(text.bar(a.completion) + " ", style=style) if wide else Text()
        progress.append(f"{cells['Progress']:>6}")
        table.add_row(
            _name_cell(a.target, with_id=wide),
            Text(cells["Goal"]),
            actual,
            Text(text.period_code(a)),
            Text(cells["Expected"]),
            Text(cells["Gap"]),
            progress,
            Text(cells["Status"], style=style),
        )
    return table


# ---------------------------------------------------------------- gap


def gap_view(plan: Plan, analysis: GapAnalysis) -> RenderableType:
    target = analysis.assessment.target
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    status_style = STATUS_STYLE[analysis.assessment.status]
    for label, value in text.gap_lines(plan, analysis):
        table.add_row(Text(label), Text(value, style=status_style if label == "Status" else ""))
    title = Text(f"{target.name} ", style="bold")
    title.append(f"{target.id} · {target.kind.value} · {text.target_text(target)}", style="dim")
    return Group(title, table)


# ---------------------------------------------------------------- ranking


_NARROW_RANK_DROPS = ("ID", "Progress", "Gap")


class RankingView:
    """Targets by shortfall; narrow terminals keep the name and the figures that rank it."""

    def __init__(self, report: Report, ranked: Sequence[Assessment]) -> None:
        self.report, self.ranked = report, ranked

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= WIDE
        as_of = text.as_of_text(self.report.as_of)
        table = _table(f"Targets by shortfall against expected-by-now · as of {as_of}")
        columns = [
            c for c in text.RANK_COLUMNS if c != "ID" and (wide or c not in _NARROW_RANK_DROPS)
        ]
        for column in columns:
            left = column in ("Target", "Status")
            table.add_column(
                column, justify="left" if left else "right", no_wrap=column != "Target"
            )
        for rank, a in enumerate(self.ranked, 1):
            cells = text.rank_cells(rank, a)
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


# ---------------------------------------------------------------- the bulletin


def bulletin_view(report: Bulletin) -> RenderableType:
    """Regions the total counts, then zones, then those not reported, then the city."""
    table = _table(text.bulletin_title(report))
    for column in text.BULLETIN_COLUMNS:
        left = column in ("Region", "Status")
        region = column == "Region"
        table.add_column(
            column,
            justify="left" if left else "right",
            no_wrap=not region,
            overflow="fold" if region else "ellipsis",
            min_width=6 if region else None,
        )
    rows = text.bulletin_rows(report)
    standings = report.regions
    for index, cells in enumerate(rows):
        standing = standings[index] if index < len(standings) else None
        status = standing.status if standing is not None else report.city.status
        after = standings[index + 1] if index + 1 < len(standings) else None
        section = standing is None or after is None or _group(standing) != _group(after)
        table.add_row(
            *(
                Text(cells[c], style=STATUS_STYLE[status] if c == "Status" and status else "")
                for c in text.BULLETIN_COLUMNS
            ),
            end_section=section,
        )
    return table


def _group(standing: RegionStanding) -> int:
    if standing.actual is None:
        return 2
    return 0 if standing.in_total else 1


# ---------------------------------------------------------------- one region's status


_NARROW_REGION_DROPS = ("Period", "Pace", "Growth")


class RegionView:
    """One region's targets against its shares; narrow terminals keep the name, the
    figures, the status and the rank."""

    def __init__(self, report: RegionReport) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        columns = [
            c
            for c in text.REGION_COLUMNS
            if (width >= WIDE or c not in _NARROW_REGION_DROPS)
            and (width >= NARROW or c != "vs pace")
        ]
        table = _table(text.region_title(self.report))
        for column in columns:
            name = column == "Target"
            table.add_column(
                column,
                justify="left" if column in ("Target", "Period", "Status") else "right",
                no_wrap=not name,
                overflow="fold" if name else "ellipsis",
                min_width=8 if name else None,
            )
        for row in text.region_rows(self.report):
            cells = text.region_cells(row)
            style = STATUS_STYLE[row.standing.status] if row.standing.status else ""
            table.add_row(*(Text(cells[c], style=style if c == "Status" else "") for c in columns))
        yield table
        for line in text.region_notes(self.report):
            yield Text(line)


# ---------------------------------------------------------------- regions x targets


class MatrixView:
    """Targets down, the city then the regions across, 完成率 per cell coloured by status.
    Where the regions do not fit the width, they go on in a second table (and a third),
    each with the targets and the city again; a target's name folds, a figure never."""

    NAME_WIDTH = (8, 24)  # the target column: at least, at most

    def __init__(self, matrix: RegionMatrix) -> None:
        self.matrix = matrix

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        matrix = self.matrix
        columns = text.matrix_columns(matrix)
        rows = text.matrix_rows(matrix)
        names = [text.matrix_target(matrix, b) for b, _ in rows]
        name_width = max([cell_len(n) for n in names] or [6])
        name_width = min(max(name_width, self.NAME_WIDTH[0]), self.NAME_WIDTH[1])
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
            table.add_column("Target", width=name_width, overflow="fold")
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
        for heading in columns:
            # What users type (ids, aliases) is never broken across lines.
            fixed = heading in ("ID", "Aliases", "Target", "Role", "Kind")
            table.add_column(heading, no_wrap=fixed, overflow="fold")
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
        for segment in super().render(renderable, options):
            if segment.control:
                yield segment
            else:
                yield Segment(printable(segment.text), segment.style)


def plain_text(view: RenderableType, width: int = 120) -> str:
    """A view as plain text (no colour), for writing to a file."""
    buffer = io.StringIO()
    _Console(file=buffer, width=width, color_system=None, highlight=False).print(view)
    return buffer.getvalue()


MIN_WIDTH = 40  # narrower (COLUMNS=0, say) is no terminal's: such a width is not believed


def print_view(view: RenderableType) -> None:
    console = _Stdout(highlight=False, soft_wrap=False)
    if console.width < MIN_WIDTH:
        console.width = 80
    console.print(view)


class _Stdout(_Console):
    def on_broken_pipe(self) -> None:
        """Leave a closed pipe to the CLI's one error boundary (rich would exit 1 here)."""
        raise BrokenPipeError

"""Actuals files -> what they report per measure and period (`observations.Actuals`).

Rows come from sources.py with the line they end on; each is checked (its cells, target,
period and value) and folded as it arrives, so a file of any length is read in one pass.
Every problem is collected with its line and column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from .model import Measure, Plan, region_key
from .observations import (
    CITY,
    COLUMNS,
    HEADER_ALIASES,
    REQUIRED_COLUMNS,
    Actuals,
    Reported,
)
from .periods import MONTHS_IN_YEAR, Period, parse_period, why_not_a_period
from .problems import Code, Problem, shown
from .sources import Record, RowSource, TextSource
from .values import BadValue, parse_value
from .workbook import first_nonblank, table_rows

_REGION_TEXTS_KEPT = 100_000
Slot = tuple[Reported, str, str]  # where a pair's values go, their unit, their measure's id
_HEADERS = {name: column for column in COLUMNS for name in (column, *HEADER_ALIASES[column])}


def load_actuals(
    path: Path, plan: Plan, *, sheet: str | None = None, max_problems: int | None = None
) -> Actuals:
    """Read an actuals file (CSV, TSV or workbook) against a plan; problems are collected."""
    with table_rows(path, sheet) as source:
        return fold_rows(source, plan, max_problems)


def read_actuals(lines: Iterable[str], plan: Plan, path: str = "<actuals>") -> Actuals:
    """Read CSV text lines (already decoded) against a plan."""
    return fold_rows(TextSource(lines, path), plan)


def fold_rows(source: RowSource, plan: Plan, max_problems: int | None = None) -> Actuals:
    actuals = Actuals(source.path, max_problems=max_problems, sheet=source.sheet)
    _Reader(plan, actuals, source).read()
    actuals.encoding = source.encoding
    return actuals


class _Reader:
    """Checks an actuals file's rows and folds them into `actuals`, in one pass."""

    def __init__(self, plan: Plan, actuals: Actuals, source: RowSource) -> None:
        self.plan = plan
        self.actuals = actuals
        self.source = source
        self.units = plan.unit_table
        self.columns: dict[str, int] = {}
        self.width = 0  # cells in the header
        # Target text -> period text, as written -> where the values go, their unit and measure
        # (taken out of the plan's model once: its attributes are slow to read for every row).
        self.slots: dict[str, dict[str, Slot]] = {}
        self.unknown: dict[str, str] = {}  # target text that names nothing -> its message (shown)
        # Region text, as written -> the region it means (CITY for the whole city; a
        # declared region's id, else the text normalised), or None when it names none.
        self.region_keys: dict[str, str | None] = {}
        self.unnamed: list[int] = []  # columns with an empty header cell

    def problem(self, code: Code, message: str, line: int, col: int | None = None) -> None:
        column = None if col is None else col + self.source.col_offset
        sheet = self.source.sheet
        self.actuals.add(
            Problem(code, self.actuals.path, message, line=line, col=column, sheet=sheet)
        )

    def read(self) -> None:
        records = self.source.records()
        header = first_nonblank(records)
        if header is None:
            if self.source.stop is None:
                self.problem(Code.EMPTY_FILE, "the file is empty (no header row)", 1)
        elif self.header(*header):
            self.read_rows(records)
        # What stopped the reading comes after the problems of the rows before it.
        if self.source.stop is not None:
            self.actuals.add(self.source.stop)

    def header(self, line: int, cells: list[str]) -> bool:
        """Find the columns; False when a required one is missing (the rows are not read)."""
        self.width = len(cells)
        named = [index for index, cell in enumerate(cells) if cell.strip()]
        last = named[-1] if named else -1
        for index, raw in enumerate(cells):
            text = unicodedata.normalize("NFKC", raw).strip()
            name = _HEADERS.get(text.lower())
            if not text:
                self.unnamed.append(index)
                if index < last:
                    self.problem(Code.EXTRA_COLUMN, "a column has no name", line, index + 1)
            elif name is None:
                accepted = f"columns are {', '.join(COLUMNS)}, or their Chinese names"
                message = f"unknown column {shown(text)} ({accepted})"
                self.problem(Code.EXTRA_COLUMN, message, line, index + 1)
            elif name in self.columns:
                message = f"column {name!r} appears twice"
                self.problem(Code.DUPLICATE_COLUMN, message, line, index + 1)
            else:
                self.columns[name] = index
        missing = [name for name in REQUIRED_COLUMNS if name not in self.columns]
        for name in missing:
            aliases = "/".join(HEADER_ALIASES[name])
            message = f"missing required column {name!r} (or {aliases})"
            self.problem(Code.MISSING_COLUMN, message, line)
        return not missing

    def read_rows(self, records: Iterator[Record]) -> None:
        """Fold the rows after the header, each the moment it is read."""
        target, period, value = (self.columns[name] for name in REQUIRED_COLUMNS)
        region = self.columns.get("region")
        width = self.width
        read = 0
        for line, cells in records:
            if (len(cells) != width or not cells[target]) and not self.fits(cells, line):
                continue
            if self.unnamed and not self.unnamed_empty(cells, line):
                continue
            read += 1
            by_period = self.slots.get(cells[target])
            slot = by_period.get(cells[period]) if by_period else None
            if slot is None:
                taken = self.first_row_of_pair(cells, line)
                if taken is None:
                    continue
                slot, number = taken
            else:
                parsed = parse_value(cells[value], slot[1], self.units)
                if isinstance(parsed, BadValue):
                    self.bad_value(parsed, cells[value], line)
                    continue
                number = parsed
            reported, _, measure_id = slot
            text = "" if region is None else cells[region]
            where = self.region_keys[text] if text in self.region_keys else self.region_key(text)
            if where is None:
                self.unknown_region(text, line)
                continue
            earlier = reported.add(where, number, line)
            if earlier:
                self.duplicate(measure_id, reported, where, cells[period], line, earlier)
        self.actuals.rows += read

    def first_row_of_pair(self, cells: list[str], line: int) -> tuple[Slot, Decimal] | None:
        """Check each cell of a row whose (target, period) pair, as written, has given no
        value yet; when all are good, the pair's slot (made now) and the row's value."""
        columns = self.columns
        target_text = cells[columns["target"]]
        period_text, value_text = cells[columns["period"]], cells[columns["value"]]
        measure = self.measure(target_text, line)
        period = parse_period(period_text)
        if period is None:
            message = why_not_a_period(period_text.strip())
            self.problem(Code.BAD_PERIOD, message, line, columns["period"] + 1)
        value = parse_value(value_text, measure.unit if measure else None, self.units)
        if isinstance(value, BadValue):
            self.bad_value(value, value_text, line)
            return None
        if measure is None or period is None:
            return None
        periods = self.actuals.values.setdefault(measure.id, {})
        reported = periods.get((period.year, period.months))
        if reported is None:  # shown from its first value on, labelled as that row has it
            reported = periods[period.year, period.months] = Reported(
                period.code, self.actuals.region_numbers, numbers=[] if self.plan.regions else None
            )
        slot = self.slots.setdefault(target_text, {})[period_text] = (
            reported,
            measure.unit,
            measure.id,
        )
        return slot, value

    def duplicate(
        self,
        measure_id: str,
        reported: Reported,
        region: str,
        period_text: str,
        line: int,
        first: int,
    ) -> None:
        period = parse_period(period_text)
        assert period is not None  # the row reached its slot
        declared = self.plan.region(region) if region else None
        name = declared.name if declared else region
        message = _duplicate_message(measure_id, name, reported, period, first)
        self.problem(Code.DUPLICATE_ROW, message, line)

    def region_key(self, text: str) -> str | None:
        """What a region cell means: CITY, a declared region's id, or (a plan declaring no
        regions) the text with its spaces and full-width forms folded."""
        if len(self.region_keys) > _REGION_TEXTS_KEPT:
            self.region_keys.clear()  # free-text regions by the million: keep memory flat
        key = region_key(text)
        if key in self.plan.city_names:
            found: str | None = CITY
        elif self.plan.regions:
            region = self.plan.region_named(key)
            found = region.id if region else None
        else:
            found = key
        self.region_keys[text] = found
        return found

    def unknown_region(self, text: str, line: int) -> None:
        hint = None if self.actuals.full else self.plan.closest_region_name(text)
        advice = f"; did you mean {hint!r}?" if hint else " (the plan's regions are listed in it)"
        message = f"unknown region {shown(text.strip())}{advice}"
        self.problem(Code.UNKNOWN_REGION, message, line, self.columns["region"] + 1)

    def measure(self, text: str, line: int) -> Measure | None:
        """The measure a target cell names; None, with a problem, when it names none."""
        measure = self.plan.measure_named(text)
        if measure is None:
            message = self.unknown.get(text)
            if message is None and self.actuals.full:  # not shown: no search for a suggestion
                message = unknown_target_message(None, text.strip())
            elif message is None:
                message = self.unknown[text] = unknown_target_message(self.plan, text.strip())
            self.problem(Code.UNKNOWN_TARGET, message, line, self.columns["target"] + 1)
        return measure

    def bad_value(self, bad: BadValue, text: str, line: int) -> None:
        message = bad.message + _open_quote_hint(text, line)
        if self.source.sheet is not None and not text.strip():
            # The workbook reader gives a formula's error (#DIV/0!, #N/A) as an empty cell.
            message += " (or a formula error such as #DIV/0!)"
        self.problem(bad.code, message, line, self.columns["value"] + 1)

    def unnamed_empty(self, cells: list[str], line: int) -> bool:
        """Whether a row leaves the columns without a name empty: a value there would be
        lost without a word (Excel writes such columns for cells once typed in, then cleared)."""
        stray = next((i for i in self.unnamed if cells[i].strip()), None)
        if stray is None:
            return True
        message = f"a value ({shown(cells[stray])}) under a column with no name"
        self.problem(Code.EXTRA_CELL, message, line, stray + 1)
        return False

    def fits(self, cells: list[str], line: int) -> bool:
        """Whether a row whose cells differ from the header's, or whose target is empty, is
        read: not a blank row (skipped) nor one whose cells are wrong (reported); absent
        trailing cells are empty."""
        if not any(cell.strip() for cell in cells):
            return False  # blank lines and Excel's rows of empty cells
        width = self.width
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            message = f"row has {_cells(len(cells))}, the header {width}"
            self.problem(Code.EXTRA_CELL, message, line, width + 1)
            return False
        needed = max(self.columns[name] for name in REQUIRED_COLUMNS) + 1
        if len(cells) < needed:
            message = f"row has {_cells(len(cells))}; target, period and value need {needed}"
            self.problem(Code.MISSING_CELL, message, line, len(cells) + 1)
            return False
        cells += [""] * (width - len(cells))
        return True


def unknown_target_message(plan: Plan | None, text: str) -> str:
    """With a plan, a "did you mean" from its names."""
    if not text:
        return "missing target"
    hint = plan.closest_name(text) if plan else None
    advice = f"; did you mean {hint!r}?" if hint else " (see `sti-plan targets`)"
    return f"unknown target {shown(text)}{advice}"


def _open_quote_hint(cell: str, line: int) -> str:
    """A cell that runs over several lines mostly means a quote left open."""
    cell = cell.rstrip("\r\n")  # an open quote at the end of the file keeps the last line end
    breaks = cell.count("\n") or cell.count("\r")
    if not breaks:
        return ""
    return f" (a quoted cell runs from line {line - breaks} to {line}: is a closing quote missing?)"


def _cells(count: int) -> str:
    return f"{count} cell" if count == 1 else f"{count} cells"


def _duplicate_message(
    measure_id: str, region: str, reported: Reported, period: Period, first: int
) -> str:
    where = f"region {shown(region)}" if region else "the whole city"
    message = f"{measure_id} for {where} in {period.code} is already given at line {first}"
    if reported.label != period.code:
        end = "the year" if period.months == MONTHS_IN_YEAR else f"month {period.months}"
        message += f" as {reported.label} (values are year-to-date; both run to {end})"
    return message

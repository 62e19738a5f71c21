"""Actuals files -> reported values per measure and period, streamed.

Rows (from sources.py) are checked with plain str/Decimal operations (no model
per row) and folded as they arrive: for each (measure, period) we keep the
whole-city value, the sum of regional values, and the line of each region's row
(to catch duplicates), four bytes per region. Blocks of plain text whose rows are
all ordinary regional rows are folded a column at a time; every other row one at
a time, with the same results.
"""

from __future__ import annotations

import csv
import unicodedata
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation, Rounded
from enum import Enum
from itertools import compress, repeat
from operator import getitem, is_, setitem
from pathlib import Path
from typing import Any, cast

from .model import GrowthDerivation, Kind, Plan
from .periods import MONTHS_IN_YEAR, Period, parse_period, why_not_a_period
from .problems import Problem
from .sources import (
    Block,
    Rows,
    RowSource,
    TextSource,
    is_workbook,
    open_binary,
    text_source,
    workbook_source,
)
from .values import LARGEST_EXPONENT, MAX_PLACES, BadValue, parse_value

REQUIRED_COLUMNS = ("target", "period", "value")
OPTIONAL_COLUMNS = ("region", "note", "source")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The headers Chinese statistics staff write, per column.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "target": ("指标", "目标", "指标名称"),
    "period": ("期间", "时期", "统计期", "月份"),
    "value": ("数值", "完成值", "实际值"),
    "region": ("地区", "区域", "县区"),
    "note": ("备注",),
    "source": ("来源",),
}
_HEADERS = {name: column for column in COLUMNS for name in (column, *HEADER_ALIASES[column])}
CITY = ""  # the region of a whole-city row

PeriodKey = tuple[int, int]  # (year, months covered from January)

# The longest value the plain way takes: within parse_value's limits whatever it holds
# (13 digits, or 12 places after a point), and never rounded by _EXACT_PLAIN.
_PLAIN_LENGTH = min(LARGEST_EXPONENT, MAX_PLACES + 1)
_EXACT_PLAIN = Context(prec=_PLAIN_LENGTH, traps=[InvalidOperation, Rounded])
_SUM_EVERY = 1 << 16  # plain rows whose values may wait to be summed (a block more at most)


def _consume(iterator: Iterator[Any]) -> None:
    deque(iterator, maxlen=0)


def _plain_numbers(cells: list[str]) -> list[Decimal] | None:
    """The cells as Decimals when every one is digits with at most one point inside,
    as parse_value takes them at first sight; None when any is otherwise."""
    text = "\n".join(cells)
    digits = text.replace("\n", "").replace(".", "")
    if not (digits.isascii() and digits.isdigit()):
        return None  # signs, spaces, units, separators, exponents, words, an empty column
    if text.startswith(".") or text.endswith(".") or "\n." in text or ".\n" in text:
        return None  # .5 and 5. take the long way
    if max(map(len, cells)) > _PLAIN_LENGTH:
        return None
    try:  # as Decimal(cell) would: so few digits are never rounded
        return list(map(_EXACT_PLAIN.create_decimal, cells))
    except (InvalidOperation, Rounded):  # an empty cell, or two points (Rounded: never)
        return None


@dataclass(slots=True)
class Reported:
    """What the file reports for one measure in one period.

    Regional rows are kept compactly (a million rows must fit in memory and in
    cache): the line of each region's row sits in an array, by region number.
    """

    label: str  # the period's code as first given in the file, e.g. "2020-Q2"
    region_names: list[str] = field(default_factory=list, repr=False)  # shared, by number
    city: Decimal | None = None
    city_line: int = 0  # 0: no whole-city row
    regional_sum: Decimal = Decimal(0)
    regional_count: int = 0
    lines: array[int] = field(default_factory=lambda: array("I"), repr=False)

    @property
    def period(self) -> Period:
        parsed = parse_period(self.label)
        assert parsed is not None  # labels are stored only after parsing
        return parsed

    @property
    def regions(self) -> dict[str, int]:
        """Region -> line of its row ("" for the whole city), in the order regions were met."""
        found = {self.region_names[i]: line for i, line in enumerate(self.lines) if line}
        return {CITY: self.city_line, **found} if self.city_line else found

    def make_room(self, region_number: int) -> None:
        """Grow `lines` (with zeros: no row yet) so that it holds this region's place; by
        half its size at least, so that regions met one by one cost few copies."""
        lines = self.lines
        if region_number >= len(lines):
            size = max(region_number + 1, len(lines) * 3 // 2)
            lines.frombytes(bytes(lines.itemsize * (size - len(lines))))


@dataclass
class Actuals:
    """Everything read from one actuals file."""

    path: str
    rows: int = 0
    values: dict[str, dict[PeriodKey, Reported]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0  # all problems found; `problems` keeps the first max_problems
    max_problems: int | None = None
    encoding: str | None = "utf-8"
    sheet: str | None = None

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if self.max_problems is None or len(self.problems) < self.max_problems:
            self.problems.append(problem)

    def reported(self, measure_id: str, year: int, months: int) -> Reported | None:
        return self.values.get(measure_id, {}).get((year, months))

    def latest_period(self, year: int) -> Period | None:
        """The latest period of `year` with any row, which is `as_of` by default."""
        months = [m for periods in self.values.values() for (y, m) in periods if y == year]
        if not months:
            return None
        latest = max(months)
        return Period(year, latest, f"{year}-{latest:02d}")


class MeasureLookup:
    """Resolves what a row names (an id, a Chinese name or an alias) to a measure id."""

    def __init__(self, plan: Plan) -> None:
        self.ids: dict[str, str] = {}
        for measure in plan.measures:
            for name in (measure.id, measure.name, *measure.aliases):
                self.ids.setdefault(name, measure.id)

    def resolve(self, text: str) -> str | None:
        found = self.ids.get(text)
        if found is None and not text.isascii():
            found = self.ids.get(unicodedata.normalize("NFKC", text).strip())
        return found

    def suggest(self, text: str) -> str | None:
        import difflib  # only for the rare unknown name

        close = difflib.get_close_matches(text, self.ids.keys(), n=1, cutoff=0.6)
        return close[0] if close else None


def load_actuals(
    path: Path, plan: Plan, *, sheet: str | None = None, max_problems: int | None = None
) -> Actuals:
    """Read an actuals file (CSV, TSV or workbook) against a plan; problems are collected."""
    if is_workbook(path):
        open_binary(path, "a workbook").close()  # the same checks and messages as text files
        return fold_rows(workbook_source(path, sheet), plan, max_problems)
    with open_binary(path) as handle:
        return fold_rows(TextSource(handle, path), plan, max_problems)


def read_actuals(lines: Iterable[str], plan: Plan, path: str = "<actuals>") -> Actuals:
    """Read CSV text lines (already decoded) against a plan."""
    return fold_rows(text_source(lines, path), plan)


def fold_rows(source: RowSource, plan: Plan, max_problems: int | None = None) -> Actuals:
    actuals = Actuals(
        source.path, max_problems=max_problems, encoding=source.encoding, sheet=source.sheet
    )
    _Folder(plan, actuals, source).fold()
    return actuals


class _Skip(Enum):
    """Rows whose values have nowhere to go (they are reported, not folded)."""

    BAD_PERIOD = "bad period"
    NO_MEASURE = "unknown target"


class _Folder:
    """Checks rows and folds them into `actuals`, one pass, no model per row.

    Blocks of plain lines whose rows are all ordinary regional rows are folded a
    column at a time (`fold_plain`); every other row goes through `fold_row_by_row`, one
    at a time. Both give the same results, problems and line numbers.
    """

    def __init__(self, plan: Plan, actuals: Actuals, source: RowSource) -> None:
        self.plan = plan
        self.actuals = actuals
        self.source = source
        self.sheet = source.sheet
        self.col_offset = source.col_offset
        self.columns: dict[str, int] | None = None
        self.width = 0
        self.lookup = MeasureLookup(plan)
        self.reports: dict[tuple[str, PeriodKey], Reported] = {}
        self.region_names: list[str] = []
        self.region_numbers: dict[str, int] = {}  # kept when reading resumes after a problem
        # target id -> period as written -> where its values go (fold_row_by_row)
        self.row_slots: dict[str | None, dict[str, Reported | _Skip]] = {}
        # fold_plain's own numbering of the slots it has met, and per slot number:
        self.plain_slots: dict[tuple[str, str], int] = {}  # (target, period) as written
        self.plain_numbers: dict[int, int] = {}  # id() of a Reported -> its number
        self.plain_reports: list[tuple[str, Reported]] = []  # (measure id, where it goes)
        self.line_arrays: list[array[int]] = []  # its `lines`
        self.waiting: list[list[Decimal]] = []  # values not yet summed, in file order
        self.unsummed: set[int] = set()  # slots with values waiting
        self.unsummed_rows = 0
        self.fed: set[int] = set()  # slots that fold_plain has given a value
        self.room = 0  # every slot's `lines` has room for this many regions

    def problem(self, code: str, message: str, line: int, col: int | None = None) -> None:
        column = None if col is None else col + self.col_offset
        self.actuals.add(Problem(code, self.actuals.path, message, line, column, self.sheet))

    def fold(self) -> None:
        source = self.source
        # What stopped the reading is listed after the problems of the rows before it,
        # which are read (again) after it is found: problems stay in the order of lines.
        stops = [] if source.opening_problem is None else [source.opening_problem]
        header_read = False
        while True:
            try:
                if not header_read:
                    if not self.read_header(stopped=bool(stops)):
                        break
                    header_read = True
                if self.columns is not None:
                    self.fold_data(self.columns, self.width)
                break
            except (UnicodeDecodeError, csv.Error) as exc:
                # Note what stopped the reading, then go on with what can still be read.
                stops.append(source.recover(exc))
        for problem in sorted(stops, key=lambda stop: stop.line or 0):
            self.actuals.add(problem)

    def read_header(self, stopped: bool) -> bool:
        """Read up to the header; False when the file has none (`stopped`: reading
        stopped at a problem, which is then what there is to say)."""
        source = self.source
        for header in source.rows:
            if any(cell.strip() for cell in header):
                self.columns = self.header(header, source.line)
                self.width = len(header)
                return True
        if not (stopped or self.actuals.problem_count):
            self.problem("empty-file", "the file is empty (no header row)", 1)
        return False

    def header(self, row: list[str], line: int) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        for index, raw in enumerate(row):
            text = unicodedata.normalize("NFKC", raw).strip()
            name = _HEADERS.get(text.lower())
            if not text:
                if any(cell.strip() for cell in row[index:]):
                    self.problem("extra-column", "a column has no name", line, index + 1)
                continue
            if name is None:
                accepted = ", ".join(COLUMNS)
                self.problem(
                    "extra-column",
                    f"unknown column {text!r} (columns are {accepted}, or their Chinese names)",
                    line,
                    index + 1,
                )
            elif name in columns:
                self.problem("duplicate-column", f"column {name!r} appears twice", line, index + 1)
            else:
                columns[name] = index
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        for name in missing:
            aliases = "/".join(HEADER_ALIASES[name])
            self.problem("missing-column", f"missing required column {name!r} (or {aliases})", line)
        return None if missing else columns

    def fold_data(self, columns: dict[str, int], width: int) -> None:
        source = self.source
        try:
            for block in source.blocks():
                if not self.fold_plain(block, columns, width):
                    self.sum_waiting()  # rows are folded in file order
                    self.fold_row_by_row(block.rows(), block.line - 1, columns, width)
        finally:
            self.sum_waiting()
        self.fold_row_by_row(source.rows, source.offset, columns, width)

    def fold_plain(self, block: Block, columns: dict[str, int], width: int) -> bool:
        """Fold a block a column at a time, in C, when every row has all its cells, a
        target written exactly as a plan id, name or alias, a period that parses, a plain
        number and a region, and no row repeats another. False, with nothing folded, when
        any row is otherwise: the block then goes through `fold_row_by_row`."""
        text, count, delimiter = block.text, block.lines, block.delimiter
        r_col = columns.get("region", -1)
        if r_col < 0 or not block.plain:
            return False
        # A delimiter before each line end: every "\n" then starts a cell, the first of its
        # line. Each line has `width` cells when those cells are every width-th one.
        cells = text.replace("\n", delimiter + "\n").split(delimiter)
        if len(cells) != count * width or "".join(cells[width::width]).count("\n") != count - 1:
            return False
        cells[::width] = "".join(cells[::width]).split("\n")
        values = _plain_numbers(cells[columns["value"] :: width])
        if values is None:
            return False
        regions = list(map(str.strip, cells[r_col::width]))
        if CITY in regions:
            return False
        targets, periods = cells[columns["target"] :: width], cells[columns["period"] :: width]
        keys = list(zip(targets, periods, strict=True))
        found = list(map(self.plain_slots.get, keys))
        slots = self.number_slots(keys, found) if None in found else cast("list[int]", found)
        if slots is None:
            return False
        known = list(map(self.region_numbers.get, regions))
        numbers = self.number_regions(regions, known) if None in known else cast("list[int]", known)
        touched = set(slots)
        if len(self.region_names) > self.room:
            self.room = max(len(self.region_names), self.room * 3 // 2)
            for _, reported in self.plain_reports:
                reported.make_room(self.room - 1)
        # A row whose region already has a line in its slot is a duplicate (fold_row_by_row
        # reports it); so are two rows of one region and slot in this block, which
        # leave the later line where the earlier row looks for its own.
        arrays = list(map(self.line_arrays.__getitem__, slots))
        if any(map(getitem, arrays, numbers)):
            return False
        rows = range(block.line, block.line + len(slots))
        _consume(map(setitem, arrays, numbers, rows))
        if list(map(getitem, arrays, numbers)) != list(rows):
            _consume(map(setitem, arrays, numbers, repeat(0)))
            return False
        new = [slot for slot in touched - self.fed if self.is_new(slot)]
        first_rows = sorted((slots.index(slot), slot) for slot in new)
        for row, slot in first_rows:
            self.keep(self.plain_reports[slot][0], self.plain_reports[slot][1], keys[row][1])
        _consume(map(list.append, map(self.waiting.__getitem__, slots), values))
        self.unsummed |= touched
        self.fed |= touched
        self.unsummed_rows += len(slots)
        self.actuals.rows += len(slots)
        if self.unsummed_rows >= _SUM_EVERY:
            self.sum_waiting()
        return True

    def number_slots(
        self, keys: list[tuple[str, str]], found: list[int | None]
    ) -> list[int] | None:
        """Number the (target, period) pairs not met before; None if one is not plain."""
        exact_id = self.lookup.ids.get
        for key in dict.fromkeys(compress(keys, map(is_, found, repeat(None)))):
            measure_id = exact_id(key[0])
            reported = self.slot(measure_id, key[1])
            if measure_id is None or not isinstance(reported, Reported):
                return None
            slot = self.plain_numbers.get(id(reported))  # self.reports keeps it alive
            if slot is None:
                slot = self.plain_numbers[id(reported)] = len(self.plain_reports)
                self.plain_reports.append((measure_id, reported))
                reported.make_room(self.room - 1)
                self.line_arrays.append(reported.lines)
                self.waiting.append([])
            self.plain_slots[key] = slot
        return list(map(self.plain_slots.__getitem__, keys))

    def number_regions(self, regions: list[str], found: list[int | None]) -> list[int]:
        """Number the regions not met before, in the order they come."""
        for region in dict.fromkeys(compress(regions, map(is_, found, repeat(None)))):
            self.region_numbers[region] = len(self.region_names)
            self.region_names.append(region)
        return list(map(self.region_numbers.__getitem__, regions))

    def is_new(self, slot: int) -> bool:
        """No value has reached this slot yet."""
        reported = self.plain_reports[slot][1]
        return not (reported.city_line or reported.regional_count or self.waiting[slot])

    def sum_waiting(self) -> None:
        """Add the values fold_plain left waiting to their sums, in file order."""
        for slot in self.unsummed:
            reported, values = self.plain_reports[slot][1], self.waiting[slot]
            reported.regional_sum = sum(values, reported.regional_sum)
            reported.regional_count += len(values)
            values.clear()
        self.unsummed.clear()
        self.unsummed_rows = 0

    def fold_row_by_row(self, rows: Rows, offset: int, columns: dict[str, int], width: int) -> None:
        """Fold rows one at a time (line = offset + rows.line_num).

        The hot loop of a file that is not plain: locals, one cache lookup per
        (target, period text), no call it can avoid. Unusual rows take the slow paths.
        """
        actuals, plan, lookup = self.actuals, self.plan, self.lookup
        exact_id = lookup.ids.get
        unit_of = {measure.id: measure.unit for measure in plan.measures}.get
        t_col, p_col, v_col = (columns[name] for name in REQUIRED_COLUMNS)
        r_col = columns.get("region", -1)
        needed = max(t_col, p_col, v_col)
        slots = self.row_slots
        region_names = self.region_names
        region_numbers = self.region_numbers
        region_number = region_numbers.get
        count = 0
        last_id: str | None = ""  # no target has this id
        by_period: dict[str, Reported | _Skip] = {}
        bad_period, skip, decimal = _Skip.BAD_PERIOD, _Skip, Decimal  # locals: read per row
        largest, places = LARGEST_EXPONENT, MAX_PLACES
        line = offset + rows.line_num  # where the last row read ends
        try:
            for row in rows:
                line = offset + rows.line_num
                if len(row) != width or not row[t_col]:
                    if self.shape_problem(row, width, needed, line) is not False:
                        continue
                    row += [""] * (width - len(row))  # absent trailing cells are empty
                count += 1
                target_text = row[t_col]
                measure_id = exact_id(target_text)
                if measure_id is None:
                    measure_id = lookup.resolve(target_text.strip())
                    if measure_id is None:
                        self.unknown_target(target_text.strip(), line, t_col + 1, lookup)
                period_text = row[p_col]
                if measure_id is not last_id:  # files come grouped by target, mostly
                    last_id = measure_id
                    known = slots.get(measure_id)
                    by_period = slots[measure_id] = {} if known is None else known
                slot = by_period.get(period_text)
                if slot is None:
                    slot = by_period[period_text] = self.slot(measure_id, period_text)
                if slot is bad_period:
                    message = why_not_a_period(period_text.strip())
                    self.problem("bad-period", message, line, p_col + 1)
                value_text = row[v_col]
                whole, point, fraction = value_text.partition(".")
                if (  # parse_value's fast path, inlined: plain digits within range
                    value_text.isascii()
                    and whole.isdigit()
                    and len(whole) <= largest
                    and (not point or (fraction.isdigit() and len(fraction) <= places))
                ):
                    value = decimal(value_text)
                else:
                    parsed = parse_value(value_text, unit_of(measure_id) if measure_id else None)
                    if isinstance(parsed, BadValue):
                        message = parsed.message + _open_quote_hint(value_text, line)
                        self.problem(parsed.code, message, line, v_col + 1)
                        continue
                    value = parsed
                if isinstance(slot, skip):
                    continue
                region = row[r_col].strip() if r_col >= 0 else CITY
                if not (slot.city_line or slot.regional_count):
                    self.keep(measure_id, slot, period_text)
                if region:
                    number = region_number(region)
                    if number is None:
                        number = region_numbers[region] = len(region_names)
                        region_names.append(region)
                    lines = slot.lines
                    if number >= len(lines):
                        slot.make_room(number)
                    elif lines[number]:
                        self.duplicate(measure_id, region, slot, period_text, line)
                        continue
                    lines[number] = line
                    slot.regional_sum += value
                    slot.regional_count += 1
                elif slot.city_line:
                    self.duplicate(measure_id, region, slot, period_text, line)
                else:
                    slot.city_line = line
                    slot.city = value
        except UnicodeDecodeError:
            # The byte may cut a record short (a quoted field over lines): read it again.
            self.source.stopped_after = line
            raise
        finally:
            actuals.rows += count  # also when reading stops at an undecodable byte

    def slot(self, measure_id: str | None, period_text: str) -> Reported | _Skip:
        """Where a (target, period) pair's values go, made the first time it is seen."""
        period = parse_period(period_text)
        if period is None:
            return _Skip.BAD_PERIOD
        if measure_id is None:
            return _Skip.NO_MEASURE
        key = (measure_id, (period.year, period.months))
        reported = self.reports.get(key)
        if reported is None:  # shown in `actuals.values` once a value arrives (see `keep`)
            reported = self.reports[key] = Reported(period.code, self.region_names)
        return reported

    def keep(self, measure_id: str | None, reported: Reported, period_text: str) -> None:
        """Show a (target, period) in the results, at its first value, labelled as written there."""
        assert measure_id is not None
        period = parse_period(period_text)
        assert period is not None  # the row reached its slot
        reported.label = period.code
        self.actuals.values.setdefault(measure_id, {})[period.year, period.months] = reported

    def duplicate(
        self, measure_id: str | None, region: str, reported: Reported, period_text: str, line: int
    ) -> None:
        period = parse_period(period_text)
        assert measure_id is not None and period is not None  # the row reached its slot
        first = reported.regions[region]  # the slow way: only for a duplicate
        message = _duplicate_message(measure_id, region, reported, period, first)
        self.problem("duplicate-row", message, line)

    def shape_problem(self, row: list[str], width: int, needed: int, line: int) -> bool | None:
        """False for a row that is fine after all; None when the row is skipped (a blank
        row, or one whose cell count is wrong, which is then reported)."""
        if not any(cell.strip() for cell in row):
            return None  # blank lines and Excel's rows of empty cells
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            message = f"row has {_cells(len(row))}, the header {width}"
            self.problem("extra-cell", message, line, width + 1)
            return None
        if len(row) <= needed:
            message = f"row has {_cells(len(row))}; target, period and value need {needed + 1}"
            self.problem("missing-cell", message, line, len(row) + 1)
            return None
        return False

    def unknown_target(self, text: str, line: int, col: int, lookup: MeasureLookup) -> None:
        if not text:
            self.problem("unknown-target", "missing target", line, col)
            return
        hint = lookup.suggest(text)
        advice = f"; did you mean {hint!r}?" if hint else " (see `sti-plan targets`)"
        self.problem("unknown-target", f"unknown target {text!r}{advice}", line, col)


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
    where = f"region {region!r}" if region else "the whole city"
    message = f"{measure_id} for {where} in {period.code} is already given at line {first}"
    if reported.label != period.code:
        end = "the year" if period.months == MONTHS_IN_YEAR else f"month {period.months}"
        message += f" as {reported.label} (values are year-to-date; both run to {end})"
    return message


TEMPLATE_HEADER = ("target", "period", "value", "region", "note", "source")


def template_rows(plan: Plan, period: Period) -> list[tuple[str, ...]]:
    """An actuals skeleton: a row per target and indicator for `period`, then the
    previous-year rows the figures use (stock baselines, growth bases)."""
    rows: list[tuple[str, ...]] = [(m.id, period.code, "", "", m.name, "") for m in plan.measures]
    previous = period.year - 1
    for measure in plan.measures:
        if measure.kind is Kind.STOCK:
            note = f"{measure.name}: {previous}年末基数 (baseline)"
            rows.append((measure.id, str(previous), "", "", note, ""))
    base = str(previous) if period.is_full_year else period.same_period_of(previous).code
    for derivation in plan.derivations:
        if isinstance(derivation, GrowthDerivation):
            grown = plan.measure(derivation.of)
            note = f"{grown.name if grown else derivation.of}: 上年同期 (same period last year)"
            rows.append((derivation.of, base, "", "", note, ""))
    return rows

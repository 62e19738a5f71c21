"""Actuals files -> what they report per measure and period (`observations.Actuals`).

Rows come from sources.py with the line they end on; each is checked (its cells, target,
period and value) and folded as it arrives, so a file of any length is read in one pass.
Every problem is collected with its line and column.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from . import i18n
from .i18n import N_, _, ngettext
from .layout import (
    Layout,
    Shape,
    Title,
    has_year,
    read_layout,
    read_title,
    yearless_period,
)
from .limits import HEADER_SEARCH_ROWS
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
from .plausibility import plausibility_problems
from .problems import Code, Problem, shown
from .sources import Record, RowSource, TextSource, is_workbook, open_binary
from .units import PERCENT
from .values import NO_FIGURE, SHORT_NUMBER, BadValue, out_of_range, parse_value
from .workbook import table_rows, workbook_sheets

_REGION_TEXTS_KEPT = 100_000
_UNSEEN = "\0unseen"  # a region text not met yet (no region key holds a NUL)
Slot = tuple[Reported, str, str]  # where a pair's values go, their unit, their measure's id


def load_actuals(
    path: Path,
    plan: Plan,
    *,
    sheet: str | None = None,
    max_problems: int | None = None,
    percent_cells: bool = False,
) -> Actuals:
    """Read an actuals file (CSV, TSV or workbook) against a plan; problems are collected.
    `percent_cells` (or the plan's `percent_cells: fraction`): a workbook's number cells
    of % measures hold fractions (0.087 for 8.7 %), as cells formatted as percentages do."""
    percent = percent_cells or plan.settings.percent_cells == "fraction"
    if sheet is None and is_workbook(path):
        return _first_table(path, plan, max_problems, percent)
    with table_rows(path, sheet) as source:
        return fold_rows(source, plan, max_problems, percent)


def _first_table(path: Path, plan: Plan, max_problems: int | None, percent: bool) -> Actuals:
    """A workbook named without its sheet: the first sheet with a header is read (cover
    and note sheets before it are passed over, with a warning); where no sheet has one,
    the problem lists them."""
    open_binary(path, N_("a workbook")).close()
    passed: list[str] = []
    for source in workbook_sheets(path):
        actuals = Actuals(source.path, max_problems=max_problems, sheet=source.sheet)
        reader = _Reader(plan, actuals, source, percent)
        reader.passed = passed
        names = source.sheet_names
        if len(names) == 1 or reader.read(only_a_header=True):
            if len(names) == 1:
                reader.read()  # the one sheet: what its first row lacks is said
            actuals.encoding = source.encoding
            return actuals
        passed.append(names[len(passed)])
    actuals = Actuals(str(path), max_problems=max_problems, sheet=passed[0])
    message = _(
        "no sheet has a header (a target column and a value, period or region column) in "
        "its first {rows} rows: sheets {sheets}; name the one to read with --sheet"
    ).format(rows=HEADER_SEARCH_ROWS, sheets=", ".join(map(shown, passed)))
    actuals.add(Problem(Code.MISSING_COLUMN, actuals.path, message, line=1, sheet=passed[0]))
    return actuals


def read_actuals(lines: Iterable[str], plan: Plan, path: str = "<actuals>") -> Actuals:
    """Read CSV text lines (already decoded) against a plan."""
    return fold_rows(TextSource(lines, path), plan)


def fold_rows(
    source: RowSource, plan: Plan, max_problems: int | None = None, percent: bool = False
) -> Actuals:
    actuals = Actuals(source.path, max_problems=max_problems, sheet=source.sheet)
    _Reader(plan, actuals, source, percent).read()
    actuals.encoding = source.encoding
    return actuals


class _Reader:
    """Checks an actuals file's rows and folds them into `actuals`, in one pass."""

    def __init__(
        self, plan: Plan, actuals: Actuals, source: RowSource, percent: bool = False
    ) -> None:
        self.plan = plan
        # A workbook's number cells of % measures are fractions: 0.087 is 8.7 %.
        self.percent = percent and source.track_numbers()
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
        self.title = Title()
        self.layout = Layout(Shape.LONG, {})
        self.default_period: str | None = None  # of every row, where there is no period column
        self.yearless: dict[str, str | None] = {}  # 1-6月 -> 2020年1-6月, as the rows key it
        self.passed: list[str] = []  # a workbook's sheets before this one, without a header
        self.header_line = 1

    def problem(self, code: Code, message: str, line: int, col: int | None = None) -> None:
        column = None if col is None else col + self.source.col_offset
        sheet = self.source.sheet
        self.actuals.add(
            Problem(code, self.actuals.path, message, line=line, col=column, sheet=sheet)
        )

    def read(self, records: Iterator[Record] | None = None, *, only_a_header: bool = False) -> bool:
        """Read the file; False, having read nothing, when `only_a_header` and none of its
        first rows is a header."""
        records = self.source.records() if records is None else records
        found = self.find_header(records, fallback=not only_a_header)
        if found is None:
            if only_a_header:
                return False
            if self.source.stop is None:
                self.problem(Code.EMPTY_FILE, _("the file is empty (no header row)"), 1)
        else:
            line, layout, rest = found
            self.header_line = line
            if self.passed:
                message = ngettext(
                    "sheet {sheet} is read: {listed} before it has no header (a cover or note "
                    "sheet?); --sheet names the one to read",
                    "sheet {sheet} is read: {listed} before it have no header (a cover or note "
                    "sheet?); --sheet names the one to read",
                    len(self.passed),
                ).format(
                    sheet=shown(self.source.sheet or ""), listed=", ".join(map(shown, self.passed))
                )
                self.problem(Code.OTHER_SHEET, message, line)
            if self.header(line, layout):
                before = self.actuals.problem_count
                self.read_rows(rest)
                nothing = not self.actuals.rows and self.actuals.problem_count == before
                if nothing and self.source.stop is None:  # no row, not even a wrong one
                    message = _("the file has a header and no rows: nothing is reported")
                    self.problem(Code.HEADER_ONLY, message, line)
                for problem in plausibility_problems(self.actuals, self.plan):
                    self.actuals.add(problem)
        # What stopped the reading comes after the problems of the rows before it.
        if self.source.stop is not None:
            self.actuals.add(self.source.stop)
        return True

    def find_header(
        self, records: Iterator[Record], *, fallback: bool = True
    ) -> tuple[int, Layout, Iterator[Record]] | None:
        """The header among the first rows with cells (title and note rows above it are read
        as the sheet's title), and the records after it. When none of them is a header, the
        one naming most columns (the first, when none names any) is taken as one, to say
        what it lacks (`fallback`), or None."""
        seen: list[tuple[int, list[str], Layout]] = []
        for line, cells in records:
            if not any(map(str.strip, cells)):
                continue
            # Periods written without a year (1-6月) take the title's, else the plan's.
            layout = read_layout(cells, self.plan, self.title.year or self.plan.year)
            if layout.is_header:
                self.width = len(cells)
                return line, layout, records
            read_title(cells, self.title, line, self.plan)  # a row above the header
            seen.append((line, cells, layout))
            if len(seen) == HEADER_SEARCH_ROWS:
                break
        if not seen or not fallback:
            return None
        named = [
            len(layout.columns) + len(layout.periods) + len(layout.regions) for *_, layout in seen
        ]
        best = named.index(max(named))
        line, cells, layout = seen[best]
        self.width = len(cells)
        after = ((line, cells) for line, cells, _ in seen[best + 1 :])
        return line, layout, itertools.chain(after, records)

    def header(self, line: int, layout: Layout) -> bool:
        """Take the columns; False when one the rows need is missing (they are not read)."""
        self.layout = layout
        self.columns = layout.columns
        self.unnamed = list(layout.unnamed)
        for index in layout.unit_cells:
            read_title([layout.cells[index]], self.title, line, self.plan)
        if self.title.unknown_unit is not None:
            written, at = self.title.unknown_unit
            message = _(
                "the title's unit {unit} is not one the plan knows (or is several): "
                "not applied; values carrying no unit are read in their target's unit "
                "(declare it under the plan's units:, or give a 单位 column)"
            ).format(unit=shown(written))
            self.problem(Code.TITLE_UNIT, message, at)
        needed = ["target"]
        if layout.shape is Shape.LONG:
            needed.append("value")
        if "period" not in self.columns and layout.shape is not Shape.PERIODS:
            self.default_period = self.sheet_period(layout, line)
            if self.default_period is None:
                needed.append("period")
        # What stops the rows being read first, then what is left out of them.
        missing = [name for name in REQUIRED_COLUMNS if name in needed and name not in self.columns]
        for name in missing:
            aliases = "/".join(HEADER_ALIASES[name])
            if name == "period":
                message = _(
                    "missing required column {name} (or {aliases}), or a period in the title "
                    "(2020年1-6月…)"
                )
            else:
                message = _("missing required column {name} (or {aliases})")
            message = message.format(name=repr(name), aliases=aliases)
            self.problem(Code.MISSING_COLUMN, message, line)
        for index in (i for i in layout.unnamed if i < layout.last_named):
            self.problem(Code.EXTRA_COLUMN, _("a column has no name (ignored)"), line, index + 1)
        for index in layout.unknown:
            message = _(
                "unknown column {column} (columns read are {columns}, unit, or their Chinese "
                "names); ignored"
            ).format(column=shown(layout.cells[index]), columns=", ".join(COLUMNS))
            self.problem(Code.EXTRA_COLUMN, message, line, index + 1)
        for index, name in layout.duplicates:
            message = _("column {name} appears twice").format(name=repr(name))
            self.problem(Code.DUPLICATE_COLUMN, message, line, index + 1)
        for index, message in self.conflicts(layout):
            self.problem(Code.LAYOUT_CONFLICT, message, line, index + 1)
        if missing:
            return False
        self.source.fill_merged(layout.labels)
        return True

    def conflicts(self, layout: Layout) -> list[tuple[int, str]]:
        """Where the header, its columns and the title say different things of a value's
        period or region: the column each is about, and what is read."""
        found: list[tuple[int, str]] = []
        columns, cells = layout.columns, layout.cells
        wide = {
            Shape.PERIODS: (
                "period",
                layout.periods,
                N_("column {column} is not read: the periods are the columns' ({first}…)"),
            ),
            Shape.REGIONS: (
                "region",
                layout.regions,
                N_("column {column} is not read: the regions are the columns' ({first}…)"),
            ),
        }
        name, named, said = wide.get(layout.shape, ("", [], ""))
        if name in columns:  # a period column beside columns of periods; regions likewise
            index = columns[name]
            message = i18n._(said).format(column=shown(cells[index]), first=shown(named[0][1]))
            found.append((index, message))
        if layout.value_period is not None and "period" in columns:
            index = columns["value"]
            message = _(
                "the period of column {column} is not read: each row's is, from its period column"
            ).format(column=shown(cells[index]))
            found.append((index, message))
        titled = self.title.period
        if layout.shape is Shape.PERIODS and titled is not None and not titled.is_full_year:
            for index, text in layout.periods:
                period = parse_period(text)
                if period is not None and period.is_full_year and period.year == titled.year:
                    message = _(
                        "column {column} is read as the full year {year}, though the title "
                        "says {title} (a column of the year to date is written "
                        "{title_year}年1-{months}月)"
                    ).format(
                        column=shown(text),
                        year=period.year,
                        title=titled.code,
                        title_year=titled.year,
                        months=titled.months,
                    )
                    found.append((index, message))
        return found

    def sheet_period(self, layout: Layout, line: int) -> str | None:
        """The period of every row, where the sheet has no period column: its value
        column's (1-6月累计), else its title's."""
        if layout.value_period is not None:
            return self.period_code(layout.value_period, line)
        return self.title.period.code if self.title.period else None

    def period_code(self, text: str, line: int, col: int | None = None) -> str | None:
        """A period as the rows' slots key it: as written, or, written without its year
        (1-6月), with the title's year, else the plan's (with a warning, once per text)."""
        if has_year(text) or parse_period(text) is not None:
            return text
        if text in self.yearless:
            return self.yearless[text]
        year = self.title.year or self.plan.year
        period = yearless_period(text, year)
        code = period.code if period else None
        if period is not None and self.title.year is None:
            message = _(
                "period {period} has no year: read as {code} "
                "(the plan year; a title such as {year}年1-6月… would say it)"
            ).format(period=shown(text.strip()), code=period.code, year=year)
            self.problem(Code.ASSUMED_YEAR, message, line, None if col is None else col + 1)
        self.yearless[text] = code
        return code

    def read_rows(self, records: Iterator[Record]) -> None:
        """Fold the rows after the header, each the moment it is read."""
        layout = self.layout
        given_units = "unit" in self.columns or layout.value_unit or self.title.unit
        others = given_units or self.percent or "period" not in self.columns
        if layout.shape is not Shape.LONG or others:
            self.read_cells(records)
            return
        target, period, value = (self.columns[name] for name in REQUIRED_COLUMNS)
        region = self.columns.get("region")
        width = self.width
        # Bound once: a million rows look each of them up.
        slots, region_keys, units, unnamed = self.slots, self.region_keys, self.units, self.unnamed
        read = 0
        for line, cells in records:
            if (len(cells) != width or not cells[target]) and not self.fits(cells, line):
                continue
            if unnamed and not self.unnamed_empty(cells, line):
                continue
            read += 1
            by_period = slots.get(cells[target])
            slot = by_period.get(cells[period]) if by_period else None
            if slot is None:
                taken = self.first_row_of_pair(cells, line)
                if taken is None:
                    continue
                slot, number = taken
            else:
                text = cells[value]
                # Nearly every cell: digits with a point or none (parse_value's first case).
                if (
                    len(text) <= SHORT_NUMBER
                    and text.isascii()
                    and text.replace(".", "", 1).isdigit()
                ):
                    number = Decimal(text)
                else:
                    parsed = parse_value(text, slot[1], units)
                    if isinstance(parsed, BadValue):
                        if not self.unfilled(cells, value):
                            self.bad_value(parsed, text, line, value)
                        continue
                    number = parsed
            reported, _unit, measure_id = slot
            text = "" if region is None else cells[region]
            where = region_keys.get(text, _UNSEEN)
            if where is _UNSEEN:
                where = self.region_key(text)
            if where is None:
                self.unknown_region(text, line)
                continue
            earlier = reported.add(where, number, line)
            if earlier:
                _code, when = self.period_of(cells[period], line, period)
                assert when is not None  # the row reached its slot
                self.duplicate(measure_id, reported, where, when, line, earlier)
        self.actuals.rows += read

    def read_cells(self, records: Iterator[Record]) -> None:
        """Fold the rows of any other layout: a value per row with its unit or period given
        apart (a unit column, the header, the title), or a value per period or region
        column; an empty cell of a wide sheet is not reported. A row's target (and period,
        where the row gives it) is checked once, then each of its values."""
        layout, columns = self.layout, self.columns
        target = columns["target"]
        period, region, unit = (columns.get(name) for name in ("period", "region", "unit"))
        long = layout.shape is Shape.LONG
        # Each value's column, and its period or region where the column gives it.
        values: list[tuple[int, tuple[str | None, Period | None] | None, str | None]]
        if layout.shape is Shape.PERIODS:
            header = self.header_line
            values = [
                (col, self.period_of(text, header, col), None) for col, text in layout.periods
            ]
        elif layout.shape is Shape.REGIONS:
            values = [(col, None, text) for col, text in layout.regions]
        else:
            values = [(columns["value"], None, None)]
        default = self.default_period
        sheet_period = (default, parse_period(default)) if default else None
        width, read = self.width, 0
        for line, cells in records:
            if (len(cells) != width or not cells[target]) and not self.fits(cells, line):
                continue
            if self.unnamed and not self.unnamed_empty(cells, line):
                continue
            read += 1
            measure = self.measure(cells[target], line)
            row_period = (
                self.period_of(cells[period], line, period) if period is not None else sheet_period
            )
            row_unit = cells[unit].strip() if unit is not None else ""
            for col, column_period, region_text in values:
                value_text = cells[col]
                if not long and value_text.strip() in NO_FIGURE:
                    continue  # a wide sheet's empty cell (or —): not reported
                if long and self.unfilled(cells, col):
                    continue  # a template row not filled in (its target and period checked)
                code, when = column_period or row_period or (None, None)
                if region_text is None:
                    region_text = cells[region] if region is not None else ""
                self.take(measure, code, when, value_text, region_text, row_unit, line, col)
        self.actuals.rows += read

    def period_of(self, text: str, line: int, col: int) -> tuple[str | None, Period | None]:
        """A period cell (or header) as the rows key it, and the period; a problem when it
        is none."""
        code = self.period_code(text, line, col) if text.strip() else None
        period = parse_period(code) if code else None
        if period is None:
            self.problem(Code.BAD_PERIOD, why_not_a_period(text.strip()), line, col + 1)
        return code, period

    def take(
        self,
        measure: Measure | None,
        code: str | None,
        period: Period | None,
        value_text: str,
        region_text: str,
        row_unit: str,
        line: int,
        col: int,
    ) -> None:
        """One value, from any layout, of a target and period already checked: the value
        checked, converted and folded."""
        unit = measure.unit if measure else None
        value = parse_value(self.with_unit(value_text, row_unit, unit), unit, self.units)
        if isinstance(value, BadValue):
            self.bad_value(value, value_text, line, col)
            return
        if self.percent and unit == PERCENT and col in self.source.numbers:
            value *= 100  # a fraction's hundredfold: within the limits still?
            beyond = out_of_range(value, value_text)
            if beyond is not None:
                self.bad_value(beyond, value_text, line, col)
                return
        if measure is None or period is None or code is None:
            return
        reported = self.reported(measure, period)
        where = self.region_keys.get(region_text, _UNSEEN)
        if where is _UNSEEN:
            where = self.region_key(region_text)
        if where is None:
            self.unknown_region(region_text, line)
            return
        earlier = reported.add(where, value, line)
        if earlier:
            self.duplicate(measure.id, reported, where, period, line, earlier)

    def with_unit(self, text: str, row_unit: str, unit: str | None) -> str:
        """The value's text with the unit its row, header or title gives it, where it
        carries none: the unit column's and the header's always; the title's only where
        it converts to the target's unit (单位：万元 says nothing of a count of 家)."""
        bare = text.strip()
        if not bare or not (bare[-1].isdigit() or bare[-1] == "."):
            return text
        given = row_unit or self.layout.value_unit
        if given:
            return bare + given
        title = self.title.unit
        if title and unit and self.units.factor(title, unit) is not None:
            return bare + title
        return text

    def reported(self, measure: Measure, period: Period) -> Reported:
        periods = self.actuals.values.setdefault(measure.id, {})
        reported = periods.get((period.year, period.months))
        if reported is None:  # shown from its first value on, labelled as that row has it
            reported = periods[period.year, period.months] = Reported(
                period.code, self.actuals.region_numbers, numbers=[] if self.plan.regions else None
            )
        return reported

    def unfilled(self, cells: list[str], value: int) -> bool:
        """A row left as `template` wrote it: its value empty, and its source too (the
        template's note names the target; a source cited for no value is a mistake)."""
        if cells[value].strip():
            return False
        source = self.columns.get("source")
        return source is None or not cells[source].strip()

    def first_row_of_pair(self, cells: list[str], line: int) -> tuple[Slot, Decimal] | None:
        """Check each cell of a row whose (target, period) pair, as written, has given no
        value yet; when all are good, the pair's slot (made now) and the row's value."""
        columns = self.columns
        target_text = cells[columns["target"]]
        period_text, value_text = cells[columns["period"]], cells[columns["value"]]
        measure = self.measure(target_text, line)
        _code, period = self.period_of(period_text, line, columns["period"])
        value = parse_value(value_text, measure.unit if measure else None, self.units)
        if isinstance(value, BadValue):
            if not self.unfilled(cells, columns["value"]):
                self.bad_value(value, value_text, line, columns["value"])
            return None
        if measure is None or period is None:
            return None
        reported = self.reported(measure, period)
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
        period: Period,
        line: int,
        first: int,
    ) -> None:
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
        if hint:
            message = _("unknown region {region}; did you mean {hint}?")
        else:
            message = _("unknown region {region} (the plan's regions are listed in it)")
        message = message.format(region=shown(text.strip()), hint=repr(hint))
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

    def bad_value(self, bad: BadValue, text: str, line: int, col: int) -> None:
        message = _with_open_quote_hint(bad.message, text, line)
        if self.source.sheet is not None and text.startswith("#"):
            message = _("{message} (a formula error in the workbook)").format(message=message)
        elif self.source.sheet is not None and not text.strip():
            # The workbook reader gives a formula's error (#DIV/0!, #N/A) as an empty cell.
            message = _("{message} (or a formula error such as #DIV/0!)").format(message=message)
        self.problem(bad.code, message, line, col + 1)

    def unnamed_empty(self, cells: list[str], line: int) -> bool:
        """Whether a row leaves the columns without a name empty: a value there would be
        lost without a word (Excel writes such columns for cells once typed in, then cleared)."""
        stray = next((i for i in self.unnamed if cells[i].strip()), None)
        if stray is None:
            return True
        message = _("a value ({value}) under a column with no name").format(
            value=shown(cells[stray])
        )
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
            count = len(cells)
            message = ngettext(
                "row has {count} cell, the header {width}",
                "row has {count} cells, the header {width}",
                count,
            ).format(count=count, width=width)
            self.problem(Code.EXTRA_CELL, message, line, width + 1)
            return False
        needed = max(self.columns[name] for name in REQUIRED_COLUMNS if name in self.columns) + 1
        if len(cells) < needed:
            count = len(cells)
            message = ngettext(
                "row has {count} cell; target, period and value need {needed}",
                "row has {count} cells; target, period and value need {needed}",
                count,
            ).format(count=count, needed=needed)
            self.problem(Code.MISSING_CELL, message, line, len(cells) + 1)
            return False
        cells += [""] * (width - len(cells))
        return True


def unknown_target_message(plan: Plan | None, text: str) -> str:
    """With a plan, a "did you mean" from its names."""
    if not text:
        return _("missing target")
    hint = plan.closest_name(text) if plan else None
    if hint:
        message = _("unknown target {target}; did you mean {hint}?")
    else:
        message = _("unknown target {target} (see `sti-plan targets`)")
    return message.format(target=shown(text), hint=repr(hint))


def _with_open_quote_hint(message: str, cell: str, line: int) -> str:
    """A cell that runs over several lines mostly means a quote left open: `message`, with
    that said."""
    cell = cell.rstrip("\r\n")  # an open quote at the end of the file keeps the last line end
    breaks = cell.count("\n") or cell.count("\r")
    if not breaks:
        return message
    return _(
        "{message} (a quoted cell runs from line {first} to {line}: is a closing quote missing?)"
    ).format(message=message, first=line - breaks, line=line)


def _duplicate_message(
    measure_id: str, region: str, reported: Reported, period: Period, first: int
) -> str:
    if reported.label == period.code:
        if region:
            message = _(
                "{measure} for region {region} in {period} is already given at line {first}"
            )
        else:
            message = _("{measure} for the whole city in {period} is already given at line {first}")
    elif period.months == MONTHS_IN_YEAR:
        if region:
            message = _(
                "{measure} for region {region} in {period} is already given at line {first} "
                "as {label} (values are year-to-date; both run to the year)"
            )
        else:
            message = _(
                "{measure} for the whole city in {period} is already given at line {first} "
                "as {label} (values are year-to-date; both run to the year)"
            )
    elif region:
        message = _(
            "{measure} for region {region} in {period} is already given at line {first} "
            "as {label} (values are year-to-date; both run to month {months})"
        )
    else:
        message = _(
            "{measure} for the whole city in {period} is already given at line {first} "
            "as {label} (values are year-to-date; both run to month {months})"
        )
    return message.format(
        measure=measure_id,
        region=shown(region),
        period=period.code,
        first=first,
        label=reported.label,
        months=period.months,
    )

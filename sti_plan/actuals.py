"""Actuals CSV -> reported values per measure and period, streamed row by row.

Rows are parsed with the csv module and plain str/Decimal operations (no model
per row) and folded as they arrive: for each (measure, period) we keep the
whole-city value, the sum of regional values, and which regions were seen (to
catch duplicates). Memory grows with the number of distinct regions, not rows.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from .model import Plan
from .periods import MONTHS_IN_YEAR, Period, parse_period, why_not_a_period
from .problems import Problem, StiPlanError

REQUIRED_COLUMNS = ("target", "period", "value")
OPTIONAL_COLUMNS = ("region", "note", "source")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
CITY = ""  # the region of a whole-city row

PeriodKey = tuple[int, int]  # (year, months covered from January)


@dataclass
class Reported:
    """What the file reports for one measure in one period."""

    label: str  # the period as first written in the file, e.g. "2020-Q2"
    city: Decimal | None = None
    regional_sum: Decimal = Decimal(0)
    regions: dict[str, int] = field(default_factory=dict)  # region -> line ("" = city)

    @property
    def period(self) -> Period:
        parsed = parse_period(self.label)
        assert parsed is not None  # labels are stored only after parsing
        return parsed

    @property
    def regional_count(self) -> int:
        return len(self.regions) - (CITY in self.regions)


@dataclass
class Actuals:
    """Everything read from one actuals file."""

    path: str
    rows: int = 0
    values: dict[str, dict[PeriodKey, Reported]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"

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
        return self.ids.get(text)

    def suggest(self, text: str) -> str | None:
        close = difflib.get_close_matches(text, self.ids.keys(), n=1, cutoff=0.6)
        return close[0] if close else None


def parse_value(text: str) -> Decimal | str:
    """A cell as a finite Decimal, or the reason it is not one."""
    text = text.strip()
    if not text:
        return "empty value"
    if "_" in text:
        return f"not a number: {text!r}"
    try:
        number = Decimal(text)
    except InvalidOperation:
        return f"not a number: {text!r}"
    if not number.is_finite():
        return f"not a finite number: {text!r}"
    return number


class Undecodable(Exception):
    """Bytes that are not text in the file's encoding, with where they stand."""

    def __init__(self, line: int, offset: int, byte: int) -> None:
        super().__init__(line, offset, byte)
        self.line, self.offset, self.byte = line, offset, byte


def decoded_lines(
    handle: BinaryIO, encoding: str = "utf-8-sig", chunk_size: int = 1 << 20
) -> Iterator[str]:
    """Decode a binary stream chunk by chunk and yield its lines (ends kept).

    Bulk decoding keeps the cost near a plain text-mode read, and an undecodable
    byte is still placed on its line: newlines are counted as chunks go by.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = 0  # in the bytes before the current chunk
    consumed = 0
    pending = ""
    while True:
        chunk = handle.read(chunk_size)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            data = exc.object
            carried = len(data) - len(chunk)  # bytes held back from the previous chunk
            line = newlines + data[: exc.start].count(b"\n") + 1
            # The complete lines before the bad byte are still good rows.
            good = pending + data[: exc.start].decode(encoding if consumed else "utf-8-sig")
            yield from io.StringIO(good[: good.rfind("\n") + 1], newline="")
            raise Undecodable(line, consumed - carried + exc.start, data[exc.start]) from None
        newlines += chunk.count(b"\n")
        consumed += len(chunk)
        buffer = pending + text
        end = buffer.rfind("\n") + 1
        if end:
            yield from io.StringIO(buffer[:end], newline="")
            pending = buffer[end:]
        else:
            pending = buffer
        if not chunk:
            if pending:
                yield pending
            return


def open_binary(path: Path) -> BinaryIO:
    """Open a data file; a missing or unreadable one is a usage error (exit 2)."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise StiPlanError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise StiPlanError(f"{path}: is a directory, not an actuals file") from None
    except OSError as exc:
        raise StiPlanError(f"{path}: cannot read ({exc.strerror})") from None


def load_actuals(path: Path, plan: Plan) -> Actuals:
    """Read an actuals CSV against a plan; problems are collected, not raised."""
    with open_binary(path) as handle:
        return read_actuals(decoded_lines(handle), plan, str(path))


def read_actuals(lines: Iterable[str], plan: Plan, path: str = "<actuals>") -> Actuals:
    actuals = Actuals(path)
    reader = csv.reader(lines)
    try:
        _fold_rows(reader, plan, actuals)
    except Undecodable as exc:
        actuals.problems.append(
            Problem(
                "encoding-error",
                path,
                f"not valid UTF-8: byte 0x{exc.byte:02x} at offset {exc.offset}; "
                "save the file as UTF-8",
                exc.line,
            )
        )
    except csv.Error as exc:
        actuals.problems.append(
            Problem("malformed-csv", path, f"cannot parse the CSV: {exc}", reader.line_num)
        )
    return actuals


def _header(row: list[str], path: str, problems: list[Problem], line: int) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, raw in enumerate(row):
        name = raw.strip().lower()
        if not name:
            if any(cell.strip() for cell in row[index:]):
                problems.append(
                    Problem("extra-column", path, "a column has no name", line, index + 1)
                )
            continue
        if name in columns:
            problems.append(
                Problem("duplicate-column", path, f"column {name!r} appears twice", line, index + 1)
            )
        elif name not in COLUMNS:
            problems.append(
                Problem(
                    "extra-column",
                    path,
                    f"unknown column {raw.strip()!r} (columns are {', '.join(COLUMNS)})",
                    line,
                    index + 1,
                )
            )
        else:
            columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for name in missing:
        problems.append(Problem("missing-column", path, f"missing required column {name!r}", line))
    return None if missing else columns


def _fold_rows(reader: Iterator[list[str]], plan: Plan, actuals: Actuals) -> None:
    path, problems = actuals.path, actuals.problems
    header = next(reader, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
    if header is None:
        problems.append(Problem("empty-file", path, "the file is empty (no header row)", 1))
        return
    columns = _header(header, path, problems, reader.line_num)  # type: ignore[attr-defined]
    if columns is None:
        return
    lookup = MeasureLookup(plan)
    width = len(header)
    t_col, p_col, v_col = (columns[name] for name in REQUIRED_COLUMNS)
    r_col = columns.get("region")
    values = actuals.values
    for row in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if len(row) != width or not row[t_col]:
            if not any(cell.strip() for cell in row):
                continue  # blank lines and Excel's rows of empty cells
            problem = _shape_problem(row, width, (t_col, p_col, v_col), path, line)
            if problem is not None:
                problems.append(problem)
                continue
        actuals.rows += 1
        target_text = row[t_col].strip()
        measure_id = lookup.resolve(target_text)
        if measure_id is None:
            hint = lookup.suggest(target_text)
            problems.append(
                Problem(
                    "unknown-target",
                    path,
                    "missing target"
                    if not target_text
                    else f"unknown target {target_text!r}"
                    + (f"; did you mean {hint!r}?" if hint else " (see `sti-plan targets`)"),
                    line,
                    t_col + 1,
                )
            )
        period_text = row[p_col].strip()
        period = parse_period(period_text)
        if period is None:
            problems.append(
                Problem("bad-period", path, why_not_a_period(period_text), line, p_col + 1)
            )
        value = parse_value(row[v_col])
        if isinstance(value, str):
            problems.append(Problem("type-error", path, value, line, v_col + 1))
        if measure_id is None or period is None or isinstance(value, str):
            continue
        region = row[r_col].strip() if r_col is not None and r_col < len(row) else CITY
        by_period = values.setdefault(measure_id, {})
        key = (period.year, period.months)
        reported = by_period.get(key)
        if reported is None:
            reported = by_period[key] = Reported(period.code)
        first = reported.regions.get(region)
        if first is not None:
            problems.append(
                Problem(
                    "duplicate-row",
                    path,
                    _duplicate_message(measure_id, region, reported, period, first),
                    line,
                )
            )
            continue
        reported.regions[region] = line
        if region == CITY:
            reported.city = value
        else:
            reported.regional_sum += value


def _shape_problem(
    row: list[str], width: int, used: tuple[int, ...], path: str, line: int
) -> Problem | None:
    """A row whose cell count differs from the header's, unless the difference is harmless."""
    count = len(row)
    if count > width and any(cell.strip() for cell in row[width:]):
        return Problem(
            "extra-cell", path, f"row has {count} cells, the header {width}", line, width + 1
        )
    if count <= max(used):
        return Problem(
            "missing-cell", path, f"row has {count} cells, the header {width}", line, count + 1
        )
    return None


def _duplicate_message(
    measure_id: str, region: str, reported: Reported, period: Period, first: int
) -> str:
    where = f"region {region!r}" if region else "the whole city"
    message = f"{measure_id} for {where} in {period.code} is already given at line {first}"
    if reported.label != period.code:
        end = "the year" if period.months == MONTHS_IN_YEAR else f"month {period.months}"
        message += f" as {reported.label} (values are year-to-date; both run to {end})"
    return message

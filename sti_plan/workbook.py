"""Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) -> rows of text cells, through python-calamine.

The reader holds a sheet's whole extent in memory, from its first cell to its last, and
aborts the interpreter when it cannot: so before it is handed a workbook, the workbook's
size unpacked and the extent of the sheet to read (.xlsx, .xlsm, .ods) are checked
against limits.py (a 2 KB file with one cell at XFD1048576 would ask for 512 GB). .xlsb
sheets are not measured yet; .xls ones are bounded by their format (65,536 x 256).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from . import limits
from .problems import StiPlanError, column_letter, shown
from .sources import Record, RowSource

ZIPPED = (".xlsx", ".xlsm", ".xlsb", ".ods")
# r="XFD20" is a cell's place, r="20" a row's. Any attribute ending in r counts too: the
# extent can only come out larger (patterns that begin with text are searched fast).
_CELL_COLUMN = re.compile(rb'r="([A-Za-z]+)[0-9]')
_CELL_ROW = re.compile(rb'r="[A-Za-z]+([0-9]+)"')
_ROW_NUMBER = re.compile(rb'r="([0-9]+)"')
# Start tags, counted: <col and <cfRule count as cells too, a few more, never fewer.
_CELL_STARTS = (b"<c", b":c")
_ROW_STARTS = (b"<row", b":row")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"')
_RANGE = re.compile(r"([A-Za-z]+)([0-9]+)")
_READ = 1 << 20


class SheetSource(RowSource):
    """The rows of one sheet of a workbook, cells as the text a CSV would hold."""

    def __init__(self, rows: Iterator[list[Any]], path: str, sheet: str, col_offset: int) -> None:
        super().__init__(path, sheet=sheet, col_offset=col_offset)
        self.rows = rows

    def records(self) -> Iterator[Record]:
        for number, cells in enumerate(self.rows, 1):
            yield number, [cell_text(cell) for cell in cells]


def workbook_source(path: Path, sheet: str | None) -> SheetSource:
    """The rows of one sheet (the first unless named), once the workbook is within limits."""
    from python_calamine import CalamineError, CalamineWorkbook

    if path.suffix.lower() in ZIPPED:
        check_unpacked_size(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise StiPlanError(f"{path}: cannot read the workbook ({exc})") from None
    names = list(workbook.sheet_names)
    if not names:
        raise StiPlanError(f"{path}: the workbook has no sheets")
    name = names[0] if sheet is None else sheet
    if name not in names:
        listed = ", ".join(repr(n) for n in names)
        raise StiPlanError(f"--sheet: {path} has no sheet {shown(name)} (sheets: {listed})")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        check_extent(path, name)
    elif path.suffix.lower() == ".ods":
        check_ods_extent(path, name)
    try:
        data = workbook.get_sheet_by_name(name)
    except (CalamineError, ValueError) as exc:
        raise StiPlanError(f"{path}: cannot read sheet {shown(name)} ({exc})") from None
    start = data.start
    return SheetSource(data.iter_rows(), str(path), name, start[1] if start else 0)


def cell_text(cell: Any) -> str:
    """A workbook cell as the text a CSV would hold: 812.0 -> 812, a date -> its month."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, dt.date):  # datetime too: a date in a period column means its month
        return f"{cell.year}-{cell.month:02d}"
    return str(cell)


# ---------------------------------------------------------------- limits


def check_unpacked_size(path: Path) -> None:
    """Every part of a zipped workbook is unpacked here, counting its bytes, not trusting
    the sizes the archive declares; past the limit the workbook is refused."""
    limit = limits.MAX_WORKBOOK_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            for member in archive.infolist():
                total += sum(len(chunk) for chunk in _unpacked(archive, member, limit - total))
    except _TooBig:
        raise StiPlanError(
            f"{path}: unpacks to more than {limit:,} bytes; workbooks over that are refused "
            "(save the sheet as CSV)"
        ) from None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        NotImplementedError,
        ValueError,
    ) as exc:
        raise StiPlanError(f"{path}: cannot read the workbook (a damaged archive: {exc})") from None


class _TooBig(Exception):
    pass


def _unpacked(archive: zipfile.ZipFile, member: zipfile.ZipInfo, room: int) -> Iterator[bytes]:
    """A member's bytes, a megabyte at a time; _TooBig past `room` bytes."""
    read = 0
    with archive.open(member) as handle:
        while chunk := handle.read(_READ):
            read += len(chunk)
            if read > room:
                raise _TooBig
            yield chunk


def check_extent(path: Path, sheet: str) -> None:
    """The rows x columns the reader would hold for `sheet` of an .xlsx: from the sheet's
    declared dimension and from where its cells stand (a dimension may lie)."""
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None:
            return  # the reader will say what is wrong
        extent = _Extent()
        tail = b""
        for chunk in _unpacked(archive, archive.getinfo(part), limits.MAX_WORKBOOK_UNPACKED_BYTES):
            data = tail + chunk
            cut = data.rfind(b"<")  # a tag may go on in the next chunk
            if cut < 0 or b">" in data[cut:]:
                cut = len(data)
            extent.scan(data[:cut])
            tail = data[cut:]
        extent.scan(tail)
    _within_limits(path, sheet, *extent.size())


def _within_limits(path: Path, sheet: str, rows: int, columns: int) -> None:
    where = f"{path}: sheet {shown(sheet)}"
    if rows > limits.MAX_SHEET_ROWS or columns > limits.MAX_SHEET_COLUMNS:
        raise StiPlanError(
            f"{where} reaches row {rows:,}, column {columns:,}; sheets are read up to row "
            f"{limits.MAX_SHEET_ROWS:,} and column {limits.MAX_SHEET_COLUMNS:,} "
            f"({column_letter(limits.MAX_SHEET_COLUMNS)}), as Excel's"
        )
    if rows * columns > limits.MAX_SHEET_CELLS:
        raise StiPlanError(
            f"{where} spans {rows:,} rows x {columns:,} columns = {rows * columns:,} cells; "
            f"sheets of more than {limits.MAX_SHEET_CELLS:,} are refused (delete what stands "
            "far from the table, or save the sheet as CSV)"
        )


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def check_ods_extent(path: Path, sheet: str) -> None:
    """The rows x columns an .ods sheet holds up to its last cell with content: its rows and
    cells may each stand for many (number-rows-repeated="20000000"), which the reader
    expands. Empty repeats (LibreOffice's to the sheet's end) cost nothing and count not."""
    rows = columns = 0  # the extent so far: the last row and column with content
    row = 0  # rows passed in the sheet
    in_sheet = False
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as handle:
        try:
            events = ElementTree.iterparse(handle, events=("start", "end"))
            for event, element in events:
                tag = element.tag
                if tag == f"{_ODS_TABLE}table":
                    in_sheet = event == "start" and element.get(f"{_ODS_TABLE}name") == sheet
                elif in_sheet and event == "end" and tag == f"{_ODS_TABLE}table-row":
                    repeat = _repeat(element, "rows")
                    column = filled = 0
                    for cell in element:
                        span = _repeat(cell, "columns")
                        if cell.get(f"{_ODS_OFFICE}value-type") or len(cell):
                            filled = column + span
                        column += span
                    if filled:
                        rows, columns = row + repeat, max(columns, filled)
                    row += repeat
                    element.clear()
                    _within_limits(path, sheet, rows, columns)
        except ElementTree.ParseError:
            return  # the reader will say what is wrong


def _repeat(element: ElementTree.Element, what: str) -> int:
    try:
        return max(int(element.get(f"{_ODS_TABLE}number-{what}-repeated", "1")), 1)
    except ValueError:
        return 1


class _Extent:
    """The last row and column a sheet's cells reach, an upper bound where cells or rows
    leave their position unsaid (each then takes the next one). Scanned with a few
    patterns over the XML, not parsed: a reference anywhere counts."""

    def __init__(self) -> None:
        self.rows = self.columns = 0
        self.unplaced_rows = self.unplaced_cells = 0

    def scan(self, data: bytes) -> None:
        for found in _DIMENSION.finditer(data):
            for letters, digits in _RANGE.findall(found.group(1).decode("ascii", "replace")):
                self._reach(int(digits), _column_number(letters))
        columns = _CELL_COLUMN.findall(data)
        row_tags = _ROW_NUMBER.findall(data)
        row = max(map(int, set(_CELL_ROW.findall(data)) | set(row_tags)), default=0)
        column = max((_column_number(letters.decode()) for letters in set(columns)), default=0)
        self._reach(row, column)
        cells = sum(map(data.count, _CELL_STARTS))
        rows = sum(map(data.count, _ROW_STARTS))
        self.unplaced_cells += max(cells - len(columns), 0)
        self.unplaced_rows += max(rows - len(row_tags), 0)

    def _reach(self, row: int, column: int) -> None:
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)

    def size(self) -> tuple[int, int]:
        return self.rows + self.unplaced_rows, self.columns + self.unplaced_cells


def _column_number(letters: str) -> int:
    """A -> 1, XFD -> 16384; absurdly long letters are simply large."""
    number = 0
    for letter in letters.upper()[:8]:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number if len(letters) <= 8 else 26**8


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The archive path of a sheet's XML, from xl/workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    ids = {
        element.get("Id"): element.get("Target", "")
        for element in rels.iter()
        if element.tag.endswith("Relationship")
    }
    for element in book.iter():
        if element.tag.endswith("}sheet") and element.get("name") == sheet:
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            target = ids.get(rid)
            if target is None:
                return None
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            return part if part in archive.namelist() else None
    return None

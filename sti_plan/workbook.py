"""Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) -> rows of text cells, through python-calamine.

The reader holds a sheet's whole extent in memory, from its first cell to its last, and
aborts the interpreter when it cannot: so before it is handed a workbook, the workbook's
size unpacked and the extent of the sheet to read (.xlsx, .xlsm, .xlsb, .ods) are checked
against limits.py (a 2 KB file with one cell at XFD1048576 would ask for 512 GB). .xls
sheets are bounded by their format (65,536 x 256). The reader may also panic on a damaged
file (a shared string's index past the table): that is one line too, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from . import limits
from .problems import StiPlanError, column_letter, one_line, shown
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
        with _reader_quiet():
            workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise StiPlanError(f"{path}: cannot read the workbook ({exc})") from None
    except BaseException as exc:
        _unless_panic(exc, f"{path}: cannot read the workbook")
    names = list(workbook.sheet_names)
    if not names:
        raise StiPlanError(f"{path}: the workbook has no sheets")
    name = names[0] if sheet is None else sheet
    if name not in names:
        listed = ", ".join(repr(n) for n in names)
        raise StiPlanError(f"--sheet: {path} has no sheet {shown(name)} (sheets: {listed})")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        check_extent(path, name)
    elif suffix == ".xlsb":
        check_xlsb_extent(path, name)
    elif suffix == ".ods":
        check_ods_extent(path, name)
    try:
        with _reader_quiet():
            data = workbook.get_sheet_by_name(name)
    except (CalamineError, ValueError) as exc:
        raise StiPlanError(f"{path}: cannot read sheet {shown(name)} ({exc})") from None
    except BaseException as exc:
        _unless_panic(exc, f"{path}: cannot read sheet {shown(name)}")
    start = data.start
    return SheetSource(data.iter_rows(), str(path), name, start[1] if start else 0)


@contextlib.contextmanager
def _reader_quiet() -> Iterator[None]:
    """The reader's panics print their own report (and a backtrace) on file descriptor 2:
    while it reads, that goes to /dev/null, and the panic becomes our one line."""
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 at all: nothing to keep quiet
        os.close(quiet)
        yield
        return
    try:
        os.dup2(quiet, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(quiet)


def _unless_panic(exc: BaseException, where: str) -> None:
    """The reader's panics (a Rust assertion on a damaged file) become one line; anything
    else (KeyboardInterrupt, SystemExit) goes on."""
    if type(exc).__name__ != "PanicException":
        raise exc
    raise StiPlanError(f"{where} (a damaged workbook: {one_line(str(exc))})") from None


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
    """The archive path of an .xlsx sheet's XML, from xl/workbook.xml."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return None
    for element in book.iter():
        if element.tag.endswith("}sheet") and element.get("name") == sheet:
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            return _related_part(archive, "xl/_rels/workbook.xml.rels", rid)
    return None


def _related_part(archive: zipfile.ZipFile, rels_part: str, rid: str | None) -> str | None:
    """The archive path a workbook's relationship `rid` names, if the archive holds it."""
    try:
        rels = ElementTree.fromstring(archive.read(rels_part))
    except (KeyError, ElementTree.ParseError):
        return None
    ids = {
        element.get("Id"): element.get("Target", "")
        for element in rels.iter()
        if element.tag.endswith("Relationship")
    }
    target = ids.get(rid)
    if target is None:
        return None
    part = (
        target.lstrip("/")
        if target.startswith("/")
        else posixpath.normpath(posixpath.join("xl", target))
    )
    return part if part in archive.namelist() else None


# .xlsb parts are records: a type (1-2 bytes) and a size (1-4 bytes), 7 bits a byte, the
# high bit saying another byte follows (MS-XLSB 2.1.4). The types read here:
_BUNDLE_SHEET = 0x9C  # a sheet's relationship id and name, in xl/workbook.bin
_END_BUNDLE_SHEETS = 0x90
_ROW_HEADER = 0x00  # the row the next cells are in (0-based)
_FIRST_CELL = 0x02  # 0x02-0x0B: the cell records the reader keeps (a blank, 0x01, it skips)
_END_SHEET_DATA = 0x92
_LAST_ROW_READ = 0x10_0000  # the reader stops at a row header past this


def _record_head(data: bytes, at: int) -> tuple[int, int, int] | None:
    """(type, where its data starts, its size), or None while the head is incomplete."""
    values = []
    for most in (2, 4):
        value = shift = 0
        for _ in range(most):
            if at >= len(data):
                return None
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        values.append(value)
    return values[0], at, values[1]


def check_xlsb_extent(path: Path, sheet: str) -> None:
    """The rows x columns the reader would hold for `sheet` of an .xlsb: from where its
    cells stand (the reader does not believe the sheet's dimension, nor do we)."""
    with zipfile.ZipFile(path) as archive:
        part = _xlsb_sheet_part(archive, sheet)
        if part is None:
            return  # the reader will say what is wrong
        chunks = _unpacked(archive, archive.getinfo(part), limits.MAX_WORKBOOK_UNPACKED_BYTES)
        rows, columns = _xlsb_extent(chunks)
    _within_limits(path, sheet, rows, columns)


def _xlsb_extent(chunks: Iterator[bytes]) -> tuple[int, int]:
    """The last row and column (1-based) of the cells the reader keeps, read from the
    sheet's records as it reads them: a row header sets the row of the cells after it."""
    rows = columns = row = 0
    data = b""
    skip = 0  # bytes of a long record still to pass over
    unpack = struct.unpack_from
    for chunk in chunks:
        if skip >= len(chunk):
            skip -= len(chunk)
            continue
        data += chunk[skip:]
        skip = at = 0
        size_of_data = len(data)
        while True:
            if at + 1 < size_of_data and data[at] < 0x80 and data[at + 1] < 0x80:
                kind, start, size = data[at], at + 2, data[at + 1]  # most records
            elif (head := _record_head(data, at)) is not None:
                kind, start, size = head
            else:
                break  # the head goes on in the next chunk
            if kind < 0x0C and size >= 4:  # a row header or a cell: its first 4 bytes
                if start + 4 > size_of_data:
                    break
                value = unpack("<I", data, start)[0]
                if kind == _ROW_HEADER:
                    row = value
                    if row > _LAST_ROW_READ:
                        return rows, columns
                elif kind >= _FIRST_CELL:
                    if row >= rows:
                        rows = row + 1
                    if value >= columns:
                        columns = value + 1
            elif kind == _END_SHEET_DATA:
                return rows, columns
            at = start + size
            if at > size_of_data:
                skip, at = at - size_of_data, size_of_data
                break
        data = data[at:]
    return rows, columns


def _xlsb_sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The archive path of an .xlsb sheet, from xl/workbook.bin."""
    try:
        book = archive.read("xl/workbook.bin")
    except KeyError:
        return None
    at = 0
    while (head := _record_head(book, at)) is not None:
        kind, start, size = head
        at = start + size
        if kind == _END_BUNDLE_SHEETS:
            break
        if kind != _BUNDLE_SHEET:
            continue
        data = book[start:at]
        rid, after = _wide_text(data, 8)
        name, _ = _wide_text(data, after)
        if name == sheet:
            return _related_part(archive, "xl/_rels/workbook.bin.rels", rid)
    return None


def _wide_text(data: bytes, at: int) -> tuple[str | None, int]:
    """An XLWideString at `at` (a 4-byte count of UTF-16 units, then them) and where it ends."""
    if at + 4 > len(data):
        return None, len(data)
    count = struct.unpack_from("<I", data, at)[0]
    if count == 0xFFFF_FFFF:
        return None, at + 4
    end = at + 4 + 2 * count
    return data[at + 4 : end].decode("utf-16-le", "replace"), end

"""Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) -> rows of text cells, through python-calamine.

The reader holds a sheet's whole extent in memory, from its first cell to its last, and
aborts the interpreter when it cannot: so before it is handed a workbook, the workbook's
size unpacked and the extent of the sheet to read are checked against limits.py (a 2 KB
file with one cell at XFD1048576 would ask for 512 GB). A zipped workbook is told apart by
its parts (.xlsx, .xlsm, .xlsb, .ods), whatever its name; .xls sheets are bounded by their
format (65,536 x 256). The reader may also panic on a damaged file (a shared string's
index past the table): that is one line too, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast
from xml.etree import ElementTree

from . import limits
from .i18n import N_, _
from .problems import StiPlanError, column_letter, one_line, shown
from .sources import Record, RowSource, TextSource, is_workbook, open_binary

_READ = 1 << 20
ErrorCells = dict[int, list[tuple[int, str]]]  # row -> (column from 1, the error: #DIV/0!)


class SheetSource(RowSource):
    """The rows of one sheet of a workbook, cells as the text a CSV would hold."""

    def __init__(
        self,
        rows: Iterator[list[Any]],
        path: str,
        sheet: str,
        col_offset: int,
        merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
        errors: ErrorCells | None = None,
    ) -> None:
        super().__init__(path, sheet=sheet, col_offset=col_offset)
        self.rows = rows
        self.merged = merged or []
        self.errors = errors or {}  # formula errors, which the reader gives as empty cells
        # Line -> column -> the line and column of its range's first cell, for the columns
        # merged cells fill (set by `fill_merged`).
        self.fills: dict[int, dict[int, tuple[int, int]]] = {}
        self.first_cells: dict[int, list[int]] = {}  # line -> the columns of first cells on it
        self.sheet_names: list[str] = [sheet]  # the workbook's, where they are asked for
        self.tracking = False

    def track_numbers(self) -> bool:
        self.tracking = True
        return True

    def records(self) -> Iterator[Record]:
        firsts: dict[tuple[int, int], str] = {}
        for number, row in enumerate(self.rows, 1):
            cells = [cell_text(cell) for cell in row]
            if self.tracking:
                self.numbers = {
                    i
                    for i, cell in enumerate(row)
                    if isinstance(cell, (int, float)) and not isinstance(cell, bool)
                }
            errors = self.errors.get(number) if self.errors else None
            if errors:
                for column, error in errors:
                    if 0 <= column - 1 - self.col_offset < len(cells):
                        cells[column - 1 - self.col_offset] = error
            fills = self.fills.get(number)
            if fills:
                for col, first in fills.items():
                    if col < len(cells) and not cells[col].strip():
                        cells[col] = firsts.get(first, "")
            for col in self.first_cells.get(number, ()):
                if 0 <= col < len(cells):
                    firsts[number, col] = cells[col]
            yield number, cells

    def fill_merged(self, columns: list[int]) -> None:
        wanted = set(columns)
        for (top, left), (bottom, right) in self.merged:
            for col in range(left - self.col_offset, right - self.col_offset + 1):
                if col not in wanted:
                    continue
                first = (top + 1, left - self.col_offset)
                self.first_cells.setdefault(first[0], []).append(first[1])
                for line in range(top + 2, bottom + 2):
                    self.fills.setdefault(line, {})[col] = first


def workbook_source(path: Path, sheet: str | None) -> SheetSource:
    """The rows of one sheet (the first unless named), once the workbook is within limits."""
    workbook, names = _open_workbook(path)
    name = names[0] if sheet is None else sheet
    if name not in names:
        listed = ", ".join(repr(n) for n in names)
        raise StiPlanError(
            _("--sheet: {path} has no sheet {sheet} (sheets: {sheets})").format(
                path=path, sheet=shown(name), sheets=listed
            )
        )
    return _sheet_source(path, workbook, name)


def workbook_sheets(path: Path) -> Iterator[SheetSource]:
    """The rows of each visible sheet in turn, each checked against the limits as it is
    reached."""
    workbook, names = _open_workbook(path)
    shown = _visible(workbook) or names  # hidden sheets passed over, unless all are
    for name in shown:
        source = _sheet_source(path, workbook, name)
        source.sheet_names = shown
        yield source


def _visible(workbook: Any) -> list[str]:
    """The names of the sheets a person sees (not hidden), in order."""
    try:
        return [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")]
    except (AttributeError, TypeError, ValueError):  # a reader that does not say
        return []


def _open_workbook(path: Path) -> tuple[Any, list[str]]:
    from python_calamine import CalamineError, CalamineWorkbook

    if zipfile.is_zipfile(path):  # by content: the reader sniffs what it is not told
        check_unpacked_size(path)
    try:
        with _reader_quiet():
            workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise StiPlanError(
            _("{path}: cannot read the workbook ({error})").format(path=path, error=exc)
        ) from None
    except BaseException as exc:
        raise StiPlanError(
            _("{path}: cannot read the workbook (a damaged workbook: {detail})").format(
                path=path, detail=_panic_detail(exc)
            )
        ) from None
    names = list(workbook.sheet_names)
    if not names:
        raise StiPlanError(_("{path}: the workbook has no sheets").format(path=path))
    return workbook, names


def _sheet_source(path: Path, workbook: Any, name: str) -> SheetSource:
    from python_calamine import CalamineError

    errors = check_extent(path, name) if zipfile.is_zipfile(path) else {}
    try:
        with _reader_quiet():
            data = workbook.get_sheet_by_name(name)
    except (CalamineError, ValueError) as exc:
        raise StiPlanError(
            _("{path}: cannot read sheet {sheet} ({error})").format(
                path=path, sheet=shown(name), error=exc
            )
        ) from None
    except BaseException as exc:
        raise StiPlanError(
            _("{path}: cannot read sheet {sheet} (a damaged workbook: {detail})").format(
                path=path, sheet=shown(name), detail=_panic_detail(exc)
            )
        ) from None
    start = data.start
    merged = list(data.merged_cell_ranges or [])
    offset = start[1] if start else 0
    return SheetSource(data.iter_rows(), str(path), name, offset, merged, errors)


@contextlib.contextmanager
def table_rows(path: Path, sheet: str | None = None) -> Iterator[RowSource]:
    """The rows of a CSV, TSV or workbook (the first sheet, or `sheet`), open while used;
    the same checks and messages for opening either."""
    if is_workbook(path):
        open_binary(path, N_("a workbook")).close()
        yield workbook_source(path, sheet)
        return
    with open_binary(path) as handle:
        yield TextSource.of_file(handle, path)


def nonblank(records: Iterator[Record]) -> Iterator[Record]:
    """The rows with anything in them."""
    return ((line, cells) for line, cells in records if any(map(str.strip, cells)))


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


def _panic_detail(exc: BaseException) -> str:
    """What the reader's panic (a Rust assertion on a damaged file) says, on one line, to
    become our one line; anything else (KeyboardInterrupt, SystemExit) goes on."""
    if type(exc).__name__ != "PanicException":
        raise exc
    return one_line(str(exc))


def _float_text(cell: float) -> str:
    """A number cell as written: a formula's result carries binary noise past the 12th
    decimal place (44.6/1708.9*100 is 2.609865995669729, 0.1+0.2 is 0.30000000000000004),
    which no one typed and the limits refuse: it is read to 12 places."""
    text = repr(cell)
    if not math.isfinite(cell):
        return text
    number = Decimal(text)
    if -int(number.as_tuple().exponent) <= limits.MAX_PLACES:
        return format(number, "f") if "e" in text else text
    try:
        rounded = number.quantize(Decimal(1).scaleb(-limits.MAX_PLACES))
    except InvalidOperation:  # too large to keep 12 places: refused as it is
        return text
    return format(rounded.normalize(), "f")


def cell_text(cell: Any) -> str:
    """A workbook cell as the text a CSV would hold: 812.0 -> 812, a date -> its month."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else _float_text(cell)
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
            _(
                "{path}: unpacks to more than {limit} bytes; workbooks over that are refused "
                "(save the sheet as CSV)"
            ).format(path=path, limit=f"{limit:,}")
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
        raise StiPlanError(_damaged_archive(path, exc)) from None


def _damaged_archive(path: Path, exc: BaseException) -> str:
    return _("{path}: cannot read the workbook (a damaged archive: {error})").format(
        path=path, error=exc
    )


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


def check_extent(path: Path, sheet: str) -> ErrorCells:
    """The rows x columns the reader would hold for `sheet` of a zipped workbook, told
    apart by its parts (.xlsx, .xlsm, .xlsb, .ods), whatever its name ends in; and, read
    on the way, an .xlsx sheet's formula errors, which the reader gives as empty cells."""
    errors: ErrorCells = {}
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _Parts(archive)
            if parts.find("xl/workbook.bin"):
                rows, columns = _xlsb_size(parts, sheet)
            elif parts.find("xl/workbook.xml"):
                rows, columns = _xlsx_size(parts, sheet, errors)
            elif parts.find("content.xml"):
                check_ods_extent(path, sheet, parts)
                return errors
            else:
                return errors  # not a workbook the reader knows: it will say so
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise StiPlanError(_damaged_archive(path, exc)) from None
    _within_limits(path, sheet, rows, columns)
    return errors


class _Parts:
    """A zipped workbook's parts, found by name in any case (as the reader finds them)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {name.lower(): name for name in archive.namelist()}

    def find(self, name: str) -> str | None:
        return self.names.get(name.lower())

    def chunks(self, name: str) -> Iterator[bytes]:
        info = self.archive.getinfo(name)
        return _unpacked(self.archive, info, limits.MAX_WORKBOOK_UNPACKED_BYTES)

    def read(self, name: str) -> bytes:
        return b"".join(self.chunks(name))

    def sheet_parts(self, book: str, rels: str, folder: str, rid: str | None) -> list[str]:
        """The part a sheet's relationship id names; when it cannot be told (a workbook part
        that does not parse, a relationship missing), every part of the sheets' folder."""
        target = _relationship_target(self, rels, rid) if rid is not None else None
        if target is not None:
            found = self.find(posixpath.normpath(posixpath.join(posixpath.dirname(book), target)))
            if target.startswith("/"):
                found = self.find(target.lstrip("/"))
            if found:
                return [found]
        return [real for lower, real in self.names.items() if lower.startswith(folder)]


def _relationship_target(parts: _Parts, rels: str, rid: str) -> str | None:
    name = parts.find(rels)
    if name is None:
        return None
    try:
        tree = ElementTree.fromstring(parts.read(name))
    except (ElementTree.ParseError, ValueError, LookupError):
        return None
    for element in tree.iter():
        if element.tag.endswith("Relationship") and element.get("Id") == rid:
            return element.get("Target")
    return None


# ---------------------------------------------------------------- .xlsx, .xlsm

# A start tag of a row or a cell, its attributes tokenised (a quoted value may hold `>`),
# any namespace prefix; the closing tag of a row.
_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)((?:\s+[^\s=>/]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>"
    rb"|</(?:[A-Za-z_][\w.-]*:)?row\s*>"
)
_ATTR = rb"""[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*')"""
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# A cell whose r= says its place as letters and digits (groups: the letters and digits in
# double quotes, in single quotes; "/" when it is empty), and any cell at all.
_PLACED_CELL = re.compile(
    rb"<" + _PREFIX + rb"c(?:\s+(?!r\s*=)" + _ATTR + rb")*"
    rb"""\s+r\s*=\s*(?:"([A-Za-z]+)([0-9]+)"|'([A-Za-z]+)([0-9]+)')"""
    rb"(?:\s+" + _ATTR + rb")*\s*(/?)>"
)
_CELL_PLACED_FIRST = re.compile(
    rb'<c r="([A-Za-z]{1,3})([0-9]{1,7})"(?:\s+' + _ATTR + rb")*\s*(/?)>"
)
_REFERENCE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_PLACE = re.compile(rb"\s*([A-Za-z]+)\s*([0-9]+)\s*$")
_ROW_PLACE = re.compile(rb"\s*([0-9]+)\s*$")
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\s[^>]*>")
_ATTRIBUTE = re.compile(rb"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)""")


def _xlsx_size(parts: _Parts, sheet: str, errors: ErrorCells) -> tuple[int, int]:
    """Rows x columns up to the last cell with content of `sheet` (of every sheet, when
    which part is the sheet cannot be told)."""
    book = parts.find("xl/workbook.xml") or "xl/workbook.xml"
    rid = _xlsx_relationship(parts.read(book), sheet)
    sizes = [
        _xlsx_part_size(parts, part, errors)
        for part in parts.sheet_parts(book, "xl/_rels/workbook.xml.rels", "xl/worksheets/", rid)
    ]
    return max((r for r, _ in sizes), default=0), max((c for _, c in sizes), default=0)


def _xlsx_relationship(book: bytes, sheet: str) -> str | None:
    """The relationship id of the sheet named so in xl/workbook.xml (read as text: its
    declared encoding may be one no XML parser here reads)."""
    text = _as_text(book)
    for tag in _SHEET_TAG.findall(text.encode("utf-8")):
        attributes = {
            key.decode(): (a if a is not None else b).decode()
            for key, a, b in _ATTRIBUTE.findall(tag)
        }
        if _unescaped(attributes.get("name", "")) == sheet:
            return next((v for k, v in attributes.items() if k.endswith(":id")), None)
    return None


def _as_text(data: bytes) -> str:
    """An XML part's text, decoded as it declares (UTF-16 by its byte order mark)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    declared = _DECLARED.match(data[:200])
    try:
        return data.decode(declared.group(1).decode() if declared else "utf-8", "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def _unescaped(text: str) -> str:
    import html

    return html.unescape(text)


def _xlsx_part_size(parts: _Parts, part: str, errors: ErrorCells) -> tuple[int, int]:
    """Rows x columns of one sheet part up to its last cell with content. Where every cell
    says its place (r="B7", as Excel writes), the places are gathered by patterns;
    otherwise each tag is followed in turn (a cell without its place is the next after the
    one before, a row without its number the next)."""
    rows = columns = 0
    letters: set[bytes] = set()
    for chunk in _whole_tags(_utf8_chunks(parts.chunks(part))):
        if b't="e"' in chunk or b"t='e'" in chunk:
            _error_cells(chunk, errors)
        cells = _cell_count(chunk)
        placed = _CELL_PLACED_FIRST.findall(chunk)  # r="A1" first and double-quoted: fast
        if len(placed) != cells:
            placed = [(a or c, b or d, e) for a, b, c, d, e in _PLACED_CELL.findall(chunk)]
            if len(placed) != cells:
                return _followed_size(parts, part)
        full = [found for found in placed if not found[2]]  # <c r="Z9" s="1"/>: formatting
        if full:
            rows = max(rows, max(int(digits) for _, digits, _ in full))
            letters.update(found[0] for found in full)
    columns = max((_column_number(text.decode()) for text in letters), default=0)
    return rows, columns


_ERROR_CELL = re.compile(rb"""<c\b([^>]*\bt\s*=\s*["']e["'][^>/]*)>(.*?)</c>""", re.DOTALL)
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _error_cells(chunk: bytes, errors: ErrorCells) -> None:
    """The formula errors of a chunk of sheet XML: <c r="C7" t="e"><v>#DIV/0!</v></c>
    (a cell cut across two chunks, 1 MB each, is missed: it reads as empty)."""
    for match in _ERROR_CELL.finditer(chunk):
        reference = _REFERENCE.search(match.group(1))
        place = (reference.group(1) or reference.group(2)) if reference else None
        found = _CELL_PLACE.match(place) if place else None
        value = _VALUE.search(match.group(2))
        if found and value:
            text = value.group(1).decode("utf-8", "replace").strip()[:20]
            errors.setdefault(int(found.group(2)), []).append(
                (_column_number(found.group(1).decode()), text)
            )


def _cell_count(data: bytes) -> int:
    """How many cell start tags: `<c` (or `<x:c`) then a space, `>` or `/`. Text that looks
    so counts too: then the places are followed tag by tag, never missed."""
    ends = (b" ", b"\t", b"\n", b"\r", b">", b"/")
    count = sum(data.count(b"<c" + end) for end in ends)
    if b":c" in data:
        count += sum(data.count(b":c" + end) for end in ends)
    return count


def _whole_tags(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Chunks cut before their last `<`: a tag that runs on is given whole with the next."""
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        cut = data.rfind(b"<")
        cut = len(data) if cut < 0 else cut
        yield data[:cut]
        tail = data[cut:]
    yield tail


def _followed_size(parts: _Parts, part: str) -> tuple[int, int]:
    """Rows x columns, each row and cell tag followed in turn."""
    rows = columns = 0
    row = column = 0
    for chunk in _whole_tags(_utf8_chunks(parts.chunks(part))):
        for match in _TAG.finditer(chunk):
            name, attributes, empty = match.groups()
            if name is None:  # </row>
                column = 0
                continue
            reference = _REFERENCE.search(attributes)
            place = (reference.group(1) or reference.group(2) or b"") if reference else None
            if name == b"row":
                found = _ROW_PLACE.match(place) if place is not None else None
                row = int(found.group(1)) if found else row + 1
                column = 0
                continue
            found = _CELL_PLACE.match(place) if place is not None else None
            if found:
                column = _column_number(found.group(1).decode())
                row = int(found.group(2))
            else:
                column += 1
            if not empty:  # <c r="Z9" s="1"/> is formatting, no content: the reader skips it
                rows, columns = max(rows, row, 1), max(columns, column)
    return rows, columns


def _utf8_chunks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A part's bytes as UTF-8 (or an ASCII-compatible encoding, where tags read the same);
    a UTF-16 part is decoded first."""
    first = next(chunks, b"")
    if not first.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in first[:100]:
        yield first
        yield from chunks
        return
    import codecs

    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-16-le" if first[:1] != b"\x00" else "utf-16-be"
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    yield decoder.decode(first).encode("utf-8")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def _within_limits(path: Path, sheet: str, rows: int, columns: int) -> None:
    if rows > limits.MAX_SHEET_ROWS or columns > limits.MAX_SHEET_COLUMNS:
        raise StiPlanError(
            _(
                "{path}: sheet {sheet} reaches row {rows}, column {columns}; sheets are read up "
                "to row {max_rows} and column {max_columns} ({letter}), as Excel's"
            ).format(
                path=path,
                sheet=shown(sheet),
                rows=f"{rows:,}",
                columns=f"{columns:,}",
                max_rows=f"{limits.MAX_SHEET_ROWS:,}",
                max_columns=f"{limits.MAX_SHEET_COLUMNS:,}",
                letter=column_letter(limits.MAX_SHEET_COLUMNS),
            )
        )
    if rows * columns > limits.MAX_SHEET_CELLS:
        raise StiPlanError(
            _(
                "{path}: sheet {sheet} spans {rows} rows x {columns} columns = {cells} cells; "
                "sheets of more than {max_cells} are refused (delete what stands far from the "
                "table, or save the sheet as CSV)"
            ).format(
                path=path,
                sheet=shown(sheet),
                rows=f"{rows:,}",
                columns=f"{columns:,}",
                cells=f"{rows * columns:,}",
                max_cells=f"{limits.MAX_SHEET_CELLS:,}",
            )
        )


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def check_ods_extent(path: Path, sheet: str, parts: _Parts) -> None:
    """The rows x columns an .ods sheet holds up to its last cell with content: its rows and
    cells may each stand for many (number-rows-repeated="20000000"), which the reader
    expands. Empty repeats (LibreOffice's to the sheet's end) cost nothing and count not.
    A table inside a cell of the sheet counts as its rows, never as the sheet's end."""
    rows = columns = 0  # the extent so far: the last row and column with content
    row = 0  # rows passed in the sheet
    depth = 0  # of tables within tables
    in_sheet = False
    content = parts.find("content.xml") or "content.xml"
    parser: ElementTree.XMLPullParser[Any] = ElementTree.XMLPullParser(events=("start", "end"))
    try:
        for chunk in _expat_chunks(parts.chunks(content)):
            parser.feed(chunk)
            for item in parser.read_events():
                event, element = cast(tuple[str, Any], item)
                if not isinstance(element, ElementTree.Element):
                    continue
                tag = element.tag
                if tag == f"{_ODS_TABLE}table":
                    depth += 1 if event == "start" else -1
                    if event == "start" and depth == 1:
                        in_sheet = element.get(f"{_ODS_TABLE}name") == sheet
                    elif event == "end" and depth == 0:
                        in_sheet = False
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


_EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "iso-8859-1", "latin-1", "us-ascii"}


def _expat_chunks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A part's bytes as the XML parser reads them: in an encoding it does not know (GBK,
    which Chinese tools write), decoded and given as UTF-8, the declaration saying so."""
    first = next(chunks, b"")
    declared = _DECLARED.match(first[:200])
    name = declared.group(1).decode("ascii", "replace").lower() if declared else "utf-8"
    if name in _EXPAT_ENCODINGS:
        yield first
        yield from chunks
        return
    import codecs

    try:
        decoder = codecs.getincrementaldecoder(name)("replace")
    except LookupError:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
    assert declared is not None
    start, end = declared.span(1)
    yield first[:start] + b"utf-8" + decoder.decode(first[end:]).encode("utf-8")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def _repeat(element: ElementTree.Element, what: str) -> int:
    try:
        return max(int(element.get(f"{_ODS_TABLE}number-{what}-repeated", "1")), 1)
    except ValueError:
        return 1


def _column_number(letters: str) -> int:
    """A -> 1, XFD -> 16384; absurdly long letters are simply large."""
    number = 0
    for letter in letters.upper()[:8]:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number if len(letters) <= 8 else 26**8


# .xlsb parts are records: a type (1-2 bytes) and a size (1-4 bytes), 7 bits a byte, the
# high bit saying another byte follows (MS-XLSB 2.1.4). The types read here:
_BUNDLE_SHEET = 0x9C  # a sheet's relationship id and name, in xl/workbook.bin
_END_BUNDLE_SHEETS = 0x90
_ROW_HEADER = 0x00  # the row the next cells are in (0-based)
_FIRST_CELL = 0x02  # 0x02-0x0B: the cell records the reader keeps (a blank, 0x01, it skips)
_BEGIN_SHEET_DATA = 0x91
_END_SHEET_DATA = 0x92
_LAST_ROW_READ = 0x10_0000  # the reader stops at a row header past this


def _record_head(data: bytes, at: int) -> tuple[int, int, int] | None:
    """(type, where its data starts, its size), or None while the head is incomplete."""
    values = []
    for most in (2, 4):
        value = shift = 0
        for _byte in range(most):
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


def _xlsb_size(parts: _Parts, sheet: str) -> tuple[int, int]:
    """Rows x columns the reader would hold for `sheet` of an .xlsb (of every sheet, when
    which part is the sheet cannot be told): from where its cells stand (the reader does
    not believe the sheet's dimension, nor do we)."""
    book = parts.find("xl/workbook.bin") or "xl/workbook.bin"
    rid = _xlsb_relationship(parts.read(book), sheet)
    sizes = [
        _xlsb_extent(parts.chunks(part))
        for part in parts.sheet_parts(book, "xl/_rels/workbook.bin.rels", "xl/worksheets/", rid)
    ]
    return max((r for r, _ in sizes), default=0), max((c for _, c in sizes), default=0)


def _xlsb_extent(chunks: Iterator[bytes]) -> tuple[int, int]:
    """The last row and column (1-based) of the cells the reader keeps, read from the
    sheet's records as it reads them: a row header sets the row of the cells after it."""
    rows = columns = row = 0
    data = b""
    skip = 0  # bytes of a long record still to pass over
    begun = False  # the reader passes over every record before the sheet's data
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
            if not begun:
                begun = kind == _BEGIN_SHEET_DATA
            elif kind < 0x0C and size >= 4:  # a row header or a cell: its first 4 bytes
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


def _xlsb_relationship(book: bytes, sheet: str) -> str | None:
    """The relationship id of the sheet named so, from xl/workbook.bin's sheet records."""
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
        name, _end = _wide_text(data, after)
        if name == sheet:
            return rid
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

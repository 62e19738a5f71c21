"""Data files -> rows of text cells with their line (or row) numbers.

CSV and TSV as Excel on Chinese Windows writes them (UTF-8, UTF-8 with a BOM,
GBK/GB18030, UTF-16 with a BOM and tabs), and workbooks (.xlsx, .xls, .ods)
through python-calamine. Files are streamed: CSV is decoded in chunks, so a
file of any length costs the same memory. Text without quotes or bare carriage
returns is handed out as blocks of lines, which split exactly as csv.reader
would split them; the rest is read by csv.reader.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Protocol

from .problems import Problem, StiPlanError

MAX_ACTUALS_BYTES = 2 * 1024**3
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_SNIFF_BYTES = 64 * 1024
_CHUNK = 1 << 20
_BLOCK_CHARS = 1 << 16  # text read per block: some 1,700 rows of a four-column file


class Rows(Protocol):
    """An iterator of rows that knows the number of the last line it read, like csv.reader."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


class Block(NamedTuple):
    """Whole lines of text, read in one go, that end where a record ends.

    A plain block has no quotes, no carriage returns and no NULs, so splitting each line
    at `delimiter` gives exactly the cells csv.reader would give. Any other block (quotes,
    bare carriage returns) is left to csv.reader.
    """

    line: int  # the number of the first line
    text: str  # plain: the lines, each ended by "\n" but the last; else as read
    lines: int  # how many
    delimiter: str
    plain: bool = True

    def rows(self) -> Rows:
        """The block's rows as csv.reader reads them, `line_num` counting from 1 within it."""
        lines = self.text.split("\n") if self.plain else io.StringIO(self.text, newline="")
        return csv.reader(lines, delimiter=self.delimiter)


class RowSource:
    """The rows of one file, and what is known about how it was read.

    After the header, text files are read as `blocks` of whole lines, then, from where
    blocks cannot go on (a NUL, an overlong line, a quoted field that runs past a block),
    as `rows` (csv.reader over a TextIOWrapper: the hot loop pays nothing for decoding
    checks). When reading stops (undecodable bytes, unparsable CSV), `recover` says what
    is wrong, where, and gives the rows that can still be read, so no good row is lost.
    """

    def __init__(
        self,
        rows: Rows,
        path: str,
        *,
        encoding: str | None = None,
        sheet: str | None = None,
        col_offset: int = 0,
    ) -> None:
        self.rows = rows
        self.path = path
        self.offset = 0  # lines before the first line `rows` reads
        self.encoding = encoding
        self.sheet = sheet
        self.col_offset = col_offset
        self.opening_problem: Problem | None = None  # found before the first row was read
        # Where the last row read ends, when an undecodable byte stops the reading: the
        # lines of a record it cut short are read again.
        self.stopped_after: int | None = None

    @property
    def line(self) -> int:
        """The number of the last line read (and handed out)."""
        return self.offset + self.rows.line_num

    def blocks(self) -> Iterator[Block]:
        """Blocks of whole lines after the header, while the file has them; `rows`
        then reads what is left. Sources that are not text have none."""
        return iter(())

    def recover(self, exc: Exception) -> Problem:
        """What stopped the reading; `rows` then holds what can still be read, if anything."""
        self.rows, self.offset = _NO_ROWS, self.line
        if isinstance(exc, csv.Error):
            message = f"cannot parse the CSV: {exc}; the rest of the file was not read"
            return Problem("malformed-csv", self.path, message, self.line)
        raise exc


_NO_ROWS: Rows = csv.reader([])
_END = "\x01\x02"  # a line with no delimiter and no quote: a record of its own, unless in one


def open_binary(
    path: Path,
    what: str = "an actuals file",
    limit: int | None = None,
    advice: str = "split the file by year or region",
) -> BinaryIO:
    """Open a data file; a missing, unreadable or oversized one is a usage error (exit 2)."""
    limit = MAX_ACTUALS_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if size > limit:
            raise StiPlanError(
                f"{path}: {size:,} bytes; files over {limit:,} bytes are refused ({advice})"
            )
        return open(path, "rb")
    except FileNotFoundError:
        raise StiPlanError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise StiPlanError(f"{path}: is a directory, not {what}") from None
    except OSError as exc:
        raise StiPlanError(f"{path}: cannot read ({exc.strerror})") from None


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES


# ---------------------------------------------------------------- text files


def detect_encoding(handle: BinaryIO) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM), else GB18030 where the text is not UTF-8.

    A BOM decides at once. Otherwise a window from the first non-ASCII byte decides
    (ASCII reads the same in all of them): UTF-8 unless most of its non-ASCII bytes
    fail as UTF-8 while GB18030 (a superset of GBK, what Excel on Chinese Windows
    writes) reads them with fewer failures. A stray bad byte in a UTF-8 file, or in a
    GBK one, then shows as an encoding-error on its line instead of deciding the
    encoding. The handle is left at the start.
    """
    head = handle.read(4)
    handle.seek(0)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    offset = 0
    while chunk := handle.read(_CHUNK):
        found = None if chunk.isascii() else _NON_ASCII.search(chunk)  # isascii is the quick look
        if found:
            handle.seek(offset + found.start())
            window = handle.read(_SNIFF_BYTES)
            handle.seek(0)
            return _likelier_encoding(window)
        offset += len(chunk)
    handle.seek(0)
    return "utf-8"


def _likelier_encoding(window: bytes) -> str:
    """The encoding under which `window` has fewer undecodable characters (UTF-8 on a tie)."""
    if len(window) == _SNIFF_BYTES:  # the window may end mid-character: leave the tail out
        window = window[:-4]
    utf8 = window.decode("utf-8", errors="replace")
    utf8_bad = utf8.count("\ufffd")
    if not utf8_bad:
        return "utf-8"
    utf8_good = sum(1 for c in utf8 if c > "\x7f") - utf8_bad
    if utf8_good >= 4 * utf8_bad:  # mostly well-formed UTF-8, with stray bytes
        return "utf-8"
    gb_bad = window.decode("gb18030", errors="replace").count("\ufffd")
    return "gb18030" if gb_bad < utf8_bad else "utf-8"


class _Undecodable(Exception):
    def __init__(self, line: int, offset: int, byte: int) -> None:
        super().__init__(line, offset, byte)
        self.line, self.offset, self.byte = line, offset, byte


def decoded_lines(handle: BinaryIO, encoding: str, chunk_size: int = _CHUNK) -> Iterator[str]:
    """Decode a binary stream chunk by chunk and yield its lines (ends kept).

    The lines before an undecodable byte are still yielded, then its line and byte
    offset are raised. Lines end at LF, CRLF or a bare CR, as csv reads them.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    yielded = 0
    consumed = 0
    pending = ""
    while True:
        chunk = handle.read(chunk_size)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            data = exc.object
            carried = len(data) - len(chunk)  # bytes held back from the previous chunk
            good = pending + data[: exc.start].decode(encoding, errors="replace")
            complete = [line for line in io.StringIO(good, newline="") if line[-1] in "\r\n"]
            yield from complete
            line = yielded + len(complete) + 1
            raise _Undecodable(line, consumed - carried + exc.start, data[exc.start]) from None
        consumed += len(chunk)
        buffer = pending + text
        end = buffer.rfind("\n") + 1
        if end:
            lines = io.StringIO(buffer[:end], newline="").readlines()
            yielded += len(lines)
            yield from lines
            pending = buffer[end:]
        else:
            pending = buffer
        if not chunk:
            # What is left has no "\n": one last line, or lines ended by bare CRs.
            yield from io.StringIO(pending, newline="")
            return


def _encoding_problem(exc: _Undecodable, path: str, encoding: str) -> Problem:
    return Problem(
        "encoding-error",
        path,
        f"not valid {encoding_name(encoding)}: byte 0x{exc.byte:02x} at offset {exc.offset}; "
        "the rest of the file was not read (save it as UTF-8, or as Excel's CSV)",
        exc.line,
    )


def encoding_name(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GB18030/GBK", "utf-16": "UTF-16"}[
        encoding
    ]


def sniff_delimiter(first_line: str, path: Path, encoding: str) -> str:
    """Tab for .tsv, UTF-16 ("Unicode text") and tab-separated headers; semicolons for
    headers written with them (European-locale Excel); else comma. `first_line` is the
    first line that is not blank."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    if encoding == "utf-16" and not ("," in first_line and "\t" not in first_line):
        return "\t"  # Excel's "Unicode text"
    if "," in first_line:
        return ","
    return next((d for d in ("\t", ";") if d in first_line), ",")


class TextSource(RowSource):
    """A CSV or TSV file, decoded by io.TextIOWrapper and parsed by csv.reader."""

    def __init__(self, handle: BinaryIO, path: Path) -> None:
        encoding = detect_encoding(handle)
        self.handle = handle
        self.file = path
        # Kept on self: a TextIOWrapper that is collected closes the file under it.
        self.text = text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        super().__init__(_NO_ROWS, str(path), encoding=encoding)
        self.delimiter = ","
        self.plain = False  # blocks are read after the header until the text stops being plain
        head: list[str] = []  # blank lines, then the first that is not: the header's, mostly
        try:
            while not (head and head[-1].strip()) and (line := text.readline()):
                head.append(line)
        except UnicodeDecodeError as exc:
            self.opening_problem = self._reread_to_undecodable(exc)
            return
        self.delimiter = sniff_delimiter(head[-1] if head else "", path, encoding)
        self.rows = csv.reader(itertools.chain(head, text), delimiter=self.delimiter)
        self.plain = True

    def blocks(self) -> Iterator[Block]:
        """Whole lines, about 64 KB at a time: plain blocks, and blocks with quotes or
        bare carriage returns, for csv.reader.

        From a block with a NUL or a line longer than csv.reader's field limit, or one
        that ends inside a quoted field, `rows` takes over for the rest of the file; also
        from the second of two blocks running that are not plain: a file quoted throughout
        is read once, by csv.reader, not twice (the end of a block that is not plain is
        found by reading it).
        """
        if not self.plain:
            return
        self.offset, self.rows = self.line, _NO_ROWS
        text = self.text
        pending = ""  # the start of a line whose end has not been read yet
        after_plain = True
        while True:
            chunk = text.read(_BLOCK_CHARS)
            data = pending + chunk
            end = data.rfind("\n") + 1 if chunk else len(data)
            body, pending = data[:end], data[end:]
            limit = csv.field_size_limit()
            if not body and chunk and len(pending) <= limit:
                continue  # a long line: read on to its end
            if not data:
                self.plain = False
                return
            block = self._block(body, limit, after_plain)
            if block is None:
                self._read_rows_from(body + pending + (text.readline() if pending else ""))
                return
            after_plain = block.plain
            self.offset += block.lines
            yield block

    def _block(self, body: str, limit: int, after_plain: bool) -> Block | None:
        """Whole lines as a block; None when csv.reader is to read on from them: they hold
        a NUL or a line over the field size limit, or they are not plain and end inside a
        quoted field or follow a block that is not plain either."""
        plain = body.replace("\r\n", "\n") if "\r" in body else body
        plain = plain[:-1] if plain.endswith("\n") else plain
        if (
            not body
            or "\x00" in plain
            or (len(plain) > limit and max(map(len, plain.split("\n"))) > limit)
        ):
            return None
        if '"' not in plain and "\r" not in plain:
            return Block(self.offset + 1, plain, plain.count("\n") + 1, self.delimiter)
        lines = self._whole_records(body) if after_plain else None
        return None if lines is None else Block(self.offset + 1, body, lines, self.delimiter, False)

    def _whole_records(self, body: str) -> int | None:
        """How many lines csv.reader reads in `body` when it ends where a record ends; None
        when a quoted field runs on past it. Told by a line put after it: csv.reader reads
        that line as a record of its own only where no quoted field is left open."""
        reader = csv.reader(
            itertools.chain(io.StringIO(body, newline=""), [_END]), delimiter=self.delimiter
        )
        try:
            last = deque(reader, maxlen=1)
        except csv.Error:
            return None  # rows reads on from here, and reports it where it is
        return reader.line_num - 1 if list(last) == [[_END]] else None

    def _read_rows_from(self, rest: str) -> None:
        """From here on, csv.reader reads: `rest` (whole lines), then the rest of the file."""
        self.plain = False
        lines = io.StringIO(rest, newline="")
        self.rows = csv.reader(itertools.chain(lines, self.text), delimiter=self.delimiter)

    def recover(self, exc: Exception) -> Problem:
        self.plain = False
        if not isinstance(exc, UnicodeDecodeError):
            return super().recover(exc)
        return self._reread_to_undecodable(exc)

    def _reread_to_undecodable(self, exc: UnicodeDecodeError) -> Problem:
        """TextIOWrapper decodes ahead, by the chunk: find the bad byte exactly, and read
        again the lines between the last row read and it."""
        read = self.line if self.stopped_after is None else self.stopped_after
        self.stopped_after = None
        self.handle.seek(0)
        assert self.encoding is not None
        left: list[str] = []
        try:
            for number, line in enumerate(decoded_lines(self.handle, self.encoding), 1):
                if number > read:
                    left.append(line)
        except _Undecodable as bad:
            problem = _encoding_problem(bad, self.path, self.encoding)
        else:  # pragma: no cover - the decoder failed, so the slower one fails too
            problem = Problem("encoding-error", self.path, str(exc), read + 1)
        if read == 0:
            first = next((line for line in left if line.strip()), "")
            self.delimiter = sniff_delimiter(first, self.file, self.encoding)
        self.rows, self.offset = csv.reader(left, delimiter=self.delimiter), read
        return problem


def text_source(lines: Iterable[str], path: str) -> RowSource:
    """Rows from lines of text already decoded (tests, other callers)."""
    return RowSource(csv.reader(lines), path)


# ---------------------------------------------------------------- workbooks


def workbook_source(path: Path, sheet: str | None) -> RowSource:
    """The rows of one sheet (the first unless named), cells as text."""
    from python_calamine import CalamineError, CalamineWorkbook

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
        raise StiPlanError(f"--sheet: {path} has no sheet {name!r} (sheets: {listed})")
    try:
        data = workbook.get_sheet_by_name(name)
    except (CalamineError, ValueError) as exc:
        raise StiPlanError(f"{path}: cannot read sheet {name!r} ({exc})") from None
    start = data.start
    offset = start[1] if start else 0
    return RowSource(_SheetRows(data.iter_rows()), str(path), sheet=name, col_offset=offset)


class _SheetRows:
    """A sheet's rows as text, numbered like spreadsheet rows."""

    def __init__(self, rows: Iterator[list[Any]]) -> None:
        self._rows = rows
        self.line_num = 0

    def __iter__(self) -> _SheetRows:
        return self

    def __next__(self) -> list[str]:
        cells = next(self._rows)
        self.line_num += 1
        return [cell_text(cell) for cell in cells]


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

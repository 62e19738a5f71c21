"""Data files -> rows of text cells, each with the number of the line (or sheet row) it ends on.

CSV and TSV as Excel on Chinese Windows writes them (UTF-8 with or without a BOM,
GBK/GB18030, UTF-16 with a BOM and tabs), decoded a chunk at a time and parsed by
csv.reader, so a file of any length costs the same memory (workbooks: workbook.py).
What ends the reading early (bytes that are not text, a line over the length limit, a
CSV that cannot be parsed) is kept as a problem, and every row before it is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from . import i18n, limits
from .i18n import N_, _
from .problems import Code, Problem, StiPlanError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_CHUNK = 1 << 20  # bytes decoded at a time
_SNIFF_BYTES = 64 * 1024  # from the first non-ASCII byte: what tells UTF-8 from GB18030
_NON_ASCII = re.compile(rb"[\x80-\xff]")

Record = tuple[int, list[str]]  # the line (or sheet row) a row ends on, and its cells


@dataclass(frozen=True)
class Encoding:
    name: str  # as reported: utf-8, utf-8-sig, gb18030, utf-16
    codec: str  # the decoder, byte order included: the text after a BOM is decoded alone
    bom: bytes = b""
    label: str = "UTF-8"  # for people


UTF8 = Encoding("utf-8", "utf-8")
GB18030 = Encoding("gb18030", "gb18030", label="GB18030/GBK")
_BOMS = (
    Encoding("utf-8-sig", "utf-8", codecs.BOM_UTF8),
    Encoding("utf-16", "utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    Encoding("utf-16", "utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
)


class RowSource:
    """The rows of one file, and what is known about how it was read.

    `records()` gives each row with its line; `stop` then says what ended the reading
    before the end of the file, if anything.
    """

    def __init__(self, path: str, *, sheet: str | None = None, col_offset: int = 0) -> None:
        self.path = path
        self.sheet = sheet
        self.col_offset = col_offset
        self.stop: Problem | None = None
        self.numbers: set[int] = set()  # see track_numbers

    @property
    def encoding(self) -> str | None:
        """Text files: the encoding of what has been read."""
        return None

    def records(self) -> Iterator[Record]:
        raise NotImplementedError

    def track_numbers(self) -> bool:
        """From now on, keep in `numbers` the columns of the row just given that hold a
        number cell (workbooks); False where a file has no typed cells (text)."""
        return False

    def fill_merged(self, columns: list[int]) -> None:
        """From now on, give a blank cell of these columns inside a merged range the
        range's first cell (workbooks; text files have no merged cells)."""


STDIN = "-"  # an actuals argument that means standard input


class Input:
    """A file opened for reading, whose bytes are counted as they are read: a pipe or a
    device reports no size, so a limit is kept on what is read, not on what is said."""

    def __init__(self, handle: BinaryIO, path: str, limit: int, advice: str) -> None:
        self.handle = handle
        self.path = path
        self.limit = limit
        self.advice = advice
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        wanted = self.limit + 1 - self.count
        data = self.handle.read(wanted if size < 0 else min(size, wanted))
        self.count += len(data)
        if self.count > self.limit:
            limit = f"{self.limit:,}"
            raise StiPlanError(
                _(
                    "{path}: more than {limit} bytes; files over {limit} bytes are refused "
                    "({advice})"
                ).format(path=self.path, limit=limit, advice=i18n._(self.advice))
            )
        return data

    def close(self) -> None:
        if self.handle is not sys.stdin.buffer:
            self.handle.close()

    def __enter__(self) -> Input:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_binary(
    path: Path,
    what: str = N_("an actuals file"),
    limit: int | None = None,
    advice: str = N_("split the file by year or region"),
) -> Input:
    """Open a data file (`-`: standard input) to read at most `limit` bytes of it. A missing,
    unreadable or oversized file, a folder, a device or a terminal is a usage error (exit 2);
    pipes are read. `what` and `advice` are said in messages: N_-marked, translated here."""
    limit = limits.MAX_ACTUALS_BYTES if limit is None else limit
    if str(path) == STDIN:
        stdin = _readable(sys.stdin.buffer, _("standard input"), what)
        return Input(stdin, "<stdin>", limit, advice)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by Input
    except FileNotFoundError:
        raise StiPlanError(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        message = _("{path}: is a directory, not {what}").format(path=path, what=i18n._(what))
        raise StiPlanError(message) from None
    except OSError as exc:
        message = _("{path}: cannot read ({reason})").format(path=path, reason=exc.strerror)
        raise StiPlanError(message) from None
    try:
        _readable(handle, str(path), what)
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise StiPlanError(
                _("{path}: {size} bytes; files over {limit} bytes are refused ({advice})").format(
                    path=path, size=f"{size:,}", limit=f"{limit:,}", advice=i18n._(advice)
                )
            )
    except BaseException:
        handle.close()
        raise
    return Input(handle, str(path), limit, advice)


def _readable(handle: BinaryIO, name: str, what: str) -> BinaryIO:
    """A regular file or a pipe; not a terminal, nor a device (/dev/zero has no end)."""
    try:
        mode = os.fstat(handle.fileno()).st_mode
    except (OSError, ValueError):  # a stream with no file behind it (io.UnsupportedOperation)
        return handle
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return handle
    if handle.isatty():
        raise StiPlanError(
            _("{name}: is a terminal, not {what} (name a file, or pipe one in)").format(
                name=name, what=i18n._(what)
            )
        )
    raise StiPlanError(_("{name}: is a device, not {what}").format(name=name, what=i18n._(what)))


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES


# ---------------------------------------------------------------- text files


def likelier_encoding(window: bytes) -> Encoding:
    """UTF-8 or GB18030 (a superset of GBK, what Excel on Chinese Windows writes), judged
    from the bytes from the first non-ASCII one on (ASCII reads the same in both).

    UTF-8 unless most of its non-ASCII bytes fail as UTF-8 while GB18030 reads them with
    fewer failures: a stray bad byte in a UTF-8 file, or in a GBK one, then shows as an
    encoding-error on its line instead of deciding the encoding.
    """
    if len(window) == _SNIFF_BYTES:  # the window may end mid-character: leave the tail out
        window = window[:-4]
    utf8 = window.decode("utf-8", errors="replace")
    utf8_bad = utf8.count("\ufffd")
    if not utf8_bad:
        return UTF8
    utf8_good = sum(1 for c in utf8 if c > "\x7f") - utf8_bad
    if utf8_good >= 4 * utf8_bad:  # mostly well-formed UTF-8, with stray bytes
        return UTF8
    gb_bad = window.decode("gb18030", errors="replace").count("\ufffd")
    return GB18030 if gb_bad < utf8_bad else UTF8


def _whole_lines_end(text: str) -> int:
    """Where the last whole line of `text` ends: after its last LF, or after a CR that is
    not the last character (a CR at the end may be the first half of a CRLF)."""
    return max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1


def _lines(text: str) -> list[str]:
    """Lines ended by LF, CRLF or a bare CR, ends kept, as csv.reader reads them."""
    return io.StringIO(text, newline="").readlines()


class DecodedText:
    """The lines of a text file, decoded a chunk at a time, their ends kept.

    The encoding is told by the BOM, else by the first non-ASCII bytes (`likelier_encoding`).
    At bytes that are not text in it the lines end, after the last whole line before them,
    and `stop` says where those bytes are.
    """

    def __init__(self, handle: Input, path: str) -> None:
        self.handle = handle
        self.path = path
        self.encoding = UTF8
        self.stop: Problem | None = None

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._decoded())

    def _decoded(self) -> Iterator[list[str]]:
        """Lists of whole lines, a chunk's worth at a time."""
        data = self.handle.read(_CHUNK)
        while len(data) < 4 and (more := self.handle.read(_CHUNK)):  # a BOM's length at least
            data += more
        found = next((e for e in _BOMS if data.startswith(e.bom)), None)
        self.encoding = found or UTF8
        data = data[len(self.encoding.bom) :]
        offset = len(self.encoding.bom)  # bytes of the file before `data`
        decoder = codecs.getincrementaldecoder(self.encoding.codec)()
        decided = found is not None
        pending = ""  # a line whose end has not been read yet
        lines = 0  # whole lines handed out
        while True:
            if not decided and not data.isascii():
                data = self._decide(data)
                decoder = codecs.getincrementaldecoder(self.encoding.codec)()
                decided = True
            try:
                text = pending + decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                yield self._undecodable(exc, pending, offset - (len(exc.object) - len(data)), lines)
                return
            end = _whole_lines_end(text) if data else len(text)
            done = _lines(text[:end])
            if max(map(len, done), default=0) > limits.MAX_LINE_CHARS:
                cut = next(i for i, line in enumerate(done) if len(line) > limits.MAX_LINE_CHARS)
                yield done[:cut]
                self.stop = self._too_long(lines + cut + 1)
                return
            lines += len(done)
            yield done
            if not data:
                return
            pending = text[end:]
            if len(pending) > limits.MAX_LINE_CHARS:
                self.stop = self._too_long(lines + 1)
                return
            offset += len(data)
            data = self.handle.read(_CHUNK)

    def _too_long(self, line: int) -> Problem:
        message = _(
            "line {line} is longer than {limit} characters; the rest of the file was not read"
        ).format(line=line, limit=f"{limits.MAX_LINE_CHARS:,}")
        return Problem(Code.MALFORMED_CSV, self.path, message, line=line)

    def _decide(self, data: bytes) -> bytes:
        """Tell the encoding from the first non-ASCII bytes, reading on for enough of them."""
        found = _NON_ASCII.search(data)
        start = found.start() if found else 0
        while len(data) - start < _SNIFF_BYTES and (more := self.handle.read(_CHUNK)):
            data += more
        self.encoding = likelier_encoding(data[start : start + _SNIFF_BYTES])
        return data

    def _undecodable(
        self, exc: UnicodeDecodeError, pending: str, offset: int, lines: int
    ) -> list[str]:
        """The whole lines before bytes that are not text (`offset`: where `exc.object`
        starts in the file), and the problem they make."""
        good = pending + exc.object[: exc.start].decode(self.encoding.codec)
        # A CR at the end is a whole line's end here: what follows it is no LF.
        whole = _lines(good[: max(good.rfind("\n"), good.rfind("\r")) + 1])
        self.stop = Problem(
            Code.ENCODING_ERROR,
            self.path,
            _(
                "not valid {encoding}: byte 0x{byte} at offset {offset}; the rest of the file "
                "was not read (save it as UTF-8, or as Excel's CSV)"
            ).format(
                encoding=self.encoding.label,
                byte=f"{exc.object[exc.start]:02x}",
                offset=offset + exc.start,
            ),
            line=lines + len(whole) + 1,
        )
        return whole


def sniff_delimiter(first_line: str, suffix: str, encoding: str | None) -> str:
    """Tab for .tsv, UTF-16 ("Unicode text") and tab-separated headers; semicolons for
    headers written with them (European-locale Excel); else comma. `first_line` is the
    first line that is not blank."""
    if suffix.lower() == ".tsv":
        return "\t"
    if encoding == "utf-16" and not ("," in first_line and "\t" not in first_line):
        return "\t"  # Excel's "Unicode text"
    if "," in first_line:
        return ","
    return next((d for d in ("\t", ";") if d in first_line), ",")


class TextSource(RowSource):
    """CSV text parsed by csv.reader: a file's lines (`DecodedText`), or lines already decoded."""

    def __init__(self, lines: Iterable[str], path: str, suffix: str = "") -> None:
        super().__init__(path)
        self.lines = lines
        self.suffix = suffix
        self.parse_error: Problem | None = None

    @property
    def encoding(self) -> str | None:
        return self.lines.encoding.name if isinstance(self.lines, DecodedText) else None

    @property
    def stop(self) -> Problem | None:
        """A CSV that cannot be parsed, else bytes that are not text (or a line too long) in
        what has been decoded: also when the rows were not read on (a header without its
        required columns)."""
        if self.parse_error is not None:
            return self.parse_error
        return self.lines.stop if isinstance(self.lines, DecodedText) else None

    @stop.setter
    def stop(self, problem: Problem | None) -> None:
        self.parse_error = problem

    @classmethod
    def of_file(cls, handle: Input, path: Path) -> TextSource:
        return cls(DecodedText(handle, handle.path), handle.path, path.suffix)

    def records(self) -> Iterator[Record]:
        lines = iter(self.lines)
        # Lines up to the first with a separator (the header's, below any title and note
        # lines), which tells the separator.
        head: list[str] = []
        first = ""
        seen = 0
        for line in lines:
            head.append(line)
            if line.strip():
                first = first or line
                seen += 1
                if any(separator in line for separator in ",\t;"):
                    first = line
                    break
                if seen == limits.HEADER_SEARCH_ROWS:
                    break
        # A BOM is known by now.
        delimiter = sniff_delimiter(first, self.suffix, self.encoding)
        reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as exc:
            message = _("cannot parse the CSV: {error}; the rest of the file was not read").format(
                error=exc
            )
            self.stop = Problem(Code.MALFORMED_CSV, self.path, message, line=reader.line_num)

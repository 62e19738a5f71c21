"""Problems found in plan and actuals files, as data with stable codes.

The codes are part of the public contract (CI scripts match on them); add new
ones, never rename or reuse one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum, IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1
    USAGE = 2


class Code(str, Enum):
    """Every problem code, with what it means: README's table of codes is this list."""

    description: str

    def __new__(cls, code: str, description: str) -> Code:
        member = str.__new__(cls, code)
        member._value_ = code
        member.description = description
        return member

    def __str__(self) -> str:
        return str(self.value)

    # files
    ENCODING_ERROR = "encoding-error", "bytes that are text in none of the accepted encodings"
    EMPTY_FILE = "empty-file", "the file has no header row or nothing in it"
    # plan YAML
    YAML_SYNTAX = "yaml-syntax", "the plan YAML cannot be parsed, or uses an alias (`*name`)"
    DUPLICATE_KEY = "duplicate-key", "a plan mapping names the same key twice"
    SCHEMA = (
        "schema",
        "a plan value breaks the plan schema: unknown key, missing key, bad value, "
        "duplicate id, a derivation naming an unknown indicator",
    )
    # actuals
    MALFORMED_CSV = (
        "malformed-csv",
        "the CSV cannot be parsed (a field over 131,072 characters, a line over 1,048,576)",
    )
    MISSING_COLUMN = "missing-column", "a required column (target, period, value) is absent"
    EXTRA_COLUMN = (
        "extra-column",
        "warning: a column that is not part of the format, or has no name: ignored",
    )
    DUPLICATE_COLUMN = "duplicate-column", "a column appears twice in the header"
    MISSING_CELL = "missing-cell", "a row has too few cells to give target, period and value"
    EXTRA_CELL = (
        "extra-cell",
        "a row has non-empty cells beyond the header, or under a column with no name",
    )
    UNKNOWN_TARGET = (
        "unknown-target",
        "the target is neither a target nor an indicator of the plan",
    )
    UNKNOWN_REGION = (
        "unknown-region",
        "the region is none of the plan's declared regions (plans that declare regions)",
    )
    UNKNOWN_TASK = (
        "unknown-task",
        "a tasks file names no key task of the plan (by number, id or title)",
    )
    AMBIGUOUS_TASK = (
        "ambiguous-task",
        "a tasks file names a task by the start of a title that several tasks share",
    )
    BAD_STATUS = "bad-status", "a tasks file's status is none of the task status words"
    BAD_PERIOD = "bad-period", "the period is not one of the forms above"
    TYPE_ERROR = "type-error", "the value is empty, not a number, not finite or out of range"
    UNIT_MISMATCH = (
        "unit-mismatch",
        "the value carries a unit that is not the target's and does not convert",
    )
    NEGATIVE_VALUE = "negative-value", "a count or amount below zero"
    DUPLICATE_ROW = "duplicate-row", "a row repeats the target, period and region of an earlier row"
    # warnings: the figures stand, but rest on less than they should
    INCOMPLETE_REGIONS = (
        "incomplete-regions",
        "warning: a region expected for a period has not reported it; the city value is "
        "taken from the latest period all expected regions reported",
    )
    ALLOCATION_SHORT = (
        "allocation-short",
        "warning: the regions' shares of a cumulative or stock target add up to less than "
        "the city's target",
    )
    HEADER_ONLY = "header-only", "warning: an actuals file with a header and no rows"
    ASSUMED_YEAR = (
        "assumed-year",
        "warning: a period written without its year (1-6月), read as the plan year for want "
        "of a title that says it",
    )
    YTD_DECREASE = (
        "ytd-decrease",
        "warning: a year-to-date total lower than at an earlier period of the same year "
        "(a month's own figure, 当月, where the running total, 累计, belongs?)",
    )
    LOOKS_LIKE_FRACTION = (
        "looks-like-fraction",
        "warning: a % value below 1 where the target or other periods are 1 or more (a cell "
        "formatted as a percentage, 8.7 % stored as 0.087?)",
    )
    TITLE_UNIT = (
        "title-unit",
        "warning: a title's 单位 line names a unit the plan does not know, or several: it is "
        "not applied, and values carrying no unit are read in their target's unit",
    )
    LAYOUT_CONFLICT = (
        "layout-conflict",
        "warning: the header and the title or the columns disagree on a value's period or "
        "region; the message says which is read",
    )
    OTHER_SHEET = (
        "other-sheet",
        "warning: the workbook's first sheet has no header (a cover sheet?); a later one is read",
    )
    REGIONAL_SUM_MISMATCH = (
        "regional-sum-mismatch",
        "warning: a whole-city row and the regions' rows differ by more than 0.5 % of the "
        "city row; the city row stands",
    )

    TASK_TARGET_DISAGREE = (
        "task-target-disagree",
        "warning: a task reported done serves a target that is off track or missed",
    )

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.value in WARNING_CODES else Severity.ERROR


WARNING_CODES = frozenset(
    {
        "incomplete-regions",
        "regional-sum-mismatch",
        "allocation-short",
        "extra-column",
        "header-only",
        "assumed-year",
        "ytd-decrease",
        "looks-like-fraction",
        "other-sheet",
        "title-unit",
        "layout-conflict",
        "task-target-disagree",
    }
)


class Severity(str, Enum):
    ERROR = "error"  # the data is wrong: exit 1
    WARNING = "warning"  # the figures stand on less than they should: exit 0 (1 with --strict)

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, with its position when it has one (1-based)."""

    code: Code
    path: str
    line: int | None = field(default=None, kw_only=True)
    col: int | None = field(default=None, kw_only=True)
    sheet: str | None = field(default=None, kw_only=True)  # workbooks: line is the row
    message: str
    severity: Severity = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", self.code.severity)

    def location(self) -> str:
        """path:line:col for text files; path:Sheet!C7 (or Sheet!7:7) for workbooks."""
        if self.sheet is not None and self.line is not None:
            cell = (
                f"{column_letter(self.col)}{self.line}" if self.col else f"{self.line}:{self.line}"
            )
            return f"{self.path}:{self.sheet}!{cell}"
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA, as spreadsheets name columns."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# What must not reach a terminal or a CI log as it is: C0 and C1 controls (ESC starts the
# sequences that move, recolour or reset a terminal), DEL, and the marks that reorder text.
C1_AND_MARKS = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f" + C1_AND_MARKS
_UNSAFE_IN_TEXT = re.compile(f"\r(?!\n)|[{_CONTROLS}]")  # tabs, LF and CRLF kept
_UNSAFE_IN_LINE = re.compile(f"[\t\n\r{_CONTROLS}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """Text to print, its control characters escaped (\\x1b); tabs and line ends kept."""
    return _UNSAFE_IN_TEXT.sub(_escape, text)


def one_line(text: str) -> str:
    """Text to print as one line: line ends and tabs escaped too (\\n)."""
    return _UNSAFE_IN_LINE.sub(_escape, text)


def plain(value: Decimal) -> str:
    """A number at full precision, never in exponent notation: 0.3, 1200, not 3E+2."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


SHOWN_CHARS = 60  # of a file's text quoted in a message: enough to know it by


def shown(text: str) -> str:
    """Text from a file or an option, quoted for a message: escaped as Python's repr escapes
    it (no control character gets through), and cut short when long."""
    if len(text) > SHOWN_CHARS:
        return repr(text[:SHOWN_CHARS]) + f"… ({len(text):,} characters)"
    return repr(text)


class StiPlanError(Exception):
    """A usage error or an unreadable file: one line for the user, exit code 2."""

    exit_code = ExitCode.USAGE

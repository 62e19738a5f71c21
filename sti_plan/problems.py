"""Problems found in plan and actuals files, as data with stable codes.

The codes are part of the public contract (CI scripts match on them); add new
ones, never rename or reuse one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1
    USAGE = 2


# code -> what it means; the README's table is generated from the same wording.
CODES: dict[str, str] = {
    # files
    "encoding-error": "the file is not valid text in a supported encoding",
    "empty-file": "the file has no header row or nothing in it",
    # plan YAML
    "yaml-syntax": "the YAML cannot be parsed",
    "duplicate-key": "a mapping names the same key twice",
    "schema": "a plan value breaks the plan schema",
    # actuals CSV
    "malformed-csv": "the CSV cannot be parsed (a field over the size limit, say)",
    "missing-column": "a required column (target, period, value) is absent",
    "extra-column": "a column that is not part of the actuals format",
    "duplicate-column": "a column appears twice in the header",
    "missing-cell": "a row has fewer cells than the header",
    "extra-cell": "a row has more cells than the header",
    "unknown-target": "the target id is neither a target nor an indicator of the plan",
    "bad-period": "the period is not a period",
    "type-error": "the value is not a finite number",
    "unit-mismatch": "the value carries a unit that is not the target's and does not convert",
    "negative-value": "a count or amount below zero",
    "duplicate-row": "two rows give the same target, period and region",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, with its position when it has one (1-based)."""

    code: str
    path: str
    message: str
    line: int | None = None
    col: int | None = None
    sheet: str | None = None  # workbooks: line is the row, col the column

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


class StiPlanError(Exception):
    """A usage error or an unreadable file: one line for the user, exit code 2."""

    exit_code = ExitCode.USAGE

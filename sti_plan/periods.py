"""Reporting periods: "2020", "2020-H1", "2020-Q2", "2020-06".

Every value is year-to-date through the end of its period, so a period is
fully described by its year and the number of months it covers from January.
"2020-Q2", "2020-H1" and "2020-06" are the same period; "2020", "2020-H2",
"2020-Q4" and "2020-12" all mean the full year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

MONTHS_IN_YEAR = 12

_PERIOD = re.compile(r"(\d{4})(?:-(?:H([12])|Q([1-4])|(0[1-9]|1[0-2])))?")


@dataclass(frozen=True, order=True)
class Period:
    """A year-to-date period: `months` months of `year`, counted from January."""

    year: int
    months: int
    code: str = field(default="", compare=False, hash=False)

    @property
    def elapsed_fraction(self) -> Fraction:
        """The share of the year the period covers: Q2 = H1 = June = 1/2."""
        return Fraction(self.months, MONTHS_IN_YEAR)

    @property
    def is_full_year(self) -> bool:
        return self.months == MONTHS_IN_YEAR

    @property
    def month_code(self) -> str:
        """The canonical month form, "2020-06", used for `as_of`."""
        return f"{self.year}-{self.months:02d}"

    def same_period_of(self, year: int) -> Period:
        """The period covering the same months of another year (for growth rates)."""
        return Period(year, self.months, f"{year}-{self.months:02d}")

    def __str__(self) -> str:
        return self.code or self.month_code


def parse_period(text: str) -> Period | None:
    """Parse a period code; None when the text is not a period."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        return None
    year_text, half, quarter, month = match.groups()
    year = int(year_text)
    if half:
        months = 6 * int(half)
    elif quarter:
        months = 3 * int(quarter)
    elif month:
        months = int(month)
    else:
        months = MONTHS_IN_YEAR
    return Period(year, months, match.group(0))


def full_year(year: int) -> Period:
    return Period(year, MONTHS_IN_YEAR, str(year))

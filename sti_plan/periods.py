"""Reporting periods: "2020", "2020-H1", "2020-Q2", "2020-06".

Every value is year-to-date through the end of its period, so a period is
fully described by its year and the number of months it covers from January.
"2020-Q2", "2020-H1" and "2020-06" are the same period; "2020", "2020-H2",
"2020-Q4" and "2020-12" all mean the full year.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from .i18n import _
from .problems import shown

MONTHS_IN_YEAR = 12


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
        return f"{self.year:04d}-{self.months:02d}"

    def same_period_of(self, year: int) -> Period:
        """The period covering the same months of another year (for growth rates)."""
        return Period(year, self.months, f"{year:04d}-{self.months:02d}")

    def __str__(self) -> str:
        return self.code or self.month_code


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DASHES = str.maketrans({"—": "-", "–": "-", "~": "-", "至": "-", "到": "-", "－": "-"})
_CODE = re.compile(r"(\d{4})(?:-?(H[12]|Q[1-4])|[-/.](\d{1,2})|(\d{2}))?")
# After 年: 全年, 上半年, 一季度/第二季度/Q3, 前三季度, 6月, 1-6月 (year-to-date), 1月-6月.
_CHINESE = re.compile(
    r"(\d{4})年(?:"
    r"(?P<year>全年|年度|度|末|底)?"
    r"|(?P<half>上|下)半年"
    r"|(?:第)?(?P<quarter>[一二三四1-4])季度?|Q(?P<q>[1-4])"
    r"|前(?P<first>[一二三四1-4])(?:个)?季度"
    r"|(?:(?P<start>\d{1,2})月?-)?(?P<month>\d{1,2})月(?:份|末|底)?"
    r"|(?P<dated>\d{1,2})月(?P<day>\d{1,2})日"
    r")"
)
# A date (a level's: 2020-06-30, 2020/6/30): its month.
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def normalise_period_text(text: str) -> str:
    """Full-width forms folded (NFKC), dashes unified, spaces dropped, letters upper-cased."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_DASHES).split()).upper()


@lru_cache(maxsize=4096)
def parse_period(text: str) -> Period | None:
    """Parse a period in any accepted form; None when the text is not a period.

    Codes: 2020, 2020-H1, 2020-Q2, 2020-06 (also 2020-6, 2020/06, 202006, 2020Q2).
    Chinese: 2020年, 2020年全年, 2020年上半年, 2020年第二季度, 2020年前三季度, 2020年6月,
    2020年1-6月 (year-to-date). Levels at a date: 2019年末, 2019年底, 2020年6月末,
    2020年6月30日, 2020-06-30 (the month the date falls in).
    """
    compact = normalise_period_text(text)
    match = _CODE.fullmatch(compact)
    if match:
        year, half_or_quarter, month, month_digits = match.groups()
        if half_or_quarter:
            step = 6 if half_or_quarter[0] == "H" else 3
            return _period(int(year), step * int(half_or_quarter[1]), f"{year}-{half_or_quarter}")
        if not (month or month_digits):
            return _period(int(year), MONTHS_IN_YEAR, year)
        return _period(int(year), int(month or month_digits))
    match = _DATE.fullmatch(compact)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        return _period(year, month) if _day(year, month, match.group(3)) else None
    match = _CHINESE.fullmatch(compact)
    if match is None:
        return None
    year = int(match.group(1))
    parts = match.groupdict()
    if parts["half"]:
        half = 1 if parts["half"] == "上" else 2
        return _period(year, 6 * half, f"{year:04d}-H{half}")
    quarter = parts["quarter"] or parts["q"] or parts["first"]
    if quarter:
        number = _CN_DIGITS[quarter]
        return _period(year, 3 * number, f"{year:04d}-Q{number}")
    if parts["month"]:
        if parts["start"] and int(parts["start"]) != 1:
            return None
        return _period(year, int(parts["month"]))
    if parts["dated"]:
        month = int(parts["dated"])
        return _period(year, month) if _day(year, month, parts["day"]) else None
    return _period(year, MONTHS_IN_YEAR, f"{year:04d}")


def _day(year: int, month: int, text: str) -> bool:
    """A day the month has: 2020-02-29, not 2020-02-31."""
    return 1 <= month <= MONTHS_IN_YEAR and 1 <= int(text) <= calendar.monthrange(year, month)[1]


def _period(year: int, months: int, code: str | None = None) -> Period | None:
    if not 1 <= months <= MONTHS_IN_YEAR:
        return None
    return Period(year, months, code or f"{year:04d}-{months:02d}")


def why_not_a_period(text: str) -> str:
    """Why a text is not a period, in words for a problem message."""
    match = _CHINESE.fullmatch(normalise_period_text(text))
    if match and match.group("start") and int(match.group("start")) != 1:
        return _(
            "not a period: {text} (a range must start in January: values are year-to-date)"
        ).format(text=shown(text))
    return _(
        "not a period: {text} (use 2020, 2020-H1, 2020-Q2, 2020-06, "
        "2020年上半年, 2020年第二季度, 2020年6月 or 2020年1-6月)"
    ).format(text=shown(text))


def full_year(year: int) -> Period:
    return Period(year, MONTHS_IN_YEAR, f"{year:04d}")

"""Cell text -> a finite Decimal in the target's unit, as Chinese spreadsheets write numbers.

Accepted: full-width digits and signs (NFKC), thousands separators (1,120),
surrounding spaces, a trailing % for % units, and a unit suffix: the target's
own unit is dropped (812家, 0.62亿元) and amounts convert between 元, 万元 and
亿元 and along the conversions a plan declares (units.py). Anything else is a
problem with a stable code.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .i18n import _
from .limits import LARGEST_EXPONENT, MAX_DIGITS, MAX_PLACES
from .problems import Code, one_line, shown
from .units import BUILT_IN_UNITS, PERCENT, Units

SHORT_NUMBER = min(LARGEST_EXPONENT, MAX_PLACES + 1)  # characters: so short is in range
# Digits 0-9 only (full-width ones are these after NFKC); spaces only between number and unit.
_NUMBER = re.compile(
    r"([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(.*)", re.ASCII
)


# What a table's cell holds where it has no figure: wide actuals sheets, allocations.
NO_FIGURE = ("", "-", "—", "--", "——", "/", "－")


class BadValue(NamedTuple):
    code: Code
    message: str


def parse_value(
    text: str, unit: str | None = None, units: Units = BUILT_IN_UNITS
) -> Decimal | BadValue:
    """A cell as a finite Decimal in `unit` (None: the unit is not known, any unit passes),
    a unit written with it converted by `units` (the plan's)."""
    # Nearly every cell: digits with a point or none, too short to be out of range.
    if len(text) <= SHORT_NUMBER and text.isascii() and text.replace(".", "", 1).isdigit():
        return Decimal(text)
    try:
        # What Decimal reads as written (signs, exponents, spaces around); not underscores.
        number = Decimal(text) if text.isascii() and "_" not in text else None
        factor = None
    except InvalidOperation:
        number = None
    if number is None:
        parsed = _parse_written(text, unit, units)
        if isinstance(parsed, BadValue):
            return parsed
        number, factor = parsed
    problem = out_of_range(number, text)
    if problem is None and factor is not None:
        number *= factor  # a unit converted; checked again, it may gain places
        problem = out_of_range(number, text)
    if problem is not None:
        return problem
    if number < 0 and unit is not None and unit != PERCENT:
        return BadValue(
            Code.NEGATIVE_VALUE,
            _("negative value {value}: a count or amount cannot be below 0").format(
                value=shown(text.strip())
            ),
        )
    return number


def out_of_range(number: Decimal, text: str) -> BadValue | None:
    """Refuse what exact arithmetic cannot keep; only exponent and digits are looked at,
    so no arithmetic on an absurd number can overflow."""
    if not number.is_finite():
        message = _("not a finite number: {value}").format(value=shown(text.strip()))
        return BadValue(Code.TYPE_ERROR, message)
    shape = number.as_tuple()
    if (
        (number and number.adjusted() >= LARGEST_EXPONENT)
        or len(shape.digits) > MAX_DIGITS
        or -int(shape.exponent) > MAX_PLACES
    ):
        return BadValue(
            Code.TYPE_ERROR,
            _(
                "out of range: {value} (numbers are below 10^15, with at most {digits} digits "
                "and {places} decimal places)"
            ).format(value=shown(text.strip()), digits=MAX_DIGITS, places=MAX_PLACES),
        )
    return None


def _looks_like_unit(suffix: str) -> bool:
    """km, 户, %: not the leftovers of a malformed number (1,12 or 12.3.4 or 1_000)."""
    return suffix == PERCENT or (suffix[0].isalpha() and not any(c.isdigit() for c in suffix))


def _parse_written(
    text: str, unit: str | None, units: Units
) -> tuple[Decimal, Decimal | None] | BadValue:
    """The number as written, and the factor that converts its unit to `unit`."""
    written = text.strip()
    if not written:
        return BadValue(Code.TYPE_ERROR, _("empty value"))
    if any(c.isdigit() and not c.isdecimal() for c in written):  # ², ①: not digits of a number
        return _not_a_number(written)
    normal = unicodedata.normalize("NFKC", written).strip()
    match = _NUMBER.fullmatch(normal)
    digits, suffix = (match.group(1), match.group(2)) if match else ("", normal)
    if not digits or not any(c.isdigit() for c in digits):
        return _not_a_number(written)
    try:
        number = Decimal(digits.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return _not_a_number(written)
    if not suffix or suffix == unit:
        return number, None
    factor = units.factor(suffix, unit) if unit is not None else None
    if factor is not None:
        return number, factor
    if not _looks_like_unit(suffix):
        return _not_a_number(written)
    if unit is None:  # the target is unknown (and reported): its unit cannot be checked
        return number, None
    message = _("value {value} is in {unit}, the target in {target_unit}").format(
        value=shown(written), unit=one_line(suffix), target_unit=unit
    )
    return BadValue(Code.UNIT_MISMATCH, message)


def _not_a_number(written: str) -> BadValue:
    return BadValue(Code.TYPE_ERROR, _("not a number: {value}").format(value=shown(written)))

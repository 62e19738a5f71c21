"""Units: the built-in ones, those a plan declares, and how values convert between them.

A value written with a unit (`3000万元`, `1.2万吨`) is converted into its measure's unit
when a chain of conversions leads there: the money units among themselves (元, 万元, 亿元)
and each conversion a plan declares (`units: {吨: {to: 万吨, factor: 0.0001}}`), either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

PERCENT = "%"
# How many 元 one of each money unit is.
MONEY = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
BUILT_IN = (PERCENT, "家", "个", "件", "次", "项", "人", *MONEY)
# Counted in whole numbers: "more than 900" is met at 901.
WHOLE = frozenset({"家", "个", "件", "次", "项", "人"})


class Declared(NamedTuple):
    """A unit as a plan declares it: what it converts to, by what factor, whether whole."""

    to: str | None = None
    factor: Decimal | None = None
    whole: bool = False


class Units:
    """The units a plan knows and the conversions between them."""

    def __init__(self, declared: Mapping[str, Declared] | None = None) -> None:
        declared = declared or {}
        self.known = frozenset((*BUILT_IN, *declared))
        self.whole = WHOLE | {name for name, unit in declared.items() if unit.whole}
        edges: dict[str, dict[str, Decimal]] = {}
        for a, in_yuan in MONEY.items():
            for b, other in MONEY.items():
                if a != b:
                    edges.setdefault(a, {})[b] = in_yuan / other
        for name, unit in declared.items():
            if unit.to is not None and unit.factor:
                edges.setdefault(name, {})[unit.to] = unit.factor
                edges.setdefault(unit.to, {})[name] = 1 / unit.factor
        self._edges = edges
        self._factors: dict[tuple[str, str], Decimal | None] = {}

    def factor(self, written: str, unit: str) -> Decimal | None:
        """How many `unit` one `written` is, along the shortest chain of conversions; None
        when no chain leads from one to the other."""
        key = (written, unit)
        if key not in self._factors:
            self._factors[key] = self._search(written, unit)
        return self._factors[key]

    def _search(self, written: str, unit: str) -> Decimal | None:
        if written == unit:
            return Decimal(1)
        reached = {written: Decimal(1)}
        frontier = [written]
        while frontier:
            following = []
            for name in frontier:
                for other, step in self._edges.get(name, {}).items():
                    if other not in reached:
                        reached[other] = reached[name] * step
                        following.append(other)
            if unit in reached:
                return reached[unit]
            frontier = following
        return None


BUILT_IN_UNITS = Units()

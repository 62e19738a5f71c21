"""Allocations files (任务分解) -> each region's share of each target, with every problem.

Two layouts, told apart by the header: long, `target,region,value` (指标,地区,目标值), and
wide, as breakdown tables are printed: the target in the first column, one column per
region. `-`, `—` or an empty cell means "no target for that region". Files are read as
actuals files are (encodings, separators, workbooks), names as rows name them (targets by
id, name or alias; regions by name, alias or short name), values in the target's unit.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from .actuals import unknown_target_message
from .i18n import _
from .layout import title_period, yearless_period
from .limits import HEADER_SEARCH_ROWS
from .model import Kind, Plan, region_key
from .observations import HEADER_ALIASES, Allocations
from .periods import parse_period
from .problems import Code, Problem, plain, shown
from .sources import Record, RowSource
from .values import NO_FIGURE, BadValue, parse_value
from .workbook import nonblank, table_rows

TARGET_HEADERS = ("target", "指标", "目标", "指标名称", "任务")
REGION_HEADERS = ("region", "地区", "区域", "县区", "单位")
VALUE_HEADERS = ("value", "目标值", "任务数", "分解目标", "数值")
PERIOD_HEADERS = ("period", *HEADER_ALIASES["period"])  # the names an actuals file gives it
ACTUAL_VALUE_HEADERS = ("完成值", "实际值", "完成数")
NO_TARGET = NO_FIGURE


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def is_allocations_table(path: Path, sheet: str | None = None) -> bool:
    """Whether a table file holds allocations: the first of its first rows to name a
    target column names no period, nor a column of periods or running totals, and no
    row above it (a title) gives a period (2020年1-6月…)."""
    with table_rows(path, sheet) as source:
        for _line, cells in itertools.islice(nonblank(source.records()), HEADER_SEARCH_ROWS):
            names = {_normal(cell) for cell in cells}
            if names & set(TARGET_HEADERS):
                return not names & set(PERIOD_HEADERS) and not any(map(_actuals_only, cells))
            if title_period(cells) is not None:
                return False
    return False


def _actuals_only(cell: str) -> bool:
    """A header cell only an actuals sheet has: a period (2020年1-6月, 1-6月), a running
    total (本年累计, 1-6月累计), an achieved value (完成值, 实际值)."""
    text = _normal(cell)
    return bool(text) and (
        text in ACTUAL_VALUE_HEADERS
        or "累计" in text
        or parse_period(text) is not None
        or yearless_period(text, 2000) is not None
    )


def load_allocations(path: Path, plan: Plan, *, sheet: str | None = None) -> Allocations:
    """Read an allocations file against a plan; problems are collected, never raised
    (a file that cannot be opened is a StiPlanError, exit 2)."""
    with table_rows(path, sheet) as source:
        allocations = Allocations(str(path), sheet=source.sheet)
        _Reader(plan, allocations, source).read()
    allocations.encoding = source.encoding
    allocations.problems += check_allocations(plan, allocations)
    return allocations


def _header(records: Iterator[Record]) -> Record | None:
    """The first of the first rows that names a target column (title rows above it are
    passed over), else the first row, to say what it lacks; the records after it are left."""
    seen: list[Record] = []
    for line, cells in itertools.islice(nonblank(records), HEADER_SEARCH_ROWS):
        if {_normal(cell) for cell in cells} & set(TARGET_HEADERS):
            return line, cells
        seen.append((line, cells))
    return seen[0] if seen else None


class _Reader:
    def __init__(self, plan: Plan, allocations: Allocations, source: RowSource) -> None:
        self.plan = plan
        self.allocations = allocations
        self.source = source

    def problem(self, code: Code, message: str, line: int, col: int | None = None) -> None:
        column = None if col is None else col + self.source.col_offset
        path, sheet = self.allocations.path, self.source.sheet
        self.allocations.problems.append(
            Problem(code, path, message, line=line, col=column, sheet=sheet)
        )

    def read(self) -> None:
        records = self.source.records()
        header = _header(records)
        if header is None:
            if self.source.stop is None:
                self.problem(Code.EMPTY_FILE, _("the file is empty (no header row)"), 1)
        else:
            self.header(*header, records)
        if self.source.stop is not None:
            self.allocations.problems.append(self.source.stop)

    def header(self, line: int, cells: list[str], records: Iterator[Record]) -> None:
        names = [_normal(cell) for cell in cells]
        found = {
            column: next((i for i, n in enumerate(names) if n in headers), None)
            for column, headers in (
                ("target", TARGET_HEADERS),
                ("region", REGION_HEADERS),
                ("value", VALUE_HEADERS),
            )
        }
        target = found["target"]
        if target is None:
            accepted = "/".join(TARGET_HEADERS)
            message = _("missing the target column ({accepted})").format(accepted=accepted)
            self.problem(Code.MISSING_COLUMN, message, line)
        elif found["region"] is not None or found["value"] is not None:
            self.long(line, found, records)
        else:
            self.wide(line, cells, target, records)

    def long(self, line: int, found: dict[str, int | None], records: Iterator[Record]) -> None:
        for column, headers in (("region", REGION_HEADERS), ("value", VALUE_HEADERS)):
            if found[column] is None:
                accepted = "/".join(headers)
                message = (
                    _("missing the region column ({accepted})")
                    if column == "region"
                    else _("missing the value column ({accepted})")
                ).format(accepted=accepted)
                self.problem(Code.MISSING_COLUMN, message, line)
        target, region, value = found["target"], found["region"], found["value"]
        if target is None or region is None or value is None:
            return
        needed = max(target, region, value) + 1
        for number, cells in records:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < needed:
                message = _("row has {count} cells; target, region and value need {needed}").format(
                    count=len(cells), needed=needed
                )
                self.problem(Code.MISSING_CELL, message, number, len(cells) + 1)
                continue
            self.allocations.rows += 1
            if region_key(cells[region]) in self.plan.city_names:
                continue  # the city's own row: the plan holds the city's target
            key = self.region(cells[region], number, region)
            if key is not None:
                self.share(number, cells[target], target, key, cells[value], value)

    def wide(self, line: int, cells: list[str], target: int, records: Iterator[Record]) -> None:
        self.allocations.layout = "wide"
        regions: dict[int, str] = {}  # column -> region
        for index, cell in enumerate(cells):
            if index == target or not cell.strip() or region_key(cell) in self.plan.city_names:
                continue  # a 全市 column is the city's own target: the plan holds it
            key = self.region(cell, line, index)
            if key is not None:
                regions[index] = key
        for number, row in records:
            if not any(cell.strip() for cell in row):
                continue
            self.allocations.rows += 1
            for index, key in regions.items():
                value = row[index] if index < len(row) else ""
                self.share(number, row[target], target, key, value, index)

    def region(self, text: str, line: int, col: int) -> str | None:
        """A declared region's id (a plan without regions: the name, spaces folded)."""
        key = region_key(text)
        if not self.plan.regions:
            return key
        region = self.plan.region_named(key)
        if region is None:
            hint = self.plan.closest_region_name(text)
            written = shown(text.strip())
            message = (
                _("unknown region {region}; did you mean {hint}?").format(
                    region=written, hint=repr(hint)
                )
                if hint
                else _("unknown region {region}").format(region=written)
            )
            self.problem(Code.UNKNOWN_REGION, message, line, col + 1)
            return None
        return region.id

    def share(
        self, line: int, target_text: str, target_col: int, region: str, text: str, col: int
    ) -> None:
        """A region's share of a target, from the cell `text` (a dash: no share)."""
        if text.strip() in NO_TARGET:
            return
        measure = self.plan.measure_named(target_text)
        target = self.plan.target(measure.id) if measure else None
        if target is None:
            written = target_text.strip()
            message = (
                _("not a target (an indicator) {name} (see `sti-plan targets`)").format(
                    name=shown(written)
                )
                if measure
                else unknown_target_message(self.plan, written)
            )
            self.problem(Code.UNKNOWN_TARGET, message, line, target_col + 1)
            return
        value = parse_value(text, target.unit, self.plan.unit_table)
        if isinstance(value, BadValue):
            self.problem(value.code, value.message, line, col + 1)
            return
        earlier = self.allocations.lines.get((target.id, region))
        if earlier is not None:
            declared = self.plan.region(region)
            name = declared.name if declared else region
            message = _("{target} for {region} is already given at line {line}").format(
                target=target.id, region=name, line=earlier
            )
            self.problem(Code.DUPLICATE_ROW, message, line)
            return
        self.allocations.values.setdefault(target.id, {})[region] = value
        self.allocations.lines[target.id, region] = line


def check_allocations(plan: Plan, allocations: Allocations) -> list[Problem]:
    """allocation-short: a cumulative or stock target whose shares over the regions the
    city total counts add up to less than the city's target (more is normal)."""
    problems = []
    counted = (
        {r.id for r in plan.regions if r.parent is None and r.counts_in_total}
        if plan.regions
        else None
    )
    for target in plan.targets:
        shares = allocations.values.get(target.id)
        if not shares or target.kind is Kind.RATE or not target.comparison.higher_is_better:
            continue
        total = sum(
            (v for region, v in shares.items() if counted is None or region in counted),
            Decimal(0),
        )
        if total < target.value:
            line = min(allocations.lines[target.id, region] for region in shares)
            message = _(
                "{target}: the regions' shares add up to {total}, less than the city's target "
                "of {value}"
            ).format(target=target.id, total=plain(total), value=plain(target.value))
            problems.append(
                Problem(
                    Code.ALLOCATION_SHORT,
                    allocations.path,
                    message,
                    line=line,
                    sheet=allocations.sheet,
                )
            )
    return sorted(problems, key=lambda problem: problem.line or 0)

"""How a sheet is laid out: where its header is, what each column holds, what its title says.

Bureau sheets put title and note rows above the header (`2020年1-6月主要科技指标完成情况`,
`单位：万元`, `填报单位：…`), number their rows (序号), carry a unit column (单位) and name
the value column after its unit or period (`完成值（万元）`, `1-6月累计`). Some are wide:
a column per period (`指标, 1-3月, 1-6月`) or per region (`指标, 镜湖区, …, 合计`). The
header is the first of the first rows that names a target column and a value, period or
region column; what the rows above it say is kept as the sheet's period, year and unit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from .model import Plan, region_key
from .observations import COLUMNS, HEADER_ALIASES
from .periods import Period, normalise_period_text, parse_period

# Columns bureau sheets carry besides the format's own: ignored, or read as what they mean.
IGNORED = frozenset({"序号", "编号", "no", "no."})
UNIT_COLUMN = frozenset({"单位", "计量单位", "unit"})
NOTE_COLUMN = frozenset({"责任单位", "牵头单位", "填报单位", "报送单位"})
_HEADERS = {name: column for column in COLUMNS for name in (column, *HEADER_ALIASES[column])}
# A value column named after its period or as a running total: 本年累计, 累计完成, 1-6月累计.
_RUNNING = re.compile(r"(?P<period>.*?)(?:本年)?累计(?:完成|值|数)?(?:值)?")
# A header with its unit in brackets: 完成值（万元）, 数值(亿元).
_WITH_UNIT = re.compile(r"(?P<name>.+?)\s*[(（](?P<unit>[^()（）]+)[)）]")
# In a title: the year (2020年, 2020年度) and the period after it (2020年1-6月, 2020年上半年) or
# further on (2020年度科技统计（1-6月）), the unit (单位：万元). Compiled when first used (re
# caches them): most files have no title.
_TITLE_YEAR = r"(\d{4})\s*年(度)?"
_PERIOD_AFTER_YEAR = (
    r"1?\d月?[-—–~至到]1?\d月(?:末|底)?|1?\d月(?:末|底|份)?|[上下]半年|前[一二三四]季度"
    r"|第?[一二三四1-4]季度|全年|末|底"
)
_PERIOD_FURTHER_ON = (
    r"1?\d月?[-—–~至到]1?\d月|1?\d月(?:末|底|份)|[上下]半年|前[一二三四]季度|第?[一二三四]季度"
)
# A cell that says when the sheet was written, not what it covers: 填报日期：2020年7月5日.
_WRITTEN_ON = r"(?:填报|报送|填表|制表|报出|打印)(?:日期|时间)|^日期|\s日期"
_TITLE_UNIT = r"(?<![报任头送])(?:计量)?单位\s*[:：]\s*(?P<unit>[^\s()（）。．]+)"
_UNITS_APART = r"[、,，/;；]"


class Shape(str, Enum):
    LONG = "long"  # a value per row
    PERIODS = "periods"  # a column per period
    REGIONS = "regions"  # a column per region


@dataclass
class Title:
    """What the rows above the header say."""

    period: Period | None = None  # 2020年1-6月
    year: int | None = None  # the year it names, with or without a period
    unit: str | None = None  # 单位：万元
    unknown_unit: tuple[str, int] | None = None  # 单位：千元, 单位：家、万元: not applied


@dataclass
class Layout:
    """What each column of a sheet holds, from its header."""

    shape: Shape
    columns: dict[str, int]  # target, period, value, region, note, source, unit
    cells: list[str] = field(default_factory=list)  # the header row as written
    periods: list[tuple[int, str]] = field(default_factory=list)  # wide: column, its text
    regions: list[tuple[int, str]] = field(default_factory=list)  # wide: column, its text
    value_unit: str | None = None  # 完成值（万元）
    value_period: str | None = None  # 1-6月累计: the period of a long sheet's values
    ignored: list[int] = field(default_factory=list)  # 序号
    unit_cells: list[int] = field(default_factory=list)  # 单位：万元, as a title would say it
    unknown: list[int] = field(default_factory=list)  # columns no name fits: warned, ignored
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    unnamed: list[int] = field(default_factory=list)  # an empty header cell
    last_named: int = -1  # the last column with a name: unnamed ones before it are warned of

    @property
    def is_header(self) -> bool:
        """A target column, and a value column or columns of periods or regions."""
        return "target" in self.columns and (
            "value" in self.columns or bool(self.periods) or bool(self.regions)
        )

    @property
    def labels(self) -> list[int]:
        """The columns that name a row (target, period, region): merged cells fill them."""
        return [self.columns[c] for c in ("target", "period", "region") if c in self.columns]


def cell_name(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip()


def read_layout(cells: list[str], plan: Plan, year: int | None) -> Layout:
    """The layout a row gives, read as a header (`is_header` says whether it is one);
    `year`: the title's, for periods written without one."""
    layout = Layout(Shape.LONG, {}, cells)
    periods: list[tuple[int, str]] = []
    regions: list[tuple[int, str]] = []
    layout.last_named = max((i for i, cell in enumerate(cells) if cell.strip()), default=-1)
    for index, raw in enumerate(cells):
        text = cell_name(raw)
        lower = text.lower()
        name = _HEADERS.get(lower)
        if not text:
            layout.unnamed.append(index)
            continue
        if name is None and lower in IGNORED:
            layout.ignored.append(index)
            continue
        if name is None and title_unit_cell(text):
            layout.unit_cells.append(index)  # 单位：万元 beside the columns: the title's unit
            continue
        if name is None and text in UNIT_COLUMN:
            name = "unit"
        elif name is None and text in NOTE_COLUMN:
            name = "note"
        if name == "note" and "note" in layout.columns:
            layout.ignored.append(index)  # 备注 and 责任单位 both: notes, the first kept
            continue
        if name is None:
            name = _value_header(layout, text, year)
        if name is None:
            if _period_header(text, year) is not None:
                periods.append((index, text))
            elif _region_header(plan, text):
                regions.append((index, text))
            else:
                layout.unknown.append(index)
            continue
        if name in layout.columns:
            layout.duplicates.append((index, name))
        else:
            layout.columns[name] = index
    if "value" in layout.columns or "target" not in layout.columns:
        layout.unknown += [i for i, _ in periods + regions]
    elif periods:
        layout.shape, layout.periods = Shape.PERIODS, periods
        layout.unknown += [i for i, _ in regions]
    elif regions:
        layout.shape, layout.regions = Shape.REGIONS, regions
    layout.unknown.sort()
    return layout


def _value_header(layout: Layout, text: str, year: int | None) -> str | None:
    """ "value" for a value column named with its unit or period (its unit or period kept);
    None otherwise."""
    with_unit = _WITH_UNIT.fullmatch(text)
    base = with_unit.group("name").strip() if with_unit else text
    running = _RUNNING.fullmatch(base)
    if _HEADERS.get(base.lower()) != "value" and running is None:
        return None
    if "value" in layout.columns:
        return "value"  # a second one: reported as appearing twice
    if with_unit:
        layout.value_unit = with_unit.group("unit").strip()
    if running and running.group("period"):
        if _period_header(running.group("period"), year) is None:
            return None
        layout.value_period = running.group("period")
    return "value"


def _period_header(text: str, year: int | None) -> Period | None:
    return parse_period(text) or (yearless_period(text, year) if year else None)


def _region_header(plan: Plan, text: str) -> bool:
    key = region_key(text)
    return key in plan.city_names or plan.region_named(key) is not None  # 合计, 全市: the city


def has_year(text: str) -> bool:
    return re.match(r"\d{4}", normalise_period_text(text)) is not None


def yearless_period(text: str, year: int) -> Period | None:
    """A period written without its year (1-6月, 6月末, 上半年), as of `year`."""
    if has_year(text):
        return None
    return parse_period(f"{year}年{normalise_period_text(text)}")


def title_period(cells: list[str]) -> Period | None:
    """The period a title row names (2020年1-6月…), if any (a year alone is none)."""
    title = Title()
    read_title(cells, title, 0, None)
    return title.period


def read_title(cells: list[str], title: Title, line: int, plan: Plan | None) -> None:
    """Take what a row above the header says: its period, year and unit."""
    for raw in cells:
        text = cell_name(raw)
        if not text:
            continue
        if title.unit is None and title.unknown_unit is None:
            _title_unit(text, title, line, plan)
        written_on = re.search(_WRITTEN_ON, text)
        if written_on:
            text = text[: written_on.start()]  # what comes before 填报日期 may still say it
        year = re.search(_TITLE_YEAR, text)
        if year is None:
            continue
        found = int(year.group(1))
        rest = text[year.end() :]
        words = re.match(_PERIOD_AFTER_YEAR, rest) or re.search(_PERIOD_FURTHER_ON, rest)
        period = yearless_period(words.group(0), found) if words else None
        if period is None and year.group(2):  # 2020年度: the year
            period = parse_period(f"{found}年度")
        if title.year is None:
            title.year = found
        if title.period is None and period is not None:
            title.period = period


def _title_unit(text: str, title: Title, line: int, plan: Plan | None) -> None:
    """单位：万元 (or 万元人民币): the unit of values that carry none; one the plan does not
    know, or several (单位：家、万元), is kept apart, to be warned of, and not applied."""
    match = re.search(_TITLE_UNIT, text)
    if match is None or plan is None:
        return
    written = match.group("unit").rstrip(".:：")
    parts = [part.removesuffix("人民币") for part in re.split(_UNITS_APART, written) if part]
    if len(parts) == 1 and parts[0] in plan.unit_table.known:
        title.unit = parts[0]
    else:
        title.unknown_unit = (written, line)


def title_unit_cell(text: str) -> bool:
    """A header cell that is a title's unit line (单位：万元), not a column's name."""
    return re.fullmatch(_TITLE_UNIT, cell_name(text)) is not None

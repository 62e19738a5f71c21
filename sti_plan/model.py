"""The plan as pydantic models: targets, auxiliary indicators, derivations, key tasks.

Every model forbids unknown keys. Cross-references (duplicate ids, derivations
naming unknown ids, tasks naming unknown groups) are checked on the Plan and
reported with the location of the offending value, so that the YAML loader can
point at its line.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    ModelWrapValidatorHandler,
    Tag,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from .i18n import _
from .limits import MAX_DIGITS, MAX_PLACES, MAX_TEXT_CHARS
from .periods import MONTHS_IN_YEAR, Period, parse_period
from .units import BUILT_IN, BUILT_IN_UNITS, MONEY, PERCENT, Declared, Units

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
# A unit's name: built in (units.BUILT_IN) or declared by the plan under `units:`.
Unit = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[^\s\d.,+-]+$")]


class Kind(str, Enum):
    """How a target's values accumulate over the year."""

    CUMULATIVE = "cumulative"  # year-to-date totals: projects won, events held
    STOCK = "stock"  # a level at a point in time: enterprises registered
    RATE = "rate"  # a ratio or growth rate: R&D intensity, growth %


class Comparison(str, Enum):
    """What meeting the target means: 以上/达 -> at_least, 突破 -> more_than."""

    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"

    @property
    def higher_is_better(self) -> bool:
        return self in (Comparison.AT_LEAST, Comparison.MORE_THAN)

    def met(self, actual: Decimal, target: Decimal) -> bool:
        if self is Comparison.AT_LEAST:
            return actual >= target
        if self is Comparison.MORE_THAN:
            return actual > target
        if self is Comparison.AT_MOST:
            return actual <= target
        return actual < target


# Plan numbers keep to the limits of actuals values: what exact arithmetic keeps exact.
_EXACT: dict[str, Any] = {
    "max_digits": MAX_DIGITS,
    "decimal_places": MAX_PLACES,
    "allow_inf_nan": False,
}


def _number_schema(**limits: float) -> WithJsonSchema:
    """Decimals are numbers in a plan file: said so explicitly, so the schema does not
    change with how each pydantic release describes Decimal."""
    return WithJsonSchema({"type": "number", **limits})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Model):
    """Where the figure stands in the published document, quoted verbatim."""

    section: Text
    task: Annotated[int | None, Field(gt=0)] = None  # the numbered key task, when in one
    quote: Text


class Measure(_Model):
    """Anything an actuals row can report: a target or an auxiliary indicator."""

    id: Id
    name: Text
    name_en: Text
    short_name: Text | None = None  # for narrow tables (高企); also a name rows may use
    unit: Unit
    kind: Kind
    aliases: list[Text] = []


TargetValue = Annotated[
    Decimal,
    Field(gt=Decimal("-1e15"), lt=Decimal("1e15"), **_EXACT),
    _number_schema(exclusiveMinimum=-1e15, exclusiveMaximum=1e15),
]
Year = Annotated[int, Field(ge=1900, le=2999)]


class Base(_Model):
    """Where a target of a plan over several years starts: its value in a year before."""

    year: Year
    value: TargetValue


class Growth(str, Enum):
    """The path a target of a plan over several years is held to."""

    LINEAR = "linear"  # a straight line from the base to the target, by elapsed years
    COMPOUND = "compound"  # a constant annual rate: the required one against the observed


class Target(Measure):
    # Above 0 for totals and levels; a rate may aim at 0 (no increase) or below (a decline
    # of at most 5 %: at_least -5).
    value: TargetValue
    comparison: Comparison
    source: Source
    pace: Pace | None = None  # None: the plan's settings.pace
    # A plan over several years (years: [2021, 2025]): where the target starts, the values
    # due on the way, and the path (default: compound for rates, linear for the others).
    base: Base | None = None
    milestones: dict[Year, TargetValue] = {}
    growth: Growth | None = None

    @property
    def path(self) -> Growth:
        """The path of a target of a plan over several years."""
        if self.growth is not None:
            return self.growth
        return Growth.COMPOUND if self.kind is Kind.RATE else Growth.LINEAR

    @property
    def gap_unit(self) -> str:
        """What its gaps are counted in: percentage points ("pp") for a % target."""
        return "pp" if self.unit == PERCENT else self.unit


class Indicator(Measure):
    """A reported figure that is not a target but feeds a derivation (GDP, turnover)."""


class RatioDerivation(_Model):
    """target = numerator / denominator x scale, e.g. R&D intensity = R&D / GDP x 100."""

    target: Id
    formula: Literal["ratio"]
    numerator: Id
    denominator: Id
    scale: Annotated[
        Decimal,
        Field(gt=0, lt=Decimal("1e15"), **_EXACT),
        _number_schema(exclusiveMinimum=0, exclusiveMaximum=1e15, default=100),
    ] = Decimal(100)

    @property
    def operands(self) -> tuple[str, str]:
        return (self.numerator, self.denominator)


class GrowthDerivation(_Model):
    """target = (of this period / of the same period last year - 1) x 100."""

    target: Id
    formula: Literal["growth"]
    of: Id

    @property
    def operands(self) -> tuple[str]:
        return (self.of,)


Derivation = Annotated[RatioDerivation | GrowthDerivation, Field(discriminator="formula")]


class TaskGroup(_Model):
    id: Annotated[str, Field(pattern=r"^[一二三四五六七八九十]+$")]
    title: Text
    title_en: Text


def _period_code(text: str) -> str:
    """A period as a plan writes it (2020-06, 2020-Q3, 2020年6月): kept as written, checked."""
    if parse_period(text) is None:
        message = _("not a period: {value} (use e.g. 2020-06, 2020-Q3)")
        raise ValueError(message.format(value=repr(text)))
    return text


PeriodCode = Annotated[str, Field(min_length=1, max_length=32), AfterValidator(_period_code)]

# A share of the year's target due by a period, in percent.
PaceShare = Annotated[
    Decimal,
    Field(ge=0, le=100, **_EXACT),
    _number_schema(minimum=0, maximum=100),
]


def _milestones_in_order(milestones: dict[str, Decimal]) -> dict[str, Decimal]:
    """Pace milestones: each period once, the shares never falling, the year end at 100."""
    seen: dict[int, str] = {}
    last: tuple[int, Decimal] | None = None
    for code, share in sorted(milestones.items(), key=lambda item: _months_of(item[0])):
        months = _months_of(code)
        if months in seen:
            message = _("{period} and {other} are the same period").format(
                period=repr(code), other=repr(seen[months])
            )
            raise ValueError(message)
        seen[months] = code
        if last is not None and share < last[1]:
            message = _("the share due by {period} ({share} %) is less than by {earlier}").format(
                period=repr(code), share=share, earlier=repr(seen[last[0]])
            )
            raise ValueError(message)
        if months == MONTHS_IN_YEAR and share != 100:
            message = _("the share due by the year end ({period}) must be 100, not {share}")
            raise ValueError(message.format(period=repr(code), share=share))
        last = (months, share)
    return milestones


def _months_of(code: str) -> int:
    period = parse_period(code)
    return period.months if period is not None else 0


# How 序时进度 runs through the year: linear (months / 12), milestones (the share due by
# given periods, linear by month between them), or last year's shares by the same month.
Milestones = Annotated[dict[PeriodCode, PaceShare], AfterValidator(_milestones_in_order)]
Pace = Annotated[
    Annotated[Literal["linear", "last_year"], Tag("profile")]
    | Annotated[Milestones, Tag("milestones")],
    Discriminator(lambda value: "milestones" if isinstance(value, dict) else "profile"),
]


class Task(_Model):
    """A key task (重点任务): its number in the plan, its group, who leads it and which
    targets it serves; when it is due and what is due by when (milestones)."""

    id: Id
    number: Annotated[int, Field(gt=0)]
    group: str
    title: Text
    title_en: Text
    lead: Text | None = None  # 牵头单位
    units: list[Text] = []  # 责任单位
    due: PeriodCode | None = None
    milestones: dict[PeriodCode, Text] = {}  # period -> what is due by then
    targets: list[Id] = []  # the numeric targets it serves

    @property
    def due_period(self) -> Period | None:
        return parse_period(self.due) if self.due is not None else None

    def milestone_periods(self) -> list[tuple[str, Period, str]]:
        """The milestones (as written, the period, what is due) in period order."""
        found = [(code, parse_period(code), what) for code, what in self.milestones.items()]
        kept = [(code, p, what) for code, p, what in found if p is not None]
        return sorted(kept, key=lambda m: (m[1].year, m[1].months))


class RegionKind(str, Enum):
    DISTRICT = "district"  # 区
    COUNTY = "county"  # 县, and county-level cities (县级市)
    CITY_LEVEL = "city_level"  # 市本级: the city's own directly-run units
    ZONE = "zone"  # development zones: inside districts, never added to them
    TOWN = "town"  # 镇/乡/街道: inside a district or county (`parent`)


class Region(_Model):
    """A division that reports figures and may be given a share of a target."""

    id: Id
    name: Text
    name_en: Text | None = None
    aliases: list[Text] = []
    kind: RegionKind
    parent: Id | None = None
    # Whether the city total counts it: by default every region but a zone (a zone's
    # figures are already inside its districts').
    in_total: bool | None = None

    @property
    def counts_in_total(self) -> bool:
        return self.kind is not RegionKind.ZONE if self.in_total is None else self.in_total


class Area(_Model):
    """The plan's own area (芜湖市): its names mean the whole city in an actuals row."""

    name: Text
    aliases: list[Text] = []


# What an actuals row's region says when it means the whole city, whatever the plan.
TOTAL_NAMES = ("全市", "合计", "总计", "全市合计", "全市总计")
# Trailing characters a region's name may be written without (镜湖 = 镜湖区).
_REGION_SUFFIXES = "区县市镇"


def region_key(text: str) -> str:
    """A region's name as compared: full-width forms folded (NFKC), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def short_region_name(name: str) -> str | None:
    """The name without its trailing 区/县/市/镇, when two characters or more remain."""
    if len(name) > 2 and name[-1] in _REGION_SUFFIXES:
        return name[:-1]
    return None


class UnitSpec(_Model):
    """A unit the plan uses beyond the built-in ones, or a conversion of one: 1 of it is
    `factor` of `to` (万元: {to: 亿元, factor: 0.0001}). `whole`: counted in whole
    numbers, so that "more than 900" is met at 901 (人次)."""

    to: Unit | None = None
    factor: Annotated[
        Decimal | None,
        Field(gt=0, lt=Decimal("1e15"), **_EXACT),
        _number_schema(exclusiveMinimum=0, exclusiveMaximum=1e15),
    ] = None
    whole: bool = False


class Settings(_Model):
    at_risk_ratio: Annotated[
        Decimal,
        Field(gt=0, le=1, **_EXACT),
        _number_schema(exclusiveMinimum=0, maximum=1, default=0.9),
    ] = Decimal("0.9")
    # How a workbook's number cells of % measures are read: as written (8.7 is 8.7 %), or
    # as fractions, as cells formatted as percentages hold them (0.087 is 8.7 %).
    percent_cells: Literal["as_written", "fraction"] = "as_written"
    # 序时进度 of every cumulative and stock target that declares none of its own.
    pace: Pace = "linear"


def _year_or_years(schema: dict[str, Any]) -> None:
    """In the schema: a plan gives its `year`, or the `years` it spans."""
    schema["required"] = [name for name in schema.get("required", []) if name != "year"]
    schema["anyOf"] = [{"required": ["year"]}, {"required": ["years"]}]


class Plan(_Model):
    id: Id
    title: Text
    title_en: Text
    issuer: Text
    # The plan's year; a plan over several years gives `years` instead (its year: the last).
    year: Year
    years: tuple[Year, Year] | None = None
    published: dt.date
    settings: Settings = Settings()
    units: dict[Unit, UnitSpec] = {}
    targets: Annotated[list[Target], Field(min_length=1)]
    indicators: list[Indicator] = []
    derivations: list[Derivation] = []
    groups: list[TaskGroup] = []
    tasks: list[Task] = []
    area: Area | None = None
    regions: list[Region] = []
    # The allocations file (任务分解) of the plan year, relative to the plan file.
    allocations: Text | None = None
    # The plan over several years this year's plan is part of (十四五), relative to it.
    part_of: Text | None = None

    model_config = ConfigDict(json_schema_extra=_year_or_years)

    @model_validator(mode="before")
    @classmethod
    def _year_of_years(cls, data: Any) -> Any:
        """A plan over several years gives `years` and no `year`: its year is the last."""
        if isinstance(data, dict) and "year" not in data:
            years = data.get("years")
            if isinstance(years, list | tuple) and len(years) == 2:
                return {**data, "year": years[1]}
        return data

    @property
    def first_year(self) -> int:
        return self.years[0] if self.years is not None else self.year

    def covers(self, year: int) -> bool:
        """Whether `year` is a year of the plan."""
        return self.first_year <= year <= self.year

    @property
    def span_text(self) -> str:
        """2020, or 2021–2025."""
        return f"{self.first_year}–{self.year}" if self.years is not None else str(self.year)

    @model_validator(mode="wrap")
    @classmethod
    def _check_references(cls, data: Any, handler: ModelWrapValidatorHandler[Plan]) -> Plan:
        # Checked on the raw data, so that they are reported along with any field errors.
        references = list(_reference_errors(data)) if isinstance(data, dict) else []
        try:
            plan = handler(data)
        except ValidationError as exc:
            errors = exc.errors()
            if isinstance(data, dict) and "years" in data:  # a bad span says so itself
                errors = [
                    e for e in errors if not (e["type"] == "missing" and e["loc"] == ("year",))
                ]
            if not references and (len(errors) == len(exc.errors()) or not errors):
                raise
            fields = [_details(error) for error in errors]
            raise ValidationError.from_exception_data(cls.__name__, fields + references) from None
        if references:
            raise ValidationError.from_exception_data(cls.__name__, references)
        return plan

    @cached_property
    def unit_table(self) -> Units:
        """The built-in units and those the plan declares, with their conversions."""
        return Units(
            {name: Declared(spec.to, spec.factor, spec.whole) for name, spec in self.units.items()}
        )

    @cached_property
    def names(self) -> dict[str, str]:
        """Every name an actuals row or an option may give a measure (its id, Chinese name and
        aliases) -> the measure's id."""
        found: dict[str, str] = {}
        for measure in self.measures:
            short = [measure.short_name] if measure.short_name else []
            for name in (measure.id, measure.name, *short, *measure.aliases):
                found.setdefault(name, measure.id)
        return found

    def measure_named(self, text: str) -> Measure | None:
        """The measure a text names, written as the plan writes it, or with full-width
        forms and surrounding spaces."""
        found = self.names.get(text)
        if found is None:
            found = self.names.get(unicodedata.normalize("NFKC", text).strip())
        return None if found is None else self.measure(found)

    def closest_name(self, text: str) -> str | None:
        """The name nearest to one that names nothing: for "did you mean"."""
        import difflib  # only for the rare unknown name

        # A ratio of 0.6 or more needs lengths within 7:3 of each other: others are not tried
        # (a name of a million characters would take seconds against every name).
        near = [
            n for n in self.names if 3 * len(text) <= 7 * len(n) and 3 * len(n) <= 7 * len(text)
        ]
        close = difflib.get_close_matches(text, near, n=1, cutoff=0.6)
        return close[0] if close else None

    @cached_property
    def city_names(self) -> frozenset[str]:
        """Region texts (as `region_key` gives them) that mean the whole city: empty, 全市,
        合计 and the like, and the plan's area by its names (with and without 市)."""
        names = {"", *TOTAL_NAMES}
        if self.area is not None:
            for name in (self.area.name, *self.area.aliases):
                key = region_key(name)
                names.add(key)
                short = short_region_name(key)
                if short:
                    names.add(short)
        return frozenset(names)

    @cached_property
    def region_names(self) -> dict[str, Region]:
        """Every way an actuals row may name a declared region -> the region: its id, name
        and aliases, and these without their trailing 区/县/市/镇 where that is unambiguous
        and not a name of the whole city."""
        exact: dict[str, Region] = {}
        for region in self.regions:
            for name in (region.id, region.name, *region.aliases):
                exact.setdefault(region_key(name), region)
        shorts: dict[str, set[str]] = {}
        for key, region in exact.items():
            short = short_region_name(key)
            if short and short not in exact and short not in self.city_names:
                shorts.setdefault(short, set()).add(region.id)
        found = {
            short: self._regions_by_id[next(iter(ids))]
            for short, ids in shorts.items()
            if len(ids) == 1
        }
        return {**found, **exact}

    def region_named(self, text: str) -> Region | None:
        return self.region_names.get(region_key(text))

    def region(self, region_id: str) -> Region | None:
        return self._regions_by_id.get(region_id)

    @cached_property
    def _regions_by_id(self) -> dict[str, Region]:
        return {region.id: region for region in self.regions}

    def closest_region_name(self, text: str) -> str | None:
        """The declared region name nearest to one that names none: for "did you mean"."""
        import difflib

        key = region_key(text)
        if len(key) > 64:
            return None
        names = [r.name for r in self.regions] + [a for r in self.regions for a in r.aliases]
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
        return close[0] if close else None

    def target(self, target_id: str) -> Target | None:
        found = self._by_id.get(target_id)
        return found if isinstance(found, Target) else None

    @cached_property
    def measures(self) -> list[Measure]:
        """Every measure an actuals row may name: targets first, then indicators."""
        return [*self.targets, *self.indicators]

    @cached_property
    def _by_id(self) -> dict[str, Measure]:
        """Id -> measure (the first with it: ids are checked unique)."""
        found: dict[str, Measure] = {}
        for measure in self.measures:
            found.setdefault(measure.id, measure)
        return found

    @cached_property
    def _derivations(self) -> dict[str, Derivation]:
        found: dict[str, Derivation] = {}
        for derivation in self.derivations:
            found.setdefault(derivation.target, derivation)
        return found

    def measure(self, measure_id: str) -> Measure | None:
        return self._by_id.get(measure_id)

    def kind_of(self, measure_id: str) -> Kind | None:
        found = self._by_id.get(measure_id)
        return None if found is None else found.kind

    def pace_of(self, target: Target) -> Pace:
        """The pace profile a target is held to: its own, else the plan's."""
        return target.pace if target.pace is not None else self.settings.pace

    def derivation_for(self, target_id: str) -> Derivation | None:
        return self._derivations.get(target_id)

    def derived_from(self, measure_id: str) -> list[str]:
        """The targets whose derivation uses this measure."""
        return [d.target for d in self.derivations if measure_id in d.operands]


# Error types raised by the cross-reference checks; their messages already quote the value.
REFERENCE_ERRORS = frozenset(
    {
        "duplicate_id",
        "duplicate_name",
        "duplicate_derivation",
        "unknown_target",
        "unknown_indicator",
        "unknown_group",
        "wrong_year",
        "circular_derivation",
        "unknown_region",
        "circular_region",
        "total_name",
        "unknown_unit",
        "half_conversion",
        "contradicts_built_in",
        "rate_paced",
        "year_and_years",
        "years_order",
        "not_multi_year",
        "missing_base",
        "base_year",
        "milestone_year",
        "compound_at_zero",
        "compound_milestones",
        "base_value",
        "not_one_year",
    }
)


def _error(loc: tuple[str | int, ...], kind: str, message: str, value: object) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(kind, message, {"value": value}), loc=loc, input=value
    )


def _details(error: ErrorDetails) -> InitErrorDetails:
    """A reported error, to be raised again with others."""
    message = error["msg"].replace("{", "{{").replace("}", "}}")
    # The context goes along: the plan loader words pydantic's errors from it.
    kind = PydanticCustomError(error["type"], message, error.get("ctx"))
    return InitErrorDetails(type=kind, loc=error["loc"], input=error["input"])


def _entries(data: dict[str, Any], section: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of a list section of raw plan data, with their indices."""
    items = data.get(section)
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _key(entry: dict[str, Any], field: str) -> str | int | None:
    value = entry.get(field)
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


def _reference_errors(data: dict[str, Any]) -> Iterator[InitErrorDetails]:
    """Duplicate ids and names, and references to unknown ids, in raw plan data."""
    measures = [
        (section, i, entry)
        for section in ("targets", "indicators")
        for i, entry in _entries(data, section)
    ]
    seen: dict[str | int, str] = {}
    for section, i, entry in measures:
        measure_id = _key(entry, "id")
        if measure_id is None:
            continue
        if measure_id in seen:
            yield _error(
                (section, i, "id"),
                "duplicate_id",
                _("duplicate id {id} (already used in {section})").format(
                    id=repr(measure_id), section=seen[measure_id]
                ),
                measure_id,
            )
        else:
            seen[measure_id] = section
    # Names and aliases share one namespace with the ids: each may mean one measure only.
    names: dict[str, str | int | None] = {m: m for m in seen if isinstance(m, str)}
    for section, i, entry in measures:
        aliases = entry.get("aliases")
        named: list[tuple[tuple[str | int, ...], object]] = [
            ((section, i, "name"), entry.get("name")),
            ((section, i, "short_name"), entry.get("short_name")),
        ]
        if isinstance(aliases, list):
            named += [((section, i, "aliases", j), alias) for j, alias in enumerate(aliases)]
        for loc, name in named:
            if not isinstance(name, str):
                continue
            owner = names.setdefault(name, _key(entry, "id"))
            if owner != _key(entry, "id"):
                message = _("name {name} already names {owner}").format(
                    name=repr(name), owner=repr(owner)
                )
                yield _error(loc, "duplicate_name", message, name)
    target_ids = {_key(entry, "id") for section, _index, entry in measures if section == "targets"}
    derived: set[str | int] = set()
    for i, entry in _entries(data, "derivations"):
        target = _key(entry, "target")
        if target is not None and target not in target_ids:
            yield _error(
                ("derivations", i, "target"),
                "unknown_target",
                _("derivation of unknown target {target}").format(target=repr(target)),
                target,
            )
        elif target is not None and target in derived:
            yield _error(
                ("derivations", i, "target"),
                "duplicate_derivation",
                _("{target} already has a derivation").format(target=repr(target)),
                target,
            )
        if target is not None:
            derived.add(target)
        for field in ("numerator", "denominator", "of"):
            operand = _key(entry, field)
            if operand is None:
                continue
            if operand not in seen:
                yield _error(
                    ("derivations", i, field),
                    "unknown_indicator",
                    _("derivation names unknown indicator {indicator}").format(
                        indicator=repr(operand)
                    ),
                    operand,
                )
            elif operand == target:
                yield _error(
                    ("derivations", i, field),
                    "circular_derivation",
                    _("{target} cannot be derived from itself").format(target=repr(target)),
                    operand,
                )
    group_ids: set[str | int] = set()
    for i, entry in _entries(data, "groups"):
        group_id = _key(entry, "id")
        if group_id is not None and group_id in group_ids:
            message = _("duplicate group {group}").format(group=repr(group_id))
            yield _error(("groups", i, "id"), "duplicate_id", message, group_id)
        if group_id is not None:
            group_ids.add(group_id)
    task_ids: set[str | int] = set()
    numbers: set[str | int] = set()
    year = _plan_year(data)
    for i, entry in _entries(data, "tasks"):
        task_id, group = _key(entry, "id"), _key(entry, "group")
        if task_id is not None and task_id in task_ids:
            message = _("duplicate task {task}").format(task=task_id)
            yield _error(("tasks", i, "id"), "duplicate_id", message, task_id)
        if task_id is not None:
            task_ids.add(task_id)
        number = _key(entry, "number")
        if number is not None and number in numbers:
            message = _("duplicate task number {number}").format(number=number)
            yield _error(("tasks", i, "number"), "duplicate_id", message, number)
        if number is not None:
            numbers.add(number)
        if group is not None and group not in group_ids:
            message = _("unknown group {group}").format(group=repr(group))
            yield _error(("tasks", i, "group"), "unknown_group", message, group)
        served = entry.get("targets")
        for j, target in enumerate(served if isinstance(served, list) else []):
            if isinstance(target, str) and target not in target_ids:
                message = _("task of unknown target {target}").format(target=repr(target))
                yield _error(("tasks", i, "targets", j), "unknown_target", message, target)
        yield from _task_period_errors(entry, i, year)
    yield from _pace_errors(data, year)
    yield from _years_errors(data)
    yield from _region_errors(data)
    yield from _unit_errors(data, measures)


def _plan_year(data: dict[str, Any]) -> int | None:
    """The plan's year (a plan over several years: its last) as raw data give it."""
    years = data.get("years")
    if "year" not in data and isinstance(years, list | tuple) and len(years) == 2:
        return _whole(years[1])
    return _whole(data.get("year"))


def _whole(value: object) -> int | None:
    """A whole number as raw data give it: a number, or its digits as a file's text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value.strip() if isinstance(value, str) else None
    return int(text) if text and text.isascii() and text.isdigit() else None


def _years_errors(data: dict[str, Any]) -> Iterator[InitErrorDetails]:
    """A plan over several years: its span in order, every target with a base before its
    last year, milestones between the two, compound paths between values above 0. A plan
    of one year has none of these."""
    years = data.get("years")
    span = (
        (_whole(years[0]), _whole(years[1]))
        if isinstance(years, list | tuple) and len(years) == 2
        else None
    )
    if years is not None and "year" in data:
        message = _("give the plan's year or the years it spans, not both")
        yield _error(("years",), "year_and_years", message, years)
    if span is not None and None not in span and span[0] > span[1]:  # type: ignore[operator]
        message = _("the first year {first} is after the last {last}").format(
            first=span[0], last=span[1]
        )
        yield _error(("years",), "years_order", message, years)
    last = span[1] if span is not None else None
    if years is None:
        for i, entry in _entries(data, "targets"):
            for key in ("base", "milestones", "growth"):
                if entry.get(key) is not None:
                    message = _(
                        "only a plan over several years (years: [first, last]) has `{key}`"
                    ).format(key=key)
                    yield _error(("targets", i, key), "not_multi_year", message, entry[key])
        return
    settings = data.get("settings")
    if isinstance(settings, dict) and settings.get("pace") is not None:
        message = _("a plan over several years follows its targets' paths, not a pace")
        yield _error(("settings", "pace"), "not_one_year", message, settings["pace"])
    if data.get("part_of") is not None:
        message = _("a plan over several years is part of no other plan")
        yield _error(("part_of",), "not_multi_year", message, data["part_of"])
    for i, entry in _entries(data, "targets"):
        base = entry.get("base")
        if base is None:
            message = _("a target of a plan over several years needs its base (year and value)")
            yield _error(("targets", i), "missing_base", message, entry.get("id"))
            continue
        start = _whole(base.get("year")) if isinstance(base, dict) else None
        if start is not None and last is not None and start >= last:
            message = _("the base year {year} is not before the plan's last year {last}")
            yield _error(
                ("targets", i, "base", "year"),
                "base_year",
                message.format(year=start, last=last),
                base.get("year"),
            )
            continue
        kind = entry.get("kind")
        given = base.get("value") if isinstance(base, dict) else None
        if kind in (Kind.CUMULATIVE.value, Kind.STOCK.value) and (
            (number := _number(given)) is not None and number <= 0
        ):
            message = _("a base of a total or a level must be above 0")
            yield _error(("targets", i, "base", "value"), "base_value", message, given)
        if entry.get("pace") is not None:
            message = _("a target of a plan over several years follows its path, not a pace")
            yield _error(("targets", i, "pace"), "not_one_year", message, entry["pace"])
        milestones = entry.get("milestones")
        compound = entry.get("growth") == Growth.COMPOUND.value or (
            entry.get("growth") is None and kind == Kind.RATE.value
        )
        if compound and milestones:
            message = _("milestones go with a straight path: give growth: linear")
            yield _error(("targets", i, "milestones"), "compound_milestones", message, milestones)
        for key in milestones if isinstance(milestones, dict) else ():
            year = _whole(key)
            if (
                year is not None
                and start is not None
                and last is not None
                and not start < year < last
            ):
                message = _("a milestone year must lie between the base year {start} and {last}")
                yield _error(
                    ("targets", i, "milestones", key),
                    "milestone_year",
                    message.format(start=start, last=last),
                    key,
                )
        values = (_number(given), _number(entry.get("value")))
        if compound and any(v is not None and v <= 0 for v in values):
            message = _("a compound path needs a base and a target above 0 (give growth: linear)")
            yield _error(("targets", i), "compound_at_zero", message, entry.get("growth"))


def _pace_errors(data: dict[str, Any], year: int | None) -> Iterator[InitErrorDetails]:
    """Pace milestones in the plan's year; no pace on a rate (held to its target all year)."""
    settings = data.get("settings")
    places: list[tuple[tuple[str | int, ...], object]] = []
    if isinstance(settings, dict):
        places.append((("settings", "pace"), settings.get("pace")))
    for i, entry in _entries(data, "targets"):
        pace = entry.get("pace")
        if pace is not None and entry.get("kind") == Kind.RATE.value:
            message = _("a rate is not paced: it is held to its target all year")
            yield _error(("targets", i, "pace"), "rate_paced", message, pace)
            continue
        places.append((("targets", i, "pace"), pace))
    milestones = [
        ((*loc, code), code)
        for loc, pace in places
        for code in (pace if isinstance(pace, dict) else ())
    ]
    yield from _wrong_years(milestones, year)


def _task_period_errors(
    entry: dict[str, Any], index: int, year: int | None
) -> Iterator[InitErrorDetails]:
    """A task's due period and milestones: in the plan's year."""
    due = entry.get("due")
    places: list[tuple[tuple[str | int, ...], object]] = [(("tasks", index, "due"), due)]
    milestones = entry.get("milestones")
    if isinstance(milestones, dict):
        places += [(("tasks", index, "milestones", code), code) for code in milestones]
    yield from _wrong_years(places, year)


def _wrong_years(
    places: list[tuple[tuple[str | int, ...], object]], year: int | None
) -> Iterator[InitErrorDetails]:
    """The periods (at their places in the plan) that are not of the plan's year."""
    if year is None:
        return
    for loc, code in places:
        period = parse_period(code) if isinstance(code, str) else None
        if period is not None and period.year != year:
            message = _("{period} is not in the plan year {year}").format(period=code, year=year)
            yield _error(loc, "wrong_year", message, code)


def _unit_errors(
    data: dict[str, Any], measures: list[tuple[str, int, dict[str, Any]]]
) -> Iterator[InitErrorDetails]:
    """Units a measure uses that are neither built in nor declared, conversions to unknown
    units or half given, money conversions that contradict the built-in ones; totals and
    levels aimed at 0 or below."""
    declared = data.get("units")
    declared = declared if isinstance(declared, dict) else {}
    known = {*BUILT_IN, *(name for name in declared if isinstance(name, str))}
    for name, spec in declared.items():
        if not isinstance(spec, dict):
            continue
        to, factor = spec.get("to"), spec.get("factor")
        if (to is None) != (factor is None):
            yield _error(
                ("units", name),
                "half_conversion",
                _("unit {unit}: a conversion needs both `to` and `factor`").format(unit=repr(name)),
                spec,
            )
        elif isinstance(to, str) and to not in known:
            message = _("unknown unit {unit}").format(unit=repr(to))
            yield _error(("units", name, "to"), "unknown_unit", message, to)
        elif name in MONEY and to in MONEY:
            given = _number(factor)
            expected = BUILT_IN_UNITS.factor(name, to)
            if given is not None and given != expected:
                yield _error(
                    ("units", name, "factor"),
                    "contradicts_built_in",
                    _("1 {unit} is {expected} {to}, not {factor}").format(
                        unit=name, expected=expected, to=to, factor=factor
                    ),
                    factor,
                )
    for section, i, entry in measures:
        unit = entry.get("unit")
        if isinstance(unit, str) and unit not in known:
            yield _error(
                (section, i, "unit"),
                "unknown_unit",
                _("unknown unit {unit} (built in: {units}; declare others under `units:`)").format(
                    unit=repr(unit), units=" ".join(BUILT_IN)
                ),
                unit,
            )
        value = _number(entry.get("value"))
        if (
            section == "targets"
            and entry.get("kind") in (Kind.CUMULATIVE.value, Kind.STOCK.value)
            and value is not None
            and value <= 0
        ):
            if entry["kind"] == Kind.CUMULATIVE.value:
                message = _(
                    "a cumulative target must be above 0 (only a rate may aim at 0 or below)"
                )
            else:
                message = _("a stock target must be above 0 (only a rate may aim at 0 or below)")
            yield _error((section, i, "value"), "not_above_zero", message, entry.get("value"))


def _number(value: object) -> Decimal | None:
    """A number as the plan's YAML gives it (text, as the loader keeps every scalar, or a
    number from Python); None when it is none."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _region_errors(data: dict[str, Any]) -> Iterator[InitErrorDetails]:
    """Duplicate region ids and names, names that mean the whole city, unknown parents and
    parents that lead back to the region."""
    entries = _entries(data, "regions")
    area = data.get("area")
    totals = {"", *TOTAL_NAMES}
    if isinstance(area, dict):
        for name in [area.get("name"), *(area.get("aliases") or [])]:
            if isinstance(name, str):
                totals.add(region_key(name))
    ids: dict[str | int, int] = {}
    names: dict[str, str | int | None] = {}
    for i, entry in entries:
        region_id = _key(entry, "id")
        if region_id is not None and region_id in ids:
            message = _("duplicate region {region}").format(region=repr(region_id))
            yield _error(("regions", i, "id"), "duplicate_id", message, region_id)
        elif region_id is not None:
            ids[region_id] = i
        aliases = entry.get("aliases")
        named: list[tuple[tuple[str | int, ...], object]] = [
            (("regions", i, "name"), entry.get("name"))
        ]
        if isinstance(aliases, list):
            named += [(("regions", i, "aliases", j), alias) for j, alias in enumerate(aliases)]
        for loc, name in named:
            if not isinstance(name, str):
                continue
            key = region_key(name)
            if key in totals:
                message = _("{name} means the whole city, not a region").format(name=repr(name))
                yield _error(loc, "total_name", message, name)
                continue
            owner = names.setdefault(key, region_id)
            if owner != region_id:
                message = _("name {name} already names {owner}").format(
                    name=repr(name), owner=repr(owner)
                )
                yield _error(loc, "duplicate_name", message, name)
    parents = {_key(e, "id"): _key(e, "parent") for _index, e in entries}
    for i, entry in entries:
        parent = _key(entry, "parent")
        if parent is None:
            continue
        if parent not in ids:
            message = _("unknown region {region}").format(region=repr(parent))
            yield _error(("regions", i, "parent"), "unknown_region", message, parent)
            continue
        seen = {_key(entry, "id")}
        while parent is not None and parent not in seen:
            seen.add(parent)
            parent = parents.get(parent)
        if parent is not None:
            yield _error(
                ("regions", i, "parent"),
                "circular_region",
                _("region {region} lies inside itself through its parents").format(
                    region=repr(_key(entry, "id"))
                ),
                _key(entry, "parent"),
            )


def plan_json_schema() -> dict[str, object]:
    """The JSON Schema of a plan file, as committed in data/plan.schema.json."""
    schema = Plan.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}

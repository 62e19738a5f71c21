"""The plan as pydantic models: targets, auxiliary indicators, derivations, key tasks.

Every model forbids unknown keys. Cross-references (duplicate ids, derivations
naming unknown ids, tasks naming unknown groups) are checked on the Plan and
reported with the location of the offending value, so that the YAML loader can
point at its line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
Unit = Literal["%", "家", "个", "件", "次", "项", "人", "亿元", "万元"]


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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    unit: Unit
    kind: Kind
    aliases: list[Text] = []


class Target(Measure):
    value: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]
    comparison: Comparison
    source: Source


class Indicator(Measure):
    """A reported figure that is not a target but feeds a derivation (GDP, turnover)."""


class RatioDerivation(_Model):
    """target = numerator / denominator x scale, e.g. R&D intensity = R&D / GDP x 100."""

    target: Id
    formula: Literal["ratio"]
    numerator: Id
    denominator: Id
    scale: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)] = Decimal(100)


class GrowthDerivation(_Model):
    """target = (of this period / of the same period last year - 1) x 100."""

    target: Id
    formula: Literal["growth"]
    of: Id


Derivation = Annotated[RatioDerivation | GrowthDerivation, Field(discriminator="formula")]


class TaskGroup(_Model):
    id: Annotated[str, Field(pattern=r"^[一二三四五六七八九十]+$")]
    title: Text
    title_en: Text


class Task(_Model):
    id: Annotated[int, Field(gt=0)]
    group: str
    title: Text
    title_en: Text


class Settings(_Model):
    at_risk_ratio: Annotated[Decimal, Field(gt=0, le=1, allow_inf_nan=False)] = Decimal("0.9")


class Plan(_Model):
    id: Id
    title: Text
    title_en: Text
    issuer: Text
    year: Annotated[int, Field(ge=1900, le=2999)]
    published: dt.date
    settings: Settings = Settings()
    targets: Annotated[list[Target], Field(min_length=1)]
    indicators: list[Indicator] = []
    derivations: list[Derivation] = []
    groups: list[TaskGroup] = []
    tasks: list[Task] = []

    @model_validator(mode="after")
    def _check_references(self) -> Plan:
        errors = list(_reference_errors(self))
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def target(self, target_id: str) -> Target | None:
        return next((t for t in self.targets if t.id == target_id), None)

    @property
    def measures(self) -> list[Measure]:
        """Every measure an actuals row may name: targets first, then indicators."""
        return [*self.targets, *self.indicators]

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def kind_of(self, measure_id: str) -> Kind | None:
        return next((m.kind for m in self.measures if m.id == measure_id), None)

    def derivation_for(self, target_id: str) -> Derivation | None:
        return next((d for d in self.derivations if d.target == target_id), None)


# Error types raised by the cross-reference checks; their messages already quote the value.
REFERENCE_ERRORS = frozenset(
    {
        "duplicate_id",
        "duplicate_name",
        "duplicate_derivation",
        "unknown_target",
        "unknown_indicator",
        "unknown_group",
        "circular_derivation",
    }
)


def _error(loc: tuple[str | int, ...], kind: str, message: str, value: object) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(kind, message, {"value": value}), loc=loc, input=value
    )


def _reference_errors(plan: Plan) -> Iterator[InitErrorDetails]:
    seen: dict[str, str] = {}
    sections: tuple[tuple[str, Sequence[Measure]], ...] = (
        ("targets", plan.targets),
        ("indicators", plan.indicators),
    )
    for section, measures in sections:
        for i, measure in enumerate(measures):
            if measure.id in seen:
                yield _error(
                    (section, i, "id"),
                    "duplicate_id",
                    f"duplicate id {measure.id!r} (already used in {seen[measure.id]})",
                    measure.id,
                )
            else:
                seen[measure.id] = section
    names: dict[str, str] = {}
    for section, measures in sections:
        for i, measure in enumerate(measures):
            for j, name in enumerate([measure.name, *measure.aliases]):
                owner = names.setdefault(name, measure.id)
                if owner != measure.id:
                    loc: tuple[str | int, ...] = (
                        (section, i, "name") if j == 0 else (section, i, "aliases", j - 1)
                    )
                    yield _error(
                        loc, "duplicate_name", f"name {name!r} already names {owner!r}", name
                    )
    target_ids = {t.id for t in plan.targets}
    derived: set[str] = set()
    for i, derivation in enumerate(plan.derivations):
        if derivation.target not in target_ids:
            yield _error(
                ("derivations", i, "target"),
                "unknown_target",
                f"derivation of unknown target {derivation.target!r}",
                derivation.target,
            )
        elif derivation.target in derived:
            yield _error(
                ("derivations", i, "target"),
                "duplicate_derivation",
                f"{derivation.target!r} already has a derivation",
                derivation.target,
            )
        derived.add(derivation.target)
        operands = (
            ("numerator", "denominator") if isinstance(derivation, RatioDerivation) else ("of",)
        )
        for field in operands:
            operand = getattr(derivation, field)
            if operand not in seen:
                yield _error(
                    ("derivations", i, field),
                    "unknown_indicator",
                    f"derivation names unknown indicator {operand!r}",
                    operand,
                )
            elif operand == derivation.target:
                yield _error(
                    ("derivations", i, field),
                    "circular_derivation",
                    f"{derivation.target!r} cannot be derived from itself",
                    operand,
                )
    group_ids: set[str] = set()
    for i, group in enumerate(plan.groups):
        if group.id in group_ids:
            yield _error(
                ("groups", i, "id"), "duplicate_id", f"duplicate group {group.id!r}", group.id
            )
        group_ids.add(group.id)
    task_ids: set[int] = set()
    for i, task in enumerate(plan.tasks):
        if task.id in task_ids:
            yield _error(("tasks", i, "id"), "duplicate_id", f"duplicate task {task.id}", task.id)
        task_ids.add(task.id)
        if task.group not in group_ids:
            yield _error(
                ("tasks", i, "group"), "unknown_group", f"unknown group {task.group!r}", task.group
            )


def plan_json_schema() -> dict[str, object]:
    """The JSON Schema of a plan file, as committed in data/plan.schema.json."""
    schema = Plan.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}

"""The bundled plan against its source document, and the models' rules."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from sti_plan.model import Comparison, Kind, Plan, plan_json_schema
from sti_plan.plan_file import bundled_plan_path

# id: (unit, value, comparison, kind), as the 2020 work key points state them.
EXPECTED_TARGETS = {
    "hitech_value_added_growth": ("%", "10", "at_least", "rate"),
    "tech_smes": ("家", "1000", "more_than", "stock"),
    "hitech_enterprises": ("家", "900", "more_than", "stock"),
    "key_projects": ("个", "60", "at_least", "cumulative"),
    "key_project_funding": ("亿元", "1", "at_least", "cumulative"),
    "talent_teams": ("个", "30", "at_least", "cumulative"),
    "rd_institutions": ("家", "7", "at_least", "cumulative"),
    "incubators": ("家", "3", "at_least", "cumulative"),
    "rd_ratio": ("%", "3.1", "at_least", "rate"),
    "matchmaking_events": ("次", "30", "at_least", "cumulative"),
    "tech_contract_growth": ("%", "15", "at_least", "rate"),
    "registered_achievements": ("件", "1000", "at_least", "cumulative"),
    "rd_expenditure": ("亿元", "100", "more_than", "cumulative"),
}


@pytest.fixture(scope="module")
def source(source_text: str) -> str:
    return source_text


def test_every_target_of_the_source_with_its_number(plan: Plan) -> None:
    found = {t.id: (t.unit, t.value, t.comparison.value, t.kind.value) for t in plan.targets}
    assert found == {
        key: (unit, Decimal(value), comparison, kind)
        for key, (unit, value, comparison, kind) in EXPECTED_TARGETS.items()
    }


def test_each_target_quotes_the_source_verbatim_with_its_number_and_unit(
    plan: Plan, source: str
) -> None:
    for target in plan.targets:
        quote = target.source.quote
        assert quote in source, target.id
        assert target.source.section in source, target.id
        assert f"{target.value}{target.unit}" in quote, target.id
        # 突破 means "more than"; 以上, 达 and a plain number mean "at least".
        expected = Comparison.MORE_THAN if "突破" in quote else Comparison.AT_LEAST
        assert target.comparison is expected, target.id


def test_names_are_verbatim_chinese_from_the_source(plan: Plan, source: str) -> None:
    for target in plan.targets:
        if target.id == "key_project_funding":
            # The source says "…项目60个,资金1亿元以上": the funding of those same projects.
            assert target.name == "国家和省级重点科技项目资金"
            assert "国家和省级重点科技项目" in target.source.quote
            assert "资金1亿元以上" in target.source.quote
        else:
            assert target.name in source, target.id
        assert target.name_en


def test_each_quote_stands_in_its_section_and_task(plan: Plan, source: str) -> None:
    sections = ["一、总体思路", "二、主要目标", "三、重点任务"]
    for target in plan.targets:
        start = source.index(target.source.section)
        following = [source.index(s) for s in sections if source.index(s) > start]
        section_text = source[start : min(following, default=len(source))]
        assert target.source.quote in section_text, target.id
        if target.source.task is not None:
            task = plan.tasks[target.source.task - 1]
            task_start = source.index(f"{task.number}.{task.title}")
            task_end = source.index(f"{task.number + 1}.", task_start)
            assert target.source.quote in source[task_start:task_end], target.id


def test_rd_expenditure_comes_from_task_8(plan: Plan) -> None:
    target = plan.target("rd_expenditure")
    assert target is not None
    assert (target.source.section, target.source.task) == ("三、重点任务", 8)


def test_indicators_and_derivations(plan: Plan) -> None:
    assert [(i.id, i.unit, i.kind) for i in plan.indicators] == [
        ("gdp", "亿元", Kind.CUMULATIVE),
        ("tech_contract_turnover", "亿元", Kind.CUMULATIVE),
    ]
    ratio = plan.derivation_for("rd_ratio")
    growth = plan.derivation_for("tech_contract_growth")
    assert ratio is not None and ratio.formula == "ratio"
    assert (ratio.numerator, ratio.denominator, ratio.scale) == ("rd_expenditure", "gdp", 100)
    assert growth is not None and growth.formula == "growth"
    assert growth.of == "tech_contract_turnover"


def test_21_key_tasks_in_seven_groups_titled_verbatim(plan: Plan, source: str) -> None:
    assert [t.number for t in plan.tasks] == list(range(1, 22))
    assert [g.id for g in plan.groups] == list("一二三四五六七")
    for group in plan.groups:
        assert f"({group.id}){group.title}" in source
    for task in plan.tasks:
        assert f"{task.number}.{task.title}" in source
        # The task sits under the group heading that precedes it in the source.
        at = source.index(f"{task.number}.{task.title}")
        headings = {source.index(f"({g.id}){g.title}"): g.id for g in plan.groups}
        assert headings[max(h for h in headings if h < at)] == task.group


def test_plan_level_fields(plan: Plan) -> None:
    assert plan.year == 2020
    assert plan.title == "市科学技术局2020年工作要点"
    assert str(plan.published) == "2020-02-25"
    assert plan.settings.at_risk_ratio == Decimal("0.9")


def _invalid(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()]


def test_unknown_keys_are_rejected(plan_data: dict[str, Any]) -> None:
    plan_data["targets"][0]["colour"] = "red"
    plan_data["owner"] = "someone"
    assert set(_invalid(plan_data)) == {
        (("targets", 0, "colour"), "extra_forbidden"),
        (("owner",), "extra_forbidden"),
    }


@pytest.mark.parametrize("value", [0, -5])
def test_totals_and_levels_must_aim_above_zero(plan_data: dict[str, Any], value: int) -> None:
    assert plan_data["targets"][3]["kind"] != "rate"
    plan_data["targets"][3]["value"] = value
    assert _invalid(plan_data) == [(("targets", 3, "value"), "not_above_zero")]


@pytest.mark.parametrize(
    ("key", "value"),
    [("kind", "flow"), ("comparison", "about"), ("unit", "km"), ("comparison", None)],
)
def test_unknown_kinds_comparisons_and_units_are_rejected(
    plan_data: dict[str, Any], key: str, value: Any
) -> None:
    if value is None:
        del plan_data["targets"][1][key]  # comparison has no default
    else:
        plan_data["targets"][1][key] = value
    [(loc, _)] = _invalid(plan_data)
    assert loc == ("targets", 1, key)


def test_duplicate_ids_are_rejected_at_the_second(plan_data: dict[str, Any]) -> None:
    plan_data["targets"][5]["id"] = "key_projects"
    plan_data["indicators"].append({**plan_data["indicators"][0], "id": "rd_ratio", "aliases": []})
    plan_data["indicators"][-1]["name"] = "研发强度"
    assert _invalid(plan_data) == [
        (("targets", 5, "id"), "duplicate_id"),
        (("indicators", 2, "id"), "duplicate_id"),
        # talent_teams is gone: task 5, which serves it, names an unknown target
        (("tasks", 4, "targets", 0), "unknown_target"),
    ]


def test_a_derivation_naming_an_unknown_indicator_is_rejected(plan_data: dict[str, Any]) -> None:
    plan_data["derivations"][0]["denominator"] = "gross_product"
    plan_data["derivations"][1]["of"] = "turnover"
    assert _invalid(plan_data) == [
        (("derivations", 0, "denominator"), "unknown_indicator"),
        (("derivations", 1, "of"), "unknown_indicator"),
    ]


def test_a_derivation_of_something_not_a_target_is_rejected(plan_data: dict[str, Any]) -> None:
    plan_data["derivations"][0]["target"] = "tech_contract_turnover"
    assert _invalid(plan_data) == [(("derivations", 0, "target"), "unknown_target")]


def test_an_alias_may_name_only_one_measure(plan_data: dict[str, Any]) -> None:
    plan_data["targets"][0]["aliases"] = ["高企"]
    # 高企 is hitech_enterprises' short name and alias: both are taken.
    assert _invalid(plan_data) == [
        (("targets", 2, "short_name"), "duplicate_name"),
        (("targets", 2, "aliases", 0), "duplicate_name"),
    ]


def test_a_short_name_is_a_name_rows_and_options_may_use(plan: Plan) -> None:
    assert plan.measure_named("研发投入强度") is plan.measure("rd_ratio")
    assert plan.measure_named("技术合同增长") is plan.measure("tech_contract_growth")


def test_tasks_must_name_a_known_group_once(plan_data: dict[str, Any]) -> None:
    plan_data["tasks"][3]["group"] = "八"
    plan_data["tasks"][4]["number"] = 4
    assert _invalid(plan_data) == [
        (("tasks", 3, "group"), "unknown_group"),
        (("tasks", 4, "number"), "duplicate_id"),
    ]


def test_committed_schema_is_current() -> None:
    committed = json.loads(bundled_plan_path().with_name("plan.schema.json").read_text("utf-8"))
    assert committed == plan_json_schema(), (
        "data/plan.schema.json is stale: run `sti-plan schema > data/plan.schema.json`"
    )


def test_plan_file_points_editors_at_the_schema() -> None:
    first_line = bundled_plan_path().read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=plan.schema.json"
    assert (Path(bundled_plan_path()).parent / "plan.schema.json").is_file()

"""The plan YAML loader: every problem with its code, line and column.

Bad plans are made by editing the text of data/plan2020.yaml, and expected
positions are computed from the edited text, so the tests stay true when the
plan gains lines.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sti_plan.plan_file import bundled_plan_path, load_plan, parse_plan
from sti_plan.problems import Problem, StiPlanError

Write = Callable[[str, str | bytes], Path]

PLAN_PATH = Path(__file__).resolve().parent.parent / "data" / "plan2020.yaml"


@pytest.fixture(scope="module")
def text() -> str:
    return PLAN_PATH.read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    """The text with `old`, which must occur exactly once, replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} should occur once in the plan"
    return text.replace(old, new)


def position(text: str, fragment: str) -> tuple[int, int]:
    """1-based line and column where `fragment`, which must occur once, starts."""
    assert text.count(fragment) == 1, f"{fragment!r} should occur once in the text"
    index = text.index(fragment)
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def index_of(items: list[dict[str, Any]], key: str, value: object) -> int:
    return next(i for i, item in enumerate(items) if item[key] == value)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def parse_one(text: str) -> Problem:
    """The one problem of a plan text that must have exactly one (and no plan)."""
    plan, problems = parse_plan(text, "plan.yaml")
    assert plan is None
    problem = only(problems)
    assert problem.path == "plan.yaml"
    return problem


def where(problem: Problem) -> tuple[str, int | None, int | None]:
    return problem.code, problem.line, problem.col


@pytest.fixture
def hitech(plan_data: dict[str, Any]) -> int:
    """The index of hitech_enterprises among the targets, the target most tests break."""
    return index_of(plan_data["targets"], "id", "hitech_enterprises")


# --- the bundled plan ---------------------------------------------------------------------------


def test_bundled_plan_loads_without_problems() -> None:
    plan, problems = load_plan(bundled_plan_path())
    assert problems == []
    assert plan is not None
    assert plan.year == 2020
    # README: two auxiliary indicators, the two derivations, seven groups and 21 key tasks.
    assert [i.id for i in plan.indicators] == ["gdp", "tech_contract_turnover"]
    assert [d.target for d in plan.derivations] == ["rd_ratio", "tech_contract_growth"]
    assert len(plan.groups) == 7
    assert [t.number for t in plan.tasks] == list(range(1, 22))
    rd = next(t for t in plan.tasks if t.number == 8)
    assert (rd.id, rd.targets) == ("rd_investment", ["rd_expenditure", "rd_ratio"])


def test_plan_file_of_the_source_tree_parses_without_problems(text: str) -> None:
    plan, problems = parse_plan(text, str(PLAN_PATH))
    assert problems == []
    assert plan is not None
    assert plan.target("rd_ratio") is not None


def test_plan_with_a_bom_loads(write: Write, text: str) -> None:
    plan, problems = load_plan(write("plan.yaml", ("\ufeff" + text).encode("utf-8")))
    assert problems == []
    assert plan is not None


# --- yaml-syntax, duplicate-key, aliases --------------------------------------------------------


def test_yaml_syntax_unclosed_flow_sequence(text: str) -> None:
    bad = edit(text, "aliases: [高企]", "aliases: [高企")
    problem = parse_one(bad)
    assert problem.code == "yaml-syntax"
    assert "flow sequence" in problem.message
    assert "']'" in problem.message
    # The parser gives up where the sequence cannot go on: the next target's `id:`, the
    # first `:` after the unclosed `[`.
    opened, _ = position(bad, "aliases: [高企\n")
    gave_up = position(bad, ": key_projects")
    assert gave_up[0] > opened
    assert (problem.line, problem.col) == gave_up


def test_duplicate_key_in_a_target(text: str) -> None:
    bad = edit(text, "    value: 900\n", "    value: 900\n    value: 901\n")
    first, _ = position(bad, "value: 900")
    problem = parse_one(bad)
    assert where(problem) == ("duplicate-key", *position(bad, "value: 901"))
    assert problem.message == f"duplicate key 'value' (first at line {first})"


def test_duplicate_key_at_the_top_level(text: str) -> None:
    bad = text + "year: 2021\n"
    first, _ = position(bad, "year: 2020")
    problem = parse_one(bad)
    assert where(problem) == ("duplicate-key", *position(bad, "year: 2021"))
    assert f"first at line {first}" in problem.message


def test_alias_is_refused(text: str) -> None:
    bad = edit(text, "aliases: [高企]", "aliases: &a [高企]")
    bad = edit(bad, "aliases: [研发机构]", "aliases: *a")
    problem = parse_one(bad)
    assert where(problem) == ("yaml-syntax", *position(bad, "*a"))
    assert "aliases (*name) are not allowed" in problem.message


def test_alias_as_a_whole_value_is_refused(text: str) -> None:
    bad = edit(text, "settings:\n", "x_defaults: &defaults\n  at_risk_ratio: 0.9\nsettings:\n")
    bad = edit(bad, "  at_risk_ratio: 0.9\n\n# The city", "  <<: *defaults\n\n# The city")
    problem = parse_one(bad)
    assert where(problem) == ("yaml-syntax", *position(bad, "*defaults"))


# --- empty-file, encoding-error -----------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n"])
def test_empty_plan(content: str) -> None:
    problem = parse_one(content)
    assert (problem.code, problem.line) == ("empty-file", 1)
    assert "empty" in problem.message


def test_empty_plan_file(write: Write) -> None:
    path = write("plan.yaml", b"")
    plan, problems = load_plan(path)
    assert plan is None
    problem = only(problems)
    assert (problem.code, problem.line, problem.path) == ("empty-file", 1, str(path))


def test_encoding_error(write: Write, text: str) -> None:
    title = "title: 市科学技术局2020年工作要点"
    line, _ = position(text, title)
    data = text.encode("utf-8").replace(title.encode("utf-8"), b"title: \xff\xfe")
    plan, problems = load_plan(write("plan.yaml", data))
    assert plan is None
    problem = only(problems)
    assert (problem.code, problem.line) == ("encoding-error", line)
    assert "UTF-8" in problem.message


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
def test_control_character_is_a_problem_not_a_crash(
    write: Write, text: str, character: str
) -> None:
    title = "title: 市科学技术局2020年工作要点"
    path = write("plan.yaml", edit(text, title, f"title: 市科学技术局{character}"))
    plan, problems = load_plan(path)
    assert plan is None
    problem = only(problems)
    assert problem.code == "yaml-syntax"
    assert f"#x{ord(character):04x}" in problem.message


def test_control_character_problem_names_its_line(write: Write, text: str) -> None:
    title = "title: 市科学技术局2020年工作要点"
    line, _ = position(text, title)
    plan, problems = load_plan(write("plan.yaml", edit(text, title, "title: 市科学技术局\x07")))
    assert plan is None
    problem = only(problems)
    assert (problem.code, problem.line) == ("yaml-syntax", line)


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    problem = parse_one("id: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problem.code == "yaml-syntax"
    # PyYAML 6.0.4's libyaml stops at its own depth limit first; older ones recurse until we stop.
    assert "nest" in problem.message


# --- schema -------------------------------------------------------------------------------------


def test_unknown_key(text: str, hitech: int) -> None:
    bad = edit(text, "    aliases: [高企]\n", "    aliases: [高企]\n    colour: red\n")
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "colour: red"))
    assert problem.message == f"targets[{hitech}].colour: unknown key 'colour'"


def test_unknown_top_level_key(text: str) -> None:
    bad = text + "owner: somebody\n"
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "owner: somebody"))
    assert problem.message == "owner: unknown key 'owner'"


def test_missing_key_points_at_its_mapping(text: str, hitech: int) -> None:
    bad = edit(text, "    name_en: High-tech enterprises\n", "")
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "id: hitech_enterprises"))
    assert problem.message == f"targets[{hitech}]: missing key 'name_en'"


def test_missing_top_level_key(text: str) -> None:
    bad = edit(text, "issuer: 芜湖市科技局\n", "")
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "id: wuhu_sti_2020"))  # the root mapping
    assert problem.message == "missing key 'issuer'"


@pytest.mark.parametrize("value", ["-60", "0", "-0.5"])
def test_non_positive_target_value(text: str, hitech: int, value: str) -> None:
    bad = edit(text, "    value: 900\n", f"    value: {value}\n")
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, f"value: {value}\n"))
    assert problem.message == (
        f"targets[{hitech}].value: a stock target must be above 0 "
        f"(only a rate may aim at 0 or below) (got '{value}')"
    )


def test_impossible_date_points_at_its_line(text: str) -> None:
    bad = edit(text, "published: 2020-02-25\n", "published: 2020-02-30\n")
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "published: 2020-02-30"))
    assert "'2020-02-30'" in problem.message


def test_unknown_kind(text: str, hitech: int) -> None:
    old = "    kind: stock\n    source: {section: 二、主要目标, quote: 高新技术企业突破900家}"
    bad = edit(text, old, old.replace("kind: stock", "kind: flow"))
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "kind: flow"))
    assert problem.message.startswith(f"targets[{hitech}].kind: ")
    assert "'cumulative', 'stock' or 'rate'" in problem.message
    assert "(got 'flow')" in problem.message


def test_unknown_comparison(text: str, hitech: int) -> None:
    bad = edit(
        text, "    value: 900\n    comparison: more_than", "    value: 900\n    comparison: above"
    )
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "comparison: above"))
    assert problem.message.startswith(f"targets[{hitech}].comparison: ")
    assert "'at_least', 'more_than', 'at_most' or 'less_than'" in problem.message
    assert "(got 'above')" in problem.message


def test_unknown_unit(text: str, hitech: int) -> None:
    bad = edit(text, "    unit: 家\n    value: 900", "    unit: 户\n    value: 900")
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "unit: 户"))
    assert problem.message.startswith(f"targets[{hitech}].unit: ")
    assert problem.message == (
        f"targets[{hitech}].unit: unknown unit '户' "
        "(built in: % 家 个 件 次 项 人 元 万元 亿元; declare others under `units:`)"
    )


def test_duplicate_target_id_points_at_the_second(text: str, plan_data: dict[str, Any]) -> None:
    second = index_of(plan_data["targets"], "id", "rd_institutions")
    task = index_of(plan_data["tasks"], "number", 9)
    bad = edit(text, "  - id: rd_institutions\n", "  - id: key_projects\n")
    plan, problems = parse_plan(bad, "plan.yaml")
    assert plan is None
    assert [(where(p), p.message) for p in problems] == [
        (
            ("schema", *position(bad, "id: key_projects\n    name: 省级以上")),
            f"targets[{second}].id: duplicate id 'key_projects' (already used in targets)",
        ),
        (  # rd_institutions is gone, so task 9, which serves it, names an unknown target
            ("schema", *position(bad, "rd_institutions]")),
            f"tasks[{task}].targets[0]: task of unknown target 'rd_institutions'",
        ),
    ]


def test_indicator_id_taken_by_a_target(text: str, plan_data: dict[str, Any]) -> None:
    gdp = index_of(plan_data["indicators"], "id", "gdp")
    ratio = index_of(plan_data["derivations"], "target", "rd_ratio")
    bad = edit(text, "  - id: gdp\n", "  - id: rd_ratio\n")
    plan, problems = parse_plan(bad, "plan.yaml")
    assert plan is None
    assert [(where(p), p.message) for p in problems] == [
        (
            ("schema", *position(bad, "id: rd_ratio\n    name: 地区生产总值")),
            f"indicators[{gdp}].id: duplicate id 'rd_ratio' (already used in targets)",
        ),
        (  # gdp is gone, so the derivation that divides by it names an unknown indicator
            ("schema", *position(bad, "denominator: gdp")),
            f"derivations[{ratio}].denominator: derivation names unknown indicator 'gdp'",
        ),
    ]


@pytest.mark.parametrize(
    ("target", "old", "new", "field"),
    [
        ("rd_ratio", "numerator: rd_expenditure", "numerator: rd_spending", "numerator"),
        ("rd_ratio", "denominator: gdp", "denominator: gross_product", "denominator"),
        ("tech_contract_growth", "of: tech_contract_turnover", "of: turnover", "of"),
    ],
)
def test_derivation_naming_an_unknown_indicator(
    text: str, plan_data: dict[str, Any], target: str, old: str, new: str, field: str
) -> None:
    index = index_of(plan_data["derivations"], "target", target)
    bad = edit(text, f"    {old}\n", f"    {new}\n")
    unknown = new.split(": ")[1]
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, new))
    assert problem.message == (
        f"derivations[{index}].{field}: derivation names unknown indicator {unknown!r}"
    )


def test_derivation_of_an_unknown_target(text: str, plan_data: dict[str, Any]) -> None:
    index = index_of(plan_data["derivations"], "target", "rd_ratio")
    bad = edit(text, "  - target: rd_ratio\n", "  - target: rd_intensity\n")
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "target: rd_intensity"))
    assert problem.message == (
        f"derivations[{index}].target: derivation of unknown target 'rd_intensity'"
    )


def test_task_naming_an_unknown_group(text: str, plan_data: dict[str, Any]) -> None:
    index = index_of(plan_data["tasks"], "number", 21)
    bad = edit(text, "number: 21, group: 七,", "number: 21, group: 八,")
    problem = parse_one(bad)
    assert where(problem) == ("schema", *position(bad, "group: 八"))
    assert problem.message == f"tasks[{index}].group: unknown group '八'"


# --- YAML 1.1 surprises never turn into booleans, octals or dates ------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "kept"),
    [
        ("    name: 高新技术企业\n", "name: on", "name", "on"),
        ("    name: 高新技术企业\n", "name: no", "name", "no"),
        ("    name_en: High-tech enterprises\n", "name_en: 2020-02-25", "name_en", "2020-02-25"),
        ("    name_en: High-tech enterprises\n", "name_en: 1:20", "name_en", "1:20"),
        ("    aliases: [高企]\n", "aliases: [off, 010]", "aliases", ["off", "010"]),
    ],
)
def test_yaml_11_scalars_in_string_fields_stay_as_written(
    text: str, old: str, new: str, field: str, kept: object
) -> None:
    indent = old[: len(old) - len(old.lstrip(" -"))]
    plan, problems = parse_plan(edit(text, old, f"{indent}{new}\n"), "plan.yaml")
    assert problems == []
    assert plan is not None
    target = plan.target("hitech_enterprises")
    assert target is not None
    assert getattr(target, field) == kept


def test_a_leading_zero_is_decimal_not_octal(text: str) -> None:
    plan, problems = parse_plan(edit(text, "    value: 900\n", "    value: 0900\n"), "plan.yaml")
    assert problems == []
    assert plan is not None
    target = plan.target("hitech_enterprises")
    assert target is not None and target.value == 900


def test_an_id_written_as_a_number_is_refused_as_written(text: str, hitech: int) -> None:
    bad = edit(text, "  - id: hitech_enterprises\n", "  - id: 010\n")
    _plan, problems = parse_plan(bad, "plan.yaml")
    problem = problems[0]  # then the tasks that serve hitech_enterprises name no target
    assert problem.line == position(bad, "id: 010")[0]
    assert problem.message.startswith(f"targets[{hitech}].id: String should match pattern")
    assert "(got '010')" in problem.message


# --- every problem is collected -----------------------------------------------------------------


def test_several_schema_problems_are_all_reported(text: str, hitech: int) -> None:
    bad = edit(text, "    value: 900\n", "    value: 0\n")
    bad = edit(bad, "    unit: 家\n    value: 0", "    unit: 户\n    value: 0")
    bad = edit(bad, "    aliases: [高企]\n", "    aliases: [高企]\n    colour: red\n")
    plan, problems = parse_plan(bad, "plan.yaml")
    assert plan is None
    assert sorted(where(p) for p in problems) == sorted(
        [
            ("schema", *position(bad, "unit: 户")),
            ("schema", *position(bad, "value: 0\n")),
            ("schema", *position(bad, "colour: red")),
        ]
    )


def test_reference_problems_are_reported_with_value_problems(text: str) -> None:
    bad = edit(text, "    value: 900\n", "    value: 0\n")
    bad = edit(bad, "  - id: rd_institutions\n", "  - id: key_projects\n")
    plan, problems = parse_plan(bad, "plan.yaml")
    assert plan is None
    assert sorted(where(p) for p in problems) == sorted(
        [
            ("schema", *position(bad, "value: 0\n")),
            ("schema", *position(bad, "id: key_projects\n    name: 省级以上")),
            ("schema", *position(bad, "rd_institutions]")),
        ]
    )


# --- unreadable files ---------------------------------------------------------------------------


def test_missing_plan_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(StiPlanError, match="no such file") as caught:
        load_plan(path)
    assert str(path) in str(caught.value)
    assert caught.value.exit_code == 2


def test_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(StiPlanError, match="directory") as caught:
        load_plan(tmp_path)
    assert caught.value.exit_code == 2

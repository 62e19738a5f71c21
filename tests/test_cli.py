"""The command line as a user runs it: stdout, stderr and exit code, checked separately."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from sti_plan import __version__
from sti_plan.actuals import load_actuals
from sti_plan.cli import app
from sti_plan.model import Plan
from sti_plan.plan_file import bundled_plan_path, load_plan
from sti_plan.progress import assess
from sti_plan.render.records import jsonable, status_document

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "actuals-2020-h1.csv"
MINI_PLAN = """\
id: mini
title: 小计划
title_en: A small plan
issuer: 测试局
year: 2020
published: 2020-01-15
targets:
  - id: projects
    name: 重点项目
    name_en: Key projects
    unit: 个
    value: 60
    comparison: at_least
    kind: cumulative
    source: {section: 二、主要目标, quote: 重点项目60个}
  - id: intensity
    name: 研发投入强度
    name_en: R&D intensity
    unit: "%"
    value: 3.1
    comparison: at_least
    kind: rate
    source: {section: 二、主要目标, quote: 研发投入强度达3.1%}
  - id: firms
    name: 高新技术企业
    name_en: High-tech firms
    unit: 家
    value: 900
    comparison: more_than
    kind: stock
    source: {section: 二、主要目标, quote: 高新技术企业突破900家}
"""
MINI_ACTUALS = "target,period,value,region\nprojects,2020-Q2,25,\nintensity,2020-06,3.0,\n"

Write = Callable[..., Path]


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


@pytest.fixture
def mini(write: Write) -> tuple[Path, Path]:
    return write("mini.yaml", MINI_PLAN), write("mini.csv", MINI_ACTUALS)


# ---------------------------------------------------------------- status


def test_status_table_shows_every_target_with_its_figures(
    runner: CliRunner, mini: tuple[Path, Path]
) -> None:
    plan, actuals = mini
    result = runner.invoke(app, ["status", str(actuals), "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    # projects: 25 of 60 by June; expected 60 x 6/12 = 30; 25 < 0.9 x 30 = 27 -> off track.
    # intensity: a rate, expected = 3.1; 3.0 >= 0.9 x 3.1 = 2.79 -> at risk; 3.0/3.1 = 96.77 %.
    assert lines(result.stdout) == [
        "小计划 · as of 2020-06",
        # A % target's gap is in percentage points: 3.1 - 3.0 = 0.1 pp. At 120 columns the
        # full names, the ids (what --target takes) and the bar all fit, one line a target.
        "Target        ID            Goal  Actual  Period   Expected     Gap  Progress        Status",
        "─" * 94,
        "重点项目      projects    ≥ 60个    25个  2020-Q2      30个    35个  ███░░░░░ 41.7%  off track",
        "研发投入强度  intensity   ≥ 3.1%      3%  2020-06      3.1%  0.1 pp  ███████░ 96.8%  at risk",
        "高新技术企业  firms      > 900家       –  –               –       –               –  no data",
        "3 targets, as of 2020-06: 0 achieved, 0 on track, 1 at risk, 1 off track, 0 missed, 1 no data",
    ]
    assert result.stderr == ""


def test_at_80_columns_the_ids_go_and_the_bar_narrows(
    runner: CliRunner, mini: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    plan, actuals = mini
    result = runner.invoke(app, ["status", str(actuals), "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert out[1] == "Target           Goal  Actual  Period   Expected     Gap  Progress     Status"
    # 25 of 60 is 41.7 %: 2 of a 5-cell bar (41.7 x 5 / 100 = 2.08, rounded down).
    assert (
        out[3] == "重点项目       ≥ 60个    25个  2020-Q2      30个    35个  ██░░░ 41.7%  off track"
    )
    assert all(cell_len(line) <= 80 for line in out)


def test_status_of_the_example_summarises_every_status(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["status", str(example)])
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert out[0] == "市科学技术局2020年工作要点 · as of 2020-06"
    # High-tech enterprises, a stock, are paced on their increase: 812 - 785 = 27 of the
    # 57.5 due by mid-year is below 0.9 x 57.5 = 51.75, so off track (once at risk).
    assert out[-2] == (
        "13 targets, as of 2020-06: 1 achieved, 2 on track, 3 at risk, 7 off track,"
        " 0 missed, 0 no data"
    )
    assert out[-1] == "Σ = sum of regional rows, ƒ = derived by the plan's formula"
    rd_ratio = next(line for line in out if line.startswith("R&D支出占GDP比重"))
    # 44.6 / 1708.9 x 100 = 2.6099 %, derived; 84.2 % of 3.1. Every figure is of 2020-06,
    # the as-of month: the period column is left out.
    assert rd_ratio.split() == [
        *("R&D支出占GDP比重", "≥", "3.1%", "2.61%", "ƒ", "3.1%", "0.49", "pp"),
        *("██████░░", "84.2%", "off", "track"),
    ]


def test_status_json_is_the_library_result(runner: CliRunner, example: Path, plan: Plan) -> None:
    result = runner.invoke(app, ["status", str(example), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = jsonable(status_document(assess(plan, load_actuals(example, plan))))
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))


def test_status_json_figures(runner: CliRunner, mini: tuple[Path, Path]) -> None:
    plan, actuals = mini
    result = runner.invoke(app, ["status", str(actuals), "--plan", str(plan), "-f", "json"])
    data = json.loads(result.stdout)
    assert data["as_of"] == "2020-06"
    assert data["counts"] == {
        "achieved": 0,
        "on_track": 0,
        "at_risk": 1,
        "off_track": 1,
        "missed": 0,
        "no_data": 1,
    }
    projects, intensity, firms = data["targets"]
    assert projects == {
        "id": "projects",
        "name": "重点项目",
        "name_en": "Key projects",
        "unit": "个",
        "gap_unit": "个",
        "kind": "cumulative",
        "comparison": "at_least",
        "target": 60,
        "actual": 25,
        "period": "2020-Q2",
        "basis": "reported",
        "baseline": None,
        "expected": 30,
        "percent_of_target": pytest.approx(41.666666666666667, abs=1e-12),
        "gap": 35,
        "to_meet": 35,  # at_least: the gap
        # 完成率 25 / 60 = 41.67 %, 序时进度 6/12 = 50 %: 8.33 points below pace.
        "progress_percent": pytest.approx(41.666666666666667, abs=1e-12),
        "pace_percent": 50,
        "vs_pace_pp": pytest.approx(-8.333333333333333, abs=1e-12),
        "growth": None,  # no 2019-Q2 row
        "regions": None,  # a whole-city row, not a regional sum
        "note": None,
        "stale": False,  # 2020-Q2 runs to June, the as-of month
        "pace": {"profile": "linear", "declared": "linear", "note": None},
        # 25 x 12 / 6 = 50 at the pace so far; no 2019 rows, so no seasonal figure: the
        # range is 50 alone, short of 60.
        "projection": {
            "run_rate": 50,
            "seasonal": None,
            "low": 50,
            "high": 50,
            "meets_target": False,
        },
        "compound": None,  # a plan of one year: no compound path
        "status": "off_track",
    }
    assert data["problems"] == []
    assert (intensity["actual"], intensity["gap"], intensity["status"]) == (3, 0.1, "at_risk")
    assert (intensity["gap_unit"], intensity["to_meet"]) == ("pp", 0.1)
    # A rate has no 完成率 nor 序时进度.
    assert intensity["progress_percent"] is intensity["pace_percent"] is None
    assert firms["status"] == "no_data"
    assert firms["actual"] is firms["expected"] is firms["gap"] is firms["to_meet"] is None


def test_status_csv_keeps_full_precision(runner: CliRunner, mini: tuple[Path, Path]) -> None:
    plan, actuals = mini
    result = runner.invoke(app, ["status", str(actuals), "--plan", str(plan), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0] == (
        "id,name,name_en,unit,gap_unit,kind,comparison,target,actual,period,basis,baseline,"
        "expected,percent_of_target,gap,to_meet,progress_percent,pace_percent,vs_pace_pp,"
        "growth,regions_reported,regions_expected,regions_missing,regions_period,note,stale,"
        "pace_profile,pace_declared,pace_note,projection_run_rate,projection_seasonal,"
        "projection_low,projection_high,projection_meets_target,compound_required_rate,"
        "compound_observed_rate,compound_ratio,status"
    )
    assert rows[1] == (
        "projects,重点项目,Key projects,个,个,cumulative,at_least,60,25,2020-Q2,reported,,"
        "30,41.66666666666666666666666667,35,35,41.66666666666666666666666667,50,"
        "-8.33333333333333333333333333,,,,,,,False,linear,linear,,50,,50,50,False,,,,off_track"
    )
    # A rate: neither paced nor projected.
    assert rows[2].endswith(
        ",3.1,3,2020-06,reported,,3.1,96.77419354838709677419354839,0.1,0.1,,,,,,,,,,False,"
        ",,,,,,,,,,,at_risk"
    )


def test_status_markdown(runner: CliRunner, mini: tuple[Path, Path]) -> None:
    plan, actuals = mini
    result = runner.invoke(app, ["status", str(actuals), "--plan", str(plan), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[:5] == [
        "## 小计划: status as of 2020-06",
        "",
        "| Target | ID | Goal | Actual | Period | Expected | Gap | Progress | Status |",
        "|---|---|---|---|---|---|---|---|---|",
        "| 重点项目 | projects | ≥ 60个 | 25个 | 2020-Q2 | 30个 | 35个 | 41.7% | off track |",
    ]


def test_as_of_picks_an_earlier_period(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["status", str(example), "--as-of", "2020-Q1", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2020-03"
    by_id = {t["id"]: t for t in data["targets"]}
    # talent_teams: 4 of 30 in Q1; expected 30 x 3/12 = 7.5; 4 < 6.75 -> off track.
    assert (by_id["talent_teams"]["actual"], by_id["talent_teams"]["expected"]) == (4, 7.5)
    assert by_id["talent_teams"]["status"] == "off_track"
    assert by_id["hitech_value_added_growth"]["actual"] == -4.6
    assert by_id["key_projects"]["status"] == "no_data"


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("June", "error: --as-of: not a period: 'June' (use e.g. 2020-06, 2020-Q2, 2020)"),
        ("2019-06", "error: --as-of: 2019-06 is not in the plan year 2020"),
    ],
)
def test_a_bad_as_of_is_a_usage_error(
    runner: CliRunner, example: Path, as_of: str, message: str
) -> None:
    result = runner.invoke(app, ["status", str(example), "--as-of", as_of])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


def test_actuals_default_to_actuals_csv_in_the_current_folder(
    runner: CliRunner, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "actuals.csv").write_bytes(example.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["gap", "--target", "rd_ratio", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["target"]["id"] == "rd_ratio"


def test_actuals_default_to_the_environment_variable(
    runner: CliRunner, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STI_PLAN_ACTUALS", str(example))
    result = runner.invoke(app, ["status", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["as_of"] == "2020-06"


def test_a_missing_actuals_file_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: actuals.csv: no such file\n"


def test_a_folder_given_as_actuals_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path}: is a directory, not an actuals file\n"


def test_a_missing_plan_is_exit_2(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["status", str(example), "--plan", "nowhere.yaml"])
    assert result.exit_code == 2
    assert result.stderr == "error: nowhere.yaml: no such file\n"


def test_an_invalid_plan_lists_its_problems_and_exits_1(
    runner: CliRunner, example: Path, write: Write
) -> None:
    bad = write("plan.yaml", MINI_PLAN.replace("value: 60", "value: 0"))
    result = runner.invoke(app, ["status", str(example), "--plan", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{bad}:12:5: schema: targets[0].value: a cumulative target must be above 0 "
        "(only a rate may aim at 0 or below) (got '0')\n"
    )


def test_bad_rows_are_reported_and_the_rest_still_shown(runner: CliRunner, write: Write) -> None:
    actuals = write(
        "actuals.csv",
        "target,period,value\nkey_projects,2020-06,32\nkey_projcts,2020-06,1\ntalent_teams,2020年3-6月,4\n",
    )
    result = runner.invoke(app, ["status", str(actuals), "-f", "json"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{actuals}:3:1: unknown-target: unknown target 'key_projcts'; did you mean 'key_projects'?",
        f"{actuals}:4:2: bad-period: not a period: '2020年3-6月' (a range must start in January: values are year-to-date)",
    ]
    shown = {t["id"]: t["actual"] for t in json.loads(result.stdout)["targets"]}
    assert shown["key_projects"] == 32


def test_a_file_with_nothing_usable_shows_only_the_problem(runner: CliRunner, write: Write) -> None:
    actuals = write("actuals.csv", "indicator,when,amount\n")
    result = runner.invoke(app, ["status", str(actuals)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{actuals}:1: missing-column: missing required column 'target' (or 指标/目标/指标名称)"
    )
    assert lines[3] == (
        f"{actuals}:1:1: warning: extra-column: unknown column 'indicator' (columns read are "
        "target, period, value, region, note, source, unit, or their Chinese names); ignored"
    )


def test_an_unknown_format_is_a_usage_error(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["status", str(example), "-f", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.stderr


# ---------------------------------------------------------------- gap


def test_gap_for_a_ratio_target_shows_the_numerator_needed(
    runner: CliRunner, example: Path
) -> None:
    result = runner.invoke(app, ["gap", "--target", "rd_ratio", str(example)])
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert out[0] == "R&D支出占GDP比重 rd_ratio · rate · ≥ 3.1%"
    # 3.1 % of GDP 1,708.9 = 52.9759; 44.6 reported; short by 8.3759.
    assert "研发经费投入 needed    52.98亿元 for ≥ 3.1% of 地区生产总值 1,708.9亿元" in out
    assert "研发经费投入 now       44.6亿元" in out
    assert "研发经费投入 short by  8.38亿元" in out


def test_gap_takes_a_chinese_name_or_alias(runner: CliRunner, example: Path) -> None:
    by_alias = runner.invoke(app, ["gap", "-t", "研发投入强度", str(example), "-f", "json"])
    by_name = runner.invoke(app, ["gap", "-t", "R&D支出占GDP比重", str(example), "-f", "json"])
    assert by_alias.exit_code == by_name.exit_code == 0
    assert json.loads(by_alias.stdout) == json.loads(by_name.stdout)
    assert json.loads(by_alias.stdout)["target"]["id"] == "rd_ratio"


def test_gap_json_for_a_cumulative_target(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(
        app, ["gap", "-t", "registered_achievements", str(example), "-f", "json"]
    )
    target = json.loads(result.stdout)["target"]
    # 430 by June: 430/6 = 71.67 a month so far; (1000 - 430) / 6 = 95 needed; 860 at this pace.
    assert target["remaining"] == 570
    assert (target["months_elapsed"], target["months_remaining"]) == (6, 6)
    assert target["pace_so_far"] == pytest.approx(430 / 6, abs=1e-12)
    assert target["pace_needed"] == 95
    assert target["projected_year_end"] == 860
    assert target["ratio"] is None and target["growth_need"] is None


def test_gap_for_a_growth_target(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["gap", "-t", "tech_contract_growth", str(example), "-f", "json"])
    growth = json.loads(result.stdout)["target"]["growth_need"]
    # 15 % over 30.5 (2019-06) = 35.075 needed by June; 34.8 reported.
    assert growth == {
        "of": "tech_contract_turnover",
        "base_period": "2019-06",
        "base_value": 30.5,
        "current_value": 34.8,
        "needed_value": 35.075,
        "year_end_base": None,
        "year_end_needed": None,
    }


def test_gap_for_an_unknown_target_suggests_one(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["gap", "-t", "rd_ration", str(example)])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --target: 'rd_ration' is not a target of the plan; did you mean 'rd_ratio'?\n"
    )


def test_gap_for_an_indicator_is_refused(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["gap", "-t", "gdp", str(example)])
    assert result.exit_code == 2
    assert "'gdp' is an indicator, not a target" in result.stderr


def test_gap_without_target_ranks_by_shortfall_against_expected(
    runner: CliRunner, example: Path
) -> None:
    result = runner.invoke(app, ["gap", str(example), "-f", "json"])
    assert result.exit_code == 0, result.output
    ranking = json.loads(result.stdout)["ranking"]
    # incubators: 0 of an expected 1.5 -> 100 % behind; tech_smes 1036 vs 851 expected -> ahead.
    assert [r["id"] for r in ranking[:2]] == ["incubators", "talent_teams"]
    assert ranking[0]["shortfall_vs_expected"] == 100
    assert ranking[1]["shortfall_vs_expected"] == 20  # (15 - 12) / 15
    assert ranking[-1]["id"] == "tech_smes"
    assert [r["rank"] for r in ranking] == list(range(1, 14))


# ---------------------------------------------------------------- validate


def test_validate_without_files_checks_the_bundled_plan(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "ok: 1 file checked, no problems\n"


def test_validate_plan_and_actuals_together(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["validate", str(bundled_plan_path()), str(example)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "ok: 2 files checked, no problems\n"


BAD_ACTUALS = [
    ("encoding-error", b"target,period,value\nkey_projects,2020-06,3\n\xff\xfe,2020,1\n", 3, None),
    ("empty-file", b"", 1, None),
    ("missing-column", b"target,period\nkey_projects,2020-06\n", 1, None),
    ("duplicate-column", b"target,period,value,value\nkey_projects,2020-06,3,3\n", 1, 4),
    ("missing-cell", b"target,period,value\nkey_projects,2020-06\n", 2, 3),
    ("extra-cell", b"target,period,value\nkey_projects,2020-06,3,4\n", 2, 4),
    ("unknown-target", b"target,period,value\nprojects,2020-06,3\n", 2, 1),
    ("bad-period", b"target,period,value\nkey_projects,2020-Q5,3\n", 2, 2),
    ("type-error", b"target,period,value\nkey_projects,2020-06,many\n", 2, 3),
    (
        "duplicate-row",
        b"target,period,value\nkey_projects,2020-06,3\nkey_projects,2020-Q2,4\n",
        3,
        None,
    ),
]


BAD_ACTUALS_WARNINGS = [
    ("extra-column", b"target,period,value,colour\nkey_projects,2020-06,3,red\n", 1, 4),
    ("header-only", b"target,period,value\n", 1, None),
]


@pytest.mark.parametrize(
    ("code", "content", "line", "col"),
    BAD_ACTUALS_WARNINGS,
    ids=[c[0] for c in BAD_ACTUALS_WARNINGS],
)
def test_validate_reports_each_actuals_warning_at_its_place_and_strict_fails(
    runner: CliRunner, write: Write, code: str, content: bytes, line: int, col: int | None
) -> None:
    path = write("actuals.csv", content)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    [reported] = result.stdout.splitlines()
    place = f"{path}:{line}" + (f":{col}" if col else "")
    assert reported.startswith(f"{place}: warning: {code}: "), reported
    strict = runner.invoke(app, ["validate", "--strict", str(path)])
    assert strict.exit_code == 1
    assert strict.stdout == result.stdout


@pytest.mark.parametrize(
    ("code", "content", "line", "col"), BAD_ACTUALS, ids=[c[0] for c in BAD_ACTUALS]
)
def test_validate_reports_each_actuals_problem_at_its_place(
    runner: CliRunner, write: Write, code: str, content: bytes, line: int, col: int | None
) -> None:
    path = write("actuals.csv", content)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    [reported] = result.stdout.splitlines()
    place = f"{path}:{line}" + (f":{col}" if col else "")
    assert reported.startswith(f"{place}: {code}: "), reported
    assert result.stderr == "1 problem in 1 file checked\n"


BAD_PLANS = [
    ("yaml-syntax", "targets: [\n", 2),
    ("duplicate-key", "id: a\nid: b\n", 2),
    (
        "schema",
        MINI_PLAN.replace("kind: rate", "kind: flow"),
        MINI_PLAN.splitlines().index("    kind: rate") + 1,
    ),
]


@pytest.mark.parametrize(("code", "text", "line"), BAD_PLANS, ids=[c[0] for c in BAD_PLANS])
def test_validate_reports_each_plan_problem_at_its_line(
    runner: CliRunner, write: Write, code: str, text: str, line: int
) -> None:
    path = write("plan.yaml", text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    [reported] = result.stdout.splitlines()
    assert reported.startswith(f"{path}:{line}:"), reported
    assert f": {code}: " in reported


def test_validate_collects_every_problem(runner: CliRunner, write: Write) -> None:
    path = write(
        "actuals.csv",
        "target,period,value\nkey_projects,2020-06,x\nkey_projects,2020-13,1\nnothing,2020,1\n",
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == [
        "type-error",
        "bad-period",
        "unknown-target",
    ]
    assert result.stderr == "3 problems in 1 file checked\n"


def test_validate_checks_actuals_against_the_plan_given_with_them(
    runner: CliRunner, mini: tuple[Path, Path], example: Path
) -> None:
    plan, actuals = mini
    assert runner.invoke(app, ["validate", str(plan), str(actuals)]).exit_code == 0
    # The example names targets the small plan does not have.
    result = runner.invoke(app, ["validate", str(plan), str(example)])
    assert result.exit_code == 1
    assert "unknown-target" in result.stdout


def test_validate_github_annotations(runner: CliRunner, write: Write) -> None:
    path = write("actuals.csv", "target,period,value\nkey_projects,2020-06,50%,\n")
    result = runner.invoke(app, ["validate", str(path), "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"::error file={path},line=2,col=3,title=unit-mismatch::"
        "value '50%25' is in %25, the target in 个\n"
    )


def test_validate_json_report(runner: CliRunner, write: Write, example: Path) -> None:
    bad = write("bad.csv", "target,period,value\nkey_projects,2020-06,1\nkey_projects,2020-06,2\n")
    result = runner.invoke(app, ["validate", str(example), str(bad), "-f", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problem_count"] == 1
    assert [(f["path"], f["kind"], f["rows"], f["valid"]) for f in report["files"]] == [
        (str(example), "actuals", 20, True),
        (str(bad), "actuals", 2, False),
    ]
    assert report["files"][1]["problems"] == [
        {
            "code": "duplicate-row",
            "path": str(bad),
            "line": 3,
            "col": None,
            "sheet": None,
            "message": "key_projects for the whole city in 2020-06 is already given at line 2",
            "severity": "error",
        }
    ]


def test_validate_refuses_a_file_it_cannot_classify(runner: CliRunner, write: Write) -> None:
    path = write("notes.md", "hello")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: cannot tell what this file is")


# ---------------------------------------------------------------- targets, template, schema


def test_targets_lists_targets_then_indicators(runner: CliRunner) -> None:
    result = runner.invoke(app, ["targets", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0] == "id,role,name,name_en,unit,kind,comparison,target,aliases,derived_by"
    assert len(rows) == 1 + 13 + 2
    assert rows[9] == (
        "rd_ratio,target,R&D支出占GDP比重,R&D expenditure as a share of GDP,%,rate,at_least,"
        "3.1,研发投入强度|R&D投入强度,ratio"
    )
    assert rows[-1].startswith("tech_contract_turnover,indicator,企业吸纳技术合同成交额,")


def test_targets_table_and_markdown(runner: CliRunner) -> None:
    table = runner.invoke(app, ["targets"])
    markdown = runner.invoke(app, ["targets", "-f", "markdown"])
    assert table.exit_code == markdown.exit_code == 0
    assert "hitech_enterprises" in table.stdout and "高企" in table.stdout
    assert "| hitech_enterprises | target | 高新技术企业 |" in markdown.stdout


def test_template_filled_in_is_valid_and_gives_a_status(
    runner: CliRunner, write: Write, plan: Plan
) -> None:
    result = runner.invoke(app, ["template", "--period", "2020-06"])
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0] == "target,period,value,region,note,source"
    body = rows[1:]
    assert [r.split(",")[0] for r in body[:15]] == [m.id for m in plan.measures]
    assert all(r.split(",")[1] == "2020-06" for r in body[:15])
    # Then the baselines the figures use: stock levels at the end of 2019, last year's June.
    assert [",".join(r.split(",")[:2]) for r in body[15:]] == [
        "tech_smes,2019",
        "hitech_enterprises,2019",
        "tech_contract_turnover,2019-06",
    ]
    filled = "\n".join([rows[0], *(r.replace(",,,", ",1,,", 1) for r in body)]) + "\n"
    path = write("filled.csv", filled)
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    status = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert status.exit_code == 0
    assert all(t["status"] != "no_data" for t in json.loads(status.stdout)["targets"])


def test_template_refuses_a_bad_period(runner: CliRunner) -> None:
    result = runner.invoke(app, ["template", "--period", "mid-year"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --period: not a period: 'mid-year'")


def test_schema_prints_the_committed_schema(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    committed = bundled_plan_path().with_name("plan.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"sti-plan {__version__}\n"


def test_python_dash_m_runs_the_cli(example: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sti_plan", "status", str(example), "-f", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] == "2020-06"


def test_bundled_plan_is_valid() -> None:
    plan, problems = load_plan(bundled_plan_path())
    assert problems == []
    assert plan is not None and plan.year == 2020


def test_the_public_api_gives_what_the_cli_shows(runner: CliRunner, example: Path) -> None:
    import sti_plan

    plan, problems = sti_plan.load_plan(sti_plan.bundled_plan_path())
    assert problems == [] and plan is not None
    report = sti_plan.assess(plan, sti_plan.load_actuals(example, plan))
    shown = json.loads(runner.invoke(app, ["status", str(example), "-f", "json"]).stdout)
    assert [a.status.value for a in report.assessments] == [t["status"] for t in shown["targets"]]
    assert sti_plan.validate_files([example]).valid


def loaded_after(args: list[str], modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a run of sti-plan with `args` imports."""
    script = (
        "import sys\n"
        f"sys.argv = ['sti-plan', *{args!r}]\n"
        "from sti_plan.cli import app\n"
        "try:\n"
        "    app()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.stdout, done.stderr
    return json.loads(done.stdout.splitlines()[-1].replace("'", '"'))


@pytest.mark.parametrize(
    "args",
    [
        ["status", str(EXAMPLE), "-f", "json"],
        ["status", str(EXAMPLE), "-f", "csv"],
        ["gap", str(EXAMPLE), "-f", "json"],
        ["validate", str(EXAMPLE)],
        ["schema"],
    ],
)
def test_data_formats_and_validate_do_not_load_rich(args: list[str]) -> None:
    assert loaded_after(args, ("rich",)) == []


def test_the_table_does_load_rich() -> None:  # the check above can fail
    assert loaded_after(["status", str(EXAMPLE)], ("rich",)) == ["rich"]


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_load_no_heavy_dependency(args: list[str]) -> None:
    """Start-up stays instant: pydantic, yaml and rich load only when a command needs them."""
    assert loaded_after(args, ("pydantic", "yaml", "rich")) == []

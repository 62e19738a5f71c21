"""The regions seen whole: the regions x targets matrix, one region's status against its
shares, and the template a region fills in. Figures from the illustrative district file
(examples/districts-2020-h1.csv) and its allocations, worked out by hand."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.cells import cell_len
from typer.testing import CliRunner

from sti_plan.actuals import read_actuals
from sti_plan.bulletin import bulletins, region_report
from sti_plan.cli import app
from sti_plan.model import Plan
from sti_plan.observations import Actuals
from sti_plan.results import Status

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DISTRICTS = EXAMPLES / "districts-2020-h1.csv"
SHARES = EXAMPLES / "allocations-2020.csv"
ALL = ["--allocations", str(SHARES)]
Write = Callable[[str, str | bytes], Path]


def read(plan: Plan, *rows: str) -> Actuals:
    text = "target,period,value,region\n" + "".join(f"{row}\n" for row in rows)
    return read_actuals(text.splitlines(True), plan)


def invoke(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, list(args))


def as_json(runner: CliRunner, *args: str) -> Any:
    result = invoke(runner, *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def words(line: str) -> list[str]:
    return line.split()


# ---------------------------------------------------------------- the matrix


def test_the_matrix_is_every_targets_bulletin(runner: CliRunner) -> None:
    data = as_json(runner, "regions", str(DISTRICTS), *ALL)
    assert list(data) == ["schema_version", "plan", "as_of", "regions", "targets", "problems"]
    assert [r["region_id"] for r in data["regions"]] == [
        *("jinghu", "yijiang", "jiujiang", "wanzhi", "fanchang", "nanling", "wuwei"),
        *("city_level", "etdz", "hitech_zone"),
    ]
    assert list(data["regions"][0]) == ["region", "region_id", "kind", "in_total", "parent"]
    assert len(data["targets"]) == 13
    assert all(
        list(t) == ["target", "period", "ranked_by", "regions", "city"] for t in data["targets"]
    )
    by_id = {t["target"]["id"]: t for t in data["targets"]}
    # Each row is the target's own bulletin, ranked its default way.
    alone = as_json(runner, "regions", str(DISTRICTS), *ALL, "-t", "hitech_enterprises")
    assert by_id["hitech_enterprises"]["regions"] == alone["regions"]
    assert by_id["hitech_enterprises"]["city"] == alone["city"]
    assert by_id["rd_ratio"]["ranked_by"] == "actual"  # a rate ranks by its value
    assert by_id["key_projects"]["ranked_by"] == "progress"
    assert data["problems"][0]["code"] == "incomplete-regions"


def test_the_matrix_table(runner: CliRunner) -> None:
    result = invoke(runner, "regions", str(DISTRICTS), *ALL)
    assert result.exit_code == 0, result.output
    out = [line.rstrip() for line in result.stdout.splitlines()]
    assert out[0].startswith("市科学技术局2020年工作要点 · the regions · as of 2020-06")
    assert words(out[1]) == [
        *("Target", "全市", "镜湖", "弋江", "鸠江", "湾沚", "繁昌", "南陵", "无为"),
        *("市本级", "经开区", "高新区"),
    ]
    # 高新技术企业, a stock against each share from each region's 2019 year-end. The city:
    # 合计 827 against 785, (827 - 785) / (900 - 785) = 36.52 %: 37 %, off track. 镜湖
    # (162 - 150) / (175 - 150) = 48 % (12 of the 12.5 due by June >= 0.9 x 12.5: at risk),
    # 弋江 6/20 = 30 %, 鸠江 11/25 = 44 %, 湾沚 3/15, 南陵 2/10, 无为 3/15 and 市本级 1/5 all
    # 20 %, 繁昌 4/15 = 27 %; 经开区 10/20 = 50 % (on track: no mark), 高新区 6/15 = 40 %.
    assert words(out[3]) == [
        *("高新技术企业", "37%▼", "48%▽", "30%▼", "44%▼", "20%▼", "27%▼", "20%▼"),
        *("20%▼", "20%▼", "50%", "40%▼"),
    ]
    # 国家和省级重点科技项目: the city waits for 南陵: May's 24 / 60 = 40 %, at risk (24 >=
    # 0.9 x 25), marked ! as from an earlier complete period; 镜湖 6/10 = 60 %, 弋江 4/8 =
    # 50 %, 鸠江 7/12 = 58 %, 湾沚 3/7 = 43 % (3 < 0.9 x 3.5: off track), 繁昌 3/6 = 50 %,
    # 南陵 not reported, 无为 4/7 = 57 %, 市本级 2/5 = 40 %, 经开区 4/9 = 44 %, 高新区 3/8.
    assert words(out[4]) == [
        *("国家和省级重点科技项目", "40%▽!", "60%", "50%", "58%", "43%▼", "50%", "–"),
        *("57%", "40%▼", "44%▼", "38%▼"),
    ]
    assert len([line for line in out if "%" in line and not line.startswith("完成率")]) == 2
    # the marks used, and only those
    assert "▽ at risk, ▼ off track, ! the city's latest regional rows are incomplete" in out
    assert (
        "国家和省级重点科技项目 全市: 2020-06: 7 of 8 regions reported (南陵县 not); "
        "2020-05 is shown"
    ) in out
    assert any(line.startswith("not reported by any region or the city (11): ") for line in out)


@pytest.mark.parametrize("width", [60, 75, 80])
def test_a_narrow_matrix_goes_on_in_a_second_table(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = invoke(runner, "regions", str(DISTRICTS), *ALL).stdout.splitlines()
    assert max(cell_len(line.rstrip()) for line in out) <= width
    headings = [words(line) for line in out if line.startswith("Target")]
    assert len(headings) >= 2
    # Every table has the targets and the city; every region is in one of them, whole.
    assert all(h[:2] == ["Target", "全市"] for h in headings)
    regions = [name for h in headings for name in h[2:]]
    assert regions == [
        *("镜湖", "弋江", "鸠江", "湾沚", "繁昌", "南陵", "无为", "市本级", "经开区", "高新区"),
    ]
    rows = [words(line) for line in out if line.startswith("高新技术企业")]
    assert [row[1] for row in rows] == ["37%▼"] * len(headings)
    assert [cell for row in rows for cell in row[2:]] == [
        *("48%▽", "30%▼", "44%▼", "20%▼", "27%▼", "20%▼", "20%▼", "20%▼", "50%", "40%▼"),
    ]


def test_a_target_only_the_city_reports_has_its_row(runner: CliRunner) -> None:
    example = EXAMPLES / "actuals-2020-h1.csv"
    out = invoke(runner, "regions", str(example), *ALL).stdout.splitlines()
    # 高新技术企业 812 for the whole city, no regional rows: its row, the city's figure,
    # (812 - 785) / (900 - 785) = 23.48 %, off track, and – for every region.
    row = next(words(line) for line in out if line.startswith("高新技术企业"))
    assert row == ["高新技术企业", "23%▼", *["–"] * 10]


def test_a_row_of_an_earlier_period_says_so(runner: CliRunner, write: Write) -> None:
    actuals = write(
        "a.csv",
        "target,period,value,region\n"
        "key_projects,2020-03,3,镜湖区\nhitech_enterprises,2020-06,162,镜湖区\n",
    )
    out = invoke(runner, "regions", str(actuals), *ALL).stdout.splitlines()
    assert "as of 2020-06" in out[0]
    # 镜湖区's 3 of 10 is March's: 30 %; the name says the period, after the short name
    # (国家和省级重点科技项目 (2020-03) is wider than the 24 cells a name may take). The city has
    # no complete period: –, marked !.
    row = next(line for line in out if line.startswith("重点科技项目 (2020-03)"))
    assert words(row)[2:4] == ["–!", "30%"]


def test_the_matrix_in_markdown_and_csv(runner: CliRunner) -> None:
    markdown = invoke(runner, "regions", str(DISTRICTS), *ALL, "-f", "markdown").stdout
    assert "| 高新技术企业 | 37%▼ | 48%▽ | 30%▼ | 44%▼ |" in markdown
    assert "| 国家和省级重点科技项目 | 40%▽! | 60% | 50% | 58% | 43%▼ | 50% | – |" in markdown
    rows = list(
        csv.DictReader(
            io.StringIO(invoke(runner, "regions", str(DISTRICTS), *ALL, "-f", "csv").stdout)
        )
    )
    assert len(rows) == 13 * 11  # ten regions and the city for each target
    assert list(rows[0])[:4] == ["target_id", "target_name", "region", "region_id"]
    jinghu = next(r for r in rows if (r["target_id"], r["region_id"]) == ("key_projects", "jinghu"))
    assert (jinghu["progress_percent"], jinghu["rank"], jinghu["status"]) == ("60", "1", "on_track")


def test_a_rate_in_the_matrix_shows_its_value(runner: CliRunner, write: Write) -> None:
    actuals = write(
        "a.csv",
        "target,period,value,region\n"
        "hitech_value_added_growth,2020-06,12.5,镜湖区\n"
        "hitech_value_added_growth,2020-06,9.75,弋江区\n",
    )
    shares = write("s.csv", "指标,镜湖区\n高新技术产业增加值增长,10\n")
    result = invoke(runner, "regions", str(actuals), "--allocations", str(shares))
    # 高新技术产业增加值增长 (%) takes 26 cells: its short name is shown.
    row = next(line for line in result.stdout.splitlines() if line.startswith("高新产业增速"))
    # 镜湖区 12.5 against its 10 (on track, no mark); 弋江区 has no share: its value; the
    # city has no row, and a rate is not added up: – first.
    assert words(row)[2:5] == ["–", "12.5", "9.75"]
    assert words(row)[-1] == "–"
    assert "(%)" in result.stdout  # a rate's unit, after its name


def test_the_matrix_core(plan: Plan) -> None:
    actuals = read(plan, "key_projects,2020-06,6,镜湖区", "key_projects,2020-06,4,弋江区")
    matrix = bulletins(plan, actuals)
    assert [b.target.id for b in matrix.bulletins] == [t.id for t in plan.targets]
    projects = next(b for b in matrix.bulletins if b.target.id == "key_projects")
    assert [(s.region_id, s.actual) for s in projects.regions[:2]] == [
        ("jinghu", 6),
        ("yijiang", 4),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "growth"], "--by ranks one target's bulletin: give --target ID with it"),
        (["--as-of", "2019-06"], "--as-of: 2019-06 is not in the plan year 2020"),
    ],
)
def test_matrix_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = invoke(runner, "regions", str(DISTRICTS), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_the_matrix_needs_declared_regions(runner: CliRunner, free_plan_path: Path) -> None:
    result = invoke(runner, "regions", str(DISTRICTS), "--plan", str(free_plan_path))
    assert result.exit_code == 2
    assert "the plan declares no regions" in result.stderr


# ---------------------------------------------------------------- one region's status


def test_one_regions_status_against_its_shares(runner: CliRunner) -> None:
    data = as_json(runner, "status", str(DISTRICTS), *ALL, "--region", "镜湖")
    assert list(data) == [
        *("schema_version", "plan", "as_of", "region", "counts", "no_share", "targets"),
        "problems",
    ]
    assert data["region"] == {
        "region": "镜湖区",
        "region_id": "jinghu",
        "kind": "district",
        "in_total": True,
        "parent": None,
    }
    rows = {t["id"]: t for t in data["targets"]}
    assert len(rows) == 13
    hitech = rows["hitech_enterprises"]
    # Share 175 from the 2019 year-end 150: expected 150 + 25 x 6/12 = 162.5; 162 is 12 of
    # the 12.5 due (>= 0.9 x 12.5): at risk; 完成率 12 / 25 = 48 %, 2 points below 50 %;
    # the first of the eight regions the total counts.
    assert (hitech["city_target"], hitech["target"], hitech["actual"]) == (900, 175, 162)
    assert (hitech["baseline"], hitech["expected"], hitech["gap"]) == (150, 162.5, 13)
    assert (hitech["progress_percent"], hitech["vs_pace_pp"]) == (48, -2)
    assert (hitech["status"], hitech["rank"], hitech["rank_of"]) == ("at_risk", 1, 8)
    projects = rows["key_projects"]
    # 6 of 10, expected 5: on track; 同比 6 / 5 - 1 = +20 %; first of the seven that reported
    # June (南陵县 has not).
    assert (projects["target"], projects["actual"], projects["expected"]) == (10, 6, 5)
    assert (projects["status"], projects["growth"]) == ("on_track", 20)
    assert (projects["rank"], projects["rank_of"]) == (1, 7)
    # 登记科技成果: a share of 200 and no row: no data.
    achievements = rows["registered_achievements"]
    assert (achievements["target"], achievements["actual"], achievements["status"]) == (
        200,
        None,
        "no_data",
    )
    # The rest have no share: nothing to assess against.
    assert (rows["rd_ratio"]["target"], rows["rd_ratio"]["status"]) == (None, None)
    assert data["counts"] == {
        "achieved": 0,
        "on_track": 1,
        "at_risk": 1,
        "off_track": 0,
        "missed": 0,
        "no_data": 1,
    }
    assert data["no_share"] == 10
    assert list(hitech) == [
        *("id", "name", "name_en", "unit", "gap_unit", "kind", "comparison"),
        *("city_target", "target"),
        *("actual", "period", "baseline", "expected", "percent_of_target", "progress_percent"),
        *("pace_percent", "vs_pace_pp", "growth", "gap", "status", "rank", "rank_of"),
    ]


def test_a_zone_is_ranked_among_the_zones(runner: CliRunner) -> None:
    data = as_json(runner, "status", str(DISTRICTS), *ALL, "--region", "经开区")
    rows = {t["id"]: t for t in data["targets"]}
    # 芜湖经济技术开发区: 高企 110 -> 120 against 130: 10 of 20 = 50 %, expected 120: on
    # track, first of the two zones; 重点项目 4 of 9 = 44.44 %, 4 < 0.9 x 4.5: off track.
    assert (rows["hitech_enterprises"]["status"], rows["hitech_enterprises"]["rank"]) == (
        "on_track",
        1,
    )
    assert rows["hitech_enterprises"]["rank_of"] == 2
    assert rows["key_projects"]["status"] == "off_track"
    assert rows["key_projects"]["rank_of"] == 2
    assert data["region"]["in_total"] is False
    assert data["no_share"] == 11  # 登记科技成果 is '—' for the zones


def test_the_region_table(runner: CliRunner) -> None:
    result = invoke(runner, "status", str(DISTRICTS), *ALL, "--region", "jinghu")
    assert result.exit_code == 0, result.output
    out = [line.rstrip() for line in result.stdout.splitlines()]
    assert out[0].startswith("镜湖区 (jinghu) · 市科学技术局2020年工作要点 · as of 2020-06")
    assert words(out[3]) == [
        *("高新技术企业", "175家", "162家", "2020-06", "48%", "50%", "-2", "pp", "–"),
        *("at", "risk", "1/8"),
    ]
    assert words(out[4])[:4] == ["国家和省级重点科技项目", "10个", "6个", "2020-06"]
    assert words(out[5])[:3] == ["登记科技成果", "200件", "not"]
    # Targets with neither a share nor a row are named beneath, not shown as empty rows.
    assert out[6] == (
        "13 targets, as of 2020-06: 1 on track, 1 at risk, 1 no data; 10 without a share"
    )
    assert out[7].startswith("no share and not reported (10): 高新技术产业增加值增长, ")


def test_the_region_table_at_80_columns_keeps_the_name(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke(runner, "status", str(DISTRICTS), *ALL, "--region", "镜湖")
    out = result.stdout.splitlines()
    assert words(out[1]) == [
        *("Target", "Share", "Actual", "Progress", "vs", "pace", "Growth", "Status", "Rank"),
    ]
    assert words(out[3])[:4] == ["高新技术企业", "175家", "162家", "48%"]
    assert max(cell_len(line.rstrip()) for line in out) <= 80


def test_the_region_in_markdown_and_csv(runner: CliRunner) -> None:
    markdown = invoke(runner, "status", str(DISTRICTS), *ALL, "--region", "镜湖", "-f", "markdown")
    assert "| 高新技术企业 | 175家 | 162家 | 2020-06 | 48% | 50% | -2 pp | – | at risk | 1/8 |" in (
        markdown.stdout
    )
    table = invoke(runner, "status", str(DISTRICTS), *ALL, "--region", "镜湖", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert len(rows) == 13  # every target, shared or not
    assert rows[2]["id"] == "hitech_enterprises"
    assert (rows[2]["target"], rows[2]["rank"], rows[2]["rank_of"]) == ("175", "1", "8")


def test_the_whole_city_as_a_region_is_the_status(runner: CliRunner) -> None:
    alone = invoke(runner, "status", str(DISTRICTS), *ALL, "-f", "json").stdout
    for name in ("全市", "芜湖市"):
        result = invoke(runner, "status", str(DISTRICTS), *ALL, "--region", name, "-f", "json")
        assert result.stdout == alone


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("镜糊区", "--region: '镜糊区' is not a region of the plan; did you mean '镜湖区'?"),
        ("Atlantis", "--region: 'Atlantis' is not a region of the plan; the plan's"),
    ],
)
def test_an_unknown_region_is_a_usage_error(runner: CliRunner, region: str, message: str) -> None:
    result = invoke(runner, "status", str(DISTRICTS), "--region", region)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_region_needs_declared_regions(runner: CliRunner, free_plan_path: Path) -> None:
    result = invoke(
        runner, "status", str(DISTRICTS), "--plan", str(free_plan_path), "--region", "镜湖区"
    )
    assert result.exit_code == 2
    assert "--region: the plan declares no regions" in result.stderr


def test_a_town_has_its_own_figures_and_no_rank(
    runner: CliRunner, write: Write, plan_data: dict[str, Any]
) -> None:
    towns = [
        {"id": "jishan", "name": "籍山镇", "kind": "town", "parent": "nanling"},
        {"id": "xuzhen", "name": "许镇镇", "kind": "town", "parent": "nanling"},
    ]
    plan_path = write(
        "plan.yaml",
        yaml.safe_dump(
            {**plan_data, "regions": [*plan_data["regions"], *towns]}, allow_unicode=True
        ),
    )
    actuals = write(
        "a.csv",
        "target,period,value,region\n"
        "key_projects,2020-06,2,籍山镇\nkey_projects,2020-06,1,许镇镇\n"
        "key_projects,2020-06,6,镜湖区\n",
    )
    shares = write("s.csv", "指标,籍山镇,南陵县,镜湖区\n重点科技项目,3,5,10\n")
    args = ["--plan", str(plan_path), "--allocations", str(shares)]
    data = as_json(runner, "status", str(actuals), *args, "--region", "籍山")
    projects = next(t for t in data["targets"] if t["id"] == "key_projects")
    # 籍山镇: 2 of its 3, expected 1.5: on track, 66.67 %; towns are not ranked in the
    # bulletin (their county is, on their sum: 南陵县 3 of 5 = 60 %, tied first with 镜湖区's
    # 6 of 10).
    assert (projects["actual"], projects["status"]) == (2, "on_track")
    assert projects["progress_percent"] == pytest.approx(200 / 3, abs=1e-12)
    assert (projects["rank"], projects["rank_of"]) == (None, None)
    assert data["region"]["parent"] == "nanling"
    county = as_json(runner, "status", str(actuals), *args, "--region", "南陵")
    projects = next(t for t in county["targets"] if t["id"] == "key_projects")
    assert (projects["actual"], projects["progress_percent"], projects["rank"]) == (3, 60, 1)


def test_the_region_report_core(plan: Plan) -> None:
    actuals = read(plan, "key_projects,2020-06,6,镜湖区", "key_projects,2020-06,4,弋江区")
    region = plan.region("yijiang")
    assert region is not None
    report = region_report(plan, actuals, region)
    projects = next(r for r in report.targets if r.target.id == "key_projects")
    # No allocations: the actual, and no share to give a status or a 完成率 to rank by.
    assert (projects.standing.actual, projects.standing.target) == (4, None)
    assert (projects.standing.status, projects.standing.rank, projects.rank_of) == (
        None,
        None,
        None,
    )
    assert report.no_share == 13
    assert report.counts()[Status.NO_DATA] == 0


# ---------------------------------------------------------------- the template by region


def template(runner: CliRunner, *args: str) -> list[list[str]]:
    result = invoke(runner, "template", "--by-region", *args)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def test_the_template_has_a_block_for_each_region(runner: CliRunner, plan: Plan) -> None:
    rows = template(runner, "--period", "2020-06")
    assert rows[0] == ["target", "period", "value", "region", "note", "source"]
    body = rows[1:]
    # Each of the ten regions: 15 measures for 2020-06, the two stocks' 2019 year-end levels,
    # and the same period of 2019 for the growth target's base: 18 rows; then the city's row
    # of the one rate reported rather than derived (高新技术产业增加值增长).
    assert len(body) == 10 * 18 + 1
    assert [r[3] for r in body[:18]] == ["镜湖区"] * 18
    assert [r[3] for r in body[162:180]] == ["芜湖高新技术产业开发区"] * 18
    assert body[0][:4] == ["hitech_value_added_growth", "2020-06", "", "镜湖区"]
    assert body[15][:4] == ["tech_smes", "2019", "", "镜湖区"]
    assert body[17][:4] == ["tech_contract_turnover", "2019-06", "", "镜湖区"]
    assert body[-1][:4] == ["hitech_value_added_growth", "2020-06", "", ""]
    assert {r[3] for r in body} == {"", *(region.name for region in plan.regions)}


def test_a_filled_template_adds_up_for_the_city(runner: CliRunner, write: Write) -> None:
    rows = template(runner, "--period", "2020-06")
    for row in rows[1:]:
        row[2] = "1"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    filled = write("filled.csv", buffer.getvalue())
    result = invoke(runner, "status", str(filled), "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # complete: no region missing, no total contradicted
    targets = {t["id"]: t for t in json.loads(result.stdout)["targets"]}
    # Eight regions the total counts (the two zones are inside their districts): 8.
    assert (targets["key_projects"]["actual"], targets["key_projects"]["basis"]) == (
        8,
        "regional_sum",
    )
    # The rate comes from the city's own row.
    assert (targets["hitech_value_added_growth"]["actual"],) == (1,)
    # R&D / GDP from the sums: 8 / 8 x 100 = 100 %.
    assert (targets["rd_ratio"]["actual"], targets["rd_ratio"]["basis"]) == (100, "derived")


def test_the_template_by_region_needs_declared_regions(
    runner: CliRunner, free_plan_path: Path
) -> None:
    result = invoke(runner, "template", "--by-region", "--plan", str(free_plan_path))
    assert result.exit_code == 2
    assert "--by-region: the plan declares no regions" in result.stderr


def test_strict_regions_fail_on_a_missing_region_and_write_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "matrix.md"
    out.write_text("previous", encoding="utf-8")
    args = ["regions", str(DISTRICTS), *ALL, "-f", "markdown", "-o", str(out)]
    strict = invoke(runner, *args, "--strict")
    # 南陵县 has not reported key_projects for June: a warning, under --strict a failure.
    assert strict.exit_code == 1
    assert "warning: incomplete-regions: key_projects 2020-06: 南陵县" in strict.stderr
    assert out.read_text(encoding="utf-8") == "previous"
    lenient = invoke(runner, *args)
    assert lenient.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("## 市科学技术局2020年工作要点 · the regions")

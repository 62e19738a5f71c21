"""The layouts bureau staff send (README, "Layouts"): one set of figures, written in every
layout, reads as the same figures as the tidy file."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sti_plan.actuals import load_actuals, read_actuals
from sti_plan.cli import app
from sti_plan.model import Plan
from sti_plan.observations import Actuals
from sti_plan.periods import parse_period

openpyxl = pytest.importorskip("openpyxl")

Figures = dict[tuple[str, str], dict[str, Decimal]]

# The figures, by hand: (target, period) -> region (全市 for the whole city) -> value in the
# target's unit. 重点科技项目资金 is in 亿元: 2100万元 = 0.21亿元, 4600万元 = 0.46亿元.
Q1: Figures = {
    ("hitech_enterprises", "2020-03"): {"全市": Decimal(800)},
    ("key_project_funding", "2020-03"): {"全市": Decimal("0.21")},
}
H1: Figures = {
    ("hitech_enterprises", "2020-06"): {"全市": Decimal(812)},
    ("key_project_funding", "2020-06"): {"全市": Decimal("0.46")},
}
REGIONAL: Figures = {
    ("rd_institutions", "2020-06"): {
        "jinghu": Decimal(1),
        "yijiang": Decimal(1),
        "jiujiang": Decimal(2),
        "全市": Decimal(4),
    },
}

TIDY = (
    "target,period,value,region\n"
    "hitech_enterprises,2020-03,800,\n"
    "hitech_enterprises,2020-06,812,\n"
    "key_project_funding,2020-03,0.21,\n"
    "key_project_funding,2020-06,0.46,\n"
    "rd_institutions,2020-06,1,镜湖区\n"
    "rd_institutions,2020-06,1,弋江区\n"
    "rd_institutions,2020-06,2,鸠江区\n"
    "rd_institutions,2020-06,4,\n"
)


def figures(actuals: Actuals) -> Figures:
    """What a file reports, as the figures above are written."""
    found: Figures = {}
    for measure, periods in actuals.values.items():
        for (year, months), reported in periods.items():
            values = {region: value for region, (value, _) in reported.region_values().items()}
            if reported.city_line:
                assert reported.city is not None
                values["全市"] = reported.city
            found[measure, f"{year}-{months:02d}"] = values
    return found


Read = Callable[[str], Actuals]


@pytest.fixture
def read(plan: Plan) -> Read:
    def read_text(text: str) -> Actuals:
        return read_actuals(io.StringIO(text, newline=""), plan, "sheet.csv")

    return read_text


def clean(actuals: Actuals) -> Actuals:
    assert actuals.problems == [], actuals.problems
    return actuals


def test_the_tidy_file_gives_the_figures(read: Read) -> None:
    assert figures(clean(read(TIDY))) == Q1 | H1 | REGIONAL


LONG_LAYOUTS = {
    "title, 序号, 单位 and 责任单位 columns": (
        "2020年1-6月主要科技指标完成情况,,,,,\n"
        "填报单位：市科技局,,,,,\n"
        "序号,指标名称,统计期,完成值,单位,责任单位\n"
        "1,高新技术企业,2020年1-3月,800,家,高新处\n"
        "2,高新技术企业,2020年1-6月,812,家,高新处\n"
        "3,重点科技项目资金,2020年1-3月,2100,万元,计划处\n"
        "4,重点科技项目资金,2020年1-6月,4600,万元,计划处\n",
        Q1 | H1,
    ),
    "计量单位 column and a blank row under the title": (
        "主要科技指标月报\n"
        "\n"
        "指标,期间,数值,计量单位\n"
        "高企,2020-03,800,\n"
        "高企,2020-06,812,家\n"
        "重点科技项目资金,2020-03,0.21,亿元\n"
        "重点科技项目资金,2020-06,4600,万元\n",
        Q1 | H1,
    ),
    "the unit in the value's header": (
        "指标,统计期,数值(万元)\n"
        "重点科技项目资金,2020年1-3月,2100\n"
        "重点科技项目资金,2020年1-6月,4600\n",
        {key: value for key, value in (Q1 | H1).items() if key[0] == "key_project_funding"},
    ),
    "the period in the title, 单位：万元 beneath it, no period column": (
        "2020年1-6月主要科技指标完成情况\n"
        "单位：万元\n"
        "序号,指标,完成值\n"
        # 单位：万元 does not convert to 家: the count is left as it is.
        "1,高新技术企业,812\n"
        "2,重点科技项目资金,4600\n",
        H1,
    ),
    "本年累计 with the period in the title": (
        "2020年上半年科技指标\n指标,本年累计\n高新技术企业,812\n重点科技项目资金,0.46\n",
        H1,
    ),
    "1-6月累计（万元） with the year in the title": (
        "2020年主要科技指标完成情况\n指标,1-6月累计（万元）\n重点科技项目资金,4600\n",
        {("key_project_funding", "2020-06"): {"全市": Decimal("0.46")}},
    ),
    "累计完成 with a period column": (
        "指标,统计期,累计完成\n"
        "高新技术企业,2020-03,800\n"
        "高新技术企业,2020-06,812\n"
        "重点科技项目资金,2020-03,0.21\n"
        "重点科技项目资金,2020-06,0.46\n",
        Q1 | H1,
    ),
}

WIDE_LAYOUTS = {
    "periods as columns, with their year": (
        "指标,单位,2020年1-3月,2020年1-6月\n"
        "高新技术企业,家,800,812\n"
        "重点科技项目资金,万元,2100,4600\n",
        Q1 | H1,
    ),
    "periods as columns, the year in the title": (
        "2020年主要科技指标\n"
        "单位：万元\n"
        "序号,指标,1-3月,1-6月\n"
        "1,高新技术企业,800,812\n"
        "2,重点科技项目资金,2100,4600\n",
        Q1 | H1,
    ),
    "periods as columns, a cell left empty": (
        "指标,2020年一季度,2020年上半年\n高新技术企业,,812\n重点科技项目资金,0.21,0.46\n",
        {
            key: value
            for key, value in (Q1 | H1).items()
            if key != ("hitech_enterprises", "2020-03")
        },
    ),
    "regions as columns with 合计, the period in the title": (
        "2020年1-6月分县区完成情况\n"
        "指标,镜湖区,弋江区,鸠江区,合计\n"
        "省级以上科技研发机构,1,1,2,4\n"
        "高新技术企业,,,,812\n",
        REGIONAL | {("hitech_enterprises", "2020-06"): {"全市": Decimal(812)}},
    ),
    "regions as columns with a period column": (
        "指标,统计期,镜湖区,弋江区,鸠江区,全市\n研发机构,2020-06,1,1,2,4\n",
        REGIONAL,
    ),
}


@pytest.mark.parametrize(("text", "expected"), LONG_LAYOUTS.values(), ids=list(LONG_LAYOUTS))
def test_long_layouts_give_the_tidy_figures(read: Read, text: str, expected: Figures) -> None:
    assert figures(clean(read(text))) == expected


@pytest.mark.parametrize(("text", "expected"), WIDE_LAYOUTS.values(), ids=list(WIDE_LAYOUTS))
def test_wide_layouts_give_the_tidy_figures(read: Read, text: str, expected: Figures) -> None:
    assert figures(clean(read(text))) == expected


def test_the_status_of_a_bureau_sheet_is_the_status_of_the_tidy_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Through the CLI: the same figures, so the same status document."""
    import json

    tidy = tmp_path / "tidy.csv"
    kept = "".join(line for line in TIDY.splitlines(True) if "rd_inst" not in line)
    tidy.write_text(kept, encoding="utf-8")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(WIDE_LAYOUTS["periods as columns, the year in the title"][0], encoding="utf-8")

    def targets(path: Path) -> Any:
        result = runner.invoke(app, ["status", str(path), "-f", "json"])
        assert result.exit_code == 0, result.stderr
        document = json.loads(result.stdout)
        assert document["problems"] == []
        return document["targets"]

    shown = targets(sheet)
    assert shown == targets(tidy)
    assert [t["actual"] for t in shown if t["actual"] is not None] == [812, 0.46]


def test_periods_without_a_year_and_no_title_take_the_plan_year_with_a_warning(
    read: Read,
) -> None:
    actuals = read("指标,1-3月,1-6月\n高新技术企业,800,812\n重点科技项目资金,0.21,0.46\n")
    assert figures(actuals) == Q1 | H1
    # Said once per period, at its header cell.
    assert [(p.code, p.line, p.col, p.severity) for p in actuals.problems] == [
        ("assumed-year", 1, 2, "warning"),
        ("assumed-year", 1, 3, "warning"),
    ]
    assert actuals.problems[0].message == (
        "period '1-3月' has no year: read as 2020-03 (the plan year; a title such as "
        "2020年1-6月… would say it)"
    )


def test_a_title_period_does_not_override_a_period_column(read: Read) -> None:
    actuals = clean(read("2020年1-6月科技指标\n指标,统计期,数值\n高新技术企业,2020-03,800\n"))
    assert figures(actuals) == {("hitech_enterprises", "2020-03"): {"全市": Decimal(800)}}


def test_a_header_below_the_twenty_rows_searched_is_not_found(read: Read) -> None:
    text = "说明\n" * 20 + "指标,统计期,数值\n高新技术企业,2020-06,812\n"
    actuals = read(text)
    assert actuals.values == {}
    assert [p.code for p in actuals.problems][:2] == ["missing-column", "missing-column"]
    assert {p.line for p in actuals.problems} == {1}


def test_a_wide_sheet_value_is_checked_at_its_cell(read: Read) -> None:
    actuals = read("2020年科技指标\n指标,1-3月,1-6月\n高新技术企业,800,许多\n")
    assert [(p.code, p.line, p.col, p.message) for p in actuals.problems] == [
        ("type-error", 3, 3, "not a number: '许多'")
    ]
    assert figures(actuals) == {("hitech_enterprises", "2020-03"): {"全市": Decimal(800)}}


def test_an_unknown_region_column_is_an_extra_column(read: Read) -> None:
    actuals = read("2020年1-6月\n指标,镜湖区,火星区\n研发机构,1,5\n")
    assert [(p.code, p.line, p.col) for p in actuals.problems] == [("extra-column", 2, 3)]
    assert figures(actuals) == {("rd_institutions", "2020-06"): {"jinghu": Decimal(1)}}


def test_an_extra_column_under_strict_fails(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("指标,统计期,数值,审核人\n高企,2020-06,812,张三\n", encoding="utf-8")
    loose = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert loose.exit_code == 0
    assert f"{path}:1:4: warning: extra-column: unknown column '审核人'" in loose.stderr
    strict = runner.invoke(app, ["status", str(path), "-f", "json", "--strict"])
    assert strict.exit_code == 1


# --- workbooks ----------------------------------------------------------------------------------


def book_with(rows: list[list[Any]], merges: tuple[str, ...] = ()) -> Any:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "月报"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    return book


def test_merged_target_cells_fill_the_rows_they_cover(plan: Plan, tmp_path: Path) -> None:
    """A target merged over its periods' rows (A3:A4) gives each row its name."""
    book = book_with(
        [
            ["2020年主要科技指标完成情况", None, None, None],
            ["序号", "指标", "统计期", "完成值（万元）"],
            [1, "重点科技项目资金", "2020年1-3月", 2100],
            [None, None, "2020年1-6月", 4600],
        ],
        merges=("A1:D1", "B3:B4", "A3:A4"),
    )
    path = tmp_path / "merged.xlsx"
    book.save(path)
    actuals = clean(load_actuals(path, plan))
    assert figures(actuals) == {
        ("key_project_funding", "2020-03"): {"全市": Decimal("0.21")},
        ("key_project_funding", "2020-06"): {"全市": Decimal("0.46")},
    }


def test_a_blank_value_inside_a_merged_range_is_not_filled(plan: Plan, tmp_path: Path) -> None:
    """Only the cells naming a row (target, period, region) take their range's value."""
    book = book_with(
        [["指标", "统计期", "数值"], ["高企", "2020-03", 800], ["高企", "2020-06", None]],
        merges=("C2:C3",),
    )
    path = tmp_path / "merged.xlsx"
    book.save(path)
    actuals = clean(load_actuals(path, plan))
    assert figures(actuals) == {("hitech_enterprises", "2020-03"): {"全市": Decimal(800)}}


def test_date_cells_and_year_end_levels(plan: Plan, tmp_path: Path) -> None:
    """A date cell means its month; 2019年末 and 2019年12月末 are the year-end level."""
    book = book_with(
        [
            ["指标", "统计期", "数值"],
            ["高新技术企业", "2019年末", 785],
            ["国家科技型中小企业", "2019年12月末", 702],
            ["高新技术企业", dt.datetime(2020, 6, 30), 812],
            ["国家科技型中小企业", "2020-06-30", 1036],
        ]
    )
    path = tmp_path / "levels.xlsx"
    book.save(path)
    actuals = clean(load_actuals(path, plan))
    assert figures(actuals) == {
        ("hitech_enterprises", "2019-12"): {"全市": Decimal(785)},
        ("tech_smes", "2019-12"): {"全市": Decimal(702)},
        ("hitech_enterprises", "2020-06"): {"全市": Decimal(812)},
        ("tech_smes", "2020-06"): {"全市": Decimal(1036)},
    }


def test_a_bureau_workbook_of_wide_months_after_a_cover_sheet(plan: Plan, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "封面"
    cover.append(["芜湖市科技局"])
    cover.append(["2020年科技统计月报"])
    data = book.create_sheet("指标")
    data.append(["2020年主要科技指标完成情况"])
    data.append(["填报单位：市科技局", None, None, "单位：万元"])
    data.append(["序号", "指标名称", "1-3月", "1-6月"])
    data.append([1, "高新技术企业", 800, 812])
    data.append([2, "重点科技项目资金", 2100, 4600])
    path = tmp_path / "bureau.xlsx"
    book.save(path)
    actuals = load_actuals(path, plan)
    assert figures(actuals) == Q1 | H1
    assert [(p.code, p.sheet, p.line) for p in actuals.problems] == [("other-sheet", "指标", 3)]


# --- validate tells the layouts from an allocations file ----------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (WIDE_LAYOUTS["periods as columns, with their year"][0], "actuals"),
        ("指标,1-3月,1-6月\n高企,800,812\n", "actuals"),
        (WIDE_LAYOUTS["regions as columns with 合计, the period in the title"][0], "actuals"),
        (LONG_LAYOUTS["本年累计 with the period in the title"][0], "actuals"),
        ("指标,完成值\n高企,812\n", "actuals"),
        # 任务分解: a target column and regions or a share, no period anywhere.
        ("指标,镜湖区,弋江区\n高企,300,200\n", "allocations"),
        ("2020年目标任务分解表\n单位：家\n指标,镜湖区,弋江区\n高企,300,200\n", "allocations"),
        ("target,region,value\nhitech_enterprises,镜湖区,300\n", "allocations"),
    ],
)
def test_validate_tells_an_actuals_sheet_from_an_allocations_file(
    runner: CliRunner, tmp_path: Path, text: str, kind: str
) -> None:
    import json

    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "-f", "json"])
    [report] = json.loads(result.stdout)["files"]
    assert report["kind"] == kind, report


def test_an_allocations_file_with_a_title_row_is_read(runner: CliRunner, tmp_path: Path) -> None:
    import json

    shares = tmp_path / "shares.csv"
    shares.write_text("2020年目标任务分解表\n指标,镜湖区,弋江区\n研发机构,2,1\n", encoding="utf-8")
    actuals = tmp_path / "a.csv"
    actuals.write_text(
        "target,period,value,region\nrd_institutions,2020-06,1,镜湖区\n", encoding="utf-8"
    )
    result = runner.invoke(
        app,
        [
            "regions",
            str(actuals),
            "-t",
            "rd_institutions",
            "--allocations",
            str(shares),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    regions = {r["region"]: r for r in json.loads(result.stdout)["regions"]}
    assert (regions["镜湖区"]["target"], regions["弋江区"]["target"]) == (2, 1)


# --- templates that fill in ---------------------------------------------------------------------


def test_a_template_half_filled_in_reads_its_filled_rows_only(
    runner: CliRunner, tmp_path: Path
) -> None:
    import json

    path = tmp_path / "template.csv"
    made = runner.invoke(app, ["template", "--period", "2020-06", "-o", str(path)])
    assert made.exit_code == 0, made.stderr
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbftarget,period,value,")  # Excel opens it as UTF-8
    lines = raw.decode("utf-8-sig").splitlines(True)
    filled = [
        line.replace("2020-06,,", "2020-06,812,", 1)
        if line.startswith("hitech_enterprises,2020-06,")
        else line
        for line in lines
    ]
    path.write_text("".join(filled), encoding="utf-8-sig")
    result = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    targets = {t["id"]: t for t in json.loads(result.stdout)["targets"]}
    assert targets["hitech_enterprises"]["actual"] == 812
    assert targets["key_projects"]["status"] == "no_data"


def test_the_example_bureau_workbook_gives_the_example_figures(
    runner: CliRunner, example: Path
) -> None:
    """examples/bureau-2020-h1.xlsx holds actuals-2020-h1.csv's figures as a bureau sends
    them: every target's actual, period and status are the same."""
    import json

    def standing(path: Path) -> list[tuple[str, Any, Any, Any]]:
        result = runner.invoke(app, ["status", str(path), "-f", "json"])
        assert result.exit_code == 0, result.stderr
        targets = json.loads(result.stdout)["targets"]
        return [(t["id"], t["actual"], t["period"], t["status"]) for t in targets]

    workbook = example.with_name("bureau-2020-h1.xlsx")
    assert standing(workbook) == standing(example)


# --- what the layouts must not get wrong --------------------------------------------------------


def test_a_duplicate_row_of_a_period_without_a_year(read: Read) -> None:
    actuals = read("2020年科技指标\n指标,统计期,数值\n高企,上半年,812\n高企,1-6月,815\n")
    [problem] = actuals.problems
    assert (problem.code, problem.line) == ("duplicate-row", 4)
    assert problem.message.startswith(
        "hitech_enterprises for the whole city in 2020-06 is already given at line 3"
    )


def test_a_date_the_sheet_was_written_is_not_its_period(read: Read) -> None:
    """填报日期 says when, not what: the period is the title's, 2020-06, not July."""
    actuals = clean(
        read("2020年1-6月主要科技指标\n填报日期：2020年7月5日\n指标,数值\n高新技术企业,812\n")
    )
    assert figures(actuals) == {("hitech_enterprises", "2020-06"): {"全市": Decimal(812)}}


def test_a_unit_in_brackets_in_the_title(read: Read) -> None:
    """（单位：万元）: 4600万元 is 0.46亿元."""
    actuals = clean(read("2020年1-6月科技指标（单位：万元）\n指标,数值\n重点科技项目资金,4600\n"))
    assert figures(actuals) == {("key_project_funding", "2020-06"): {"全市": Decimal("0.46")}}


def test_a_year_title_is_the_full_year(read: Read) -> None:
    actuals = clean(read("2020年度主要科技指标\n指标,数值\n高新技术企业,905\n"))
    assert figures(actuals) == {("hitech_enterprises", "2020-12"): {"全市": Decimal(905)}}


def test_an_unknown_target_with_an_empty_value_is_named_in_every_layout(read: Read) -> None:
    """A row left empty is no data only when its target and period are the plan's."""
    tidy = read("target,period,value\nhitech_enterprise,2020-06,\n")
    with_unit = read("target,period,value,unit\nhitech_enterprise,2020-06,,家\n")
    for actuals in (tidy, with_unit):
        assert [(p.code, p.line, p.col) for p in actuals.problems] == [("unknown-target", 2, 1)]


def test_a_wide_row_with_an_unknown_target_is_named_once(read: Read) -> None:
    actuals = read("2020年科技指标\n指标,1-3月,1-6月\n未知指标,1,2\n")
    assert [(p.code, p.line, p.col) for p in actuals.problems] == [("unknown-target", 3, 1)]


@pytest.mark.parametrize("columns", ["责任单位,备注", "备注,责任单位"])
def test_two_note_columns_are_both_notes(read: Read, columns: str) -> None:
    actuals = clean(read(f"指标,统计期,数值,{columns}\n高企,2020-06,812,高新处,快报\n"))
    assert figures(actuals) == {("hitech_enterprises", "2020-06"): {"全市": Decimal(812)}}


def test_a_header_lacking_a_column_is_named_below_its_title(read: Read) -> None:
    """The row naming most columns is the header that lacks one, not the title above it."""
    actuals = read("2020年1-6月\n单位：万元\n指标,地区\n高企,镜湖区\n")
    assert {(p.code, p.line) for p in actuals.problems} == {("missing-column", 3)}


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("2020年度上半年科技统计", "2020-H1"),
        ("2020年度科技统计（1-6月）", "2020-06"),
        ("2020年度前三季度", "2020-Q3"),
        ("2020年主要指标（截至6月末）", "2020-06"),
        ("2020年度科技统计", "2020"),
    ],
)
def test_the_period_a_title_names(read: Read, title: str, period: str) -> None:
    actuals = clean(read(f"{title}\n指标,完成值\n高企,812\n"))
    [reported] = actuals.values["hitech_enterprises"].values()
    assert reported.period.code == parse_period(period).code  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "read_as"), [("单位：万元。", "0.46"), ("单位：万元人民币", "0.46")]
)
def test_a_title_unit_as_written(read: Read, line: str, read_as: str) -> None:
    actuals = clean(read(f"2020年1-6月\n{line}\n指标,完成值\n重点科技项目资金,4600\n"))
    assert figures(actuals) == {("key_project_funding", "2020-06"): {"全市": Decimal(read_as)}}


@pytest.mark.parametrize("line", ["单位：千元", "单位：家、万元"])
def test_a_title_unit_not_known_is_warned_of_and_not_applied(read: Read, line: str) -> None:
    actuals = read(f"2020年1-6月\n{line}\n指标,完成值\n研发经费投入,446000\n")
    [problem] = actuals.problems
    assert (problem.code, problem.line, problem.severity) == ("title-unit", 2, "warning")
    # Read in the target's own unit, as the warning says.
    assert figures(actuals) == {("rd_expenditure", "2020-06"): {"全市": Decimal(446000)}}


def test_a_unit_line_in_the_header_row_is_the_title_unit(read: Read) -> None:
    actuals = clean(
        read("指标,期间,完成值,单位：万元\n研发经费投入,2020-06,446000\n高企,2020-06,812\n")
    )
    assert figures(actuals) == {
        ("rd_expenditure", "2020-06"): {"全市": Decimal("44.6")},
        ("hitech_enterprises", "2020-06"): {"全市": Decimal(812)},  # 万元 is no count
    }


@pytest.mark.parametrize(
    ("text", "col", "said", "expected"),
    [
        (
            "指标,期间,2020年1-6月\n高企,2020-03,812\n",
            2,
            "column '期间' is not read: the periods are the columns' ('2020年1-6月'…)",
            {("hitech_enterprises", "2020-06"): {"全市": Decimal(812)}},
        ),
        (
            "指标,期间,1-6月累计\n高企,2020-03,800\n",
            3,
            "the period of column '1-6月累计' is not read: each row's is, from its period column",
            {("hitech_enterprises", "2020-03"): {"全市": Decimal(800)}},
        ),
        (
            "2020年1-6月\n指标,地区,合计\n高企,镜湖区,812\n",
            2,
            "column '地区' is not read: the regions are the columns' ('合计'…)",
            {("hitech_enterprises", "2020-06"): {"全市": Decimal(812)}},
        ),
        (
            "2020年1-6月\n指标,2019,2020\n高企,785,812\n",
            3,
            "column '2020' is read as the full year 2020, though the title says 2020-06 (a "
            "column of the year to date is written 2020年1-6月)",
            {
                ("hitech_enterprises", "2019-12"): {"全市": Decimal(785)},
                ("hitech_enterprises", "2020-12"): {"全市": Decimal(812)},
            },
        ),
    ],
)
def test_a_header_at_odds_with_itself_says_what_is_read(
    read: Read, text: str, col: int, said: str, expected: Figures
) -> None:
    actuals = read(text)
    [problem] = actuals.problems
    assert (problem.code, problem.col, problem.severity) == ("layout-conflict", col, "warning")
    assert problem.message == said
    assert figures(actuals) == expected


@pytest.mark.parametrize("separator", ["\t", ";"])
def test_a_titled_file_with_tabs_or_semicolons(read: Read, separator: str) -> None:
    rows = [["指标", "期间", "完成值"], ["高企", "2020-06", "812"]]
    text = "2020年1-6月主要科技指标\n\n" + "".join(separator.join(r) + "\n" for r in rows)
    assert figures(clean(read(text))) == {("hitech_enterprises", "2020-06"): {"全市": Decimal(812)}}


def test_a_dash_in_a_wide_cell_is_no_figure(read: Read) -> None:
    actuals = clean(read("2020年科技指标\n指标,1-3月,1-6月\n高企,—,812\n重点科技项目资金,-,0.46\n"))
    assert figures(actuals) == H1


def test_a_formula_result_is_read_to_twelve_places(plan: Plan, tmp_path: Path) -> None:
    """44.6/1708.9*100 as Excel stores it: 2.609865995669729; 0.1 + 0.2: 0.30000000000000004."""
    book = book_with(
        [
            ["指标", "期间", "数值"],
            ["rd_ratio", "2020-06", 44.6 / 1708.9 * 100],
            ["key_project_funding", "2020-06", 0.1 + 0.2],
        ]
    )
    path = tmp_path / "floats.xlsx"
    book.save(path)
    actuals = clean(load_actuals(path, plan))
    assert figures(actuals) == {
        ("rd_ratio", "2020-06"): {"全市": Decimal("2.60986599567")},
        ("key_project_funding", "2020-06"): {"全市": Decimal("0.3")},
    }


def test_a_hidden_sheet_is_passed_over(plan: Plan, tmp_path: Path) -> None:
    book = book_with([["指标", "期间", "数值"], ["高企", "2020-06", 1]])
    book.active.sheet_state = "hidden"
    shown = book.create_sheet("数据")
    shown.append(["指标", "期间", "数值"])
    shown.append(["高企", "2020-06", 812])
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    actuals = clean(load_actuals(path, plan))
    assert actuals.sheet == "数据"
    assert figures(actuals) == {("hitech_enterprises", "2020-06"): {"全市": Decimal(812)}}


def test_percent_cells_keep_to_the_limits(plan: Plan, tmp_path: Path) -> None:
    book = book_with([["指标", "期间", "数值"], ["rd_ratio", "2020-06", 99999999999999]])
    path = tmp_path / "big.xlsx"
    book.save(path)
    actuals = load_actuals(path, plan, percent_cells=True)
    assert [(p.code, p.line, p.col) for p in actuals.problems] == [("type-error", 2, 3)]
    assert actuals.problems[0].message.startswith("out of range: '99999999999999'")


def test_sheet_on_a_text_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("target,period,value\nhitech_enterprises,2020-06,812\n", encoding="utf-8")
    result = runner.invoke(app, ["status", str(path), "--sheet", "数据"])
    assert result.exit_code == 2
    assert result.stderr == f"error: --sheet: {path} is not a workbook (it has no sheets)\n"


def test_a_period_before_the_date_the_sheet_was_written(read: Read) -> None:
    actuals = clean(read("2020年1-6月 填报日期：2020年7月5日\n指标,完成值\n高新技术企业,812\n"))
    assert figures(actuals) == {("hitech_enterprises", "2020-06"): {"全市": Decimal(812)}}


def test_sheet_with_standard_input_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["status", "-", "--sheet", "数据"], input="target,period,value\n")
    assert result.exit_code == 2
    assert result.stderr == "error: --sheet: - is not a workbook (it has no sheets)\n"

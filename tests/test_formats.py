"""The files staff really produce give the same figures as the tidy CSV of the same data.

Every variant is generated here from the bundled example: Excel's CSV flavours on
Chinese Windows (GBK, UTF-8 with BOM, UTF-16 "Unicode text" with tabs), Chinese
headers, names and periods, full-width digits, thousands separators, units and
万元, and a workbook whose data sits on its second sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from sti_plan.cli import app
from sti_plan.model import Plan

Write = Callable[..., Path]
CHINESE_HEADER = ["指标", "期间", "数值", "地区", "备注", "来源"]


def example_rows(example: Path) -> list[list[str]]:
    with example.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def chinese_period(code: str) -> str:
    """2020-06 -> 2020年1-6月 (year-to-date), 2020-Q1 -> 2020年一季度, 2019 -> 2019年."""
    if "-Q" in code:
        year, quarter = code.split("-Q")
        return f"{year}年{'一二三四'[int(quarter) - 1]}季度"
    if "-" in code:
        year, month = code.split("-")
        return f"{year}年1-{int(month)}月"
    return f"{code}年"


def fullwidth(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.-"})


def decorated_value(value: str, unit: str, row: int) -> str:
    """The same number as a statistics clerk might type it."""
    if unit == "亿元":
        return f"{float(value) * 10_000:g}万元" if row % 2 else f"{value}亿元"
    if unit == "%":
        return f"{value}%"
    if float(value) >= 1000:
        return f"{int(value):,}"  # 1,036
    return fullwidth(value) + unit if row % 2 else value + unit


def chinese_rows(example: Path, plan: Plan) -> list[list[str]]:
    rows = []
    for index, (target, period, value, region, note, source) in enumerate(example_rows(example)):
        measure = plan.measure(target)
        assert measure is not None
        named = measure.aliases[0] if index % 3 == 0 and measure.aliases else measure.name
        rows.append(
            [
                named,
                chinese_period(period),
                decorated_value(value, measure.unit, index),
                region,
                note,
                source,
            ]
        )
    return rows


def csv_bytes(
    rows: list[list[str]], header: list[str], encoding: str, delimiter: str = ","
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def status_targets(runner: CliRunner, *args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["status", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    targets: list[dict[str, Any]] = json.loads(result.stdout)["targets"]
    return targets


@pytest.fixture
def tidy(runner: CliRunner, example: Path) -> list[dict[str, Any]]:
    return status_targets(runner, str(example))


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("actuals.csv", "gbk", ","),  # Excel "CSV" on Chinese Windows
        ("actuals.csv", "gb18030", ","),
        ("actuals.csv", "utf-8-sig", ","),  # Excel "CSV UTF-8"
        ("actuals.csv", "utf-8", ","),
        ("actuals.txt", "utf-16", "\t"),  # Excel "Unicode text": UTF-16 with BOM, tabs
        ("actuals.tsv", "utf-8", "\t"),
    ],
)
def test_chinese_csv_variants_give_the_tidy_figures(
    runner: CliRunner,
    write: Write,
    example: Path,
    plan: Plan,
    tidy: list[dict[str, Any]],
    name: str,
    encoding: str,
    delimiter: str,
) -> None:
    rows = chinese_rows(example, plan)
    path = write(name, csv_bytes(rows, CHINESE_HEADER, encoding, delimiter))
    assert status_targets(runner, str(path)) == tidy


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_separator_is_told_by_the_header_after_blank_lines(
    runner: CliRunner,
    write: Write,
    example: Path,
    plan: Plan,
    tidy: list[dict[str, Any]],
    delimiter: str,
) -> None:
    # A .csv whose header sits below empty rows: the empty lines say nothing of the separator.
    rows = chinese_rows(example, plan)
    path = write("actuals.csv", b"\r\n \r\n" + csv_bytes(rows, CHINESE_HEADER, "gbk", delimiter))
    assert status_targets(runner, str(path)) == tidy


def test_validate_reports_the_detected_encoding(
    runner: CliRunner, write: Write, example: Path, plan: Plan
) -> None:
    rows = chinese_rows(example, plan)
    files = {
        "gbk.csv": ("gbk", ","),
        "bom.csv": ("utf-8-sig", ","),
        "utf16.txt": ("utf-16", "\t"),
    }
    paths = [write(n, csv_bytes(rows, CHINESE_HEADER, e, d)) for n, (e, d) in files.items()]
    result = runner.invoke(app, ["validate", *map(str, paths), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(f["encoding"], f["rows"]) for f in report["files"]] == [
        ("gb18030", 20),
        ("utf-8-sig", 20),
        ("utf-16", 20),
    ]


def workbook(path: Path, rows: list[list[Any]], header: list[str]) -> Path:
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "说明"
    cover.append(["2020年科技统计月报（示例）"])
    data = book.create_sheet("数据")
    data.append(header)
    for row in rows:
        data.append(row)
    book.save(path)
    return path


def typed_cells(example: Path) -> list[list[Any]]:
    """Rows as Excel holds them: numbers as floats, month periods as dates."""
    rows: list[list[Any]] = []
    for target, period, value, region, note, source in example_rows(example):
        cell: Any = period
        if len(period) == 7 and "-Q" not in period:
            year, month = map(int, period.split("-"))
            cell = dt.datetime(year, month, 1)
        rows.append([target, cell, float(value), region or None, note or None, source])
    return rows


def test_workbook_second_sheet_gives_the_tidy_figures(
    runner: CliRunner, tmp_path: Path, example: Path, tidy: list[dict[str, Any]]
) -> None:
    path = workbook(tmp_path / "actuals.xlsx", typed_cells(example), CHINESE_HEADER)
    assert status_targets(runner, str(path), "--sheet", "数据") == tidy


def test_a_cover_sheet_is_passed_over_with_a_warning(
    runner: CliRunner, tmp_path: Path, example: Path, tidy: list[dict[str, Any]]
) -> None:
    path = workbook(tmp_path / "actuals.xlsx", typed_cells(example), CHINESE_HEADER)
    assert status_targets(runner, str(path)) == tidy
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{path}:数据!1:1: warning: other-sheet: sheet '数据' is read: '说明' before it has no "
        "header (a cover or note sheet?); --sheet names the one to read"
    ]


def test_a_workbook_with_no_header_on_any_sheet_lists_its_sheets(
    runner: CliRunner, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active.append(["2020年科技统计月报"])
    book.create_sheet("说明").append(["填报说明：", "按月报送"])
    path = tmp_path / "actuals.xlsx"
    book.save(path)
    result = runner.invoke(app, ["status", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{path}:封面!1:1: missing-column: no sheet has a header (a target column and a value, "
        "period or region column) in its first 20 rows: sheets '封面', '说明'; name the one "
        "to read with --sheet\n"
    )


def test_workbook_problems_name_sheet_and_cell(runner: CliRunner, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["高企", dt.datetime(2020, 6, 1), 812.0],
        ["高企", "2020年13月", "many"],
    ]
    path = workbook(tmp_path / "bad.xlsx", rows, ["指标", "期间", "数值"])
    result = runner.invoke(app, ["validate", str(path), "--sheet", "数据"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:数据!B3: bad-period: not a period: '2020年13月' (use 2020, 2020-H1, 2020-Q2, "
        "2020-06, 2020年上半年, 2020年第二季度, 2020年6月 or 2020年1-6月)",
        f"{path}:数据!C3: type-error: not a number: 'many'",
    ]


def test_an_unknown_sheet_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    path = workbook(tmp_path / "actuals.xlsx", [], CHINESE_HEADER)
    result = runner.invoke(app, ["status", str(path), "--sheet", "Sheet9"])
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: --sheet: {path} has no sheet 'Sheet9' (sheets: '说明', '数据')\n"
    )


def test_a_file_that_is_not_a_workbook_is_a_usage_error(runner: CliRunner, write: Write) -> None:
    path = write("actuals.xlsx", b"target,period,value\n")
    result = runner.invoke(app, ["status", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: cannot read the workbook")


# ---------------------------------------------------------------- headers and names


@pytest.mark.parametrize(
    "header",
    [
        ["指标", "期间", "数值"],
        ["目标", "时期", "完成值"],
        ["指标名称", "统计期", "实际值"],
        [" 指标 ", "月份", " 数值"],
        ["Target", "PERIOD", "Value"],
    ],
)
def test_header_aliases(runner: CliRunner, write: Write, header: list[str]) -> None:
    path = write("a.csv", ",".join(header) + "\n高企,2020年6月,812家\n")
    [row] = [t for t in status_targets(runner, str(path)) if t["id"] == "hitech_enterprises"]
    assert (row["actual"], row["period"]) == (812, "2020-06")


def test_region_aliases_sum_regions(runner: CliRunner, write: Write) -> None:
    path = write(
        "a.csv", "指标,期间,数值,县区\n研发机构,2020年6月,2,镜湖区\n研发机构,2020年6月,3家,弋江区\n"
    )
    [row] = [t for t in status_targets(runner, str(path)) if t["id"] == "rd_institutions"]
    assert (row["actual"], row["basis"]) == (5, "regional_sum")


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("target", "written", "actual"),
    [
        ("hitech_enterprises", "812", 812),
        ("hitech_enterprises", " 812家 ", 812),
        ("hitech_enterprises", "８１２", 812),
        ("hitech_enterprises", "８１２家", 812),
        ("tech_smes", '"1,036"', 1036),
        ("tech_smes", '"1，036家"', 1036),
        ("rd_expenditure", "44.6亿元", 44.6),
        ("rd_expenditure", "446000万元", 44.6),
        ("rd_expenditure", "4460000000元", 44.6),
        ("rd_ratio", "2.6%", 2.6),
        ("rd_ratio", "2.6％", 2.6),
        ("hitech_value_added_growth", "-4.6%", -4.6),
        ("hitech_value_added_growth", "－4.6", -4.6),
    ],
)
def test_numbers_as_spreadsheets_write_them(
    runner: CliRunner, write: Write, target: str, written: str, actual: float
) -> None:
    path = write("a.csv", f"target,period,value\n{target},2020-06,{written}\n")
    [row] = [t for t in status_targets(runner, str(path)) if t["id"] == target]
    assert row["actual"] == actual


@pytest.mark.parametrize(
    ("target", "written", "code", "message"),
    [
        (
            "hitech_enterprises",
            "812个",
            "unit-mismatch",
            "value '812个' is in 个, the target in 家",
        ),
        ("rd_expenditure", "12万", "unit-mismatch", "value '12万' is in 万, the target in 亿元"),
        ("hitech_enterprises", "12%", "unit-mismatch", "value '12%' is in %, the target in 家"),
        (
            "hitech_enterprises",
            "-3",
            "negative-value",
            "negative value '-3': a count or amount cannot be below 0",
        ),
        (
            "rd_expenditure",
            "-0.5亿元",
            "negative-value",
            "negative value '-0.5亿元': a count or amount cannot be below 0",
        ),
        ("hitech_enterprises", "NaN", "type-error", "not a finite number: 'NaN'"),
        ("hitech_enterprises", "Infinity", "type-error", "not a finite number: 'Infinity'"),
        ("hitech_enterprises", "—", "type-error", "not a number: '—'"),
        (
            "hitech_enterprises",
            "1e20",
            "type-error",
            "out of range: '1e20' (numbers are below 10^15, with at most 20 digits and 12 decimal places)",
        ),
    ],
)
def test_numbers_that_are_refused(
    runner: CliRunner, write: Write, target: str, written: str, code: str, message: str
) -> None:
    path = write("a.csv", f"target,period,value\n{target},2020-06,{written}\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == f"{path}:2:3: {code}: {message}\n"


# ---------------------------------------------------------------- stray bytes


def gbk_rows(count: int) -> bytes:
    lines = ["指标,期间,数值,地区"] + [f"研发机构,2020年6月,1,镇{i:04d}" for i in range(count)]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def test_a_gbk_file_with_a_bad_byte_is_still_gbk_up_to_it(
    runner: CliRunner, write: Write, free_plan_path: Path
) -> None:
    data = gbk_rows(3000)
    at = data.index("镇0500".encode("gbk"))  # line 502: header, then 500 good rows
    path = write("a.csv", data[:at] + b"\xff" + data[at:])
    report = json.loads(
        runner.invoke(
            app, ["validate", str(path), "-f", "json", "--plan", str(free_plan_path)]
        ).stdout
    )
    [file] = report["files"]
    assert (file["encoding"], file["rows"]) == ("gb18030", 500)
    [problem] = file["problems"]
    assert (problem["code"], problem["line"]) == ("encoding-error", 502)
    assert "byte 0xff" in problem["message"]


def test_a_utf8_file_with_a_stray_latin1_byte_stays_utf8(
    runner: CliRunner, write: Write, free_plan_path: Path
) -> None:
    rows = [f"研发机构,2020-06,1,镜湖区{i}" for i in range(50)]
    data = ("target,period,value,region\n" + "\n".join(rows) + "\n").encode("utf-8")
    at = data.index("镜湖区3".encode())
    path = write("a.csv", data[:at] + b"caf\xe9 " + data[at:])  # a Latin-1 é on line 5
    report = json.loads(
        runner.invoke(
            app, ["validate", str(path), "-f", "json", "--plan", str(free_plan_path)]
        ).stdout
    )
    [file] = report["files"]
    assert (file["encoding"], file["rows"]) == ("utf-8", 3)
    assert [(p["code"], p["line"]) for p in file["problems"]] == [("encoding-error", 5)]


def test_cr_only_lines_with_a_bad_byte_keep_every_row_before_it(
    runner: CliRunner, write: Write, free_plan_path: Path
) -> None:
    rows = "".join(f"rd_institutions,2020-06,1,town{i}\r" for i in range(2500))
    data = b"target,period,value,region\r" + rows.encode() + b"gdp,2020-06,\x80\r"
    report = json.loads(
        runner.invoke(
            app,
            ["validate", str(write("a.csv", data)), "-f", "json", "--plan", str(free_plan_path)],
        ).stdout
    )
    [file] = report["files"]
    assert file["rows"] == 2500
    assert [(p["code"], p["line"]) for p in file["problems"]] == [("encoding-error", 2502)]


def test_a_duplicate_across_an_undecodable_stretch_is_still_a_duplicate(
    runner: CliRunner, write: Write, free_plan_path: Path
) -> None:
    # 2 MB of good rows, so the bad byte lies beyond what the decoder had read ahead.
    filler = "".join(f"rd_institutions,2020-06,1,town{i}\n" for i in range(60_000))
    data = (
        "target,period,value,region\nkey_projects,2020-06,5,镜湖区\n"
        + filler
        + "key_projects,2020-06,7,镜湖区\n"
    ).encode() + b"gdp,2020-06,\x80\n"
    report = json.loads(
        runner.invoke(
            app,
            ["validate", str(write("a.csv", data)), "-f", "json", "--plan", str(free_plan_path)],
        ).stdout
    )
    [file] = report["files"]
    assert [(p["code"], p["line"]) for p in file["problems"]] == [
        ("duplicate-row", 60_003),
        ("encoding-error", 60_004),
    ]


def test_utf16_with_commas_is_read_with_commas(runner: CliRunner, write: Write) -> None:
    path = write("a.csv", "target,period,value\n高企,2020年6月,812\n".encode("utf-16"))
    [row] = [t for t in status_targets(runner, str(path)) if t["id"] == "hitech_enterprises"]
    assert row["actual"] == 812

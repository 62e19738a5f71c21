"""`sti-plan report`: the HTML page and the Excel workbook a bureau passes on (README,
"Reports"). The workbook is read back with python-calamine and openpyxl; the page is
checked as text here and in a real browser in test_browser.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from sti_plan.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE = EXAMPLES / "actuals-2020-h1.csv"
DISTRICTS = EXAMPLES / "districts-2020-h1.csv"
SHARES = EXAMPLES / "allocations-2020.csv"
TASKS = EXAMPLES / "tasks-2020-h1.csv"


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1593561600")  # 2020-07-01


def make(runner: CliRunner, *args: str) -> None:
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output


def test_the_page_holds_every_part(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    make(runner, str(EXAMPLE), "--tasks", str(TASKS), "-o", str(page))
    html = page.read_text("utf-8")
    assert "<title>市科学技术局2020年工作要点</title>" in html
    assert "as of 2020-06 · generated 2020-07-01" in html
    # The status table: every target, its figures as the table shows them, by status.
    firms = re.search(
        r'<tr class="off_track" data-target="hitech_enterprises">(.*?)</tr>', html, re.S
    )
    assert firms is not None
    assert [c for c in re.findall(r"<td[^>]*>(.*?)</td>", firms.group(1))] == [
        *("高新技术企业", "&gt; 900家", "812家", "2020-06", "842.5家", "88家", "23.5%"),
        "off track",
    ]
    # A chart for each target with figures (all 13 in the example), as inline SVG, and a
    # bulletin for the one with regional rows (省级以上科技研发机构, summed from 3 districts).
    assert html.count('<div class="chart" data-target=') == 14
    assert html.count("<svg") == 13  # rd_institutions has no shares: its bulletin is a table
    assert html.count('<div class="chart" data-target="rd_institutions">') == 2
    assert "Year-end projection: at this pace 839家: short of &gt; 900家" in html
    # The key tasks, and the inputs' warnings, and the files it rests on.
    assert 'id="tasks"' in html and "促进研发投入持续增长" in html
    assert "task-target-disagree" in html
    assert f"<li>{EXAMPLE}</li>" in html and f"<li>{TASKS}</li>" in html


def test_the_page_asks_nothing_of_a_network(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    make(runner, str(DISTRICTS), "--allocations", str(SHARES), "-o", str(page))
    html = page.read_text("utf-8")
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert "url(" not in html and "@import" not in html and "@font-face" not in html
    addresses = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_the_regions_bulletins_show_where_regions_reported(
    runner: CliRunner, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    make(runner, str(DISTRICTS), "--allocations", str(SHARES), "-o", str(page))
    html = page.read_text("utf-8")
    assert 'id="regions"' in html
    # 高企 and 重点科技项目 have district rows: a bar chart and a table each.
    assert html.count('<div class="chart" data-target="hitech_enterprises">') == 2
    assert "高新技术企业 (hitech_enterprises) · 2020-06 · ranked by progress (完成率)" in html
    assert "序时进度 50%" in html  # the pace marked on the bars


def test_the_page_in_chinese(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "报告.html"
    make(runner, str(EXAMPLE), "--lang", "zh", "-o", str(page))
    html = page.read_text("utf-8")
    assert '<html lang="zh-CN">' in html
    assert "截至2020-06 · 生成于2020-07-01" in html
    assert "<th>目标值</th>" in html or ">目标值</th>" in html
    assert ">滞后</td>" in html
    assert "1月" in html and "12月" in html  # the charts' months


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "r.html", "-f", "xlsx"], "--format xlsx does not match --output r.html"),
        (["-o", "r.txt"], "--output r.txt: a report is .html or .xlsx (or give --format)"),
        ([], "report: give --output FILE.html or FILE.xlsx"),
        (["-f", "xlsx"], "a workbook is written to a file: give --output FILE.xlsx"),
    ],
)
def test_the_format_follows_the_file(
    runner: CliRunner,
    args: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", str(EXAMPLE), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_html_may_go_to_standard_output(runner: CliRunner) -> None:
    result = runner.invoke(app, ["report", str(EXAMPLE), "-f", "html"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_a_file_with_problems_leaves_the_report_as_it_was(
    runner: CliRunner, tmp_path: Path, write: Callable[..., Path]
) -> None:
    bad = write("bad.csv", "target,period,value\nkey_projects,2020-06,lots\n")
    page = tmp_path / "report.html"
    page.write_text("the report of last month", "utf-8")
    result = runner.invoke(app, ["report", str(bad), "-o", str(page)])
    assert result.exit_code == 1
    assert page.read_text("utf-8") == "the report of last month"


# --- the workbook --------------------------------------------------------------------------


@pytest.fixture
def workbook(runner: CliRunner, tmp_path: Path) -> Path:
    book = tmp_path / "report.xlsx"
    make(
        runner, str(DISTRICTS), "--allocations", str(SHARES), "--tasks", str(TASKS), "-o", str(book)
    )
    return book


def test_the_workbook_has_its_sheets(workbook: Path) -> None:
    sheets = CalamineWorkbook.from_path(str(workbook)).sheet_names
    assert sheets == ["Overview", "Regions 高企", "Regions 重点科技项目", "Tasks", "Inputs"]


def test_the_overview_holds_numbers_in_their_formats(workbook: Path) -> None:
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Overview").to_python()
    assert rows[3][:4] == ["Target", "ID", "Goal", "Actual"]
    firms = next(row for row in rows if row[1] == "hitech_enterprises")
    assert isinstance(firms[3], float) and firms[3] == 827  # a number, not text
    sheet = openpyxl.load_workbook(workbook)["Overview"]
    assert sheet.freeze_panes == "B5"
    header = [cell.value for cell in sheet[4]]
    actual = sheet.cell(row=5 + [r[1] for r in rows[4:]].index("hitech_enterprises"), column=4)
    assert actual.number_format == '#,##0"家"'  # a whole count: no decimal point
    progress = sheet.cell(row=actual.row, column=header.index("Progress") + 1)
    assert progress.number_format == "0.0%" and 0 < progress.value < 1
    status = sheet.cell(row=actual.row, column=header.index("Status") + 1)
    assert status.fill.fgColor.rgb.endswith("FDECEA")  # off track
    assert len(sheet._charts) == 1  # progress against pace


def test_a_percent_target_is_held_as_a_percentage(runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "report.xlsx"
    make(runner, str(EXAMPLE), "-o", str(book))
    sheet = openpyxl.load_workbook(book)["Overview"]
    row = next(r for r in sheet.iter_rows(min_row=5) if r[1].value == "rd_ratio")
    # 44.6 / 1708.9 × 100 = 2.61 %: held as 0.0261, shown in Excel's percent format.
    assert row[3].value == pytest.approx(0.026098660, abs=1e-9)
    assert row[3].number_format == "0.00%"


def test_the_regions_sheet_and_its_chart(workbook: Path) -> None:
    sheet = openpyxl.load_workbook(workbook)["Regions 高企"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=5)]
    assert rows[0][:3] == ["Region", "Target", "Actual"]
    # 镜湖区: share 175, 162 reported, 48 % done against 50 % due: first by progress.
    assert rows[1][:5] == ["镜湖区", 175, 162, 0.48, 0.5]
    assert len(sheet._charts) == 1


def test_the_inputs_sheet_cites_file_and_line(workbook: Path) -> None:
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Inputs").to_python()
    assert rows[0] == ["Target", "File", "Line", "Sheet", "Region", "Period", "Value"]
    cited = {(row[0], row[2], row[4]) for row in rows[1:]}
    # 827 is the file's whole-city row (line 22); the baseline the districts' 2019 rows.
    assert ("高新技术企业", 22.0, "全市") in cited
    assert ("高新技术企业", 2.0, "镜湖区") in cited


def test_the_tasks_sheet(workbook: Path) -> None:
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Tasks").to_python()
    assert rows[2][:3] == ["#", "Task", "Status"]
    assert len(rows) == 3 + 21  # every key task


def test_the_workbook_in_chinese(runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "报告.xlsx"
    make(runner, str(EXAMPLE), "--tasks", str(TASKS), "--lang", "zh", "-o", str(book))
    sheets = CalamineWorkbook.from_path(str(book)).sheet_names
    assert sheets == ["总览", "通报-省级研发机构", "任务", "明细"]


# --- output files on every command ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "starts"),
    [("s.json", "{"), ("s.csv", "\ufeffid,name"), ("s.md", "## 市科学技术局2020年工作要点")],
)
def test_the_file_name_picks_the_format(
    runner: CliRunner, tmp_path: Path, name: str, starts: str
) -> None:
    path = tmp_path / name
    result = runner.invoke(app, ["status", str(EXAMPLE), "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text("utf-8").startswith(starts)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["status", str(EXAMPLE), "-f", "table"],
            "-f table is not CSV; give -f csv or another name",
        ),
        (["validate"], "validate writes no CSV; give another file name"),
    ],
)
def test_a_text_table_is_not_written_to_a_csv_file(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "out.csv"
    result = runner.invoke(app, [*args, "-o", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not path.exists()


@pytest.mark.parametrize("name", ["s.html", "s.xlsx"])
def test_pages_and_workbooks_are_the_reports(runner: CliRunner, tmp_path: Path, name: str) -> None:
    result = runner.invoke(app, ["status", str(EXAMPLE), "-o", str(tmp_path / name)])
    assert result.exit_code == 2
    assert "pages and workbooks are written by `sti-plan report`" in result.stderr


def test_the_template_as_a_workbook_with_lists(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["template", "--period", "2020-06", "-o", str(path)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Actuals", "lists"] and book["lists"].sheet_state == "hidden"
    sheet = book["Actuals"]
    assert [c.value for c in sheet[1]] == ["target", "period", "value", "region", "note", "source"]
    checks = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    # 15 measures by id and by name; 19 periods of 2020 and 19 of 2019; 全市 and 10 regions.
    assert checks == {
        "A2:A1001": ("list", "lists!$A$1:$A$30"),
        "B2:B1001": ("list", "lists!$B$1:$B$38"),
        "D2:D1001": ("list", "lists!$C$1:$C$11"),
    }
    names = [row[0].value for row in book["lists"].iter_rows(max_col=1)]
    assert "hitech_enterprises" in names and "高新技术企业" in names
    periods = [row[0].value for row in book["lists"].iter_rows(min_col=2, max_col=2)]
    assert periods[:3] == ["2020-01", "2020-02", "2020-03"] and "2019" in periods


def test_a_filled_workbook_template_reads_back(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    runner.invoke(app, ["template", "--period", "2020-06", "-o", str(path)])
    book = openpyxl.load_workbook(path)
    sheet = book["Actuals"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "key_projects" and row[1].value == "2020-06":
            row[2].value = 32
    book.save(path)
    data = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert data.exit_code == 0, data.output
    assert '"actual": 32' in data.stdout


@pytest.mark.parametrize(
    ("command", "name", "message"),
    [
        ("template", "t.json", "template writes CSV; give a .csv file name"),
        ("validate", "v.md", "validate writes no Markdown; give another file name"),
        ("schema", "s.csv", "schema writes JSON; give a .json file name"),
    ],
)
def test_a_file_name_a_command_cannot_write_is_refused(
    runner: CliRunner, tmp_path: Path, command: str, name: str, message: str
) -> None:
    result = runner.invoke(app, [command, "-o", str(tmp_path / name)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / name).exists()


def test_sheet_names_excel_would_refuse_are_made_safe(
    runner: CliRunner, tmp_path: Path, plan_data: dict[str, Any], write: Callable[..., Path]
) -> None:
    for target in plan_data["targets"]:
        if target["id"] == "key_projects":
            target["short_name"] = "R&D'"
        if target["id"] == "incubators":
            target["short_name"] = "AB"
        if target["id"] == "rd_institutions":
            target["short_name"] = "ab"
    plan = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False))
    rows = "".join(
        f"{target},2020-06,{value},{region}\n"
        for target in ("key_projects", "incubators", "rd_institutions")
        for value, region in ((1, "镜湖区"), (2, "弋江区"))
    )
    actuals = write("a.csv", "target,period,value,region\n" + rows)
    book = tmp_path / "r.xlsx"
    make(runner, str(actuals), "--plan", str(plan), "-o", str(book))
    sheets = CalamineWorkbook.from_path(str(book)).sheet_names
    # No apostrophe at an end; "ab" after "AB" is the same name to Excel.
    assert sheets == ["Overview", "Regions R&D", "Regions ab", "Regions AB (2)", "Inputs"]


def test_figures_a_hair_apart_still_make_a_chart(
    runner: CliRunner, tmp_path: Path, plan_data: dict[str, Any], write: Callable[..., Path]
) -> None:
    for target in plan_data["targets"]:
        if target["id"] == "hitech_enterprises":
            target["value"] = 99999999
    plan = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False))
    rows = "hitech_enterprises,2019,99999998.999999999999,\nhitech_enterprises,2020-06,99999999.00000001,\n"
    actuals = write("a.csv", "target,period,value,region\n" + rows)
    make(runner, str(actuals), "--plan", str(plan), "-o", str(tmp_path / "r.html"))


def test_the_districts_file_gives_the_bulletins(runner: CliRunner, tmp_path: Path) -> None:
    """The example as README makes it: the city's figures, the districts' bulletins from
    their own file, the allocations and the key tasks, in one page and one workbook."""
    args = [
        str(EXAMPLE),
        "--regions",
        str(DISTRICTS),
        "--allocations",
        str(SHARES),
        "--tasks",
        str(TASKS),
    ]
    page = tmp_path / "report.html"
    result = runner.invoke(app, ["report", *args, "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text("utf-8")
    # The status is the city file's (812, not the districts' 827); the bulletins are the
    # districts' (镜湖区 162 of its 175), with their file's warning (南陵县 late for June).
    assert re.search(r'data-target="hitech_enterprises">.*?<td[^>]*>812家</td>', html, re.S)
    assert html.count('<div class="chart" data-target="hitech_enterprises">') == 2
    assert "<td>162家</td>" in html or ">162家</td>" in html
    assert "incomplete-regions" in html and "task-target-disagree" in html
    assert f"<li>{DISTRICTS}</li>" in html and f"<li>{SHARES}</li>" in html
    book = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["report", *args, "-o", str(book)])
    assert result.exit_code == 0, result.output
    sheets = CalamineWorkbook.from_path(str(book)).sheet_names
    assert sheets == ["Overview", "Regions 高企", "Regions 重点科技项目", "Tasks", "Inputs"]


def test_regions_need_a_plan_with_regions(
    runner: CliRunner, free_plan_path: Path, tmp_path: Path
) -> None:
    args = ["report", str(EXAMPLE), "--regions", str(DISTRICTS), "--plan", str(free_plan_path)]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "--regions" in result.stderr

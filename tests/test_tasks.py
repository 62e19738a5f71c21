"""Key tasks (重点任务): naming them, reading progress files, standing, overdue, milestones,
linked targets, and the `tasks` command."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sti_plan.cli import app
from sti_plan.model import Plan
from sti_plan.observations import TaskReports, TaskRow, TaskStatus
from sti_plan.periods import parse_period
from sti_plan.problems import Code
from sti_plan.results import Status
from sti_plan.task_file import find_task, load_tasks, status_of
from sti_plan.tasks import assess_tasks

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE = EXAMPLES / "actuals-2020-h1.csv"
TASKS = EXAMPLES / "tasks-2020-h1.csv"
Write = Callable[..., Path]
HEAD = "task,period,status,progress,note\n"


def period(code: str) -> Any:
    found = parse_period(code)
    assert found is not None
    return found


# ---------------------------------------------------------------- naming a task


@pytest.mark.parametrize(
    "text",
    [
        "8",
        " 8 ",
        "8.",
        "任务8",
        "第8项",
        "（三）8",
        "(三)8",
        "三、8",
        "rd_investment",
        "促进研发投入持续增长",
        "促进研发投入持续增长。",
        "促进研发",
        "8.促进研发投入",
        "８",
    ],
)
def test_a_task_is_named_by_number_id_title_or_unique_prefix(plan: Plan, text: str) -> None:
    found, candidates = find_task(plan, text)
    assert found is not None and found.number == 8, text
    assert candidates == []


def test_a_number_in_the_wrong_group_names_no_task(plan: Plan) -> None:
    assert find_task(plan, "（二）8") == (None, [])


def test_a_prefix_of_several_titles_is_ambiguous(plan: Plan) -> None:
    found, candidates = find_task(plan, "着力")
    assert found is None
    assert [t.number for t in candidates] == [1, 2, 3, 17]


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("not_started", TaskStatus.NOT_STARTED),
        ("not started", TaskStatus.NOT_STARTED),
        ("未启动", TaskStatus.NOT_STARTED),
        ("in_progress", TaskStatus.IN_PROGRESS),
        ("In-Progress", TaskStatus.IN_PROGRESS),
        ("推进中", TaskStatus.IN_PROGRESS),
        ("进行中", TaskStatus.IN_PROGRESS),
        ("done", TaskStatus.DONE),
        ("已完成", TaskStatus.DONE),
        ("delayed", TaskStatus.DELAYED),
        ("滞后", TaskStatus.DELAYED),
        ("blocked", TaskStatus.BLOCKED),
        ("受阻", TaskStatus.BLOCKED),
    ],
)
def test_status_words(word: str, status: TaskStatus) -> None:
    assert status_of(word) is status


def test_an_unknown_status_word_is_none() -> None:
    assert status_of("maybe") is None


# ---------------------------------------------------------------- reading a file


def test_a_progress_file_with_every_problem(plan: Plan, write: Write) -> None:
    path = write(
        "t.csv",
        HEAD
        + "8,2020-06,推进中,40%,研发准备金制度已建立\n"  # 2
        + "着力,2020-06,推进中,,\n"  # 3: four titles start so
        + "99,2020-06,done,,\n"  # 4
        + "5,2020-06,maybe,,\n"  # 5
        + "5,2019-12,done,,\n"  # 6: another year
        + "5,2020-06,done,120,\n"  # 7
        + "8,2020-06,done,100,\n"  # 8: task 8 for 2020-06 again
        + "6,,,,\n",  # 9: a template's row left empty: no report, no problem
    )
    reports = load_tasks(path, plan)
    assert [(p.line, p.code) for p in reports.problems] == [
        (3, Code.AMBIGUOUS_TASK),
        (4, Code.UNKNOWN_TASK),
        (5, Code.BAD_STATUS),
        (6, Code.BAD_PERIOD),
        (7, Code.TYPE_ERROR),
        (8, Code.DUPLICATE_ROW),
    ]
    assert reports.problems[0].message == (
        "'着力' starts the titles of several tasks: 1.着力推进党的政治建设、2.着力夯实基层党组织建设、"
        "3.着力巩固巡察整改成效、17.着力强化科技支撑乡村振兴"
    )
    assert reports.problems[-1].message == "task 8 for 2020-06 is already given at line 2"
    assert reports.rows == [
        TaskRow(
            "rd_investment",
            period("2020-06"),
            TaskStatus.IN_PROGRESS,
            2,
            Decimal(40),
            "研发准备金制度已建立",
        )
    ]


def test_chinese_headers_under_a_title_in_gbk(plan: Plan, write: Write) -> None:
    text = "2020年重点任务推进情况\n序号,统计期,状态,进度,进展情况,佐证材料,责任人\n8,1-6月,推进中,40,x,y,z\n"
    path = write("t.csv", text.encode("gbk"))
    reports = load_tasks(path, plan)
    # 1-6月 takes the plan's year: an assumed year is no problem in a tasks file
    assert [p.code for p in reports.problems] == []
    (row,) = reports.rows
    assert (row.task_id, row.period.code, row.evidence, row.owner) == (
        "rd_investment",
        "2020-06",
        "y",
        "z",
    )


def test_a_workbook_progress_file(plan: Plan, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["重点任务推进表"])
    sheet.append(["任务名称", "统计期", "状态", "进度"])
    sheet.append(["完善创业孵化载体", "2020-06", "受阻", 10])
    path = tmp_path / "tasks.xlsx"
    book.save(path)
    reports = load_tasks(path, plan)
    assert reports.problems == []
    assert [(r.task_id, r.status, r.progress, r.line) for r in reports.rows] == [
        ("incubation", TaskStatus.BLOCKED, Decimal(10), 3)
    ]


# ---------------------------------------------------------------- standing


def rows(*given: tuple[str, str, TaskStatus, int | None]) -> TaskReports:
    reports = TaskReports("t.csv")
    for line, (task, code, status, progress) in enumerate(given, 2):
        reports.rows.append(
            TaskRow(
                task, period(code), status, line, None if progress is None else Decimal(progress)
            )
        )
    return reports


def standing(report: Any, number: int) -> Any:
    return next(s for s in report.tasks if s.task.number == number)


def test_the_standing_is_the_latest_row_not_after_the_as_of(plan: Plan) -> None:
    reports = rows(
        ("rd_investment", "2020-03", TaskStatus.NOT_STARTED, 0),
        ("rd_investment", "2020-06", TaskStatus.IN_PROGRESS, 40),
    )
    latest = assess_tasks(plan, reports)
    assert latest.as_of == period("2020-06")  # the file's latest period
    assert standing(latest, 8).status is TaskStatus.IN_PROGRESS
    march = assess_tasks(plan, reports, period("2020-03"))
    assert standing(march, 8).status is TaskStatus.NOT_STARTED
    before = assess_tasks(plan, reports, period("2020-02"))
    assert standing(before, 8).status is TaskStatus.NO_REPORT
    assert standing(latest, 1).status is TaskStatus.NO_REPORT
    assert latest.counts()[TaskStatus.NO_REPORT] == 20


def _planned(shaped_tasks: Any, **changes: Any) -> Plan:
    return shaped_tasks(8, **changes)


@pytest.fixture
def shaped_tasks(plan_data: dict[str, Any]) -> Callable[..., Plan]:
    def make(number: int, **changes: Any) -> Plan:
        for task in plan_data["tasks"]:
            if task["number"] == number:
                task.update(changes)
        return Plan.model_validate(plan_data)

    return make


@pytest.mark.parametrize(
    ("due", "status", "as_of", "overdue"),
    [
        ("2020-06", TaskStatus.IN_PROGRESS, "2020-06", True),  # due reached, not done
        ("2020-06", TaskStatus.DONE, "2020-06", False),
        ("2020-Q3", TaskStatus.IN_PROGRESS, "2020-06", False),  # not yet due
        ("2020-H1", TaskStatus.DELAYED, "2020-09", True),
    ],
)
def test_a_task_is_overdue_when_its_due_period_has_passed_and_it_is_not_done(
    shaped_tasks: Callable[..., Plan], due: str, status: TaskStatus, as_of: str, overdue: bool
) -> None:
    plan = shaped_tasks(8, due=due)
    report = assess_tasks(plan, rows(("rd_investment", "2020-06", status, 50)), period(as_of))
    assert standing(report, 8).overdue is overdue


def test_a_task_with_no_report_past_its_due_is_overdue(shaped_tasks: Callable[..., Plan]) -> None:
    plan = shaped_tasks(8, due="2020-03")
    report = assess_tasks(plan, rows(("incubation", "2020-06", TaskStatus.DONE, 100)))
    assert standing(report, 8).status is TaskStatus.NO_REPORT
    assert standing(report, 8).overdue is True


def test_milestones_imply_progress_by_their_place(shaped_tasks: Callable[..., Plan]) -> None:
    # Two milestones and the completion at the year end: 3 stages, 100 x 1/3 and 100 x 2/3.
    plan = shaped_tasks(8, milestones={"2020-03": "出台政策", "2020-06": "建立准备金制度"})
    report = assess_tasks(plan, rows(("rd_investment", "2020-06", TaskStatus.IN_PROGRESS, 40)))
    first, second = standing(report, 8).milestones
    assert (first.implied, second.implied) == (Decimal(100) / 3, Decimal(200) / 3)
    # as of 2020-06 both have passed: 40 >= 33.3 is on time; 40 < 66.7 is overdue
    assert (first.passed, first.overdue) == (True, False)
    assert (second.passed, second.overdue) == (True, True)


def test_a_milestone_at_the_due_period_is_the_completion(shaped_tasks: Callable[..., Plan]) -> None:
    # due 2020-Q3, milestones 2020-06 and 2020-09: 2 stages, 50 % and 100 %.
    plan = shaped_tasks(8, due="2020-Q3", milestones={"2020-06": "a", "2020-09": "b"})
    report = assess_tasks(
        plan, rows(("rd_investment", "2020-06", TaskStatus.IN_PROGRESS, 50)), period("2020-06")
    )
    first, second = standing(report, 8).milestones
    assert (first.implied, second.implied) == (Decimal(50), Decimal(100))
    assert (first.overdue, second.passed, second.overdue) == (False, False, False)


def test_a_milestone_without_progress_cannot_be_told(shaped_tasks: Callable[..., Plan]) -> None:
    plan = shaped_tasks(8, milestones={"2020-03": "a"})
    in_progress = assess_tasks(
        plan, rows(("rd_investment", "2020-06", TaskStatus.IN_PROGRESS, None))
    )
    assert standing(in_progress, 8).milestones[0].overdue is None
    # not started (or not reported): below anything a milestone implies
    idle = assess_tasks(plan, rows(("rd_investment", "2020-06", TaskStatus.NOT_STARTED, None)))
    assert standing(idle, 8).milestones[0].overdue is True


def test_linked_targets_show_their_statuses_and_a_done_task_may_disagree(
    runner: CliRunner, write: Write
) -> None:
    path = write("t.csv", HEAD + "13,2020-06,已完成,100,\n8,2020-06,推进中,40,\n")
    result = runner.invoke(app, ["tasks", str(path), "--actuals", str(EXAMPLE), "-f", "json"])
    assert result.exit_code == 0, result.output
    tasks = {t["number"]: t for t in json.loads(result.stdout)["tasks"]}
    # 高新技术企业 812 of 900 by June is off track; 科技型中小企业 1,036 > 1,000 achieved
    assert tasks[13]["targets"] == [
        {"id": "hitech_enterprises", "status": "off_track"},
        {"id": "tech_smes", "status": "achieved"},
    ]
    assert result.stderr == (
        f"{path}:2: warning: task-target-disagree: task 13 is reported done, but the target it "
        "serves, hitech_enterprises, is off_track\n"
    )
    strict = runner.invoke(app, ["tasks", str(path), "--actuals", str(EXAMPLE), "--strict"])
    assert strict.exit_code == 1


def test_without_actuals_the_linked_targets_have_no_data(
    runner: CliRunner, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no actuals.csv here
    path = write("t.csv", HEAD + "8,2020-06,推进中,40,\n")
    result = runner.invoke(app, ["tasks", str(path), "-f", "json"])
    task = next(t for t in json.loads(result.stdout)["tasks"] if t["number"] == 8)
    assert task["targets"] == [
        {"id": "rd_expenditure", "status": Status.NO_DATA.value},
        {"id": "rd_ratio", "status": Status.NO_DATA.value},
    ]


# ---------------------------------------------------------------- the command


def test_the_tasks_json_contract(runner: CliRunner) -> None:
    result = runner.invoke(app, ["tasks", str(TASKS), "--actuals", str(EXAMPLE), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["schema_version", "plan", "as_of", "tasks", "counts", "problems"]
    assert data["as_of"] == "2020-06"
    first = data["tasks"][7]
    assert list(first) == [
        "id",
        "number",
        "group",
        "title",
        "status",
        "progress",
        "period",
        "note",
        "lead",
        "overdue",
        "targets",
        "due",
        "units",
        "evidence",
        "owner",
        "line",
        "milestones",
    ]
    assert (first["id"], first["status"], first["progress"], first["period"]) == (
        "rd_investment",
        "in_progress",
        40,
        "2020-06",
    )
    # the example: 7 in progress, 2 done, 1 delayed, 1 blocked, the other 10 unreported
    counts = data["counts"]
    assert {k: v for k, v in counts.items() if k != "groups"} == {
        "not_started": 0,
        "in_progress": 7,
        "done": 2,
        "delayed": 1,
        "blocked": 1,
        "no_report": 10,
        "overdue": 0,
    }
    assert counts["groups"]["二"] == {
        "not_started": 0,
        "in_progress": 1,
        "done": 0,
        "delayed": 1,
        "blocked": 0,
        "no_report": 1,
        "overdue": 0,
    }
    assert [p["code"] for p in data["problems"]] == ["task-target-disagree"]


def test_the_tasks_table_groups_the_tasks(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = runner.invoke(app, ["tasks", str(TASKS), "--actuals", str(EXAMPLE)])
    out = result.stdout.splitlines()
    assert out[0] == "市科学技术局2020年工作要点 · key tasks · as of 2020-06"
    assert out[1] == "(一) 坚持和加强党对科技工作的全面领导: 3 no report"
    row = next(line for line in out if line.startswith(" 8 "))
    assert row.split()[:4] == ["8", "促进研发投入持续增长", "in", "progress"]
    assert "研发投入强度 off track" in row
    assert out[-1] == (
        "21 tasks, as of 2020-06: 7 in progress, 2 done, 1 delayed, 1 blocked, 10 no report"
    )
    assert all(len(line) == len(line.rstrip()) for line in out)


def test_the_tasks_table_in_chinese(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = runner.invoke(app, ["tasks", str(TASKS), "--actuals", str(EXAMPLE), "--lang", "zh"])
    out = result.stdout.splitlines()
    assert out[0] == "市科学技术局2020年工作要点 · 重点任务 · 截至2020-06"
    assert out[1] == "（一）坚持和加强党对科技工作的全面领导：未报送3项"
    assert (
        out[-1] == "共21项重点任务，截至2020-06：推进中7项，已完成2项，滞后1项，受阻1项，未报送10项"
    )


def test_status_filters_the_tasks(runner: CliRunner) -> None:
    for word in ("delayed", "滞后"):
        result = runner.invoke(app, ["tasks", str(TASKS), "--status", word, "-f", "csv"])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [(r["number"], r["status"]) for r in rows] == [("5", "delayed")]
    bad = runner.invoke(app, ["tasks", str(TASKS), "--status", "maybe"])
    assert bad.exit_code == 2
    assert bad.stderr == "error: --status: 'maybe' is not a task status\n"


def test_tasks_markdown_has_a_section_per_group(runner: CliRunner) -> None:
    result = runner.invoke(app, ["tasks", str(TASKS), "-f", "markdown"])
    assert result.stdout.count("\n### ") == 7
    assert "| 14 | 完善创业孵化载体 | blocked | 10% | 2020-06 |" in result.stdout


def test_status_with_tasks_adds_their_counts(runner: CliRunner) -> None:
    result = runner.invoke(app, ["status", str(EXAMPLE), "--tasks", str(TASKS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "21 tasks, as of 2020-06: 7 in progress, 2 done, 1 delayed, 1 blocked, 10 no report"
    )
    data = json.loads(
        runner.invoke(app, ["status", str(EXAMPLE), "--tasks", str(TASKS), "-f", "json"]).stdout
    )
    assert data["task_counts"]["in_progress"] == 7


def test_validate_tells_a_tasks_file_by_its_header(runner: CliRunner, write: Write) -> None:
    good = runner.invoke(app, ["validate", str(TASKS), "-f", "json"])
    assert good.exit_code == 0, good.output
    (checked,) = json.loads(good.stdout)["files"]
    assert (checked["kind"], checked["rows"]) == ("tasks", 13)
    bad = write("t.csv", HEAD + "99,2020-06,done,,\n")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{bad}:2:1: unknown-task: '99' names no key task of the plan (see `sti-plan tasks`)\n"
    )


def test_the_tasks_template_reads_back(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "--tasks", "--period", "2020-06", "--lang", "zh"])
    lines = list(csv.reader(io.StringIO(result.stdout)))
    assert lines[0] == [
        "任务",
        "任务名称",
        "统计期",
        "状态",
        "进度",
        "进展情况",
        "佐证材料",
        "责任人",
    ]
    assert len(lines) == 22
    lines[8][3:5] = ["推进中", "40"]  # task 8
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    out = runner.invoke(app, ["tasks", str(path), "-f", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["counts"]["in_progress"] == 1 and data["counts"]["no_report"] == 20

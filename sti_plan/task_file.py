"""Tasks progress files (重点任务进展) -> each key task's rows, with every problem.

Long form, CSV or workbook: `task, period, status` and optionally `progress` (0-100),
`note` (进展情况), `evidence` (佐证材料), `owner` (责任人), `title` (任务名称, shown to
people, or naming the task where there is no task column). Chinese headers are read too;
title rows above the header are passed over, as in actuals files. A task is named by its
number (8, 任务8, 第8项, （三）8, 三、8), its id, or its title (exact, or a start of it that
only one title has).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .i18n import _
from .layout import yearless_period
from .limits import HEADER_SEARCH_ROWS
from .model import Plan, Task
from .observations import HEADER_ALIASES, TaskReports, TaskRow, TaskStatus
from .periods import Period, parse_period
from .problems import Code, Problem, shown
from .sources import Record, RowSource
from .workbook import nonblank, table_rows

COLUMN_HEADERS: dict[str, tuple[str, ...]] = {
    "task": ("task", "任务", "序号", "任务编号", "编号", "重点任务"),
    "title": ("title", "任务名称", "标题", "工作任务"),
    "period": ("period", *HEADER_ALIASES["period"]),
    "status": ("status", "状态", "进展状态", "完成状态"),
    "progress": ("progress", "进度", "完成进度", "进度(%)", "进度%"),
    "note": ("note", "进展情况", "备注", "工作进展"),
    "evidence": ("evidence", "佐证材料", "佐证"),
    "owner": ("owner", "责任人", "联系人"),
}
STATUS_WORDS: dict[TaskStatus, tuple[str, ...]] = {
    TaskStatus.NOT_STARTED: ("not_started", "未启动", "未开始"),
    TaskStatus.IN_PROGRESS: ("in_progress", "推进中", "进行中", "按进度推进", "正常推进"),
    TaskStatus.DONE: ("done", "已完成", "完成", "completed"),
    TaskStatus.DELAYED: ("delayed", "滞后", "延期", "进度滞后"),
    TaskStatus.BLOCKED: ("blocked", "受阻", "暂停"),
}
_STATUS = {word: status for status, words in STATUS_WORDS.items() for word in words}
_CHINESE_DIGITS = "一二三四五六七八九十"
# 8, 8., 任务8, 第8项, (三)8, 三、8 (after NFKC: full-width brackets are ASCII)
_NUMBER = re.compile(
    r"^(?:\((?P<g1>[一二三四五六七八九十]+)\)|(?P<g2>[一二三四五六七八九十]+)、)?\s*"
    r"(?:任务|第)?\s*(?P<n>\d{1,4})\s*[项号]?\s*[.、]?$"
)
_NUMBERED_TITLE = re.compile(r"^(?P<n>\d{1,4})\s*[.、]\s*(?P<title>\S.*)$")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _title_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().rstrip("。.;；").strip()


def status_of(text: str) -> TaskStatus | None:
    """A status word (not started, 推进中, done, 滞后, …) -> the status; None if none."""
    key = _normal(text).replace("-", "_").replace(" ", "_")
    return _STATUS.get(key) or _STATUS.get(text.strip())


def find_task(plan: Plan, text: str) -> tuple[Task | None, list[Task]]:
    """The task `text` names, else (None, the tasks whose titles start with it: several
    means the name is ambiguous, none that it names no task)."""
    written = _title_key(text)
    if not written:
        return None, []
    number = _NUMBER.match(written)
    if number is not None:
        found = next((t for t in plan.tasks if t.number == int(number["n"])), None)
        group = number["g1"] or number["g2"]
        if found is not None and group is not None and found.group != group:
            return None, []
        return found, []
    by_id = next((t for t in plan.tasks if t.id == written), None)
    if by_id is not None:
        return by_id, []
    numbered = _NUMBERED_TITLE.match(written)
    if numbered is not None:
        found = next((t for t in plan.tasks if t.number == int(numbered["n"])), None)
        if found is not None and found.title.startswith(numbered["title"]):
            return found, []
    exact = [t for t in plan.tasks if _title_key(t.title) == written]
    if exact:
        return exact[0], []
    starting = [t for t in plan.tasks if _title_key(t.title).startswith(written)]
    if len(starting) == 1:
        return starting[0], []
    return None, starting


def is_tasks_table(path: Path, sheet: str | None = None) -> bool:
    """Whether a table file is a tasks progress file: its header names a status column."""
    with table_rows(path, sheet) as source:
        return _header(source.records()) is not None


def _columns(cells: list[str]) -> dict[str, int]:
    names = [_normal(cell) for cell in cells]
    found: dict[str, int] = {}
    for column, headers in COLUMN_HEADERS.items():
        index = next((i for i, n in enumerate(names) if n in headers), None)
        if index is not None:
            found[column] = index
    return found


def _header(records: Iterator[Record]) -> tuple[Record, dict[str, int]] | None:
    """The first of the first rows that names a status column and a task or title column."""
    for line, cells in itertools.islice(nonblank(records), HEADER_SEARCH_ROWS):
        found = _columns(cells)
        if "status" in found and ("task" in found or "title" in found):
            return (line, cells), found
    return None


def load_tasks(path: Path, plan: Plan, *, sheet: str | None = None) -> TaskReports:
    """Read a tasks progress file against a plan; problems are collected, never raised
    (a file that cannot be opened is a StiPlanError, exit 2)."""
    with table_rows(path, sheet) as source:
        reports = TaskReports(str(path), sheet=source.sheet)
        _Reader(plan, reports, source).read()
    reports.encoding = source.encoding
    return reports


class _Reader:
    def __init__(self, plan: Plan, reports: TaskReports, source: RowSource) -> None:
        self.plan = plan
        self.reports = reports
        self.source = source
        self.seen: dict[tuple[str, int], int] = {}  # (task, months) -> line

    def problem(self, code: Code, message: str, line: int, col: int | None = None) -> None:
        column = None if col is None else col + self.source.col_offset
        self.reports.problems.append(
            Problem(
                code, self.reports.path, message, line=line, col=column, sheet=self.source.sheet
            )
        )

    def read(self) -> None:
        records = self.source.records()
        header = _header(records)
        if header is None:
            if self.source.stop is None:
                self.problem(
                    Code.MISSING_COLUMN,
                    _("no header names a task and a status column (任务/序号, 状态)"),
                    1,
                )
        else:
            (line, cells), columns = header
            if "period" not in columns:
                message = _("missing the period column ({accepted})").format(
                    accepted="/".join(COLUMN_HEADERS["period"])
                )
                self.problem(Code.MISSING_COLUMN, message, line)
            else:
                self.rows(line, cells, columns, records)
        if self.source.stop is not None:
            self.reports.problems.append(self.source.stop)

    def rows(
        self, header: int, cells: list[str], columns: dict[str, int], records: Iterator[Record]
    ) -> None:
        known = set(columns.values())
        for index, cell in enumerate(cells):
            if cell.strip() and index not in known:
                message = _("unknown column {name} (ignored)").format(name=shown(cell.strip()))
                self.problem(Code.EXTRA_COLUMN, message, header, index + 1)
        count = 0
        for line, row in records:
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            self.row(line, row, columns)
        if count == 0:
            self.problem(Code.HEADER_ONLY, _("the file has a header and no rows"), header)

    def row(self, line: int, row: list[str], columns: dict[str, int]) -> None:
        def cell(column: str) -> str:
            index = columns.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        if not any(cell(c) for c in ("status", "progress", "note", "evidence", "owner")):
            return  # a template's row not filled in: no report, not a problem
        named = "task" if cell("task") else "title"
        task = self.task(cell(named), line, columns.get(named, 0))
        period = self.period(cell("period"), line, columns["period"])
        status = status_of(cell("status"))
        if status is None:
            words = ", ".join(w for words in STATUS_WORDS.values() for w in words[:2])
            message = _("not a task status: {value} (use {words})").format(
                value=shown(cell("status")), words=words
            )
            self.problem(Code.BAD_STATUS, message, line, columns["status"] + 1)
        progress = self.progress(cell("progress"), line, columns.get("progress"))
        if task is None or period is None or status is None or progress is False:
            return
        key = (task.id, period.months)
        earlier = self.seen.get(key)
        if earlier is not None:
            message = _("task {number} for {period} is already given at line {line}").format(
                number=task.number, period=period.code, line=earlier
            )
            self.problem(Code.DUPLICATE_ROW, message, line)
            return
        self.seen[key] = line
        self.reports.rows.append(
            TaskRow(
                task.id,
                period,
                status,
                line,
                progress=progress if isinstance(progress, Decimal) else None,
                note=cell("note"),
                evidence=cell("evidence"),
                owner=cell("owner"),
            )
        )

    def task(self, text: str, line: int, col: int) -> Task | None:
        found, candidates = find_task(self.plan, text)
        if found is not None:
            return found
        if len(candidates) > 1:
            names = "、".join(f"{t.number}.{t.title}" for t in candidates)
            message = _("{value} starts the titles of several tasks: {names}").format(
                value=shown(text), names=names
            )
            self.problem(Code.AMBIGUOUS_TASK, message, line, col + 1)
        else:
            message = _("{value} names no key task of the plan (see `sti-plan tasks`)").format(
                value=shown(text)
            )
            self.problem(Code.UNKNOWN_TASK, message, line, col + 1)
        return None

    def period(self, text: str, line: int, col: int) -> Period | None:
        year = self.plan.year
        period = parse_period(text) or yearless_period(text, year)
        if period is None:
            message = _("not a period: {value} (use e.g. 2020-06, 2020-Q2)").format(
                value=shown(text)
            )
            self.problem(Code.BAD_PERIOD, message, line, col + 1)
            return None
        if period.year != year:
            message = _("{period} is not in the plan year {year}").format(
                period=period.code, year=year
            )
            self.problem(Code.BAD_PERIOD, message, line, col + 1)
            return None
        return period

    def progress(self, text: str, line: int, col: int | None) -> Decimal | bool | None:
        """The progress in percent; None when not given; False when it is wrong (said)."""
        if not text or col is None:
            return None
        try:
            value = Decimal(_normal(text).rstrip("%").strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            message = _("progress must be a number from 0 to 100: {value}").format(
                value=shown(text)
            )
            self.problem(Code.TYPE_ERROR, message, line, col + 1)
            return False
        return value

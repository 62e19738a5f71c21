"""Results -> records: the JSON documents and CSV rows, every figure at full precision.

Records and documents hold values as they are (Decimals, periods, enums, dataclasses);
`jsonable` and `to_csv` are the one conversion each format makes of them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from ..formats import SCHEMA_VERSION
from ..model import Measure, Plan, Region, Target
from ..periods import Period
from ..problems import C1_AND_MARKS, plain
from ..results import (
    EXPLAINED,
    Assessment,
    Bulletin,
    Explanation,
    Figure,
    FileReport,
    GapAnalysis,
    Input,
    RegionMatrix,
    RegionReport,
    RegionStanding,
    RegionTarget,
    Report,
    TaskReport,
    TaskStanding,
    Trend,
    ValidationReport,
)


def fields_of(record: Any, leave_out: Sequence[str] = ()) -> dict[str, Any]:
    """A dataclass's fields and their values, in order (not those kept for computing)."""
    return {
        f.name: getattr(record, f.name)
        for f in fields(record)
        if f.name not in leave_out and not f.metadata.get("internal")
    }


def document(plan: Plan | None, **body: Any) -> dict[str, Any]:
    """A JSON document: the schema version, the plan it is about (if one), then the body."""
    head: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if plan is not None:
        head["plan"] = {
            "id": plan.id,
            "title": plan.title,
            "title_en": plan.title_en,
            "issuer": plan.issuer,
            "year": plan.year,
        }
        if plan.years is not None:
            head["plan"]["years"] = list(plan.years)
    return {**head, **body}


def as_of_code(period: Period | None) -> str | None:
    return period.month_code if period else None


def _target_fields(target: Target) -> dict[str, Any]:
    return {
        "id": target.id,
        "name": target.name,
        "name_en": target.name_en,
        "unit": target.unit,
        "gap_unit": target.gap_unit,
        "kind": target.kind,
        "comparison": target.comparison,
    }


def assessment_record(assessment: Assessment) -> dict[str, Any]:
    """One target's figures: the target, where its actual comes from, and how it stands."""
    target, actual = assessment.target, assessment.actual
    return {
        **_target_fields(target),
        "target": target.value,
        "actual": actual.value if actual else None,
        "period": actual.period if actual else None,
        "basis": actual.basis if actual else None,
        **fields_of(assessment, leave_out=("target", "actual", "status", "completion")),
        "status": assessment.status,
    }


def gap_record(analysis: GapAnalysis) -> dict[str, Any]:
    return {
        **assessment_record(analysis.assessment),
        **fields_of(analysis, leave_out=("assessment", "as_of", "problems")),
    }


def ranking_records(ranked: Sequence[Assessment]) -> list[dict[str, Any]]:
    return [
        {"rank": rank, **assessment_record(a), "shortfall_vs_expected": a.shortfall_vs_expected}
        for rank, a in enumerate(ranked, 1)
    ]


def measure_record(plan: Plan, measure: Measure) -> dict[str, Any]:
    target = measure if isinstance(measure, Target) else None
    derivation = plan.derivation_for(measure.id)
    return {
        "id": measure.id,
        "role": "target" if target else "indicator",
        "name": measure.name,
        "name_en": measure.name_en,
        "unit": measure.unit,
        "kind": measure.kind,
        "comparison": target.comparison if target else None,
        "target": target.value if target else None,
        "aliases": list(measure.aliases),
        "derived_by": derivation.formula if derivation else None,
    }


def file_record(report: FileReport) -> dict[str, Any]:
    return {
        "path": report.path,
        "kind": report.kind,
        "valid": report.valid,
        "rows": report.rows,
        "encoding": report.encoding,
        "sheet": report.sheet,
        "problem_count": report.problem_count,
        "problems": report.problems,
    }


def status_document(report: Report) -> dict[str, Any]:
    counts = {status.value: count for status, count in report.counts().items()}
    stale = {status.value: count for status, count in report.stale_counts().items()}
    targets = [assessment_record(a) for a in report.assessments]
    return document(
        report.plan,
        as_of=as_of_code(report.as_of),
        counts=counts,
        stale_counts=stale,
        targets=targets,
        problems=report.problems,
    )


def part_of_record(report: Report) -> dict[str, Any]:
    """The plan over several years a year's plan is part of: as a status document, without
    its schema version and problems (its file is the year's, checked against that plan)."""
    document = status_document(report)
    return {
        key: value for key, value in document.items() if key not in ("schema_version", "problems")
    }


def gap_document(plan: Plan, analysis: GapAnalysis) -> dict[str, Any]:
    return document(
        plan,
        as_of=as_of_code(analysis.as_of),
        target=gap_record(analysis),
        problems=analysis.problems,
    )


def formula(figure: Figure) -> str | None:
    """A figure's formula with its numbers put in, and its value at full precision:
    785 + (900 − 785) × 6/12 = 842.5."""
    if not figure.terms:
        return None
    written = "".join(plain(t) if isinstance(t, Decimal) else t for t in figure.terms)
    value = figure.value
    if isinstance(value, Decimal):
        return f"{written} = {plain(value)}" if written != plain(value) else written
    return f"{written}: {value}" if value is not None else written


def input_record(row: Input) -> dict[str, Any]:
    return {
        "file": row.file,
        "line": row.line,
        "sheet": row.sheet,
        "region": row.region,
        "period": row.period,
        "value": row.value,
    }


def figure_record(figure: Figure | None) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {
        "value": figure.value,
        "formula": formula(figure),
        "note": figure.note,
        "inputs": [input_record(row) for row in figure.inputs],
    }


def explanation_document(explanation: Explanation) -> dict[str, Any]:
    target = explanation.assessment.target
    return document(
        explanation.plan,
        as_of=as_of_code(explanation.as_of),
        target={
            **_target_fields(target),
            "target": target.value,
            "stale": explanation.assessment.stale,
        },
        figures={name: figure_record(explanation.figures[name]) for name in EXPLAINED},
        problems=explanation.problems,
    )


def explanation_records(explanation: Explanation) -> list[dict[str, Any]]:
    """A row per input row of each figure (a figure resting on none: one row)."""
    rows: list[dict[str, Any]] = []
    for name in EXPLAINED:
        figure = explanation.figures[name]
        if figure is None:
            continue
        head = {"figure": name, "value": figure.value, "formula": formula(figure)}
        empty = dict.fromkeys(("file", "line", "sheet", "region", "period"))
        inputs = [input_record(row) for row in figure.inputs] or [{**empty, "value": None}]
        for row in inputs:
            rows.append({**head, **{f"input_{key}": value for key, value in row.items()}})
    return rows


def ranking_document(report: Report, ranked: Sequence[Assessment]) -> dict[str, Any]:
    as_of = as_of_code(report.as_of)
    return document(
        report.plan, as_of=as_of, ranking=ranking_records(ranked), problems=report.problems
    )


def region_record(standing: RegionStanding) -> dict[str, Any]:
    return fields_of(standing)


def target_head(target: Target) -> dict[str, Any]:
    return {
        "id": target.id,
        "name": target.name,
        "unit": target.unit,
        "gap_unit": target.gap_unit,
        "kind": target.kind,
        "comparison": target.comparison,
        "value": target.value,
    }


def bulletin_body(report: Bulletin) -> dict[str, Any]:
    return {
        "target": target_head(report.target),
        "period": report.period,
        "ranked_by": report.by,
        "regions": [region_record(r) for r in report.regions],
        "city": assessment_record(report.city),
    }


def bulletin_document(report: Bulletin) -> dict[str, Any]:
    return document(
        report.plan,
        as_of=as_of_code(report.as_of),
        **bulletin_body(report),
        problems=report.problems,
    )


def bulletin_records(report: Bulletin) -> list[dict[str, Any]]:
    """A row per region, then the city's, under the same header."""
    city = report.city
    actual = city.actual
    whole = {
        "region": "全市",
        "region_id": None,
        "kind": "city",
        "in_total": None,
        "target": report.target.value,
        "actual": actual.value if actual else None,
        "period": actual.period if actual else None,
        "baseline": city.baseline,
        "expected": city.expected,
        "percent_of_target": city.percent_of_target,
        "progress_percent": city.progress_percent,
        "pace_percent": city.pace_percent,
        "vs_pace_pp": city.vs_pace_pp,
        "growth": city.growth,
        "gap": city.gap,
        "status": city.status,
        "rank": None,
    }
    return [*(region_record(r) for r in report.regions), whole]


def region_head(region: Region) -> dict[str, Any]:
    return {
        "region": region.name,
        "region_id": region.id,
        "kind": region.kind,
        "in_total": region.counts_in_total,
        "parent": region.parent,
    }


def matrix_document(matrix: RegionMatrix) -> dict[str, Any]:
    """The regions (the matrix's columns), then every target's bulletin (its rows)."""
    top = [r for r in matrix.plan.regions if r.parent is None]
    return document(
        matrix.plan,
        as_of=as_of_code(matrix.as_of),
        regions=[region_head(r) for r in top],
        targets=[bulletin_body(b) for b in matrix.bulletins],
        problems=matrix.problems,
    )


def matrix_records(matrix: RegionMatrix) -> list[dict[str, Any]]:
    """Long form: a row per target and region (then the city), the bulletin's columns after
    the target's id and name."""
    return [
        {"target_id": b.target.id, "target_name": b.target.name, **record}
        for b in matrix.bulletins
        for record in bulletin_records(b)
    ]


def region_target_record(row: RegionTarget) -> dict[str, Any]:
    """One target as the region stands on it: `target` is the region's share."""
    target = row.target
    return {
        **_target_fields(target),
        "city_target": target.value,
        **fields_of(row.standing, leave_out=("region", "region_id", "kind", "in_total")),
        "rank_of": row.rank_of,
    }


def region_report_document(report: RegionReport) -> dict[str, Any]:
    counts = {status.value: count for status, count in report.counts().items()}
    return document(
        report.plan,
        as_of=as_of_code(report.as_of),
        region=region_head(report.region),
        counts=counts,
        no_share=report.no_share,
        targets=[region_target_record(row) for row in report.targets],
        problems=report.problems,
    )


def targets_document(plan: Plan) -> dict[str, Any]:
    return document(plan, measures=[measure_record(plan, m) for m in plan.measures])


def validation_document(report: ValidationReport) -> dict[str, Any]:
    return document(
        None,
        valid=report.valid,
        problem_count=report.problem_count,
        warning_count=report.warning_count,
        files=[file_record(f) for f in report.files],
    )


def number(value: Decimal) -> int | float:
    """A JSON number: integers stay integers, the rest become the nearest float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def jsonable(value: Any) -> Any:
    """Records as JSON data: Decimals as numbers, periods by their codes, enums by their
    values, dataclasses as objects of their fields."""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Period):
        return value.code
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(fields_of(value))
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


class JsonText(str):
    """A JSON document: its non-ASCII characters can be escaped without changing it."""

    def ascii(self) -> str:
        return json.dumps(json.loads(self), ensure_ascii=True, indent=2) + "\n"


_JSON_UNSAFE = re.compile(f"[{C1_AND_MARKS}]")  # json.dumps escapes C0 itself


def to_json(data: dict[str, Any]) -> JsonText:
    """JSON with Chinese as it is; controls as \\u escapes (the same JSON, safe to print)."""
    text = json.dumps(jsonable(data), ensure_ascii=False, indent=2) + "\n"
    return JsonText(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


# ---------------------------------------------------------------- CSV


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows: Iterable[Sequence[Any]]) -> str:
    """CSV text: numbers at full precision, text cells safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; CR and LF in cells get quoted
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, list):
        value = "|".join(str(item) for item in value)
    text = str(value)  # a Period is its code
    # A text cell that a spreadsheet would run as a formula is kept as text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def records_csv(records: Sequence[dict[str, Any]]) -> str:
    """One header row from the records' keys, one row per record."""
    header = list(records[0]) if records else []
    return to_csv([header, *([record[key] for key in header] for record in records)])


def flatten(record: dict[str, Any], nested: Mapping[str, type]) -> dict[str, Any]:
    """Nested records (dataclasses) as prefixed columns, always present, so that every
    file has the same header."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        kind = nested.get(key)
        if kind is None:
            flat[key] = value
            continue
        for name in fields_of_kind(kind):  # in the nested record's place
            flat[f"{key}_{name}"] = None if value is None else getattr(value, name)
    return flat


def trend_document(report: Trend) -> dict[str, Any]:
    """`trend -f json`: the target, the region (if one), every period, the year-end range."""
    target = report.target
    region = report.region
    return document(
        report.plan,
        as_of=as_of_code(report.as_of),
        target={**_target_fields(target), "target": target.value, "pace": report.pace},
        region=(
            {"id": region.id, "name": region.name, "share": report.share}
            if region is not None
            else None
        ),
        points=[fields_of(point) for point in report.points],
        projection=report.projection,
        problems=report.problems,
    )


def trend_records(report: Trend) -> list[dict[str, Any]]:
    """`trend -f csv`: a row per period, the target (and region) named on each."""
    region = report.region.id if report.region is not None else None
    return [
        {"target": report.target.id, "region": region, **fields_of(point)}
        for point in report.points
    ]


def fields_of_kind(kind: type) -> list[str]:
    """The names of a result type's record fields."""
    return [f.name for f in fields(kind) if not f.metadata.get("internal")]


def task_record(standing: TaskStanding) -> dict[str, Any]:
    task, row = standing.task, standing.row
    return {
        "id": task.id,
        "number": task.number,
        "group": task.group,
        "title": task.title,
        "status": standing.status,
        "progress": row.progress if row else None,
        "period": row.period if row else None,
        "note": row.note if row and row.note else None,
        "lead": task.lead,
        "overdue": standing.overdue,
        "targets": [{"id": target.id, "status": status} for target, status in standing.targets],
        "due": task.due,
        "units": task.units,
        "evidence": row.evidence if row and row.evidence else None,
        "owner": row.owner if row and row.owner else None,
        "line": row.line if row else None,
        "milestones": [
            {
                "period": m.code,
                "what": m.what,
                "implied_progress": m.implied,
                "passed": m.passed,
                "overdue": m.overdue,
            }
            for m in standing.milestones
        ],
    }


def task_counts(report: TaskReport) -> dict[str, int]:
    counts = {status.value: n for status, n in report.counts().items()}
    return {**counts, "overdue": report.overdue_count()}


def tasks_document(report: TaskReport) -> dict[str, Any]:
    by_group = {
        group.id: task_counts_of(report, [s for s in report.tasks if s.task.group == group.id])
        for group in report.plan.groups
    }
    return document(
        report.plan,
        as_of=as_of_code(report.as_of),
        tasks=[task_record(s) for s in report.tasks],
        counts={**task_counts(report), "groups": by_group},
        problems=report.problems,
    )


def task_counts_of(report: TaskReport, standings: list[TaskStanding]) -> dict[str, int]:
    counts = {status.value: n for status, n in report.counts(standings).items()}
    return {**counts, "overdue": sum(s.overdue for s in standings)}


def task_csv_records(report: TaskReport) -> list[dict[str, Any]]:
    """A row per task; its linked targets as `id:status` joined by `;`."""
    rows = []
    for standing in report.tasks:
        record = task_record(standing)
        record["targets"] = ";".join(f"{t['id']}:{t['status'].value}" for t in record["targets"])
        record["units"] = ";".join(record["units"])
        record["milestones"] = ";".join(f"{m['period']}:{m['what']}" for m in record["milestones"])
        rows.append(record)
    return rows

"""Results and problems -> text for people: rounded figures, Markdown, problem lines, annotations.

No rich here: the terminal tables (tables.py) build on the cells and lines made here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import NamedTuple

from ..model import Comparison, Kind, Measure, Plan, Region, Target, short_region_name
from ..periods import Period
from ..problems import Problem, Severity, one_line
from ..results import (
    EXPLAINED,
    Assessment,
    Basis,
    Bulletin,
    Explanation,
    Figure,
    GapAnalysis,
    Input,
    RegionMatrix,
    RegionReport,
    RegionTarget,
    Report,
    Status,
    ValidationReport,
)

SYMBOL = {
    Comparison.AT_LEAST: "≥",
    Comparison.MORE_THAN: ">",
    Comparison.AT_MOST: "≤",
    Comparison.LESS_THAN: "<",
}
BASIS_MARK = {Basis.REPORTED: "", Basis.REGIONAL_SUM: " Σ", Basis.DERIVED: " ƒ"}
BAR_WIDTH = 8


# ---------------------------------------------------------------- figures


def rounded(value: Decimal | None, places: int = 2) -> str:
    """For people: rounded half up, thousands separated, no trailing zeros."""
    if value is None:
        return "–"
    quantum = Decimal(1).scaleb(-places)
    with localcontext() as context:
        context.prec = max(context.prec, value.adjusted() + places + 2)
        text = format(value.quantize(quantum, rounding=ROUND_HALF_UP), ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def with_unit(value: Decimal | None, unit: str, places: int = 2) -> str:
    return "–" if value is None else f"{rounded(value, places)}{unit}"


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{rounded(value, 1)}%"


def target_text(target: Target) -> str:
    return f"{SYMBOL[target.comparison]} {rounded(target.value)}{target.unit}"


def status_label(status: Status) -> str:
    return status.value.replace("_", " ")


def bar(fraction_percent: Decimal | None) -> str:
    if fraction_percent is None:
        return " " * BAR_WIDTH
    share = min(max(fraction_percent, Decimal(0)), Decimal(100))
    filled = int(share * BAR_WIDTH / 100)  # rounded down: a full bar means 100 % or more
    return "█" * filled + "░" * (BAR_WIDTH - filled)


INCOMPLETE_MARK = " !"  # after the period: later regional rows fell short, this one is shown
STALE_MARK = " *"  # after the period: nothing later was reported, up to the as-of period


def incomplete(assessment: Assessment) -> bool:
    """Whether the latest regional rows miss a region, so an earlier period stands."""
    return assessment.regions is not None and bool(assessment.regions.missing)


def period_code(assessment: Assessment) -> str:
    """The period the actual is of, marked when later regional rows fell short, or when it
    is stale (earlier than the as-of period)."""
    if assessment.actual is None:
        return "–"
    stale = STALE_MARK if assessment.stale else ""
    return assessment.actual.period.code + (INCOMPLETE_MARK if incomplete(assessment) else stale)


def period_text(assessment: Assessment) -> str:
    if assessment.actual is None:
        return "–"
    return f"{period_code(assessment)}{BASIS_MARK[assessment.actual.basis]}"


def coverage_text(assessment: Assessment) -> str | None:
    """What a regional sum rests on, when it falls short: 2020-06: 1 of 2 regions ..."""
    coverage = assessment.regions
    if coverage is None or not coverage.missing:
        return None
    shown = assessment.actual.period.code if assessment.actual else None
    stands = f"{shown} is shown" if shown else "no complete period"
    return (
        f"{coverage.period.code}: {coverage.reported} of {coverage.expected} regions reported "
        f"({'、'.join(coverage.missing)} not); {stands}"
    )


def stale_text(assessment: Assessment, as_of: Period | None) -> str | None:
    """last reported 2020-06, before 2020-12: a stale figure that later rows do not explain."""
    if not assessment.stale or incomplete(assessment) or assessment.actual is None:
        return None
    return f"last reported {assessment.actual.period.code}, before {as_of_text(as_of)}"


def target_notes(report: Report) -> list[str]:
    """A line for each target whose figure rests on less than it should, is stale, or has
    none where rows were given."""
    lines = []
    for a in report.assessments:
        notes = (coverage_text(a), stale_text(a, report.as_of), a.note)
        said = [text for text in notes if text]
        if said:
            lines.append(f"{a.target.name} ({a.target.id}): {'; '.join(said)}")
    return lines


def as_of_text(period: Period | None) -> str:
    return period.month_code if period else "no data for the plan year"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- status


STATUS_COLUMNS = (
    "Target",
    "ID",
    "Goal",
    "Actual",
    "Period",
    "Expected",
    "Gap",
    "Progress",
    "Status",
)


def gap_text(value: Decimal | None, target: Target) -> str:
    """A gap in the target's gap unit: 88家, 0.49 pp (a % target's, in percentage points,
    written as the points above or below pace are)."""
    unit = target.gap_unit
    return with_unit(value, f" {unit}" if unit == "pp" else unit)


def status_cells(a: Assessment) -> dict[str, str]:
    unit = a.target.unit
    return {
        "Target": a.target.name,
        "ID": a.target.id,
        "Goal": target_text(a.target),
        "Actual": with_unit(a.actual.value if a.actual else None, unit),
        "Period": period_text(a),
        "Expected": with_unit(a.expected, unit),
        "Gap": gap_text(a.gap, a.target),
        "Progress": percent(a.completion),
        "Status": status_label(a.status),
    }


def summary_head(report: Report) -> str:
    """The summary line's start; the counts follow, each as `count_text`, joined by ", "."""
    return f"{len(report.assessments)} targets, as of {as_of_text(report.as_of)}: "


def count_text(status: Status, count: int) -> str:
    return f"{count} {status_label(status)}"


def stale_head(report: Report) -> str:
    """The start of the stale targets' count, set apart after the others': `; stale (…): `."""
    return f"; stale (last reported before {as_of_text(report.as_of)}): "


def stale_counts(report: Report) -> list[tuple[Status, int]]:
    return [(status, n) for status, n in report.stale_counts().items() if n]


def summary_line(report: Report) -> str:
    counts = ", ".join(count_text(status, count) for status, count in report.counts().items())
    stale = stale_counts(report)
    if stale:
        counts += stale_head(report) + ", ".join(count_text(s, n) for s, n in stale)
    return summary_head(report) + counts


def legend(report: Report) -> str:
    """Explain the marks that the table uses, and only those."""
    used = {a.actual.basis for a in report.assessments if a.actual is not None}
    notes = {
        Basis.REGIONAL_SUM: "Σ = sum of regional rows",
        Basis.DERIVED: "ƒ = derived by the plan's formula",
    }
    said = [note for basis, note in notes.items() if basis in used]
    if any(incomplete(a) for a in report.assessments):
        said.append("! = later regional rows are incomplete: the latest complete period")
    if any(a.stale and not incomplete(a) for a in report.assessments):
        said.append("* = not reported since: stale")
    return ", ".join(said)


def status_markdown(report: Report) -> str:
    title = f"## {report.plan.title}: status as of {as_of_text(report.as_of)}\n\n"
    rows = ([cells[c] for c in STATUS_COLUMNS] for cells in map(status_cells, report.assessments))
    notes = legend(report)
    remarks = "".join(f"- {line}\n" for line in target_notes(report))
    return (
        title
        + markdown_table(STATUS_COLUMNS, rows)
        + "\n"
        + summary_line(report)
        + "\n"
        + (notes + "\n" if notes else "")
        + ("\n" + remarks if remarks else "")
    )


# ---------------------------------------------------------------- gap


def gap_lines(plan: Plan, analysis: GapAnalysis) -> list[tuple[str, str]]:
    """One target in depth, as (figure, value) lines."""
    a = analysis.assessment
    unit = a.target.unit
    lines = [("Status", status_label(a.status))]
    if a.actual is None:
        lines.append(("Actual", a.note or "no data reported"))
        said = coverage_text(a)
        if said:
            lines.append(("Regions", said))
        return lines
    lines.append(("Actual", f"{with_unit(a.actual.value, unit)} ({period_text(a).strip()})"))
    said = coverage_text(a)
    if said:
        lines.append(("Regions", said))
    stale = stale_text(a, analysis.as_of)
    if stale:
        lines.append(("Stale", stale))
    if a.baseline is not None:
        lines.append(("Baseline", f"{with_unit(a.baseline, unit)} (previous year-end)"))
    lines += [
        ("Expected by now", with_unit(a.expected, unit)),
        ("Progress", percent(a.completion)),
    ]
    if a.percent_of_target is not None and a.percent_of_target != a.completion:
        lines.append(("% of target", percent(a.percent_of_target)))
    target = a.target
    whole = target.unit in plan.unit_table.whole
    lines += [("Gap", gap_text(a.gap, target)), ("To meet", to_meet_text(a, whole))]
    allowance = target.kind is Kind.CUMULATIVE and not target.comparison.higher_is_better
    if allowance:
        left = _strictly(target, whole, gap_text(analysis.remaining, target), within=True)
        lines.append(("Allowance left", left))
    lines.append(
        ("Months", f"{analysis.months_elapsed} elapsed, {analysis.months_remaining} remaining")
    )
    if analysis.pace_so_far is not None:
        lowering = target.kind is Kind.STOCK and not target.comparison.higher_is_better
        so_far, needed = (
            ("Reduction so far", "Reduction needed")
            if lowering
            else (("Pace so far", "Pace allowed") if allowance else ("Pace so far", "Pace needed"))
        )
        lines.append((so_far, f"{with_unit(analysis.pace_so_far, unit)} per month"))
        if analysis.pace_needed is not None and (allowance or a.to_meet is not None):
            pace = with_unit(analysis.pace_needed, unit)
            pace = _strictly(target, whole, pace, within=allowance)
            lines.append((needed, f"{pace} per month"))
        lines.append(("Year-end at this pace", with_unit(analysis.projected_year_end, unit)))
    if analysis.ratio is not None:
        r = analysis.ratio
        numerator, n_unit = _name_and_unit(plan, r.numerator)
        denominator, d_unit = _name_and_unit(plan, r.denominator)
        short = max(r.numerator_needed - r.numerator_current, Decimal(0))
        lines += [
            (
                f"{numerator} needed",
                f"{with_unit(r.numerator_needed, n_unit)} for {target_text(a.target)} of "
                f"{denominator} {with_unit(r.denominator_value, d_unit)}",
            ),
            (f"{numerator} now", with_unit(r.numerator_current, n_unit)),
            (f"{numerator} short by", with_unit(short, n_unit)),
        ]
    if analysis.growth_need is not None:
        g = analysis.growth_need
        grown, g_unit = _name_and_unit(plan, g.of)
        lines += [
            (f"{grown} base", f"{with_unit(g.base_value, g_unit)} ({g.base_period.code})"),
            (f"{grown} needed", with_unit(g.needed_value, g_unit)),
            (f"{grown} now", with_unit(g.current_value, g_unit)),
        ]
        if g.year_end_needed is not None:
            lines.append(
                (
                    f"{grown} needed for the year",
                    f"{with_unit(g.year_end_needed, g_unit)} "
                    f"(previous year {with_unit(g.year_end_base, g_unit)})",
                )
            )
    return lines


def _strictly(target: Target, whole: bool, amount: str, *, within: bool = False) -> str:
    """An amount that a strict target (more than, less than) on a continuous unit must go
    past ("more than 0.2亿元"), or, `within` an allowance, stay below ("less than 2亿元")."""
    if whole or target.comparison not in (Comparison.MORE_THAN, Comparison.LESS_THAN):
        return amount
    return f"{'less' if within else 'more'} than {amount}"


def to_meet_text(a: Assessment, whole: bool) -> str:
    """89家 to add, 15家 to take off, more than 0.2亿元 to add; met; a cumulative
    maximum broken: exceeded by 3个. `whole`: the target's unit counts whole numbers."""
    target = a.target
    if a.to_meet is None:
        return "met"
    amount = gap_text(a.to_meet, target)
    if target.comparison.higher_is_better:
        return f"{_strictly(target, whole, amount)} to add"
    if target.kind is Kind.CUMULATIVE:
        return f"exceeded by {amount} (a year-to-date total does not come down)"
    return f"{_strictly(target, whole, amount)} to take off"


def _name_and_unit(plan: Plan, measure_id: str) -> tuple[str, str]:
    measure = plan.measure(measure_id)
    return (measure.name, measure.unit) if measure else (measure_id, "")


def gap_markdown(plan: Plan, analysis: GapAnalysis) -> str:
    target = analysis.assessment.target
    head = f"## {target.name} ({target.id}): {target_text(target)}\n\n"
    return head + markdown_table(("Figure", "Value"), gap_lines(plan, analysis))


# ---------------------------------------------------------------- explain

FIGURE_LABELS = {
    "actual": "Actual",
    "baseline": "Baseline",
    "expected": "Expected by now",
    "percent_of_target": "% of target",
    "progress_percent": "Progress (完成率)",
    "pace_percent": "Pace (序时进度)",
    "vs_pace_pp": "vs pace",
    "gap": "Gap",
    "to_meet": "To meet",
    "growth": "Growth (同比)",
    "status": "Status",
}
FORMULA_PLACES = 4  # the figures in a formula, for people; JSON keeps them whole


def cell_width(text: str) -> int:
    """Terminal cells: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def figure_unit(name: str, target: Target) -> str:
    if name in ("percent_of_target", "progress_percent", "pace_percent", "growth"):
        return "%"
    if name == "vs_pace_pp":
        return " pp"
    if name in ("gap", "to_meet"):
        return " pp" if target.gap_unit == "pp" else target.unit
    return target.unit


def figure_value(name: str, figure: Figure, assessment: Assessment) -> str:
    if isinstance(figure.value, Decimal):
        return with_unit(figure.value, figure_unit(name, assessment.target))
    return status_label(assessment.status) if name == "status" else "–"


def formula_text(figure: Figure) -> str:
    """The formula with its numbers put in and its result, rounded for reading."""
    written = "".join(
        rounded(t, FORMULA_PLACES) if isinstance(t, Decimal) else t for t in figure.terms
    )
    value = figure.value
    if isinstance(value, Decimal):
        result = rounded(value, FORMULA_PLACES)
        exact = value == Decimal(result.replace(",", ""))
        if written == result:
            return written
        return f"{written} = {result}" if exact else f"{written} ≈ {result}"
    return written


def input_text(row: Input) -> str:
    where = (
        f"{row.file}:{row.sheet}!{row.line}:{row.line}" if row.sheet else f"{row.file}:{row.line}"
    )
    value = (
        "(its value is in the file)" if row.value is None else rounded(row.value, FORMULA_PLACES)
    )
    return f"{where}  {row.region or '全市'}  {row.period}  {value}"


def explanation_lines(explanation: Explanation) -> list[str]:
    """A figure a paragraph: its value, its formula and note, the rows it rests on."""
    a = explanation.assessment
    target = a.target
    lines = [f"{target.name} ({target.id}): {target_text(target)}, {as_of_text(explanation.as_of)}"]
    width = max(map(cell_width, FIGURE_LABELS.values())) + 2
    for name in EXPLAINED:
        figure = explanation.figures[name]
        if figure is None:
            continue
        shown = figure_value(name, figure, a)
        lines.append("")
        label = FIGURE_LABELS[name]
        lines.append(label + " " * (width - cell_width(label)) + shown)
        said = formula_text(figure) if figure.terms else ""
        if figure.note:
            said = f"{said}  ({figure.note})" if said else figure.note
        if said:
            lines.append(" " * width + said)
        lines += [" " * width + input_text(row) for row in figure.inputs]
    return lines


def explanation_markdown(explanation: Explanation) -> str:
    target = explanation.assessment.target
    when = as_of_text(explanation.as_of)
    head = f"## {target.name} ({target.id}): {target_text(target)}, {when}\n\n"
    rows = []
    for name in EXPLAINED:
        figure = explanation.figures[name]
        if figure is None:
            continue
        shown = figure_value(name, figure, explanation.assessment)
        inputs = "<br>".join(input_text(row) for row in figure.inputs)
        rows.append((FIGURE_LABELS[name], shown, formula_text(figure), figure.note or "", inputs))
    return head + markdown_table(("Figure", "Value", "Formula", "Note", "Inputs"), rows)


# ---------------------------------------------------------------- ranking


RANK_COLUMNS = (
    "#",
    "Target",
    "ID",
    "Status",
    "Actual",
    "Expected",
    "Behind expected",
    "Progress",
    "Gap",
)


def rank_cells(rank: int, a: Assessment) -> dict[str, str]:
    unit = a.target.unit
    return {
        "#": str(rank),
        "Target": a.target.name,
        "ID": a.target.id,
        "Status": status_label(a.status),
        "Actual": with_unit(a.actual.value if a.actual else None, unit),
        "Expected": with_unit(a.expected, unit),
        "Behind expected": percent(a.shortfall_vs_expected),
        "Progress": percent(a.completion),
        "Gap": gap_text(a.gap, a.target),
    }


def ranking_markdown(report: Report, ranked: Sequence[Assessment]) -> str:
    rows = ([rank_cells(r, a)[c] for c in RANK_COLUMNS] for r, a in enumerate(ranked, 1))
    title = f"## {report.plan.title}: targets by shortfall as of {as_of_text(report.as_of)}"
    return title + "\n\n" + markdown_table(RANK_COLUMNS, rows)


# ---------------------------------------------------------------- the bulletin


BULLETIN_COLUMNS = (
    "Region",
    "Target",
    "Actual",
    "Progress",
    "Pace",
    "vs pace",
    "Growth",
    "Status",
    "Rank",
)
RANKED_BY = {
    "progress": "progress (完成率)",
    "actual": "the actual",
    "growth": "growth on last year (同比)",
    "pace": "points above pace (超序时进度)",
}


def signed(value: Decimal | None, unit: str) -> str:
    """+2.3 pp, -15.2%: which side of the line a figure is on."""
    if value is None:
        return "–"
    text = rounded(value, 1)
    return f"{'+' if value > 0 else ''}{text}{unit}"


def bulletin_rows(report: Bulletin) -> list[dict[str, str]]:
    """The regions' cells, then the city's."""
    unit = report.target.unit
    rows = []
    for r in report.regions:
        rows.append(
            {
                "Region": _short_name(report, r.region_id) or r.region,
                "Target": with_unit(r.target, unit) if r.target is not None else "-",
                "Actual": with_unit(r.actual, unit) if r.actual is not None else "not reported",
                "Progress": percent(r.progress_percent),
                "Pace": percent(r.pace_percent),
                "vs pace": signed(r.vs_pace_pp, " pp"),
                "Growth": signed(r.growth, "%"),
                "Status": status_label(r.status) if r.status else "-",
                "Rank": str(r.rank) if r.rank is not None else "-",
            }
        )
    city = report.city
    rows.append(
        {
            "Region": "全市",
            "Target": target_text(report.target),
            "Actual": with_unit(city.actual.value if city.actual else None, unit),
            "Progress": percent(city.progress_percent),
            "Pace": percent(city.pace_percent),
            "vs pace": signed(city.vs_pace_pp, " pp"),
            "Growth": signed(city.growth, "%"),
            "Status": status_label(city.status),
            "Rank": "",
        }
    )
    return rows


SHORT_NAME = 6  # characters: a longer name (芜湖经济技术开发区) is shown by its shortest alias


def _short_name(report: Bulletin, region_id: str | None) -> str | None:
    region = report.plan.region(region_id) if region_id else None
    if region is None or len(region.name) <= SHORT_NAME or not region.aliases:
        return None
    return min(region.aliases, key=len)


def region_label(plan: Plan, region: Region) -> str:
    """A region as a column heading: 镜湖 for 镜湖区, 经开区 for 芜湖经济技术开发区 (its
    shortest alias), the name itself where a shorter one would name another region."""
    if len(region.name) > SHORT_NAME and region.aliases:
        return min(region.aliases, key=len)
    short = short_region_name(region.name)
    return short if short and plan.region_named(short) is region else region.name


def bulletin_title(report: Bulletin) -> str:
    period = report.period.code if report.period else "no data for the plan year"
    return (
        f"{report.target.name} ({report.target.id}) · {period} · ranked by {RANKED_BY[report.by]}"
    )


def bulletin_markdown(report: Bulletin) -> str:
    rows = ([cells[c] for c in BULLETIN_COLUMNS] for cells in bulletin_rows(report))
    return f"## {bulletin_title(report)}\n\n" + markdown_table(BULLETIN_COLUMNS, rows)


# ---------------------------------------------------------------- one region's status


REGION_COLUMNS = (
    "Target",
    "Share",
    "Actual",
    "Period",
    "Progress",
    "Pace",
    "vs pace",
    "Growth",
    "Status",
    "Rank",
)


def region_cells(row: RegionTarget) -> dict[str, str]:
    r, unit = row.standing, row.target.unit
    shared = r.target is not None
    return {
        "Target": row.target.name,
        "Share": with_unit(r.target, unit) if shared else "no share",
        "Actual": with_unit(r.actual, unit) if r.actual is not None else "not reported",
        "Period": r.period.code if r.period else "–",
        "Progress": percent(r.progress_percent),
        "Pace": percent(r.pace_percent),
        "vs pace": signed(r.vs_pace_pp, " pp"),
        "Growth": signed(r.growth, "%"),
        "Status": status_label(r.status) if r.status else "-",
        "Rank": f"{r.rank}/{row.rank_of}" if r.rank is not None else "-",
    }


def _shown(row: RegionTarget) -> bool:
    """Whether the region has a share of the target or has reported it."""
    return row.standing.target is not None or row.standing.actual is not None


def region_rows(report: RegionReport) -> list[RegionTarget]:
    """The targets the region has a share of or has reported: the rows shown."""
    return [row for row in report.targets if _shown(row)]


def region_notes(report: RegionReport) -> list[str]:
    """The summary, then the targets left out of the rows (no share, no report)."""
    left_out = [row.target.name for row in report.targets if not _shown(row)]
    lines = [region_summary(report)]
    if left_out:
        lines.append(f"no share and not reported ({len(left_out)}): {', '.join(left_out)}")
    return lines


def region_title(report: RegionReport) -> str:
    region = report.region
    return f"{region.name} ({region.id}) · {report.plan.title} · as of {as_of_text(report.as_of)}"


def region_summary(report: RegionReport) -> str:
    """13 targets, as of 2020-06: 2 on track, ...; 9 without a share."""
    counts = [count_text(s, n) for s, n in report.counts().items() if n]
    line = f"{len(report.targets)} targets, as of {as_of_text(report.as_of)}: "
    line += ", ".join(counts) or "none with a share"
    if report.no_share:
        line += f"; {report.no_share} without a share"
    return line


def region_markdown(report: RegionReport) -> str:
    rows = ([region_cells(row)[c] for c in REGION_COLUMNS] for row in region_rows(report))
    return (
        f"## {region_title(report)}\n\n"
        + markdown_table(REGION_COLUMNS, rows)
        + "\n"
        + "".join(f"{line}\n" for line in region_notes(report))
    )


# ---------------------------------------------------------------- regions x targets


STATUS_MARK = {
    Status.ACHIEVED: "✓",
    Status.ON_TRACK: "",
    Status.AT_RISK: "▽",
    Status.OFF_TRACK: "▼",
    Status.MISSED: "✗",
    Status.NO_DATA: "",
}


CITY_INCOMPLETE_MARK = "!"


def matrix_legend(matrix: RegionMatrix, rows: list[MatrixRow]) -> list[str]:
    """What the cells hold, the marks used (only those), and the notes of the rows: a city
    figure from an earlier complete period, the targets left out."""
    statuses = {cell.status for _, cells in rows for cell in cells}
    marks = [
        f"{STATUS_MARK[s]} {status_label(s)}" for s in Status if s in statuses and STATUS_MARK[s]
    ]
    lines = [
        "完成率 against the share (the city: its target), in whole %; without %: the value "
        "(a rate, or a region with no share); –: not reported"
    ]
    if any(incomplete(b.city) for b, _ in rows):
        marks.append(f"{CITY_INCOMPLETE_MARK} the city's latest regional rows are incomplete")
    if marks:
        lines.append(", ".join(marks))
    for b, _ in rows:
        said = coverage_text(b.city)
        if said:
            lines.append(f"{b.target.name} 全市: {said}")
    unreported = matrix_unreported(matrix)
    if unreported:
        names = ", ".join(t.name for t in unreported)
        lines.append(f"not reported by any region or the city ({len(unreported)}): {names}")
    return lines


class MatrixCell(NamedTuple):
    figure: str  # 完成率 (48%), the value (3.5), or – (not reported)
    mark: str  # the status's mark, and ! for a city figure of an earlier complete period
    status: Status | None


def matrix_cell(
    progress: Decimal | None, actual: Decimal | None, status: Status | None
) -> MatrixCell:
    """A cell of the matrix: 完成率 where there is one, else the value; a status mark."""
    if actual is None:
        return MatrixCell("–", "", None)
    shown = f"{rounded(progress, 0)}%" if progress is not None else rounded(actual)
    return MatrixCell(shown, STATUS_MARK[status] if status is not None else "", status)


def matrix_columns(matrix: RegionMatrix) -> list[tuple[str, str | None]]:
    """(heading, region id): the city (None) first, then each top-level region."""
    plan = matrix.plan
    return [("全市", None)] + [
        (region_label(plan, r), r.id) for r in plan.regions if r.parent is None
    ]


MatrixRow = tuple[Bulletin, list[MatrixCell]]


def _has_figures(b: Bulletin) -> bool:
    """Whether the city or a region has reported the bulletin's target."""
    return b.city.actual is not None or any(s.actual is not None for s in b.regions)


def matrix_rows(matrix: RegionMatrix) -> list[MatrixRow]:
    """Each target's bulletin and its cells, in the columns' order: the targets that a
    region or the city has reported."""
    columns = matrix_columns(matrix)
    rows = []
    for b in matrix.bulletins:
        by_id = {s.region_id: s for s in b.regions}
        city = b.city
        if not _has_figures(b):
            continue
        cells: list[MatrixCell] = []
        for _, region_id in columns:
            s = by_id.get(region_id) if region_id is not None else None
            if s is not None:
                cells.append(matrix_cell(s.progress_percent, s.actual, s.status))
            elif region_id is None:
                actual = city.actual.value if city.actual else None
                cell = matrix_cell(city.progress_percent, actual, city.status)
                if incomplete(city):
                    cell = cell._replace(mark=cell.mark + CITY_INCOMPLETE_MARK)
                cells.append(cell)
            else:
                cells.append(MatrixCell("–", "", None))
        rows.append((b, cells))
    return rows


def matrix_unreported(matrix: RegionMatrix) -> list[Target]:
    """The targets neither a region nor the city has reported, left out of the rows."""
    return [b.target for b in matrix.bulletins if not _has_figures(b)]


def matrix_title(matrix: RegionMatrix) -> str:
    return f"{matrix.plan.title} · the regions · as of {as_of_text(matrix.as_of)}"


def matrix_target(matrix: RegionMatrix, bulletin: Bulletin) -> str:
    """The target's name, a rate's unit, and the period of the regions' figures where it is
    not the as-of month."""
    target = bulletin.target
    name = f"{target.name} ({target.unit})" if target.kind is Kind.RATE else target.name
    period, as_of = bulletin.period, matrix.as_of
    if period is not None and as_of is not None and period.months != as_of.months:
        name += f" ({period.code})"
    return name


def matrix_markdown(matrix: RegionMatrix) -> str:
    header = ["Target", *(heading for heading, _ in matrix_columns(matrix))]
    rows = matrix_rows(matrix)
    cells = (
        [matrix_target(matrix, b), *(cell.figure + cell.mark for cell in row)] for b, row in rows
    )
    return (
        f"## {matrix_title(matrix)}\n\n"
        + markdown_table(header, cells)
        + "\n"
        + "".join(f"{line}\n" for line in matrix_legend(matrix, rows))
    )


# ---------------------------------------------------------------- targets


TARGET_COLUMNS = ("ID", "Role", "Name", "English name", "Kind", "Target", "Aliases")


def target_cells(measure: Measure, aliases_joiner: str) -> dict[str, str]:
    is_target = isinstance(measure, Target)
    cells = [
        measure.id,
        "target" if is_target else "indicator",
        measure.name,
        measure.name_en,
        measure.kind.value,
        target_text(measure) if isinstance(measure, Target) else f"({measure.unit})",
        aliases_joiner.join(measure.aliases),
    ]
    return dict(zip(TARGET_COLUMNS, cells, strict=True))


def targets_markdown(plan: Plan) -> str:
    rows = (list(target_cells(m, "、").values()) for m in plan.measures)
    return f"## {plan.title}: targets and indicators\n\n" + markdown_table(TARGET_COLUMNS, rows)


# ---------------------------------------------------------------- problems and validation


def more_problems_line(more: int) -> str:
    return f"… and {more} more problem{'s' if more != 1 else ''} (use --max-problems)"


def problem_line(problem: Problem) -> str:
    """path:line:col: code: message (a warning says so: path:line: warning: code: ...)."""
    warning = "warning: " if problem.severity is Severity.WARNING else ""
    return one_line(f"{problem.location()}: {warning}{problem.code}: {problem.message}")


def problem_lines(problems: Sequence[Problem], total: int) -> list[str]:
    """Problems one line each, then how many more there were (`total`: all found)."""
    lines = [problem_line(problem) for problem in problems]
    if total > len(problems):
        lines.append(more_problems_line(total - len(problems)))
    return lines


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = one_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(problem: Problem) -> str:
    props = [f"file={_github_escape(problem.path, prop=True)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
        if problem.col is not None:
            props.append(f"col={problem.col}")
    props.append(f"title={_github_escape(problem.code, prop=True)}")
    return f"::{problem.severity} {','.join(props)}::{_github_escape(problem.message)}"


def validation_summary(report: ValidationReport) -> str:
    count = report.error_count
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    warnings = report.warning_count
    also = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    if report.unreadable:
        unread = len(report.unreadable)
        return f"{count} problems{also} in {files} {noun} checked; {unread} could not be read"
    if not count:
        return f"ok: {files} {noun} checked, no problems{also}"
    return f"{count} problem{'s' if count != 1 else ''}{also} in {files} {noun} checked"

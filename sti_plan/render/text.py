"""Results and problems -> text for people: rounded figures, Markdown, problem lines, annotations.

No rich here: the terminal tables (tables.py) build on the cells and lines made here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import NamedTuple

from .. import i18n
from ..i18n import N_, _, ngettext, pgettext
from ..model import Comparison, Kind, Measure, Plan, Region, Target, short_region_name
from ..observations import COLUMNS, TaskStatus
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
    PaceShare,
    RegionMatrix,
    RegionReport,
    RegionTarget,
    Report,
    Status,
    TaskReport,
    TaskStanding,
    Trend,
    TrendPoint,
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
    """≥ 10%, > 1,000家 (≥10% in Chinese, as bulletins write it)."""
    return _("{comparison} {value}").format(
        comparison=SYMBOL[target.comparison], value=f"{rounded(target.value)}{target.unit}"
    )


def status_label(status: Status) -> str:
    """A status in words: off track; 滞后 (the bulletin's words in Chinese)."""
    words = {
        Status.ACHIEVED: _("achieved"),
        Status.ON_TRACK: _("on track"),
        Status.AT_RISK: _("at risk"),
        Status.OFF_TRACK: _("off track"),
        Status.MISSED: _("missed"),
        Status.NO_DATA: _("no data"),
    }
    return words[status]


def points() -> str:
    """The unit of percentage points, after a figure: 0.49 pp, 0.49个百分点."""
    return _(" pp")


def bar(fraction_percent: Decimal | None, width: int = BAR_WIDTH) -> str:
    if fraction_percent is None:
        return " " * width
    share = min(max(fraction_percent, Decimal(0)), Decimal(100))
    filled = int(share * width / 100)  # rounded down: a full bar means 100 % or more
    return "█" * filled + "░" * (width - filled)


def separator() -> str:
    """Between the items of a list: ", "; "，"."""
    return _(", ")


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
    stands = _("{period} is shown").format(period=shown) if shown else _("no complete period")
    return _(
        "{period}: {reported} of {expected} regions reported ({missing} not); {stands}"
    ).format(
        period=coverage.period.code,
        reported=coverage.reported,
        expected=coverage.expected,
        missing="、".join(coverage.missing),
        stands=stands,
    )


def stale_text(assessment: Assessment, as_of: Period | None) -> str | None:
    """last reported 2020-06, before 2020-12: a stale figure that later rows do not explain."""
    if not assessment.stale or incomplete(assessment) or assessment.actual is None:
        return None
    return _("last reported {period}, before {as_of}").format(
        period=assessment.actual.period.code, as_of=as_of_text(as_of)
    )


def target_notes(report: Report) -> list[str]:
    """A line for each target whose figure rests on less than it should, is stale, or has
    none where rows were given."""
    lines = []
    for a in report.assessments:
        pace = a.pace.note if a.pace is not None else None
        notes = (coverage_text(a), stale_text(a, report.as_of), a.note, pace, compound_text(a))
        said = [text for text in notes if text]
        if said:
            lines.append(
                _("{name} ({id}): {notes}").format(
                    name=a.target.name, id=a.target.id, notes=_("; ").join(said)
                )
            )
    return lines


def compound_text(assessment: Assessment) -> str | None:
    """A compound path's rates: needs 3.04% a year from 2020, 3.7% a year so far (1.22
    times that); a fall: needs a fall of 12.94% a year."""
    compound, base = assessment.compound, assessment.target.base
    if compound is None or base is None:
        return None
    required = compound.required_rate
    needed = (
        _("needs {rate} a year from {year}")
        if required >= 0
        else _("needs a fall of {rate} a year from {year}")
    ).format(rate=with_unit(abs(required), "%"), year=base.year)
    observed = compound.observed_rate
    if observed is None or compound.ratio is None:
        return needed
    said = (
        _("{needed}, {rate} a year so far ({ratio} times that)")
        if observed >= 0
        else _("{needed}, a fall of {rate} a year so far ({ratio} times that)")
    )
    return said.format(
        needed=needed, rate=with_unit(abs(observed), "%"), ratio=rounded(compound.ratio, 2)
    )


def as_of_text(period: Period | None) -> str:
    return period.month_code if period else _("no data for the plan year")


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


def status_headings() -> dict[str, str]:
    """The status table's headings in the language in use, by column."""
    return {
        "Target": pgettext("column", "Target"),
        "ID": _("ID"),
        "Goal": _("Goal"),
        "Actual": _("Actual"),
        "Period": _("Period"),
        "Expected": _("Expected"),
        "Gap": _("Gap"),
        "Progress": _("Progress"),
        "Status": _("Status"),
    }


def gap_text(value: Decimal | None, target: Target) -> str:
    """A gap in the target's gap unit: 88家, 0.49 pp (a % target's, in percentage points,
    written as the points above or below pace are)."""
    unit = target.gap_unit
    return with_unit(value, points() if unit == "pp" else unit)


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


def common_period(report: Report) -> str | None:
    """The period every figure is of, when they share one, none is marked (stale, from an
    earlier complete period) and there is a figure: the period column then says nothing a
    title cannot."""
    periods = {period_code(a) for a in report.assessments if a.actual is not None}
    marked = any(incomplete(a) or a.stale for a in report.assessments)
    return periods.pop() if len(periods) == 1 and not marked else None


def status_title(report: Report, *, period_column: bool = True) -> str:
    """市科学技术局2020年工作要点 · as of 2020-06, and the figures' period where the table
    leaves its column out and it is not the as-of month."""
    title = _("{plan} · as of {as_of}").format(
        plan=report.plan.title, as_of=as_of_text(report.as_of)
    )
    shared = None if period_column else common_period(report)
    if shared is not None and report.as_of is not None and shared != report.as_of.month_code:
        title += _(" · period {period}").format(period=shared)
    return title


def summary_items(report: Report) -> list[tuple[str, Status]]:
    """The summary line in pieces that are never broken: the head with the first count,
    each further count, then the stale ones' (each with its status, for colour)."""
    counts = list(report.counts().items())
    head = _("{count} targets, as of {as_of}: ").format(
        count=len(report.assessments), as_of=as_of_text(report.as_of)
    )
    separator = _(", ")
    items: list[tuple[str, Status]] = []
    for index, (status, count) in enumerate(counts):
        said = count_text(status, count)
        last = index == len(counts) - 1
        items.append(((head if index == 0 else "") + said + ("" if last else separator), status))
    stale = stale_counts(report)
    if stale:  # set apart: `; stale (…): 1 on track`, the line broken after the `;`
        said, status = items[-1]
        items[-1] = (said + _("; "), status)
    for index, (status, count) in enumerate(stale):
        said = count_text(status, count)
        last = index == len(stale) - 1
        start = stale_head(report) if index == 0 else ""
        items.append((start + said + ("" if last else separator), status))
    return items


def count_text(status: Status, count: int) -> str:
    return _("{count} {status}").format(count=count, status=status_label(status))


def stale_head(report: Report) -> str:
    """The start of the stale targets' count, after the others' and a `; `: `stale (…): `."""
    return _("stale (last reported before {as_of}): ").format(as_of=as_of_text(report.as_of))


def stale_counts(report: Report) -> list[tuple[Status, int]]:
    return [(status, n) for status, n in report.stale_counts().items() if n]


def summary_line(report: Report) -> str:
    return "".join(text for text, _status in summary_items(report))


def legend_items(report: Report) -> list[str]:
    """The marks that the table uses, and only those, each explained."""
    used = {a.actual.basis for a in report.assessments if a.actual is not None}
    notes = {
        Basis.REGIONAL_SUM: _("Σ = sum of regional rows"),
        Basis.DERIVED: _("ƒ = derived by the plan's formula"),
    }
    said = [note for basis, note in notes.items() if basis in used]
    if any(incomplete(a) for a in report.assessments):
        said.append(_("! = later regional rows are incomplete: the latest complete period"))
    if any(a.stale and not incomplete(a) for a in report.assessments):
        said.append(_("* = not reported since: stale"))
    return said


def legend(report: Report) -> str:
    return _(", ").join(legend_items(report))


def status_markdown(report: Report) -> str:
    title = "## " + _("{plan}: status as of {as_of}").format(
        plan=report.plan.title, as_of=as_of_text(report.as_of)
    )
    headings = status_headings()
    rows = ([cells[c] for c in STATUS_COLUMNS] for cells in map(status_cells, report.assessments))
    notes = legend(report)
    remarks = "".join(f"- {line}\n" for line in target_notes(report))
    return (
        title
        + "\n\n"
        + markdown_table([headings[c] for c in STATUS_COLUMNS], rows)
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
    lines = [(_("Status"), status_label(a.status))]
    if a.actual is None:
        lines.append((_("Actual"), a.note or _("no data reported")))
        said = coverage_text(a)
        if said:
            lines.append((_("Regions"), said))
        return lines
    lines.append(
        (
            _("Actual"),
            _("{value} ({period})").format(
                value=with_unit(a.actual.value, unit), period=period_text(a).strip()
            ),
        )
    )
    said = coverage_text(a)
    if said:
        lines.append((_("Regions"), said))
    stale = stale_text(a, analysis.as_of)
    if stale:
        lines.append((_("Stale"), stale))
    if a.baseline is not None:
        lines.append(
            (
                _("Baseline"),
                _("{value} (previous year-end)").format(value=with_unit(a.baseline, unit)),
            )
        )
    lines.append((_("Expected by now"), with_unit(a.expected, unit)))
    if a.pace is not None:
        lines.append((_("Pace (序时进度)"), pace_text(a)))
    lines.append((_("Progress"), percent(a.completion)))
    if a.percent_of_target is not None and a.percent_of_target != a.completion:
        lines.append((_("% of target"), percent(a.percent_of_target)))
    target = a.target
    whole = target.unit in plan.unit_table.whole
    lines += [(_("Gap"), gap_text(a.gap, target)), (_("To meet"), to_meet_text(a, whole))]
    allowance = target.kind is Kind.CUMULATIVE and not target.comparison.higher_is_better
    if allowance:
        left = _strictly(target, whole, gap_text(analysis.remaining, target), within=True)
        lines.append((_("Allowance left"), left))
    lines.append(
        (
            _("Months"),
            _("{elapsed} elapsed, {remaining} remaining").format(
                elapsed=analysis.months_elapsed, remaining=analysis.months_remaining
            ),
        )
    )
    if analysis.pace_so_far is not None:
        lowering = target.kind is Kind.STOCK and not target.comparison.higher_is_better
        so_far, needed = (
            (_("Reduction so far"), _("Reduction needed"))
            if lowering
            else (
                (_("Pace so far"), _("Pace allowed"))
                if allowance
                else (_("Pace so far"), _("Pace needed"))
            )
        )
        per_month = _("{amount} per month")
        lines.append((so_far, per_month.format(amount=with_unit(analysis.pace_so_far, unit))))
        if analysis.pace_needed is not None and (allowance or a.to_meet is not None):
            pace = with_unit(analysis.pace_needed, unit)
            pace = _strictly(target, whole, pace, within=allowance)
            lines.append((needed, per_month.format(amount=pace)))
        lines.append((_("Year-end at this pace"), with_unit(analysis.projected_year_end, unit)))
    lines += projection_lines(a)
    if analysis.ratio is not None:
        r = analysis.ratio
        numerator, n_unit = _name_and_unit(plan, r.numerator)
        denominator, d_unit = _name_and_unit(plan, r.denominator)
        short = max(r.numerator_needed - r.numerator_current, Decimal(0))
        lines += [
            (
                _("{name} needed").format(name=numerator),
                _("{value} for {target} of {denominator} {denominator_value}").format(
                    value=with_unit(r.numerator_needed, n_unit),
                    target=target_text(a.target),
                    denominator=denominator,
                    denominator_value=with_unit(r.denominator_value, d_unit),
                ),
            ),
            (_("{name} now").format(name=numerator), with_unit(r.numerator_current, n_unit)),
            (_("{name} short by").format(name=numerator), with_unit(short, n_unit)),
        ]
    if analysis.growth_need is not None:
        g = analysis.growth_need
        grown, g_unit = _name_and_unit(plan, g.of)
        lines += [
            (
                _("{name} base").format(name=grown),
                _("{value} ({period})").format(
                    value=with_unit(g.base_value, g_unit), period=g.base_period.code
                ),
            ),
            (_("{name} needed").format(name=grown), with_unit(g.needed_value, g_unit)),
            (_("{name} now").format(name=grown), with_unit(g.current_value, g_unit)),
        ]
        if g.year_end_needed is not None:
            lines.append(
                (
                    _("{name} needed for the year").format(name=grown),
                    _("{value} (previous year {previous})").format(
                        value=with_unit(g.year_end_needed, g_unit),
                        previous=with_unit(g.year_end_base, g_unit),
                    ),
                )
            )
    return lines


PROFILES = {
    "linear": N_("linear"),
    "milestones": N_("by milestones"),
    "last_year": N_("by last year's shares"),
}


def pace_text(assessment: Assessment) -> str:
    """50% (linear), 38.3% (by milestones), 50% (linear: no 2019-06 value …)."""
    pace = assessment.pace
    if pace is None:
        return ""
    return _("{percent} ({profile})").format(
        percent=percent(pace.percent), profile=profile_text(pace)
    )


def profile_text(pace: PaceShare) -> str:
    """linear, by milestones, by last year's shares; or why last year's was not applied
    (its note ends "paced linearly")."""
    return pace.note or i18n._(PROFILES[pace.profile])


def verdict_text(target: Target, meets: bool) -> str:
    """meets ≥ 1,000件; short of ≥ 1,000件; over the limit ≤ 60件."""
    if meets:
        return _("meets {target}").format(target=target_text(target))
    if target.comparison.higher_is_better:
        return _("short of {target}").format(target=target_text(target))
    return _("over the limit {target}").format(target=target_text(target))


def projection_lines(assessment: Assessment) -> list[tuple[str, str]]:
    """The year-end range: as last year ran, where it did, and whether it meets the target."""
    projection, unit = assessment.projection, assessment.target.unit
    if projection is None:
        return []
    lines = []
    if projection.seasonal is not None:
        lines.append((_("Year-end as last year ran"), with_unit(projection.seasonal, unit)))
    return [*lines, (_("Year-end projection"), projection_text(assessment))]


def projection_text(assessment: Assessment) -> str:
    """839–861.5家, short of > 900家; or 935家, meets > 900家."""
    projection = assessment.projection
    if projection is None:
        return ""
    unit = assessment.target.unit
    if projection.low == projection.high:
        span = with_unit(projection.low, unit)
    else:
        span = _("{low}–{high}").format(
            low=with_unit(projection.low, ""), high=with_unit(projection.high, unit)
        )
    verdict = verdict_text(assessment.target, projection.meets_target)
    return _("{range}, {verdict}").format(range=span, verdict=verdict)


def _strictly(target: Target, whole: bool, amount: str, *, within: bool = False) -> str:
    """An amount that a strict target (more than, less than) on a continuous unit must go
    past ("more than 0.2亿元"), or, `within` an allowance, stay below ("less than 2亿元")."""
    if whole or target.comparison not in (Comparison.MORE_THAN, Comparison.LESS_THAN):
        return amount
    said = _("less than {amount}") if within else _("more than {amount}")
    return said.format(amount=amount)


def to_meet_text(a: Assessment, whole: bool) -> str:
    """89家 to add, 15家 to take off, more than 0.2亿元 to add; met; a cumulative
    maximum broken: exceeded by 3个. `whole`: the target's unit counts whole numbers."""
    target = a.target
    if a.to_meet is None:
        return _("met")
    amount = gap_text(a.to_meet, target)
    if target.comparison.higher_is_better:
        return _("{amount} to add").format(amount=_strictly(target, whole, amount))
    if target.kind is Kind.CUMULATIVE:
        return _("exceeded by {amount} (a year-to-date total does not come down)").format(
            amount=amount
        )
    return _("{amount} to take off").format(amount=_strictly(target, whole, amount))


def _name_and_unit(plan: Plan, measure_id: str) -> tuple[str, str]:
    measure = plan.measure(measure_id)
    return (measure.name, measure.unit) if measure else (measure_id, "")


def gap_title(target: Target) -> str:
    return _("{name} ({id}): {target}").format(
        name=target.name, id=target.id, target=target_text(target)
    )


def gap_markdown(plan: Plan, analysis: GapAnalysis) -> str:
    head = f"## {gap_title(analysis.assessment.target)}\n\n"
    return head + markdown_table((_("Figure"), _("Value")), gap_lines(plan, analysis))


# ---------------------------------------------------------------- explain


def figure_labels() -> dict[str, str]:
    """What each figure of `explain` is called, in the language in use."""
    return {
        "actual": _("Actual"),
        "baseline": _("Baseline"),
        "expected": _("Expected by now"),
        "percent_of_target": _("% of target"),
        "progress_percent": _("Progress (完成率)"),
        "pace_percent": _("Pace (序时进度)"),
        "vs_pace_pp": _("vs pace"),
        "gap": _("Gap"),
        "to_meet": _("To meet"),
        "growth": _("Growth (同比)"),
        "status": _("Status"),
    }


FORMULA_PLACES = 4  # the figures in a formula, for people; JSON keeps them whole


def cell_width(text: str) -> int:
    """Terminal cells: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def figure_unit(name: str, target: Target) -> str:
    if name in ("percent_of_target", "progress_percent", "pace_percent", "growth"):
        return "%"
    if name == "vs_pace_pp":
        return points()
    if name in ("gap", "to_meet"):
        return points() if target.gap_unit == "pp" else target.unit
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
        _("(its value is in the file)") if row.value is None else rounded(row.value, FORMULA_PLACES)
    )
    return f"{where}  {row.region or '全市'}  {row.period}  {value}"


def explanation_lines(explanation: Explanation) -> list[str]:
    """A figure a paragraph: its value, its formula and note, the rows it rests on."""
    a = explanation.assessment
    lines = [explanation_title(explanation)]
    labels = figure_labels()
    width = max(map(cell_width, labels.values())) + 2
    for name in EXPLAINED:
        figure = explanation.figures[name]
        if figure is None:
            continue
        shown = figure_value(name, figure, a)
        lines.append("")
        label = labels[name]
        lines.append(label + " " * (width - cell_width(label)) + shown)
        said = formula_text(figure) if figure.terms else ""
        if figure.note:
            said = f"{said}  ({figure.note})" if said else figure.note
        if said:
            lines.append(" " * width + said)
        lines += [" " * width + input_text(row) for row in figure.inputs]
    return lines


def explanation_title(explanation: Explanation) -> str:
    target = explanation.assessment.target
    return _("{name} ({id}): {target}, {as_of}").format(
        name=target.name,
        id=target.id,
        target=target_text(target),
        as_of=as_of_text(explanation.as_of),
    )


def explanation_markdown(explanation: Explanation) -> str:
    head = f"## {explanation_title(explanation)}\n\n"
    labels = figure_labels()
    rows = []
    for name in EXPLAINED:
        figure = explanation.figures[name]
        if figure is None:
            continue
        shown = figure_value(name, figure, explanation.assessment)
        inputs = "<br>".join(input_text(row) for row in figure.inputs)
        rows.append((labels[name], shown, formula_text(figure), figure.note or "", inputs))
    headings = (_("Figure"), _("Value"), _("Formula"), _("Note"), _("Inputs"))
    return head + markdown_table(headings, rows)


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


def rank_headings() -> dict[str, str]:
    return {
        "#": "#",
        "Target": pgettext("column", "Target"),
        "ID": _("ID"),
        "Status": _("Status"),
        "Actual": _("Actual"),
        "Expected": _("Expected"),
        "Behind expected": _("Behind expected"),
        "Progress": _("Progress"),
        "Gap": _("Gap"),
    }


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
    title = "## " + _("{plan}: targets by shortfall as of {as_of}").format(
        plan=report.plan.title, as_of=as_of_text(report.as_of)
    )
    headings = rank_headings()
    return title + "\n\n" + markdown_table([headings[c] for c in RANK_COLUMNS], rows)


def ranking_title(report: Report) -> str:
    return _("Targets by shortfall against expected-by-now · as of {as_of}").format(
        as_of=as_of_text(report.as_of)
    )


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


def bulletin_headings() -> dict[str, str]:
    return {
        "Region": _("Region"),
        "Target": pgettext("share", "Target"),
        "Actual": _("Actual"),
        "Progress": _("Progress"),
        "Pace": _("Pace"),
        "vs pace": _("vs pace"),
        "Growth": _("Growth"),
        "Status": _("Status"),
        "Rank": _("Rank"),
    }


def ranked_by(by: str) -> str:
    words = {
        "progress": _("progress (完成率)"),
        "actual": _("the actual"),
        "growth": _("growth on last year (同比)"),
        "pace": _("points above pace (超序时进度)"),
    }
    return words[by]


def signed(value: Decimal | None, unit: str) -> str:
    """+2.3 pp, -15.2%: which side of the line a figure is on."""
    if value is None:
        return "–"
    text = rounded(value, 1)
    return f"{'+' if value > 0 else ''}{text}{unit}"


def bulletin_rows(report: Bulletin) -> list[dict[str, str]]:
    """The regions' cells, then the city's."""
    unit = report.target.unit
    not_reported = _("not reported")
    rows = []
    for r in report.regions:
        rows.append(
            {
                "Region": _short_name(report, r.region_id) or r.region,
                "Target": with_unit(r.target, unit) if r.target is not None else "-",
                "Actual": with_unit(r.actual, unit) if r.actual is not None else not_reported,
                "Progress": percent(r.progress_percent),
                "Pace": percent(r.pace_percent),
                "vs pace": signed(r.vs_pace_pp, points()),
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
            "vs pace": signed(city.vs_pace_pp, points()),
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
    period = report.period.code if report.period else _("no data for the plan year")
    return _("{name} ({id}) · {period} · ranked by {by}").format(
        name=report.target.name, id=report.target.id, period=period, by=ranked_by(report.by)
    )


def bulletin_markdown(report: Bulletin) -> str:
    rows = ([cells[c] for c in BULLETIN_COLUMNS] for cells in bulletin_rows(report))
    headings = bulletin_headings()
    return f"## {bulletin_title(report)}\n\n" + markdown_table(
        [headings[c] for c in BULLETIN_COLUMNS], rows
    )


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


def region_headings() -> dict[str, str]:
    return {
        "Target": pgettext("column", "Target"),
        "Share": _("Share"),
        "Actual": _("Actual"),
        "Period": _("Period"),
        "Progress": _("Progress"),
        "Pace": _("Pace"),
        "vs pace": _("vs pace"),
        "Growth": _("Growth"),
        "Status": _("Status"),
        "Rank": _("Rank"),
    }


def region_cells(row: RegionTarget) -> dict[str, str]:
    r, unit = row.standing, row.target.unit
    shared = r.target is not None
    return {
        "Target": row.target.name,
        "Share": with_unit(r.target, unit) if shared else _("no share"),
        "Actual": with_unit(r.actual, unit) if r.actual is not None else _("not reported"),
        "Period": r.period.code if r.period else "–",
        "Progress": percent(r.progress_percent),
        "Pace": percent(r.pace_percent),
        "vs pace": signed(r.vs_pace_pp, points()),
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
        lines.append(
            _("no share and not reported ({count}): {names}").format(
                count=len(left_out), names=_(", ").join(left_out)
            )
        )
    return lines


def region_title(report: RegionReport) -> str:
    region = report.region
    return _("{region} ({id}) · {plan} · as of {as_of}").format(
        region=region.name, id=region.id, plan=report.plan.title, as_of=as_of_text(report.as_of)
    )


def region_summary(report: RegionReport) -> str:
    """13 targets, as of 2020-06: 2 on track, ...; 9 without a share."""
    counts = [count_text(s, n) for s, n in report.counts().items() if n]
    line = _("{count} targets, as of {as_of}: ").format(
        count=len(report.targets), as_of=as_of_text(report.as_of)
    )
    line += _(", ").join(counts) or _("none with a share")
    if report.no_share:
        line += _("; {count} without a share").format(count=report.no_share)
    return line


def region_markdown(report: RegionReport) -> str:
    rows = ([region_cells(row)[c] for c in REGION_COLUMNS] for row in region_rows(report))
    headings = region_headings()
    return (
        f"## {region_title(report)}\n\n"
        + markdown_table([headings[c] for c in REGION_COLUMNS], rows)
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
        _(
            "完成率 against the share (the city: its target), in whole %; without %: the value "
            "(a rate, or a region with no share); –: not reported"
        )
    ]
    if any(incomplete(b.city) for b, _cells in rows):
        marks.append(
            _("{mark} the city's latest regional rows are incomplete").format(
                mark=CITY_INCOMPLETE_MARK
            )
        )
    if marks:
        lines.append(_(", ").join(marks))
    for b, _cells in rows:
        said = coverage_text(b.city)
        if said:
            lines.append(f"{b.target.name} 全市: {said}")
    unreported = matrix_unreported(matrix)
    if unreported:
        names = _(", ").join(t.name for t in unreported)
        lines.append(
            _("not reported by any region or the city ({count}): {names}").format(
                count=len(unreported), names=names
            )
        )
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
        for _heading, region_id in columns:
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
    return _("{plan} · the regions · as of {as_of}").format(
        plan=matrix.plan.title, as_of=as_of_text(matrix.as_of)
    )


def matrix_target(matrix: RegionMatrix, bulletin: Bulletin, *, short: bool = False) -> str:
    """The target's name (`short`: its short name, where it has one), a rate's unit, and the
    period of the regions' figures where it is not the as-of month."""
    target = bulletin.target
    name = (target.short_name or target.name) if short else target.name
    name = f"{name} ({target.unit})" if target.kind is Kind.RATE else name
    period, as_of = bulletin.period, matrix.as_of
    if period is not None and as_of is not None and period.months != as_of.months:
        name += f" ({period.code})"
    return name


def matrix_markdown(matrix: RegionMatrix) -> str:
    header = [pgettext("column", "Target"), *(heading for heading, _id in matrix_columns(matrix))]
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


def target_headings() -> dict[str, str]:
    return {
        "ID": _("ID"),
        "Role": _("Role"),
        "Name": _("Name"),
        "English name": _("English name"),
        "Kind": _("Kind"),
        "Target": pgettext("goal", "Target"),
        "Aliases": _("Aliases"),
    }


def kind_label(kind: Kind) -> str:
    words = {
        Kind.CUMULATIVE: _("cumulative"),
        Kind.STOCK: _("stock"),
        Kind.RATE: _("rate"),
    }
    return words[kind]


def target_cells(measure: Measure, aliases_joiner: str) -> dict[str, str]:
    is_target = isinstance(measure, Target)
    cells = [
        measure.id,
        _("target") if is_target else _("indicator"),
        measure.name,
        measure.name_en,
        kind_label(measure.kind),
        target_text(measure) if isinstance(measure, Target) else f"({measure.unit})",
        aliases_joiner.join(measure.aliases),
    ]
    return dict(zip(TARGET_COLUMNS, cells, strict=True))


def targets_markdown(plan: Plan) -> str:
    rows = (list(target_cells(m, "、").values()) for m in plan.measures)
    headings = target_headings()
    title = _("{plan}: targets and indicators").format(plan=plan.title)
    return f"## {title}\n\n" + markdown_table([headings[c] for c in TARGET_COLUMNS], rows)


# ---------------------------------------------------------------- key tasks


def task_status_label(status: TaskStatus) -> str:
    words = {
        TaskStatus.NOT_STARTED: _("not started"),
        TaskStatus.IN_PROGRESS: _("in progress"),
        TaskStatus.DONE: pgettext("task", "done"),
        TaskStatus.DELAYED: _("delayed"),
        TaskStatus.BLOCKED: _("blocked"),
        TaskStatus.NO_REPORT: pgettext("task", "no report"),
    }
    return words[status]


TASK_COLUMNS = ("#", "Task", "Status", "Progress", "Period", "Lead", "Targets", "Note")


def task_headings() -> dict[str, str]:
    return {
        "#": "#",
        "Task": pgettext("column", "Task"),
        "Status": _("Status"),
        "Progress": pgettext("task", "Progress"),
        "Period": _("Period"),
        "Lead": _("Lead"),
        "Targets": _("Targets"),
        "Note": _("Note"),
    }


def task_targets_text(standing: TaskStanding) -> str:
    """The linked targets' statuses: 研发投入强度 滞后, …"""
    return _(", ").join(
        f"{target.short_name or target.name} {status_label(status)}"
        for target, status in standing.targets
    )


def task_cells(standing: TaskStanding) -> dict[str, str]:
    row = standing.row
    status = task_status_label(standing.status)
    if standing.overdue:
        status = _("{status}, overdue").format(status=status)
    late = [m for m in standing.milestones if m.overdue]
    if late and not standing.overdue:
        status = _("{status}, milestone {period} overdue").format(
            status=status, period=late[-1].code
        )
    return {
        "#": str(standing.task.number),
        "Task": standing.task.title,
        "Status": status,
        "Progress": percent(row.progress) if row and row.progress is not None else "–",
        "Period": row.period.code if row else "–",
        "Lead": standing.task.lead or "–",
        "Targets": task_targets_text(standing) or "–",
        "Note": row.note if row and row.note else "",
    }


def task_count_items(counts: dict[TaskStatus, int], overdue: int) -> list[str]:
    said = [
        _("{count} {status}").format(count=n, status=task_status_label(s))
        for s, n in counts.items()
        if n
    ]
    if overdue:
        said.append(_("{count} overdue").format(count=overdue))
    return said


def tasks_summary(report: TaskReport) -> str:
    """21 tasks, as of 2020-06: 1 done, 2 in progress, …, 1 overdue."""
    head = _("{count} tasks, as of {as_of}: ").format(
        count=len(report.tasks), as_of=as_of_text(report.as_of)
    )
    return head + _(", ").join(task_count_items(report.counts(), report.overdue_count()))


def group_heading(report: TaskReport, group_id: str) -> str:
    group = next(g for g in report.plan.groups if g.id == group_id)
    standings = [s for s in report.tasks if s.task.group == group_id]
    counts = task_count_items(report.counts(standings), sum(s.overdue for s in standings))
    return _("({group}) {title}: {counts}").format(
        group=group.id, title=group.title, counts=_(", ").join(counts)
    )


def tasks_title(report: TaskReport) -> str:
    return _("{plan} · key tasks · as of {as_of}").format(
        plan=report.plan.title, as_of=as_of_text(report.as_of)
    )


def tasks_markdown(report: TaskReport) -> str:
    headings = task_headings()
    parts = [f"## {tasks_title(report)}\n"]
    for group in report.plan.groups:
        standings = [s for s in report.tasks if s.task.group == group.id]
        if not standings:
            continue
        parts.append(f"### {group_heading(report, group.id)}\n")
        rows = ([task_cells(s)[c] for c in TASK_COLUMNS] for s in standings)
        parts.append(markdown_table([headings[c] for c in TASK_COLUMNS], rows))
    parts.append(tasks_summary(report) + "\n")
    return "\n".join(parts)


# ---------------------------------------------------------------- template


def template_header() -> list[str]:
    """The actuals columns as a template names them: target, period, …; 指标, 统计期, …"""
    names = {
        "target": pgettext("template", "target"),
        "period": pgettext("template", "period"),
        "value": pgettext("template", "value"),
        "region": pgettext("template", "region"),
        "note": pgettext("template", "note"),
        "source": pgettext("template", "source"),
    }
    return [names[column] for column in COLUMNS]


def tasks_template_header() -> list[str]:
    """A tasks skeleton's columns: task, title, period, …; 任务, 任务名称, 统计期, …"""
    return [
        pgettext("template", "task"),
        pgettext("template", "title"),
        pgettext("template", "period"),
        pgettext("template", "status"),
        pgettext("template", "progress"),
        pgettext("tasks template", "note"),
        pgettext("template", "evidence"),
        pgettext("template", "owner"),
    ]


# ---------------------------------------------------------------- problems and validation


def more_problems_line(more: int) -> str:
    return ngettext(
        "… and {count} more problem (use --max-problems)",
        "… and {count} more problems (use --max-problems)",
        more,
    ).format(count=more)


def problem_line(problem: Problem) -> str:
    """path:line:col: code: message (a warning says so: path:line: warning: code: ...)."""
    warning = _("warning: ") if problem.severity is Severity.WARNING else ""
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
    warnings = report.warning_count
    also = (
        ngettext(", {count} warning", ", {count} warnings", warnings).format(count=warnings)
        if warnings
        else ""
    )
    checked = ngettext("{count} file checked", "{count} files checked", files).format(count=files)
    if report.unreadable:
        return _("{count} problems{warnings} in {checked}; {unread} could not be read").format(
            count=count, warnings=also, checked=checked, unread=len(report.unreadable)
        )
    if not count:
        return _("ok: {checked}, no problems{warnings}").format(checked=checked, warnings=also)
    return ngettext(
        "{count} problem{warnings} in {checked}", "{count} problems{warnings} in {checked}", count
    ).format(count=count, warnings=also, checked=checked)


# ---------------------------------------------------------------- trend


TREND_COLUMNS = (
    "Period",
    "Value",
    "Increment",
    "Expected",
    "Progress",
    "Pace",
    "vs pace",
    "Growth",
    "Previous",
    "Status",
)


def trend_headings() -> dict[str, str]:
    return {
        "Period": _("Period"),
        "Value": _("Actual"),
        "Increment": _("Increment (当月)"),
        "Expected": _("Expected"),
        "Progress": _("Progress"),
        "Pace": _("Pace"),
        "vs pace": _("vs pace"),
        "Growth": _("Growth"),
        "Previous": _("Last year"),
        "Status": _("Status"),
    }


def trend_cells(report: Trend, point: TrendPoint) -> dict[str, str]:
    unit = report.target.unit
    increment = with_unit(point.increment, unit) if point.increment is not None else ""
    if point.increment is not None and point.increment_months not in (None, 1):
        increment = _("{amount} ({months} months)").format(
            amount=increment, months=point.increment_months
        )
    return {
        "Period": point.period.code,
        "Value": with_unit(point.value, unit),
        "Increment": increment,
        "Expected": with_unit(point.expected, unit),
        "Progress": percent(point.completion),
        "Pace": percent(point.pace_percent),
        "vs pace": signed(point.vs_pace_pp, points()),
        "Growth": signed(point.growth, "%"),
        "Previous": with_unit(point.previous, unit),
        "Status": status_label(point.status) if point.status is not None else "-",
    }


def trend_title(report: Trend) -> str:
    """高新技术企业 (hitech_enterprises) · > 900家 · as of 2020-06; one region's: · 镜湖区,
    share 175家."""
    target = report.target
    title = _("{name} ({id}) · {target} · as of {as_of}").format(
        name=target.name, id=target.id, target=target_text(target), as_of=as_of_text(report.as_of)
    )
    if report.region is None:
        return title
    share = (
        _("share {share}").format(share=with_unit(report.share, target.unit))
        if report.share is not None
        else _("no share")
    )
    return _("{title} · {region}, {share}").format(
        title=title, region=report.region.name, share=share
    )


def trend_notes(report: Trend) -> list[str]:
    """Beneath the table: the pace profile, the year-end range, or why there are no rows."""
    lines = []
    if not report.points:
        lines.append(_("no value reported for the plan year up to the as-of period"))
    if report.pace is not None and report.points:
        lines.append(_("Pace (序时进度): {profile}").format(profile=profile_text(report.pace)))
    if report.projection is not None:
        lines.append(_("Year-end projection: {range}").format(range=_projection_range(report)))
    return lines


def _projection_range(report: Trend) -> str:
    """at this pace 839家, as last year ran 861.5家: 839–861.5家, short of > 900家."""
    projection = report.projection
    assert projection is not None
    unit = report.target.unit
    said = _("at this pace {value}").format(value=with_unit(projection.run_rate, unit))
    if projection.seasonal is not None:
        said = _("{said}, as last year ran {value}").format(
            said=said, value=with_unit(projection.seasonal, unit)
        )
    target = report.target
    if report.share is not None:
        target = target.model_copy(update={"value": report.share})
    verdict = verdict_text(target, projection.meets_target)
    return _("{said}: {verdict}").format(said=said, verdict=verdict)


def trend_markdown(report: Trend) -> str:
    headings = trend_headings()
    rows = (
        [cells[c] for c in TREND_COLUMNS]
        for cells in (trend_cells(report, p) for p in report.points)
    )
    notes = "".join(f"- {line}\n" for line in trend_notes(report))
    table = markdown_table([headings[c] for c in TREND_COLUMNS], rows)
    return f"## {trend_title(report)}\n\n" + table + ("\n" + notes if notes else "")

"""One target's figures, each with its formula and the input rows it rests on (`explain`).

The figures are the assessment's (progress.py works them out); this module says how:
the same rules, written out with the numbers put in, and for each value the rows it
came from, so that a figure in a bulletin can be traced to a line of a file.
"""

from __future__ import annotations

from decimal import Decimal

from .i18n import _
from .model import Comparison, GrowthDerivation, Kind, Plan, RatioDerivation, Target
from .observations import Actuals, Allocations
from .pace import LAST_YEAR, LINEAR, MILESTONES
from .periods import MONTHS_IN_YEAR, Period
from .progress import (
    assess_target,
    city_value_of,
    figures_for,
    input_problems,
    paced_from,
    whole_bound,
)
from .results import (
    EXPLAINED,
    Assessment,
    Basis,
    Explanation,
    Figure,
    Input,
    Observation,
    PaceShare,
    Status,
    Term,
)
from .rollup import Rollup

SYMBOLS = {
    Comparison.AT_LEAST: " ≥ ",
    Comparison.MORE_THAN: " > ",
    Comparison.AT_MOST: " ≤ ",
    Comparison.LESS_THAN: " < ",
}


def explain(
    plan: Plan,
    actuals: Actuals | Rollup,
    target: Target,
    as_of: Period | None = None,
    allocations: Allocations | None = None,
) -> Explanation:
    """Every figure of `target` as of `as_of` (default: the latest period of the plan year)."""
    figures = figures_for(plan, actuals, allocations)
    if as_of is None:
        as_of = figures.actuals.latest_period(plan.year)
    assessment = assess_target(plan, figures, target, as_of)
    explained = _Explainer(plan, figures, target, assessment, as_of).figures()
    return Explanation(plan, as_of, assessment, explained, input_problems(figures, allocations))


class _Explainer:
    def __init__(
        self,
        plan: Plan,
        figures: Rollup,
        target: Target,
        assessment: Assessment,
        as_of: Period | None,
    ) -> None:
        self.plan = plan
        self.as_of = as_of
        self.rollup = figures
        self.target = target
        self.a = assessment

    def figures(self) -> dict[str, Figure | None]:
        a, target = self.a, self.target
        baseline = self.baseline()
        if a.actual is None:
            status = Figure(
                a.status.value, (), _("no value for the plan year up to the as-of period")
            )
            return {**dict.fromkeys(EXPLAINED), "baseline": baseline, "status": status}
        actual, period = a.actual.value, a.actual.period
        found = self.actual(target.id, a.actual)
        rows = found.inputs  # what every figure of it rests on
        if a.stale and self.as_of is not None:
            stale = _("stale: last reported {period}, before {as_of}").format(
                period=period.code, as_of=self.as_of.month_code
            )
            if found.note:
                stale = _("{note}; {stale}").format(note=found.note, stale=stale)
            found = found._replace(note=stale)
        paced = paced_from(target, a.baseline) is not None
        start = baseline.inputs if baseline is not None and paced else ()
        return {
            "actual": found,
            "baseline": baseline,
            "expected": _resting(self.expected(actual, period), start),
            "percent_of_target": _resting(self.percent_of_target(actual), rows),
            "progress_percent": _resting(self.progress(actual), rows + start),
            "pace_percent": self.pace(period),
            "vs_pace_pp": _resting(self.vs_pace(), rows + start),
            "gap": _resting(self.gap(actual), rows),
            "to_meet": _resting(self.to_meet(actual), rows),
            "growth": self.growth(a.actual),
            "status": _resting(self.status(actual, period), rows + start),
        }

    # ------------------------------------------------------------ the values and their rows

    def actual(self, measure_id: str, observation: Observation) -> Figure:
        period = observation.period
        inputs = self.inputs(measure_id, period.year, period.months)
        value = observation.value
        if observation.basis is Basis.REPORTED:
            note = _("the whole-city row, {period}").format(period=period.code)
            return Figure(value, (value,), note, inputs)
        if observation.basis is Basis.REGIONAL_SUM:
            terms: list[Term] = []
            for row in inputs:
                if terms:
                    terms.append(" + ")
                terms.append(row.value if row.value is not None else "…")
            note = _("the sum of {count} regions' rows, {period}").format(
                count=len(inputs), period=period.code
            )
            return Figure(value, tuple(terms), note, inputs)
        return self.derived(measure_id, observation)

    def derived(self, measure_id: str, observation: Observation) -> Figure:
        derivation = self.plan.derivation_for(measure_id)
        period = observation.period
        year, months = period.year, period.months
        if isinstance(derivation, RatioDerivation):
            top = self.value_of(derivation.numerator, year, months)
            bottom = self.value_of(derivation.denominator, year, months)
            terms: tuple[Term, ...] = (top, " / ", bottom, " × ", derivation.scale)
            note = f"{derivation.numerator} / {derivation.denominator} × {derivation.scale}"
            inputs = self.inputs(derivation.numerator, year, months) + self.inputs(
                derivation.denominator, year, months
            )
        else:
            assert isinstance(derivation, GrowthDerivation)  # a value derived has one
            now = self.value_of(derivation.of, year, months)
            before = self.value_of(derivation.of, year - 1, months)
            terms = ("(", now, " / ", before, " − 1) × 100")
            note = _("the growth of {measure} on the same period of {year}").format(
                measure=derivation.of, year=year - 1
            )
            inputs = self.inputs(derivation.of, year, months) + self.inputs(
                derivation.of, year - 1, months
            )
        return Figure(observation.value, terms, note, inputs)

    def value_of(self, measure_id: str, year: int, months: int) -> Decimal:
        observation = city_value_of(self.rollup, measure_id, year, months)
        assert observation is not None  # an operand of a value worked out
        return observation.value

    def inputs(self, measure_id: str, year: int, months: int) -> tuple[Input, ...]:
        """The rows the city's value of a measure for a period rests on."""
        observation = city_value_of(self.rollup, measure_id, year, months)
        reported = self.rollup.actuals.reported(measure_id, year, months)
        if observation is None:
            return ()
        actuals = self.rollup.actuals
        if observation.basis is Basis.DERIVED:
            derivation = self.plan.derivation_for(measure_id)
            assert derivation is not None
            if isinstance(derivation, GrowthDerivation):
                return self.inputs(derivation.of, year, months) + self.inputs(
                    derivation.of, year - 1, months
                )
            found: tuple[Input, ...] = ()
            for operand in derivation.operands:
                found += self.inputs(operand, year, months)
            return found
        assert reported is not None  # a value reported or summed has its rows
        if observation.basis is Basis.REPORTED:
            return (
                Input(
                    actuals.path,
                    reported.city_line,
                    actuals.sheet,
                    None,
                    reported.label,
                    reported.city,
                    measure_id,
                ),
            )
        return tuple(
            Input(actuals.path, line, actuals.sheet, region, reported.label, value, measure_id)
            for region, value, line in self.rollup.summed_rows(reported)
        )

    def baseline(self) -> Figure | None:
        if self.target.kind is not Kind.STOCK:
            return None
        year = self.plan.year - 1
        observation = city_value_of(self.rollup, self.target.id, year, MONTHS_IN_YEAR)
        if observation is None:
            return Figure(None, (), _("no {year} year-end level in the file").format(year=year))
        figure = self.actual(self.target.id, observation)
        note = _("the {year} year-end level: {note}").format(year=year, note=figure.note)
        return Figure(figure.value, figure.terms, note, figure.inputs)

    # ------------------------------------------------------------ the figures worked out

    def expected(self, actual: Decimal, period: Period) -> Figure:
        a, target = self.a, self.target
        months = period.months
        linear = a.pace is None or a.pace.profile == LINEAR
        if target.kind is Kind.RATE:
            return Figure(a.expected, (target.value,), _("a rate is held to its target all year"))
        if target.kind is Kind.STOCK:
            start = paced_from(target, a.baseline)
            if start is None:
                if a.baseline is None:
                    why = _("no baseline to pace from: the target itself")
                elif a.baseline == target.value:
                    why = _(
                        "the baseline stands at the target: no change to pace, the target itself"
                    )
                else:
                    why = _("the baseline already meets the target: the target itself")
                return Figure(a.expected, (target.value,), why)
            share: tuple[Term, ...] = (
                (Decimal(months), "/12") if linear else (a.pace_percent or Decimal(0), "/100")
            )
            terms: tuple[Term, ...] = (start, " + (", target.value, " − ", start, ") × ", *share)
            note = (
                _("序时进度: the baseline plus the year's change, pro rata")
                if linear
                else _("序时进度: the baseline plus the share of the year's change due by now")
            )
            return Figure(a.expected, terms, note)
        if not linear:
            terms = (target.value, " × ", a.pace_percent or Decimal(0), "/100")
            note = _("序时进度: the share of the year's target due by now")
            return Figure(a.expected, terms, note)
        terms = (target.value, " × ", Decimal(months), "/12")
        return Figure(a.expected, terms, _("序时进度: the year's target, pro rata"))

    def percent_of_target(self, actual: Decimal) -> Figure | None:
        if self.a.percent_of_target is None:
            return None
        return Figure(self.a.percent_of_target, (actual, " / ", self.target.value, " × 100"))

    def progress(self, actual: Decimal) -> Figure | None:
        a, target = self.a, self.target
        if a.progress_percent is None:
            return None
        start = paced_from(target, a.baseline)
        if start is not None:
            terms: tuple[Term, ...] = (
                "(",
                actual,
                " − ",
                start,
                ") / (",
                target.value,
                " − ",
                start,
                ") × 100",
            )
            return Figure(a.progress_percent, terms, _("完成率: the change since the baseline"))
        if target.kind is Kind.STOCK and not target.comparison.higher_is_better:
            terms = (target.value, " / ", actual, " × 100")
            return Figure(a.progress_percent, terms, _("a level that must come down: T / A"))
        return Figure(a.progress_percent, (actual, " / ", target.value, " × 100"))

    def pace(self, period: Period) -> Figure | None:
        share = self.a.pace
        if self.a.pace_percent is None or share is None:
            return None
        percent = self.a.pace_percent
        if share.profile == MILESTONES:
            return Figure(percent, *_between_milestones(share, period))
        if share.profile == LAST_YEAR and share.previous is not None:
            now, end, start = share.previous
            year, months = period.year - 1, period.months
            inputs = self.inputs(self.target.id, year, months) + self.inputs(
                self.target.id, year, MONTHS_IN_YEAR
            )
            same = period.same_period_of(year).code
            if start is None:
                terms: tuple[Term, ...] = (now, " / ", end, " × 100")
                note = _("序时进度 by last year: {period} of the {year} full year").format(
                    period=same, year=year
                )
            else:
                terms = ("(", now, " − ", start, ") / (", end, " − ", start, ") × 100")
                note = _("序时进度 by last year: the change to {period} of the change over {year}")
                note = note.format(period=same, year=year)
                inputs += self.inputs(self.target.id, year - 1, MONTHS_IN_YEAR)
            return Figure(percent, terms, note, inputs)
        terms = (Decimal(period.months), " / 12 × 100")
        note = _("序时进度: the share of the year elapsed")
        if share.note:
            note = _("{note}; {stale}").format(note=note, stale=share.note)
        return Figure(percent, terms, note)

    def vs_pace(self) -> Figure | None:
        a = self.a
        if a.vs_pace_pp is None or a.progress_percent is None or a.pace_percent is None:
            return None
        terms: tuple[Term, ...] = (a.progress_percent, " − ", a.pace_percent)
        return Figure(a.vs_pace_pp, terms, _("progress less pace, in percentage points"))

    def gap(self, actual: Decimal) -> Figure:
        target = self.target
        if target.comparison.higher_is_better:
            note = _("the target less the actual")
            return Figure(self.a.gap, (target.value, " − ", actual), note)
        return Figure(self.a.gap, (actual, " − ", target.value), _("the actual less the target"))

    def to_meet(self, actual: Decimal) -> Figure:
        target = self.target
        if self.a.to_meet is None:
            return Figure(None, (), _("met: nothing is needed"))
        whole = target.unit in self.plan.unit_table.whole
        bound = whole_bound(target, whole)
        higher = target.comparison.higher_is_better
        terms: tuple[Term, ...] = (bound, " − ", actual) if higher else (actual, " − ", bound)
        if target.kind is Kind.CUMULATIVE and not higher:
            note = _("the excess over the maximum: a year-to-date total cannot come down")
        elif bound != target.value:
            symbol = SYMBOLS[target.comparison].strip()
            note = _("{symbol} {value}{unit} in whole counts: {bound} is the nearest").format(
                symbol=symbol, value=target.value, unit=target.unit, bound=bound
            )
        elif target.comparison in (Comparison.MORE_THAN, Comparison.LESS_THAN):
            note = _("a strict target on a continuous unit: more than this amount")
        else:
            note = _("the least amount that meets the target")
        return Figure(self.a.to_meet, terms, note)

    def growth(self, observation: Observation) -> Figure | None:
        if self.a.growth is None:
            return None
        period = observation.period
        year, months = period.year, period.months
        before = self.value_of(self.target.id, year - 1, months)
        terms: tuple[Term, ...] = ("(", observation.value, " / ", before, " − 1) × 100")
        inputs = self.inputs(self.target.id, year, months) + self.inputs(
            self.target.id, year - 1, months
        )
        note = _("同比: on the same period of {year}").format(year=year - 1)
        return Figure(self.a.growth, terms, note, inputs)

    def status(self, actual: Decimal, period: Period) -> Figure:
        """The rule that gave the status, with the figures it compared (progress.status_of)."""
        a, target = self.a, self.target
        status = a.status
        symbol = SYMBOLS[target.comparison]
        higher = target.comparison.higher_is_better
        if status in (Status.ACHIEVED, Status.MISSED):
            met = status is Status.ACHIEVED
            missed = _("not {symbol}").format(symbol=symbol.strip())
            relation = symbol if met else f" {missed} "
            terms: tuple[Term, ...] = (actual, relation, target.value)
            if period.is_full_year:
                note = (
                    _("the target is met at the year end")
                    if met
                    else _("the target is missed at the year end")
                )
            else:
                note = _("the target is met already") if met else _("the target is missed already")
            return Figure(status.value, terms, note)
        assert a.expected is not None
        expected = a.expected
        if status is Status.ON_TRACK:
            terms = (actual, " ≥ " if higher else " ≤ ", expected)
            return Figure(status.value, terms, _("at or beyond where the pace puts it by now"))
        ratio = self.plan.settings.at_risk_ratio
        start = paced_from(target, a.baseline)
        band = f"{ratio * 100:f}".rstrip("0").rstrip(".") + " %"
        close = status is Status.AT_RISK
        if start is not None:
            done, due = (
                (actual - start, expected - start) if higher else (start - actual, start - expected)
            )
            terms = (done, " ≥ " if close else " < ", ratio, " × ", due, " = ", ratio * due)
            note = (
                _("the change since the baseline is at least {band} of the change due by now")
                if close
                else _("the change since the baseline is under {band} of the change due by now")
            ).format(band=band)
        elif higher:
            terms = (
                actual,
                " ≥ " if close else " < ",
                ratio,
                " × ",
                expected,
                " = ",
                ratio * expected,
            )
            note = (
                _("behind the pace: at least {band} of what is due by now")
                if close
                else _("behind the pace: under {band} of what is due by now")
            ).format(band=band)
        else:
            terms = (
                actual,
                " × ",
                ratio,
                " = ",
                actual * ratio,
                " ≤ " if close else " > ",
                expected,
            )
            note = (
                _(
                    "above the pace allowed: within the at-risk band"
                    " ({band} of the actual ≤ allowed)"
                )
                if close
                else _(
                    "above the pace allowed: beyond the at-risk band"
                    " ({band} of the actual ≤ allowed)"
                )
            ).format(band=band)
        return Figure(status.value, terms, note)


def _resting(figure: Figure | None, inputs: tuple[Input, ...]) -> Figure | None:
    """The figure with the rows it rests on (those of the values it is worked out from)."""
    return None if figure is None else figure._replace(inputs=inputs)


def _between_milestones(share: PaceShare, period: Period) -> tuple[tuple[Term, ...], str]:
    """The share due by milestones: the milestone's own, or linear by month between two."""

    def named(months: int) -> str:
        if months == 0:
            return _("the start of the year")
        return Period(period.year, months).month_code

    if len(share.between) == 1:
        ((months, percent),) = share.between
        return (percent,), _("序时进度 by milestones: the share due by {period}").format(
            period=named(months)
        )
    (start, low), (end, high) = share.between
    terms: tuple[Term, ...] = (
        low,
        " + (",
        high,
        " − ",
        low,
        ") × (",
        Decimal(period.months),
        " − ",
        Decimal(start),
        ")/(",
        Decimal(end),
        " − ",
        Decimal(start),
        ")",
    )
    note = _("序时进度 by milestones: linear by month from {start} to {end}").format(
        start=named(start), end=named(end)
    )
    return terms, note

"""The plan -> an actuals skeleton to fill in: a row per measure, then the rows figures rest on."""

from __future__ import annotations

from .i18n import _
from .model import GrowthDerivation, Kind, Plan
from .periods import Period

Row = tuple[str, ...]


def template_rows(plan: Plan, period: Period, *, by_region: bool = False) -> list[Row]:
    """A row per target and indicator for `period`, then the previous-year rows the figures
    use (stock baselines, growth bases). By region: that block for each declared region,
    then whole-city rows for the rates that are reported, not derived: a rate is never
    added up from the regions'."""
    if not by_region:
        return _block(plan, period, "")
    rows = [row for region in plan.regions for row in _block(plan, period, region.name)]
    for measure in plan.measures:
        if measure.kind is Kind.RATE and plan.derivation_for(measure.id) is None:
            note = _("{name}: 全市 (a rate is not added up from the regions)").format(
                name=measure.name
            )
            rows.append((measure.id, period.code, "", "", note, ""))
    return rows


def _block(plan: Plan, period: Period, region: str) -> list[Row]:
    rows: list[Row] = [(m.id, period.code, "", region, m.name, "") for m in plan.measures]
    previous = period.year - 1
    for measure in plan.measures:
        if measure.kind is Kind.STOCK:
            note = _("{name}: {year}年末基数 (baseline)").format(name=measure.name, year=previous)
            rows.append((measure.id, str(previous), "", region, note, ""))
    base = str(previous) if period.is_full_year else period.same_period_of(previous).code
    for derivation in plan.derivations:
        if isinstance(derivation, GrowthDerivation):
            grown = plan.measure(derivation.of)
            note = _("{name}: 上年同期 (same period last year)").format(
                name=grown.name if grown else derivation.of
            )
            rows.append((derivation.of, base, "", region, note, ""))
    return rows

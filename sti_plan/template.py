"""The plan -> an actuals skeleton to fill in: a row per measure, then the rows figures rest on."""

from __future__ import annotations

from .model import GrowthDerivation, Kind, Plan
from .periods import Period


def template_rows(plan: Plan, period: Period) -> list[tuple[str, ...]]:
    """A row per target and indicator for `period`, then the previous-year rows the figures
    use (stock baselines, growth bases)."""
    rows: list[tuple[str, ...]] = [(m.id, period.code, "", "", m.name, "") for m in plan.measures]
    previous = period.year - 1
    for measure in plan.measures:
        if measure.kind is Kind.STOCK:
            note = f"{measure.name}: {previous}年末基数 (baseline)"
            rows.append((measure.id, str(previous), "", "", note, ""))
    base = str(previous) if period.is_full_year else period.same_period_of(previous).code
    for derivation in plan.derivations:
        if isinstance(derivation, GrowthDerivation):
            grown = plan.measure(derivation.of)
            note = f"{grown.name if grown else derivation.of}: 上年同期 (same period last year)"
            rows.append((derivation.of, base, "", "", note, ""))
    return rows

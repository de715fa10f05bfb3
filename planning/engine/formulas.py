"""Small calculations shared by the sections: percentages, care and supervision hours per FTE, cost of FTE,
compound growth and band labels."""

from __future__ import annotations

import math
from collections.abc import Iterable

from planning.engine.constants import TOLERANCE, WEEKS_PER_MONTH, band_code
from planning.engine.inputs import Assumptions


def add_up(values: Iterable[float]) -> float:
    """Σ values, a float (0.0 when there are none). Plain left-to-right addition: the engine's sums are of at most
    a few hundred figures to 2 decimal places, so the error (≈ 10⁻¹³) is far below anything shown."""
    return sum(values, 0.0)


def percentage(*, part: float, whole: float) -> float | None:
    """100 × part ÷ whole, or None when the whole is zero."""
    return None if whole <= 0 else 100 * part / whole


def care_hours_per_fte_per_week(*, assumptions: Assumptions) -> float:
    """h = C × p × d."""
    return assumptions.contract_hours * assumptions.productive_fraction * assumptions.direct_care_fraction


def productive_hours_per_fte_per_week(*, assumptions: Assumptions) -> float:
    """P = C × p: the hours a week one FTE is at work (what a rota of cover draws on)."""
    return assumptions.contract_hours * assumptions.productive_fraction


def supervision_hours_per_supervisor_fte_per_month(*, assumptions: Assumptions) -> float:
    """C × 52/12 × p × supervision_fraction."""
    return (
        assumptions.contract_hours
        * WEEKS_PER_MONTH
        * assumptions.productive_fraction
        * assumptions.supervision_fraction
    )


def annual_cost(*, fte: float, midpoint: float, on_cost_pct: float, pay_growth_factor: float = 1.0) -> float:
    """FTE × band midpoint × (1 + on-cost) × pay growth factor."""
    return fte * midpoint * (1 + on_cost_pct / 100) * pay_growth_factor


def growth_factor(*, pct_per_year: float, years: int) -> float:
    """(1 + pct/100) ** years."""
    return (1 + pct_per_year / 100) ** years


def mean_band_label(*, rank: float) -> str:
    """ "5" for a whole rank, otherwise "between 5 and 6" (or "between 7 and 8a")."""
    low, high = math.floor(rank + TOLERANCE), math.ceil(rank - TOLERANCE)
    if low >= high:
        return band_code(low)
    return f"between {band_code(low)} and {band_code(high)}"


def nearest_band_code(*, rank: float) -> str:
    """The band code nearest the rank, halves rounded up."""
    return band_code(math.floor(rank + 0.5))

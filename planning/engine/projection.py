"""Section 5, projection: FTE, demand, allocation and cost for each year of the horizon."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from planning.engine.allocation import allocate
from planning.engine.constants import PAY_MIDPOINT
from planning.engine.formulas import annual_cost, growth_factor
from planning.engine.inputs import Assumptions, PayPoint, PlanInput, StaffLine
from planning.engine.results import YearResult
from planning.engine.skill_mix import fte_by_role


def next_year_fte(*, line: StaffLine, fte: float, next_year: int) -> float:
    """f_{k+1} = f_k × (1 − attrition) + recruitment + trainees completing in the next year."""
    joining = line.trainees if line.trainee_completion_year == next_year else 0.0
    return fte * (1 - line.attrition_pct / 100) + line.recruitment_fte_per_year + joining


def project_line_ftes(*, plan: PlanInput) -> list[list[float]]:
    """FTE of every line in every year: result[k][i] is line i's FTE in year start_year + k."""
    ftes = [[line.fte for line in plan.staff]]
    for index in range(plan.horizon_years):
        next_year = plan.start_year + index + 1
        ftes.append(
            [
                next_year_fte(line=line, fte=fte, next_year=next_year)
                for line, fte in zip(plan.staff, ftes[-1], strict=True)
            ]
        )
    return ftes


def vacancies(*, staff: Sequence[StaffLine], ftes: Sequence[float]) -> float:
    """Σ per line of max(0, establishment − FTE)."""
    return math.fsum(max(0.0, line.funded_fte - fte) for line, fte in zip(staff, ftes, strict=True))


def midpoints_by_band(*, pay_points: Sequence[PayPoint], pay_point: str = PAY_MIDPOINT) -> dict[int, float]:
    """Grade → the salary costs use (midpoint or top, see `PayPoint.pay`). If a grade is given twice, the last pay
    point wins."""
    return {point.band: point.pay(pay_point) for point in pay_points}


def staff_cost(
    *,
    staff: Sequence[StaffLine],
    ftes: Sequence[float],
    midpoints: Mapping[int, float],
    assumptions: Assumptions,
    years_from_start: int = 0,
) -> tuple[float, float]:
    """(cost, uncosted FTE): Σ FTE × midpoint × (1 + on-cost) × pay growth; lines with no pay point are uncosted."""
    pay_factor = growth_factor(pct_per_year=assumptions.pay_growth_pct, years=years_from_start)
    cost = uncosted = 0.0
    for line, fte in zip(staff, ftes, strict=True):
        midpoint = midpoints.get(line.band)
        if midpoint is None:
            uncosted += fte
        else:
            cost += annual_cost(
                fte=fte, midpoint=midpoint, on_cost_pct=assumptions.on_cost_pct, pay_growth_factor=pay_factor
            )
    return cost, uncosted


def project_year(*, plan: PlanInput, index: int, ftes: Sequence[float], midpoints: Mapping[int, float]) -> YearResult:
    demand_factor = growth_factor(pct_per_year=plan.assumptions.demand_growth_pct, years=index)
    allocation = allocate(
        staff=plan.staff,
        demand=plan.demand,
        assumptions=plan.assumptions,
        ftes=ftes,
        demand_factor=demand_factor,
        per_line=False,
    )
    cost, uncosted = staff_cost(
        staff=plan.staff, ftes=ftes, midpoints=midpoints, assumptions=plan.assumptions, years_from_start=index
    )
    return YearResult(
        year=plan.start_year + index,
        index=index,
        fte=math.fsum(ftes),
        fte_by_role=fte_by_role(staff=plan.staff, ftes=ftes),
        establishment_fte=math.fsum(line.funded_fte for line in plan.staff),
        vacancies_fte=vacancies(staff=plan.staff, ftes=ftes),
        capacity_hours=allocation.capacity_hours,
        demand_hours=allocation.demand_hours,
        allocated_hours=allocation.allocated_hours,
        unmet_hours=allocation.unmet_hours,
        idle_hours=allocation.idle_hours,
        demand_met_pct=allocation.demand_met_pct,
        gap_fte=allocation.gap_fte,
        tiers=allocation.tiers,
        skilled_hours_on_routine=allocation.skilled_hours_on_routine,
        cost=cost,
        uncosted_fte=uncosted,
    )


def project(*, plan: PlanInput, line_ftes: Sequence[Sequence[float]] | None = None) -> list[YearResult]:
    """One YearResult for each year start_year … start_year + horizon (section 5).

    `line_ftes` is `project_line_ftes(plan=plan)`, passed in when the caller has it already."""
    midpoints = midpoints_by_band(pay_points=plan.pay_points, pay_point=plan.assumptions.pay_point)
    line_ftes = project_line_ftes(plan=plan) if line_ftes is None else line_ftes
    return [
        project_year(plan=plan, index=index, ftes=ftes, midpoints=midpoints) for index, ftes in enumerate(line_ftes)
    ]


def cost_over_horizon(*, years: Sequence[YearResult], horizon_years: int) -> float:
    """Σ cost of the horizon's years (k = 0 … horizon − 1), each costed at its opening FTE."""
    return math.fsum(year.cost for year in years[:horizon_years])

"""Section 5, projection: for each year of the horizon, every line's FTE, supply flows, declarations and cost, and
the team's demand, allocation, need, gap, surplus, capability coverage and supervision."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planning.engine.allocation import ServingGroups, allocate, serving_groups
from planning.engine.capabilities import capability_coverage, projected_declarations
from planning.engine.constants import COMPLEX, NEED_COVER, NEED_DEMAND, PAY_MIDPOINT, staff_group
from planning.engine.formulas import (
    annual_cost,
    care_hours_per_fte_per_week,
    growth_factor,
    productive_hours_per_fte_per_week,
)
from planning.engine.inputs import DemandLine, PayPoint, PlanInput, StaffLine
from planning.engine.results import Allocation, LineYear, YearResult
from planning.engine.skill_mix import fte_by_role
from planning.engine.supervision import supervision


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


def trainees_in_training(*, line: StaffLine, start_year: int, year: int) -> float:
    """T while the line's trainees are still training: start_year < Y_T and year < Y_T (0 without a Y_T)."""
    completion = line.trainee_completion_year
    if completion is None or not (start_year < completion and year < completion):
        return 0.0
    return line.trainees


def vacancies(*, staff: Sequence[StaffLine], ftes: Sequence[float]) -> float:
    """Σ per line of max(0, establishment − FTE)."""
    return math.fsum(max(0.0, line.funded_fte - fte) for line, fte in zip(staff, ftes, strict=True))


def midpoints_by_band(*, pay_points: Sequence[PayPoint], pay_point: str = PAY_MIDPOINT) -> dict[int, float]:
    """Grade → the salary costs use (midpoint or top, see `PayPoint.pay`). If a grade is given twice, the last pay
    point wins."""
    return {point.band: point.pay(pay_point) for point in pay_points}


@dataclass(frozen=True)
class Supply:
    """What the projection needs about every line in every year, worked out once: result[k][i] for year k, line i."""

    ftes: list[list[float]]
    declared: list[list[dict[str, float]]]
    in_training: list[list[float]]


def project_supply(*, plan: PlanInput, line_ftes: Sequence[Sequence[float]] | None = None) -> Supply:
    ftes = [list(year) for year in (project_line_ftes(plan=plan) if line_ftes is None else line_ftes)]
    in_training = [
        [
            trainees_in_training(line=line, start_year=plan.start_year, year=plan.start_year + index)
            for line in plan.staff
        ]
        for index in range(len(ftes))
    ]
    return Supply(ftes=ftes, declared=projected_declarations(staff=plan.staff, line_ftes=ftes), in_training=in_training)


@dataclass(frozen=True)
class _Context:
    """What stays the same across the years of one plan."""

    plan: PlanInput
    demand: Sequence[DemandLine]
    supply: Supply
    pay: Mapping[int, float]
    groups: ServingGroups
    staff_groups: Sequence[str]


def line_years(*, context: _Context, index: int) -> list[LineYear]:
    """Each line's figures in year k (section 5): flows into the year are 0 in year 0, the baseline."""
    plan, supply = context.plan, context.supply
    assumptions = plan.assumptions
    pay_factor = growth_factor(pct_per_year=assumptions.pay_growth_pct, years=index)
    year = plan.start_year + index
    rows = []
    for line_index, line in enumerate(plan.staff):
        fte = supply.ftes[index][line_index]
        establishment = line.funded_fte
        pay = context.pay.get(line.band)
        rows.append(
            LineYear(
                line_index=line_index,
                role_slug=line.role_slug,
                band=line.band_code,
                fte=fte,
                establishment_fte=establishment,
                vacancies_fte=max(0.0, establishment - fte),
                over_establishment_fte=max(0.0, fte - establishment),
                leavers_fte=supply.ftes[index - 1][line_index] * line.attrition_pct / 100 if index else 0.0,
                recruits_fte=line.recruitment_fte_per_year if index else 0.0,
                trainees_qualifying_fte=line.trainees if index and line.trainee_completion_year == year else 0.0,
                trainees_in_training_fte=supply.in_training[index][line_index],
                declared_capabilities=supply.declared[index][line_index],
                cost=0.0
                if pay is None
                else annual_cost(
                    fte=fte, midpoint=pay, on_cost_pct=assumptions.on_cost_pct, pay_growth_factor=pay_factor
                ),
                staff_group=context.staff_groups[line_index],
            )
        )
    return rows


def establishment_cost(*, context: _Context, index: int) -> float:
    """Σ_i E_i × pay × (1 + o) × (1 + w)^k over the lines whose grade has a pay point."""
    assumptions = context.plan.assumptions
    pay_factor = growth_factor(pct_per_year=assumptions.pay_growth_pct, years=index)
    return math.fsum(
        annual_cost(
            fte=line.funded_fte,
            midpoint=context.pay[line.band],
            on_cost_pct=assumptions.on_cost_pct,
            pay_growth_factor=pay_factor,
        )
        for line in context.plan.staff
        if line.band in context.pay
    )


@dataclass(frozen=True)
class Need:
    demand_need_fte: float
    cover_need_fte: float
    need_fte: float
    need_basis: str
    demand_gap_fte: float
    cover_gap_fte: float
    gap_fte: float
    surplus_fte: float


def need(*, plan: PlanInput, allocation: Allocation, clinical_fte: float) -> Need:
    """Section 5's need, gap and surplus for one year:
    need = max(D ÷ h, cover ÷ P); gap = max(unmet ÷ h, cover need − clinical FTE);
    surplus = max(0, clinical FTE − max(allocated ÷ h, cover need))."""
    hours_per_fte = care_hours_per_fte_per_week(assumptions=plan.assumptions)
    demand_need = allocation.demand_hours / hours_per_fte
    cover_need = (
        0.0
        if plan.cover is None
        else plan.cover.hours_per_week / productive_hours_per_fte_per_week(assumptions=plan.assumptions)
    )
    demand_gap = allocation.unmet_hours / hours_per_fte
    cover_gap = max(0.0, cover_need - clinical_fte)
    return Need(
        demand_need_fte=demand_need,
        cover_need_fte=cover_need,
        need_fte=max(demand_need, cover_need),
        need_basis=NEED_COVER if cover_need > demand_need else NEED_DEMAND,
        demand_gap_fte=demand_gap,
        cover_gap_fte=cover_gap,
        gap_fte=max(demand_gap, cover_gap),
        surplus_fte=max(0.0, clinical_fte - max(allocation.allocated_hours / hours_per_fte, cover_need)),
    )


def project_year(*, context: _Context, index: int, allocation: Allocation | None = None) -> YearResult:
    """Every figure of year k. `allocation` is the year's allocation when the caller has it already (year 0, with
    its per-line detail)."""
    plan = context.plan
    ftes = context.supply.ftes[index]
    allocation = allocation or allocate(
        staff=plan.staff,
        demand=context.demand,
        assumptions=plan.assumptions,
        ftes=ftes,
        demand_factor=growth_factor(pct_per_year=plan.assumptions.demand_growth_pct, years=index),
        per_line=False,
        groups=context.groups,
    )
    lines = line_years(context=context, index=index)
    clinical_fte = math.fsum(fte for line, fte in zip(plan.staff, ftes, strict=True) if line.clinical)
    hours_per_fte = care_hours_per_fte_per_week(assumptions=plan.assumptions)
    needed = need(plan=plan, allocation=allocation, clinical_fte=clinical_fte)
    return YearResult(
        year=plan.start_year + index,
        index=index,
        fte=math.fsum(ftes),
        fte_by_role=fte_by_role(staff=plan.staff, ftes=ftes),
        establishment_fte=math.fsum(line.funded_fte for line in plan.staff),
        vacancies_fte=math.fsum(row.vacancies_fte for row in lines),
        capacity_hours=allocation.capacity_hours,
        demand_hours=allocation.demand_hours,
        allocated_hours=allocation.allocated_hours,
        unmet_hours=allocation.unmet_hours,
        idle_hours=allocation.idle_hours,
        demand_met_pct=allocation.demand_met_pct,
        gap_fte=needed.gap_fte,
        tiers=allocation.tiers,
        skilled_hours_on_routine=allocation.skilled_hours_on_routine,
        cost=math.fsum(row.cost for row in lines),
        uncosted_fte=math.fsum(
            row.fte for row, line in zip(lines, plan.staff, strict=True) if line.band not in context.pay
        ),
        lines=lines,
        clinical_fte=clinical_fte,
        over_establishment_fte=math.fsum(row.over_establishment_fte for row in lines),
        demand_need_fte=needed.demand_need_fte,
        cover_need_fte=needed.cover_need_fte,
        need_fte=needed.need_fte,
        need_basis=needed.need_basis,
        demand_gap_fte=needed.demand_gap_fte,
        cover_gap_fte=needed.cover_gap_fte,
        surplus_fte=needed.surplus_fte,
        complex_capacity_hours=math.fsum(
            fte * hours_per_fte
            for line, fte in zip(plan.staff, ftes, strict=True)
            if line.clinical and line.complexity_ceiling == COMPLEX
        ),
        complex_met_pct=allocation.tier(COMPLEX).met_pct,
        capability_coverage=capability_coverage(
            staff=plan.staff,
            requirements=plan.capability_requirements,
            ftes=ftes,
            declared=context.supply.declared[index],
        ),
        supervision=supervision(
            staff=plan.staff, assumptions=plan.assumptions, ftes=ftes, trainees=context.supply.in_training[index]
        ),
        establishment_cost=establishment_cost(context=context, index=index),
    )


def project(
    *,
    plan: PlanInput,
    demand: Sequence[DemandLine] | None = None,
    supply: Supply | None = None,
    baseline_allocation: Allocation | None = None,
) -> list[YearResult]:
    """One YearResult for each year start_year … start_year + horizon (section 5). `demand` is the demand used
    (the plan's own lines when not given); `supply` and year 0's `baseline_allocation` are passed in when the caller
    has them already."""
    context = _Context(
        plan=plan,
        demand=plan.demand if demand is None else demand,
        supply=project_supply(plan=plan) if supply is None else supply,
        pay=midpoints_by_band(pay_points=plan.pay_points, pay_point=plan.assumptions.pay_point),
        groups=serving_groups(staff=plan.staff),
        staff_groups=[
            staff_group(band=line.band, registered=line.registered, clinical=line.clinical) for line in plan.staff
        ],
    )
    return [
        project_year(context=context, index=index, allocation=baseline_allocation if index == 0 else None)
        for index in range(len(context.supply.ftes))
    ]


def cost_over_horizon(*, years: Sequence[YearResult], horizon_years: int) -> float:
    """Σ cost of the horizon's years (k = 0 … horizon − 1), each costed at its opening FTE."""
    return math.fsum(year.cost for year in years[:horizon_years])


def establishment_cost_over_horizon(*, years: Sequence[YearResult], horizon_years: int) -> float:
    """Σ establishment cost of the same years as cost_over_horizon."""
    return math.fsum(year.establishment_cost for year in years[:horizon_years])

"""Sections 4 and 6, projection: for each year of the horizon, every line's FTE, supply flows, declarations and
cost, and the team's demand, allocation, need, gap, surplus, capability coverage and supervision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planning.engine.allocation import ServingGroups, allocate, serving_groups
from planning.engine.capabilities import (
    CapabilityLines,
    capability_coverage,
    capability_lines,
    projected_declarations,
)
from planning.engine.constants import COMPLEX, NEED_COVER, NEED_DEMAND, PAY_MIDPOINT, staff_group
from planning.engine.formulas import (
    add_up,
    care_hours_per_fte_per_week,
    growth_factor,
    productive_hours_per_fte_per_week,
)
from planning.engine.inputs import DemandLine, PayPoint, PlanInput, StaffLine
from planning.engine.results import Allocation, LineYear, YearResult
from planning.engine.skill_mix import fte_by_role
from planning.engine.supervision import SupervisionLines, supervision, supervision_lines


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


def trainees_in_training(*, plan: PlanInput) -> list[list[float]]:
    """result[k][i]: line i's trainees while still training in year k: T when start_year < Y_T and y_k < Y_T
    (0 without a Y_T)."""
    years = [[0.0] * len(plan.staff) for _ in range(plan.horizon_years + 1)]
    for index, line in enumerate(plan.staff):
        completion = line.trainee_completion_year
        if line.trainees <= 0 or completion is None or completion <= plan.start_year:
            continue
        for offset, year in enumerate(years):
            if plan.start_year + offset < completion:
                year[index] = line.trainees
    return years


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


def project_supply(*, plan: PlanInput) -> Supply:
    ftes = project_line_ftes(plan=plan)
    return Supply(
        ftes=ftes,
        declared=projected_declarations(staff=plan.staff, line_ftes=ftes),
        in_training=trainees_in_training(plan=plan),
    )


@dataclass(frozen=True)
class _Context:
    """What stays the same across the years of one plan, worked out once (each year then only adds up FTE)."""

    plan: PlanInput
    demand: Sequence[DemandLine]
    supply: Supply
    groups: ServingGroups
    # Per line: salary × (1 + on-costs) (None when the grade has no pay point), funded establishment, staff group.
    loaded_pay: list[float | None]
    establishment: list[float]
    staff_groups: list[str]
    band_codes: list[str]
    capabilities: list[CapabilityLines]
    supervision: SupervisionLines


def context_of(*, plan: PlanInput, demand: Sequence[DemandLine], supply: Supply) -> _Context:
    pay = midpoints_by_band(pay_points=plan.pay_points, pay_point=plan.assumptions.pay_point)
    on_costs = 1 + plan.assumptions.on_cost_pct / 100
    return _Context(
        plan=plan,
        demand=demand,
        supply=supply,
        groups=serving_groups(staff=plan.staff),
        loaded_pay=[None if line.band not in pay else pay[line.band] * on_costs for line in plan.staff],
        establishment=[line.funded_fte for line in plan.staff],
        staff_groups=[
            staff_group(band=line.band, registered=line.registered, clinical=line.clinical) for line in plan.staff
        ],
        band_codes=[line.band_code for line in plan.staff],
        capabilities=capability_lines(staff=plan.staff, requirements=plan.capability_requirements),
        supervision=supervision_lines(staff=plan.staff),
    )


def line_years(*, context: _Context, index: int) -> list[LineYear]:
    """Each line's figures in year k (section 6); flows into the year are 0 in year 0, the baseline. Cost is
    f × pay × (1 + o) × (1 + w)^k (0 for a grade with no pay point)."""
    plan, supply = context.plan, context.supply
    pay_factor = growth_factor(pct_per_year=plan.assumptions.pay_growth_pct, years=index)
    year = plan.start_year + index
    previous = supply.ftes[index - 1] if index else None
    return [
        LineYear(  # positional, in field order: a 200-line plan over 10 years builds 2,200 of these
            line_index,
            line.role_slug,
            band,
            fte,
            establishment,
            establishment - fte if establishment > fte else 0.0,
            fte - establishment if fte > establishment else 0.0,
            0.0 if previous is None else previous[line_index] * line.attrition_pct / 100,
            0.0 if previous is None else line.recruitment_fte_per_year,
            line.trainees if previous is not None and line.trainee_completion_year == year else 0.0,
            in_training,
            declared,
            0.0 if pay is None else fte * pay * pay_factor,
            group,
        )
        for line_index, (line, band, fte, establishment, pay, group, in_training, declared) in enumerate(
            zip(
                plan.staff,
                context.band_codes,
                supply.ftes[index],
                context.establishment,
                context.loaded_pay,
                context.staff_groups,
                supply.in_training[index],
                supply.declared[index],
                strict=True,
            )
        )
    ]


def establishment_cost(*, context: _Context, index: int) -> float:
    """Σ_i E_i × pay × (1 + o) × (1 + w)^k over the lines whose grade has a pay point."""
    pay_factor = growth_factor(pct_per_year=context.plan.assumptions.pay_growth_pct, years=index)
    return pay_factor * add_up(
        establishment * pay
        for establishment, pay in zip(context.establishment, context.loaded_pay, strict=True)
        if pay is not None
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
    """Section 4, need, gap and surplus for one year:
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
    clinical_fte = add_up(fte for line, fte in zip(plan.staff, ftes, strict=True) if line.clinical)
    hours_per_fte = care_hours_per_fte_per_week(assumptions=plan.assumptions)
    needed = need(plan=plan, allocation=allocation, clinical_fte=clinical_fte)
    return YearResult(
        year=plan.start_year + index,
        index=index,
        fte=add_up(ftes),
        fte_by_role=fte_by_role(staff=plan.staff, ftes=ftes),
        establishment_fte=add_up(line.funded_fte for line in plan.staff),
        vacancies_fte=add_up(row.vacancies_fte for row in lines),
        capacity_hours=allocation.capacity_hours,
        demand_hours=allocation.demand_hours,
        allocated_hours=allocation.allocated_hours,
        unmet_hours=allocation.unmet_hours,
        idle_hours=allocation.idle_hours,
        demand_met_pct=allocation.demand_met_pct,
        gap_fte=needed.gap_fte,
        tiers=allocation.tiers,
        skilled_hours_on_routine=allocation.skilled_hours_on_routine,
        cost=add_up(row.cost for row in lines),
        uncosted_fte=add_up(row.fte for row, pay in zip(lines, context.loaded_pay, strict=True) if pay is None),
        lines=lines,
        clinical_fte=clinical_fte,
        over_establishment_fte=add_up(row.over_establishment_fte for row in lines),
        demand_need_fte=needed.demand_need_fte,
        cover_need_fte=needed.cover_need_fte,
        need_fte=needed.need_fte,
        need_basis=needed.need_basis,
        demand_gap_fte=needed.demand_gap_fte,
        cover_gap_fte=needed.cover_gap_fte,
        surplus_fte=needed.surplus_fte,
        complex_capacity_hours=add_up(
            fte * hours_per_fte
            for line, fte in zip(plan.staff, ftes, strict=True)
            if line.clinical and line.complexity_ceiling == COMPLEX
        ),
        complex_met_pct=allocation.tier(COMPLEX).met_pct,
        capability_coverage=capability_coverage(
            lines=context.capabilities, ftes=ftes, declared=context.supply.declared[index]
        ),
        supervision=supervision(
            staff=plan.staff,
            assumptions=plan.assumptions,
            ftes=ftes,
            trainees=context.supply.in_training[index],
            lines=context.supervision,
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
    """One YearResult for each year start_year … start_year + horizon (section 6). `demand` is the demand used
    (the plan's own lines when not given); `supply` and year 0's `baseline_allocation` are passed in when the caller
    has them already."""
    context = context_of(
        plan=plan,
        demand=plan.demand if demand is None else demand,
        supply=project_supply(plan=plan) if supply is None else supply,
    )
    return [
        project_year(context=context, index=index, allocation=baseline_allocation if index == 0 else None)
        for index in range(len(context.supply.ftes))
    ]


def cost_over_horizon(*, years: Sequence[YearResult], horizon_years: int) -> float:
    """Σ cost of the horizon's years (k = 0 … horizon − 1), each costed at its opening FTE."""
    return add_up(year.cost for year in years[:horizon_years])


def establishment_cost_over_horizon(*, years: Sequence[YearResult], horizon_years: int) -> float:
    """Σ establishment cost of the same years as cost_over_horizon."""
    return add_up(year.establishment_cost for year in years[:horizon_years])

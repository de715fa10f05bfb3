"""`calculate(plan)`: every section (1–8) for one plan, and the warnings about its inputs."""

from __future__ import annotations

import math

from planning.engine.allocation import allocate
from planning.engine.constants import ENGINE_VERSION, TOLERANCE, band_code
from planning.engine.demand import demand_of
from planning.engine.formulas import care_hours_per_fte_per_week, growth_factor, productive_hours_per_fte_per_week
from planning.engine.headlines import headlines
from planning.engine.inputs import PlanInput
from planning.engine.projection import (
    cost_over_horizon,
    establishment_cost_over_horizon,
    project,
    project_supply,
)
from planning.engine.results import CoverResult, PlanResult
from planning.engine.skill_mix import role_names, skill_mix
from planning.engine.targets import Snapshot, evaluate_targets


def pay_notes(*, plan: PlanInput) -> list[str]:
    """What the costs rest on that is not a confirmed published figure, for the grades the team has."""
    present = {line.band for line in plan.staff if line.fte > 0}
    return list(dict.fromkeys(point.note for point in plan.pay_points if point.note and point.band in present))


def input_warnings(*, plan: PlanInput) -> list[str]:
    """Things in the inputs that the engine handled by a stated rule, for the user to check."""
    warnings = []
    bands_with_pay = {point.band for point in plan.pay_points}
    for band in sorted({line.band for line in plan.staff if line.band not in bands_with_pay and line.fte > 0}):
        warnings.append(f"No pay point for grade {band_code(band)}: its FTE is left out of the costs.")
    for line in plan.staff:
        if line.trainees <= 0:
            continue
        if line.trainee_completion_year is None:
            warnings.append(f"{line.role_name}: trainees have no completion year, so they never join.")
        elif line.trainee_completion_year <= plan.start_year:
            warnings.append(
                f"{line.role_name}: trainees complete in {line.trainee_completion_year}, not after the start year "
                f"{plan.start_year}, so they are taken to be in the FTE in post already."
            )
        elif line.trainee_completion_year > plan.end_year:
            warnings.append(
                f"{line.role_name}: trainees complete in {line.trainee_completion_year}, after the plan's last "
                f"year {plan.end_year}, so they do not join within it."
            )
    present = {line.role_slug for line in plan.staff if line.fte > 0}
    for line in plan.staff:
        if line.supervision_hours_per_month and line.fte > 0 and not (line.supervisor_role_slugs & present):
            warnings.append(f"{line.role_name}: none of the roles that supervise it is in the team.")
        for slug, fte in sorted(line.declared_capabilities.items()):
            if fte > line.fte + TOLERANCE:
                warnings.append(
                    f"{line.role_name} (band {line.band_code}): {fte:.2f} FTE declared for "
                    f"{slug.replace('-', ' ')}, more than the line's {line.fte:.2f} FTE, so {line.fte:.2f} is counted."
                )
    return list(dict.fromkeys(warnings))


def cover_result(*, plan: PlanInput) -> CoverResult | None:
    """The team type's minimum cover and the FTE it needs: hours a week ÷ P (P = C × p)."""
    if plan.cover is None:
        return None
    cover = plan.cover
    return CoverResult(
        staff_on_shift=cover.staff_on_shift,
        shifts_per_day=cover.shifts_per_day,
        shift_hours=cover.shift_hours,
        hours_per_week=cover.hours_per_week,
        need_fte=cover.hours_per_week / productive_hours_per_fte_per_week(assumptions=plan.assumptions),
        note=cover.note,
        source_url=cover.source_url,
        modelling_default=cover.modelling_default,
    )


def calculate(plan: PlanInput) -> PlanResult:
    """Run every calculation (sections 1–8) for one plan."""
    demand = demand_of(plan=plan)
    supply = project_supply(plan=plan)
    allocation = allocate(staff=plan.staff, demand=demand.lines, assumptions=plan.assumptions)
    years = project(plan=plan, demand=demand.lines, supply=supply, baseline_allocation=allocation)
    caseload = math.fsum(line.caseload for line in demand.lines)
    snapshots = [
        Snapshot(
            year=year.year,
            staff=plan.staff,
            ftes=supply.ftes[year.index],
            declared=supply.declared[year.index],
            caseload=caseload * growth_factor(pct_per_year=plan.assumptions.demand_growth_pct, years=year.index),
            population=plan.population,
        )
        for year in years
    ]
    return PlanResult(
        name=plan.name,
        start_year=plan.start_year,
        horizon_years=plan.horizon_years,
        population=plan.population,
        assumptions=plan.assumptions,
        hours_per_fte_per_week=care_hours_per_fte_per_week(assumptions=plan.assumptions),
        role_names=role_names(staff=plan.staff),
        skill_mix=skill_mix(staff=plan.staff),
        capability_coverage=years[0].capability_coverage,
        allocation=allocation,
        supervision=years[0].supervision,
        years=years,
        cost_over_horizon=cost_over_horizon(years=years, horizon_years=plan.horizon_years),
        targets=evaluate_targets(targets=plan.targets, snapshots=snapshots),
        warnings=[*demand.warnings, *input_warnings(plan=plan)],
        engine_version=ENGINE_VERSION,
        demand_basis=demand.basis,
        demand=demand.used,
        cover=cover_result(plan=plan),
        headlines=headlines(years=years),
        establishment_cost_over_horizon=establishment_cost_over_horizon(years=years, horizon_years=plan.horizon_years),
        cost_years=[plan.start_year + index for index in range(plan.horizon_years)],
        pay_notes=pay_notes(plan=plan),
    )

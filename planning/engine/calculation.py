"""`calculate(plan)`: every section (1–6) for one plan, and the warnings about its inputs."""

from __future__ import annotations

import math

from planning.engine.allocation import allocate
from planning.engine.capabilities import capability_coverage
from planning.engine.constants import band_code
from planning.engine.formulas import care_hours_per_fte_per_week, growth_factor
from planning.engine.inputs import PlanInput
from planning.engine.projection import cost_over_horizon, project, project_line_ftes
from planning.engine.results import PlanResult
from planning.engine.skill_mix import role_names, skill_mix
from planning.engine.supervision import supervision
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
    return list(dict.fromkeys(warnings))


def calculate(plan: PlanInput) -> PlanResult:
    """Run every calculation (sections 1–6) for one plan."""
    line_ftes = project_line_ftes(plan=plan)
    years = project(plan=plan, line_ftes=line_ftes)
    caseload = math.fsum(line.caseload for line in plan.demand)
    demand_end_factor = growth_factor(pct_per_year=plan.assumptions.demand_growth_pct, years=plan.horizon_years)
    return PlanResult(
        name=plan.name,
        start_year=plan.start_year,
        horizon_years=plan.horizon_years,
        population=plan.population,
        assumptions=plan.assumptions,
        hours_per_fte_per_week=care_hours_per_fte_per_week(assumptions=plan.assumptions),
        role_names=role_names(staff=plan.staff),
        skill_mix=skill_mix(staff=plan.staff),
        capability_coverage=capability_coverage(staff=plan.staff, requirements=plan.capability_requirements),
        allocation=allocate(staff=plan.staff, demand=plan.demand, assumptions=plan.assumptions),
        supervision=supervision(staff=plan.staff, assumptions=plan.assumptions),
        years=years,
        cost_over_horizon=cost_over_horizon(years=years, horizon_years=plan.horizon_years),
        targets=evaluate_targets(
            targets=plan.targets,
            baseline=Snapshot(plan.staff, line_ftes[0], caseload, plan.population),
            horizon=Snapshot(plan.staff, line_ftes[-1], caseload * demand_end_factor, plan.population),
            horizon_year=plan.end_year,
        ),
        warnings=input_warnings(plan=plan),
        pay_notes=pay_notes(plan=plan),
    )

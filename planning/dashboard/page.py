"""A plan's whole dashboard: every section, built from one `PlanResult`."""

from __future__ import annotations

from planning import engine
from planning.dashboard.assumptions import assumption_rows
from planning.dashboard.demand import demand_section
from planning.dashboard.headlines import headlines, start_and_horizon
from planning.dashboard.labels import CONTENTS
from planning.dashboard.reference import reference_notes
from planning.dashboard.rows import Dashboard
from planning.dashboard.sections import (
    capability_rows,
    complexity_section,
    costs_section,
    projection_section,
    skill_mix_section,
    supervision_section,
    targets_section,
)
from planning.dashboard.yearly import years_section
from planning.formatting import hours, plain
from planning.models import Plan, StaffingLine


def build(plan: Plan, result: engine.PlanResult, staffing: list[StaffingLine]) -> Dashboard:
    """The dashboard for `plan`. `staffing` is the plan's lines with `role__family` loaded (for family names and
    whether a line sets its own complexity ceiling, and its note)."""
    notes = reference_notes(plan)
    family_names = {line.role.family.slug: line.role.family.name for line in staffing}
    # The engine numbers the lines in the order its loader reads them (by id).
    in_engine_order = sorted(staffing, key=lambda line: line.pk)
    overridden = [line.complexity_ceiling is not None for line in in_engine_order]
    capabilities = capability_rows(result, notes)
    targets = targets_section(result, notes)
    a = result.assumptions
    return Dashboard(
        start_year=result.start_year,
        end_year=result.final.year,
        headlines=headlines(result, targets),
        start_and_horizon=start_and_horizon(result),
        headline_warnings=list(result.headlines.warnings),
        warnings=list(result.warnings),
        contents=CONTENTS,
        demand=demand_section(result, plan),
        skill_mix=skill_mix_section(result, family_names),
        complexity=complexity_section(result, overridden),
        capabilities=capabilities,
        any_modelling_default=any(row.modelling_default for row in capabilities),
        team_type=plan.team.team_type.name,
        supervision=supervision_section(result),
        targets=targets,
        projection=projection_section(result),
        years=years_section(result, [line.note for line in in_engine_order]),
        costs=costs_section(result, plan, notes),
        assumptions=assumption_rows(result, plan, latest_pay_year=notes.latest_pay_year),
        care_hours_arithmetic=(
            f"{plain(a.contract_hours)} × {plain(a.productive_fraction)} × {plain(a.direct_care_fraction)} "
            f"= {hours(result.hours_per_fte_per_week)} hours a week"
        ),
        care_hours_per_fte=hours(result.hours_per_fte_per_week),
    )

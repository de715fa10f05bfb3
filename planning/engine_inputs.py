"""Turn saved plans into the engine's plain inputs, and run the engine on them: the one place where the models
become `planning.engine` inputs (the engine itself imports nothing from Django or the rest of the project).

Batched: inputs for any number of plans take a fixed number of queries (one per kind of row), so the
dashboard, the comparison and the organisation roll-up stay bounded whatever the data size.
"""

from collections import defaultdict

from planning import engine, results_cache
from planning.models import DemandLine, GuidanceTarget, PayScale, Plan, StaffingLine, TeamTypeCapability
from roles.bands import PAY_TABLE_LABELS, grade_label
from roles.models import Role, RoleCapability


def assumptions_of(plan: Plan) -> engine.Assumptions:
    return engine.Assumptions(
        contract_hours=plan.contract_hours,
        productive_fraction=plan.productive_fraction,
        direct_care_fraction=plan.direct_care_fraction,
        demand_growth_pct=plan.demand_growth_pct,
        on_cost_pct=plan.on_cost_pct,
        supervision_fraction=plan.supervision_fraction,
        pay_growth_pct=plan.pay_growth_pct,
        pay_point=plan.pay_point,
    )


def plan_inputs(plans: list[Plan]) -> dict[int, engine.PlanInput]:
    """Engine input for each plan (plans need `team__team_type` loaded), keyed by plan id."""
    if not plans:
        return {}
    plan_ids = [plan.pk for plan in plans]
    staffing = list(
        StaffingLine.objects.filter(plan_id__in=plan_ids).select_related("role__family").order_by("plan_id", "id")
    )
    role_ids = {line.role_id for line in staffing}
    capabilities = defaultdict(set)
    for role_id, slug in RoleCapability.objects.filter(role_id__in=role_ids).values_list("role_id", "capability__slug"):
        capabilities[role_id].add(slug)
    supervisors = defaultdict(set)
    for role_id, slug in Role.supervisor_roles.through.objects.filter(from_role_id__in=role_ids).values_list(
        "from_role_id", "to_role__slug"
    ):
        supervisors[role_id].add(slug)
    demand = defaultdict(list)
    for line in DemandLine.objects.filter(plan_id__in=plan_ids).order_by("-tier"):
        demand[line.plan_id].append(
            engine.DemandLine(
                tier=line.tier, caseload=line.caseload, hours_per_person_per_week=line.hours_per_person_per_week
            )
        )
    pay = pay_points_by_year(years={plan.pay_year for plan in plans})
    team_type_ids = {plan.team.team_type_id for plan in plans}
    requirements = defaultdict(list)
    for requirement in TeamTypeCapability.objects.filter(team_type_id__in=team_type_ids).select_related("capability"):
        requirements[requirement.team_type_id].append(
            engine.CapabilityRequirement(
                capability_slug=requirement.capability.slug,
                name=requirement.capability.name,
                min_fte=requirement.min_fte,
            )
        )
    targets = defaultdict(list)
    for target in GuidanceTarget.objects.filter(
        scope=GuidanceTarget.Scope.TEAM_TYPE, team_type_id__in=team_type_ids
    ).select_related("role", "family", "capability"):
        targets[target.team_type_id].append(target_of(target))
    staff = defaultdict(list)
    for line in staffing:
        staff[line.plan_id].append(staff_line_of(line, capabilities[line.role_id], supervisors[line.role_id]))
    return {
        plan.pk: engine.PlanInput(
            start_year=plan.start_year,
            horizon_years=plan.horizon_years,
            name=plan.name,
            population=plan.team.population_served,
            assumptions=assumptions_of(plan),
            staff=staff[plan.pk],
            demand=demand[plan.pk],
            pay_points=pay[plan.pay_year],
            capability_requirements=requirements[plan.team.team_type_id],
            targets=targets[plan.team.team_type_id],
        )
        for plan in plans
    }


def pay_points_by_year(*, years: set[str]) -> dict[str, list[engine.PayPoint]]:
    """The pay points each pay year costs with (one query). A grade with no row in the year (for example medical pay
    before that year's award is published) takes the latest earlier year's row, and its note says so; a row that is
    not confirmed against the published table carries its source label as a note. Pay years sort as text
    ("2025/26" < "2026/27")."""
    if not years:
        return {}
    latest_year = max(years)
    rows = list(PayScale.objects.filter(year__lte=latest_year).order_by("year", "band"))
    result = {}
    for year in years:
        chosen: dict[int, PayScale] = {}
        for row in rows:
            if row.year <= year:
                chosen[row.band] = row  # rows are in year order, so the latest year up to `year` wins
        result[year] = [pay_point_of(row, plan_year=year) for _, row in sorted(chosen.items())]
    return result


def pay_point_of(row: PayScale, *, plan_year: str) -> engine.PayPoint:
    notes = []
    if row.year != plan_year:
        notes.append(
            f"{grade_label(row.band)}: there is no {plan_year} {PAY_TABLE_LABELS[row.pay_table]} figure yet, so the "
            f"{row.year} figure is used."
        )
    if not row.confirmed:
        notes.append(f"{PAY_TABLE_LABELS[row.pay_table]} {row.year}, not confirmed: {row.source_label}.")
    return engine.PayPoint(band=row.band, bottom=row.bottom, top=row.top, note=" ".join(notes))


def staff_line_of(line: StaffingLine, capabilities: set[str], supervisors: set[str]) -> engine.StaffLine:
    role = line.role
    return engine.StaffLine(
        role_slug=role.slug,
        role_name=role.name,
        family=role.family.slug,
        band=line.band,
        fte=line.fte,
        establishment_fte=line.establishment_fte,
        registered=role.registered,
        new_role=role.is_new_role,
        clinical=role.clinical,
        attrition_pct=line.attrition_pct,
        trainees=line.trainees_fte,
        trainee_completion_year=line.trainee_completion_year,
        recruitment_fte_per_year=line.recruitment_fte_per_year,
        complexity_ceiling=role.complexity_ceiling,
        capabilities=frozenset(capabilities),
        supervision_hours_per_month=role.supervision_hours_per_month,
        supervisor_role_slugs=frozenset(supervisors),
    )


def target_of(target: GuidanceTarget) -> engine.Target:
    return engine.Target(
        key=target.slug,
        label=target.label,
        metric=target.metric,
        comparator=target.comparator,
        value=target.value,
        value_max=target.value_max,
        role_slug=target.role.slug if target.role else None,
        family=target.family.slug if target.family else None,
        capability_slug=target.capability.slug if target.capability else None,
        source_url=target.source_url,
        source_label=target.source_label,
        year=target.year,
        kind=target.kind,
        reference_population=target.reference_population,
    )


def calculated(plans: list[Plan]) -> dict[int, engine.PlanResult]:
    """Each plan's result, worked out now."""
    return {plan_id: engine.calculate(plan_input) for plan_id, plan_input in plan_inputs(plans).items()}


def results_for(plans: list[Plan]) -> dict[int, engine.PlanResult]:
    """Each plan's result, reused while the plan and the reference data are unchanged (`planning.results_cache`)."""
    return results_cache.results_for(plans, calculate=calculated)

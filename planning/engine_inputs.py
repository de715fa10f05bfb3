"""Turn saved plans into the engine's plain inputs, and run the engine on them: the one place where the models
become `planning.engine` inputs (the engine itself imports nothing from Django or the rest of the project).

Batched: inputs for any number of plans take a fixed number of queries (one per kind of row), so the
dashboard, the comparison and the organisation roll-up stay bounded whatever the data size.

What a staffing line brings to the engine:
- its ceiling (the most complex tier it may hold): the line's own, else its role and band's default
  (`roles.experience.complexity_ceiling_for`);
- `capabilities`: its role's CORE capabilities, held by every FTE; `declared_capabilities`: the FTE the line declares
  for capabilities that need further training or approval for its role (a declaration for any other capability is
  ignored: a core one is already held by all, one the role cannot hold is not held at all);
- its supervision need: the line's hours a month, else its role's.
A plan brings its demand basis, its team type's reference demand rates and its team type's minimum cover (with the
plan's own number of staff on each shift, if it sets one).
"""

from collections import defaultdict

from planning import engine, results_cache
from planning.models import (
    DeclaredCapability,
    DemandLine,
    GuidanceTarget,
    PayScale,
    Plan,
    StaffingLine,
    TeamType,
    TeamTypeCapability,
    TeamTypeDemand,
)
from roles.bands import PAY_TABLE_LABELS, grade_label
from roles.experience import complexity_ceiling_for
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
    capabilities, declarable = defaultdict(set), defaultdict(set)
    for role_id, slug, level in RoleCapability.objects.filter(role_id__in=role_ids).values_list(
        "role_id", "capability__slug", "level"
    ):
        (capabilities if level == RoleCapability.Level.CORE else declarable)[role_id].add(slug)
    declared = defaultdict(dict)
    for line_id, slug, fte in DeclaredCapability.objects.filter(line__plan_id__in=plan_ids).values_list(
        "line_id", "capability__slug", "fte"
    ):
        declared[line_id][slug] = fte
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
    rates = demand_rates_by_team_type(
        team_type_ids={plan.team.team_type_id for plan in plans if plan.demand_basis == Plan.DemandBasis.POPULATION}
    )
    requirements = defaultdict(list)
    for requirement in (
        TeamTypeCapability.objects.filter(team_type_id__in=team_type_ids)
        .select_related("capability")
        .order_by("capability__order", "capability__name")
    ):
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
        own_declarations = {slug: fte for slug, fte in declared[line.pk].items() if slug in declarable[line.role_id]}
        staff[line.plan_id].append(
            staff_line_of(line, capabilities[line.role_id], supervisors[line.role_id], declared=own_declarations)
        )
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
            demand_basis=plan.demand_basis,
            demand_rates=rates[plan.team.team_type_id],
            cover=cover_rule_of(plan),
        )
        for plan in plans
    }


def demand_rates_by_team_type(*, team_type_ids: set[int]) -> dict[int, list[engine.DemandRate]]:
    """Each team type's reference demand, hardest tier first (one query; none when no plan needs them)."""
    rates = defaultdict(list)
    if not team_type_ids:
        return rates
    for rate in TeamTypeDemand.objects.filter(team_type_id__in=team_type_ids).order_by("team_type_id", "-tier"):
        rates[rate.team_type_id].append(
            engine.DemandRate(
                tier=rate.tier,
                caseload_per_100k=rate.caseload_per_100k,
                hours_per_person_per_week=rate.hours_per_person_per_week,
                source_label=rate.source_label,
                source_url=rate.source_url,
                modelling_default=rate.modelling_default,
            )
        )
    return rates


def cover_rule_of(plan: Plan) -> engine.CoverRule | None:
    """The plan's minimum cover: its team type's rule, with the plan's own number of staff on each shift if it sets
    one; None when the team type has no cover rule (teams that are not open around the clock)."""
    team_type: TeamType = plan.team.team_type
    if team_type.staff_on_shift is None or not team_type.shifts_per_day or not team_type.shift_hours:
        return None
    if plan.staff_on_shift is None or plan.staff_on_shift == team_type.staff_on_shift:
        return engine.CoverRule(
            staff_on_shift=team_type.staff_on_shift,
            shifts_per_day=team_type.shifts_per_day,
            shift_hours=team_type.shift_hours,
            note=team_type.cover_note,
            source_url=team_type.cover_source_url,
            modelling_default=team_type.cover_modelling_default,
        )
    return engine.CoverRule(
        staff_on_shift=plan.staff_on_shift,
        shifts_per_day=team_type.shifts_per_day,
        shift_hours=team_type.shift_hours,
        note=(
            f"Set for this plan: {plan.staff_on_shift.normalize():f} on each shift, where the team type's minimum is "
            f"{team_type.staff_on_shift.normalize():f}."
        ),
        source_url="",
        modelling_default=False,
    )


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


def staff_line_of(
    line: StaffingLine, capabilities: set[str], supervisors: set[str], *, declared: dict | None = None
) -> engine.StaffLine:
    """The engine's view of a staffing line. `capabilities` are its role's core capabilities; `declared` the FTE it
    declares for capabilities that need further training or approval for its role."""
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
        complexity_ceiling=(
            line.complexity_ceiling
            if line.complexity_ceiling is not None
            else complexity_ceiling_for(role=role, band=line.band)
        ),
        capabilities=frozenset(capabilities),
        declared_capabilities=declared or {},
        supervision_hours_per_month=(
            line.supervision_hours_per_month
            if line.supervision_hours_per_month is not None
            else role.supervision_hours_per_month
        ),
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

"""`planning/engine_inputs.py`, the one place where saved plans become engine inputs: the plan's pay award, a role's
"gives direct clinical care" flag and a guidance target's scope reach the engine and change its figures; each line's
ceiling, capabilities (core and declared) and supervision need, and each plan's demand basis, reference demand and
minimum cover, in a fixed number of queries."""

from collections import defaultdict
from decimal import Decimal

import pytest

from nwwmh_portal import content_version
from planning import engine
from planning.engine_inputs import plan_inputs, results_for
from planning.models import GuidanceTarget, Organisation, Plan, StaffingLine, Team, TeamType, TeamTypeDemand
from roles.bands import Band, role_band_allowed
from roles.models import Capability, ComplexityTier, Role


@pytest.fixture
def plan(db):
    team_type = TeamType.objects.create(slug="loader-team", name="Loader team", description="A team type for tests.")
    organisation = Organisation.objects.create(
        name="Northshire Mental Health NHS Foundation Trust",
        slug="northshire",
        ods_code="RX1",
        kind=Organisation.Kind.TRUST,
    )
    team = Team.objects.create(organisation=organisation, team_type=team_type, name="North CMHT")
    plan = Plan.objects.create(team=team, name="Baseline", start_year=2026, horizon_years=2)
    nurse = Role.objects.get(slug="mental-health-nurse")
    peer = Role.objects.get(slug="peer-support-worker")
    StaffingLine.objects.create(plan=plan, role=nurse, band=5, fte=Decimal("2.00"), establishment_fte=Decimal("2.00"))
    StaffingLine.objects.create(plan=plan, role=peer, band=3, fte=Decimal("1.00"), establishment_fte=Decimal("1.00"))
    return plan


def loaded(plan):
    return Plan.objects.select_related("team__team_type").get(pk=plan.pk)


def test_the_plans_pay_award_compounds_on_the_cost(plan):
    Plan.objects.filter(pk=plan.pk).update(pay_growth_pct=Decimal("3.60"))
    fresh = loaded(plan)
    assert plan_inputs([fresh])[plan.pk].assumptions.pay_growth_pct == 3.6
    result = results_for([fresh])[plan.pk]
    first, second, third = (year.cost for year in result.years)
    # Same FTE every year, so each year costs 1.036 times the one before.
    assert first > 0
    assert second == pytest.approx(first * 1.036)
    assert third == pytest.approx(first * 1.036**2)


def test_a_plan_without_a_pay_award_costs_the_same_every_year(plan):
    result = results_for([loaded(plan)])[plan.pk]
    assert result.assumptions.pay_growth_pct == 0
    assert len({year.cost for year in result.years}) == 1


def test_a_role_that_gives_no_direct_care_counts_in_fte_and_cost_but_not_in_capacity(plan):
    clinical = results_for([loaded(plan)])[plan.pk]
    Role.objects.filter(slug="peer-support-worker").update(clinical=False)
    inputs = plan_inputs([loaded(plan)])[plan.pk]
    assert [(line.role_slug, line.clinical) for line in inputs.staff] == [
        ("mental-health-nurse", True),
        ("peer-support-worker", False),
    ]
    not_clinical = engine.calculate(inputs)
    h = not_clinical.hours_per_fte_per_week
    # 3 FTE either way; capacity falls from 3 × h to the nurses' 2 × h.
    assert not_clinical.baseline.fte == clinical.baseline.fte == 3
    assert not_clinical.baseline.cost == pytest.approx(clinical.baseline.cost)
    assert clinical.allocation.capacity_hours == pytest.approx(3 * h)
    assert not_clinical.allocation.capacity_hours == pytest.approx(2 * h)


def test_a_guidance_targets_family_scope_selects_that_familys_lines(plan):
    nurse = Role.objects.select_related("family").get(slug="mental-health-nurse")
    GuidanceTarget.objects.create(
        slug="loader-nursing-share",
        label="Nursing share",
        wording="At least half the team are nurses.",
        scope=GuidanceTarget.Scope.TEAM_TYPE,
        team_type=plan.team.team_type,
        family=nurse.family,
        metric=GuidanceTarget.Metric.SHARE_OF_FTE,
        comparator=GuidanceTarget.Comparator.AT_LEAST,
        value=Decimal("50"),
        source_url="https://example.org/guidance",
        source_label="Test guidance",
    )
    (target,) = plan_inputs([loaded(plan)])[plan.pk].targets
    assert (target.family, target.role_slug, target.capability_slug) == (nurse.family.slug, None, None)
    (result,) = results_for([loaded(plan)])[plan.pk].targets
    # Nurses are 2 of 3 FTE: 66.67% ≥ 50%.
    assert (result.status, result.actual) == ("met", pytest.approx(200 / 3))


# --- Issue 10: what each line and plan brings to the engine -----------------------------------------------------


def nurse_line(plan, band, fte="1.00", **fields):
    nurse = Role.objects.get(slug="mental-health-nurse")
    return StaffingLine.objects.create(
        plan=plan, role=nurse, band=band, fte=Decimal(fte), establishment_fte=Decimal(fte), **fields
    )


def staff_by_line(plan):
    """The engine's staff lines of the plan, in the plan's line order, with the saved lines."""
    inputs = plan_inputs([loaded(plan)])[plan.pk]
    return list(zip(plan.staffing_lines.order_by("id"), inputs.staff, strict=True))


def test_a_lines_ceiling_is_its_own_else_its_role_and_bands_default(plan):
    """Nurses hold complex needs from band 6 and moderate ones at band 5 (preceptorship); a line's own ceiling wins,
    up or down; a peer support worker holds routine needs at any band."""
    nurse_line(plan, Band.B6)
    nurse_line(plan, Band.B5, complexity_ceiling=ComplexityTier.COMPLEX)
    nurse_line(plan, Band.B7, complexity_ceiling=ComplexityTier.ROUTINE)
    ceilings = [(line.role.slug, line.band, staff.complexity_ceiling) for line, staff in staff_by_line(plan)]
    assert ceilings == [
        ("mental-health-nurse", Band.B5, ComplexityTier.MODERATE),  # the fixture's band 5 line: the default
        ("peer-support-worker", Band.B3, ComplexityTier.ROUTINE),
        ("mental-health-nurse", Band.B6, ComplexityTier.COMPLEX),
        ("mental-health-nurse", Band.B5, ComplexityTier.COMPLEX),  # the line's own ceiling, above the default
        ("mental-health-nurse", Band.B7, ComplexityTier.ROUTINE),  # and below it
    ]


def test_capabilities_are_the_roles_core_set_and_further_ones_count_only_as_declared(plan):
    """A nurse line of 3.0 FTE declaring 1.0 as independent prescribers brings 1.0 for prescribing and the core
    capabilities for all its FTE. Declarations the role cannot make are ignored: care co-ordination is core for
    nurses (held by all), and a peer support worker cannot be an independent prescriber."""
    line = nurse_line(plan, Band.B6, fte="3.00")
    prescribing = Capability.objects.get(slug="independent-prescribing")
    line.declared_capabilities.create(capability=prescribing, fte=Decimal("1.00"))
    line.declared_capabilities.create(capability=Capability.objects.get(slug="care-coordination"), fte=Decimal("1"))
    peer = plan.staffing_lines.get(role__slug="peer-support-worker")
    peer.declared_capabilities.create(capability=prescribing, fte=Decimal("1.00"))
    by_line = {line.pk: staff for line, staff in staff_by_line(plan)}
    nurse = by_line[line.pk]
    assert {"care-coordination", "risk-assessment"} <= nurse.capabilities
    assert "independent-prescribing" not in nurse.capabilities
    assert nurse.declared_capabilities == {"independent-prescribing": 1.0}
    assert by_line[peer.pk].declared_capabilities == {}
    assert "independent-prescribing" not in by_line[peer.pk].capabilities


def test_a_lines_supervision_hours_override_its_roles(plan):
    """Peer support workers need 2.2 hours a month by default (a modelling default); a line can set its own."""
    peer = plan.staffing_lines.get(role__slug="peer-support-worker")
    by_line = {line.pk: staff for line, staff in staff_by_line(plan)}
    assert by_line[peer.pk].supervision_hours_per_month == 2.2
    assert "mental-health-nurse" in by_line[peer.pk].supervisor_role_slugs
    StaffingLine.objects.filter(pk=peer.pk).update(supervision_hours_per_month=Decimal("3.5"))
    by_line = {line.pk: staff for line, staff in staff_by_line(plan)}
    assert by_line[peer.pk].supervision_hours_per_month == 3.5


def crisis_plan(plan, **fields):
    crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    Team.objects.filter(pk=plan.team_id).update(team_type=crisis, population_served=150_000)
    Plan.objects.filter(pk=plan.pk).update(**fields)
    return loaded(plan)


def test_a_plans_demand_basis_and_its_team_types_reference_rates_reach_the_engine(plan):
    own = plan_inputs([crisis_plan(plan)])[plan.pk]
    assert own.demand_basis == engine.DEMAND_OWN and own.demand_rates == ()
    inputs = plan_inputs([crisis_plan(plan, demand_basis=Plan.DemandBasis.POPULATION)])[plan.pk]
    assert inputs.demand_basis == engine.DEMAND_FROM_POPULATION
    assert [(rate.tier, rate.caseload_per_100k, rate.hours_per_person_per_week) for rate in inputs.demand_rates] == [
        (3, 6.67, 12.0),
        (2, 8.0, 9.0),
        (1, 2.0, 6.0),
    ]
    assert all(rate.source_url.startswith("https://www.ucl.ac.uk/core-study/") for rate in inputs.demand_rates)
    # Worked example: 150,000 people × (6.67 × 12 + 8 × 9 + 2 × 6) ÷ 100,000 = 1.5 × 164.04 = 246.06 care hours a
    # week; at 37.5 × 0.78 × 0.60 = 17.55 care hours per FTE that is 14.02 FTE: the 2001 guide's "Total 14 per team".
    hours = sum(
        inputs.population * rate.caseload_per_100k / 100_000 * rate.hours_per_person_per_week
        for rate in inputs.demand_rates
    )
    assert hours == pytest.approx(246.06)
    assert hours / (37.5 * 0.78 * 0.60) == pytest.approx(14.02, abs=0.01)


def test_a_round_the_clock_team_brings_its_cover_rule_and_the_plan_may_change_the_staff_on_shift(plan):
    assert plan_inputs([loaded(plan)])[plan.pk].cover is None  # a team type with no cover rule
    cover = plan_inputs([crisis_plan(plan)])[plan.pk].cover
    # Two trained staff at all times (2001 guide): 2 × 3 shifts × 8 hours × 7 days = 336 hours a week.
    assert (cover.staff_on_shift, cover.shifts_per_day, cover.shift_hours) == (2, 3, 8)
    assert cover.hours_per_week == 336 and not cover.modelling_default
    assert cover.source_url == "https://www.ucl.ac.uk/core-study/resources/referrals-access/item-5-doh-2001"
    cover = plan_inputs([crisis_plan(plan, staff_on_shift=Decimal("3.0"))])[plan.pk].cover
    assert cover.hours_per_week == 504  # 3 × 3 × 8 × 7
    assert "Set for this plan: 3 on each shift" in cover.note and cover.source_url == ""


def test_inputs_take_the_same_queries_for_one_plan_or_many(plan, django_assert_max_num_queries):
    prescribing = Capability.objects.get(slug="independent-prescribing")
    crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    plans = [loaded(plan)]
    with django_assert_max_num_queries(20) as one:
        plan_inputs(plans)
    for number in range(6):
        team = Team.objects.create(
            organisation=plan.team.organisation, team_type=crisis, name=f"Crisis {number}", population_served=150_000
        )
        other = Plan.objects.create(
            team=team, name="Baseline", start_year=2026, horizon_years=2, demand_basis=Plan.DemandBasis.POPULATION
        )
        for band in (Band.B5, Band.B6, Band.B7):
            line = nurse_line(other, band, fte="2.00")
            line.declared_capabilities.create(capability=prescribing, fte=Decimal("1.00"))
        plans.append(loaded(other))
    with django_assert_max_num_queries(len(one.captured_queries) + 1):  # + the reference demand, now needed
        inputs = plan_inputs(plans)
    assert len(inputs) == 7 and all(len(inputs[p.pk].staff) == 3 for p in plans[1:])


def test_moving_a_line_to_a_higher_band_never_reduces_its_complex_capacity_for_any_role(plan):
    """For every role in the reference data, one line on each band or grade the role allows: the loader's ceiling
    never falls as the band rises, so moving a line up never loses complex capacity (FTE × care hours on lines
    whose ceiling is complex)."""
    StaffingLine.objects.filter(plan=plan).delete()
    roles = list(Role.objects.all())
    for role in roles:
        for band in Band:
            if role_band_allowed(role, band):
                StaffingLine.objects.create(plan=plan, role=role, band=band, fte=1, establishment_fte=1)
    ceilings = defaultdict(list)
    for line, staff in staff_by_line(plan):
        ceilings[line.role.slug].append((line.band, staff.complexity_ceiling))
    assert set(ceilings) == {role.slug for role in roles}
    for slug, by_band in ceilings.items():
        in_band_order = [ceiling for _, ceiling in sorted(by_band)]
        assert in_band_order == sorted(in_band_order), slug


def test_editing_a_team_types_reference_demand_makes_cached_plan_results_out_of_date(plan):
    """Plan results are cached while the plan and the reference data are unchanged (`planning.results_cache`):
    saving or deleting a reference demand rate is a change of the reference data."""
    rate = TeamTypeDemand.objects.filter(team_type__slug="crisis-resolution-home-treatment").first()
    before = content_version.current()
    rate.save()
    after_save = content_version.current()
    assert after_save > before
    rate.delete()
    assert content_version.current() > after_save

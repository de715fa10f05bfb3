"""`planning/engine_inputs.py`, the one place where saved plans become engine inputs: the plan's pay award, a role's
"gives direct clinical care" flag and a guidance target's scope reach the engine and change its figures."""

from decimal import Decimal

import pytest

from planning import engine
from planning.engine_inputs import plan_inputs, results_for
from planning.models import GuidanceTarget, Organisation, Plan, StaffingLine, Team, TeamType
from roles.models import Role


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

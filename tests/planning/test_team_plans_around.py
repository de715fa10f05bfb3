"""A plan page's reads: the plan with whether the user leads its organisation in one query (`plan_with_access_for`),
and its scenarios and "Compare with" choices from one read of the team's plans (`team_plans_around`), exactly what
`related_plans` and `other_team_plans_for` give, for a baseline and for a scenario, and never another team's plan."""

import pytest
from django.http import Http404

from planning import selectors
from planning.models import Plan
from tests.factories import make_world


def scenario(plan, name):
    return Plan.objects.create(
        team=plan.team, name=name, start_year=plan.start_year, scenario_of=plan, created_by=plan.created_by
    )


@pytest.fixture
def world(db):
    world = make_world()
    world.second = Plan.objects.create(team=world.team, name="A second baseline", start_year=2027)
    world.scenarios = [scenario(world.plan, "Zeta option"), scenario(world.plan, "Alpha option")]
    scenario(world.other_plan, "South option")  # another team's scenario: never shown
    return world


@pytest.mark.parametrize("which", ["baseline", "scenario"])
def test_team_plans_around_matches_the_separate_reads(world, which, django_assert_num_queries):
    plan = world.plan if which == "baseline" else world.scenarios[0]
    plan = selectors.plan_for(world.viewer, plan.pk)
    with django_assert_num_queries(1):
        around = selectors.team_plans_around(plan=plan)
    assert [p.pk for p in around.related] == [p.pk for p in selectors.related_plans(plan=plan)]
    assert [p.pk for p in around.others] == [p.pk for p in selectors.other_team_plans_for(user=world.viewer, plan=plan)]
    assert {p.team_id for p in around.others} == {world.team.pk}
    assert around.related  # a baseline's scenarios, or a scenario's sibling


def test_the_plan_and_whether_the_user_leads_its_organisation_come_in_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        plan, lead = selectors.plan_with_access_for(world.lead, world.plan.pk)
    assert plan == world.plan and lead is True
    plan, lead = selectors.plan_with_access_for(world.viewer, world.plan.pk)
    assert plan == world.plan and lead is False
    with pytest.raises(Http404):
        selectors.plan_with_access_for(world.other_lead, world.plan.pk)  # leads another organisation only


@pytest.mark.parametrize("pk", ["abc", None, 10**30, -(10**30)])
def test_an_id_that_cannot_be_a_plan_is_not_found(world, pk):
    with pytest.raises(Http404):
        selectors.plan_with_access_for(world.lead, pk)

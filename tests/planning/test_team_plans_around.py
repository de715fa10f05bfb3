"""A plan page's scenarios and "Compare with" choices come from one read of the team's plans
(`selectors.team_plans_around`) and are exactly what `related_plans` and `other_team_plans_for` give, for a baseline
and for a scenario, and never a plan of another team."""

import pytest

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

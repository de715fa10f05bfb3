"""A lead's decisions on a team's plans (planning.decisions and planning.decision_views): agree a plan, reopen it,
make a scenario the baseline. Each is confirmed on a page of its own, checks the version the lead saw, is
recorded in the plan's history and is open only to the plan's own leads."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning import decisions, services
from planning.models import Plan
from tests.factories import client_for, make_world
from tests.helpers import error_summary, form_values


@pytest.fixture
def world(db):
    world = make_world()
    world.lead.first_name, world.lead.last_name = "Lena", "Lead"
    world.lead.save()
    world.scenario = services.copy_as_scenario(plan=world.plan, user=world.lead, name="More nurses")
    world.sibling = services.copy_as_scenario(plan=world.plan, user=world.lead, name="Fewer nurses")
    return world


def fresh(plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def reasons(plan) -> list[str]:
    return list(plan.history.order_by("-history_id").values_list("history_change_reason", flat=True))


def url(name, plan):
    return reverse(f"planning:{name}", args=[plan.pk])


# --- Agree and reopen: the services ----------------------------------------------------------------------


def test_agreeing_records_who_and_when_and_reopening_keeps_it_in_history(world):
    plan = decisions.agree_plan(plan=world.plan, user=world.lead, expected_version=1)
    saved = fresh(plan)
    assert (saved.status, saved.version, saved.agreed_by, saved.is_locked) == ("agreed", 2, world.lead, True)
    assert saved.agreed_at is not None
    assert reasons(saved)[0] == "Agreed"
    agreed_on = f"{saved.agreed_at:%d %B %Y}"

    decisions.reopen_plan(plan=saved, user=world.lead, expected_version=2)
    reopened = fresh(plan)
    assert (reopened.status, reopened.version, reopened.agreed_by, reopened.agreed_at) == ("draft", 3, None, None)
    assert reasons(reopened)[0] == f"Reopened (agreed by Lena Lead on {agreed_on})"
    agreed_record = reopened.history.get(history_change_reason="Agreed")
    assert (agreed_record.agreed_by_id, agreed_record.status) == (world.lead.pk, "agreed")


def test_a_stale_agreement_writes_nothing(world):
    services.rename_plan(plan=world.plan, user=world.lead, expected_version=1, name="Renamed meanwhile")
    records = world.plan.history.count()
    with pytest.raises(services.PlanConflict):
        decisions.agree_plan(plan=fresh(world.plan), user=world.lead, expected_version=1)
    plan = fresh(world.plan)
    assert (plan.status, plan.version, plan.agreed_by, plan.history.count()) == ("draft", 2, None, records)


@pytest.mark.parametrize(
    ("decide", "message"),
    [("agree", decisions.ALREADY_AGREED), ("reopen", decisions.ALREADY_OPEN)],
)
def test_a_decision_that_no_longer_applies_is_refused(world, decide, message):
    if decide == "agree":
        decisions.agree_plan(plan=world.plan, user=world.lead, expected_version=1)
    action = {"agree": decisions.agree_plan, "reopen": decisions.reopen_plan}[decide]
    plan = fresh(world.plan)
    with pytest.raises(ValidationError, match=message):
        action(plan=plan, user=world.lead, expected_version=plan.version)
    assert fresh(world.plan).version == plan.version


def test_change_status_refuses_anything_but_agreed_or_draft(world):
    with pytest.raises(ValidationError):
        decisions.change_status(plan=world.plan, user=world.lead, expected_version=1, status="archived")
    assert fresh(world.plan).version == 1


# --- Promote: the service --------------------------------------------------------------------------------


def test_promoting_a_scenario_makes_the_old_baseline_and_its_scenarios_scenarios_of_it(world):
    versions = {plan.pk: fresh(plan).version for plan in (world.plan, world.scenario, world.sibling)}
    decisions.promote_to_baseline(plan=world.scenario, user=world.lead, expected_version=world.scenario.version)
    baseline, old, sibling = fresh(world.scenario), fresh(world.plan), fresh(world.sibling)
    assert baseline.scenario_of is None and baseline.is_baseline
    assert old.scenario_of == baseline
    assert sibling.scenario_of == baseline
    for plan in (baseline, old, sibling):
        assert plan.version == versions[plan.pk] + 1
        assert plan.updated_by == world.lead
    assert reasons(baseline)[0] == "Made the baseline"
    assert reasons(old)[0] == "Became a scenario of More nurses"
    assert reasons(sibling)[0] == "Moved to the new baseline, More nurses"
    # Nothing in the figures changed.
    assert old.staffing_lines.count() == baseline.staffing_lines.count() == 2


def test_promoting_leaves_other_baselines_of_the_team_alone(world):
    other = services.create_plan(team=world.team, user=world.lead, values={"name": "Other", "start_year": 2027})
    other_scenario = services.copy_as_scenario(plan=other, user=world.lead, name="Other scenario")
    decisions.promote_to_baseline(plan=world.scenario, user=world.lead, expected_version=world.scenario.version)
    assert fresh(other).scenario_of is None and fresh(other).version == 1
    assert fresh(other_scenario).scenario_of == other


def test_promoting_an_agreed_scenario_keeps_it_agreed(world):
    decisions.agree_plan(plan=world.scenario, user=world.lead, expected_version=world.scenario.version)
    scenario = fresh(world.scenario)
    decisions.promote_to_baseline(plan=scenario, user=world.lead, expected_version=scenario.version)
    assert fresh(scenario).is_locked and fresh(scenario).is_baseline


def test_a_stale_promotion_writes_nothing(world):
    stale = world.scenario.version
    services.rename_plan(plan=world.scenario, user=world.lead, expected_version=stale, name="Renamed")
    before = list(Plan.objects.order_by("pk").values_list("pk", "scenario_of_id", "version"))
    with pytest.raises(services.PlanConflict):
        decisions.promote_to_baseline(plan=fresh(world.scenario), user=world.lead, expected_version=stale)
    assert list(Plan.objects.order_by("pk").values_list("pk", "scenario_of_id", "version")) == before


def test_a_baseline_cannot_be_promoted(world):
    with pytest.raises(ValidationError, match=decisions.ALREADY_BASELINE):
        decisions.promote_to_baseline(plan=world.plan, user=world.lead, expected_version=1)


def test_two_promotions_of_scenarios_opened_together_cannot_both_win(world):
    """Two leads open the promotion pages of two scenarios of the same baseline; the second to confirm gets a
    conflict (the first moved their scenario to a new version), not a team with two tangled baselines."""
    first, second = fresh(world.scenario), fresh(world.sibling)
    decisions.promote_to_baseline(plan=first, user=world.lead, expected_version=first.version)
    with pytest.raises(services.PlanConflict):
        decisions.promote_to_baseline(plan=second, user=world.lead, expected_version=second.version)
    assert fresh(world.sibling).scenario_of == fresh(world.scenario)


# --- The pages -------------------------------------------------------------------------------------------


def test_mark_as_agreed_asks_first_then_shows_who_agreed(world):
    client = client_for(world.lead)
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert f'href="{url("plan-agree", world.plan)}"' in page
    response = client.get(url("plan-agree", world.plan))
    assert response.status_code == 200
    confirm = response.content.decode()
    assert "Are you sure you want to mark 2026 baseline as agreed?" in confirm
    assert "The plan becomes read only" in confirm
    assert fresh(world.plan).status == "draft"  # asking changed nothing

    response = client.post(url("plan-status", world.plan), form_values(response, url("plan-status", world.plan)))
    assert response.status_code == 302
    page = client.get(world.plan.get_absolute_url()).content.decode()
    agreed = fresh(world.plan)
    assert f"Agreed by Lena Lead on {agreed.agreed_at:%-d %B %Y}" in page
    assert f'href="{url("plan-reopen", world.plan)}"' in page
    viewer_page = client_for(world.viewer).get(world.plan.get_absolute_url()).content.decode()
    assert "Agreed by Lena Lead" in viewer_page


def test_reopening_says_what_it_means(world):
    decisions.agree_plan(plan=world.plan, user=world.lead, expected_version=1)
    client = client_for(world.lead)
    response = client.get(url("plan-reopen", world.plan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Are you sure you want to reopen 2026 baseline?" in page
    assert "it becomes a draft again" in page
    assert "stays in the plan’s history" in page
    assert "Agreed by Lena Lead" in page
    response = client.post(url("plan-status", world.plan), form_values(response, url("plan-status", world.plan)))
    assert response.status_code == 302
    assert fresh(world.plan).status == "draft"


def test_the_confirmation_pages_refuse_what_no_longer_applies(world):
    client = client_for(world.lead)
    response = client.get(url("plan-reopen", world.plan))  # a draft: nothing to reopen
    assert response.status_code == 409
    assert decisions.ALREADY_OPEN in error_summary(response.content.decode())
    response = client.get(url("plan-promote", world.plan))  # already a baseline
    assert response.status_code == 409
    assert decisions.ALREADY_BASELINE in error_summary(response.content.decode())
    decisions.agree_plan(plan=world.plan, user=world.lead, expected_version=1)
    response = client.get(url("plan-agree", world.plan))
    assert response.status_code == 409
    assert decisions.ALREADY_AGREED in error_summary(response.content.decode())


def test_a_stale_agree_confirmation_changes_nothing(world):
    client = client_for(world.lead)
    data = form_values(client.get(url("plan-agree", world.plan)), url("plan-status", world.plan))
    services.rename_plan(plan=world.plan, user=world.lead, expected_version=1, name="Renamed meanwhile")
    response = client.post(url("plan-status", world.plan), data)
    assert response.status_code == 409
    assert "after you opened this page" in error_summary(response.content.decode())
    assert fresh(world.plan).status == "draft"


def test_promoting_through_its_page(world):
    client = client_for(world.lead)
    page = client.get(world.scenario.get_absolute_url()).content.decode()
    assert f'href="{url("plan-promote", world.scenario)}"' in page
    assert url("plan-promote", world.plan) not in client.get(world.plan.get_absolute_url()).content.decode()
    response = client.get(url("plan-promote", world.scenario))
    assert response.status_code == 200
    confirm = response.content.decode()
    assert "Are you sure you want to make More nurses the baseline?" in confirm
    assert "2026 baseline becomes a scenario of More nurses" in confirm
    assert "the other scenario of 2026 baseline, Fewer nurses, becomes a scenario of More nurses" in confirm

    response = client.post(url("plan-promote", world.scenario), form_values(response))
    assert response.status_code == 302
    assert response["Location"] == world.scenario.get_absolute_url()
    assert fresh(world.plan).scenario_of_id == world.scenario.pk
    page = client.get(world.team.get_absolute_url()).content.decode()
    assert "Compare More nurses with 2026 baseline" in page


def test_a_stale_promotion_shows_the_page_again_with_the_newer_version(world):
    client = client_for(world.lead)
    data = form_values(client.get(url("plan-promote", world.scenario)))
    services.rename_plan(plan=world.scenario, user=world.lead, expected_version=world.scenario.version, name="New")
    response = client.post(url("plan-promote", world.scenario), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed New on" in error_summary(page)
    assert "<title>Error: Make New the baseline" in page
    again = form_values(response)
    assert again["version"] == str(fresh(world.scenario).version)
    assert fresh(world.plan).scenario_of_id is None
    assert client.post(url("plan-promote", world.scenario), again).status_code == 302
    assert fresh(world.scenario).is_baseline


def test_a_promotion_beaten_by_another_says_it_no_longer_applies(world):
    client = client_for(world.lead)
    data = form_values(client.get(url("plan-promote", world.scenario)))
    decisions.promote_to_baseline(plan=world.scenario, user=world.lead, expected_version=world.scenario.version)
    response = client.post(url("plan-promote", world.scenario), data)
    assert response.status_code == 409
    assert decisions.ALREADY_BASELINE in error_summary(response.content.decode())


def test_a_lead_of_another_organisation_gets_404_and_changes_nothing(world):
    client = client_for(world.other_lead)
    before = list(Plan.objects.order_by("pk").values_list("pk", "status", "scenario_of_id", "version"))
    for name, plan in [("plan-agree", world.plan), ("plan-reopen", world.plan), ("plan-promote", world.scenario)]:
        assert client.get(url(name, plan)).status_code == 404
    assert client.post(url("plan-promote", world.scenario), {"version": world.scenario.version}).status_code == 404
    assert client.post(url("plan-status", world.plan), {"status": "agreed", "version": 1}).status_code == 404
    assert list(Plan.objects.order_by("pk").values_list("pk", "status", "scenario_of_id", "version")) == before


def test_a_viewer_may_not_decide(world):
    client = client_for(world.viewer)
    assert client.get(url("plan-agree", world.plan)).status_code == 403
    assert client.post(url("plan-promote", world.scenario), {"version": world.scenario.version}).status_code == 403
    page = client.get(world.scenario.get_absolute_url()).content.decode()
    assert url("plan-promote", world.scenario) not in page
    assert url("plan-agree", world.scenario) not in page
    assert fresh(world.scenario).scenario_of_id == world.plan.pk


def test_the_decision_pages_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.lead)
    for index in range(10):
        services.copy_as_scenario(plan=world.plan, user=world.lead, name=f"Scenario {index}")
    with django_assert_max_num_queries(8):
        client.get(url("plan-promote", world.scenario))
    with django_assert_max_num_queries(8):
        client.get(url("plan-agree", world.plan))


def test_the_plan_history_names_each_decision_in_plain_words(world):
    decisions.agree_plan(plan=world.plan, user=world.lead, expected_version=1)
    decisions.reopen_plan(plan=fresh(world.plan), user=world.lead, expected_version=2)
    decisions.promote_to_baseline(plan=world.scenario, user=world.lead, expected_version=world.scenario.version)
    page = client_for(world.lead).get(world.plan.get_absolute_url()).content.decode()
    assert "Became a scenario of More nurses" in page
    assert "Reopened (agreed by Lena Lead on" in page
    assert "Agreed by:" not in page and "Agreed on:" not in page  # no raw user ids or timestamps

"""Plan results worked out once per plan version and content version (`planning/results_cache.py`), the plan page's
parts rendered once (`planning/plan_page.py`) and the JSON text of results.json made once
(`planning/results_json.py`): reused while nothing changes, and never stale after a change."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nwwmh_portal import content_version
from planning import engine, services
from planning.models import PayScale, StaffingLine
from tests.factories import add_lines, client_for, make_dashboard_world, make_user
from tests.helpers import without_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def dash():
    return make_dashboard_world()


@pytest.fixture
def calculations(monkeypatch):
    """How many plans the engine worked out."""
    calls = []
    real = engine.calculate

    def counting(plan_input):
        calls.append(plan_input.name)
        return real(plan_input)

    monkeypatch.setattr(engine, "calculate", counting)
    return calls


def plan_url(plan, suffix=""):
    return f"/planning/plans/{plan.pk}/{suffix}"


def results(client, plan) -> dict:
    response = client.get(plan_url(plan, "results.json"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(response.content)


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def save_fte(plan, user, fte: str):
    plan.refresh_from_db()
    line = StaffingLine.objects.filter(plan=plan).order_by("pk").first()
    services.save_plan(
        plan=plan,
        user=user,
        expected_version=plan.version,
        assumptions={},
        staffing=services.LineChanges({line.pk: {"fte": Decimal(fte)}}, [], []),
        demand=services.LineChanges({}, [], []),
    )


def test_results_are_worked_out_once_and_reused_by_every_page(dash, calculations):
    client = client_for(dash.lead)
    first = without_tokens(client.get(plan_url(dash.plan)))
    assert calculations == ["Worked example"]
    assert without_tokens(client.get(plan_url(dash.plan))) == first
    data = results(client, dash.plan)
    client.get(plan_url(dash.plan, "projection.csv"))
    client.get(f"/planning/organisations/{dash.north.pk}/")
    assert calculations == ["Worked example"]  # the dashboard, results.json, the export and the roll-up
    assert data["plan"]["version"] == dash.plan.version
    assert results(client, dash.plan)["generated_at"] == data["generated_at"]  # when they were worked out


def test_a_changed_plan_never_shows_stale_results(dash, calculations):
    client = client_for(dash.lead)
    before_page = client.get(plan_url(dash.plan)).content.decode()
    before = results(client, dash.plan)
    save_fte(dash.plan, dash.lead, "7.25")
    after = results(client, dash.plan)
    assert after["plan"]["version"] == before["plan"]["version"] + 1
    assert after["skill_mix"]["total_fte"] != before["skill_mix"]["total_fte"]
    after_page = client.get(plan_url(dash.plan)).content.decode()
    assert after_page != before_page
    assert "7.25" in after_page
    assert f"version {after['plan']['version']}" in after_page or str(after["plan"]["version"]) in after_page
    assert len(calculations) == 2


def test_a_team_change_is_seen_although_the_plan_did_not_change(dash):
    client = client_for(dash.lead)
    before = results(client, dash.plan)
    team = dash.plan.team
    team.population_served = (team.population_served or 0) + 250_000
    services.save_team(team=team, user=dash.lead, expected_version=team.version)
    after = results(client, dash.plan)
    assert after["population"] == team.population_served != before["population"]


def test_a_reference_data_change_is_seen_at_once(dash):
    client = client_for(dash.lead)
    before = results(client, dash.plan)
    client.get(plan_url(dash.plan))
    pay = PayScale.objects.get(year=dash.plan.pay_year, band=5)
    pay.top += 10_000
    pay.save()  # as the admin does
    after = results(client, dash.plan)
    assert after["years"][0]["cost"] > before["years"][0]["cost"]
    assert after["plan"]["version"] == before["plan"]["version"]


def test_the_comparison_and_roll_up_see_a_change_at_once(dash):
    client = client_for(dash.lead)
    scenario = services.copy_as_scenario(plan=dash.plan, user=dash.lead, name="Scenario")
    compare = f"/planning/plans/{dash.plan.pk}/compare/{scenario.pk}/"
    rollup = f"/planning/organisations/{dash.north.pk}/"
    same = client.get(compare).context["page"]
    rolled = client.get(rollup).context["page"]
    save_fte(scenario, dash.lead, "9")
    changed = client.get(compare).context["page"]
    assert [row.b for row in changed.summary] != [row.b for row in same.summary]
    save_fte(dash.plan, dash.lead, "9")
    assert client.get(rollup).context["page"].totals != rolled.totals


def test_the_stored_parts_hold_nothing_of_the_user_who_first_saw_them(dash):
    lead_page = client_for(dash.lead).get(plan_url(dash.plan)).content.decode()
    viewer_page = client_for(dash.viewer).get(plan_url(dash.plan)).content.decode()
    edit_url = plan_url(dash.plan, "edit/")
    assert f'href="{edit_url}"' in lead_page
    assert f'href="{edit_url}"' not in viewer_page  # the viewer's own page around the stored parts
    assert dash.viewer.username in viewer_page and f">{dash.lead.username}<" not in viewer_page
    # Another organisation's lead is refused before anything stored is looked at.
    assert client_for(dash.other_lead).get(plan_url(dash.plan)).status_code == 404
    assert client_for(dash.other_lead).get(plan_url(dash.plan, "results.json")).status_code == 404
    stranger = make_user("stranger")
    assert client_for(stranger).get(plan_url(dash.plan)).status_code == 404


def test_plan_page_queries_stay_flat_as_the_plan_grows_with_and_without_stored_parts(dash):
    small = services.create_plan(team=dash.team, user=dash.lead, values={"name": "Small", "start_year": 2026})
    large = services.create_plan(team=dash.team, user=dash.lead, values={"name": "Large", "start_year": 2026})
    add_lines(small, dash.lead, 5, dash.nurse)
    add_lines(large, dash.lead, 120, dash.nurse)
    client = client_for(dash.lead)
    client.get(plan_url(small))  # the session's first save is not part of the page
    content_version.bump()  # nothing stored: both are worked out and rendered
    cold = [queries(client, plan_url(small)), queries(client, plan_url(large))]
    assert cold[0] == cold[1]
    warm = [queries(client, plan_url(small)), queries(client, plan_url(large))]
    assert warm[0] == warm[1]
    assert warm[0] < cold[1]  # stored parts: no lines, no history, no reference data read
    for suffix in ("results.json",):
        assert queries(client, plan_url(small, suffix)) == queries(client, plan_url(large, suffix))

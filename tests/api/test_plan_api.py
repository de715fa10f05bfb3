"""Plans through the API with a personal access token: the same scoping as the workspace pages."""

import pytest

from planning.models import Membership
from tests.factories import api_world
from tests.helpers import all_results, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return api_world()


def test_a_lead_lists_their_organisations_plans_only(client, world):
    results = all_results(client, "/api/v1/plans/", **bearer(world.token_a.secret))
    assert {plan["id"] for plan in results} == {world.plan.pk, world.scenario.pk}
    assert {plan["organisation"]["name"] for plan in results} == {world.north.name}
    other = all_results(client, "/api/v1/plans/", **bearer(world.token_b.secret))
    assert {plan["id"] for plan in other} == {world.other_plan.pk}


def test_a_curator_token_reads_no_plans(client, world):
    assert all_results(client, "/api/v1/plans/", **bearer(world.curator_token.secret)) == []


def test_plan_detail_has_its_lines(client, world):
    body = client.get(f"/api/v1/plans/{world.plan.pk}/", **bearer(world.token_a.secret)).json()
    assert body["name"] == "2026 baseline"
    assert body["team"]["name"] == world.team.name
    assert body["team"]["team_type"] == world.team_type.slug
    assert body["assumptions"]["contract_hours"] == 37.5
    assert sorted((line["role"], line["band"], line["fte"]) for line in body["staffing_lines"]) == [
        ("mental-health-nurse", "5", 4.0),
        ("peer-support-worker", "3", 2.0),
    ]
    assert body["demand_lines"] == [{"tier": "complex", "caseload": 40, "hours_per_person_per_week": 2.0}]
    assert body["results_url"] == f"http://testserver/api/v1/plans/{world.plan.pk}/results/"


def test_results_are_the_engines_as_on_the_results_page(client, world):
    api = client.get(f"/api/v1/plans/{world.plan.pk}/results/", **bearer(world.token_a.secret)).json()
    client.force_login(world.lead)
    page = client.get(f"/planning/plans/{world.plan.pk}/results.json").json()
    for key in ("plan", "generated_at"):
        page.pop(key)
    assert api.pop("plan")["id"] == world.plan.pk
    assert api == page
    assert api["skill_mix"]["total_fte"] == 6.0
    assert len(api["years"]) == world.plan.horizon_years + 1


def test_a_viewer_membership_reads_too(client, world):
    from nwwmh_portal import tokens

    viewer = tokens.create_token(user=world.viewer, name="Viewer", lifetime_days=30)
    assert client.get(f"/api/v1/plans/{world.plan.pk}/results/", **bearer(viewer.secret)).status_code == 200


def test_losing_membership_loses_access_at_once(client, world):
    url = f"/api/v1/plans/{world.plan.pk}/"
    assert client.get(url, **bearer(world.token_a.secret)).status_code == 200
    Membership.objects.filter(user=world.lead).delete()
    assert client.get(url, **bearer(world.token_a.secret)).status_code == 404


def test_plan_responses_are_private(client, world):
    response = client.get(f"/api/v1/plans/{world.plan.pk}/results/", **bearer(world.token_a.secret))
    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]
    again = client.get(
        f"/api/v1/plans/{world.plan.pk}/results/", HTTP_IF_NONE_MATCH=response["ETag"], **bearer(world.token_a.secret)
    )
    assert again.status_code == 304


def test_anonymous_is_told_how_to_authenticate(client, world):
    response = client.get("/api/v1/plans/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "/account/tokens/" in response.json()["detail"]
    client.force_login(world.lead)  # a browser session is not a token
    assert client.get("/api/v1/plans/").status_code == 401


def test_plan_list_filters_stay_inside_the_scope(client, world):
    headers = bearer(world.token_a.secret)

    def ids(query):
        response = client.get(f"/api/v1/plans/?{query}", **headers)
        assert response.status_code == 200, (query, response.content)
        return {plan["id"] for plan in response.json()["results"]}

    assert ids(f"team={world.team.pk}") == {world.plan.pk, world.scenario.pk}
    assert ids(f"organisation={world.north.pk}") == {world.plan.pk, world.scenario.pk}
    assert ids("baseline=true") == {world.plan.pk}
    assert ids("baseline=false") == {world.scenario.pk}
    assert ids("status=agreed") == set()
    # Another organisation's team or organisation matches nothing, exactly like an id that does not exist.
    assert ids(f"team={world.other_team.pk}") == ids("team=999999") == set()
    assert ids(f"organisation={world.south.pk}") == ids("organisation=999999") == set()
    for bad in ("team=abc", "team=0", f"team={2**63}", "status=deleted"):
        assert client.get(f"/api/v1/plans/?{bad}", **headers).status_code == 400, bad

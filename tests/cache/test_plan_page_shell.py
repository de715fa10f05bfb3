"""The plan page reused whole (`planning/plan_page.py`: the stored shell with each request's own CSRF token and the
stored parts): the same page as one rendered afresh, never stale after a change of anything it shows, never
another person's (name, access level, token), messages never stored, and few queries whatever the plan's size."""

import re

import pytest
from django.urls import reverse

from planning import plan_page, services
from planning.models import Membership, Plan
from tests.factories import add_lines, client_for, make_dashboard_world
from tests.helpers import without_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def dash():
    return make_dashboard_world()


def page_url(plan) -> str:
    return reverse("planning:plan", args=[plan.pk])


def tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', page))


def test_the_reused_page_is_the_page_rendered_afresh(dash, monkeypatch):
    client = client_for(dash.lead)
    first = client.get(page_url(dash.plan))
    reused = client.get(page_url(dash.plan))
    assert reused.templates == []  # nothing rendered: the stored shell and parts
    assert without_tokens(reused) == without_tokens(first)
    monkeypatch.setattr(plan_page, "get_messages", lambda request: [None])  # as if there were messages: no shell
    afresh = client.get(page_url(dash.plan))
    assert [template.name for template in afresh.templates][0] == "planning/plan_detail.html"
    assert without_tokens(afresh) == without_tokens(reused)


def test_each_request_gets_its_own_working_csrf_token(dash):
    client = client_for(dash.lead, enforce_csrf_checks=True)
    first = client.get(page_url(dash.plan)).content.decode()
    page = client.get(page_url(dash.plan)).content.decode()
    # The log out form (agreeing the plan is confirmed on a page of its own, whose form posts the same token).
    assert page.count('name="csrfmiddlewaretoken"') == 1 and len(tokens(page)) == 1
    assert tokens(page).isdisjoint(tokens(first))  # masked afresh on every request, as Django does
    token = tokens(page).pop()
    response = client.post(
        reverse("planning:plan-status", args=[dash.plan.pk]),
        {"csrfmiddlewaretoken": token, "version": dash.plan.version, "status": "agreed"},
    )
    assert response.status_code == 302
    dash.plan.refresh_from_db()
    assert dash.plan.status == Plan.Status.AGREED


def test_a_viewer_never_sees_the_leads_page(dash):
    lead = client_for(dash.lead)
    lead_page = lead.get(page_url(dash.plan)).content.decode()
    assert lead.get(page_url(dash.plan)).content.decode().count("Mark as agreed") == 1  # stored for the lead
    edit_url = reverse("planning:plan-edit", args=[dash.plan.pk])
    viewer = client_for(dash.viewer)
    for _ in range(2):  # rendered, then reused
        page = viewer.get(page_url(dash.plan)).content.decode()
        assert f'href="{edit_url}"' not in page and "Mark as agreed" not in page
        assert "You have read-only access to this plan." in page
        assert f">{dash.viewer.username}<" in page and f">{dash.lead.username}<" not in page
        assert tokens(page).isdisjoint(tokens(lead_page))
    assert f'href="{edit_url}"' in lead_page


def test_a_lead_made_viewer_loses_the_edit_buttons_at_once(dash):
    client = client_for(dash.lead)
    edit_url = reverse("planning:plan-edit", args=[dash.plan.pk])
    assert f'href="{edit_url}"' in client.get(page_url(dash.plan)).content.decode()
    Membership.objects.filter(user=dash.lead, organisation=dash.plan.team.organisation).update(
        access=Membership.Access.VIEWER
    )
    page = client.get(page_url(dash.plan)).content.decode()
    assert f'href="{edit_url}"' not in page and "You have read-only access to this plan." in page
    Membership.objects.filter(user=dash.lead, organisation=dash.plan.team.organisation).delete()
    assert client.get(page_url(dash.plan)).status_code == 404


def test_a_changed_plan_never_shows_a_stale_page(dash):
    client = client_for(dash.lead)
    client.get(page_url(dash.plan))
    version = dash.plan.version
    response = client.post(
        reverse("planning:plan-rename", args=[dash.plan.pk]), {"name": "Renamed plan", "version": version}
    )
    assert response.status_code == 302
    with_message = client.get(page_url(dash.plan)).content.decode()
    assert (
        "Plan renamed to Renamed plan." in with_message
        and '<h1 class="nhsuk-heading-l">Renamed plan</h1>' in with_message
    )
    after = client.get(page_url(dash.plan)).content.decode()  # reused: the message is shown once only
    assert "Plan renamed to Renamed plan." not in after and f"Version {version + 1}," in after


def test_what_the_page_shows_from_elsewhere_is_never_stale(dash):
    """The team's name, another plan's name (in "Compare with") and a new scenario change no version of this
    plan, yet show at once."""
    client = client_for(dash.lead)
    client.get(page_url(dash.plan))
    team = dash.plan.team
    team.name = "Renamed team"
    services.save_team(team=team, user=dash.lead, expected_version=team.version)
    assert "Renamed team" in client.get(page_url(dash.plan)).content.decode()
    other = services.create_plan(team=team, user=dash.lead, values={"name": "Another plan", "start_year": 2027})
    assert "Another plan (baseline)" in client.get(page_url(dash.plan)).content.decode()
    services.rename_plan(plan=other, user=dash.lead, expected_version=other.version, name="Yet another")
    page = client.get(page_url(dash.plan)).content.decode()
    assert "Yet another (baseline)" in page and "Another plan" not in page
    services.copy_as_scenario(plan=dash.plan, user=dash.lead, name="Option B")
    assert "Scenarios of this plan" in client.get(page_url(dash.plan)).content.decode()


def test_a_reused_page_reads_little_and_the_same_for_any_plan_size(dash, django_assert_max_num_queries):
    small = services.create_plan(team=dash.team, user=dash.lead, values={"name": "Small", "start_year": 2026})
    large = services.create_plan(team=dash.team, user=dash.lead, values={"name": "Large", "start_year": 2026})
    add_lines(small, dash.lead, 3, dash.nurse)
    add_lines(large, dash.lead, 150, dash.nurse)
    client = client_for(dash.lead)
    for plan in (small, large):
        client.get(page_url(plan))
        # Session, user, two-step device, the plan with the user's access, the team's plans, the stored page.
        with django_assert_max_num_queries(5):
            assert client.get(page_url(plan)).status_code == 200

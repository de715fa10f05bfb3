"""The planning workspace: who sees and changes what, the plan editor, scenarios, and query counts."""

import gzip
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning import decisions, services
from planning.models import DemandLine, Membership, Plan, StaffingLine, Team, TeamTypeDemand
from roles.models import ComplexityTier
from tests.factories import add_lines, client_for, make_organisation, make_user, make_world
from tests.helpers import (
    edit_url,
    editor_values,
    error_summary,
    first_blank_row,
    form_values,
    row_index,
    select_options,
    staffing_rows,
    without_tokens,
)


@pytest.fixture
def world(db):
    return make_world()


# --- Access ----------------------------------------------------------------------------------------------


def plan_urls(plan):
    return [
        f"/planning/plans/{plan.pk}/",
        f"/planning/plans/{plan.pk}/edit/",
        f"/planning/plans/{plan.pk}/copy/",
        f"/planning/plans/{plan.pk}/rename/",
        f"/planning/plans/{plan.pk}/delete/",
    ]


def team_urls(team):
    return [f"/planning/teams/{team.pk}/", f"/planning/teams/{team.pk}/edit/", f"/planning/teams/{team.pk}/plans/new/"]


def test_anonymous_users_are_sent_to_log_in(world):
    client = Client()
    urls = ["/planning/", "/planning/teams/new/", *team_urls(world.team), *plan_urls(world.plan)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}", url
    response = client.post(f"/planning/plans/{world.plan.pk}/status/", {"status": "agreed", "version": 1})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.DRAFT


def test_home_lists_only_the_users_own_organisations(world):
    response = client_for(world.lead).get("/planning/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Northshire Mental Health NHS Foundation Trust" in page
    assert "Workforce lead (can edit)" in page
    assert "North locality CMHT" in page
    assert "2026 baseline" in page
    assert "Southshire" not in page
    assert "South locality CMHT" not in page
    assert "South plan" not in page
    assert "Create a team" in page
    assert f"/planning/teams/{world.team.pk}/plans/new/" in page

    page = client_for(world.viewer).get("/planning/").content.decode()
    assert "Northshire" in page
    assert "Viewer (read only)" in page
    assert "Create a team" not in page
    assert "Create a plan" not in page

    stranger = make_user("stranger")
    page = client_for(stranger).get("/planning/").content.decode()
    assert "You are not a member of any organisation yet" in page
    assert "Northshire" not in page


def test_home_shows_scenarios_under_their_baseline(world):
    services.copy_as_scenario(plan=world.plan, user=world.lead, name="More peer support")
    page = client_for(world.lead).get("/planning/").content.decode()
    assert page.index("2026 baseline") < page.index("More peer support")
    assert "Scenario of 2026 baseline" in page


def test_another_organisations_lead_gets_404_everywhere(world):
    client = client_for(world.other_lead)
    missing = Client()
    missing.force_login(world.other_lead)
    not_found = without_tokens(missing.get("/planning/plans/999999/"))
    read_only = {f"/planning/teams/{world.team.pk}/", f"/planning/plans/{world.plan.pk}/"}
    for url in [*team_urls(world.team), *plan_urls(world.plan)]:
        assert client.get(url).status_code == 404, url
        if url not in read_only:  # pages that only show things answer POST with 405, whoever asks
            assert client.post(url, {"name": "Hijacked", "version": world.plan.version}).status_code == 404, url
    response = client.post(f"/planning/plans/{world.plan.pk}/status/", {"status": "agreed", "version": 1})
    assert response.status_code == 404
    assert without_tokens(client.get(f"/planning/plans/{world.plan.pk}/")) == not_found
    assert without_tokens(client.get(f"/planning/teams/{world.team.pk}/")) == not_found
    world.plan.refresh_from_db()
    assert (world.plan.name, world.plan.status, world.plan.version) == ("2026 baseline", "draft", 1)
    world.team.refresh_from_db()
    assert world.team.name == "North locality CMHT"


def test_viewer_reads_but_cannot_change(world):
    client = client_for(world.viewer)
    page = client.get(f"/planning/plans/{world.plan.pk}/")
    assert page.status_code == 200
    assert "You have read-only access" in page.content.decode()
    assert "Edit plan" not in page.content.decode()
    assert client.get(f"/planning/teams/{world.team.pk}/").status_code == 200
    for url in [
        f"/planning/teams/{world.team.pk}/edit/",
        f"/planning/teams/{world.team.pk}/plans/new/",
        "/planning/teams/new/",
        *plan_urls(world.plan)[1:],
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You cannot do this" in response.content.decode()
        assert client.post(url, {"name": "Changed", "version": 1}).status_code == 403, url
    assert (
        client.post(f"/planning/plans/{world.plan.pk}/status/", {"status": "agreed", "version": 1}).status_code == 403
    )
    world.plan.refresh_from_db()
    assert (world.plan.name, world.plan.status, world.plan.version) == ("2026 baseline", "draft", 1)
    assert Plan.objects.filter(team=world.team).count() == 1


def test_get_never_changes_anything_and_posts_need_csrf(world):
    client = client_for(world.lead)
    assert client.get(f"/planning/plans/{world.plan.pk}/status/").status_code == 405
    strict = client_for(world.lead, enforce_csrf_checks=True)
    response = strict.post(f"/planning/plans/{world.plan.pk}/status/", {"status": "agreed", "version": 1})
    assert response.status_code == 403
    response = strict.post(f"/planning/plans/{world.plan.pk}/delete/", {"version": 1})
    assert response.status_code == 403
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.DRAFT


# --- Teams -----------------------------------------------------------------------------------------------


def test_lead_creates_a_team_in_an_organisation_they_lead_only(world):
    client = client_for(world.lead)
    # Vic's organisation, where Lena is only a viewer, and an organisation where she has no membership:
    watched = make_organisation("Westshire Trust", "westshire", "RX3")
    Membership.objects.create(user=world.lead, organisation=watched, access=Membership.Access.VIEWER)
    Membership.objects.create(user=world.other_lead, organisation=watched, access=Membership.Access.LEAD)

    page = client.get("/planning/teams/new/").content.decode()
    assert select_options(page, "organisation") == ["", str(world.north.pk)]

    for organisation in (world.south, watched):
        response = client.post(
            "/planning/teams/new/",
            {"organisation": organisation.pk, "name": "Sneaky team", "team_type": world.team_type.pk},
        )
        assert response.status_code == 200
        assert "Choose one of the organisations you lead" in response.content.decode()
    assert not Team.objects.filter(name="Sneaky team").exists()

    response = client.post(
        "/planning/teams/new/",
        {
            "organisation": world.north.pk,
            "name": "Crisis team",
            "team_type": world.team_type.pk,
            "population_served": "250000",
        },
    )
    team = Team.objects.get(name="Crisis team")
    assert response.status_code == 302
    assert response["Location"] == f"/planning/teams/{team.pk}/"
    assert (team.organisation, team.population_served) == (world.north, 250000)
    assert team.history.get().history_user == world.lead


def test_team_form_errors(world):
    client = client_for(world.lead)
    response = client.post(
        "/planning/teams/new/",
        {"organisation": world.north.pk, "name": "North locality CMHT", "team_type": "", "population_served": "-4"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_name"' in page
    assert "already has a team called North locality CMHT" in page
    assert 'href="#id_team_type"' in page
    assert 'href="#id_population_served"' in page
    assert "nhsuk-form-group--error" in page
    assert Team.objects.filter(organisation=world.north).count() == 1


def test_lead_edits_a_team(world):
    client = client_for(world.lead)
    assert client.get(f"/planning/teams/{world.team.pk}/edit/").status_code == 200
    response = client.post(
        f"/planning/teams/{world.team.pk}/edit/",
        {"name": "North CMHT", "team_type": world.team_type.pk, "population_served": "120000", "version": "1"},
    )
    assert response.status_code == 302
    world.team.refresh_from_db()
    assert (world.team.name, world.team.population_served, world.team.organisation) == (
        "North CMHT",
        120000,
        world.north,
    )
    page = client.get(f"/planning/teams/{world.team.pk}/").content.decode()
    assert "North CMHT" in page
    assert "2026 baseline" in page


# --- Plans -----------------------------------------------------------------------------------------------


def test_lead_creates_a_plan_with_default_assumptions_shown(world):
    client = client_for(world.lead)
    url = f"/planning/teams/{world.team.pk}/plans/new/"
    page = client.get(url).content.decode()
    assert 'value="37.5"' in page or 'value="37.50"' in page
    assert "Default 37.5" in page
    assert "Default 0.78" in page
    assert 'value="2025/26"' in page

    values = form_values(client.get(url))
    values.update({"name": "2027 plan", "start_year": "2027", "horizon_years": "3"})
    response = client.post(url, values)
    plan = Plan.objects.get(name="2027 plan")
    assert response.status_code == 302
    assert response["Location"] == edit_url(plan)
    assert (plan.team, plan.start_year, plan.horizon_years, plan.contract_hours) == (
        world.team,
        2027,
        3,
        Decimal("37.5"),
    )
    assert (plan.status, plan.version, plan.created_by) == (Plan.Status.DRAFT, 1, world.lead)
    assert plan.history.get().history_user == world.lead


def test_plan_form_errors(world):
    client = client_for(world.lead)
    url = f"/planning/teams/{world.team.pk}/plans/new/"
    values = form_values(client.get(url))
    values.update({"name": "", "horizon_years": "11", "pay_year": "2025-26", "productive_fraction": "1.5"})
    response = client.post(url, values)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a name for the plan" in page
    assert "Horizon must be 10 or less" in page
    assert "Productive fraction must be 1 or less" in page
    assert "Choose a pay year the portal has pay tables for" in page  # a choice, never free text
    for field_id in ("id_name", "id_horizon_years", "id_pay_year", "id_productive_fraction"):
        assert f'href="#{field_id}"' in page
    assert Plan.objects.filter(team=world.team).count() == 1


def test_plan_page_shows_assumptions_lines_status_and_history(world):
    page = client_for(world.viewer).get(f"/planning/plans/{world.plan.pk}/").content.decode()
    assert '<h1 class="nhsuk-heading-l">2026 baseline</h1>' in page
    assert "Contract hours a week" in page
    assert "2026 to 2031" in page
    assert "Mental health nurse" in page
    assert "Peer support worker" in page
    assert "Complex" in page
    assert "Draft" in page
    assert "Version 1" in page
    assert "History" in page
    assert "Lena Lead" in page  # created the plan
    assert "Created" in page


def test_editing_a_plan_adds_changes_and_removes_lines_with_history(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    assert values["version"] == "1"
    nurse = row_index(values, world.nurse_line.pk)
    peer = row_index(values, world.peer_line.pk)
    new = first_blank_row(values)
    values.update(
        {
            "contract_hours": "36",
            f"staffing-{nurse}-fte": "4.5",
            f"staffing-{peer}-DELETE": "on",
            f"staffing-{new}-role": str(world.social.pk),
            f"staffing-{new}-band": "6",
            f"staffing-{new}-fte": "1",
            f"staffing-{new}-establishment_fte": "1",
            "demand-routine-caseload": "200",
            "demand-routine-hours_per_person_per_week": "0.5",
        }
    )
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 302
    assert response["Location"] == f"/planning/plans/{world.plan.pk}/"

    plan = Plan.objects.get(pk=world.plan.pk)
    assert (plan.version, plan.contract_hours, plan.updated_by) == (2, Decimal("36"), world.lead)
    lines = {line.role.slug: line for line in plan.staffing_lines.all()}
    assert set(lines) == {"mental-health-nurse", "social-worker"}
    assert lines["mental-health-nurse"].fte == Decimal("4.5")
    assert (lines["social-worker"].band, lines["social-worker"].fte) == (6, Decimal("1"))
    assert plan.demand_lines.get(tier=ComplexityTier.ROUTINE).caseload == 200
    assert plan.demand_lines.get(tier=ComplexityTier.COMPLEX).caseload == 40

    # One history record per plan save and per changed line, each with the user; none for unchanged lines.
    plan_records = plan.history.order_by("history_id")
    assert [record.history_change_reason for record in plan_records] == ["Created", "Saved version 2"]
    assert plan_records.last().history_user == world.lead
    line_records = StaffingLine.history.filter(plan_id=plan.pk, history_user=world.lead)
    assert sorted(record.history_type for record in line_records) == ["+", "-", "~"]
    assert StaffingLine.history.filter(plan_id=plan.pk).count() == 2 + 3  # the fixture's two, then the edit's
    assert DemandLine.history.filter(plan_id=plan.pk, history_user=world.lead).get().history_type == "+"

    page = client.get(f"/planning/plans/{plan.pk}/").content.decode()
    assert "Saved version 2" in page
    assert "Contract hours a week: 37.5 → 36" in page
    assert "FTE in post: 4 → 4.5" in page
    assert "Removed" in page
    assert "Staffing: Social worker, Band 6" in page


def test_saving_without_changes_records_only_the_plan_save(world):
    client = client_for(world.lead)
    response = client.post(edit_url(world.plan), editor_values(client, world.plan))
    assert response.status_code == 302
    assert not StaffingLine.history.filter(plan_id=world.plan.pk, history_user=world.lead).exists()
    assert not DemandLine.history.filter(plan_id=world.plan.pk, history_user=world.lead).exists()
    assert world.plan.history.count() == 2


INVALID = [
    ("fte", "1000", "FTE in post must be 999.99 or less"),
    ("fte", "-1", "FTE in post must be 0 or more"),
    ("fte", "1.234", "FTE in post must have no more than 2 decimal places"),
    ("fte", "lots", "FTE in post must be a number"),
    ("establishment_fte", "-0.5", "Funded establishment FTE must be 0 or more"),
    ("attrition_pct", "101", "Annual attrition must be 100 or less"),
    ("band", "7", "Choose a band in the range for Peer support worker: Band 3 to 4"),
    ("trainee_completion_year", "2035", "Trainee completion year must be between 2026 and 2031"),
    ("trainee_completion_year", "2025", "Trainee completion year must be between 2026 and 2031"),
]


@pytest.mark.parametrize(("field", "value", "message"), INVALID)
def test_invalid_staffing_values_are_refused_with_the_input_kept(world, field, value, message):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    row = row_index(values, world.peer_line.pk)
    values[f"staffing-{row}-{field}"] = value
    values["notes"] = "Typed before the error"
    response = client.post(edit_url(world.plan), values)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'<a href="#id_staffing-{row}-{field}">Staffing line {row + 1}: {message}' in page
    assert f'id="id_staffing-{row}-{field}_error"' in page
    assert "app-grid__cell--error" in page
    assert "Typed before the error" in page
    if field == "band":
        assert f'<option value="{value}" selected>' in page
    else:
        assert f'value="{value}"' in page
    world.plan.refresh_from_db()
    world.peer_line.refresh_from_db()
    assert world.plan.version == 1
    assert world.plan.notes == ""
    assert (world.peer_line.band, world.peer_line.fte) == (3, Decimal("2.00"))


def test_completion_year_is_checked_against_the_horizon_being_saved(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    row = row_index(values, world.nurse_line.pk)
    values.update(
        {"horizon_years": "10", f"staffing-{row}-trainees_fte": "2", f"staffing-{row}-trainee_completion_year": "2035"}
    )
    assert client.post(edit_url(world.plan), values).status_code == 302
    world.nurse_line.refresh_from_db()
    assert world.nurse_line.trainee_completion_year == 2035


def test_role_without_a_band_range_takes_any_band(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    row = row_index(values, world.nurse_line.pk)  # mental health nurse: no confirmed band range
    values[f"staffing-{row}-band"] = "12"
    assert client.post(edit_url(world.plan), values).status_code == 302
    world.nurse_line.refresh_from_db()
    assert world.nurse_line.band == 12


def test_other_editor_errors_link_to_their_fields(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    new = first_blank_row(values)
    values.update(
        {
            f"staffing-{new}-fte": "2",  # a new row without a role or band
            "demand-complex-hours_per_person_per_week": "",  # caseload without hours
            "demand-routine-caseload": "1.5",
            "contract_hours": "60",
        }
    )
    page = client.post(edit_url(world.plan), values).content.decode()
    for field_id, message in [
        ("id_contract_hours", "Contract hours must be 48 or less"),
        (f"id_staffing-{new}-role", "Choose a role"),
        (f"id_staffing-{new}-band", "Choose a band"),
        (f"id_staffing-{new}-establishment_fte", "Enter the funded establishment FTE"),
        ("id_demand-complex-hours_per_person_per_week", "Enter the hours per person per week"),
        ("id_demand-routine-caseload", "Caseload must be a whole number"),
    ]:
        assert f'href="#{field_id}"' in page, field_id
        assert message in page, message
    assert world.plan.staffing_lines.count() == 2


def test_add_rows_keeps_the_input_and_adds_blank_rows(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    rows_before = int(values["staffing-TOTAL_FORMS"])
    assert rows_before == 2 + 3
    nurse = row_index(values, world.nurse_line.pk)
    new = first_blank_row(values)
    values.update(
        {
            "name": "Renamed while editing",
            f"staffing-{nurse}-fte": "9.25",
            f"staffing-{new}-role": str(world.social.pk),
            f"staffing-{new}-fte": "3",
            "add_rows": "1",
        }
    )
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" not in page  # the half-filled row is not an error yet
    again = form_values(response, edit_url(world.plan))
    assert int(again["staffing-TOTAL_FORMS"]) == rows_before + 3
    assert again["name"] == "Renamed while editing"
    assert again["version"] == "1"
    assert again[f"staffing-{row_index(again, world.nurse_line.pk)}-fte"] == "9.25"
    typed = [row for row in staffing_rows(again) if row.get("role") == str(world.social.pk)]
    assert len(typed) == 1
    assert typed[0]["fte"] == "3"
    world.plan.refresh_from_db()
    assert (world.plan.version, world.plan.name) == (1, "2026 baseline")


def test_copy_into_a_scenario_copies_the_lines(world):
    client = client_for(world.lead)
    url = f"/planning/plans/{world.plan.pk}/copy/"
    assert 'value="2026 baseline – scenario"' in client.get(url).content.decode()
    response = client.post(url, {"name": "Two more peer workers"})
    scenario = Plan.objects.get(name="Two more peer workers")
    assert response.status_code == 302
    assert response["Location"] == f"/planning/plans/{scenario.pk}/"
    assert scenario.scenario_of == world.plan
    assert scenario.status == Plan.Status.DRAFT
    copied = sorted((line.role.slug, line.band, line.fte) for line in scenario.staffing_lines.all())
    assert copied == [("mental-health-nurse", 5, Decimal("4.00")), ("peer-support-worker", 3, Decimal("2.00"))]
    assert list(scenario.demand_lines.values_list("tier", "caseload")) == [(ComplexityTier.COMPLEX, 40)]
    assert world.plan.staffing_lines.count() == 2
    page = client.get(f"/planning/plans/{world.plan.pk}/").content.decode()
    assert "Two more peer workers" in page
    response = client.post(url, {"name": ""})
    assert response.status_code == 200
    assert 'href="#id_name"' in response.content.decode()


def test_rename(world):
    client = client_for(world.lead)
    url = f"/planning/plans/{world.plan.pk}/rename/"
    values = form_values(client.get(url))
    assert values == {"csrfmiddlewaretoken": values["csrfmiddlewaretoken"], "version": "1", "name": "2026 baseline"}
    response = client.post(url, {**values, "name": "2026 agreed establishment"})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert (world.plan.name, world.plan.version) == ("2026 agreed establishment", 2)
    stale = client.post(url, {**values, "name": "From an old page"})
    assert stale.status_code == 409
    assert "Lena Lead changed this plan" in stale.content.decode()
    assert form_values(stale)["version"] == "2"
    world.plan.refresh_from_db()
    assert world.plan.name == "2026 agreed establishment"


def test_delete_asks_first_then_deletes(world):
    client = client_for(world.lead)
    scenario = services.copy_as_scenario(plan=world.plan, user=world.lead, name="A scenario")
    url = f"/planning/plans/{world.plan.pk}/delete/"
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Are you sure you want to delete 2026 baseline?" in page
    assert "Its 1 scenario will not be deleted" in page
    assert Plan.objects.filter(pk=world.plan.pk).exists()
    response = client.post(url, form_values(response))
    assert response.status_code == 302
    assert response["Location"] == f"/planning/teams/{world.team.pk}/"
    assert not Plan.objects.filter(pk=world.plan.pk).exists()
    assert not StaffingLine.objects.filter(plan_id=world.plan.pk).exists()
    scenario.refresh_from_db()
    assert scenario.scenario_of is None
    assert "Plan 2026 baseline deleted." in client.get(response["Location"]).content.decode()


def test_agreeing_makes_the_plan_read_only_until_reopened(world):
    client = client_for(world.lead)
    status_url = f"/planning/plans/{world.plan.pk}/status/"
    response = client.post(status_url, {"status": "agreed", "version": "1"})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert (world.plan.status, world.plan.version) == (Plan.Status.AGREED, 2)
    assert world.plan.history.latest().history_change_reason == "Agreed"

    page = client.get(f"/planning/plans/{world.plan.pk}/").content.decode()
    assert "This plan is agreed, so it is read only" in page
    assert "Reopen plan" in page
    assert "Edit plan" not in page
    response = client.get(edit_url(world.plan))
    assert response.status_code == 403
    assert "A lead must reopen it before it can be changed" in response.content.decode()
    assert "staffing-TOTAL_FORMS" not in response.content.decode()  # not an editor: a way to reopen the plan
    assert reverse("planning:plan-reopen", args=[world.plan.pk]) in response.content.decode()
    response = client.post(edit_url(world.plan), {"version": "2", "name": "Changed while agreed"})
    assert response.status_code == 403
    assert client.get(f"/planning/plans/{world.plan.pk}/delete/").status_code == 403
    assert client.post(f"/planning/plans/{world.plan.pk}/rename/", {"name": "X", "version": "2"}).status_code == 403
    assert client.post(f"/planning/plans/{world.plan.pk}/delete/", {"version": "2"}).status_code == 403
    world.plan.refresh_from_db()
    assert (world.plan.name, world.plan.version) == ("2026 baseline", 2)
    # A stale second "agree" changes nothing.
    assert client.post(status_url, {"status": "agreed", "version": "1"}).status_code == 409

    response = client.post(status_url, {"status": "draft", "version": "2"})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert (world.plan.status, world.plan.version) == (Plan.Status.DRAFT, 3)
    assert client.get(edit_url(world.plan)).status_code == 200


@pytest.mark.parametrize("page", ["edit", "rename", "delete"])
def test_the_change_pages_of_an_agreed_plan_say_why_and_offer_a_way_on(world, page):
    decisions.change_status(plan=world.plan, user=world.lead, expected_version=1, status=Plan.Status.AGREED)
    response = client_for(world.lead).get(f"/planning/plans/{world.plan.pk}/{page}/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "This plan is agreed, so it is read only. A lead must reopen it before it can be changed." in text
    assert "Reopen plan" in text
    assert f"/planning/plans/{world.plan.pk}/copy/" in text


def no_lines():
    return services.LineChanges({}, [], [])


CHANGES = {
    "save": lambda plan, user: services.save_plan(
        plan=plan,
        user=user,
        expected_version=plan.version,
        assumptions={"name": "Changed"},
        staffing=no_lines(),
        demand=no_lines(),
    ),
    "import": lambda plan, user: services.import_plan(plan=plan, user=user, expected_version=plan.version, lines=[]),
    "rename": lambda plan, user: services.rename_plan(
        plan=plan, user=user, expected_version=plan.version, name="Changed"
    ),
    "delete": lambda plan, user: services.delete_plan(plan=plan, user=user, expected_version=plan.version),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_service_that_changes_a_plan_refuses_an_agreed_one_and_writes_nothing(world, change):
    """The rule is enforced by the services themselves, whoever calls them (a view, the import, a script)."""
    decisions.change_status(plan=world.plan, user=world.lead, expected_version=1, status=Plan.Status.AGREED)
    plan = Plan.objects.get(pk=world.plan.pk)
    assert plan.is_locked
    records = plan.history.count()
    with pytest.raises(services.PlanLocked, match="This plan is agreed, so it is read only"):
        CHANGES[change](plan, world.lead)
    plan = Plan.objects.get(pk=world.plan.pk)
    assert (plan.name, plan.status, plan.version) == ("2026 baseline", Plan.Status.AGREED, 2)
    assert plan.history.count() == records
    assert StaffingLine.objects.filter(plan=plan).count() == 2

    decisions.change_status(plan=plan, user=world.lead, expected_version=2, status=Plan.Status.DRAFT)
    assert not plan.is_locked
    CHANGES[change](plan, world.lead)  # reopened, the same change goes through
    if change == "delete":
        assert not Plan.objects.filter(pk=plan.pk).exists()
    else:
        assert Plan.objects.get(pk=plan.pk).version == 4


def test_an_agreed_plan_can_still_be_copied_into_a_draft_scenario(world):
    decisions.change_status(plan=world.plan, user=world.lead, expected_version=1, status=Plan.Status.AGREED)
    scenario = services.copy_as_scenario(plan=world.plan, user=world.lead, name="Copy")
    assert (scenario.status, scenario.is_locked, scenario.staffing_lines.count()) == (Plan.Status.DRAFT, False, 2)


# --- Query counts ----------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_plan_and_edit_pages_cost_the_same_queries_for_10_or_100_lines(world, django_assert_max_num_queries):
    small = add_lines(world.plan, world.lead, 10, world.social)
    large = services.create_plan(team=world.team, user=world.lead, values={"name": "Large", "start_year": 2026})
    large = add_lines(large, world.lead, 100, world.social)
    client = client_for(world.lead)
    for url in ("/planning/plans/{}/", "/planning/plans/{}/edit/"):
        # The plan page runs the planning engine for its dashboard (batched: a fixed number of queries; see
        # tests/planning/test_dashboard.py), so it takes more queries than the editor.
        # One query of each is two-step verification (nwwmh_portal/mfa.py).
        with django_assert_max_num_queries(27 if url == "/planning/plans/{}/" else 17):
            small_count = count_queries(client, url.format(small.pk))
        large_count = count_queries(client, url.format(large.pk))
        assert large_count == small_count, url
    edit = client.get(edit_url(large)).content.decode()
    assert edit.count('name="staffing-') > 100 * 8
    page = client.get(f"/planning/plans/{large.pk}/").content.decode()
    assert "Staffing lines (100)" in page


def test_saving_100_lines_costs_no_queries_per_unchanged_line(world, django_assert_max_num_queries):
    plan = add_lines(world.plan, world.lead, 100, world.social)
    client = client_for(world.lead)
    values = editor_values(client, plan)
    with django_assert_max_num_queries(25):
        response = client.post(edit_url(plan), values)
    assert response.status_code == 302


def form_values_of(page: str) -> dict:
    return form_values(SimpleNamespace(content=page.encode()), None)


# --- The editor's grid: the line's own settings, declared capabilities, buttons without JavaScript --------------


def test_a_grid_row_saves_its_ceiling_supervision_note_and_declared_capabilities(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    row = row_index(values, world.nurse_line.pk)
    values.update(
        {
            f"staffing-{row}-complexity_ceiling": "3",
            f"staffing-{row}-supervision_hours_per_month": "1.5",
            f"staffing-{row}-note": "Nurse prescriber",
            f"staffing-{row}-independent-prescribing_fte": "1",
        }
    )
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 302, error_summary(response.content.decode())
    line = StaffingLine.objects.get(pk=world.nurse_line.pk)
    assert (line.complexity_ceiling, line.supervision_hours_per_month, line.note) == (
        3,
        Decimal("1.5"),
        "Nurse prescriber",
    )
    assert {d.capability.slug: d.fte for d in line.declared_capabilities.all()} == {
        "independent-prescribing": Decimal("1.00")
    }
    # The grid shows them again, and the default ceiling of the other line says what it is.
    page = client.get(edit_url(world.plan)).content.decode()
    assert f'name="staffing-{row}-independent-prescribing_fte" value="1.00"' in page
    assert '<option value="" selected>Default (routine)</option>' in page  # band 3 peer support worker


def test_a_declaration_the_role_cannot_hold_is_refused_on_its_cell_with_the_input_kept(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    nurse_row, peer_row = row_index(values, world.nurse_line.pk), row_index(values, world.peer_line.pk)
    values[f"staffing-{nurse_row}-independent-prescribing_fte"] = "5"  # the line has 4 FTE
    values[f"staffing-{peer_row}-amhp_fte"] = "1"
    values[f"staffing-{peer_row}-note"] = "Typed before the error"
    response = client.post(edit_url(world.plan), values)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_staffing-{nurse_row}-independent-prescribing_fte">Staffing line {nurse_row + 1}: ' in page
    assert "FTE must not be more than the FTE in post (4)" in page
    assert f'id="id_staffing-{nurse_row}-independent-prescribing_fte_error"' in page
    assert f'<a href="#id_staffing-{peer_row}-amhp_fte">Staffing line {peer_row + 1}: Peer support worker' in page
    assert f'id="id_staffing-{peer_row}-amhp_fte_error"' in page
    assert 'value="Typed before the error"' in page
    assert not world.nurse_line.declared_capabilities.exists()


def test_numbers_are_read_as_people_type_them(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    row = row_index(values, world.nurse_line.pk)
    values.update({f"staffing-{row}-attrition_pct": "12.5%", "on_cost_pct": "28%", "demand-complex-caseload": "1,200"})
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 302, error_summary(response.content.decode())
    world.nurse_line.refresh_from_db()
    world.complex_demand.refresh_from_db()
    assert world.nurse_line.attrition_pct == Decimal("12.5")
    assert world.complex_demand.caseload == 1200
    assert 'name="demand-complex-caseload" value="1,200"' in client.get(edit_url(world.plan)).content.decode()


def test_add_rows_without_javascript_adds_as_many_as_asked_and_keeps_the_input(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    blank = first_blank_row(values)
    values.update({f"staffing-{blank}-note": "Half typed", "notes": "Kept", "add_count": "10", "add_rows": "1"})
    page = client.post(edit_url(world.plan), values).content.decode()
    after = form_values_of(page)
    rows = staffing_rows(after)
    assert len(rows) == len(staffing_rows(values)) + 10
    assert rows[2]["note"] == "Half typed" and after["notes"] == "Kept"

    values.update({"add_count": "a lot"})
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 400
    assert '<a href="#id_add_count">Enter how many rows to add, a whole number from 1 to 100</a>' in (
        response.content.decode()
    )


def test_copy_and_delete_a_row_without_javascript(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    nurse_row = row_index(values, world.nurse_line.pk)
    values[f"staffing-{nurse_row}-note"] = "Team leader"
    copied = form_values_of(client.post(edit_url(world.plan), {**values, "copy_row": str(nurse_row)}).content.decode())
    rows = staffing_rows(copied)
    copy = rows[nurse_row + 1]
    assert copy["line_id"] == "" and copy["note"] == "Team leader" and copy["fte"] == "4.00"

    deleted = client.post(edit_url(world.plan), {**copied, "delete_row": str(nurse_row + 1)}).content.decode()
    assert len(staffing_rows(form_values_of(deleted))) == len(rows) - 1
    # Deleting a saved line ticks "Remove": it goes when the plan is saved.
    removed = form_values_of(
        client.post(edit_url(world.plan), {**values, "delete_row": str(nurse_row)}).content.decode()
    )
    assert staffing_rows(removed)[nurse_row]["DELETE"] == "on"
    assert client.post(edit_url(world.plan), removed).status_code == 302
    assert not StaffingLine.objects.filter(pk=world.nurse_line.pk).exists()


def test_reference_demand_fills_the_demand_rows_or_is_the_plans_demand(world):
    world.team.population_served = 150_000
    world.team.save()
    TeamTypeDemand.objects.create(
        team_type=world.team_type,
        tier=ComplexityTier.COMPLEX,
        caseload_per_100k=Decimal("30"),
        hours_per_person_per_week=Decimal("3.5"),
        source_label="A guide",
        source_url="https://example.org/guide",
        modelling_default=False,
    )
    TeamTypeDemand.objects.create(
        team_type=world.team_type,
        tier=ComplexityTier.ROUTINE,
        caseload_per_100k=Decimal("200"),
        hours_per_person_per_week=Decimal("0.5"),
    )
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    values["notes"] = "Kept"
    filled = form_values_of(client.post(edit_url(world.plan), {**values, "use_reference": "1"}).content.decode())
    assert (filled["demand-complex-caseload"], filled["demand-complex-hours_per_person_per_week"]) == ("45", "3.5")
    assert (filled["demand-routine-caseload"], filled["demand-routine-hours_per_person_per_week"]) == ("300", "0.5")
    assert filled["notes"] == "Kept"

    world.plan.demand_basis = Plan.DemandBasis.POPULATION
    world.plan.save()
    page = client.get(edit_url(world.plan)).content.decode()
    assert "worked out from the population the team serves (150,000 people)" in page
    assert "Use reference demand" not in page
    assert 'type="hidden" name="demand-complex-caseload" value="40"' in page  # saved demand kept, not editable
    assert "Modelling default" in page and '<a href="https://example.org/guide">A guide</a>' in page


def test_reference_demand_needs_the_teams_population(world):
    TeamTypeDemand.objects.create(
        team_type=world.team_type,
        tier=ComplexityTier.COMPLEX,
        caseload_per_100k=Decimal("30"),
        hours_per_person_per_week=Decimal("3.5"),
    )
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    response = client.post(edit_url(world.plan), {**values, "use_reference": "1"})
    assert response.status_code == 400
    assert "Add the population the team serves on the team&#x27;s page" in response.content.decode()


def test_a_conflicting_save_keeps_someone_elses_declaration(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    row = row_index(values, world.nurse_line.pk)
    # Someone else declares 2 FTE of the nurse line as independent prescribers meanwhile.
    services.save_plan(
        plan=world.plan,
        user=world.lead,
        expected_version=world.plan.version,
        assumptions={},
        staffing=services.LineChanges(
            {
                world.nurse_line.pk: {
                    "fte": Decimal("4"),
                    "declared_capabilities": {"independent-prescribing": Decimal("2")},
                }
            },
            [],
            [],
        ),
        demand=services.LineChanges({}, [], []),
    )
    values[f"staffing-{row}-note"] = "Team leader"
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 409
    merged = form_values_of(response.content.decode())
    assert merged[f"staffing-{row}-independent-prescribing_fte"] == "2.00"
    assert merged[f"staffing-{row}-note"] == "Team leader"
    assert client.post(edit_url(world.plan), merged).status_code == 302
    line = StaffingLine.objects.get(pk=world.nurse_line.pk)
    assert line.note == "Team leader" and line.declared_capabilities.get().fte == Decimal("2.00")


def test_a_200_line_editor_is_small_and_its_queries_do_not_grow(world, django_assert_max_num_queries):
    add_lines(world.plan, world.lead, 198, world.nurse)
    client = client_for(world.lead)
    with django_assert_max_num_queries(30):
        response = client.get(edit_url(world.plan), headers={"accept-encoding": "gzip"})
    html = response.content.decode()
    assert html.count("data-grid-row") >= 200
    assert len(gzip.compress(response.content)) <= 120 * 1024, len(gzip.compress(response.content))

"""Who may reach every planning URL: a URL × method × user matrix.

Organisation A (Northshire) has a lead, a viewer, a team, a baseline plan with staffing and demand, and a
scenario of it. Organisation B (Southshire) has its own lead. For every URL pattern in `planning.urls` and for
GET and POST, each of these users asks for A's object:

- anonymous: sent to /accounts/login/?next=<the URL>, for GET and POST alike, and nothing changes;
- lead of A: 200 or 302 (POSTs carry valid data, so they do what they say: save, copy, delete, import…);
  405 where the URL does not take the method;
- viewer of A: 200 on reads; 403 (the "You cannot do this" page) on every change, GET of a form included;
- lead of B: a 404 indistinguishable from a missing id: same status, templates and page (CSRF tokens aside);
- a superuser with no membership, and a curator (in the Curators and Publishers groups, no membership): the same
  as the lead of B. They support users and keep the catalogue through the admin (/admin/), never the workspace.

The matrix must name every URL in `planning.urls`: a new URL without a row makes `test_the_matrix_covers_every_
planning_url` fail, so it cannot ship unreviewed.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from planning import decisions, services
from planning.models import DemandLine, Membership, Plan, StaffingLine, Team
from tests.factories import client_for, make_world
from tests.helpers import assert_matrix_names_every_url, form_values, select_options, url_patterns, without_tokens

MISSING = 999_999
USERS = ["anonymous", "lead_a", "viewer_a", "lead_b", "superuser", "curator"]
METHODS = ["GET", "POST"]
LOGIN = "/accounts/login/"


# --- The world ------------------------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    world = make_world()
    world.scenario = services.copy_as_scenario(plan=world.plan, user=world.lead, name="Scenario of A")
    agreed = services.copy_as_scenario(plan=world.plan, user=world.lead, name="Agreed scenario of A")
    world.agreed = decisions.agree_plan(plan=agreed, user=world.lead, expected_version=agreed.version)
    world.superuser = User.objects.create_superuser("root", "root@nhs.example", None)
    world.curator = User.objects.create_user("cura", is_staff=True)
    world.curator.groups.add(*Group.objects.filter(name__in=["Curators", "Publishers"]))
    return world


def user_of(world, who):
    return {
        "anonymous": None,
        "lead_a": world.lead,
        "viewer_a": world.viewer,
        "lead_b": world.other_lead,
        "superuser": world.superuser,
        "curator": world.curator,
    }[who]


def client_of(world, who) -> Client:
    user = user_of(world, who)
    return Client() if user is None else client_for(user)


def snapshot():
    """Everything a POST could change, to show that a refused one changed nothing."""
    return (
        list(Plan.objects.order_by("pk").values_list("pk", "name", "status", "version", "scenario_of_id")),
        list(Team.objects.order_by("pk").values_list("pk", "name", "team_type_id", "population_served")),
        list(StaffingLine.objects.order_by("pk").values_list("pk", "plan_id", "role_id", "band", "fte")),
        list(DemandLine.objects.order_by("pk").values_list("pk", "plan_id", "tier", "caseload")),
    )


# --- POST data: what a lead's browser would send ---------------------------------------------------------------


def page_form(world, url, action=None, **overrides):
    """The values of the POST form on `url` as the lead of A sees it, with `overrides`."""
    response = client_for(world.lead).get(url)
    assert response.status_code == 200, url
    return {**form_values(response, action), **overrides}


def exported_csv(world) -> bytes:
    response = client_for(world.lead).get(reverse("planning:plan-export-csv", args=[world.plan.pk]))
    assert response.status_code == 200
    return response.content


def upload(world):
    """The plan's own export with its first line's FTE changed, so that there is something to import (a file that
    matches the plan has nothing to apply)."""
    rows = list(csv.reader(io.StringIO(exported_csv(world).decode("utf-8-sig"))))
    rows[1][rows[0].index("fte")] = "9.5"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return {"file": SimpleUploadedFile("staffing.csv", out.getvalue().encode(), content_type="text/csv")}


def previewed(world, client):
    """Uploads the plan's own export as `client` (a preview is kept in its session), then posts its digest."""
    response = client.post(reverse("planning:plan-import", args=[world.plan.pk]), upload(world))
    match = re.search(r'name="digest" value="([^"]+)"', response.content.decode())
    return {"digest": match.group(1) if match else "no-preview"}


def plan_status_data(world, client):
    """What the "Mark as agreed" confirmation page posts."""
    url = reverse("planning:plan-status", args=[world.plan.pk])
    return page_form(world, reverse("planning:plan-agree", args=[world.plan.pk]), action=url)


def team_create_data(world, client):
    return {
        "organisation": world.north.pk,
        "name": "A new team",
        "team_type": world.team_type.pk,
        "population_served": "",
    }


def url_data(url_name, **overrides):
    """POST data: the named page's own form as the lead sees it, with overrides."""

    def build(world, client):
        url = reverse(f"planning:{url_name}", kwargs=kwargs_for(world, OBJECT[url_name]))
        return page_form(world, url, **overrides)

    return build


def no_data(world, client):
    return {"anything": "at all"}


# --- The matrix ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One planning URL: which of A's objects it names, whether it reads or changes, and what each user gets.

    `owner` is what the lead of A gets for (GET, POST); `viewer` what the viewer of A gets. For the lead of B, the
    superuser and the curator the expectation is always "exactly what a missing id gives" (404, or 405 for a method
    the URL does not take), except on the two URLs that name no object (home, team-create), given in `outsider`."""

    object: str  # None: no object in the URL
    owner: tuple[int, int]
    viewer: tuple[int, int]
    data: object = no_data
    outsider: dict = field(default_factory=dict)  # who -> (GET status, POST status), for URLs naming no object
    query: dict = field(default_factory=dict)


FORM_FORBIDDEN = (403, 403)
# What each planning URL names and expects. Dashboard URLs (plan results, projection exports) are reads.
MATRIX = {
    "home": Row(
        None,
        (200, 405),
        (200, 405),
        outsider={"lead_b": (200, 405), "superuser": (200, 405), "curator": (200, 405)},
    ),
    "team-create": Row(
        None,
        (200, 302),
        FORM_FORBIDDEN,
        team_create_data,
        # B's lead may create teams, but not in A: organisation A is not a choice, so the form is shown again.
        outsider={"lead_b": (200, 200), "superuser": FORM_FORBIDDEN, "curator": FORM_FORBIDDEN},
    ),
    "team": Row("team", (200, 405), (200, 405)),
    "team-edit": Row("team", (200, 302), FORM_FORBIDDEN, url_data("team-edit", name="Renamed team")),
    "plan-create": Row(
        "team_plans",
        (200, 302),
        FORM_FORBIDDEN,
        url_data("plan-create", name="Another plan", start_year="2027", horizon_years="3"),
    ),
    "plan": Row("plan", (200, 405), (200, 405)),
    "plan-edit": Row("plan", (200, 302), FORM_FORBIDDEN, url_data("plan-edit", name="Edited")),
    "plan-copy": Row("plan", (200, 302), FORM_FORBIDDEN, url_data("plan-copy", name="A copy")),
    "plan-rename": Row("plan", (200, 302), FORM_FORBIDDEN, url_data("plan-rename", name="Renamed")),
    "plan-delete": Row("plan", (200, 302), FORM_FORBIDDEN, url_data("plan-delete")),
    "plan-status": Row("plan", (405, 302), (405, 403), plan_status_data),
    "plan-agree": Row("plan", (200, 405), (403, 405)),
    "plan-reopen": Row("agreed_plan", (200, 405), (403, 405)),
    "plan-promote": Row("scenario", (200, 302), FORM_FORBIDDEN, url_data("plan-promote")),
    "plan-export-csv": Row("plan", (200, 405), (200, 405)),
    "plan-export-xlsx": Row("plan", (200, 405), (200, 405)),
    "plan-import": Row("plan", (200, 200), FORM_FORBIDDEN, lambda world, client: upload(world)),
    "plan-import-apply": Row("plan", (405, 302), (405, 403), previewed),
    "plan-compare-pick": Row("plan", (302, 405), (302, 405), query={"with": "scenario"}),
    "plan-compare": Row("compare", (200, 405), (200, 405)),
    "organisation-rollup": Row("organisation", (200, 405), (200, 405)),
    "plan-results-json": Row("plan", (200, 405), (200, 405)),
    "plan-projection-csv": Row("plan", (200, 405), (200, 405)),
    "plan-projection-xlsx": Row("plan", (200, 405), (200, 405)),
}
OBJECT = {name: row.object for name, row in MATRIX.items()}


def kwargs_for(world, kind, missing=False):
    def pk(obj):
        return MISSING if missing else obj.pk

    return {
        None: {},
        "team": {"pk": pk(world.team)},
        "team_plans": {"team_pk": pk(world.team)},
        "plan": {"pk": pk(world.plan)},
        "agreed_plan": {"pk": pk(world.agreed)},
        "scenario": {"pk": pk(world.scenario)},
        "compare": {"pk": pk(world.plan), "other_pk": MISSING + 1 if missing else world.scenario.pk},
        "organisation": {"pk": pk(world.north)},
    }[kind]


def url_for(world, name, missing=False):
    row = MATRIX[name]
    url = reverse(f"planning:{name}", kwargs=kwargs_for(world, row.object, missing))
    if row.query:
        query = {key: (MISSING if missing else getattr(world, value).pk) for key, value in row.query.items()}
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def test_the_matrix_covers_every_planning_url():
    assert_matrix_names_every_url(MATRIX, "planning")


def request(client, method, url, data):
    if method == "GET":
        return client.get(url)
    return client.post(url, data)


def heading(response) -> str | None:
    match = re.search(rb"<h1[^>]*>(.*?)</h1>", response.content, re.S)
    return match.group(1).decode().strip() if match else None


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


CASES = [(name, who, method) for name in MATRIX for who in USERS for method in METHODS]


@pytest.mark.parametrize(("name", "who", "method"), CASES, ids=[f"{n}-{w}-{m}" for n, w, m in CASES])
def test_access(world, name, who, method):
    row = MATRIX[name]
    client = client_of(world, who)
    url = url_for(world, name)
    data = row.data(world, client) if method == "POST" else None
    before = snapshot()
    response = request(client, method, url, data)

    if who == "anonymous":
        assert response.status_code == 302, url
        assert response["Location"] == f"{LOGIN}?next={_quoted(url)}"
        assert snapshot() == before
        return

    if who == "lead_a":
        expected = row.owner[METHODS.index(method)]
        assert response.status_code == expected, (url, response.status_code)
        return

    if who == "viewer_a":
        expected = row.viewer[METHODS.index(method)]
        assert response.status_code == expected, (url, response.status_code)
        if expected == 403:
            assert "You cannot do this" in response.content.decode()
            assert template_names(response)[0] == "forbidden.html"
            assert '<a href="/planning/">Go to your workforce plans</a>' in response.content.decode()
        if method == "POST":
            assert snapshot() == before
        return

    # Lead of B, and a superuser or curator without a membership.
    if row.object is None:
        expected = row.outsider[who][METHODS.index(method)]
        assert response.status_code == expected, (url, response.status_code)
        assert snapshot() == before
        return
    missing = request(client, method, url_for(world, name, missing=True), row.data(world, client) if data else None)
    expected = 405 if row.owner[METHODS.index(method)] == 405 else 404
    assert response.status_code == expected, (url, response.status_code)
    assert missing.status_code == expected, (url, missing.status_code)
    assert template_names(response) == template_names(missing)
    assert heading(response) == heading(missing)
    assert without_tokens(response) == without_tokens(missing)
    assert snapshot() == before


def _quoted(url: str) -> str:
    return quote(url, safe="/")


# --- What pages show ------------------------------------------------------------------------------------------

A_NAMES = ["Northshire", "North locality CMHT", "2026 baseline", "Scenario of A"]


def test_home_shows_nothing_of_other_organisations(world):
    page = client_for(world.other_lead).get("/planning/").content.decode()
    assert "Southshire" in page and "South plan" in page
    for name in A_NAMES:
        assert name not in page
    assert f"/planning/organisations/{world.north.pk}/" not in page
    assert f"/planning/teams/{world.team.pk}/" not in page

    page = client_for(world.superuser).get("/planning/").content.decode()
    assert "You are not a member of any organisation yet" in page
    for name in [*A_NAMES, "Southshire", "South plan"]:
        assert name not in page


def test_a_team_can_only_be_created_in_an_organisation_the_user_leads(world):
    client = client_for(world.other_lead)
    page = client.get("/planning/teams/new/").content.decode()
    assert select_options(page, "organisation") == ["", str(world.south.pk)]
    response = client.post("/planning/teams/new/", team_create_data(world, client))
    assert response.status_code == 200
    assert "Choose one of the organisations you lead" in response.content.decode()
    assert not Team.objects.filter(name="A new team").exists()


def test_the_lead_of_a_really_did_each_thing(world):
    """The owner's 302s above are real changes: spot-check a few."""
    client = client_for(world.lead)
    client.post(url_for(world, "plan-rename"), url_data("plan-rename", name="Renamed")(world, client))
    world.plan.refresh_from_db()
    assert world.plan.name == "Renamed"
    response = client.post(url_for(world, "plan-import-apply"), previewed(world, client))
    assert response.status_code == 302
    assert response["Location"] == world.plan.get_absolute_url()
    assert StaffingLine.objects.filter(plan=world.plan).count() == 2
    response = client.post(url_for(world, "plan-status"), plan_status_data(world, client))
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.AGREED
    assert world.plan.agreed_by == world.lead
    response = client.post(url_for(world, "plan-promote"), url_data("plan-promote")(world, client))
    world.plan.refresh_from_db()
    assert world.plan.scenario_of == world.scenario


# What the lead of A gets posting valid data to a plan that has been agreed since the data was built.
AGREED_REFUSALS = {
    "plan-edit": 403,
    "plan-rename": 403,
    "plan-delete": 403,
    "plan-import": 409,
    "plan-import-apply": 409,
}


def agreed_plan_refusals():
    """Every URL where the lead of A changes a plan (a 302 in the matrix) except agreeing, reopening and copying
    it, which an agreed plan allows; plus the import upload (a 200 preview), which writes nothing itself."""
    changes = {name for name, row in MATRIX.items() if row.object == "plan" and row.owner[1] == 302}
    return sorted((changes - {"plan-status", "plan-copy"}) | {"plan-import"})


def test_every_change_to_a_plan_is_covered_by_the_agreed_refusals():
    assert set(AGREED_REFUSALS) == set(agreed_plan_refusals())


@pytest.mark.parametrize("name", agreed_plan_refusals())
def test_the_lead_cannot_change_an_agreed_plan(world, name):
    """The lead of A, posting what their browser would have sent before the plan was agreed, changes nothing."""
    client = client_for(world.lead)
    data = MATRIX[name].data(world, client)
    decisions.change_status(plan=world.plan, user=world.lead, expected_version=world.plan.version, status="agreed")
    before = snapshot()
    response = client.post(url_for(world, name), data)
    assert response.status_code == AGREED_REFUSALS[name], name
    assert "This plan is agreed" in response.content.decode()
    assert snapshot() == before


def test_a_viewer_of_two_organisations_sees_both_but_changes_neither(world):
    Membership.objects.create(user=world.viewer, organisation=world.south, access=Membership.Access.VIEWER)
    client = client_for(world.viewer)
    assert client.get(world.other_plan.get_absolute_url()).status_code == 200
    assert client.post(f"/planning/plans/{world.other_plan.pk}/rename/", {"name": "X", "version": 1}).status_code == 403


# --- The admin is for staff only ------------------------------------------------------------------------------


def admin_urls(world) -> list[str]:
    urls = ["/admin/planning/"]
    instances = {Plan: world.plan, Team: world.team}
    for model in admin.site._registry:
        if model._meta.app_label != "planning":
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        instance = instances.get(model) or model._default_manager.first()
        if instance is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[instance.pk]))
    return urls


def test_planning_admin_is_for_staff_only(world):
    urls = admin_urls(world)
    assert len(urls) > 10
    staff = User.objects.create_user("curator", is_staff=True)  # staff, but no planning permissions
    for url in urls:
        for who, client in [("anonymous", Client()), ("lead", client_for(world.lead))]:
            response = client.get(url)
            assert response.status_code == 302, (who, url)
            assert response["Location"].startswith("/admin/login/?next="), (who, url)
            response = client.post(url, {"name": "Hijacked"})
            assert response.status_code == 302, (who, url)
            assert response["Location"].startswith("/admin/login/"), (who, url)
        assert client_for(staff).get(url).status_code == 403 or url == "/admin/planning/", url
        # Some admins refuse "add" even to superusers (plans are made in the workspace).
        allowed = (200, 403) if url.endswith("/add/") else (200,)
        assert client_for(world.superuser).get(url).status_code in allowed, url
    world.plan.refresh_from_db()
    assert world.plan.name == "2026 baseline"


def test_the_matrix_has_no_row_for_a_url_that_is_gone():
    """Every row checks a planning URL that exists (and there are at least as many as when the matrix was written),
    so a renamed URL cannot keep a row that tests nothing."""
    assert set(MATRIX) - {pattern.name for pattern in url_patterns("planning")} == set(), "rows for gone URLs"
    assert len(MATRIX) >= 24

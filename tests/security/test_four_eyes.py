"""Four eyes on every published change, probed with crafted requests: no admin save of public content changes the
public site by itself, and only a publisher who did not propose a change can approve it."""

import pytest
from django.contrib.auth.models import Group, User

from roles.models import Capability, CaseStudy, Regulator, Resource, Revision, Role, RoleFamily
from tests.factories import make_case_study
from tests.helpers import admin_form_data, admin_form_values

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]
ACTORS = ["curator", "publisher", "curator_publisher", "superuser"]


def make(username, *groups, superuser=False):
    user = User.objects.create_user(username, password="a-long-test-password", is_staff=True, is_superuser=superuser)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def people(db):
    return {
        "curator": make("curator", "Curators"),
        "publisher": make("publisher", "Publishers"),
        "curator_publisher": make("both", "Curators", "Publishers"),
        "superuser": make("admin", superuser=True),
        "other_publisher": make("other-publisher", "Publishers"),
    }


CATALOGUE = [
    (Role, "role", "summary"),
    (Resource, "resource", "summary"),
    (Capability, "capability", "description"),
    (RoleFamily, "rolefamily", "description"),
    (Regulator, "regulator", "name"),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("model,model_name,field", CATALOGUE, ids=[row[1] for row in CATALOGUE])
def test_no_admin_save_changes_the_catalogue_directly(client, people, actor, model, model_name, field):
    row = model.objects.order_by("pk").first()
    before = getattr(row, field)
    client.force_login(people[actor])
    url = f"/admin/roles/{model_name}/{row.pk}/change/"
    page = client.get(url)
    if page.status_code == 403 or b'name="_save"' not in page.content:
        # View-only (publishers): a crafted POST is refused.
        response = client.post(url, {field: "Crafted"})
        assert response.status_code == 403
    else:
        data = admin_form_values(page, model_name)
        data[field] = ["Changed by a crafted save"]
        assert client.post(url, data).status_code == 302
        assert Revision.objects.filter(status=Revision.Status.PENDING, proposed_by=people[actor]).count() == 1
    row.refresh_from_db()
    assert getattr(row, field) == before


@pytest.mark.parametrize("actor", ACTORS)
def test_no_admin_save_changes_a_published_case_study_directly(client, people, actor):
    case_study = make_case_study(people["curator"], status=CaseStudy.Status.PUBLISHED, slug="live")
    client.force_login(people[actor])
    data = admin_form_data(case_study, title="Crafted", slug="crafted", change_note="Crafted")
    client.post(f"/admin/roles/casestudy/{case_study.pk}/change/", data)
    case_study.refresh_from_db()
    assert (case_study.title, case_study.slug) == ("A story", "live")
    assert client.get("/case-studies/crafted/").status_code == 404


@pytest.fixture
def proposal(client, people):
    """A curator's pending change to a role's name."""
    role = Role.objects.get(slug="pharmacy-technician")
    client.force_login(people["curator_publisher"])
    data = admin_form_values(client.get(f"/admin/roles/role/{role.pk}/change/"), "role")
    data["name"] = ["Crafted name"]
    client.post(f"/admin/roles/role/{role.pk}/change/", data)
    client.logout()
    return Revision.objects.get(status=Revision.Status.PENDING)


# Who may approve a change proposed by `curator_publisher` (in both groups).
APPROVERS = {
    "anonymous": False,
    "curator": False,
    "curator_publisher": False,
    "publisher": True,
    "superuser": True,
}


@pytest.mark.parametrize("actor,allowed", APPROVERS.items())
def test_approval_through_a_crafted_post(client, people, proposal, actor, allowed):
    if actor != "anonymous":
        client.force_login(people[actor])
    response = client.post(f"/admin/roles/revision/{proposal.pk}/decide/approve/", {"comment": "ok"})
    assert response.status_code in (302, 403, 404)
    proposal.refresh_from_db()
    name = Role.objects.get(slug="pharmacy-technician").name
    if allowed:
        assert (proposal.status, proposal.decided_by, name) == ("approved", people[actor], "Crafted name")
        history = client.get(f"/admin/roles/role/{proposal.object_id}/history/").content.decode()
        assert "Approved a change proposed by both." in history
    else:
        assert (proposal.status, name) == ("pending", "Pharmacy technician")


@pytest.mark.parametrize("action", ["approve", "reject", "withdraw"])
def test_deciding_needs_a_post(client, people, proposal, action):
    client.force_login(people["publisher"])
    assert client.get(f"/admin/roles/revision/{proposal.pk}/decide/{action}/").status_code == 405
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_a_decided_change_cannot_be_approved_again(client, people, proposal):
    client.force_login(people["publisher"])
    client.post(f"/admin/roles/revision/{proposal.pk}/decide/reject/", {"comment": "No source"})
    client.force_login(people["other_publisher"])
    client.post(f"/admin/roles/revision/{proposal.pk}/decide/approve/", {"comment": ""})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("rejected", people["publisher"])
    assert Role.objects.get(slug="pharmacy-technician").name == "Pharmacy technician"


def test_revisions_cannot_be_edited_added_or_deleted_in_the_admin(client, people, proposal):
    client.force_login(people["superuser"])
    url = f"/admin/roles/revision/{proposal.pk}/change/"
    client.post(url, {"status": "approved", "proposed": "{}", "proposed_by": people["superuser"].pk})
    assert client.get("/admin/roles/revision/add/").status_code == 403
    assert client.post(f"/admin/roles/revision/{proposal.pk}/delete/", {"post": "yes"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    assert proposal.proposed_by == people["curator_publisher"]


@pytest.mark.parametrize("model,model_name,field", CATALOGUE, ids=[row[1] for row in CATALOGUE])
def test_public_rows_cannot_be_deleted_in_the_admin(client, people, model, model_name, field):
    """A deletion would change the public site with nobody to approve it; even a superuser is refused."""
    row = model.objects.order_by("pk").first()
    client.force_login(people["superuser"])
    assert client.post(f"/admin/roles/{model_name}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.get(f"/admin/roles/{model_name}/")
    bulk = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    client.post(f"/admin/roles/{model_name}/", bulk)
    assert changelist.status_code == 200
    assert model.objects.filter(pk=row.pk).exists()

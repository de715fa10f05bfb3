"""Four eyes on every published change: saving public content in the admin proposes a revision; a second person
(a publisher who did not propose it) approves it, and only then does the public site change."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from roles import revisions
from roles.models import Capability, CaseStudy, Regulator, Resource, Revision, Role, RoleCapability, RoleFamily
from roles.search import search_roles
from tests.factories import make_case_study, make_user
from tests.helpers import admin_form_data, admin_form_values

Status = CaseStudy.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]


@pytest.fixture
def people(db):
    return {
        "curator": make_user("curator", groups=["Curators"], staff=True),
        "publisher": make_user("publisher", groups=["Publishers"], staff=True),
        "second_publisher": make_user("second-publisher", groups=["Publishers"], staff=True),
        "superuser": make_user("admin", superuser=True),
    }


def post_form(client, url, model_name, **changes):
    """GET the admin form at `url`, change some values and POST it back."""
    data = admin_form_values(client.get(url), model_name)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data)


def pending():
    return Revision.objects.get(status=Revision.Status.PENDING)


# --- Case studies -----------------------------------------------------------------------------------------------


def test_a_change_to_a_published_case_study_waits_for_a_second_publisher(client, people):
    case_study = make_case_study(people["curator"], status=Status.PUBLISHED, slug="live-story")
    client.force_login(people["publisher"])
    url = f"/admin/roles/casestudy/{case_study.pk}/change/"
    response = client.post(
        url,
        admin_form_data(
            case_study,
            title="Rewritten title",
            slug="rewritten-story",
            source_url="https://example.org/elsewhere",
            body="A new body.",
            change_note="Corrected the source",
        ),
    )
    revision = pending()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/roles/revision/{revision.pk}/change/"

    # Nothing public changed.
    case_study.refresh_from_db()
    assert (case_study.title, case_study.slug, case_study.body) == ("A story", "live-story", "Body text.")
    public = client.get("/case-studies/live-story/")
    assert public.status_code == 200
    assert b"A story" in public.content
    assert client.get("/case-studies/rewritten-story/").status_code == 404

    # The proposer cannot approve their own change, nor can a curator.
    with pytest.raises(PermissionDenied):
        revisions.approve(revision=revision, user=people["publisher"])
    with pytest.raises(PermissionDenied):
        revisions.approve(revision=revision, user=people["curator"])

    client.force_login(people["second_publisher"])
    page = client.get(f"/admin/roles/revision/{revision.pk}/change/")
    assert b"Rewritten title" in page.content and b"A story" in page.content
    assert b"Approve and publish" in page.content
    html = page.content.decode()
    for decision, label in [("approve", "Comment (optional)"), ("reject", "Reason (required)")]:
        assert f'action="/admin/roles/revision/{revision.pk}/decide/{decision}/"' in html
        assert f'<label for="comment-{decision}">{label}</label>' in html
        assert f'<textarea id="comment-{decision}" name="comment"' in html
    assert "Withdraw my change" not in html  # only the proposer may withdraw
    client.post(f"/admin/roles/revision/{revision.pk}/decide/approve/", {"comment": "Checked"})

    case_study.refresh_from_db()
    assert (case_study.title, case_study.slug) == ("Rewritten title", "rewritten-story")
    assert case_study.source_url == "https://example.org/elsewhere"
    assert case_study.status == Status.PUBLISHED
    assert client.get("/case-studies/live-story/").status_code == 404
    assert b"A new body." in client.get("/case-studies/rewritten-story/").content

    # The history names both people.
    revision.refresh_from_db()
    assert (revision.proposed_by, revision.decided_by, revision.status) == (
        people["publisher"],
        people["second_publisher"],
        Revision.Status.APPROVED,
    )
    latest = case_study.history.first()
    assert latest.history_user == people["second_publisher"]
    assert latest.history_change_reason == "Proposed by publisher: Corrected the source"
    admin_page = client.get(url).content.decode()
    assert "proposed by publisher, approved by second-publisher (Corrected the source)" in admin_page


def test_a_curator_may_propose_a_change_to_a_published_case_study(client, people):
    case_study = make_case_study(people["publisher"], status=Status.PUBLISHED)
    client.force_login(people["curator"])
    response = client.post(
        f"/admin/roles/casestudy/{case_study.pk}/change/",
        admin_form_data(case_study, summary="Shorter summary.", change_note="Shorter"),
    )
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.summary == "Summary text."
    revisions.approve(revision=pending(), user=people["publisher"])
    case_study.refresh_from_db()
    assert case_study.summary == "Shorter summary."
    assert case_study.updated_by == people["curator"]


def test_drafts_are_still_edited_in_place(client, people):
    case_study = make_case_study(people["curator"])
    client.force_login(people["curator"])
    client.post(f"/admin/roles/casestudy/{case_study.pk}/change/", admin_form_data(case_study, title="Draft 2"))
    case_study.refresh_from_db()
    assert case_study.title == "Draft 2"
    assert not Revision.objects.exists()


def test_a_change_to_a_story_archived_meanwhile_cannot_be_approved(client, people):
    from roles import publishing

    case_study = make_case_study(people["curator"], status=Status.PUBLISHED)
    client.force_login(people["curator"])
    client.post(
        f"/admin/roles/casestudy/{case_study.pk}/change/",
        admin_form_data(case_study, title="Later title", change_note="Retitled"),
    )
    publishing.apply_transition(case_study=case_study, name="archive", user=people["publisher"])
    with pytest.raises(ValidationError):
        revisions.approve(revision=pending(), user=people["publisher"])
    case_study.refresh_from_db()
    assert (case_study.title, case_study.status) == ("A story", Status.ARCHIVED)


# --- Roles, with their inline rows ------------------------------------------------------------------------------


def test_a_role_edit_with_its_inline_rows_waits_for_approval(client, people):
    role = Role.objects.get(slug="mental-health-pharmacist")
    before_routes = list(role.training_routes.values_list("slug", flat=True))
    before_sources = role.sources.count()
    capability = role.role_capabilities.first()
    source = role.sources.first()
    client.force_login(people["curator"])
    url = f"/admin/roles/role/{role.pk}/change/"
    data = admin_form_values(client.get(url), "role")
    data["summary"] = ["A rewritten summary about dispensing safely."]
    data["band_min"] = ["4"]
    data["role_capabilities-0-note"] = ["A new note on the capability."]
    data["sources-0-title"] = ["A corrected source title"]
    total = int(data["training_routes-TOTAL_FORMS"][0])
    new = f"training_routes-{total}-"
    data["training_routes-TOTAL_FORMS"] = [str(total + 1)]
    data.update(
        {
            new + "name": ["Pharmacy technician apprenticeship (test)"],
            new + "slug": ["test-apprenticeship"],
            new + "kind": ["apprenticeship"],
            new + "duration_months": ["24"],
            new + "description": [""],
            new + "source_url": ["https://example.org/apprenticeship"],
        }
    )
    data["change_note"] = ["New apprenticeship and band"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    revision = pending()

    # The public profile and the database are as they were.
    role.refresh_from_db()
    assert role.summary.startswith("A pharmacist who helps people")
    assert role.band_min is None
    assert list(role.training_routes.values_list("slug", flat=True)) == before_routes
    assert role.sources.count() == before_sources
    assert b"dispensing safely" not in client.get("/roles/mental-health-pharmacist/").content

    labels = {change.label for change in revisions.changes(revision=revision)}
    assert {"Summary", "Band min", "Role capabilities", "Training routes", "Role sources"} <= labels

    revisions.approve(revision=revision, user=people["publisher"])
    role.refresh_from_db()
    assert role.summary == "A rewritten summary about dispensing safely."
    assert role.band_min == 4
    assert set(role.training_routes.values_list("slug", flat=True)) == {*before_routes, "test-apprenticeship"}
    assert role.sources.count() == before_sources
    assert role.sources.get(pk=source.pk).title == "A corrected source title"
    assert RoleCapability.objects.get(pk=capability.pk).note == "A new note on the capability."
    profile = client.get("/roles/mental-health-pharmacist/").content
    assert b"dispensing safely" in profile
    assert b"Pharmacy technician apprenticeship (test)" in profile
    assert list(search_roles(Role.objects.all(), "dispensing").values_list("slug", flat=True)) == [
        "mental-health-pharmacist"
    ]


def test_deleting_an_inline_row_waits_for_approval(client, people):
    """Only people allowed to delete a role's rows (here the superuser) see the delete boxes."""
    role = Role.objects.get(slug="pharmacy-technician")
    doomed = role.sources.first()
    client.force_login(people["superuser"])
    post_form(client, f"/admin/roles/role/{role.pk}/change/", "role", **{"sources-0-DELETE": "on"})
    assert role.sources.filter(pk=doomed.pk).exists()
    revisions.approve(revision=pending(), user=people["publisher"])
    assert not role.sources.filter(pk=doomed.pk).exists()


def test_a_new_role_appears_only_when_approved(client, people):
    client.force_login(people["curator"])
    data = admin_form_values(client.get("/admin/roles/role/add/"), "role")
    data.update(
        {
            "name": ["Mental health test practitioner"],
            "slug": ["mental-health-test-practitioner"],
            "family": [str(RoleFamily.objects.get(slug="support-roles").pk)],
            "summary": ["A zebrafinch role for a test."],
            "scope_of_practice": ["Whatever the test needs."],
            "complexity_ceiling": ["2"],
            "last_reviewed": ["2026-12-01"],
            "supervisor_roles": [str(Role.objects.get(slug="mental-health-nurse").pk)],
            "role_capabilities-TOTAL_FORMS": ["1"],
            "role_capabilities-0-capability": [str(Capability.objects.get(slug="risk-assessment").pk)],
            "role_capabilities-0-level": ["core"],
            "role_capabilities-0-note": [""],
            "role_capabilities-0-source_url": ["https://example.org/role"],
        }
    )
    response = client.post("/admin/roles/role/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Role.objects.filter(slug="mental-health-test-practitioner").exists()
    assert client.get("/roles/mental-health-test-practitioner/").status_code == 404
    revision = pending()
    assert revision.object_id is None and revision.base is None
    client.force_login(people["publisher"])
    page = client.get(f"/admin/roles/revision/{revision.pk}/change/").content.decode()
    assert "New role “Mental health test practitioner”" in page
    assert "(new: made when the change is approved)" in page
    assert "Risk assessment" in page and "Mental health nurse" in page

    role = revisions.approve(revision=revision, user=people["publisher"])
    revision.refresh_from_db()
    assert revision.object_id == role.pk
    assert client.get("/roles/mental-health-test-practitioner/").status_code == 200
    assert list(role.supervisor_roles.values_list("slug", flat=True)) == ["mental-health-nurse"]
    assert role.role_capabilities.get().capability.slug == "risk-assessment"
    assert [r.slug for r in search_roles(Role.objects.all(), "zebrafinch")] == ["mental-health-test-practitioner"]


def test_a_stale_revision_cannot_undo_a_later_approved_change(people):
    """Two people propose changes from the same published version; the second approval is refused."""
    role = Role.objects.get(slug="pharmacy-technician")
    first = propose_field(role, people["curator"], summary="First version.")
    second = propose_field(role, people["superuser"], summary="Second version.")
    revisions.approve(revision=first, user=people["publisher"])
    with pytest.raises(ValidationError):
        revisions.approve(revision=second, user=people["publisher"])
    role.refresh_from_db()
    assert role.summary == "First version."
    second.refresh_from_db()
    assert second.status == Revision.Status.PENDING


def propose_field(instance, user, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    proposed = revisions.proposal_from(instance=instance, fields=list(values), m2m={}, inlines=[])
    instance.refresh_from_db()
    return revisions.propose(instance=instance, proposed=proposed, user=user)


def test_a_superuser_also_needs_a_second_person(client, people):
    role = Role.objects.get(slug="pharmacy-technician")
    client.force_login(people["superuser"])
    post_form(client, f"/admin/roles/role/{role.pk}/change/", "role", name="Renamed by the admin")
    role.refresh_from_db()
    assert role.name == "Pharmacy technician"
    with pytest.raises(PermissionDenied):
        revisions.approve(revision=pending(), user=people["superuser"])
    revisions.approve(revision=pending(), user=people["publisher"])
    role.refresh_from_db()
    assert role.name == "Renamed by the admin"


# --- Resources and the rest of the catalogue --------------------------------------------------------------------


def test_a_resource_edit_and_a_new_resource_wait_for_approval(client, people):
    resource = Resource.objects.first()
    client.force_login(people["curator"])
    post_form(client, f"/admin/roles/resource/{resource.pk}/change/", "resource", title="A retitled resource")
    resource.refresh_from_db()
    assert resource.title != "A retitled resource"
    assert b"A retitled resource" not in client.get("/resources/").content
    revisions.approve(revision=pending(), user=people["publisher"])
    assert b"A retitled resource" in client.get("/resources/").content
    assert resource.history.first().history_user == people["publisher"]
    assert resource.history.first().history_change_reason == "Proposed by curator"

    data = admin_form_values(client.get("/admin/roles/resource/add/"), "resource")
    data.update(
        {
            "title": ["A brand new guide"],
            "slug": ["brand-new-guide"],
            "kind": ["guide"],
            "publisher": ["NHS England"],
            "summary": ["New."],
            "url": ["https://example.org/guide"],
            "roles": [str(Role.objects.get(slug="peer-support-worker").pk)],
        }
    )
    assert client.post("/admin/roles/resource/add/", data).status_code == 302
    assert not Resource.objects.filter(slug="brand-new-guide").exists()
    assert b"A brand new guide" not in client.get("/resources/").content
    revisions.approve(revision=pending(), user=people["publisher"])
    assert b"A brand new guide" in client.get("/resources/").content
    assert b"A brand new guide" in client.get("/roles/peer-support-worker/").content


@pytest.mark.parametrize(
    "model,model_name,field,value",
    [
        (Capability, "capability", "name", "Renamed capability"),
        (RoleFamily, "rolefamily", "name", "Renamed family"),
        (Regulator, "regulator", "name", "Renamed regulator"),
    ],
)
def test_other_catalogue_rows_wait_for_approval(client, people, model, model_name, field, value):
    row = model.objects.first()
    client.force_login(people["curator"])
    response = post_form(client, f"/admin/roles/{model_name}/{row.pk}/change/", model_name, **{field: value})
    assert response.status_code == 302
    row.refresh_from_db()
    assert getattr(row, field) != value
    revisions.approve(revision=pending(), user=people["publisher"])
    row.refresh_from_db()
    assert getattr(row, field) == value


# --- Rejecting and withdrawing ----------------------------------------------------------------------------------


def test_rejecting_needs_a_reason_and_changes_nothing(people):
    role = Role.objects.get(slug="pharmacy-technician")
    revision = propose_field(role, people["curator"], name="Wrong name")
    with pytest.raises(ValidationError):
        revisions.reject(revision=revision, user=people["publisher"], comment=" ")
    revisions.reject(revision=revision, user=people["publisher"], comment="No source for the new name")
    revision.refresh_from_db()
    assert (revision.status, revision.decided_by) == (Revision.Status.REJECTED, people["publisher"])
    role.refresh_from_db()
    assert role.name == "Pharmacy technician"
    with pytest.raises(PermissionDenied):
        revisions.approve(revision=revision, user=people["second_publisher"])


def test_only_the_proposer_may_withdraw(people):
    role = Role.objects.get(slug="pharmacy-technician")
    revision = propose_field(role, people["curator"], name="Wrong name")
    with pytest.raises(PermissionDenied):
        revisions.withdraw(revision=revision, user=people["publisher"])
    revisions.withdraw(revision=revision, user=people["curator"])
    revision.refresh_from_db()
    assert revision.status == Revision.Status.WITHDRAWN


def test_the_revision_list_is_open_to_curators_and_publishers_only(client, people):
    propose_field(Role.objects.get(slug="pharmacy-technician"), people["curator"], name="Listed change")
    for actor in ("curator", "publisher"):
        client.force_login(people[actor])
        page = client.get("/admin/roles/revision/?status__exact=pending")
        assert page.status_code == 200
        assert "Change to role “Pharmacy technician”" in page.content.decode()
    client.force_login(User.objects.create_user("staff-only", password="x-long-password-1", is_staff=True))
    assert client.get("/admin/roles/revision/").status_code == 403


# --- The deploy step ----------------------------------------------------------------------------------------------


def test_the_reference_loader_writes_directly(people):
    """load_reference_data is a deploy step reviewed as code: it writes rows, not revisions."""
    role = Role.objects.get(slug="pharmacy-technician")
    Role.objects.filter(pk=role.pk).update(summary="Changed in the database.")
    call_command("load_reference_data", "--update", verbosity=0)
    role.refresh_from_db()
    assert role.summary.startswith("A registered pharmacy professional")
    assert not Revision.objects.exists()


def test_saving_without_a_change_proposes_nothing(client, people):
    role = Role.objects.get(slug="mental-health-pharmacist")
    client.force_login(people["curator"])
    url = f"/admin/roles/role/{role.pk}/change/"
    response = post_form(client, url, "role", change_note="Looked it over")
    assert response.status_code == 302 and response["Location"] == url
    assert not Revision.objects.exists()
    assert "You changed nothing" in client.get(url).content.decode()

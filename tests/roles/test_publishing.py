"""The case study publishing workflow: who may make which transition, what is recorded, who sees what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roles import publishing, revisions
from roles.models import CaseStudy, CaseStudyTransition, Revision
from tests.factories import make_case_study, make_user
from tests.helpers import admin_form_data

Status = CaseStudy.Status


@pytest.fixture
def people(db):
    return {
        "curator": make_user("curator", groups=["Curators"], staff=True),
        "publisher": make_user("publisher", groups=["Publishers"], staff=True),
        "author_publisher": make_user("author-publisher", groups=["Curators", "Publishers"], staff=True),
        "superuser": make_user("admin", superuser=True),
    }


SOURCE = {t.name: t.source for t in publishing.TRANSITIONS.values()}
TARGET = {t.name: t.target for t in publishing.TRANSITIONS.values()}

# (transition, actor) -> allowed. The case study is always written by `author_publisher`.
MATRIX = {
    "submit": {"anonymous": False, "curator": True, "publisher": False, "author_publisher": True, "superuser": True},
    "publish": {"anonymous": False, "curator": False, "publisher": True, "author_publisher": False, "superuser": True},
    "send_back": {"anonymous": False, "curator": False, "publisher": True, "author_publisher": True, "superuser": True},
    "archive": {"anonymous": False, "curator": False, "publisher": True, "author_publisher": True, "superuser": True},
    "restore": {"anonymous": False, "curator": False, "publisher": True, "author_publisher": True, "superuser": True},
}
CASES = [(name, actor, allowed) for name, row in MATRIX.items() for actor, allowed in row.items()]


@pytest.mark.parametrize("name,actor,allowed", CASES)
def test_transition_matrix_through_a_crafted_post(client, people, name, actor, allowed):
    case_study = make_case_study(people["author_publisher"], status=SOURCE[name])
    if actor != "anonymous":
        client.force_login(people[actor])
    response = client.post(f"/admin/roles/casestudy/{case_study.pk}/transition/{name}/", {"comment": "Reason given"})
    case_study.refresh_from_db()
    transitions = CaseStudyTransition.objects.filter(case_study=case_study)
    if allowed:
        assert response.status_code == 302
        assert case_study.status == TARGET[name]
        assert transitions.count() == 1
        assert transitions.get().by == people[actor]
    else:
        assert response.status_code in (302, 403, 404)
        assert case_study.status == SOURCE[name]
        assert transitions.count() == 0


def test_get_never_moves_a_case_study(client, people):
    case_study = make_case_study(people["curator"])
    client.force_login(people["curator"])
    response = client.get(f"/admin/roles/casestudy/{case_study.pk}/transition/submit/")
    assert response.status_code == 405
    case_study.refresh_from_db()
    assert case_study.status == Status.DRAFT


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED])
def test_review_cannot_be_skipped(people, status):
    """Only an in-review case study can be published: no route goes round the review."""
    case_study = make_case_study(people["curator"], status=status)
    with pytest.raises(PermissionDenied):
        publishing.apply_transition(case_study=case_study, name="publish", user=people["publisher"])


def test_unknown_transition_is_refused(people):
    case_study = make_case_study(people["curator"])
    with pytest.raises(ValidationError):
        publishing.apply_transition(case_study=case_study, name="approve-everything", user=people["superuser"])


def test_sending_back_needs_a_reason(people):
    case_study = make_case_study(people["curator"], status=Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        publishing.apply_transition(case_study=case_study, name="send_back", user=people["publisher"], comment="  ")
    case_study.refresh_from_db()
    assert case_study.status == Status.IN_REVIEW


def test_last_editor_cannot_publish(people):
    """A publisher who edited someone else's draft is no longer a second pair of eyes."""
    case_study = make_case_study(people["curator"], status=Status.IN_REVIEW)
    case_study.updated_by = people["publisher"]
    case_study.save()
    with pytest.raises(PermissionDenied):
        publishing.apply_transition(case_study=case_study, name="publish", user=people["publisher"])


def test_status_cannot_be_set_through_the_admin_form(client, people):
    case_study = make_case_study(people["curator"])
    client.force_login(people["curator"])
    data = admin_form_data(case_study, title="Edited", status="published", published_by=people["curator"].pk)
    response = client.post(f"/admin/roles/casestudy/{case_study.pk}/change/", data)
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.title == "Edited"
    assert case_study.status == Status.DRAFT
    assert case_study.published_by is None


@pytest.mark.parametrize(
    "status,actor,outcome",
    [
        (Status.DRAFT, "curator", "saved"),
        (Status.IN_REVIEW, "curator", "refused"),
        (Status.IN_REVIEW, "publisher", "refused"),
        # A published story changes only when a second person approves (roles.revisions).
        (Status.PUBLISHED, "curator", "proposed"),
        (Status.PUBLISHED, "publisher", "proposed"),
        (Status.ARCHIVED, "publisher", "refused"),
    ],
)
def test_who_may_edit_content(client, people, status, actor, outcome):
    case_study = make_case_study(people["curator"], status=status)
    client.force_login(people[actor])
    data = admin_form_data(case_study, title="New", change_note="Retitled")
    response = client.post(f"/admin/roles/casestudy/{case_study.pk}/change/", data)
    case_study.refresh_from_db()
    assert (case_study.title == "New") is (outcome == "saved")
    proposals = Revision.objects.filter(object_id=case_study.pk, status=Revision.Status.PENDING)
    assert proposals.count() == (1 if outcome == "proposed" else 0)
    if outcome == "refused":
        assert response.status_code == 403


def test_one_history_record_per_edit_and_per_transition(client, people):
    client.force_login(people["curator"])
    response = client.post("/admin/roles/casestudy/add/", admin_form_data(make_unsaved(), slug="new-story"))
    assert response.status_code == 302
    case_study = CaseStudy.objects.get(slug="new-story")
    assert case_study.created_by == people["curator"]
    assert [(h.history_type, h.history_user) for h in case_study.history.all()] == [("+", people["curator"])]

    client.post(f"/admin/roles/casestudy/{case_study.pk}/change/", admin_form_data(case_study, body="Better body."))
    assert case_study.history.count() == 2
    assert case_study.history.first().history_user == people["curator"]

    client.post(f"/admin/roles/casestudy/{case_study.pk}/transition/submit/", {"comment": ""})
    client.force_login(people["publisher"])
    client.post(f"/admin/roles/casestudy/{case_study.pk}/transition/publish/", {"comment": "Looks good"})
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    assert case_study.published_by == people["publisher"]
    log = list(case_study.transitions.values_list("action", "by__username", "comment"))
    assert log == [("submit", "curator", ""), ("publish", "publisher", "Looks good")]
    assert case_study.history.count() == 4
    assert case_study.history.first().history_user == people["publisher"]

    page = client.get(f"/admin/roles/casestudy/{case_study.pk}/change/")
    assert b"Publishing log" in page.content
    assert b"Looks good" in page.content


def make_unsaved():
    return CaseStudy(
        title="New story",
        slug="new-story",
        organisation="A trust",
        setting=CaseStudy.Setting.INPATIENT,
        year=2025,
        summary="S",
        body="B",
        source_url="https://example.nhs.uk/",
        source_title="T",
    )


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_unpublished_case_studies_are_hidden_from_the_public(client, people, status):
    case_study = make_case_study(people["curator"], status=status, slug="hidden-story")
    assert client.get("/case-studies/hidden-story/").status_code == 404
    assert b"hidden-story" not in client.get("/case-studies/").content
    assert b"hidden-story" not in client.get("/roles/peer-support-worker/").content
    assert b"hidden-story" not in client.get("/").content
    ordinary = make_user("someone")
    client.force_login(ordinary)
    assert client.get("/case-studies/hidden-story/").status_code == 404
    client.force_login(people["curator"])
    preview = client.get(case_study.get_absolute_url())
    assert preview.status_code == 200
    assert b"Preview" in preview.content


def test_published_case_study_appears_everywhere(client, people):
    case_study = make_case_study(people["curator"], status=Status.PUBLISHED, slug="shown-story")
    assert client.get("/case-studies/shown-story/").status_code == 200
    assert b"/case-studies/shown-story/" in client.get("/case-studies/").content
    assert b"/case-studies/shown-story/" in client.get("/case-studies/?role=peer-support-worker").content
    assert b"/case-studies/shown-story/" not in client.get("/case-studies/?setting=inpatient").content
    assert b"/case-studies/shown-story/" in client.get("/roles/peer-support-worker/").content
    assert case_study.get_absolute_url().encode() in client.get("/").content


def test_an_old_version_can_be_read_but_never_reverted_to(client, people):
    """Reverting through the history page would bring back an old status without the workflow."""
    case_study = make_case_study(people["curator"], status=Status.IN_REVIEW)
    publishing.apply_transition(case_study=case_study, name="publish", user=people["publisher"])
    publishing.apply_transition(case_study=case_study, name="archive", user=people["publisher"])
    published = case_study.history.filter(status=Status.PUBLISHED).order_by("history_date").first()
    url = f"/admin/roles/casestudy/{case_study.pk}/history/{published.history_id}/"
    records = case_study.history.count()
    for actor in ("curator", "publisher", "superuser"):
        client.force_login(people[actor])
        assert client.get(url).status_code == 200
        response = client.post(url, admin_form_data(case_study))
        assert response.status_code == 403, actor
    case_study.refresh_from_db()
    assert case_study.status == Status.ARCHIVED
    assert case_study.history.count() == records


def test_a_long_comment_is_kept_whole_in_the_log(people):
    case_study = make_case_study(people["curator"], status=Status.IN_REVIEW)
    reason = "The quotes need the consent of the people named, and the figures need a source. " * 4
    publishing.apply_transition(case_study=case_study, name="send_back", user=people["publisher"], comment=reason)
    case_study.refresh_from_db()
    assert case_study.status == Status.DRAFT
    assert case_study.transitions.get().comment == reason.strip()
    change_reason = case_study.history.first().history_change_reason
    assert change_reason.startswith("Send back to draft: The quotes need")
    assert len(change_reason) == publishing.CHANGE_REASON_LENGTH


PUBLIC_URLS = [
    "/",
    "/case-studies/",
    "/case-studies/?role=peer-support-worker",
    "/case-studies/?setting=community",
    "/roles/peer-support-worker/",
]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
@pytest.mark.parametrize("actor", ["anonymous", "curator", "publisher", "author_publisher", "superuser"])
def test_lists_show_only_published_case_studies_to_everyone(client, people, actor, status):
    """Lists are the public view for everybody; staff see an unpublished story only through its own preview."""
    case_study = make_case_study(people["author_publisher"], status=status, slug="hidden-story")
    if actor != "anonymous":
        client.force_login(people[actor])
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"/case-studies/hidden-story/" not in response.content, (actor, url)
    preview = client.get(case_study.get_absolute_url())
    assert preview.status_code == (404 if actor == "anonymous" else 200)
    if actor != "anonymous":
        assert b"Preview" in preview.content


def test_a_change_to_a_published_story_says_what_and_why(client, people):
    case_study = make_case_study(people["curator"], status=Status.PUBLISHED)
    client.force_login(people["publisher"])
    url = f"/admin/roles/casestudy/{case_study.pk}/change/"
    records = case_study.history.count()

    refused = client.post(url, admin_form_data(case_study, body="Corrected body."))
    assert refused.status_code == 200
    assert "Say what you changed and why" in refused.content.decode()
    assert 'value="Corrected body."' in refused.content.decode() or "Corrected body." in refused.content.decode()
    case_study.refresh_from_db()
    assert case_study.body == "Body text."
    assert case_study.history.count() == records

    proposed = client.post(url, admin_form_data(case_study, body="Corrected body.", change_note="Fixed the team size"))
    assert proposed.status_code == 302
    case_study.refresh_from_db()
    assert case_study.body == "Body text."
    revision = Revision.objects.get(object_id=case_study.pk, status=Revision.Status.PENDING)
    assert revision.note == "Fixed the team size"

    second = make_user("second-publisher", groups=["Publishers"], staff=True)
    revisions.approve(revision=revision, user=second)
    case_study.refresh_from_db()
    assert case_study.body == "Corrected body."
    latest = case_study.history.first()
    assert (latest.history_user, latest.history_change_reason) == (second, "Proposed by publisher: Fixed the team size")
    assert "Fixed the team size" in client.get(url).content.decode()


def test_a_draft_may_be_edited_without_a_note_and_a_note_is_kept(client, people):
    case_study = make_case_study(people["curator"])
    client.force_login(people["curator"])
    url = f"/admin/roles/casestudy/{case_study.pk}/change/"
    assert client.post(url, admin_form_data(case_study, body="Second draft.")).status_code == 302
    assert case_study.history.first().history_change_reason is None
    assert client.post(url, admin_form_data(case_study, body="Third.", change_note="Shorter")).status_code == 302
    assert case_study.history.first().history_change_reason == "Shorter"


def test_an_archived_story_and_its_history_are_read_only_for_a_curator(client, people):
    case_study = make_case_study(people["curator"], status=Status.ARCHIVED)
    client.force_login(people["curator"])
    page = client.get(f"/admin/roles/casestudy/{case_study.pk}/change/")
    assert page.status_code == 200
    assert b'name="change_note"' not in page.content
    version = case_study.history.first().history_id
    assert client.get(f"/admin/roles/casestudy/{case_study.pk}/history/{version}/").status_code == 200

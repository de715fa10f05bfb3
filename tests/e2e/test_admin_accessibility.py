"""The Django admin pages curators and publishers use, run through axe-core (WCAG 2.2 A and AA) with JavaScript on:
the index, each catalogue changelist (with its filters), the change forms (with their inlines and two-box
selectors), the add form, the history pages and a revision waiting for approval. The portal's fixes are in
templates/admin/ and static/css/admin.css, static/js/admin-fixes.js; what is left is in the accessibility statement.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from roles import revisions
from roles.models import CaseStudy, Role
from tests.factories import make_user
from tests.helpers import assert_accessible
from tests.mfa import admin_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-9Z"


@pytest.fixture
def catalogue(site):
    """Cara curates, Pat publishes; a published case study with a change of Cara's waiting for approval."""
    cara = make_user("cara", groups=["Curators"], staff=True, password=PASSWORD)
    make_user("pat", groups=["Publishers"], staff=True, password=PASSWORD)
    story = CaseStudy.objects.create(
        title="Peer support in the crisis team",
        slug="peer-support-in-the-crisis-team",
        organisation="Demo Northfield Mental Health NHS Foundation Trust",
        setting=CaseStudy.Setting.CRISIS,
        year=2025,
        summary="Two peer support workers joined the crisis team.",
        body="They visit people at home with a nurse.",
        source_url="https://example.org/crisis-team",
        source_title="Trust annual report",
        created_by=cara,
        updated_by=cara,
        status=CaseStudy.Status.PUBLISHED,
    )
    story.roles.add(Role.objects.get(slug="peer-support-worker"))
    story.title = "Peer support workers in the crisis team, two years on"
    proposed = revisions.proposal_from(instance=story, fields=["title"], m2m={}, inlines=[])
    revision = revisions.propose(instance=story, proposed=proposed, user=cara, note="Two-year update")
    return {"story": story, "revision": revision, "role": Role.objects.get(slug="mental-health-nurse")}


def admin_pages(catalogue, who) -> list[str]:
    """The pages `who` works on: curators add and change content; publishers review and approve it."""
    story, revision, role = catalogue["story"], catalogue["revision"], catalogue["role"]
    adding = [reverse("admin:roles_casestudy_add")] if who == "cara" else []
    return [
        *adding,
        reverse("admin:index"),
        reverse("admin:roles_role_changelist"),
        reverse("admin:roles_role_change", args=[role.pk]),
        reverse("admin:roles_role_history", args=[role.pk]),
        reverse("admin:roles_casestudy_changelist"),
        reverse("admin:roles_casestudy_change", args=[story.pk]),
        reverse("admin:roles_casestudy_history", args=[story.pk]),
        reverse("admin:roles_resource_changelist"),
        reverse("admin:roles_revision_changelist") + "?status__exact=pending",
        reverse("admin:roles_revision_change", args=[revision.pk]),
    ]


def check(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    # static/js/admin-fixes.js names the two-box selectors' icons once the selectors are built.
    page.wait_for_function("() => !document.querySelector('span.help-tooltip[aria-label]:not([role])')")
    assert_accessible(page)


@pytest.mark.parametrize("who", ["cara", "pat"])
def test_the_admin_pages_curators_and_publishers_use_pass_axe(new_context, catalogue, who):
    page = admin_log_in(new_context(), who, PASSWORD)
    for url in admin_pages(catalogue, who):
        check(page, url)


def test_a_changelist_filtered_and_an_inline_row_added_still_pass_axe(new_context, catalogue):
    page = admin_log_in(new_context(), "cara", PASSWORD)
    check(page, reverse("admin:roles_role_changelist") + "?registered__exact=1")
    check(page, reverse("admin:roles_role_change", args=[catalogue["role"].pk]))
    page.locator(".add-row a").first.click()  # a new inline row, built by the admin's JavaScript
    expect(page.locator("tr.dynamic-role_capabilities, tr.dynamic-sources").first).to_be_visible()
    assert_accessible(page)


def test_the_accessibility_statement_says_what_was_tested_in_the_admin(page, site):
    page.goto(reverse("accessibility"))
    statement = page.locator("main")
    expect(statement).to_contain_text("administration pages curators and publishers use")
    expect(statement).to_contain_text("2.5.8 (target size, minimum)")
    assert_accessible(page)

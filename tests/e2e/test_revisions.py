"""A change to a published case study in a real browser: a publisher rewrites it in the admin, the public page keeps
the published text, a second publisher reads the difference and approves it, and only then does the public page
change. axe-core checks the public page before and after.

The admin steps run with JavaScript off (see test_publishing.py); axe needs JavaScript on, so the public page is
checked in a context that has it.
"""

import re

import pytest
from playwright.sync_api import expect

from roles.models import CaseStudy, Role
from tests.factories import make_user
from tests.helpers import assert_accessible
from tests.mfa import admin_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-7Q"
SLUG = "published-story-under-revision"
OLD_TITLE = "Peer support in the crisis team"
NEW_TITLE = "Peer support workers in the crisis team, two years on"


@pytest.fixture
def published(site):
    def member(username, group):
        return make_user(username, groups=[group], staff=True, password=PASSWORD)

    cara = member("cara", "Curators")
    member("pat", "Publishers")
    member("sam", "Publishers")
    case_study = CaseStudy.objects.create(
        title=OLD_TITLE,
        slug=SLUG,
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
    case_study.roles.add(Role.objects.get(slug="peer-support-worker"))
    return case_study


def test_a_publisher_approves_a_change_to_a_published_case_study_and_only_then_it_goes_live(new_context, published):
    public = new_context().new_page()
    public.goto(f"/case-studies/{SLUG}/")
    expect(public.get_by_role("heading", level=1)).to_have_text(OLD_TITLE)

    # Pat rewrites the published story: it becomes a change waiting for approval.
    pat = admin_log_in(new_context(java_script_enabled=False), "pat", PASSWORD)
    pat.goto(f"/admin/roles/casestudy/{published.pk}/change/")
    pat.locator("#id_title").fill(NEW_TITLE)
    pat.locator("#id_body").fill("They visit people at home with a nurse, and now run a weekly group.")
    pat.locator("#id_change_note").fill("Two-year update from the trust")
    pat.locator("input[name=_save]").click()
    expect(pat.locator(".messagelist")).to_contain_text("waits for a publisher to approve it")
    expect(pat.locator("main, #content").first).to_contain_text("You proposed this change")
    revision_url = pat.url

    # The public page still shows the published version.
    public.reload()
    expect(public.get_by_role("heading", level=1)).to_have_text(OLD_TITLE)
    expect(public.locator("main")).not_to_contain_text("weekly group")
    assert_accessible(public)

    # Sam, a second publisher, finds it among the changes waiting, reads the difference and approves it.
    sam = admin_log_in(new_context(java_script_enabled=False), "sam", PASSWORD)
    sam.goto("/admin/roles/revision/?status__exact=pending")
    sam.get_by_role("link", name=re.compile(OLD_TITLE)).click()
    expect(sam).to_have_url(re.compile("^" + re.escape(revision_url)))
    changes = sam.locator("#revision-changes")
    expect(changes.get_by_role("row", name=re.compile("^Title"))).to_contain_text(OLD_TITLE)
    expect(changes.get_by_role("row", name=re.compile("^Title"))).to_contain_text(NEW_TITLE)
    expect(changes).to_contain_text("weekly group")
    sam.locator("#comment-approve").fill("Checked against the trust's report")
    sam.locator("input[name=_approve]").click()
    expect(sam.locator(".messagelist")).to_contain_text("approved: the site now shows it")

    # Now, and only now, the public page changes.
    public.reload()
    expect(public.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    expect(public.locator("main")).to_contain_text("weekly group")
    assert_accessible(public)

    # The case study's admin page names both people.
    sam.goto(f"/admin/roles/casestudy/{published.pk}/change/")
    log = sam.locator("fieldset", has=sam.get_by_role("heading", name="Changes and approvals"))
    expect(log).to_contain_text("proposed by pat, approved by sam (Two-year update from the trust)")

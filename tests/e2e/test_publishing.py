"""Case studies in a real browser: a curator writes one in the admin and submits it, a second person publishes it,
and it appears on the role profile; axe-core finds no WCAG 2.2 A/AA problem on the public content pages or on the
curator's preview.

The admin steps run with JavaScript off, so the roles field is the plain multiple select the admin falls back to
(with JavaScript on it becomes a two-box widget); axe needs JavaScript on (see tests/helpers.py), so the public pages
are checked in contexts that have it.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_user
from tests.helpers import assert_accessible
from tests.mfa import admin_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-7Q"
TITLE = "Peer support workers in a crisis team"
SLUG = "peer-support-workers-crisis-team-test"
CONTENT_PAGES = {
    "case-studies": "/case-studies/",
    "case-studies-filtered": "/case-studies/?setting=secure",
    "case-study": "/case-studies/pharmacy-technician-secure-care-birmingham-and-solihull/",
    "resources": "/resources/",
    "resources-filtered": "/resources/?kind=report",
}


@pytest.fixture
def staff(site):
    """Cara in Curators, Pat in Publishers: the groups the migration makes, with their permissions."""

    return (
        make_user("cara", groups=["Curators"], staff=True, password=PASSWORD),
        make_user("pat", groups=["Publishers"], staff=True, password=PASSWORD),
    )


def publishing(page):
    """The change page's Publishing box: the status and a form for each step the user may take."""
    return page.locator("fieldset", has=page.get_by_role("heading", name="Publishing", exact=True))


def take_step(page, label, comment=""):
    form = publishing(page).locator("form", has=page.locator(f"input[type=submit][value='{label}']"))
    if comment:
        form.locator("textarea").fill(comment)
    form.locator("input[type=submit]").click()


def test_a_curator_writes_and_submits_a_publisher_publishes_and_it_appears_on_the_role_profile(new_context, staff):
    # The curator writes a draft.
    curator = admin_log_in(new_context(java_script_enabled=False), "cara", PASSWORD)
    curator.goto("/admin/roles/casestudy/add/")
    curator.locator("#id_title").fill(TITLE)
    curator.locator("#id_slug").fill(SLUG)
    curator.locator("#id_organisation").fill("Demo Northfield Mental Health NHS Foundation Trust")
    curator.locator("#id_roles").select_option(label="Peer support worker")
    curator.locator("#id_setting").select_option(label="Crisis care")
    curator.locator("#id_year").fill("2026")
    curator.locator("#id_summary").fill("Two peer support workers joined the crisis team.")
    curator.locator("#id_body").fill("They visit people at home with a nurse and keep in touch after the crisis.")
    curator.locator("#id_source_url").fill("https://example.org/crisis-team-peer-support")
    curator.locator("#id_source_title").fill("Trust annual report")
    curator.locator("input[name=_continue]").click()
    expect(curator.locator(".messagelist")).to_contain_text("was added successfully")
    expect(publishing(curator)).to_contain_text("Status: Draft")

    # Until it is published the public sees nothing, and the role profile does not list it.
    anonymous = new_context().new_page()
    assert anonymous.goto(f"/case-studies/{SLUG}/").status == 404
    anonymous.goto("/roles/peer-support-worker/")
    expect(anonymous.get_by_role("link", name=TITLE)).to_have_count(0)

    # The curator previews the draft as it will look, then submits it.
    preview_context = new_context()
    admin_log_in(preview_context, "cara", PASSWORD)
    preview = preview_context.new_page()
    assert preview.goto(f"/case-studies/{SLUG}/").status == 200
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(preview.locator(".nhsuk-warning-callout")).to_contain_text("Preview")
    assert_accessible(preview)
    # A curator may not publish, so the only step offered is submitting.
    expect(publishing(curator).locator("input[type=submit]")).to_have_count(1)
    expect(publishing(curator).locator("input[type=submit]")).to_have_value("Submit for review")
    take_step(curator, "Submit for review", "Ready for review")
    expect(publishing(curator)).to_contain_text("Status: In review")
    expect(publishing(curator)).to_contain_text("There is no publishing step you can take on this case study now.")

    # A second person publishes it; the publishing log names both steps and both people.
    publisher = admin_log_in(new_context(java_script_enabled=False), "pat", PASSWORD)
    publisher.goto("/admin/roles/casestudy/")
    publisher.get_by_role("link", name=TITLE).click()
    expect(publishing(publisher)).to_contain_text("Status: In review")
    take_step(publisher, "Publish", "Checked against the source")
    expect(publisher.locator(".messagelist")).to_contain_text("is now published")
    expect(publishing(publisher)).to_contain_text("Status: Published")
    log = publisher.locator(".inline-group", has_text="Publishing log")
    expect(log).to_contain_text("cara")
    expect(log).to_contain_text("Ready for review")
    expect(log).to_contain_text("pat")
    expect(log).to_contain_text("Checked against the source")

    # Now anyone can read it, and it is listed on the role profile and the case studies page.
    anonymous.goto("/roles/peer-support-worker/")
    anonymous.get_by_role("link", name=TITLE).click()
    expect(anonymous).to_have_url(re.compile(rf"/case-studies/{SLUG}/$"))
    expect(anonymous.locator(".nhsuk-warning-callout")).to_have_count(0)
    expect(anonymous.get_by_role("link", name="Peer support worker")).to_be_visible()
    assert_accessible(anonymous)
    anonymous.goto("/case-studies/?setting=crisis")
    expect(anonymous.get_by_role("link", name=TITLE)).to_be_visible()


@pytest.mark.parametrize("url", CONTENT_PAGES.values(), ids=CONTENT_PAGES.keys())
def test_content_page_is_accessible(page, url):
    response = page.goto(url)
    assert response.status == 200
    assert_accessible(page)

"""The open data pages and the API token pages in a real browser: axe-core finds no WCAG 2.2 A/AA problem, the
Content Security Policy blocks nothing, and a lead makes a token, uses it, and revokes it."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from planning.models import Membership, Organisation
from tests.helpers import assert_accessible, record_csp_violations
from tests.mfa import pass_two_step

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-4K"


@pytest.fixture
def lead(site):
    north = Organisation.objects.create(
        name="Northshire Mental Health NHS Foundation Trust", slug="northshire", ods_code="RX1", kind="trust"
    )
    user = User.objects.create_user("lena", password=PASSWORD)
    Membership.objects.create(user=user, organisation=north, access=Membership.Access.LEAD)
    return user


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/open-data/"])
def test_open_data_pages_are_accessible(page, url):
    csp_violations = record_csp_violations(page)
    response = page.goto(url)
    assert response.status == 200
    assert_accessible(page)
    assert not csp_violations


def test_the_docs_page_documents_every_operation(page):
    page.goto("/api/v1/docs/")
    headings = page.locator("h3 code").all_inner_texts()
    assert "GET /api/v1/roles/" in headings
    assert "GET /api/v1/plans/{id}/results/" in headings
    assert "GET /api/v1/downloads/catalogue.zip" in headings


def test_a_lead_makes_uses_and_revokes_a_token(page, lead):
    csp_violations = record_csp_violations(page)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_step(page, "lena")  # a workforce lead sets up an authenticator app the first time
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("link", name="API tokens").click()  # in the header, for anyone signed in
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    assert_accessible(page)
    page.get_by_role("link", name="Create a token").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create token").click()  # no name: an error
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter what the token is for")
    assert_accessible(page)
    page.get_by_label("What is the token for?").fill("Power BI report")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API token")
    assert_accessible(page)
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("nwwmh_")

    api = page.request.get("/api/v1/plans/", headers={"Authorization": f"Bearer {secret}"})
    assert api.status == 200

    page.goto("/account/tokens/")
    expect(page.locator("table")).to_contain_text("Power BI report")
    assert secret not in page.content()
    page.get_by_role("link", name="Power BI report", exact=True).click()
    expect(page.locator("table")).to_contain_text("GET /api/v1/plans/")
    assert_accessible(page)
    page.get_by_role("link", name="Revoke this token").click()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("has been revoked")
    assert_accessible(page)
    assert page.request.get("/api/v1/plans/", headers={"Authorization": f"Bearer {secret}"}).status == 401
    assert not csp_violations

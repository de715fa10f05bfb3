"""Two-step verification in the browser: a lead sets up an app, saves recovery codes, logs in again with a code and
with a recovery code, and makes new codes; every page (errors included) passes axe, and the rate-limit page too."""

import re

import pytest
from playwright.sync_api import expect

from nwwmh_portal import mfa
from tests.factories import add_member, make_organisation, make_user
from tests.helpers import assert_accessible
from tests.mfa import app_code

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-4K"


@pytest.fixture
def lead(site):
    user = make_user("lena", password=PASSWORD)
    add_member(user, make_organisation("Northshire", "northshire-e2e", "RE1"))
    return user


def h1(page):
    return page.get_by_role("heading", level=1)


def password_step(page, username="lena"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_lead_sets_up_two_step_verification_and_uses_it(page, lead):
    password_step(page)
    expect(h1(page)).to_have_text("Set up two-step verification")
    assert_accessible(page)
    key = page.locator("#secret-key").inner_text()
    assert key == mfa.secret_key_text(mfa.app_device(lead, confirmed=False))

    code = page.get_by_label("Code from your authenticator app")
    code.fill("000000")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The code is not correct")
    expect(summary).to_be_focused()
    summary.get_by_role("link").click()
    expect(code).to_be_focused()
    assert_accessible(page)

    page.wait_for_timeout(1100)  # the delay after a wrong code
    code.fill(app_code(mfa.app_device(lead, confirmed=False)))
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("Save your recovery codes")
    codes = page.locator(".app-recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page).to_have_url(re.compile(r"/planning/$"))

    # Next time: the code from the app.
    page.get_by_role("button", name="Log out").click()
    password_step(page)
    expect(h1(page)).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the 6-digit code from your authenticator app")
    assert_accessible(page)

    # Or a recovery code.
    page.get_by_role("link", name="Use a recovery code").click()
    expect(h1(page)).to_have_text("Use a recovery code")
    assert_accessible(page)
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("You used a recovery code")
    expect(page.get_by_text("You have 9 recovery codes left")).to_be_visible()
    assert_accessible(page)

    page.goto("/accounts/mfa/recovery-codes/")
    expect(h1(page)).to_have_text("Recovery codes")
    assert_accessible(page)
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(h1(page)).to_have_text("Save your recovery codes")
    assert not set(page.locator(".app-recovery-codes li").all_inner_texts()) & set(codes)


def test_the_rate_limit_page_is_accessible(page, lead, settings):
    settings.NWWMH_LOGIN_IP_LIMIT = 1
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("someone")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    password_step(page)
    expect(h1(page)).to_have_text("Too many attempts to log in from this network")
    expect(page.get_by_text("Try again in")).to_be_visible()
    assert_accessible(page)

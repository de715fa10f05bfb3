"""Two-step verification (issue 11, finding 4): staff and workforce leads must pass a TOTP code (or a recovery code)
after their password, in the workspace and the admin; the first login asks them to set up an authenticator app."""

import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwwmh_portal import mfa
from planning.models import Membership, Organisation
from tests.helpers import assert_csp_safe, error_summary
from tests.mfa import app_code, enrol

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "lead-password-for-tests-7Q"
LOGIN = "/accounts/login/"
SETUP = "/accounts/mfa/setup/"
VERIFY = "/accounts/mfa/verify/"
RECOVERY = "/accounts/mfa/recovery/"
CODES = "/accounts/mfa/recovery-codes/"


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Northshire Trust", slug="northshire-mfa", ods_code="RM1", kind="trust")


def member(username, organisation, access):
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, access=access)
    return user


@pytest.fixture
def lead(organisation):
    return member("lead", organisation, Membership.Access.LEAD)


@pytest.fixture
def viewer(organisation):
    return member("viewer", organisation, Membership.Access.VIEWER)


@pytest.fixture
def curator(db):
    return User.objects.create_user("curator", password=PASSWORD, is_staff=True)


def log_in(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(LOGIN, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def enrol_through_the_page(client, user, next_url="/planning/"):
    page = client.get(f"{SETUP}?next={next_url}")
    assert page.status_code == 200
    device = mfa.app_device(user, confirmed=False)
    response = client.post(SETUP, {"code": app_code(device), "next": next_url})
    assert response.status_code == 200
    codes = re.findall(r"<li><strong>([a-z2-7]{4}-[a-z2-7]{4})</strong></li>", response.content.decode())
    return response, codes


# --- who must verify ---------------------------------------------------------------------------------------------


def test_who_needs_two_step_verification(lead, viewer, curator, organisation):
    superuser = User.objects.create_superuser("root", "root@nhs.example", PASSWORD)
    plain = User.objects.create_user("plain")
    assert mfa.mfa_required(lead)
    assert mfa.mfa_required(curator)
    assert mfa.mfa_required(superuser)
    assert not mfa.mfa_required(viewer)
    assert not mfa.mfa_required(plain)
    # A viewer made a lead needs it from then on.
    Membership.objects.filter(user=viewer).update(access=Membership.Access.LEAD)
    assert mfa.mfa_required(viewer)


def test_a_leads_first_login_asks_them_to_set_up_an_app(client, lead):
    assert log_in(client, "lead")["Location"] == "/planning/"
    response = client.get("/planning/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/planning/"
    # Every other page waits too, the admin and the account pages included.
    for url in ["/planning/teams/1/", "/accounts/password_change/", "/admin/", "/roles/"]:
        assert client.get(url)["Location"].startswith(SETUP), url


def test_a_viewer_logs_in_with_a_password_alone(client, viewer):
    log_in(client, "viewer")
    assert client.get("/planning/").status_code == 200


def test_the_admin_needs_a_verified_session(client, curator):
    log_in(client, "curator", next_url="/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == f"{SETUP}?next=/admin/"
    assert client.get("/admin/roles/role/")["Location"].startswith(SETUP)
    enrol(curator)
    client.post("/accounts/logout/")
    log_in(client, "curator", next_url="/admin/")
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=/admin/"
    response = client.post(VERIFY, {"code": app_code(mfa.app_device(curator)), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_force_login_in_tests_verifies_and_can_be_told_not_to(client, curator):
    client.force_login(curator)
    assert client.get("/admin/").status_code == 200
    client.logout()
    client.force_login(curator, verified=False)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


# --- setting up an app -------------------------------------------------------------------------------------------


def test_the_setup_page_shows_the_key_and_a_setup_link(client, lead):
    log_in(client, "lead")
    response = client.get(f"{SETUP}?next=/planning/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Set up two-step verification</h1>" in html
    device = mfa.app_device(lead, confirmed=False)
    assert mfa.secret_key_text(device) in html
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", mfa.secret_key_text(device))
    assert 'href="otpauth://totp/NWWMH%20Portal%3Alead?secret=' in html
    assert re.search(r'id="id_code" name="code" type="text" autocomplete="one-time-code"', html)
    assert 'name="next" value="/planning/"' in html
    assert_csp_safe(html)
    # Reloading keeps the same secret until a code confirms it.
    client.get(SETUP)
    assert mfa.app_device(lead, confirmed=False).pk == device.pk


def test_setup_errors_are_in_the_error_summary_and_on_the_field(client, lead):
    log_in(client, "lead")
    client.get(SETUP)
    empty = client.post(SETUP, {"code": ""}).content.decode()
    assert '<a href="#id_code">Enter the 6-digit code from your authenticator app</a>' in error_summary(empty)
    assert "nhsuk-form-group--error" in empty and 'aria-describedby="id_code-hint id_code-error"' in empty
    assert "<title>Error: Set up two-step verification" in empty
    letters = client.post(SETUP, {"code": "12ab56"}).content.decode()
    assert '<a href="#id_code">Enter the code in the correct format: 6 digits, like 123456</a>' in error_summary(
        letters
    )
    wrong = client.post(SETUP, {"code": "000000"}).content.decode()
    assert '<a href="#id_code">The code is not correct' in error_summary(wrong)
    assert not TOTPDevice.objects.filter(user=lead, confirmed=True).exists()
    assert client.get("/planning/").status_code == 302


def test_setting_up_an_app_verifies_the_session_and_shows_recovery_codes_once(client, lead):
    log_in(client, "lead")
    response, codes = enrol_through_the_page(client, lead)
    html = response.content.decode()
    assert "<h1>Save your recovery codes</h1>" in html
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/planning/">I have saved my recovery codes</a>' in html
    assert_csp_safe(html)
    assert client.get("/planning/").status_code == 200
    assert TOTPDevice.objects.filter(user=lead, confirmed=True).count() == 1
    assert mfa.recovery_codes_left(lead) == 10


def test_the_next_login_asks_for_a_code_and_a_code_works_once(client, lead):
    log_in(client, "lead")
    enrol_through_the_page(client, lead)
    client.post("/accounts/logout/")
    log_in(client, "lead", next_url="/planning/teams/")
    assert client.get("/planning/teams/")["Location"] == f"{VERIFY}?next=/planning/teams/"
    page = client.get(f"{VERIFY}?next=/planning/").content.decode()
    assert "<h1>Enter the code from your authenticator app</h1>" in page
    assert 'href="/accounts/mfa/recovery/?next=/planning/"' in page
    assert_csp_safe(page)
    code = app_code(mfa.app_device(lead))
    response = client.post(VERIFY, {"code": code, "next": "/planning/"})
    assert response.status_code == 302 and response["Location"] == "/planning/"
    assert client.get("/planning/").status_code == 200
    # The same code, from another session a moment later, is refused.
    client.post("/accounts/logout/")
    log_in(client, "lead")
    wrong = client.post(VERIFY, {"code": code, "next": "/planning/"})
    assert "The code is not correct" in error_summary(wrong.content.decode())
    assert client.get("/planning/").status_code == 302


def test_a_password_alone_cannot_replace_the_app(client, lead):
    device = enrol(lead)
    log_in(client, "lead")
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    response = client.post(SETUP, {"code": "123456"})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=lead).values_list("pk", flat=True)) == [device.pk]


def test_a_verified_user_can_set_up_a_new_app_which_replaces_the_old(client, lead):
    old = enrol(lead)
    client.force_login(lead)
    html = client.get(SETUP).content.decode()
    assert "it replaces the app you use now" in html
    new = mfa.app_device(lead, confirmed=False)
    client.post(SETUP, {"code": app_code(new)})
    assert list(TOTPDevice.objects.filter(user=lead).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_wrong_codes_are_slowed_down(client, lead):
    enrol(lead)
    log_in(client, "lead")
    assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    throttled = client.post(VERIFY, {"code": "000001"})
    assert throttled.status_code == 429
    assert '<a href="#id_code">Too many wrong codes. Wait' in error_summary(throttled.content.decode())
    # Even the right code waits until the delay is over (three failures in a row: four seconds).
    device = mfa.app_device(lead)
    right_code = app_code(device)  # (the helper clears the delay: set it again)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    assert client.post(VERIFY, {"code": right_code}).status_code == 429
    assert client.get("/planning/").status_code == 302


# --- recovery codes ----------------------------------------------------------------------------------------------


def test_a_recovery_code_works_once(client, lead):
    log_in(client, "lead")
    _, codes = enrol_through_the_page(client, lead)
    client.post("/accounts/logout/")
    log_in(client, "lead")
    page = client.get(f"{RECOVERY}?next=/planning/").content.decode()
    assert "<h1>Use a recovery code</h1>" in page
    assert_csp_safe(page)
    response = client.post(RECOVERY, {"code": codes[0].upper().replace("-", " "), "next": "/planning/"})
    html = response.content.decode()
    assert response.status_code == 200 and "You have 9 recovery codes left" in html
    assert client.get("/planning/").status_code == 200
    client.post("/accounts/logout/")
    log_in(client, "lead")
    again = client.post(RECOVERY, {"code": codes[0]})
    assert "has been used" in error_summary(again.content.decode())
    assert client.get("/planning/").status_code == 302


def test_recovery_code_form_errors(client, lead):
    enrol(lead)
    log_in(client, "lead")
    empty = client.post(RECOVERY, {"code": ""}).content.decode()
    assert '<a href="#id_code">Enter one of your recovery codes</a>' in error_summary(empty)
    short = client.post(RECOVERY, {"code": "abc"}).content.decode()
    assert '<a href="#id_code">Enter the recovery code in the correct format' in error_summary(short)


def test_new_recovery_codes_replace_the_old_ones(client, lead):
    log_in(client, "lead")
    _, old_codes = enrol_through_the_page(client, lead)
    page = client.get(CODES).content.decode()
    assert "You have 10 recovery codes left" in page
    assert_csp_safe(page)
    response = client.post(CODES)
    new_codes = re.findall(r"<li><strong>([a-z2-7]{4}-[a-z2-7]{4})</strong></li>", response.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    tokens = set(StaticToken.objects.filter(device__user=lead).values_list("token", flat=True))
    assert tokens == {code.replace("-", "") for code in new_codes}


def test_making_new_recovery_codes_needs_a_verified_session(client, lead):
    enrol(lead)
    log_in(client, "lead")
    response = client.post(CODES)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert not StaticToken.objects.filter(device__user=lead).exists()


def test_next_must_stay_on_the_site(client, lead):
    enrol(lead)
    log_in(client, "lead")
    response = client.post(VERIFY, {"code": app_code(mfa.app_device(lead)), "next": "https://evil.example/"})
    assert response["Location"] == "/planning/"


def test_the_password_page_links_to_the_two_step_pages_once_verified(client, lead, viewer):
    client.force_login(lead)
    html = client.get("/accounts/password_change/").content.decode()
    assert 'href="/accounts/mfa/recovery-codes/"' in html and 'href="/accounts/mfa/setup/"' in html
    client.force_login(viewer)
    assert "/accounts/mfa/" not in client.get("/accounts/password_change/").content.decode()

"""Rate limits (issue 11, finding 5): password reset emails per address and per client, failed logins per client
address across usernames and per username across addresses, and wrong current passwords on password change.

The attacks the issue measured: 20 reset requests for one user sent 20 emails; 30 usernames tried from one address
and 8 wrong old passwords on password change were never blocked."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core import mail

from nwwmh_portal.models import SecurityEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "lead-password-for-tests-7Q"
NEW_PASSWORD = "a-brand-new-password-3X"


@pytest.fixture
def lead(db):
    return User.objects.create_user("lead", email="lead@nhs.example", password=PASSWORD)


def assert_refused(response, title):
    assert response.status_code == 429
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert int(response["Retry-After"]) > 0
    assert "Try again in" in html


# --- password reset -----------------------------------------------------------------------------------------------


def test_twenty_reset_requests_for_one_address_send_three_emails(client, lead):
    statuses = [
        client.post("/accounts/password_reset/", {"email": "Lead@NHS.example"}, REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(20)
    ]
    assert len(mail.outbox) == django_settings.NWWMH_PASSWORD_RESET_LIMIT == 3
    assert statuses[:3] == [302] * 3
    assert statuses[3:] == [429] * 17
    refused = client.post("/accounts/password_reset/", {"email": "lead@nhs.example"})
    assert_refused(refused, "Too many password reset requests")


def test_unknown_addresses_are_limited_the_same_way(client, lead):
    """So a 429 says nothing about whether an account exists."""
    for _ in range(3):
        assert client.post("/accounts/password_reset/", {"email": "nobody@nhs.example"}).status_code == 302
    assert client.post("/accounts/password_reset/", {"email": "nobody@nhs.example"}).status_code == 429


def test_one_client_cannot_ask_for_resets_for_many_addresses(client, lead):
    limit = django_settings.NWWMH_PASSWORD_RESET_IP_LIMIT
    for n in range(limit):
        assert client.post("/accounts/password_reset/", {"email": f"person{n}@nhs.example"}).status_code == 302
    assert client.post("/accounts/password_reset/", {"email": "lead@nhs.example"}).status_code == 429
    assert mail.outbox == []
    # Someone else, elsewhere, is not affected.
    response = client.post("/accounts/password_reset/", {"email": "lead@nhs.example"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302 and len(mail.outbox) == 1


# --- login --------------------------------------------------------------------------------------------------------


def log_in(client, username, password, ip="127.0.0.1", path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_thirty_usernames_from_one_address_are_stopped(client, lead):
    statuses = [log_in(client, f"user{n}", "wrong-password").status_code for n in range(30)]
    limit = django_settings.NWWMH_LOGIN_IP_LIMIT
    assert statuses[:limit] == [200] * limit
    assert statuses[limit:] == [429] * (30 - limit)
    # Even a right password, for an account never tried, waits.
    refused = log_in(client, "lead", PASSWORD)
    assert_refused(refused, "Too many attempts to log in from this network")
    assert "_auth_user_id" not in client.session
    # The admin's login form is limited too.
    assert log_in(client, "lead", PASSWORD, path="/admin/login/").status_code == 429
    # Other addresses are not.
    assert log_in(client, "lead", PASSWORD, ip="10.2.2.2").status_code == 302


def test_one_username_from_many_addresses_is_stopped(client, lead):
    limit = django_settings.NWWMH_LOGIN_USERNAME_LIMIT
    for n in range(limit):
        assert log_in(client, "lead", f"wrong-{n}", ip=f"10.3.{n}.1").status_code == 200, n
    refused = log_in(client, "lead", PASSWORD, ip="10.9.9.9")
    assert_refused(refused, "Too many attempts to log in")
    # Other usernames from those addresses are fine.
    User.objects.create_user("viewer", password=PASSWORD)
    assert log_in(client, "viewer", PASSWORD, ip="10.3.1.1").status_code == 302


def test_setting_a_new_password_lifts_the_username_limit(client, lead):
    for n in range(django_settings.NWWMH_LOGIN_USERNAME_LIMIT):
        log_in(client, "lead", f"wrong-{n}", ip=f"10.4.{n}.1")
    assert log_in(client, "lead", PASSWORD, ip="10.5.5.5").status_code == 429
    client.post("/accounts/password_reset/", {"email": "lead@nhs.example"}, REMOTE_ADDR="10.5.5.5")
    link = re.search(r"http://testserver(/accounts/reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    confirm = client.get(link, follow=True)
    client.post(confirm.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert log_in(client, "lead", NEW_PASSWORD, ip="10.5.5.5").status_code == 302


def test_limited_login_attempts_are_logged(client, lead):
    for n in range(django_settings.NWWMH_LOGIN_IP_LIMIT + 2):
        log_in(client, f"user{n}", "wrong-password", ip="10.6.6.6")
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.THROTTLED, ip_address="10.6.6.6")
    assert events.count() == 2


# --- password change ----------------------------------------------------------------------------------------------


def change(client, old, path="/accounts/password_change/"):
    return client.post(path, {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_eight_wrong_current_passwords_are_stopped(client, lead):
    client.force_login(lead)
    statuses = [change(client, f"wrong-{n}").status_code for n in range(8)]
    limit = django_settings.NWWMH_PASSWORD_CHANGE_LIMIT
    assert statuses == [200] * limit + [429] * (8 - limit)
    refused = change(client, PASSWORD)  # even the right one now
    assert_refused(refused, "Too many wrong passwords")
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)


def test_the_admin_password_change_is_limited_too(client, lead):
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    for n in range(django_settings.NWWMH_PASSWORD_CHANGE_LIMIT):
        assert change(client, f"wrong-{n}", path="/admin/password_change/").status_code == 200
    assert change(client, PASSWORD, path="/admin/password_change/").status_code == 429
    assert change(client, PASSWORD).status_code == 429


def test_a_right_password_change_is_logged_and_not_counted(client, lead):
    client.force_login(lead)
    for n in range(django_settings.NWWMH_PASSWORD_CHANGE_LIMIT - 1):
        change(client, f"wrong-{n}")
    assert change(client, PASSWORD).status_code == 302
    kinds = list(SecurityEvent.objects.filter(user=lead).values_list("kind", flat=True))
    assert kinds.count(SecurityEvent.Kind.PASSWORD_CHANGE_FAILED) == django_settings.NWWMH_PASSWORD_CHANGE_LIMIT - 1
    assert kinds.count(SecurityEvent.Kind.PASSWORD_CHANGED) == 1

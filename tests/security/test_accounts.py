"""Accounts at /accounts/: login, logout, password change and reset, lockout (django-axes) and session expiry."""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from tests.helpers import assert_csp_safe, error_summary

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "lead-password-for-tests-7Q"
NEW_PASSWORD = "a-brand-new-password-3X"
LOGIN = "/accounts/login/"
OTHER_IP = "10.9.8.7"


@pytest.fixture
def lead(db):
    return User.objects.create_user("lead", email="lead@nhs.example", password=PASSWORD)


def log_in(client, username, password, ip="127.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


# --- Login ------------------------------------------------------------------------------------------------------


def test_login_page_uses_nhs_form_markup(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Log in</h1>" in html
    assert 'class="nhsuk-label" for="id_username"' in html
    assert re.search(
        r'<input class="nhsuk-input[^"]*" id="id_username" name="username" type="text" autocomplete="username"', html
    )
    assert re.search(r'id="id_password" name="password" type="password" autocomplete="current-password"', html)
    assert 'href="/accounts/password_reset/"' in html
    assert "nhsuk-error-summary" not in html
    assert_csp_safe(html)


@pytest.mark.parametrize(
    ("username", "password"), [("lead", "wrong-password-entirely"), ("nobody-by-this-name", PASSWORD)]
)
def test_bad_credentials_give_the_nhs_error_summary(client, lead, username, password):
    response = log_in(client, username, password)
    assert response.status_code == 200
    html = response.content.decode()
    summary = error_summary(html)
    assert 'href="#id_username"' in summary
    assert "Enter a correct username and password" in summary
    assert "nhsuk-form-group--error" in html and "nhsuk-input--error" in html
    assert 'aria-describedby="id_username-error"' in html
    assert password not in html  # the password is never written back
    assert "<title>Error: Log in" in html
    assert "_auth_user_id" not in client.session


def test_unknown_user_and_wrong_password_look_the_same(client, lead):
    unknown = log_in(client, "nobody-by-this-name", "whatever-password-1").content.decode()
    wrong = log_in(client, "lead", "whatever-password-1").content.decode()

    def normalise(html):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
        return html.replace('value="nobody-by-this-name"', 'value="USERNAME"').replace(
            'value="lead"', 'value="USERNAME"'
        )

    assert normalise(unknown) == normalise(wrong)


def test_inactive_account_looks_like_a_wrong_password(client, lead):
    lead.is_active = False
    lead.save()
    response = log_in(client, "lead", PASSWORD)
    assert response.status_code == 200 and "Enter a correct username and password" in error_summary(
        response.content.decode()
    )


def test_empty_login_form_says_what_to_enter(client):
    summary = error_summary(log_in(client, "", "").content.decode())
    assert '<a href="#id_username">Enter your username</a>' in summary
    assert '<a href="#id_password">Enter your password</a>' in summary


def test_login_works_and_goes_to_planning(client, lead):
    response = log_in(client, "lead", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/planning/"
    assert int(client.session["_auth_user_id"]) == lead.pk


def test_login_follows_a_safe_next_only(client, lead):
    assert log_in(client, "lead", PASSWORD, next="/roles/")["Location"] == "/roles/"
    client.logout()
    assert log_in(client, "lead", PASSWORD, next="https://evil.example/")["Location"] == "/planning/"


# --- Logout -----------------------------------------------------------------------------------------------------


def test_logout_needs_post(client, lead):
    client.force_login(lead)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_base_layout_logout_form_posts_with_csrf(client, lead):
    client.force_login(lead)
    html = client.get("/accounts/password_change/").content.decode()
    assert re.search(r'<form class="nhsuk-header__account-form" action="/accounts/logout/" method="post">', html)


# --- Password change --------------------------------------------------------------------------------------------


def test_password_change_requires_login(client):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password_change/"


def test_password_change_form_markup(client, lead):
    client.force_login(lead)
    html = client.get("/accounts/password_change/").content.decode()
    assert re.search(r'id="id_old_password" name="old_password" type="password" autocomplete="current-password"', html)
    assert re.search(r'id="id_new_password1" name="new_password1" type="password" autocomplete="new-password"', html)
    assert re.search(r'id="id_new_password2" name="new_password2" type="password" autocomplete="new-password"', html)
    assert_csp_safe(html)


def test_password_change_errors_link_to_fields(client, lead):
    client.force_login(lead)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": "something-else-9"},
    )
    summary = error_summary(response.content.decode())
    assert '<a href="#id_old_password">Your current password is not correct' in summary
    assert '<a href="#id_new_password2">The new passwords do not match' in summary
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "12345678901234", "new_password2": "12345678901234"},
    )
    assert 'href="#id_new_password2"' in error_summary(response.content.decode())  # validators run
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)


def test_password_change_works_and_keeps_the_session(client, lead):
    log_in(client, "lead", PASSWORD)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/done/"
    done = client.get(response["Location"])
    assert done.status_code == 200 and "Your password has been changed" in done.content.decode()
    client.post("/accounts/logout/")
    assert log_in(client, "lead", PASSWORD).status_code == 200
    assert log_in(client, "lead", NEW_PASSWORD).status_code == 302


# --- Password reset ---------------------------------------------------------------------------------------------


def reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/accounts/reset/\S+/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_password_reset_emails_a_link_that_works(client, lead):
    page = client.get("/accounts/password_reset/").content.decode()
    assert re.search(r'id="id_email" name="email" type="email" autocomplete="email"', page)
    response = client.post("/accounts/password_reset/", {"email": "lead@nhs.example"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox[0].to == ["lead@nhs.example"]
    assert mail.outbox[0].subject == "Reset your NWWMH Portal password"
    link = reset_link()

    confirm = client.get(link, follow=True)
    html = confirm.content.decode()
    assert "Set a new password" in html
    assert re.search(r'id="id_new_password1" name="new_password1" type="password" autocomplete="new-password"', html)
    assert_csp_safe(html)
    set_password_url = confirm.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/reset/done/"
    assert "Your new password is set" in client.get("/accounts/reset/done/").content.decode()
    assert log_in(client, "lead", NEW_PASSWORD).status_code == 302

    client.post("/accounts/logout/")
    used = client.get(link, follow=True).content.decode()
    assert "This link does not work" in used  # a link works once


def test_password_reset_does_not_reveal_unknown_addresses(client, lead):
    response = client.post("/accounts/password_reset/", {"email": "nobody@nhs.example"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_password_reset_form_errors(client):
    summary = error_summary(client.post("/accounts/password_reset/", {"email": "not-an-address"}).content.decode())
    assert '<a href="#id_email">Enter an email address in the correct format' in summary


# --- Lockout (django-axes: by username and IP address together) ------------------------------------------------


def fail_until_locked(client, username, ip="127.0.0.1"):
    limit = django_settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit + 1):
        response = log_in(client, username, f"wrong-password-{attempt}", ip=ip)
        if attempt < limit:
            assert response.status_code == 200, attempt
    return response


def test_five_failures_lock_that_username_on_that_ip(client, lead):
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    locked = fail_until_locked(client, "lead")
    assert locked.status_code == 429

    sixth = log_in(client, "lead", PASSWORD)  # even the right password is refused now
    assert sixth.status_code == 429
    assert "_auth_user_id" not in client.session
    html = sixth.content.decode()
    assert "<h1>Too many attempts to log in</h1>" in html
    assert "temporarily locked on this device until" in html
    assert re.search(r"Try again after \d{1,2}:\d\d[ap]m", html)
    assert "in 1\xa0hour" in html or "in 1 hour" in html
    assert sixth["Retry-After"] == "3600"
    assert 'href="/accounts/password_reset/"' in html
    assert_csp_safe(html)


def test_the_same_username_from_another_ip_can_still_log_in(client, lead):
    fail_until_locked(client, "lead")
    response = log_in(client, "lead", PASSWORD, ip=OTHER_IP)
    assert response.status_code == 302 and response["Location"] == "/planning/"


def test_another_username_from_the_locked_ip_can_still_log_in(client, lead):
    User.objects.create_user("viewer", password=PASSWORD)
    fail_until_locked(client, "lead")
    response = log_in(client, "viewer", PASSWORD)
    assert response.status_code == 302


PROXY = "10.0.0.7"


def log_in_through_proxy(client, username, password, forwarded_for):
    data = {"username": username, "password": password}
    return client.post(LOGIN, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_proxy_the_lockout_counts_the_client_address_not_the_proxy(client, settings, lead):
    settings.NWWMH_BEHIND_PROXY = True
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = log_in_through_proxy(client, "lead", f"wrong-{attempt}", "203.0.113.5")
    assert response.status_code == 429
    # The lead, at another address behind the same proxy, still gets in.
    response = log_in_through_proxy(client, "lead", PASSWORD, "198.51.100.9")
    assert response.status_code == 302 and response["Location"] == "/planning/"


def test_behind_a_proxy_a_made_up_forwarded_address_does_not_escape_the_lock(client, settings, lead):
    settings.NWWMH_BEHIND_PROXY = True
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in_through_proxy(client, "lead", f"wrong-{attempt}", "203.0.113.5")
    # The attacker puts another address first; the proxy appends the real one.
    response = log_in_through_proxy(client, "lead", PASSWORD, "198.51.100.9, 203.0.113.5")
    assert response.status_code == 429


def test_without_a_proxy_the_forwarded_header_is_ignored(client, settings, lead):
    settings.NWWMH_BEHIND_PROXY = False
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in_through_proxy(client, "lead", f"wrong-{attempt}", f"203.0.113.{attempt}")
    assert log_in_through_proxy(client, "lead", PASSWORD, "198.51.100.9").status_code == 429


def test_unknown_usernames_are_locked_out_the_same_way(client, lead):
    assert fail_until_locked(client, "nobody-by-this-name").status_code == 429
    assert log_in(client, "nobody-by-this-name", PASSWORD).status_code == 429


def test_a_successful_login_resets_the_count(client, lead):
    for attempt in range(django_settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "lead", f"wrong-{attempt}")
    assert log_in(client, "lead", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert log_in(client, "lead", "wrong-again").status_code == 200  # counting starts again


def test_resetting_the_password_lifts_the_lock(client, lead):
    fail_until_locked(client, "lead")
    client.post("/accounts/password_reset/", {"email": "lead@nhs.example"})
    confirm = client.get(reset_link(), follow=True)
    client.post(confirm.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert log_in(client, "lead", NEW_PASSWORD).status_code == 302


def test_admin_login_is_locked_out_too(client, lead):
    fail_until_locked(client, "lead")
    response = client.post("/admin/login/", {"username": "lead", "password": PASSWORD})
    assert response.status_code == 429


# --- Sessions ---------------------------------------------------------------------------------------------------


def test_session_expires_after_inactivity_and_each_request_extends_it(client, lead):
    response = log_in(client, "lead", PASSWORD)
    assert response.cookies["sessionid"]["max-age"] == ""  # ends when the browser closes
    assert client.session.get_expiry_age() == django_settings.SESSION_COOKIE_AGE
    key = client.session.session_key
    # Pretend the last request was 50 minutes ago: one more request pushes expiry a full age ahead again.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=10))
    assert client.get("/accounts/password_change/").status_code == 200
    expires = Session.objects.get(pk=key).expire_date
    assert expires > timezone.now() + timedelta(seconds=django_settings.SESSION_COOKIE_AGE - 60)
    # An hour without activity: the session is gone and the user must log in again.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@override_settings(SESSION_COOKIE_AGE=120)
def test_session_cookie_age_setting_is_honoured(client, lead):
    log_in(client, "lead", PASSWORD)
    expires = Session.objects.get(pk=client.session.session_key).expire_date
    assert timezone.now() + timedelta(seconds=100) < expires <= timezone.now() + timedelta(seconds=120)


def test_admin_password_change_uses_the_same_form_and_stays_in_the_admin(client, lead):
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    page = client.get("/admin/password_change/")
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.content.decode()
    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/password_change/done/"

"""The idle timeout without a session write on every request (nwwmh_portal.middleware.SessionRefreshMiddleware): an
unchanged session is saved again only when that moves its end on by a minute or more, so an active session stays
alive, an idle one still ends SESSION_COOKIE_AGE after its last request at the latest, and a request within the
minute writes nothing."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from planning.models import Membership, Organisation

LOGIN_REDIRECT = "/accounts/login/?next=/planning/"


class Clock:
    """Django's `timezone.now`, moved on by hand: the session store's expiry and its refresh both read it."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, seconds: float):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def lead(db):
    organisation = Organisation.objects.create(name="Northshire", slug="northshire-r", ods_code="RR1", kind="trust")
    user = User.objects.create_user("lead", password="unused-password-9x")
    Membership.objects.create(user=user, organisation=organisation, access=Membership.Access.LEAD)
    return user


def stored_end(client):
    return Session.objects.get(pk=client.session.session_key).expire_date


def session_writes(client, path="/planning/") -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in context.captured_queries
        if "django_session" in query["sql"] and not query["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_settings_refresh_the_session_instead_of_saving_it_on_every_request():
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is False
    assert django_settings.SESSION_ENGINE == "nwwmh_portal.sessions"
    middleware = django_settings.MIDDLEWARE
    sessions = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert middleware[sessions + 1] == "nwwmh_portal.middleware.SessionRefreshMiddleware"
    assert django_settings.NWWMH_SESSION_REFRESH_SECONDS == 60


def test_a_request_within_the_minute_does_not_write_the_session(client, lead, clock):
    client.force_login(lead)
    client.get("/planning/")  # the first page may still store what the login started
    end = stored_end(client)
    clock.advance(59)
    assert session_writes(client) == []
    assert stored_end(client) == end
    clock.advance(2)  # a minute after the last save: this request moves the end on
    assert len(session_writes(client)) == 1
    assert stored_end(client) == clock.now + timedelta(seconds=django_settings.SESSION_COOKIE_AGE)


def test_an_active_session_stays_alive_and_an_idle_one_ends_after_the_cookie_age(client, lead, clock, settings):
    settings.SESSION_COOKIE_AGE = 600
    client.force_login(lead)
    for _ in range(20):  # 15 minutes of a page every 45 seconds: longer than the idle timeout
        clock.advance(45)
        assert client.get("/planning/").status_code == 200
    last_request = clock.now
    end = stored_end(client)
    assert last_request + timedelta(seconds=540) < end <= last_request + timedelta(seconds=600)
    clock.advance(600)  # SESSION_COOKIE_AGE without a request
    response = client.get("/planning/")
    assert response.status_code == 302 and response["Location"] == LOGIN_REDIRECT


def test_an_idle_session_is_not_kept_alive_by_requests_that_find_it_ended(client, lead, clock, settings):
    settings.SESSION_COOKIE_AGE = 600
    client.force_login(lead)
    client.get("/planning/")
    clock.advance(601)
    assert client.get("/planning/").status_code == 302
    clock.advance(-300)  # even back within the old lifetime, the ended session was not saved again
    assert client.get("/planning/").status_code == 302

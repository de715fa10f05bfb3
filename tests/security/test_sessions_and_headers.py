"""Sessions and headers (issue 11, findings 6 and 12): an absolute session lifetime as well as the idle timeout;
`Cache-Control: no-store` on workspace, account and admin pages; a Permissions-Policy; `__Host-` cookie names in
production; and no `Server` header naming the software when gunicorn serves the portal."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User

from nwwmh_portal.middleware import SESSION_STARTED_KEY
from tests.factories import add_member, make_organisation, make_user
from tests.helpers import HOST, ROOT, production_env, random_secret_key

PASSWORD = "lead-password-for-tests-7Q"


pytestmark = pytest.mark.usefixtures("fast_hasher")


@pytest.fixture
def lead(db):
    user = make_user("lead", password=PASSWORD)
    add_member(user, make_organisation("Northshire", "northshire-s", "RS1"))
    return user


def age_session(client, seconds: float):
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - seconds
    session.save()


# --- absolute session lifetime ----------------------------------------------------------------------------------


def test_the_absolute_lifetime_is_twelve_hours_by_default():
    assert django_settings.NWWMH_SESSION_ABSOLUTE_AGE == 12 * 3600
    assert django_settings.SESSION_COOKIE_AGE == 3600


@pytest.mark.django_db
def test_logging_in_starts_the_clock(client):
    User.objects.create_user("viewer", password=PASSWORD)
    before = time.time()
    client.post("/accounts/login/", {"username": "viewer", "password": PASSWORD})
    assert before <= client.session[SESSION_STARTED_KEY] <= time.time()


def test_an_active_session_ends_at_its_absolute_lifetime(client, lead):
    client.force_login(lead)
    assert client.get("/planning/").status_code == 200
    age_session(client, django_settings.NWWMH_SESSION_ABSOLUTE_AGE - 60)
    assert client.get("/planning/").status_code == 200  # still within it, however many requests
    age_session(client, django_settings.NWWMH_SESSION_ABSOLUTE_AGE + 1)
    response = client.get("/planning/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/planning/"
    assert "_auth_user_id" not in client.session
    assert client.get("/planning/").status_code == 302  # and it stays ended


def test_the_absolute_lifetime_is_a_setting(client, lead, settings):
    settings.NWWMH_SESSION_ABSOLUTE_AGE = 60
    client.force_login(lead)
    age_session(client, 61)
    assert client.get("/planning/").status_code == 302


# --- Cache-Control: no-store ------------------------------------------------------------------------------------


def assert_no_store(response):
    cache_control = response.headers.get("Cache-Control", "")
    assert "no-store" in cache_control, cache_control
    assert "public" not in cache_control


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/password_reset/", "/admin/login/", "/planning/", "/accounts/mfa/verify/"]
)
def test_account_admin_and_workspace_pages_are_not_stored(client, url):
    assert_no_store(client.get(url))


def test_workspace_pages_of_a_lead_are_not_stored(client, lead):
    client.force_login(lead)
    for url in ["/planning/", "/planning/teams/new/", "/planning/plans/999999/", "/accounts/password_change/"]:
        assert_no_store(client.get(url))


@pytest.mark.django_db
def test_admin_pages_are_not_stored(client):
    client.force_login(User.objects.create_superuser("root", "root@nhs.example", None))
    for url in ["/admin/", "/admin/roles/role/", "/admin/auth/user/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert_no_store(response)


@pytest.mark.django_db
def test_public_pages_may_be_cached(client):
    assert "no-store" not in client.get("/roles/").headers.get("Cache-Control", "")


# --- headers ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/roles/", "/accounts/login/", "/healthz", "/no-such-page/"])
def test_permissions_policy_switches_off_unused_features(client, url):
    policy = client.get(url).headers["Permissions-Policy"]
    features = dict(item.strip().split("=") for item in policy.split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features[feature] == "()", feature


def settings_in_production(names: list[str]) -> dict:
    env = production_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=random_secret_key(), DJANGO_ALLOWED_HOSTS=HOST)
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "nwwmh_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_have_host_prefixed_names():
    values = settings_in_production(
        [
            "SESSION_COOKIE_NAME",
            "CSRF_COOKIE_NAME",
            "SESSION_COOKIE_DOMAIN",
            "CSRF_COOKIE_DOMAIN",
            "SESSION_COOKIE_PATH",
        ]
    )
    # __Host- cookies must be Secure, for path "/" and without a Domain, or browsers refuse them.
    assert values == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_PATH": "/",
    }


@pytest.mark.django_db
def test_host_prefixed_cookies_are_set_as_browsers_require(client, settings):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    User.objects.create_user("viewer", password=PASSWORD)
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    response = client.post("/accounts/login/", {"username": "viewer", "password": PASSWORD}, secure=True)
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["path"] == "/" and not session["domain"] and session["httponly"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_headers(tmp_path, *config_args) -> dict:
    port = free_port()
    env = production_env(NWWMH_LOCAL="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "nwwmh_portal.wsgi",
            *config_args,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
                    return {name.lower(): value for name, value in response.headers.items()}
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.timeout(120)
def test_gunicorn_with_the_projects_config_sends_no_server_header(tmp_path):
    headers = gunicorn_headers(tmp_path, "-c", "gunicorn.conf.py")
    assert "server" not in headers, headers.get("server")
    assert "permissions-policy" in headers  # it is the portal answering
    # Without it, gunicorn names itself: what the config file is for.
    assert gunicorn_headers(tmp_path, "-c", "/dev/null").get("server", "").startswith("gunicorn")


def test_make_run_uses_the_gunicorn_config():
    makefile = (ROOT / "Makefile").read_text()
    assert "gunicorn nwwmh_portal.wsgi -c gunicorn.conf.py" in makefile
    assert "-c gunicorn.conf.py" in (ROOT / "README.md").read_text()

"""Bad requests are refused early and cleanly (issue 11, findings 1 and 8):

- a request body larger than NWWMH_MAX_REQUEST_BODY is refused with 413 before any of it is read;
- a NUL character in a query string or form value of a workspace, account or admin request is a 400, not a 500
  (PostgreSQL refuses NUL in text: the admin's list filters and search failed with it). Run on both databases.
"""

import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = Path(__file__).resolve().parent.parent.parent


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


# --- body size ---------------------------------------------------------------------------------------------------


def test_upload_limits_are_set():
    assert django_settings.NWWMH_MAX_REQUEST_BODY == 5 * 1024 * 1024
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= django_settings.NWWMH_MAX_REQUEST_BODY


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/planning/plans/1/import/", "/admin/login/", "/roles/"])
def test_a_body_over_the_cap_is_refused_before_it_is_read(client, url):
    client.get("/no-such-page/")  # templates loaded once, so the timing below is the refusal alone
    started = time.monotonic()
    response = client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(django_settings.NWWMH_MAX_REQUEST_BODY + 1),
        **{"wsgi.input": UnreadableBody()},
    )
    assert time.monotonic() - started < 2  # milliseconds really (gunicorn: 3-10 ms for 50 MB); a loaded CI is slow
    assert response.status_code == 413
    html = response.content.decode()
    assert "<h1>The file or form is too large</h1>" in html
    assert "5 MB" in html
    assert "Connection" not in response  # a hop-by-hop header: WSGI servers refuse it


@pytest.mark.django_db
def test_a_declared_length_of_gigabytes_is_refused_at_once(client):
    started = time.monotonic()
    response = client.generic(
        "POST", "/accounts/login/", CONTENT_LENGTH=str(40 * 1024**3), **{"wsgi.input": UnreadableBody()}
    )
    assert response.status_code == 413
    assert time.monotonic() - started < 2


@pytest.mark.django_db
@pytest.mark.parametrize("length", ["lots", "-5"])
def test_a_malformed_content_length_is_a_400(client, length):
    response = client.generic("POST", "/accounts/login/", CONTENT_LENGTH=length, **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_real_upload_over_a_lowered_cap_is_refused_and_one_under_it_is_not(client, settings):
    settings.NWWMH_MAX_REQUEST_BODY = 20_000
    big = SimpleUploadedFile("plan.xlsx", b"x" * 30_000)
    assert client.post("/accounts/login/", {"username": "a", "file": big}).status_code == 413
    small = SimpleUploadedFile("plan.xlsx", b"x" * 1_000)
    assert client.post("/accounts/login/", {"username": "a", "password": "b", "file": small}).status_code == 200


def test_the_readme_says_what_to_set_on_the_proxy():
    readme = (ROOT / "README.md").read_text()
    assert "client_max_body_size 5m" in readme
    for name in ["NWWMH_MAX_REQUEST_BODY", "DATA_UPLOAD_MAX_MEMORY_SIZE", "FILE_UPLOAD_MAX_MEMORY_SIZE"]:
        assert f"`{name}`" in readme, name


# --- NUL characters ----------------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@nhs.example", None))
    return client


ADMIN_LISTS_WITH_NUL = [
    "/admin/roles/role/?q=nurse%00",
    "/admin/roles/role/?family__id__exact=%00",
    "/admin/roles/role/?q=%00&o=1",
    "/admin/auth/user/?q=%00",
    "/admin/roles/casestudy/?status__exact=pub%00lished",
    "/admin/roles/role/?%00=1",
    "/admin/nwwmh_portal/securityevent/?username=%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_LISTS_WITH_NUL)
def test_admin_lists_given_a_nul_answer_400(superuser_client, url):
    response = superuser_client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "a NUL character" in html
    assert "nhsuk-error-summary" in html


@pytest.mark.django_db
def test_the_admin_lists_work_without_one(superuser_client):
    assert superuser_client.get("/admin/roles/role/?q=nurse").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/", {"username": "lead\x00", "password": "x"}),
        ("/accounts/password_reset/", {"email": "a\x00@nhs.example"}),
        ("/planning/teams/new/", {"name": "Team\x00"}),
    ],
)
def test_a_nul_in_a_form_is_a_400(superuser_client, url, data):
    assert superuser_client.post(url, data).status_code == 400


@pytest.mark.django_db
def test_a_nul_in_a_multipart_form_field_is_a_400(superuser_client):
    upload = SimpleUploadedFile("plan.csv", b"role,fte\n")
    response = superuser_client.post("/planning/plans/1/import/", {"file": upload, "note": "a\x00b"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_in_the_path_is_a_400(client):
    assert client.get("/roles/nurse%00/").status_code == 400

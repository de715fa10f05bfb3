"""Production settings, security headers, templates safe under the CSP, the health check, the static pipeline and
the custom error pages."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.test import override_settings
from django.urls import include, path

from nwwmh_portal import urls as project_urls
from nwwmh_portal import views as portal_views
from tests.helpers import HOST, ROOT, production_env, random_secret_key

TEMPLATES = ROOT / "templates"


# --- the settings module in a fresh process ---------------------------------------------------------------------


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_deploy_check_is_clean_in_production():
    env = production_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=random_secret_key(), DJANGO_ALLOWED_HOSTS=HOST)
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in output.upper()


def test_production_settings_are_https_only():
    env = production_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=random_secret_key(), DJANGO_ALLOWED_HOSTS=HOST)
    names = [
        "DEBUG",
        "ALLOWED_HOSTS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_HTTPONLY",
        "X_FRAME_OPTIONS",
    ]
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = run(["-c", script], {**env, "DJANGO_SETTINGS_MODULE": "nwwmh_portal.settings"})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "DEBUG": False,
        "ALLOWED_HOSTS": [HOST],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
    }


@pytest.mark.parametrize("debug", ["0", None], ids=["DJANGO_DEBUG=0", "DJANGO_DEBUG-unset"])
def test_production_refuses_to_start_without_a_secret_key(debug):
    env = production_env(DJANGO_DEBUG=debug, DJANGO_ALLOWED_HOSTS=HOST)
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


# --- headers ----------------------------------------------------------------------------------------------------

PAGES = ["/", "/roles/", "/roles/?q=peer", "/roles/mental-health-nurse/", "/roles/compare/?roles=amhp,social-worker"]


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*PAGES, "/roles/no-such-role/", "/roles/compare/", "/healthz"])
def test_security_headers(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


# --- templates stay within the CSP: no inline script, style or event handler -------------------------------------

TAG = re.compile(r"<[a-zA-Z][^<>]*>")
INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))


def inline_problems(html: str) -> list[str]:
    problems = []
    for attributes, body in INLINE_SCRIPT.findall(html):
        if body.strip():
            problems.append(f"inline script: {body.strip()[:60]!r}")
        if "src=" not in attributes:
            problems.append(f"script without src: <script{attributes}>")
    if re.search(r"<style\b", html, re.I):
        problems.append("<style> element")
    for tag in TAG.findall(html):
        if EVENT_HANDLER.search(tag):
            problems.append(f"event handler attribute: {tag[:80]}")
        if STYLE_ATTRIBUTE.search(tag):
            problems.append(f"style attribute: {tag[:80]}")
        if re.search(r"""=\s*["']?\s*javascript:""", tag, re.I):
            problems.append(f"javascript: URL: {tag[:80]}")
    return problems


def test_the_template_scan_finds_what_it_looks_for():
    bad = [
        "<script>alert(1)</script>",
        '<script type="module">\n  import "x";\n</script>',
        "<SCRIPT>\nalert(1)</SCRIPT >",
        '<p style="color: red">',
        '<button class="a"\n  onclick="go()">',
        '<body onload = "go()">',
        "<style>p { color: red }</style>",
        '<a href="javascript:go()">',
    ]
    for html in bad:
        assert inline_problems(html), html
    good = [
        "<script src=\"{% static 'js/app.js' %}\"></script>",
        '<script type="module" src="/static/js/app.js"></script>',
        '<p class="nhsuk-body" data-module="one">Someone=else, one style = fine</p>',
        '<a href="/roles/?family=x">',
    ]
    for html in good:
        assert inline_problems(html) == [], html


def test_there_are_templates_to_scan():
    names = {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATE_FILES}
    assert {"base.html", "404.html", "500.html", "roles/role_list.html", "roles/role_detail.html"} <= names


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_template_has_no_inline_script_style_or_event_handler(template):
    assert inline_problems(template.read_text()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*PAGES, "/roles/no-such-role/", "/accessibility/"])
def test_rendered_pages_have_no_inline_script_style_or_event_handler(client, url):
    assert inline_problems(client.get(url).content.decode()) == []


# --- health check -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert "no-cache" in response.headers["Cache-Control"]
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_reports_an_unavailable_database(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(portal_views, "connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert "connection refused" not in response.content.decode()


# --- the static pipeline: hashed, compressed, references rewritten ---------------------------------------------


PORTAL_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "nwwmh_portal.storage.PortalStaticStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic, once for this module, with the project's real static storage (the autouse fixture in
    tests/conftest.py swaps in a plain one for each test)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STORAGES=PORTAL_STORAGES, STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((root / "staticfiles.json").read_text())
    return root, manifest["paths"]


HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")


def test_collectstatic_writes_a_manifest_of_hashed_files(collected, settings):
    root, paths = collected
    vendor = f"vendor/nhsuk-frontend/{settings.NHSUK_FRONTEND_VERSION}"
    for name in [f"{vendor}/nhsuk-frontend.min.css", f"{vendor}/nhsuk-frontend.min.js", "css/portal.css", "js/app.js"]:
        assert name in paths, name
        assert HASHED.search(paths[name]), paths[name]
        assert (root / paths[name]).is_file()
    # WhiteNoise keeps a compressed copy where compression pays (the large NHS.UK files).
    for name in [f"{vendor}/nhsuk-frontend.min.css", f"{vendor}/nhsuk-frontend.min.js"]:
        assert (root / (paths[name] + ".gz")).is_file(), f"{name} not compressed"


def test_stylesheet_urls_point_at_hashed_images_that_exist(collected, settings):
    root, paths = collected
    css_name = paths[f"vendor/nhsuk-frontend/{settings.NHSUK_FRONTEND_VERSION}/nhsuk-frontend.min.css"]
    css_path = root / css_name
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css_path.read_text())
    local = [url for url in urls if not url.startswith(("http://", "https://", "data:", "#"))]
    assert len(local) >= 4
    for url in local:
        target = url.split("#")[0].split("?")[0]
        assert target.startswith("assets/images/"), url
        assert HASHED.search(target), f"not hashed: {url}"
        assert (css_path.parent / target).is_file(), f"missing: {url}"
    # The only remote URLs are the NHS.UK fonts, which the CSP allows.
    assert all(url.startswith("https://assets.nhs.uk/") for url in urls if url.startswith("http"))


def test_no_source_map_references_remain(collected):
    root, paths = collected
    served = [root / hashed for name, hashed in paths.items() if name.endswith((".css", ".js"))]
    assert served
    for served_file in served:
        assert "sourceMappingURL" not in served_file.read_text(errors="replace"), served_file.name


def test_app_js_is_hashed_and_names_no_frontend_version(collected, settings):
    """The frontend's version is written once (settings); app.js gets the frontend's URL from the page."""
    root, paths = collected
    assert re.fullmatch(r"js/app\.[0-9a-f]{12}\.js", paths["js/app.js"])
    source = (root / paths["js/app.js"]).read_text()
    assert "nhsuk-frontend/" not in source
    assert settings.NHSUK_FRONTEND_VERSION not in source
    assert "data-nhsuk-frontend" in source


def test_the_nhsuk_frontend_version_is_written_in_one_place(settings):
    """Only settings name the version: templates, scripts and styles take it from there."""
    root = Path(__file__).resolve().parents[2]
    sources = [*(root / "templates").rglob("*.html"), *(root / "static" / "js").rglob("*.js")]
    sources += [*(root / "static" / "css").rglob("*.css"), *(root / "nwwmh_portal").glob("*.py")]
    naming = [path.relative_to(root) for path in sources if settings.NHSUK_FRONTEND_VERSION in path.read_text()]
    assert naming == [Path("nwwmh_portal/settings.py")]


@pytest.mark.django_db
def test_pages_link_the_hashed_files_after_collectstatic(client, collected, settings):
    root, paths = collected
    settings.STORAGES = PORTAL_STORAGES
    settings.STATIC_ROOT = root
    html = client.get("/").content.decode()
    assert f'src="/static/{paths["js/app.js"]}"' in html
    frontend = paths[f"vendor/nhsuk-frontend/{settings.NHSUK_FRONTEND_VERSION}/nhsuk-frontend.min.js"]
    assert f'data-nhsuk-frontend="/static/{frontend}"' in html
    assert (root / frontend).is_file()
    assert f'href="/static/{paths["css/portal.css"]}"' in html


# --- error pages ------------------------------------------------------------------------------------------------


def broken_view(request):
    raise RuntimeError("secret internal detail")


# This module is also the URLconf for the tests marked below: the project's URLs, one view that fails, and the
# project's error handlers.
urlpatterns = [path("", include(project_urls.urlpatterns)), path("broken/", broken_view)]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_server_error_renders_the_500_page(client, caplog):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Sorry, there is a problem with the service – NWWMH Portal</title>" in html
    assert "<h1>Sorry, there is a problem with the service</h1>" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html
    assert inline_problems(html) == []
    assert any("secret internal detail" in str(record.exc_info) for record in caplog.records)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_test_urlconf_still_serves_the_project(client):
    assert client.get("/roles/").status_code == 200
    assert client.get("/nope/").status_code == 404

"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Playwright cannot download browsers here, so we launch the system Chromium (`CHROMIUM`, default
/usr/bin/chromium). Without it the tests skip, unless `E2E_REQUIRED=1` (CI), when they fail.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models.signals import post_save

from tests.conftest import load_reference_data

# The Playwright sync API runs an asyncio event loop in the test thread; without this Django refuses the
# database work our fixtures do in that thread (loading the reference data, flushing after each test).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000
# Everything but the live server is aborted: the network is closed, and the tests must not depend on it
# (the NHS.UK stylesheet asks assets.nhs.uk for the Frutiger web font; the fallback font is fine here).
EXTERNAL = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])[a-z]+://")


def _required() -> bool:
    return os.environ.get("E2E_REQUIRED", "").strip() == "1"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium or set CHROMIUM"
        if _required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def reference_rows(django_db_setup, django_db_blocker):
    """Every row of every table `load_reference_data()` fills (many-to-many tables too), read once a session."""
    loaded = set()

    def note_model(sender, raw=False, **kwargs):
        if raw:  # loaddata saves raw
            loaded.add(sender)

    post_save.connect(note_model, weak=False)
    try:
        with django_db_blocker.unblock():
            load_reference_data()
    finally:
        post_save.disconnect(note_model)
    through = {field.remote_field.through for model in loaded for field in model._meta.local_many_to_many}
    tables = sorted(loaded | through, key=lambda model: model._meta.label)
    with django_db_blocker.unblock():
        return [(model, list(model._base_manager.order_by("pk"))) for model in tables]


@pytest.fixture(scope="session")
def migrated_groups(django_db_setup, django_db_blocker):
    """The groups the migrations make (Curators, Publishers) with their permissions by name, read once a session:
    flushing the database after a transactional test empties them, and permission ids change."""
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        return {
            group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }


def restore_groups(groups):
    from django.contrib.auth.models import Group, Permission

    for name, permissions in groups.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in permissions]
        group.permissions.set(wanted)


@pytest.fixture
def site(transactional_db, live_server, reference_rows, migrated_groups):
    """The live server's base URL, with the reference data in the database.

    The live server needs committed data, so these are transactional tests, and the database is flushed
    after each one. Putting the rows back with one INSERT a table is much faster than `loaddata`, which
    looks up every natural key (about 1,200 queries): it keeps the whole browser suite well under a minute.
    """
    with transaction.atomic():  # foreign keys are checked at commit, so table order does not matter
        for model, rows in reference_rows:
            # The first test of a session finds the rows still there; later ones find empty tables.
            model._base_manager.bulk_create(rows, ignore_conflicts=True)
    with connection.cursor() as cursor:  # PostgreSQL: move id sequences past the restored ids
        for sql in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in reference_rows]):
            cursor.execute(sql)
    restore_groups(migrated_groups)
    return live_server.url


@pytest.fixture
def new_context(browser, site):
    """Makes browser contexts (`new_context(java_script_enabled=False)`); all are closed after the test.

    A server error on any page fails the test at teardown, naming the URL: otherwise it shows up only as a
    locator that timed out.
    """
    contexts = []
    server_errors = []

    def note_server_error(response):
        if response.status >= 500:
            server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def make(**options):
        context = browser.new_context(base_url=site, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(EXTERNAL, lambda route: route.abort())
        context.on("response", note_server_error)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    if server_errors:
        pytest.fail("The server answered with an error:\n" + "\n".join(server_errors), pytrace=False)


@pytest.fixture
def page(new_context):
    """A fresh page in a fresh context, with JavaScript on. Navigate with relative URLs: `page.goto("/roles/")`."""
    return new_context().new_page()


def inject_axe(page):
    """Puts axe-core into the page.

    The portal's CSP is `script-src 'self'`, so `page.add_script_tag()` (an inline <script>) is refused, and
    `bypass_csp=True` would switch the CSP off for the whole page, hiding exactly the violations the tests
    look for. Code run by `page.evaluate()` goes through the DevTools protocol, which the CSP does not
    govern, so we evaluate axe's source wrapped in a function: the page keeps its real CSP.
    """
    if page.evaluate("() => typeof window.axe === 'undefined'"):
        page.evaluate("() => {\n" + AXE_JS.read_text(encoding="utf-8") + "\n}")


def format_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}\n  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    target: {json.dumps(node['target'])}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page):
    """Fails listing every axe violation of WCAG 2.2 A and AA (id, impact, help and target nodes).

    The page's context must have JavaScript on: in a context made with `java_script_enabled=False`, Chromium never
    answers `page.evaluate()`, so axe checks the page as it is with JavaScript on.
    """
    inject_axe(page)
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        AXE_TAGS,
    )
    violations = results["violations"]
    assert not violations, f"{len(violations)} accessibility violation(s) on {page.url}:\n" + format_violations(
        violations
    )


def pass_two_step(page, username):
    """After the password page: staff and workforce leads set up an authenticator app the first time (the code is
    worked out from the secret the portal has just made) or enter its code later. Others go straight on."""
    from django.contrib.auth.models import User
    from playwright.sync_api import expect

    from nwwmh_portal import mfa
    from tests.mfa import app_code

    user = User.objects.get(username=username)
    if not mfa.mfa_required(user):
        return
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(
        re.compile("^(Set up two-step verification|Enter the code from your authenticator app)$")
    )
    setting_up = heading.inner_text().strip() == "Set up two-step verification"
    device = mfa.app_device(user, confirmed=not setting_up)
    page.get_by_label("Code from your authenticator app").fill(app_code(device))
    page.get_by_role("button", name="Continue").click()
    if setting_up:
        expect(heading).to_have_text("Save your recovery codes")
        page.get_by_role("link", name="I have saved my recovery codes").click()

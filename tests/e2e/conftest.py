"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Playwright cannot download browsers here, so we launch the system Chromium (`CHROMIUM`, default
/usr/bin/chromium). Without it the tests skip, unless `E2E_REQUIRED=1` (CI), when they fail.
"""

import os
import re

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models.signals import post_save

from tests.factories import load_reference_data, restore_migrated_groups

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


@pytest.fixture
def site(transactional_db, live_server, reference_rows):
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
    restore_migrated_groups()
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

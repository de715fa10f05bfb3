from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_FIXTURES = sorted(str(path) for path in (ROOT / "fixtures" / "reference").glob("*.yaml"))


def load_reference_data():
    call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data (roles, capabilities, ...) is loaded once into the test database."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Unit tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True, scope="session")
def verified_force_login():
    """`client.force_login(user)` skips the password; it skips the second step too, with a verified session (see
    tests/mfa.py). Two-step verification itself stays on: logging in through the forms still asks for a code."""
    from django.test import Client

    from tests import mfa as mfa_helpers

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", mfa_helpers.force_login)
        yield

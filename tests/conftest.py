import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data (roles, capabilities, ...) is loaded once into the test database."""
    # Imported here, not at the top: the engine's tests also run without Django (`-p no:django`), and the
    # factories import the models.
    from tests import factories

    with django_db_blocker.unblock():
        factories.load_reference_data()
        factories.MIGRATED_GROUPS.update(factories.migrated_groups())


@pytest.fixture(autouse=True)
def fresh_content_version():
    """Nothing cached by one test (pages, plan results) is reused by the next: each test's database rolls back
    without the signals that would move the content version on."""
    from nwwmh_portal import content_version

    content_version.bump()


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Unit tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def fast_hasher(settings):
    """Passwords hashed with MD5, for tests that set passwords and log in through a form (the real hasher is slow
    on purpose). Use it with `pytestmark = pytest.mark.usefixtures("fast_hasher")`."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def verified_force_login():
    """`client.force_login(user)` skips the password; it skips the second step too, with a verified session (see
    tests/mfa.py). Two-step verification itself stays on: logging in through the forms still asks for a code."""
    from django.test import Client

    from tests import mfa as mfa_helpers

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", mfa_helpers.force_login)
        yield


@pytest.fixture
def restore_reference_data(django_db_blocker):
    """Requested before `transactional_db`, so it runs after the flush that ends a transactional test: later
    tests in the session find the reference data (roles, …) and the migrations' groups where they left them."""
    yield
    with django_db_blocker.unblock():
        from tests.factories import load_reference_data, restore_migrated_groups

        load_reference_data()
        restore_migrated_groups()

from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_FIXTURES = sorted(str(path) for path in (ROOT / "fixtures" / "reference").glob("*.yaml"))


# The groups the migrations make (Curators, Publishers), as {name: [(app_label, codename)]}, read at setup:
# a transactional test's flush empties them, and permission ids change.
MIGRATED_GROUPS: dict[str, list[tuple[str, str]]] = {}


def load_reference_data():
    call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


def restore_migrated_groups():
    from django.contrib.auth.models import Group, Permission

    for name, permissions in MIGRATED_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in permissions]
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data (roles, capabilities, ...) is loaded once into the test database."""
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        load_reference_data()
        for group in Group.objects.all():
            MIGRATED_GROUPS[group.name] = list(group.permissions.values_list("content_type__app_label", "codename"))


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Unit tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

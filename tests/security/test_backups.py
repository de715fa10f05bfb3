"""Backups, proven: `backup_data` then `restore_data` into an empty database gives back every row of every table
(history, sessions and the search index included), and search works on the restored database.

Runs on the database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL). The backup is made by another
process on PostgreSQL (pg_dump), so the data must be committed: these are transactional tests.
"""

import json
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from nwwmh_portal import backups
from roles import publishing, revisions
from roles.models import CaseStudy, Resource, Role
from roles.search import search_roles
from tests.factories import restore_migrated_groups

ROOT = Path(settings.BASE_DIR)
SEARCHES = ["prescribing", "physician assistant", "peer support"]


pytestmark = pytest.mark.usefixtures("fast_hasher")


@pytest.fixture
def content(restore_reference_data, transactional_db, client):
    """Reference data, people, a logged-in session, a published case study with its history and an approved
    revision: something in every kind of table a backup must keep."""
    call_command("load_reference_data", verbosity=0)
    restore_migrated_groups()  # an earlier transactional test may have flushed them
    curator = User.objects.create_user("curator", password="a-long-test-password", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    publisher = User.objects.create_user("publisher", password="a-long-test-password", is_staff=True)
    publisher.groups.add(Group.objects.get(name="Publishers"))
    curator, publisher = User.objects.get(pk=curator.pk), User.objects.get(pk=publisher.pk)
    client.force_login(curator)
    case_study = CaseStudy.objects.create(
        title="Backed up story",
        slug="backed-up-story",
        organisation="A trust",
        setting=CaseStudy.Setting.COMMUNITY,
        summary="S",
        body="B",
        source_url="https://example.org/",
        source_title="T",
        created_by=curator,
        updated_by=curator,
    )
    publishing.apply_transition(case_study=case_study, name="submit", user=curator)
    publishing.apply_transition(case_study=case_study, name="publish", user=publisher)
    resource = Resource.objects.first()
    resource.title = "A retitled resource"
    proposed = revisions.proposal_from(instance=resource, fields=["title"], m2m={}, inlines=[])
    resource.refresh_from_db()
    revisions.approve(
        revision=revisions.propose(instance=resource, proposed=proposed, user=curator, note="Retitled"),
        user=publisher,
    )


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the kind the suite runs on; dropped afterwards (PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    config = connection.settings_dict
    name = f"{config['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**{**backups._libpq_params(config), "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = f"{config['USER']}{':' + config['PASSWORD'] if config.get('PASSWORD') else ''}"
    try:
        yield f"postgres://{user}@{config['HOST']}:{config['PORT']}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def table_rows(*, url: str | None = None) -> dict[str, list[str]]:
    """Every row of every table (sorted text of each row): of the test database, or of the database at `url`."""
    if url is None:
        tables = connection.introspection.table_names()
        with connection.cursor() as cursor:
            return {table: _read(cursor, table, connection.vendor) for table in tables}
    config = backups.database_settings(url=url)
    if "sqlite3" in config["ENGINE"]:
        import sqlite3

        # The same type conversions as Django's connection (its converters are registered in the sqlite3 module).
        target = sqlite3.connect(config["NAME"], detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
        try:
            names = [row[0] for row in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            cursor = target.cursor()
            return {table: _read(cursor, table, "sqlite") for table in names if table != "sqlite_sequence"}
        finally:
            target.close()
    target = psycopg2.connect(**backups._libpq_params(config))
    try:
        with target.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return {table: _read(cursor, table, "postgresql") for (table,) in cursor.fetchall()}
    finally:
        target.close()


def _read(cursor, table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608 (table names from the catalogue)
        return sorted(row[0] for row in cursor.fetchall())
    cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
    return sorted(repr(tuple(row)) for row in cursor.fetchall())


SEARCH_SCRIPT = """
import json
from roles.models import Role, RoleFamily
from roles.search import search_roles
from tests.factories import load_reference_data, restore_migrated_groups
found = {q: [r.slug for r in search_roles(Role.objects.all(), q)] for q in %r}
role = Role.objects.create(slug="restore-check", name="Restore check", family=RoleFamily.objects.first(),
    summary="A quokka role.", scope_of_practice="-", registered=False, is_new_role=False, last_reviewed="2026-01-01")
found["quokka"] = [r.slug for r in search_roles(Role.objects.all(), "quokka")]
role.delete()
found["quokka after delete"] = [r.slug for r in search_roles(Role.objects.all(), "quokka")]
print(json.dumps(found))
"""


def search_in(url: str) -> dict:
    """Search the database at `url` with the portal's own code, in a separate process configured for it."""
    env = {**os.environ, "DATABASE_URL": url, "NWWMH_LOCAL": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", SEARCH_SCRIPT % (SEARCHES,)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_backup_restores_every_row_and_search_works(content, tmp_path, empty_database):
    backup = tmp_path / "portal.backup"
    call_command("backup_data", str(backup), verbosity=0)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds password hashes and sessions

    before = table_rows()
    for table in ("roles_historicalcasestudy", "roles_historicalresource", "roles_revision", "django_session"):
        assert before[table], f"{table} is empty: the test would prove nothing about it"
    if connection.vendor == "sqlite":
        assert before["roles_role_fts"], "the search index is part of the backup"

    call_command("restore_data", str(backup), "--database-url", empty_database, verbosity=0)
    after = table_rows(url=empty_database)
    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert after[table] == rows, table

    expected = {query: [role.slug for role in search_roles(Role.objects.all(), query)] for query in SEARCHES}
    assert all(expected.values())
    found = search_in(empty_database)
    assert {query: found[query] for query in SEARCHES} == expected
    # New rows get fresh ids (sequences restored) and are searchable (SQLite: the index triggers restored).
    assert found["quokka"] == ["restore-check"]
    assert found["quokka after delete"] == []

    with pytest.raises(CommandError, match="already has"):
        call_command("restore_data", str(backup), "--database-url", empty_database, verbosity=0)


def test_a_backup_never_overwrites_a_file(tmp_path, db):
    existing = tmp_path / "old.backup"
    existing.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup_data", str(existing), verbosity=0)
    assert existing.read_bytes() == b"an older backup"


def test_restore_refuses_a_database_that_is_not_empty_and_a_file_that_is_not_a_backup(tmp_path, db):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore_data", str(not_a_backup), verbosity=0)
    backup = tmp_path / "kind.backup"
    backup.write_bytes(backups.SQLITE_HEADER if connection.vendor == "postgresql" else backups.PG_DUMP_HEADER)
    with pytest.raises(CommandError, match="restore it into a"):
        call_command("restore_data", str(backup), verbosity=0)

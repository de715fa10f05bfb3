"""Backing up the whole database to one file, and restoring it into an empty database.

SQLite: the sqlite3 online backup API copies every page (tables, history, the FTS5 search index and its triggers)
while the site runs. PostgreSQL: `pg_dump --format=custom` and `pg_restore` (PostgreSQL's client tools, the same
major version as the server or newer). A backup holds password hashes and live sessions: it is written readable by
its owner only (mode 0600), and never over an existing file. See the README's "Backups" section.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

import dj_database_url
import psycopg2
from django.db import connections

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """The backup or restore could not be made; the message says why."""


def database_settings(*, alias: str = "default", url: str | None = None) -> dict:
    """The settings of database `alias`, or of the database at `url` (`postgres://…`, `sqlite:///…`)."""
    return dj_database_url.parse(url) if url else connections[alias].settings_dict


def _vendor(config: dict) -> str:
    engine = config["ENGINE"]
    if "sqlite3" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def _private_file(path: Path) -> None:
    """Create `path` empty, readable and writable by its owner only; refuse to overwrite a file."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise BackupError(f"{path} exists: choose a new file name (a backup never overwrites another).") from None


def backup(*, path: Path, alias: str = "default") -> str:
    """Write the whole of database `alias` to `path`; returns the database kind ("sqlite" or "postgresql")."""
    config = database_settings(alias=alias)
    vendor = _vendor(config)
    _private_file(path)
    try:
        if vendor == "sqlite":
            connection = connections[alias]
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"], config)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return vendor


def backup_kind(path: Path) -> str:
    with path.open("rb") as stream:
        header = stream.read(len(SQLITE_HEADER))
    if header.startswith(SQLITE_HEADER):
        return "sqlite"
    if header.startswith(PG_DUMP_HEADER):
        return "postgresql"
    raise BackupError(f"{path} is not a backup made by backup_data (neither SQLite nor pg_dump's custom format).")


def restore(*, path: Path, alias: str = "default", url: str | None = None) -> str:
    """Restore the backup at `path` into the database `alias` (or at `url`), which must be empty."""
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    config = database_settings(alias=alias, url=url)
    vendor = _vendor(config)
    kind = backup_kind(path)
    if kind != vendor:
        raise BackupError(f"{path} is a {kind} backup: restore it into a {kind} database, not {vendor}.")
    if vendor == "sqlite":
        _restore_sqlite(path, config)
    else:
        _refuse_unless_empty_postgresql(config)
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"], config, path)
    return vendor


def _restore_sqlite(path: Path, config: dict) -> None:
    name = str(config["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("Restore into a database file, not an in-memory database.")
    target = sqlite3.connect(name)
    try:
        tables = target.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables:
            raise BackupError(f"{name} already has {tables} tables: restore into a new, empty database.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(target)
        finally:
            source.close()
        problems = target.execute("PRAGMA integrity_check").fetchone()[0]
        if problems != "ok":
            raise BackupError(f"The restored database failed its integrity check: {problems}")
    finally:
        target.close()


def _refuse_unless_empty_postgresql(config: dict) -> None:
    connection = psycopg2.connect(**_libpq_params(config))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            )
            tables = cursor.fetchone()[0]
    finally:
        connection.close()
    if tables:
        raise BackupError(f"Database {config['NAME']} already has {tables} tables: restore into a new, empty database.")


def _libpq_params(config: dict) -> dict:
    params = {
        "dbname": config["NAME"],
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": str(config["PORT"]) if config.get("PORT") else None,
    }
    params.update({key: value for key, value in (config.get("OPTIONS") or {}).items() if key.startswith("ssl")})
    return {key: value for key, value in params.items() if value is not None}


def _run(command: list[str], config: dict, path: Path | None = None) -> None:
    """Run pg_dump / pg_restore against the database in `config`; the password goes in the environment only."""
    params = _libpq_params(config)
    env = {**os.environ}
    for key, variable in (("password", "PGPASSWORD"), ("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if key in params:
            env[variable] = params[key]
    args = [*command, f"--dbname={params['dbname']}"]
    for key, flag in (("host", "--host"), ("port", "--port"), ("user", "--username")):
        if key in params:
            args.append(f"{flag}={params[key]}")
    args.append("--no-password")
    if path is not None:
        args.append(str(path))
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed: install postgresql-client.") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")

"""A database that accepts connections but never answers (issue 11, finding 2): /healthz answers 503 within a few
seconds instead of hanging the worker, because PostgreSQL connections have a connect timeout (and statements a
statement timeout)."""

import json
import socket
import subprocess
import sys
import threading
import time

import pytest

from tests.helpers import ROOT, production_env


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts every connection and never sends a byte."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.connections = []
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        self.socket.settimeout(0.2)
        while not self.closed.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections.append(connection)  # held open, never answered

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.closed.set()
        self.thread.join(timeout=2)
        for connection in self.connections:
            connection.close()
        self.socket.close()


HEALTHZ = """
import json, time, django
django.setup()
from django.test import Client
started = time.monotonic()
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "seconds": time.monotonic() - started,
                  "body": response.json()}))
"""


def healthz_in_a_fresh_process(database_url: str, **env) -> tuple[dict, float]:
    environment = production_env(
        NWWMH_LOCAL="1", DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="nwwmh_portal.settings", **env
    )
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", HEALTHZ], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), elapsed


@pytest.mark.timeout(90)
def test_healthz_answers_503_within_seconds_when_the_database_never_answers():
    with SilentServer() as server:
        try:
            outcome, elapsed = healthz_in_a_fresh_process(f"postgres://portal@127.0.0.1:{server.port}/nwwmh")
        except subprocess.TimeoutExpired:
            pytest.fail("/healthz still had no answer after 60 seconds: no database connect timeout")
        assert server.connections, "the portal never tried the database"
    assert outcome["status"] == 503
    assert outcome["body"] == {"status": "error", "database": "unavailable"}
    # The default connect timeout is 5 seconds; libpq may try twice (with and without TLS).
    assert outcome["seconds"] < 12, outcome
    print(f"/healthz answered 503 after {outcome['seconds']:.1f} s ({elapsed:.1f} s with start-up)")


@pytest.mark.timeout(90)
def test_the_connect_timeout_is_a_setting():
    with SilentServer() as server:
        outcome, _ = healthz_in_a_fresh_process(
            f"postgres://portal@127.0.0.1:{server.port}/nwwmh", DATABASE_CONNECT_TIMEOUT="2"
        )
    assert outcome["status"] == 503
    assert outcome["seconds"] < 5.5, outcome


SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps(settings.DATABASES["default"]["OPTIONS"]))
"""


def test_postgresql_connections_get_connect_statement_and_tcp_timeouts():
    environment = production_env(
        NWWMH_LOCAL="1",
        DATABASE_URL="postgres://portal@db.example:5432/nwwmh",
        DATABASE_STATEMENT_TIMEOUT="7000",
        DJANGO_SETTINGS_MODULE="nwwmh_portal.settings",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETTINGS], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    assert options["connect_timeout"] == 5
    assert options["options"] == "-c statement_timeout=7000"
    assert options["tcp_user_timeout"] == 10000


@pytest.mark.django_db
def test_the_statement_timeout_stops_a_slow_query_on_postgresql(settings):
    from django.db import OperationalError, connection

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "15s"
        cursor.execute("SET LOCAL statement_timeout = 200")
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(5)")
    assert time.monotonic() - started < 2

"""Who may reach every API URL: a URL × method × client matrix, as `test_planning_access.py` does for the pages.

Organisation A (Northshire) has a lead with a token, a baseline plan and a scenario; organisation B (Southshire) has
a lead with a token. For every URL in the `api` namespace and every method, each of these clients asks for A's
object (or the list):

- anonymous, and a curator signed in to the site with no token: the catalogue reads; plans are a 401 that says
  how to send a token (a browser session is not a token);
- token of A's lead: reads everything of A's; every write method is a 405 (the API only reads);
- token of B's lead, and a curator's token (no membership): the catalogue, and for A's plan a response identical to
  the one for a missing id (status and body): they cannot tell A's plan exists;
- a revoked token: 401 everywhere the API authenticates, whatever the method.

The matrix must name every URL in the `api` namespace, so a new API URL cannot ship without a row.
"""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from planning.models import DemandLine, Plan, StaffingLine
from tests.factories import api_world
from tests.helpers import assert_matrix_names_every_url, bearer, manager_uses

MISSING = 999_999
CLIENTS = ["anonymous", "curator_session", "token_a", "token_b", "curator_token", "revoked"]
READS = ["GET", "HEAD", "OPTIONS"]
WRITES = ["POST", "PUT", "PATCH", "DELETE"]
METHODS = READS + WRITES


@pytest.fixture
def world(db):
    return api_world()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@dataclass(frozen=True)
class Row:
    kind: str  # "public" (catalogue, downloads, schema), "page" (HTML documentation), "plan" (token needed)
    object: str | None = None  # what the URL names: a slug, or "plan" for A's plan


MATRIX = {
    "role-list": Row("public"),
    "role-detail": Row("public", "mental-health-nurse"),
    "family-list": Row("public"),
    "family-detail": Row("public", "nursing"),
    "capability-list": Row("public"),
    "capability-detail": Row("public", "independent-prescribing"),
    "case-study-list": Row("public"),
    "case-study-detail": Row("public", "lived-experience-connector-cheshire-and-wirral"),
    "resource-list": Row("public"),
    "resource-detail": Row("public", "advanced-practice-mental-health-implementation-guide"),
    "download-zip": Row("public"),
    "download-json": Row("public"),
    "download-xlsx": Row("public"),
    "schema": Row("public"),
    "docs": Row("page"),
    "plan-list": Row("plan"),
    "plan-detail": Row("plan", "plan"),
    "plan-results": Row("plan", "plan"),
}


def test_the_matrix_covers_every_api_url():
    assert_matrix_names_every_url(MATRIX, "api")


def url_for(world, name: str, missing: bool = False) -> str:
    row = MATRIX[name]
    if row.object is None:
        return reverse(f"api:{name}")
    if row.object == "plan":
        return reverse(f"api:{name}", kwargs={"pk": MISSING if missing else world.plan.pk})
    return reverse(f"api:{name}", kwargs={"slug": "no-such-slug" if missing else row.object})


def client_and_headers(world, who: str) -> tuple[Client, dict]:
    client = Client()
    if who == "curator_session":
        client.force_login(world.curator)
    secret = {
        "token_a": world.token_a.secret,
        "token_b": world.token_b.secret,
        "curator_token": world.curator_token.secret,
        "revoked": world.revoked.secret,
    }.get(who)
    return client, (bearer(secret) if secret else {})


def call(client: Client, method: str, url: str, headers: dict):
    return client.generic(method, url, **headers)


def snapshot():
    return (
        list(Plan.objects.order_by("pk").values_list("pk", "name", "status", "version")),
        list(StaffingLine.objects.order_by("pk").values_list("pk", "plan_id", "fte")),
        list(DemandLine.objects.order_by("pk").values_list("pk", "plan_id", "caseload")),
    )


def expected_status(row: Row, name: str, who: str, method: str) -> int | str:
    """A status, or "as missing" (identical to the response for a missing id)."""
    if row.kind == "page":  # server-rendered HTML: no token authentication, GET and HEAD only
        return 200 if method in ("GET", "HEAD") else 405
    if who == "revoked":
        return 401
    if row.kind == "public":
        return 200 if method in READS else 405
    # Plans.
    if who in ("anonymous", "curator_session"):
        return 401
    if method in WRITES:
        return 405
    if who == "token_a" or row.object is None or method == "OPTIONS":
        return 200
    return "as missing"


CASES = [(name, who) for name in MATRIX for who in CLIENTS]


@pytest.mark.parametrize(("name", "who"), CASES, ids=[f"{name}-{who}" for name, who in CASES])
def test_access(world, name, who):
    row = MATRIX[name]
    client, headers = client_and_headers(world, who)
    url = url_for(world, name)
    before = snapshot()
    for method in METHODS:
        expected = expected_status(row, name, who, method)
        response = call(client, method, url, headers)
        if expected == "as missing":
            missing = call(client, method, url_for(world, name, missing=True), headers)
            assert response.status_code == missing.status_code == 404, (method, url, response.status_code)
            assert response.content == missing.content, (method, url)
            continue
        assert response.status_code == expected, (method, url, response.status_code, response.content[:200])
        if row.kind != "page" and method != "HEAD" and expected != 200:
            assert b"detail" in response.content, (method, url)
            if name != "schema":  # the schema view answers in the OpenAPI media types (YAML by default)
                assert response["Content-Type"] == "application/json", (method, url)
    assert snapshot() == before


def test_what_token_a_reads_is_a_s_plan(world):
    client, headers = client_and_headers(world, "token_a")
    body = client.get(url_for(world, "plan-detail"), **headers).json()
    assert body["id"] == world.plan.pk
    listed = client.get(url_for(world, "plan-list"), **headers).json()["results"]
    assert {plan["id"] for plan in listed} == {world.plan.pk, world.scenario.pk}
    for who in ("token_b", "curator_token"):
        client, headers = client_and_headers(world, who)
        listed = client.get(url_for(world, "plan-list"), **headers).json()["results"]
        assert world.plan.pk not in {plan["id"] for plan in listed}, who


def test_matrix_size():
    assert len(CASES) == len(MATRIX) * len(CLIENTS)
    assert len(MATRIX) >= 18


def test_plan_api_reads_planning_data_only_through_the_selectors():
    """The rule `test_scoped_views.py` applies to `planning/*views*.py`, applied to `planning/api/`: no model
    manager, so every query is scoped to the token owner's organisations by `planning.selectors`."""
    from pathlib import Path

    modules = sorted((Path(__file__).resolve().parents[2] / "planning" / "api").glob("*.py"))
    assert {path.name for path in modules} >= {"views.py", "serializers.py", "results.py"}
    for path in modules:
        managers = manager_uses(path.read_text(encoding="utf-8"))
        assert not managers, f"planning/api/{path.name} uses a model manager on line(s) {managers}"

"""The OpenAPI description, fuzzed: schemathesis generates requests for every operation from the description the
portal serves at /api/v1/schema/ and checks each response (no 5xx; the status, content type, headers and body are
the ones described). Bounded and derandomised, so it is repeatable and quick enough for every run."""

import time

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from nwwmh_portal.wsgi import application
from tests.factories import api_world

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 12  # an operation and mode
OPERATIONS = 16  # in the description: 5 catalogue lists and details, 3 downloads, 3 plan operations
LISTS = 6  # operations with query parameters: the five catalogue lists and the plan list
TIME_BUDGET_SECONDS = 60
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def connections_kept_open():
    """schemathesis calls the real WSGI application, which closes database connections when a request ends; the
    test's transaction lives on one connection, so keep it open (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(settings, connections_kept_open):
    settings.NWWMH_API_RATES = {"anonymous": "100000/minute", "token": "100000/minute"}
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


def operations(schema):
    found = [result.ok() for result in schema.get_all_operations()]
    assert found, "the description has no operations"
    return found


def fuzz(operation, headers: dict, mode: GenerationMode) -> int:
    calls = 0

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal calls
        cache.clear()  # no throttling between examples
        case.call_and_validate(headers=headers, checks=CHECKS)
        calls += 1

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.NEGATIVE:
            return 0  # nothing in this operation's input can be made invalid (a free-text slug, say)
        raise
    except Exception as error:
        raise AssertionError(f"{operation.label} ({mode.value})") from error
    return calls


def test_every_operation_answers_as_described(api_schema):
    world = api_world()
    token = {"Authorization": f"Bearer {world.token_a.secret}"}
    started = time.monotonic()
    tried, negative = {}, {}
    for operation in operations(api_schema):
        headers = token if operation.path.startswith("/api/v1/plans") else {}
        tried[operation.label] = fuzz(operation, headers, GenerationMode.POSITIVE)
        # Invalid input where input can be invalid (the downloads take none; a slug may be any text).
        if len(operation.query):
            negative[operation.label] = fuzz(operation, headers, GenerationMode.NEGATIVE)
    elapsed = time.monotonic() - started
    requests = sum(tried.values()) + sum(negative.values())
    print(f"fuzzed {len(tried)} operations ({len(negative)} also with bad input): {requests} requests, {elapsed:.1f}s")
    assert len(tried) == OPERATIONS, tried
    assert all(count > 0 for count in tried.values()), tried
    assert len(negative) == LISTS and all(count > 0 for count in negative.values()), negative
    assert elapsed < TIME_BUDGET_SECONDS * 2, f"the fuzz took {elapsed:.0f} s"


def test_real_objects_answer_as_described(api_schema):
    """Random ids and slugs are mostly 404s: check the real objects too, with and without a token."""
    world = api_world()
    token = {"Authorization": f"Bearer {world.token_a.secret}"}
    real = {"id": world.plan.pk, "slug": None}
    slugs = {
        "/api/v1/roles/{slug}/": "mental-health-nurse",
        "/api/v1/role-families/{slug}/": "nursing",
        "/api/v1/capabilities/{slug}/": "independent-prescribing",
        "/api/v1/case-studies/{slug}/": "lived-experience-connector-cheshire-and-wirral",
        "/api/v1/resources/{slug}/": "advanced-practice-mental-health-implementation-guide",
    }
    checked = 0
    for operation in operations(api_schema):
        path_parameters = {}
        if "{id}" in operation.path:
            path_parameters = {"id": real["id"]}
        elif "{slug}" in operation.path:
            path_parameters = {"slug": slugs[operation.path]}
        for headers in ({}, token):
            cache.clear()
            case = operation.Case(path_parameters=path_parameters)
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            plans = operation.path.startswith("/api/v1/plans")
            assert response.status_code == (401 if plans and not headers else 200), (operation.label, headers)
            checked += 1
    assert checked == 2 * OPERATIONS

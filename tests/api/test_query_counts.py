"""API list endpoints run a fixed number of queries: ten times the data (and 100 results a page) takes no more
queries than the reference data does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planning import services
from planning.models import StaffingLine
from roles.models import Role
from tests.factories import api_world, make_ten_times_the_catalogue
from tests.helpers import bearer

pytestmark = pytest.mark.django_db

CEILING = 15  # queries an API request may ever take (a download: one a table; a token adds 3: look-up, log, last used)
BIG_PAGE = "page_size=100"

CATALOGUE = [
    pytest.param(f"/api/v1/roles/?{BIG_PAGE}", id="roles"),
    pytest.param(f"/api/v1/roles/?q=practitioner&{BIG_PAGE}", id="roles-search"),
    pytest.param(f"/api/v1/roles/?q=practitioner&band=5&registered=false&{BIG_PAGE}", id="roles-search-filters"),
    pytest.param(f"/api/v1/roles/?capability=independent-prescribing&family=nursing&{BIG_PAGE}", id="roles-facets"),
    pytest.param("/api/v1/roles/mental-health-nurse/", id="role-detail"),
    pytest.param(f"/api/v1/role-families/?{BIG_PAGE}", id="families"),
    pytest.param("/api/v1/role-families/nursing/", id="family-detail"),
    pytest.param(f"/api/v1/capabilities/?{BIG_PAGE}", id="capabilities"),
    pytest.param("/api/v1/capabilities/independent-prescribing/", id="capability-detail"),
    pytest.param(f"/api/v1/case-studies/?{BIG_PAGE}", id="case-studies"),
    pytest.param(f"/api/v1/case-studies/?role=lived-experience-connector&{BIG_PAGE}", id="case-studies-filtered"),
    pytest.param(f"/api/v1/resources/?{BIG_PAGE}", id="resources"),
    pytest.param(f"/api/v1/resources/?kind=guide&role=peer-support-worker&{BIG_PAGE}", id="resources-filtered"),
    pytest.param("/api/v1/downloads/catalogue.json", id="download-json"),
    pytest.param("/api/v1/downloads/catalogue.zip", id="download-zip"),
]


def queries_for(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", CATALOGUE)
def test_ten_times_the_catalogue_takes_no_more_queries(client, django_assert_max_num_queries, url):
    client.get(url)
    base = queries_for(client, url)
    assert base <= CEILING
    make_ten_times_the_catalogue()
    with django_assert_max_num_queries(base):
        response = client.get(url)
    assert response.status_code == 200


def test_the_generated_catalogue_fills_the_big_pages(client):
    make_ten_times_the_catalogue()
    assert len(client.get(f"/api/v1/roles/?{BIG_PAGE}").json()["results"]) == 100
    assert len(client.get(f"/api/v1/resources/?{BIG_PAGE}").json()["results"]) == 100
    assert len(client.get(f"/api/v1/case-studies/?{BIG_PAGE}").json()["results"]) >= 80


def add_plans(world, count: int) -> None:
    """`count` more plans for A's team, each with five staffing lines."""
    roles = list(Role.objects.order_by("slug")[:5])
    for n in range(count):
        plan = services.create_plan(
            team=world.team, user=world.lead, values={"name": f"Plan {n}", "start_year": 2026, "horizon_years": 5}
        )
        StaffingLine.objects.bulk_create(
            StaffingLine(plan=plan, role=role, band=5, fte=1, establishment_fte=1) for role in roles
        )


@pytest.mark.parametrize("path", ["/api/v1/plans/?page_size=100", "results"], ids=["plans", "plan-results"])
def test_ten_times_the_plans_takes_no_more_queries(client, django_assert_max_num_queries, path):
    world = api_world()
    url = f"/api/v1/plans/{world.plan.pk}/results/" if path == "results" else path
    headers = bearer(world.token_a.secret)
    client.get(url, **headers)
    base = queries_for(client, url, **headers)
    assert base <= CEILING + 10  # the engine's inputs: plan, lines, roles, capabilities, targets, pay…
    add_plans(world, 20)
    StaffingLine.objects.bulk_create(
        StaffingLine(plan=world.plan, role=role, band=6, fte=1, establishment_fte=1)
        for role in Role.objects.order_by("slug")[:20]
    )
    with django_assert_max_num_queries(base):
        response = client.get(url, **headers)
    assert response.status_code == 200
    if path != "results":
        assert response.json()["count"] == 22

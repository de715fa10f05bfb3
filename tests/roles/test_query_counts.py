"""The public pages run a fixed number of queries: ten times the data takes no more queries than the reference data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.models import (
    CaseStudy,
    Resource,
    Role,
    RoleFamily,
)
from tests.factories import EXTRA_ROLES, ROLE_SLUGS, make_ten_times_the_catalogue
from tests.helpers import result_count

pytestmark = pytest.mark.django_db

CEILING = 15  # queries a public page may ever take


def test_the_generated_catalogue_is_ten_times_the_reference_data(client):
    make_ten_times_the_catalogue()
    assert Role.objects.count() == len(ROLE_SLUGS) + EXTRA_ROLES
    assert result_count(client.get("/roles/")) == len(ROLE_SLUGS) + EXTRA_ROLES
    assert result_count(client.get("/roles/?q=practitioner")) > EXTRA_ROLES
    nurse = client.get("/roles/mental-health-nurse/").content.decode()
    assert nurse.count('href="/roles/bulk-role-') >= 40
    assert client.get("/").content.decode().count("/roles/?family=") == RoleFamily.objects.count()
    assert CaseStudy.objects.count() >= 10 * 2 and Resource.objects.count() >= 10 * 12


PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/roles/", id="list"),
    pytest.param("/roles/?q=practitioner", id="search"),
    pytest.param("/roles/?q=practitioner+community&band=5&registered=false", id="search-and-filters"),
    pytest.param("/roles/?band=5&band=8a&registered=true&new_role=false", id="band-and-yes-no-filters"),
    pytest.param(
        "/roles/?family=psychological-professions&capability=low-intensity-interventions", id="family-capability"
    ),
    pytest.param(
        "/roles/?q=practitioner&family=psychological-professions&regulator=bps&band=5", id="search-and-facets"
    ),
    pytest.param("/roles/mental-health-nurse/", id="detail"),
    pytest.param("/roles/compare/?roles=peer-support-worker,mental-health-nurse,social-worker", id="compare"),
    pytest.param("/case-studies/", id="case-studies"),
    pytest.param("/case-studies/?role=lived-experience-connector&setting=education", id="case-studies-filtered"),
    pytest.param("/case-studies/?page=2", id="case-studies-page-2"),
    pytest.param("/case-studies/lived-experience-connector-cheshire-and-wirral/", id="case-study"),
    pytest.param("/resources/", id="resources"),
    pytest.param("/resources/?kind=guide&role=peer-support-worker", id="resources-filtered"),
    pytest.param("/resources/?page=3", id="resources-page-3"),
]


@pytest.mark.parametrize("url", PAGES)
def test_ten_times_the_data_takes_no_more_queries(client, django_assert_max_num_queries, url):
    client.get(url)  # warm up: nothing cached on the first request may count against the base
    with CaptureQueriesContext(connection) as base:
        response = client.get(url)
    assert response.status_code == 200
    assert len(base.captured_queries) <= CEILING

    make_ten_times_the_catalogue()

    with django_assert_max_num_queries(len(base.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(CEILING):
        client.get(url)

"""The public catalogue API: the same search, filters and visibility as the public pages, pagination with links,
conditional GET, CORS for reads, throttling per client, and JSON errors."""

import pytest

from roles import selectors
from roles.filters import RoleFilter
from roles.models import CaseStudy, Role
from roles.search import search_roles
from tests.factories import make_case_study
from tests.helpers import all_results, bearer

pytestmark = pytest.mark.django_db

ROLE_QUERIES = [
    "",
    "q=prescribing",
    "q=physician+assistant",
    "band=5&band=8a",
    "family=psychological-professions&registered=true",
    "capability=independent-prescribing&capability=approved-clinician",
    "q=practitioner&new_role=true",
    "regulator=hcpc&regulator=nmc",
]


def page_slugs(query: str) -> list[str]:
    """What /roles/ lists for the same query string, through the page's own selectors, search and FilterSet."""
    from django.http import QueryDict

    params = QueryDict(query)
    roles = selectors.catalogue_roles()
    if params.get("q"):
        roles = search_roles(roles, params["q"])
    filterset = RoleFilter(params, queryset=roles)
    assert filterset.is_valid(), filterset.errors
    return [role.slug for role in filterset.filtered_without(roles, None)]


@pytest.mark.parametrize("query", ROLE_QUERIES)
def test_role_list_matches_the_catalogue_page(client, query):
    expected = page_slugs(query)
    results = all_results(client, f"/api/v1/roles/?{query}&page_size=7")
    assert [role["slug"] for role in results] == expected
    if query.startswith("q="):
        assert expected, "the search should find something"


def test_role_list_really_filters():
    assert len(page_slugs("")) == Role.objects.count()
    assert 0 < len(page_slugs("band=5&band=8a")) < Role.objects.count()


def test_role_detail_has_every_fact(client):
    role = selectors.role_profile("mental-health-nurse")
    body = client.get("/api/v1/roles/mental-health-nurse/").json()
    assert body["name"] == role.name
    assert body["family"]["slug"] == role.family.slug
    assert body["regulator"]["slug"] == role.regulator.slug
    assert body["scope_of_practice"] == role.scope_of_practice
    assert body["last_reviewed"] == role.last_reviewed.isoformat()
    assert {item["slug"] for item in body["capabilities"]} == {
        link.capability.slug for link in role.role_capabilities.all()
    }
    assert {item["slug"] for item in body["training_routes"]} == {route.slug for route in role.training_routes.all()}
    assert {item["url"] for item in body["sources"]} == {source.url for source in role.sources.all()}
    assert {item["slug"] for item in body["related_roles"]} == {other.slug for other in role.related_roles.all()}
    assert body["capabilities"] and body["training_routes"] and body["sources"]
    assert body["web_url"] == "http://testserver/roles/mental-health-nurse/"
    assert body["url"] == "http://testserver/api/v1/roles/mental-health-nurse/"


def test_every_role_family_capability_and_resource_is_listed(client):
    from roles.models import Capability, Resource, RoleFamily

    assert len(all_results(client, "/api/v1/role-families/")) == RoleFamily.objects.count()
    assert len(all_results(client, "/api/v1/capabilities/")) == Capability.objects.count()
    assert len(all_results(client, "/api/v1/resources/")) == Resource.objects.count()
    family = client.get("/api/v1/role-families/nursing/").json()
    assert {role["slug"] for role in family["roles"]} == set(
        Role.objects.filter(family__slug="nursing").values_list("slug", flat=True)
    )
    capability = client.get("/api/v1/capabilities/independent-prescribing/").json()
    assert {role["slug"] for role in capability["roles"]} == set(
        Role.objects.filter(capabilities__slug="independent-prescribing").values_list("slug", flat=True)
    )


def test_only_published_case_studies(client):
    published = set(CaseStudy.objects.published().values_list("slug", flat=True))
    assert published
    make_case_study(None, slug="a-draft")  # a draft about peer support workers
    listed = {item["slug"] for item in all_results(client, "/api/v1/case-studies/")}
    assert listed == published
    assert client.get("/api/v1/case-studies/a-draft/").status_code == 404
    role = client.get("/api/v1/roles/peer-support-worker/").json()
    assert "a-draft" not in {item["slug"] for item in role["case_studies"]}
    slug = sorted(published)[0]
    detail = client.get(f"/api/v1/case-studies/{slug}/").json()
    assert detail["body"] and detail["roles"]


def test_case_study_and_resource_filters_are_the_pages_filters(client):
    connector = all_results(client, "/api/v1/case-studies/?role=lived-experience-connector")
    assert connector and all(
        "lived-experience-connector" in {role["slug"] for role in item["roles"]} for item in connector
    )
    guides = all_results(client, "/api/v1/resources/?kind=guide")
    assert guides and {item["kind"] for item in guides} == {"guide"}


def test_bad_filters_are_a_400_naming_the_parameter(client):
    response = client.get("/api/v1/roles/?band=99&family=no-such-family")
    assert response.status_code == 400
    assert set(response.json()) == {"band", "family"}
    assert client.get("/api/v1/case-studies/?setting=moon").status_code == 400


def test_unknown_slug_is_a_json_404(client):
    response = client.get("/api/v1/roles/no-such-role/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_pagination_links_in_body_and_header(client):
    first = client.get("/api/v1/roles/?page_size=5")
    body = first.json()
    assert body["count"] == Role.objects.count()
    assert len(body["results"]) == 5
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/roles/?page=2&page_size=5"
    assert first["Link"] == '<http://testserver/api/v1/roles/?page=2&page_size=5>; rel="next"'
    second = client.get(body["next"])
    assert 'rel="prev"' in second["Link"] and 'rel="next"' in second["Link"]
    assert client.get("/api/v1/roles/?page=999").status_code == 404
    assert len(client.get("/api/v1/roles/?page_size=1000").json()["results"]) == Role.objects.count()  # ≤ 100


def test_conditional_get(client):
    url = "/api/v1/roles/mental-health-nurse/"
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60"
    assert "Authorization" in first["Vary"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    Role.objects.filter(slug="mental-health-nurse").update(summary="Changed.")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["summary"] == "Changed."
    # First seen now: a copy from before the change is older, so it is sent again.
    assert client.get(url, HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 2015 00:00:00 GMT").status_code == 200


def test_cors_is_open_for_reads_of_the_api_only(client):
    origin = {"HTTP_ORIGIN": "https://careers.example.org"}
    response = client.get("/api/v1/roles/", **origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/plans/",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
        **origin,
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/roles/", **origin)
    assert "Access-Control-Allow-Origin" not in client.get("/open-data/", **origin)


def test_the_api_only_reads(client):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/roles/mental-health-nurse/")
        assert response.status_code == 405, method
        assert "detail" in response.json()


def test_throttled_per_client_with_a_clear_429(client, settings):
    settings.NWWMH_API_RATES = {"anonymous": "3/minute", "token": "5/minute"}
    for _ in range(3):
        assert client.get("/api/v1/role-families/").status_code == 200
    response = client.get("/api/v1/role-families/")
    assert response.status_code == 429
    body = response.json()
    assert body["detail"].startswith("Too many requests: this API allows 3 requests a minute from each client.")
    assert 1 <= body["retry_after"] <= 60
    assert response["Retry-After"] == str(body["retry_after"])
    # Another address is another client.
    assert client.get("/api/v1/role-families/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_throttled_by_token_owner(client, settings):
    from tests.factories import api_world

    world = api_world()
    settings.NWWMH_API_RATES = {"anonymous": "1/minute", "token": "3/minute"}
    headers = bearer(world.token_a.secret)
    for n in range(3):
        assert client.get("/api/v1/plans/", REMOTE_ADDR=f"192.0.2.{n}", **headers).status_code == 200
    response = client.get("/api/v1/plans/", REMOTE_ADDR="192.0.2.99", **headers)
    assert response.status_code == 429
    assert "3 requests a minute" in response.json()["detail"]
    # Another token owner is another client.
    assert client.get("/api/v1/plans/", **bearer(world.token_b.secret)).status_code == 200


def test_a_bad_token_is_refused_even_on_public_data(client):
    response = client.get("/api/v1/roles/", HTTP_AUTHORIZATION="Bearer nwwmh_not-a-real-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "revoked" in response.json()["detail"]
    assert client.get("/api/v1/roles/", HTTP_AUTHORIZATION="Basic abc").status_code == 401

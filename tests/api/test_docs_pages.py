"""The OpenAPI description at /api/v1/schema/ and the documentation page made from it."""

import re

import pytest
import yaml

from nwwmh_portal.api import docs

pytestmark = pytest.mark.django_db


def test_the_description_is_openapi_3_with_the_licence_and_token_scheme(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1.0.0"
    assert schema["info"]["license"]["name"] == "Open Government Licence v3.0"
    assert schema["components"]["securitySchemes"]["personalAccessToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal access token (read only), made at /account/tokens/.",
    }
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    as_json = client.get("/api/v1/schema/?format=json")
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert as_json.json()["paths"].keys() == schema["paths"].keys()
    # Plans need a token; the catalogue does not.
    assert schema["paths"]["/api/v1/plans/"]["get"]["security"] == [{"personalAccessToken": []}]
    assert {} in schema["paths"]["/api/v1/roles/"]["get"]["security"]


def test_the_docs_page_shows_every_operation_and_schema(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    for path, item in schema["paths"].items():
        for method in item:
            if method in docs.METHODS:
                assert f"<code>{method.upper()} {path}</code>" in page, (method, path)
    for name in schema["components"]["schemas"]:
        assert f'id="{docs.schema_anchor(name)}"' in page, name
    for anchor in re.findall(r'href="#([^"]+)"', page):
        assert f'id="{anchor}"' in page, f"link to a missing anchor #{anchor}"
    assert "Open Government Licence v3.0" in page
    assert "Token needed" in page


def test_no_inline_script_or_style_on_the_open_data_pages(client):
    for url in ("/api/v1/docs/", "/open-data/"):
        response = client.get(url)
        page = response.content.decode()
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), url
        assert "<style" not in page and " style=" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url  # no inline event handlers


def test_types_read_from_the_schema():
    assert docs.type_of({"type": "array", "items": {"$ref": "#/components/schemas/Role"}}) == (
        "array of Role",
        "schema-role",
    )
    assert docs.type_of({"type": "string", "enum": ["a", "b", None], "nullable": True}) == (
        "string, one of: a, b or null",
        None,
    )
    assert docs.type_of({"type": "string", "format": "uri"}) == ("string (uri)", None)
    assert docs.type_of({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": True}) == ("X or null", "schema-x")
    assert docs.type_of({}) == ("any", None)


def test_describing_the_api_leaves_the_pages_filters_alone(client):
    """Generating the description reads the catalogue's FilterSets; the pages' error messages keep their labels."""
    docs.openapi_schema()
    assert client.get("/api/v1/schema/").status_code == 200
    page = client.get("/case-studies/?setting=moon").content.decode()
    assert "Setting: Select a valid choice" in page
    page = client.get("/roles/?band=99").content.decode()
    assert "Agenda for Change band (qualified): Select a valid choice" in page

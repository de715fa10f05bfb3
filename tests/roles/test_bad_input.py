"""Odd and hostile query strings on /roles/ and /roles/compare/: a page or a 400 with an error summary, never a 500."""

import re

import pytest

from tests.factories import ROLE_SLUGS
from tests.helpers import result_count, text

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"

ODD_VALUES = [
    "nope",
    "99",
    "maybe",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "%00",
    "a%00b",
    "%C3%A9t%C3%A9",  # été
    "%F0%9F%A7%A0",  # emoji
    "%E2%80%AE%E2%80%8B",  # right-to-left override, zero-width space
    "%FF%FE",  # not UTF-8
    "' OR 1=1 --",
    "'; DROP TABLE roles_role; --",
    '"peer" AND NEAR(peer nurse) *',
    "../../etc/passwd",
    "x" * 300,
]

# Values as they appear in the query string, already URL-encoded where it matters.
ENCODED = {
    SCRIPT: "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    '"><img src=x onerror=alert(1)>': "%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
}


def encoded(value: str) -> str:
    return ENCODED.get(value, value.replace(" ", "+").replace("'", "%27").replace('"', "%22").replace(";", "%3B"))


# The choice facets (band, yes/no) only compare with their fixed choices, so fewer values will do for them.
FEW_ODD_VALUES = ["99", "maybe", SCRIPT, "%00", "%F0%9F%A7%A0", "%FF%FE", "'; DROP TABLE roles_role; --"]

LIST_QUERIES = [
    *[f"{param}={encoded(value)}" for param in ("family", "capability", "regulator", "q") for value in ODD_VALUES],
    *[f"{param}={encoded(value)}" for param in ("band", "registered", "new_role") for value in FEW_ODD_VALUES],
    "family=nope&band=99&registered=maybe&new_role=perhaps&capability=" + encoded(SCRIPT),
    "q=" + "a" * 10_000,
    "q=" + "peer+" * 2_000,
    "q=%00",
    "q=%00%00%00peer",
    "q=%20%20%20",
    "q=&q=peer&q=",
    "q=peer&q=nurse",
    "registered=true&registered=false",
    "new_role=true&new_role=true&new_role=maybe",
    "band=5&band=5&band=5",
    "band=" + "&band=".join(str(n) for n in range(100)),
    "band=8a&band=8A&band=8%20a",
    "family=" + "&family=".join(["nope"] * 200),
    "page=-1&sort=name&unknown=1",
    "q[]=peer&family[]=nursing",
    "%00=%00",
    "=",
    "&&&",
]

COMPARE_QUERIES = [
    *[f"roles={encoded(value)}" for value in ODD_VALUES],
    "roles=" + ",".join(["peer-support-worker"] * 500),
    "roles=" + ",".join(f"role-{n}" for n in range(500)),
    "roles=" + "x" * 10_000,
    "roles=peer-support-worker%00",
    "roles=peer-support-worker,%00,social-worker",
    "roles=peer-support-worker&roles=" + encoded(SCRIPT) + "&roles=social-worker",
    "roles=PEER-SUPPORT-WORKER,Social-Worker",
    "roles=,",
    "roles[]=peer-support-worker",
    "roles=%F0%9F%A7%A0,peer-support-worker",
]


def compare_query(query: str):
    return pytest.param(query)


def check(response):
    assert response.status_code in (200, 400), response.status_code
    html = text(response)
    assert "</html>" in html
    if response.status_code == 400:
        assert "There is a problem" in html
        assert 'class="nhsuk-error-summary"' in html
    # Nothing the user typed comes back as markup.
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "an inline script tag"
    return html


@pytest.mark.parametrize("query", LIST_QUERIES)
def test_role_list_survives_odd_query_strings(client, query):
    check(client.get(f"/roles/?{query}"))


@pytest.mark.parametrize("query", [compare_query(query) for query in COMPARE_QUERIES])
def test_compare_survives_odd_query_strings(client, query):
    check(client.get(f"/roles/compare/?{query}"))


@pytest.mark.parametrize(
    ("param", "value", "label"),
    [
        ("family", "nope", "Role family"),
        ("capability", "nope", "Can do"),
        ("regulator", "nope", "Regulator or register"),
        ("band", "99", "Agenda for Change band (qualified)"),
        ("registered", "maybe", "Statutory registration required"),
        ("new_role", "maybe", "New role"),
    ],
)
def test_unknown_facet_value_is_a_400_that_ignores_it(client, param, value, label):
    response = client.get("/roles/", {param: value})
    assert response.status_code == 400
    html = check(response)
    assert re.search(rf"<li>{re.escape(label)}: [^<]*We ignored it\.</li>", html)
    assert result_count(response) == len(ROLE_SLUGS)  # the bad value is ignored, not applied


def test_valid_filters_still_apply_beside_an_invalid_one(client):
    response = client.get("/roles/", {"registered": "true", "band": "99"})
    assert response.status_code == 400
    assert 0 < result_count(response) < len(ROLE_SLUGS)


def test_script_in_a_facet_value_is_escaped(client):
    response = client.get("/roles/", {"capability": SCRIPT})
    html = check(response)
    assert response.status_code == 400
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_script_in_the_search_is_escaped(client):
    response = client.get("/roles/", {"q": SCRIPT})
    html = check(response)
    assert response.status_code == 200
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "matching “&lt;script&gt;alert(1)&lt;/script&gt;”" in html
    assert "<title>Search results for &lt;script&gt;" in html


def test_script_in_compare_is_escaped(client):
    response = client.get("/roles/compare/", {"roles": SCRIPT})
    html = check(response)
    assert response.status_code == 400
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_very_long_search_is_cut_and_explained(client):
    response = client.get("/roles/", {"q": "peer " + "x" * 10_000})
    assert response.status_code == 400
    html = check(response)
    assert "Search for 200 characters or fewer. We searched for the first 200." in html
    assert "x" * 201 not in html


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("url", ["/", "/roles/", "/roles/compare/?roles=amhp", "/roles/amhp/"])
def test_pages_only_answer_safe_methods(client, method, url):
    assert getattr(client, method)(url).status_code == 405

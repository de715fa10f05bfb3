"""The public catalogue pages: home, role list, role profile, comparison and the 404 page."""

import re
from html import escape, unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from roles.models import Capability, Role, RoleCapability, RoleFamily
from tests.factories import ROLE_SLUGS, make_role
from tests.helpers import TITLE_SUFFIX, active_filter_links, page_title, result_count, result_slugs, text

pytestmark = pytest.mark.django_db


def rows(html: str, caption: str) -> list[list[str]]:
    """The body rows (header cell then data cells, as text) of the table with this caption."""
    match = re.search(rf"<caption[^>]*>\s*{re.escape(caption)}\s*</caption>(.*?)</table>", html, re.S)
    assert match, f"no table captioned {caption!r}"
    body = match.group(1).split("<tbody", 1)[1]
    result = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        result.append([unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells])
    return result


# --- home -------------------------------------------------------------------------------------------------------


def test_home_lists_every_family_with_its_role_count(client):
    response = client.get("/")
    assert response.status_code == 200
    html = text(response)
    assert page_title(response) == f"New ways of working in mental health {TITLE_SUFFIX}"
    cards = dict(
        re.findall(
            r'href="/roles/\?family=([a-z0-9-]+)">[^<]*</a></h3>.*?<p class="nhsuk-body-s[^"]*">(\d+ roles?)</p>',
            html,
            re.S,
        )
    )
    families = list(RoleFamily.objects.all())
    assert len(families) == 12
    for family in families:
        count = family.roles.count()
        assert escape(family.name) in html
        assert cards[family.slug] == f"{count} role{'s' if count != 1 else ''}"
    assert cards["nursing"] == "2 roles"
    assert cards["psychological-professions"] == "15 roles"
    assert cards["doctors-in-psychiatry"] == "4 roles"


def home_family_slugs(client) -> list[str]:
    return re.findall(
        r'<h3 class="nhsuk-card__heading[^"]*"><a class="nhsuk-card__link" href="/roles/\?family=([a-z0-9-]+)"',
        text(client.get("/")),
    )


def test_home_lists_families_in_their_curated_order(client):
    # A family that sorts last by id, slug and name but first by `order`.
    RoleFamily.objects.create(slug="zz-first", name="Zz first", description="First by order.", order=0)
    assert home_family_slugs(client) == list(RoleFamily.objects.values_list("slug", flat=True))


def test_home_counts_follow_the_data(client):
    make_role(family=RoleFamily.objects.get(slug="nursing"))
    assert re.search(r'href="/roles/\?family=nursing">.*?(\d+) roles', text(client.get("/")), re.S).group(1) == "3"


def test_home_has_a_search_form_to_the_role_list(client):
    html = text(client.get("/"))
    assert re.search(r'<form[^>]*action="/roles/"[^>]*method="get"', html)
    assert 'name="q"' in html


# --- role list ------------------------------------------------------------------------------------------------


def family_headings(html: str) -> list[tuple[str, int]]:
    return [
        (unescape(name).strip(), int(count))
        for name, count in re.findall(
            r'<h2 class="nhsuk-heading-m nhsuk-u-margin-top-4">([^<]+)<span[^>]*>\((\d+)\)', html
        )
    ]


def test_list_groups_every_role_under_its_family(client):
    response = client.get("/roles/")
    assert response.status_code == 200
    html = text(response)
    assert page_title(response) == f"Mental health workforce roles {TITLE_SUFFIX}"
    assert result_count(response) == len(ROLE_SLUGS)
    assert re.search(rf"<strong>{len(ROLE_SLUGS)}</strong> roles</p>", html)
    headings = family_headings(html)
    families = RoleFamily.objects.all()
    assert headings == [(family.name, family.roles.count()) for family in families]
    assert sorted(result_slugs(response)) == sorted(ROLE_SLUGS)
    # Roles are listed family by family, alphabetically within a family.
    expected = [role.slug for role in Role.objects.order_by("family__order", "family__name", "name")]
    assert result_slugs(response) == expected


def test_search_results_are_ranked_and_flat(client):
    response = client.get("/roles/", {"q": "physician assistant"})
    assert response.status_code == 200
    html = text(response)
    assert family_headings(html) == []
    slugs = result_slugs(response)
    assert slugs[0] == "physician-associate"
    assert result_count(response) == len(slugs)
    assert f"<strong>{len(slugs)}</strong> role{'s' if len(slugs) != 1 else ''} matching “physician assistant”" in html
    assert page_title(response) == f"Search results for physician assistant {TITLE_SUFFIX}"
    # In a flat list each result names its family.
    assert "Physician associates · GMC" in html


def test_result_count_is_singular_for_one_role(client):
    role = make_role(name="Uniquorn wrangler")
    response = client.get("/roles/", {"q": "uniquorn"})
    assert result_slugs(response) == [role.slug]
    assert "<strong>1</strong> role matching “uniquorn”" in text(response)


def test_no_results_shows_the_empty_state(client):
    response = client.get("/roles/", {"q": "qwzxvbnonsenseword"})
    assert response.status_code == 200
    html = text(response)
    assert result_count(response) == 0
    assert "No roles match" in html
    assert result_slugs(response) == []
    assert "Compare selected roles" not in html


def test_list_has_no_empty_state_when_there_are_results(client):
    assert "No roles match" not in text(client.get("/roles/"))


def test_active_filters_each_remove_just_themselves(client):
    params = {"q": "practitioner", "band": ["5", "7"], "registered": "false", "new_role": "true"}
    response = client.get("/roles/", params)
    assert response.status_code == 200
    links = active_filter_links(response)
    assert set(links) == {
        "Search: practitioner",
        "Agenda for Change band (qualified): Band 5",
        "Agenda for Change band (qualified): Band 7",
        "Statutory registration required: No",
        "New role: Yes",
    }

    def query(link):
        parts = urlsplit(link)
        assert parts.path == "/roles/"
        return {key: sorted(values) for key, values in parse_qs(parts.query).items()}

    base = {"q": ["practitioner"], "band": ["5", "7"], "registered": ["false"], "new_role": ["true"]}
    assert query(links["Search: practitioner"]) == {k: v for k, v in base.items() if k != "q"}
    assert query(links["Agenda for Change band (qualified): Band 5"]) == {**base, "band": ["7"]}
    assert query(links["Agenda for Change band (qualified): Band 7"]) == {**base, "band": ["5"]}
    assert query(links["Statutory registration required: No"]) == {k: v for k, v in base.items() if k != "registered"}
    assert query(links["New role: Yes"]) == {k: v for k, v in base.items() if k != "new_role"}
    # Following a link really removes the filter.
    after = client.get(links["Agenda for Change band (qualified): Band 7"])
    assert set(active_filter_links(after)) == set(links) - {"Agenda for Change band (qualified): Band 7"}


def test_removing_the_last_filter_links_to_the_plain_list(client):
    links = active_filter_links(client.get("/roles/", {"registered": "true"}))
    assert links == {"Statutory registration required: Yes": "/roles/"}


def test_no_active_filters_without_a_choice(client):
    assert active_filter_links(client.get("/roles/")) == {}


# --- role profile ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ROLE_SLUGS)
def test_every_role_profile(client, slug):
    response = client.get(f"/roles/{slug}/")
    assert response.status_code == 200
    html = text(response)
    role = Role.objects.get(slug=slug)
    assert page_title(response) == f"{role.name} {TITLE_SUFFIX}"
    assert f"<h1>{escape(role.name)}</h1>" in html
    assert escape(role.summary) in html
    assert escape(role.family.name) in html

    links = list(role.role_capabilities.select_related("capability"))
    if links:
        capability_rows = rows(html, f"Capabilities of the {escape(role.name.lower())} role")
        assert [row[0] for row in capability_rows] == [link.capability.name for link in links]
        assert [row[1] for row in capability_rows] == [link.get_level_display() for link in links]
    else:
        assert "No capabilities recorded yet." in html
    for link in links:
        assert f'href="{escape(link.source_url)}"' in html

    routes = list(role.training_routes.all())
    if routes:
        route_rows = rows(html, f"Training routes into the {escape(role.name.lower())} role")
        assert len(route_rows) == len(routes)
        for route, row in zip(routes, route_rows, strict=True):
            assert row[0].startswith(route.name)
            assert row[1] == route.get_kind_display()
            assert f'href="{escape(route.source_url)}"' in html
    else:
        assert "No training route is confirmed yet." in html

    sources = list(role.sources.all())
    assert sources
    sources_list = re.search(r'<ol class="app-sources">(.*?)</ol>', html, re.S).group(1)
    for source in sources:
        assert f'<a href="{escape(source.url)}">{escape(source.title)}</a>' in sources_list
    assert len(re.findall(r"<li>", sources_list)) == len(sources)

    assert f"Last reviewed {role.last_reviewed.day} {role.last_reviewed:%B %Y}." in html

    callout = re.search(r'<div class="nhsuk-warning-callout app-unconfirmed">(.*?)</div>', html, re.S)
    if role.unconfirmed_list:
        assert callout, "unconfirmed facts but no callout"
        assert "Not yet confirmed" in callout.group(1)
        for item in role.unconfirmed_list:
            assert f"<li>{escape(item)}</li>" in callout.group(1)
    else:
        assert callout is None

    for other in role.related_roles.all():
        assert f'href="/roles/{other.slug}/"' in html


def test_some_reference_roles_have_unconfirmed_facts_and_some_do_not():
    """So that both branches of the profile test above run on the reference data."""
    with_unconfirmed = Role.objects.exclude(unconfirmed="").count()
    assert 0 < with_unconfirmed < len(ROLE_SLUGS)
    assert 0 < Role.objects.filter(training_routes__isnull=True).count() < len(ROLE_SLUGS)


def test_profile_shows_the_unconfirmed_callout(client):
    role = make_role(unconfirmed="Band at entry\nLength of training")
    html = text(client.get(role.get_absolute_url()))
    assert "Not yet confirmed" in html
    assert "<li>Band at entry</li><li>Length of training</li>" in html


def test_profile_without_unconfirmed_facts_has_no_callout(client):
    role = make_role(unconfirmed="  \n ")
    assert "Not yet confirmed" not in text(client.get(role.get_absolute_url()))


def test_profile_of_a_historic_role_says_so(client):
    html = text(client.get("/roles/primary-care-graduate-mental-health-worker/"))
    assert "no longer recruited to" in html


def test_profile_compare_link_uses_related_roles(client):
    html = text(client.get("/roles/peer-support-worker/"))
    link = re.search(r'href="(/roles/compare/\?roles=[^"]+)"', html).group(1)
    slugs = parse_qs(urlsplit(unescape(link)).query)["roles"][0].split(",")
    assert slugs[0] == "peer-support-worker"
    assert 2 <= len(slugs) <= 3
    assert client.get(unescape(link)).status_code == 200


def test_unknown_role_is_the_custom_404_page(client):
    response = client.get("/roles/no-such-role/")
    assert response.status_code == 404
    assert page_title(response) == f"Page not found {TITLE_SUFFIX}"
    html = text(response)
    assert "<h1>Page not found</h1>" in html
    assert 'href="/roles/">browse all roles</a>' in html
    assert "No role with that name" not in html  # the exception message stays private


def test_unknown_path_is_the_custom_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in text(response)


# --- compare ----------------------------------------------------------------------------------------------------

THREE = ["peer-support-worker", "mental-health-nurse", "social-worker"]


def compared(response) -> list[str]:
    """Names in the comparison table's column headings."""
    match = re.search(r"<thead class=\"nhsuk-table__head\">(.*?)</thead>", text(response), re.S)
    assert match, "no comparison table"
    return [
        unescape(name)
        for name in re.findall(r'<th scope="col" class="nhsuk-table__header"><a [^>]*>([^<]+)</a>', match[1])
    ]


def names(slugs):
    by_slug = dict(Role.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return [by_slug[slug] for slug in slugs]


@pytest.mark.parametrize(
    "query",
    [
        "roles=peer-support-worker,mental-health-nurse,social-worker",
        "roles=peer-support-worker&roles=mental-health-nurse&roles=social-worker",
        "roles=peer-support-worker,mental-health-nurse&roles=social-worker",
        "roles=+Peer-Support-Worker+,,mental-health-nurse,social-worker,peer-support-worker",
    ],
)
def test_compare_reads_both_ways_of_listing_roles(client, query):
    response = client.get(f"/roles/compare/?{query}")
    assert response.status_code == 200
    assert compared(response) == names(THREE)
    assert page_title(response) == f"Compare {', '.join(names(THREE))} {TITLE_SUFFIX}"
    assert "There is a problem" not in text(response)


def test_compare_two_roles(client):
    response = client.get("/roles/compare/", {"roles": ["cbt-therapist", "clinical-psychologist"]})
    assert response.status_code == 200
    assert compared(response) == names(["cbt-therapist", "clinical-psychologist"])


def test_compare_shows_fact_rows_and_capability_rows(client):
    response = client.get("/roles/compare/", {"roles": ",".join(THREE)})
    html = text(response)
    facts = {
        row[0].removesuffix(" (differs)"): row[1:] for row in rows(html, f"{', '.join(names(THREE))} side by side")
    }
    roles = [Role.objects.get(slug=slug) for slug in THREE]
    assert facts["Role family"] == [role.family.name for role in roles]
    assert facts["Statutory registration"] == ["Not required", "Required", "Required"]
    assert facts["New role"] == ["Yes" if role.is_new_role else "No" for role in roles]

    capability_rows = rows(html, "Capabilities")
    assert [row[0].removesuffix(" (differs)") for row in capability_rows] == list(
        Capability.objects.values_list("name", flat=True)
    )
    by_name = {row[0].removesuffix(" (differs)"): row[1:] for row in capability_rows}
    for capability in Capability.objects.all():
        expected = []
        for role in roles:
            link = RoleCapability.objects.filter(role=role, capability=capability).first()
            expected.append(link.get_level_display() if link else "No")
        assert by_name[capability.name] == expected, capability.slug
    amhp = Capability.objects.get(slug="amhp").name
    assert by_name[amhp][0] == "No"
    assert by_name[amhp][1] != "No"
    # Rows that differ are flagged; rows that agree are not.
    assert f"{amhp} (differs)" in [row[0] for row in capability_rows]
    assert any(not row[0].endswith("(differs)") for row in capability_rows)


def test_compare_four_roles_compares_the_first_three(client):
    four = [*THREE, "clinical-psychologist"]
    response = client.get("/roles/compare/", {"roles": ",".join(four)})
    assert response.status_code == 200
    html = text(response)
    assert "There is a problem" in html
    assert "You can compare up to 3 roles at a time. You chose 4." in html
    assert compared(response) == names(THREE)


def test_compare_unknown_slug_with_known_ones(client):
    response = client.get("/roles/compare/", {"roles": "mental-health-nurse,no-such-role,social-worker"})
    assert response.status_code == 200
    html = text(response)
    assert "We could not find these roles: no-such-role." in html
    assert compared(response) == names(["mental-health-nurse", "social-worker"])


@pytest.mark.parametrize("query", ["roles=no-such-role", "roles=nope,also-nope", "roles=..%2F..%2Fetc"])
def test_compare_only_unknown_slugs(client, query):
    response = client.get(f"/roles/compare/?{query}")
    assert response.status_code == 400
    html = text(response)
    assert "There is a problem" in html
    assert "We could not find these roles:" in html
    assert "side by side" not in html


@pytest.mark.parametrize("query", ["", "roles=", "roles=,,,", "roles=+", "other=peer-support-worker"])
def test_compare_without_roles_is_a_400_with_a_message(client, query):
    response = client.get(f"/roles/compare/?{query}")
    assert response.status_code == 400
    html = text(response)
    assert "There is a problem" in html
    assert "Choose 2 or 3 roles to compare." in html
    assert page_title(response) == f"Compare roles {TITLE_SUFFIX}"


def test_compare_one_role_still_shows_it(client):
    response = client.get("/roles/compare/", {"roles": "mental-health-nurse"})
    assert response.status_code == 200
    assert compared(response) == ["Mental health nurse"]


# --- titles -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/roles/",
        "/roles/?q=peer",
        "/roles/?q=qwzxvbnonsenseword",
        "/roles/mental-health-nurse/",
        "/roles/compare/?roles=peer-support-worker,social-worker",
        "/roles/compare/",
        "/roles/no-such-role/",
        "/accessibility/",
        "/case-studies/",
        "/resources/",
    ],
)
def test_page_titles_end_with_the_service_name(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    title = page_title(response)
    assert title.endswith(f" {TITLE_SUFFIX}")
    assert len(title) > len(TITLE_SUFFIX) + 1


def test_the_accessibility_statement_follows_the_model_statement(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    page = client.get("/accessibility/").content.decode()
    headings = re.findall(r"<h[23]>([^<]+)</h[23]>", page)
    for heading in [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website&#x27;s accessibility",
        "Compliance status",
        "Non-accessible content",
        "What we&#x27;re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]:
        assert heading in headings or heading.replace("&#x27;", "'") in headings, heading
    assert "partially compliant" in page
    assert "regional workforce lead" in page
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.nhs.uk"
    page = client.get("/accessibility/").content.decode()
    assert page.count('href="mailto:access@example.nhs.uk"') == 2


def test_breadcrumbs_use_the_nhs_markup_with_a_back_link_to_the_parent(client):
    page = client.get("/roles/mental-health-nurse/").content.decode()
    nav = re.search(r'<nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r'class="nhsuk-breadcrumb__link" href="([^"]+)"', nav) == ["/", "/roles/"]
    assert re.search(
        r'<a class="nhsuk-back-link" href="/roles/"><span class="nhsuk-u-visually-hidden">Back to</span> Roles</a>', nav
    )

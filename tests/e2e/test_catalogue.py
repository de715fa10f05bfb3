"""The public role catalogue in a real browser: browsing, filtering, search, comparison, keyboard use and axe.

Written for the full reference data (42 roles); the roles named here are in fixtures/reference/roles.yaml.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.helpers import assert_accessible, record_csp_violations

pytestmark = pytest.mark.e2e

PEER_FAMILY = "Peer support and lived experience"
COMPARE_SLUGS = ["peer-support-worker", "mental-health-nurse", "social-worker"]
PRESCRIBING = re.compile(r"^Independent prescribing\b")


# Helpers ---------------------------------------------------------------------------------------------------


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def filter_form(page):
    return page.get_by_role("form", name="Search and filter roles")


def result_count(page) -> int:
    return int(page.locator("#result-count strong").inner_text())


def result_titles(page) -> list[str]:
    return [text.strip() for text in page.locator(".app-result__title a").all_inner_texts()]


def active_filters(page) -> list[str]:
    """The active filter labels, without the hidden "(remove this filter)" and the "×"."""
    return [
        re.sub(r"\s*\(remove this filter\)\s*×?$", "", text).strip()
        for text in page.locator(".app-active-filters a").all_text_contents()
    ]


def option_count(label) -> int:
    """The count after a facet option's label, as in "Yes (12 roles)"."""
    text = label.inner_text()
    match = re.search(r"\((\d+)", text)
    assert match, f"no count in {text!r}"
    return int(match.group(1))


# Browse, filter, search, compare ---------------------------------------------------------------------------


def test_browse_from_a_family_card_to_a_role_profile(page):
    page.goto("/")
    card = page.locator(".nhsuk-card").filter(has=page.get_by_role("link", name=PEER_FAMILY, exact=True))
    card_link = card.get_by_role("link", name=PEER_FAMILY, exact=True)
    roles_in_family = int(re.search(r"(\d+) roles?\b", card.inner_text()).group(1))

    card_link.click()

    expect(page).to_have_url(re.compile(r"/roles/\?family=peer-support-and-lived-experience$"))
    expect(filter_form(page).get_by_role("checkbox", name=re.compile(f"^{PEER_FAMILY}"))).to_be_checked()
    assert active_filters(page) == [f"Role family: {PEER_FAMILY}"]
    assert result_count(page) == roles_in_family >= 1
    # Results are grouped under family headings: only this family's is left.
    group_headings = page.locator(".nhsuk-grid-column-two-thirds h2.nhsuk-heading-m").all_inner_texts()
    assert [re.sub(r"\s*\(\d+\)$", "", heading) for heading in group_headings] == [PEER_FAMILY]
    assert "Peer support worker" in result_titles(page)

    page.locator(".app-result__title").get_by_role("link", name="Peer support worker", exact=True).click()

    expect(page).to_have_url(re.compile(r"/roles/peer-support-worker/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer support worker")
    capabilities = page.get_by_role("table", name="Capabilities of the peer support worker role")
    expect(capabilities.get_by_role("columnheader")).to_have_text(["Capability", "Level", "Notes and source"])
    expect(capabilities.get_by_role("rowheader", name="Peer support from lived experience")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources", level=2, exact=True)).to_be_visible()
    source_links = page.locator("ol.app-sources > li > a")
    expect(source_links.first).to_be_visible()
    for href in source_links.evaluate_all("links => links.map(link => link.href)"):
        assert href.startswith("https://"), href


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filters_narrow_and_removing_one_widens(new_context, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto("/roles/")
    supported = "nhsuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    assert supported is javascript, "JavaScript should be on" if javascript else "JavaScript should be off"
    form = filter_form(page)
    registration = form.get_by_role("group", name="Statutory registration required")
    everyone = result_count(page)
    registered_roles = option_count(registration.locator("label[for='registered-true']"))

    form.get_by_role("checkbox", name=PRESCRIBING).check()
    registration.get_by_role("radio", name=re.compile(r"^Yes\b")).check()
    form.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"capability=independent-prescribing"))
    assert query(page)["registered"] == ["true"]
    narrowed = result_count(page)
    assert 1 <= narrowed < everyone
    assert narrowed <= registered_roles
    assert len(result_titles(page)) == narrowed
    assert sorted(active_filters(page)) == ["Can do: Independent prescribing", "Statutory registration required: Yes"]
    expect(form.get_by_role("checkbox", name=PRESCRIBING)).to_be_checked()
    expect(registration.get_by_role("radio", name=re.compile(r"^Yes\b"))).to_be_checked()

    page.locator(".app-active-filters").get_by_role(
        "link", name=re.compile(r"^Can do: Independent prescribing")
    ).click()

    expect(page).not_to_have_url(re.compile(r"capability="))
    assert query(page)["registered"] == ["true"]
    widened = result_count(page)
    assert widened > narrowed
    assert widened == registered_roles  # the count the "Yes" option promised
    assert active_filters(page) == ["Statutory registration required: Yes"]
    expect(form.get_by_role("checkbox", name=PRESCRIBING)).not_to_be_checked()


def test_search_finds_a_role_by_its_other_title(page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search the roles").fill("physician assistant")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(re.compile(r"/roles/\?q=physician\+assistant$"))
    expect(page.locator("#result-count")).to_contain_text("matching “physician assistant”")
    titles = result_titles(page)
    assert titles, "no results for 'physician assistant'"
    assert titles[0] == "Physician associate"
    assert active_filters(page) == ["Search: physician assistant"]


def compare(page, slugs):
    page.goto("/roles/")
    for slug in slugs:
        page.locator(f"#compare-{slug}").check()
    page.get_by_role("button", name="Compare selected roles").click()
    expect(page).to_have_url(re.compile(r"/roles/compare/\?"))


def test_compare_three_roles_and_no_more(page):
    page.goto("/roles/")
    names = {
        slug: page.locator(f".app-result:has(#compare-{slug}) .app-result__title a").inner_text().strip()
        for slug in COMPARE_SLUGS
    }

    compare(page, COMPARE_SLUGS)

    chosen = query(page)["roles"]  # in the order of the list
    assert sorted(chosen) == sorted(COMPARE_SLUGS)
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    facts = page.locator("table").first
    expect(facts.locator("thead th")).to_have_text([names[slug] for slug in chosen])
    for slug in COMPARE_SLUGS:
        expect(facts.get_by_role("link", name=names[slug], exact=True)).to_have_attribute("href", f"/roles/{slug}/")

    compare(page, [*COMPARE_SLUGS, "clinical-psychologist"])

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("You can compare up to 3 roles at a time. You chose 4.")
    expect(page.locator("table").first.locator("thead th")).to_have_count(3)  # the first three are still compared


# Keyboard --------------------------------------------------------------------------------------------------

# Is there a focus indicator? An outline that is drawn, or a box shadow. NHS.UK checkboxes and radios make the
# input itself transparent and draw its focus on the label's ::before box, so for those we look there too.
HAS_FOCUS_INDICATOR = """
element => {
  const drawn = style => style.boxShadow !== 'none'
    || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
        && style.outlineColor !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(style.outlineColor));
  return drawn(getComputedStyle(element))
    || [...(element.labels || [])].some(label => drawn(getComputedStyle(label, '::before')));
}
"""

FOCUSED = """
() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '', name: el.name || '', value: el.value || '',
          text: (el.innerText || '').trim(), checked: !!el.checked};
}
"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def assert_focus_visible(page):
    assert page.evaluate(f"({HAS_FOCUS_INDICATOR})(document.activeElement)"), f"no focus indicator: {focused(page)}"


def tab_to(page, matches, *, limit=100) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError(f"Tab did not reach the element in {limit} presses; focus is on {focused(page)}")


def test_keyboard_only_filtering(page):
    page.goto("/roles/")

    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    assert_focus_visible(page)
    page.keyboard.press("Enter")  # skip the header

    search = tab_to(page, lambda el: el["tag"] == "input", limit=1)
    assert search["id"] == "q", "the skip link should lead to the search box, the first field in the main content"
    assert_focus_visible(page)

    family = tab_to(page, lambda el: el["name"] == "family", limit=1)
    assert family["type"] == "checkbox" and not family["checked"]
    assert_focus_visible(page)
    page.keyboard.press("Space")
    assert focused(page)["checked"], "Space did not tick the family checkbox"

    tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Apply filters")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert query(page)["family"] == [family["value"]]
    expect(filter_form(page).locator(f"#{family['id']}")).to_be_checked()
    assert active_filters(page)[0].startswith("Role family: ")


# Accessibility and CSP -------------------------------------------------------------------------------------

CATALOGUE_PAGES = {
    "home": ("/", 200),
    "roles": ("/roles/", 200),
    "search": ("/roles/?q=peer", 200),
    "error-summary": ("/roles/?family=nope", 400),
    "no-results": ("/roles/?q=zzzzzz", 200),
    "role-profile": ("/roles/mental-health-nurse/", 200),
    "doctor-profile": ("/roles/consultant-psychiatrist/", 200),
    "non-clinical-profile": ("/roles/team-manager/", 200),
    "unconfirmed-profile": ("/roles/counselling-psychologist/", 200),
    "corrected-profile": ("/roles/approved-clinician/", 200),
    "doctors-family": ("/roles/?family=doctors-in-psychiatry", 200),
    "compare": ("/roles/compare/?roles=" + ",".join(COMPARE_SLUGS), 200),
    "compare-error": ("/roles/compare/?roles=nope", 400),
    "accessibility": ("/accessibility/", 200),
    "not-found": ("/no-such-page/", 404),
}


@pytest.mark.parametrize(("url", "status"), CATALOGUE_PAGES.values(), ids=CATALOGUE_PAGES.keys())
def test_page_is_accessible(page, url, status):
    csp_violations = record_csp_violations(page)
    response = page.goto(url)
    assert response.status == status
    if status == 400:
        expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert not csp_violations


def test_home_page_scripts_run_under_the_csp(page):
    csp_violations = record_csp_violations(page)
    page.goto("/")

    assert not csp_violations
    expect(page.locator("body")).to_have_class(re.compile(r"\bnhsuk-frontend-supported\b"))
    # NHS.UK frontend marks each component it has initialised.
    expect(page.locator("header.nhsuk-header")).to_have_attribute("data-nhsuk-header-init", "")
    expect(page.locator("a.nhsuk-skip-link")).to_have_attribute("data-nhsuk-skip-link-init", "")

"""Deciding between plans in a real browser: a lead compares a team's baseline with a scenario that regrades its
nurses (by band and by staff group, with and without JavaScript), makes the scenario the baseline, agrees it and
reopens it; on a 390 px screen the comparison's tables scroll by keyboard and the roles search puts its results
first. axe-core checks every page and page state on the way.
"""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from planning import services
from planning.models import Plan, StaffingLine, Team, TeamType
from roles.models import ComplexityTier, Role
from tests.factories import add_member, make_organisation, make_user
from tests.helpers import assert_accessible
from tests.mfa import pass_two_step

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-4K"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}


@pytest.fixture
def world(site):
    """Northshire, led by Lena: a crisis team whose baseline has eight nurses (four on band 6, four on band 7) and
    a scenario with the same eight FTE all on band 5, and a second scenario."""
    crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    north = make_organisation("Northshire Mental Health NHS Foundation Trust", "northshire", "RX1")
    lead = make_user("lena", "Lena", "Lead", password=PASSWORD)
    add_member(lead, north)
    team = Team.objects.create(
        organisation=north, team_type=crisis, name="North crisis team", population_served=150_000
    )
    plan = services.create_plan(team=team, user=lead, values={"name": "2026 baseline", "start_year": 2026})
    nurse = Role.objects.get(slug="mental-health-nurse")
    for band in (6, 7):
        StaffingLine.objects.create(plan=plan, role=nurse, band=band, fte=Decimal("4"), establishment_fte=4)
    plan.demand_lines.create(tier=ComplexityTier.COMPLEX, caseload=40, hours_per_person_per_week=2)
    regraded = services.copy_as_scenario(plan=plan, user=lead, name="All band 5")
    StaffingLine.objects.filter(plan=regraded).update(band=5)
    other = services.copy_as_scenario(plan=plan, user=lead, name="Two more nurses")
    return SimpleNamespace(north=north, lead=lead, team=team, plan=plan, regraded=regraded, other=other)


def log_in(page, username="lena"):
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_step(page, username)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def h1(page):
    return page.get_by_role("heading", level=1)


def cells(page, table_name, row_name) -> list[str]:
    table = page.get_by_role("table", name=re.compile(table_name))
    row = table.get_by_role("row", name=re.compile(rf"^{re.escape(row_name)}\b"))
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def plan_url(plan, name="plan"):
    return reverse(f"planning:{name}", args=[plan.pk])


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_comparing_by_band_shows_a_regrading_that_fte_by_role_hides(new_context, world, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    log_in(page)
    page.goto(reverse("planning:team", args=[world.team.pk]))
    page.get_by_role("link", name="Compare 2026 baseline with All band 5").click()
    expect(h1(page)).to_have_text("2026 baseline and All band 5")
    assert cells(page, "FTE in post by role", "Mental health nurse") == ["8.00", "8.00", "0.00"]

    page.get_by_role("radio", name="Band or grade").check()
    page.get_by_role("button", name="Show staffing").click()
    expect(page).to_have_url(re.compile(r"\?by=band#staffing$"))
    expect(page.get_by_role("heading", name="FTE by band or grade")).to_be_visible()
    expect(page.get_by_role("radio", name="Band or grade")).to_be_checked()
    assert cells(page, "FTE in post by band or grade", "Band 5") == ["0.00", "8.00", "+8.00"]
    assert cells(page, "FTE in post by band or grade", "Band 6") == ["4.00", "0.00", "\u22124.00"]
    assert cells(page, "FTE in post by band or grade", "Band 7") == ["4.00", "0.00", "\u22124.00"]
    expect(page.get_by_role("table", name=re.compile("^Complex capacity, demand met and supervision"))).to_be_visible()
    if javascript:
        assert_accessible(page)

    page.get_by_role("radio", name="Staff group").check()
    page.get_by_role("button", name="Show staffing").click()
    expect(page).to_have_url(re.compile(r"\?by=group#staffing$"))
    expect(page.get_by_role("heading", name="FTE by staff group")).to_be_visible()  # the new page has loaded
    assert cells(page, "FTE in post by staff group", "Registered clinical staff") == ["8.00", "8.00", "0.00"]
    if javascript:
        assert_accessible(page)


def test_promoting_a_scenario_to_the_baseline(page, world):
    log_in(page)
    page.goto(plan_url(world.regraded))
    page.get_by_role("link", name="Make this scenario the baseline").click()
    expect(h1(page)).to_have_text("Are you sure you want to make All band 5 the baseline?")
    expect(page.get_by_text("2026 baseline becomes a scenario of All band 5")).to_be_visible()
    expect(page.get_by_text("Two more nurses, becomes a scenario of All band 5")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make All band 5 the baseline").click()
    expect(page).to_have_url(re.compile(rf"{plan_url(world.regraded)}$"))
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("All band 5 is now the baseline")
    expect(page.get_by_text("Baseline", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Make this scenario the baseline")).to_have_count(0)
    assert_accessible(page)
    assert Plan.objects.get(pk=world.plan.pk).scenario_of_id == world.regraded.pk

    page.goto(reverse("planning:team", args=[world.team.pk]))
    expect(page.get_by_role("link", name="Compare All band 5 with 2026 baseline")).to_be_visible()
    expect(page.get_by_role("link", name="Compare All band 5 with Two more nurses")).to_be_visible()
    assert_accessible(page)


def test_a_promotion_someone_else_got_to_first_is_explained(new_context, world):
    first, second = new_context().new_page(), new_context().new_page()
    for tab in (first, second):
        log_in(tab)
        tab.goto(plan_url(world.regraded, "plan-promote"))
    second.get_by_role("button", name="Make All band 5 the baseline").click()
    expect(second.locator(".nhsuk-notification-banner")).to_be_visible()
    first.get_by_role("button", name="Make All band 5 the baseline").click()
    expect(h1(first)).to_have_text("All band 5 was not changed")
    expect(first.locator(".nhsuk-error-summary")).to_contain_text("The plan is already a baseline.")
    assert_accessible(first)


def test_agreeing_asks_first_records_who_and_reopening_says_what_it_means(page, world):
    log_in(page)
    page.goto(plan_url(world.plan))
    page.get_by_role("button", name="Mark as agreed").click()
    expect(h1(page)).to_have_text("Are you sure you want to mark 2026 baseline as agreed?")
    assert_accessible(page)
    page.get_by_role("button", name="Mark as agreed").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Plan marked as agreed")
    expect(page.locator(".app-plan-agreement")).to_contain_text(re.compile(r"Agreed by Lena Lead on \d+ \w+ \d{4}"))
    assert_accessible(page)

    page.get_by_role("button", name="Reopen plan").click()
    expect(h1(page)).to_have_text("Are you sure you want to reopen 2026 baseline?")
    expect(page.get_by_text("the plan is no longer agreed: it becomes a draft again")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Reopen plan").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Plan reopened")
    expect(page.locator(".app-plan-agreement")).to_have_count(0)


def test_on_a_phone_the_comparison_tables_scroll_by_keyboard(new_context, world):
    page = new_context(**PHONE).new_page()
    log_in(page)
    page.goto(reverse("planning:plan-compare", args=[world.plan.pk, world.regraded.pk]))
    region = page.get_by_role("region", name=re.compile("^Headline figures for 2026 baseline"))
    expect(region).to_be_visible()
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table should be wider than a phone"

    for _ in range(60):  # Tab from the top of the page to the scroll area
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('role')") == "region":
            break
    expect(region).to_be_focused()
    shadow = region.evaluate("el => getComputedStyle(el).boxShadow")
    assert shadow and shadow != "none", "the focused scroll area should show where the focus is"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    caption = page.locator("#caption-headline")
    expect(caption).to_be_visible()
    assert_accessible(page)


def test_on_a_phone_the_roles_search_shows_results_before_the_filters(new_context, site):
    page = new_context(**PHONE).new_page()
    page.goto(reverse("roles:list"))
    count = page.locator("#result-count")
    expect(count).to_be_visible()
    filters = page.get_by_role("group", name="Role family")
    expect(filters).to_be_hidden()
    toggle = page.locator(".app-filters > summary")
    expect(toggle).to_be_visible()
    first_result = page.locator(".app-result").first
    below_toggle = first_result.bounding_box()["y"] - toggle.bounding_box()["y"]
    assert 0 < below_toggle < 300, "the results should come straight after the folded filters"
    assert_accessible(page)

    toggle.click()
    expect(filters).to_be_visible()
    assert_accessible(page)

    wide = new_context(viewport={"width": 1280, "height": 900}).new_page()
    wide.goto(reverse("roles:list"))
    expect(wide.get_by_role("group", name="Role family")).to_be_visible()
    expect(wide.locator(".app-filters > summary")).to_be_hidden()

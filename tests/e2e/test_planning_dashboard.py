"""The plan dashboard in a real browser: a lead logs in and reads it, with and without JavaScript, and axe-core
finds no WCAG 2.2 A/AA problem on it.

The database is flushed after each test (see conftest.py), so each test makes its own users, organisation,
team and plan.
"""

import csv
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from planning import services
from planning.models import DemandLine, StaffingLine, Team, TeamType
from roles.models import ComplexityTier, Role
from tests.factories import add_member, make_organisation, make_user
from tests.helpers import assert_accessible, record_csp_violations
from tests.mfa import pass_two_step

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-4K"
SECTION_HEADINGS = [
    "Headline figures",
    "Demand and need",
    "Skill mix",
    "Matching experience to complexity",
    "Capability coverage",
    "Supervision",
    "Targets",
    "Projection",
    "Year by year",
    "Costs",
    "Assumptions used",
]


@pytest.fixture
def world(site):
    """Lena leads Northshire; its crisis team (150,000 people, so the reference crisis-team targets apply) has a
    3-year plan: 2 FTE band 5 nurses and 1 FTE band 3 peer support worker (+0.5 FTE a year), and demand in every
    tier (the worked example of tests/planning/test_dashboard.py)."""
    crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    north = make_organisation("Northshire Mental Health NHS Foundation Trust", "northshire", "RX1")
    lead = make_user("lena", "Lena", "Lead", password=PASSWORD)
    add_member(lead, north)
    team = Team.objects.create(
        organisation=north, team_type=crisis, name="North crisis team", population_served=150_000
    )
    plan = services.create_plan(
        team=team,
        user=lead,
        # The worked example's figures are in 2025/26 pay; new plans default to the latest pay table.
        values={"name": "2026 baseline", "start_year": 2026, "horizon_years": 3, "pay_year": "2025/26"},
    )
    StaffingLine.objects.create(
        plan=plan,
        role=Role.objects.get(slug="mental-health-nurse"),
        band=5,
        fte=Decimal("2"),
        establishment_fte=2,
        complexity_ceiling=ComplexityTier.COMPLEX,  # the lead's call, whatever the band 5 default
    )
    StaffingLine.objects.create(
        plan=plan,
        role=Role.objects.get(slug="peer-support-worker"),
        band=3,
        fte=Decimal("1"),
        establishment_fte=2,
        recruitment_fte_per_year=Decimal("0.5"),
    )
    for tier, caseload, hours in ((ComplexityTier.COMPLEX, 10, 2), (ComplexityTier.MODERATE, 5, 2), (1, 25, 1)):
        DemandLine.objects.create(plan=plan, tier=tier, caseload=caseload, hours_per_person_per_week=hours)
    return SimpleNamespace(lead=lead, team=team, plan=plan, url=f"/planning/plans/{plan.pk}/")


def log_in(page, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_step(page, "lena")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def check_dashboard(page):
    """What a lead sees, with or without JavaScript."""
    expect(page.get_by_role("heading", level=1)).to_have_text("2026 baseline")
    headings = [text.strip() for text in page.get_by_role("heading", level=2).all_inner_texts()]
    positions = [headings.index(heading) for heading in SECTION_HEADINGS]
    assert positions == sorted(positions), headings
    for heading in ("Staffing", "Demand", "History"):
        assert heading in headings
    headline = page.locator("#headline-figures").locator("..")
    expect(headline.locator("#headline-demand-met")).to_contain_text("95.7%")
    expect(headline.locator("#headline-gap")).to_contain_text("Gap in 2026")
    expect(headline.locator("#headline-cost")).to_contain_text("£121,104.00")
    # Start and horizon side by side, gap and surplus both shown.
    table = page.get_by_role("table", name=re.compile(r"^Staffing, need and cost at the start \(2026\)"))
    expect(table.get_by_role("columnheader")).to_have_text(["Figure", "2026", "2029"])
    expect(table.locator("#figure-gap")).to_contain_text("Gap (FTE)")
    expect(table.locator("#figure-surplus")).to_contain_text("Surplus (FTE)")
    expect(page.locator("#headline-warnings")).to_contain_text("What needs attention")
    # Every year: years as columns, each table with its caption.
    expect(page.get_by_role("table", name="Need, gap and surplus by year").get_by_role("columnheader")).to_have_count(5)
    expect(page.get_by_role("table", name=re.compile(r"^Capability coverage by year"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile(r"^Targets by year"))).to_be_visible()
    expect(page.locator("#cost-total")).to_contain_text("Total: cost over the horizon")
    # Both charts are labelled images, each with its table.
    expect(page.get_by_role("img", name=re.compile(r"^FTE in post by role family, 2026"))).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile(r"^Care capacity and demand, hours a week, 2026 to 2029"))
    ).to_be_visible()
    expect(page.get_by_role("table", name="FTE by role family")).to_be_visible()
    projection = page.get_by_role("table", name=re.compile(r"^Projection by year"))
    expect(projection.get_by_role("row")).to_have_count(1 + 4)
    expect(page.locator("#cost-by-band")).to_contain_text("£88,121.60")
    expect(page.locator("#skilled-on-routine")).to_contain_text(
        "5.10 hours a week of staff who can hold complex cases are spent on routine work that other roles could do."
    )
    # The crisis-team targets from the reference data, with their sources.
    targets = page.get_by_role("table", name="Guidance targets: required and actual")
    expect(
        targets.get_by_role("link", name=re.compile("Mental Health Policy Implementation Guide")).first
    ).to_be_visible()
    expect(targets.locator(".nhsuk-tag").first).to_be_visible()


def test_a_lead_logs_in_and_reads_the_dashboard(page, world):
    csp = record_csp_violations(page)
    log_in(page, world.url)
    expect(page).to_have_url(re.compile(re.escape(world.url) + "$"))
    check_dashboard(page)
    assert_accessible(page)
    # … also with each staffing line's yearly figures open.
    page.locator("#line-years-details summary").click()
    expect(page.get_by_role("table", name="Recruits (FTE) by staffing line")).to_be_visible()
    assert_accessible(page)
    # The contents list moves to a section.
    page.get_by_role("navigation", name="Contents").get_by_role("link", name="Targets").click()
    expect(page).to_have_url(re.compile(r"#targets$"))
    expect(page.get_by_role("heading", name="Targets", level=2)).to_be_in_viewport()
    assert not csp, csp


def test_the_dashboard_works_without_javascript(new_context, world):
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, world.url)
    check_dashboard(page)
    # A source's wording opens with the browser's own <details>, no script needed.
    summary = page.locator("#targets-table summary").first
    wording = page.locator("#targets-table .nhsuk-details__text").first
    expect(wording).to_be_hidden()
    summary.click()
    expect(wording).to_be_visible()
    # Each staffing line's yearly figures open the same way.
    lines = page.get_by_role("table", name="FTE in post by staffing line")
    expect(lines).to_be_hidden()
    page.locator("#line-years-details summary").click()
    expect(lines).to_be_visible()
    expect(lines.get_by_role("row")).to_have_count(1 + 2)
    # The projection downloads are plain links.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the projection as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "north-crisis-team-2026-baseline-projection-v1.csv"
    with open(download.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(exported))
    assert [row[0] for row in rows] == ["year", "2026", "2027", "2028", "2029"]

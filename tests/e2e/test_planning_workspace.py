"""The planning workspace in a real browser: a lead logs in, edits a plan (and fixes a mistake), exports it and
imports the file again; and axe-core finds no WCAG 2.2 A/AA problem on any kind of planning page.

The database is flushed after each test (see conftest.py), so each test makes its own users, organisations,
team and plans.
"""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from planning import services
from planning.models import DemandLine, Membership, StaffingLine, Team, TeamType
from roles.models import ComplexityTier, Role
from tests.factories import add_member, make_organisation, make_user
from tests.helpers import assert_accessible
from tests.mfa import pass_two_step

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-4K"


@pytest.fixture
def world(site):
    """Northshire, led by Lena, with a crisis team whose baseline plan has two staffing lines, complex demand
    and a scenario; and a second team with a plan of its own."""
    crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    north = make_organisation("Northshire Mental Health NHS Foundation Trust", "northshire", "RX1")
    lead = make_user("lena", "Lena", "Lead", password=PASSWORD)
    add_member(lead, north)
    team = Team.objects.create(
        organisation=north, team_type=crisis, name="North crisis team", population_served=150_000
    )
    plan = services.create_plan(team=team, user=lead, values={"name": "2026 baseline", "start_year": 2026})
    StaffingLine.objects.create(
        plan=plan, role=Role.objects.get(slug="mental-health-nurse"), band=5, fte=Decimal("4"), establishment_fte=5
    )
    StaffingLine.objects.create(
        plan=plan, role=Role.objects.get(slug="peer-support-worker"), band=3, fte=Decimal("2"), establishment_fte=2
    )
    DemandLine.objects.create(plan=plan, tier=ComplexityTier.COMPLEX, caseload=40, hours_per_person_per_week=2)
    scenario = services.copy_as_scenario(plan=plan, user=lead, name="More peer support")
    StaffingLine.objects.filter(plan=scenario, role__slug="peer-support-worker").update(fte=Decimal("3.5"))
    other_team = Team.objects.create(organisation=north, team_type=crisis, name="South crisis team")
    services.create_plan(team=other_team, user=lead, values={"name": "South baseline", "start_year": 2027})
    return SimpleNamespace(north=north, lead=lead, team=team, plan=plan, scenario=scenario)


def log_in(page, username="lena", *, check=False):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    if check:
        assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_step(page, username)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def h1(page):
    return page.get_by_role("heading", level=1)


def error_summary(page):
    return page.locator(".nhsuk-error-summary")


def test_a_lead_edits_fixes_exports_and_reimports_a_plan(page, world, tmp_path):
    log_in(page, check=True)
    page.goto("/planning/")
    expect(h1(page)).to_have_text("Your workforce plans")
    assert_accessible(page)

    page.get_by_role("link", name="2026 baseline", exact=True).first.click()
    expect(h1(page)).to_have_text("2026 baseline")
    assert_accessible(page)

    # Edit: a mistake first.
    page.get_by_role("button", name="Edit plan").or_(page.get_by_role("link", name="Edit plan")).first.click()
    expect(page).to_have_url(re.compile(rf"/planning/plans/{world.plan.pk}/edit/$"))
    expect(h1(page)).to_have_text("Edit 2026 baseline")
    assert_accessible(page)
    fte = page.get_by_label("FTE in post, line 1", exact=True)
    fte.fill("1000")
    page.get_by_role("button", name="Save plan").first.click()

    summary = error_summary(page)
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    link = summary.get_by_role("link", name=re.compile(r"Staffing line 1: FTE in post must be 999\.99 or less"))
    expect(link).to_be_visible()
    target = link.get_attribute("href")
    assert target and target.startswith("#")
    field = page.locator(target)
    expect(field).to_have_value("1000")
    expect(field).to_have_attribute("aria-describedby", re.compile(r"_error\b"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    link.click()
    expect(field).to_be_focused()

    # Fix it and save.
    field.fill("3")
    page.get_by_role("button", name="Save plan").first.click()
    expect(page).to_have_url(re.compile(rf"/planning/plans/{world.plan.pk}/$"))
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Plan saved (version 2)")
    # Staffing line 1 is the peer support worker (lines are in the catalogue's family order): 2 FTE became 3.
    assert StaffingLine.objects.get(plan=world.plan, role__slug="peer-support-worker").fte == Decimal("3")

    # Export as XLSX, then import the same file.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Download as a spreadsheet \(\.xlsx\)")).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    assert exported.read_bytes()[:2] == b"PK"  # a zip: an XLSX workbook

    page.get_by_role("link", name="Import staffing from a spreadsheet").click()
    expect(h1(page)).to_have_text("Import a plan spreadsheet")
    assert_accessible(page)

    # The file as exported matches the plan: nothing to apply.
    page.get_by_label("Upload a spreadsheet").set_input_files(str(exported))
    page.get_by_role("button", name="Check the file").click()
    expect(h1(page)).to_have_text("Check the changes before you import")
    expect(page.locator("#no-changes")).to_contain_text("importing it would change nothing")
    expect(page.get_by_role("button", name="Apply import")).to_have_count(0)
    assert_accessible(page)

    # One cell changed in the spreadsheet: the preview shows that change only, and applying it saves it.
    workbook = load_workbook(exported)
    staffing = workbook["Staffing"]
    header = [cell.value for cell in staffing[1]]
    (row,) = [row for row in staffing.iter_rows(min_row=2) if row[0].value == "peer-support-worker"]
    row[header.index("fte")].value = 3.5
    workbook.save(exported)
    page.get_by_role("link", name="Upload a different file").click()
    page.get_by_label("Upload a spreadsheet").set_input_files(str(exported))
    page.get_by_role("button", name="Check the file").click()
    expect(h1(page)).to_have_text("Check the changes before you import")
    expect(page.get_by_text("Fix your file")).to_have_count(0)
    expect(error_summary(page)).to_have_count(0)
    expect(page.locator("#count-unchanged")).to_have_text("1")
    expect(page.locator("#count-changed")).to_have_text("1")
    expect(page.locator("#count-added")).to_have_text("0")
    expect(page.locator("#count-removed")).to_have_text("0")
    expect(page.locator("#demand-changes-unchanged")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Apply import").click()
    expect(page).to_have_url(re.compile(rf"/planning/plans/{world.plan.pk}/$"))
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Imported 2 staffing lines, demand and assumptions"
    )
    ftes = sorted(StaffingLine.objects.filter(plan=world.plan).values_list("fte", flat=True))
    assert ftes == [Decimal("3.5"), Decimal("4")]


def test_every_planning_page_is_accessible(new_context, world):
    """axe on each kind of planning page, in the states a user meets them (errors included)."""
    page = new_context().new_page()
    log_in(page)
    plan, team = world.plan, world.team

    def check(url, heading):
        page.goto(url)
        expect(h1(page)).to_contain_text(heading)
        assert_accessible(page)

    check(f"/planning/teams/{team.pk}/", "North crisis team")
    check("/planning/teams/new/", "Create a team")
    page.get_by_role("button", name=re.compile("Create team|Save")).first.click()
    expect(error_summary(page)).to_be_visible()
    assert_accessible(page)
    check(f"/planning/teams/{team.pk}/edit/", "Edit North crisis team")
    check(f"/planning/teams/{team.pk}/plans/new/", "Create a plan")
    page.get_by_label("Plan name").fill("")
    page.get_by_role("button", name=re.compile("Create")).first.click()
    expect(error_summary(page)).to_be_visible()
    assert_accessible(page)
    check(f"/planning/plans/{plan.pk}/copy/", "Copy 2026 baseline into a scenario")
    check(f"/planning/plans/{plan.pk}/rename/", "Rename 2026 baseline")
    check(f"/planning/plans/{plan.pk}/delete/", "Are you sure you want to delete 2026 baseline?")
    check(f"/planning/plans/{plan.pk}/import/", "Import a plan spreadsheet")
    check("/accounts/password_change/", "Change your password")

    # A file with a bad row: the preview lists the problem.
    page.goto(f"/planning/plans/{plan.pk}/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"role,band,fte\nno-such-role,5,1\n"}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(error_summary(page)).to_be_visible()
    assert_accessible(page)

    # Compare: from the plan page's "Compare with" form, which works without JavaScript too.
    page.goto(f"/planning/plans/{plan.pk}/")
    page.get_by_label("Compare with…").select_option(label="More peer support (scenario)")
    page.get_by_role("button", name="Compare plans").click()
    expect(page).to_have_url(re.compile(rf"/planning/plans/{plan.pk}/compare/{world.scenario.pk}/$"))
    expect(h1(page)).to_have_text("2026 baseline and More peer support")
    differs = page.locator("tr.app-compare-differs")
    expect(differs.filter(has_text="Peer support worker").first).to_contain_text("+1.50")
    assert_accessible(page)
    page.goto(f"/planning/plans/{plan.pk}/compare/?with=")
    expect(error_summary(page)).to_be_visible()
    assert_accessible(page)

    # The organisation roll-up, linked from the workspace home.
    page.goto("/planning/")
    page.get_by_role("link", name=re.compile(r"^All teams in Northshire")).click()
    expect(h1(page)).to_have_text("Northshire Mental Health NHS Foundation Trust")
    expect(page.locator("#totals")).to_contain_text("All 2 teams")
    assert_accessible(page)


def test_edit_conflict_page_is_accessible(new_context, world):
    """Two people edit the same plan: the second save meets the conflict page."""
    first = new_context().new_page()
    log_in(first)
    second = new_context().new_page()
    log_in(second)
    edit = f"/planning/plans/{world.plan.pk}/edit/"
    first.goto(edit)
    second.goto(edit)
    second.get_by_label("Plan name").fill("Saved by the other tab")
    second.get_by_role("button", name="Save plan").first.click()
    expect(second.locator(".nhsuk-notification-banner")).to_contain_text("Plan saved")

    first.get_by_label("Plan name").fill("My name for it")
    first.get_by_role("button", name="Save plan").first.click()
    expect(first.locator("#conflict")).to_be_visible()
    expect(error_summary(first)).to_contain_text("saved a newer version of this plan")
    assert_accessible(first)


def test_compare_works_without_javascript(new_context, world):
    page = new_context(java_script_enabled=False).new_page()
    log_in(page)
    page.goto(f"/planning/plans/{world.plan.pk}/")
    page.get_by_label("Compare with…").select_option(label="More peer support (scenario)")
    page.get_by_role("button", name="Compare plans").click()
    expect(page).to_have_url(re.compile(rf"/compare/{world.scenario.pk}/$"))
    expect(page.get_by_role("table", name=re.compile("FTE in post by role"))).to_be_visible()


def test_agreed_plan_refused_change_and_read_only_pages_are_accessible(new_context, world):
    """The pages a user meets when a plan is agreed, when a second tab got there first, and as a viewer."""
    first = new_context().new_page()
    log_in(first)
    second = new_context().new_page()
    log_in(second)
    plan_url = f"/planning/plans/{world.plan.pk}/"
    first.goto(plan_url)
    second.goto(plan_url)
    second.get_by_role("button", name="Mark as agreed").click()
    expect(h1(second)).to_have_text("Are you sure you want to mark 2026 baseline as agreed?")
    second.get_by_role("button", name="Mark as agreed").click()
    expect(second.locator(".nhsuk-notification-banner")).to_contain_text("Plan marked as agreed")
    expect(second.get_by_role("button", name="Reopen plan")).to_be_visible()
    assert_accessible(second)

    # The first tab still shows the draft; agreeing it again is refused, and says why.
    first.get_by_role("button", name="Mark as agreed").click()
    expect(h1(first)).to_have_text("2026 baseline was not changed")
    expect(error_summary(first)).to_be_visible()
    assert_accessible(first)

    # Editing an agreed plan is refused with a way out.
    first.goto(f"{plan_url}edit/")
    expect(h1(first)).to_have_text("2026 baseline is agreed")
    assert_accessible(first)

    # A viewer reads the plan but may not change it.
    viewer = make_user("vic", password=PASSWORD)
    add_member(viewer, world.north, Membership.Access.VIEWER)
    reader = new_context().new_page()
    log_in(reader, "vic")
    reader.goto(plan_url)
    expect(reader.get_by_text("You have read-only access to this plan.")).to_be_visible()
    expect(reader.get_by_role("button", name="Reopen plan")).to_have_count(0)
    assert_accessible(reader)
    response = reader.goto(f"/planning/plans/{world.scenario.pk}/edit/")
    assert response.status == 403
    expect(h1(reader)).to_have_text("You cannot do this")
    assert_accessible(reader)

"""In a real browser: the plan editor's staffing grid. Rows are added, copied and deleted without a reload, a block
copied from a spreadsheet is pasted in place, a bad pasted cell gets its error on that cell with nothing lost, the
arrow keys move between cells, and without JavaScript the same journey works with reloads."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from planning.models import StaffingLine, TeamTypeDemand
from roles.models import ComplexityTier, Role
from tests.factories import make_crisis_team_plan
from tests.helpers import assert_accessible
from tests.mfa import pass_two_step

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-4K"
# Five lines as a spreadsheet holds them: role (slug or name), band code, FTE, establishment, attrition, trainees,
# completion year, recruitment, and the first declarable capability's FTE.
BLOCK = [
    ["mental-health-nurse", "6", "5", "6", "10%", "0", "", "1", "1"],
    ["Mental health nurse", "7", "1", "1", "8", "0", "", "0", ""],
    ["clinical-psychologist", "8a", "1", "1", "5", "0", "", "0", ""],
    ["peer-support-worker", "4", "2", "2", "12.5%", "1", "2027", "0", ""],
    ["occupational-therapist", "6", "1.5", "2", "10", "0", "", "0.5", ""],
]


def block_text(rows) -> str:
    return "\r\n".join("\t".join(row) for row in rows) + "\r\n"  # as Excel puts it on the clipboard


@pytest.fixture
def grid_plan(site):
    return make_crisis_team_plan(password=PASSWORD)


def sign_in(page):
    page.goto(reverse("login"))
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_step(page, "lena")


def edit(plan) -> str:
    return reverse("planning:plan-edit", args=[plan.pk])


def _role_pk(slug):
    return Role.objects.get(slug=slug).pk


def grid_rows(page):
    return page.locator("[data-grid-body] [data-grid-row]")


def paste(page, selector: str, text: str):
    """Pastes `text` into the element, as the browser does with text copied from a spreadsheet."""
    page.focus(selector)
    page.evaluate(
        """([selector, text]) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
            document.querySelector(selector).dispatchEvent(event);
        }""",
        [selector, text],
    )


def test_ten_rows_are_added_without_a_reload_and_saved(page, grid_plan):
    sign_in(page)
    page.goto(edit(grid_plan))
    assert_accessible(page)
    before = grid_rows(page).count()
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Number of rows to add").fill("10")
    page.get_by_role("button", name="Add rows").click()
    expect(grid_rows(page)).to_have_count(before + 10)
    assert page.evaluate("window.notReloaded === true")
    expect(page.get_by_role("status")).to_contain_text("10 rows added")
    last = before + 10
    page.get_by_label(f"Note, line {last}", exact=True).fill("Team leader")
    assert_accessible(page)

    page.get_by_label(f"Role, line {last}", exact=True).select_option(value=str(_role_pk("mental-health-nurse")))
    page.get_by_label(f"Band or grade, line {last}", exact=True).select_option(label="Band 7")
    page.get_by_label(f"FTE in post, line {last}", exact=True).fill("1")
    page.get_by_label(f"Funded establishment FTE, line {last}", exact=True).fill("1")
    page.get_by_role("button", name="Save plan").first.click()
    expect(page).to_have_url(re.compile(rf"{grid_plan.get_absolute_url()}$"))
    line = StaffingLine.objects.get(plan=grid_plan)
    assert (line.band, line.note) == (7, "Team leader")


def test_a_5_by_9_block_pasted_from_a_spreadsheet_lands_in_its_cells_and_saves(page, grid_plan):
    sign_in(page)
    page.goto(edit(grid_plan))
    paste(page, "#id_staffing-0-role", block_text(BLOCK))
    expect(grid_rows(page)).to_have_count(5)  # three blank rows, two added for the paste
    expect(page.get_by_role("status")).to_contain_text("5 rows pasted from line 1")
    expect(page.get_by_label("Annual attrition (%), line 4", exact=True)).to_have_value("12.5%")
    assert_accessible(page)
    page.get_by_role("button", name="Save plan").first.click()
    expect(page).to_have_url(re.compile(rf"{grid_plan.get_absolute_url()}$"))
    lines = {(line.role.slug, line.band): line for line in StaffingLine.objects.filter(plan=grid_plan)}
    assert len(lines) == 5
    nurse = lines["mental-health-nurse", 6]
    assert (nurse.fte, nurse.attrition_pct, nurse.recruitment_fte_per_year) == (Decimal(5), Decimal(10), Decimal(1))
    assert nurse.declared_capabilities.get().fte == Decimal(1)
    peer = lines["peer-support-worker", 4]
    assert (peer.attrition_pct, peer.trainees_fte, peer.trainee_completion_year) == (Decimal("12.5"), 1, 2027)


def test_a_paste_with_one_bad_cell_shows_its_error_on_that_cell_and_loses_nothing(page, grid_plan):
    sign_in(page)
    page.goto(edit(grid_plan))
    bad = [row[:] for row in BLOCK]
    bad[2][2] = "one"  # line 3's FTE
    paste(page, "#id_staffing-0-role", block_text(bad))
    page.get_by_role("button", name="Save plan").first.click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Staffing line 3: FTE in post must be a number")
    cell = page.locator("#id_staffing-2-fte")
    expect(cell).to_have_value("one")
    expect(page.locator("#id_staffing-2-fte_error")).to_contain_text("FTE in post must be a number")
    expect(cell).to_have_attribute("aria-describedby", "id_staffing-2-fte_error")
    expect(page.locator("#id_staffing-3-attrition_pct")).to_have_value("12.5%")
    expect(page.locator("#id_staffing-4-fte")).to_have_value("1.5")
    assert StaffingLine.objects.filter(plan=grid_plan).count() == 0
    assert_accessible(page)
    page.locator(".nhsuk-error-summary a").first.click()
    expect(cell).to_be_focused()
    cell.fill("1")
    page.get_by_role("button", name="Save plan").first.click()
    expect(page).to_have_url(re.compile(rf"{grid_plan.get_absolute_url()}$"))
    assert StaffingLine.objects.filter(plan=grid_plan).count() == 5


def test_rows_are_copied_and_deleted_and_the_arrow_keys_move_between_cells(page, grid_plan):
    sign_in(page)
    page.goto(edit(grid_plan))
    paste(page, "#id_staffing-0-role", block_text(BLOCK[:2]))
    page.get_by_role("button", name="Copy line 1", exact=True).click()
    expect(page.locator("#id_staffing-1-fte")).to_have_value("5")
    expect(page.locator("#id_staffing-2-fte")).to_have_value("1")  # the old line 2 moved down
    page.get_by_role("button", name="Delete line 3", exact=True).click()
    expect(page.locator("#id_staffing-2-fte")).to_have_value("")
    expect(page.get_by_role("status")).to_contain_text("Line 3 deleted")
    assert_accessible(page)

    page.locator("#id_staffing-0-fte").focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_staffing-1-fte")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#id_staffing-1-establishment_fte")).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#id_staffing-1-fte")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_staffing-1-establishment_fte")).to_be_focused()

    page.get_by_role("button", name="Save plan").first.click()
    expect(page).to_have_url(re.compile(rf"{grid_plan.get_absolute_url()}$"))
    assert StaffingLine.objects.filter(plan=grid_plan, role__slug="mental-health-nurse", band=6).count() == 2


def test_without_javascript_the_same_journey_works_with_reloads(new_context, grid_plan):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page)
    page.goto(edit(grid_plan))
    page.get_by_label("Note, line 1", exact=True).fill("Typed before adding")
    page.get_by_label("Number of rows to add").fill("10")
    page.get_by_role("button", name="Add rows").click()
    expect(grid_rows(page)).to_have_count(13)
    expect(page.get_by_label("Note, line 1", exact=True)).to_have_value("Typed before adding")

    nurse = str(_role_pk("mental-health-nurse"))
    page.get_by_label("Role, line 1", exact=True).select_option(value=nurse)
    page.get_by_label("Band or grade, line 1", exact=True).select_option(label="Band 6")
    page.get_by_label("FTE in post, line 1", exact=True).fill("150,000")  # refused: more than 999.99
    page.get_by_label("Funded establishment FTE, line 1", exact=True).fill("5")
    page.get_by_label("Annual attrition (%), line 1", exact=True).fill("10%")
    page.get_by_role("button", name="Copy line 1", exact=True).click()
    expect(page.get_by_label("FTE in post, line 2", exact=True)).to_have_value("150,000")
    page.get_by_role("button", name="Delete line 3", exact=True).click()
    expect(grid_rows(page)).to_have_count(13)

    page.get_by_role("button", name="Save plan").first.click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Staffing line 1: FTE in post must be 999.99 or less")
    expect(page.locator("#id_staffing-1-fte_error")).to_contain_text("FTE in post must be 999.99 or less")
    page.get_by_label("FTE in post, line 1", exact=True).fill("5")
    page.get_by_label("FTE in post, line 2", exact=True).fill("1")
    page.get_by_label("Band or grade, line 2", exact=True).select_option(label="Band 7")
    page.get_by_role("button", name="Save plan").first.click()
    expect(page).to_have_url(re.compile(rf"{grid_plan.get_absolute_url()}$"))
    lines = StaffingLine.objects.filter(plan=grid_plan).order_by("band")
    assert [(line.band, line.fte, line.attrition_pct) for line in lines] == [
        (6, Decimal(5), Decimal(10)),
        (7, Decimal(1), Decimal(10)),
    ]
    assert lines[0].note == "Typed before adding"


def test_the_reference_demand_fills_the_demand_rows_in_the_page(page, grid_plan):
    team_type = grid_plan.team.team_type
    TeamTypeDemand.objects.update_or_create(
        team_type=team_type,
        tier=ComplexityTier.COMPLEX,
        defaults={"caseload_per_100k": Decimal("30"), "hours_per_person_per_week": Decimal("3.5")},
    )
    sign_in(page)
    page.goto(edit(grid_plan))
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Use reference demand").click()
    expect(page.get_by_label("Caseload (people), complex needs", exact=True)).to_have_value("45")
    assert page.evaluate("window.notReloaded === true")
    assert_accessible(page)
    page.get_by_role("button", name="Save plan").first.click()
    expect(page).to_have_url(re.compile(rf"{grid_plan.get_absolute_url()}$"))
    assert grid_plan.demand_lines.get(tier=ComplexityTier.COMPLEX).caseload == 45

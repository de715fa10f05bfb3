"""In a real browser: a lead enters every line of a real crisis team (doctors on medical grades, nurses bands 5 to
8a, a band 8a psychologist, therapists, social work, peer support, STR, administrator and team manager) in the plan
editor, and the dashboard shows a cost with no warning."""

import re

import pytest
from playwright.sync_api import expect

from planning.models import StaffingLine
from tests.factories import make_crisis_team_plan
from tests.helpers import assert_accessible
from tests.mfa import pass_two_step

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_hasher")]

PASSWORD = "a-long-test-password-4K"
# role name as the picker starts it, grade label, FTE
CRISIS_TEAM = [
    ("Consultant psychiatrist", "Consultant", "1"),
    ("Specialty doctor", "Specialty doctor", "1"),
    ("Mental health nurse", "Band 5", "2"),
    ("Mental health nurse", "Band 6", "5"),
    ("Mental health nurse", "Band 7", "1"),
    ("Mental health nurse", "Band 8a", "1"),
    ("Clinical psychologist", "Band 8a", "1"),
    ("Occupational therapist", "Band 6", "1"),
    ("Social worker", "Band 6", "1"),
    ("Peer support worker", "Band 4", "1"),
    ("Support, time and recovery worker", "Band 3", "2"),
    ("Administrator", "Band 4", "1"),
    ("Team manager", "Band 8a", "1"),
]


@pytest.fixture
def crisis_plan(site):
    return make_crisis_team_plan(password=PASSWORD)


def option_label(select, starts_with: str) -> str:
    """The full text of the first option whose text starts with `starts_with` (role options carry their range)."""
    for text in select.locator("option").all_inner_texts():
        if text.strip().startswith(starts_with):
            return text.strip()
    raise AssertionError(f"no option starting {starts_with!r}")


def test_a_lead_enters_a_whole_crisis_team_and_sees_a_cost_with_no_warning(page, crisis_plan):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_two_step(page, "lena")
    page.goto(f"/planning/plans/{crisis_plan.pk}/edit/")
    rows = page.locator("[data-grid-body] [data-grid-row]")
    page.get_by_label("Number of rows to add").fill(str(len(CRISIS_TEAM) - rows.count()))
    page.get_by_role("button", name="Add rows").click()
    expect(rows).to_have_count(len(CRISIS_TEAM))
    for index, (role, grade, fte) in enumerate(CRISIS_TEAM, start=1):
        role_select = page.get_by_label(f"Role, line {index}", exact=True)
        role_select.select_option(label=option_label(role_select, role))
        page.get_by_label(f"Band or grade, line {index}", exact=True).select_option(label=grade)
        page.get_by_label(f"FTE in post, line {index}", exact=True).fill(fte)
        page.get_by_label(f"Funded establishment FTE, line {index}", exact=True).fill(fte)
    assert_accessible(page)
    page.get_by_role("button", name="Save plan").first.click()
    expect(page).to_have_url(re.compile(rf"/planning/plans/{crisis_plan.pk}/$"))
    assert StaffingLine.objects.filter(plan=crisis_plan).count() == len(CRISIS_TEAM)

    expect(page.locator("#warnings")).to_have_count(0)
    costs = page.locator("#cost-by-band")
    expect(costs).to_contain_text("Consultant")
    expect(costs).to_contain_text("Specialty doctor")
    expect(costs).not_to_contain_text("No pay point")
    expect(page.locator("#headline-cost")).not_to_contain_text("£0.00")
    expect(page.locator("#pay-scale-source")).to_contain_text("not confirmed")
    assert_accessible(page)

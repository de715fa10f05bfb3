"""Two plans side by side (/planning/plans/<a>/compare/<b>/) and an organisation's roll-up
(/planning/organisations/<id>/): what they show, who may see them, and their query counts."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning import engine, formatting, services
from planning.comparison_tables import STAFF_GROUP_LABELS
from planning.engine_inputs import results_for
from planning.models import DemandLine, Membership, Plan, StaffingLine, Team, TeamType
from roles.models import ComplexityTier, Role
from tests.factories import add_lines, client_for, make_user, make_world
from tests.helpers import assert_csp_safe, without_tokens

MINUS = "\u2212"


@pytest.fixture
def world(db):
    """make_world, with Northshire's team a crisis team (so that guidance targets apply), and a scenario of its
    baseline with 0.5 FTE fewer nurses and 1.5 FTE more peer support workers."""
    world = make_world()
    world.crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    world.team.team_type = world.crisis
    world.team.population_served = 50_000
    world.team.save()
    world.scenario = services.copy_as_scenario(plan=world.plan, user=world.lead, name="More peer support")
    StaffingLine.objects.filter(plan=world.scenario, role=world.nurse).update(fte=Decimal("3.50"))
    StaffingLine.objects.filter(plan=world.scenario, role=world.peer).update(fte=Decimal("3.50"))
    return world


def compare_url(a, b):
    return f"/planning/plans/{a.pk}/compare/{b.pk}/"


def rollup_url(organisation):
    return f"/planning/organisations/{organisation.pk}/"


def table(page: str, table_id: str) -> str:
    match = re.search(rf'<table class="nhsuk-table" id="table-{table_id}">.*?</table>', page, re.S)
    assert match, f"no table {table_id}"
    return match.group(0)


def rows(html: str) -> dict[str, dict]:
    """Body rows of a table: the row header's text (without hidden text) -> cells and whether it differs."""
    found = {}
    for row in re.findall(r'<tr class="nhsuk-table__row[^"]*".*?</tr>', html, re.S):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if not header:
            continue
        label = re.sub(r'<span class="nhsuk-u-visually-hidden">.*?</span>', "", header.group(1))
        label = re.sub(r"<br>.*", "", label, flags=re.S)
        label = re.sub(r"<[^>]+>", "", label).strip()
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        found[label] = {
            "cells": cells,
            "differs": "app-compare-differs" in row.split(">", 1)[0],
            "hidden": "(differs)" in row,
        }
    return found


# --- Formatting -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.5, "+1.50"), (-0.5, f"{MINUS}0.50"), (0.0, "0.00"), (-0.001, "0.00"), (0.004, "0.00"), (12.345, "+12.35")],
)
def test_signed_fte(value, text):
    assert formatting.signed_fte(value) == text


def test_money_percent_and_missing_values():
    assert formatting.money(1234567.494) == "£1,234,567.49"
    assert formatting.money(-0.004) == "£0.00"
    assert formatting.MONEY.signed(-2500) == f"{MINUS}£2,500.00"
    assert formatting.MONEY.signed(2500) == "+£2,500.00"
    assert formatting.percent(87.26) == "87.3%"
    assert formatting.PERCENT.signed(-3.0) == f"{MINUS}3.0 points"
    assert formatting.percent(None) == formatting.NO_VALUE == "–"
    assert formatting.fte(-0.5) == f"{MINUS}0.50"
    assert formatting.hours(1234.5) == "1,234.50"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("37.50"), "37.5"),
        (Decimal("2.00"), "2"),
        (Decimal("-0.00"), "0"),
        (Decimal("1E+1"), "10"),
        (0.78, "0.78"),
        (1 + 28 / 100, "1.28"),
        (28, "28"),
        (" 1.50 ", "1.5"),
        ("ten", "ten"),
        ("NaN", "NaN"),
        (None, ""),
    ],
)
def test_plain_is_the_canonical_text_of_a_number(value, text):
    assert formatting.plain(value) == text


# --- Comparison -------------------------------------------------------------------------------------------


def test_compare_shows_both_plans_side_by_side_with_differences(world):
    response = client_for(world.lead).get(compare_url(world.plan, world.scenario))
    assert response.status_code == 200
    assert [template.name for template in response.templates][0] == "planning/plan_compare.html"
    page = response.content.decode()
    assert_csp_safe(page)
    assert '<h1 class="nhsuk-heading-l">2026 baseline and More peer support</h1>' in page

    roles = rows(table(page, "staffing"))
    assert roles["Mental health nurse"]["cells"] == ["4.00", "3.50", f"{MINUS}0.50"]
    assert roles["Peer support worker"]["cells"] == ["2.00", "3.50", "+1.50"]
    assert roles["Total"]["cells"] == ["6.00", "7.00", "+1.00"]
    assert all(row["differs"] and row["hidden"] for row in roles.values())

    results = results_for([world.plan, world.scenario])
    a, b = results[world.plan.pk], results[world.scenario.pk]
    headline = rows(table(page, "headline"))
    assert headline["Total FTE in post"]["cells"] == ["6.00", "7.00", "+1.00"]
    assert headline["Annual cost in the first year"]["cells"] == [
        formatting.money(a.baseline.cost),
        formatting.money(b.baseline.cost),
        formatting.MONEY.signed(round(b.baseline.cost, 2) - round(a.baseline.cost, 2)),
    ]
    assert headline["Annual cost in the first year"]["cells"][2].startswith("+£")
    assert headline["Cost over the plan’s horizon"]["cells"][:2] == [
        formatting.money(a.cost_over_horizon),
        formatting.money(b.cost_over_horizon),
    ]
    # Complex demand of 40 people × 2 hours = 80 hours a week; only nurses can take complex work
    # (17.55 hours a week each): 4 nurses meet 70.2 hours, 3.5 nurses 61.425.
    assert headline["Demand met now"]["cells"] == ["87.8%", "76.8%", f"{MINUS}11.0 points"]
    # The gap is the larger of the unmet demand (80 − 70.2 = 9.8 h ÷ 17.55 = 0.56 FTE; 1.06 FTE with 3.5 nurses) and
    # the crisis team's minimum cover: 2 staff on shift × 24 h × 7 days = 336 h ÷ (37.5 × 0.78 = 29.25 h) = 11.49
    # FTE, of which the team has 6 (5.49 short) or 7 (4.49 short): cover drives both.
    assert headline["Gap now (FTE)"]["cells"] == ["5.49", "4.49", f"{MINUS}1.00"]
    assert headline["Gap at the end of the plan (FTE)"]["cells"] == ["5.49", "4.49", f"{MINUS}1.00"]
    assert headline["Skilled hours on routine work"]["cells"] == ["0.00", "0.00", "0.00"]
    assert not headline["Skilled hours on routine work"]["differs"]
    assert "(differs)" not in str(headline["Skilled hours on routine work"])

    targets = rows(page[page.index('<h2 id="targets">') :])
    crisis_targets = {target.label for target in a.targets}
    assert crisis_targets and crisis_targets <= set(targets)
    for target in a.targets:
        assert targets[target.label]["cells"][0] == formatting.TARGET_STATUS_LABELS[target.status]
    assert "Targets met" in targets


def test_compare_highlights_a_target_whose_status_changes(world):
    # The guide's minimum of 14 staff for 150,000 people, scaled to the team's 50,000: at least 4.67 FTE. The baseline
    # has 6 FTE (met); the scenario, cut to 0.5 nurses and 3.5 peer support workers, 4 FTE (not met).
    StaffingLine.objects.filter(plan=world.scenario, role=world.nurse).update(fte=Decimal("0.50"))
    page = client_for(world.lead).get(compare_url(world.plan, world.scenario)).content.decode()
    targets = rows(page[page.index('<h2 id="targets">') :])
    team_size = "Crisis team staff: at least 14 for 150,000 people, scaled to the population served"
    assert targets[team_size]["cells"] == ["Met", "Not met"]
    assert targets[team_size]["differs"] and targets[team_size]["hidden"]
    assert targets["Targets met"]["differs"]


def test_identical_plans_differ_nowhere(world):
    copy = services.copy_as_scenario(plan=world.plan, user=world.lead, name="Same again")
    page = client_for(world.viewer).get(compare_url(world.plan, copy)).content.decode()
    assert "app-compare-differs" not in page
    assert "(differs)" not in page
    assert "The two plans give the same figures." in page


def test_compare_across_teams_of_the_users_organisations_and_warns_when_not_like_for_like(world):
    Membership.objects.create(user=world.lead, organisation=world.south, access=Membership.Access.VIEWER)
    response = client_for(world.lead).get(compare_url(world.plan, world.other_plan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "South plan" in page
    assert "Not like for like" in page
    assert "The plans cover different years" in page


def test_compare_needs_both_plans_readable(world):
    client = client_for(world.lead)
    assert client.get(compare_url(world.plan, world.other_plan)).status_code == 404
    assert client.get(compare_url(world.other_plan, world.plan)).status_code == 404
    assert client.get(f"/planning/plans/{world.plan.pk}/compare/999999/").status_code == 404
    assert client_for(world.other_lead).get(compare_url(world.plan, world.scenario)).status_code == 404


def test_plan_page_offers_the_teams_other_plans_to_compare_with(world):
    other_team = Team.objects.create(organisation=world.north, team_type=world.team_type, name="North ward")
    elsewhere = services.create_plan(team=other_team, user=world.lead, values={"name": "Ward plan", "start_year": 2026})
    page = client_for(world.viewer).get(f"/planning/plans/{world.plan.pk}/").content.decode()
    form = re.search(r'<form method="get" action="/planning/plans/\d+/compare/".*?</form>', page, re.S)
    assert form, "no compare form on the plan page"
    assert f'action="/planning/plans/{world.plan.pk}/compare/"' in form.group(0)
    options = re.findall(r'<option value="(\d+)"', form.group(0))
    assert options == [str(world.scenario.pk)]
    assert str(elsewhere.pk) not in options
    assert 'name="with"' in form.group(0)
    assert '<label class="nhsuk-label nhsuk-label--s" for="compare-with">' in form.group(0)


def test_plan_with_no_other_plan_has_no_compare_form(world):
    page = client_for(world.other_lead).get(f"/planning/plans/{world.other_plan.pk}/").content.decode()
    assert "/compare/" not in page


def test_picking_a_plan_redirects_to_the_comparison(world):
    client = client_for(world.viewer)
    pick = f"/planning/plans/{world.plan.pk}/compare/"
    response = client.get(pick, {"with": world.scenario.pk})
    assert response.status_code == 302
    assert response["Location"] == compare_url(world.plan, world.scenario)
    # No choice yet: the choice is offered; an empty choice is an error linked to the select.
    response = client.get(pick)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{world.scenario.pk}">More peer support (scenario)</option>' in page
    response = client.get(pick, {"with": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#compare-with">Choose a plan to compare with</a>' in page
    assert 'aria-describedby="compare-with-error"' in page
    assert "<title>Error: " in page
    # Another organisation's plan is a 404, like a missing one.
    assert client.get(pick, {"with": world.other_plan.pk}).status_code == 404
    assert client.get(pick, {"with": 999999}).status_code == 404


def test_compare_costs_the_same_queries_for_10_or_100_lines(world, django_assert_max_num_queries):
    small = add_lines(world.scenario, world.lead, 10, world.social)
    large = services.create_plan(team=world.team, user=world.lead, values={"name": "Large", "start_year": 2026})
    large = add_lines(large, world.lead, 100, world.social)
    client = client_for(world.lead)
    counts = []
    for other in (small, large):
        with CaptureQueriesContext(connection) as context:
            assert client.get(compare_url(world.plan, other)).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(16):
        client.get(compare_url(world.plan, large))


# --- Organisation roll-up ---------------------------------------------------------------------------------


def test_home_links_each_organisation_to_its_rollup(world):
    Membership.objects.create(user=world.lead, organisation=world.south, access=Membership.Access.VIEWER)
    page = client_for(world.lead).get("/planning/").content.decode()
    assert f'href="{rollup_url(world.north)}"' in page
    assert f'href="{rollup_url(world.south)}"' in page
    page = client_for(world.viewer).get("/planning/").content.decode()
    assert f'href="{rollup_url(world.north)}"' in page
    assert f'href="{rollup_url(world.south)}"' not in page


def test_a_plans_figures_read_the_same_on_its_dashboard_its_comparison_and_the_rollup(world):
    """One house style: the baseline's cost and gap are written alike on all three pages."""
    client = client_for(world.lead)
    dashboard = client.get(world.plan.get_absolute_url()).context["dashboard"]
    headlines = {headline.id: headline.value for headline in dashboard.headlines}
    comparison = client.get(compare_url(world.plan, world.scenario)).context["page"]
    figures = {row.label: row.a for row in comparison.summary}
    rolled_up = client.get(rollup_url(world.north)).context["page"]
    (team,) = rolled_up.team_rows
    assert headlines["headline-cost"] == figures["Annual cost in the first year"] == team.cost
    assert re.fullmatch(r"£\d{1,3}(,\d{3})*\.\d{2}", headlines["headline-cost"])  # pounds and pence
    assert headlines["headline-gap"] == f"{figures['Gap now (FTE)']} FTE" == f"{team.gap_now} FTE"


def test_rollup_adds_up_each_teams_baseline(world):
    second = Team.objects.create(organisation=world.north, team_type=world.team_type, name="North ward")
    ward = services.create_plan(team=second, user=world.lead, values={"name": "Ward plan", "start_year": 2027})
    StaffingLine.objects.create(plan=ward, role=world.social, band=6, fte=Decimal("2.50"), establishment_fte=3)
    DemandLine.objects.create(plan=ward, tier=ComplexityTier.ROUTINE, caseload=10, hours_per_person_per_week=1)
    Team.objects.create(organisation=world.north, team_type=world.team_type, name="New team")

    response = client_for(world.viewer).get(rollup_url(world.north))
    assert response.status_code == 200
    page = response.content.decode()
    assert_csp_safe(page)
    assert '<h1 class="nhsuk-heading-l">Northshire Mental Health NHS Foundation Trust</h1>' in page
    teams = rows(table(page, "teams"))
    assert list(teams) == ["North locality CMHT", "North ward", "All 2 teams"]
    assert "2026 baseline</a> (2026 to 2031)" in page
    assert "Ward plan</a> (2027 to 2032)" in page
    north, ward_row, total = teams.values()
    assert north["cells"][0] == "6.00"
    assert ward_row["cells"][0] == "2.50"
    results = results_for([world.plan, ward])
    totals = engine.rollup(list(results.values()))
    assert total["cells"] == [
        "8.50",
        formatting.money(totals.cost),
        formatting.percent(totals.demand_met_pct),
        formatting.fte(totals.gap_fte),
        formatting.fte(sum(result.final.gap_fte for result in results.values())),
        total["cells"][5],
    ]
    assert "More peer support" not in page  # scenarios are not counted
    assert "South" not in page
    assert '<h2 id="no-plan">Teams with no baseline plan</h2>' in page
    assert "New team" in page

    families = rows(table(page, "skill-mix"))
    assert families == {
        "Peer support and lived experience": {"cells": ["2.00", "23.5%"], "differs": False, "hidden": False},
        "Social work": {"cells": ["2.50", "29.4%"], "differs": False, "hidden": False},
        "Nursing and nursing associates": {"cells": ["4.00", "47.1%"], "differs": False, "hidden": False},
    }
    assert list(families) == ["Peer support and lived experience", "Social work", "Nursing and nursing associates"]

    years = rows(table(page, "projection"))
    assert list(years) == [str(year) for year in range(2026, 2033)]
    assert years["2026"]["cells"][0] == "1"  # only the crisis team's plan starts in 2026
    assert years["2027"]["cells"][0] == "2"
    assert years["2032"]["cells"][0] == "1"


def test_rollup_uses_the_most_recently_updated_baseline(world):
    newer = services.create_plan(
        team=world.team, user=world.lead, values={"name": "Newer baseline", "start_year": 2026}
    )
    Plan.objects.filter(pk=newer.pk).update(updated_at=world.plan.updated_at.replace(year=2099))
    page = client_for(world.lead).get(rollup_url(world.north)).content.decode()
    assert "Newer baseline</a> (2026 to 2031)" in table(page, "teams")
    assert "2026 baseline" not in page


def test_rollup_with_no_plans(world):
    Plan.objects.filter(team=world.team).delete()
    response = client_for(world.lead).get(rollup_url(world.north))
    assert response.status_code == 200
    assert "No team in Northshire Mental Health NHS Foundation Trust has a baseline plan yet." in (
        response.content.decode()
    )


def test_rollup_is_for_members_only(world):
    assert client_for(world.lead).get(rollup_url(world.north)).status_code == 200
    assert client_for(world.viewer).get(rollup_url(world.north)).status_code == 200
    missing = client_for(world.other_lead).get("/planning/organisations/999999/")
    response = client_for(world.other_lead).get(rollup_url(world.north))
    assert response.status_code == 404
    assert without_tokens(response) == without_tokens(missing)
    admin = User.objects.create_superuser("root", "root@nhs.example", None)
    assert client_for(admin).get(rollup_url(world.north)).status_code == 404
    stranger = make_user("stranger")
    assert client_for(stranger).get(rollup_url(world.north)).status_code == 404


def make_teams(world, count, prefix):
    """`count` more Northshire teams, each with a baseline (3 staffing lines, demand) and a scenario."""
    roles = [world.nurse, world.peer, world.social]
    for index in range(count):
        team = Team.objects.create(organisation=world.north, team_type=world.crisis, name=f"{prefix} team {index:03}")
        plan = Plan.objects.create(team=team, name=f"Plan {index}", start_year=2026 + index % 3, horizon_years=5)
        StaffingLine.objects.bulk_create(
            StaffingLine(plan=plan, role=role, band=5, fte=Decimal("1.5"), establishment_fte=2) for role in roles
        )
        DemandLine.objects.create(plan=plan, tier=ComplexityTier.MODERATE, caseload=20, hours_per_person_per_week=1)
        Plan.objects.create(team=team, name=f"Scenario {index}", start_year=2026, scenario_of=plan)


def test_rollup_costs_the_same_queries_for_3_or_30_teams(world, django_assert_max_num_queries):
    client = client_for(world.viewer)
    Plan.objects.filter(team=world.team).delete()
    make_teams(world, 3, "Small")
    with CaptureQueriesContext(connection) as small:
        response = client.get(rollup_url(world.north))
    assert response.status_code == 200
    assert "All 3 teams" in response.content.decode()
    make_teams(world, 27, "Large")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(rollup_url(world.north))
    assert response.status_code == 200
    assert "All 30 teams" in response.content.decode()
    with django_assert_max_num_queries(17):  # 16, and one for two-step verification (nwwmh_portal/mfa.py)
        client.get(rollup_url(world.north))


# --- A change of skill mix --------------------------------------------------------------------------------


@pytest.fixture
def regraded(world):
    """Eight nurses: the baseline has four on band 6 and four on band 7; the scenario the same eight FTE, all on
    band 5. Nurses hold complex cases from band 6 (below it, moderate at most)."""
    Role.objects.filter(pk=world.nurse.pk).update(full_ceiling_band=6)
    StaffingLine.objects.filter(plan=world.plan).delete()
    for band in (6, 7):
        StaffingLine.objects.create(plan=world.plan, role=world.nurse, band=band, fte=4, establishment_fte=4)
    scenario = services.copy_as_scenario(plan=world.plan, user=world.lead, name="All band 5")
    StaffingLine.objects.filter(plan=scenario).update(band=5)
    return world.plan, scenario


def test_regrading_shows_by_band_and_in_complex_capacity_though_fte_by_role_is_unchanged(world, regraded):
    baseline, scenario = regraded
    client = client_for(world.lead)
    page = client.get(compare_url(baseline, scenario)).content.decode()
    by_role = rows(table(page, "staffing"))
    assert by_role["Mental health nurse"] == {"cells": ["8.00", "8.00", "0.00"], "differs": False, "hidden": False}
    assert rows(table(page, "headline"))["Annual cost in the first year"]["differs"]  # band 5 costs less
    # Complex capacity, complex demand met and supervision are the engine's, for whatever ceiling each line has.
    results = results_for([baseline, scenario])
    a, b = results[baseline.pk], results[scenario.pk]
    capacity = rows(table(page, "capacity"))
    assert capacity["Complex capacity now"]["cells"][:2] == [
        formatting.hours(a.baseline.complex_capacity_hours),
        formatting.hours(b.baseline.complex_capacity_hours),
    ]
    assert capacity["Complex demand met now"]["cells"][:2] == [
        formatting.percent(a.baseline.complex_met_pct),
        formatting.percent(b.baseline.complex_met_pct),
    ]
    assert capacity["Supervision shortfall now"]["cells"][:2] == [
        formatting.hours(a.baseline.supervision.shortfall_hours),
        formatting.hours(b.baseline.supervision.shortfall_hours),
    ]

    response = client.get(compare_url(baseline, scenario), {"by": "band"})
    page = response.content.decode()
    assert_csp_safe(page)
    assert '<h2 id="staffing">FTE by band or grade</h2>' in page
    assert 'id="by-band" name="by" type="radio" value="band" checked' in page
    by_band = rows(table(page, "staffing"))
    assert by_band == {
        "Band 5": {"cells": ["0.00", "8.00", "+8.00"], "differs": True, "hidden": True},
        "Band 6": {"cells": ["4.00", "0.00", f"{MINUS}4.00"], "differs": True, "hidden": True},
        "Band 7": {"cells": ["4.00", "0.00", f"{MINUS}4.00"], "differs": True, "hidden": True},
        "Total": {"cells": ["8.00", "8.00", "0.00"], "differs": False, "hidden": False},
    }
    assert list(rows(table(page, "staffing-at-end"))) == ["Band 5", "Band 6", "Band 7", "Total"]


def test_compare_by_staff_group_puts_each_line_in_one_group(world):
    StaffingLine.objects.create(plan=world.scenario, role=world.social, band=6, fte=1, establishment_fte=1)
    page = client_for(world.lead).get(compare_url(world.plan, world.scenario), {"by": "group"}).content.decode()
    assert '<h2 id="staffing">FTE by staff group</h2>' in page
    groups = rows(table(page, "staffing"))
    results = results_for([world.scenario])[world.scenario.pk]
    expected = {}
    for line in results.baseline.lines:
        expected[line.staff_group] = expected.get(line.staff_group, 0) + line.fte
    labels = {key: label for key, (label, _) in STAFF_GROUP_LABELS.items()}
    shown = {label: row["cells"][1] for label, row in groups.items() if label != "Total"}
    assert shown == {labels[key]: formatting.fte(fte) for key, fte in expected.items()}
    assert groups["Total"]["cells"] == ["6.00", "8.00", "+2.00"]


@pytest.mark.parametrize("asked", ["", "nonsense", "role"])
def test_compare_is_by_role_unless_asked_otherwise(world, asked):
    page = client_for(world.lead).get(compare_url(world.plan, world.scenario), {"by": asked}).content.decode()
    assert '<h2 id="staffing">FTE by role</h2>' in page
    assert 'value="role" checked' in page
    assert "Mental health nurse" in table(page, "staffing")


def test_every_comparison_table_scrolls_in_a_named_region_a_keyboard_can_reach(world):
    page = client_for(world.lead).get(compare_url(world.plan, world.scenario)).content.decode()
    region = r'<div class="app-table-scroll"([^>]*)>\s*<table class="nhsuk-table" id="table-([\w-]+)">'
    regions = re.findall(region, page)
    assert [table_id for _, table_id in regions] == ["headline", "capacity", "staffing", "staffing-at-end", "targets"]
    for attributes, table_id in regions:
        assert f'tabindex="0" role="region" aria-labelledby="caption-{table_id}"' in attributes
        assert f'id="caption-{table_id}"' in page
    assert 'role="text"' not in page


def test_the_team_page_links_to_comparing_its_baseline_with_each_scenario(world):
    second = services.copy_as_scenario(plan=world.scenario, user=world.lead, name="Second scenario")
    page = client_for(world.viewer).get(world.team.get_absolute_url()).content.decode()
    for scenario in (world.scenario, second):
        link = f'<a href="{compare_url(world.plan, scenario)}">Compare 2026 baseline with {scenario.name}</a>'
        assert link in page


def test_a_team_with_one_plan_offers_no_comparison(world):
    page = client_for(world.other_lead).get(world.other_team.get_absolute_url()).content.decode()
    assert "Compare plans" not in page
    assert "/compare/" not in page


def test_the_team_page_costs_the_same_queries_for_2_or_12_plans(world, django_assert_max_num_queries):
    client = client_for(world.lead)
    with CaptureQueriesContext(connection) as few:
        client.get(world.team.get_absolute_url())
    for index in range(10):
        services.copy_as_scenario(plan=world.plan, user=world.lead, name=f"Scenario {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(world.team.get_absolute_url())


def test_comparing_with_another_plan_keeps_the_breakdown(world):
    pick = reverse("planning:plan-compare-pick", args=[world.plan.pk])
    client = client_for(world.viewer)
    page = client.get(compare_url(world.plan, world.scenario), {"by": "band"}).content.decode()
    assert '<input type="hidden" name="by" value="band">' in page
    response = client.get(pick, {"with": world.scenario.pk, "by": "band"})
    assert response["Location"] == compare_url(world.plan, world.scenario) + "?by=band"
    response = client.get(pick, {"with": world.scenario.pk, "by": "role"})
    assert response["Location"] == compare_url(world.plan, world.scenario)

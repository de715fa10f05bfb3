"""The plan dashboard at /planning/plans/<id>/: a worked example checked by hand, access, charts, CSP-safe
markup and a query count that does not grow with the plan.

The worked example (start 2026, horizon 2 years, default assumptions, AfC 2025/26 pay from the reference data):
    staff   2.00 FTE mental health nurse, band 5 (registered; the line is set to hold complex cases)
            1.00 FTE peer support worker, band 3 (new role, routine cases only), establishment 2, +0.5 FTE a year
    demand  complex 10 people × 2 h, moderate 5 × 2 h, routine 25 × 1 h  = 20 + 10 + 25 = 55 hours a week
    care hours per FTE: 37.5 × 0.78 × 0.6 = 17.55 → nurse 35.10, peer 17.55, total 52.65 hours a week
    matching: complex 20 and moderate 10 from the nurse; routine: peer 17.55 first, then the nurse's last 5.10;
              unmet routine 55 − 52.65 = 2.35 → met 52.65 ÷ 55 = 95.7%, gap 2.35 ÷ 17.55 = 0.13 FTE
    2027/2028: peer 1.5 and 2.0 FTE → routine fully met, gap 0.00 FTE
    pay midpoints: band 5 (31,049 + 37,796) ÷ 2 = 34,422.50; band 3 (24,937 + 26,598) ÷ 2 = 25,767.50
    cost 2026: 2 × 34,422.50 × 1.28 = 88,121.60 + 1 × 25,767.50 × 1.28 = 32,982.40 → 121,104.00
    cost 2027: 88,121.60 + 1.5 × 32,982.40 = 137,595.20;  2028: 88,121.60 + 2 × 32,982.40 = 154,086.40
    cost over the horizon (2026 and 2027): 258,699.20
"""

import gzip
import re
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nwwmh_portal import content_version
from planning import charts, engine_inputs, services
from planning.dashboard import exports
from planning.models import (
    DemandLine,
    Plan,
    StaffingLine,
    TeamTypeCapability,
)
from roles.models import Role
from tests.factories import GUIDANCE_SOURCE as SOURCE
from tests.factories import client_for, make_dashboard_world, use_the_whole_model
from tests.helpers import plan_url as url


@pytest.fixture
def dash(db):
    return make_dashboard_world()


def page_for(user, plan) -> str:
    response = client_for(user).get(url(plan))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's text with tags removed and white space collapsed, for phrases that span elements."""
    text = re.sub(r"<(script|svg)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"')
    return re.sub(r"\s+", " ", text)


def section(html: str, anchor: str) -> str:
    """The HTML of the dashboard section whose h2 has id `anchor`."""
    start = html.index(f'<h2 id="{anchor}"')
    end = html.find("</section>", start)
    return html[start:end]


def cells(html: str, table_id: str) -> list[list[str]]:
    """Rows of a table's body as lists of cell texts."""
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr\b.*?</tr>", table, flags=re.S)
    return [[text_of(cell).strip() for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, flags=re.S)] for row in rows]


# --- The worked example ----------------------------------------------------------------------------------


def test_headline_figures_come_first_and_match_the_worked_example(dash):
    html = page_for(dash.lead, dash.plan)
    text = text_of(html)
    assert "Demand met in 2026 95.7% 52.65 of 55.00 hours a week of care." in text
    assert "Gap in 2026 0.13 FTE Need 3.13 FTE (from demand); surplus 0.00 FTE." in text
    assert "Gap in 2028 0.00 FTE Need 3.13 FTE (from demand); surplus 0.87 FTE." in text
    assert "Annual cost in 2026 £121,104.00" in text
    assert "Targets met 1 of 2 Applicable guidance targets met in 2026. 1 more target not applicable." in text
    order = [html.index(marker) for marker in ('id="headline-figures"', 'id="demand-need"', 'id="skill-mix"')]
    assert order == sorted(order)


def row_values(html: str, row_id: str) -> list[str]:
    """The texts of the data cells (not the header) of the table row with id `row_id`."""
    row = html[html.index(f'id="{row_id}"') :]
    row = row[: row.index("</tr>")]
    return [text_of(cell).strip() for cell in re.findall(r"<td\b.*?</td>", row, flags=re.S)]


def headline_warnings(html: str) -> list[str]:
    """The items of the "What needs attention" warning callout."""
    callout = html[html.index('id="headline-warnings"') :]
    callout = callout[: callout.index("</div>")]
    assert "What needs attention" in text_of(callout)
    return [text_of(item).strip() for item in re.findall(r"<li>(.*?)</li>", callout, flags=re.S)]


def engine_warnings(plan) -> list[str]:
    return engine_inputs.results_for([Plan.objects.select_related("team").get(pk=plan.pk)])[plan.pk].headlines.warnings


def test_headlines_at_the_start_and_the_horizon_with_gap_and_surplus(dash):
    """2026: gap 2.35 ÷ 17.55 = 0.13 FTE (routine unmet), no surplus. 2028: 4 FTE, all 55 hours met, so the need is
    55 ÷ 17.55 = 3.13 FTE and the surplus 4 − 3.13 = 0.87 FTE (care hours not needed), with no gap."""
    html = page_for(dash.lead, dash.plan)
    assert cells(html, "headline-table")[0] == ["Figure", "2026", "2028"]
    expected = {
        "figure-fte": ["3.00", "4.00"],
        "figure-establishment": ["4.00", "4.00"],
        "figure-vacancies": ["1.00", "0.00"],
        "figure-over-establishment": ["0.00", "0.00"],
        "figure-need": ["3.13 (from demand)", "3.13 (from demand)"],
        "figure-gap": ["0.13", "0.00"],
        "figure-surplus": ["0.00", "0.87"],
        "figure-met": ["95.7%", "100.0%"],
        "figure-complex-met": ["100.0%", "100.0%"],
        "figure-cost-in-post": ["£121,104.00", "£154,086.40"],
        # Establishment: 2 nurses and 2 peer support workers, 88,121.60 + 2 × 32,982.40.
        "figure-cost-establishment": ["£154,086.40", "£154,086.40"],
    }
    assert {row_id: row_values(html, row_id) for row_id in expected} == expected
    # 2028: 4 − 3.13 = 0.87 clinical FTE more than the need: the one warning.
    (surplus,) = headline_warnings(html)
    assert surplus == engine_warnings(dash.plan)[0]
    assert surplus.startswith("In 2028, 0.87 clinical FTE")


def test_contents_list_links_to_every_section_heading_in_order(dash):
    html = page_for(dash.lead, dash.plan)
    contents = html[html.index('class="nhsuk-contents-list"') :]
    contents = contents[: contents.index("</nav>")]
    anchors = re.findall(r'href="#([a-z-]+)"', contents)
    assert anchors[:10] == [
        "demand-need",
        "skill-mix",
        "complexity",
        "capabilities",
        "supervision",
        "targets",
        "projection",
        "year-by-year",
        "costs",
        "method",
    ]
    positions = []
    for anchor in anchors:
        match = re.search(rf'<h2 id="{anchor}"', html)
        assert match, f"no h2 with id {anchor}"
        positions.append(match.start())
    assert positions == sorted(positions)
    # The plan's inputs and its history are still on the page, after the dashboard.
    assert html.index('id="method"') < html.index('<h2 id="staffing">') < html.index('<h2 id="history">')
    assert "Staffing lines (2)" in html


def test_skill_mix(dash):
    html = section(page_for(dash.lead, dash.plan), "skill-mix")
    assert cells(html, "skill-mix-by-family")[1:] == [
        ["Nursing and nursing associates", "2.00", "66.7%"],
        ["Peer support and lived experience", "1.00", "33.3%"],
    ]
    assert cells(html, "skill-mix-by-band")[1:] == [["Band 3", "1.00", "33.3%"], ["Band 5", "2.00", "66.7%"]]
    text = text_of(html)
    for phrase in [
        "Total FTE in post 3.00",
        "Registered professions 2.00 FTE (66.7%)",
        "New roles 1.00 FTE (33.3%)",
        "Registered to unregistered staff 2.00 to 1",
        "FTE-weighted mean band Between band 4 and band 5 (nearest: band 4)",
        "= 4.33",
        "At band 5 or above 66.7%",
        "At band 8a or above 0.0%",
    ]:
        assert phrase in text, phrase


def test_matching_experience_to_complexity(dash):
    html = section(page_for(dash.lead, dash.plan), "complexity")
    assert cells(html, "complexity-tiers")[1:] == [
        ["Complex", "20.00", "20.00", "0.00", "100.0%", "0.00"],
        ["Moderate", "10.00", "10.00", "0.00", "100.0%", "0.00"],
        ["Routine", "25.00", "22.65", "2.35", "90.6%", "0.13"],
        ["All tiers", "55.00", "52.65", "2.35", "95.7%", "0.13"],
    ]
    assert cells(html, "complexity-lines")[1:] == [
        ["Mental health nurse", "Band 5", "Complex set for this line", "35.10", "20.00", "10.00", "5.10", "0.00"],
        ["Peer support worker", "Band 3", "Routine role and band default", "17.55", "0.00", "0.00", "17.55", "0.00"],
        ["All staff", "", "", "52.65", "20.00", "10.00", "22.65", "0.00"],
    ]
    assert (
        "Complex work is given first, to the most experienced eligible staff (highest band or grade first); moderate "
        "and routine work go to the least experienced eligible staff first"
    ) in text_of(html)
    assert (
        "5.10 hours a week of staff who can hold complex cases are spent on routine work that other roles could do."
        in text_of(html)
    )
    # Held to moderate needs, the nurses leave the complex work unmet: 20 hours ÷ 17.55 = 1.14 FTE.
    StaffingLine.objects.filter(plan=dash.plan, role=dash.nurse).update(complexity_ceiling=2)
    Plan.objects.filter(pk=dash.plan.pk).update(version=F("version") + 1)
    html = section(page_for(dash.lead, dash.plan), "complexity")
    assert cells(html, "complexity-lines")[1][:3] == ["Mental health nurse", "Band 5", "Moderate set for this line"]
    assert cells(html, "complexity-tiers")[1] == ["Complex", "20.00", "0.00", "20.00", "0.0%", "1.14"]


def test_demand_from_the_population_and_the_minimum_cover_rule(dash):
    """use_the_whole_model: 100,000 people × (10, 5, 25) per 100,000 = the worked example's caseloads (55 hours a
    week, 55 ÷ 17.55 = 3.13 FTE). Cover: 1 on shift × 2 shifts × 7.5 h × 7 = 105 h a week ÷ (37.5 × 0.78 = 29.25)
    = 3.59 FTE, more than demand needs, so cover drives the need. Gap: 2026 max(0.13, 3.59 − 3) = 0.59, 2027
    3.59 − 3.5 = 0.09, 2028 none; surplus: 2028 4 − 3.59 = 0.41."""
    use_the_whole_model(dash)
    html = page_for(dash.lead, dash.plan)
    demand = section(html, "demand-need")
    text = text_of(demand)
    assert (
        "Demand is worked out from the population the team serves (100,000 people) with the reference rates for a "
        "Test dashboard team" in text
    )
    assert cells(demand, "demand-used")[1:] == [
        ["Complex", "10", "10", "2.00", "20.00", "Test reference demand"],
        ["Moderate", "5", "5", "2.00", "10.00", "Test reference demand"],
        ["Routine", "25", "25", "1.00", "25.00", "Modelling default"],
        ["All tiers", "", "55.00", ""],
    ]
    assert f'<a href="{SOURCE}" rel="noreferrer">Test reference demand</a>' in demand
    assert (
        "1 staff on shift × 2 shifts a day × 7.5 hours × 7 days = 105.00 hours a week; ÷ (37.5 × 0.78 = 29.25 "
        "productive hours a week per FTE) = 3.59 FTE" in text
    )
    assert "the larger of the demand-driven need" in text
    assert {row[0]: row[1:] for row in cells(demand, "need-by-year")[1:]} == {
        "Demand (hours a week)": ["55.00", "55.00", "55.00"],
        "Need from demand (FTE)": ["3.13", "3.13", "3.13"],
        "Need from minimum cover (FTE)": ["3.59", "3.59", "3.59"],
        "Need, the larger (FTE)": ["3.59", "3.59", "3.59"],
        "Need comes from": ["Cover", "Cover", "Cover"],
        "Clinical FTE in post": ["3.00", "3.50", "4.00"],
        "Gap (FTE)": ["0.59", "0.09", "0.00"],
        "Surplus (FTE)": ["0.00", "0.00", "0.41"],
    }
    assert row_values(html, "figure-need") == ["3.59 (from the minimum cover rule)"] * 2
    assert row_values(html, "figure-gap") == ["0.59", "0.00"]
    # A plan entering its own demand says so, and a team type without a cover rule has only demand-driven need.
    Plan.objects.filter(pk=dash.plan.pk).update(demand_basis="own", version=F("version") + 1)
    dash.team_type.staff_on_shift = None
    dash.team_type.save()
    content_version.bump()
    demand = section(page_for(dash.lead, dash.plan), "demand-need")
    assert "Demand is the caseload entered for the plan" in text_of(demand)
    assert "cover-rule" not in demand
    assert "Need from minimum cover" not in demand


def test_over_establishment_and_falling_supply_are_warned(dash):
    """3 FTE nurses on an establishment of 2 (1.00 over), losing 20% a year with no recruitment: 3 → 2.4 → 1.92 FTE,
    a fall of 36% by 2028."""
    plan = services.create_plan(
        team=dash.team, user=dash.lead, values={"name": "Shrinking", "start_year": 2026, "horizon_years": 2}
    )
    StaffingLine.objects.create(
        plan=plan, role=dash.nurse, band=6, fte=Decimal("3"), establishment_fte=Decimal("2"), attrition_pct=20
    )
    html = page_for(dash.lead, plan)
    assert row_values(html, "figure-fte") == ["3.00", "1.92"]
    assert row_values(html, "figure-over-establishment") == ["1.00", "0.00"]
    assert row_values(html, "figure-vacancies") == ["0.00", "0.08"]
    warnings = headline_warnings(html)
    assert warnings == engine_warnings(plan)  # the engine's words, each in the callout
    over, falling = warnings[:2]
    assert "In 2026, 1.00 FTE in post" in over and "establishment" in over
    assert "FTE in post falls from 3.00 in 2026 to 1.92 in 2028, a fall of 36.0%." in falling


def test_every_year_tables(dash):
    """Capability coverage, supervision (peer support workers 1, 1.5, 2 FTE × 2 hours a month; the nurses give
    2 × 37.5 × 52 ÷ 12 × 0.78 × 0.1 = 25.35) and targets, judged each year; and each line's yearly figures."""
    use_the_whole_model(dash)
    StaffingLine.objects.filter(plan=dash.plan, role=dash.peer).update(note="lived experience lead")
    Plan.objects.filter(pk=dash.plan.pk).update(version=F("version") + 1)
    html = section(page_for(dash.lead, dash.plan), "year-by-year")
    assert cells(html, "capability-years")[0] == ["Capability", "2026", "2027", "2028"]
    coverage = {row[0]: row[1:] for row in cells(html, "capability-years")[1:]}
    assert coverage["Peer support from lived experience Minimum 1.00 FTE"] == ["1.00 Met", "1.50 Met", "2.00 Met"]
    assert coverage["High-intensity psychological therapy Minimum 1.00 FTE"] == ["0.00 Short"] * 3
    assert {row[0]: row[1:] for row in cells(html, "supervision-years")[1:]} == {
        "Need": ["2.00", "3.00", "4.00"],
        "Capacity": ["25.35", "25.35", "25.35"],
        "Covered": ["2.00", "3.00", "4.00"],
        "Shortfall": ["0.00", "0.00", "0.00"],
    }
    targets = {row[0]: row[1:] for row in cells(html, "target-years")[1:]}
    assert targets["Team of at least 3 FTE Required: At least 3.00 FTE"] == ["3.00 Met", "3.50 Met", "4.00 Met"]
    peer = targets["At least 2 FTE peer support workers Required: At least 2.00 FTE"]
    assert peer == ["1.00 Not met", "1.50 Not met", "2.00 Met"]
    assert 'id="line-years-details"' in html
    assert cells(html, "line-years-fte")[1:] == [
        ["1. Mental health nurse, Band 5", "2.00", "2.00", "2.00"],
        ["2. Peer support worker, Band 3 (lived experience lead)", "1.00", "1.50", "2.00"],
    ]
    assert cells(html, "line-years-recruits")[2][1:] == ["0.00", "0.50", "0.50"]
    assert cells(html, "line-years-vacancies")[2][1:] == ["1.00", "0.50", "0.00"]
    for table in ("line-years-leavers", "line-years-qualifying"):
        assert cells(html, table)[1][1:] == ["0.00", "0.00", "0.00"]


def test_capability_coverage_says_the_minimums_are_modelling_defaults(dash):
    html = section(page_for(dash.lead, dash.plan), "capabilities")
    assert sorted(cells(html, "capability-coverage")[1:]) == [
        ["High-intensity psychological therapy", "1.00 modelling default", "0.00", "Short Short by 1.00 FTE"],
        ["Peer support from lived experience", "1.00 modelling default", "1.00", "Met"],
    ]
    assert "are modelling defaults, not figures from national guidance" in text_of(html)
    TeamTypeCapability.objects.filter(team_type=dash.team_type).update(modelling_default=False)
    content_version.bump()  # a bulk update sends no signal: say the reference data changed, as the admin does
    html = section(page_for(dash.lead, dash.plan), "capabilities")
    assert "are modelling defaults, not figures from national guidance" not in text_of(html)
    assert "modelling default" not in text_of(html)


def test_targets_show_required_actual_status_reason_and_source(dash):
    html = section(page_for(dash.lead, dash.plan), "targets")
    rows = {row[0].split(" Test guidance")[0]: row[1:] for row in cells(html, "targets-table")[1:]}
    assert rows["Team of at least 3 FTE"] == ["At least 3.00 FTE", "3.00 FTE Met", "4.00 FTE Met"]
    assert rows["At least 2 FTE peer support workers"] == ["At least 2.00 FTE", "1.00 FTE Not met", "2.00 FTE Met"]
    na = rows["Staff per 100,000 people"]
    assert na[0] == "At least 9.00 FTE per 100,000 people"
    assert na[1].startswith("– Not applicable The team has no population served")
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Met</strong>' in html
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Not met</strong>' in html
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">Not applicable</strong>' in html
    assert f'<a href="{SOURCE}" rel="noreferrer">Test guidance on peer support</a> (2024). Secondary source.' in html
    assert "Two peer support workers in every team." in html  # the source's wording
    assert "1 of 2 applicable targets are met in 2026" in text_of(html)


def test_projection_table_and_downloads(dash):
    html = section(page_for(dash.lead, dash.plan), "projection")
    assert cells(html, "projection-table")[1:] == [
        ["2026", "3.00", "4.00", "1.00", "52.65", "55.00", "95.7%", "0.13", "£121,104.00"],
        ["2027", "3.50", "4.00", "0.50", "61.43", "55.00", "100.0%", "0.00", "£137,595.20"],
        ["2028", "4.00", "4.00", "0.00", "70.20", "55.00", "100.0%", "0.00", "£154,086.40"],
    ]
    assert f'href="{url(dash.plan, "projection.csv")}"' in html
    assert f'href="{url(dash.plan, "projection.xlsx")}"' in html


def test_costs_show_the_arithmetic_and_the_pay_source(dash):
    html = section(page_for(dash.lead, dash.plan), "costs")
    assert cells(html, "cost-by-band")[1:] == [
        ["Band 3", "1.00", "£24,937.00", "£26,598.00", "£25,767.50", "£32,982.40", "£32,982.40"],
        ["Band 5", "2.00", "£31,049.00", "£37,796.00", "£34,422.50", "£44,060.80", "£88,121.60"],
        ["All bands and grades", "3.00", "", "£121,104.00"],
    ]
    # The years summed in the cost over the horizon (2026 and 2027; 2028 is the position at the end), with their
    # total; establishment (2 + 2 FTE) costs 88,121.60 + 2 × 32,982.40 = 154,086.40 a year.
    assert cells(html, "cost-by-year")[1:] == [
        ["2026", "3.00", "£121,104.00", "4.00", "£154,086.40"],
        ["2027", "3.50", "£137,595.20", "4.00", "£154,086.40"],
        ["Total: cost over the horizon", "", "£258,699.20", "", "£308,172.80"],
    ]
    text = text_of(html)
    definition = (
        "Cost over the horizon is the sum of the annual cost of the staff in post in each of the plan's 2 years "
        "(2026 to 2027), each year costed at the FTE it starts with. 2028 is the position at the end of the plan and "
        "is not added."
    )
    assert "Cost over the horizon £258,699.20 The total row of the cost by year table, where it is defined." in text
    assert text_of(page_for(dash.lead, dash.plan)).count("Cost over the horizon is the sum") == 1  # one definition
    assert definition in text_of(html[html.index('id="cost-over-horizon-definition"') :])
    assert "Employer on-costs 28% (multiply pay by 1.28)" in text
    assert "using the 2025/26 pay tables: Agenda for Change for bands." in text
    assert "Pay year 2025/26" in text and "Each grade costed at Midpoint of each grade" in text
    # The 2025/26 AfC figures are confirmed; 2026/27's are calculated from the award and say so.
    assert "not confirmed" not in text
    Plan.objects.filter(pk=dash.plan.pk).update(
        pay_year="2026/27", pay_point=Plan.PayPoint.TOP, version=F("version") + 1
    )  # as a save does: a new version, so the page is worked out again
    text = text_of(section(page_for(dash.lead, dash.plan), "costs"))
    assert "Some pay figures used here are not confirmed against the published pay tables" in text
    assert "Calculated from the 3.3% award" in text
    # At the top of the grade: band 5's 2026/27 top £39,043 × 1.28 = £49,975.04 a FTE.
    assert "the top of the grade's pay" in text and "£49,975.04" in text


def test_supervision_need_and_capacity(dash):
    page = section(page_for(dash.lead, dash.plan), "supervision")
    assert "supervision is not modelled" in page  # no reference role has supervision hours
    dash.peer.supervision_hours_per_month = Decimal("2")
    dash.peer.save()
    dash.peer.supervisor_roles.add(dash.nurse)
    html = section(page_for(dash.lead, dash.plan), "supervision")
    # need 1 FTE × 2 h; the nurses' pool 2 × 37.5 × 52/12 × 0.78 × 0.1 = 25.35 h a month
    assert cells(html, "supervision-need")[1:] == [
        ["Peer support worker", "1.00", "2.00", "25.35", "2.00", "0.00", "Mental health nurse"],
        ["All supervised roles", "", "2.00", "25.35", "2.00", "0.00", "23.35 hours spare"],
    ]
    assert cells(html, "supervision-supervisors")[1:] == [
        ["Mental health nurse", "2.00", "25.35", "2.00", "Peer support worker"]
    ]
    assert "Every supervised role has a supervising role in the team." in text_of(html)
    dash.peer.supervisor_roles.set([Role.objects.get(slug="clinical-psychologist")])
    html = section(page_for(dash.lead, dash.plan), "supervision")
    assert "2.00 hours a month of supervision need have no supervising role in the team." in text_of(html)
    assert "Unsupervised" in html


def test_assumptions_used_with_defaults_and_warnings(dash):
    Plan.objects.filter(pk=dash.plan.pk).update(on_cost_pct=Decimal("30"))
    StaffingLine.objects.filter(plan=dash.plan, role=dash.peer).update(trainees_fte=Decimal("1"))
    html = page_for(dash.lead, dash.plan)
    method = section(html, "method")
    rows = {row[0]: row[1:3] for row in cells(method, "assumptions-used")[1:]}
    assert rows["Contract hours a week (C)"] == ["37.5 hours", "37.5 hours"]
    assert rows["Productive fraction (p)"] == ["0.78", "0.78"]
    assert rows["Direct-care fraction (d)"] == ["0.6", "0.6"]
    assert rows["Employer on-costs (o)"] == ["30% Changed", "28%"]
    assert rows["Pay year"] == ["2025/26 Changed", "2026/27"]  # new plans take the latest table
    assert rows["Cost each grade at"] == ["Midpoint of each grade", "Midpoint of each grade"]
    assert "= 37.5 × 0.78 × 0.6 = 17.55 hours a week" in text_of(method)
    assert f'href="{url(dash.plan, "results.json")}"' in method
    warnings = html[html.index('id="warnings"') :]
    assert "Peer support worker: trainees have no completion year, so they never join." in warnings
    assert "2 × £34,422.50 × 1.3" not in html  # the on-cost change is used
    assert "£89,498.50" in section(html, "costs")  # 2 × 34,422.50 × 1.30


def test_a_plan_without_lines_shows_what_is_missing(dash):
    empty = services.create_plan(team=dash.team, user=dash.lead, values={"name": "Empty", "start_year": 2026})
    text = text_of(page_for(dash.lead, empty))
    assert "Demand met in 2026 No demand" in text
    assert "No staffing lines yet, so there is no skill mix to show." in text
    assert "No demand entered yet" in text


# --- Access ----------------------------------------------------------------------------------------------


def test_viewer_sees_the_dashboard_other_organisations_get_404_and_anonymous_users_log_in(dash):
    assert "Annual cost in 2026" in page_for(dash.viewer, dash.plan)
    assert client_for(dash.other_lead).get(url(dash.plan)).status_code == 404
    response = Client().get(url(dash.plan))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(dash.plan)}"


# --- Charts and markup -----------------------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])


def test_charts_are_labelled_images_in_figures_with_their_tables(dash):
    html = page_for(dash.lead, dash.plan)
    parser = Tags()
    parser.feed(html)
    charts_found = [attrs for tag, attrs in parser.tags if tag == "svg" and "app-chart__svg" in attrs.get("class", "")]
    assert len(charts_found) == 2
    for attrs in charts_found:
        assert attrs["role"] == "img"
        for label_id in attrs["aria-labelledby"].split():
            assert label_id in parser.ids
    for chart_id, table_id in (("chart-skill-mix", "skill-mix-by-family"), ("chart-projection", "projection-table")):
        figure = html[html.index(f'<figure class="app-chart" id="{chart_id}">') :]
        figure = figure[: figure.index("</figure>")]
        assert "<figcaption" in figure
        assert re.search(r'<title id="[a-z-]+-title">\w', figure)
        assert re.search(r'<desc id="[a-z-]+-desc">\w', figure)
        assert f'id="{table_id}"' in html
    projection = section(html, "projection")
    assert projection.index('id="chart-projection"') < projection.index('id="projection-table"')
    # Two series: told apart by line style and marker shape, and named at the ends of their lines.
    assert 'stroke-dasharray="8 5"' in projection
    assert "<circle" in projection and "<rect" in projection
    assert ">Capacity</text>" in projection and ">Demand</text>" in projection
    assert "Capacity is the solid blue line with round markers; demand is the dashed black line" in projection


def test_no_inline_style_script_or_event_handlers(dash):
    html = page_for(dash.lead, dash.plan)
    assert not re.search(r"\sstyle\s*=", html, flags=re.I)
    assert not re.search(r"<style\b", html, flags=re.I)
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.I)
    assert all("src" in attrs for tag, attrs in _tags(html) if tag == "script")


def _tags(html):
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_chart_geometry():
    assert charts.axis_values(52.65) == [0, 20, 40, 60]
    assert charts.axis_values(0) == [0, 1.0]
    assert charts.axis_values(2) == [0, 0.5, 1.0, 1.5, 2.0]
    assert charts.axis_values(121_104) == [0, 25_000, 50_000, 75_000, 100_000, 125_000]
    assert charts.tick_text(2.5, 0.5) == "2.5"
    assert charts.tick_text(1000, 500) == "1,000"
    chart = charts.bar_chart(id="c", title="t", description="d", items=[("A", 2, "2"), ("B", 1, "1")], axis_label="FTE")
    assert [bar.width for bar in chart.bars] == ["482", "241"]  # the axis runs to 2: the longest bar is full width
    line = charts.line_chart(
        id="l",
        title="t",
        description="d",
        categories=["2026", "2027"],
        series=[("A", [10, 10]), ("B", [10, 0])],
        y_label="h",
        x_label="y",
    )
    a, b = line.series
    assert a.points.split()[0] == b.points.split()[0]  # both start at 10
    assert (a.marker, b.marker, a.dash, b.dash) == ("circle", "square", "", "8 5")
    # End-of-line labels that would overlap are moved apart, keeping their order.
    assert charts.spread_labels([100, 105], gap=16, low=0, high=300) == [100, 116]
    assert charts.spread_labels([105, 100], gap=16, low=0, high=300) == [116, 100]
    assert charts.spread_labels([300, 300], gap=16, low=0, high=300) == [284, 300]


# --- Query count -----------------------------------------------------------------------------------------


def add_staffing(plan, count):
    roles = list(Role.objects.order_by("slug")[:10])
    StaffingLine.objects.bulk_create(
        StaffingLine(
            plan=plan,
            role=roles[index % len(roles)],
            band=3 + index % 6,
            fte=Decimal("1.25"),
            establishment_fte=Decimal("1.5"),
            attrition_pct=Decimal("8"),
            recruitment_fte_per_year=Decimal("0.1"),
        )
        for index in range(count)
    )
    return plan


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_dashboard_queries_do_not_grow_with_the_plan(dash, django_assert_max_num_queries):
    small = services.create_plan(team=dash.team, user=dash.lead, values={"name": "Small", "start_year": 2026})
    large = services.create_plan(
        team=dash.team, user=dash.lead, values={"name": "Large", "start_year": 2026, "horizon_years": 10}
    )
    add_staffing(small, 10)
    add_staffing(large, 200)
    for plan in (small, large):
        for tier in (1, 2, 3):
            DemandLine.objects.create(plan=plan, tier=tier, caseload=40, hours_per_person_per_week=Decimal("1.5"))
    client = client_for(dash.lead)
    client.get(url(small))  # the session's first save is not part of the page
    content_version.bump()  # so both counts below work the results out (planning.results_cache reuses none)
    with django_assert_max_num_queries(26):  # 25, and one for two-step verification (nwwmh_portal/mfa.py)
        small_count = count_queries(client, url(small))
    large_count = count_queries(client, url(large))
    assert large_count == small_count
    assert "Staffing lines (200)" in client.get(url(large)).content.decode()


def test_a_200_line_plan_links_to_its_line_figures_and_stays_within_the_page_budget(dash):
    """The issue-12 goal: any page ≤ 120 KB gzipped. Each line's yearly figures are left to results.json and the
    spreadsheet when the plan has more than 20 lines."""
    large = services.create_plan(
        team=dash.team, user=dash.lead, values={"name": "Large", "start_year": 2026, "horizon_years": 10}
    )
    add_staffing(large, 200)
    for tier in (1, 2, 3):
        DemandLine.objects.create(plan=large, tier=tier, caseload=40, hours_per_person_per_week=Decimal("1.5"))
    html = page_for(dash.lead, large)
    assert 'id="line-years-details"' not in html
    assert "This plan has 200 staffing lines, too many to show each one's yearly figures here" in text_of(html)
    assert f'href="{url(large, "results.json")}"' in section(html, "year-by-year")
    assert cells(html, "need-by-year")[0][1:] == [str(year) for year in range(2026, 2037)]
    size = len(gzip.compress(html.encode()))
    assert size <= 120 * 1024, f"{size / 1024:.1f} KB gzipped"


def test_projection_filename():
    plan = SimpleNamespace(team=SimpleNamespace(name="North CMHT"), name="2026 plan", version=3)
    assert exports.projection_filename(plan, "csv") == "north-cmht-2026-plan-projection-v3.csv"

"""A lead plans a real crisis team for 150,000 people through the plan editor: doctors on medical grades, nurses
bands 5 to 8a, a band 8a psychologist, therapists, social work, peer support, and the non-clinical administrator and
team manager. Every line saves, and the plan costs with no warning, doctors from the medical pay table."""

from decimal import Decimal

import pytest

from planning import engine, services
from planning.engine_inputs import results_for
from planning.models import Plan, Team, TeamType
from roles.bands import Band
from roles.models import Role
from tests.factories import client_for, make_world
from tests.helpers import edit_url, form_values, staffing_rows

pytestmark = pytest.mark.django_db

# role slug, grade, FTE: the crisis team.
CRISIS_TEAM = [
    ("consultant-psychiatrist", Band.CONSULTANT, "1"),
    ("specialty-doctor-psychiatry", Band.SPECIALTY_DOCTOR, "1"),
    ("mental-health-nurse", Band.B5, "2"),
    ("mental-health-nurse", Band.B6, "5"),
    ("mental-health-nurse", Band.B7, "1"),
    ("mental-health-nurse", Band.B8A, "1"),
    ("clinical-psychologist", Band.B8A, "1"),
    ("occupational-therapist", Band.B6, "1"),
    ("social-worker", Band.B6, "1"),
    ("peer-support-worker", Band.B4, "1"),
    ("support-time-recovery-worker", Band.B3, "2"),
    ("administrator-medical-secretary", Band.B4, "1"),
    ("team-manager", Band.B8A, "1"),
]


@pytest.fixture
def crisis_plan():
    world = make_world()
    team = Team.objects.create(
        organisation=world.north,
        team_type=TeamType.objects.get(slug="crisis-resolution-home-treatment"),
        name="North crisis team",
        population_served=150_000,
    )
    plan = services.create_plan(
        team=team, user=world.lead, values={"name": "Crisis team 2026", "start_year": 2026, "horizon_years": 3}
    )
    return world, plan


def editor_with_rows(client, plan, rows_needed: int) -> dict:
    """The editor's form values, with "Add more staffing rows" pressed until there are enough blank rows."""
    response = client.get(edit_url(plan))
    values = form_values(response, edit_url(plan))
    while len(staffing_rows(values)) < rows_needed:
        response = client.post(edit_url(plan), {**values, "add_rows": "1"})
        assert response.status_code == 200
        values = form_values(response, edit_url(plan))
    return values


def test_a_lead_enters_every_line_of_a_real_crisis_team_and_sees_a_cost_with_no_warning(crisis_plan):
    world, plan = crisis_plan
    client = client_for(world.lead)
    values = editor_with_rows(client, plan, len(CRISIS_TEAM))
    roles = {role.slug: role for role in Role.objects.filter(slug__in={slug for slug, _, _ in CRISIS_TEAM})}
    for index, (slug, grade, fte) in enumerate(CRISIS_TEAM):
        values.update(
            {
                f"staffing-{index}-role": str(roles[slug].pk),
                f"staffing-{index}-band": str(grade.value),
                f"staffing-{index}-fte": fte,
                f"staffing-{index}-establishment_fte": fte,
            }
        )
    values.pop("add_rows", None)
    response = client.post(edit_url(plan), values)
    assert response.status_code == 302, response.content.decode()[:3000]

    plan = Plan.objects.get(pk=plan.pk)
    assert plan.pay_year == "2026/27"  # a new plan takes the latest pay table
    saved = sorted((line.role.slug, line.band) for line in plan.staffing_lines.select_related("role"))
    assert saved == sorted((slug, grade.value) for slug, grade, _ in CRISIS_TEAM)

    result = results_for([plan])[plan.pk]
    assert result.warnings == []
    assert result.baseline.uncosted_fte == 0 and result.baseline.cost > 0
    # The doctors are their own staff group; the AfC band figures count the 17 FTE on AfC bands only.
    assert result.skill_mix.total_fte == 19
    assert result.skill_mix.medical_fte == 2 and result.skill_mix.afc_fte == 17
    # Non-clinical lines (administrator, team manager) count in FTE and cost but not in care hours.
    assert result.allocation.capacity_hours == pytest.approx(17 * result.hours_per_fte_per_week)
    # The guide's minimum of 14 for 150,000 people is met; the CORE caseload level is judged, not a range.
    statuses = {target.key: target.status for target in result.targets}
    assert statuses["crht-minimum-staff"] == engine.STATUS_MET
    # Doctors' 2026/27 pay is not in the portal yet: the 2025/26 medical figures are used, and the page says so.
    assert any("Consultant: there is no 2026/27" in note for note in result.pay_notes)

    page = client.get(f"/planning/plans/{plan.pk}/").content.decode()
    assert 'id="warnings"' not in page
    assert "No pay point" not in page and "£0.00" not in page
    assert "Consultant" in page and "Specialty doctor" in page and "Band 8a" in page
    assert "not confirmed" in page  # calculated and approximate pay figures are labelled
    assert "non-clinical" in page


def test_the_editor_refuses_a_grade_outside_the_roles_range(crisis_plan):
    world, plan = crisis_plan
    client = client_for(world.lead)
    values = editor_with_rows(client, plan, 3)
    cases = [
        ("mental-health-nurse", Band.B2),  # a registered nurse at band 2
        ("consultant-psychiatrist", Band.B9),  # doctors are not on AfC bands
        ("social-worker", Band.CONSULTANT),  # no confirmed range: AfC grades only
    ]
    for index, (slug, grade) in enumerate(cases):
        values.update(
            {
                f"staffing-{index}-role": str(Role.objects.get(slug=slug).pk),
                f"staffing-{index}-band": str(grade.value),
                f"staffing-{index}-fte": "1",
                f"staffing-{index}-establishment_fte": "1",
            }
        )
    page = client.post(edit_url(plan), values).content.decode()
    assert "Choose a band in the range for Mental health nurse: Band 5 or above" in page
    assert "Choose a band in the range for Consultant psychiatrist: Consultant" in page
    assert "Choose a band in the range for Social worker: Band not confirmed: any Agenda for Change grade" in page
    assert not plan.staffing_lines.exists()


def test_a_medical_line_is_costed_from_the_medical_table_worked_example():
    """1 FTE consultant, 2025/26: midpoint (£109,724 + £145,477) ÷ 2 = £127,600.50; × 1.28 on-costs =
    £163,328.64. At the top of the grade: £145,477 × 1.28 = £186,210.56."""
    consultant = engine.StaffLine(
        role_slug="consultant-psychiatrist",
        role_name="Consultant psychiatrist",
        family="medical",
        band=Band.CONSULTANT,
        fte=Decimal("1"),
        registered=True,
    )
    pay = [
        engine.PayPoint(band=Band.CONSULTANT, bottom=109724, top=145477),
        engine.PayPoint(band=Band.B7, bottom=47810, top=54710),
    ]
    for pay_point, cost in ((engine.PAY_MIDPOINT, 163328.64), (engine.PAY_TOP, 186210.56)):
        plan = engine.PlanInput(
            start_year=2026,
            horizon_years=1,
            staff=[consultant],
            pay_points=pay,
            assumptions=engine.Assumptions(pay_point=pay_point),
        )
        result = engine.calculate(plan)
        assert result.baseline.cost == pytest.approx(cost)
        assert result.warnings == []
        # A consultant is not an AfC band: no band-5+ or mean-band figure from this team.
        assert result.skill_mix.band_5_plus_pct is None and result.skill_mix.mean_band_label is None
        assert result.skill_mix.medical_fte == 1


def test_the_skill_mix_shows_doctors_as_their_own_group(crisis_plan):
    world, plan = crisis_plan
    roles = {
        role.slug: role for role in Role.objects.filter(slug__in=["consultant-psychiatrist", "mental-health-nurse"])
    }
    plan.staffing_lines.create(role=roles["consultant-psychiatrist"], band=Band.CONSULTANT, fte=1, establishment_fte=1)
    plan.staffing_lines.create(role=roles["mental-health-nurse"], band=Band.B5, fte=3, establishment_fte=3)
    page = client_for(world.lead).get(f"/planning/plans/{plan.pk}/").content.decode()
    assert "At band 5 or above (Agenda for Change lines only)" in page
    assert "Doctors (medical grades)" in page and "1.00 FTE" in page


def _team(fte: str, population: int | None = 75_000) -> engine.PlanInput:
    nurse = engine.StaffLine(role_slug="nurse", role_name="Nurse", family="nursing", band=Band.B6, fte=Decimal(fte))
    targets = [
        engine.Target(
            key="minimum",
            label="At least 14 for 150,000",
            metric=engine.METRIC_MIN_FTE_PER_POPULATION,
            comparator=engine.AT_LEAST,
            value=14,
            reference_population=150_000,
        ),
        engine.Target(
            key="old", label="Old", metric="total_fte", comparator=engine.AT_LEAST, value=100, kind="historical"
        ),
        engine.Target(
            key="pcn", label="Entitlement", metric="total_fte", comparator=engine.AT_LEAST, value=3, kind="context"
        ),
    ]
    return engine.PlanInput(start_year=2026, horizon_years=1, population=population, staff=[nurse], targets=targets)


@pytest.mark.parametrize(("fte", "status"), [("7", engine.STATUS_MET), ("6.99", engine.STATUS_NOT_MET), ("40", "met")])
def test_a_minimum_per_population_is_scaled_to_the_team_with_no_upper_cap(fte, status):
    # 75,000 people: at least 14 × 75,000 ÷ 150,000 = 7 FTE; 40 FTE is still met (no cap).
    result = engine.calculate(_team(fte))
    minimum = next(target for target in result.targets if target.key == "minimum")
    assert (minimum.status, minimum.required) == (status, pytest.approx(7))


def test_a_minimum_per_population_needs_a_population():
    minimum = engine.calculate(_team("7", population=None)).targets[0]
    assert minimum.status == engine.STATUS_NOT_APPLICABLE and minimum.required is None


def test_historical_and_context_targets_are_shown_not_judged():
    result = engine.calculate(_team("7"))
    by_key = {target.key: target for target in result.targets}
    assert (by_key["old"].status, by_key["old"].met) == (engine.STATUS_HISTORICAL, None)
    assert (by_key["pcn"].status, by_key["pcn"].met) == (engine.STATUS_CONTEXT, None)
    assert by_key["pcn"].actual == 7  # measured, for context
    assert engine.targets_met_count(result=result) == 1

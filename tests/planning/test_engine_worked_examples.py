"""Worked examples of the planning model's second version (issue 10), each checked by hand in its comments.

Plain functions, no database and nothing from Django. With the default assumptions one FTE gives
h = 37.5 × 0.78 × 0.6 = 17.55 care hours a week and P = 37.5 × 0.78 = 29.25 productive hours a week; a supervisor
FTE gives 37.5 × 52/12 × 0.78 × 0.1 = 12.675 supervision hours a month. Pay is AfC 2025/26 with 28% on-costs
(band 5: 34,422.50 × 1.28 = 44,060.80 a year per FTE). The 2001 Mental Health Policy Implementation Guide's crisis
team: about 150,000 population and "at least 14" staff (docs/reference/planning.md §2).
"""

import json

import pytest

from planning.engine import (
    COMPLEX,
    DEMAND_FROM_POPULATION,
    ENGINE_VERSION,
    MODERATE,
    ROUTINE,
    CapabilityRequirement,
    CoverRule,
    DemandRate,
    as_dict,
    calculate,
    compare,
)
from tests.engine_builders import demand, line, nurse, peer_support_worker, plan, target, wellbeing_practitioner


@pytest.fixture(autouse=True)
def plain_static_storage():
    """Replaces tests/conftest.py's fixture of the same name, which needs pytest-django's `settings`: these tests
    touch no templates or static files, and must also run with `-p no:django`."""


MH_PIG_2001 = "https://www.ucl.ac.uk/core-study/resources/staffing-team-procedures/29-doh-imp-guide"


# --- A crisis team for 150,000 people: demand from the population, a 24/7 cover rule, the guide's "at least 14" ---

# Two staff on each of three 7.5-hour shifts, every day: 2 × 3 × 7.5 × 7 = 315 hours a week.
CRISIS_COVER = CoverRule(
    staff_on_shift=2, shifts_per_day=3, shift_hours=7.5, note="Two clinical staff on every shift", source_url=""
)
CRISIS_MINIMUM = target(
    "crht-minimum-staff",
    "min_fte_per_population",
    "at_least",
    14,
    reference_population=150_000,
    source_url=MH_PIG_2001,
)


def crisis_rates(hours_per_person):
    # 16 people per 100,000 on the complex caseload: 150,000 × 16 ÷ 100,000 = 24 people.
    return [
        DemandRate(
            tier=COMPLEX,
            caseload_per_100k=16,
            hours_per_person_per_week=hours_per_person,
            source_label="Modelling default",
        )
    ]


def crisis_team(*, clinical_nurses, hours_per_person=7):
    staff = [
        nurse(clinical_nurses),
        line("administrator", band=3, fte=1.0, ceiling=ROUTINE, family="Support roles", clinical=False),
    ]
    return plan(
        staff,
        population=150_000,
        demand_basis=DEMAND_FROM_POPULATION,
        demand_rates=crisis_rates(hours_per_person),
        cover=CRISIS_COVER,
        targets=[CRISIS_MINIMUM],
        horizon_years=1,
    )


def test_crisis_team_demand_is_derived_from_the_population():
    result = calculate(crisis_team(clinical_nurses=13))
    assert result.demand_basis == "population"
    (used,) = result.demand
    # 150,000 × 16 ÷ 100,000 = 24 people × 7 h = 168 h a week.
    assert (used.tier, used.caseload, used.hours_per_week) == (COMPLEX, 24, 168)
    assert used.caseload_per_100k == 16 and used.source_label == "Modelling default"
    assert result.baseline.demand_hours == 168


def test_crisis_team_needs_the_larger_of_demand_and_cover():
    result = calculate(crisis_team(clinical_nurses=13))
    year = result.baseline
    # Demand need 168 ÷ 17.55 = 9.573 FTE; cover need 315 ÷ 29.25 = 10.769 FTE: the cover rule drives the need.
    assert year.demand_need_fte == pytest.approx(168 / 17.55)
    assert year.cover_need_fte == pytest.approx(315 / 29.25)
    assert result.cover.hours_per_week == 315
    assert result.cover.need_fte == pytest.approx(10.769, abs=1e-3)
    assert (year.need_fte, year.need_basis) == (pytest.approx(10.769, abs=1e-3), "cover")
    # 13 clinical FTE: no gap; surplus 13 − max(168 ÷ 17.55, 10.769) = 13 − 10.769 = 2.231 FTE.
    assert year.clinical_fte == 13
    assert year.gap_fte == 0
    assert year.surplus_fte == pytest.approx(13 - 315 / 29.25)
    # 14 FTE (13 + the administrator) against 14 × 150,000 ÷ 150,000 = 14: met.
    (minimum,) = result.targets
    assert (minimum.status, minimum.actual, minimum.required) == ("met", 14, 14)


def test_crisis_team_with_more_hours_a_person_is_driven_by_demand():
    # 24 people × 10 h = 240 h: demand need 240 ÷ 17.55 = 13.675 FTE > cover need 10.769.
    year = calculate(crisis_team(clinical_nurses=13, hours_per_person=10)).baseline
    assert (year.need_fte, year.need_basis) == (pytest.approx(240 / 17.55), "demand")
    # 13 × 17.55 = 228.15 h against 240: unmet 11.85 h = 0.675 FTE, which is the gap.
    assert year.demand_gap_fte == pytest.approx(11.85 / 17.55)
    assert year.gap_fte == pytest.approx(11.85 / 17.55)
    assert year.surplus_fte == 0


def test_a_small_crisis_team_is_short_of_cover_and_of_the_guides_minimum():
    result = calculate(crisis_team(clinical_nurses=9))
    year = result.baseline
    # Cover gap 10.769 − 9 = 1.769 FTE; demand gap: 9 × 17.55 = 157.95 h of 168, unmet 10.05 h = 0.573 FTE.
    assert year.cover_gap_fte == pytest.approx(315 / 29.25 - 9)
    assert year.demand_gap_fte == pytest.approx(10.05 / 17.55)
    # The gap is the larger of the two.
    assert year.gap_fte == pytest.approx(315 / 29.25 - 9)
    # 10 FTE against 14: not met, in every year.
    (minimum,) = result.targets
    assert [(row.year, row.status, row.actual, row.required) for row in minimum.by_year] == [
        (2025, "not met", 10, 14),
        (2026, "not met", 10, 14),
    ]
    assert any("1.77 FTE short" in warning for warning in result.headlines.warnings)


def test_population_basis_without_a_population_uses_the_plans_own_demand_and_says_so():
    own = plan(
        [nurse(2.0)],
        [demand(COMPLEX, 3, 4.0)],
        demand_basis=DEMAND_FROM_POPULATION,
        demand_rates=crisis_rates(7),
    )
    result = calculate(own)
    assert result.demand_basis == "own"
    assert [(used.caseload, used.caseload_per_100k) for used in result.demand] == [(3, None)]
    assert result.warnings[0].startswith("Demand from the population was asked for, but the plan has no population")


# --- A CMHT: peer support workers and wellbeing practitioners take routine work, nurses keep complex cases ---------


def cmht(*, with_new_roles):
    staff = [nurse(1.0, band=7), nurse(2.0, band=6)]
    if with_new_roles:
        staff += [peer_support_worker(1.0), wellbeing_practitioner(1.0)]
    return plan(staff, [demand(COMPLEX, 10, 3.0), demand(MODERATE, 10, 2.0), demand(ROUTINE, 20, 1.0)])


def test_cmht_most_experienced_nurse_takes_complex_work_and_new_roles_take_routine_work():
    allocation = calculate(cmht(with_new_roles=True)).allocation
    band_7, band_6, psw, mhwp = allocation.lines
    # Capacity: band 7 17.55 h, band 6 35.10 h, peer support 17.55 h, practitioner 17.55 h.
    # Complex 30 h, most experienced first: band 7 takes 17.55, band 6 the other 12.45 (22.65 h left).
    assert (band_7.complex_hours, band_6.complex_hours) == pytest.approx((17.55, 12.45))
    # Moderate 20 h, least experienced first: the practitioner (ceiling moderate) 17.55, band 6 the other 2.45.
    assert (mhwp.moderate_hours, band_6.moderate_hours, band_7.moderate_hours) == pytest.approx((17.55, 2.45, 0))
    # Routine 20 h: the peer support worker 17.55, then band 6 2.45 (the practitioner has nothing left).
    assert (psw.routine_hours, band_6.routine_hours, band_7.routine_hours) == pytest.approx((17.55, 2.45, 0))
    # Every tier met; band 6 has 35.10 − 12.45 − 2.45 − 2.45 = 17.75 h free for more complex cases.
    assert allocation.unmet_hours == pytest.approx(0)
    assert band_6.idle_hours == pytest.approx(17.75)
    assert allocation.skilled_hours_on_routine == pytest.approx(2.45)
    assert [line.experience_rank for line in allocation.lines] == [7, 6, 4, 5]


def test_cmht_without_new_roles_registered_staff_do_the_routine_work_and_some_is_unmet():
    allocation = calculate(cmht(with_new_roles=False)).allocation
    band_7, band_6 = allocation.lines
    # Complex 30 as above. Moderate 20: band 6 first (least experienced), 35.10 − 12.45 − 20 = 2.65 left.
    # Routine 20: band 6's 2.65, band 7 has none left: 17.35 h unmet, and every routine hour is a nurse's.
    assert band_6.moderate_hours == pytest.approx(20)
    assert band_6.routine_hours == pytest.approx(2.65)
    assert allocation.tier(ROUTINE).unmet_hours == pytest.approx(17.35)
    assert allocation.skilled_hours_on_routine == pytest.approx(2.65)


# --- Dilution: regrading senior nurses to band 5 and removing senior staff loses complex capacity ----------------


def nurse_ceiling(band):
    """The rule the catalogue gives nurses in this example: complex from band 6, one tier lower (moderate) below."""
    return COMPLEX if band >= 6 else MODERATE


def crisis_staff(*, regraded=False, seniors=True):
    bands = {7: 1.0, 6: 9.0, 5: 2.0}
    if regraded:
        bands = {5: 12.0}
    staff = [nurse(fte, band=band, ceiling=nurse_ceiling(band)) for band, fte in bands.items()]
    if seniors:
        staff += [
            line("clinical-psychologist", band=8, fte=1.0, family="Psychological professions", registered=True),
            line("consultant-psychiatrist", band=25, fte=1.0, family="Medical", registered=True),
        ]
    # 25 people × 8 h = 200 h complex; 10 × 3 h = 30 h moderate.
    return plan(staff, [demand(COMPLEX, 25, 8.0), demand(MODERATE, 10, 3.0)], horizon_years=1)


def test_dilution_the_team_as_it_is_meets_complex_demand_with_its_most_experienced_staff():
    result = calculate(crisis_staff())
    band_7, band_6, band_5, psychologist, consultant = result.allocation.lines
    # Complex-capable: band 7 (1), band 6 (9), psychologist (1), consultant (1) = 12 FTE = 210.60 h ≥ 200.
    assert result.baseline.complex_capacity_hours == pytest.approx(210.6)
    # Most experienced first: consultant (rank 12), psychologist (8a, rank 8), band 7, each 17.55; band 6 the rest,
    # 200 − 52.65 = 147.35 h. The band 5 nurses (ceiling moderate) carry no complex work.
    assert consultant.experience_rank == 12
    assert (consultant.complex_hours, psychologist.complex_hours, band_7.complex_hours) == pytest.approx(
        (17.55, 17.55, 17.55)
    )
    assert band_6.complex_hours == pytest.approx(147.35)
    assert band_5.complex_hours == 0
    # Moderate 30 h: the band 5 nurses first (ceiling moderate), 30 of their 35.10 h.
    assert band_5.moderate_hours == pytest.approx(30)
    assert result.baseline.complex_met_pct == 100


def test_dilution_regrading_senior_nurses_to_band_5_loses_complex_capacity():
    before = calculate(crisis_staff())
    after = calculate(crisis_staff(regraded=True))
    # Regraded: only the psychologist and the consultant hold complex cases: 2 × 17.55 = 35.10 h.
    assert after.baseline.complex_capacity_hours == pytest.approx(35.1)
    # Complex unmet 200 − 35.10 = 164.90 h; met 35.10 ÷ 200 = 17.55%.
    assert after.allocation.tier(COMPLEX).unmet_hours == pytest.approx(164.9)
    assert after.baseline.complex_met_pct == pytest.approx(17.55)
    comparison = compare(before, after)
    assert comparison.complex_capacity_hours.diff == pytest.approx(35.1 - 210.6)
    assert comparison.complex_met_pct.diff == pytest.approx(17.55 - 100)
    # FTE by band: 10 FTE moved from bands 6–7 to band 5.
    assert comparison.fte_by_band["5"].baseline_fte.diff == 10
    assert comparison.fte_by_band["6"].baseline_fte.b == 0
    assert comparison.fte_by_staff_group["medical"].baseline_fte.a == 1
    # The gap shows it: 164.90 ÷ 17.55 = 9.396 FTE (before: none).
    assert after.baseline.gap_fte == pytest.approx(164.9 / 17.55)
    assert before.baseline.gap_fte == 0
    assert any("complex demand are unmet" in warning for warning in after.headlines.warnings)


def test_dilution_removing_the_senior_staff_leaves_complex_demand_unmet():
    # Without the psychologist and the consultant: 10 complex-capable nurse FTE = 175.50 h; 24.50 h unmet.
    without_seniors = calculate(crisis_staff(seniors=False))
    assert without_seniors.allocation.tier(COMPLEX).unmet_hours == pytest.approx(24.5)
    # Regraded and without them: no complex capacity at all, all 200 h unmet.
    diluted = calculate(crisis_staff(regraded=True, seniors=False))
    assert diluted.baseline.complex_capacity_hours == 0
    assert diluted.allocation.tier(COMPLEX).unmet_hours == 200
    assert diluted.baseline.complex_met_pct == 0


# --- Capabilities: only the FTE a line declares counts for a capability that needs further training -------------


def prescribing_team(*, declared, attrition_pct=0.0):
    nurses = nurse(
        3.0,
        capabilities={"risk-assessment"},
        declared_capabilities={"independent-prescribing": declared},
        attrition_pct=attrition_pct,
        recruitment_fte_per_year=0.5 if attrition_pct else 0.0,
    )
    requirements = [
        CapabilityRequirement(capability_slug="independent-prescribing", name="Independent prescribing", min_fte=2),
        CapabilityRequirement(capability_slug="risk-assessment", name="Risk assessment", min_fte=2),
    ]
    targets = [target("prescribers", "min_fte", "at_least", 1, capability_slug="independent-prescribing")]
    return plan([nurses], capability_requirements=requirements, targets=targets, horizon_years=2)


def test_a_nurse_line_declaring_one_of_three_fte_as_prescribers_counts_one():
    result = calculate(prescribing_team(declared=1.0))
    prescribing, risk = result.capability_coverage
    # Prescribing needs further training: only the declared 1.0 of 3.0 FTE counts; short of 2 by 1.
    assert (prescribing.available_fte, prescribing.met, prescribing.short_by_fte) == (1.0, False, 1.0)
    # Risk assessment is core: all 3.0 FTE count.
    assert (risk.available_fte, risk.met) == (3.0, True)
    # A target scoped to the capability counts the same 1.0.
    (prescribers,) = result.targets
    assert (prescribers.actual, prescribers.status) == (1.0, "met")
    assert result.baseline.lines[0].declared_capabilities == {"independent-prescribing": 1.0}


def test_declarations_leave_with_leavers_and_are_judged_every_year():
    result = calculate(prescribing_team(declared=1.0, attrition_pct=10))
    # FTE: 3 → 3 × 0.9 + 0.5 = 3.2 → 3.2 × 0.9 + 0.5 = 3.38. Declared: 1.0 → 0.9 → 0.81 (recruits do not bring it).
    assert [year.fte for year in result.years] == pytest.approx([3, 3.2, 3.38])
    assert [year.lines[0].declared_capabilities["independent-prescribing"] for year in result.years] == pytest.approx(
        [1.0, 0.9, 0.81]
    )
    assert [year.capability_coverage[0].available_fte for year in result.years] == pytest.approx([1.0, 0.9, 0.81])
    (prescribers,) = result.targets
    assert [row.status for row in prescribers.by_year] == ["met", "not met", "not met"]


def test_a_declaration_above_the_lines_fte_is_capped_and_reported():
    result = calculate(prescribing_team(declared=4.0))
    assert result.capability_coverage[0].available_fte == 3.0
    assert result.warnings == [
        "Mental health nurse (band 6): 4.00 FTE declared for independent prescribing, more than the line's 3.00 FTE, "
        "so 3.00 is counted."
    ]


# --- Supervision as a flow: a supervisee two roles may supervise is covered by whichever has capacity ------------


def supervision_team(*, nurse_fte=1.0):
    staff = [
        # Peer support workers may be supervised by a psychologist or a nurse: 2 FTE × 2 h = 4 h a month.
        peer_support_worker(
            2.0,
            supervision_hours_per_month=2,
            supervisor_role_slugs={"clinical-psychologist", "mental-health-nurse"},
        ),
        # Psychological wellbeing practitioners only by a psychologist: 3 FTE × 4 h = 12 h a month.
        line(
            "psychological-wellbeing-practitioner",
            band=5,
            fte=3.0,
            ceiling=MODERATE,
            family="Psychological professions",
            supervision_hours_per_month=4,
            supervisor_role_slugs={"clinical-psychologist"},
        ),
        line("clinical-psychologist", band=8, fte=1.0, family="Psychological professions"),
        nurse(nurse_fte),
    ]
    return calculate(plan(staff, horizon_years=1))


def test_supervision_flow_reroutes_a_supervisee_to_the_supervisor_with_capacity():
    supervision = supervision_team().supervision
    psw, pwp = supervision.roles
    psychologist, nurses = supervision.supervisors
    # Pools: 12.675 h a month each. The peer support workers (first in slug order) first take 4 h of the
    # psychologist; the practitioners take the other 8.675 and still need 3.325, which only the psychologist can give:
    # the flow moves 3.325 h of the peer support workers to the nurse. Everyone is covered:
    # practitioners 12 from the psychologist; peer support 0.675 psychologist + 3.325 nurse.
    assert (pwp.need_hours, pwp.covered_hours, pwp.shortfall_hours) == (12, pytest.approx(12), pytest.approx(0))
    assert (psw.need_hours, psw.covered_hours, psw.shortfall_hours) == (4, pytest.approx(4), pytest.approx(0))
    assert psychologist.used_hours == pytest.approx(12.675)
    assert nurses.used_hours == pytest.approx(3.325)
    # The most each role could get: the practitioners the psychologist's 12.675; peer support both pools, 25.35.
    assert pwp.capacity_hours == pytest.approx(12.675)
    assert psw.capacity_hours == pytest.approx(25.35)
    assert supervision.shortfall_hours == pytest.approx(0)
    # A split in proportion to need (the first version) would have left the practitioners short:
    # 12.675 × 12 ÷ 16 = 9.506 h of 12.


def test_supervision_shortfall_only_when_no_arrangement_covers_it():
    # Nurse 0.2 FTE: pool 2.535. Pools together 15.21 < need 16: short by 0.79 however supervision is arranged.
    supervision = supervision_team(nurse_fte=0.2).supervision
    assert supervision.covered_hours == pytest.approx(15.21)
    assert supervision.shortfall_hours == pytest.approx(0.79)
    assert supervision.spare_hours == pytest.approx(0)


def test_trainees_in_training_need_supervision_until_they_qualify():
    staff = [
        wellbeing_practitioner(
            1.0,
            trainees=2.0,
            trainee_completion_year=2027,
            supervision_hours_per_month=4,
            supervisor_role_slugs={"clinical-psychologist"},
        ),
        line("clinical-psychologist", band=8, fte=1.0, family="Psychological professions"),
    ]
    result = calculate(plan(staff, horizon_years=3))
    # 2025 and 2026: 1 FTE + 2 in training = 3 × 4 = 12 h; 2027 they qualify and join: 3 FTE × 4 = 12 h, none in
    # training; 2028 the same.
    assert [year.supervision.need_hours for year in result.years] == [12, 12, 12, 12]
    assert [year.supervision.roles[0].trainees_fte for year in result.years] == [2, 2, 0, 0]
    assert [year.lines[0].trainees_in_training_fte for year in result.years] == [2, 2, 0, 0]
    assert [year.lines[0].trainees_qualifying_fte for year in result.years] == [0, 0, 2, 0]


# --- Per-line yearly figures, costs, headlines ------------------------------------------------------------------


def test_per_line_yearly_figures_by_hand():
    staff = nurse(
        10.0,
        band=5,
        establishment_fte=12.0,
        attrition_pct=10,
        recruitment_fte_per_year=1.0,
        trainees=2.0,
        trainee_completion_year=2027,
    )
    result = calculate(plan([staff], horizon_years=3))
    rows = [year.lines[0] for year in result.years]
    # FTE 10 → 10 × 0.9 + 1 = 10 → 10 × 0.9 + 1 + 2 = 12 → 12 × 0.9 + 1 = 11.8.
    assert [row.fte for row in rows] == pytest.approx([10, 10, 12, 11.8])
    # Leavers 10 % of the year before (0 in the baseline year): 0, 1, 1, 1.2. Recruits 0, 1, 1, 1.
    assert [row.leavers_fte for row in rows] == pytest.approx([0, 1, 1, 1.2])
    assert [row.recruits_fte for row in rows] == [0, 1, 1, 1]
    assert [row.trainees_qualifying_fte for row in rows] == [0, 0, 2, 0]
    assert [row.trainees_in_training_fte for row in rows] == [2, 2, 0, 0]
    # Vacancies against 12 funded: 2, 2, 0, 0.2.
    assert [row.vacancies_fte for row in rows] == pytest.approx([2, 2, 0, 0.2])
    assert [row.over_establishment_fte for row in rows] == [0, 0, 0, 0]
    # Cost 44,060.80 an FTE: 440,608.00; 440,608.00; 528,729.60; 519,917.44.
    assert [as_dict(row)["cost"] for row in rows] == [440_608.00, 440_608.00, 528_729.60, 519_917.44]
    assert (rows[0].role_slug, rows[0].band, rows[0].staff_group) == ("mental-health-nurse", "5", "registered")


def test_cost_table_years_add_up_to_the_cost_over_the_horizon():
    staff = nurse(10.0, band=5, establishment_fte=12.0, attrition_pct=10, recruitment_fte_per_year=1.0)
    result = calculate(plan([staff], horizon_years=3))
    # The horizon's three years 2025–2027, each at its opening FTE: 10, 10, 10 × 44,060.80 = 1,321,824.00.
    assert result.cost_years == [2025, 2026, 2027]
    table = [year.cost for year in result.years if year.year in result.cost_years]
    assert sum(table) == pytest.approx(result.cost_over_horizon)
    assert as_dict(result)["cost_over_horizon"] == 1_321_824.00
    # Establishment: 12 × 44,060.80 = 528,729.60 a year; × 3 = 1,586,188.80.
    assert as_dict(result.baseline)["establishment_cost"] == 528_729.60
    assert as_dict(result)["establishment_cost_over_horizon"] == 1_586_188.80


def test_headlines_show_a_gap_and_a_surplus_at_once_and_warn():
    staff = [
        nurse(2.0, attrition_pct=20),
        peer_support_worker(3.0, establishment_fte=2.0),
    ]
    result = calculate(plan(staff, [demand(COMPLEX, 10, 5.0), demand(ROUTINE, 10, 1.0)], horizon_years=1))
    start = result.headlines.start
    # Complex 50 h against the nurses' 35.10: 14.90 h unmet = 0.849 FTE gap. Routine 10 h: peer support.
    # Allocated 35.10 + 10 = 45.10 h = 2.570 FTE; clinical 5 FTE: surplus 5 − 2.570 = 2.430 FTE.
    assert start.gap_fte == pytest.approx(14.9 / 17.55)
    assert start.surplus_fte == pytest.approx(5 - 45.1 / 17.55)
    # Peer support: 3 in post against 2 funded: 1 FTE over establishment, no vacancy.
    assert (start.fte_in_post, start.establishment_fte, start.over_establishment_fte) == (5, 4, 1)
    assert start.vacancies_fte == 0
    horizon = result.headlines.horizon
    # 2026: nurses 2 × 0.8 = 1.6; 4.6 FTE in post, a fall of 0.4 ÷ 5 = 8%. Surplus: allocated 28.08 + 10 = 38.08 h
    # = 2.170 FTE; 4.6 − 2.170 = 2.430 FTE (the peer support workers' idle hours, as at the start).
    assert (horizon.year, horizon.fte_in_post) == (2026, pytest.approx(4.6))
    assert horizon.vacancies_fte == pytest.approx(0.4)
    # Complex 50 h against 1.6 × 17.55 = 28.08 h: 21.92 h unmet = 1.249 FTE gap.
    assert horizon.gap_fte == pytest.approx(21.92 / 17.55)
    assert horizon.complex_met_pct == pytest.approx(100 * 28.08 / 50)
    assert result.headlines.warnings == [
        "In 2025, 1.00 FTE in post is over the funded establishment of its lines: check how those posts are funded.",
        "In 2026, 1.00 FTE in post is over the funded establishment of its lines: check how those posts are funded.",
        "FTE in post falls from 5.00 in 2025 to 4.60 in 2026, a fall of 8.0%.",
        "In 2026 the team is 1.25 FTE short: it needs 3.42 FTE (driven by demand) and has 4.60 FTE in post.",
        "In 2025, 14.90 hours a week of complex demand are unmet (70.2% met): only staff able to hold complex cases "
        "can take it.",
        "In 2026, 21.92 hours a week of complex demand are unmet (56.2% met): only staff able to hold complex cases "
        "can take it.",
        "In 2025, 2.43 clinical FTE are more than the demand and minimum cover need.",
        "In 2026, 2.43 clinical FTE are more than the demand and minimum cover need.",
    ]


def test_results_carry_the_engine_version_and_are_json_safe():
    result = calculate(crisis_team(clinical_nurses=13))
    data = as_dict(result)
    assert data["engine_version"] == ENGINE_VERSION == "2.0"
    assert data["cover"]["hours_per_week"] == 315
    assert data["headlines"]["start"]["need_basis"] == "cover"
    json.dumps(data)

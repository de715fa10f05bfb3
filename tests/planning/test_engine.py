"""Worked examples for the planning engine, each checked by hand (the arithmetic is in the comments).

Plain functions, no database and nothing from Django: they pass with pytest-django active and with
`-p no:django`. Figures come from docs/reference/planning.md: AfC 2025/26 pay (§3), the 2001 Mental Health Policy
Implementation Guide crisis team (§2, "Staffing ratios and skill-mix guidance"), on-costs (§3). Inputs are built
with tests/engine_builders.py, which the benchmark in bench/ uses too.

With the default assumptions one FTE gives h = 37.5 × 0.78 × 0.6 = 17.55 care hours a week, and a supervisor FTE
gives 37.5 × 52/12 × 0.78 × 0.1 = 162.5 × 0.078 = 12.675 supervision hours a month.
"""

import json
from dataclasses import asdict, replace
from decimal import Decimal
from pathlib import Path

import pytest

import planning.engine
from planning.engine import (
    COMPLEX,
    MODERATE,
    ROUTINE,
    Assumptions,
    CapabilityRequirement,
    PayPoint,
    PlanInput,
    StaffLine,
    Target,
    as_dict,
    calculate,
    compare,
    rollup,
)
from planning.engine.formulas import annual_cost, care_hours_per_fte_per_week, mean_band_label, nearest_band_code
from tests.engine_builders import (
    PAY,
    demand,
    line,
    nurse,
    peer_support_worker,
    plan,
    target,
    wellbeing_practitioner,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "engine.md"


@pytest.fixture(autouse=True)
def plain_static_storage():
    """Replaces tests/conftest.py's fixture of the same name, which needs pytest-django's `settings`: these tests
    touch no templates or static files, and must also run with `-p no:django`."""


MH_PIG_2001 = "https://www.ucl.ac.uk/core-study/resources/staffing-team-procedures/29-doh-imp-guide"


# --- Costs -------------------------------------------------------------------------------------------------------


def test_band_5_midpoint_and_cost_with_28_percent_on_costs():
    # Midpoint (31,049 + 37,796) ÷ 2 = 68,845 ÷ 2 = 34,422.50.
    assert PayPoint(band=5, bottom=31_049, top=37_796).midpoint == 34_422.50
    # 34,422.50 × 1.28 = 44,060.80 a year.
    assert annual_cost(fte=1.0, midpoint=34_422.50, on_cost_pct=28) == pytest.approx(44_060.80)
    one = calculate(plan([nurse(1.0, band=5)]))
    assert as_dict(one.baseline)["cost"] == 44_060.80
    # 2.5 FTE: 44,060.80 × 2.5 = 110,152.00.
    two_and_a_half = calculate(plan([nurse(2.5, band=5)]))
    assert as_dict(two_and_a_half.baseline)["cost"] == 110_152.00


def test_decimal_inputs_from_the_orm_are_accepted():
    # The ORM gives Decimals; the engine converts them with float() when the dataclass is built.
    point = PayPoint(band=5, bottom=Decimal("31049.00"), top=Decimal("37796.00"))
    staff = StaffLine(role_slug="x", role_name="X", family="F", band=5, fte=Decimal("1.00"), attrition_pct=Decimal("0"))
    result = calculate(PlanInput(start_year=2025, staff=[staff], pay_points=[point]))
    assert as_dict(result.baseline)["cost"] == 44_060.80


def test_a_band_with_no_pay_point_is_left_out_of_the_cost_and_reported():
    result = calculate(PlanInput(start_year=2025, staff=[nurse(1.0, band=5), nurse(2.0, band=7)], pay_points=PAY[3:4]))
    assert result.baseline.cost == pytest.approx(44_060.80)
    assert result.baseline.uncosted_fte == 2.0
    assert result.warnings == ["No pay point for grade 7: its FTE is left out of the costs."]


def test_pay_growth_compounds_on_the_cost():
    result = calculate(plan([nurse(10, band=5)], assumptions=Assumptions(pay_growth_pct=3.6), horizon_years=2))
    # Year 0: 10 × 44,060.80 = 440,608.00; year 1: × 1.036 = 456,469.888; year 2: × 1.036² = 472,902.80.
    assert [year.cost for year in result.years] == pytest.approx([440_608.00, 456_469.888, 472_902.804])


# --- Crisis resolution / home treatment team (MH PIG 2001) -------------------------------------------------------


def crisis_team(caseload=25, hours=10, **extra):
    """MH PIG 2001: about 150,000 population, "Total 14 per team, Team leader plus up to 13 others", plus 1 WTE admin,
    caseload 20–30 at any one time. All 14 clinical staff may hold complex cases."""
    staff = [
        nurse(1.0, band=7, role_name="Team leader (mental health nurse)"),
        nurse(9.0, band=6),
        nurse(2.0, band=5),
        line("social-worker", band=6, fte=1.0, family="Social work", registered=True),
        line("occupational-therapist", band=6, fte=1.0, family="Allied health professions", registered=True),
        line("administrator", band=3, fte=1.0, ceiling=ROUTINE, family="Support roles", clinical=False),
    ]
    # The three crisis-team targets of fixtures/reference/planning.yaml.
    targets = [
        Target(
            key="crht-team-size",
            label="Crisis team: 14 staff plus 1 admin",
            metric="total_fte",
            comparator="between",
            value=14,
            value_max=15,
            source_url=MH_PIG_2001,
            source_label="Mental Health Policy Implementation Guide (2001)",
            year="2001",
        ),
        Target(
            key="crht-staff-per-100k",
            label="Crisis team FTE per 100,000",
            metric="total_fte_per_100k",
            comparator="at_least",
            value=9.33,
            source_url=MH_PIG_2001,
            source_label="14 staff per 150,000 population (derived)",
        ),
        Target(
            key="crht-caseload-per-clinical-fte",
            label="Crisis caseload per clinical FTE",
            metric="caseload_per_clinical_fte",
            comparator="at_most",
            value=2.15,
            source_url=MH_PIG_2001,
            source_label="30 people per 14 staff (derived)",
        ),
    ]
    return plan(staff, [demand(COMPLEX, caseload, hours)], population=150_000, targets=targets, **extra)


def test_crisis_team_capacity_and_demand_met_by_hand():
    result = calculate(crisis_team())
    allocation = result.allocation
    # Capacity: 14 clinical FTE × 17.55 = 245.70 h/week (the administrator gives no care hours).
    assert result.hours_per_fte_per_week == pytest.approx(17.55)
    assert allocation.capacity_hours == pytest.approx(245.70)
    # Demand: 25 people × 10 h/week = 250 h/week, all complex.
    complex_tier = allocation.tier(COMPLEX)
    assert complex_tier.demand_hours == 250
    # Allocated 245.70, unmet 250 − 245.70 = 4.30; met 245.7 ÷ 250 = 98.28%; gap 4.30 ÷ 17.55 = 0.245 FTE.
    assert complex_tier.allocated_hours == pytest.approx(245.70)
    assert complex_tier.unmet_hours == pytest.approx(4.30)
    assert allocation.demand_met_pct == pytest.approx(98.28)
    assert allocation.gap_fte == pytest.approx(4.30 / 17.55)
    assert as_dict(allocation)["gap_fte"] == 0.25
    assert allocation.idle_hours == pytest.approx(0)


def test_crisis_team_at_the_ends_of_the_20_to_30_caseload_range():
    # 20 people × 10 h = 200 h: all met, 245.70 − 200 = 45.70 h idle.
    low = calculate(crisis_team(caseload=20)).allocation
    assert low.unmet_hours == 0 and low.demand_met_pct == 100
    assert low.idle_hours == pytest.approx(45.70)
    # 30 people × 10 h = 300 h: unmet 300 − 245.70 = 54.30 h = 54.30 ÷ 17.55 = 3.094 FTE; met 81.9%.
    high = calculate(crisis_team(caseload=30)).allocation
    assert high.unmet_hours == pytest.approx(54.30)
    assert high.gap_fte == pytest.approx(3.0940, abs=1e-4)
    assert high.demand_met_pct == pytest.approx(81.9)


def test_crisis_team_cost_and_skill_mix_by_hand():
    result = calculate(crisis_team())
    # Midpoints: band 7 (47,810 + 54,710) ÷ 2 = 51,260; band 6 (38,682 + 46,580) ÷ 2 = 42,631;
    # band 5 34,422.50; band 3 (24,937 + 26,598) ÷ 2 = 25,767.50.
    # Salary: 51,260 + 11 × 42,631 + 2 × 34,422.50 + 25,767.50 = 51,260 + 468,941 + 68,845 + 25,767.50 = 614,813.50.
    # With 28% on-costs: 614,813.50 × 1.28 = 786,961.28.
    assert as_dict(result.baseline)["cost"] == 786_961.28
    mix = result.skill_mix
    # 15 FTE; registered 14 (93.33%); mean band (7 + 9×6 + 2×5 + 6 + 6 + 3) ÷ 15 = 86 ÷ 15 = 5.733.
    assert mix.total_fte == 15
    assert mix.registered_pct == pytest.approx(100 * 14 / 15)
    assert mix.mean_band_rank == pytest.approx(86 / 15)
    assert mix.mean_band_label == "between 5 and 6"
    assert mix.mean_band_nearest == "6"
    # Band ≥ 5: 14 of 15 = 93.33%; band ≥ 8a: 0.
    assert mix.band_5_plus_pct == pytest.approx(100 * 14 / 15)
    assert mix.band_8a_plus_pct == 0
    assert [(share.key, share.fte) for share in mix.by_band] == [("3", 1), ("5", 2), ("6", 11), ("7", 1)]


def test_crisis_team_targets_carry_their_source():
    targets = {target.key: target for target in calculate(crisis_team()).targets}
    size = targets["crht-team-size"]
    # 15 FTE, between 14 and 15: met.
    assert (size.status, size.met, size.actual) == ("met", True, 15)
    assert size.source_url == MH_PIG_2001
    assert size.source_label == "Mental Health Policy Implementation Guide (2001)"
    assert size.year == "2001"
    # 15 ÷ 150,000 × 100,000 = 10.0 per 100k ≥ 9.33: met.
    assert targets["crht-staff-per-100k"].actual == pytest.approx(10.0)
    assert targets["crht-staff-per-100k"].met is True
    # 25 people ÷ 14 clinical FTE (the administrator is not clinical) = 1.786 ≤ 2.15: met.
    assert targets["crht-caseload-per-clinical-fte"].actual == pytest.approx(25 / 14)
    assert targets["crht-caseload-per-clinical-fte"].met is True


def test_crisis_caseload_at_the_top_of_the_guide_range_meets_the_target_but_one_more_does_not():
    # 30 ÷ 14 = 2.1429 ≤ 2.15 (30 ÷ 14 rounded up): met. 31 ÷ 14 = 2.214 > 2.15: not met.
    def caseload_target(caseload):
        return {t.key: t for t in calculate(crisis_team(caseload=caseload)).targets}["crht-caseload-per-clinical-fte"]

    at_top = caseload_target(30)
    assert at_top.actual == pytest.approx(2.142857, abs=1e-6)
    assert (at_top.status, at_top.met) == ("met", True)
    assert caseload_target(31).met is False


# --- CMHT: new roles take routine and moderate work --------------------------------------------------------------

CMHT_DEMAND = (
    demand(COMPLEX, 12, 4.0),  # 48 h/week
    demand(MODERATE, 16, 1.5),  # 24 h/week
    demand(ROUTINE, 40, 0.5),  # 20 h/week
)


def cmht(*, with_new_roles, complex_caseload=12):
    staff = [nurse(5.0)]
    if with_new_roles:
        staff += [peer_support_worker(1.0), wellbeing_practitioner(1.0)]
    demand_lines = (demand(COMPLEX, complex_caseload, 4.0), *CMHT_DEMAND[1:])
    return plan(staff, demand_lines, name="With new roles" if with_new_roles else "Nurses only")


def test_cmht_nurses_only_spend_hours_on_routine_work():
    allocation = calculate(cmht(with_new_roles=False)).allocation
    # Nurses: 5 × 17.55 = 87.75 h. Complex 48 → 39.75 left; moderate 24 → 15.75 left; routine 15.75 of 20.
    assert [tier.allocated_hours for tier in allocation.tiers] == pytest.approx([48, 24, 15.75])
    assert [tier.unmet_hours for tier in allocation.tiers] == pytest.approx([0, 0, 4.25])
    # Every routine hour comes from complex-capable nurses.
    assert allocation.skilled_hours_on_routine == pytest.approx(15.75)
    assert allocation.complex_capable_hours_on_routine == pytest.approx(15.75)
    assert allocation.idle_hours == pytest.approx(0)
    # Met: 87.75 ÷ 92 = 95.38%.
    assert allocation.demand_met_pct == pytest.approx(100 * 87.75 / 92)


def test_cmht_peer_support_and_wellbeing_practitioner_free_nurses_from_routine_work():
    allocation = calculate(cmht(with_new_roles=True)).allocation
    nurses, psw, mhwp = allocation.lines
    # Capacity 87.75 + 17.55 + 17.55 = 122.85 h.
    assert allocation.capacity_hours == pytest.approx(122.85)
    # Complex 48: nurses only (39.75 left).
    # Moderate 24: the practitioner (ceiling moderate) first, 17.55; nurses the other 6.45 (33.30 left).
    # Routine 20: the peer support worker first, 17.55; the practitioner has nothing left; nurses 2.45 (30.85 left).
    assert (nurses.complex_hours, nurses.moderate_hours, nurses.routine_hours) == pytest.approx((48, 6.45, 2.45))
    assert (mhwp.moderate_hours, mhwp.routine_hours, mhwp.idle_hours) == pytest.approx((17.55, 0, 0))
    assert (psw.routine_hours, psw.idle_hours) == pytest.approx((17.55, 0))
    assert allocation.unmet_hours == pytest.approx(0)
    # Skilled hours on routine work fall from 15.75 to 2.45, and 30.85 nurse hours are free for complex work.
    assert allocation.skilled_hours_on_routine == pytest.approx(2.45)
    assert nurses.idle_hours == pytest.approx(30.85)


def test_cmht_with_new_roles_absorbs_seven_more_complex_cases():
    # The 30.85 freed nurse hours take 7 more complex people at 4 h (28 h) with every tier still fully met.
    after = calculate(cmht(with_new_roles=True, complex_caseload=19)).allocation
    assert after.unmet_hours == pytest.approx(0)
    assert after.idle_hours == pytest.approx(30.85 - 28)
    # Nurses only: complex 76 is met first, leaving 87.75 − 76 = 11.75 h: moderate unmet 24 − 11.75 = 12.25,
    # routine unmet all 20.
    before = calculate(cmht(with_new_roles=False, complex_caseload=19)).allocation
    assert [tier.unmet_hours for tier in before.tiers] == pytest.approx([0, 12.25, 20])


def test_complex_unmet_hours_depend_only_on_complex_capable_staff():
    # Complex demand 25 × 4 = 100 h against 87.75 nurse hours: 12.25 unmet, with or without the new roles,
    # because complex work is allocated first and only to ceiling-3 lines. The new roles cut the other tiers' unmet:
    # moderate 24 → 24 − 17.55 = 6.45; routine 20 → 20 − 17.55 = 2.45.
    before = calculate(cmht(with_new_roles=False, complex_caseload=25)).allocation
    after = calculate(cmht(with_new_roles=True, complex_caseload=25)).allocation
    assert [tier.unmet_hours for tier in before.tiers] == pytest.approx([12.25, 24, 20])
    assert [tier.unmet_hours for tier in after.tiers] == pytest.approx([12.25, 6.45, 2.45])
    assert after.skilled_hours_on_routine == 0


def test_within_a_tier_lower_ceiling_then_lower_band_goes_first():
    staff = [nurse(1.0, band=7), nurse(1.0, band=6), line("nursing-associate", band=4, fte=1.0, ceiling=MODERATE)]
    allocation = calculate(plan(staff, [demand(ROUTINE, 30, 1.0)])).allocation
    # 30 h routine: nursing associate (ceiling 2) 17.55, then the band 6 nurse 12.45; the band 7 nurse stays free.
    band_7, band_6, associate = allocation.lines
    assert associate.routine_hours == pytest.approx(17.55)
    assert band_6.routine_hours == pytest.approx(12.45)
    assert band_7.routine_hours == 0
    assert allocation.skilled_hours_on_routine == pytest.approx(30)
    assert allocation.complex_capable_hours_on_routine == pytest.approx(12.45)


# --- Projection --------------------------------------------------------------------------------------------------


def test_projection_by_hand():
    staff = nurse(
        10.0,
        band=5,
        establishment_fte=12.0,
        attrition_pct=10,
        recruitment_fte_per_year=1.0,
        trainees=2.0,
        trainee_completion_year=2027,
    )
    result = calculate(plan([staff], start_year=2025, horizon_years=5))
    # 2025: 10 (baseline)
    # 2026: 10 × 0.9 + 1 = 10
    # 2027: 10 × 0.9 + 1 + 2 trainees = 12
    # 2028: 12 × 0.9 + 1 = 11.8
    # 2029: 11.8 × 0.9 + 1 = 11.62
    # 2030: 11.62 × 0.9 + 1 = 11.458
    assert [year.year for year in result.years] == [2025, 2026, 2027, 2028, 2029, 2030]
    assert [year.fte for year in result.years] == pytest.approx([10, 10, 12, 11.8, 11.62, 11.458])
    # Vacancies against 12 funded: 2, 2, 0, 0.2, 0.38, 0.542.
    assert [year.vacancies_fte for year in result.years] == pytest.approx([2, 2, 0, 0.2, 0.38, 0.542])
    # Cost at 44,060.80 per FTE: 2030 is 11.458 × 44,060.80 = 504,848.65.
    assert as_dict(result.final)["cost"] == 504_848.65
    # Over the horizon (2025–2029, each at its opening FTE): (10 + 10 + 12 + 11.8 + 11.62) × 44,060.80
    # = 55.42 × 44,060.80 = 2,441,849.54.
    assert as_dict(result)["cost_over_horizon"] == 2_441_849.54
    assert result.warnings == []


def test_projection_demand_growth_compounds_and_gap_is_in_fte():
    staff = [nurse(10.0)]
    result = calculate(
        plan(staff, [demand(COMPLEX, 10, 17.55)], horizon_years=2, assumptions=Assumptions(demand_growth_pct=10))
    )
    # Demand 10 × 17.55 = 175.5 h = capacity. 2026: × 1.1 = 193.05 h, unmet 17.55 h = 1.0 FTE;
    # 2027: × 1.21 = 212.355 h, unmet 36.855 h = 2.1 FTE; met 175.5 ÷ 212.355 = 82.64%.
    assert [year.demand_hours for year in result.years] == pytest.approx([175.5, 193.05, 212.355])
    assert [year.gap_fte for year in result.years] == pytest.approx([0, 1.0, 2.1])
    assert result.final.demand_met_pct == pytest.approx(100 / 1.21)


def test_trainees_outside_the_projected_years_are_reported():
    staff = [
        nurse(1.0, trainees=1.0, trainee_completion_year=2025),
        wellbeing_practitioner(1.0, trainees=2.0, trainee_completion_year=2040),
        peer_support_worker(1.0, trainees=1.0),
    ]
    result = calculate(plan(staff, horizon_years=3))
    assert [year.fte for year in result.years] == [3, 3, 3, 3]
    assert len(result.warnings) == 3
    assert "taken to be in the FTE in post already" in result.warnings[0]
    assert "do not join within it" in result.warnings[1]
    assert "no completion year" in result.warnings[2]


# --- Supervision and capability coverage -------------------------------------------------------------------------


def supervised_team(psychologists):
    staff = [
        peer_support_worker(4.0, supervision_hours_per_month=2, supervisor_role_slugs={"clinical-psychologist"}),
        wellbeing_practitioner(3.0, supervision_hours_per_month=4, supervisor_role_slugs={"clinical-psychologist"}),
        line(
            "pharmacy-technician",
            band=5,
            fte=1.0,
            ceiling=ROUTINE,
            family="Pharmacy",
            supervision_hours_per_month=2,
            supervisor_role_slugs={"mental-health-pharmacist"},
        ),
        line("clinical-psychologist", band=8, fte=psychologists, family="Psychological professions"),
    ]
    return calculate(plan(staff))


def test_supervision_short_when_one_psychologist_supervises_two_roles():
    supervision = supervised_team(psychologists=1.0).supervision
    # Supervised roles in slug order.
    mhwp, psw, technician = supervision.roles
    # Need: peer support 4 × 2 = 8 h/month; practitioners 3 × 4 = 12; technician 1 × 2 = 2. Total 22.
    assert (psw.need_hours, mhwp.need_hours, technician.need_hours) == (8, 12, 2)
    # One psychologist: 12.675 h/month, the most either role could get.
    (pool,) = supervision.supervisors
    assert pool.capacity_hours == pytest.approx(12.675)
    assert pool.supervises == ["mental-health-and-wellbeing-practitioner", "peer-support-worker"]
    assert psw.capacity_hours == pytest.approx(12.675)
    assert mhwp.capacity_hours == pytest.approx(12.675)
    # The flow fills roles in slug order: the practitioners' 12 h, then 0.675 h of the peer support workers' 8.
    assert mhwp.covered_hours == pytest.approx(12)
    assert psw.covered_hours == pytest.approx(0.675)
    assert psw.shortfall_hours == pytest.approx(7.325)
    assert pool.used_hours == pytest.approx(12.675)
    # No pharmacist in the team: the technician's 2 h are unsupervised.
    assert technician.unsupervised and technician.shortfall_hours == 2
    # Overall: need 22, capacity 12.675, shortfall 22 − 12.675 = 9.325 (7.325 + 2), unsupervised 2, spare 0.
    assert supervision.need_hours == 22
    assert supervision.capacity_hours == pytest.approx(12.675)
    assert supervision.shortfall_hours == pytest.approx(9.325)
    assert supervision.unsupervised_need_hours == 2
    assert supervision.spare_hours == pytest.approx(0)


def test_supervision_covered_with_two_psychologists():
    result = supervised_team(psychologists=2.0)
    supervision = result.supervision
    mhwp, psw, _ = supervision.roles
    # Two psychologists: 25.35 h/month ≥ 20 needed: both covered, spare 25.35 − 20 = 5.35.
    assert psw.covered_hours == 8 and psw.shortfall_hours == 0
    assert mhwp.covered_hours == 12 and mhwp.shortfall_hours == 0
    assert supervision.spare_hours == pytest.approx(5.35)
    assert supervision.supervisors[0].used_hours == pytest.approx(20)
    assert result.warnings == ["Pharmacy technician: none of the roles that supervise it is in the team."]


def test_capability_coverage_met_and_short():
    staff = [
        nurse(5.0, capabilities={"risk-assessment", "care-coordination"}),
        nurse(0.8, band=7, capabilities={"risk-assessment", "independent-prescribing"}),
    ]
    requirements = [
        CapabilityRequirement(capability_slug="risk-assessment", name="Risk assessment", min_fte=2),
        CapabilityRequirement(capability_slug="independent-prescribing", name="Independent prescribing", min_fte=1),
        CapabilityRequirement(capability_slug="peer-support", name="Peer support", min_fte=0.5),
    ]
    risk, prescribing, peer = calculate(plan(staff, capability_requirements=requirements)).capability_coverage
    # Risk assessment: 5 + 0.8 = 5.8 ≥ 2.
    assert (risk.available_fte, risk.met, risk.short_by_fte) == (pytest.approx(5.8), True, 0)
    # Prescribing: 0.8 < 1, short by 0.2.
    assert (prescribing.met, prescribing.short_by_fte) == (False, pytest.approx(0.2))
    # Peer support: nobody, short by 0.5.
    assert (peer.available_fte, peer.met, peer.short_by_fte) == (0, False, 0.5)


# --- Targets -----------------------------------------------------------------------------------------------------


def test_targets_met_not_met_and_not_applicable():
    staff = [nurse(5.0), peer_support_worker(1.0, capabilities={"risk-assessment"}), wellbeing_practitioner(2.0)]
    targets = [
        # Peer support family: 1 of 8 FTE = 12.5% ≥ 10%: met.
        target("psw-share", "share_of_fte", "at_least", 10, family="Peer support and lived experience"),
        # Nursing family: 5 of 8 = 62.5%, not ≤ 50%: not met.
        target("nursing-share", "share_of_fte", "at_most", 50, family="Nursing and nursing associates"),
        # Psychological professions: 2 FTE between 1 and 4: met.
        target("psychological", "min_fte", "between", 1, value_max=4, family="Psychological professions"),
        # A line counts only when it matches every scope field: no nurse is in the psychological professions.
        target(
            "nurses-in-psychology",
            "min_fte",
            "at_least",
            1,
            role_slug="mental-health-nurse",
            family="Psychological professions",
        ),
        # Risk assessment: only the peer support worker has it, 1 FTE < 1.5: not met.
        target("risk", "min_fte", "at_least", 1.5, capability_slug="risk-assessment"),
        # Caseload 68 ÷ 8 clinical FTE = 8.5 ≤ 12: met.
        target("caseload", "caseload_per_clinical_fte", "at_most", 12),
        target("per-100k", "total_fte_per_100k", "at_least", 50),
        target("national", "national_headcount", "at_least", 6500),
        target("unknown", "beds_per_ward", "at_least", 1),
        target("no-max", "total_fte", "between", 1),
        target("no-scope", "min_fte", "at_least", 1),
        target("odd-comparator", "total_fte", "roughly", 8),
    ]
    results = {result.key: result for result in calculate(plan(staff, CMHT_DEMAND, targets=targets)).targets}
    assert (results["psw-share"].status, results["psw-share"].actual) == ("met", 12.5)
    assert (results["nursing-share"].status, results["nursing-share"].met) == ("not met", False)
    assert results["nursing-share"].actual == 62.5
    assert (results["psychological"].status, results["psychological"].actual) == ("met", 2)
    assert (results["nurses-in-psychology"].status, results["nurses-in-psychology"].actual) == ("not met", 0)
    assert (results["risk"].status, results["risk"].actual) == ("not met", 1)
    assert (results["caseload"].status, results["caseload"].actual) == ("met", 8.5)
    for key in ("per-100k", "national", "unknown", "no-max", "no-scope", "odd-comparator"):
        assert results[key].status == "not applicable", key
        assert results[key].met is None
        assert results[key].reason
    assert "population" in results["per-100k"].reason
    assert results["per-100k"].actual is None


def test_targets_are_also_judged_at_the_horizon():
    staff = [nurse(10.0, attrition_pct=20)]
    result = calculate(plan(staff, horizon_years=2, targets=[target("ten", "total_fte", "at_least", 10)]))
    (ten,) = result.targets
    # 10 → 8 → 6.4: met now, not met in 2027.
    assert (ten.status, ten.horizon_year, ten.status_at_horizon) == ("met", 2027, "not met")
    assert ten.actual_at_horizon == pytest.approx(6.4)


# --- Comparison and roll-up --------------------------------------------------------------------------------------


def test_compare_nurses_only_with_new_roles():
    a = calculate(cmht(with_new_roles=False))
    b = calculate(cmht(with_new_roles=True))
    comparison = compare(a, b)
    assert (comparison.a_name, comparison.b_name) == ("Nurses only", "With new roles")
    roles = {role.role_slug: role for role in comparison.roles}
    assert (roles["mental-health-nurse"].baseline_fte.diff, roles["peer-support-worker"].baseline_fte.diff) == (0, 1)
    assert roles["peer-support-worker"].baseline_fte.a == 0
    # Cost: a = 5 × 42,631 × 1.28 = 272,838.40; b adds band 4 (27,485 + 30,162) ÷ 2 × 1.28 = 36,894.08 and
    # band 5 44,060.80: 353,793.28; diff 80,954.88.
    cost = as_dict(comparison.cost)
    assert cost == {"a": 272_838.40, "b": 353_793.28, "diff": 80_954.88}
    # Over the default 5-year horizon with no change: 5 × the annual cost.
    assert comparison.cost_over_horizon.diff == pytest.approx(5 * 80_954.88)
    # Demand met 95.38% → 100%; skilled hours on routine 15.75 → 2.45.
    assert comparison.demand_met_pct.b == 100
    assert comparison.demand_met_pct.diff == pytest.approx(100 - 100 * 87.75 / 92)
    assert comparison.skilled_hours_on_routine.diff == pytest.approx(2.45 - 15.75)
    assert comparison.unmet_hours_by_tier["routine"].diff == pytest.approx(-4.25)
    assert comparison.warnings == []


def test_compare_targets_met_in_a_and_b():
    targets = [target("psw", "min_fte", "at_least", 1, role_slug="peer-support-worker")]
    a = calculate(replace(cmht(with_new_roles=False), targets=targets))
    b = calculate(replace(cmht(with_new_roles=True), targets=targets))
    comparison = compare(a, b)
    (psw,) = comparison.targets
    assert (psw.a_status, psw.b_status, psw.changed) == ("not met", "met", True)
    assert (comparison.targets_met.a, comparison.targets_met.b, comparison.targets_met.diff) == (0, 1, 1)


def test_compare_warns_when_plans_are_not_like_for_like():
    a = calculate(cmht(with_new_roles=False))
    b = calculate(replace(cmht(with_new_roles=True), horizon_years=3, assumptions=Assumptions(on_cost_pct=37)))
    assert len(compare(a, b).warnings) == 2


def test_rollup_of_two_teams():
    crisis = calculate(crisis_team())
    community = calculate(cmht(with_new_roles=True))
    organisation = rollup([crisis, community])
    # FTE 15 + 7 = 22; cost 786,961.28 + 353,793.28 = 1,140,754.56.
    assert organisation.teams == 2
    assert organisation.fte == 22
    assert as_dict(organisation)["cost"] == 1_140_754.56
    # Gap: crisis 4.30 ÷ 17.55 + CMHT 0.
    assert organisation.gap_fte == pytest.approx(4.30 / 17.55)
    # Demand 250 + 92 = 342 h, met 245.70 + 92 = 337.70 h: 98.74%.
    assert organisation.demand_met_pct == pytest.approx(100 * 337.70 / 342)
    families = {share.key: share.fte for share in organisation.skill_mix_by_family}
    # Nursing: crisis 12 + CMHT 5 = 17.
    assert families["Nursing and nursing associates"] == 17
    assert families["Peer support and lived experience"] == 1
    assert sum(share.share_pct for share in organisation.skill_mix_by_family) == pytest.approx(100)
    # Registered: 14 + 5 = 19 of 22.
    assert organisation.registered_pct == pytest.approx(100 * 19 / 22)
    assert [row.teams_counted for row in organisation.by_year] == [2] * 6


def test_rollup_by_year_counts_only_teams_covering_each_year():
    early = calculate(replace(cmht(with_new_roles=False), start_year=2024, horizon_years=1))
    late = calculate(replace(cmht(with_new_roles=False), start_year=2025, horizon_years=1))
    rows = rollup([early, late]).by_year
    assert [(row.year, row.teams_counted, row.fte) for row in rows] == [(2024, 1, 5), (2025, 2, 10), (2026, 1, 5)]


def test_rollup_of_no_teams():
    empty = rollup([])
    assert (empty.teams, empty.fte, empty.demand_met_pct, empty.by_year) == (0, 0, None, [])


# --- Shapes and edge cases ---------------------------------------------------------------------------------------


def test_results_serialise_to_json_with_money_in_pence():
    result = calculate(crisis_team())
    data = as_dict(result)
    json.dumps(data)
    json.dumps(as_dict(compare(result, result)))
    json.dumps(as_dict(rollup([result])))
    assert asdict(result)["years"][0]["cost"] == pytest.approx(786_961.28)
    # Inputs are not rounded: 0.785 stays 0.785.
    odd = calculate(replace(crisis_team(), assumptions=Assumptions(productive_fraction=0.785)))
    assert as_dict(odd)["assumptions"]["productive_fraction"] == 0.785


def test_an_empty_plan_has_no_shares_and_no_errors():
    result = calculate(PlanInput(start_year=2025))
    assert result.skill_mix.total_fte == 0
    assert result.skill_mix.registered_pct is None
    assert result.skill_mix.mean_band_label is None
    assert result.allocation.demand_met_pct is None
    assert result.baseline.cost == 0
    json.dumps(as_dict(result))


def test_band_labels():
    assert mean_band_label(rank=5.0) == "5"
    assert mean_band_label(rank=5.4) == "between 5 and 6"
    assert mean_band_label(rank=7.5) == "between 7 and 8a"
    assert mean_band_label(rank=11.2) == "between 8d and 9"
    assert nearest_band_code(rank=7.5) == "8a"
    assert nearest_band_code(rank=8.49) == "8a"


def test_default_assumptions_give_17_55_care_hours_per_fte():
    # 37.5 × 0.78 × 0.6 = 17.55.
    assert care_hours_per_fte_per_week(assumptions=Assumptions()) == pytest.approx(17.55)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: nurse(-1.0), "fte"),
        (lambda: nurse(1.0, band=13), "band"),
        (lambda: nurse(1.0, attrition_pct=120), "attrition_pct"),
        (lambda: nurse(1.0, ceiling=4), "complexity_ceiling"),
        (lambda: demand(4, 10, 1), "tier"),
        (lambda: PlanInput(start_year=2025, horizon_years=11), "horizon_years"),
        (lambda: Assumptions(productive_fraction=0), "productive_fraction"),
        (lambda: PayPoint(band=5, bottom=40_000, top=30_000), "top"),
    ],
)
def test_impossible_inputs_are_refused_when_built(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_inputs_are_frozen_and_sequences_become_tuples():
    staff = nurse(1.0, capabilities=["risk-assessment"])
    built = plan([staff])
    assert built.staff == (staff,)
    assert staff.capabilities == frozenset({"risk-assessment"})
    with pytest.raises(AttributeError):
        staff.fte = 2.0


def test_the_equations_in_the_package_docstring_are_the_ones_in_docs():
    # docs/engine.md repeats the package docstring word for word, so the two cannot drift apart.
    assert planning.engine.__doc__.strip() in DOCS.read_text(encoding="utf-8")

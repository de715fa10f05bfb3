"""Properties of the planning engine that must hold for any plan (hypothesis). No database, nothing from Django.

Plans are costed with the AfC 2025/26 pay points of tests/engine_builders.py, as in the worked examples."""

import json
import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.engine import (
    COMPLEX,
    MODERATE,
    ROUTINE,
    TIERS_HARDEST_FIRST,
    Assumptions,
    DemandLine,
    PlanInput,
    StaffLine,
    as_dict,
    calculate,
    compare,
    rollup,
)
from planning.engine.allocation import allocate
from tests.engine_builders import PAY

MODEST = settings(max_examples=100, deadline=None)  # the properties the engine is specified by
LIGHT = settings(max_examples=50, deadline=None)  # extra checks of bookkeeping
EPSILON = 1e-6


@pytest.fixture(autouse=True)
def plain_static_storage():
    """Replaces tests/conftest.py's fixture of the same name, which needs pytest-django's `settings`: these tests
    touch no templates or static files, and must also run with `-p no:django`."""


ROLES = ("mental-health-nurse", "peer-support-worker", "social-worker", "clinical-psychologist", "support-worker")
FAMILIES = ("Nursing", "Peer support", "Social work", "Psychological professions", "Support roles")


def hundredths(maximum):
    """Numbers to two decimal places from 0 to `maximum`, as the database stores them (cheaper to draw than floats)."""
    return st.integers(min_value=0, max_value=maximum * 100).map(lambda value: value / 100)


fte = hundredths(20)
hours = hundredths(20)
pct = hundredths(100)


# Few draws per line keep generation fast: flags and small sets come from one choice each.
FLAGS = tuple((registered, new_role, clinical) for registered in (0, 1) for new_role in (0, 1) for clinical in (1, 0))
SUPERVISORS = (frozenset(), frozenset({"clinical-psychologist"}), frozenset({"mental-health-nurse", "social-worker"}))
CAPABILITIES = (frozenset(), frozenset({"risk-assessment"}), frozenset({"risk-assessment", "prescribing"}))


@st.composite
def staff_lines(draw, *, supply=True):
    role = draw(st.integers(min_value=0, max_value=len(ROLES) - 1))
    registered, new_role, clinical = draw(st.sampled_from(FLAGS))
    return StaffLine(
        role_slug=ROLES[role],
        role_name=ROLES[role],
        family=FAMILIES[role],
        band=draw(st.integers(min_value=2, max_value=12)),
        fte=draw(fte),
        establishment_fte=draw(st.none() | fte),
        registered=bool(registered),
        new_role=bool(new_role),
        clinical=bool(clinical),
        attrition_pct=draw(pct) if supply else 0.0,
        trainees=draw(fte) if supply else 0.0,
        trainee_completion_year=draw(st.none() | st.integers(min_value=2024, max_value=2036)) if supply else None,
        recruitment_fte_per_year=draw(fte) if supply else 0.0,
        complexity_ceiling=draw(st.sampled_from((ROUTINE, MODERATE, COMPLEX))),
        supervision_hours_per_month=draw(st.none() | hours),
        supervisor_role_slugs=SUPERVISORS[role % len(SUPERVISORS)],
        capabilities=draw(st.sampled_from(CAPABILITIES)),
    )


demand_lines = st.builds(
    DemandLine,
    tier=st.sampled_from((ROUTINE, MODERATE, COMPLEX)),
    caseload=st.integers(min_value=0, max_value=300),
    hours_per_person_per_week=hours,
)
assumptions = st.builds(
    Assumptions,
    contract_hours=st.floats(min_value=7.5, max_value=48),
    productive_fraction=st.floats(min_value=0.1, max_value=1),
    direct_care_fraction=st.floats(min_value=0.1, max_value=1),
    demand_growth_pct=st.floats(min_value=-20, max_value=20),
    on_cost_pct=st.floats(min_value=0, max_value=40),
    supervision_fraction=st.floats(min_value=0, max_value=1),
    pay_growth_pct=st.floats(min_value=0, max_value=20),
)


@st.composite
def plans(draw, *, supply=True):
    return PlanInput(
        start_year=2025,
        horizon_years=draw(st.integers(min_value=1, max_value=10)),
        population=draw(st.none() | st.integers(min_value=0, max_value=2_000_000)),
        assumptions=draw(assumptions),
        staff=draw(st.lists(staff_lines(supply=supply), max_size=8)),
        demand=draw(st.lists(demand_lines, max_size=4)),
        pay_points=PAY,
    )


def unmet_by_tier(plan):
    allocation = allocate(staff=plan.staff, demand=plan.demand, assumptions=plan.assumptions)
    return {tier.tier: tier.unmet_hours for tier in allocation.tiers}


@MODEST
@given(plans())
def test_allocated_plus_unmet_is_demand_in_every_tier_and_every_year(plan):
    result = calculate(plan)
    for year in result.years:
        for tier in year.tiers:
            assert tier.allocated_hours >= -EPSILON
            assert tier.unmet_hours >= 0
            assert tier.allocated_hours + tier.unmet_hours == pytest.approx(tier.demand_hours, abs=EPSILON)


@LIGHT
@given(plans())
def test_every_capacity_hour_is_allocated_within_its_ceiling_or_idle(plan):
    allocation = calculate(plan).allocation
    for line, staff in zip(allocation.lines, plan.staff, strict=True):
        given_out = line.complex_hours + line.moderate_hours + line.routine_hours + line.idle_hours
        assert given_out == pytest.approx(line.capacity_hours, abs=EPSILON)
        assert line.idle_hours >= -EPSILON
        if staff.complexity_ceiling < COMPLEX:
            assert line.complex_hours == 0
        if staff.complexity_ceiling < MODERATE:
            assert line.moderate_hours == 0
    routine = allocation.tier(ROUTINE).allocated_hours
    assert allocation.complex_capable_hours_on_routine <= allocation.skilled_hours_on_routine + EPSILON
    assert allocation.skilled_hours_on_routine <= routine + EPSILON


@MODEST
@given(plans())
def test_greedy_allocation_meets_the_max_flow_bound(plan):
    # With nested ceilings, the most hours any allocation can meet is
    # min(D1+D2+D3, D1+D2+K3, D1+K2+K3, K1+K2+K3), K_c = capacity of lines whose ceiling is exactly c;
    # and the complex tier gets min(D3, K3).
    allocation = calculate(plan).allocation
    demand = {tier.tier: tier.demand_hours for tier in allocation.tiers}
    capacity = dict.fromkeys(TIERS_HARDEST_FIRST, 0.0)
    for line in allocation.lines:
        capacity[line.complexity_ceiling] += line.capacity_hours
    d1, d2, d3 = demand[ROUTINE], demand[MODERATE], demand[COMPLEX]
    k1, k2, k3 = capacity[ROUTINE], capacity[MODERATE], capacity[COMPLEX]
    best = min(d1 + d2 + d3, d1 + d2 + k3, d1 + k2 + k3, k1 + k2 + k3)
    assert allocation.allocated_hours == pytest.approx(best, abs=1e-6)
    assert allocation.tier(COMPLEX).allocated_hours == pytest.approx(min(d3, k3), abs=1e-6)


@MODEST
@given(plans(), staff_lines())
def test_adding_any_line_never_increases_unmet_demand_in_any_tier(plan, extra):
    before = unmet_by_tier(plan)
    for position in (0, len(plan.staff)):
        staff = list(plan.staff)
        staff.insert(position, extra)
        after = unmet_by_tier(replace(plan, staff=staff))
        for tier in TIERS_HARDEST_FIRST:
            assert after[tier] <= before[tier] + EPSILON


@MODEST
@given(plans(supply=False))
def test_no_attrition_recruitment_or_trainees_keeps_fte_constant(plan):
    result = calculate(plan)
    baseline = result.baseline
    for year in result.years:
        assert year.fte == baseline.fte
        assert year.fte_by_role == baseline.fte_by_role
        assert year.vacancies_fte == baseline.vacancies_fte


def doubled(line):
    return replace(
        line,
        fte=2 * line.fte,
        establishment_fte=None if line.establishment_fte is None else 2 * line.establishment_fte,
        trainees=2 * line.trainees,
        recruitment_fte_per_year=2 * line.recruitment_fte_per_year,
    )


@MODEST
@given(plans())
def test_cost_scales_linearly_with_fte(plan):
    single = calculate(plan)
    double = calculate(replace(plan, staff=[doubled(line) for line in plan.staff]))
    for one, two in zip(single.years, double.years, strict=True):
        assert two.fte == pytest.approx(2 * one.fte, rel=1e-9, abs=1e-9)
        assert two.cost == pytest.approx(2 * one.cost, rel=1e-9, abs=1e-6)
    assert double.cost_over_horizon == pytest.approx(2 * single.cost_over_horizon, rel=1e-9, abs=1e-6)


@MODEST
@given(plans())
def test_percentages_are_between_0_and_100(plan):
    result = calculate(plan)
    for year in result.years:
        for value in (year.demand_met_pct, *(tier.met_pct for tier in year.tiers)):
            assert value is None or -EPSILON <= value <= 100 + EPSILON
        assert year.gap_fte >= 0
        assert year.vacancies_fte >= 0
    mix = result.skill_mix
    for value in (mix.registered_pct, mix.new_role_pct, mix.band_5_plus_pct, mix.band_8a_plus_pct):
        assert value is None or -EPSILON <= value <= 100 + EPSILON
    if mix.total_fte > 0:
        assert math.fsum(share.share_pct for share in mix.by_family) == pytest.approx(100)
        assert math.fsum(share.share_pct for share in mix.by_band) == pytest.approx(100)
        assert 2 <= mix.mean_band_rank <= 12


@LIGHT
@given(plans())
def test_supervision_adds_up(plan):
    supervision = calculate(plan).supervision
    assert supervision.covered_hours + supervision.shortfall_hours == pytest.approx(supervision.need_hours, abs=EPSILON)
    assert supervision.covered_hours <= supervision.capacity_hours + EPSILON
    assert supervision.unsupervised_need_hours <= supervision.shortfall_hours + EPSILON
    assert supervision.spare_hours >= -EPSILON


@LIGHT
@given(plans())
def test_results_are_json_safe_and_a_plan_compared_with_itself_differs_by_nothing(plan):
    result = calculate(plan)
    json.dumps(as_dict(result))
    comparison = compare(result, result)
    json.dumps(as_dict(comparison))
    for role in comparison.roles:
        assert role.baseline_fte.diff == 0 and role.final_fte.diff == 0
    assert comparison.cost.diff == 0 and comparison.cost_over_horizon.diff == 0
    assert not any(target.changed for target in comparison.targets)


@LIGHT
@given(st.lists(plans(), min_size=1, max_size=4))
def test_rollup_sums_its_teams(plan_list):
    results = [calculate(plan) for plan in plan_list]
    total = rollup(results)
    assert total.teams == len(results)
    assert total.fte == pytest.approx(math.fsum(result.baseline.fte for result in results))
    assert total.cost == pytest.approx(math.fsum(result.baseline.cost for result in results))
    assert total.gap_fte == pytest.approx(math.fsum(result.allocation.gap_fte for result in results))
    assert math.fsum(share.fte for share in total.skill_mix_by_family) == pytest.approx(total.fte)
    json.dumps(as_dict(total))

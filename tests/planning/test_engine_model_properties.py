"""Properties of the planning model's experience, capability and supervision rules (hypothesis), for any plan.

No database, nothing from Django. Plans are costed with the AfC 2025/26 pay points of tests/engine_builders.py."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.engine import (
    COMPLEX,
    MODERATE,
    ROUTINE,
    TIERS_HARDEST_FIRST,
    CapabilityRequirement,
    CoverRule,
    DemandLine,
    PlanInput,
    StaffLine,
    calculate,
)
from tests.engine_builders import PAY

MODEST = settings(max_examples=100, deadline=None)
EPSILON = 1e-6

# (slug, family, registered) — the first three may supervise; the others need supervision from some of them.
ROLES = (
    ("clinical-psychologist", "Psychological professions", True),
    ("mental-health-nurse", "Nursing", True),
    ("social-worker", "Social work", True),
    ("peer-support-worker", "Peer support", False),
    ("mental-health-and-wellbeing-practitioner", "Psychological professions", False),
)
SUPERVISORS = {
    "peer-support-worker": frozenset({"clinical-psychologist", "mental-health-nurse"}),
    "mental-health-and-wellbeing-practitioner": frozenset({"clinical-psychologist"}),
}
BANDS = (3, 4, 5, 6, 7, 8, 9, 12, 20, 23, 25)


@pytest.fixture(autouse=True)
def plain_static_storage():
    """Replaces tests/conftest.py's fixture of the same name, which needs pytest-django's `settings`: these tests
    touch no templates or static files, and must also run with `-p no:django`."""


def ceiling_for(band):
    """A monotone band → ceiling rule: routine up to band 3, moderate at bands 4–5, complex from band 6 (and every
    medical grade)."""
    if band <= 3:
        return ROUTINE
    return MODERATE if band <= 5 else COMPLEX


def hundredths(maximum):
    return st.integers(min_value=0, max_value=maximum * 100).map(lambda value: value / 100)


@st.composite
def staff_lines(draw, *, role=None):
    slug, family, registered = ROLES[draw(st.integers(min_value=0, max_value=len(ROLES) - 1))] if role is None else role
    band = draw(st.sampled_from(BANDS))
    fte = draw(hundredths(8))
    supervised = slug in SUPERVISORS
    return StaffLine(
        role_slug=slug,
        role_name=slug,
        family=family,
        band=band,
        fte=fte,
        registered=registered,
        attrition_pct=draw(hundredths(30)),
        trainees=draw(hundredths(3)),
        trainee_completion_year=draw(st.none() | st.integers(min_value=2025, max_value=2031)),
        recruitment_fte_per_year=draw(hundredths(2)),
        complexity_ceiling=ceiling_for(band),
        declared_capabilities={"independent-prescribing": draw(hundredths(10))} if registered else {},
        supervision_hours_per_month=draw(hundredths(8)) if supervised else None,
        supervisor_role_slugs=SUPERVISORS.get(slug, frozenset()),
    )


demand_lines = st.builds(
    DemandLine,
    tier=st.sampled_from((ROUTINE, MODERATE, COMPLEX)),
    caseload=st.integers(min_value=0, max_value=200),
    hours_per_person_per_week=hundredths(12),
)


# Staff on shift × 3 eight-hour shifts, every day.
covers = st.builds(CoverRule, staff_on_shift=hundredths(3), shifts_per_day=st.just(3), shift_hours=st.just(8))


@st.composite
def plans(draw):
    return PlanInput(
        start_year=2025,
        horizon_years=draw(st.integers(min_value=1, max_value=5)),
        staff=draw(st.lists(staff_lines(), max_size=8)),
        demand=draw(st.lists(demand_lines, max_size=4)),
        pay_points=PAY,
        cover=draw(st.none() | covers),
        capability_requirements=[
            CapabilityRequirement(capability_slug="independent-prescribing", name="Independent prescribing", min_fte=1)
        ],
    )


def line_figures(result, line_index):
    """Everything the results say about one line: its allocation in year 0 and its figures in every year."""
    allocation = next(line for line in result.allocation.lines if line.line_index == line_index)
    years = [next(line for line in year.lines if line.line_index == line_index) for year in result.years]
    return (
        (allocation.complex_hours, allocation.moderate_hours, allocation.routine_hours, allocation.idle_hours),
        [(line.fte, line.vacancies_fte, line.leavers_fte, line.declared_capabilities, line.cost) for line in years],
    )


@MODEST
@given(plans(), st.randoms(use_true_random=False))
def test_allocation_and_per_line_figures_do_not_depend_on_line_order(plan, rng):
    order = list(range(len(plan.staff)))
    rng.shuffle(order)
    original = calculate(plan)
    shuffled = calculate(replace(plan, staff=[plan.staff[index] for index in order]))
    # Line `position` of the shuffled plan is line order[position] of the original: identical figures.
    for position, index in enumerate(order):
        assert line_figures(shuffled, position) == line_figures(original, index)
    for before, after in zip(original.years, shuffled.years, strict=True):
        for tier_before, tier_after in zip(before.tiers, after.tiers, strict=True):
            assert tier_after.unmet_hours == pytest.approx(tier_before.unmet_hours, abs=EPSILON)
        assert after.supervision.shortfall_hours == pytest.approx(before.supervision.shortfall_hours, abs=EPSILON)
        assert after.gap_fte == pytest.approx(before.gap_fte, abs=EPSILON)


@MODEST
@given(plans(), st.data())
def test_moving_a_line_to_a_higher_band_never_reduces_complex_hours_met(plan, data):
    if not plan.staff:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(plan.staff) - 1))
    line = plan.staff[index]
    higher = data.draw(st.sampled_from([band for band in BANDS if band > line.band] or [line.band]))
    staff = list(plan.staff)
    staff[index] = replace(line, band=higher, complexity_ceiling=ceiling_for(higher))
    before = calculate(plan).allocation.tier(COMPLEX).allocated_hours
    after = calculate(replace(plan, staff=staff)).allocation.tier(COMPLEX).allocated_hours
    assert after >= before - EPSILON


@MODEST
@given(plans())
def test_allocated_plus_unmet_is_demand_per_tier_and_per_line_hours_add_up(plan):
    result = calculate(plan)
    allocation = result.allocation
    for tier in allocation.tiers:
        assert tier.allocated_hours + tier.unmet_hours == pytest.approx(tier.demand_hours, abs=EPSILON)
    by_tier = {COMPLEX: "complex_hours", MODERATE: "moderate_hours", ROUTINE: "routine_hours"}
    for tier, name in by_tier.items():
        given_out = sum(getattr(line, name) for line in allocation.lines)
        assert given_out == pytest.approx(allocation.tier(tier).allocated_hours, abs=EPSILON)


@MODEST
@given(plans(), staff_lines())
def test_adding_staff_never_increases_unmet_demand_in_any_tier(plan, extra):
    before = calculate(plan).allocation
    after = calculate(replace(plan, staff=[*plan.staff, extra])).allocation
    for tier in TIERS_HARDEST_FIRST:
        assert after.tier(tier).unmet_hours <= before.tier(tier).unmet_hours + EPSILON


@MODEST
@given(plans())
def test_need_gap_and_surplus_follow_their_definitions_every_year(plan):
    for year in calculate(plan).years:
        assert year.need_fte == pytest.approx(max(year.demand_need_fte, year.cover_need_fte))
        assert year.gap_fte == pytest.approx(max(year.demand_gap_fte, year.cover_gap_fte))
        assert year.gap_fte >= 0 and year.surplus_fte >= 0
        assert year.surplus_fte <= year.clinical_fte + EPSILON
        assert year.vacancies_fte - year.over_establishment_fte == pytest.approx(year.establishment_fte - year.fte)


@MODEST
@given(plans())
def test_supervision_covered_is_within_need_and_pools_every_year(plan):
    for year in calculate(plan).years:
        supervision = year.supervision
        assert supervision.covered_hours <= supervision.need_hours + EPSILON
        assert supervision.covered_hours <= supervision.capacity_hours + EPSILON
        assert supervision.covered_hours + supervision.shortfall_hours == pytest.approx(supervision.need_hours)
        for role in supervision.roles:
            assert role.covered_hours <= min(role.need_hours, role.capacity_hours) + EPSILON
        for pool in supervision.supervisors:
            assert pool.used_hours <= pool.capacity_hours + EPSILON


@MODEST
@given(plans(), st.sampled_from(ROLES[:2]), st.data())
def test_adding_a_supervisor_never_increases_the_shortfall(plan, role, data):
    extra = data.draw(staff_lines(role=role))
    before = calculate(plan)
    after = calculate(replace(plan, staff=[*plan.staff, extra]))
    for year_before, year_after in zip(before.years, after.years, strict=True):
        assert year_after.supervision.shortfall_hours <= year_before.supervision.shortfall_hours + EPSILON


@MODEST
@given(plans())
def test_capability_available_never_exceeds_the_teams_fte(plan):
    for year in calculate(plan).years:
        for coverage in year.capability_coverage:
            assert coverage.available_fte <= year.fte + EPSILON
        for line in year.lines:
            for declared in line.declared_capabilities.values():
                assert declared <= line.fte + EPSILON

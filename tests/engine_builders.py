"""Builders of planning engine inputs, shared by the engine's tests and its benchmark.

Used by tests/planning/test_engine.py, tests/planning/test_engine_properties.py and bench/engine_bench.py. Plain
functions over `planning.engine`: nothing from Django and no database, so the engine tests also run with
`-p no:django` and the benchmark runs without settings.

Pay is Agenda for Change 2025/26 (docs/reference/planning.md §3, from
https://nhstakehomepaycalculator.co.uk/guides/nhs-pay-bands-2025-26).
"""

import random

from planning.engine import (
    COMPLEX,
    MODERATE,
    ROUTINE,
    Assumptions,
    CapabilityRequirement,
    CoverRule,
    DemandLine,
    PayPoint,
    PlanInput,
    StaffLine,
    Target,
)

# AfC 2025/26, band rank → (bottom, top) in £ a year; ranks 8–12 are bands 8a–8d and 9.
AFC_2025_26 = {
    2: (24_465, 24_465),
    3: (24_937, 26_598),
    4: (27_485, 30_162),
    5: (31_049, 37_796),
    6: (38_682, 46_580),
    7: (47_810, 54_710),
    8: (55_690, 62_682),
    9: (64_455, 74_896),
    10: (76_965, 88_682),
    11: (91_342, 105_337),
    12: (109_179, 125_637),
}
PAY = tuple(PayPoint(band=band, bottom=bottom, top=top) for band, (bottom, top) in AFC_2025_26.items())


# --- One line, one demand tier, one target, one plan --------------------------------------------------------------


def line(role_slug, *, band, fte, ceiling=COMPLEX, family=None, role_name=None, **extra):
    """A staffing line; the role name defaults to the slug in words ("mental-health-nurse" → "Mental health nurse")."""
    return StaffLine(
        role_slug=role_slug,
        role_name=role_name or role_slug.replace("-", " ").capitalize(),
        family=family or "Nursing and nursing associates",
        band=band,
        fte=fte,
        complexity_ceiling=ceiling,
        **extra,
    )


def nurse(fte, *, band=6, **extra):
    return line("mental-health-nurse", band=band, fte=fte, registered=True, **extra)


def peer_support_worker(fte=1.0, **extra):
    return line(
        "peer-support-worker",
        band=4,
        fte=fte,
        ceiling=ROUTINE,
        family="Peer support and lived experience",
        new_role=True,
        **extra,
    )


def wellbeing_practitioner(fte=1.0, **extra):
    return line(
        "mental-health-and-wellbeing-practitioner",
        band=5,
        fte=fte,
        ceiling=MODERATE,
        family="Psychological professions",
        new_role=True,
        **extra,
    )


def demand(tier, caseload, hours):
    return DemandLine(tier=tier, caseload=caseload, hours_per_person_per_week=hours)


def target(key, metric, comparator, value, **extra):
    return Target(key=key, label=key, metric=metric, comparator=comparator, value=value, **extra)


def plan(staff, demand=(), **extra):
    """A plan starting in 2025 (unless `start_year` is given) costed at AfC 2025/26."""
    extra.setdefault("start_year", 2025)
    return PlanInput(staff=staff, demand=demand, pay_points=PAY, **extra)


# --- Realistic random teams (the benchmark's inputs) --------------------------------------------------------------

# (slug, family, lowest band, highest band, registered, new role, complexity ceiling, core capabilities, supervisors,
# capabilities a line may declare: they need further training or approval)
ROLES = (
    (
        "mental-health-nurse",
        "Nursing",
        5,
        8,
        True,
        False,
        COMPLEX,
        {"risk-assessment", "care-coordination"},
        (),
        ("independent-prescribing",),
    ),
    (
        "nursing-associate",
        "Nursing",
        4,
        4,
        True,
        True,
        MODERATE,
        {"physical-health-monitoring"},
        ("mental-health-nurse",),
        (),
    ),
    (
        "social-worker",
        "Social work",
        6,
        7,
        True,
        False,
        COMPLEX,
        {"risk-assessment", "care-coordination"},
        (),
        ("amhp",),
    ),
    (
        "occupational-therapist",
        "Allied health professions",
        5,
        7,
        True,
        False,
        COMPLEX,
        {"risk-assessment", "care-coordination"},
        (),
        (),
    ),
    (
        "clinical-psychologist",
        "Psychological professions",
        8,
        9,
        True,
        False,
        COMPLEX,
        {"high-intensity-therapy"},
        (),
        ("approved-clinician",),
    ),
    (
        "mental-health-and-wellbeing-practitioner",
        "Psychological professions",
        5,
        5,
        False,
        True,
        MODERATE,
        {"low-intensity-interventions"},
        ("clinical-psychologist",),
        (),
    ),
    (
        "peer-support-worker",
        "Peer support and lived experience",
        3,
        4,
        False,
        True,
        ROUTINE,
        {"peer-support"},
        ("clinical-psychologist", "mental-health-nurse"),
        (),
    ),
    (
        "support-time-recovery-worker",
        "Support roles",
        3,
        3,
        False,
        False,
        ROUTINE,
        set(),
        ("mental-health-nurse", "occupational-therapist"),
        (),
    ),
    ("mental-health-pharmacist", "Pharmacy", 8, 9, True, False, COMPLEX, {"independent-prescribing"}, (), ()),
    (
        "pharmacy-technician",
        "Pharmacy",
        4,
        5,
        True,
        False,
        ROUTINE,
        {"medicines-optimisation"},
        ("mental-health-pharmacist",),
        (),
    ),
)
CAPABILITIES = sorted({capability for role in ROLES for capability in (*role[7], *role[9])})
# A crisis team's minimum cover: two clinical staff on each of three 7.5-hour shifts, every day (315 h a week).
CRISIS_COVER = CoverRule(staff_on_shift=2, shifts_per_day=3, shift_hours=7.5)


def random_staff_line(rng: random.Random, *, start_year: int, horizon: int) -> StaffLine:
    """A line of one of `ROLES` at a band in its range, with random FTE, vacancies, attrition, supply and, where the
    role may declare a capability, part of its FTE declaring it."""
    slug, family, low, high, registered, new_role, ceiling, capabilities, supervisors, declarable = rng.choice(ROLES)
    fte = round(rng.uniform(0.2, 6.0), 2)
    return line(
        slug,
        band=rng.randint(low, high),
        fte=fte,
        ceiling=ceiling,
        family=family,
        establishment_fte=round(fte + rng.choice((0, 0, 0.5, 1.0)), 2),
        registered=registered,
        new_role=new_role,
        attrition_pct=round(rng.uniform(0, 15), 1),
        trainees=rng.choice((0, 0, 0, 1.0, 2.0)),
        trainee_completion_year=start_year + rng.randint(1, horizon),
        recruitment_fte_per_year=rng.choice((0, 0, 0, 0.2, 0.5)),
        capabilities=frozenset(capabilities),
        declared_capabilities={slug: round(fte * rng.uniform(0, 0.6), 2) for slug in declarable},
        supervision_hours_per_month=rng.choice((2.0, 4.0)) if supervisors else None,
        supervisor_role_slugs=frozenset(supervisors),
    )


def guidance_targets() -> tuple[Target, ...]:
    """One target of each metric the engine knows."""
    return (
        target("total", "total_fte", "at_least", 14),
        target("per-100k", "total_fte_per_100k", "at_least", 9),
        target("caseload", "caseload_per_clinical_fte", "between", 5, value_max=35),
        target("psw", "min_fte", "at_least", 1, role_slug="peer-support-worker"),
        target("nursing", "share_of_fte", "at_least", 30, family="Nursing"),
        target("national", "national_headcount", "at_least", 6500),
    )


def random_plan(rng: random.Random, *, lines: int, horizon: int, name: str) -> PlanInput:
    """A team of `lines` random lines (with declared capabilities and supervision), demand in all three tiers in
    proportion to its size, a capability requirement for every capability of `ROLES`, `guidance_targets()`, the
    crisis team's minimum cover, 2% demand growth and a 3% pay award a year."""
    start_year = 2025
    scale = lines / 15
    population = rng.randint(40_000, 200_000)
    return plan(
        [random_staff_line(rng, start_year=start_year, horizon=horizon) for _ in range(lines)],
        [
            demand(COMPLEX, round(40 * scale), 8.0),
            demand(MODERATE, round(80 * scale), 4.0),
            demand(ROUTINE, round(120 * scale), 2.0),
        ],
        name=name,
        start_year=start_year,
        horizon_years=horizon,
        population=population,
        assumptions=Assumptions(demand_growth_pct=2.0, pay_growth_pct=3.0),
        capability_requirements=[
            CapabilityRequirement(capability_slug=slug, name=slug, min_fte=1.0) for slug in CAPABILITIES
        ],
        targets=guidance_targets(),
        cover=CRISIS_COVER,
    )

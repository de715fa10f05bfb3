"""The frozen input dataclasses `calculate` takes, each checked and converted to float once, when it is built."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from planning.engine.constants import (
    BAND_CODES,
    DEMAND_BASES,
    DEMAND_OWN,
    KIND_CURRENT,
    PAY_MIDPOINT,
    PAY_POINTS,
    PAY_TOP,
    ROUTINE,
    TARGET_KINDS,
    TIER_LABELS,
    TOLERANCE,
    band_code,
)


def _as_float(owner: object, name: str, *, minimum: float | None = 0.0, maximum: float | None = None) -> None:
    value = getattr(owner, name)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"{type(owner).__name__}.{name} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{type(owner).__name__}.{name} must be finite, not {value!r}")
    if minimum is not None and number < minimum:
        raise ValueError(f"{type(owner).__name__}.{name} must be at least {minimum}, not {value!r}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{type(owner).__name__}.{name} must be at most {maximum}, not {value!r}")
    object.__setattr__(owner, name, number)


def _as_optional_float(owner: object, name: str, *, minimum: float | None = 0.0) -> None:
    if getattr(owner, name) is not None:
        _as_float(owner, name, minimum=minimum)


def _as_choice(owner: object, name: str, choices: Iterable[int]) -> None:
    value = getattr(owner, name)
    if isinstance(value, bool) or value not in set(choices):
        raise ValueError(f"{type(owner).__name__}.{name} must be one of {sorted(choices)}, not {value!r}")
    object.__setattr__(owner, name, int(value))


def _as_tuple(owner: object, name: str) -> None:
    object.__setattr__(owner, name, tuple(getattr(owner, name)))


def _as_frozenset(owner: object, name: str) -> None:
    object.__setattr__(owner, name, frozenset(getattr(owner, name)))


@dataclass(frozen=True, kw_only=True)
class Assumptions:
    """The plan's modelling assumptions. Every default is a modelling default, shown to users and editable.

    Sources are the project's research notes, docs/reference/planning.md (section numbers below), which give the
    public page for each figure; docs/engine.md lists them.

    contract_hours = 37.5: the AfC full-time week (docs/reference/planning.md §1.9: 37.5 h × 52.143 weeks ≈ 1,955 h
        a year).
    productive_fraction = 0.78: docs/reference/planning.md §1.9 says establishments allow about 20–25% "headroom"
        for leave, sickness and training [unverified]; 0.78 takes 22% off. Illustration: 27 days' AfC leave + 8 bank
        holidays = 35 × 7.5 h = 262.5 h (13.4% of 1,955 h), plus about 5% sickness and 3.6% training/CPD ≈ 22%.
    direct_care_fraction = 0.6: modelling default [unverified] for the share of productive time spent on caseload
        work (the rest: notes, team meetings, travel, supervision). For scale, qualified mental health and wellbeing
        practitioners are expected to give at least 20 h a week of patient contact (docs/reference/planning.md §2,
        https://www.healthcareers.nhs.uk/explore-roles/psychological-therapies/roles-psychological-therapies/mental-health-and-wellbeing-practitioner)
        — 53% of 37.5 h; the default gives 37.5 × 0.78 × 0.6 = 17.55 h a week per FTE.
    demand_growth_pct = 0: no growth unless the plan says so. (The Long Term Workforce Plan's 4.4% a year is growth
        of the mental health workforce, a supply figure, so it is not used as a demand default;
        docs/reference/planning.md §2.)
    on_cost_pct = 28: employer costs on top of salary as paid locally, from the band 5 worked example in
        docs/reference/planning.md §3: employer NI 15% above £5,000 ≈ 12.8% + the locally paid pension 14.38% +
        apprenticeship levy 0.5% = 27.68% ≈ 28%. The full economic cost including the 9.4% pension paid centrally
        is ≈ 37%; the Skills for Health tool used a flat 23% (2014/15).
    supervision_fraction = 0.1: modelling default [unverified]: a supervisor gives 10% of productive time to
        supervising others (1 FTE ≈ 12.7 h a month with the defaults).
    pay_growth_pct = 0: costs in the constant prices of the plan's pay table year; set it to model pay awards
        (AfC 2025/26 was 3.6%, docs/reference/planning.md §3; 2026/27 is 3.3%, §8).
    pay_point = "midpoint": each grade is costed at the midpoint of its bottom and top; "top" costs it at the top
        (a cautious budget, for a team of long-serving staff).
    """

    contract_hours: float = 37.5
    productive_fraction: float = 0.78
    direct_care_fraction: float = 0.6
    demand_growth_pct: float = 0.0
    on_cost_pct: float = 28.0
    supervision_fraction: float = 0.1
    pay_growth_pct: float = 0.0
    pay_point: str = PAY_MIDPOINT

    def __post_init__(self) -> None:
        if self.pay_point not in PAY_POINTS:
            raise ValueError(f"Assumptions.pay_point must be one of {PAY_POINTS}, not {self.pay_point!r}")
        _as_float(self, "contract_hours", minimum=TOLERANCE, maximum=168)
        _as_float(self, "productive_fraction", minimum=TOLERANCE, maximum=1)
        _as_float(self, "direct_care_fraction", minimum=TOLERANCE, maximum=1)
        _as_float(self, "demand_growth_pct", minimum=-99.99)
        _as_float(self, "on_cost_pct", minimum=0)
        _as_float(self, "supervision_fraction", minimum=0, maximum=1)
        _as_float(self, "pay_growth_pct", minimum=-99.99)


@dataclass(frozen=True, kw_only=True)
class StaffLine:
    """FTE of one role at one band in the team, with its supply flows and what the role may do.

    family is the role family's name (or slug): lines are grouped by this string.
    establishment_fte: funded posts; None means "same as FTE in post" (no vacancies at the baseline).
    attrition_pct: share of FTE leaving each year (0–100). trainees: FTE in training who join in
    trainee_completion_year. complexity_ceiling: highest tier the role may hold a caseload for (the default,
    routine, is the cautious one; pass the role's catalogue ceiling).
    capabilities: the role's core capabilities, held by every FTE of the line. declared_capabilities: capability
    slug → FTE of the line holding a capability that needs further training or approval (prescribing, approved
    clinician, AMHP…); only that FTE counts for it (capped at the line's FTE).
    supervision_hours_per_month: supervision each FTE of this line needs (None: not modelled).
    supervisor_role_slugs: roles that may give that supervision. clinical: counts towards clinical FTE
    (caseload per clinical FTE) and gives care capacity; set False for administrative posts.
    """

    role_slug: str
    role_name: str
    family: str
    band: int
    fte: float
    establishment_fte: float | None = None
    registered: bool = False
    new_role: bool = False
    attrition_pct: float = 0.0
    trainees: float = 0.0
    trainee_completion_year: int | None = None
    recruitment_fte_per_year: float = 0.0
    complexity_ceiling: int = ROUTINE
    capabilities: frozenset[str] = frozenset()
    declared_capabilities: Mapping[str, float] = field(default_factory=dict)
    supervision_hours_per_month: float | None = None
    supervisor_role_slugs: frozenset[str] = frozenset()
    clinical: bool = True

    def __post_init__(self) -> None:
        _as_choice(self, "band", BAND_CODES)
        _as_float(self, "fte")
        _as_optional_float(self, "establishment_fte")
        _as_float(self, "attrition_pct", maximum=100)
        _as_float(self, "trainees")
        if self.trainee_completion_year is not None and (
            isinstance(self.trainee_completion_year, bool) or not isinstance(self.trainee_completion_year, int)
        ):
            raise TypeError(
                f"StaffLine.trainee_completion_year must be an int or None, not {self.trainee_completion_year!r}"
            )
        _as_float(self, "recruitment_fte_per_year")
        _as_choice(self, "complexity_ceiling", TIER_LABELS)
        _as_frozenset(self, "capabilities")
        declared = {}
        for slug, fte in dict(self.declared_capabilities).items():
            number = float(fte) if isinstance(fte, int | float | Decimal) and not isinstance(fte, bool) else None
            if number is None or not math.isfinite(number) or number < 0:
                raise ValueError(f"StaffLine.declared_capabilities[{slug!r}] must be a number ≥ 0, not {fte!r}")
            declared[slug] = number
        object.__setattr__(self, "declared_capabilities", declared)
        _as_optional_float(self, "supervision_hours_per_month")
        _as_frozenset(self, "supervisor_role_slugs")

    @property
    def band_code(self) -> str:
        return band_code(self.band)

    @property
    def funded_fte(self) -> float:
        return self.fte if self.establishment_fte is None else self.establishment_fte


@dataclass(frozen=True, kw_only=True)
class DemandLine:
    """People on the caseload in one complexity tier and the care hours each needs a week."""

    tier: int
    caseload: float
    hours_per_person_per_week: float

    def __post_init__(self) -> None:
        _as_choice(self, "tier", TIER_LABELS)
        _as_float(self, "caseload")
        _as_float(self, "hours_per_person_per_week", maximum=168)

    @property
    def hours_per_week(self) -> float:
        return self.caseload * self.hours_per_person_per_week


@dataclass(frozen=True, kw_only=True)
class DemandRate:
    """A team type's reference demand in one tier: caseload per 100,000 population and care hours per person a week,
    with its source (or marked as a modelling default). A plan whose demand basis is "population" derives its demand
    lines from these: caseload = population × caseload_per_100k ÷ 100,000."""

    tier: int
    caseload_per_100k: float
    hours_per_person_per_week: float
    source_label: str = ""
    source_url: str = ""
    modelling_default: bool = True

    def __post_init__(self) -> None:
        _as_choice(self, "tier", TIER_LABELS)
        _as_float(self, "caseload_per_100k")
        _as_float(self, "hours_per_person_per_week", maximum=168)


@dataclass(frozen=True, kw_only=True)
class CoverRule:
    """Minimum cover for a team open around the clock: clinical staff on each shift × shifts a day × hours a shift,
    seven days a week. cover hours a week = staff_on_shift × shifts_per_day × shift_hours × 7."""

    staff_on_shift: float
    shifts_per_day: int
    shift_hours: float
    note: str = ""
    source_url: str = ""
    modelling_default: bool = True

    def __post_init__(self) -> None:
        _as_float(self, "staff_on_shift")
        _as_choice(self, "shifts_per_day", range(1, 7))
        _as_float(self, "shift_hours", minimum=TOLERANCE, maximum=24)

    @property
    def hours_per_week(self) -> float:
        return self.staff_on_shift * self.shifts_per_day * self.shift_hours * 7


@dataclass(frozen=True, kw_only=True)
class PayPoint:
    """A pay grade's bottom and top annual salary (£): an AfC band or a medical grade. Costs use the midpoint or
    the top, as the plan's `pay_point` says. `note` says where a figure is not confirmed or comes from another
    year; it is shown beside the cost."""

    band: int
    bottom: float
    top: float
    note: str = ""

    def __post_init__(self) -> None:
        _as_choice(self, "band", BAND_CODES)
        _as_float(self, "bottom")
        _as_float(self, "top", minimum=self.bottom)

    @property
    def midpoint(self) -> float:
        return (self.bottom + self.top) / 2

    def pay(self, pay_point: str = PAY_MIDPOINT) -> float:
        """The salary costs use: the midpoint of the grade, or its top."""
        return self.top if pay_point == PAY_TOP else self.midpoint


@dataclass(frozen=True, kw_only=True)
class CapabilityRequirement:
    """A capability the team type needs, and the minimum FTE able to deliver it."""

    capability_slug: str
    name: str
    min_fte: float

    def __post_init__(self) -> None:
        _as_float(self, "min_fte")


@dataclass(frozen=True, kw_only=True)
class Target:
    """A guidance figure to check the plan against (see the package docstring, section 7, for metrics).

    value_max is only for `between`. The scope fields (role_slug, family, capability_slug: the ones a guidance
    target in the database can name) select lines for `min_fte` and `share_of_fte`. Unknown metrics or comparators
    are kept and reported as "not applicable", so a new kind of target in the database never breaks a dashboard.
    """

    key: str
    label: str
    metric: str
    comparator: str
    value: float
    value_max: float | None = None
    role_slug: str | None = None
    family: str | None = None
    capability_slug: str | None = None
    source_url: str = ""
    source_label: str = ""
    year: str = ""
    kind: str = KIND_CURRENT
    reference_population: int | None = None

    def __post_init__(self) -> None:
        _as_float(self, "value", minimum=None)
        _as_optional_float(self, "value_max", minimum=None)
        if self.kind not in TARGET_KINDS:
            raise ValueError(f"Target.kind must be one of {TARGET_KINDS}, not {self.kind!r}")
        if self.reference_population is not None and (
            isinstance(self.reference_population, bool)
            or not isinstance(self.reference_population, int)
            or self.reference_population <= 0
        ):
            raise ValueError(
                f"Target.reference_population must be a whole number > 0, not {self.reference_population!r}"
            )

    @property
    def has_scope(self) -> bool:
        return any(item is not None for item in (self.role_slug, self.family, self.capability_slug))


@dataclass(frozen=True, kw_only=True)
class PlanInput:
    """Everything `calculate` needs for one team's plan."""

    start_year: int
    horizon_years: int = 5
    name: str = ""
    population: int | None = None
    assumptions: Assumptions = field(default_factory=Assumptions)
    staff: Sequence[StaffLine] = ()
    demand: Sequence[DemandLine] = ()
    pay_points: Sequence[PayPoint] = ()
    capability_requirements: Sequence[CapabilityRequirement] = ()
    targets: Sequence[Target] = ()
    demand_basis: str = DEMAND_OWN
    demand_rates: Sequence[DemandRate] = ()
    cover: CoverRule | None = None

    def __post_init__(self) -> None:
        _as_choice(self, "horizon_years", range(1, 11))
        if self.demand_basis not in DEMAND_BASES:
            raise ValueError(f"PlanInput.demand_basis must be one of {DEMAND_BASES}, not {self.demand_basis!r}")
        if isinstance(self.start_year, bool) or not isinstance(self.start_year, int):
            raise TypeError(f"PlanInput.start_year must be an int, not {self.start_year!r}")
        if self.population is not None and (
            isinstance(self.population, bool) or not isinstance(self.population, int) or self.population < 0
        ):
            raise ValueError(f"PlanInput.population must be a whole number ≥ 0 or None, not {self.population!r}")
        for name in ("staff", "demand", "pay_points", "capability_requirements", "targets", "demand_rates"):
            _as_tuple(self, name)

    @property
    def end_year(self) -> int:
        return self.start_year + self.horizon_years

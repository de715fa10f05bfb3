"""Workforce planning engine: pure calculations for one team's plan, scenario comparison and organisation roll-up.

No Django, no ORM, standard library only. Callers (views, services, exports) turn model instances into the
frozen input dataclasses below, call `calculate(plan)` and render the output dataclasses (or `as_dict(result)`,
which is JSON-safe). Every figure is reproducible by hand from the inputs with the equations in this docstring.

Numbers
=======
All arithmetic is in binary floating point (`float`). Inputs may be given as `int`, `float` or `Decimal` (the
ORM's type); each numeric input field is converted with `float()` when the dataclass is built. Nothing is
rounded inside the engine. Rounding happens only at presentation: `as_dict()` rounds money to pence and hours,
FTE and percentages to 2 decimal places. Float error on these magnitudes (≤ £10⁸, ≤ 10⁶ hours) is below
10⁻⁶, far under a penny, so Decimal would add cost without changing a single displayed figure.

Units: FTE (1.0 = one full-time post), hours per week for care capacity and demand, hours per month for
supervision, £ per year for pay and cost, percentages as 0–100 (fields ending `_pct`), fractions as 0–1
(fields ending `_fraction`). Agenda for Change (AfC) bands are integer ranks so that they order correctly:
2–7 are bands 2–7, 8 = 8a, 9 = 8b, 10 = 8c, 11 = 8d, 12 = band 9. Complexity tiers are 1 routine,
2 moderate, 3 complex. A role's complexity ceiling is the highest tier it may hold a caseload for.

Assumptions (each a named input with a modelling default; sources in `Assumptions`)
===================================================================================
    contract_hours        C  = 37.5   hours in an AfC full-time week
    productive_fraction   p  = 0.78   share of contracted time left after leave, bank holidays, sickness, training
    direct_care_fraction  d  = 0.60   share of productive time spent on caseload (direct) work
    demand_growth_pct     g  = 0      demand growth a year, compounding
    on_cost_pct           o  = 28     employer on-costs on top of salary
    supervision_fraction  s  = 0.10   share of a supervisor's productive time available to supervise others
    pay_growth_pct        w  = 0      pay award a year, compounding (0 = constant prices of the pay table)

Equations
=========
Capacity.  Care hours a week one FTE gives:  h = C × p × d   (defaults: 37.5 × 0.78 × 0.6 = 17.55 h/week).
    A staffing line with FTE f gives  capacity = f × h  hours a week; a non-clinical line (clinical=False, for
    example administration) gives none, though it still counts in FTE, skill mix and cost.

1. Skill mix (baseline FTE; f_i is line i's FTE, F = Σ f_i).
    FTE by family and by band are sums of f_i; each share = 100 × group FTE ÷ F.
    registered_pct = 100 × Σ f_i[registered] ÷ F;   new_role_pct = 100 × Σ f_i[new role] ÷ F.
    band_5_plus_pct, band_8a_plus_pct: share of FTE at band ≥ 5 and ≥ 8a (the "senior" and "very senior"
    shares of the Skills for Health reconfiguration tool).
    registered_to_unregistered_ratio = Σ f[registered] ÷ Σ f[not registered] (the Calderdale skill-mix ratio).
    mean band (the skill-mix index, FTE-weighted mean rank):  b̄ = Σ f_i × rank_i ÷ F.  Labelled "5" when b̄ is a
    whole rank, otherwise "between 5 and 6" (floor and ceiling codes, e.g. "between 7 and 8a"); also given as
    the nearest band code (b̄ rounded half up). Shares and the mean are None when F = 0. Sections 1, 2 and 4 describe
    the baseline (FTE in post); section 5 projects FTE, and targets (6) are judged at both ends.

2. Capability coverage.  For each required capability k:  available_k = Σ f_i over lines whose role has k.
    met when available_k ≥ min_fte_k (tolerance 10⁻⁹);  short_by_k = max(0, min_fte_k − available_k).

3. Matching experience to complexity.  Demand hours a week in tier t:  D_t = Σ caseload × hours per person a week.
    Allocation (greedy, complex tier first):
        for t in (3 complex, 2 moderate, 1 routine):
            for each line able to serve t (ceiling ≥ t), lowest ceiling first (then lowest band, then input order):
                take = min(line's remaining capacity, D_t still unmet);  give it to tier t.
    So complex work goes only to ceiling-3 lines; moderate work goes to ceiling-2 lines before ceiling-3 lines;
    routine work goes to ceiling-1 lines first, then ceiling-2, then ceiling-3.
    Per tier:  allocated_t + unmet_t = D_t;  met_pct_t = 100 × allocated_t ÷ D_t (None when D_t = 0);
               gap_fte_t = unmet_t ÷ h.
    Totals add the tiers; idle hours = capacity not allocated.
    Skilled hours on routine work = routine hours given to lines with ceiling > 1 (work a routine-ceiling role could
    do); complex-capable hours on routine = the part from ceiling-3 lines.
    Why the greedy is right: the sets of lines able to serve each tier are nested (complex ⊂ moderate ⊂ routine),
    so serving the most restricted tier first maximises the total met and, lexicographically, complex first then
    moderate: allocated_3 = min(D_3, K_3) where K_c is the capacity of lines with ceiling exactly c, and the total
    met equals the max-flow bound min(D_1+D_2+D_3, D_1+D_2+K_3, D_1+K_2+K_3, K_1+K_2+K_3) (tested). Consequences worth
    knowing: complex unmet depends only on complex-capable capacity (adding routine or moderate roles cannot change
    it); adding any line never increases unmet hours in any tier. Within a tier the lowest ceiling goes first so
    that senior staff stay free for the tiers only they can serve.

4. Supervision (hours a month).  Need of supervised role r (lines with supervision_hours_per_month set):
        need_r = Σ f_i × supervision_hours_per_month_i over r's lines.
    Capacity (pool) of supervising role s, if any line of s is in the team with FTE > 0 (F_s = all of s's FTE):
        pool_s = F_s × C × 52/12 × p × s_frac    (52/12 weeks a month; e.g. 1 FTE: 37.5 × 4.333 × 0.78 × 0.1 = 12.675).
    A pool is shared across the roles that name s as supervisor, in proportion to their need:
        share_{s→r} = pool_s × need_r ÷ Σ_{r' supervised by s} need_r';   capacity_r = Σ_s share_{s→r}.
    covered_r = min(need_r, capacity_r);  shortfall_r = need_r − covered_r.  A role none of whose supervisor roles is
    in the team has capacity 0 and its whole need counts as unsupervised. Overall: need = Σ need_r, capacity = Σ
    pools that supervise someone, covered = Σ covered_r, shortfall = Σ shortfall_r, spare = capacity − covered.

5. Projection, years y_k = start_year + k for k = 0 … horizon (k = 0 is the baseline, the inputs as given).
    Per line, with attrition a (fraction), recruitment R and trainees T completing in year Y_T:
        f_{k+1} = f_k × (1 − a) + R + (T if Y_T = y_{k+1} else 0).
    Trainees whose completion year is at or before the start year are assumed to be in the FTE in post already;
    those completing after the horizon, or with no completion year, do not join (all three are in `warnings`).
    Demand:  D_t(k) = D_t(0) × (1 + g)^k  (caseload grows in step).  Each year re-runs the allocation in 3.
    Per year: demand_met_pct = 100 × Σ allocated ÷ Σ D (None when there is no demand); gap_fte = Σ unmet ÷ h
    (0 when nothing is unmet); vacancies = Σ_i max(0, E_i − f_{i,k}) per line (a surplus in one line does not
    fill a vacancy in another), where E_i is the funded establishment (FTE in post when not given);
    cost = Σ_i f_{i,k} × M_{band_i} × (1 + o) × (1 + w)^k, with M the band midpoint (bottom + top) ÷ 2.
    A line whose band has no pay point is left out of the cost and its FTE is reported as `uncosted_fte`.
    cost_over_horizon = Σ cost for k = 0 … horizon − 1: the horizon's years, each costed at its opening FTE.

6. Targets (evaluated on the baseline and again on the last projected year). Metrics:
        total_fte                    F
        total_fte_per_100k           F ÷ population × 100,000             (not applicable without a population)
        caseload_per_clinical_fte    Σ caseload ÷ Σ f[clinical]           (not applicable with no clinical FTE;
                                     at the horizon the caseload has grown by (1 + g)^horizon)
        min_fte                      Σ f over lines in the target's scope (role, family, capability, registered,
                                     new role: a line counts when it matches every scope field given)
        share_of_fte                 100 × Σ f[scope] ÷ F
        national_headcount           never applicable to one team: a national figure, shown as context
    Comparators: at_least (actual ≥ value), at_most (actual ≤ value), between (value ≤ actual ≤ value_max), each with
    a tolerance of 10⁻⁹. Anything unknown or impossible gives status "not applicable" and a reason, never an error.

7. Comparison  `compare(a, b)`: each figure as (a, b, diff = b − a): FTE by role at the baseline and at the end of the
    horizon, total FTE, cost (baseline year, last year, over the horizon), demand met % and gap FTE (baseline and
    last year), unmet hours by tier, skilled hours on routine work, each target's status in a and in b, and the
    number of targets met. `warnings` says when the plans cover different years or use different assumptions.
    Roll-up  `rollup(results)`: sums over teams' baselines of FTE, establishment, vacancies, cost, gap FTE (staff are
    not shared between teams, so gaps add), unmet hours by tier and skilled hours on routine work; demand met % and
    registered % recomputed from the sums; skill mix by family. `by_year` sums each calendar year over the teams
    whose plans cover it (`teams_counted` says how many).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any

# ---------------------------------------------------------------------------------------------------------------
# Reference values
# ---------------------------------------------------------------------------------------------------------------

ROUTINE, MODERATE, COMPLEX = 1, 2, 3
TIERS_HARDEST_FIRST = (COMPLEX, MODERATE, ROUTINE)
TIER_LABELS = {ROUTINE: "Routine", MODERATE: "Moderate", COMPLEX: "Complex"}

BAND_CODES = {2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8a", 9: "8b", 10: "8c", 11: "8d", 12: "9"}
BAND_5, BAND_8A = 5, 8

WEEKS_PER_MONTH = 52 / 12
PER_100K = 100_000
TOLERANCE = 1e-9

METRIC_TOTAL_FTE = "total_fte"
METRIC_FTE_PER_100K = "total_fte_per_100k"
METRIC_CASELOAD_PER_CLINICAL_FTE = "caseload_per_clinical_fte"
METRIC_MIN_FTE = "min_fte"
METRIC_SHARE_OF_FTE = "share_of_fte"
METRIC_NATIONAL_HEADCOUNT = "national_headcount"
METRICS = (
    METRIC_TOTAL_FTE,
    METRIC_FTE_PER_100K,
    METRIC_CASELOAD_PER_CLINICAL_FTE,
    METRIC_MIN_FTE,
    METRIC_SHARE_OF_FTE,
    METRIC_NATIONAL_HEADCOUNT,
)
AT_LEAST, AT_MOST, BETWEEN = "at_least", "at_most", "between"
COMPARATORS = (AT_LEAST, AT_MOST, BETWEEN)
STATUS_MET, STATUS_NOT_MET, STATUS_NOT_APPLICABLE = "met", "not met", "not applicable"


def band_code(rank: int) -> str:
    """The AfC band code for a rank: 5 → "5", 8 → "8a", 12 → "9"."""
    return BAND_CODES[rank]


# ---------------------------------------------------------------------------------------------------------------
# Input validation helpers (inputs are checked once, when a dataclass is built)
# ---------------------------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Assumptions:
    """The plan's modelling assumptions. Every default is a modelling default, shown to users and editable.

    contract_hours = 37.5: the AfC full-time week (planning.md §1.9: 37.5 h × 52.143 weeks ≈ 1,955 h a year).
    productive_fraction = 0.78: planning.md §1.9 says establishments allow about 20–25% "headroom" for leave,
        sickness and training [unverified]; 0.78 takes 22% off. Illustration: 27 days' AfC leave + 8 bank holidays
        = 35 × 7.5 h = 262.5 h (13.4% of 1,955 h), plus about 5% sickness and 3.6% training/CPD ≈ 22%.
    direct_care_fraction = 0.6: modelling default [unverified] for the share of productive time spent on caseload
        work (the rest: notes, team meetings, travel, supervision). For scale, qualified mental health and wellbeing
        practitioners are expected to give at least 20 h a week of patient contact (planning.md §2) — 53% of 37.5 h;
        the default gives 37.5 × 0.78 × 0.6 = 17.55 h a week per FTE.
    demand_growth_pct = 0: no growth unless the plan says so. (The Long Term Workforce Plan's 4.4% a year is growth
        of the mental health workforce, a supply figure, so it is not used as a demand default.)
    on_cost_pct = 28: employer costs on top of salary as paid locally, from planning.md §3's band 5 worked example:
        employer NI 15% above £5,000 ≈ 12.8% + the locally paid pension 14.38% + apprenticeship levy 0.5% = 27.68%
        ≈ 28%. The full economic cost including the 9.4% pension paid centrally is ≈ 37%; the Skills for Health tool
        used a flat 23% (2014/15).
    supervision_fraction = 0.1: modelling default [unverified]: a supervisor gives 10% of productive time to
        supervising others (1 FTE ≈ 12.7 h a month with the defaults).
    pay_growth_pct = 0: costs in the constant prices of the pay table (AfC 2025/26 by default); set it to model pay
        awards (2025/26 was 3.6%).
    """

    contract_hours: float = 37.5
    productive_fraction: float = 0.78
    direct_care_fraction: float = 0.6
    demand_growth_pct: float = 0.0
    on_cost_pct: float = 28.0
    supervision_fraction: float = 0.1
    pay_growth_pct: float = 0.0

    def __post_init__(self) -> None:
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
    supervision_hours_per_month: supervision each FTE of this role needs (None: not modelled).
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
class PayPoint:
    """An AfC pay band's bottom and top annual salary (£). Costs use the midpoint."""

    band: int
    bottom: float
    top: float

    def __post_init__(self) -> None:
        _as_choice(self, "band", BAND_CODES)
        _as_float(self, "bottom")
        _as_float(self, "top", minimum=self.bottom)

    @property
    def midpoint(self) -> float:
        return (self.bottom + self.top) / 2


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
    """A guidance figure to check the plan against (see the module docstring, section 6, for metrics).

    value_max is only for `between`. The scope fields (role_slug, family, capability_slug, registered, new_role)
    select lines for `min_fte` and `share_of_fte`. Unknown metrics or comparators are kept and reported as
    "not applicable", so a new kind of target in the database never breaks a dashboard.
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
    registered: bool | None = None
    new_role: bool | None = None
    source_url: str = ""
    source_label: str = ""
    year: str = ""

    def __post_init__(self) -> None:
        _as_float(self, "value", minimum=None)
        _as_optional_float(self, "value_max", minimum=None)

    @property
    def has_scope(self) -> bool:
        scope = (self.role_slug, self.family, self.capability_slug, self.registered, self.new_role)
        return any(item is not None for item in scope)


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

    def __post_init__(self) -> None:
        _as_choice(self, "horizon_years", range(1, 11))
        if isinstance(self.start_year, bool) or not isinstance(self.start_year, int):
            raise TypeError(f"PlanInput.start_year must be an int, not {self.start_year!r}")
        if self.population is not None and (
            isinstance(self.population, bool) or not isinstance(self.population, int) or self.population < 0
        ):
            raise ValueError(f"PlanInput.population must be a whole number ≥ 0 or None, not {self.population!r}")
        for name in ("staff", "demand", "pay_points", "capability_requirements", "targets"):
            _as_tuple(self, name)

    @property
    def end_year(self) -> int:
        return self.start_year + self.horizon_years


# ---------------------------------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class FteShare:
    """FTE in one group (family, band…) and its share of the total (None when the total is 0)."""

    key: str
    fte: float
    share_pct: float | None


@dataclass
class SkillMix:
    total_fte: float
    by_family: list[FteShare]
    by_band: list[FteShare]
    registered_fte: float
    registered_pct: float | None
    new_role_fte: float
    new_role_pct: float | None
    band_5_plus_pct: float | None
    band_8a_plus_pct: float | None
    registered_to_unregistered_ratio: float | None
    mean_band_rank: float | None
    mean_band_label: str | None
    mean_band_nearest: str | None


@dataclass
class CapabilityCoverage:
    capability_slug: str
    name: str
    min_fte: float
    available_fte: float
    met: bool
    short_by_fte: float


@dataclass
class TierResult:
    tier: int
    label: str
    demand_hours: float
    allocated_hours: float
    unmet_hours: float
    met_pct: float | None
    gap_fte: float


@dataclass
class LineAllocation:
    line_index: int
    role_slug: str
    role_name: str
    band: str
    complexity_ceiling: int
    capacity_hours: float
    complex_hours: float
    moderate_hours: float
    routine_hours: float
    idle_hours: float


@dataclass
class Allocation:
    """Care hours a week: demand by tier, how capacity was matched to it, and what is left over."""

    tiers: list[TierResult]
    lines: list[LineAllocation]
    capacity_hours: float
    demand_hours: float
    allocated_hours: float
    unmet_hours: float
    idle_hours: float
    demand_met_pct: float | None
    gap_fte: float
    skilled_hours_on_routine: float
    complex_capable_hours_on_routine: float

    def tier(self, tier: int) -> TierResult:
        return next(result for result in self.tiers if result.tier == tier)


@dataclass
class SupervisedRole:
    role_slug: str
    role_name: str
    fte: float
    need_hours: float
    capacity_hours: float
    covered_hours: float
    shortfall_hours: float
    supervisor_role_slugs: list[str]
    supervisors_in_team: list[str]
    unsupervised: bool


@dataclass
class SupervisorPool:
    role_slug: str
    role_name: str
    fte: float
    capacity_hours: float
    supervises: list[str]


@dataclass
class Supervision:
    """Hours a month."""

    roles: list[SupervisedRole]
    supervisors: list[SupervisorPool]
    need_hours: float
    capacity_hours: float
    covered_hours: float
    shortfall_hours: float
    spare_hours: float
    unsupervised_need_hours: float


@dataclass
class YearResult:
    year: int
    index: int
    fte: float
    fte_by_role: dict[str, float]
    establishment_fte: float
    vacancies_fte: float
    capacity_hours: float
    demand_hours: float
    allocated_hours: float
    unmet_hours: float
    idle_hours: float
    demand_met_pct: float | None
    gap_fte: float
    tiers: list[TierResult]
    skilled_hours_on_routine: float
    cost: float
    uncosted_fte: float


@dataclass
class TargetResult:
    key: str
    label: str
    metric: str
    comparator: str
    value: float
    value_max: float | None
    status: str
    met: bool | None
    actual: float | None
    reason: str
    horizon_year: int
    status_at_horizon: str
    met_at_horizon: bool | None
    actual_at_horizon: float | None
    source_url: str
    source_label: str
    year: str


@dataclass
class PlanResult:
    name: str
    start_year: int
    horizon_years: int
    population: int | None
    assumptions: Assumptions
    hours_per_fte_per_week: float
    role_names: dict[str, str]
    skill_mix: SkillMix
    capability_coverage: list[CapabilityCoverage]
    allocation: Allocation
    supervision: Supervision
    years: list[YearResult]
    cost_over_horizon: float
    targets: list[TargetResult]
    warnings: list[str]

    @property
    def baseline(self) -> YearResult:
        return self.years[0]

    @property
    def final(self) -> YearResult:
        return self.years[-1]


@dataclass
class Difference:
    """One figure in plans a and b; diff = b − a (None when either is missing)."""

    a: float | None
    b: float | None
    diff: float | None


@dataclass
class RoleDifference:
    role_slug: str
    role_name: str
    baseline_fte: Difference
    final_fte: Difference


@dataclass
class TargetComparison:
    key: str
    label: str
    a_status: str | None
    b_status: str | None
    changed: bool


@dataclass
class Comparison:
    a_name: str
    b_name: str
    roles: list[RoleDifference]
    total_fte: Difference
    final_total_fte: Difference
    cost: Difference
    final_cost: Difference
    cost_over_horizon: Difference
    demand_met_pct: Difference
    final_demand_met_pct: Difference
    gap_fte: Difference
    final_gap_fte: Difference
    skilled_hours_on_routine: Difference
    unmet_hours_by_tier: dict[str, Difference]
    targets: list[TargetComparison]
    targets_met: Difference
    warnings: list[str]


@dataclass
class RollupYear:
    year: int
    teams_counted: int
    fte: float
    vacancies_fte: float
    cost: float
    demand_hours: float
    allocated_hours: float
    demand_met_pct: float | None
    gap_fte: float


@dataclass
class Rollup:
    teams: int
    fte: float
    establishment_fte: float
    vacancies_fte: float
    cost: float
    cost_over_horizon: float
    demand_hours: float
    allocated_hours: float
    demand_met_pct: float | None
    gap_fte: float
    unmet_hours_by_tier: dict[str, float]
    skilled_hours_on_routine: float
    registered_pct: float | None
    skill_mix_by_family: list[FteShare]
    by_year: list[RollupYear]


# ---------------------------------------------------------------------------------------------------------------
# Small shared calculations
# ---------------------------------------------------------------------------------------------------------------


def percentage(*, part: float, whole: float) -> float | None:
    """100 × part ÷ whole, or None when the whole is zero."""
    return None if whole <= 0 else 100 * part / whole


def care_hours_per_fte_per_week(*, assumptions: Assumptions) -> float:
    """h = C × p × d."""
    return assumptions.contract_hours * assumptions.productive_fraction * assumptions.direct_care_fraction


def supervision_hours_per_supervisor_fte_per_month(*, assumptions: Assumptions) -> float:
    """C × 52/12 × p × supervision_fraction."""
    return (
        assumptions.contract_hours
        * WEEKS_PER_MONTH
        * assumptions.productive_fraction
        * assumptions.supervision_fraction
    )


def annual_cost(*, fte: float, midpoint: float, on_cost_pct: float, pay_growth_factor: float = 1.0) -> float:
    """FTE × band midpoint × (1 + on-cost) × pay growth factor."""
    return fte * midpoint * (1 + on_cost_pct / 100) * pay_growth_factor


def growth_factor(*, pct_per_year: float, years: int) -> float:
    """(1 + pct/100) ** years."""
    return (1 + pct_per_year / 100) ** years


def mean_band_label(*, rank: float) -> str:
    """ "5" for a whole rank, otherwise "between 5 and 6" (or "between 7 and 8a")."""
    low, high = math.floor(rank + TOLERANCE), math.ceil(rank - TOLERANCE)
    if low >= high:
        return band_code(low)
    return f"between {band_code(low)} and {band_code(high)}"


def nearest_band_code(*, rank: float) -> str:
    """The band code nearest the rank, halves rounded up."""
    return band_code(math.floor(rank + 0.5))


# ---------------------------------------------------------------------------------------------------------------
# 1. Skill mix
# ---------------------------------------------------------------------------------------------------------------


def fte_shares(*, fte_by_key: Mapping[str, float]) -> list[FteShare]:
    total = math.fsum(fte_by_key.values())
    return [FteShare(key=key, fte=fte, share_pct=percentage(part=fte, whole=total)) for key, fte in fte_by_key.items()]


def fte_weighted_mean_band(*, fte_by_band: Mapping[int, float], total: float) -> float:
    """Σ FTE × rank ÷ Σ FTE, kept within the team's lowest and highest band (rounding could nudge it outside)."""
    mean = math.fsum(band * fte for band, fte in fte_by_band.items()) / total
    bands_present = [band for band, fte in fte_by_band.items() if fte > 0]
    return min(max(mean, min(bands_present)), max(bands_present))


def skill_mix(*, staff: Sequence[StaffLine], ftes: Sequence[float] | None = None) -> SkillMix:
    """Skill mix of the team, using `ftes` (one per line) instead of each line's FTE in post when given."""
    ftes = [line.fte for line in staff] if ftes is None else ftes
    total = math.fsum(ftes)
    by_family: dict[str, float] = {}
    by_band: dict[int, float] = {}
    for line, fte in zip(staff, ftes, strict=True):
        by_family[line.family] = by_family.get(line.family, 0.0) + fte
        by_band[line.band] = by_band.get(line.band, 0.0) + fte
    registered = math.fsum(fte for line, fte in zip(staff, ftes, strict=True) if line.registered)
    new_role = math.fsum(fte for line, fte in zip(staff, ftes, strict=True) if line.new_role)
    band_5_plus = math.fsum(fte for band, fte in by_band.items() if band >= BAND_5)
    band_8a_plus = math.fsum(fte for band, fte in by_band.items() if band >= BAND_8A)
    unregistered = total - registered
    mean_rank = None if total <= 0 else fte_weighted_mean_band(fte_by_band=by_band, total=total)
    return SkillMix(
        total_fte=total,
        by_family=fte_shares(fte_by_key=by_family),
        by_band=fte_shares(fte_by_key={band_code(band): by_band[band] for band in sorted(by_band)}),
        registered_fte=registered,
        registered_pct=percentage(part=registered, whole=total),
        new_role_fte=new_role,
        new_role_pct=percentage(part=new_role, whole=total),
        band_5_plus_pct=percentage(part=band_5_plus, whole=total),
        band_8a_plus_pct=percentage(part=band_8a_plus, whole=total),
        registered_to_unregistered_ratio=None if unregistered <= TOLERANCE else registered / unregistered,
        mean_band_rank=mean_rank,
        mean_band_label=None if mean_rank is None else mean_band_label(rank=mean_rank),
        mean_band_nearest=None if mean_rank is None else nearest_band_code(rank=mean_rank),
    )


# ---------------------------------------------------------------------------------------------------------------
# 2. Capability coverage
# ---------------------------------------------------------------------------------------------------------------


def fte_with_capability(*, staff: Sequence[StaffLine], capability_slug: str) -> float:
    return math.fsum(line.fte for line in staff if capability_slug in line.capabilities)


def capability_coverage(
    *, staff: Sequence[StaffLine], requirements: Sequence[CapabilityRequirement]
) -> list[CapabilityCoverage]:
    coverage = []
    for requirement in requirements:
        available = fte_with_capability(staff=staff, capability_slug=requirement.capability_slug)
        coverage.append(
            CapabilityCoverage(
                capability_slug=requirement.capability_slug,
                name=requirement.name,
                min_fte=requirement.min_fte,
                available_fte=available,
                met=available + TOLERANCE >= requirement.min_fte,
                short_by_fte=max(0.0, requirement.min_fte - available),
            )
        )
    return coverage


# ---------------------------------------------------------------------------------------------------------------
# 3. Matching experience to complexity
# ---------------------------------------------------------------------------------------------------------------


def demand_hours_by_tier(*, demand: Sequence[DemandLine], factor: float = 1.0) -> dict[int, float]:
    """D_t = Σ caseload × hours per person a week, times the growth factor; every tier present (0 if no line)."""
    hours = dict.fromkeys(TIERS_HARDEST_FIRST, 0.0)
    for line in demand:
        hours[line.tier] += line.hours_per_week * factor
    return hours


def serving_order(*, staff: Sequence[StaffLine]) -> list[int]:
    """Line indices in the order they are drawn on within a tier: lowest ceiling, then lowest band, then input order."""
    return sorted(range(len(staff)), key=lambda index: (staff[index].complexity_ceiling, staff[index].band, index))


@dataclass
class _Matching:
    """Raw result of the greedy allocation: hours by [line][tier] and unmet hours by tier."""

    hours: list[dict[int, float]]
    remaining: list[float]
    unmet: dict[int, float]


def match_capacity_to_demand(
    *,
    capacities: Sequence[float],
    ceilings: Sequence[int],
    order: Sequence[int],
    demand: Mapping[int, float],
) -> _Matching:
    """The greedy allocation of section 3: hardest tier first; within a tier, lines in `order`."""
    remaining = list(capacities)
    hours = [dict.fromkeys(TIERS_HARDEST_FIRST, 0.0) for _ in capacities]
    unmet = {}
    for tier in TIERS_HARDEST_FIRST:
        still_needed = demand[tier]
        for index in order:
            if still_needed <= 0:
                break
            if ceilings[index] < tier or remaining[index] <= 0:
                continue
            take = min(remaining[index], still_needed)
            hours[index][tier] += take
            remaining[index] -= take
            still_needed -= take
        unmet[tier] = max(0.0, still_needed)
    return _Matching(hours=hours, remaining=remaining, unmet=unmet)


def tier_results(*, demand: Mapping[int, float], unmet: Mapping[int, float], hours_per_fte: float) -> list[TierResult]:
    return [
        TierResult(
            tier=tier,
            label=TIER_LABELS[tier],
            demand_hours=demand[tier],
            allocated_hours=demand[tier] - unmet[tier],
            unmet_hours=unmet[tier],
            met_pct=percentage(part=demand[tier] - unmet[tier], whole=demand[tier]),
            gap_fte=unmet[tier] / hours_per_fte,
        )
        for tier in TIERS_HARDEST_FIRST
    ]


def routine_hours_by_ceiling(*, matching: _Matching, ceilings: Sequence[int]) -> dict[int, float]:
    totals = dict.fromkeys(TIERS_HARDEST_FIRST, 0.0)
    for line_hours, ceiling in zip(matching.hours, ceilings, strict=True):
        totals[ceiling] += line_hours[ROUTINE]
    return totals


def line_allocations(
    *, staff: Sequence[StaffLine], capacities: Sequence[float], matching: _Matching
) -> list[LineAllocation]:
    return [
        LineAllocation(
            line_index=index,
            role_slug=line.role_slug,
            role_name=line.role_name,
            band=line.band_code,
            complexity_ceiling=line.complexity_ceiling,
            capacity_hours=capacities[index],
            complex_hours=matching.hours[index][COMPLEX],
            moderate_hours=matching.hours[index][MODERATE],
            routine_hours=matching.hours[index][ROUTINE],
            idle_hours=matching.remaining[index],
        )
        for index, line in enumerate(staff)
    ]


def allocate(
    *,
    staff: Sequence[StaffLine],
    demand: Sequence[DemandLine],
    assumptions: Assumptions,
    ftes: Sequence[float] | None = None,
    demand_factor: float = 1.0,
    per_line: bool = True,
) -> Allocation:
    """Match the team's care capacity to demand by complexity (section 3).

    `ftes` (one per line) replaces the FTE in post, and `demand_factor` scales demand, for projected years.
    `per_line=False` leaves `lines` empty (projected years only report totals).
    """
    hours_per_fte = care_hours_per_fte_per_week(assumptions=assumptions)
    ftes = [line.fte for line in staff] if ftes is None else ftes
    capacities = [fte * hours_per_fte if line.clinical else 0.0 for line, fte in zip(staff, ftes, strict=True)]
    ceilings = [line.complexity_ceiling for line in staff]
    demand_by_tier = demand_hours_by_tier(demand=demand, factor=demand_factor)
    matching = match_capacity_to_demand(
        capacities=capacities, ceilings=ceilings, order=serving_order(staff=staff), demand=demand_by_tier
    )
    tiers = tier_results(demand=demand_by_tier, unmet=matching.unmet, hours_per_fte=hours_per_fte)
    routine_by_ceiling = routine_hours_by_ceiling(matching=matching, ceilings=ceilings)
    total_demand = math.fsum(demand_by_tier.values())
    total_unmet = math.fsum(matching.unmet.values())
    lines = line_allocations(staff=staff, capacities=capacities, matching=matching) if per_line else []
    return Allocation(
        tiers=tiers,
        lines=lines,
        capacity_hours=math.fsum(capacities),
        demand_hours=total_demand,
        allocated_hours=total_demand - total_unmet,
        unmet_hours=total_unmet,
        idle_hours=math.fsum(matching.remaining),
        demand_met_pct=percentage(part=total_demand - total_unmet, whole=total_demand),
        gap_fte=total_unmet / hours_per_fte,
        skilled_hours_on_routine=routine_by_ceiling[MODERATE] + routine_by_ceiling[COMPLEX],
        complex_capable_hours_on_routine=routine_by_ceiling[COMPLEX],
    )


# ---------------------------------------------------------------------------------------------------------------
# 4. Supervision
# ---------------------------------------------------------------------------------------------------------------


def fte_by_role(*, staff: Sequence[StaffLine], ftes: Sequence[float] | None = None) -> dict[str, float]:
    ftes = [line.fte for line in staff] if ftes is None else ftes
    totals: dict[str, float] = {}
    for line, fte in zip(staff, ftes, strict=True):
        totals[line.role_slug] = totals.get(line.role_slug, 0.0) + fte
    return totals


def role_names(*, staff: Sequence[StaffLine]) -> dict[str, str]:
    names: dict[str, str] = {}
    for line in staff:
        names.setdefault(line.role_slug, line.role_name)
    return names


@dataclass
class _SupervisionNeed:
    fte: float = 0.0
    hours: float = 0.0
    supervisors: set[str] = field(default_factory=set)


def supervision_needs(*, staff: Sequence[StaffLine]) -> dict[str, _SupervisionNeed]:
    """need_r = Σ FTE × hours a month, by supervised role, with the union of its lines' supervisor roles."""
    needs: dict[str, _SupervisionNeed] = {}
    for line in staff:
        if line.supervision_hours_per_month is None:
            continue
        need = needs.setdefault(line.role_slug, _SupervisionNeed())
        need.fte += line.fte
        need.hours += line.fte * line.supervision_hours_per_month
        need.supervisors |= line.supervisor_role_slugs
    return needs


def supervision(*, staff: Sequence[StaffLine], assumptions: Assumptions) -> Supervision:
    """Supervision need of each supervised role vs. the capacity of the roles that supervise it (section 4)."""
    names = role_names(staff=staff)
    present_fte = {slug: fte for slug, fte in fte_by_role(staff=staff).items() if fte > 0}
    needs = supervision_needs(staff=staff)
    per_fte = supervision_hours_per_supervisor_fte_per_month(assumptions=assumptions)

    supervised_by: dict[str, list[str]] = {}
    for role_slug, need in needs.items():
        for supervisor in sorted(need.supervisors):
            if supervisor in present_fte:
                supervised_by.setdefault(supervisor, []).append(role_slug)
    pools = {supervisor: present_fte[supervisor] * per_fte for supervisor in supervised_by}

    capacity_for: dict[str, float] = dict.fromkeys(needs, 0.0)
    for supervisor, supervised in supervised_by.items():
        total_need = math.fsum(needs[role_slug].hours for role_slug in supervised)
        for role_slug in supervised:
            if total_need > 0:
                capacity_for[role_slug] += pools[supervisor] * needs[role_slug].hours / total_need

    roles = []
    for role_slug, need in needs.items():
        in_team = sorted(supervisor for supervisor in need.supervisors if supervisor in present_fte)
        covered = min(need.hours, capacity_for[role_slug])
        roles.append(
            SupervisedRole(
                role_slug=role_slug,
                role_name=names[role_slug],
                fte=need.fte,
                need_hours=need.hours,
                capacity_hours=capacity_for[role_slug],
                covered_hours=covered,
                shortfall_hours=need.hours - covered,
                supervisor_role_slugs=sorted(need.supervisors),
                supervisors_in_team=in_team,
                unsupervised=not in_team,
            )
        )
    supervisors = [
        SupervisorPool(
            role_slug=supervisor,
            role_name=names[supervisor],
            fte=present_fte[supervisor],
            capacity_hours=pools[supervisor],
            supervises=supervised,
        )
        for supervisor, supervised in supervised_by.items()
    ]
    capacity = math.fsum(pools.values())
    covered = math.fsum(role.covered_hours for role in roles)
    return Supervision(
        roles=roles,
        supervisors=supervisors,
        need_hours=math.fsum(role.need_hours for role in roles),
        capacity_hours=capacity,
        covered_hours=covered,
        shortfall_hours=math.fsum(role.shortfall_hours for role in roles),
        spare_hours=capacity - covered,
        unsupervised_need_hours=math.fsum(role.need_hours for role in roles if role.unsupervised),
    )


# ---------------------------------------------------------------------------------------------------------------
# 5. Projection
# ---------------------------------------------------------------------------------------------------------------


def next_year_fte(*, line: StaffLine, fte: float, next_year: int) -> float:
    """f_{k+1} = f_k × (1 − attrition) + recruitment + trainees completing in the next year."""
    joining = line.trainees if line.trainee_completion_year == next_year else 0.0
    return fte * (1 - line.attrition_pct / 100) + line.recruitment_fte_per_year + joining


def project_line_ftes(*, plan: PlanInput) -> list[list[float]]:
    """FTE of every line in every year: result[k][i] is line i's FTE in year start_year + k."""
    ftes = [[line.fte for line in plan.staff]]
    for index in range(plan.horizon_years):
        next_year = plan.start_year + index + 1
        ftes.append(
            [
                next_year_fte(line=line, fte=fte, next_year=next_year)
                for line, fte in zip(plan.staff, ftes[-1], strict=True)
            ]
        )
    return ftes


def vacancies(*, staff: Sequence[StaffLine], ftes: Sequence[float]) -> float:
    """Σ per line of max(0, establishment − FTE)."""
    return math.fsum(max(0.0, line.funded_fte - fte) for line, fte in zip(staff, ftes, strict=True))


def midpoints_by_band(*, pay_points: Sequence[PayPoint]) -> dict[int, float]:
    """Band → midpoint. If a band is given twice, the last pay point wins."""
    return {point.band: point.midpoint for point in pay_points}


def staff_cost(
    *,
    staff: Sequence[StaffLine],
    ftes: Sequence[float],
    midpoints: Mapping[int, float],
    assumptions: Assumptions,
    years_from_start: int = 0,
) -> tuple[float, float]:
    """(cost, uncosted FTE): Σ FTE × midpoint × (1 + on-cost) × pay growth; lines with no pay point are uncosted."""
    pay_factor = growth_factor(pct_per_year=assumptions.pay_growth_pct, years=years_from_start)
    cost = uncosted = 0.0
    for line, fte in zip(staff, ftes, strict=True):
        midpoint = midpoints.get(line.band)
        if midpoint is None:
            uncosted += fte
        else:
            cost += annual_cost(
                fte=fte, midpoint=midpoint, on_cost_pct=assumptions.on_cost_pct, pay_growth_factor=pay_factor
            )
    return cost, uncosted


def project_year(*, plan: PlanInput, index: int, ftes: Sequence[float], midpoints: Mapping[int, float]) -> YearResult:
    demand_factor = growth_factor(pct_per_year=plan.assumptions.demand_growth_pct, years=index)
    allocation = allocate(
        staff=plan.staff,
        demand=plan.demand,
        assumptions=plan.assumptions,
        ftes=ftes,
        demand_factor=demand_factor,
        per_line=False,
    )
    cost, uncosted = staff_cost(
        staff=plan.staff, ftes=ftes, midpoints=midpoints, assumptions=plan.assumptions, years_from_start=index
    )
    return YearResult(
        year=plan.start_year + index,
        index=index,
        fte=math.fsum(ftes),
        fte_by_role=fte_by_role(staff=plan.staff, ftes=ftes),
        establishment_fte=math.fsum(line.funded_fte for line in plan.staff),
        vacancies_fte=vacancies(staff=plan.staff, ftes=ftes),
        capacity_hours=allocation.capacity_hours,
        demand_hours=allocation.demand_hours,
        allocated_hours=allocation.allocated_hours,
        unmet_hours=allocation.unmet_hours,
        idle_hours=allocation.idle_hours,
        demand_met_pct=allocation.demand_met_pct,
        gap_fte=allocation.gap_fte,
        tiers=allocation.tiers,
        skilled_hours_on_routine=allocation.skilled_hours_on_routine,
        cost=cost,
        uncosted_fte=uncosted,
    )


def project(*, plan: PlanInput, line_ftes: Sequence[Sequence[float]] | None = None) -> list[YearResult]:
    """One YearResult for each year start_year … start_year + horizon (section 5).

    `line_ftes` is `project_line_ftes(plan=plan)`, passed in when the caller has it already."""
    midpoints = midpoints_by_band(pay_points=plan.pay_points)
    line_ftes = project_line_ftes(plan=plan) if line_ftes is None else line_ftes
    return [
        project_year(plan=plan, index=index, ftes=ftes, midpoints=midpoints) for index, ftes in enumerate(line_ftes)
    ]


def cost_over_horizon(*, years: Sequence[YearResult], horizon_years: int) -> float:
    """Σ cost of the horizon's years (k = 0 … horizon − 1), each costed at its opening FTE."""
    return math.fsum(year.cost for year in years[:horizon_years])


# ---------------------------------------------------------------------------------------------------------------
# 6. Targets
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    """What targets are measured on: the team's lines with their FTE in one year, caseload and population."""

    staff: Sequence[StaffLine]
    ftes: Sequence[float]
    caseload: float
    population: int | None


def line_in_scope(*, line: StaffLine, target: Target) -> bool:
    """A line is in a target's scope when it matches every scope field the target gives."""
    return (
        (target.role_slug is None or line.role_slug == target.role_slug)
        and (target.family is None or line.family == target.family)
        and (target.capability_slug is None or target.capability_slug in line.capabilities)
        and (target.registered is None or line.registered == target.registered)
        and (target.new_role is None or line.new_role == target.new_role)
    )


def fte_in_scope(*, snapshot: _Snapshot, target: Target) -> float:
    return math.fsum(
        fte for line, fte in zip(snapshot.staff, snapshot.ftes, strict=True) if line_in_scope(line=line, target=target)
    )


def measure_target(*, snapshot: _Snapshot, target: Target) -> tuple[float | None, str]:
    """(actual value, reason it cannot be measured): exactly one of the two is meaningful."""
    total = math.fsum(snapshot.ftes)
    metric = target.metric
    if metric == METRIC_TOTAL_FTE:
        return total, ""
    if metric == METRIC_FTE_PER_100K:
        if not snapshot.population:
            return None, "The team has no population served, so FTE per 100,000 cannot be worked out."
        return total / snapshot.population * PER_100K, ""
    if metric == METRIC_CASELOAD_PER_CLINICAL_FTE:
        clinical = math.fsum(fte for line, fte in zip(snapshot.staff, snapshot.ftes, strict=True) if line.clinical)
        if clinical <= 0:
            return None, "The team has no clinical FTE, so caseload per clinical FTE cannot be worked out."
        return snapshot.caseload / clinical, ""
    if metric in (METRIC_MIN_FTE, METRIC_SHARE_OF_FTE):
        if not target.has_scope:
            return None, "The target names no role, family, capability or registration status to count."
        in_scope = fte_in_scope(snapshot=snapshot, target=target)
        if metric == METRIC_MIN_FTE:
            return in_scope, ""
        if total <= 0:
            return None, "The team has no FTE, so a share of FTE cannot be worked out."
        return 100 * in_scope / total, ""
    if metric == METRIC_NATIONAL_HEADCOUNT:
        return None, "A national staff number is context for the whole NHS; one team's plan cannot meet or miss it."
    return None, f"The engine does not know the metric {metric!r}."


def comparator_problem(*, target: Target) -> str:
    if target.comparator not in COMPARATORS:
        return f"The engine does not know the comparator {target.comparator!r}."
    if target.comparator == BETWEEN and target.value_max is None:
        return "A 'between' target needs an upper value."
    return ""


def compares_true(*, actual: float, target: Target) -> bool:
    if target.comparator == AT_LEAST:
        return actual + TOLERANCE >= target.value
    if target.comparator == AT_MOST:
        return actual - TOLERANCE <= target.value
    return target.value - TOLERANCE <= actual <= target.value_max + TOLERANCE


def judge_target(*, snapshot: _Snapshot, target: Target) -> tuple[str, bool | None, float | None, str]:
    """(status, met, actual, reason)."""
    actual, reason = measure_target(snapshot=snapshot, target=target)
    reason = reason or comparator_problem(target=target)
    if reason:
        return STATUS_NOT_APPLICABLE, None, actual, reason
    met = compares_true(actual=actual, target=target)
    return (STATUS_MET if met else STATUS_NOT_MET), met, actual, ""


def evaluate_targets(
    *,
    targets: Sequence[Target],
    baseline: _Snapshot,
    horizon: _Snapshot,
    horizon_year: int,
) -> list[TargetResult]:
    results = []
    for target in targets:
        status, met, actual, reason = judge_target(snapshot=baseline, target=target)
        status_end, met_end, actual_end, _ = judge_target(snapshot=horizon, target=target)
        results.append(
            TargetResult(
                key=target.key,
                label=target.label,
                metric=target.metric,
                comparator=target.comparator,
                value=target.value,
                value_max=target.value_max,
                status=status,
                met=met,
                actual=actual,
                reason=reason,
                horizon_year=horizon_year,
                status_at_horizon=status_end,
                met_at_horizon=met_end,
                actual_at_horizon=actual_end,
                source_url=target.source_url,
                source_label=target.source_label,
                year=target.year,
            )
        )
    return results


# ---------------------------------------------------------------------------------------------------------------
# Everything for one plan
# ---------------------------------------------------------------------------------------------------------------


def input_warnings(*, plan: PlanInput) -> list[str]:
    """Things in the inputs that the engine handled by a stated rule, for the user to check."""
    warnings = []
    bands_with_pay = {point.band for point in plan.pay_points}
    for band in sorted({line.band for line in plan.staff if line.band not in bands_with_pay and line.fte > 0}):
        warnings.append(f"No pay point for band {band_code(band)}: its FTE is left out of the costs.")
    for line in plan.staff:
        if line.trainees <= 0:
            continue
        if line.trainee_completion_year is None:
            warnings.append(f"{line.role_name}: trainees have no completion year, so they never join.")
        elif line.trainee_completion_year <= plan.start_year:
            warnings.append(
                f"{line.role_name}: trainees complete in {line.trainee_completion_year}, not after the start year "
                f"{plan.start_year}, so they are taken to be in the FTE in post already."
            )
        elif line.trainee_completion_year > plan.end_year:
            warnings.append(
                f"{line.role_name}: trainees complete in {line.trainee_completion_year}, after the plan's last "
                f"year {plan.end_year}, so they do not join within it."
            )
    present = {line.role_slug for line in plan.staff if line.fte > 0}
    for line in plan.staff:
        if line.supervision_hours_per_month and line.fte > 0 and not (line.supervisor_role_slugs & present):
            warnings.append(f"{line.role_name}: none of the roles that supervise it is in the team.")
    return list(dict.fromkeys(warnings))


def calculate(plan: PlanInput) -> PlanResult:
    """Run every calculation (sections 1–6) for one plan."""
    line_ftes = project_line_ftes(plan=plan)
    years = project(plan=plan, line_ftes=line_ftes)
    caseload = math.fsum(line.caseload for line in plan.demand)
    demand_end_factor = growth_factor(pct_per_year=plan.assumptions.demand_growth_pct, years=plan.horizon_years)
    return PlanResult(
        name=plan.name,
        start_year=plan.start_year,
        horizon_years=plan.horizon_years,
        population=plan.population,
        assumptions=plan.assumptions,
        hours_per_fte_per_week=care_hours_per_fte_per_week(assumptions=plan.assumptions),
        role_names=role_names(staff=plan.staff),
        skill_mix=skill_mix(staff=plan.staff),
        capability_coverage=capability_coverage(staff=plan.staff, requirements=plan.capability_requirements),
        allocation=allocate(staff=plan.staff, demand=plan.demand, assumptions=plan.assumptions),
        supervision=supervision(staff=plan.staff, assumptions=plan.assumptions),
        years=years,
        cost_over_horizon=cost_over_horizon(years=years, horizon_years=plan.horizon_years),
        targets=evaluate_targets(
            targets=plan.targets,
            baseline=_Snapshot(plan.staff, line_ftes[0], caseload, plan.population),
            horizon=_Snapshot(plan.staff, line_ftes[-1], caseload * demand_end_factor, plan.population),
            horizon_year=plan.end_year,
        ),
        warnings=input_warnings(plan=plan),
    )


# ---------------------------------------------------------------------------------------------------------------
# 7. Comparison and roll-up
# ---------------------------------------------------------------------------------------------------------------


def difference(*, a: float | None, b: float | None) -> Difference:
    return Difference(a=a, b=b, diff=None if a is None or b is None else b - a)


def targets_met_count(*, result: PlanResult) -> int:
    return sum(1 for target in result.targets if target.met)


def compare_targets(*, a: PlanResult, b: PlanResult) -> list[TargetComparison]:
    a_targets = {target.key: target for target in a.targets}
    b_targets = {target.key: target for target in b.targets}
    comparisons = []
    for key in dict.fromkeys([*a_targets, *b_targets]):
        a_target, b_target = a_targets.get(key), b_targets.get(key)
        a_status = a_target.status if a_target else None
        b_status = b_target.status if b_target else None
        comparisons.append(
            TargetComparison(
                key=key,
                label=(a_target or b_target).label,
                a_status=a_status,
                b_status=b_status,
                changed=a_status != b_status,
            )
        )
    return comparisons


def comparison_warnings(*, a: PlanResult, b: PlanResult) -> list[str]:
    warnings = []
    if (a.start_year, a.horizon_years) != (b.start_year, b.horizon_years):
        warnings.append(
            f"The plans cover different years ({a.start_year}–{a.start_year + a.horizon_years} and "
            f"{b.start_year}–{b.start_year + b.horizon_years}): final-year and horizon figures are not like for like."
        )
    if a.assumptions != b.assumptions:
        warnings.append("The plans use different assumptions.")
    return warnings


def compare(a: PlanResult, b: PlanResult) -> Comparison:
    """Plan b against plan a (section 7); every diff is b − a."""
    names = {**b.role_names, **a.role_names}
    roles = [
        RoleDifference(
            role_slug=slug,
            role_name=names[slug],
            baseline_fte=difference(a=a.baseline.fte_by_role.get(slug, 0.0), b=b.baseline.fte_by_role.get(slug, 0.0)),
            final_fte=difference(a=a.final.fte_by_role.get(slug, 0.0), b=b.final.fte_by_role.get(slug, 0.0)),
        )
        for slug in dict.fromkeys([*a.role_names, *b.role_names])
    ]
    return Comparison(
        a_name=a.name,
        b_name=b.name,
        roles=roles,
        total_fte=difference(a=a.baseline.fte, b=b.baseline.fte),
        final_total_fte=difference(a=a.final.fte, b=b.final.fte),
        cost=difference(a=a.baseline.cost, b=b.baseline.cost),
        final_cost=difference(a=a.final.cost, b=b.final.cost),
        cost_over_horizon=difference(a=a.cost_over_horizon, b=b.cost_over_horizon),
        demand_met_pct=difference(a=a.baseline.demand_met_pct, b=b.baseline.demand_met_pct),
        final_demand_met_pct=difference(a=a.final.demand_met_pct, b=b.final.demand_met_pct),
        gap_fte=difference(a=a.baseline.gap_fte, b=b.baseline.gap_fte),
        final_gap_fte=difference(a=a.final.gap_fte, b=b.final.gap_fte),
        skilled_hours_on_routine=difference(
            a=a.allocation.skilled_hours_on_routine, b=b.allocation.skilled_hours_on_routine
        ),
        unmet_hours_by_tier={
            TIER_LABELS[tier].lower(): difference(
                a=a.allocation.tier(tier).unmet_hours, b=b.allocation.tier(tier).unmet_hours
            )
            for tier in TIERS_HARDEST_FIRST
        },
        targets=compare_targets(a=a, b=b),
        targets_met=difference(a=targets_met_count(result=a), b=targets_met_count(result=b)),
        warnings=comparison_warnings(a=a, b=b),
    )


def rollup_years(*, results: Sequence[PlanResult]) -> list[RollupYear]:
    by_year: dict[int, list[YearResult]] = {}
    for result in results:
        for year in result.years:
            by_year.setdefault(year.year, []).append(year)
    rows = []
    for calendar_year in sorted(by_year):
        years = by_year[calendar_year]
        demand = math.fsum(year.demand_hours for year in years)
        allocated = math.fsum(year.allocated_hours for year in years)
        rows.append(
            RollupYear(
                year=calendar_year,
                teams_counted=len(years),
                fte=math.fsum(year.fte for year in years),
                vacancies_fte=math.fsum(year.vacancies_fte for year in years),
                cost=math.fsum(year.cost for year in years),
                demand_hours=demand,
                allocated_hours=allocated,
                demand_met_pct=percentage(part=allocated, whole=demand),
                gap_fte=math.fsum(year.gap_fte for year in years),
            )
        )
    return rows


def rollup(results: Sequence[PlanResult]) -> Rollup:
    """An organisation's teams added together, at each team's baseline and by calendar year (section 7)."""
    family_fte: dict[str, float] = {}
    for result in results:
        for share in result.skill_mix.by_family:
            family_fte[share.key] = family_fte.get(share.key, 0.0) + share.fte
    total_fte = math.fsum(result.skill_mix.total_fte for result in results)
    demand = math.fsum(result.allocation.demand_hours for result in results)
    allocated = math.fsum(result.allocation.allocated_hours for result in results)
    return Rollup(
        teams=len(results),
        fte=total_fte,
        establishment_fte=math.fsum(result.baseline.establishment_fte for result in results),
        vacancies_fte=math.fsum(result.baseline.vacancies_fte for result in results),
        cost=math.fsum(result.baseline.cost for result in results),
        cost_over_horizon=math.fsum(result.cost_over_horizon for result in results),
        demand_hours=demand,
        allocated_hours=allocated,
        demand_met_pct=percentage(part=allocated, whole=demand),
        gap_fte=math.fsum(result.allocation.gap_fte for result in results),
        unmet_hours_by_tier={
            TIER_LABELS[tier].lower(): math.fsum(result.allocation.tier(tier).unmet_hours for result in results)
            for tier in TIERS_HARDEST_FIRST
        },
        skilled_hours_on_routine=math.fsum(result.allocation.skilled_hours_on_routine for result in results),
        registered_pct=percentage(
            part=math.fsum(result.skill_mix.registered_fte for result in results), whole=total_fte
        ),
        skill_mix_by_family=fte_shares(fte_by_key=dict(sorted(family_fte.items()))),
        by_year=rollup_years(results=results),
    )


# ---------------------------------------------------------------------------------------------------------------
# Presentation
# ---------------------------------------------------------------------------------------------------------------


def as_dict(result: Any, *, places: int = 2) -> Any:
    """A JSON-safe copy of any engine output: dataclasses become dicts, sets sorted lists, dict keys strings, and
    every float is rounded to `places` decimal places (pence for money; hours, FTE and percentages to 2 dp).
    The plan's `Assumptions` are copied unrounded, because they are inputs (0.785 must not become 0.79)."""
    if isinstance(result, Assumptions):
        return {item.name: getattr(result, item.name) for item in fields(result)}
    if is_dataclass(result) and not isinstance(result, type):
        return {item.name: as_dict(getattr(result, item.name), places=places) for item in fields(result)}
    if isinstance(result, Mapping):
        return {str(key): as_dict(value, places=places) for key, value in result.items()}
    if isinstance(result, set | frozenset):
        return sorted(as_dict(value, places=places) for value in result)
    if isinstance(result, list | tuple):
        return [as_dict(value, places=places) for value in result]
    if isinstance(result, bool) or result is None or isinstance(result, int | str):
        return result
    if isinstance(result, float | Decimal):
        rounded = round(float(result), places)
        return 0.0 if rounded == 0 else rounded  # no "-0.0" on a dashboard
    raise TypeError(f"as_dict cannot convert {type(result).__name__}")

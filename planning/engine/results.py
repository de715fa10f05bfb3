"""The output dataclasses: what `calculate`, `compare` and `rollup` return (plain, mutable, JSON-safe through
`as_dict`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from planning.engine.inputs import Assumptions


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
    # The band figures above (band 5+, 8a+, mean band) count Agenda for Change lines only; medical grades are a
    # staff group of their own.
    afc_fte: float = 0.0
    medical_fte: float = 0.0


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
    # The rank allocation orders lines by within a tier (constants.experience_rank): the AfC band, or a medical
    # grade's stage of training.
    experience_rank: int


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
    # FTE of the role still in training (they need supervision before they qualify); need counts them too.
    trainees_fte: float


@dataclass
class SupervisorPool:
    role_slug: str
    role_name: str
    fte: float
    capacity_hours: float
    supervises: list[str]
    # Hours of the pool the maximum flow gives to supervised roles (≤ capacity_hours).
    used_hours: float


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


@dataclass(slots=True)
class LineYear:
    """One staffing line in one year of the projection (section 6): supply flows, vacancies, declarations, cost."""

    line_index: int
    role_slug: str
    band: str
    fte: float
    establishment_fte: float
    vacancies_fte: float
    over_establishment_fte: float
    leavers_fte: float
    recruits_fte: float
    trainees_qualifying_fte: float
    trainees_in_training_fte: float
    declared_capabilities: dict[str, float]
    cost: float
    # "registered", "unregistered", "medical" or "non-clinical" (constants.staff_group).
    staff_group: str


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
    lines: list[LineYear]
    clinical_fte: float
    over_establishment_fte: float
    demand_need_fte: float
    cover_need_fte: float
    need_fte: float
    need_basis: str
    demand_gap_fte: float
    cover_gap_fte: float
    surplus_fte: float
    complex_capacity_hours: float
    complex_met_pct: float | None
    capability_coverage: list[CapabilityCoverage]
    supervision: Supervision
    establishment_cost: float


@dataclass
class TargetYear:
    """A target judged in one year of the projection."""

    year: int
    status: str
    met: bool | None
    actual: float | None
    required: float | None


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
    kind: str = "current"
    # The figure the team is judged against: `value`, or a minimum scaled to the team's population.
    required: float | None = None
    # The target judged in every year k = 0 … horizon (the first and last are the fields above).
    by_year: list[TargetYear] = field(default_factory=list)


@dataclass
class DemandUsed:
    """One demand line the calculation used: the plan's own, or derived from the population and a reference rate
    (then with the rate per 100,000 and its source)."""

    tier: int
    label: str
    caseload: float
    hours_per_person_per_week: float
    hours_per_week: float
    caseload_per_100k: float | None = None
    source_label: str = ""
    source_url: str = ""
    modelling_default: bool | None = None


@dataclass
class CoverResult:
    """The team type's minimum cover rule and the FTE it needs (section 4)."""

    staff_on_shift: float
    shifts_per_day: int
    shift_hours: float
    hours_per_week: float
    need_fte: float
    note: str
    source_url: str
    modelling_default: bool


@dataclass
class HeadlineYear:
    """The figures a lead looks at first, for one year (the start or the horizon)."""

    year: int
    fte_in_post: float
    establishment_fte: float
    vacancies_fte: float
    over_establishment_fte: float
    need_fte: float
    need_basis: str
    gap_fte: float
    surplus_fte: float
    demand_met_pct: float | None
    complex_met_pct: float | None
    cost: float
    establishment_cost: float


@dataclass
class Headlines:
    start: HeadlineYear
    horizon: HeadlineYear
    warnings: list[str]


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
    engine_version: str
    demand_basis: str
    demand: list[DemandUsed]
    cover: CoverResult | None
    headlines: Headlines
    establishment_cost_over_horizon: float
    # The calendar years cost_over_horizon and establishment_cost_over_horizon sum (start_year … end_year − 1).
    cost_years: list[int]
    pay_notes: list[str] = field(default_factory=list)

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
class GroupDifference:
    """FTE of one group (a band, a staff group) in plans a and b, at the baseline and at the end of the horizon."""

    key: str
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
    # Band code → FTE (bands in rank order); staff group → FTE (registered, unregistered, medical, non-clinical).
    fte_by_band: dict[str, GroupDifference]
    fte_by_staff_group: dict[str, GroupDifference]
    complex_capacity_hours: Difference
    final_complex_capacity_hours: Difference
    complex_met_pct: Difference
    final_complex_met_pct: Difference
    supervision_shortfall_hours: Difference
    final_supervision_shortfall_hours: Difference
    surplus_fte: Difference
    final_surplus_fte: Difference


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
    need_fte: float
    surplus_fte: float


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
    need_fte: float
    surplus_fte: float

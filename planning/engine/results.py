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
    kind: str = "current"
    # The figure the team is judged against: `value`, or a minimum scaled to the team's population.
    required: float | None = None


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

"""What the dashboard templates show (`templates/planning/includes/dashboard*.html`): one dataclass a table
row or section, every figure already written as text in the house style of `planning.formatting`."""

from __future__ import annotations

from dataclasses import dataclass

from planning import charts


@dataclass
class Headline:
    id: str
    label: str
    value: str
    detail: str


@dataclass
class ShareRow:
    label: str
    fte: str
    share: str


@dataclass
class Fact:
    label: str
    value: str
    detail: str = ""


@dataclass
class SkillMixSection:
    total_fte: str
    by_family: list[ShareRow]
    by_band: list[ShareRow]
    facts: list[Fact]
    chart: charts.BarChart | None


@dataclass
class TierRow:
    label: str
    demand: str
    allocated: str
    unmet: str
    met: str
    gap_fte: str


@dataclass
class LineRow:
    role: str
    band: str
    ceiling: str
    capacity: str
    complex: str
    moderate: str
    routine: str
    idle: str


@dataclass
class ComplexitySection:
    has_demand: bool
    tiers: list[TierRow]
    total: TierRow
    lines: list[LineRow]
    line_total: LineRow
    complex_on_routine: str
    skilled_on_routine: str
    skilled_sentence: str
    moderate_sentence: str


@dataclass
class CapabilityRow:
    name: str
    min_fte: str
    available_fte: str
    met: bool
    status: str
    tag: str
    short_by: str
    modelling_default: bool


@dataclass
class SupervisionRow:
    role: str
    fte: str
    need: str
    capacity: str
    covered: str
    shortfall: str
    supervisors: str
    unsupervised: bool


@dataclass
class SupervisorRow:
    role: str
    fte: str
    capacity: str
    supervises: str


@dataclass
class SupervisionSection:
    rows: list[SupervisionRow]
    supervisors: list[SupervisorRow]
    need: str
    capacity: str
    covered: str
    shortfall: str
    spare: str
    unsupervised_need: str
    has_unsupervised: bool
    hours_per_supervisor_fte: str
    arithmetic: str


@dataclass
class TargetRow:
    key: str
    label: str
    wording: str
    required: str
    actual: str
    status: str
    tag: str
    reason: str
    actual_at_horizon: str
    status_at_horizon: str
    tag_at_horizon: str
    source_url: str
    source_label: str
    year: str
    secondary_source: bool
    unverified: bool = False
    kind: str = "current"


@dataclass
class TargetsSection:
    rows: list[TargetRow]
    met: int
    applicable: int
    not_applicable: int
    horizon_year: int


@dataclass
class ProjectionRow:
    year: int
    fte: str
    establishment: str
    vacancies: str
    capacity: str
    demand: str
    met: str
    gap_fte: str
    cost: str


@dataclass
class ProjectionSection:
    rows: list[ProjectionRow]
    chart: charts.LineChart


@dataclass
class CostRow:
    year: int
    fte: str
    cost: str
    uncosted_fte: str


@dataclass
class BandCostRow:
    band: str
    fte: str
    bottom: str
    top: str
    midpoint: str
    per_fte: str
    cost: str
    arithmetic: str
    costed: bool


@dataclass
class CostsSection:
    rows: list[CostRow]
    any_uncosted: bool
    over_horizon: str
    horizon_first: int
    horizon_last: int
    horizon_years: int
    baseline_cost: str
    on_cost_pct: str
    on_cost_factor: str
    pay_year: str
    pay_growth_pct: str
    by_band: list[BandCostRow]
    unconfirmed: bool  # some pay figures used are not confirmed against the published table
    source_urls: list[str]
    pay_point: str
    pay_point_label: str
    pay_notes: list[str]  # what the figures rest on, where not a confirmed published figure
    medical: bool  # the team has doctors, costed from the medical pay table


@dataclass
class AssumptionRow:
    symbol: str
    label: str
    value: str
    default: str
    is_default: bool
    meaning: str


@dataclass
class Dashboard:
    start_year: int
    end_year: int
    headlines: list[Headline]
    warnings: list[str]
    contents: list[tuple[str, str]]
    skill_mix: SkillMixSection
    complexity: ComplexitySection
    capabilities: list[CapabilityRow]
    any_modelling_default: bool
    team_type: str
    supervision: SupervisionSection
    targets: TargetsSection
    projection: ProjectionSection
    costs: CostsSection
    assumptions: list[AssumptionRow]
    care_hours_arithmetic: str
    care_hours_per_fte: str

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
class HeadlineRow:
    """One figure at the start and at the horizon (the headline table's row)."""

    id: str
    label: str
    start: str
    horizon: str
    note: str = ""


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
    ceiling_source: str  # "role and band default" or "set for this line" ("" on the total row)
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
    used: str
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
    year: int | str
    fte: str
    cost: str
    establishment_fte: str
    establishment_cost: str
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
    rows: list[CostRow]  # the years summed in the cost over the horizon
    total: CostRow  # their total: cost over the horizon, and cost of establishment over the same years
    any_uncosted: bool
    over_horizon: str
    horizon_first: int
    horizon_last: int
    horizon_definition: str  # "cost over the horizon", as the README defines it
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
    headlines: list[Headline]  # the cards
    start_and_horizon: list[HeadlineRow]  # the headline table
    headline_warnings: list[str]  # the engine's (over-establishment, falling supply, a gap, a surplus…)
    warnings: list[str]
    contents: list[tuple[str, str]]
    demand: DemandSection
    skill_mix: SkillMixSection
    complexity: ComplexitySection
    capabilities: list[CapabilityRow]
    any_modelling_default: bool
    team_type: str
    supervision: SupervisionSection
    targets: TargetsSection
    projection: ProjectionSection
    years: YearsSection
    costs: CostsSection
    assumptions: list[AssumptionRow]
    care_hours_arithmetic: str
    care_hours_per_fte: str


@dataclass
class YearCell:
    text: str
    status: str = ""  # a status tag's words, shown after the text ("" for none)
    tag: str = ""  # the NHS.UK tag class for `status`


@dataclass
class YearTableRow:
    label: str
    cells: list[YearCell]
    note: str = ""


@dataclass
class YearTable:
    """A compact table with one column a year (start year … horizon)."""

    id: str
    caption: str
    row_header: str
    years: list[int]
    rows: list[YearTableRow]


@dataclass
class DemandUsedRow:
    tier: str
    caseload: str
    rate: str  # people per 100,000 population ("" when the plan entered its own caseload)
    hours_per_person: str
    hours_per_week: str
    source_label: str
    source_url: str
    modelling_default: bool


@dataclass
class CoverSection:
    staff_on_shift: str
    shifts_per_day: str
    shift_hours: str
    hours_per_week: str
    productive_hours_per_fte: str
    need_fte: str
    arithmetic: str
    note: str
    source_url: str
    modelling_default: bool


@dataclass
class DemandSection:
    basis_sentence: str
    from_population: bool
    rows: list[DemandUsedRow]
    total_hours: str
    any_modelling_default: bool
    cover: CoverSection | None
    need: YearTable


@dataclass
class YearsSection:
    capabilities: YearTable | None
    supervision: YearTable | None
    targets: YearTable | None
    lines: list[YearTable]  # per staffing line figures, one table a measure; empty when the plan is too large
    line_count: int
    lines_shown: bool
    line_limit: int

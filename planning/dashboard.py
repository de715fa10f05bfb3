"""Display logic for a plan's dashboard: turns the engine's `PlanResult` into the headline figures, sections,
table rows and charts that `templates/planning/includes/dashboard*.html` show, and into the projection export.

Nothing here calculates a planning figure: every number comes from `planning.engine` (see its docstring for
the equations). This module only picks, labels and rounds them, and spells out the arithmetic so that each
figure can be checked by hand. Rounding is for display only, as in `engine.as_dict`: money to the penny,
FTE and hours to 2 decimal places, percentages to 1.

`reference_notes(plan)` reads what the engine does not carry (whether a capability minimum is a modelling
default, a target's wording, the pay table and its source): three queries, scoped by the plan's team type and
pay year, for a plan the caller already got through `planning.selectors`.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from planning import charts, engine, spreadsheets
from planning.models import GuidanceTarget, PayScale, Plan, StaffingLine, TeamTypeCapability

NONE = "–"

# ---------------------------------------------------------------------------------------------------------------
# Formatting (display only; the engine never rounds)
# ---------------------------------------------------------------------------------------------------------------


def _rounded(value: float, places: int) -> float:
    rounded = round(float(value), places)
    return 0.0 if rounded == 0 else rounded  # never "-0.00"


def fte(value: float | None) -> str:
    return NONE if value is None else f"{_rounded(value, 2):,.2f}"


hours = fte


def pct(value: float | None) -> str:
    return NONE if value is None else f"{_rounded(value, 1):,.1f}%"


def money(value: float | None) -> str:
    if value is None:
        return NONE
    value = _rounded(value, 2)
    return f"−£{-value:,.2f}" if value < 0 else f"£{value:,.2f}"


def plain(value: float) -> str:
    """An input as typed: 37.5, 0.78, 28 (up to 6 decimal places, no trailing zeros)."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def band_label(code: str) -> str:
    return f"Band {code}"


def plural(count: float, word: str) -> str:
    return f"{word}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------------------------------------
# Reference data the engine does not carry
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class ReferenceNotes:
    modelling_default: dict[str, bool]  # capability slug → its minimum FTE is a modelling default
    targets: dict[str, GuidanceTarget]  # target slug → target (for its wording and source)
    pay_points: dict[int, PayScale]  # band rank → pay point of the plan's pay year


def reference_notes(plan: Plan) -> ReferenceNotes:
    """Three queries, whatever the plan's size."""
    requirements = TeamTypeCapability.objects.filter(team_type_id=plan.team.team_type_id).values_list(
        "capability__slug", "modelling_default"
    )
    targets = GuidanceTarget.objects.filter(scope=GuidanceTarget.Scope.TEAM_TYPE, team_type_id=plan.team.team_type_id)
    return ReferenceNotes(
        modelling_default=dict(requirements),
        targets={target.slug: target for target in targets},
        pay_points={point.band: point for point in PayScale.objects.filter(year=plan.pay_year)},
    )


# ---------------------------------------------------------------------------------------------------------------
# What the templates show
# ---------------------------------------------------------------------------------------------------------------


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
    secondary_source: bool
    source_urls: list[str]


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


CONTENTS = [
    ("skill-mix", "Skill mix"),
    ("complexity", "Matching experience to complexity"),
    ("capabilities", "Capability coverage"),
    ("supervision", "Supervision"),
    ("targets", "Targets"),
    ("projection", "Projection"),
    ("costs", "Costs"),
    ("method", "Assumptions used"),
    # The plan's inputs and history (templates/planning/includes/plan_summary.html and history.html)
    ("assumptions", "Plan inputs: assumptions"),
    ("staffing", "Plan inputs: staffing"),
    ("demand", "Plan inputs: demand"),
    ("history", "History"),
]

TAGS = {
    engine.STATUS_MET: ("Met", "nhsuk-tag--green"),
    engine.STATUS_NOT_MET: ("Not met", "nhsuk-tag--red"),
    engine.STATUS_NOT_APPLICABLE: ("Not applicable", "nhsuk-tag--grey"),
}
METRIC_UNITS = {
    engine.METRIC_TOTAL_FTE: "FTE",
    engine.METRIC_FTE_PER_100K: "FTE per 100,000 people",
    engine.METRIC_CASELOAD_PER_CLINICAL_FTE: "people on the caseload per clinical FTE",
    engine.METRIC_MIN_FTE: "FTE",
    engine.METRIC_SHARE_OF_FTE: "% of the team's FTE",
    engine.METRIC_NATIONAL_HEADCOUNT: "staff (national)",
}
ASSUMPTIONS = [
    # (field, symbol, label, unit, meaning)
    ("contract_hours", "C", "Contract hours a week", " hours", "An Agenda for Change full-time week."),
    (
        "productive_fraction",
        "p",
        "Productive fraction",
        "",
        "Share of contracted time left after annual leave, bank holidays, sickness and training.",
    ),
    (
        "direct_care_fraction",
        "d",
        "Direct-care fraction",
        "",
        "Share of productive time spent on caseload work (the rest: notes, meetings, travel, supervision).",
    ),
    ("demand_growth_pct", "g", "Demand growth a year", "%", "Caseload growth each year, compounding."),
    ("on_cost_pct", "o", "Employer on-costs", "%", "Employer National Insurance, pension and levy on top of pay."),
    (
        "supervision_fraction",
        "s",
        "Supervision fraction",
        "",
        "Share of a supervisor's productive time available to supervise others.",
    ),
    (
        "pay_growth_pct",
        "w",
        "Pay growth a year",
        "%",
        "Pay awards after the pay year, compounding. Plans do not set it yet, so costs are in the pay year's prices.",
    ),
]
PAY_YEAR_DEFAULT = Plan._meta.get_field("pay_year").default


def _tag(status: str) -> tuple[str, str]:
    return TAGS.get(status, (status.capitalize(), "nhsuk-tag--grey"))


# --- Headline figures ------------------------------------------------------------------------------------


def headlines(result: engine.PlanResult, targets: TargetsSection) -> list[Headline]:
    baseline, final = result.baseline, result.final
    h = result.hours_per_fte_per_week
    if baseline.demand_met_pct is None:
        met = Headline("headline-demand-met", f"Demand met in {baseline.year}", "No demand", "No demand entered yet.")
    else:
        met = Headline(
            "headline-demand-met",
            f"Demand met in {baseline.year}",
            pct(baseline.demand_met_pct),
            f"{hours(baseline.allocated_hours)} of {hours(baseline.demand_hours)} hours a week of care.",
        )
    gap = Headline(
        "headline-gap",
        f"Gap in {baseline.year}",
        f"{fte(baseline.gap_fte)} FTE",
        f"{hours(baseline.unmet_hours)} unmet hours a week ÷ {hours(h)} care hours per FTE.",
    )
    gap_end = Headline(
        "headline-gap-horizon",
        f"Gap in {final.year}",
        f"{fte(final.gap_fte)} FTE",
        f"At the end of the plan's {result.horizon_years}-year horizon.",
    )
    cost = Headline(
        "headline-cost",
        f"Annual cost in {baseline.year}",
        money(baseline.cost),
        "Pay band midpoints plus employer on-costs."
        + (f" {fte(baseline.uncosted_fte)} FTE without a pay point left out." if baseline.uncosted_fte else ""),
    )
    if not targets.rows:
        target = Headline("headline-targets", "Targets met", "No targets", "No guidance targets for this team type.")
    else:
        detail = f"Applicable guidance targets met in {baseline.year}."
        if targets.not_applicable:
            detail += f" {targets.not_applicable} more {plural(targets.not_applicable, 'target')} not applicable."
        target = Headline("headline-targets", "Targets met", f"{targets.met} of {targets.applicable}", detail)
    return [met, gap, gap_end, cost, target]


# --- 1. Skill mix ----------------------------------------------------------------------------------------


def skill_mix_section(result: engine.PlanResult, family_names: dict[str, str]) -> SkillMixSection:
    mix = result.skill_mix
    by_family = [
        ShareRow(family_names.get(share.key, share.key), fte(share.fte), pct(share.share_pct))
        for share in mix.by_family
    ]
    by_band = [ShareRow(band_label(share.key), fte(share.fte), pct(share.share_pct)) for share in mix.by_band]
    if mix.registered_to_unregistered_ratio is None:
        ratio = "No unregistered staff" if mix.total_fte > 0 else NONE
    else:
        ratio = f"{mix.registered_to_unregistered_ratio:,.2f} to 1"
    if mix.mean_band_rank is None:
        mean_band, mean_detail = NONE, ""
    else:
        label = mix.mean_band_label or ""
        if label.startswith("between "):
            low, high = label.removeprefix("between ").split(" and ")
            mean_band = f"Between band {low} and band {high} (nearest: band {mix.mean_band_nearest})"
        else:
            mean_band = f"Band {label}"
        mean_detail = (
            f"Σ (FTE × band rank) ÷ total FTE = {mix.mean_band_rank:,.2f}, where bands 2 to 7 rank 2 to 7, and 8a, 8b, "
            "8c, 8d and 9 rank 8 to 12."
        )
    facts = [
        Fact("Total FTE in post", fte(mix.total_fte)),
        Fact("Registered professions", f"{fte(mix.registered_fte)} FTE ({pct(mix.registered_pct)})"),
        Fact("New roles", f"{fte(mix.new_role_fte)} FTE ({pct(mix.new_role_pct)})"),
        Fact("Registered to unregistered staff", ratio),
        Fact("FTE-weighted mean band", mean_band, mean_detail),
        Fact("At band 5 or above", pct(mix.band_5_plus_pct)),
        Fact("At band 8a or above", pct(mix.band_8a_plus_pct)),
    ]
    chart = None
    if mix.by_family and mix.total_fte > 0:
        items = [
            (family_names.get(share.key, share.key), share.fte, f"{fte(share.fte)} FTE ({pct(share.share_pct)})")
            for share in mix.by_family
        ]
        chart = charts.bar_chart(
            id="chart-skill-mix",
            title=f"FTE in post by role family, {result.start_year}",
            description="Horizontal bar chart. "
            + "; ".join(f"{label}: {text}" for label, _, text in items)
            + ". The table beside the chart gives the same figures.",
            items=items,
            axis_label="FTE in post",
        )
    return SkillMixSection(fte(mix.total_fte), by_family, by_band, facts, chart)


# --- 3. Matching experience to complexity ----------------------------------------------------------------


def _tier_row(label, demand, allocated, unmet, met_pct, gap) -> TierRow:
    return TierRow(label, hours(demand), hours(allocated), hours(unmet), pct(met_pct), fte(gap))


def complexity_section(result: engine.PlanResult) -> ComplexitySection:
    allocation = result.allocation
    tiers = [
        _tier_row(tier.label, tier.demand_hours, tier.allocated_hours, tier.unmet_hours, tier.met_pct, tier.gap_fte)
        for tier in allocation.tiers
    ]
    total = _tier_row(
        "All tiers",
        allocation.demand_hours,
        allocation.allocated_hours,
        allocation.unmet_hours,
        allocation.demand_met_pct,
        allocation.gap_fte,
    )
    lines = [
        LineRow(
            line.role_name,
            band_label(line.band),
            engine.TIER_LABELS[line.complexity_ceiling],
            hours(line.capacity_hours),
            hours(line.complex_hours),
            hours(line.moderate_hours),
            hours(line.routine_hours),
            hours(line.idle_hours),
        )
        for line in allocation.lines
    ]
    line_total = LineRow(
        "All staff",
        "",
        "",
        hours(allocation.capacity_hours),
        hours(math.fsum(line.complex_hours for line in allocation.lines)),
        hours(math.fsum(line.moderate_hours for line in allocation.lines)),
        hours(math.fsum(line.routine_hours for line in allocation.lines)),
        hours(allocation.idle_hours),
    )
    complex_on_routine = allocation.complex_capable_hours_on_routine
    moderate_on_routine = allocation.skilled_hours_on_routine - complex_on_routine
    if _rounded(complex_on_routine, 2) == 0:
        skilled_sentence = (
            "No hours of staff who can hold complex cases are spent on routine work that other roles could do."
        )
    else:
        skilled_sentence = (
            f"{hours(complex_on_routine)} hours a week of staff who can hold complex cases are spent on routine "
            "work that other roles could do."
        )
    if _rounded(moderate_on_routine, 2) == 0:
        moderate_sentence = ""
    else:
        moderate_sentence = (
            f"A further {hours(moderate_on_routine)} hours a week of staff who can hold moderate cases are spent on "
            "routine work."
        )
    return ComplexitySection(
        has_demand=allocation.demand_hours > 0,
        tiers=tiers,
        total=total,
        lines=lines,
        line_total=line_total,
        complex_on_routine=hours(complex_on_routine),
        skilled_on_routine=hours(allocation.skilled_hours_on_routine),
        skilled_sentence=skilled_sentence,
        moderate_sentence=moderate_sentence,
    )


# --- 2. Capability coverage ------------------------------------------------------------------------------


def capability_rows(result: engine.PlanResult, notes: ReferenceNotes) -> list[CapabilityRow]:
    rows = []
    for item in result.capability_coverage:
        status, tag = _tag(engine.STATUS_MET if item.met else engine.STATUS_NOT_MET)
        rows.append(
            CapabilityRow(
                name=item.name,
                min_fte=fte(item.min_fte),
                available_fte=fte(item.available_fte),
                met=item.met,
                status="Met" if item.met else "Short",
                tag=tag,
                short_by=fte(item.short_by_fte),
                modelling_default=notes.modelling_default.get(item.capability_slug, False),
            )
        )
    return rows


# --- 4. Supervision --------------------------------------------------------------------------------------


def _role_name(slug: str, names: dict[str, str]) -> str:
    return names.get(slug) or slug.replace("-", " ").capitalize()


def supervision_section(result: engine.PlanResult) -> SupervisionSection:
    supervision = result.supervision
    names = result.role_names
    a = result.assumptions
    per_fte = engine.supervision_hours_per_supervisor_fte_per_month(assumptions=a)
    rows = []
    for role in supervision.roles:
        if role.supervisors_in_team:
            supervisors = ", ".join(_role_name(slug, names) for slug in role.supervisors_in_team)
        elif role.supervisor_role_slugs:
            others = ", ".join(_role_name(slug, names) for slug in role.supervisor_role_slugs)
            supervisors = f"None in the team (supervised by: {others})"
        else:
            supervisors = "No supervising role recorded"
        rows.append(
            SupervisionRow(
                role=role.role_name,
                fte=fte(role.fte),
                need=hours(role.need_hours),
                capacity=hours(role.capacity_hours),
                covered=hours(role.covered_hours),
                shortfall=hours(role.shortfall_hours),
                supervisors=supervisors,
                unsupervised=role.unsupervised,
            )
        )
    supervisors = [
        SupervisorRow(
            role=pool.role_name,
            fte=fte(pool.fte),
            capacity=hours(pool.capacity_hours),
            supervises=", ".join(_role_name(slug, names) for slug in pool.supervises),
        )
        for pool in supervision.supervisors
    ]
    return SupervisionSection(
        rows=rows,
        supervisors=supervisors,
        need=hours(supervision.need_hours),
        capacity=hours(supervision.capacity_hours),
        covered=hours(supervision.covered_hours),
        shortfall=hours(supervision.shortfall_hours),
        spare=hours(supervision.spare_hours),
        unsupervised_need=hours(supervision.unsupervised_need_hours),
        has_unsupervised=supervision.unsupervised_need_hours > 0,
        hours_per_supervisor_fte=hours(per_fte),
        arithmetic=(
            f"{plain(a.contract_hours)} hours × 52 ÷ 12 weeks × {plain(a.productive_fraction)} × "
            f"{plain(a.supervision_fraction)} = {hours(per_fte)} hours a month"
        ),
    )


# --- 6. Targets ------------------------------------------------------------------------------------------


def required_text(target: engine.TargetResult) -> str:
    unit = METRIC_UNITS.get(target.metric, "")
    if target.comparator == engine.AT_LEAST:
        return f"At least {fte(target.value)} {unit}".strip()
    if target.comparator == engine.AT_MOST:
        return f"At most {fte(target.value)} {unit}".strip()
    if target.comparator == engine.BETWEEN and target.value_max is not None:
        return f"Between {fte(target.value)} and {fte(target.value_max)} {unit}".strip()
    return f"{target.comparator} {fte(target.value)} {unit}".strip()


def actual_text(target: engine.TargetResult, actual: float | None) -> str:
    if actual is None:
        return NONE
    return f"{fte(actual)} {METRIC_UNITS.get(target.metric, '')}".strip()


def targets_section(result: engine.PlanResult, notes: ReferenceNotes) -> TargetsSection:
    rows = []
    for target in result.targets:
        status, tag = _tag(target.status)
        status_end, tag_end = _tag(target.status_at_horizon)
        stored = notes.targets.get(target.key)
        rows.append(
            TargetRow(
                key=target.key,
                label=target.label,
                wording=stored.wording if stored else "",
                required=required_text(target),
                actual=actual_text(target, target.actual),
                status=status,
                tag=tag,
                reason=target.reason,
                actual_at_horizon=actual_text(target, target.actual_at_horizon),
                status_at_horizon=status_end,
                tag_at_horizon=tag_end,
                source_url=target.source_url,
                source_label=target.source_label or target.source_url,
                year=target.year,
                secondary_source=bool(stored and stored.secondary_source),
            )
        )
    applicable = sum(1 for target in result.targets if target.status != engine.STATUS_NOT_APPLICABLE)
    return TargetsSection(
        rows=rows,
        met=engine.targets_met_count(result=result),
        applicable=applicable,
        not_applicable=len(result.targets) - applicable,
        horizon_year=result.final.year,
    )


# --- 5. Projection ---------------------------------------------------------------------------------------


def projection_section(result: engine.PlanResult) -> ProjectionSection:
    rows = [
        ProjectionRow(
            year=year.year,
            fte=fte(year.fte),
            establishment=fte(year.establishment_fte),
            vacancies=fte(year.vacancies_fte),
            capacity=hours(year.capacity_hours),
            demand=hours(year.demand_hours),
            met=pct(year.demand_met_pct),
            gap_fte=fte(year.gap_fte),
            cost=money(year.cost),
        )
        for year in result.years
    ]
    first, last = result.years[0].year, result.years[-1].year
    description = (
        "Line chart of care capacity and demand in hours a week for each year. Capacity is the solid blue line "
        "with round markers; demand is the dashed black line with square markers. "
        + "; ".join(
            f"{year.year}: capacity {hours(year.capacity_hours)}, demand {hours(year.demand_hours)}"
            for year in result.years
        )
        + ". The table after the chart gives these and more figures."
    )
    chart = charts.line_chart(
        id="chart-projection",
        title=f"Care capacity and demand, hours a week, {first} to {last}",
        description=description,
        categories=[str(year.year) for year in result.years],
        series=[
            ("Capacity", [year.capacity_hours for year in result.years]),
            ("Demand", [year.demand_hours for year in result.years]),
        ],
        y_label="Hours a week",
        x_label="Year",
    )
    return ProjectionSection(rows=rows, chart=chart)


# --- Costs -----------------------------------------------------------------------------------------------


def costs_section(result: engine.PlanResult, plan: Plan, notes: ReferenceNotes) -> CostsSection:
    a = result.assumptions
    factor = 1 + a.on_cost_pct / 100
    rank_of = {code: rank for rank, code in engine.BAND_CODES.items()}
    by_band = []
    for share in result.skill_mix.by_band:
        point = notes.pay_points.get(rank_of[share.key])
        if point is None:
            by_band.append(
                BandCostRow(band_label(share.key), fte(share.fte), NONE, NONE, NONE, NONE, NONE, "", costed=False)
            )
            continue
        midpoint = float(point.midpoint)
        cost = engine.annual_cost(fte=share.fte, midpoint=midpoint, on_cost_pct=a.on_cost_pct)
        by_band.append(
            BandCostRow(
                band=band_label(share.key),
                fte=fte(share.fte),
                bottom=money(point.bottom),
                top=money(point.top),
                midpoint=money(midpoint),
                per_fte=money(midpoint * factor),
                cost=money(cost),
                arithmetic=f"{fte(share.fte)} × {money(midpoint)} × {plain(factor)} = {money(cost)}",
                costed=True,
            )
        )
    rows = [CostRow(year.year, fte(year.fte), money(year.cost), fte(year.uncosted_fte)) for year in result.years]
    used = [
        notes.pay_points[rank_of[share.key]]
        for share in result.skill_mix.by_band
        if rank_of[share.key] in notes.pay_points
    ]
    sources = list(dict.fromkeys(point.source_url for point in (used or notes.pay_points.values()) if point.source_url))
    return CostsSection(
        rows=rows,
        any_uncosted=any(year.uncosted_fte > 0 for year in result.years),
        over_horizon=money(result.cost_over_horizon),
        horizon_first=result.start_year,
        horizon_last=result.start_year + result.horizon_years - 1,
        horizon_years=result.horizon_years,
        baseline_cost=money(result.baseline.cost),
        on_cost_pct=plain(a.on_cost_pct),
        on_cost_factor=plain(factor),
        pay_year=plan.pay_year,
        pay_growth_pct=plain(a.pay_growth_pct),
        by_band=by_band,
        secondary_source=any(point.secondary_source for point in (used or notes.pay_points.values())),
        source_urls=sources,
    )


# --- Assumptions -----------------------------------------------------------------------------------------


def assumption_rows(result: engine.PlanResult, plan: Plan) -> list[AssumptionRow]:
    defaults = engine.Assumptions()
    rows = []
    for name, symbol, label, unit, meaning in ASSUMPTIONS:
        value, default = getattr(result.assumptions, name), getattr(defaults, name)
        rows.append(
            AssumptionRow(
                symbol=symbol,
                label=label,
                value=f"{plain(value)}{unit}",
                default=f"{plain(default)}{unit}",
                is_default=math.isclose(value, default),
                meaning=meaning,
            )
        )
    rows.append(
        AssumptionRow(
            symbol="",
            label="Pay year",
            value=plan.pay_year,
            default=PAY_YEAR_DEFAULT,
            is_default=plan.pay_year == PAY_YEAR_DEFAULT,
            meaning="The Agenda for Change pay table used for costs (each band's midpoint).",
        )
    )
    return rows


# --- Everything ------------------------------------------------------------------------------------------


def build(plan: Plan, result: engine.PlanResult, staffing: list[StaffingLine]) -> Dashboard:
    """The dashboard for `plan`. `staffing` is the plan's lines with `role__family` loaded (for family names)."""
    notes = reference_notes(plan)
    family_names = {line.role.family.slug: line.role.family.name for line in staffing}
    capabilities = capability_rows(result, notes)
    targets = targets_section(result, notes)
    a = result.assumptions
    return Dashboard(
        start_year=result.start_year,
        end_year=result.final.year,
        headlines=headlines(result, targets),
        warnings=list(result.warnings),
        contents=CONTENTS,
        skill_mix=skill_mix_section(result, family_names),
        complexity=complexity_section(result),
        capabilities=capabilities,
        any_modelling_default=any(row.modelling_default for row in capabilities),
        team_type=plan.team.team_type.name,
        supervision=supervision_section(result),
        targets=targets,
        projection=projection_section(result),
        costs=costs_section(result, plan, notes),
        assumptions=assumption_rows(result, plan),
        care_hours_arithmetic=(
            f"{plain(a.contract_hours)} × {plain(a.productive_fraction)} × {plain(a.direct_care_fraction)} "
            f"= {hours(result.hours_per_fte_per_week)} hours a week"
        ),
        care_hours_per_fte=hours(result.hours_per_fte_per_week),
    )


# ---------------------------------------------------------------------------------------------------------------
# Projection export (CSV and XLSX): one row a year, rounded as in `engine.as_dict`
# ---------------------------------------------------------------------------------------------------------------

PROJECTION_COLUMNS = [
    # (YearResult field, header, XLSX number format)
    ("year", "year", "0"),
    ("fte", "fte", "0.00"),
    ("establishment_fte", "establishment_fte", "0.00"),
    ("vacancies_fte", "vacancies_fte", "0.00"),
    ("capacity_hours", "capacity_hours_per_week", "0.00"),
    ("demand_hours", "demand_hours_per_week", "0.00"),
    ("allocated_hours", "met_hours_per_week", "0.00"),
    ("unmet_hours", "unmet_hours_per_week", "0.00"),
    ("demand_met_pct", "demand_met_pct", "0.00"),
    ("gap_fte", "gap_fte", "0.00"),
    ("cost", "cost_gbp", "#,##0.00"),
    ("uncosted_fte", "uncosted_fte", "0.00"),
]


def projection_rows(result: engine.PlanResult) -> list[list]:
    """Header, then one row a year (start year … end of the horizon); numbers stay numbers, None is empty."""
    rows = [[header for _, header, _ in PROJECTION_COLUMNS]]
    for year in result.years:
        values = engine.as_dict(year)
        rows.append([values[name] for name, _, _ in PROJECTION_COLUMNS])
    return rows


def _safe(value):
    """Text is escaped against formula injection (`spreadsheets.escape_text`); numbers stay numbers."""
    return spreadsheets.escape_text(value) if isinstance(value, str) else value


def projection_csv(result: engine.PlanResult) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([_safe(value) for value in row] for row in projection_rows(result))
    return "\ufeff" + out.getvalue()  # the byte-order mark makes Excel read the file as UTF-8


def projection_xlsx(result: engine.PlanResult, plan: Plan) -> bytes:
    """A "Projection" sheet (one row a year) and the plan's "Assumptions" sheet, as in the plan export."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Projection"
    for row in projection_rows(result):
        sheet.append([_safe(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, (_, header, number_format) in enumerate(PROJECTION_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(header) + 2)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, int | float):
                cell.number_format = number_format
    assumptions = workbook.create_sheet("Assumptions")
    for row in spreadsheets.assumption_rows(plan):
        assumptions.append([_safe(value) for value in row])
    for cell in assumptions[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def projection_filename(plan: Plan, extension: str) -> str:
    """`<team>-<plan>-projection-v<version>.<extension>`, like the plan export's name."""
    stem = spreadsheets.export_filename(plan, extension).removesuffix(f"-v{plan.version}.{extension}")
    return f"{stem}-projection-v{plan.version}.{extension}"

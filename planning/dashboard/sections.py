"""The dashboard's sections, each built from the engine's `PlanResult`: skill mix, matching experience to
complexity, capability coverage, supervision, targets, projection and costs.

Nothing here calculates a planning figure: every number comes from `planning.engine` (see its docstring for the
equations). This module only picks and labels them, writes them in the house style of `planning.formatting`, and
spells out the arithmetic so that each figure can be checked by hand.
"""

from __future__ import annotations

import math

from planning import charts, engine
from planning.dashboard.labels import METRIC_UNITS, band_label, role_name, status_tag
from planning.dashboard.reference import ReferenceNotes
from planning.dashboard.rows import (
    BandCostRow,
    CapabilityRow,
    ComplexitySection,
    CostRow,
    CostsSection,
    Fact,
    LineRow,
    ProjectionRow,
    ProjectionSection,
    ShareRow,
    SkillMixSection,
    SupervisionRow,
    SupervisionSection,
    SupervisorRow,
    TargetRow,
    TargetsSection,
    TierRow,
)
from planning.formatting import NO_VALUE, fte, hours, is_zero, money, percent, plain
from planning.models import Plan
from roles.bands import is_afc

# --- 1. Skill mix ----------------------------------------------------------------------------------------


def skill_mix_section(result: engine.PlanResult, family_names: dict[str, str]) -> SkillMixSection:
    mix = result.skill_mix
    by_family = [
        ShareRow(family_names.get(share.key, share.key), fte(share.fte), percent(share.share_pct))
        for share in mix.by_family
    ]
    by_band = [ShareRow(band_label(share.key), fte(share.fte), percent(share.share_pct)) for share in mix.by_band]
    if mix.registered_to_unregistered_ratio is None:
        ratio = "No unregistered staff" if mix.total_fte > 0 else NO_VALUE
    else:
        ratio = f"{mix.registered_to_unregistered_ratio:,.2f} to 1"
    if mix.mean_band_rank is None:
        mean_band, mean_detail = NO_VALUE, ""
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
        if mix.medical_fte > 0:
            mean_detail += f" Agenda for Change lines only: total AfC FTE {fte(mix.afc_fte)}."
    afc_only = " (Agenda for Change lines only)" if mix.medical_fte > 0 else ""
    facts = [
        Fact("Total FTE in post", fte(mix.total_fte)),
        Fact("Registered professions", f"{fte(mix.registered_fte)} FTE ({percent(mix.registered_pct)})"),
        Fact("New roles", f"{fte(mix.new_role_fte)} FTE ({percent(mix.new_role_pct)})"),
        Fact("Registered to unregistered staff", ratio),
        Fact("FTE-weighted mean band", mean_band, mean_detail),
        Fact(f"At band 5 or above{afc_only}", percent(mix.band_5_plus_pct)),
        Fact(f"At band 8a or above{afc_only}", percent(mix.band_8a_plus_pct)),
    ]
    if mix.medical_fte > 0:
        facts.append(
            Fact(
                "Doctors (medical grades)",
                f"{fte(mix.medical_fte)} FTE",
                "A staff group of its own: doctors are not on Agenda for Change bands, so the band figures above "
                "leave them out.",
            )
        )
    chart = None
    if mix.by_family and mix.total_fte > 0:
        items = [
            (family_names.get(share.key, share.key), share.fte, f"{fte(share.fte)} FTE ({percent(share.share_pct)})")
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
    return TierRow(label, hours(demand), hours(allocated), hours(unmet), percent(met_pct), fte(gap))


CEILING_SOURCES = {False: "role and band default", True: "set for this line"}


def complexity_section(result: engine.PlanResult, overridden: list[bool]) -> ComplexitySection:
    """`overridden[i]`: line i (in the engine's order) has its own ceiling instead of its role and band's."""
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
            CEILING_SOURCES[overridden[line.line_index]],
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
        "",
        hours(allocation.capacity_hours),
        hours(math.fsum(line.complex_hours for line in allocation.lines)),
        hours(math.fsum(line.moderate_hours for line in allocation.lines)),
        hours(math.fsum(line.routine_hours for line in allocation.lines)),
        hours(allocation.idle_hours),
    )
    complex_on_routine = allocation.complex_capable_hours_on_routine
    moderate_on_routine = allocation.skilled_hours_on_routine - complex_on_routine
    if is_zero(complex_on_routine):
        skilled_sentence = (
            "No hours of staff who can hold complex cases are spent on routine work that other roles could do."
        )
    else:
        skilled_sentence = (
            f"{hours(complex_on_routine)} hours a week of staff who can hold complex cases are spent on routine "
            "work that other roles could do."
        )
    if is_zero(moderate_on_routine):
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
        status, tag = status_tag(engine.STATUS_MET if item.met else engine.STATUS_NOT_MET)
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


def supervision_section(result: engine.PlanResult) -> SupervisionSection:
    supervision = result.supervision
    names = result.role_names
    a = result.assumptions
    per_fte = engine.supervision_hours_per_supervisor_fte_per_month(assumptions=a)
    rows = []
    for role in supervision.roles:
        if role.supervisors_in_team:
            supervisors = ", ".join(role_name(slug, names) for slug in role.supervisors_in_team)
        elif role.supervisor_role_slugs:
            others = ", ".join(role_name(slug, names) for slug in role.supervisor_role_slugs)
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
            used=hours(pool.used_hours),
            supervises=", ".join(role_name(slug, names) for slug in pool.supervises),
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
    if target.metric == engine.METRIC_MIN_FTE_PER_POPULATION:
        if target.required is None:
            return f"At least {fte(target.value)} FTE for the source's population, scaled to the team's"
        return f"At least {fte(target.required)} FTE ({fte(target.value)} for the source's population, scaled)"
    if target.comparator == engine.AT_LEAST:
        return f"At least {fte(target.value)} {unit}".strip()
    if target.comparator == engine.AT_MOST:
        return f"At most {fte(target.value)} {unit}".strip()
    if target.comparator == engine.BETWEEN and target.value_max is not None:
        return f"Between {fte(target.value)} and {fte(target.value_max)} {unit}".strip()
    return f"{target.comparator} {fte(target.value)} {unit}".strip()


def actual_text(target: engine.TargetResult, actual: float | None) -> str:
    if actual is None:
        return NO_VALUE
    return f"{fte(actual)} {METRIC_UNITS.get(target.metric, '')}".strip()


def targets_section(result: engine.PlanResult, notes: ReferenceNotes) -> TargetsSection:
    rows = []
    for target in result.targets:
        status, tag = status_tag(target.status)
        status_end, tag_end = status_tag(target.status_at_horizon)
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
                unverified=bool(stored and stored.unverified),
                kind=target.kind,
            )
        )
    judged = (engine.STATUS_MET, engine.STATUS_NOT_MET)
    applicable = sum(1 for target in result.targets if target.status in judged)
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
            met=percent(year.demand_met_pct),
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


def horizon_definition(result: engine.PlanResult) -> str:
    """The one definition of "cost over the horizon" (the README's, with the plan's years)."""
    years = result.cost_years
    if not years:
        return "The plan has no years before its end, so no cost is summed."
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]} to {years[-1]}"
    return (
        f"Cost over the horizon is the sum of the annual cost of the staff in post in each of the plan's "
        f"{len(years)} {'year' if len(years) == 1 else 'years'} ({span}), each year costed at the FTE it starts "
        f"with. {result.final.year} is the position at the end of the plan and is not added. The cost of the "
        "funded establishment is summed over the same years."
    )


def costs_section(result: engine.PlanResult, plan: Plan, notes: ReferenceNotes) -> CostsSection:
    a = result.assumptions
    factor = 1 + a.on_cost_pct / 100
    rank_of = {code: rank for rank, code in engine.BAND_CODES.items()}
    by_band = []
    for share in result.skill_mix.by_band:
        point = notes.pay_points.get(rank_of[share.key])
        if point is None:
            by_band.append(
                BandCostRow(
                    band_label(share.key),
                    fte(share.fte),
                    NO_VALUE,
                    NO_VALUE,
                    NO_VALUE,
                    NO_VALUE,
                    NO_VALUE,
                    "",
                    costed=False,
                )
            )
            continue
        midpoint = float(point.top) if a.pay_point == engine.PAY_TOP else float(point.midpoint)
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
    cost_years = set(result.cost_years)
    summed = [year for year in result.years if year.year in cost_years]
    rows = [
        CostRow(
            year=year.year,
            fte=fte(year.fte),
            cost=money(year.cost),
            establishment_fte=fte(year.establishment_fte),
            establishment_cost=money(year.establishment_cost),
            uncosted_fte=fte(year.uncosted_fte),
        )
        for year in summed
    ]
    total = CostRow(
        year="Total: cost over the horizon",
        fte="",
        cost=money(result.cost_over_horizon),
        establishment_fte="",
        establishment_cost=money(result.establishment_cost_over_horizon),
        uncosted_fte="",
    )
    used = [
        notes.pay_points[rank_of[share.key]]
        for share in result.skill_mix.by_band
        if rank_of[share.key] in notes.pay_points
    ]
    sources = list(dict.fromkeys(point.source_url for point in (used or notes.pay_points.values()) if point.source_url))
    return CostsSection(
        rows=rows,
        total=total,
        any_uncosted=any(year.uncosted_fte > 0 for year in summed),
        over_horizon=money(result.cost_over_horizon),
        horizon_first=result.cost_years[0] if result.cost_years else result.start_year,
        horizon_last=result.cost_years[-1] if result.cost_years else result.start_year,
        horizon_definition=horizon_definition(result),
        baseline_cost=money(result.baseline.cost),
        on_cost_pct=plain(a.on_cost_pct),
        on_cost_factor=plain(factor),
        pay_year=plan.pay_year,
        pay_growth_pct=plain(a.pay_growth_pct),
        by_band=by_band,
        unconfirmed=any(not point.confirmed for point in (used or notes.pay_points.values())),
        source_urls=sources,
        pay_point=a.pay_point,
        pay_point_label=plan.get_pay_point_display(),
        pay_notes=result.pay_notes,
        medical=any(not is_afc(point.band) for point in used),
    )

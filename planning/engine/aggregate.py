"""Section 9, several results together: `compare(a, b)` (plan b against plan a) and `rollup(results)` (an
organisation's teams added up)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from planning.engine.constants import BAND_CODES, STAFF_GROUPS, TIER_LABELS, TIERS_HARDEST_FIRST
from planning.engine.formulas import percentage
from planning.engine.results import (
    Comparison,
    Difference,
    GroupDifference,
    PlanResult,
    RoleDifference,
    Rollup,
    RollupYear,
    TargetComparison,
    YearResult,
)
from planning.engine.skill_mix import fte_shares


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


def fte_by(*, year: YearResult, key: str) -> dict[str, float]:
    """FTE of a year's lines by one of their fields ("band" or "staff_group")."""
    totals: dict[str, float] = {}
    for line in year.lines:
        group = getattr(line, key)
        totals[group] = totals.get(group, 0.0) + line.fte
    return totals


def group_differences(*, a: PlanResult, b: PlanResult, key: str, order: list[str]) -> dict[str, GroupDifference]:
    """Group → FTE in a and b at the baseline and at the end of the horizon, for the groups either plan has."""
    a_start, b_start = fte_by(year=a.baseline, key=key), fte_by(year=b.baseline, key=key)
    a_end, b_end = fte_by(year=a.final, key=key), fte_by(year=b.final, key=key)
    present = {*a_start, *b_start}
    return {
        group: GroupDifference(
            key=group,
            baseline_fte=difference(a=a_start.get(group, 0.0), b=b_start.get(group, 0.0)),
            final_fte=difference(a=a_end.get(group, 0.0), b=b_end.get(group, 0.0)),
        )
        for group in order
        if group in present
    }


def compare(a: PlanResult, b: PlanResult) -> Comparison:
    """Plan b against plan a (section 9); every diff is b − a."""
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
        fte_by_band=group_differences(a=a, b=b, key="band", order=list(BAND_CODES.values())),
        fte_by_staff_group=group_differences(a=a, b=b, key="staff_group", order=list(STAFF_GROUPS)),
        complex_capacity_hours=difference(a=a.baseline.complex_capacity_hours, b=b.baseline.complex_capacity_hours),
        final_complex_capacity_hours=difference(a=a.final.complex_capacity_hours, b=b.final.complex_capacity_hours),
        complex_met_pct=difference(a=a.baseline.complex_met_pct, b=b.baseline.complex_met_pct),
        final_complex_met_pct=difference(a=a.final.complex_met_pct, b=b.final.complex_met_pct),
        supervision_shortfall_hours=difference(
            a=a.baseline.supervision.shortfall_hours, b=b.baseline.supervision.shortfall_hours
        ),
        final_supervision_shortfall_hours=difference(
            a=a.final.supervision.shortfall_hours, b=b.final.supervision.shortfall_hours
        ),
        surplus_fte=difference(a=a.baseline.surplus_fte, b=b.baseline.surplus_fte),
        final_surplus_fte=difference(a=a.final.surplus_fte, b=b.final.surplus_fte),
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
                need_fte=math.fsum(year.need_fte for year in years),
                surplus_fte=math.fsum(year.surplus_fte for year in years),
            )
        )
    return rows


def rollup(results: Sequence[PlanResult]) -> Rollup:
    """An organisation's teams added together, at each team's baseline and by calendar year (section 9)."""
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
        gap_fte=math.fsum(result.baseline.gap_fte for result in results),
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
        need_fte=math.fsum(result.baseline.need_fte for result in results),
        surplus_fte=math.fsum(result.baseline.surplus_fte for result in results),
    )

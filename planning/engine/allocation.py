"""Section 3, matching experience to complexity: the greedy allocation of care hours to demand by tier."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planning.engine.constants import COMPLEX, MODERATE, ROUTINE, TIER_LABELS, TIERS_HARDEST_FIRST, experience_rank
from planning.engine.formulas import add_up, care_hours_per_fte_per_week, percentage
from planning.engine.inputs import Assumptions, DemandLine, StaffLine
from planning.engine.results import Allocation, LineAllocation, TierResult


def demand_hours_by_tier(*, demand: Sequence[DemandLine], factor: float = 1.0) -> dict[int, float]:
    """D_t = Σ caseload × hours per person a week, times the growth factor; every tier present (0 if no line)."""
    hours = dict.fromkeys(TIERS_HARDEST_FIRST, 0.0)
    for line in demand:
        hours[line.tier] += line.hours_per_week * factor
    return hours


ServingGroups = dict[int, list[tuple[int, ...]]]


def serving_groups(*, staff: Sequence[StaffLine]) -> ServingGroups:
    """For each tier, the groups of lines able to serve it, in the order they are drawn on (section 3).

    A group is the lines with equal (ceiling, experience rank). Complex: most experienced first (descending rank);
    moderate and routine: least experienced first (ascending ceiling, then rank). Line order never matters."""
    members: dict[tuple[int, int], list[int]] = {}
    for index, line in enumerate(staff):
        members.setdefault((line.complexity_ceiling, experience_rank(line.band)), []).append(index)
    return {
        tier: [
            tuple(members[key]) for key in sorted((key for key in members if key[0] >= tier), reverse=tier == COMPLEX)
        ]
        for tier in TIERS_HARDEST_FIRST
    }


@dataclass
class _Matching:
    """Raw result of the allocation: hours by [line][tier], capacity left by line and unmet hours by tier."""

    hours: list[dict[int, float]]
    remaining: list[float]
    unmet: dict[int, float]


def match_capacity_to_demand(
    *,
    capacities: Sequence[float],
    groups: ServingGroups,
    demand: Mapping[int, float],
) -> _Matching:
    """The allocation of section 3: hardest tier first; within a tier, group by group in serving order, the demand
    still unmet shared within a group in proportion to its lines' remaining capacity."""
    remaining = list(capacities)
    hours = [dict.fromkeys(TIERS_HARDEST_FIRST, 0.0) for _ in capacities]
    unmet = {}
    for tier in TIERS_HARDEST_FIRST:
        still_needed = demand[tier]
        for group in groups[tier]:
            if still_needed <= 0:
                break
            available = math.fsum(remaining[index] for index in group)
            if available <= 0:
                continue
            share = min(1.0, still_needed / available)
            for index in group:
                take = remaining[index] if share == 1.0 else remaining[index] * share
                hours[index][tier] += take
                remaining[index] -= take
            still_needed = still_needed - available if share == 1.0 else 0.0
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
            experience_rank=experience_rank(line.band),
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
    groups: ServingGroups | None = None,
) -> Allocation:
    """Match the team's care capacity to demand by complexity (section 3).

    `ftes` (one per line) replaces the FTE in post, and `demand_factor` scales demand, for projected years.
    `per_line=False` leaves `lines` empty (projected years only report totals). `groups` is
    `serving_groups(staff=staff)`, passed in when the caller has it already.
    """
    hours_per_fte = care_hours_per_fte_per_week(assumptions=assumptions)
    ftes = [line.fte for line in staff] if ftes is None else ftes
    capacities = [fte * hours_per_fte if line.clinical else 0.0 for line, fte in zip(staff, ftes, strict=True)]
    ceilings = [line.complexity_ceiling for line in staff]
    demand_by_tier = demand_hours_by_tier(demand=demand, factor=demand_factor)
    matching = match_capacity_to_demand(
        capacities=capacities,
        groups=serving_groups(staff=staff) if groups is None else groups,
        demand=demand_by_tier,
    )
    tiers = tier_results(demand=demand_by_tier, unmet=matching.unmet, hours_per_fte=hours_per_fte)
    routine_by_ceiling = routine_hours_by_ceiling(matching=matching, ceilings=ceilings)
    total_demand = add_up(demand_by_tier.values())
    total_unmet = add_up(matching.unmet.values())
    lines = line_allocations(staff=staff, capacities=capacities, matching=matching) if per_line else []
    return Allocation(
        tiers=tiers,
        lines=lines,
        capacity_hours=add_up(capacities),
        demand_hours=total_demand,
        allocated_hours=total_demand - total_unmet,
        unmet_hours=total_unmet,
        idle_hours=add_up(matching.remaining),
        demand_met_pct=percentage(part=total_demand - total_unmet, whole=total_demand),
        gap_fte=total_unmet / hours_per_fte,
        skilled_hours_on_routine=routine_by_ceiling[MODERATE] + routine_by_ceiling[COMPLEX],
        complex_capable_hours_on_routine=routine_by_ceiling[COMPLEX],
    )

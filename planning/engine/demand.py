"""Section 3's input, the demand a plan is judged against: the plan's own demand lines, or lines derived from its
population and the team type's reference rates (caseload_t = population × caseload_per_100k_t ÷ 100,000)."""

from __future__ import annotations

from dataclasses import dataclass

from planning.engine.constants import DEMAND_FROM_POPULATION, DEMAND_OWN, PER_100K, TIER_LABELS
from planning.engine.inputs import DemandLine, PlanInput
from planning.engine.results import DemandUsed


@dataclass(frozen=True)
class Demand:
    """The demand lines the calculation uses, how they are shown, the basis used and any warning about it."""

    lines: tuple[DemandLine, ...]
    used: list[DemandUsed]
    basis: str
    warnings: list[str]


def demand_of(*, plan: PlanInput) -> Demand:
    """Demand from the population when the plan asks for it and has a population and rates; otherwise the plan's
    own lines (with a warning when it asked for the population basis)."""
    if plan.demand_basis == DEMAND_FROM_POPULATION:
        if plan.population and plan.demand_rates:
            return demand_from_population(plan=plan)
        missing = "no population served" if not plan.population else "no reference demand rates for its team type"
        warning = (
            f"Demand from the population was asked for, but the plan has {missing}: its own demand lines are used."
        )
        return own_demand(plan=plan, warnings=[warning])
    return own_demand(plan=plan, warnings=[])


def own_demand(*, plan: PlanInput, warnings: list[str]) -> Demand:
    used = [
        DemandUsed(
            tier=line.tier,
            label=TIER_LABELS[line.tier],
            caseload=line.caseload,
            hours_per_person_per_week=line.hours_per_person_per_week,
            hours_per_week=line.hours_per_week,
        )
        for line in plan.demand
    ]
    return Demand(lines=tuple(plan.demand), used=used, basis=DEMAND_OWN, warnings=warnings)


def demand_from_population(*, plan: PlanInput) -> Demand:
    lines, used = [], []
    for rate in plan.demand_rates:
        line = DemandLine(
            tier=rate.tier,
            caseload=plan.population * rate.caseload_per_100k / PER_100K,
            hours_per_person_per_week=rate.hours_per_person_per_week,
        )
        lines.append(line)
        used.append(
            DemandUsed(
                tier=rate.tier,
                label=TIER_LABELS[rate.tier],
                caseload=line.caseload,
                hours_per_person_per_week=line.hours_per_person_per_week,
                hours_per_week=line.hours_per_week,
                caseload_per_100k=rate.caseload_per_100k,
                source_label=rate.source_label,
                source_url=rate.source_url,
                modelling_default=rate.modelling_default,
            )
        )
    return Demand(lines=tuple(lines), used=used, basis=DEMAND_FROM_POPULATION, warnings=[])

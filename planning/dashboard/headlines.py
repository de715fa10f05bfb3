"""The five headline figures at the top of a plan's dashboard."""

from __future__ import annotations

from planning import engine
from planning.dashboard.labels import plural
from planning.dashboard.rows import Headline, TargetsSection
from planning.formatting import fte, hours, money, percent


def headlines(result: engine.PlanResult, targets: TargetsSection) -> list[Headline]:
    baseline, final = result.baseline, result.final
    h = result.hours_per_fte_per_week
    if baseline.demand_met_pct is None:
        met = Headline("headline-demand-met", f"Demand met in {baseline.year}", "No demand", "No demand entered yet.")
    else:
        met = Headline(
            "headline-demand-met",
            f"Demand met in {baseline.year}",
            percent(baseline.demand_met_pct),
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

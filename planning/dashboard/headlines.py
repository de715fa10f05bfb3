"""The figures a lead looks at first: five cards, and the headline table (each figure at the start and at the
horizon, from the engine's `PlanResult.headlines`). The engine's headline warnings go to the page as they are."""

from __future__ import annotations

from planning import engine
from planning.dashboard.labels import plural
from planning.dashboard.rows import Headline, HeadlineRow, TargetsSection
from planning.formatting import fte, hours, money, percent

NEED_BASIS = {engine.NEED_DEMAND: "demand", engine.NEED_COVER: "the minimum cover rule"}


def headlines(result: engine.PlanResult, targets: TargetsSection) -> list[Headline]:
    baseline = result.baseline
    if baseline.demand_met_pct is None:
        met = Headline("headline-demand-met", f"Demand met in {baseline.year}", "No demand", "No demand entered yet.")
    else:
        met = Headline(
            "headline-demand-met",
            f"Demand met in {baseline.year}",
            percent(baseline.demand_met_pct),
            f"{hours(baseline.allocated_hours)} of {hours(baseline.demand_hours)} hours a week of care.",
        )
    gaps = [
        gap_card("headline-gap", result.headlines.start),
        gap_card("headline-gap-horizon", result.headlines.horizon),
    ]
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
    return [met, *gaps, cost, target]


def gap_card(id: str, year: engine.HeadlineYear) -> Headline:
    return Headline(
        id,
        f"Gap in {year.year}",
        f"{fte(year.gap_fte)} FTE",
        f"Need {fte(year.need_fte)} FTE (from {NEED_BASIS.get(year.need_basis, year.need_basis)}); surplus "
        f"{fte(year.surplus_fte)} FTE.",
    )


def need_text(year: engine.HeadlineYear) -> str:
    return f"{fte(year.need_fte)} (from {NEED_BASIS.get(year.need_basis, year.need_basis)})"


def start_and_horizon(result: engine.PlanResult) -> list[HeadlineRow]:
    start, end = result.headlines.start, result.headlines.horizon
    h = result.hours_per_fte_per_week

    def row(id, label, value, note=""):
        return HeadlineRow(id, label, value(start), value(end), note)

    return [
        row("figure-fte", "FTE in post", lambda y: fte(y.fte_in_post)),
        row("figure-establishment", "Funded establishment (FTE)", lambda y: fte(y.establishment_fte)),
        row(
            "figure-vacancies",
            "Vacancies (FTE)",
            lambda y: fte(y.vacancies_fte),
            "Establishment minus FTE in post, line by line.",
        ),
        row(
            "figure-over-establishment",
            "Over establishment (FTE)",
            lambda y: fte(y.over_establishment_fte),
            "FTE in post above a line's funded establishment, line by line.",
        ),
        row(
            "figure-need",
            "Need (FTE)",
            need_text,
            f"The larger of demand ÷ {hours(h)} care hours per FTE and the minimum cover rule's FTE.",
        ),
        row(
            "figure-gap",
            "Gap (FTE)",
            lambda y: fte(y.gap_fte),
            "Need not met: the larger of unmet demand in FTE and cover need minus clinical FTE in post.",
        ),
        row(
            "figure-surplus",
            "Surplus (FTE)",
            lambda y: fte(y.surplus_fte),
            "Clinical FTE in post beyond what demand and cover use.",
        ),
        row("figure-met", "Demand met", lambda y: percent(y.demand_met_pct)),
        row("figure-complex-met", "Complex demand met", lambda y: percent(y.complex_met_pct)),
        row("figure-cost-in-post", "Annual cost of staff in post", lambda y: money(y.cost)),
        row(
            "figure-cost-establishment",
            "Annual cost of the funded establishment",
            lambda y: money(y.establishment_cost),
        ),
    ]

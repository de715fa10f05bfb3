"""The dashboard's "Demand and need" section: which demand the plan uses (entered for the plan, or worked out
from the population with the team type's reference rates, each with its source or "modelling default"), the
minimum cover rule of a 24/7 team, and need, gap and surplus for every year (from `PlanResult.demand`,
`PlanResult.cover` and `YearResult`)."""

from __future__ import annotations

import math

from planning import engine
from planning.dashboard.rows import CoverSection, DemandSection, DemandUsedRow, YearCell, YearTable, YearTableRow
from planning.formatting import fte, hours, plain
from planning.models import Plan

NEED_BASIS_LABELS = {engine.NEED_DEMAND: "Demand", engine.NEED_COVER: "Cover"}


def basis_sentence(result: engine.PlanResult, plan: Plan) -> str:
    if result.demand_basis == engine.DEMAND_FROM_POPULATION:
        return (
            f"Demand is worked out from the population the team serves ({result.population:,} people) with the "
            f"reference rates for a {plan.team.team_type.name}: caseload = population × people per 100,000 ÷ "
            "100,000, and hours a week = caseload × hours per person a week."
        )
    if plan.demand_basis == engine.DEMAND_FROM_POPULATION:
        return (
            "The plan asks for demand worked out from the population, but the team has no population served or "
            f"there are no reference rates for a {plan.team.team_type.name}, so the caseload entered for the plan "
            "is used."
        )
    return "Demand is the caseload entered for the plan, by tier, and the hours each person needs a week."


def demand_rows(result: engine.PlanResult) -> list[DemandUsedRow]:
    return [
        DemandUsedRow(
            tier=used.label,
            caseload=plain(round(used.caseload, 2)),
            rate="" if used.caseload_per_100k is None else plain(used.caseload_per_100k),
            hours_per_person=hours(used.hours_per_person_per_week),
            hours_per_week=hours(used.hours_per_week),
            source_label=used.source_label or used.source_url,
            source_url=used.source_url,
            modelling_default=bool(used.modelling_default),
        )
        for used in result.demand
    ]


def cover_section(result: engine.PlanResult) -> CoverSection | None:
    cover = result.cover
    if cover is None:
        return None
    a = result.assumptions
    productive = a.contract_hours * a.productive_fraction
    return CoverSection(
        staff_on_shift=plain(cover.staff_on_shift),
        shifts_per_day=plain(cover.shifts_per_day),
        shift_hours=plain(cover.shift_hours),
        hours_per_week=hours(cover.hours_per_week),
        productive_hours_per_fte=hours(productive),
        need_fte=fte(cover.need_fte),
        arithmetic=(
            f"{plain(cover.staff_on_shift)} staff on shift × {plain(cover.shifts_per_day)} shifts a day × "
            f"{plain(cover.shift_hours)} hours × 7 days = {hours(cover.hours_per_week)} hours a week; ÷ "
            f"({plain(a.contract_hours)} × {plain(a.productive_fraction)} = {hours(productive)} productive hours "
            f"a week per FTE) = {fte(cover.need_fte)} FTE"
        ),
        note=cover.note,
        source_url=cover.source_url,
        modelling_default=bool(cover.modelling_default),
    )


def need_table(result: engine.PlanResult) -> YearTable:
    years = result.years

    def row(label, value, note=""):
        return YearTableRow(label, [YearCell(value(year)) for year in years], note)

    rows = [
        row("Demand (hours a week)", lambda y: hours(y.demand_hours)),
        row("Need from demand (FTE)", lambda y: fte(y.demand_need_fte)),
    ]
    if result.cover is not None:
        rows.append(row("Need from minimum cover (FTE)", lambda y: fte(y.cover_need_fte)))
    rows += [
        row("Need, the larger (FTE)", lambda y: fte(y.need_fte)),
        row("Need comes from", lambda y: NEED_BASIS_LABELS.get(y.need_basis, y.need_basis)),
        row("Clinical FTE in post", lambda y: fte(y.clinical_fte)),
        row("Gap (FTE)", lambda y: fte(y.gap_fte)),
        row("Surplus (FTE)", lambda y: fte(y.surplus_fte)),
    ]
    return YearTable(
        id="need-by-year",
        caption="Need, gap and surplus by year",
        row_header="Figure",
        years=[year.year for year in years],
        rows=rows,
    )


def demand_section(result: engine.PlanResult, plan: Plan) -> DemandSection:
    rows = demand_rows(result)
    return DemandSection(
        basis_sentence=basis_sentence(result, plan),
        from_population=result.demand_basis == engine.DEMAND_FROM_POPULATION,
        rows=rows,
        total_hours=hours(math.fsum(used.hours_per_week for used in result.demand)),
        any_modelling_default=any(row.modelling_default for row in rows),
        cover=cover_section(result),
        need=need_table(result),
    )

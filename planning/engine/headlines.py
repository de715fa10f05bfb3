"""The figures a lead looks at first, at the start and at the horizon, and plain-English warnings about them."""

from __future__ import annotations

from planning.engine.constants import COMPLEX, NEED_COVER, TOLERANCE
from planning.engine.results import Headlines, HeadlineYear, YearResult


def headline_year(*, year: YearResult) -> HeadlineYear:
    return HeadlineYear(
        year=year.year,
        fte_in_post=year.fte,
        establishment_fte=year.establishment_fte,
        vacancies_fte=year.vacancies_fte,
        over_establishment_fte=year.over_establishment_fte,
        need_fte=year.need_fte,
        need_basis=year.need_basis,
        gap_fte=year.gap_fte,
        surplus_fte=year.surplus_fte,
        demand_met_pct=year.demand_met_pct,
        complex_met_pct=year.complex_met_pct,
        cost=year.cost,
        establishment_cost=year.establishment_cost,
    )


def ends(*, start: YearResult, horizon: YearResult) -> tuple[YearResult, ...]:
    """The start and the horizon (once, for a plan whose horizon is its start)."""
    return (start,) if start is horizon else (start, horizon)


def over_establishment_warnings(*, start: YearResult, horizon: YearResult) -> list[str]:
    return [
        f"In {year.year}, {year.over_establishment_fte:.2f} FTE in post is over the funded establishment of its "
        "lines: check how those posts are funded."
        for year in ends(start=start, horizon=horizon)
        if year.over_establishment_fte > TOLERANCE
    ]


def falling_supply_warnings(*, start: YearResult, horizon: YearResult) -> list[str]:
    if start.fte <= 0 or horizon.fte >= start.fte - TOLERANCE:
        return []
    fall_pct = 100 * (start.fte - horizon.fte) / start.fte
    return [
        f"FTE in post falls from {start.fte:.2f} in {start.year} to {horizon.fte:.2f} in {horizon.year}, "
        f"a fall of {fall_pct:.1f}%."
    ]


def gap_warnings(*, horizon: YearResult) -> list[str]:
    if horizon.gap_fte <= TOLERANCE:
        return []
    driver = "minimum cover" if horizon.need_basis == NEED_COVER else "demand"
    return [
        f"In {horizon.year} the team is {horizon.gap_fte:.2f} FTE short: it needs {horizon.need_fte:.2f} FTE "
        f"(driven by {driver}) and has {horizon.fte:.2f} FTE in post."
    ]


def complex_warnings(*, start: YearResult, horizon: YearResult) -> list[str]:
    warnings = []
    for year in ends(start=start, horizon=horizon):
        complex_tier = next(tier for tier in year.tiers if tier.tier == COMPLEX)
        if complex_tier.unmet_hours > TOLERANCE:
            warnings.append(
                f"In {year.year}, {complex_tier.unmet_hours:.2f} hours a week of complex demand are unmet "
                f"({complex_tier.met_pct:.1f}% met): only staff able to hold complex cases can take it."
            )
    return warnings


def surplus_warnings(*, start: YearResult, horizon: YearResult) -> list[str]:
    return [
        f"In {year.year}, {year.surplus_fte:.2f} clinical FTE are more than the demand and minimum cover need."
        for year in ends(start=start, horizon=horizon)
        if year.surplus_fte > TOLERANCE
    ]


def headlines(*, years: list[YearResult]) -> Headlines:
    """Headline figures at the start (year 0) and the horizon (the last year), with warnings: over-establishment,
    falling supply, a gap at the horizon, complex demand unmet and a surplus."""
    start, horizon = years[0], years[-1]
    return Headlines(
        start=headline_year(year=start),
        horizon=headline_year(year=horizon),
        warnings=[
            *over_establishment_warnings(start=start, horizon=horizon),
            *falling_supply_warnings(start=start, horizon=horizon),
            *gap_warnings(horizon=horizon),
            *complex_warnings(start=start, horizon=horizon),
            *surplus_warnings(start=start, horizon=horizon),
        ],
    )

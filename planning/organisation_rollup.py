"""An organisation's teams added up: the page `/planning/organisations/<id>/`.

Each team's baseline plan is run through `planning.engine` on inputs built in one batch by
`planning.engine_inputs.results_for`, and the results are added up by `engine.rollup`, so the page costs a
fixed number of queries however many teams there are. Callers pass teams and plans they already got through
`planning.selectors`; the only other read is the public catalogue's role family names
(`selectors.role_families_by_slug`).

Numbers are written in the house style of `planning.formatting`.
"""

from dataclasses import dataclass, field

from planning import engine, selectors
from planning.engine_inputs import results_for
from planning.formatting import HOURS, fte, money, percent


def targets_met_text(met: int, checked: int) -> str:
    return f"{met} of {checked}" if checked else "None checked"


@dataclass
class TeamRow:
    team: object
    plan: object
    fte: str
    cost: str
    demand_met: str
    gap_now: str
    gap_at_horizon: str
    end_year: int
    targets_met: str


@dataclass
class FamilyRow:
    label: str
    fte: str
    share: str


@dataclass
class YearRow:
    year: int
    teams_counted: int
    fte: str
    vacancies: str
    cost: str
    demand_met: str
    gap: str


@dataclass
class OrganisationRollup:
    organisation: object
    team_rows: list[TeamRow]
    teams_without_plan: list
    rollup: engine.Rollup | None
    totals: dict = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)
    families: list[FamilyRow] = field(default_factory=list)
    years: list[YearRow] = field(default_factory=list)


def baseline_per_team(plans) -> dict[int, object]:
    """Each team's baseline: of its plans with no `scenario_of`, the most recently updated (then the highest id)."""
    chosen = {}
    for plan in plans:
        current = chosen.get(plan.team_id)
        if current is None or (plan.updated_at, plan.pk) > (current.updated_at, current.pk):
            chosen[plan.team_id] = plan
    return chosen


def organisation_rollup(organisation, teams, baseline_plans) -> OrganisationRollup:
    """The organisation's teams, each with its baseline plan's headline figures, added up by `engine.rollup`.

    `teams` are the organisation's teams and `baseline_plans` their plans with no `scenario_of` (loaded with
    `team__team_type`), both already scoped to the user. A team with no baseline plan is listed but not counted.
    """
    teams = list(teams)
    chosen = baseline_per_team(baseline_plans)
    plans = [chosen[team.pk] for team in teams if team.pk in chosen]
    results = results_for(plans)
    team_rows = []
    final_gap = 0.0
    met_total = checked_total = 0
    for plan in plans:
        result = results[plan.pk]
        met = engine.targets_met_count(result=result)
        checked = sum(1 for target in result.targets if target.met is not None)
        met_total += met
        checked_total += checked
        final_gap += result.final.gap_fte
        team_rows.append(
            TeamRow(
                team=plan.team,
                plan=plan,
                fte=fte(result.baseline.fte),
                cost=money(result.baseline.cost),
                demand_met=percent(result.baseline.demand_met_pct),
                gap_now=fte(result.baseline.gap_fte),
                gap_at_horizon=fte(result.final.gap_fte),
                end_year=result.start_year + result.horizon_years,
                targets_met=targets_met_text(met, checked),
            )
        )
    page = OrganisationRollup(
        organisation=organisation,
        team_rows=team_rows,
        teams_without_plan=[team for team in teams if team.pk not in chosen],
        rollup=None,
    )
    if not plans:
        return page
    totals = engine.rollup([results[plan.pk] for plan in plans])
    page.rollup = totals
    page.totals = {
        "fte": fte(totals.fte),
        "cost": money(totals.cost),
        "demand_met": percent(totals.demand_met_pct),
        "gap_now": fte(totals.gap_fte),
        "gap_at_horizon": fte(final_gap),
        "targets_met": targets_met_text(met_total, checked_total),
    }
    page.summary = [
        ("Teams counted", f"{totals.teams} of {len(teams)}"),
        ("FTE in post", fte(totals.fte)),
        ("Funded establishment (FTE)", fte(totals.establishment_fte)),
        ("Vacancies (FTE)", fte(totals.vacancies_fte)),
        ("Registered professionals (share of FTE)", percent(totals.registered_pct)),
        ("Annual cost in each plan’s first year", money(totals.cost)),
        ("Cost over each plan’s horizon", money(totals.cost_over_horizon)),
        ("Demand met", f"{percent(totals.demand_met_pct)} of {HOURS.text(totals.demand_hours)} care hours a week"),
        ("Gap now (FTE)", fte(totals.gap_fte)),
        *[(f"Unmet {tier} care hours a week", HOURS.text(hours)) for tier, hours in totals.unmet_hours_by_tier.items()],
        ("Skilled hours on routine work (a week)", HOURS.text(totals.skilled_hours_on_routine)),
    ]
    families = selectors.role_families_by_slug(slugs=[share.key for share in totals.skill_mix_by_family])
    shares = sorted(totals.skill_mix_by_family, key=lambda share: families.get(share.key, (999, share.key)))
    page.families = [
        FamilyRow(label=families.get(share.key, (0, share.key))[1], fte=fte(share.fte), share=percent(share.share_pct))
        for share in shares
    ]
    page.years = [
        YearRow(
            year=year.year,
            teams_counted=year.teams_counted,
            fte=fte(year.fte),
            vacancies=fte(year.vacancies_fte),
            cost=money(year.cost),
            demand_met=percent(year.demand_met_pct),
            gap=fte(year.gap_fte),
        )
        for year in totals.by_year
    ]
    return page

"""Display logic for comparing two plans and for an organisation's roll-up.

The figures come from `planning.engine` (`compare`, `rollup`), run on inputs built in one batch by
`planning.engine_inputs.results_for`, so both pages cost a fixed number of queries however many lines or
teams there are. Callers pass plans, teams and organisations they already got through `planning.selectors`;
the only other read here is the public catalogue's role family names.

Numbers are shown as people read them: FTE and hours to 2 decimal places, money to the pound, percentages to
one decimal place. Differences are plan B − plan A with an explicit sign ("+1.50", "−0.50", with a real minus
sign), and a row "differs" when the two figures as shown are not the same.
"""

from dataclasses import dataclass, field

from planning import engine
from planning.engine_inputs import results_for
from roles.models import RoleFamily

MINUS = "\u2212"
NOT_APPLICABLE = "Not applicable"
STATUS_LABELS = {
    engine.STATUS_MET: "Met",
    engine.STATUS_NOT_MET: "Not met",
    engine.STATUS_NOT_APPLICABLE: "Not applicable",
    None: "Not checked",
}

# --- Formatting -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """How one kind of figure is rounded and written."""

    places: int
    prefix: str = ""
    suffix: str = ""
    diff_suffix: str = ""

    def rounded(self, value: float | None) -> float | None:
        if value is None:
            return None
        rounded = round(float(value), self.places)
        return 0.0 if rounded == 0 else rounded  # no "−0.00"

    def _digits(self, value: float) -> str:
        return f"{abs(value):,.{self.places}f}"

    def text(self, value: float | None) -> str:
        value = self.rounded(value)
        if value is None:
            return NOT_APPLICABLE
        sign = MINUS if value < 0 else ""
        return f"{sign}{self.prefix}{self._digits(value)}{self.suffix}"

    def signed(self, value: float | None) -> str:
        value = self.rounded(value)
        if value is None:
            return NOT_APPLICABLE
        sign = "+" if value > 0 else MINUS if value < 0 else ""
        return f"{sign}{self.prefix}{self._digits(value)}{self.diff_suffix}"


FTE = Unit(places=2)
HOURS = Unit(places=2)
MONEY = Unit(places=0, prefix="£")
PERCENT = Unit(places=1, suffix="%", diff_suffix=" points")
COUNT = Unit(places=0)


def fte(value: float | None) -> str:
    return FTE.text(value)


def money(value: float | None) -> str:
    return MONEY.text(value)


def percent(value: float | None) -> str:
    return PERCENT.text(value)


def signed_fte(value: float | None) -> str:
    return FTE.signed(value)


# --- Comparison -------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One figure for plans A and B as shown, their difference (B − A), and whether they differ."""

    label: str
    a: str
    b: str
    diff: str
    differs: bool
    hint: str = ""


def difference_row(label: str, difference: engine.Difference, unit: Unit, hint: str = "") -> Row:
    a, b = unit.rounded(difference.a), unit.rounded(difference.b)
    diff = None if a is None or b is None else b - a
    return Row(
        label=label,
        a=unit.text(a),
        b=unit.text(b),
        diff=unit.signed(diff) if diff is not None else "–",
        differs=a != b,
        hint=hint,
    )


@dataclass
class TargetRow:
    label: str
    a: str
    b: str
    differs: bool


@dataclass
class Table:
    """One side-by-side table: its heading (None: under the previous one), caption, first column and rows."""

    id: str
    heading: str | None
    caption: str
    first_column: str
    rows: list[Row]


@dataclass
class PlanComparison:
    a: object  # the Plan models
    b: object
    comparison: engine.Comparison
    summary: list[Row]
    roles: list[Row]
    final_roles: list[Row]
    targets: list[TargetRow]
    targets_met: Row
    a_end_year: int
    b_end_year: int

    @property
    def differences(self) -> int:
        rows = [*self.summary, *self.roles, *self.final_roles]
        return sum(1 for row in rows if row.differs) + sum(1 for row in self.targets if row.differs)

    @property
    def tables(self) -> list[Table]:
        """The figure tables: headline figures, then FTE by role (with its total) now and at the end."""
        caption = f"Headline figures for {self.a.name} (A) and {self.b.name} (B)"
        tables = [Table("headline", "Headline figures", caption, "Figure", self.summary)]
        if not self.roles:
            return tables
        end = str(self.a_end_year) if self.a_end_year == self.b_end_year else f"{self.a_end_year} and {self.b_end_year}"
        total, final_total = self.summary[0], self.summary[1]
        return [
            *tables,
            Table(
                "roles",
                "FTE by role",
                "FTE in post by role, first year of each plan",
                "Role",
                [*self.roles, Row("Total", total.a, total.b, total.diff, total.differs)],
            ),
            Table(
                "roles-at-end",
                None,
                f"Projected FTE by role at the end of each plan ({end})",
                "Role",
                [*self.final_roles, Row("Total", final_total.a, final_total.b, final_total.diff, final_total.differs)],
            ),
        ]


def _year_range(result: engine.PlanResult) -> str:
    return f"{result.start_year} to {result.start_year + result.horizon_years}"


def plan_comparison(a, b) -> PlanComparison:
    """Plan b against plan a (both already scoped to the user), ready to show side by side."""
    results = results_for([a, b] if a.pk != b.pk else [a])
    result_a, result_b = results[a.pk], results[b.pk]
    comparison = engine.compare(result_a, result_b)
    summary = [
        difference_row("Total FTE in post", comparison.total_fte, FTE, "in the first year of each plan"),
        difference_row("Total FTE at the end of the plan", comparison.final_total_fte, FTE, "projected"),
        difference_row("Annual cost in the first year", comparison.cost, MONEY, "FTE × band midpoint + on-costs"),
        difference_row(
            "Cost over the plan’s horizon",
            comparison.cost_over_horizon,
            MONEY,
            f"{_year_range(result_a)} and {_year_range(result_b)}"
            if result_a.horizon_years != result_b.horizon_years or result_a.start_year != result_b.start_year
            else f"{result_a.horizon_years} year{'s' if result_a.horizon_years != 1 else ''}",
        ),
        difference_row("Demand met now", comparison.demand_met_pct, PERCENT, "share of care hours a week"),
        difference_row("Demand met at the end of the plan", comparison.final_demand_met_pct, PERCENT),
        difference_row("Gap now (FTE)", comparison.gap_fte, FTE, "unmet care hours in FTE"),
        difference_row("Gap at the end of the plan (FTE)", comparison.final_gap_fte, FTE),
        difference_row(
            "Skilled hours on routine work",
            comparison.skilled_hours_on_routine,
            HOURS,
            "hours a week of routine work done by roles that could take harder cases",
        ),
    ]
    roles = [difference_row(role.role_name, role.baseline_fte, FTE) for role in comparison.roles]
    final_roles = [difference_row(role.role_name, role.final_fte, FTE) for role in comparison.roles]
    targets = [
        TargetRow(
            label=target.label,
            a=STATUS_LABELS.get(target.a_status, target.a_status),
            b=STATUS_LABELS.get(target.b_status, target.b_status),
            differs=target.changed,
        )
        for target in comparison.targets
    ]
    return PlanComparison(
        a=a,
        b=b,
        comparison=comparison,
        summary=summary,
        roles=roles,
        final_roles=final_roles,
        targets=targets,
        targets_met=difference_row("Targets met", comparison.targets_met, COUNT),
        a_end_year=result_a.start_year + result_a.horizon_years,
        b_end_year=result_b.start_year + result_b.horizon_years,
    )


# --- Organisation roll-up ---------------------------------------------------------------------------------


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


def families_by_slug(slugs) -> dict[str, tuple[int, str]]:
    """Role family slug -> (catalogue order, name), from the public catalogue (one query)."""
    rows = RoleFamily.objects.filter(slug__in=list(slugs)).values_list("slug", "order", "name")
    return {slug: (order, name) for slug, order, name in rows}


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
                gap_now=fte(result.allocation.gap_fte),
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
    families = families_by_slug(share.key for share in totals.skill_mix_by_family)
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

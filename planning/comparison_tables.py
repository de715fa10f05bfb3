"""Two plans side by side: the tables of `/planning/plans/<a>/compare/<b>/`.

The figures come from `planning.engine.compare`, run on inputs built in one batch by
`planning.engine_inputs.results_for`, so the page costs a fixed number of queries however many lines there
are. Callers pass plans they already got through `planning.selectors`.

Numbers are written in the house style of `planning.formatting`. Differences are plan B − plan A with an
explicit sign ("+1.50", "−0.50", with a real minus sign), and a row "differs" when the two figures as shown are
not the same.
"""

from dataclasses import dataclass

from planning import engine
from planning.engine_inputs import results_for
from planning.formatting import COUNT, FTE, HOURS, MONEY, NO_VALUE, PERCENT, Unit, target_status_label


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
        diff=unit.signed(diff) if diff is not None else NO_VALUE,
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
            a=target_status_label(target.a_status),
            b=target_status_label(target.b_status),
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

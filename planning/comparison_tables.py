"""Two plans side by side: the tables of `/planning/plans/<a>/compare/<b>/`.

The figures come from `planning.engine.compare`, run on inputs built in one batch by
`planning.engine_inputs.results_for`, so the page costs a fixed number of queries however many lines there
are. Callers pass plans they already got through `planning.selectors`.

Numbers are written in the house style of `planning.formatting`. Differences are plan B − plan A with an
explicit sign ("+1.50", "−0.50", with a real minus sign), and a row "differs" when the two figures as shown are
not the same.

Staffing is broken down one of three ways (`BREAKDOWNS`, chosen with `?by=`): by role, by band or grade, or by
staff group. Regrading nurses from band 6 to band 5 leaves every role's FTE as it was; the band rows, the
complex capacity and the supervision figures show the change.
"""

from dataclasses import dataclass

from planning import engine
from planning.dashboard.labels import band_label
from planning.engine_inputs import results_for
from planning.formatting import COUNT, FTE, HOURS, MONEY, NO_VALUE, PERCENT, Unit, target_status_label


@dataclass(frozen=True)
class Breakdown:
    """One way to break staffing down: the value of `?by=`, what the control calls it, and the rows it gives."""

    key: str
    label: str
    heading: str


BY_ROLE = Breakdown("role", "Role", "FTE by role")
BY_BAND = Breakdown("band", "Band or grade", "FTE by band or grade")
BY_STAFF_GROUP = Breakdown("group", "Staff group", "FTE by staff group")
BREAKDOWNS = [BY_ROLE, BY_BAND, BY_STAFF_GROUP]
# Staff group → (label, hint). A line is in exactly one group (planning.engine.staff_group).
STAFF_GROUP_LABELS = {
    engine.GROUP_REGISTERED: ("Registered clinical staff", "registered with a professional regulator"),
    engine.GROUP_UNREGISTERED: ("Unregistered clinical staff", "for example support workers and peer support workers"),
    engine.GROUP_MEDICAL: ("Doctors", "every medical grade"),
    engine.GROUP_NON_CLINICAL: ("Non-clinical staff", "roles that give no direct care"),
}


def breakdown(value: str | None) -> Breakdown:
    """The breakdown asked for with `?by=`, or by role when it names none of them."""
    return next((option for option in BREAKDOWNS if option.key == value), BY_ROLE)


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
class Staffing:
    """FTE broken down one way, in the first year of each plan and at the end."""

    start: list[Row]
    end: list[Row]


@dataclass
class PlanComparison:
    a: object  # the Plan models
    b: object
    comparison: engine.Comparison
    breakdown: Breakdown
    summary: list[Row]
    capacity: list[Row]
    staffing: Staffing
    targets: list[TargetRow]
    targets_met: Row
    a_end_year: int
    b_end_year: int

    @property
    def differences(self) -> int:
        rows = [*self.summary, *self.capacity, *self.staffing.start, *self.staffing.end]
        return sum(1 for row in rows if row.differs) + sum(1 for row in self.targets if row.differs)

    @property
    def tables(self) -> list[Table]:
        """The figure tables: headline figures; complex capacity, demand and supervision; then FTE broken down
        the chosen way (with its total) in the first year and at the end."""
        caption = f"Headline figures for {self.a.name} (A) and {self.b.name} (B)"
        tables = [
            Table("headline", "Headline figures", caption, "Figure", self.summary),
            Table(
                "capacity",
                "Complex capacity, demand and supervision",
                "Complex capacity, demand met and supervision, in the first year and at the end of each plan",
                "Figure",
                self.capacity,
            ),
        ]
        if not self.staffing.start:
            return tables
        end = str(self.a_end_year) if self.a_end_year == self.b_end_year else f"{self.a_end_year} and {self.b_end_year}"
        total, final_total = self.summary[0], self.summary[1]
        what = self.breakdown.heading.removeprefix("FTE ")
        return [
            *tables,
            Table(
                "staffing",
                self.breakdown.heading,
                f"FTE in post {what}, first year of each plan",
                self.breakdown.label,
                [*self.staffing.start, Row("Total", total.a, total.b, total.diff, total.differs)],
            ),
            Table(
                "staffing-at-end",
                None,
                f"Projected FTE {what} at the end of each plan ({end})",
                self.breakdown.label,
                [*self.staffing.end, Row("Total", final_total.a, final_total.b, final_total.diff, final_total.differs)],
            ),
        ]


def staffing_rows(comparison: engine.Comparison, by: Breakdown) -> Staffing:
    """FTE rows broken down `by` role, band or staff group, in the first year and at the end."""
    if by == BY_ROLE:
        groups = [(role.role_name, "", role) for role in comparison.roles]
    elif by == BY_BAND:
        groups = [(band_label(code), "", group) for code, group in comparison.fte_by_band.items()]
    else:
        groups = [(*STAFF_GROUP_LABELS[key], group) for key, group in comparison.fte_by_staff_group.items()]
    return Staffing(
        start=[difference_row(label, group.baseline_fte, FTE, hint) for label, hint, group in groups],
        end=[difference_row(label, group.final_fte, FTE, hint) for label, hint, group in groups],
    )


def _year_range(result: engine.PlanResult) -> str:
    return f"{result.start_year} to {result.start_year + result.horizon_years}"


def _capacity(comparison: engine.Comparison) -> list[Row]:
    return [
        difference_row(
            "Complex capacity now",
            comparison.complex_capacity_hours,
            HOURS,
            "care hours a week of the staff who can take complex cases",
        ),
        difference_row("Complex capacity at the end of the plan", comparison.final_complex_capacity_hours, HOURS),
        difference_row("Complex demand met now", comparison.complex_met_pct, PERCENT, "share of complex care hours"),
        difference_row("Complex demand met at the end of the plan", comparison.final_complex_met_pct, PERCENT),
        difference_row("Unmet complex demand now", comparison.unmet_hours_by_tier["complex"], HOURS, "hours a week"),
        difference_row(
            "Supervision shortfall now",
            comparison.supervision_shortfall_hours,
            HOURS,
            "hours a month of supervision no supervisor in the team can give",
        ),
        difference_row(
            "Supervision shortfall at the end of the plan", comparison.final_supervision_shortfall_hours, HOURS
        ),
        difference_row(
            "Surplus now (FTE)", comparison.surplus_fte, FTE, "clinical FTE beyond the work allocated and any cover"
        ),
        difference_row("Surplus at the end of the plan (FTE)", comparison.final_surplus_fte, FTE),
    ]


def plan_comparison(a, b, *, by: Breakdown = BY_ROLE) -> PlanComparison:
    """Plan b against plan a (both already scoped to the user), ready to show side by side, with staffing broken
    down `by` role, band or staff group."""
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
        difference_row("Gap now (FTE)", comparison.gap_fte, FTE, "unmet care hours or minimum cover, in FTE"),
        difference_row("Gap at the end of the plan (FTE)", comparison.final_gap_fte, FTE),
        difference_row(
            "Skilled hours on routine work",
            comparison.skilled_hours_on_routine,
            HOURS,
            "hours a week of routine work done by roles that could take harder cases",
        ),
    ]
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
        breakdown=by,
        summary=summary,
        capacity=_capacity(comparison),
        staffing=staffing_rows(comparison, by),
        targets=targets,
        targets_met=difference_row("Targets met", comparison.targets_met, COUNT),
        a_end_year=result_a.start_year + result_a.horizon_years,
        b_end_year=result_b.start_year + result_b.horizon_years,
    )

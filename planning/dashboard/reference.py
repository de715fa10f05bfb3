"""Reference data the engine does not carry: whether a capability minimum is a modelling default, a target's
wording, the pay table and its source. Three queries through `planning.selectors`, scoped by the plan's team
type and pay year, for a plan the caller already got through `planning.selectors`."""

from __future__ import annotations

from dataclasses import dataclass

from planning import selectors
from planning.models import GuidanceTarget, PayScale, Plan


@dataclass
class ReferenceNotes:
    modelling_default: dict[str, bool]  # capability slug → its minimum FTE is a modelling default
    targets: dict[str, GuidanceTarget]  # target slug → target (for its wording and source)
    pay_points: dict[int, PayScale]  # grade rank → pay point costs use in the plan's pay year
    latest_pay_year: str  # a new plan's pay year (the latest table), to show whether the plan's is the default


def reference_notes(plan: Plan) -> ReferenceNotes:
    """Three queries, whatever the plan's size."""
    team_type_id = plan.team.team_type_id
    return ReferenceNotes(
        modelling_default=selectors.modelling_defaults(team_type_id=team_type_id),
        targets=selectors.team_type_targets(team_type_id=team_type_id),
        **pay_tables(plan.pay_year),
    )


def pay_tables(year: str) -> dict:
    """The pay points of `year` (a grade with no row that year takes the latest earlier row, as the engine's
    inputs do) and the latest pay year, from one query of the (small) pay table."""
    rows = selectors.pay_scale_rows()
    points = {row.band: row for row in rows if row.year <= year}
    return {"pay_points": points, "latest_pay_year": max((row.year for row in rows), default=year)}

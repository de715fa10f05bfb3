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
    pay_points: dict[int, PayScale]  # band rank → pay point of the plan's pay year


def reference_notes(plan: Plan) -> ReferenceNotes:
    """Three queries, whatever the plan's size."""
    team_type_id = plan.team.team_type_id
    return ReferenceNotes(
        modelling_default=selectors.modelling_defaults(team_type_id=team_type_id),
        targets=selectors.team_type_targets(team_type_id=team_type_id),
        pay_points=selectors.pay_points(year=plan.pay_year),
    )

"""Section 4, supervision: each supervised role's need against the capacity of the roles that supervise it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from planning.engine.formulas import supervision_hours_per_supervisor_fte_per_month
from planning.engine.inputs import Assumptions, StaffLine
from planning.engine.results import SupervisedRole, Supervision, SupervisorPool
from planning.engine.skill_mix import fte_by_role, role_names


@dataclass
class _SupervisionNeed:
    fte: float = 0.0
    hours: float = 0.0
    supervisors: set[str] = field(default_factory=set)


def supervision_needs(*, staff: Sequence[StaffLine]) -> dict[str, _SupervisionNeed]:
    """need_r = Σ FTE × hours a month, by supervised role, with the union of its lines' supervisor roles."""
    needs: dict[str, _SupervisionNeed] = {}
    for line in staff:
        if line.supervision_hours_per_month is None:
            continue
        need = needs.setdefault(line.role_slug, _SupervisionNeed())
        need.fte += line.fte
        need.hours += line.fte * line.supervision_hours_per_month
        need.supervisors |= line.supervisor_role_slugs
    return needs


def supervision(*, staff: Sequence[StaffLine], assumptions: Assumptions) -> Supervision:
    """Supervision need of each supervised role vs. the capacity of the roles that supervise it (section 4)."""
    names = role_names(staff=staff)
    present_fte = {slug: fte for slug, fte in fte_by_role(staff=staff).items() if fte > 0}
    needs = supervision_needs(staff=staff)
    per_fte = supervision_hours_per_supervisor_fte_per_month(assumptions=assumptions)

    supervised_by: dict[str, list[str]] = {}
    for role_slug, need in needs.items():
        for supervisor in sorted(need.supervisors):
            if supervisor in present_fte:
                supervised_by.setdefault(supervisor, []).append(role_slug)
    pools = {supervisor: present_fte[supervisor] * per_fte for supervisor in supervised_by}

    capacity_for: dict[str, float] = dict.fromkeys(needs, 0.0)
    for supervisor, supervised in supervised_by.items():
        total_need = math.fsum(needs[role_slug].hours for role_slug in supervised)
        for role_slug in supervised:
            if total_need > 0:
                capacity_for[role_slug] += pools[supervisor] * needs[role_slug].hours / total_need

    roles = []
    for role_slug, need in needs.items():
        in_team = sorted(supervisor for supervisor in need.supervisors if supervisor in present_fte)
        covered = min(need.hours, capacity_for[role_slug])
        roles.append(
            SupervisedRole(
                role_slug=role_slug,
                role_name=names[role_slug],
                fte=need.fte,
                need_hours=need.hours,
                capacity_hours=capacity_for[role_slug],
                covered_hours=covered,
                shortfall_hours=need.hours - covered,
                supervisor_role_slugs=sorted(need.supervisors),
                supervisors_in_team=in_team,
                unsupervised=not in_team,
            )
        )
    supervisors = [
        SupervisorPool(
            role_slug=supervisor,
            role_name=names[supervisor],
            fte=present_fte[supervisor],
            capacity_hours=pools[supervisor],
            supervises=supervised,
        )
        for supervisor, supervised in supervised_by.items()
    ]
    capacity = math.fsum(pools.values())
    covered = math.fsum(role.covered_hours for role in roles)
    return Supervision(
        roles=roles,
        supervisors=supervisors,
        need_hours=math.fsum(role.need_hours for role in roles),
        capacity_hours=capacity,
        covered_hours=covered,
        shortfall_hours=math.fsum(role.shortfall_hours for role in roles),
        spare_hours=capacity - covered,
        unsupervised_need_hours=math.fsum(role.need_hours for role in roles if role.unsupervised),
    )

"""Section 5, supervision: each supervised role's need against the capacity of the roles that may supervise it,
matched as a maximum flow, so a shortfall is reported only when no arrangement of the supervisors covers it."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planning.engine.constants import TOLERANCE
from planning.engine.formulas import add_up, supervision_hours_per_supervisor_fte_per_month
from planning.engine.inputs import Assumptions, StaffLine
from planning.engine.results import SupervisedRole, Supervision, SupervisorPool
from planning.engine.skill_mix import role_names


@dataclass(frozen=True)
class SupervisionLines:
    """Who needs supervision and who may give it, worked out once per plan (each year only adds up FTE).

    supervised: role → (line index, hours a month per FTE) of its lines that need supervision, roles in slug order;
    supervisors_of: role → the roles that may supervise it (the union over its lines); lines_of: each role named as a
    supervisor → its line indices."""

    supervised: dict[str, tuple[tuple[int, float], ...]]
    supervisors_of: dict[str, frozenset[str]]
    lines_of: dict[str, tuple[int, ...]]
    names: dict[str, str]


def supervision_lines(*, staff: Sequence[StaffLine]) -> SupervisionLines:
    supervised: dict[str, list[tuple[int, float]]] = {}
    supervisors_of: dict[str, frozenset[str]] = {}
    for index, line in enumerate(staff):
        if line.supervision_hours_per_month is None:
            continue
        supervised.setdefault(line.role_slug, []).append((index, line.supervision_hours_per_month))
        supervisors_of[line.role_slug] = supervisors_of.get(line.role_slug, frozenset()) | line.supervisor_role_slugs
    named = frozenset().union(*supervisors_of.values())
    lines_of: dict[str, list[int]] = {}
    for index, line in enumerate(staff):
        if line.role_slug in named:
            lines_of.setdefault(line.role_slug, []).append(index)
    return SupervisionLines(
        supervised={slug: tuple(supervised[slug]) for slug in sorted(supervised)},
        supervisors_of=supervisors_of,
        lines_of={slug: tuple(lines_of[slug]) for slug in sorted(lines_of)},
        names=role_names(staff=staff),
    )


@dataclass(frozen=True)
class _SupervisionNeed:
    fte: float
    trainees_fte: float
    hours: float
    supervisors: frozenset[str]


def supervision_needs(
    *, lines: SupervisionLines, ftes: Sequence[float], trainees: Sequence[float]
) -> dict[str, _SupervisionNeed]:
    """need_r = Σ (f_i + trainees in training_i) × hours a month_i over r's lines; roles in slug order."""
    return {
        slug: _SupervisionNeed(
            fte=add_up(ftes[index] for index, _ in role_lines),
            trainees_fte=add_up(trainees[index] for index, _ in role_lines),
            hours=add_up((ftes[index] + trainees[index]) * hours for index, hours in role_lines),
            supervisors=lines.supervisors_of[slug],
        )
        for slug, role_lines in lines.supervised.items()
    }


def _augmenting_path(
    *,
    need_left: Mapping[str, float],
    pool_left: Mapping[str, float],
    edges: Mapping[str, Sequence[str]],
    flow: Mapping[tuple[str, str], float],
) -> list[tuple[str, str, bool]] | None:
    """A shortest path source → role → (supervisor ⇄ role)* → supervisor → sink in the residual graph, as the
    (role, supervisor, forward) steps it takes; None when there is none. Roles and supervisors in slug order."""
    reverse: dict[str, list[str]] = {}
    for (role, supervisor), hours in flow.items():
        if hours > TOLERANCE:
            reverse.setdefault(supervisor, []).append(role)
    came_from: dict[str, tuple[str, str, bool] | None] = {}
    queue: deque[tuple[str, str]] = deque()
    for role, left in need_left.items():
        if left > TOLERANCE:
            came_from["r:" + role] = None
            queue.append(("r", role))
    while queue:
        kind, name = queue.popleft()
        if kind == "r":
            for supervisor in edges[name]:
                if "s:" + supervisor not in came_from:
                    came_from["s:" + supervisor] = (name, supervisor, True)
                    if pool_left[supervisor] > TOLERANCE:
                        return _path_to(came_from=came_from, supervisor=supervisor)
                    queue.append(("s", supervisor))
        else:
            for role in sorted(reverse.get(name, ())):
                if "r:" + role not in came_from:
                    came_from["r:" + role] = (role, name, False)
                    queue.append(("r", role))
    return None


def _path_to(*, came_from: Mapping[str, tuple[str, str, bool] | None], supervisor: str) -> list[tuple[str, str, bool]]:
    steps = []
    node = "s:" + supervisor
    while came_from[node] is not None:
        role, via, forward = came_from[node]
        steps.append((role, via, forward))
        node = "r:" + role if forward else "s:" + via
    return steps[::-1]


def maximum_flow(
    *, needs: Mapping[str, float], pools: Mapping[str, float], edges: Mapping[str, Sequence[str]]
) -> dict[tuple[str, str], float]:
    """Hours a month from each supervising role to each role it supervises: a maximum flow from the source (need_r
    into role r) through role r → supervisor s (unbounded, when s may supervise r) to the sink (pool_s out of s),
    found by shortest augmenting paths (Edmonds–Karp)."""
    need_left, pool_left = dict(needs), dict(pools)
    flow: dict[tuple[str, str], float] = {}
    while path := _augmenting_path(need_left=need_left, pool_left=pool_left, edges=edges, flow=flow):
        first_role = path[0][0]
        last_supervisor = path[-1][1]
        amount = min(need_left[first_role], pool_left[last_supervisor])
        for role, supervisor, forward in path:
            if not forward:
                amount = min(amount, flow[(role, supervisor)])
        for role, supervisor, forward in path:
            flow[(role, supervisor)] = flow.get((role, supervisor), 0.0) + (amount if forward else -amount)
        need_left[first_role] -= amount
        pool_left[last_supervisor] -= amount
    return flow


def supervision(
    *,
    staff: Sequence[StaffLine],
    assumptions: Assumptions,
    ftes: Sequence[float] | None = None,
    trainees: Sequence[float] | None = None,
    lines: SupervisionLines | None = None,
) -> Supervision:
    """Supervision need of each supervised role against the roles that may supervise it, in one year (section 5).
    `ftes` replaces the FTE in post, `trainees` gives each line's FTE still in training (0 when not given) and
    `lines` is `supervision_lines(staff=staff)`, passed in when the caller has it already."""
    ftes = [line.fte for line in staff] if ftes is None else ftes
    trainees = [0.0] * len(staff) if trainees is None else trainees
    lines = supervision_lines(staff=staff) if lines is None else lines
    present_fte = {
        slug: fte for slug, indices in lines.lines_of.items() if (fte := add_up(ftes[index] for index in indices)) > 0
    }
    needs = supervision_needs(lines=lines, ftes=ftes, trainees=trainees)
    per_fte = supervision_hours_per_supervisor_fte_per_month(assumptions=assumptions)
    edges = {slug: sorted(need.supervisors & present_fte.keys()) for slug, need in needs.items()}
    supervised_by: dict[str, list[str]] = {}
    for role_slug, supervisors in edges.items():
        for supervisor in supervisors:
            supervised_by.setdefault(supervisor, []).append(role_slug)
    pools = {supervisor: present_fte[supervisor] * per_fte for supervisor in sorted(supervised_by)}
    flow = maximum_flow(needs={slug: need.hours for slug, need in needs.items()}, pools=pools, edges=edges)
    roles = [
        supervised_role(
            role_slug=slug, name=lines.names[slug], need=need, supervisors=edges[slug], pools=pools, flow=flow
        )
        for slug, need in needs.items()
    ]
    supervisors = [
        SupervisorPool(
            role_slug=supervisor,
            role_name=lines.names[supervisor],
            fte=present_fte[supervisor],
            capacity_hours=pool,
            supervises=supervised_by[supervisor],
            used_hours=min(pool, add_up(flow.get((role, supervisor), 0.0) for role in supervised_by[supervisor])),
        )
        for supervisor, pool in pools.items()
    ]
    capacity = add_up(pools.values())
    covered = add_up(role.covered_hours for role in roles)
    return Supervision(
        roles=roles,
        supervisors=supervisors,
        need_hours=add_up(role.need_hours for role in roles),
        capacity_hours=capacity,
        covered_hours=covered,
        shortfall_hours=add_up(role.shortfall_hours for role in roles),
        spare_hours=max(0.0, capacity - covered),
        unsupervised_need_hours=add_up(role.need_hours for role in roles if role.unsupervised),
    )


def supervised_role(
    *,
    role_slug: str,
    name: str,
    need: _SupervisionNeed,
    supervisors: Sequence[str],
    pools: Mapping[str, float],
    flow: Mapping[tuple[str, str], float],
) -> SupervisedRole:
    """covered_r = flow into r (≤ need_r); shortfall_r = need_r − covered_r; capacity_r = Σ pools of r's supervisors
    in the team (the most r could get)."""
    covered = min(need.hours, add_up(flow.get((role_slug, supervisor), 0.0) for supervisor in supervisors))
    return SupervisedRole(
        role_slug=role_slug,
        role_name=name,
        fte=need.fte,
        need_hours=need.hours,
        capacity_hours=add_up(pools[supervisor] for supervisor in supervisors),
        covered_hours=covered,
        shortfall_hours=need.hours - covered,
        supervisor_role_slugs=sorted(need.supervisors),
        supervisors_in_team=list(supervisors),
        unsupervised=not supervisors,
        trainees_fte=need.trainees_fte,
    )

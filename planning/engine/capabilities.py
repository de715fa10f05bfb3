"""Section 2, capability coverage: FTE able to deliver each capability the team type needs, in every year.

A core capability of a role counts for all the line's FTE; a capability that needs further training or approval
counts only for the FTE the line declares, projected as the line's staff leave (leavers take it with them,
recruits and qualifying trainees do not bring it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planning.engine.constants import TOLERANCE
from planning.engine.formulas import add_up
from planning.engine.inputs import CapabilityRequirement, StaffLine
from planning.engine.results import CapabilityCoverage


def projected_declarations(
    *, staff: Sequence[StaffLine], line_ftes: Sequence[Sequence[float]]
) -> list[list[dict[str, float]]]:
    """result[k][i]: line i's declared FTE by capability in year k.

    d_{i,0} = min(declared, f_{i,0});  d_{i,k+1} = min(d_{i,k} × (1 − a_i), f_{i,k+1})."""
    years: list[list[dict[str, float]]] = [[{} for _ in staff] for _ in line_ftes]
    for index, line in enumerate(staff):
        if not line.declared_capabilities:
            continue
        held = {slug: min(fte, line_ftes[0][index]) for slug, fte in line.declared_capabilities.items()}
        years[0][index] = held
        staying = 1 - line.attrition_pct / 100
        for year, ftes in zip(years[1:], line_ftes[1:], strict=True):
            held = {slug: min(fte * staying, ftes[index]) for slug, fte in held.items()}
            year[index] = held
    return years


def capability_fte(*, line: StaffLine, fte: float, declared: Mapping[str, float], capability_slug: str) -> float:
    """The FTE of one line able to deliver a capability: all of it for a core capability, else what it declares."""
    if capability_slug in line.capabilities:
        return fte
    return declared.get(capability_slug, 0.0)


@dataclass(frozen=True)
class CapabilityLines:
    """For one required capability, the lines that hold it as core and the lines that may declare it (worked out
    once per plan, so each year only adds up FTE)."""

    requirement: CapabilityRequirement
    core: tuple[int, ...]
    declaring: tuple[int, ...]


def capability_lines(
    *, staff: Sequence[StaffLine], requirements: Sequence[CapabilityRequirement]
) -> list[CapabilityLines]:
    return [
        CapabilityLines(
            requirement=requirement,
            core=tuple(i for i, line in enumerate(staff) if requirement.capability_slug in line.capabilities),
            declaring=tuple(
                i
                for i, line in enumerate(staff)
                if requirement.capability_slug not in line.capabilities
                and requirement.capability_slug in line.declared_capabilities
            ),
        )
        for requirement in requirements
    ]


def capability_coverage(
    *,
    lines: Sequence[CapabilityLines],
    ftes: Sequence[float],
    declared: Sequence[Mapping[str, float]],
) -> list[CapabilityCoverage]:
    """available_k = Σ_i (f_i if k is core for line i, else d_{i}[k]) against each requirement's minimum."""
    coverage = []
    for held in lines:
        requirement = held.requirement
        slug = requirement.capability_slug
        available = add_up(ftes[index] for index in held.core) + add_up(
            declared[index][slug] for index in held.declaring
        )
        coverage.append(
            CapabilityCoverage(
                capability_slug=slug,
                name=requirement.name,
                min_fte=requirement.min_fte,
                available_fte=available,
                met=available + TOLERANCE >= requirement.min_fte,
                short_by_fte=max(0.0, requirement.min_fte - available),
            )
        )
    return coverage

"""Section 2, capability coverage: FTE able to deliver each capability the team type needs, in every year.

A core capability of a role counts for all the line's FTE; a capability that needs further training or approval
counts only for the FTE the line declares, projected as the line's staff leave (leavers take it with them,
recruits and qualifying trainees do not bring it)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from planning.engine.constants import TOLERANCE
from planning.engine.inputs import CapabilityRequirement, StaffLine
from planning.engine.results import CapabilityCoverage


def projected_declarations(
    *, staff: Sequence[StaffLine], line_ftes: Sequence[Sequence[float]]
) -> list[list[dict[str, float]]]:
    """result[k][i]: line i's declared FTE by capability in year k.

    d_{i,0} = min(declared, f_{i,0});  d_{i,k+1} = min(d_{i,k} × (1 − a_i), f_{i,k+1})."""
    declared = [{slug: min(fte, line.fte) for slug, fte in line.declared_capabilities.items()} for line in staff]
    years = [declared]
    for ftes in line_ftes[1:]:
        years.append(
            [
                {slug: min(fte * (1 - line.attrition_pct / 100), line_fte) for slug, fte in previous.items()}
                for line, line_fte, previous in zip(staff, ftes, years[-1], strict=True)
            ]
        )
    return years


def capability_fte(*, line: StaffLine, fte: float, declared: Mapping[str, float], capability_slug: str) -> float:
    """The FTE of one line able to deliver a capability: all of it for a core capability, else what it declares."""
    if capability_slug in line.capabilities:
        return fte
    return declared.get(capability_slug, 0.0)


def capability_coverage(
    *,
    staff: Sequence[StaffLine],
    requirements: Sequence[CapabilityRequirement],
    ftes: Sequence[float],
    declared: Sequence[Mapping[str, float]],
) -> list[CapabilityCoverage]:
    """available_k = Σ_i (f_i if k is core for line i, else d_{i}[k]) against each requirement's minimum."""
    coverage = []
    for requirement in requirements:
        slug = requirement.capability_slug
        available = math.fsum(
            capability_fte(line=line, fte=fte, declared=held, capability_slug=slug)
            for line, fte, held in zip(staff, ftes, declared, strict=True)
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

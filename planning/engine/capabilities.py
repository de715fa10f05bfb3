"""Section 2, capability coverage: FTE able to deliver each capability the team type needs."""

from __future__ import annotations

import math
from collections.abc import Sequence

from planning.engine.constants import TOLERANCE
from planning.engine.inputs import CapabilityRequirement, StaffLine
from planning.engine.results import CapabilityCoverage


def fte_with_capability(*, staff: Sequence[StaffLine], capability_slug: str) -> float:
    return math.fsum(line.fte for line in staff if capability_slug in line.capabilities)


def capability_coverage(
    *, staff: Sequence[StaffLine], requirements: Sequence[CapabilityRequirement]
) -> list[CapabilityCoverage]:
    coverage = []
    for requirement in requirements:
        available = fte_with_capability(staff=staff, capability_slug=requirement.capability_slug)
        coverage.append(
            CapabilityCoverage(
                capability_slug=requirement.capability_slug,
                name=requirement.name,
                min_fte=requirement.min_fte,
                available_fte=available,
                met=available + TOLERANCE >= requirement.min_fte,
                short_by_fte=max(0.0, requirement.min_fte - available),
            )
        )
    return coverage

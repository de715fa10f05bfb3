"""Section 6, targets: each guidance figure measured on a year's FTE and judged met, not met or not applicable."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from planning.engine.constants import (
    AT_LEAST,
    AT_MOST,
    BETWEEN,
    COMPARATORS,
    METRIC_CASELOAD_PER_CLINICAL_FTE,
    METRIC_FTE_PER_100K,
    METRIC_MIN_FTE,
    METRIC_NATIONAL_HEADCOUNT,
    METRIC_SHARE_OF_FTE,
    METRIC_TOTAL_FTE,
    PER_100K,
    STATUS_MET,
    STATUS_NOT_APPLICABLE,
    STATUS_NOT_MET,
    TOLERANCE,
)
from planning.engine.inputs import StaffLine, Target
from planning.engine.results import TargetResult


@dataclass(frozen=True)
class Snapshot:
    """What targets are measured on: the team's lines with their FTE in one year, caseload and population."""

    staff: Sequence[StaffLine]
    ftes: Sequence[float]
    caseload: float
    population: int | None


def line_in_scope(*, line: StaffLine, target: Target) -> bool:
    """A line is in a target's scope when it matches every scope field the target gives."""
    return (
        (target.role_slug is None or line.role_slug == target.role_slug)
        and (target.family is None or line.family == target.family)
        and (target.capability_slug is None or target.capability_slug in line.capabilities)
    )


def fte_in_scope(*, snapshot: Snapshot, target: Target) -> float:
    return math.fsum(
        fte for line, fte in zip(snapshot.staff, snapshot.ftes, strict=True) if line_in_scope(line=line, target=target)
    )


def measure_target(*, snapshot: Snapshot, target: Target) -> tuple[float | None, str]:
    """(actual value, reason it cannot be measured): exactly one of the two is meaningful."""
    total = math.fsum(snapshot.ftes)
    metric = target.metric
    if metric == METRIC_TOTAL_FTE:
        return total, ""
    if metric == METRIC_FTE_PER_100K:
        if not snapshot.population:
            return None, "The team has no population served, so FTE per 100,000 cannot be worked out."
        return total / snapshot.population * PER_100K, ""
    if metric == METRIC_CASELOAD_PER_CLINICAL_FTE:
        clinical = math.fsum(fte for line, fte in zip(snapshot.staff, snapshot.ftes, strict=True) if line.clinical)
        if clinical <= 0:
            return None, "The team has no clinical FTE, so caseload per clinical FTE cannot be worked out."
        return snapshot.caseload / clinical, ""
    if metric in (METRIC_MIN_FTE, METRIC_SHARE_OF_FTE):
        if not target.has_scope:
            return None, "The target names no role, family or capability to count."
        in_scope = fte_in_scope(snapshot=snapshot, target=target)
        if metric == METRIC_MIN_FTE:
            return in_scope, ""
        if total <= 0:
            return None, "The team has no FTE, so a share of FTE cannot be worked out."
        return 100 * in_scope / total, ""
    if metric == METRIC_NATIONAL_HEADCOUNT:
        return None, "A national staff number is context for the whole NHS; one team's plan cannot meet or miss it."
    return None, f"The engine does not know the metric {metric!r}."


def comparator_problem(*, target: Target) -> str:
    if target.comparator not in COMPARATORS:
        return f"The engine does not know the comparator {target.comparator!r}."
    if target.comparator == BETWEEN and target.value_max is None:
        return "A 'between' target needs an upper value."
    return ""


def compares_true(*, actual: float, target: Target) -> bool:
    if target.comparator == AT_LEAST:
        return actual + TOLERANCE >= target.value
    if target.comparator == AT_MOST:
        return actual - TOLERANCE <= target.value
    return target.value - TOLERANCE <= actual <= target.value_max + TOLERANCE


def judge_target(*, snapshot: Snapshot, target: Target) -> tuple[str, bool | None, float | None, str]:
    """(status, met, actual, reason)."""
    actual, reason = measure_target(snapshot=snapshot, target=target)
    reason = reason or comparator_problem(target=target)
    if reason:
        return STATUS_NOT_APPLICABLE, None, actual, reason
    met = compares_true(actual=actual, target=target)
    return (STATUS_MET if met else STATUS_NOT_MET), met, actual, ""


def evaluate_targets(
    *,
    targets: Sequence[Target],
    baseline: Snapshot,
    horizon: Snapshot,
    horizon_year: int,
) -> list[TargetResult]:
    results = []
    for target in targets:
        status, met, actual, reason = judge_target(snapshot=baseline, target=target)
        status_end, met_end, actual_end, _ = judge_target(snapshot=horizon, target=target)
        results.append(
            TargetResult(
                key=target.key,
                label=target.label,
                metric=target.metric,
                comparator=target.comparator,
                value=target.value,
                value_max=target.value_max,
                status=status,
                met=met,
                actual=actual,
                reason=reason,
                horizon_year=horizon_year,
                status_at_horizon=status_end,
                met_at_horizon=met_end,
                actual_at_horizon=actual_end,
                source_url=target.source_url,
                source_label=target.source_label,
                year=target.year,
            )
        )
    return results

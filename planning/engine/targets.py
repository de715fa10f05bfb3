"""Section 7, targets: each guidance figure measured on a year's FTE and judged met, not met or not applicable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planning.engine.capabilities import capability_fte
from planning.engine.constants import (
    AT_LEAST,
    AT_MOST,
    BETWEEN,
    COMPARATORS,
    KIND_CONTEXT,
    KIND_CURRENT,
    METRIC_CASELOAD_PER_CLINICAL_FTE,
    METRIC_FTE_PER_100K,
    METRIC_MIN_FTE,
    METRIC_MIN_FTE_PER_POPULATION,
    METRIC_NATIONAL_HEADCOUNT,
    METRIC_SHARE_OF_FTE,
    METRIC_TOTAL_FTE,
    PER_100K,
    STATUS_CONTEXT,
    STATUS_HISTORICAL,
    STATUS_MET,
    STATUS_NOT_APPLICABLE,
    STATUS_NOT_MET,
    TOLERANCE,
)
from planning.engine.formulas import add_up
from planning.engine.inputs import StaffLine, Target
from planning.engine.results import TargetResult, TargetYear


@dataclass(frozen=True)
class Snapshot:
    """What targets are measured on: the team's lines with their FTE and declared capabilities in one year, the
    caseload and the population."""

    year: int
    staff: Sequence[StaffLine]
    ftes: Sequence[float]
    declared: Sequence[Mapping[str, float]]
    caseload: float
    population: int | None


def line_in_scope(*, line: StaffLine, target: Target) -> bool:
    """A line is in a target's scope when it matches the target's role and family (where given)."""
    return (target.role_slug is None or line.role_slug == target.role_slug) and (
        target.family is None or line.family == target.family
    )


def fte_in_scope(*, snapshot: Snapshot, target: Target) -> float:
    """Σ FTE of the lines in scope; with a capability in the scope, only the FTE able to deliver it (all of a line's
    FTE for a core capability, the declared FTE for one that needs further training)."""
    total = []
    for line, fte, declared in zip(snapshot.staff, snapshot.ftes, snapshot.declared, strict=True):
        if not line_in_scope(line=line, target=target):
            continue
        if target.capability_slug is not None:
            fte = capability_fte(line=line, fte=fte, declared=declared, capability_slug=target.capability_slug)
        total.append(fte)
    return add_up(total)


def measure_target(*, snapshot: Snapshot, target: Target) -> tuple[float | None, str]:
    """(actual value, reason it cannot be measured): exactly one of the two is meaningful."""
    total = add_up(snapshot.ftes)
    metric = target.metric
    if metric == METRIC_TOTAL_FTE:
        return total, ""
    if metric == METRIC_MIN_FTE_PER_POPULATION:
        if not snapshot.population:
            return None, "The team has no population served, so the minimum for its population cannot be worked out."
        if not target.reference_population:
            return None, "The target gives no reference population to scale its minimum by."
        return total, ""
    if metric == METRIC_FTE_PER_100K:
        if not snapshot.population:
            return None, "The team has no population served, so FTE per 100,000 cannot be worked out."
        return total / snapshot.population * PER_100K, ""
    if metric == METRIC_CASELOAD_PER_CLINICAL_FTE:
        clinical = add_up(fte for line, fte in zip(snapshot.staff, snapshot.ftes, strict=True) if line.clinical)
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


def required_value(*, snapshot: Snapshot, target: Target) -> float | None:
    """The figure a team is judged against: the target's value, or for `min_fte_per_population` the minimum scaled
    to the team's population (value × population ÷ reference population). None when it cannot be worked out."""
    if target.metric != METRIC_MIN_FTE_PER_POPULATION:
        return target.value
    if not snapshot.population or not target.reference_population:
        return None
    return target.value * snapshot.population / target.reference_population


def compares_true(*, actual: float, target: Target, required: float | None = None) -> bool:
    value = target.value if required is None else required
    if target.comparator == AT_LEAST:
        return actual + TOLERANCE >= value
    if target.comparator == AT_MOST:
        return actual - TOLERANCE <= value
    return value - TOLERANCE <= actual <= target.value_max + TOLERANCE


def judge_target(*, snapshot: Snapshot, target: Target) -> tuple[str, bool | None, float | None, str]:
    """(status, met, actual, reason). Historical and context targets are measured where possible, never judged."""
    actual, reason = measure_target(snapshot=snapshot, target=target)
    if target.kind != KIND_CURRENT:
        status = STATUS_CONTEXT if target.kind == KIND_CONTEXT else STATUS_HISTORICAL
        why = (
            "Context, not a staffing standard: shown for information, not judged."
            if target.kind == KIND_CONTEXT
            else f"Historical: the figure's date ({target.year or 'stated in the source'}) has passed, so it is not "
            "judged as a current target."
        )
        return status, None, actual, why
    reason = reason or comparator_problem(target=target)
    if reason:
        return STATUS_NOT_APPLICABLE, None, actual, reason
    met = compares_true(actual=actual, target=target, required=required_value(snapshot=snapshot, target=target))
    return (STATUS_MET if met else STATUS_NOT_MET), met, actual, ""


def evaluate_targets(*, targets: Sequence[Target], snapshots: Sequence[Snapshot]) -> list[TargetResult]:
    """Each target judged in every year (`snapshots`, one per year k = 0 … horizon); the first and last year are
    the baseline and horizon fields."""
    results = []
    for target in targets:
        by_year = []
        for snapshot in snapshots:
            status, met, actual, reason = judge_target(snapshot=snapshot, target=target)
            required = required_value(snapshot=snapshot, target=target)
            by_year.append(
                (TargetYear(year=snapshot.year, status=status, met=met, actual=actual, required=required), reason)
            )
        (start, reason), (end, _) = by_year[0], by_year[-1]
        results.append(
            TargetResult(
                key=target.key,
                label=target.label,
                metric=target.metric,
                comparator=target.comparator,
                value=target.value,
                value_max=target.value_max,
                status=start.status,
                met=start.met,
                actual=start.actual,
                reason=reason,
                horizon_year=end.year,
                status_at_horizon=end.status,
                met_at_horizon=end.met,
                actual_at_horizon=end.actual,
                source_url=target.source_url,
                source_label=target.source_label,
                year=target.year,
                kind=target.kind,
                required=start.required,
                by_year=[year for year, _ in by_year],
            )
        )
    return results

"""What an import would change, and the preview kept until it is applied.

`diff_plan` shows, part by part, what importing a file does to the plan: staffing lines added, changed (with each
value before and after, declared capabilities included) and removed, matched as the import will match them
(`matching.match_staffing`); demand by tier; and the assumptions that change. `pending_import` keeps the previewed
plan in the session with a digest, so that `import_from_pending` applies exactly what the user saw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from planning import fields
from planning.fields import DECLARED, DEMAND_TIERS
from planning.formatting import plain
from planning.models import DemandLine, Plan, StaffingLine
from planning.spreadsheets.matching import match_staffing
from planning.spreadsheets.validation import ParsedPlan
from planning.staffing_rules import Declarable
from roles.bands import grade_label
from roles.models import ComplexityTier, Role

# The values an import may change on a line that stays, labelled as the model names them.
COMPARED_FIELDS = [
    (name, fields.label(StaffingLine, name)) for name in fields.STAFFING_FIELDS if name not in {"role_id", "band"}
]
DEFAULT_TEXT = {"complexity_ceiling": "role and band's default", "supervision_hours_per_month": "role's default"}


def _shown(model, name: str, value) -> str:
    """A value as the preview shows it: a choice by its label, a number plainly, an empty option as its default."""
    if value is None or value == "":
        return DEFAULT_TEXT.get(name, "none")
    if name == "complexity_ceiling":
        return ComplexityTier(value).label
    choices = dict(fields.model_field(model, name).choices or ())
    return str(choices.get(value, plain(value) if isinstance(value, (Decimal, int, float)) else value))


@dataclass
class LineView:
    role: Role
    band: int
    values: dict
    declared: list[tuple[str, Decimal]] = field(default_factory=list)  # (capability name, FTE)

    @property
    def band_label(self) -> str:
        return grade_label(self.band)

    @property
    def ceiling(self) -> str:
        return _shown(StaffingLine, "complexity_ceiling", self.values.get("complexity_ceiling"))


@dataclass
class LineChange:
    before: LineView
    after: LineView
    changes: list[tuple[str, str, str]]  # (label, before, after)


@dataclass
class StaffingDiff:
    added: list[LineView] = field(default_factory=list)
    removed: list[LineView] = field(default_factory=list)
    changed: list[LineChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class PlanDiff:
    """What importing a file changes, part by part. `demand` and `assumptions` are None when the file does not
    have that part (it stays as it is); otherwise (label, before, after) for each tier or assumption that changes."""

    staffing: StaffingDiff
    demand: list[tuple[str, str, str]] | None
    assumptions: list[tuple[str, str, str]] | None

    @property
    def has_changes(self) -> bool:
        return self.staffing.has_changes or bool(self.demand) or bool(self.assumptions)


def _declared_view(declared: dict, declarable: Declarable) -> list[tuple[str, Decimal]]:
    return [
        (capability.name, declared[slug]) for slug, capability in declarable.capabilities.items() if slug in declared
    ]


def diff_staffing(
    current: list[StaffingLine],
    declared: dict[int, dict[str, Decimal]],
    new: list[dict],
    roles: dict[str, Role],
    declarable: Declarable,
) -> StaffingDiff:
    """What importing `new` does to the `current` lines (with their `declared` capabilities by line id). A value
    the file does not give (an option column or the declared capabilities it leaves out) stays as it is."""
    roles_by_id = {role.pk: role for role in roles.values()}
    diff = StaffingDiff()
    matched = match_staffing(current, new)
    for line, values in matched.pairs:
        before = {name: getattr(line, name) for name, _ in COMPARED_FIELDS}
        after = {**before, **{name: values[name] for name, _ in COMPARED_FIELDS if name in values}}
        changes = [
            (label, _shown(StaffingLine, name, before[name]), _shown(StaffingLine, name, after[name]))
            for name, label in COMPARED_FIELDS
            if before[name] != after[name]
        ]
        old_declared = declared.get(line.pk, {})
        new_declared = values.get(DECLARED, old_declared)
        for slug, capability in declarable.capabilities.items():
            was, now = old_declared.get(slug), new_declared.get(slug)
            if was != now:
                changes.append((f"{capability.name} FTE", plain(was) or "none", plain(now) or "none"))
        if changes:
            diff.changed.append(
                LineChange(
                    LineView(line.role, line.band, before, _declared_view(old_declared, declarable)),
                    LineView(line.role, line.band, after, _declared_view(new_declared, declarable)),
                    changes,
                )
            )
        else:
            diff.unchanged += 1
    for values in matched.added:
        shown = {name: values.get(name) for name, _ in COMPARED_FIELDS}
        view = LineView(roles_by_id[values["role_id"]], values["band"], shown)
        view.declared = _declared_view(values.get(DECLARED, {}), declarable)
        diff.added.append(view)
    for line in matched.removed:
        values = {name: getattr(line, name) for name, _ in COMPARED_FIELDS}
        diff.removed.append(
            LineView(line.role, line.band, values, _declared_view(declared.get(line.pk, {}), declarable))
        )
    return diff


def _demand_text(values: dict | None) -> str:
    if values is None:
        return "none"
    return f"{values['caseload']:,} people, {plain(values['hours_per_person_per_week'])} hours each a week"


def diff_demand(current: list[DemandLine], new: list[dict]) -> list[tuple[str, str, str]]:
    """(tier, before, after) for each tier whose demand the file changes."""
    before = {line.tier: {name: getattr(line, name) for name in fields.DEMAND_FIELDS} for line in current}
    after = {values["tier"]: values for values in new}
    return [
        (tier.label, _demand_text(before.get(tier.value)), _demand_text(after.get(tier.value)))
        for tier in DEMAND_TIERS
        if before.get(tier.value) != after.get(tier.value)
    ]


def diff_assumptions(plan: Plan, new: dict) -> list[tuple[str, str, str]]:
    """(assumption, before, after) for each assumption the file changes."""
    return [
        (fields.ASSUMPTION_LABELS[name], _shown(Plan, name, getattr(plan, name)), _shown(Plan, name, value))
        for name, value in new.items()
        if getattr(plan, name) != value
    ]


def diff_plan(
    plan: Plan,
    *,
    staffing: list[StaffingLine],
    declared: dict[int, dict[str, Decimal]],
    demand: list[DemandLine],
    parsed: ParsedPlan,
    roles: dict[str, Role],
    declarable: Declarable,
) -> PlanDiff:
    return PlanDiff(
        staffing=diff_staffing(staffing, declared, parsed.lines, roles, declarable),
        demand=None if parsed.demand is None else diff_demand(demand, parsed.demand),
        assumptions=None if parsed.assumptions is None else diff_assumptions(plan, parsed.assumptions),
    )


# --- Keeping the preview until it is applied --------------------------------------------------------------


@dataclass
class PlanImport:
    """What a confirmed preview applies (`services.import_plan`'s arguments): staffing lines, and the demand and
    assumptions when the file had them (None: unchanged)."""

    lines: list[dict]
    demand: list[dict] | None
    assumptions: dict | None

    def still_in_catalogue(self, *, roles: dict[str, Role], declarable: Declarable) -> bool:
        """Whether every role and declared capability the lines name is still in the catalogue."""
        role_ids = {role.pk for role in roles.values()}
        return all(
            line["role_id"] in role_ids and set(line.get(DECLARED, {})) <= set(declarable.capabilities)
            for line in self.lines
        )


def _stored(value):
    """A value as JSON keeps it exactly: a number as its text ("4.50"), text as itself."""
    if isinstance(value, dict):
        return {key: _stored(item) for key, item in value.items()}
    return None if value is None else str(value)


def _restored(model, values: dict) -> dict:
    """Stored values back as the model's fields read them (the text "4.50" as Decimal("4.50"))."""
    restored = {}
    for name, value in values.items():
        if name == DECLARED:
            restored[name] = {slug: Decimal(fte) for slug, fte in value.items()}
        else:
            restored[name] = fields.model_field(model, name).to_python(value)
    return restored


def pending_import(plan: Plan, parsed: ParsedPlan) -> dict:
    """What the preview showed, as JSON-safe data for the session: the plan's parts, the version, a digest."""
    stored = {
        "lines": [_stored(line) for line in parsed.lines],
        "demand": None if parsed.demand is None else [_stored(values) for values in parsed.demand],
        "assumptions": None if parsed.assumptions is None else _stored(parsed.assumptions),
    }
    return {"version": plan.version, "plan": stored, "digest": _digest(plan.pk, plan.version, stored)}


def _digest(plan_id: int, version: int, stored) -> str:
    payload = json.dumps([plan_id, version, stored], separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def import_from_pending(plan: Plan, pending, digest: str) -> tuple[int, PlanImport] | None:
    """(plan version at preview, what the preview showed), or None when there is no preview or it is not the one
    the user confirmed (another upload replaced it, or it was tampered with)."""
    try:
        stored, version = pending["plan"], int(pending["version"])
        if not digest or pending["digest"] != digest or _digest(plan.pk, version, stored) != digest:
            return None
        demand, assumptions = stored["demand"], stored["assumptions"]
        return version, PlanImport(
            lines=[_restored(StaffingLine, values) for values in stored["lines"]],
            demand=None if demand is None else [_restored(DemandLine, values) for values in demand],
            assumptions=None if assumptions is None else _restored(Plan, assumptions),
        )
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError, ArithmeticError):
        return None

"""Writes for the planning workspace. Views call these after scoping with `planning.selectors`.

Plans use optimistic locking: every save names the version it was based on, and the save only happens
if the plan is still at that version (one conditional UPDATE, so it holds across processes and
databases). A stale save raises `PlanConflict` and writes nothing.

An agreed plan is read only: this module is the one place that enforces it. Every change to a plan, its name
or its lines raises `PlanLocked` (and writes nothing) while `plan.is_locked`; only reopening
(`planning.decisions.reopen_plan`) and `copy_as_scenario` (the copy is a new draft) work on an agreed plan. Views
ask `plan.is_locked` only to choose what to show.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from planning.fields import ASSUMPTION_FIELDS, DECLARED, DEMAND_FIELDS, STAFFING_FIELDS
from planning.models import DeclaredCapability, DemandLine, Plan, StaffingLine, Team
from planning.spreadsheets.matching import match_staffing
from roles.models import Capability


class PlanConflict(Exception):
    """The plan changed since the editor loaded it."""

    def __init__(self, current: Plan):
        super().__init__(f"Plan {current.pk} is now at version {current.version}")
        self.current = current


LOCKED_MESSAGE = "This plan is agreed, so it is read only. A lead must reopen it before it can be changed."


class PlanLocked(PermissionDenied):
    """The plan is agreed (`Plan.is_locked`), so it is read only until a lead reopens it. Every service that
    changes a plan or its lines raises this, and writes nothing."""

    def __init__(self, message: str = LOCKED_MESSAGE):
        super().__init__(message)


@dataclass
class LineChanges:
    """Lines to keep (by id, with new values), to add, and to delete, for one kind of line."""

    update: dict[int, dict]
    create: list[dict]
    delete: list[int]


def _claim_version(plan: Plan, *, expected_version: int, user, **changes) -> None:
    """Move the plan to the next version if it is still at `expected_version`, else raise PlanConflict."""
    updated = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=F("version") + 1, updated_by=user, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise PlanConflict(Plan.objects.select_related("updated_by").get(pk=plan.pk))
    plan.version = expected_version + 1


def _require_draft(plan: Plan) -> None:
    if plan.is_locked:
        raise PlanLocked()


def _record(instance, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason


@transaction.atomic
def save_plan(
    *,
    plan: Plan,
    user,
    expected_version: int,
    assumptions: dict,
    staffing: LineChanges,
    demand: LineChanges,
) -> Plan:
    """Save a plan's assumptions and lines together, or nothing at all."""
    _require_draft(plan)
    _claim_version(plan, expected_version=expected_version, user=user)
    for field in ASSUMPTION_FIELDS:
        if field in assumptions:
            setattr(plan, field, assumptions[field])
    plan.updated_by = user
    _record(plan, user, f"Saved version {plan.version}")
    plan.save()
    _apply_line_changes(plan, StaffingLine, staffing, STAFFING_FIELDS, user)
    _apply_line_changes(plan, DemandLine, demand, DEMAND_FIELDS, user)
    return plan


def _apply_line_changes(plan: Plan, model, changes: LineChanges, fields: list[str], user) -> None:
    """Delete, update and add lines; a line's history gets a row only when one of its values really changed.
    Staffing lines' values may carry their declared capabilities (`fields.DECLARED`: slug → FTE, the whole set)."""
    existing = {line.pk: line for line in model.objects.filter(plan=plan)}
    declarations = _Declarations(plan, user) if model is StaffingLine else None
    for pk in changes.delete:
        line = existing.pop(pk, None)
        if line is not None:
            _record(line, user, "Removed")
            line.delete()
    for pk, values in changes.update.items():
        line = existing.get(pk)
        if line is None:
            raise ValidationError("A line you edited no longer belongs to this plan.")
        if any(getattr(line, field) != values.get(field) for field in fields if field in values):
            for field in fields:
                if field in values:
                    setattr(line, field, values[field])
            _record(line, user, "Edited")
            line.save()
        if declarations is not None and DECLARED in values:
            declarations.set(line, values[DECLARED])
    for values in changes.create:
        line = model(plan=plan, **{field: values.get(field) for field in fields if field in values})
        _record(line, user, "Added")
        line.save()
        if declarations is not None and values.get(DECLARED):
            declarations.set(line, values[DECLARED])


class _Declarations:
    """Sets staffing lines' declared capabilities to exactly what was given, writing (and recording in history)
    only what changed. Two queries for any number of lines."""

    def __init__(self, plan: Plan, user):
        self.user = user
        self.current: dict[tuple[int, str], DeclaredCapability] = {
            (row.line_id, row.capability.slug): row
            for row in DeclaredCapability.objects.filter(line__plan=plan).select_related("capability")
        }
        self._capabilities: dict[str, Capability] | None = None

    def capability(self, slug: str) -> Capability:
        if self._capabilities is None:
            self._capabilities = {capability.slug: capability for capability in Capability.objects.all()}
        return self._capabilities[slug]

    def set(self, line: StaffingLine, wanted: dict) -> None:
        wanted = {slug: fte for slug, fte in wanted.items() if fte}
        for (line_id, slug), row in list(self.current.items()):
            if line_id == line.pk and slug not in wanted:
                _record(row, self.user, "Removed")
                row.delete()
        for slug, fte in wanted.items():
            row = self.current.get((line.pk, slug))
            if row is not None and row.fte == fte:
                continue
            row = row or DeclaredCapability(line=line, capability=self.capability(slug))
            row.fte = fte
            _record(row, self.user, "Declared")
            row.save()


@transaction.atomic
def import_plan(
    *,
    plan: Plan,
    user,
    expected_version: int,
    lines: list[dict],
    demand: list[dict] | None = None,
    assumptions: dict | None = None,
) -> Plan:
    """All-or-nothing import of a file: the plan's staffing lines become exactly `lines`; its demand becomes
    `demand` (one dict a tier) and its assumptions take `assumptions`, each unless None (the file did not have
    that part).

    The history records what really changed: each row is matched to a line of the same role and band, in order
    (`planning.spreadsheets.matching`), and a matched line (or its declared capabilities) gets a history row only
    if a value changed; rows left over are added and lines left over removed. Demand is matched by tier, and the
    plan's own row records the import, with the assumptions that changed."""
    _require_draft(plan)
    _claim_version(plan, expected_version=expected_version, user=user)
    matched = match_staffing(list(StaffingLine.objects.filter(plan=plan)), lines)
    staffing = LineChanges(
        update={line.pk: values for line, values in matched.pairs},
        create=matched.added,
        delete=[line.pk for line in matched.removed],
    )
    _apply_line_changes(plan, StaffingLine, staffing, STAFFING_FIELDS, user)
    if demand is not None:
        existing = {line.tier: line.pk for line in DemandLine.objects.filter(plan=plan)}
        wanted = {values["tier"]: values for values in demand}
        changes = LineChanges(
            update={existing[tier]: values for tier, values in wanted.items() if tier in existing},
            create=[values for tier, values in wanted.items() if tier not in existing],
            delete=[pk for tier, pk in existing.items() if tier not in wanted],
        )
        _apply_line_changes(plan, DemandLine, changes, DEMAND_FIELDS, user)
    plan.refresh_from_db()
    for name, value in (assumptions or {}).items():
        setattr(plan, name, value)
    _record(plan, user, import_description(lines=lines, demand=demand, assumptions=assumptions))
    plan.save()
    return plan


def import_description(*, lines: list[dict], demand: list[dict] | None, assumptions: dict | None) -> str:
    """What an import covered, for the plan's history and the message after it: "Imported 3 staffing lines,
    demand and assumptions"."""
    parts = [f"{len(lines)} staffing line{'s' if len(lines) != 1 else ''}"]
    parts += [name for name, given in (("demand", demand), ("assumptions", assumptions)) if given is not None]
    return f"Imported {' and '.join(', '.join(parts).rsplit(', ', 1))}"


@transaction.atomic
def create_plan(*, team: Team, user, values: dict) -> Plan:
    plan = Plan(team=team, created_by=user, updated_by=user)
    for field in ASSUMPTION_FIELDS:
        if field in values:
            setattr(plan, field, values[field])
    _record(plan, user, "Created")
    plan.save()
    return plan


@transaction.atomic
def copy_as_scenario(*, plan: Plan, user, name: str) -> Plan:
    """A new draft plan with the same assumptions and lines, recorded as a scenario of `plan`."""
    base = plan.scenario_of or plan
    scenario = Plan(
        team=plan.team,
        scenario_of=base,
        created_by=user,
        updated_by=user,
        **{field: getattr(plan, field) for field in ASSUMPTION_FIELDS if field != "name"},
        name=name,
    )
    _record(scenario, user, f"Copied from {plan.name}")
    scenario.save()
    for line in plan.staffing_lines.prefetch_related("declared_capabilities"):
        copy = StaffingLine(plan=scenario, **{field: getattr(line, field) for field in STAFFING_FIELDS})
        _record(copy, user, "Copied")
        copy.save()
        for declared in line.declared_capabilities.all():
            row = DeclaredCapability(line=copy, capability_id=declared.capability_id, fte=declared.fte)
            _record(row, user, "Copied")
            row.save()
    for line in plan.demand_lines.all():
        copy = DemandLine(plan=scenario, **{field: getattr(line, field) for field in DEMAND_FIELDS})
        _record(copy, user, "Copied")
        copy.save()
    return scenario


@transaction.atomic
def rename_plan(*, plan: Plan, user, expected_version: int, name: str) -> Plan:
    _require_draft(plan)
    _claim_version(plan, expected_version=expected_version, user=user, name=name)
    plan.refresh_from_db()
    _record(plan, user, f"Renamed to {name}")
    plan.save()
    return plan


@transaction.atomic
def delete_plan(*, plan: Plan, user, expected_version: int) -> None:
    _require_draft(plan)
    _claim_version(plan, expected_version=expected_version, user=user)
    _record(plan, user, "Deleted")
    plan.delete()


class TeamConflict(Exception):
    """The team changed since its form was loaded."""

    def __init__(self, current: Team):
        super().__init__(f"Team {current.pk} is now at version {current.version}")
        self.current = current


@transaction.atomic
def save_team(*, team: Team, user, expected_version: int | None = None) -> Team:
    """Create a team, or save a changed one if it is still at `expected_version` (else `TeamConflict`, and
    nothing is written). Like plans, the version is claimed with one conditional UPDATE, so of two people who
    loaded the same version only the first save wins."""
    if team.pk is not None:
        claimed = Team.objects.filter(pk=team.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not claimed:
            raise TeamConflict(Team.objects.get(pk=team.pk))
        team.version = expected_version + 1
    _record(team, user, "Created" if team.pk is None else f"Saved version {team.version}")
    team.save()
    return team

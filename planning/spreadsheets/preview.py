"""What an import would change, and the preview kept until it is applied.

`diff_staffing` matches the file's lines to the plan's by role and band; `pending_import` keeps the previewed
lines in the session with a digest, so that `lines_from_pending` applies exactly what the user saw.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from planning import fields
from planning.formatting import plain
from planning.models import Plan, StaffingLine
from planning.spreadsheets.columns import LINE_FIELDS
from roles.bands import grade_label
from roles.models import Role

# The values an import may change on a line that stays, labelled as the model names them.
COMPARED_FIELDS = [
    (name, fields.label(StaffingLine, name)) for name in fields.STAFFING_FIELDS if name not in {"role_id", "band"}
]


@dataclass
class LineView:
    role: Role
    band: int
    values: dict

    @property
    def band_label(self) -> str:
        return grade_label(self.band)


@dataclass
class LineChange:
    before: LineView
    after: LineView
    changes: list[tuple[str, object, object]]  # (label, before, after)


@dataclass
class StaffingDiff:
    added: list[LineView] = field(default_factory=list)
    removed: list[LineView] = field(default_factory=list)
    changed: list[LineChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def diff_staffing(current: list[StaffingLine], new: list[dict], roles: dict[str, Role]) -> StaffingDiff:
    """What importing `new` does to `current`: lines are matched by role and band, in order."""
    roles_by_id = {role.pk: role for role in roles.values()}
    before = defaultdict(list)
    for line in current:
        values = {name: getattr(line, name) for name, _ in COMPARED_FIELDS}
        before[(line.role_id, line.band)].append(LineView(line.role, line.band, values))
    diff = StaffingDiff()
    for line in new:
        after = LineView(roles_by_id[line["role_id"]], line["band"], {name: line[name] for name, _ in COMPARED_FIELDS})
        matches = before.get((line["role_id"], line["band"]))
        if not matches:
            diff.added.append(after)
            continue
        old = matches.pop(0)
        changes = [
            (label, old.values[name], after.values[name])
            for name, label in COMPARED_FIELDS
            if old.values[name] != after.values[name]
        ]
        if changes:
            diff.changed.append(LineChange(old, after, changes))
        else:
            diff.unchanged += 1
    for remaining in before.values():
        diff.removed.extend(remaining)
    return diff


def _stored(value) -> str | None:
    return None if value is None else plain(value)


def pending_import(plan: Plan, lines: list[dict]) -> dict:
    """What the preview showed, as JSON-safe data for the session: the lines, the version, a digest."""
    stored = [[_stored(line[name]) for name in LINE_FIELDS] for line in lines]
    return {"version": plan.version, "lines": stored, "digest": _digest(plan.pk, plan.version, stored)}


def _digest(plan_id: int, version: int, stored: list) -> str:
    payload = json.dumps([plan_id, version, stored], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def lines_from_pending(plan: Plan, pending, digest: str) -> tuple[int, list[dict]] | None:
    """(plan version at preview, the previewed lines), or None when there is no preview or it is not the one
    the user confirmed (another upload replaced it, or it was tampered with)."""
    try:
        stored, version = pending["lines"], int(pending["version"])
        if not digest or pending["digest"] != digest or _digest(plan.pk, version, stored) != digest:
            return None
        lines = []
        for row in stored:
            values = dict(zip(LINE_FIELDS, row, strict=True))
            lines.append(
                {
                    "role_id": int(values["role_id"]),
                    "band": int(values["band"]),
                    **{name: Decimal(values[name]) for name in fields.STAFFING_AMOUNTS},
                    "trainee_completion_year": (
                        int(values["trainee_completion_year"]) if values["trainee_completion_year"] else None
                    ),
                }
            )
        return version, lines
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return None

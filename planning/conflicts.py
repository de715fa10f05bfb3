"""A save refused because someone else saved the plan first: the user's input merged, field by field, onto the
plan as it is now saved, and the differences the conflict page shows, from ONE walk over the submission.

The merge is three-way: for each field, what the user submitted (`yours`), what their form started from
(`base`, carried in hidden fields) and what is saved now (`saved`):

- a field the user changed keeps their value (flagged when someone else changed it too);
- a field only someone else changed takes their value (the user's form still showed the old one);
- a line someone else removed comes back as a new row if the user changed it, and stays removed if not;
- a line someone else added is added to the form.

`resolve` returns the merged `Submission` (every part's starting point moved to the saved version, ready for
the next save) and the `Difference`s found on the way, so the page can never show something other than what a
second save would store. Pure: it reads only the objects it is given, and runs no queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import BadRequest
from django.db import models

from planning.fields import (
    ASSUMPTION_FIELDS,
    DECLARED_SUFFIX,
    DEMAND_AMOUNTS,
    DEMAND_TIERS,
    STAFFING_AMOUNTS,
    STAFFING_FORM_FIELDS,
    limits,
    model_field,
)
from planning.formatting import plain
from planning.models import Plan, StaffingLine

DELETE = "DELETE"
ROW_FIELDS = STAFFING_FORM_FIELDS  # a staffing row's fields as the editor posts them
# Compared as text, not as numbers: the plan's name, pay year and notes.
TEXT_FIELDS = {
    name for name in ASSUMPTION_FIELDS if isinstance(model_field(Plan, name), models.CharField | models.TextField)
}
# The amounts a blank staffing cell leaves at 0 (those the model does not require), as the row form does.
ZERO_WHEN_BLANK = {name for name in STAFFING_AMOUNTS if not limits(StaffingLine, name).required}


def is_declared(name: str) -> bool:
    """Whether a row's field is a declared capability's FTE ("independent-prescribing_fte"): blank declares none."""
    return name.endswith(DECLARED_SUFFIX) and name not in ROW_FIELDS


# --- Comparing and merging one field --------------------------------------------------------------------


def canonical(name: str, value) -> str:
    """A value as a comparable string, so that 1.5 and "1.50" (or "" and 0 where blank means 0) are equal."""
    if name in TEXT_FIELDS:
        return str(value or "").replace("\r\n", "\n").strip()
    text = plain(value)
    if text == "" and (name in ZERO_WHEN_BLANK or is_declared(name)):
        return "0"
    return text


class Outcome:
    SAME = "same"  # the user's value is the saved value
    SAVED = "saved"  # the user had not changed it; someone else had: their value is kept
    YOURS = "yours"  # only the user changed it: theirs is kept
    BOTH = "both"  # both changed it: the user's value is kept, for them to check


class LineOutcome:
    """What happened to a whole staffing line."""

    REMOVE = "remove"  # the user ticked it for removal; nobody else had changed it
    REMOVE_CHANGED = "remove_changed"  # the user ticked it for removal; someone else had changed it
    STAYS_REMOVED = "stays_removed"  # someone else removed it; the user had not changed it
    COMES_BACK = "comes_back"  # someone else removed it; the user had changed it: it comes back as a new line
    NEW = "new"  # the user's new line
    ADDED = "added"  # a line someone else added


def merge(name: str, yours, base: dict | None, saved):
    """(value for the form, Outcome) for one field, given what the user submitted, what they started from
    (`base`, or None when unknown) and what is saved now."""
    if canonical(name, yours) == canonical(name, saved):
        return yours, Outcome.SAME
    if base is None or name not in base:
        return yours, Outcome.YOURS
    if canonical(name, yours) == base[name]:
        return saved, Outcome.SAVED
    if canonical(name, saved) == base[name]:
        return yours, Outcome.YOURS
    return yours, Outcome.BOTH


# --- Starting points, carried in hidden fields ---------------------------------------------------------


def encode_base(values: dict) -> str:
    """What a form started from, carried in a hidden field so a conflicting save can be merged field by field."""
    return json.dumps({name: canonical(name, value) for name, value in values.items()}, separators=(",", ":"))


# The hidden fields are written by the editor, so their shape is known: a field's base is one flat object of
# strings, the staffing base an object of such objects, one a line. Anything nested deeper, or far longer than
# 1,000 lines need, was not written by the editor and is refused (400) before it is decoded: Python's JSON
# decoder recurses once per level, so a few hundred kilobytes of "[[[[…" would raise RecursionError.
BASE_DEPTH, STAFFING_BASE_DEPTH = 1, 2
MAX_BASE_CHARS = 1_000_000


class BadBase(BadRequest):
    """A hidden base field the editor could not have written. Django answers it with 400."""


def _nesting(text: str) -> int:
    """How deeply the JSON text nests objects and arrays, counting brackets outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _load(text, *, depth: int):
    """The decoded hidden field, or None when it is not JSON; `BadBase` when it is nested deeper than `depth`."""
    if not text:
        return None
    if not isinstance(text, str) or len(text) > MAX_BASE_CHARS or _nesting(text) > depth:
        raise BadBase("A hidden field of the plan editor was changed.")
    try:
        return json.loads(text)
    except ValueError:
        return None


def decode_base(text) -> dict | None:
    base = _load(text, depth=BASE_DEPTH)
    if not isinstance(base, dict) or not all(isinstance(v, str) for v in base.values()):
        return None
    return base


def encode_staffing_base(lines) -> str:
    """The starting values of every staffing line, in one hidden field (one a row would add 1,000 fields to a
    1,000-line form, against Django's DATA_UPLOAD_MAX_NUMBER_FIELDS)."""
    values = {
        str(line.pk): {name: canonical(name, value) for name, value in line_values(line).items()} for line in lines
    }
    return json.dumps(values, separators=(",", ":"))


def decode_staffing_base(text) -> dict[str, dict]:
    bases = _load(text, depth=STAFFING_BASE_DEPTH)
    if not isinstance(bases, dict):
        return {}
    return {
        str(key): value
        for key, value in bases.items()
        if isinstance(value, dict) and all(isinstance(item, str) for item in value.values())
    }


# --- Values of what is saved ----------------------------------------------------------------------------


def line_values(line) -> dict:
    """A saved staffing line's values, named as the editor's row fields, with the FTE of each capability it
    declares (`<slug>_fte`; its `declared_capabilities` prefetched with their capability)."""
    values = {name: line.role_id if name == "role" else getattr(line, name) for name in ROW_FIELDS}
    for declared in line.declared_capabilities.all():
        values[f"{declared.capability.slug}{DECLARED_SUFFIX}"] = declared.fte
    return values


def line_initial(line) -> dict:
    return {"line_id": line.pk, **line_values(line), DELETE: False}


def assumption_values(plan) -> dict:
    return {name: getattr(plan, name) for name in ASSUMPTION_FIELDS}


def demand_values(line) -> dict:
    return {name: getattr(line, name) if line else None for name in DEMAND_AMOUNTS}


# --- A submission -----------------------------------------------------------------------------------------


@dataclass
class Submission:
    """What the user posted to the editor, as raw text, row by row, with what each part started from. Used to
    show their input again (after a grid button without JavaScript, or a conflict) without validating it, and to
    list what differs from the saved plan."""

    version: str
    assumptions: dict[str, str]
    assumptions_base: str = ""
    staffing: list[dict] = field(default_factory=list)  # each row's "base" is a dict of starting values, or None
    staffing_base: str = ""
    demand: dict[int, dict[str, str]] = field(default_factory=dict)
    declared: list[str] = field(default_factory=list)  # the declared capability fields each row carries


def row_is_blank(row: dict) -> bool:
    return not row.get("line_id") and not any(
        str(row.get(name) or "").strip() for name in row if name in ROW_FIELDS or is_declared(name)
    )


def _int_or_none(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# --- The merge and its differences ----------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One difference between the saved plan and the user's submission.

    `part` is "assumptions", "staffing" or "demand"; `line` the values the line is described by (a staffing line's
    values; {"tier": ...} for demand; None for the assumptions); `field` the field's name, or None for a whole
    staffing line; `outcome` an `Outcome` for a field, a `LineOutcome` for a whole line."""

    part: str
    line: dict | None
    field: str | None
    outcome: str
    saved: object = None
    yours: object = None


@dataclass
class Resolution:
    submission: Submission
    differences: list[Difference]


def _merge_fields(part, line, names, yours: dict, base, saved: dict, found: list) -> dict:
    merged = {}
    for name in names:
        value, outcome = merge(name, yours.get(name), base, saved[name])
        merged[name] = value
        if outcome != Outcome.SAME:
            found.append(Difference(part, line, name, outcome, saved=saved[name], yours=yours.get(name)))
    return merged


def _merge_staffing(rows_in: list[dict], staffing: list, declared: list[str], found: list) -> list[dict]:
    lines = {line.pk: line for line in staffing}
    names = [*ROW_FIELDS, *declared]
    blank_declared = dict.fromkeys(declared)
    rows, seen = [], set()
    for row in rows_in:
        line_id = _int_or_none(row.get("line_id"))
        base = row.get("base")
        if base is not None:
            # A line's base lists only what it declared when the form was loaded: the rest were blank.
            base = {**{name: canonical(name, None) for name in declared}, **base}
        if line_id in lines and line_id not in seen:
            seen.add(line_id)
            saved = {**blank_declared, **line_values(lines[line_id])}
            changes: list[Difference] = []
            merged = _merge_fields("staffing", saved, names, row, base, saved, changes)
            rows.append({"line_id": line_id, **merged, DELETE: row[DELETE]})
            if row[DELETE]:
                untouched = base is not None and all(canonical(n, saved.get(n)) == base.get(n) for n in names)
                outcome = LineOutcome.REMOVE if untouched else LineOutcome.REMOVE_CHANGED
                found.append(Difference("staffing", saved, None, outcome))
            else:
                found.extend(changes)
        elif row.get("line_id"):
            if row[DELETE]:
                continue
            unchanged = base is not None and all(canonical(n, row.get(n)) == base.get(n) for n in names)
            if not unchanged:
                rows.append({**row, "line_id": "", "base": None})
            outcome = LineOutcome.STAYS_REMOVED if unchanged else LineOutcome.COMES_BACK
            found.append(Difference("staffing", row, None, outcome))
        elif not row_is_blank(row) and not row[DELETE]:
            rows.append(row)
            found.append(Difference("staffing", row, None, LineOutcome.NEW))
    for line in staffing:
        if line.pk not in seen:
            rows.append(line_initial(line))
            found.append(Difference("staffing", line_values(line), None, LineOutcome.ADDED))
    return rows


def resolve(submission: Submission, current, staffing: list, demand: list) -> Resolution:
    """Merge `submission` onto the plan as saved now (`current`, its staffing and demand lines), and list the
    differences: assumptions, then staffing lines (matched by line id), then demand (by tier)."""
    found: list[Difference] = []
    saved_plan = assumption_values(current)
    assumptions = _merge_fields(
        "assumptions",
        None,
        ASSUMPTION_FIELDS,
        submission.assumptions,
        decode_base(submission.assumptions_base),
        saved_plan,
        found,
    )
    rows = _merge_staffing(submission.staffing, staffing, submission.declared, found)
    by_tier = {line.tier: line for line in demand}
    merged_demand = {}
    for tier in DEMAND_TIERS:
        typed = submission.demand.get(tier.value, {})
        saved = demand_values(by_tier.get(tier.value))
        tier_base = decode_base(typed.get("base"))
        values = _merge_fields("demand", {"tier": tier.value}, DEMAND_AMOUNTS, typed, tier_base, saved, found)
        merged_demand[tier.value] = {**values, "base": encode_base(saved)}
    merged = Submission(
        version=str(current.version),
        assumptions=assumptions,
        assumptions_base=encode_base(saved_plan),
        staffing=rows,
        staffing_base=encode_staffing_base(staffing),
        demand=merged_demand,
        declared=submission.declared,
    )
    return Resolution(submission=merged, differences=found)

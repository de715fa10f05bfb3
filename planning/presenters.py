"""Display logic for the planning workspace: turns plans, their history and a conflicting save into the rows
templates show. Reads here are scoped by a plan the caller already got through `planning.selectors`."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from planning.forms import (
    DELETE,
    DEMAND_FIELDS,
    ROW_FIELDS,
    TIERS,
    Outcome,
    RoleOptions,
    Submission,
    canonical,
    decode_base,
    line_values,
    merge,
    number,
    row_is_blank,
)
from planning.models import DemandLine, Membership, Plan, StaffingLine
from roles.bands import Band
from roles.models import ComplexityTier

HISTORY_LIMIT = 50
NOT_SET = "Not set"

# --- Values ----------------------------------------------------------------------------------------------

ASSUMPTION_LABELS = {
    "name": "Plan name",
    "start_year": "Start year",
    "horizon_years": "Horizon (years)",
    "contract_hours": "Contract hours a week",
    "productive_fraction": "Productive fraction",
    "direct_care_fraction": "Direct-care fraction",
    "demand_growth_pct": "Demand growth (% a year)",
    "on_cost_pct": "Employer on-costs (%)",
    "supervision_fraction": "Supervision fraction",
    "pay_year": "Pay year",
    "notes": "Notes",
}
STAFFING_LABELS = {
    "role": "Role",
    "band": "Band",
    "fte": "FTE in post",
    "establishment_fte": "Funded establishment FTE",
    "attrition_pct": "Annual attrition (%)",
    "trainees_fte": "Trainees in pipeline (FTE)",
    "trainee_completion_year": "Trainee completion year",
    "recruitment_fte_per_year": "Planned recruitment (FTE a year)",
}
DEMAND_LABELS = {
    "tier": "Tier",
    "caseload": "Caseload (people)",
    "hours_per_person_per_week": "Hours per person per week",
}


def band_label(value) -> str:
    try:
        return Band(int(value)).label
    except (TypeError, ValueError):
        return str(value or "")


def role_label(value, roles: RoleOptions) -> str:
    try:
        return roles.by_id[int(value)].name
    except (KeyError, TypeError, ValueError):
        return str(value or "")


def display(name: str, value, roles: RoleOptions | None = None) -> str:
    """A field's value as a person reads it: role names, band labels, 37.5 rather than 37.50."""
    text = canonical(name, value)
    if text == "":
        return NOT_SET
    if name in {"role", "role_id"} and roles is not None:
        return role_label(text, roles)
    if name == "band":
        return band_label(text)
    if name == "tier":
        return ComplexityTier(int(text)).label
    return text


# --- Plans on the home and team pages --------------------------------------------------------------------


@dataclass
class PlanGroup:
    baseline: Plan
    scenarios: list[Plan]


def plan_groups(plans) -> list[PlanGroup]:
    """Baselines, each followed by its scenarios, in name order."""
    plans = sorted(plans, key=lambda plan: (plan.name.lower(), plan.pk))
    groups = {plan.pk: PlanGroup(plan, []) for plan in plans if plan.scenario_of_id is None}
    for plan in plans:
        if plan.scenario_of_id is not None:
            group = groups.get(plan.scenario_of_id)
            if group is None:  # its baseline is not visible here: show it on its own
                groups[plan.pk] = PlanGroup(plan, [])
            else:
                group.scenarios.append(plan)
    return list(groups.values())


def access_label(organisation) -> str:
    memberships = getattr(organisation, "my_memberships", [])
    return memberships[0].get_access_display() if memberships else ""


def is_lead_of(organisation) -> bool:
    memberships = getattr(organisation, "my_memberships", [])
    return bool(memberships) and memberships[0].access == Membership.Access.LEAD


@dataclass
class OrganisationSummary:
    organisation: object
    access: str
    lead: bool
    teams: list  # (team, [PlanGroup])


def workspace(organisations) -> list[OrganisationSummary]:
    return [
        OrganisationSummary(
            organisation=organisation,
            access=access_label(organisation),
            lead=is_lead_of(organisation),
            teams=[(team, plan_groups(team.plans.all())) for team in organisation.teams.all()],
        )
        for organisation in organisations
    ]


# --- The plan summary ------------------------------------------------------------------------------------


def assumption_rows(plan: Plan) -> list[tuple[str, str]]:
    rows = [
        (
            "Period",
            f"{plan.start_year} to {plan.end_year} ({plan.horizon_years} year{'s' if plan.horizon_years != 1 else ''})",
        ),
    ]
    for name in [
        "contract_hours",
        "productive_fraction",
        "direct_care_fraction",
        "demand_growth_pct",
        "on_cost_pct",
        "supervision_fraction",
        "pay_year",
    ]:
        value = getattr(plan, name)
        text = number(value) if name != "pay_year" else value
        default = Plan._meta.get_field(name).default
        if str(number(default) if name != "pay_year" else default) == str(text):
            text = f"{text} (default)"
        rows.append((ASSUMPTION_LABELS[name], text))
    return rows


@dataclass
class StaffingTotals:
    fte: Decimal
    establishment_fte: Decimal
    trainees_fte: Decimal
    recruitment_fte_per_year: Decimal


def staffing_totals(lines: list[StaffingLine]) -> StaffingTotals:
    return StaffingTotals(
        fte=sum((line.fte for line in lines), Decimal(0)),
        establishment_fte=sum((line.establishment_fte for line in lines), Decimal(0)),
        trainees_fte=sum((line.trainees_fte for line in lines), Decimal(0)),
        recruitment_fte_per_year=sum((line.recruitment_fte_per_year for line in lines), Decimal(0)),
    )


# --- History ---------------------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    date: datetime
    user: str
    what: str
    action: str
    changes: list[str] = field(default_factory=list)


def _with_previous(queryset):
    """Up to HISTORY_LIMIT records, newest first, each with the id of the record before it (same object)."""
    previous = (
        queryset.model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    return list(
        queryset.select_related("history_user")
        .annotate(previous_history_id=Subquery(previous))
        .order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
    )


def _previous_records(model, records) -> dict:
    ids = [record.previous_history_id for record in records if record.previous_history_id]
    if not ids:
        return {}
    return {record.history_id: record for record in model.objects.filter(history_id__in=ids)}


def _user(record) -> str:
    user = record.history_user
    if user is None:
        return "Unknown"
    return user.get_full_name() or user.get_username()


ACTIONS = {"+": "Added", "~": "Changed", "-": "Removed"}


def _describe_line(record, roles: RoleOptions) -> str:
    if hasattr(record, "tier"):
        return f"Demand: {ComplexityTier(record.tier).label.lower()} tier"
    return f"Staffing: {role_label(record.role_id, roles)}, {band_label(record.band)}"


def _changes(record, before, labels: dict, roles: RoleOptions, excluded: list[str]) -> list[str]:
    if before is None:
        return []
    delta = record.diff_against(before, excluded_fields=excluded)
    changes = []
    for change in delta.changes:
        name = change.field
        label = labels.get(name, name.replace("_", " ").capitalize())
        if canonical(name, change.old) != canonical(name, change.new):
            changes.append(f"{label}: {display(name, change.old, roles)} → {display(name, change.new, roles)}")
    return changes


def plan_history(plan: Plan, roles: RoleOptions) -> list[HistoryEntry]:
    """Who changed what and when, for the plan and its lines: newest first, at most HISTORY_LIMIT entries.

    Six queries whatever the plan's size: for each of the plan, its staffing lines and its demand lines,
    the latest records (each knowing the id of the record before it) and those earlier records.
    """
    sources = [
        (Plan.history.filter(id=plan.pk), ASSUMPTION_LABELS, ["created_by", "updated_by", "team", "scenario_of"]),
        (StaffingLine.history.filter(plan_id=plan.pk), STAFFING_LABELS, ["plan"]),
        (DemandLine.history.filter(plan_id=plan.pk), DEMAND_LABELS, ["plan"]),
    ]
    entries = []
    for queryset, labels, excluded in sources:
        records = _with_previous(queryset)
        previous = _previous_records(queryset.model, records)
        for record in records:
            is_plan = labels is ASSUMPTION_LABELS
            before = previous.get(record.previous_history_id)
            entries.append(
                (
                    record.history_date,
                    record.history_id,
                    HistoryEntry(
                        date=record.history_date,
                        user=_user(record),
                        what="Plan" if is_plan else _describe_line(record, roles),
                        action=record.history_change_reason or ACTIONS.get(record.history_type, ""),
                        changes=_changes(record, before, labels, roles, excluded),
                    ),
                )
            )
    entries.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    return [entry for _, _, entry in entries[:HISTORY_LIMIT]]


# --- A conflicting save ----------------------------------------------------------------------------------

IN_THE_FORM = {
    Outcome.YOURS: "Your change",
    Outcome.SAVED: "The saved value (you had not changed it)",
    Outcome.BOTH: "Your change – you both changed this: check it",
}


@dataclass
class Difference:
    item: str
    field: str
    saved: str
    yours: str
    in_form: str

    @property
    def both_changed(self) -> bool:
        return self.in_form == IN_THE_FORM[Outcome.BOTH]


def _row_description(values: dict, roles: RoleOptions) -> str:
    role = role_label(values.get("role"), roles) or "No role"
    band = band_label(values.get("band")) if values.get("band") not in (None, "") else "no band"
    return f"Staffing: {role}, {band}"


def _field_differences(item, labels, names, yours: dict, base, saved: dict, roles) -> list[Difference]:
    found = []
    for name in names:
        _, outcome = merge(name, yours.get(name), base, saved[name])
        if outcome != Outcome.SAME:
            found.append(
                Difference(
                    item,
                    labels[name],
                    display(name, saved[name], roles),
                    display(name, yours.get(name), roles),
                    IN_THE_FORM[outcome],
                )
            )
    return found


def differences(
    submission: Submission,
    current: Plan,
    staffing: list[StaffingLine],
    demand: list[DemandLine],
    roles: RoleOptions,
    saved_by: str,
) -> list[Difference]:
    """What differs between the plan as saved now and what the user submitted, and which value the form now
    holds (see `forms.rebase_submission`): assumptions, staffing lines (matched by line), demand (by tier)."""
    saved_plan = {name: getattr(current, name) for name in ASSUMPTION_LABELS}
    found = _field_differences(
        "Assumptions",
        ASSUMPTION_LABELS,
        ASSUMPTION_LABELS,
        submission.assumptions,
        decode_base(submission.assumptions_base),
        saved_plan,
        roles,
    )

    lines = {line.pk: line for line in staffing}
    seen = set()
    for row in submission.staffing:
        try:
            line_id = int(row.get("line_id") or 0)
        except (TypeError, ValueError):
            line_id = 0
        base = row.get("base")
        if line_id in lines and line_id not in seen:
            seen.add(line_id)
            saved = line_values(lines[line_id])
            item = _row_description(saved, roles)
            if row[DELETE]:
                untouched_by_others = base is not None and all(
                    canonical(name, saved[name]) == base.get(name) for name in ROW_FIELDS
                )
                found.append(
                    Difference(
                        item,
                        "Whole line",
                        "In the plan",
                        "Removed",
                        "Ticked for removal"
                        if untouched_by_others
                        else f"Ticked for removal – {saved_by} changed it: check it",
                    )
                )
            else:
                found.extend(_field_differences(item, STAFFING_LABELS, ROW_FIELDS, row, base, saved, roles))
        elif line_id:
            if row[DELETE]:
                continue
            unchanged = base is not None and all(canonical(n, row.get(n)) == base.get(n) for n in ROW_FIELDS)
            found.append(
                Difference(
                    _row_description(row, roles),
                    "Whole line",
                    f"Removed by {saved_by}",
                    "Unchanged" if unchanged else "Changed",
                    "Stays removed (you had not changed it)" if unchanged else "Your line, as a new line",
                )
            )
        elif not row_is_blank(row) and not row[DELETE]:
            found.append(
                Difference(_row_description(row, roles), "Whole line", "Not in the plan", "New line", "Your new line")
            )
    for line in staffing:
        if line.pk not in seen:
            found.append(
                Difference(
                    _row_description(line_values(line), roles),
                    "Whole line",
                    f"Added by {saved_by}",
                    "Not in your version",
                    "The added line",
                )
            )

    by_tier = {line.tier: line for line in demand}
    for tier in TIERS:
        line = by_tier.get(tier.value)
        typed = submission.demand.get(tier.value, {})
        saved = {name: getattr(line, name) if line else None for name in DEMAND_FIELDS}
        found.extend(
            _field_differences(
                f"Demand: {tier.label.lower()} tier",
                DEMAND_LABELS,
                DEMAND_FIELDS,
                typed,
                decode_base(typed.get("base")),
                saved,
                roles,
            )
        )
    return found


def person(user) -> str:
    if user is None:
        return "someone else"
    return user.get_full_name() or user.get_username()

"""Display logic for the planning workspace: turns plans, their history and a conflicting save into the rows
templates show. Reads here are scoped by a plan the caller already got through `planning.selectors`."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from planning import selectors
from planning.conflicts import LineOutcome, Outcome, Resolution, canonical
from planning.fields import ASSUMPTION_FIELDS, ASSUMPTION_LABELS, DECLARED_SUFFIX, DEMAND_LABELS, STAFFING_LABELS
from planning.formatting import plain
from planning.models import Membership, Plan, StaffingLine
from planning.role_options import RoleOptions
from roles.bands import Band
from roles.models import ComplexityTier

HISTORY_LIMIT = 50
NOT_SET = "Not set"

# --- Values ----------------------------------------------------------------------------------------------


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
    if name == "pay_point" and text in Plan.PayPoint.values:
        return Plan.PayPoint(text).label
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
    for name in ASSUMPTION_FIELDS:
        if name in {"name", "start_year", "horizon_years", "notes"}:
            continue
        value = getattr(plan, name)
        text = plain(value) if name != "pay_year" else value
        default = Plan._meta.get_field(name).default
        if str(plain(default) if name != "pay_year" else default) == str(text):
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
    history = selectors.plan_history(plan=plan, limit=HISTORY_LIMIT)
    sources = [
        # Who agreed a plan, and when, is named by the reason of the "Agreed" and "Reopened" records.
        (
            history.plan,
            ASSUMPTION_LABELS,
            ["created_by", "updated_by", "team", "scenario_of", "demo_key", "agreed_by", "agreed_at"],
        ),
        (history.staffing, STAFFING_LABELS, ["plan"]),
        (history.demand, DEMAND_LABELS, ["plan"]),
    ]
    entries = []
    for trail, labels, excluded in sources:
        for record in trail.records:
            is_plan = labels is ASSUMPTION_LABELS
            before = trail.previous.get(record.previous_history_id)
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


def _whole_line(outcome: str, saved_by: str) -> tuple[str, str, str]:
    """(saved, yours, in the form) for a whole staffing line."""
    return {
        LineOutcome.REMOVE: ("In the plan", "Removed", "Ticked for removal"),
        LineOutcome.REMOVE_CHANGED: (
            "In the plan",
            "Removed",
            f"Ticked for removal – {saved_by} changed it: check it",
        ),
        LineOutcome.STAYS_REMOVED: (
            f"Removed by {saved_by}",
            "Unchanged",
            "Stays removed (you had not changed it)",
        ),
        LineOutcome.COMES_BACK: (f"Removed by {saved_by}", "Changed", "Your line, as a new line"),
        LineOutcome.NEW: ("Not in the plan", "New line", "Your new line"),
        LineOutcome.ADDED: (f"Added by {saved_by}", "Not in your version", "The added line"),
    }[outcome]


def differences(resolution: Resolution, roles: RoleOptions, saved_by: str) -> list[Difference]:
    """The differences `planning.conflicts.resolve` found while merging a conflicting save, as the conflict page
    shows them: what is saved, what the user submitted, and which value the form now holds."""
    rows = []
    for found in resolution.differences:
        if found.part == "assumptions":
            item, labels = "Assumptions", ASSUMPTION_LABELS
        elif found.part == "demand":
            item, labels = f"Demand: {ComplexityTier(found.line['tier']).label.lower()} tier", DEMAND_LABELS
        else:
            item, labels = _row_description(found.line, roles), STAFFING_LABELS
        if found.field is None:
            rows.append(Difference(item, "Whole line", *_whole_line(found.outcome, saved_by)))
        else:
            rows.append(
                Difference(
                    item,
                    labels.get(found.field) or declared_label(found.field),
                    display(found.field, found.saved, roles),
                    display(found.field, found.yours, roles),
                    IN_THE_FORM[found.outcome],
                )
            )
    return rows


def declared_label(name: str) -> str:
    """A declared capability's column as the conflict page names it: "independent-prescribing_fte" is
    "Independent prescribing FTE"."""
    words = name.removesuffix(DECLARED_SUFFIX).replace("-", " ")
    return f"{words[:1].upper()}{words[1:]} FTE"


def person(user) -> str:
    if user is None:
        return "someone else"
    return user.get_full_name() or user.get_username()


# --- A team saved by someone else meanwhile -------------------------------------------------------------

TEAM_FIELDS = [("name", "Team name"), ("team_type", "Team type"), ("population_served", "Population served")]


def team_conflict(*, current, saved_by, yours: dict, when: str) -> list[str]:
    """The error summary's messages when a team was saved by someone else after this user opened its form:
    who and when, then each detail where the saved team now differs from what this user entered."""

    def shown(value) -> str:
        return "blank" if value in (None, "") else f"“{value}”"

    messages = [
        f"{person(saved_by)} saved this team on {when} (version {current.version}), after you opened this page. "
        "Nothing you entered has been saved: your changes are in the form below. Check them against the saved "
        "team and save again."
    ]
    for name, label in TEAM_FIELDS:
        saved, entered = getattr(current, name), yours.get(name)
        if saved != entered:
            messages.append(f"{label} is now {shown(saved)}; you entered {shown(entered)}.")
    return messages

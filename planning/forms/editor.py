"""The one-page plan editor: assumptions, a grid of staffing rows (one a line, every field of the line in the row)
and demand rows, validated together and turned into the arguments of `services.save_plan`."""

import copy

from planning import services
from planning.conflicts import (
    DELETE,
    Submission,
    assumption_values,
    demand_values,
    encode_base,
    encode_staffing_base,
    line_initial,
    row_is_blank,
)
from planning.fields import DEMAND_TIERS
from planning.forms.grid_html import grid_row
from planning.forms.plans import PlanAssumptionsForm
from planning.forms.rows import (
    COLUMN_HINTS,
    EXTRA_ROWS,
    DemandLineForm,
    PlanPeriod,
    StaffingFormSet,
    demand_prefix,
    row_capacity,
)
from planning.models import DemandLine, Plan
from planning.staffing_rules import GRADE_BY_TEXT, Declarable

# A grade as a spreadsheet writes it (code or label, any case) → the band select's value.
BAND_TEXT = {text: str(value) for text, value in GRADE_BY_TEXT.items()}


DECLARED_HINT = (
    "How much of the line's FTE holds it (for example, nurse prescribers): only this FTE counts for it. "
    "Leave empty if none."
)


class PlanEditor:
    """The plan editor's forms: assumptions, staffing rows (a formset) and one demand row per tier.

    - `PlanEditor(plan, staffing, demand, roles, declarable)`: the saved plan, to edit (its staffing lines'
      `declared_capabilities` prefetched with their capability).
    - `PlanEditor(..., data=request.POST)`: a submission, to validate and turn into service arguments.
    - `PlanEditor.redisplay(..., submission)`: a submission shown again as typed, without validating it.

    Each part carries a hidden `base`: the values it started from, so that a save refused because someone
    else saved first can be merged field by field (`planning.conflicts.resolve`).
    """

    def __init__(
        self,
        plan,
        staffing,
        demand,
        roles,
        declarable: Declarable,
        *,
        reference=(),
        data=None,
        submission=None,
        extra_rows=EXTRA_ROWS,
    ):
        self.plan = plan
        self.roles = roles
        self.declarable = declarable
        self.reference = list(reference)  # `grid.ReferenceDemand`s for the team
        self.lines_by_id = {line.pk: line for line in staffing}
        self.demand_by_tier = {line.tier: line for line in demand}
        self.period = PlanPeriod(plan.start_year, plan.end_year)
        # The form writes into its instance as it validates: give it a copy, so `plan` stays as saved.
        instance = copy.copy(plan)
        if submission is None:
            self.staffing_base = encode_staffing_base(staffing)
            assumptions_initial = {"version": plan.version, "base": encode_base(assumption_values(plan))}
            staffing_initial = [line_initial(line) for line in staffing]
            demand_initial = {}
            for tier in DEMAND_TIERS:
                values = demand_values(self.demand_by_tier.get(tier.value))
                demand_initial[tier.value] = {**values, "base": encode_base(values)}
        else:
            self.staffing_base = submission.staffing_base
            assumptions_initial = {
                **submission.assumptions,
                "version": submission.version,
                "base": submission.assumptions_base,
            }
            staffing_initial = [row for row in submission.staffing if not row_is_blank(row)]
            demand_initial = submission.demand
        self.assumptions = PlanAssumptionsForm(data, instance=instance, initial=assumptions_initial)
        self.staffing = StaffingFormSet(
            data,
            initial=None if data is not None else staffing_initial,
            roles=roles,
            period=self.period,
            lines_by_id=self.lines_by_id,
            declarable=declarable,
        )
        self.capacity = row_capacity(declarable=len(declarable.capabilities))
        if data is None:
            self.staffing.extra = max(0, min(extra_rows, self.capacity - len(staffing_initial)))
        self.demand = [
            DemandLineForm(data, tier=tier, prefix=demand_prefix(tier), initial=demand_initial.get(tier.value))
            for tier in DEMAND_TIERS
        ]

    @classmethod
    def redisplay(
        cls, plan, staffing, demand, roles, declarable, submission: Submission, *, reference=(), extra_rows=EXTRA_ROWS
    ):
        return cls(
            plan,
            staffing,
            demand,
            roles,
            declarable,
            reference=reference,
            submission=submission,
            extra_rows=extra_rows,
        )

    def is_valid(self) -> bool:
        assumptions_valid = self.assumptions.is_valid()
        if assumptions_valid:
            self.period.start = self.assumptions.cleaned_data["start_year"]
            self.period.end = self.period.start + self.assumptions.cleaned_data["horizon_years"]
        staffing_valid = self.staffing.is_valid()
        demand_valid = [form.is_valid() for form in self.demand]  # every form, so every error shows
        return assumptions_valid and staffing_valid and all(demand_valid)

    def field_errors(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the error summary, in page order."""
        pairs = []
        for name, messages in self.assumptions.errors.items():
            target = self.assumptions[name].auto_id if name in self.assumptions.fields else "id_name"
            pairs.extend((target, message) for message in messages)
        for number, form in enumerate(self.staffing.forms, start=1):
            if self.staffing.can_delete and self.staffing._should_delete_form(form):
                continue
            for name, messages in form.errors.items():
                target = form[name].auto_id if name in form.fields else form["role"].auto_id
                pairs.extend((target, f"Staffing line {number}: {message}") for message in messages)
        for form in self.demand:
            for name, messages in form.errors.items():
                target = form[name].auto_id if name in form.fields else form["caseload"].auto_id
                pairs.extend((target, f"{form.tier.label} demand: {message}") for message in messages)
        return pairs

    def errors(self) -> list[str]:
        return list(self.staffing.non_form_errors())

    def changes(self) -> dict:
        """Keyword arguments for `services.save_plan`, from a valid submission."""
        staffing = services.LineChanges(update={}, create=[], delete=[])
        for form in self.staffing.forms:
            data = form.cleaned_data
            if not data:  # a blank new row
                continue
            line_id = data.get("line_id")
            if data.get(DELETE):
                if line_id:
                    staffing.delete.append(line_id)
                continue
            if line_id:
                staffing.update[line_id] = form.values()
            else:
                staffing.create.append(form.values())
        demand = services.LineChanges(update={}, create=[], delete=[])
        for form in self.demand:
            existing: DemandLine | None = self.demand_by_tier.get(form.tier.value)
            if form.is_blank:
                if existing is not None:
                    demand.delete.append(existing.pk)
                continue
            values = {
                "tier": form.tier.value,
                "caseload": form.cleaned_data["caseload"],
                "hours_per_person_per_week": form.cleaned_data["hours_per_person_per_week"],
            }
            if existing is not None:
                demand.update[existing.pk] = values
            else:
                demand.create.append(values)
        return {"assumptions": self.assumptions.values(), "staffing": staffing, "demand": demand}

    @property
    def over_capacity(self) -> bool:
        return self.staffing.total_form_count() > self.capacity

    def grid_rows(self) -> list:
        """The staffing grid's rows, as HTML (`grid_html`), one a line."""
        return [
            grid_row(form, number, bool(form["line_id"].value()))
            for number, form in enumerate(self.staffing.forms, start=1)
        ]

    def template_row(self):
        """A blank row for the grid's script to copy when it adds rows ("__prefix__" and "__line__" replaced)."""
        return grid_row(self.staffing.empty_form, "__line__", False)

    @property
    def capabilities(self):
        """The declarable capabilities, one narrow grid column each, in column order."""
        return list(self.declarable.capabilities.values())

    @property
    def demand_from_population(self) -> bool:
        """Whether the plan's demand is worked out from its team's population (as submitted, or as saved)."""
        basis = self.assumptions["demand_basis"].value()
        return (basis or self.plan.demand_basis) == Plan.DemandBasis.POPULATION

    @property
    def population_text(self) -> str:
        population = self.plan.team.population_served
        return "" if population is None else f"{population:,}"

    def column_labels(self) -> list[str]:
        form = self.staffing.empty_form
        return [form.fields[name].label for name in form.column_names()]

    def column_hints(self) -> list[tuple[str, str]]:
        """(column, what to enter) for "Help with the columns"."""
        form = self.staffing.empty_form
        hints = []
        for name in form.column_names():
            label = form.fields[name].label
            hints.append((label, COLUMN_HINTS.get(name, DECLARED_HINT)))
        return hints

    def paste_columns(self) -> dict:
        """What the grid's paste script needs, as data: the row fields in column order, the spreadsheet column
        each matches, and the roles and bands by the text a spreadsheet holds (slug or name; code or label)."""
        columns = self.staffing.empty_form.column_names()
        roles = {}
        for role in self.roles.by_id.values():
            roles[role.slug.lower()] = role.pk
            roles[role.name.lower()] = role.pk
        return {"columns": columns, "roles": roles, "bands": BAND_TEXT}

"""The plan editor's rows: one form a staffing line (checked by `planning.staffing_rules`, the rule the
spreadsheet import uses too), the staffing formset, and one demand form a tier.

The rows are plain forms rather than model forms: their fields take the model's labels and limits
(`planning.fields`), and building them does not query the database once per row (the role picker's options are
read once and shared by every row), so the editor costs the same number of queries for 10 lines as for 100.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from planning import fields, staffing_rules
from planning.conflicts import DELETE
from planning.fields import DECLARED, STAFFING_AMOUNTS, STAFFING_FORM_FIELDS, STAFFING_OPTIONS
from planning.forms.widgets import FastSelect, NHSFormMixin, model_number_field, number_field
from planning.models import DemandLine, StaffingLine
from planning.role_options import RoleOptions
from planning.staffing_rules import Declarable, declared_field
from roles.bands import AFC, AFC_BANDS, MEDICAL_GRADES, PAY_TABLE_LABELS
from roles.experience import complexity_ceiling_for
from roles.models import ComplexityTier, Role

FTE_LIMITS = fields.limits(StaffingLine, "fte")

EXTRA_ROWS = 3  # blank staffing rows under the existing ones
# A save posts about 40 fields plus 13 a staffing row (its line id, role, band, six amounts, its three settings
# and "Remove") and one more a declarable capability; Django refuses a request with more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS, so the editor offers no more rows than fit.
FIELDS_PER_ROW = 13
FIXED_FIELDS = 40
ADD_ROWS = 3  # rows added by "Add rows" when no number is given
MAX_ADD_ROWS = 100  # rows one "Add rows" adds at most
MAX_ROWS = 1000  # staffing rows one plan can hold in the editor
STAFFING_PREFIX = "staffing"
# The ceiling override's choices after "Default": least complex first, as the grid's select lists them.
CEILING_CHOICES = [(str(tier.value), tier.label) for tier in ComplexityTier]


def row_capacity(*, declarable: int = 0) -> int:
    """How many staffing rows one save can carry, with `declarable` capability columns a row."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is None:
        return MAX_ROWS
    return max(0, min(MAX_ROWS, (limit - FIXED_FIELDS) // (FIELDS_PER_ROW + declarable)))


def default_ceiling_label(role: Role | None, band) -> str:
    """The ceiling select's first option: the default for the row's role and band, when both are known."""
    try:
        band = int(band)
    except (TypeError, ValueError):
        band = None
    if role is None or band is None:
        return "Default for role and band"
    return f"Default ({ComplexityTier(complexity_ceiling_for(role=role, band=band)).label.lower()})"


@dataclass
class PlanPeriod:
    """The years a plan covers. Shared with every staffing row, so that a change to the start year or
    horizon made in the same submission is what completion years are checked against."""

    start: int
    end: int


# The staffing row's fields in the grid's column order (each declarable capability's FTE goes before the last
# three); a pasted block fills them in this order, or by a header row named as the exported spreadsheet's columns.
GRID_FIELDS = STAFFING_FORM_FIELDS
COLUMN_HINTS = {
    "role": "The role from the catalogue. The bands the role can be on are shown after its name.",
    "band": "An Agenda for Change band, or a medical grade for doctors, in the role's range.",
    **{name: fields.help_text(StaffingLine, name) for name in GRID_FIELDS[2:]},
    "complexity_ceiling": (
        "The most complex needs this line's staff may hold a caseload for. The default, shown in brackets, comes "
        "from the role and band; choose another only to override it."
    ),
}


def declared_capability_field(capability) -> forms.DecimalField:
    """The FTE of a line declared as holding `capability` (blank: none)."""
    name = f"{capability.name} FTE"
    field = number_field(
        name,
        name,
        min_value=FTE_LIMITS.minimum,
        max_value=FTE_LIMITS.maximum,
        decimal_places=FTE_LIMITS.places,
        required=False,
    )
    field.widget.attrs["class"] = "nhsuk-input nhsuk-input--width-3"
    return field


BAND_CHOICES = [
    ("", "Choose a band"),
    (PAY_TABLE_LABELS[AFC], [(band.value, band.label) for band in AFC_BANDS]),
    ("Medical grades (doctors)", [(grade.value, grade.label) for grade in MEDICAL_GRADES]),
]


class StaffingLineForm(NHSFormMixin, forms.Form):
    line_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    role = forms.TypedChoiceField(
        label=fields.label(StaffingLine, "role"),
        coerce=int,
        widget=FastSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role from the list"},
    )
    band = forms.TypedChoiceField(
        label=fields.label(StaffingLine, "band"),
        coerce=int,
        widget=FastSelect,
        choices=BAND_CHOICES,
        error_messages={"required": "Choose a band", "invalid_choice": "Choose a band from the list"},
    )
    fte = model_number_field(StaffingLine, "fte")
    establishment_fte = model_number_field(StaffingLine, "establishment_fte")
    attrition_pct = model_number_field(StaffingLine, "attrition_pct")
    trainees_fte = model_number_field(StaffingLine, "trainees_fte")
    trainee_completion_year = model_number_field(StaffingLine, "trainee_completion_year")
    recruitment_fte_per_year = model_number_field(StaffingLine, "recruitment_fte_per_year")
    complexity_ceiling = forms.ChoiceField(
        label=fields.label(StaffingLine, "complexity_ceiling"),
        required=False,
        widget=FastSelect,
        error_messages={"invalid_choice": "Choose routine, moderate or complex, or leave it as the default"},
    )
    supervision_hours_per_month = model_number_field(StaffingLine, "supervision_hours_per_month", required=False)
    note = forms.CharField(
        label=fields.label(StaffingLine, "note"),
        required=False,
        max_length=StaffingLine._meta.get_field("note").max_length,
        error_messages={"max_length": "Note must be %(limit_value)s characters or fewer"},
    )

    widths = {
        "fte": "5",
        "establishment_fte": "5",
        "attrition_pct": "4",
        "trainees_fte": "5",
        "trainee_completion_year": "4",
        "recruitment_fte_per_year": "5",
        "supervision_hours_per_month": "4",
    }

    def __init__(self, *args, roles: RoleOptions, period: PlanPeriod, declarable: Declarable, **kwargs):
        self.declarable = declarable
        super().__init__(*args, **kwargs)
        self.roles = roles
        self.period = period
        # The choices are already (value, label) pairs: set them without Django normalising them again for every
        # row (with 45 roles and 200 rows that alone took most of a save).
        role_field = self.fields["role"]
        role_field._choices = role_field.widget._choices = roles.choices
        band_field = self.fields["band"]
        band_field._choices = band_field.widget._choices = BAND_CHOICES  # one list for every row
        role = self.chosen_role()
        for slug, capability in declarable.capabilities.items():
            self.fields[declared_field(slug)] = declared_capability_field(capability)
        ceiling = self.fields["complexity_ceiling"]
        ceiling._choices = ceiling.widget._choices = [
            ("", default_ceiling_label(role, self["band"].value())),
            *CEILING_CHOICES,
        ]
        # In the grid each column's hint is under "Help with the columns" (`column_hints`), not in every cell.
        for form_field in self.fields.values():
            form_field.help_text = ""

    def column_names(self) -> list[str]:
        """The row's fields in the grid's column order: each declarable capability's FTE before the last three."""
        return [*GRID_FIELDS[:-3], *self.declared_names(), *GRID_FIELDS[-3:]]

    def declared_names(self) -> list[str]:
        return [declared_field(slug) for slug in self.declarable.capabilities]

    def capability_fields(self):
        """The row's declared capability fields (bound fields), in column order."""
        return [self[name] for name in self.declared_names()]

    def chosen_role(self) -> Role | None:
        try:
            return self.roles.by_id.get(int(self["role"].value()))
        except (TypeError, ValueError):
            return None

    def clean(self):
        """The line's rules (`staffing_rules.check_line`), on what the fields cleaned; a field already refused
        is not checked again."""
        cleaned = super().clean()

        def given(name):
            return cleaned.get(name, staffing_rules.SKIP)

        check = staffing_rules.check_line(
            role=given("role"),
            band=given("band"),
            amounts={name: given(name) for name in STAFFING_AMOUNTS},
            completion_year=given("trainee_completion_year"),
            period=staffing_rules.Period(self.period.start, self.period.end),
            catalogue=self.roles.by_id,
            options={name: given(name) for name in STAFFING_OPTIONS},
            declared={slug: given(declared_field(slug)) for slug in self.declarable.capabilities},
            declarable=self.declarable,
        )
        for problem in check.problems:
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.editor_message())
        for name in [*STAFFING_AMOUNTS, *STAFFING_OPTIONS, DECLARED]:
            if name in check.values:
                cleaned[name] = check.values[name]
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "role_id": data["role"],
            "band": data["band"],
            **{name: data[name] for name in STAFFING_AMOUNTS},
            "trainee_completion_year": data["trainee_completion_year"],
            **{name: data[name] for name in STAFFING_OPTIONS},
            DECLARED: data.get(DECLARED, {}),
        }


class BaseStaffingFormSet(forms.BaseFormSet):
    """Rows with a `line_id` are the plan's lines and are always checked; the others are new rows, and a
    blank new row is ignored. Which row is which comes from the hidden `line_id`, checked against the
    plan's current lines."""

    def __init__(
        self, *args, roles: RoleOptions, period: PlanPeriod, lines_by_id: dict, declarable: Declarable, **kwargs
    ):
        self.roles = roles
        self.period = period
        self.lines_by_id = lines_by_id
        self.declarable = declarable
        super().__init__(*args, prefix=STAFFING_PREFIX, **kwargs)

    def _line_id(self, index):
        if self.is_bound:
            return self.data.get(f"{self.add_prefix(index)}-line_id")
        if self.initial and index < len(self.initial):
            return self.initial[index].get("line_id")
        return None

    def get_form_kwargs(self, index):
        kwargs = {"roles": self.roles, "period": self.period, "declarable": self.declarable}
        if index is not None:
            kwargs["empty_permitted"] = not self._line_id(index)
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETE in form.fields:
            form.fields[DELETE].label = "Remove this line"
            form.fields[DELETE].widget.attrs["class"] = "app-grid__checkbox"

    def clean(self):
        seen = set()
        for form in self.forms:
            line_id = getattr(form, "cleaned_data", {}).get("line_id")
            if not line_id:
                continue
            if line_id not in self.lines_by_id or line_id in seen:
                raise ValidationError(
                    "A staffing line in the form is no longer part of this plan. Open the plan again and redo "
                    "your changes.",
                    code="unknown_line",
                )
            seen.add(line_id)


StaffingFormSet = forms.formset_factory(
    StaffingLineForm,
    formset=BaseStaffingFormSet,
    extra=EXTRA_ROWS,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


class DemandLineForm(NHSFormMixin, forms.Form):
    base = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    caseload = model_number_field(DemandLine, "caseload", required=False)
    hours_per_person_per_week = model_number_field(DemandLine, "hours_per_person_per_week", required=False)
    widths = {"caseload": "5", "hours_per_person_per_week": "4"}

    def __init__(self, *args, tier: ComplexityTier, **kwargs):
        super().__init__(*args, **kwargs)
        self.tier = tier

    def clean(self):
        cleaned = super().clean()
        caseload = cleaned.get("caseload")
        hours = cleaned.get("hours_per_person_per_week")
        if caseload is None and hours is not None and "caseload" not in self.errors:
            self.add_error("caseload", f"Enter the {self.tier.label.lower()} caseload, or clear the hours")
        if hours is None and caseload is not None and "hours_per_person_per_week" not in self.errors:
            self.add_error(
                "hours_per_person_per_week",
                f"Enter the hours per person per week for the {self.tier.label.lower()} tier, or clear the caseload",
            )
        return cleaned

    @property
    def is_blank(self) -> bool:
        return self.cleaned_data.get("caseload") is None and self.cleaned_data.get("hours_per_person_per_week") is None


def demand_prefix(tier: ComplexityTier) -> str:
    return f"demand-{tier.label.lower()}"

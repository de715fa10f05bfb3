"""Forms for the planning workspace: teams, plans, and the one-page plan editor.

Every form names its fields explicitly; none exposes a plan's organisation, team, status or version as
something a user can set (the version the editor was loaded at travels in a hidden field, and the service
checks it). Error messages follow the NHS.UK pattern: they say what to do and name the field.

The staffing and demand rows are plain forms rather than model forms: their fields mirror the model's
limits, and building them does not query the database once per row (the role picker's options are read
once and shared by every row), so the editor costs the same number of queries for 10 lines as for 100.
"""

import copy
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from planning import selectors, services
from planning.models import DemandLine, Plan, StaffingLine, Team
from planning.services import ASSUMPTION_FIELDS
from roles.bands import Band
from roles.models import ComplexityTier, Role
from roles.selectors import catalogue_roles

EXTRA_ROWS = 3  # blank staffing rows under the existing ones
# A save posts about 30 fields plus 9 a staffing row (10 with "Remove" ticked); Django refuses a request with
# more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000 by default), so the editor offers no more rows than fit.
FIELDS_PER_ROW = 9
FIXED_FIELDS = 40
ADD_ROWS = 3  # rows added by "Add more staffing rows"
MAX_ROWS = 1000  # staffing rows one plan can hold in the editor
TIERS = [ComplexityTier.COMPLEX, ComplexityTier.MODERATE, ComplexityTier.ROUTINE]


def row_capacity() -> int:
    """How many staffing rows one save can carry."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is None:
        return MAX_ROWS
    return max(0, min(MAX_ROWS, (limit - FIXED_FIELDS) // FIELDS_PER_ROW))


STAFFING_PREFIX = "staffing"
DELETE = "DELETE"


# --- Building blocks -------------------------------------------------------------------------------------


class NHSFormMixin:
    """Adds the NHS.UK classes to widgets, and their error modifier once a field has an error.

    Django links hints (`<id>_helptext`) and errors (`<id>_error`) to the field with aria-describedby;
    `templates/planning/includes/field.html` renders them with those ids.
    """

    widths: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            widget = form_field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "nhsuk-checkboxes__input"
            elif isinstance(widget, forms.Select):
                css = "nhsuk-select"
            elif isinstance(widget, forms.Textarea):
                css = "nhsuk-textarea"
            else:
                css = "nhsuk-input"
                if name in self.widths:
                    css += f" nhsuk-input--width-{self.widths[name]}"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = widget.attrs.get("class", "").split(" ")[0]
                if base in {"nhsuk-input", "nhsuk-select", "nhsuk-textarea"}:
                    widget.attrs["class"] += f" {base}--error"


class FastSelect(forms.Select):
    """A select rendered in Python rather than through a template for every option: the plan editor has about
    45 options a staffing row, and a hundred rows. Same markup as Django's Select (optgroups included)."""

    def render(self, name, value, attrs=None, renderer=None):
        context_attrs = self.build_attrs(self.attrs, attrs)
        context_attrs["name"] = name
        chosen = {str(item) for item in self.format_value(value)}
        parts = [format_html("<select{}>", flatatt(context_attrs))]

        def option(option_value, label):
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            return format_html('<option value="{}"{}>{}</option>', option_value, mark_safe(selected), label)  # noqa: S308

        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', group_value))
                parts.extend(option(item_value, item_label) for item_value, item_label in group_label)
                parts.append(mark_safe("</optgroup>"))  # noqa: S308
            else:
                parts.append(option(group_value, group_label))
        parts.append(mark_safe("</select>"))  # noqa: S308
        return mark_safe("".join(parts))  # noqa: S308


def number_field(
    label: str,
    name: str,
    *,
    min_value,
    max_value,
    decimal_places: int = 2,
    required: bool = True,
    help_text: str = "",
    integer: bool = False,
    initial=None,
):
    """A number field whose messages say what to do: "FTE in post must be 999.99 or less"."""
    messages = {
        "required": f"Enter the {name if name[:3].isupper() else name[0].lower() + name[1:]}",
        "invalid": f"{name} must be a {'whole number' if integer else 'number'}",
        "min_value": f"{name} must be %(limit_value)s or more",
        "max_value": f"{name} must be %(limit_value)s or less",
        "max_decimal_places": f"{name} must have no more than {decimal_places} decimal places",
    }
    common = {
        "label": label,
        "required": required,
        "min_value": min_value,
        "max_value": max_value,
        "help_text": help_text,
        "error_messages": messages,
        "initial": initial,
    }
    if integer:
        return forms.IntegerField(**common, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    return forms.DecimalField(
        **common, decimal_places=decimal_places, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


def _default(name: str):
    return Plan._meta.get_field(name).default


def _plain(value) -> str:
    """37.50 -> 37.5; 0.60 -> 0.6; 28 -> 28."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


# --- Roles and bands -------------------------------------------------------------------------------------


def band_range(role: Role) -> tuple[int | None, int | None]:
    """The bands a line of this role may be on: from its trainee band (or lowest qualified band) to its
    highest qualified band. Either end may be unknown, which leaves that side open."""
    low = role.band_trainee if role.band_trainee is not None else role.band_min
    return low, role.band_max


def band_allowed(role: Role, band: int) -> bool:
    low, high = band_range(role)
    return (low is None or band >= low) and (high is None or band <= high)


def band_range_text(role: Role) -> str:
    """ "Band 3 to 4", "Band 8a or above", "up to Band 6", or "" when the role has no confirmed band."""
    low, high = band_range(role)
    if low is None and high is None:
        return ""
    if high is None:
        return f"{Band(low).label} or above"
    if low is None:
        return f"up to {Band(high).label}"
    if low == high:
        return Band(low).label
    return f"{Band(low).label} to {Band(high).label.removeprefix('Band ')}"


@dataclass
class RoleOptions:
    """The role picker's options, read once per request and shared by every row."""

    choices: list
    by_id: dict[int, Role]


def role_options() -> RoleOptions:
    roles = list(catalogue_roles())
    groups: dict[str, list] = {}
    for role in roles:
        text = band_range_text(role)
        label = f"{role.name} ({text})" if text else role.name
        if role.historic:
            label += " – no longer recruited"
        groups.setdefault(role.family.name, []).append((role.pk, label))
    return RoleOptions(
        choices=[("", "Choose a role"), *groups.items()],
        by_id={role.pk: role for role in roles},
    )


# --- Teams -----------------------------------------------------------------------------------------------


class TeamForm(NHSFormMixin, forms.ModelForm):
    widths = {"population_served": "10"}

    class Meta:
        model = Team
        fields = ["name", "team_type", "population_served"]
        labels = {"name": "Team name", "team_type": "Team type", "population_served": "Population served"}
        help_texts = {
            "name": "For example, North Locality CMHT",
            "population_served": "The number of people living in the area the team serves (optional)",
        }
        error_messages = {
            "name": {"required": "Enter a team name", "max_length": "Team name must be 120 characters or fewer"},
            "team_type": {"required": "Choose a team type", "invalid_choice": "Choose a team type from the list"},
            "population_served": {
                "invalid": "Population served must be a whole number",
                "min_value": "Population served must be 0 or more",
                "max_value": "Population served must be %(limit_value)s or less",
            },
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation or (self.instance.organisation if self.instance.pk else None)
        self.fields["team_type"].empty_label = "Choose a team type"
        self.fields["population_served"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "class": "nhsuk-input nhsuk-input--width-10"}
        )

    def _organisation_for_check(self):
        return self.organisation

    def clean(self):
        cleaned = super().clean()
        organisation = self._organisation_for_check()
        name = cleaned.get("name")
        if organisation is not None and name:
            clash = organisation.teams.filter(name=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", f"{organisation.name} already has a team called {name}")
        return cleaned


class TeamCreateForm(TeamForm):
    """A new team, in one of the organisations the user leads (never a free organisation id)."""

    class Meta(TeamForm.Meta):
        fields = ["organisation", "name", "team_type", "population_served"]
        labels = {**TeamForm.Meta.labels, "organisation": "Organisation"}
        error_messages = {
            **TeamForm.Meta.error_messages,
            "organisation": {
                "required": "Choose the organisation the team belongs to",
                "invalid_choice": "Choose one of the organisations you lead",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.led_organisations_for(user).order_by("name")
        self.fields["organisation"].empty_label = "Choose an organisation"

    def _organisation_for_check(self):
        return self.cleaned_data.get("organisation")


# --- Plans: name and assumptions -------------------------------------------------------------------------

PAY_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


class PlanForm(NHSFormMixin, forms.ModelForm):
    """A plan's name, period and assumptions: for a new plan, and the top of the plan editor."""

    name = forms.CharField(
        label="Plan name",
        max_length=120,
        help_text="For example, 2026 baseline",
        error_messages={
            "required": "Enter a name for the plan",
            "max_length": "Plan name must be 120 characters or fewer",
        },
    )
    start_year = number_field(
        "Start year",
        "Start year",
        min_value=2000,
        max_value=2100,
        integer=True,
        help_text="The first year of the plan, for example 2026",
    )
    horizon_years = number_field(
        "Horizon (years)",
        "Horizon",
        min_value=1,
        max_value=10,
        integer=True,
        help_text="How many years ahead to plan, from 1 to 10. Default 5",
        initial=_default("horizon_years"),
    )
    contract_hours = number_field(
        "Contract hours a week (full time)",
        "Contract hours",
        min_value=1,
        max_value=48,
        help_text=f"The hours of one full-time post. Default {_plain(_default('contract_hours'))} (Agenda for Change)",
        initial=_default("contract_hours"),
    )
    productive_fraction = number_field(
        "Productive fraction",
        "Productive fraction",
        min_value=Decimal("0.1"),
        max_value=1,
        help_text=(
            "The share of contracted time available for work after leave, sickness and training, "
            f"as a decimal between 0.1 and 1 (0.78 means 78%). Default {_plain(_default('productive_fraction'))}"
        ),
        initial=_default("productive_fraction"),
    )
    direct_care_fraction = number_field(
        "Direct-care fraction",
        "Direct-care fraction",
        min_value=Decimal("0.1"),
        max_value=1,
        help_text=(
            "The share of productive time spent with the people the team serves, as a decimal between 0.1 and 1. "
            f"Default {_plain(_default('direct_care_fraction'))}"
        ),
        initial=_default("direct_care_fraction"),
    )
    demand_growth_pct = number_field(
        "Demand growth (% a year)",
        "Demand growth",
        min_value=-50,
        max_value=100,
        help_text=f"From -50 to 100. Default {_plain(_default('demand_growth_pct'))}",
        initial=_default("demand_growth_pct"),
    )
    on_cost_pct = number_field(
        "Employer on-costs (%)",
        "Employer on-costs",
        min_value=0,
        max_value=100,
        help_text=(
            "Added to salary for the employer's pension and National Insurance, from 0 to 100. "
            f"Default {_plain(_default('on_cost_pct'))}"
        ),
        initial=_default("on_cost_pct"),
    )
    supervision_fraction = number_field(
        "Supervision fraction",
        "Supervision fraction",
        min_value=0,
        max_value=1,
        help_text=(
            "The share of a supervisor's time a supervised post needs, as a decimal between 0 and 1. "
            f"Default {_plain(_default('supervision_fraction'))}"
        ),
        initial=_default("supervision_fraction"),
    )
    pay_year = forms.CharField(
        label="Pay year",
        max_length=7,
        help_text=f"The Agenda for Change pay year used for costs, for example {_default('pay_year')}",
        initial=_default("pay_year"),
        error_messages={"required": "Enter the pay year, for example 2025/26"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything someone reading the plan should know, such as where the figures came from",
        error_messages={"max_length": "Notes must be 5,000 characters or fewer"},
    )

    widths = {
        "start_year": "4",
        "horizon_years": "2",
        "contract_hours": "4",
        "productive_fraction": "4",
        "direct_care_fraction": "4",
        "demand_growth_pct": "4",
        "on_cost_pct": "4",
        "supervision_fraction": "4",
        "pay_year": "5",
    }

    class Meta:
        model = Plan
        fields = ASSUMPTION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "start_year" not in self.initial:
            self.initial["start_year"] = timezone.localdate().year

    def clean_pay_year(self):
        value = self.cleaned_data["pay_year"].strip()
        match = PAY_YEAR.match(value)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValidationError("Enter the pay year as 4 digits, a slash and 2 digits, for example 2025/26")
        return value

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.ASSUMPTION_FIELDS}


class PlanAssumptionsForm(PlanForm):
    """The editor's assumptions, with the version the editor was loaded at and the values it started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=5000)


class PlanNameForm(NHSFormMixin, forms.Form):
    """Rename a plan, or name a new scenario. `version` guards a rename against a concurrent change."""

    name = forms.CharField(
        label="Plan name",
        max_length=120,
        error_messages={
            "required": "Enter a name for the plan",
            "max_length": "Plan name must be 120 characters or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = hint


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusForm(forms.Form):
    """Agree a plan or reopen it (buttons on the plan page)."""

    status = forms.ChoiceField(choices=Plan.Status.choices)
    version = forms.IntegerField()


# --- The plan editor: staffing and demand rows -----------------------------------------------------------


@dataclass
class PlanPeriod:
    """The years a plan covers. Shared with every staffing row, so that a change to the start year or
    horizon made in the same submission is what completion years are checked against."""

    start: int
    end: int


class StaffingLineForm(NHSFormMixin, forms.Form):
    line_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    role = forms.TypedChoiceField(
        label="Role",
        coerce=int,
        widget=FastSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role from the list"},
    )
    band = forms.TypedChoiceField(
        label="Band",
        coerce=int,
        widget=FastSelect,
        choices=[("", "Choose a band"), *Band.choices],
        error_messages={"required": "Choose a band", "invalid_choice": "Choose a band from the list"},
    )
    fte = number_field("FTE in post", "FTE in post", min_value=0, max_value=Decimal("999.99"))
    establishment_fte = number_field(
        "Funded establishment FTE", "Funded establishment FTE", min_value=0, max_value=Decimal("999.99")
    )
    attrition_pct = number_field(
        "Annual attrition (%)", "Annual attrition", min_value=0, max_value=100, required=False, help_text="0 to 100"
    )
    trainees_fte = number_field(
        "Trainees in pipeline (FTE)",
        "Trainees in pipeline",
        min_value=0,
        max_value=Decimal("999.99"),
        required=False,
    )
    trainee_completion_year = number_field(
        "Trainee completion year",
        "Trainee completion year",
        min_value=2000,
        max_value=2100,
        integer=True,
        required=False,
    )
    recruitment_fte_per_year = number_field(
        "Planned recruitment (FTE a year)",
        "Planned recruitment",
        min_value=0,
        max_value=Decimal("999.99"),
        required=False,
    )

    widths = {
        "fte": "5",
        "establishment_fte": "5",
        "attrition_pct": "4",
        "trainees_fte": "5",
        "trainee_completion_year": "4",
        "recruitment_fte_per_year": "5",
    }
    DEFAULT_ZERO = ["attrition_pct", "trainees_fte", "recruitment_fte_per_year"]

    def __init__(self, *args, roles: RoleOptions, period: PlanPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        self.period = period
        self.fields["role"].choices = roles.choices
        self.fields["trainee_completion_year"].help_text = "Needed when there are trainees"
        role = self.chosen_role()
        if role is None:
            self.fields["band"].help_text = "Must be in the role’s band range, shown after its name"
        elif text := band_range_text(role):
            self.fields["band"].help_text = f"{role.name}: {text}"
        else:
            self.fields["band"].help_text = f"{role.name}: any band (no confirmed range)"

    def chosen_role(self) -> Role | None:
        try:
            return self.roles.by_id.get(int(self["role"].value()))
        except (TypeError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        for name in self.DEFAULT_ZERO:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = Decimal("0")
        role = self.roles.by_id.get(cleaned.get("role"))
        band = cleaned.get("band")
        if role is not None and band is not None and not band_allowed(role, band):
            self.add_error("band", f"Choose a band in the range for {role.name}: {band_range_text(role)}")
        year = cleaned.get("trainee_completion_year")
        trainees = cleaned.get("trainees_fte")
        if year is not None and not (self.period.start <= year <= self.period.end):
            self.add_error(
                "trainee_completion_year",
                f"Trainee completion year must be between {self.period.start} and {self.period.end}, "
                "the years the plan covers",
            )
        elif year is None and trainees:
            self.add_error("trainee_completion_year", "Enter the year the trainees in the pipeline complete")
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "role_id": data["role"],
            "band": data["band"],
            "fte": data["fte"],
            "establishment_fte": data["establishment_fte"],
            "attrition_pct": data["attrition_pct"],
            "trainees_fte": data["trainees_fte"],
            "trainee_completion_year": data["trainee_completion_year"],
            "recruitment_fte_per_year": data["recruitment_fte_per_year"],
        }


ROW_FIELDS = [name for name in StaffingLineForm.base_fields if name != "line_id"]


class BaseStaffingFormSet(forms.BaseFormSet):
    """Rows with a `line_id` are the plan's lines and are always checked; the others are new rows, and a
    blank new row is ignored. Which row is which comes from the hidden `line_id`, checked against the
    plan's current lines."""

    def __init__(self, *args, roles: RoleOptions, period: PlanPeriod, lines_by_id: dict, **kwargs):
        self.roles = roles
        self.period = period
        self.lines_by_id = lines_by_id
        super().__init__(*args, prefix=STAFFING_PREFIX, **kwargs)

    def _line_id(self, index):
        if self.is_bound:
            return self.data.get(f"{self.add_prefix(index)}-line_id")
        if self.initial and index < len(self.initial):
            return self.initial[index].get("line_id")
        return None

    def get_form_kwargs(self, index):
        kwargs = {"roles": self.roles, "period": self.period}
        if index is not None:
            kwargs["empty_permitted"] = not self._line_id(index)
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETE in form.fields:
            form.fields[DELETE].label = "Remove this line"
            form.fields[DELETE].widget.attrs["class"] = "nhsuk-checkboxes__input"

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
    caseload = number_field(
        "Caseload (people)", "Caseload", min_value=0, max_value=1_000_000, integer=True, required=False
    )
    hours_per_person_per_week = number_field(
        "Hours per person per week", "Hours per person per week", min_value=0, max_value=168, required=False
    )
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


# --- Submissions: the raw values a user posted, and merging them onto a newer version ------------------

TEXT_FIELDS = {"name", "pay_year", "notes"}
ZERO_WHEN_BLANK = {"attrition_pct", "trainees_fte", "recruitment_fte_per_year"}  # as the row form does
DEMAND_FIELDS = ["caseload", "hours_per_person_per_week"]


def number(value) -> str:
    """37.50 -> "37.5", 2.00 -> "2"; anything that is not a number comes back as typed."""
    if value is None:
        return ""
    text = str(value).strip()
    try:
        decimal = Decimal(text)
    except (InvalidOperation, ValueError):
        return text
    if not decimal.is_finite():
        return text
    normal = format(decimal.normalize(), "f")
    return "0" if normal == "-0" else normal


def canonical(name: str, value) -> str:
    """A value as a comparable string, so that 1.5 and "1.50" (or "" and 0 where blank means 0) are equal."""
    if name in TEXT_FIELDS:
        return str(value or "").replace("\r\n", "\n").strip()
    text = number(value)
    if text == "" and name in ZERO_WHEN_BLANK:
        return "0"
    return text


class Outcome:
    SAME = "same"  # the user's value is the saved value
    SAVED = "saved"  # the user had not changed it; someone else had: their value is kept
    YOURS = "yours"  # only the user changed it: theirs is kept
    BOTH = "both"  # both changed it: the user's value is kept, for them to check


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


def encode_base(values: dict) -> str:
    """What a form started from, carried in a hidden field so a conflicting save can be merged field by field."""
    return json.dumps({name: canonical(name, value) for name, value in values.items()}, separators=(",", ":"))


def decode_base(text) -> dict | None:
    try:
        base = json.loads(text) if text else None
    except (TypeError, ValueError):
        return None
    if not isinstance(base, dict) or not all(isinstance(v, str) for v in base.values()):
        return None
    return base


def encode_staffing_base(lines: list[StaffingLine]) -> str:
    """The starting values of every staffing line, in one hidden field (one a row would add 1,000 fields to a
    1,000-line form, against Django's DATA_UPLOAD_MAX_NUMBER_FIELDS)."""
    values = {
        str(line.pk): {name: canonical(name, value) for name, value in line_values(line).items()} for line in lines
    }
    return json.dumps(values, separators=(",", ":"))


def decode_staffing_base(text) -> dict[str, dict]:
    try:
        bases = json.loads(text) if text else {}
    except (TypeError, ValueError):
        return {}
    if not isinstance(bases, dict):
        return {}
    return {
        str(key): value
        for key, value in bases.items()
        if isinstance(value, dict) and all(isinstance(item, str) for item in value.values())
    }


@dataclass
class Submission:
    """What the user posted to the editor, as raw text, row by row, with what each part started from. Used to
    show their input again (after "Add more staffing rows" or a conflict) without validating it, and to list what
    differs from the saved plan."""

    version: str
    assumptions: dict[str, str]
    assumptions_base: str = ""
    staffing: list[dict] = field(default_factory=list)  # each row's "base" is a dict of starting values, or None
    staffing_base: str = ""
    demand: dict[int, dict[str, str]] = field(default_factory=dict)


def _checked(value) -> bool:
    return value is not None and str(value).lower() not in {"", "0", "false", "off"}


def _int_or_none(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def row_is_blank(row: dict) -> bool:
    return not row.get("line_id") and not any(str(row.get(name) or "").strip() for name in ROW_FIELDS)


def parse_submission(data) -> Submission:
    try:
        total = max(0, min(int(data.get(f"{STAFFING_PREFIX}-TOTAL_FORMS", 0)), MAX_ROWS))
    except (TypeError, ValueError):
        total = 0
    staffing_base = data.get(f"{STAFFING_PREFIX}-base", "")
    bases = decode_staffing_base(staffing_base)
    rows = []
    for index in range(total):
        prefix = f"{STAFFING_PREFIX}-{index}-"
        row = {name: data.get(prefix + name, "") for name in ["line_id", *ROW_FIELDS]}
        row[DELETE] = _checked(data.get(prefix + DELETE))
        row["base"] = bases.get(str(row["line_id"]).strip()) if row["line_id"] else None
        rows.append(row)
    return Submission(
        version=str(data.get("version", "")),
        assumptions={name: data.get(name, "") for name in services.ASSUMPTION_FIELDS},
        assumptions_base=data.get("base", ""),
        staffing=rows,
        staffing_base=staffing_base,
        demand={
            tier.value: {name: data.get(f"{demand_prefix(tier)}-{name}", "") for name in [*DEMAND_FIELDS, "base"]}
            for tier in TIERS
        },
    )


def line_values(line: StaffingLine) -> dict:
    return {
        "role": line.role_id,
        "band": line.band,
        "fte": line.fte,
        "establishment_fte": line.establishment_fte,
        "attrition_pct": line.attrition_pct,
        "trainees_fte": line.trainees_fte,
        "trainee_completion_year": line.trainee_completion_year,
        "recruitment_fte_per_year": line.recruitment_fte_per_year,
    }


def line_initial(line: StaffingLine) -> dict:
    return {"line_id": line.pk, **line_values(line), DELETE: False}


def assumption_values(plan: Plan) -> dict:
    return {name: getattr(plan, name) for name in services.ASSUMPTION_FIELDS}


def demand_values(line: DemandLine | None) -> dict:
    return {name: getattr(line, name) if line else None for name in DEMAND_FIELDS}


def rebase_submission(
    submission: Submission, current: Plan, staffing: list[StaffingLine], demand: list[DemandLine]
) -> Submission:
    """The user's input, merged onto the plan as it is now saved, so that saving it again applies exactly what
    they see and nothing is lost or silently overwritten:

    - a field the user changed keeps their value (flagged in the differences when someone else changed it too);
    - a field only someone else changed takes their value (the user's form still showed the old one);
    - a line someone else removed comes back as a new row if the user changed it, and stays removed if not;
    - a line someone else added is added to the form.
    Every part's starting point becomes the saved version, ready for the next save.
    """
    lines = {line.pk: line for line in staffing}
    rows, seen = [], set()
    for row in submission.staffing:
        line_id = _int_or_none(row.get("line_id"))
        base = row.get("base")
        if line_id in lines and line_id not in seen:
            seen.add(line_id)
            saved = line_values(lines[line_id])
            merged = {name: merge(name, row.get(name), base, saved[name])[0] for name in ROW_FIELDS}
            rows.append({"line_id": line_id, **merged, DELETE: row[DELETE]})
        elif row.get("line_id"):
            unchanged = base is not None and all(canonical(n, row.get(n)) == base.get(n) for n in ROW_FIELDS)
            if not row[DELETE] and not unchanged:
                rows.append({**row, "line_id": "", "base": None})
        elif not row_is_blank(row) and not row[DELETE]:
            rows.append(row)
    rows.extend(line_initial(line) for line in staffing if line.pk not in seen)

    saved_plan = assumption_values(current)
    plan_base = decode_base(submission.assumptions_base)
    assumptions = {
        name: merge(name, submission.assumptions.get(name), plan_base, saved_plan[name])[0]
        for name in services.ASSUMPTION_FIELDS
    }
    by_tier = {line.tier: line for line in demand}
    merged_demand = {}
    for tier in TIERS:
        typed = submission.demand.get(tier.value, {})
        saved = demand_values(by_tier.get(tier.value))
        tier_base = decode_base(typed.get("base"))
        merged_demand[tier.value] = {
            **{name: merge(name, typed.get(name), tier_base, saved[name])[0] for name in DEMAND_FIELDS},
            "base": encode_base(saved),
        }
    return Submission(
        version=str(current.version),
        assumptions=assumptions,
        assumptions_base=encode_base(saved_plan),
        staffing=rows,
        staffing_base=encode_staffing_base(staffing),
        demand=merged_demand,
    )


# --- The editor ------------------------------------------------------------------------------------------


class PlanEditor:
    """The plan editor's forms: assumptions, staffing rows (a formset) and one demand row per tier.

    - `PlanEditor(plan, staffing, demand, roles)`: the saved plan, to edit.
    - `PlanEditor(..., data=request.POST)`: a submission, to validate and turn into service arguments.
    - `PlanEditor.redisplay(..., submission)`: a submission shown again as typed, without validating it.

    Each part carries a hidden `base`: the values it started from, so that a save refused because someone
    else saved first can be merged field by field (`rebase_submission`).
    """

    def __init__(self, plan, staffing, demand, roles, *, data=None, submission=None, extra_rows=EXTRA_ROWS):
        self.plan = plan
        self.roles = roles
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
            for tier in TIERS:
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
        )
        self.capacity = row_capacity()
        if data is None:
            self.staffing.extra = max(0, min(extra_rows, self.capacity - len(staffing_initial)))
        self.demand = [
            DemandLineForm(data, tier=tier, prefix=demand_prefix(tier), initial=demand_initial.get(tier.value))
            for tier in TIERS
        ]

    @classmethod
    def redisplay(cls, plan, staffing, demand, roles, submission: Submission, *, extra_rows=EXTRA_ROWS):
        return cls(plan, staffing, demand, roles, submission=submission, extra_rows=extra_rows)

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

    @property
    def staffing_rows(self):
        """(row number, form, is an existing line) for the template."""
        return [
            (number, form, bool(form["line_id"].value())) for number, form in enumerate(self.staffing.forms, start=1)
        ]

"""A plan's name, period and assumptions (a new plan, and the top of the plan editor), renaming, and the
version and status buttons. Labels, hints, limits and defaults come from the `Plan` model."""

from django import forms
from django.utils import timezone

from planning import fields
from planning.fields import ASSUMPTION_FIELDS
from planning.forms.widgets import NHSFormMixin, model_number_field
from planning.models import FALLBACK_PAY_YEAR, Plan
from planning.selectors import pay_year_choices

NAME_MESSAGES = {
    "required": "Enter a name for the plan",
    "max_length": "Plan name must be 120 characters or fewer",
}


class PlanForm(NHSFormMixin, forms.ModelForm):
    """A plan's name, period and assumptions: for a new plan, and the top of the plan editor."""

    name = forms.CharField(
        label=fields.label(Plan, "name"),
        max_length=Plan._meta.get_field("name").max_length,
        help_text=fields.help_text(Plan, "name"),
        error_messages=NAME_MESSAGES,
    )
    start_year = model_number_field(Plan, "start_year")
    horizon_years = model_number_field(Plan, "horizon_years", required=True, with_default=True)
    contract_hours = model_number_field(Plan, "contract_hours", required=True, with_default=True)
    productive_fraction = model_number_field(Plan, "productive_fraction", required=True, with_default=True)
    direct_care_fraction = model_number_field(Plan, "direct_care_fraction", required=True, with_default=True)
    demand_growth_pct = model_number_field(Plan, "demand_growth_pct", required=True, with_default=True)
    on_cost_pct = model_number_field(Plan, "on_cost_pct", required=True, with_default=True)
    supervision_fraction = model_number_field(Plan, "supervision_fraction", required=True, with_default=True)
    # Blank is the default (no pay award), so a form posted without this newer field still saves.
    pay_growth_pct = model_number_field(Plan, "pay_growth_pct", required=False, with_default=True)
    # A choice of the years the portal has pay tables for (set in __init__), never free text: a year with no
    # table would cost the plan £0.00.
    pay_year = forms.ChoiceField(
        label=fields.label(Plan, "pay_year"),
        help_text=fields.help_text(Plan, "pay_year"),
        error_messages={
            "required": "Choose the pay year",
            "invalid_choice": "Choose a pay year the portal has pay tables for",
        },
    )
    # Blank is the default (the midpoint), so a form posted without this newer field still saves.
    pay_point = forms.ChoiceField(
        label=fields.label(Plan, "pay_point"),
        help_text=fields.help_text(Plan, "pay_point"),
        choices=Plan.PayPoint.choices,
        required=False,
        initial=Plan.PayPoint.MIDPOINT,
        error_messages={"invalid_choice": "Choose the midpoint or the top of each grade"},
    )
    # Blank is the default (demand entered for the plan), so a form posted without this newer field still saves.
    demand_basis = forms.ChoiceField(
        label=fields.label(Plan, "demand_basis"),
        help_text=fields.help_text(Plan, "demand_basis"),
        choices=Plan.DemandBasis.choices,
        required=False,
        initial=Plan.DemandBasis.OWN,
        error_messages={"invalid_choice": "Choose how the plan's demand is worked out"},
    )
    staff_on_shift = model_number_field(Plan, "staff_on_shift", required=False)
    notes = forms.CharField(
        label=f"{fields.label(Plan, 'notes')} (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=fields.help_text(Plan, "notes"),
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
        "pay_growth_pct": "4",
        "pay_year": "5",
        "staff_on_shift": "4",
    }

    class Meta:
        model = Plan
        fields = ASSUMPTION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "start_year" not in self.initial:
            self.initial["start_year"] = timezone.localdate().year
        choices = pay_year_choices()
        # An existing plan keeps its year even if its table has since gone.
        if self.instance.pk and self.instance.pay_year not in dict(choices):
            choices.append((self.instance.pay_year, self.instance.pay_year))
        self.fields["pay_year"].choices = choices
        if not self.instance.pk and "pay_year" not in self.initial:
            self.initial["pay_year"] = choices[0][0] if choices else FALLBACK_PAY_YEAR

    def clean_pay_point(self):
        return self.cleaned_data["pay_point"] or Plan.PayPoint.MIDPOINT

    def clean_demand_basis(self):
        return self.cleaned_data["demand_basis"] or Plan.DemandBasis.OWN

    def clean_pay_growth_pct(self):
        value = self.cleaned_data["pay_growth_pct"]
        return fields.default(Plan, "pay_growth_pct") if value is None else value

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ASSUMPTION_FIELDS}


class PlanAssumptionsForm(PlanForm):
    """The editor's assumptions, with the version the editor was loaded at and the values it started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=5000)


class PlanNameForm(NHSFormMixin, forms.Form):
    """Rename a plan, or name a new scenario. `version` guards a rename against a concurrent change."""

    name = forms.CharField(
        label=fields.label(Plan, "name"),
        max_length=Plan._meta.get_field("name").max_length,
        error_messages=NAME_MESSAGES,
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

"""Filters for the plan list. Numbers, not model choices: a filter naming another organisation's team or
organisation simply matches nothing (a choice filter would answer "not a valid choice", telling that it exists)."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from planning.models import Plan

MAX_ID = 2**63 - 1  # ids are 64-bit: a larger number is a 400, not a database error


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


def id_filter(*, field_name: str, description: str) -> IdFilter:
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": description}
    return extend_schema_field(schema)(IdFilter(field_name=field_name))


class PlanFilter(django_filters.FilterSet):
    organisation = id_filter(field_name="team__organisation_id", description="Only this organisation's plans (its id).")
    team = id_filter(field_name="team_id", description="Only this team's plans (its id).")
    status = django_filters.ChoiceFilter(choices=Plan.Status.choices, label="Only plans with this status.")
    baseline = django_filters.BooleanFilter(
        field_name="scenario_of", lookup_expr="isnull", help_text="true: baselines only; false: scenarios only."
    )

    class Meta:
        model = Plan
        fields = ["organisation", "team", "status", "baseline"]

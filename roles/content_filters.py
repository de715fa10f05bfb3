"""Filters for the public case study and resource lists."""

import django_filters
from django import forms

from roles.models import CaseStudy, Resource, Role


def _role_filter():
    return django_filters.ModelChoiceFilter(
        field_name="roles",
        to_field_name="slug",
        queryset=Role.objects.order_by("name"),
        empty_label="Any role",
        label="Role",
    )


class CaseStudyFilter(django_filters.FilterSet):
    role = _role_filter()
    setting = django_filters.ChoiceFilter(choices=CaseStudy.Setting.choices, empty_label="Any setting")

    class Meta:
        model = CaseStudy
        fields = ["role", "setting"]


class ResourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Resource.Kind.choices, empty_label="Any kind", label="Kind")
    role = _role_filter()

    class Meta:
        model = Resource
        fields = ["kind", "role"]


for filterset in (CaseStudyFilter, ResourceFilter):
    for filter_ in filterset.base_filters.values():
        filter_.extra["widget"] = forms.Select(attrs={"class": "nhsuk-select"})

"""Catalogue filters (django-filter) and the result counts shown beside each option."""

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet

from roles.bands import BAND_BY_CODE, Band, band_code
from roles.models import Capability, Regulator, Role, RoleCapability, RoleFamily

YES_NO = [("true", "Yes"), ("false", "No")]


def covers_band(band: int) -> Q:
    """Roles whose qualified range includes `band` (a range with one end stated is that one band)."""
    return (
        Q(band_min__lte=band, band_max__gte=band)
        | Q(band_min=band, band_max__isnull=True)
        | Q(band_min__isnull=True, band_max=band)
    )


class YesNoFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=YES_NO, widget=forms.RadioSelect, **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return qs.filter(**{self.field_name: value == "true"})


class RoleFilter(django_filters.FilterSet):
    """Within a facet, options widen the results (or); across facets they narrow them (and).

    Capabilities are the exception: a role must have every chosen capability, because people ask
    "who can prescribe *and* act as an approved clinician?".
    """

    family = django_filters.ModelMultipleChoiceFilter(
        field_name="family__slug",
        to_field_name="slug",
        queryset=RoleFamily.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Role family",
    )
    capability = django_filters.ModelMultipleChoiceFilter(
        field_name="capabilities__slug",
        to_field_name="slug",
        queryset=Capability.objects.all(),
        conjoined=True,
        widget=forms.CheckboxSelectMultiple,
        label="Can do",
    )
    regulator = django_filters.ModelMultipleChoiceFilter(
        field_name="regulator__slug",
        to_field_name="slug",
        queryset=Regulator.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Regulator or register",
    )
    band = django_filters.MultipleChoiceFilter(
        choices=[(band_code(band.value), band.label) for band in Band],
        method="filter_band",
        widget=forms.CheckboxSelectMultiple,
        label="Agenda for Change band (qualified)",
    )
    registered = YesNoFilter(field_name="registered", label="Statutory registration required")
    new_role = YesNoFilter(field_name="is_new_role", label="New role")

    class Meta:
        model = Role
        fields = ["family", "capability", "regulator", "band", "registered", "new_role"]

    def filter_band(self, queryset, name, value):
        if not value:
            return queryset
        covers = Q()
        for code in value:
            covers |= covers_band(BAND_BY_CODE[code])
        return queryset.filter(covers)

    def filtered_without(self, queryset: QuerySet, facet: str | None) -> QuerySet:
        """`queryset` with every valid filter applied except `facet`."""
        cleaned = self.form.cleaned_data
        for name, filter_ in self.filters.items():
            if name != facet and name in cleaned:
                queryset = filter_.filter(queryset, cleaned[name])
        return queryset


def facet_counts(filterset: RoleFilter, queryset: QuerySet) -> dict[str, dict[str, int]]:
    """For each facet option, how many roles the results would have with it chosen.

    One query a facet, whatever the size of the catalogue.
    """
    counts: dict[str, dict[str, int]] = {}
    counts["family"] = _count_by(filterset.filtered_without(queryset, "family"), "family__slug")
    counts["regulator"] = _count_by(filterset.filtered_without(queryset, "regulator"), "regulator__slug")
    matching = filterset.filtered_without(queryset, None)
    counts["capability"] = dict(
        RoleCapability.objects.filter(role__in=matching.values("pk"))
        .order_by()
        .values("capability__slug")
        .annotate(n=Count("role", distinct=True))
        .values_list("capability__slug", "n")
    )
    without_band = filterset.filtered_without(queryset, "band")
    counts["band"] = _aggregate(
        without_band,
        {code: covers_band(value) for code, value in BAND_BY_CODE.items()},
    )
    for facet, field in (("registered", "registered"), ("new_role", "is_new_role")):
        counts[facet] = _aggregate(
            filterset.filtered_without(queryset, facet), {"true": Q(**{field: True}), "false": Q(**{field: False})}
        )
    return counts


def _count_by(queryset: QuerySet, field: str) -> dict[str, int]:
    rows = queryset.order_by().values(field).annotate(n=Count("pk", distinct=True)).values_list(field, "n")
    return {key: n for key, n in rows if key is not None}


def _aggregate(queryset: QuerySet, conditions: dict[str, Q]) -> dict[str, int]:
    return queryset.order_by().aggregate(
        **{key: Count("pk", distinct=True, filter=condition) for key, condition in conditions.items()}
    )

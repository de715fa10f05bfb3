"""Admin for the planning app: organisations and who belongs to them, reference data (team types, guidance targets,
pay scales), and a read-mostly view of teams' plans for supporting users.

Plans are edited by workforce leads in the workspace, which uses optimistic locking (`planning.services`). Here a
plan's lines are read-only, and saving a plan's name or notes moves it to the next version, so a lead editing the
same plan at the same time gets a conflict instead of silently losing the change.
"""

from django import forms
from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from planning.fields import ASSUMPTION_FIELDS, DEMAND_FIELDS, STAFFING_FIELDS
from planning.models import (
    DemandLine,
    GuidanceTarget,
    Membership,
    Organisation,
    PayScale,
    Plan,
    StaffingLine,
    Team,
    TeamType,
    TeamTypeCapability,
    TeamTypeDemand,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "access"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "ods_code", "kind", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "ods_code", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "ods_code", "kind", "is_demo"]
    inlines = [MembershipInline]


class TeamTypeCapabilityInline(admin.TabularInline):
    model = TeamTypeCapability
    fields = ["capability", "min_fte", "modelling_default", "source_url"]
    extra = 0
    verbose_name = "required capability"
    verbose_name_plural = "required capabilities (minimum FTE; a modelling default unless a source is given)"


class TeamTypeDemandInline(admin.TabularInline):
    model = TeamTypeDemand
    fields = [
        "tier",
        "caseload_per_100k",
        "hours_per_person_per_week",
        "modelling_default",
        "source_url",
        "source_label",
    ]
    extra = 0
    max_num = 3  # one a tier
    verbose_name = "reference demand"
    verbose_name_plural = (
        "reference demand (caseload per 100,000 population and hours a person a week, by tier; say where each "
        "figure comes from, or why it is a modelling default)"
    )


COVER_RULE_FIELDS = ["staff_on_shift", "shifts_per_day", "shift_hours"]
COVER_RULE_INCOMPLETE = "Give staff on each shift, shifts a day and hours a shift, or leave all three empty."
COVER_SOURCED_NOT_DEFAULT = "A rule with a source is not a modelling default: untick this or remove the source."


class TeamTypeForm(forms.ModelForm):
    class Meta:
        model = TeamType
        fields = [
            "name",
            "slug",
            "description",
            "source_url",
            *COVER_RULE_FIELDS,
            "cover_note",
            "cover_source_url",
            "cover_modelling_default",
        ]

    def clean(self):
        """A cover rule is all three figures or none: plans ignore a rule with a figure missing."""
        data = super().clean()
        given = [name for name in COVER_RULE_FIELDS if data.get(name) is not None]
        if given and len(given) < len(COVER_RULE_FIELDS):
            for name in COVER_RULE_FIELDS:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, COVER_RULE_INCOMPLETE)
        if given and not data.get("cover_note"):
            self.add_error("cover_note", "Say where the cover rule comes from, or why it is a modelling default.")
        if data.get("cover_source_url") and data.get("cover_modelling_default"):
            self.add_error("cover_modelling_default", COVER_SOURCED_NOT_DEFAULT)
        return data


@admin.register(TeamType)
class TeamTypeAdmin(admin.ModelAdmin):
    form = TeamTypeForm
    list_display = ["name", "slug", "staff_on_shift", "source_url"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "source_url"]}),
        (
            "Minimum cover (teams open around the clock)",
            {
                "description": "Clinical staff on each shift × shifts a day × hours a shift × 7 days. Leave empty for "
                "teams without a cover rule.",
                "fields": [*COVER_RULE_FIELDS, "cover_note", "cover_source_url", "cover_modelling_default"],
            },
        ),
    ]
    inlines = [TeamTypeDemandInline, TeamTypeCapabilityInline]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "team_type", "population_served", "updated_at"]
    list_filter = ["team_type", "organisation__is_demo", "organisation"]
    list_select_related = ["organisation", "team_type"]
    search_fields = ["name", "organisation__name"]
    fields = ["organisation", "team_type", "name", "population_served", "version", "created_at", "updated_at"]
    readonly_fields = ["version", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if change:  # a workspace form loaded at the old version then gets a conflict, not a silent overwrite
            obj.version += 1
        super().save_model(request, obj, form, change)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StaffingLineInline(ReadOnlyInline):
    model = StaffingLine
    fields = ["role", *(field for field in STAFFING_FIELDS if field != "role_id")]
    readonly_fields = fields


class DemandLineInline(ReadOnlyInline):
    model = DemandLine
    fields = DEMAND_FIELDS
    readonly_fields = fields


# A plan's name and notes may be corrected here; everything else is changed in the workspace.
PLAN_EDITABLE_FIELDS = ["name", "notes"]
PLAN_FIELDS = [
    "team",
    "name",
    "scenario_of",
    "status",
    "version",
    *(field for field in ASSUMPTION_FIELDS if field != "name"),
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "team", "organisation", "is_baseline", "start_year", "status", "version", "updated_at"]
    list_filter = ["status", "team__team_type", "team__organisation"]
    list_select_related = ["team__organisation"]
    search_fields = ["name", "team__name", "team__organisation__name"]
    fields = PLAN_FIELDS
    readonly_fields = [field for field in PLAN_FIELDS if field not in PLAN_EDITABLE_FIELDS]
    inlines = [StaffingLineInline, DemandLineInline]

    @admin.display(description="Organisation", ordering="team__organisation__name")
    def organisation(self, obj):
        return obj.team.organisation

    @admin.display(description="Baseline", boolean=True)
    def is_baseline(self, obj):
        return obj.is_baseline

    def has_add_permission(self, request):
        return False  # plans are created by workforce leads in the workspace

    def save_model(self, request, obj, form, change):
        # Claim the next version first, so any lead's open edit of this plan becomes stale and is refused.
        Plan.objects.filter(pk=obj.pk).update(version=F("version") + 1)
        obj.version = Plan.objects.values_list("version", flat=True).get(pk=obj.pk)
        obj.updated_by = request.user
        obj._change_reason = "Edited in the admin"
        super().save_model(request, obj, form, change)


class GuidanceTargetForm(forms.ModelForm):
    class Meta:
        model = GuidanceTarget
        fields = [
            "label",
            "slug",
            "wording",
            "scope",
            "team_type",
            "role",
            "family",
            "capability",
            "metric",
            "kind",
            "comparator",
            "value",
            "value_max",
            "reference_population",
            "year",
            "source_url",
            "source_label",
            "secondary_source",
            "unverified",
        ]

    def clean(self):
        data = super().clean()
        scope, team_type = data.get("scope"), data.get("team_type")
        if scope == GuidanceTarget.Scope.TEAM_TYPE and team_type is None:
            self.add_error("team_type", "Choose the team type this target is checked for.")
        if scope == GuidanceTarget.Scope.NATIONAL and team_type is not None:
            self.add_error("team_type", "A national target has no team type.")
        if data.get("metric") == GuidanceTarget.Metric.MIN_FTE_PER_POPULATION and not data.get("reference_population"):
            self.add_error("reference_population", "Give the population the source's minimum is for.")
        if data.get("comparator") == GuidanceTarget.Comparator.BETWEEN:
            if data.get("value_max") is None:
                self.add_error("value_max", "A 'between' target needs an upper value.")
            elif data.get("value") is not None and data["value_max"] < data["value"]:
                self.add_error("value_max", "The upper value must not be less than the value.")
        return data


@admin.register(GuidanceTarget)
class GuidanceTargetAdmin(admin.ModelAdmin):
    form = GuidanceTargetForm
    list_display = ["label", "scope", "team_type", "metric", "comparator", "value", "value_max", "year"]
    list_filter = ["scope", "kind", "metric", "secondary_source", "unverified", "team_type"]
    list_select_related = ["team_type"]
    search_fields = ["label", "wording", "source_label"]
    prepopulated_fields = {"slug": ["label"]}
    fieldsets = [
        (None, {"fields": ["label", "slug", "wording"]}),
        ("What it applies to", {"fields": ["scope", "team_type", "role", "family", "capability"]}),
        ("Figure", {"fields": ["metric", "kind", "comparator", "value", "value_max", "reference_population", "year"]}),
        ("Source", {"fields": ["source_url", "source_label", "secondary_source", "unverified"]}),
    ]


PAY_SCALE_FIELDS = [
    "pay_table",
    "year",
    "band",
    "bottom",
    "intermediate",
    "top",
    "source_url",
    "source_label",
    "confirmed",
]


class PayScaleForm(forms.ModelForm):
    class Meta:
        model = PayScale
        fields = PAY_SCALE_FIELDS

    def clean(self):
        data = super().clean()
        if data.get("bottom") is not None and data.get("top") is not None and data["bottom"] > data["top"]:
            self.add_error("top", "The top of the band must not be less than the bottom.")
        return data


@admin.register(PayScale)
class PayScaleAdmin(admin.ModelAdmin):
    form = PayScaleForm
    list_display = ["year", "pay_table", "band", "bottom", "top", "midpoint", "confirmed"]
    list_filter = ["year", "pay_table", "confirmed"]
    fields = PAY_SCALE_FIELDS

    @admin.display(description="Midpoint")
    def midpoint(self, obj):
        return obj.midpoint

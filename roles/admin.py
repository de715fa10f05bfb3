from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from simple_history.admin import SimpleHistoryAdmin

from roles import publishing
from roles.models import (
    Capability,
    CaseStudy,
    CaseStudyTransition,
    Regulator,
    Resource,
    Role,
    RoleCapability,
    RoleFamily,
    RoleSource,
    TrainingRoute,
)
from roles.revision_admin import ReviewedChangesMixin, revision_log


@admin.register(Regulator)
class RegulatorAdmin(ReviewedChangesMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(RoleFamily)
class RoleFamilyAdmin(ReviewedChangesMixin, admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Capability)
class CapabilityAdmin(ReviewedChangesMixin, admin.ModelAdmin):
    list_display = ["name", "group", "order"]
    list_filter = ["group"]
    prepopulated_fields = {"slug": ["name"]}


class RoleCapabilityInline(admin.TabularInline):
    model = RoleCapability
    fields = ["capability", "level", "note", "source_url"]
    extra = 0


class TrainingRouteInline(admin.StackedInline):
    model = TrainingRoute
    fields = ["name", "slug", "kind", "duration_months", "description", "source_url"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


class RoleSourceInline(admin.TabularInline):
    model = RoleSource
    fields = ["url", "title", "supports", "secondary"]
    extra = 0


@admin.register(Role)
class RoleAdmin(ReviewedChangesMixin, admin.ModelAdmin):
    list_display = ["name", "family", "regulator", "is_new_role", "historic", "last_reviewed"]
    list_filter = ["family", "regulator", "is_new_role", "historic", "registered"]
    list_select_related = ["family", "regulator"]
    search_fields = ["name", "alternative_titles", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["related_roles", "supervisor_roles"]
    inlines = [RoleCapabilityInline, TrainingRouteInline, RoleSourceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "alternative_titles", "family", "summary", "scope_of_practice"]}),
        ("Regulation", {"fields": ["regulator", "registered", "registration_note"]}),
        ("Pay", {"fields": ["band_trainee", "band_min", "band_max", "band_note"]}),
        ("History", {"fields": ["is_new_role", "historic", "year_introduced"]}),
        (
            "Supervision",
            {"fields": ["supervision", "supervisor_roles", "supervision_hours_per_month", "supervision_source_url"]},
        ),
        (
            "Planning defaults",
            {
                "description": "Modelling defaults that team plans use unless a staffing line changes them. Give the "
                "reason, and a source where one exists.",
                "fields": [
                    "clinical",
                    "complexity_ceiling",
                    "full_ceiling_band",
                    "ceiling_reason",
                    "ceiling_source_url",
                ],
            },
        ),
        ("Review", {"fields": ["related_roles", "unconfirmed", "last_reviewed"]}),
    ]


CASE_STUDY_CONTENT = [
    "title",
    "slug",
    "organisation",
    "roles",
    "setting",
    "year",
    "summary",
    "body",
    "people_quoted",
    "source_url",
    "source_title",
]


class CaseStudyAdminForm(forms.ModelForm):
    """The case study's content, and a note for the edit history (needed when a published story changes)."""

    change_note = forms.CharField(
        label="What you changed and why",
        max_length=publishing.CHANGE_REASON_LENGTH,
        required=False,
        help_text="Kept in the edit history. Needed when you change a published case study.",
    )

    class Meta:
        model = CaseStudy
        fields = CASE_STUDY_CONTENT

    def clean(self):
        cleaned = super().clean()
        edited = set(self.changed_data) - {"change_note"}
        if (
            publishing.needs_change_note(case_study=self.instance, edited=bool(edited))
            and not cleaned.get("change_note", "").strip()
        ):
            self.add_error(
                "change_note", "Say what you changed and why: changes to a published case study are recorded."
            )
        return cleaned


class CaseStudyTransitionInline(admin.TabularInline):
    model = CaseStudyTransition
    fields = ["at", "by", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Publishing log"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseStudy)
class CaseStudyAdmin(ReviewedChangesMixin, SimpleHistoryAdmin):
    change_form_template = "admin/roles/casestudy/change_form.html"
    list_display = ["title", "organisation", "status", "year", "updated_by", "updated_at"]
    list_filter = ["status", "setting", "roles__family"]
    search_fields = ["title", "organisation", "summary"]
    # No prepopulated slug: the history page shows an old version with every field read-only, where
    # prepopulation would look for a slug input that is not there. Curators type the slug.
    filter_horizontal = ["roles"]
    actions = None
    form = CaseStudyAdminForm
    fields = [*CASE_STUDY_CONTENT, "change_note"]
    readonly_fields = [
        "status",
        "created_by",
        "updated_by",
        "published_by",
        "published_at",
        "edit_history",
        "revision_log",
    ]
    inlines = [CaseStudyTransitionInline]

    def _read_only(self, request, obj) -> bool:
        return obj is not None and not self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": CASE_STUDY_CONTENT if self._read_only(request, obj) else self.fields})]
        if obj is not None:
            fieldsets.append(
                ("Workflow", {"fields": ["status", "created_by", "updated_by", "published_by", "published_at"]})
            )
            fieldsets.append(("Edit history", {"fields": ["edit_history"]}))
            fieldsets.append(("Changes and approvals", {"fields": ["revision_log"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if self._read_only(request, obj):
            return [*CASE_STUDY_CONTENT, *self.readonly_fields]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return publishing.can_edit(case_study=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        publishing.record_edit(
            case_study=obj, user=request.user, is_new=not change, note=form.cleaned_data.get("change_note", "")
        )
        super().save_model(request, obj, form, change)

    @admin.display(description="Changes and approvals")
    def revision_log(self, obj):
        return revision_log(obj)

    @admin.display(description="Content changes")
    def edit_history(self, obj):
        records = obj.history.select_related("history_user").order_by("-history_date")[:50]
        return (
            format_html_join(
                "\n",
                "<p>{} – {} by {}{}</p>",
                (
                    (
                        localtime(record.history_date).strftime("%d %b %Y %H:%M"),
                        record.get_history_type_display(),
                        record.history_user or "an unknown user",
                        f" ({record.history_change_reason})" if record.history_change_reason else "",
                    )
                    for record in records
                ),
            )
            or "No changes recorded."
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version may be looked at, never reverted to: reverting would change the status (and the text of
        a published story) outside the publishing workflow. A curator copies the old text into the form instead."""
        if request.method != "GET":
            raise PermissionDenied("Reverting to an old version is not allowed; edit the case study instead.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/transition/<slug:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="roles_casestudy_transition",
            )
        ]
        return urls + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["transitions"] = publishing.available_transitions(case_study=obj, user=request.user)
            context["preview_url"] = obj.get_absolute_url()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def transition_view(self, request, object_id, name):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        case_study = self.get_object(request, object_id)
        if case_study is None or not self.has_view_permission(request, case_study):
            raise Http404("No such case study")
        try:
            publishing.apply_transition(
                case_study=case_study, name=name, user=request.user, comment=request.POST.get("comment", "")
            )
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
        else:
            case_study.refresh_from_db(fields=["status"])
            self.message_user(request, f"“{case_study}” is now {case_study.get_status_display().lower()}.")
        return redirect("admin:roles_casestudy_change", case_study.pk)


@admin.register(Resource)
class ResourceAdmin(ReviewedChangesMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "publisher", "year"]
    list_filter = ["kind"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["roles"]
    fields = ["title", "slug", "kind", "publisher", "year", "summary", "url", "roles"]

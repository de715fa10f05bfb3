from django.contrib import admin

from roles.models import Capability, Regulator, Role, RoleCapability, RoleFamily, RoleSource, TrainingRoute


@admin.register(Regulator)
class RegulatorAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(RoleFamily)
class RoleFamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
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
class RoleAdmin(admin.ModelAdmin):
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
        ("Supervision", {"fields": ["supervision", "supervisor_roles", "supervision_hours_per_month"]}),
        ("Planning defaults", {"fields": ["complexity_ceiling"]}),
        ("Review", {"fields": ["related_roles", "unconfirmed", "last_reviewed"]}),
    ]

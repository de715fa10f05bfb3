"""The admin side of revisions: saving public content proposes a revision; publishers approve or reject it."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from nwwmh_portal.admin import ReadOnlyAdmin
from roles import revisions
from roles.models import Revision

NOTE_LABEL = "What you changed and why"
PENDING_FLAG = "_proposed_revision"


class ChangeNoteForm(forms.ModelForm):
    """A model's admin form with a note for the person who approves the change."""

    change_note = forms.CharField(
        label=NOTE_LABEL,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        required=False,
        help_text="Shown to the publisher who approves your change, and kept with it.",
    )


def inline_rows(formset) -> revisions.InlineRows:
    """The rows an inline formset leaves: kept and new rows (with their edited values), not deleted or blank ones."""
    fk = formset.fk.name
    model_fields = {field.name for field in formset.model._meta.concrete_fields}
    fields = [name for name in formset.form.base_fields if name in model_fields and name not in (fk, "id")]
    rows = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        rows.append(form.instance)
    return revisions.InlineRows(model=formset.model, fk=fk, fields=fields, rows=rows)


class ReviewedChangesMixin:
    """For a ModelAdmin of public content: a save that would change the public site proposes a revision instead.

    The form, its many-to-many choices and every inline are validated as usual; nothing is written but the revision,
    and the user is taken to it. Other saves (a draft case study) go through as before.
    """

    form = ChangeNoteForm

    def save_model(self, request, obj, form, change):
        if revisions.needs_review(instance=obj):
            setattr(request, PENDING_FLAG, None)
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not hasattr(request, PENDING_FLAG):
            return super().save_related(request, form, formsets, change)
        instance = form.instance
        cleaned = form.cleaned_data
        proposed = revisions.proposal_from(
            instance=instance,
            fields=[field.name for field in instance._meta.concrete_fields if field.name in cleaned],
            m2m={field.name: cleaned[field.name] for field in instance._meta.many_to_many if field.name in cleaned},
            # Read-only inlines (a case study's publishing log) have no fields to propose.
            inlines=[rows for rows in map(inline_rows, formsets) if rows.fields],
        )
        revision = revisions.propose(
            instance=instance, proposed=proposed, user=request.user, note=cleaned.get("change_note", "")
        )
        setattr(request, PENDING_FLAG, revision)

    def construct_change_message(self, request, form, formsets, add=False):
        if not hasattr(request, PENDING_FLAG):
            return super().construct_change_message(request, form, formsets, add)
        return ""

    def log_addition(self, request, obj, message):
        if not hasattr(request, PENDING_FLAG):
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if not hasattr(request, PENDING_FLAG):
            return super().log_change(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if not hasattr(request, PENDING_FLAG):
            return super().response_add(request, obj, post_url_continue)
        return self._proposed(request, getattr(request, PENDING_FLAG))

    def response_change(self, request, obj):
        if not hasattr(request, PENDING_FLAG):
            return super().response_change(request, obj)
        return self._proposed(request, getattr(request, PENDING_FLAG))

    def _proposed(self, request, revision):
        if revision is None:
            self.message_user(request, "You changed nothing, so there is nothing to approve.", messages.WARNING)
            return redirect(request.path)
        self.message_user(
            request,
            f"Your change to “{revision.object_repr}” waits for a publisher to approve it. "
            "Until then the site shows the published version.",
            messages.SUCCESS,
        )
        return redirect("admin:roles_revision_change", revision.pk)

    def has_delete_permission(self, request, obj=None):
        """Deleting a public row would change the site with nobody to approve it, so the admin offers no delete
        (a role no longer recruited to is marked historic, through a revision). Inline rows are removed through a
        revision of their parent."""
        return False

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [field for field in options["fields"] if field != "change_note"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is None or self.has_change_permission(request, obj):
            fieldsets.append((NOTE_LABEL, {"fields": ["change_note"]}))
        if obj is not None and "revision_log" not in flatten_fieldsets(fieldsets):
            fieldsets.append(("Changes and approvals", {"fields": ["revision_log"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "revision_log"] if obj is not None and "revision_log" not in readonly else readonly

    @admin.display(description="Changes and approvals")
    def revision_log(self, obj):
        return revision_log(obj)


def revision_log(obj) -> str:
    """Every revision of `obj`, newest first: when, what became of it, who proposed and who decided."""
    return (
        format_html_join(
            "\n",
            '<p>{} – <a href="{}">{}</a>: proposed by {}{}{}</p>',
            (
                (
                    localtime(revision.proposed_at).strftime("%d %b %Y %H:%M"),
                    reverse("admin:roles_revision_change", args=[revision.pk]),
                    revision.get_status_display(),
                    revision.proposed_by,
                    _decided(revision),
                    f" ({revision.note})" if revision.note else "",
                )
                for revision in revisions.log_for(instance=obj)[:50]
            ),
        )
        or "No changes proposed yet."
    )


def _decided(revision) -> str:
    return f", {revision.get_status_display().lower()} by {revision.decided_by}" if revision.decided_by else ""


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    """Changes waiting for approval (and decided ones): what each changes, and approve / reject / withdraw."""

    change_form_template = "admin/roles/revision/change_form.html"
    list_display = ["__str__", "status", "proposed_by", "proposed_at", "decided_by", "decided_at"]
    list_filter = ["status", "content_type"]
    list_select_related = ["content_type", "proposed_by", "decided_by"]
    search_fields = ["object_repr", "note"]
    fields = ["target", "status", "note", "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_comment"]
    readonly_fields = fields
    actions = None

    @admin.display(description="Row")
    def target(self, revision):
        if revision.object_id is None:
            return f"{revision.object_repr} (new: made when the change is approved)"
        model = revision.content_type.model_class()
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[revision.object_id])
        except NoReverseMatch:
            return revision.object_repr
        return format_html('<a href="{}">{}</a>', url, revision.object_repr)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["changes"] = revisions.changes(revision=obj)
            context["decision_refusal"] = revisions.refusal(revision=obj, user=request.user)
            context["can_withdraw"] = obj.status == Revision.Status.PENDING and obj.proposed_by_id == request.user.pk
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/decide/<slug:action>/",
                self.admin_site.admin_view(self.decide_view),
                name="roles_revision_decide",
            )
        ]
        return urls + super().get_urls()

    def decide_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        revision = self.get_object(request, object_id)
        if revision is None or not self.has_view_permission(request, revision):
            raise Http404("No such change")
        comment = request.POST.get("comment", "")
        try:
            if action == "approve":
                new = revision.object_id is None
                instance = revisions.approve(revision=revision, user=request.user, comment=comment)
                # The object's own admin history page records the approval too.
                LogEntry.objects.log_actions(
                    user_id=request.user.pk,
                    queryset=[instance],
                    action_flag=ADDITION if new else CHANGE,
                    change_message=f"Approved a change proposed by {revision.proposed_by}.",
                    single_object=True,
                )
                done = "approved: the site now shows it"
            elif action == "reject":
                revisions.reject(revision=revision, user=request.user, comment=comment)
                done = "rejected"
            elif action == "withdraw":
                revisions.withdraw(revision=revision, user=request.user)
                done = "withdrawn"
            else:
                raise Http404("No such step")
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
        else:
            self.message_user(request, f"The change to “{revision.object_repr}” is {done}.")
        return redirect("admin:roles_revision_change", revision.pk)

"""Spreadsheet export and staffing import for a plan. Thin views: scope with `selectors`, work with
`spreadsheets`, write with `services`.

Import is two steps. Uploading a file checks every row and shows a preview of what will change; the clean
lines, the plan version they were checked against and a digest are kept in the session. "Apply import"
posts the digest back, and exactly the previewed lines are written with `services.replace_staffing`, which
refuses (writing nothing) if the plan has changed since the preview.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from planning import selectors, services, spreadsheets
from planning.models import Plan
from planning.views import FORM, READ, WRITE, workspace_view

UPLOAD_TEMPLATE = "planning/import_upload.html"
PREVIEW_TEMPLATE = "planning/import_preview.html"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _session_key(plan: Plan) -> str:
    return f"planning-import-{plan.pk}"


def _breadcrumbs(plan: Plan) -> list[tuple[str, str]]:
    return [
        ("Planning", reverse("planning:home")),
        (plan.team.name, plan.team.get_absolute_url()),
        (plan.name, plan.get_absolute_url()),
    ]


def _download(plan: Plan, content, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{spreadsheets.export_filename(plan, extension)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@workspace_view(READ)
def export_csv(request, pk):
    plan = selectors.plan_for(request.user, pk)
    staffing, demand = selectors.plan_lines(plan)
    return _download(plan, spreadsheets.export_csv(plan, staffing, demand), "csv")


@workspace_view(READ)
def export_xlsx(request, pk):
    plan = selectors.plan_for(request.user, pk)
    staffing, demand = selectors.plan_lines(plan)
    return _download(plan, spreadsheets.export_xlsx(plan, staffing, demand), "xlsx")


def _upload_page(request, plan: Plan, *, file_errors=(), errors=(), status=200):
    """The upload form. `file_errors` are about the uploaded file and are shown against the file field;
    `errors` are about the page (an agreed plan, a conflict) and are shown only in the error summary."""
    context = {
        "plan": plan,
        "locked": plan.status == Plan.Status.AGREED,
        "errors": list(errors),
        "file_errors": list(file_errors),
        "field_errors": [("file", message) for message in file_errors],
        "columns": [(name, spreadsheets.COLUMN_HELP[name]) for name in spreadsheets.STAFFING_COLUMNS],
        "required_columns": spreadsheets.REQUIRED_COLUMNS,
        "max_rows": f"{spreadsheets.MAX_ROWS:,}",
        "breadcrumbs": _breadcrumbs(plan),
    }
    return render(request, UPLOAD_TEMPLATE, context, status=status)


SUMMARY_ERRORS = 10  # row problems listed in the error summary; the page lists them all
LOCKED_MESSAGE = "This plan is agreed, so its staffing cannot be imported. A lead must reopen it first."


@workspace_view(FORM)
def import_staffing(request, pk):
    """GET: the upload form. POST: check the uploaded file and show what importing it would change."""
    plan = selectors.plan_for(request.user, pk, edit=True)
    if plan.status == Plan.Status.AGREED:
        return _upload_page(request, plan, errors=[LOCKED_MESSAGE], status=409 if request.method == "POST" else 200)
    if request.method != "POST":
        return _upload_page(request, plan)

    roles = spreadsheets.load_roles()
    parsed = spreadsheets.parse_upload(request.FILES.get("file"), plan=plan, roles=roles)
    request.session.pop(_session_key(plan), None)
    if parsed.errors:
        return _upload_page(request, plan, file_errors=parsed.errors, status=400)
    context = {
        "plan": plan,
        "parsed": parsed,
        "filename": request.FILES["file"].name,
        "breadcrumbs": _breadcrumbs(plan),
    }
    if not parsed.ok:
        shown = parsed.row_errors[:SUMMARY_ERRORS]
        context["summary_links"] = [("row-errors", str(error)) for error in shown]
        if len(parsed.row_errors) > len(shown):
            more = len(parsed.row_errors) - len(shown)
            context["summary_links"].append(("row-errors", f"and {more} more problem{'s' if more != 1 else ''}"))
        return render(request, PREVIEW_TEMPLATE, context, status=400)
    pending = spreadsheets.pending_import(plan, parsed.lines)
    request.session[_session_key(plan)] = pending
    staffing, _ = selectors.plan_lines(plan)
    diff = spreadsheets.diff_staffing(staffing, parsed.lines, roles)
    context |= {
        "diff": diff,
        "line_tables": [("Lines added", diff.added, "lines-added"), ("Lines removed", diff.removed, "lines-removed")],
        "digest": pending["digest"],
        "apply_url": reverse("planning:plan-import-apply", args=[plan.pk]),
    }
    return render(request, PREVIEW_TEMPLATE, context)


@workspace_view(WRITE)
def apply_import(request, pk):
    """Write exactly the previewed lines, if the plan is still at the version they were checked against."""
    plan = selectors.plan_for(request.user, pk, edit=True)
    key = _session_key(plan)
    previewed = spreadsheets.lines_from_pending(plan, request.session.get(key), request.POST.get("digest", ""))
    if previewed is None:
        message = "Your preview has expired or was replaced by another upload. Nothing was imported."
        return _upload_page(request, plan, errors=[f"{message} Upload the file again."], status=400)
    version, lines = previewed
    role_ids = {role.pk for role in spreadsheets.load_roles().values()}
    if any(line["role_id"] not in role_ids for line in lines):
        request.session.pop(key, None)
        message = "A role in your file has been removed from the catalogue since the preview. Nothing was imported."
        return _upload_page(request, plan, errors=[message], status=409)
    try:
        services.replace_staffing(plan=plan, user=request.user, expected_version=version, lines=lines)
    except services.PlanConflict as conflict:
        request.session.pop(key, None)
        current = conflict.current
        who = f" by {current.updated_by.get_username()}" if current.updated_by else ""
        message = (
            f"This plan was changed{who} after you checked your file (it is now version {current.version}). "
            "Nothing was imported. Upload your file again to check it against the latest plan."
        )
        plan.status = current.status
        return _upload_page(request, plan, errors=[message], status=409)
    except services.PlanLocked:
        request.session.pop(key, None)
        return _upload_page(request, plan, errors=[LOCKED_MESSAGE], status=409)
    request.session.pop(key, None)
    messages.success(request, f"Imported {len(lines)} staffing line{'s' if len(lines) != 1 else ''}.")
    return redirect(plan.get_absolute_url())

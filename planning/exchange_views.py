"""Spreadsheet export and staffing import for a plan. Thin views: scope with `selectors`, work with
`planning.spreadsheets`, write with `services`.

Import is two steps. Uploading a file checks every row and shows a preview of what will change; the clean
lines, the plan version they were checked against and a digest are kept in the session. "Apply import"
posts the digest back, and exactly the previewed lines are written with `services.replace_staffing`, which
refuses (writing nothing) if the plan has changed since the preview.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from planning import selectors, services
from planning.access import FORM, READ, WRITE, workspace_view
from planning.breadcrumbs import trail
from planning.downloads import download
from planning.models import Plan
from planning.spreadsheets import columns, export, preview, reader, validation

UPLOAD_TEMPLATE = "planning/import_upload.html"
PREVIEW_TEMPLATE = "planning/import_preview.html"


def _session_key(plan: Plan) -> str:
    return f"planning-import-{plan.pk}"


@workspace_view(READ)
def export_csv(request, pk):
    plan = selectors.plan_for(request.user, pk)
    staffing, demand = selectors.plan_lines(plan)
    content = export.export_csv(plan, staffing, demand)
    return download(content=content, filename=export.export_filename(plan, "csv"), extension="csv")


@workspace_view(READ)
def export_xlsx(request, pk):
    plan = selectors.plan_for(request.user, pk)
    staffing, demand = selectors.plan_lines(plan)
    content = export.export_xlsx(plan, staffing, demand)
    return download(content=content, filename=export.export_filename(plan, "xlsx"), extension="xlsx")


def _upload_page(request, plan: Plan, *, file_errors=(), errors=(), status=200):
    """The upload form. `file_errors` are about the uploaded file and are shown against the file field;
    `errors` are about the page (an agreed plan, a conflict) and are shown only in the error summary."""
    context = {
        "plan": plan,
        "locked": plan.is_locked,
        "errors": list(errors),
        "file_errors": list(file_errors),
        "field_errors": [("file", message) for message in file_errors],
        "columns": [(name, columns.COLUMN_HELP[name]) for name in columns.STAFFING_COLUMNS],
        "required_columns": columns.REQUIRED_COLUMNS,
        "max_rows": f"{columns.MAX_ROWS:,}",
        "breadcrumbs": trail(plan),
    }
    return render(request, UPLOAD_TEMPLATE, context, status=status)


SUMMARY_ERRORS = 10  # row problems listed in the error summary; the page lists them all
LOCKED_MESSAGE = "This plan is agreed, so its staffing cannot be imported. A lead must reopen it first."


@workspace_view(FORM)
def import_staffing(request, pk):
    """GET: the upload form. POST: check the uploaded file and show what importing it would change."""
    plan = selectors.plan_for(request.user, pk, edit=True)
    if plan.is_locked:
        return _upload_page(request, plan, errors=[LOCKED_MESSAGE], status=409 if request.method == "POST" else 200)
    if request.method != "POST":
        return _upload_page(request, plan)

    roles = validation.load_roles()
    pay_years = selectors.pay_years()
    parsed = reader.parse_upload(request.FILES.get("file"), plan=plan, roles=roles, pay_years=pay_years)
    request.session.pop(_session_key(plan), None)
    if parsed.errors:
        return _upload_page(request, plan, file_errors=parsed.errors, status=400)
    context = {
        "plan": plan,
        "parsed": parsed,
        "filename": request.FILES["file"].name,
        "breadcrumbs": trail(plan),
    }
    if not parsed.ok:
        shown = parsed.row_errors[:SUMMARY_ERRORS]
        context["summary_links"] = [("row-errors", str(error)) for error in shown]
        if len(parsed.row_errors) > len(shown):
            more = len(parsed.row_errors) - len(shown)
            context["summary_links"].append(("row-errors", f"and {more} more problem{'s' if more != 1 else ''}"))
        return render(request, PREVIEW_TEMPLATE, context, status=400)
    pending = preview.pending_import(plan, parsed.lines)
    request.session[_session_key(plan)] = pending
    staffing, _ = selectors.plan_lines(plan)
    diff = preview.diff_staffing(staffing, parsed.lines, roles)
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
    previewed = preview.lines_from_pending(plan, request.session.get(key), request.POST.get("digest", ""))
    if previewed is None:
        message = "Your preview has expired or was replaced by another upload. Nothing was imported."
        return _upload_page(request, plan, errors=[f"{message} Upload the file again."], status=400)
    version, lines = previewed
    role_ids = {role.pk for role in validation.load_roles().values()}
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

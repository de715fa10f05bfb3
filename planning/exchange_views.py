"""Spreadsheet export and import of a whole plan (staffing with declared capabilities, demand, assumptions). Thin
views: scope with `selectors`, work with `planning.spreadsheets`, write with `services`.

Import is two steps. Uploading a file checks every row of every part and shows a preview of what will change;
the clean plan, the plan version it was checked against and a digest are kept in the session. "Apply import"
posts the digest back, and exactly what was previewed is written with `services.import_plan`, which refuses
(writing nothing) if the plan has changed since the preview.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from planning import selectors, services
from planning.access import FORM, READ, WRITE, workspace_view
from planning.breadcrumbs import trail
from planning.downloads import download
from planning.models import Plan
from planning.role_options import declarable
from planning.spreadsheets import columns, export, preview, reader, validation

UPLOAD_TEMPLATE = "planning/import_upload.html"
PREVIEW_TEMPLATE = "planning/import_preview.html"


def _session_key(plan: Plan) -> str:
    return f"planning-import-{plan.pk}"


@workspace_view(READ)
def export_csv(request, pk):
    plan = selectors.plan_for(request.user, pk)
    content = export.export_csv(export.plan_file(plan, *selectors.plan_lines(plan)))
    return download(content=content, filename=export.export_filename(plan, "csv"), extension="csv")


@workspace_view(READ)
def export_xlsx(request, pk):
    plan = selectors.plan_for(request.user, pk)
    content = export.export_xlsx(export.plan_file(plan, *selectors.plan_lines(plan)))
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
        "columns": [
            *((name, columns.COLUMN_HELP[name]) for name in columns.STAFFING_COLUMNS),
            *columns.declared_help(declarable()),
        ],
        "required_columns": columns.REQUIRED_COLUMNS,
        "demand_columns": columns.DEMAND_COLUMNS,
        "max_rows": f"{columns.MAX_ROWS:,}",
        "breadcrumbs": trail(plan),
    }
    return render(request, UPLOAD_TEMPLATE, context, status=status)


SUMMARY_ERRORS = 10  # row problems listed in the error summary; the page lists them all
LOCKED_MESSAGE = "This plan is agreed, so nothing can be imported into it. A lead must reopen it first."


@workspace_view(FORM)
def import_staffing(request, pk):
    """GET: the upload form. POST: check the uploaded file and show what importing it would change, part by
    part. A file that would change nothing says so and offers nothing to apply."""
    plan = selectors.plan_for(request.user, pk, edit=True)
    if plan.is_locked:
        return _upload_page(request, plan, errors=[LOCKED_MESSAGE], status=409 if request.method == "POST" else 200)
    if request.method != "POST":
        return _upload_page(request, plan)

    roles, capabilities = validation.load_roles(), declarable()
    parsed = reader.parse_upload(
        request.FILES.get("file"), plan=plan, roles=roles, declarable=capabilities, pay_years=selectors.pay_years()
    )
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
    staffing, demand = selectors.plan_lines(plan)
    changes = preview.diff_plan(
        plan,
        staffing=staffing,
        declared=export.declared_by_line(staffing),
        demand=demand,
        parsed=parsed,
        roles=roles,
        declarable=capabilities,
    )
    diff = changes.staffing
    context |= {
        "changes": changes,
        "diff": diff,
        "line_tables": [("Lines added", diff.added, "lines-added"), ("Lines removed", diff.removed, "lines-removed")],
        "part_tables": [
            ("Demand", changes.demand, "demand-changes", "Tier"),
            ("Assumptions", changes.assumptions, "assumption-changes", "Assumption"),
        ],
    }
    if changes.has_changes:
        pending = preview.pending_import(plan, parsed)
        request.session[_session_key(plan)] = pending
        context |= {"digest": pending["digest"], "apply_url": reverse("planning:plan-import-apply", args=[plan.pk])}
    return render(request, PREVIEW_TEMPLATE, context)


@workspace_view(WRITE)
def apply_import(request, pk):
    """Write exactly the previewed lines, if the plan is still at the version they were checked against."""
    plan = selectors.plan_for(request.user, pk, edit=True)
    key = _session_key(plan)
    previewed = preview.import_from_pending(plan, request.session.get(key), request.POST.get("digest", ""))
    if previewed is None:
        message = "Your preview has expired or was replaced by another upload. Nothing was imported."
        return _upload_page(request, plan, errors=[f"{message} Upload the file again."], status=400)
    version, incoming = previewed
    if not incoming.still_in_catalogue(roles=validation.load_roles(), declarable=declarable()):
        request.session.pop(key, None)
        message = (
            "A role or capability in your file has been removed from the catalogue since the preview. "
            "Nothing was imported."
        )
        return _upload_page(request, plan, errors=[message], status=409)
    try:
        services.import_plan(
            plan=plan,
            user=request.user,
            expected_version=version,
            lines=incoming.lines,
            demand=incoming.demand,
            assumptions=incoming.assumptions,
        )
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
    description = services.import_description(
        lines=incoming.lines, demand=incoming.demand, assumptions=incoming.assumptions
    )
    messages.success(request, f"{description}.")
    return redirect(plan.get_absolute_url())

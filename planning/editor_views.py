"""The plan editor: a grid of staffing lines, the plan's assumptions and its demand, saved together.

Thin view: scope the read with `planning.selectors`, validate with `planning.forms.PlanEditor`, write with
`planning.services.save_plan`, render. The grid's buttons (add rows, copy or delete a row, use the reference
demand) work in the page where JavaScript runs (static/js/plan-grid.js); without it they post here, and the page
comes back with the change made and everything typed kept (`planning.forms.grid`). A save refused because someone
else saved first is merged onto their version (`planning.conflicts`) and shown again, nothing lost.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render

from planning import conflicts, forms, presenters, selectors, services
from planning.access import FORM, workspace_view
from planning.breadcrumbs import trail
from planning.form_pages import locked_page, when
from planning.forms import grid
from planning.role_options import declarable
from planning.services import LOCKED_MESSAGE, PlanConflict, PlanLocked


class _Setup:
    """What every state of the editor page needs, read once a request."""

    def __init__(self, plan):
        self.roles = forms.role_options()
        self.declarable = declarable()
        self.reference = grid.reference_demand(plan.team)
        self.declared = [forms.declared_field(slug) for slug in self.declarable.capabilities]

    def editor(self, plan, staffing, demand, **kwargs):
        return forms.PlanEditor(plan, staffing, demand, self.roles, self.declarable, reference=self.reference, **kwargs)

    def redisplay(self, plan, staffing, demand, submission, **kwargs):
        return self.editor(plan, staffing, demand, submission=submission, **kwargs)


def _lines(plan):
    staffing, demand = selectors.plan_lines(plan)
    prefetch_related_objects(staffing, "declared_capabilities__capability")
    return staffing, demand


@workspace_view(FORM)
def plan_edit(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    if plan.is_locked:
        return locked_page(request, plan)
    staffing, demand = _lines(plan)
    setup = _Setup(plan)
    if request.method != "POST":
        return _edit_page(request, plan, setup.editor(plan, staffing, demand))

    submission = forms.parse_submission(request.POST, declared=setup.declared)
    if _grid_button(request.POST):
        return _grid_page(request, plan, staffing, demand, setup, submission)
    if submission.version != str(plan.version):
        return _conflict_page(request, plan, plan, submission, setup)

    editor = setup.editor(plan, staffing, demand, data=request.POST)
    if not editor.is_valid():
        return _edit_page(request, plan, editor, show_errors=True)
    try:
        services.save_plan(plan=plan, user=request.user, expected_version=int(submission.version), **editor.changes())
    except PlanConflict as conflict:
        return _conflict_page(request, plan, conflict.current, submission, setup)
    except PlanLocked:
        return locked_page(request, plan)
    except ValidationError as error:
        return _edit_page(request, plan, editor, errors=error.messages, status=409)
    messages.success(request, f"Plan saved (version {plan.version}).")
    return redirect(plan)


GRID_BUTTONS = ("add_rows", "copy_row", "delete_row", "use_reference")


def _grid_button(data) -> str | None:
    return next((name for name in GRID_BUTTONS if name in data), None)


def _grid_page(request, plan, staffing, demand, setup, submission):
    """A grid button pressed without JavaScript: the page again, with the change made and nothing typed lost."""
    button = _grid_button(request.POST)
    added = 0
    field_errors = []
    try:
        if button == "add_rows":
            added = grid.add_count(request.POST)
        elif button == "copy_row":
            submission = grid.copy_row(submission, request.POST["copy_row"])
        elif button == "delete_row":
            submission = grid.delete_row(submission, request.POST["delete_row"])
        else:
            submission = grid.use_reference_demand(submission, setup.reference)
    except grid.GridError as error:
        field_errors = [(error.target, error.message)]
    blank = sum(1 for row in submission.staffing if forms.row_is_blank(row))
    editor = setup.redisplay(plan, staffing, demand, submission, extra_rows=blank + added)
    return _edit_page(request, plan, editor, field_errors=field_errors, status=400 if field_errors else 200)


def _edit_page(request, plan, editor, *, show_errors=False, errors=(), field_errors=(), conflict=None, status=200):
    context = {
        "plan": plan,
        "editor": editor,
        "errors": [*errors, *(editor.errors() if show_errors else [])],
        "field_errors": [*field_errors, *(editor.field_errors() if show_errors else [])],
        "show_errors": show_errors,
        "conflict": conflict,
        "add_count": request.POST.get(grid.ADD_COUNT, "") if request.method == "POST" else "",
        "add_count_error": next((message for target, message in field_errors if target == grid.ADD_COUNT_ID), ""),
        "reference_error": next((message for target, message in field_errors if target == grid.REFERENCE_ID), ""),
        "breadcrumbs": trail(plan),
    }
    return render(request, "planning/plan_edit.html", context, status=status)


def _conflict_page(request, plan, current, submission, setup):
    """Someone saved the plan since this user opened it: show who and when, what differs, and the user's input
    again, moved onto the newer version, so that one click saves it."""
    staffing, demand = _lines(current)
    saved_by = presenters.person(current.updated_by)
    resolution = conflicts.resolve(submission, current, staffing, demand)  # what the page shows is what it saves
    conflict = {
        "saved_by": saved_by,
        "saved_at": current.updated_at,
        "version": current.version,
        "differences": presenters.differences(resolution, setup.roles, saved_by),
    }
    editor = setup.redisplay(current, staffing, demand, resolution.submission)
    message = (
        f"{saved_by} saved a newer version of this plan (version {current.version}) on {when(current.updated_at)}, "
        "after you opened it. Your changes have not been saved."
    )
    errors = [message]
    if current.is_locked:
        errors.append(f"The plan is now agreed. {LOCKED_MESSAGE}")
    return _edit_page(request, plan, editor, errors=errors, conflict=conflict, status=409)

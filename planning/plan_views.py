"""A team's plans: create, show (with its dashboard), copy into a scenario, rename, delete, agree and reopen (the
editor is `planning.editor_views`; the pages that ask to confirm agreeing, reopening and promoting are in
`planning.decision_views`).

Thin views: scope the read with `planning.selectors` (another organisation's plan is a 404, exactly like a
missing one; a viewer asking to change something gets 403), validate with `planning.forms`, write with
`planning.services`, render. An agreed plan is read only: `planning.services` refuses every change to it
(`PlanLocked`); these views ask `plan.is_locked` only to show the "agreed" page instead of a form. GET never
changes anything; every POST is CSRF-protected.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject

from planning import decisions, forms, plan_page, presenters, selectors, services
from planning.access import FORM, READ, WRITE, workspace_view
from planning.breadcrumbs import trail
from planning.form_pages import field_errors, posted
from planning.form_pages import locked_page as _locked
from planning.form_pages import when as _when
from planning.models import Plan
from planning.services import PlanConflict, PlanLocked


@workspace_view(FORM)
def plan_create(request, team_pk):
    team = selectors.team_for(request.user, team_pk, edit=True)
    form = forms.PlanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(team=team, user=request.user, values=form.values())
        messages.success(request, f"Plan {plan.name} created. Add its staffing and demand.")
        return redirect("planning:plan-edit", pk=plan.pk)
    return render(
        request,
        "planning/plan_create.html",
        {"team": team, "form": form, "field_errors": field_errors(form), "breadcrumbs": trail(team)},
    )


@workspace_view(READ)
def plan_detail(request, pk):
    plan, can_edit = selectors.plan_with_access_for(request.user, pk)  # every request: membership and access
    page = plan_page.PlanPage(plan)  # the dashboard, inputs, history and the page around them, reused while unchanged
    around = selectors.team_plans_around(plan=plan)
    return page.response(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "dashboard": SimpleLazyObject(lambda: page.dashboard),
            "related": around.related,
            "compare_choices": around.others,
            "can_edit": can_edit,
            "breadcrumbs": trail(plan.team),
        },
        shown=plan_page.shown(plan=plan, can_edit=can_edit, around=around),
    )


@workspace_view(FORM)
def plan_copy(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    form = forms.PlanNameForm(
        posted(request),
        initial={"name": f"{plan.name} – scenario"[:120]},
        hint="For example, 2 more peer support workers",
    )
    if request.method == "POST" and form.is_valid():
        scenario = services.copy_as_scenario(plan=plan, user=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"Scenario {scenario.name} created from {plan.name}.")
        return redirect(scenario)
    return render(
        request,
        "planning/plan_copy.html",
        {"plan": plan, "form": form, "field_errors": field_errors(form), "breadcrumbs": trail(plan)},
    )


@workspace_view(FORM)
def plan_rename(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    if plan.is_locked:
        return _locked(request, plan)
    form = forms.PlanNameForm(posted(request), initial={"name": plan.name, "version": plan.version})
    errors, status = [], 200
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        try:
            services.rename_plan(plan=plan, user=request.user, expected_version=form.cleaned_data["version"], name=name)
        except PlanConflict as conflict:
            current = conflict.current
            errors = [_changed_since(current)]
            form = forms.PlanNameForm({"name": name, "version": current.version})
            status = 409
        except PlanLocked:
            return _locked(request, plan)
        else:
            messages.success(request, f"Plan renamed to {plan.name}.")
            return redirect(plan)
    return render(
        request,
        "planning/plan_rename.html",
        {
            "plan": plan,
            "form": form,
            "errors": errors,
            "field_errors": field_errors(form),
            "breadcrumbs": trail(plan),
        },
        status=status,
    )


def _changed_since(current: Plan) -> str:
    return (
        f"{presenters.person(current.updated_by)} changed this plan on {_when(current.updated_at)}, after you "
        f"opened this page. Nothing has been changed: check the plan and try again."
    )


@workspace_view(FORM)
def plan_delete(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    if plan.is_locked:
        return _locked(request, plan)
    form = forms.VersionForm(posted(request), initial={"version": plan.version})
    errors, status = [], 200
    if request.method == "POST" and form.is_valid():
        team = plan.team
        name = plan.name
        try:
            services.delete_plan(plan=plan, user=request.user, expected_version=form.cleaned_data["version"])
        except PlanConflict as conflict:
            errors = [_changed_since(conflict.current)]
            form = forms.VersionForm(initial={"version": conflict.current.version})
            status = 409
        except PlanLocked:
            return _locked(request, plan)
        else:
            messages.success(request, f"Plan {name} deleted.")
            return redirect(team)
    return render(
        request,
        "planning/plan_delete.html",
        {
            "plan": plan,
            "form": form,
            "errors": errors,
            "scenario_count": selectors.scenario_count(plan=plan),
            "breadcrumbs": trail(plan),
        },
        status=status,
    )


@workspace_view(WRITE)
def plan_status(request, pk):
    """Agree or reopen the plan: the confirming POST of the pages `planning.decision_views` shows."""
    plan = selectors.plan_for(request.user, pk, edit=True)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        return _status_refused(request, plan, "Choose whether to agree or reopen the plan.", status=400)
    try:
        decisions.change_status(
            plan=plan,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except PlanConflict as conflict:
        return _status_refused(request, plan, _changed_since(conflict.current))
    except ValidationError as error:
        return _status_refused(request, plan, " ".join(error.messages))
    if plan.is_locked:
        messages.success(request, "Plan marked as agreed. It is now read only.")
    else:
        messages.success(request, "Plan reopened. It can be changed again.")
    return redirect(plan)


def _status_refused(request, plan, message, *, status=409):
    return render(
        request,
        "planning/plan_status_refused.html",
        {"plan": plan, "errors": [message], "breadcrumbs": trail(plan)},
        status=status,
    )

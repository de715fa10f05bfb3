"""The planning workspace: a lead's organisations, teams and plans.

Thin views: scope the read with `planning.selectors` (another organisation's team or plan is a 404, exactly
like a missing one; a viewer asking to change something gets 403), validate with `planning.forms`, write
with `planning.services`, render. GET never changes anything; every POST is CSRF-protected.
"""

import copy
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from planning import dashboard, engine_inputs, forms, presenters, selectors, services
from planning.models import Plan
from planning.services import PlanConflict, PlanLocked

READ = ["GET", "HEAD"]
FORM = ["GET", "HEAD", "POST"]
WRITE = ["POST"]
LOCKED_MESSAGE = "This plan is agreed, so it is read only. A lead must reopen it before it can be changed."


def workspace_view(methods):
    """Login required (anonymous users go to the login page), only `methods`, and a refusal (a viewer asking
    to change something, an agreed plan) is a 403 page that says why. A plan deleted while a save was on its
    way is a 404, like any missing plan."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Plan.DoesNotExist:  # deleted by someone else while this request was being handled
                raise Http404("No plan found") from None
            except PermissionDenied as refusal:
                return render(
                    request,
                    "planning/forbidden.html",
                    {"message": str(refusal) or "You cannot do that.", "breadcrumbs": [("Planning", "/planning/")]},
                    status=403,
                )

        return login_required(require_http_methods(methods)(wrapped))

    return decorator


def _team_crumbs(team):
    return [("Planning", reverse("planning:home")), (team.name, team.get_absolute_url())]


def _plan_crumbs(plan):
    return [*_team_crumbs(plan.team), (plan.name, plan.get_absolute_url())]


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y \\a\\t H:i")


def _require_draft(plan: Plan) -> None:
    if plan.status == Plan.Status.AGREED:
        raise PlanLocked(LOCKED_MESSAGE)


def _data(request):
    return request.POST if request.method == "POST" else None


# --- Home and teams --------------------------------------------------------------------------------------


@workspace_view(READ)
def home(request):
    organisations = presenters.workspace(selectors.workspace_for(request.user))
    return render(
        request,
        "planning/home.html",
        {
            "organisations": organisations,
            "leads_any": any(summary.lead for summary in organisations),
            "breadcrumbs": [("Home", "/")],
        },
    )


@workspace_view(FORM)
def team_create(request):
    led = selectors.led_organisations_for(request.user)
    if not led.exists():
        raise PermissionDenied("Only workforce leads can create teams. Ask a lead of your organisation for access.")
    initial = {"organisation": request.GET.get("organisation", "")}
    form = forms.TeamCreateForm(_data(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        team = services.save_team(team=form.save(commit=False), user=request.user)
        messages.success(request, f"Team {team.name} created.")
        return redirect(team)
    return _team_form(request, form, title="Create a team", breadcrumbs=[("Planning", reverse("planning:home"))])


@workspace_view(READ)
def team_detail(request, pk):
    team = selectors.team_for(request.user, pk)
    plans = selectors.plans_for(request.user).filter(team=team).select_related("updated_by", "scenario_of")
    return render(
        request,
        "planning/team_detail.html",
        {
            "team": team,
            "groups": presenters.plan_groups(plans),
            "can_edit": selectors.is_lead(request.user, team.organisation_id),
            "breadcrumbs": [("Planning", reverse("planning:home"))],
        },
    )


@workspace_view(FORM)
def team_edit(request, pk):
    team = selectors.team_for(request.user, pk, edit=True)
    form = forms.TeamForm(_data(request), instance=copy.copy(team))
    if request.method == "POST" and form.is_valid():
        team = services.save_team(team=form.save(commit=False), user=request.user)
        messages.success(request, "Team saved.")
        return redirect(team)
    return _team_form(request, form, title=f"Edit {team.name}", breadcrumbs=_team_crumbs(team), team=team)


def _team_form(request, form, *, title, breadcrumbs, team=None):
    return render(
        request,
        "planning/team_form.html",
        {
            "form": form,
            "title": title,
            "team": team,
            "field_errors": _field_errors(form),
            "breadcrumbs": breadcrumbs,
        },
    )


def _field_errors(form) -> list[tuple[str, str]]:
    pairs = []
    for name, errors in form.errors.items():
        target = form[name].auto_id if name in form.fields else form[next(iter(form.fields))].auto_id
        pairs.extend((target, message) for message in errors)
    return pairs


# --- Plans -----------------------------------------------------------------------------------------------


@workspace_view(FORM)
def plan_create(request, team_pk):
    team = selectors.team_for(request.user, team_pk, edit=True)
    form = forms.PlanForm(_data(request))
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(team=team, user=request.user, values=form.values())
        messages.success(request, f"Plan {plan.name} created. Add its staffing and demand.")
        return redirect("planning:plan-edit", pk=plan.pk)
    return render(
        request,
        "planning/plan_create.html",
        {"team": team, "form": form, "field_errors": _field_errors(form), "breadcrumbs": _team_crumbs(team)},
    )


@workspace_view(READ)
def plan_detail(request, pk):
    plan = selectors.plan_for(request.user, pk)
    staffing, demand = selectors.plan_lines(plan)
    roles = forms.role_options()
    result = engine_inputs.results_for([plan])[plan.pk]
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "dashboard": dashboard.build(plan, result, staffing),
            "staffing": staffing,
            "demand": demand,
            "totals": presenters.staffing_totals(staffing),
            "assumptions": presenters.assumption_rows(plan),
            "history": presenters.plan_history(plan, roles),
            "related": _related_plans(plan),
            "can_edit": selectors.is_lead(request.user, plan.team.organisation_id),
            "breadcrumbs": _team_crumbs(plan.team),
        },
    )


def _related_plans(plan: Plan) -> list[Plan]:
    """The plan's scenarios, or, for a scenario, its baseline's other scenarios."""
    if plan.scenario_of_id is None:
        return list(plan.scenarios.order_by("name"))
    return list(plan.scenario_of.scenarios.exclude(pk=plan.pk).order_by("name"))


@workspace_view(FORM)
def plan_edit(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    if plan.status == Plan.Status.AGREED:
        return _locked(request, plan)
    staffing, demand = selectors.plan_lines(plan)
    roles = forms.role_options()
    if request.method != "POST":
        return _edit_page(request, plan, forms.PlanEditor(plan, staffing, demand, roles))

    submission = forms.parse_submission(request.POST)
    if "add_rows" in request.POST:
        blank = sum(1 for row in submission.staffing if forms.row_is_blank(row))
        editor = forms.PlanEditor.redisplay(
            plan, staffing, demand, roles, submission, extra_rows=blank + forms.ADD_ROWS
        )
        return _edit_page(request, plan, editor)
    if submission.version != str(plan.version):
        return _conflict_page(request, plan, plan, submission, roles)

    editor = forms.PlanEditor(plan, staffing, demand, roles, data=request.POST)
    if not editor.is_valid():
        return _edit_page(request, plan, editor, show_errors=True)
    try:
        services.save_plan(plan=plan, user=request.user, expected_version=int(submission.version), **editor.changes())
    except PlanConflict as conflict:
        return _conflict_page(request, plan, conflict.current, submission, roles)
    except ValidationError as error:
        return _edit_page(request, plan, editor, errors=error.messages, status=409)
    messages.success(request, f"Plan saved (version {plan.version}).")
    return redirect(plan)


def _edit_page(request, plan, editor, *, show_errors=False, errors=(), conflict=None, status=200):
    field_errors = editor.field_errors() if show_errors else []
    context = {
        "plan": plan,
        "editor": editor,
        "errors": [*errors, *(editor.errors() if show_errors else [])],
        "field_errors": field_errors,
        "show_errors": show_errors,
        "conflict": conflict,
        "breadcrumbs": _plan_crumbs(plan),
    }
    return render(request, "planning/plan_edit.html", context, status=status)


def _conflict_page(request, plan, current, submission, roles):
    """Someone saved the plan since this user opened it: show who and when, what differs, and the user's input
    again, moved onto the newer version, so that one click saves it."""
    staffing, demand = selectors.plan_lines(current)
    saved_by = presenters.person(current.updated_by)
    conflict = {
        "saved_by": saved_by,
        "saved_at": current.updated_at,
        "version": current.version,
        "differences": presenters.differences(submission, current, staffing, demand, roles, saved_by),
    }
    editor = forms.PlanEditor.redisplay(
        current, staffing, demand, roles, forms.rebase_submission(submission, current, staffing, demand)
    )
    message = (
        f"{saved_by} saved a newer version of this plan (version {current.version}) on {_when(current.updated_at)}, "
        "after you opened it. Your changes have not been saved."
    )
    errors = [message]
    if current.status == Plan.Status.AGREED:
        errors.append(f"The plan is now agreed. {LOCKED_MESSAGE}")
    return _edit_page(request, plan, editor, errors=errors, conflict=conflict, status=409)


def _locked(request, plan):
    return render(
        request,
        "planning/plan_locked.html",
        {"plan": plan, "message": LOCKED_MESSAGE, "breadcrumbs": _plan_crumbs(plan)},
        status=403,
    )


@workspace_view(FORM)
def plan_copy(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    form = forms.PlanNameForm(
        _data(request),
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
        {"plan": plan, "form": form, "field_errors": _field_errors(form), "breadcrumbs": _plan_crumbs(plan)},
    )


@workspace_view(FORM)
def plan_rename(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    _require_draft(plan)
    form = forms.PlanNameForm(_data(request), initial={"name": plan.name, "version": plan.version})
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
            "field_errors": _field_errors(form),
            "breadcrumbs": _plan_crumbs(plan),
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
    _require_draft(plan)
    form = forms.VersionForm(_data(request), initial={"version": plan.version})
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
            "scenario_count": plan.scenarios.count(),
            "breadcrumbs": _plan_crumbs(plan),
        },
        status=status,
    )


@workspace_view(WRITE)
def plan_status(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        return _status_refused(request, plan, "Choose whether to agree or reopen the plan.", status=400)
    try:
        services.set_status(
            plan=plan,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except PlanConflict as conflict:
        return _status_refused(request, plan, _changed_since(conflict.current))
    except ValidationError:
        return _status_refused(request, plan, "The plan is already in that state.")
    if plan.status == Plan.Status.AGREED:
        messages.success(request, "Plan marked as agreed. It is now read only.")
    else:
        messages.success(request, "Plan reopened. It can be changed again.")
    return redirect(plan)


def _status_refused(request, plan, message, *, status=409):
    return render(
        request,
        "planning/plan_status_refused.html",
        {"plan": plan, "errors": [message], "breadcrumbs": _plan_crumbs(plan)},
        status=status,
    )

"""The planning workspace home page and teams: a lead's organisations, their teams and each team's plans.

Thin views: scope the read with `planning.selectors` (another organisation's team is a 404, exactly like a
missing one; a viewer asking to change something gets 403), validate with `planning.forms`, write with
`planning.services`, render. GET never changes anything; every POST is CSRF-protected.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from planning import forms, presenters, selectors, services
from planning.access import FORM, READ, workspace_view
from planning.breadcrumbs import trail
from planning.form_pages import field_errors, posted


@workspace_view(READ)
def home(request):
    organisations = presenters.workspace(selectors.workspace_for(request.user))
    return render(
        request,
        "planning/home.html",
        {
            "organisations": organisations,
            "leads_any": any(summary.lead for summary in organisations),
            "breadcrumbs": [("Home", reverse("roles:home"))],
        },
    )


@workspace_view(FORM)
def team_create(request):
    led = selectors.led_organisations_for(request.user)
    if not led.exists():
        raise PermissionDenied("Only workforce leads can create teams. Ask a lead of your organisation for access.")
    initial = {"organisation": request.GET.get("organisation", "")}
    form = forms.TeamCreateForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        team = services.save_team(team=form.save(commit=False), user=request.user)
        messages.success(request, f"Team {team.name} created.")
        return redirect(team)
    return _team_form(request, form, title="Create a team", breadcrumbs=trail())


@workspace_view(READ)
def team_detail(request, pk):
    team = selectors.team_for(request.user, pk)
    plans = list(selectors.team_plans_for(user=request.user, team=team))
    return render(
        request,
        "planning/team_detail.html",
        {
            "team": team,
            "groups": presenters.plan_groups(plans),
            "several": len(plans) > 1,  # so there is something to compare
            "can_edit": selectors.is_lead(request.user, team.organisation_id),
            "breadcrumbs": trail(),
        },
    )


@workspace_view(FORM)
def team_edit(request, pk):
    team = selectors.team_for(request.user, pk, edit=True)
    form = forms.TeamEditForm(posted(request), instance=copy.copy(team))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_team(
                team=form.save(commit=False), user=request.user, expected_version=form.cleaned_data["version"]
            )
        except services.TeamConflict as conflict:
            return _team_conflict(request, team, form, conflict.current)
        messages.success(request, "Team saved.")
        return redirect(saved)
    return _team_form(request, form, title=f"Edit {team.name}", breadcrumbs=trail(team), team=team)


def _team_conflict(request, team, form, current):
    """Someone saved the team since this user opened the form: say who and what differs, and give the form
    back with this user's input and the newer version, so that saving again is a deliberate choice."""
    errors = presenters.team_conflict(
        current=current,
        saved_by=selectors.team_last_saved_by(team=current),
        yours=form.cleaned_data,
        when=date_format(timezone.localtime(current.updated_at), "j F Y \\a\\t H:i"),
    )
    again = forms.TeamEditForm({**request.POST.dict(), "version": current.version}, instance=copy.copy(current))
    title = f"Edit {team.name}"
    return _team_form(request, again, title=title, breadcrumbs=trail(team), team=team, errors=errors, status=409)


def _team_form(request, form, *, title, breadcrumbs, team=None, errors=(), status=200):
    return render(
        request,
        "planning/team_form.html",
        {
            "form": form,
            "title": title,
            "team": team,
            "errors": list(errors),
            "field_errors": field_errors(form),
            "breadcrumbs": breadcrumbs,
        },
        status=status,
    )

"""The decisions a lead takes on a plan, each behind a page that says what it means and asks to confirm: agree
it, reopen it, make a scenario the team's baseline.

Thin views: scope the read with `planning.selectors` (another organisation's plan is a 404, exactly like a
missing one; a viewer gets 403), write with `planning.decisions`, render. GET never changes anything. Agreeing
and reopening are confirmed by a POST to the plan's status (`planning:plan-status`); promoting by a POST to its
own page. Each POST names the version the lead saw: when someone changed the plan since, nothing is changed
and the page is shown again with the newer version, so confirming again is a deliberate choice; when the
decision no longer applies (the plan is already agreed, already a baseline…) the page says so.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from planning import decisions, forms, presenters, selectors
from planning.access import FORM, READ, workspace_view
from planning.breadcrumbs import trail
from planning.form_pages import posted
from planning.services import PlanConflict


def _refused(request, plan, message):
    return render(
        request,
        "planning/plan_status_refused.html",
        {"plan": plan, "errors": [message], "breadcrumbs": trail(plan)},
        status=409,
    )


def _confirm(request, plan, template, *, form=None, errors=(), status=200, **shown):
    form = form or forms.VersionForm(initial={"version": plan.version})
    context = {"plan": plan, "form": form, "errors": list(errors), "breadcrumbs": trail(plan), **shown}
    return render(request, template, context, status=status)


@workspace_view(READ)
def plan_agree(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    if plan.is_locked:
        return _refused(request, plan, decisions.ALREADY_AGREED)
    return _confirm(request, plan, "planning/plan_agree.html")


@workspace_view(READ)
def plan_reopen(request, pk):
    plan = selectors.plan_for(request.user, pk, edit=True)
    if not plan.is_locked:
        return _refused(request, plan, decisions.ALREADY_OPEN)
    return _confirm(request, plan, "planning/plan_reopen.html")


PROMOTE_TEMPLATE = "planning/plan_promote.html"


@workspace_view(FORM)
def plan_promote(request, pk):
    """The scenario becomes its team's baseline; the page lists the plans that move with it."""
    plan = selectors.plan_for(request.user, pk, edit=True)
    if plan.scenario_of_id is None:
        return _refused(request, plan, decisions.ALREADY_BASELINE)
    form = forms.VersionForm(posted(request), initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            decisions.promote_to_baseline(plan=plan, user=request.user, expected_version=form.cleaned_data["version"])
        except PlanConflict:
            return _promote_again(request, pk)
        except ValidationError as error:
            return _refused(request, plan, " ".join(error.messages))
        messages.success(request, f"{plan.name} is now the baseline of {plan.team.name}.")
        return redirect(plan)
    return _confirm(request, plan, PROMOTE_TEMPLATE, form=form, moving=selectors.related_plans(plan=plan))


def _promote_again(request, pk):
    """Someone changed the scenario (or promoted another) after the page was opened: nothing was changed. Show
    the page again as things are now, with the newer version, or say why promoting no longer applies."""
    current = selectors.plan_for(request.user, pk, edit=True)
    if current.scenario_of_id is None:
        return _refused(request, current, decisions.ALREADY_BASELINE)
    when = date_format(timezone.localtime(current.updated_at), "j F Y \\a\\t H:i")
    message = (
        f"{presenters.person(current.updated_by)} changed {current.name} on {when}, after you opened this page. "
        "Nothing has been changed. Check what the page says now, then confirm again."
    )
    return _confirm(
        request,
        current,
        PROMOTE_TEMPLATE,
        errors=[message],
        status=409,
        moving=selectors.related_plans(plan=current),
    )

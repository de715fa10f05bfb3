"""The decisions a lead takes on a plan, each behind a confirmation page: agree it, reopen it, make a scenario
the team's baseline.

Thin views: scope the read with `planning.selectors` (another organisation's plan is a 404, exactly like a
missing one; a viewer gets 403), write with `planning.decisions`, render. GET shows what the decision means
and asks to confirm; only the confirming POST (CSRF-protected, naming the version the lead saw) changes
anything. When someone changed the plan after the page was opened, the page is shown again with what changed
and the newer version, so confirming again is a deliberate choice; when the decision no longer applies (the
plan is already agreed, already a baseline…) nothing is changed and the page says why.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from planning import decisions, forms, presenters, selectors
from planning.access import FORM, workspace_view
from planning.breadcrumbs import trail
from planning.form_pages import posted
from planning.services import PlanConflict


def _decide(request, pk, *, template, applies, decide, done, shows=lambda plan: {}):
    """The confirmation page of one decision (`applies(plan)`: None when it can be taken, else why not; `shows(plan)`:
    what else the page shows), and its confirming POST (`decide(plan=, user=, expected_version=)`, then the
    `done(plan)` message)."""
    plan = selectors.plan_for(request.user, pk, edit=True)
    refusal = applies(plan)
    if refusal:
        return _refused(request, plan, refusal)
    form = forms.VersionForm(posted(request), initial={"version": plan.version})
    errors, status = [], 200
    if request.method == "POST" and form.is_valid():
        try:
            decide(plan=plan, user=request.user, expected_version=form.cleaned_data["version"])
        except PlanConflict as conflict:
            current = selectors.plan_for(request.user, pk, edit=True)
            refusal = applies(current)
            if refusal:
                return _refused(request, current, refusal)
            errors, status = [_changed_since(conflict.current)], 409
            plan, form = current, forms.VersionForm(initial={"version": current.version})
        except ValidationError as error:
            return _refused(request, plan, " ".join(error.messages))
        else:
            messages.success(request, done(plan))
            return redirect(plan)
    context = {"plan": plan, "form": form, "errors": errors, "breadcrumbs": trail(plan)}
    return render(request, template, {**context, **shows(plan)}, status=status)


def _changed_since(current) -> str:
    when = date_format(timezone.localtime(current.updated_at), "j F Y \\a\\t H:i")
    return (
        f"{presenters.person(current.updated_by)} changed this plan on {when}, after you opened this page. Nothing "
        f"has been changed. Check what the plan is now (version {current.version}), then confirm again."
    )


def _refused(request, plan, message):
    return render(
        request,
        "planning/plan_status_refused.html",
        {"plan": plan, "errors": [message], "breadcrumbs": trail(plan)},
        status=409,
    )


@workspace_view(FORM)
def plan_agree(request, pk):
    return _decide(
        request,
        pk,
        template="planning/plan_agree.html",
        applies=lambda plan: decisions.ALREADY_AGREED if plan.is_locked else None,
        decide=decisions.agree_plan,
        done=lambda plan: "Plan marked as agreed. It is now read only.",
    )


@workspace_view(FORM)
def plan_reopen(request, pk):
    return _decide(
        request,
        pk,
        template="planning/plan_reopen.html",
        applies=lambda plan: None if plan.is_locked else decisions.ALREADY_OPEN,
        decide=decisions.reopen_plan,
        done=lambda plan: "Plan reopened. It can be changed again.",
    )


@workspace_view(FORM)
def plan_promote(request, pk):
    return _decide(
        request,
        pk,
        template="planning/plan_promote.html",
        applies=lambda plan: decisions.ALREADY_BASELINE if plan.scenario_of_id is None else None,
        decide=decisions.promote_to_baseline,
        done=lambda plan: f"{plan.name} is now the baseline of {plan.team.name}.",
        shows=lambda plan: {"moving": selectors.related_plans(plan=plan)},  # the old baseline's other scenarios
    )

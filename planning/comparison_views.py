"""Two plans side by side, and an organisation's teams added up. Thin views: every read goes through
`planning.selectors` (a plan or organisation the user cannot read is a 404, exactly like a missing one); the
figures come from `planning.rollup`, which runs the engine on inputs loaded in one batch."""

from django.shortcuts import redirect, render
from django.urls import reverse

from planning import rollup, selectors
from planning.views import READ, workspace_view

COMPARE_TEMPLATE = "planning/plan_compare.html"
CHOOSE_MESSAGE = "Choose a plan to compare with"


def _plan_crumbs(plan):
    return [
        ("Planning", reverse("planning:home")),
        (plan.team.name, plan.team.get_absolute_url()),
        (plan.name, plan.get_absolute_url()),
    ]


def _choices(user, plan):
    """The other plans of the plan's team, for the "Compare with" select: baselines first, then by name."""
    others = selectors.plans_for(user).filter(team_id=plan.team_id).exclude(pk=plan.pk)
    return sorted(others, key=lambda other: (other.scenario_of_id is not None, other.name.lower(), other.pk))


@workspace_view(READ)
def plan_compare_pick(request, pk):
    """The plan page's "Compare with" form lands here (`?with=<id>`) and is sent on to the comparison. Without a
    choice it shows the choice again, with an error; a plan the user cannot read is a 404."""
    plan = selectors.plan_for(request.user, pk)
    chosen = request.GET.get("with", "").strip()
    if chosen.isdigit():
        other = selectors.plan_for(request.user, chosen)
        return redirect("planning:plan-compare", pk=plan.pk, other_pk=other.pk)
    asked = "with" in request.GET
    context = {
        "plan": plan,
        "choices": _choices(request.user, plan),
        "field_errors": [("compare-with", CHOOSE_MESSAGE)] if asked else [],
        "choose_error": CHOOSE_MESSAGE if asked else "",
        "breadcrumbs": _plan_crumbs(plan),
    }
    return render(request, COMPARE_TEMPLATE, context, status=400 if asked else 200)


@workspace_view(READ)
def plan_compare(request, pk, other_pk):
    plan = selectors.plan_for(request.user, pk)
    other = selectors.plan_for(request.user, other_pk)
    context = {
        "plan": plan,
        "other": other,
        "page": rollup.plan_comparison(plan, other),
        "choices": _choices(request.user, plan),
        "breadcrumbs": _plan_crumbs(plan),
    }
    return render(request, COMPARE_TEMPLATE, context)


@workspace_view(READ)
def organisation_rollup(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    teams = selectors.teams_for(request.user).filter(organisation=organisation).order_by("name", "pk")
    baselines = (
        selectors.plans_for(request.user)
        .filter(team__organisation=organisation, scenario_of__isnull=True)
        .select_related("team__team_type")
    )
    return render(
        request,
        "planning/organisation_rollup.html",
        {
            "organisation": organisation,
            "page": rollup.organisation_rollup(organisation, teams, baselines),
            "breadcrumbs": [("Planning", reverse("planning:home"))],
        },
    )

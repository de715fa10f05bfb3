"""Two plans side by side, and an organisation's teams added up. Thin views: every read goes through
`planning.selectors` (a plan or organisation the user cannot read is a 404, exactly like a missing one); the
figures come from `planning.comparison_tables` and `planning.organisation_rollup`, which run the engine on
inputs loaded in one batch."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from planning import rollup_page, selectors
from planning.access import READ, workspace_view
from planning.breadcrumbs import trail
from planning.comparison_tables import BREAKDOWNS, BY_ROLE, breakdown, plan_comparison
from planning.organisation_rollup import organisation_rollup as rolled_up

COMPARE_TEMPLATE = "planning/plan_compare.html"
CHOOSE_MESSAGE = "Choose a plan to compare with"


def _choices(user, plan):
    """The other plans of the plan's team, for the "Compare with" select: baselines first, then by name."""
    others = selectors.other_team_plans_for(user=user, plan=plan)
    return sorted(others, key=lambda other: (other.scenario_of_id is not None, other.name.lower(), other.pk))


@workspace_view(READ)
def plan_compare_pick(request, pk):
    """The plan page's "Compare with" form lands here (`?with=<id>`) and is sent on to the comparison. Without a
    choice it shows the choice again, with an error; a plan the user cannot read is a 404. A breakdown (`?by=`)
    other than by role is kept."""
    plan = selectors.plan_for(request.user, pk)
    chosen = request.GET.get("with", "").strip()
    if chosen.isdigit():
        other = selectors.plan_for(request.user, chosen)
        url = reverse("planning:plan-compare", kwargs={"pk": plan.pk, "other_pk": other.pk})
        by = breakdown(request.GET.get("by"))  # comparing again keeps the breakdown shown
        return redirect(url if by == BY_ROLE else f"{url}?by={by.key}")
    asked = "with" in request.GET
    context = {
        "plan": plan,
        "choices": _choices(request.user, plan),
        "field_errors": [("compare-with", CHOOSE_MESSAGE)] if asked else [],
        "choose_error": CHOOSE_MESSAGE if asked else "",
        "breadcrumbs": trail(plan),
    }
    return render(request, COMPARE_TEMPLATE, context, status=400 if asked else 200)


@workspace_view(READ)
def plan_compare(request, pk, other_pk):
    plan = selectors.plan_for(request.user, pk)
    other = selectors.plan_for(request.user, other_pk)
    by = breakdown(request.GET.get("by"))
    context = {
        "plan": plan,
        "other": other,
        "page": plan_comparison(plan, other, by=by),
        "breakdowns": BREAKDOWNS,
        "choices": _choices(request.user, plan),
        "breadcrumbs": trail(plan),
    }
    return render(request, COMPARE_TEMPLATE, context)


@workspace_view(READ)
def organisation_rollup(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    teams = selectors.organisation_teams_for(user=request.user, organisation=organisation)
    baselines = selectors.baseline_plans_for(user=request.user, organisation=organisation)
    body, page = rollup_page.rendered(organisation, teams, baselines)  # reused while nothing it shows changes
    return render(
        request,
        "planning/organisation_rollup.html",
        {
            "organisation": organisation,
            "body": body,
            "page": page or SimpleLazyObject(lambda: rolled_up(organisation, teams, baselines)),
            "breadcrumbs": trail(),
        },
    )

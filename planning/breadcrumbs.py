"""The breadcrumb trail of a planning page, for `templates/includes/breadcrumbs.html`."""

from django.urls import reverse

from planning.models import Plan


def trail(*objects) -> list[tuple[str, str]]:
    """Planning, then each of `objects` (an organisation, a team or a plan) with its link. A plan brings its
    team first: `trail(plan)` is Planning › the plan's team › the plan."""
    crumbs = [("Planning", reverse("planning:home"))]
    for item in objects:
        if isinstance(item, Plan):
            crumbs.append((item.team.name, item.team.get_absolute_url()))
        crumbs.append((item.name, item.get_absolute_url()))
    return crumbs

"""What the planning reference data adds to a public role profile (see `roles.profile_sections`)."""

from django.db.models import Q

from planning.models import GuidanceTarget
from roles.models import Role
from roles.profile_sections import Section


def national_figures(role: Role) -> Section | None:
    """The national workforce figures that name this role or its family: context, not targets a team is checked
    against. One query."""
    targets = list(
        GuidanceTarget.objects.filter(scope=GuidanceTarget.Scope.NATIONAL)
        .filter(Q(role=role) | Q(family_id=role.family_id))
        .order_by("year", "label")
    )
    if not targets:
        return None
    return Section("planning/includes/role_national_figures.html", {"national_figures": targets})

"""Scoped reads for the planning workspace.

Every function takes the user and returns only what that user's memberships allow: anything else is
indistinguishable from a missing object (Http404). Viewers may read; only leads may change (a viewer
asking to change something they can see gets PermissionDenied). Superusers get no special access here:
they support users through the admin.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from planning.models import DemandLine, Membership, Organisation, Plan, StaffingLine, Team


def organisations_for(user) -> QuerySet:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def led_organisations_for(user) -> QuerySet:
    # One filter() call, so that the user and the access are conditions on the same membership row (two
    # chained filters on a multi-valued relation would join twice and match a viewer whose organisation
    # has some other lead).
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__access=Membership.Access.LEAD)


def teams_for(user) -> QuerySet:
    return Team.objects.filter(organisation__in=organisations_for(user).values("pk"))


def plans_for(user) -> QuerySet:
    return Plan.objects.filter(team__organisation__in=organisations_for(user).values("pk"))


def is_lead(user, organisation_id: int) -> bool:
    return Membership.objects.filter(user=user, organisation_id=organisation_id, access=Membership.Access.LEAD).exists()


def _get(queryset: QuerySet, pk, what: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {what} found") from None


def _require_lead(user, organisation_id: int) -> None:
    if not is_lead(user, organisation_id):
        raise PermissionDenied("Only workforce leads of this organisation can change it.")


def organisation_for(user, pk, *, edit: bool = False) -> Organisation:
    organisation = _get(organisations_for(user), pk, "organisation")
    if edit:
        _require_lead(user, organisation.pk)
    return organisation


def team_for(user, pk, *, edit: bool = False) -> Team:
    team = _get(teams_for(user).select_related("organisation", "team_type"), pk, "team")
    if edit:
        _require_lead(user, team.organisation_id)
    return team


def plan_for(user, pk, *, edit: bool = False) -> Plan:
    plan = _get(
        plans_for(user).select_related("team__organisation", "team__team_type", "scenario_of", "updated_by"),
        pk,
        "plan",
    )
    if edit:
        _require_lead(user, plan.team.organisation_id)
    return plan


def workspace_for(user) -> list[Organisation]:
    """The user's organisations with their teams and plans, for the workspace home page."""
    plans = Plan.objects.select_related("scenario_of").annotate(staffing_line_count=Count("staffing_lines"))
    teams = Team.objects.select_related("team_type").prefetch_related(Prefetch("plans", queryset=plans))
    return list(
        organisations_for(user)
        .prefetch_related(
            Prefetch("teams", queryset=teams),
            Prefetch("memberships", queryset=Membership.objects.filter(user=user), to_attr="my_memberships"),
        )
        .order_by("name")
    )


def plan_lines(plan: Plan) -> tuple[list[StaffingLine], list[DemandLine]]:
    staffing = list(plan.staffing_lines.select_related("role__family"))
    demand = list(plan.demand_lines.all())
    return staffing, demand

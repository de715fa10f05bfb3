"""Every read of the planning workspace: views, presenters, the dashboard and the roll-up query through here.

Reads of a user's data take the user and return only what that user's memberships allow: anything else is
indistinguishable from a missing object (Http404). Viewers may read; only leads may change (a viewer
asking to change something they can see gets PermissionDenied). Superusers get no special access here:
they support users through the admin. Functions taking a plan, team or organisation expect one already
reached through these scoped reads. Reference data (targets, pay scales, role families) is public.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from planning import models
from planning.models import (
    DemandLine,
    GuidanceTarget,
    Membership,
    Organisation,
    PayScale,
    Plan,
    StaffingLine,
    Team,
    TeamTypeCapability,
    pay_year_tables,
)
from roles.models import RoleFamily

User = AbstractBaseUser | AnonymousUser


def organisations_for(user: User) -> QuerySet:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def led_organisations_for(user: User) -> QuerySet:
    # One filter() call, so that the user and the access are conditions on the same membership row (two
    # chained filters on a multi-valued relation would join twice and match a viewer whose organisation
    # has some other lead).
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__access=Membership.Access.LEAD)


def teams_for(user: User) -> QuerySet:
    return Team.objects.filter(organisation__in=organisations_for(user).values("pk"))


def plans_for(user: User) -> QuerySet:
    return Plan.objects.filter(team__organisation__in=organisations_for(user).values("pk"))


def is_lead(user: User, organisation_id: int) -> bool:
    return Membership.objects.filter(user=user, organisation_id=organisation_id, access=Membership.Access.LEAD).exists()


def _get(queryset: QuerySet, pk, what: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {what} found") from None


def _require_lead(user: User, organisation_id: int) -> None:
    if not is_lead(user, organisation_id):
        raise PermissionDenied("Only workforce leads of this organisation can change it.")


def organisation_for(user: User, pk, *, edit: bool = False) -> Organisation:
    organisation = _get(organisations_for(user), pk, "organisation")
    if edit:
        _require_lead(user, organisation.pk)
    return organisation


def team_for(user: User, pk, *, edit: bool = False) -> Team:
    team = _get(teams_for(user).select_related("organisation", "team_type"), pk, "team")
    if edit:
        _require_lead(user, team.organisation_id)
    return team


def plan_for(user: User, pk, *, edit: bool = False) -> Plan:
    plan = _get(
        plans_for(user).select_related("team__organisation", "team__team_type", "scenario_of", "updated_by"),
        pk,
        "plan",
    )
    if edit:
        _require_lead(user, plan.team.organisation_id)
    return plan


def plan_with_access_for(user: User, pk) -> tuple[Plan, bool]:
    """`plan_for` and `is_lead` for its organisation, in one query (for the plan's page)."""
    leads = Membership.objects.filter(
        user_id=user.pk, organisation_id=OuterRef("team__organisation_id"), access=Membership.Access.LEAD
    )
    plan = _get(
        plans_for(user)
        .select_related("team__organisation", "team__team_type", "scenario_of", "updated_by")
        .annotate(user_is_lead=Exists(leads)),
        pk,
        "plan",
    )
    return plan, plan.user_is_lead


def workspace_for(user: User) -> list[Organisation]:
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


# --- A team's plans ---------------------------------------------------------------------------------------


def team_plans_for(*, user: User, team: Team) -> QuerySet:
    """The team's plans the user can read, with who last saved them and what they are scenarios of."""
    return plans_for(user).filter(team=team).select_related("updated_by", "scenario_of")


def other_team_plans_for(*, user: User, plan: Plan) -> list[Plan]:
    """The other plans of the plan's team that the user can read, by name (for "Compare with")."""
    return list(plans_for(user).filter(team_id=plan.team_id).exclude(pk=plan.pk).order_by("name", "pk"))


def related_plans(*, plan: Plan) -> list[Plan]:
    """The plan's scenarios, or, for a scenario, its baseline's other scenarios (all in the plan's team)."""
    if plan.scenario_of_id is None:
        return list(plan.scenarios.order_by("name"))
    return list(plan.scenario_of.scenarios.exclude(pk=plan.pk).order_by("name"))


@dataclass(frozen=True)
class TeamPlans:
    """A plan's neighbours for its page, from one read of its team's plans: `related` as `related_plans` gives
    them, `others` as `other_team_plans_for` (every plan of a team the user can read is readable by them)."""

    related: list[Plan]
    others: list[Plan]


def team_plans_around(*, plan: Plan) -> TeamPlans:
    """`related_plans` and `other_team_plans_for` in one query (scenarios are always in their baseline's team).
    `plan` must come from `plan_for`, so the user can read its team and so every plan in it."""
    team = list(
        Plan.objects.filter(team_id=plan.team_id)
        .exclude(pk=plan.pk)
        .only("pk", "team_id", "name", "status", "scenario_of_id")
        .order_by("name", "pk")
    )
    baseline = plan.pk if plan.scenario_of_id is None else plan.scenario_of_id
    return TeamPlans(related=[other for other in team if other.scenario_of_id == baseline], others=team)


def scenario_count(*, plan: Plan) -> int:
    return plan.scenarios.count()


# --- An organisation's roll-up ----------------------------------------------------------------------------


def organisation_teams_for(*, user: User, organisation: Organisation) -> QuerySet:
    return teams_for(user).filter(organisation=organisation).order_by("name", "pk")


def baseline_plans_for(*, user: User, organisation: Organisation) -> QuerySet:
    """The organisation's plans that are not scenarios (with their team's type), scoped to the user."""
    return (
        plans_for(user)
        .filter(team__organisation=organisation, scenario_of__isnull=True)
        .select_related("team__team_type")
    )


# --- Reference data ---------------------------------------------------------------------------------------


def modelling_defaults(*, team_type_id: int) -> dict[str, bool]:
    """Capability slug → whether the team type's minimum FTE for it is a modelling default (one query)."""
    rows = TeamTypeCapability.objects.filter(team_type_id=team_type_id).values_list(
        "capability__slug", "modelling_default"
    )
    return dict(rows)


def team_type_targets(*, team_type_id: int) -> dict[str, GuidanceTarget]:
    """Target slug → the guidance targets set for the team type (one query)."""
    targets = GuidanceTarget.objects.filter(scope=GuidanceTarget.Scope.TEAM_TYPE, team_type_id=team_type_id)
    return {target.slug: target for target in targets}


def pay_year_choices() -> list[tuple[str, str]]:
    """The pay years the portal has tables for, latest first, each saying whether any of its figures are not
    confirmed against the published tables (one query)."""
    return [
        (year, year if confirmed else f"{year} (some figures not confirmed)")
        for year, confirmed in pay_year_tables().items()
    ]


def pay_years() -> list[str]:
    """The pay years the portal has tables for, latest first (one query): the years an imported file may name."""
    return models.pay_years()


def pay_scale_rows() -> list[PayScale]:
    """Every pay table row, oldest year first (one query; a few dozen rows)."""
    return list(PayScale.objects.order_by("year", "band"))


def role_families_by_slug(*, slugs: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Role family slug → (catalogue order, name), from the public catalogue (one query)."""
    rows = RoleFamily.objects.filter(slug__in=list(slugs)).values_list("slug", "order", "name")
    return {slug: (order, name) for slug, order, name in rows}


# --- A plan's history -------------------------------------------------------------------------------------


@dataclass
class HistoryTrail:
    """The latest history records of one kind of object, newest first, each annotated with
    `previous_history_id`, and those previous records by history id."""

    records: list
    previous: dict


@dataclass
class PlanHistory:
    plan: HistoryTrail
    staffing: HistoryTrail
    demand: HistoryTrail


def plan_history(*, plan: Plan, limit: int) -> PlanHistory:
    """Up to `limit` records each of the plan, its staffing lines and its demand lines, with the records
    before them: six queries whatever the plan's size."""
    return PlanHistory(
        plan=_trail(Plan.history.filter(id=plan.pk), limit),
        staffing=_trail(StaffingLine.history.filter(plan_id=plan.pk), limit),
        demand=_trail(DemandLine.history.filter(plan_id=plan.pk), limit),
    )


def _trail(queryset: QuerySet, limit: int) -> HistoryTrail:
    model = queryset.model
    previous = (
        model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    records = list(
        queryset.select_related("history_user")
        .annotate(previous_history_id=Subquery(previous))
        .order_by("-history_date", "-history_id")[:limit]
    )
    ids = [record.previous_history_id for record in records if record.previous_history_id]
    before = {record.history_id: record for record in model.objects.filter(history_id__in=ids)} if ids else {}
    return HistoryTrail(records=records, previous=before)


def team_last_saved_by(*, team: Team):
    """Who saved the team last (from its history), or None when nobody is recorded."""
    record = team.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    return record.history_user if record else None

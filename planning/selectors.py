"""Every read of the planning workspace: views, presenters, the dashboard and the roll-up query through here.

Reads of a user's data take the user and return only what that user's memberships allow: anything else is
indistinguishable from a missing object (Http404). Viewers may read; only leads may change (a viewer
asking to change something they can see gets PermissionDenied). Superusers get no special access here:
they support users through the admin. Functions taking a plan, team or organisation expect one already
reached through these scoped reads. Reference data (targets, pay scales, role families) is public.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
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


LEAD_ONLY = "Only workforce leads of this organisation can change it."


def _require_lead(user: User, organisation_id: int) -> None:
    if not is_lead(user, organisation_id):
        raise PermissionDenied(LEAD_ONLY)


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
    plan, lead = plan_with_access_for(user, pk)
    if edit and not lead:
        raise PermissionDenied(LEAD_ONLY)
    return plan


def plan_with_access_for(user: User, pk) -> tuple[Plan, bool]:
    """The plan if `user` is a member of its organisation (else Http404), with its team, organisation, team type,
    baseline and last editor, and whether the user leads the organisation: one query.

    Every plan page starts here, so the query is written once per process from the models' own metadata
    (`_plan_read`) rather than compiled by the ORM on every request (which took about 1.5 ms of a 6 ms page). The
    scoping is the same as `plans_for`: an inner join on the user's membership of the plan's organisation."""
    plan_id = _plan_id(pk)
    read = _plan_read(connection.vendor)
    row = None
    if user.is_authenticated and plan_id is not None:
        params = [user.pk, plan_id]
        with connection.cursor() as cursor:
            cursor.execute(read.sql, params)
            row = cursor.fetchone()
    if row is None:
        raise Http404("No plan found")
    return read.build(row), row[-1] == Membership.Access.LEAD


def _plan_id(pk) -> int | None:
    """`pk` as a plan id, or None when it cannot be one (not a whole number, or beyond the column's range, which
    the ORM would also answer with "not found")."""
    try:
        value = int(pk)
    except (ValueError, TypeError):
        return None
    low, high = connection.ops.integer_field_range(Plan._meta.pk.get_internal_type())
    return value if (low is None or value >= low) and (high is None or value <= high) else None


@dataclass(frozen=True)
class _Columns:
    sql: list[str]
    converters: list  # (column expression, its converters), one a column


def _columns(alias: str, fields) -> _Columns:
    quote = connection.ops.quote_name
    selected = _Columns(sql=[], converters=[])
    for field in fields:
        selected.sql.append(f"{quote(alias)}.{quote(field.column)}")
        column = field.get_col(alias)
        selected.converters.append(
            (column, tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection)))
        )
    return selected


def _converted(row, converters) -> list:
    """The row's values as the ORM gives them: the backend's and each field's converters applied (aware
    datetimes, decimals, JSON)."""
    return [
        functools.reduce(lambda value, convert: convert(value, column, connection), functions, value)
        for value, (column, functions) in zip(row, converters, strict=False)
    ]


@dataclass(frozen=True)
class _PlanRead:
    """The SQL of `plan_with_access_for` and how to turn its row into a Plan with its related objects cached."""

    sql: str
    parts: tuple  # (name, name of the object holding the relation, its field, model, number of columns), in order
    converters: tuple  # (column expression, its converters) for each column but the last (the access)

    def build(self, row) -> Plan:
        row = _converted(row, self.converters)
        objects, start = {}, 0
        db = connection.alias
        for name, holder, field, model, width in self.parts:
            values = row[start : start + width]
            start += width
            instance = None if values[0] is None else model.from_db(db, None, values)  # a missing LEFT JOIN row
            objects[name] = instance
            if holder is not None:
                field.set_cached_value(objects[holder], instance)
        return objects["plan"]


@functools.cache
def _plan_read(vendor: str) -> _PlanRead:
    quote = connection.ops.quote_name
    user_model = Plan._meta.get_field("updated_by").related_model
    # (name, holder, field on the holder, model, join): `plan` first, each other part joined to its holder
    plan_fk, team_fk = Plan._meta.get_field, Team._meta.get_field
    parts = [
        ("plan", None, None, Plan, None),
        ("team", "plan", plan_fk("team"), Team, "INNER"),
        ("organisation", "team", team_fk("organisation"), Organisation, "INNER"),
        ("team_type", "team", team_fk("team_type"), team_fk("team_type").related_model, "INNER"),
        ("scenario_of", "plan", plan_fk("scenario_of"), Plan, "LEFT"),
        ("updated_by", "plan", plan_fk("updated_by"), user_model, "LEFT"),
    ]
    columns, joins, shapes, converters = [], [], [], []
    for name, holder, field, model, join in parts:
        selected = _columns(name, model._meta.concrete_fields)
        columns += selected.sql
        converters += selected.converters
        table = f"{quote(model._meta.db_table)} {quote(name)}"
        if join is None:
            joins.append(f"FROM {table}")
        else:
            on = f"{quote(name)}.{quote(model._meta.pk.column)} = {quote(holder)}.{quote(field.column)}"
            joins.append(f"{join} JOIN {table} ON {on}")
        shapes.append((name, holder, field, model, len(model._meta.concrete_fields)))
    membership = Membership._meta
    member = lambda name: quote(membership.get_field(name).column)  # noqa: E731
    joins.append(
        f"INNER JOIN {quote(membership.db_table)} {quote('membership')} "
        f"ON {quote('membership')}.{member('organisation')} = {quote('team')}.{quote(team_fk('organisation').column)} "
        f"AND {quote('membership')}.{member('user')} = %s"
    )
    sql = (
        f"SELECT {', '.join(columns)}, {quote('membership')}.{member('access')} {' '.join(joins)} "
        f"WHERE {quote('plan')}.{quote(Plan._meta.pk.column)} = %s"
    )
    return _PlanRead(sql=sql, parts=tuple(shapes), converters=tuple(converters))


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
    `plan` must come from `plan_for`, so the user can read its team and so every plan in it. Like
    `plan_with_access_for`, the query is written once per process (the plan's page asks on every request)."""
    sql, converters, attnames = _team_plans_read(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [plan.team_id, plan.pk])
        rows = cursor.fetchall()
    team = [Plan.from_db(connection.alias, attnames, _converted(row, converters)) for row in rows]
    baseline = plan.pk if plan.scenario_of_id is None else plan.scenario_of_id
    return TeamPlans(related=[other for other in team if other.scenario_of_id == baseline], others=team)


@functools.cache
def _team_plans_read(vendor: str) -> tuple[str, list, list[str]]:
    """The SQL of `Plan.objects.filter(team_id=…).exclude(pk=…).only(pk, team, name, status, scenario_of)
    .order_by("name", "pk")`, its converters and the fields it reads."""
    quote = connection.ops.quote_name
    wanted = {"id", "team_id", "name", "status", "scenario_of_id"}
    fields = [field for field in Plan._meta.concrete_fields if field.attname in wanted]  # in the model's order
    selected = _columns("plan", fields)
    column = lambda name: f"{quote('plan')}.{quote(Plan._meta.get_field(name).column)}"  # noqa: E731
    table = f"{quote(Plan._meta.db_table)} {quote('plan')}"
    where = f"{column('team')} = %s AND NOT ({column('id')} = %s)"
    order = f"{column('name')} ASC, {column('id')} ASC"
    # Names from the models' metadata; the values are parameters.
    sql = f"SELECT {', '.join(selected.sql)} FROM {table} WHERE {where} ORDER BY {order}"  # noqa: S608
    return sql, selected.converters, [field.attname for field in fields]


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

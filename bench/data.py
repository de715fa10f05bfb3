"""The benchmark's data, added to a database that has the reference and demo data: a 200-line plan in the first
demo trust, and an organisation of 50 teams (each with a 15-line baseline plan) led by the same demo lead.

Run by `bench/pages.py` (`DJANGO_SETTINGS_MODULE=bench.settings python -m bench.data <lead username>`); prints the
ids it made as JSON.
"""

import json
import sys
from decimal import Decimal
from itertools import cycle

import django


def staffing_lines(roles, count: int, offset: int = 0) -> list[dict]:
    lines = []
    for index, role in zip(range(count), cycle(roles), strict=False):
        band = role.band_min or 5
        lines.append(
            {
                "role_id": role.pk,
                "band": band,
                "fte": Decimal("1.0") + Decimal((index + offset) % 5) / 4,
                "establishment_fte": Decimal("1.5") + Decimal(index % 3) / 2,
                "attrition_pct": Decimal((index % 4) * 3),
                "recruitment_fte_per_year": Decimal("0.2") if index % 6 == 0 else Decimal("0"),
            }
        )
    return lines


def demand_lines(scale: int) -> list[dict]:
    return [{"tier": tier, "caseload": 40 * scale, "hours_per_person_per_week": Decimal("1.5")} for tier in (1, 2, 3)]


def plan_with_lines(*, services, team, user, name: str, lines: list[dict], demand: list[dict], horizon: int):
    plan = services.create_plan(
        team=team, user=user, values={"name": name, "start_year": 2026, "horizon_years": horizon}
    )
    services.save_plan(
        plan=plan,
        user=user,
        expected_version=plan.version,
        assumptions={},
        staffing=services.LineChanges({}, lines, []),
        demand=services.LineChanges({}, demand, []),
    )
    return plan


def main(lead_username: str) -> dict:
    django.setup()
    from django.contrib.auth import get_user_model

    from planning import services
    from planning.models import Membership, Organisation, Team, TeamType
    from roles.models import Role

    lead = get_user_model().objects.get(username=lead_username)
    roles = list(Role.objects.filter(band_min__isnull=False).order_by("name"))
    team_types = list(TeamType.objects.order_by("name"))
    home_team = Team.objects.filter(organisation__memberships__user=lead).order_by("pk").first()
    big = plan_with_lines(
        services=services,
        team=home_team,
        user=lead,
        name="Bench plan of 200 lines",
        lines=staffing_lines(roles, 200),
        demand=demand_lines(10),
        horizon=10,
    )
    organisation = Organisation.objects.create(
        name="Bench organisation of 50 teams", slug="bench-50-teams", ods_code="ZZBEN", kind="trust", is_demo=True
    )
    Membership.objects.create(user=lead, organisation=organisation, access=Membership.Access.LEAD)
    for number in range(1, 51):
        team = Team.objects.create(
            organisation=organisation,
            team_type=team_types[number % len(team_types)],
            name=f"Team {number:02d}",
            population_served=100_000 + number * 1000,
        )
        plan_with_lines(
            services=services,
            team=team,
            user=lead,
            name=f"Team {number:02d} baseline",
            lines=staffing_lines(roles, 15, offset=number),
            demand=demand_lines(1),
            horizon=5,
        )
    return {"plan": big.pk, "organisation": organisation.pk}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))

"""Shared by the API tests: a world of two organisations with tokens, and JSON helpers."""

from types import SimpleNamespace

from django.contrib.auth.models import Group, User
from django.test import Client

from nwwmh_portal import tokens
from planning import services
from tests.planning.test_workspace import make_world


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def api_world() -> SimpleNamespace:
    """`make_world()` (Northshire: lead Lena and viewer Vic; Southshire: lead Olu) plus a scenario of A's plan and
    tokens: Lena's, Olu's, a revoked one of Lena's, and a curator's (no membership)."""
    world = make_world()
    world.scenario = services.copy_as_scenario(plan=world.plan, user=world.lead, name="Scenario of A")
    world.curator = User.objects.create_user("cura", is_staff=True)
    world.curator.groups.add(*Group.objects.filter(name__in=["Curators", "Publishers"]))
    world.token_a = tokens.create_token(user=world.lead, name="Power BI", lifetime_days=90)
    world.token_b = tokens.create_token(user=world.other_lead, name="Excel", lifetime_days=90)
    world.revoked = tokens.create_token(user=world.lead, name="Old laptop", lifetime_days=30)
    tokens.revoke_token(token=world.revoked.token)
    world.curator_token = tokens.create_token(user=world.curator, name="Curation", lifetime_days=30)
    return world


def all_results(client: Client, url: str, **headers) -> list[dict]:
    """Every result of a paginated list, following `next` links."""
    results = []
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        results.extend(body["results"])
        url = body["next"]
    return results

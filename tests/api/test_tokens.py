"""Personal access tokens: made by leads on /account/tokens/, shown once, stored hashed, revocable, expiring,
and every use logged (when, which token, what was read, what it got)."""

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.utils import timezone

from nwwmh_portal import tokens
from nwwmh_portal.models import AccessToken, AccessTokenUse
from tests.factories import api_world, client_for
from tests.helpers import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return api_world()


def secret_on(page: str) -> str:
    match = re.search(r'<code id="new-token">(nwwmh_[\w-]+)</code>', page)
    assert match, "the new token is not on the page"
    return match.group(1)


def every_stored_value() -> str:
    """Everything in the tokens tables, as text, to show a secret is nowhere in the database."""
    with connection.cursor() as cursor:
        rows = []
        for table in (AccessToken._meta.db_table, AccessTokenUse._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (table names from the models)
            rows.extend(cursor.fetchall())
    return repr(rows)


def test_a_lead_creates_a_token_that_is_shown_once_and_stored_hashed(client, world):
    client = client_for(world.lead)
    assert client.get("/account/tokens/new/").status_code == 200
    response = client.post("/account/tokens/new/", {"name": "Power BI report", "lifetime_days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    secret = secret_on(page)
    assert "This is the only time the token is shown" in page
    token = AccessToken.objects.get(name="Power BI report")
    assert token.user == world.lead
    assert token.scope == AccessToken.Scope.READ
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(secret) > 40
    assert secret not in every_stored_value()
    assert datetime.timedelta(days=29) < token.expires_at - timezone.now() <= datetime.timedelta(days=30)
    # Never shown again.
    for url in ("/account/tokens/", f"/account/tokens/{token.pk}/"):
        later = client.get(url).content.decode()
        assert secret not in later
        assert token.prefix in later
    assert client.get("/api/v1/plans/", **bearer(secret)).status_code == 200


def test_form_errors_are_shown(client, world):
    response = client_for(world.lead).post("/account/tokens/new/", {"name": "  ", "lifetime_days": "7"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter what the token is for" in page
    assert "Select a valid choice" in page
    assert not AccessToken.objects.filter(user=world.lead, name="").exists()


def test_only_leads_create_tokens(client, world):
    viewer = client_for(world.viewer)
    assert "Only workforce leads" in viewer.get("/account/tokens/").content.decode()
    refused = viewer.get("/account/tokens/new/")
    assert refused.status_code == 403
    assert '<a href="/account/tokens/">Go to your API tokens</a>' in refused.content.decode()
    before = AccessToken.objects.count()
    assert viewer.post("/account/tokens/new/", {"name": "Mine", "lifetime_days": "30"}).status_code == 403
    assert AccessToken.objects.count() == before


def test_pages_need_a_login(client, world):
    token = world.token_a.token
    for url in ("/account/tokens/", "/account/tokens/new/", f"/account/tokens/{token.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_stops_the_token_at_once(client, world):
    lead = client_for(world.lead)
    token = world.token_a.token
    assert client.get("/api/v1/plans/", **bearer(world.token_a.secret)).status_code == 200
    assert "Are you sure" in lead.get(f"/account/tokens/{token.pk}/revoke/").content.decode()
    response = lead.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/account/tokens/"
    assert "has been revoked" in lead.get("/account/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/plans/", **bearer(world.token_a.secret)).status_code == 401
    assert client.get("/api/v1/roles/", **bearer(world.token_a.secret)).status_code == 401


def test_nobody_sees_or_revokes_anyone_elses_token(client, world):
    token = world.token_a.token
    other = client_for(world.other_lead)
    assert other.get(f"/account/tokens/{token.pk}/").status_code == 404
    assert other.get(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert other.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert other.get("/account/tokens/999999/").status_code == 404
    listed = other.get("/account/tokens/").content.decode()
    assert f"/account/tokens/{token.pk}/" not in listed and token.prefix not in listed
    token.refresh_from_db()
    assert token.revoked_at is None


def test_expired_and_inactive_tokens_are_refused(client, world):
    AccessToken.objects.filter(pk=world.token_a.token.pk).update(expires_at=timezone.now())
    assert client.get("/api/v1/plans/", **bearer(world.token_a.secret)).status_code == 401
    assert tokens.status_of(AccessToken.objects.get(pk=world.token_a.token.pk)) == "Expired"
    world.other_lead.is_active = False
    world.other_lead.save()
    assert client.get("/api/v1/plans/", **bearer(world.token_b.secret)).status_code == 401


def test_each_use_is_logged(client, world):
    url = f"/api/v1/plans/{world.plan.pk}/results/?x=1"
    assert client.get(url, **bearer(world.token_a.secret)).status_code == 200
    assert client.get(f"/api/v1/plans/{world.other_plan.pk}/", **bearer(world.token_a.secret)).status_code == 404
    assert client.get("/api/v1/roles/", **bearer(world.revoked.secret)).status_code == 401
    assert client.get("/api/v1/roles/").status_code == 200  # no token: nothing to log

    uses = list(AccessTokenUse.objects.order_by("id").values_list("token_id", "method", "path", "status"))
    assert uses == [
        (world.token_a.token.pk, "GET", url, 200),
        (world.token_a.token.pk, "GET", f"/api/v1/plans/{world.other_plan.pk}/", 404),
        (world.revoked.token.pk, "GET", "/api/v1/roles/", 401),
    ]
    assert AccessTokenUse.objects.first().at <= timezone.now()
    token = AccessToken.objects.get(pk=world.token_a.token.pk)
    assert token.last_used_at is not None
    page = client_for(world.lead).get(f"/account/tokens/{token.pk}/").content.decode()
    assert f"GET {url}" in page.replace("&amp;", "&")


def test_tokens_are_long_random_and_checked_by_digest(world):
    made = [tokens.create_token(user=world.lead, name=f"T{n}", lifetime_days=30) for n in range(5)]
    secrets = {new.secret for new in made}
    assert len(secrets) == 5
    assert all(len(secret) == len(tokens.TOKEN_PREFIX) + 43 for secret in secrets)  # 32 random bytes
    assert tokens.find_token(secret=made[0].secret) == made[0].token
    assert tokens.find_token(secret=made[0].secret[:-1] + "x") is None
    assert tokens.find_token(secret="not-a-token") is None
    with pytest.raises(ValueError):
        tokens.create_token(user=world.lead, name="Forever", lifetime_days=10_000)


def test_the_admin_shows_tokens_and_their_uses_read_only(client, world):
    from django.contrib.auth.models import User

    root = User.objects.create_superuser("root", "root@nhs.example", None)
    admin = client_for(root)
    client.get("/api/v1/plans/", **bearer(world.token_a.secret))
    page = admin.get("/admin/nwwmh_portal/accesstoken/").content.decode()
    assert "Power BI" in page and world.token_a.token.prefix in page
    assert world.token_a.secret not in page
    detail = admin.get(f"/admin/nwwmh_portal/accesstoken/{world.token_a.token.pk}/change/").content.decode()
    assert world.token_a.token.digest not in detail
    assert "/api/v1/plans/" in admin.get("/admin/nwwmh_portal/accesstokenuse/").content.decode()
    assert admin.get("/admin/nwwmh_portal/accesstoken/add/").status_code == 403
    response = admin.post(
        "/admin/nwwmh_portal/accesstoken/",
        {"action": "revoke", "_selected_action": [world.token_a.token.pk]},
    )
    assert response.status_code == 302
    assert client.get("/api/v1/plans/", **bearer(world.token_a.secret)).status_code == 401
    # Staff without permissions see nothing.
    staff = User.objects.create_user("staff", is_staff=True)
    assert client_for(staff).get("/admin/nwwmh_portal/accesstoken/").status_code == 403

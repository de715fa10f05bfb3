"""Personal access tokens: making one (shown once), checking one, revoking one, and logging each use.

A token is `nwwmh_` followed by 43 random URL-safe characters (256 bits from `secrets`). The database keeps
its SHA-256 digest and its first characters (to tell tokens apart on the token page), never the token.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from nwwmh_portal.models import AccessToken, AccessTokenUse

TOKEN_PREFIX = "nwwmh_"  # noqa: S105 (the start of every token, not a secret)
SHOWN_CHARACTERS = 10  # of the token, on the token page: "nwwmh_AbCd…"
LIFETIMES_DAYS = (30, 90, 365)
MAX_LOGGED_PATH = 500


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown once, never stored


def create_token(*, user, name: str, lifetime_days: int) -> NewToken:
    if lifetime_days not in LIFETIMES_DAYS:
        raise ValueError(f"A token lasts one of {LIFETIMES_DAYS} days, not {lifetime_days}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[:SHOWN_CHARACTERS],
        digest=digest_of(secret),
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    return NewToken(token=token, secret=secret)


def tokens_of(*, user) -> QuerySet:
    return AccessToken.objects.filter(user=user)


def token_of(*, user, pk) -> AccessToken:
    """One of the user's own tokens. Raises AccessToken.DoesNotExist for anyone else's (or a missing one)."""
    return tokens_of(user=user).get(pk=pk)


def revoke_token(*, token: AccessToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def is_active(token: AccessToken, *, now=None) -> bool:
    now = now or timezone.now()
    return token.revoked_at is None and token.expires_at > now and token.user.is_active


def status_of(token: AccessToken) -> str:
    if token.revoked_at is not None:
        return "Revoked"
    if token.expires_at <= timezone.now():
        return "Expired"
    return "Active"


def find_token(*, secret: str) -> AccessToken | None:
    """The token with this secret, active or not (None if no token has it)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return AccessToken.objects.select_related("user").filter(digest=digest_of(secret)).first()


def record_use(*, token: AccessToken, method: str, path: str, status: int) -> None:
    now = timezone.now()
    AccessTokenUse.objects.create(token=token, method=method[:7], path=path[:MAX_LOGGED_PATH], status=status)
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)


def recent_uses(*, token: AccessToken, limit: int = 50) -> list[AccessTokenUse]:
    return list(token.uses.all()[:limit])

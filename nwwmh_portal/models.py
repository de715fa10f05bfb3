"""The portal's own records: the security log and personal access tokens for the API.

- `SecurityEvent`: who did what to accounts and access, from where and when. It never holds a password, a token or
  a one-time code: events are written only through `nwwmh_portal.security_log.record`.
- `AccessToken`, `AccessTokenUse`: a token is shown once, when it is made; only the SHA-256 digest of it is stored,
  so a copy of the database cannot be used to call the API. Tokens read only (the API has no write methods), can be
  revoked, and expire. Rules (making, revoking, checking) live in `nwwmh_portal.tokens`. Every use is logged.
"""

from django.conf import settings
from django.db import models


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login_failed", "Login failed"
        LOGOUT = "logout", "Logged out"
        LOCKED_OUT = "locked_out", "Locked out after failed logins"
        THROTTLED = "throttled", "Refused: too many attempts"
        SESSION_EXPIRED = "session_expired", "Session ended at its absolute lifetime"
        MFA_ENROLLED = "mfa_enrolled", "Set up two-step verification"
        MFA_VERIFIED = "mfa_verified", "Two-step verification passed"
        MFA_FAILED = "mfa_failed", "Two-step verification code wrong"
        MFA_RECOVERY_USED = "mfa_recovery_used", "Recovery code used"
        MFA_RECOVERY_FAILED = "mfa_recovery_failed", "Recovery code wrong"
        MFA_RECOVERY_REGENERATED = "mfa_recovery_regenerated", "New recovery codes made"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_CHANGE_FAILED = "password_change_failed", "Password change: current password wrong"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset asked for"
        PASSWORD_RESET_DONE = "password_reset_done", "Password set from a reset link"
        GROUPS_CHANGED = "groups_changed", "Groups changed"
        PERMISSIONS_CHANGED = "permissions_changed", "Permissions changed"
        MEMBERSHIP_CHANGED = "membership_changed", "Organisation membership changed"
        REFUSED = "refused", "Request refused (403 or 404)"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account the event is about.",
    )
    username = models.CharField(max_length=150, blank=True, help_text="As entered, or the account's username.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who was logged in when it happened, if not the account itself.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=300, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "ip_address", "created_at"], name="security_kind_ip"),
            models.Index(fields=["kind", "username", "created_at"], name="security_kind_username"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}".strip()


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, so its owner can tell tokens apart.")
    prefix = models.CharField(max_length=16, help_text="The start of the token, shown to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, hexadecimal.")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class AccessTokenUse(models.Model):
    """One request that carried a token: when, which token, what it asked for and what it got."""

    token = models.ForeignKey(AccessToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    method = models.CharField(max_length=7)
    path = models.CharField(max_length=500, help_text="The URL path and query string read.")
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} → {self.status}"

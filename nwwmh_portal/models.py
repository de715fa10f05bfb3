"""Personal access tokens for the API, and the log of every use.

A token is shown once, when it is made; only the SHA-256 digest of it is stored, so a copy of the database
cannot be used to call the API. Tokens read only (the API has no write methods), can be revoked, and expire.
Rules (making, revoking, checking) live in `nwwmh_portal.tokens`.
"""

from django.conf import settings
from django.db import models


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

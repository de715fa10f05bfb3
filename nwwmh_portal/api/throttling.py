"""Requests a minute per client: by token owner when a token is sent, otherwise by the client's address.

Rates come from settings at each request (`NWWMH_API_RATES`), so they can be changed without a restart of the
class machinery, and the counts live in the Django cache (use a shared cache with several app servers).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from nwwmh_portal.accounts import client_ip_address


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return settings.NWWMH_API_RATES[self.scope]

    def get_ident(self, request):
        return client_ip_address(request) or "unknown"


class AnonymousClientThrottle(_SettingsRateThrottle):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenClientThrottle(_SettingsRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}

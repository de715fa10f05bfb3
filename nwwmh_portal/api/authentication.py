"""`Authorization: Bearer <token>` with a personal access token (see `nwwmh_portal.tokens`).

A request with no Authorization header is anonymous (the catalogue is public). A header with an unknown, revoked
or expired token is refused with 401 on every API URL, so a client finds out at once that its token no longer
works. Every request that names a known token, refused or not, is logged (`nwwmh_portal.api.middleware`).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from nwwmh_portal import tokens

KEYWORD = "Bearer"
REFUSED = "This token is not valid: it may have been revoked or have expired. Create a new one at /account/tokens/."


class AccessTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != KEYWORD.lower().encode() or len(header) != 2:
            raise exceptions.AuthenticationFailed(f"Send the token as 'Authorization: {KEYWORD} <token>'.")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(REFUSED) from None
        token = tokens.find_token(secret=secret)
        if token is not None:
            request._request.access_token = token  # logged once the response is known
        if token is None or not tokens.is_active(token):
            raise exceptions.AuthenticationFailed(REFUSED)
        return token.user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


class AccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = AccessTokenAuthentication
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (read only), made at /account/tokens/.",
        }

"""API errors as JSON `{"detail": "..."}`; a 429 says how many requests are allowed and when to try again."""

from django.conf import settings
from rest_framework import exceptions
from rest_framework.views import exception_handler

MISSING_CREDENTIALS = (
    "This needs a personal access token: send 'Authorization: Bearer <token>'. "
    "Workforce leads create tokens at /account/tokens/."
)
PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def rate_in_words(rate: str) -> str:
    """ "60/minute" → "60 requests a minute" (DRF reads the period by its first letter)."""
    number, period = rate.split("/")
    return f"{number} requests a {PERIODS[period.strip()[0]]}"


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"detail": MISSING_CREDENTIALS}
    if response is not None and isinstance(exc, exceptions.Throttled):
        request = context["request"]
        scope = "token" if request.user and request.user.is_authenticated else "anonymous"
        wait = max(1, int(exc.wait or 1))
        response.data = {
            "detail": (
                f"Too many requests: this API allows {rate_in_words(settings.NWWMH_API_RATES[scope])} from each "
                f"client. Try again in {wait} second{'s' if wait != 1 else ''}."
            ),
            "retry_after": wait,
        }
    return response

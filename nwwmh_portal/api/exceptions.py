"""API errors as JSON `{"detail": "..."}`; a 429 says how many requests are allowed and when to try again."""

import re

from django.conf import settings
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.views import exception_handler

PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}
RATE = re.compile(r"\s*(?P<number>\d+)\s*/\s*(?P<period>\w+)\s*")


def missing_credentials() -> str:
    return (
        "This needs a personal access token: send 'Authorization: Bearer <token>'. "
        f"Workforce leads create tokens at {reverse('tokens')}."
    )


def rate_in_words(rate: str) -> str:
    """ "60/minute" → "60 requests a minute" (DRF reads the period by its first letter)."""
    match = RATE.fullmatch(rate)
    return f"{match['number']} requests a {PERIODS[match['period'][0]]}"


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"detail": missing_credentials()}
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

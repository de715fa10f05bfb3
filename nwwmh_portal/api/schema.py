"""Error bodies and the responses every API operation may give, for the OpenAPI description."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

Error = inline_serializer("Error", fields={"detail": serializers.CharField()})
Throttled = inline_serializer(
    "Throttled",
    fields={
        "detail": serializers.CharField(),
        "retry_after": serializers.IntegerField(help_text="Seconds to wait before the next request."),
    },
)
ValidationErrors = {
    "type": "object",
    "description": "Each parameter that was not valid, with what was wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

UNAUTHORISED = OpenApiResponse(Error, description="The token sent is not valid (unknown, revoked or expired).")
NOT_FOUND = OpenApiResponse(Error, description="No such object (or page), or not one you may read.")
TOO_MANY = OpenApiResponse(Throttled, description="Too many requests from this client; see `retry_after`.")
BAD_REQUEST = OpenApiResponse(ValidationErrors, description="A filter or parameter was not valid.")


def list_responses(serializer) -> dict:
    return {200: serializer, 400: BAD_REQUEST, 401: UNAUTHORISED, 404: NOT_FOUND, 429: TOO_MANY}


def detail_responses(serializer) -> dict:
    return {200: serializer, 401: UNAUTHORISED, 404: NOT_FOUND, 429: TOO_MANY}

"""Error bodies and the responses every API operation may give, for the OpenAPI description."""

import copy

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import get_manager, get_view_model
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


class CopiedFiltersExtension(DjangoFilterExtension):
    """Describes a FilterSet's filters from copies of them.

    drf-spectacular's own extension reads `.field` on a FilterSet's class-level filters, which caches on those
    very objects a form field built without the model, so with no label; every later FilterSet (the public pages'
    too) copies that cache, and an error on /case-studies/ would read "None: Select a valid choice".
    """

    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        model = get_view_model(auto_schema.view)
        if not model:
            return []
        filterset_class = self.target.get_filterset_class(auto_schema.view, get_manager(model).none())
        if not filterset_class:
            return []
        result = []
        for field_name, filter_field in copy.deepcopy(filterset_class.base_filters).items():
            result += self.resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        return result

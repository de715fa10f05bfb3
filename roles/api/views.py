"""The public catalogue API (v1): thin read-only views over `roles.selectors`, the catalogue's FilterSets and search.

The same rules as the public pages: `q` searches roles as `/roles/?q=` does and the filters are the page's own
FilterSets; only published case studies are shown. The bulk downloads of the whole catalogue are built by `bulk`.
"""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets
from rest_framework.views import APIView

from nwwmh_portal.api.schema import TOO_MANY, UNAUTHORISED, detail_responses, list_responses
from roles import selectors
from roles.api import bulk, serializers
from roles.content_filters import CaseStudyFilter, ResourceFilter
from roles.filters import RoleFilter
from roles.models import Capability, Role, RoleCapability
from roles.search import MAX_QUERY_LENGTH, search_roles

SEARCH = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description=(
        "Search words: roles matching every word after stemming, best match first (name, then other titles, "
        f"summary, scope of practice). The first {MAX_QUERY_LENGTH} characters are used."
    ),
)


# The catalogue's FilterSets are reused as they are; the OpenAPI description is told that the slug filters take
# slugs (strings), which it cannot tell from a filter on a related model's field.
for _name in ("family", "capability", "regulator"):
    extend_schema_field({"type": "string", "description": f"{_name.title()} slug; repeat to choose several."})(
        RoleFilter.base_filters[_name]
    )
for _name in ("registered", "new_role"):
    extend_schema_field({"type": "string", "enum": ["true", "false"]})(RoleFilter.base_filters[_name])


def _list_and_detail(tag: str, summary: str, list_serializer, detail_serializer, parameters=()):
    return extend_schema_view(
        list=extend_schema(
            tags=[tag],
            summary=f"List {summary}",
            parameters=list(parameters),
            responses=list_responses(list_serializer),
        ),
        retrieve=extend_schema(
            tags=[tag], summary=f"One of the {summary}, by slug", responses=detail_responses(detail_serializer)
        ),
    )


@_list_and_detail("Roles", "roles", serializers.RoleSummarySerializer, serializers.RoleDetailSerializer, [SEARCH])
class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = RoleFilter

    def get_queryset(self):
        roles = selectors.catalogue_roles()
        query = self.request.query_params.get("q", "").strip()[:MAX_QUERY_LENGTH]
        return search_roles(roles, query) if query else roles

    def get_object(self):
        try:
            return selectors.role_profile(self.kwargs["slug"])
        except Role.DoesNotExist:
            raise Http404("No role with that slug.") from None

    def get_serializer_class(self):
        return serializers.RoleDetailSerializer if self.action == "retrieve" else serializers.RoleSummarySerializer


@_list_and_detail("Role families", "role families", serializers.FamilySerializer, serializers.FamilyDetailSerializer)
class FamilyViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        families = selectors.families_with_role_counts()
        if self.action == "retrieve":
            return families.prefetch_related("roles")
        return families

    def get_serializer_class(self):
        return serializers.FamilyDetailSerializer if self.action == "retrieve" else serializers.FamilySerializer


@_list_and_detail(
    "Capabilities", "capabilities", serializers.CapabilitySerializer, serializers.CapabilityDetailSerializer
)
class CapabilityViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        capabilities = Capability.objects.order_by("order", "name")
        if self.action == "retrieve":
            links = RoleCapability.objects.select_related("role").order_by("role__name")
            return capabilities.prefetch_related(Prefetch("role_capabilities", queryset=links))
        return capabilities

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CapabilityDetailSerializer
        return serializers.CapabilitySerializer


@_list_and_detail(
    "Case studies", "published case studies", serializers.CaseStudySerializer, serializers.CaseStudyDetailSerializer
)
class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = CaseStudyFilter

    def get_queryset(self):
        return selectors.published_case_studies()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CaseStudyDetailSerializer
        return serializers.CaseStudySerializer


@_list_and_detail("Resources", "resources", serializers.ResourceSerializer, serializers.ResourceSerializer)
class ResourceViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = ResourceFilter
    serializer_class = serializers.ResourceSerializer

    def get_queryset(self):
        return selectors.resources()


CatalogueDocument = inline_serializer(
    "CatalogueDocument",
    fields={
        "dataset": drf_serializers.CharField(),
        "version": drf_serializers.CharField(help_text="Changes when, and only when, the data changes."),
        "generated_on": drf_serializers.DateField(),
        "licence": inline_serializer(
            "Licence", fields={"name": drf_serializers.CharField(), "url": drf_serializers.URLField()}
        ),
        "attribution": drf_serializers.CharField(),
        "tables": drf_serializers.DictField(
            child=drf_serializers.ListField(child=drf_serializers.DictField()),
            help_text="Each table by name: a list of rows, each row an object of column → value.",
        ),
    },
)


def _download_schema(extension: str, what: str):
    body = CatalogueDocument if extension == "json" else OpenApiTypes.BINARY
    return extend_schema(
        tags=["Bulk downloads"],
        summary=f"The whole catalogue as {what}",
        description=(
            "Every table of the public catalogue (published case studies only), stamped with the data's version "
            "and the date it was made, under the Open Government Licence v3.0. The file name is "
            "`nwwmh-catalogue-<date>-<version>." + extension + "`."
        ),
        filters=False,
        responses={
            (200, bulk.FORMATS[extension]): OpenApiResponse(body, description=what),
            401: UNAUTHORISED,
            429: TOO_MANY,
        },
    )


class _CatalogueDownload(APIView):
    extension = "json"

    def download(self):
        data, content = bulk.build(extension=self.extension)
        response = HttpResponse(content, content_type=bulk.FORMATS[self.extension])
        response["Content-Disposition"] = f'attachment; filename="{data.filename(self.extension)}"'
        response["ETag"] = f'"{data.version}-{data.generated_on.isoformat()}-{self.extension}"'
        response["X-Data-Version"] = data.version
        return response


class CatalogueZip(_CatalogueDownload):
    extension = "zip"

    @_download_schema("zip", "zipped CSV files, one a table")
    def get(self, request):
        return self.download()


class CatalogueJson(_CatalogueDownload):
    extension = "json"

    @_download_schema("json", "one JSON document")
    def get(self, request):
        return self.download()


class CatalogueXlsx(_CatalogueDownload):
    extension = "xlsx"

    @_download_schema("xlsx", "an Excel workbook, one sheet a table")
    def get(self, request):
        return self.download()

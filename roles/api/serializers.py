"""How the catalogue looks in the API (v1). Identifiers are slugs; bands are Agenda for Change codes ("5", "8a").

Within v1 fields may be added but never renamed, removed or retyped (README "Versioning").
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from roles.bands import BAND_BY_CODE, band_code
from roles.models import (
    Capability,
    CaseStudy,
    ComplexityTier,
    Regulator,
    Resource,
    Role,
    RoleCapability,
    RoleFamily,
    RoleSource,
    TrainingRoute,
)

BAND_CODES = list(BAND_BY_CODE)


# Every field read only: the API never writes, and the OpenAPI description then marks every field as always present.
# (A comment, not a docstring: drf-spectacular would show an inherited docstring as each serializer's description.)
class ReadOnlyFieldsMixin:
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class ModelSerializer(ReadOnlyFieldsMixin, serializers.ModelSerializer):
    pass


class Serializer(ReadOnlyFieldsMixin, serializers.Serializer):
    pass


def lines(text: str) -> list[str]:
    """A text field kept one item a line, as its items (blank lines dropped)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def complexity_code(value: int) -> str:
    """A complexity tier as the API and the downloads name it ("complex")."""
    return ComplexityTier(value).name.lower()


COMPLEXITY_CODES = [complexity_code(tier) for tier in ComplexityTier]


@extend_schema_field({"type": "string", "enum": BAND_CODES, "description": "Agenda for Change band code."})
class BandField(serializers.Field):
    def to_representation(self, value):
        return band_code(value)


@extend_schema_field({"type": "string", "enum": COMPLEXITY_CODES})
class ComplexityField(serializers.Field):
    def to_representation(self, value):
        return complexity_code(value)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class LinesField(serializers.Field):
    """A text field kept one item a line, as a list."""

    def to_representation(self, value):
        return lines(value)


def web_url(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def api_url(view: str) -> serializers.HyperlinkedIdentityField:
    """The object's URL in the API (`api:<view>` by its slug)."""
    return serializers.HyperlinkedIdentityField(view_name=f"api:{view}", lookup_field="slug")


class WebUrlField(serializers.SerializerMethodField):
    """The object's page on the portal (absolute URL)."""

    def __init__(self, **kwargs):
        super().__init__(method_name="get_web_url", **kwargs)


class RoleLinkSerializer(ModelSerializer):
    url = api_url("role-detail")

    class Meta:
        model = Role
        fields = ["slug", "name", "url"]


class FamilyLinkSerializer(ModelSerializer):
    url = api_url("family-detail")

    class Meta:
        model = RoleFamily
        fields = ["slug", "name", "url"]


class RegulatorSerializer(ModelSerializer):
    class Meta:
        model = Regulator
        fields = ["slug", "name", "short_name", "kind", "url"]


class RoleSummarySerializer(ModelSerializer):
    url = api_url("role-detail")
    web_url = WebUrlField()
    family = FamilyLinkSerializer()
    regulator = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    alternative_titles = LinesField()
    band_min = BandField(allow_null=True)
    band_max = BandField(allow_null=True)

    class Meta:
        model = Role
        fields = [
            "slug",
            "name",
            "url",
            "web_url",
            "family",
            "alternative_titles",
            "summary",
            "regulator",
            "registered",
            "band_min",
            "band_max",
            "is_new_role",
            "historic",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, role) -> str:
        return web_url(self.context.get("request"), role.get_absolute_url())


class RoleCapabilitySerializer(ModelSerializer):
    slug = serializers.CharField(source="capability.slug")
    name = serializers.CharField(source="capability.name")
    group = serializers.CharField(source="capability.group")
    url = serializers.HyperlinkedRelatedField(
        source="capability", view_name="api:capability-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = RoleCapability
        fields = ["slug", "name", "group", "url", "level", "note", "source_url"]


class TrainingRouteSerializer(ModelSerializer):
    class Meta:
        model = TrainingRoute
        fields = ["slug", "name", "kind", "duration_months", "description", "source_url"]


class RoleSourceSerializer(ModelSerializer):
    class Meta:
        model = RoleSource
        fields = ["url", "title", "supports", "secondary"]


class CaseStudyLinkSerializer(ModelSerializer):
    url = api_url("case-study-detail")

    class Meta:
        model = CaseStudy
        fields = ["slug", "title", "url"]


class ResourceLinkSerializer(ModelSerializer):
    url = api_url("resource-detail")

    class Meta:
        model = Resource
        fields = ["slug", "title", "url"]


class RoleDetailSerializer(RoleSummarySerializer):
    regulator = RegulatorSerializer(allow_null=True)
    band_trainee = BandField(allow_null=True)
    complexity_ceiling = ComplexityField(
        help_text="Modelling default: the most complex need the role may hold a caseload for."
    )
    full_ceiling_band = BandField(
        allow_null=True,
        help_text="Modelling default: the band or grade from which the role holds its most complex need; below it, "
        "one tier less. Null: every band holds it.",
    )
    supervision_hours_per_month = serializers.DecimalField(
        max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    unconfirmed = LinesField(help_text="Facts not yet confirmed by a source.")
    capabilities = RoleCapabilitySerializer(source="role_capabilities", many=True)
    training_routes = TrainingRouteSerializer(many=True)
    sources = RoleSourceSerializer(many=True)
    related_roles = RoleLinkSerializer(many=True)
    supervisor_roles = RoleLinkSerializer(many=True)
    supervises = RoleLinkSerializer(many=True)
    case_studies = CaseStudyLinkSerializer(source="published_case_studies", many=True)
    resources = ResourceLinkSerializer(many=True)

    class Meta(RoleSummarySerializer.Meta):
        fields = [
            *RoleSummarySerializer.Meta.fields,
            "scope_of_practice",
            "registration_note",
            "band_trainee",
            "band_note",
            "year_introduced",
            "supervision",
            "supervision_hours_per_month",
            "supervision_source_url",
            "complexity_ceiling",
            "full_ceiling_band",
            "ceiling_reason",
            "ceiling_source_url",
            "unconfirmed",
            "last_reviewed",
            "capabilities",
            "training_routes",
            "sources",
            "related_roles",
            "supervisor_roles",
            "supervises",
            "case_studies",
            "resources",
        ]


class FamilySerializer(ModelSerializer):
    url = api_url("family-detail")
    role_count = serializers.IntegerField()

    class Meta:
        model = RoleFamily
        fields = ["slug", "name", "url", "description", "order", "role_count"]


class FamilyDetailSerializer(FamilySerializer):
    roles = RoleLinkSerializer(many=True)

    class Meta(FamilySerializer.Meta):
        fields = [*FamilySerializer.Meta.fields, "roles"]


class CapabilitySerializer(ModelSerializer):
    url = api_url("capability-detail")

    class Meta:
        model = Capability
        fields = ["slug", "name", "url", "group", "description", "order"]


class CapabilityRoleSerializer(ModelSerializer):
    slug = serializers.CharField(source="role.slug")
    name = serializers.CharField(source="role.name")
    url = serializers.HyperlinkedRelatedField(
        source="role", view_name="api:role-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = RoleCapability
        fields = ["slug", "name", "url", "level", "note", "source_url"]


class CapabilityDetailSerializer(CapabilitySerializer):
    roles = CapabilityRoleSerializer(source="role_capabilities", many=True)

    class Meta(CapabilitySerializer.Meta):
        fields = [*CapabilitySerializer.Meta.fields, "roles"]


class CaseStudySerializer(ModelSerializer):
    url = api_url("case-study-detail")
    web_url = WebUrlField()
    roles = RoleLinkSerializer(many=True)
    people_quoted = LinesField()

    class Meta:
        model = CaseStudy
        fields = [
            "slug",
            "title",
            "url",
            "web_url",
            "organisation",
            "setting",
            "year",
            "summary",
            "people_quoted",
            "source_url",
            "source_title",
            "published_at",
            "roles",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, case_study) -> str:
        return web_url(self.context.get("request"), case_study.get_absolute_url())


class CaseStudyDetailSerializer(CaseStudySerializer):
    class Meta(CaseStudySerializer.Meta):
        fields = [*CaseStudySerializer.Meta.fields, "body"]


class ResourceSerializer(ModelSerializer):
    url = api_url("resource-detail")
    link = serializers.URLField(source="url", help_text="The resource itself, on its publisher's site.")
    roles = RoleLinkSerializer(many=True)

    class Meta:
        model = Resource
        fields = ["slug", "title", "url", "kind", "publisher", "year", "summary", "link", "roles"]

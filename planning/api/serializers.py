"""How plans and their results look in the API (v1). Figures are numbers (FTE and hours to 2 decimal places)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planning.models import DemandLine, Plan, StaffingLine
from roles.api.serializers import BandField, ComplexityField, ModelSerializer, Serializer


def _number(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, **kwargs)


class TeamSerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    team_type = serializers.CharField(source="team_type.slug", help_text="The team type's slug.")
    population_served = serializers.IntegerField(allow_null=True)


class OrganisationSerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    ods_code = serializers.CharField()


class AssumptionsSerializer(Serializer):
    contract_hours = _number()
    productive_fraction = _number()
    direct_care_fraction = _number()
    demand_growth_pct = _number()
    on_cost_pct = _number()
    supervision_fraction = _number()


class PlanSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:plan-detail")
    results_url = serializers.HyperlinkedIdentityField(view_name="api:plan-results")
    web_url = serializers.SerializerMethodField()
    team = TeamSerializer()
    organisation = OrganisationSerializer(source="team.organisation")
    scenario_of = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    assumptions = AssumptionsSerializer(source="*")

    class Meta:
        model = Plan
        fields = [
            "id",
            "url",
            "results_url",
            "web_url",
            "name",
            "team",
            "organisation",
            "status",
            "version",
            "scenario_of",
            "start_year",
            "horizon_years",
            "pay_year",
            "assumptions",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, plan) -> str:
        request = self.context.get("request")
        path = plan.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class StaffingLineSerializer(ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    role_name = serializers.CharField(source="role.name")
    band = BandField()
    fte = _number()
    establishment_fte = _number()
    attrition_pct = _number()
    trainees_fte = _number()
    recruitment_fte_per_year = _number()

    class Meta:
        model = StaffingLine
        fields = [
            "role",
            "role_name",
            "band",
            "fte",
            "establishment_fte",
            "attrition_pct",
            "trainees_fte",
            "trainee_completion_year",
            "recruitment_fte_per_year",
        ]


class DemandLineSerializer(ModelSerializer):
    tier = ComplexityField()
    hours_per_person_per_week = _number()

    class Meta:
        model = DemandLine
        fields = ["tier", "caseload", "hours_per_person_per_week"]


class PlanDetailSerializer(PlanSerializer):
    notes = serializers.CharField()
    staffing_lines = serializers.SerializerMethodField()
    demand_lines = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "notes", "staffing_lines", "demand_lines"]

    @extend_schema_field(StaffingLineSerializer(many=True))
    def get_staffing_lines(self, plan):
        return StaffingLineSerializer(self.context["staffing_lines"], many=True).data

    @extend_schema_field(DemandLineSerializer(many=True))
    def get_demand_lines(self, plan):
        return DemandLineSerializer(self.context["demand_lines"], many=True).data


def _object(description: str):
    return serializers.DictField(help_text=description)


class PlanResultsSerializer(Serializer):
    """The engine's output for one plan (README "Plan results as JSON" describes every key)."""

    plan = PlanSerializer()
    name = serializers.CharField()
    start_year = serializers.IntegerField()
    horizon_years = serializers.IntegerField()
    population = serializers.IntegerField(allow_null=True)
    assumptions = _object("The assumptions as entered (contract hours, fractions, growth and on-cost %).")
    hours_per_fte_per_week = serializers.FloatField()
    role_names = serializers.DictField(child=serializers.CharField(), help_text="Role slug → name.")
    skill_mix = _object("FTE by family and band, registered and new-role shares, mean band.")
    capability_coverage = serializers.ListField(child=serializers.DictField(), help_text="Per required capability.")
    allocation = _object("This year's matching of capacity to demand by complexity tier.")
    supervision = _object("Supervision needed and available, in hours.")
    years = serializers.ListField(child=serializers.DictField(), help_text="One entry a year, start to horizon.")
    cost_over_horizon = serializers.FloatField()
    targets = serializers.ListField(
        child=serializers.DictField(), help_text="Each guidance target, actual vs required."
    )
    warnings = serializers.ListField(child=serializers.CharField())

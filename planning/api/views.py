"""Plans and their results for the lead's own tools, read with a personal access token.

Same scoping as the workspace pages: `planning.selectors` gives only the plans of the token owner's organisations,
and anything else is a 404 identical to a missing id. Read only (a token's scope is "read").
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from nwwmh_portal.api.schema import detail_responses, list_responses
from planning import selectors
from planning.api import results, serializers
from planning.api.filters import PlanFilter

TAG = "Plans (token)"


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="List your organisations' plans",
        responses=list_responses(serializers.PlanSerializer),
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One plan with its staffing and demand lines",
        responses=detail_responses(serializers.PlanDetailSerializer),
    ),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = PlanFilter

    def get_queryset(self):
        return (
            selectors.plans_for(self.request.user)
            .select_related("team__organisation", "team__team_type")
            .order_by("team__organisation__name", "team__name", "scenario_of_id", "name", "pk")
        )

    def get_object(self):
        return selectors.plan_for(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        return serializers.PlanDetailSerializer if self.action == "retrieve" else serializers.PlanSerializer

    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        staffing, demand = selectors.plan_lines(plan)
        context = {**self.get_serializer_context(), "staffing_lines": staffing, "demand_lines": demand}
        return Response(serializers.PlanDetailSerializer(plan, context=context).data)

    @extend_schema(
        tags=[TAG],
        summary="A plan's results: skill mix, coverage, matching, supervision, projection, costs and targets",
        responses=detail_responses(serializers.PlanResultsSerializer),
    )
    @action(detail=True, url_path="results", url_name="results")
    def results(self, request, pk=None):
        plan = self.get_object()
        data = {"plan": serializers.PlanSerializer(plan, context=self.get_serializer_context()).data}
        return Response({**data, **results.results_of(plan)})

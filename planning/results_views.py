"""A plan's results for other tools: the engine's full output as JSON, and the year-by-year projection as CSV
or XLSX. Same access as the dashboard (`selectors.plan_for`: members of the plan's organisation, leads and
viewers; anyone else gets a 404, anonymous users the login page). Thin views: scope, calculate, serialise.
"""

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from planning import dashboard, engine, engine_inputs, selectors
from planning.exchange_views import CONTENT_TYPES
from planning.views import READ, workspace_view


def _result(request, pk):
    plan = selectors.plan_for(request.user, pk)
    return plan, engine_inputs.results_for([plan])[plan.pk]


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def plan_metadata(plan) -> dict:
    team = plan.team
    return {
        "id": plan.pk,
        "name": plan.name,
        "team": {"id": team.pk, "name": team.name, "team_type": team.team_type.slug},
        "organisation": {"id": team.organisation.pk, "name": team.organisation.name},
        "version": plan.version,
        "status": plan.status,
        "scenario_of": plan.scenario_of_id,
        "pay_year": plan.pay_year,
    }


@workspace_view(READ)
def results_json(request, pk):
    """`engine.as_dict(result)` with the plan's metadata under "plan" and the time it was worked out."""
    plan, result = _result(request, pk)
    data = {
        "plan": plan_metadata(plan),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        **engine.as_dict(result),
    }
    return _private(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


def _download(plan, content, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{dashboard.projection_filename(plan, extension)}"'
    return _private(response)


@workspace_view(READ)
def projection_export_csv(request, pk):
    plan, result = _result(request, pk)
    return _download(plan, dashboard.projection_csv(result), "csv")


@workspace_view(READ)
def projection_export_xlsx(request, pk):
    plan, result = _result(request, pk)
    return _download(plan, dashboard.projection_xlsx(result, plan), "xlsx")

"""A plan's results for other tools: the engine's full output as JSON, and the year-by-year projection as CSV
or XLSX. Same access as the dashboard (`selectors.plan_for`: members of the plan's organisation, leads and
viewers; anyone else gets a 404, anonymous users the login page). Thin views: scope, calculate, serialise.
"""

from django.http import HttpResponse

from planning import engine_inputs, selectors
from planning.access import READ, workspace_view
from planning.dashboard import exports
from planning.downloads import download, private
from planning.results_json import body as results_body


def _result(request, pk):
    plan = selectors.plan_for(request.user, pk)
    return plan, engine_inputs.results_for([plan])[plan.pk]


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
    plan = selectors.plan_for(request.user, pk)
    # The figures' JSON text is made once per result (planning.results_json); the metadata for each request.
    return private(HttpResponse(results_body(plan, plan_metadata(plan)), content_type="application/json"))


@workspace_view(READ)
def projection_export_csv(request, pk):
    plan, result = _result(request, pk)
    filename = exports.projection_filename(plan, "csv")
    return download(content=exports.projection_csv(result), filename=filename, extension="csv")


@workspace_view(READ)
def projection_export_xlsx(request, pk):
    plan, result = _result(request, pk)
    filename = exports.projection_filename(plan, "xlsx")
    return download(content=exports.projection_xlsx(result, plan), filename=filename, extension="xlsx")

from django.urls import path

from planning import (
    comparison_views,
    decision_views,
    editor_views,
    exchange_views,
    plan_views,
    results_views,
    team_views,
)

app_name = "planning"

urlpatterns = [
    path("", team_views.home, name="home"),
    path("teams/new/", team_views.team_create, name="team-create"),
    path("teams/<int:pk>/", team_views.team_detail, name="team"),
    path("teams/<int:pk>/edit/", team_views.team_edit, name="team-edit"),
    path("teams/<int:team_pk>/plans/new/", plan_views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", editor_views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/copy/", plan_views.plan_copy, name="plan-copy"),
    path("plans/<int:pk>/rename/", plan_views.plan_rename, name="plan-rename"),
    path("plans/<int:pk>/delete/", plan_views.plan_delete, name="plan-delete"),
    path("plans/<int:pk>/status/", plan_views.plan_status, name="plan-status"),
    path("plans/<int:pk>/agree/", decision_views.plan_agree, name="plan-agree"),
    path("plans/<int:pk>/reopen/", decision_views.plan_reopen, name="plan-reopen"),
    path("plans/<int:pk>/promote/", decision_views.plan_promote, name="plan-promote"),
    path("plans/<int:pk>/export.csv", exchange_views.export_csv, name="plan-export-csv"),
    path("plans/<int:pk>/export.xlsx", exchange_views.export_xlsx, name="plan-export-xlsx"),
    path("plans/<int:pk>/import/", exchange_views.import_staffing, name="plan-import"),
    path("plans/<int:pk>/import/apply/", exchange_views.apply_import, name="plan-import-apply"),
    path("plans/<int:pk>/results.json", results_views.results_json, name="plan-results-json"),
    path("plans/<int:pk>/projection.csv", results_views.projection_export_csv, name="plan-projection-csv"),
    path("plans/<int:pk>/projection.xlsx", results_views.projection_export_xlsx, name="plan-projection-xlsx"),
    path("plans/<int:pk>/compare/", comparison_views.plan_compare_pick, name="plan-compare-pick"),
    path("plans/<int:pk>/compare/<int:other_pk>/", comparison_views.plan_compare, name="plan-compare"),
    path("organisations/<int:pk>/", comparison_views.organisation_rollup, name="organisation-rollup"),
]

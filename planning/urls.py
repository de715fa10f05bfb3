from django.urls import path

from planning import exchange_views, views

app_name = "planning"

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team-edit"),
    path("teams/<int:team_pk>/plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/copy/", views.plan_copy, name="plan-copy"),
    path("plans/<int:pk>/rename/", views.plan_rename, name="plan-rename"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan-delete"),
    path("plans/<int:pk>/status/", views.plan_status, name="plan-status"),
    path("plans/<int:pk>/export.csv", exchange_views.export_csv, name="plan-export-csv"),
    path("plans/<int:pk>/export.xlsx", exchange_views.export_xlsx, name="plan-export-xlsx"),
    path("plans/<int:pk>/import/", exchange_views.import_staffing, name="plan-import"),
    path("plans/<int:pk>/import/apply/", exchange_views.apply_import, name="plan-import-apply"),
]

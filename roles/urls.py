from django.urls import path

from roles import views

app_name = "roles"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/", views.role_list, name="list"),
    path("roles/compare/", views.compare, name="compare"),
    path("roles/<slug:slug>/", views.role_detail, name="detail"),
    path("case-studies/", views.case_study_list, name="case-studies"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="case-study"),
    path("resources/", views.resource_list, name="resources"),
]

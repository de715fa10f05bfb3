from django.urls import path

from roles import views

app_name = "roles"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/", views.role_list, name="list"),
    path("roles/compare/", views.compare, name="compare"),
    path("roles/<slug:slug>/", views.role_detail, name="detail"),
]

from django.contrib import admin
from django.urls import include, path

from nwwmh_portal import views

urlpatterns = [
    path("", include("roles.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("nwwmh_portal.auth_urls")),
    path("planning/", include("planning.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "nwwmh_portal.views.page_not_found"
handler500 = "nwwmh_portal.views.server_error"

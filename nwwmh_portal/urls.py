from django.contrib import admin
from django.urls import include, path

from nwwmh_portal import token_pages, views
from nwwmh_portal.api import pages as api_pages

urlpatterns = [
    path("", include("roles.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("nwwmh_portal.auth_urls")),
    path("account/tokens/", token_pages.token_list, name="tokens"),
    path("account/tokens/new/", token_pages.token_create, name="token-create"),
    path("account/tokens/<int:pk>/", token_pages.token_detail, name="token"),
    path("account/tokens/<int:pk>/revoke/", token_pages.token_revoke, name="token-revoke"),
    path("open-data/", api_pages.open_data, name="open-data"),
    path("api/v1/", include("nwwmh_portal.api.urls")),
    path("planning/", include("planning.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "nwwmh_portal.views.page_not_found"
handler500 = "nwwmh_portal.views.server_error"

"""/api/v1/: the catalogue (public), plans (with a token), the OpenAPI description and its documentation page.

Everything is in the `api` namespace. Version 1 is the only version: see README "Versioning" for what may change.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from nwwmh_portal.api import pages

app_name = "api"

urlpatterns = [
    path("", include("roles.api.urls")),
    path("", include("planning.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", pages.api_docs, name="docs"),
]

"""Catalogue API routes, included under /api/v1/ (namespace `api`) by `nwwmh_portal.api.urls`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from roles.api import views

router = SimpleRouter()
router.register("roles", views.RoleViewSet, basename="role")
router.register("role-families", views.FamilyViewSet, basename="family")
router.register("capabilities", views.CapabilityViewSet, basename="capability")
router.register("case-studies", views.CaseStudyViewSet, basename="case-study")
router.register("resources", views.ResourceViewSet, basename="resource")

urlpatterns = [
    *router.urls,
    path("downloads/catalogue.zip", views.CatalogueZip.as_view(), name="download-zip"),
    path("downloads/catalogue.json", views.CatalogueJson.as_view(), name="download-json"),
    path("downloads/catalogue.xlsx", views.CatalogueXlsx.as_view(), name="download-xlsx"),
]

"""Plan API routes, included under /api/v1/ (namespace `api`) by `nwwmh_portal.api.urls`."""

from rest_framework.routers import SimpleRouter

from planning.api import views

router = SimpleRouter()
router.register("plans", views.PlanViewSet, basename="plan")

urlpatterns = router.urls

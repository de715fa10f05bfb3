from django.conf import settings

SERVICE_NAME = "NWWMH Portal"

NAVIGATION = [
    ("Roles", "/roles/"),
    ("Case studies", "/case-studies/"),
    ("Resources", "/resources/"),
    ("Planning", "/planning/"),
]


def portal(request):
    path = request.path
    return {
        "service_name": SERVICE_NAME,
        "nhsuk_frontend": f"vendor/nhsuk-frontend/{settings.NHSUK_FRONTEND_VERSION}",
        "navigation": [{"text": text, "href": href, "current": path.startswith(href)} for text, href in NAVIGATION],
    }

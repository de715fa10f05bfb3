from django.conf import settings
from django.urls import reverse

SERVICE_NAME = "NWWMH Portal"

NAVIGATION = [  # (text, URL name)
    ("Roles", "roles:list"),
    ("Case studies", "roles:case-studies"),
    ("Resources", "roles:resources"),
    ("Planning", "planning:home"),
]


def portal(request):
    path = request.path
    links = [(text, reverse(name)) for text, name in NAVIGATION]
    return {
        "service_name": SERVICE_NAME,
        # The one place templates get the NHS.UK frontend's version from (settings.NHSUK_FRONTEND_VERSION).
        "nhsuk_frontend": f"vendor/nhsuk-frontend/{settings.NHSUK_FRONTEND_VERSION}",
        "navigation": [{"text": text, "href": href, "current": path.startswith(href)} for text, href in links],
    }

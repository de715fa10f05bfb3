"""The portal's URLs and an empty view (`bench-empty`), the yardstick of `bench/pages.py`."""

from django.http import HttpResponse
from django.urls import path

from nwwmh_portal.urls import handler404, handler500  # noqa: F401
from nwwmh_portal.urls import urlpatterns as portal_urlpatterns


def empty(request):
    return HttpResponse(b"")


urlpatterns = [path("bench/empty/", empty, name="bench-empty"), *portal_urlpatterns]

"""Who may reach a planning view, and what a refusal looks like.

Every planning view is wrapped in `workspace_view(methods)`: the user must be logged in, the request must use
one of `methods` (`READ`, `FORM` or `WRITE`), and a refusal (a viewer asking to change something, an agreed
plan) is a 403 page that says why. What a user may see is scoped by `planning.selectors`; what a user may
change is enforced by `planning.selectors` (leads only) and `planning.services` (not an agreed plan).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from planning.breadcrumbs import trail
from planning.models import Plan

READ = ["GET", "HEAD"]
FORM = ["GET", "HEAD", "POST"]
WRITE = ["POST"]


def workspace_view(methods):
    """Login required (anonymous users go to the login page), only `methods`, and a refusal (a viewer asking
    to change something, an agreed plan) is a 403 page that says why. A plan deleted while a save was on its
    way is a 404, like any missing plan."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Plan.DoesNotExist:  # deleted by someone else while this request was being handled
                raise Http404("No plan found") from None
            except PermissionDenied as refusal:
                return render(
                    request,
                    "forbidden.html",
                    {
                        "message": str(refusal) or "You cannot do that.",
                        "breadcrumbs": trail(),
                        "back_url": reverse("planning:home"),
                        "back_label": "Go to your workforce plans",
                    },
                    status=403,
                )

        return login_required(require_http_methods(methods)(wrapped))

    return decorator

"""What every planning page with a form needs: the posted data, the error summary's links, how a moment is written,
and the page an agreed (read only) plan shows instead of a form."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format

from planning.breadcrumbs import trail
from planning.services import LOCKED_MESSAGE


def posted(request):
    """The POST data to bind a form to, or None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def field_errors(form) -> list[tuple[str, str]]:
    """(field id, message) pairs for the error summary; a form-wide error links to the first field."""
    pairs = []
    for name, errors in form.errors.items():
        target = form[name].auto_id if name in form.fields else form[next(iter(form.fields))].auto_id
        pairs.extend((target, message) for message in errors)
    return pairs


def when(moment) -> str:
    """A moment as the pages write it: "2 December 2026 at 14:05"."""
    return date_format(timezone.localtime(moment), "j F Y \\a\\t H:i")


def locked_page(request, plan):
    """The page shown instead of a form for an agreed plan: why, and the ways on (reopen, copy)."""
    return render(
        request,
        "planning/plan_locked.html",
        {"plan": plan, "message": LOCKED_MESSAGE, "breadcrumbs": trail(plan)},
        status=403,
    )

"""Request-wide protections: body size cap, NUL characters, Permissions-Policy, no-store on private pages, the idle
timeout's session refresh and the absolute session lifetime."""

import functools
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

ACCOUNT_PAGES = "/accounts/"  # the login, password and two-step pages (nwwmh_portal.auth_urls)
SESSION_STARTED_KEY = "nwwmh_session_started"


@functools.cache
def private_prefixes() -> tuple[str, ...]:
    """Pages that show one person's data or change things: never kept by a browser or a shared cache."""
    return (reverse("planning:home"), ACCOUNT_PAGES, reverse("admin:index"))


def _simple_page(request, *, status: int, title: str, message: str) -> HttpResponse:
    """A plain page that needs neither the session nor the database (these refusals come before either). A 400
    shows the message in the NHS.UK error summary too, as the portal's other bad-input pages do."""
    errors = [message] if status == 400 else []
    return render(request, "refused.html", {"title": title, "message": message, "errors": errors}, status=status)


def declared_body_length(request) -> int | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return length if length >= 0 else None


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body is larger than NWWMH_MAX_REQUEST_BODY with 413, before any of it is
    read. Django reads no more than Content-Length, and a body without one (chunked) is read as empty, so the cap
    bounds every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_body_length(request)
        if length is None:
            return _simple_page(
                request, status=400, title="Sorry, there is a problem", message="The request was not understood."
            )
        if length > settings.NWWMH_MAX_REQUEST_BODY:
            megabytes = settings.NWWMH_MAX_REQUEST_BODY / (1024 * 1024)
            # (No "Connection: close": WSGI applications may not set hop-by-hop headers. gunicorn's sync workers
            # close the connection after each request; the proxy's own limit stops the body before it arrives.)
            return _simple_page(
                request,
                status=413,
                title="The file or form is too large",
                message=f"What you sent is larger than the portal accepts ({megabytes:g} MB). "
                "Send a smaller file: a spreadsheet of one team's staffing is far smaller than this.",
            )
        return self.get_response(request)


def _has_nul(items) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in items)


class NulCharacterMiddleware:
    """400 for a NUL character in the path, the query string or a form field of a workspace, account or admin
    request: PostgreSQL refuses NUL in text, so such a value would otherwise fail deep inside a query (a 500; the
    admin's list filters did), and no real input contains one. The public catalogue's filters and search validate
    every field themselves and name the field in their own 400 page (tests/roles/test_bad_input.py), so they are
    left to do so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return self.refuse(request)
        if not request.path.startswith(private_prefixes()):
            return self.get_response(request)
        if _has_nul(request.GET.lists()):
            return self.refuse(request)
        if (
            request.method == "POST"
            and request.content_type
            in {
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            }
            and _has_nul(request.POST.lists())
        ):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        return _simple_page(
            request,
            status=400,
            title="Sorry, there is a problem",
            message="What you sent contains a character the portal does not accept (a NUL character). "
            "Remove it and try again.",
        )


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on the workspace, account and admin pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(private_prefixes()):
            patch_cache_control(response, no_store=True, no_cache=True, must_revalidate=True, private=True)
            response.headers.pop("Expires", None)
        return response


class SessionRefreshMiddleware:
    """Keeps the idle timeout (SESSION_COOKIE_AGE) without writing the session on every request: a session that is
    not changed anyway is saved again only when that moves its end on by NWWMH_SESSION_REFRESH_SECONDS (60) or more.
    So a session ends between SESSION_COOKIE_AGE minus that and SESSION_COOKIE_AGE after its last request, never
    later, and a person clicking through pages costs one session write a minute instead of one a request. Sits
    just inside Django's SessionMiddleware, which does the saving. It needs the session store of
    nwwmh_portal.sessions (which remembers the stored end); with any other store every request saves, as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and needs_refresh(request.session):
            request.session.modified = True  # SessionMiddleware saves it and sends the cookie again
        return response


def needs_refresh(session) -> bool:
    if session.modified:
        return False  # saved anyway
    session.keys()  # loads it, so an unchanged session is found and its stored end read
    if session.session_key is None or session.is_empty():
        return False  # no such session (expired, logged out): nothing to keep alive
    stored = getattr(session, "stored_expiry", None)
    if stored is None:
        return True
    step = timedelta(seconds=settings.NWWMH_SESSION_REFRESH_SECONDS)
    return session.get_expiry_date() - stored >= step


class SessionLifetimeMiddleware:
    """Ends a logged-in session NWWMH_SESSION_ABSOLUTE_AGE seconds after login, however active it has been (the
    idle timeout is SESSION_COOKIE_AGE). The request then goes on as an anonymous one, so a page that needs a
    login sends the person to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.NWWMH_SESSION_ABSOLUTE_AGE:
                from nwwmh_portal import security_log

                security_log.record(security_log.Kind.SESSION_EXPIRED, request=request, user=request.user)
                logout(request)
        return self.get_response(request)


def mark_session_start(request) -> None:
    request.session[SESSION_STARTED_KEY] = time.time()

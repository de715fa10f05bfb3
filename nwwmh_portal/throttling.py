"""Rate limits on logging in, password resets and password changes, counted in the security log (so they hold
across workers and app servers, and survive restarts).

django-axes locks a username on one address after AXES_FAILURE_LIMIT failures. On top of that:
- one address may fail NWWMH_LOGIN_IP_LIMIT logins (any usernames) within NWWMH_LOGIN_THROTTLE_WINDOW seconds;
- one username may fail NWWMH_LOGIN_USERNAME_LIMIT logins (from any addresses) within that window; a password set
  from a reset link starts the count again;
- one email address may be sent NWWMH_PASSWORD_RESET_LIMIT reset emails an hour, and one client address may ask
  NWWMH_PASSWORD_RESET_IP_LIMIT times an hour;
- one account may enter a wrong current password on the password change form NWWMH_PASSWORD_CHANGE_LIMIT times
  within NWWMH_LOGIN_THROTTLE_WINDOW seconds.
A refused request gets 429 with a page saying when to try again.
"""

import functools
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil

from nwwmh_portal import security_log
from nwwmh_portal.accounts import client_ip_address
from nwwmh_portal.models import SecurityEvent

Kind = SecurityEvent.Kind
# The portal's and the admin's forms.
LOGIN_PAGES = ("login", "admin:login")
PASSWORD_CHANGE_PAGES = ("password_change", "admin:password_change")
RESET_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Refusal:
    title: str
    message: str
    retry_after: timedelta


@functools.cache
def login_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in LOGIN_PAGES)


@functools.cache
def password_change_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in PASSWORD_CHANGE_PAGES)


def login_window() -> timedelta:
    return timedelta(seconds=settings.NWWMH_LOGIN_THROTTLE_WINDOW)


def _last_reset(username: str):
    return (
        SecurityEvent.objects.filter(kind=Kind.PASSWORD_RESET_DONE, username=username)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def login_refusal(*, ip_address: str | None, username: str) -> Refusal | None:
    now = timezone.now()
    since = now - login_window()
    if ip_address and (
        security_log.count_recent(kind=Kind.LOGIN_FAILED, since=since, ip_address=ip_address)
        >= settings.NWWMH_LOGIN_IP_LIMIT
    ):
        return Refusal(
            "Too many attempts to log in from this network",
            "There have been too many wrong attempts to log in from your network address. "
            "Logging in from it is paused for a while.",
            login_window(),
        )
    if username:
        reset_at = _last_reset(username)
        counted_since = max(since, reset_at) if reset_at else since
        if (
            security_log.count_recent(kind=Kind.LOGIN_FAILED, since=counted_since, username=username)
            >= settings.NWWMH_LOGIN_USERNAME_LIMIT
        ):
            return Refusal(
                "Too many attempts to log in",
                "There have been too many wrong attempts to log in with this username, from several places. "
                "Logging in with it is paused for a while. If you have forgotten your password, reset it: "
                "setting a new password lets you log in again straight away.",
                login_window(),
            )
    return None


def password_reset_refusal(*, ip_address: str | None, email: str) -> Refusal | None:
    since = timezone.now() - RESET_WINDOW
    too_many_for_address = (
        security_log.count_recent(kind=Kind.PASSWORD_RESET_REQUESTED, since=since, username=email)
        >= settings.NWWMH_PASSWORD_RESET_LIMIT
    )
    too_many_from_here = ip_address is not None and (
        security_log.count_recent(kind=Kind.PASSWORD_RESET_REQUESTED, since=since, ip_address=ip_address)
        >= settings.NWWMH_PASSWORD_RESET_IP_LIMIT
    )
    if too_many_for_address or too_many_from_here:
        return Refusal(
            "Too many password reset requests",
            "You have asked for too many password reset emails. Check your inbox (and spam folder) for the "
            "emails already sent: each link works for a while.",
            RESET_WINDOW,
        )
    return None


def password_change_refusal(*, user) -> Refusal | None:
    since = timezone.now() - login_window()
    if (
        security_log.count_recent(kind=Kind.PASSWORD_CHANGE_FAILED, since=since, user=user)
        >= settings.NWWMH_PASSWORD_CHANGE_LIMIT
    ):
        return Refusal(
            "Too many wrong passwords",
            "Your current password has been entered wrongly too many times. Changing your password is paused "
            "for a while. If you have forgotten it, log out and reset it.",
            login_window(),
        )
    return None


def refused_response(request, refusal: Refusal, *, username: str = "", user=None):
    security_log.record(Kind.THROTTLED, request=request, username=username, user=user, detail=refusal.title)
    now = timezone.now()
    response = render(
        request,
        "refused.html",
        {"title": refusal.title, "message": refusal.message, "retry_after": timeuntil(now + refusal.retry_after, now)},
        status=429,
    )
    response["Retry-After"] = str(math.ceil(refusal.retry_after.total_seconds()))
    return response


def _wrong_old_password(response) -> bool:
    form = (getattr(response, "context_data", None) or {}).get("form")
    return form is not None and form.has_error("old_password", "password_incorrect")


class LoginThrottleMiddleware:
    """Applies the login and password change limits to the portal's and the admin's forms alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        if request.path in login_paths():
            username = str(request.POST.get("username", ""))[:150]
            refusal = login_refusal(ip_address=security_log.valid_ip(client_ip_address(request)), username=username)
            if refusal:
                return refused_response(request, refusal, username=username)
        elif request.path in password_change_paths() and request.user.is_authenticated:
            refusal = password_change_refusal(user=request.user)
            if refusal:
                return refused_response(request, refusal, user=request.user)
            response = self.get_response(request)
            if _wrong_old_password(response):
                security_log.record(Kind.PASSWORD_CHANGE_FAILED, request=request, user=request.user)
            elif response.status_code == 302:
                security_log.record(Kind.PASSWORD_CHANGED, request=request, user=request.user)
            return response
        return self.get_response(request)

"""Accounts: Django's auth views with NHS.UK wording, and the django-axes lockout page.

Login never says whether a username exists: an unknown username, a wrong password and an inactive account all get
the same message, and the lockout (by username and IP address together) is applied to unknown usernames too.
"""

import ipaddress
from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from axes.utils import reset as reset_axes_attempts
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil

INVALID_LOGIN = "Enter a correct username and password. Both are case-sensitive."
PASSWORDS_DIFFER = "The new passwords do not match. Enter the same new password twice."


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {"invalid_login": INVALID_LOGIN, "inactive": INVALID_LOGIN}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(failure_limit=settings.AXES_FAILURE_LIMIT, **kwargs)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    error_messages = {
        "password_incorrect": "Your current password is not correct. Enter it again.",
        "password_mismatch": PASSWORDS_DIFFER,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class SetPasswordForm(auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": PASSWORDS_DIFFER}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.com",
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"

    def get_extra_email_context(self):
        return {"valid_for": timeuntil(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT))}

    def form_valid(self, form):
        from nwwmh_portal import security_log, throttling

        email = form.cleaned_data["email"].strip().lower()
        refusal = throttling.password_reset_refusal(
            ip_address=security_log.valid_ip(client_ip_address(self.request)), email=email
        )
        if refusal:
            return throttling.refused_response(self.request, refusal, username=email)
        security_log.record(security_log.Kind.PASSWORD_RESET_REQUESTED, request=self.request, username=email)
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the emailed link also lifts any login lockout on that username."""

    form_class = SetPasswordForm

    def form_valid(self, form):
        from nwwmh_portal import security_log

        response = super().form_valid(form)
        reset_axes_attempts(username=form.user.get_username())
        security_log.record(security_log.Kind.PASSWORD_RESET_DONE, request=self.request, user=form.user)
        return response


def client_ip_address(request) -> str | None:
    """The address lockouts count against. Behind a proxy (`DJANGO_BEHIND_PROXY=1`) every request comes from the
    proxy, so the client is the last address the proxies added to X-Forwarded-For (`DJANGO_PROXY_COUNT` of them,
    default 1); addresses further left were sent by the client and could be made up."""
    remote = request.META.get("REMOTE_ADDR")
    if not settings.NWWMH_BEHIND_PROXY:
        return remote
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(forwarded) < settings.NWWMH_PROXY_COUNT:
        return remote
    client = forwarded[-settings.NWWMH_PROXY_COUNT]
    try:  # something that is not an address (a misconfigured proxy count) counts as the proxy's own address
        ipaddress.ip_address(client)
    except ValueError:
        return remote
    return client


def _clock_time(moment: datetime, now: datetime) -> str:
    """NHS.UK style: "3:05pm", with the date when it is not today."""
    hour = moment.hour % 12 or 12
    text = f"{hour}:{moment.minute:02d}{'am' if moment.hour < 12 else 'pm'}"
    if moment.date() != now.date():
        text += f" on {moment.day} {moment:%B}"
    return text


def lockout_response(request, original_response=None, credentials=None):
    """django-axes AXES_LOCKOUT_CALLABLE: a page saying the username is locked on this device, and until when.

    Each failed attempt during a lockout starts the cool-off again (axes' default), so the lock ends one
    cool-off period after this attempt.
    """
    cool_off = get_cool_off(request)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT}
    headers = {}
    if cool_off:
        now = timezone.localtime()
        context["try_again_at"] = _clock_time(timezone.localtime(now + cool_off), now)
        context["cool_off"] = timeuntil(now + cool_off, now)
        headers["Retry-After"] = str(int(cool_off.total_seconds()))
    response = render(request, "registration/lockout.html", context, status=429)
    for name, value in headers.items():
        response[name] = value
    return response

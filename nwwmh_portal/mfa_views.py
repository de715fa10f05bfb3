"""Two-step verification pages under /accounts/mfa/: set up an authenticator app, enter a code at login, use a
recovery code, and make new recovery codes. The rules are in `nwwmh_portal.mfa`."""

import math
import re
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timeuntil
from django.views.decorators.http import require_http_methods

from nwwmh_portal import mfa

APP_CODE = re.compile(r"\d{6}")


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not APP_CODE.fullmatch(code):
            raise forms.ValidationError("Enter the code in the correct format: 6 digits, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        max_length=40,
        error_messages={"required": "Enter one of your recovery codes"},
    )

    def clean_code(self):
        code = mfa.normalise_recovery_code(self.cleaned_data["code"])
        if len(code) != 8:
            raise forms.ValidationError(
                "Enter the recovery code in the correct format: 8 letters and numbers, like abcd-2345"
            )
        return code


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    staff_only = request.user.is_staff and not request.user.memberships.exists()
    return reverse("admin:index") if staff_only else reverse("planning:home")


def _add_check_error(form, check: mfa.CodeCheck, wrong: str) -> int:
    """Puts the result of a failed check on the code field; returns the status to answer with."""
    if check.throttled:
        now = timezone.now()
        seconds = max(1, math.ceil((check.wait_until - now).total_seconds()))
        wait = f"{seconds} second{'s' if seconds != 1 else ''}" if seconds < 120 else timeuntil(check.wait_until, now)
        form.add_error("code", f"Too many wrong codes. Wait {wait}, then try again.")
        return 429
    form.add_error("code", wrong)
    return 200


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Setting up an authenticator app. Someone who already has one must verify first: a password alone must never
    be enough to replace it."""
    if mfa.has_app(request.user) and not request.user.is_verified():
        return redirect(f"{reverse(mfa.VERIFY)}?{urlencode({'next': _next_url(request)})}")
    device = mfa.start_enrolment(request.user)
    form = AppCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        check, codes = mfa.confirm_enrolment(request, device, form.cleaned_data["code"])
        if check.ok:
            return render(
                request,
                "registration/mfa_recovery_codes_new.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
        status = _add_check_error(
            form,
            check,
            "The code is not correct. Check the app shows the NWWMH Portal, then enter the code it shows now.",
        )
    context = {
        "form": form,
        "secret_key": mfa.secret_key_text(device),
        "otpauth_uri": device.config_url,
        "next": _next_url(request),
        "replacing": mfa.has_app(request.user),
    }
    return render(request, "registration/mfa_setup.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if not mfa.has_app(request.user):
        return redirect(f"{reverse(mfa.SETUP)}?{urlencode({'next': _next_url(request)})}")
    form = AppCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        check = mfa.verify_app_code(request, form.cleaned_data["code"])
        if check.ok:
            return redirect(_next_url(request))
        status = _add_check_error(form, check, "The code is not correct. Enter the code your app shows now.")
    return render(request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def recovery(request):
    form = RecoveryCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        check = mfa.use_recovery_code(request, form.cleaned_data["code"])
        if check.ok:
            return render(
                request,
                "registration/mfa_recovery_used.html",
                {"left": mfa.recovery_codes_left(request.user), "next": _next_url(request)},
            )
        status = _add_check_error(
            form, check, "The recovery code is not correct, or it has been used. Each code works once."
        )
    return render(request, "registration/mfa_recovery.html", {"form": form, "next": _next_url(request)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """New recovery codes (the old ones stop working). Needs a verified session, like every page but these."""
    if not request.user.is_verified():
        return redirect(f"{mfa.step_url(request.user)}?{urlencode({'next': request.path})}")
    if request.method == "POST":
        codes = mfa.regenerate_recovery_codes(request)
        return render(request, "registration/mfa_recovery_codes_new.html", {"codes": codes, "next": _next_url(request)})
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {"left": mfa.recovery_codes_left(request.user), "next": _next_url(request)},
    )

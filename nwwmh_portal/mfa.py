"""Two-step verification (django-otp): who needs it, enrolling an authenticator app, checking codes, recovery
codes, and the middleware that holds a logged-in person at the verification step until they pass it.

Staff (curators, publishers, admins) and workforce leads (a planning membership with lead access) must verify with
a time-based code (TOTP, RFC 6238) from an authenticator app, or with one of their single-use recovery codes, after
their password. Their first login asks them to set up an app.
"""

import base64
import functools
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwwmh_portal import security_log

Kind = security_log.Kind
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
SETUP = "mfa-setup"
VERIFY = "mfa-verify"
# What a logged-in person who still has to verify may reach: the two-step pages, logging in and out, static files.
OPEN_WHILE_UNVERIFIED = (SETUP, VERIFY, "mfa-recovery", "mfa-recovery-codes", "logout", "login")


@functools.cache
def open_while_unverified() -> tuple[str, ...]:
    """The paths (and path prefixes) of OPEN_WHILE_UNVERIFIED, reversed once."""
    return (*(reverse(name) for name in OPEN_WHILE_UNVERIFIED), settings.STATIC_URL)


def step_url(user) -> str:
    """Where someone who has not passed two-step verification goes: the code page, or setting up an app (first
    time)."""
    return reverse(VERIFY if has_app(user) else SETUP)


def mfa_required(user) -> bool:
    """Staff and workforce leads. The membership model is read by name: this module does not import planning."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    membership = apps.get_model("planning", "Membership")
    return membership.objects.filter(user=user, access="lead").exists()


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_enrolment(user) -> TOTPDevice:
    """The unconfirmed device being set up (a new secret the first time), kept until a code confirms it."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_key_text(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    wait_until: datetime | None = None  # set when too many wrong codes mean the next one cannot be checked yet

    @property
    def throttled(self) -> bool:
        return self.wait_until is not None


def _throttled(device) -> CodeCheck | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    return CodeCheck(ok=False, wait_until=(data or {}).get("locked_until") or timezone.now())


def _check(request, device, code: str) -> CodeCheck:
    refusal = _throttled(device)
    if refusal:
        return refusal
    verified = verify_token(request.user, device.persistent_id, code)
    if verified is None:
        return CodeCheck(ok=False)
    otp_login(request, verified)
    return CodeCheck(ok=True)


def confirm_enrolment(request, device: TOTPDevice, code: str) -> tuple[CodeCheck, list[str]]:
    """Checks the first code from the app. If it is right the device is confirmed (replacing any older app), the
    session is verified, and new recovery codes are made and returned (to be shown once)."""
    check = _check(request, device, code)
    if not check.ok:
        security_log.record(Kind.MFA_FAILED, request=request, detail="setting up an authenticator app")
        return check, []
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = make_recovery_codes(request.user)
    security_log.record(Kind.MFA_ENROLLED, request=request)
    return check, codes


def verify_app_code(request, code: str) -> CodeCheck:
    device = app_device(request.user)
    if device is None:
        return CodeCheck(ok=False)
    check = _check(request, device, code)
    security_log.record(Kind.MFA_VERIFIED if check.ok else Kind.MFA_FAILED, request=request)
    return check


def normalise_recovery_code(code: str) -> str:
    return "".join(character for character in code.lower() if character.isalnum())


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


def use_recovery_code(request, code: str) -> CodeCheck:
    device = recovery_device(request.user)
    if device is None:
        security_log.record(Kind.MFA_RECOVERY_FAILED, request=request)
        return CodeCheck(ok=False)
    check = _check(request, device, normalise_recovery_code(code))
    security_log.record(
        Kind.MFA_RECOVERY_USED if check.ok else Kind.MFA_RECOVERY_FAILED,
        request=request,
        detail=f"{recovery_codes_left(request.user)} left" if check.ok else "",
    )
    return check


def format_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def make_recovery_codes(user) -> list[str]:
    """Replaces the user's recovery codes with NWWMH_RECOVERY_CODES new single-use ones, returned for showing once.
    (django-otp keeps static tokens as they are; they are random, single-use and useless without the password.)"""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        tokens = [StaticToken.random_token() for _ in range(settings.NWWMH_RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in tokens)
    return [format_recovery_code(token) for token in tokens]


def regenerate_recovery_codes(request) -> list[str]:
    codes = make_recovery_codes(request.user)
    security_log.record(Kind.MFA_RECOVERY_REGENERATED, request=request)
    return codes


class MFARequiredMiddleware:
    """Sends a logged-in member of staff or workforce lead who has not passed two-step verification in this session
    to set it up (first time) or to enter a code, then back where they were going. Covers the admin too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(open_while_unverified())
            and mfa_required(user)
        ):
            return redirect(f"{step_url(user)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

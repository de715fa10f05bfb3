"""Two-step verification in tests.

`enrol(user)` gives a user a confirmed authenticator app (TOTP device) and `app_code(device)` the code it shows now.
`Client.force_login` (used by most tests, which are not about logging in) also marks the session as verified with
the user's app, enrolling one when they need it, through django-otp's own `login`: the way a real login ends once the
code has been entered. `force_login(user, verified=False)` leaves the session at the verification step. Tests of
the login itself post to the real forms (tests/security/test_mfa.py).
"""

import re
import time

from django.test import Client, RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwwmh_portal import mfa

_django_force_login = Client.force_login


def enrol(user) -> TOTPDevice:
    device = mfa.app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=mfa.APP_DEVICE_NAME, confirmed=True)
    return device


def app_code(device: TOTPDevice) -> str:
    """The code the app shows now. Each code is accepted once (django-otp refuses a code no newer than the last one
    accepted), so the device's memory of the last one is cleared first: tests log in several times a minute."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def mark_verified(client: Client, user) -> None:
    """Verifies the client's session with the user's app, as entering its code would."""
    device = enrol(user)
    request = RequestFactory().get("/")
    request.user = user
    request.session = client.session
    otp_login(request, device)
    request.session.save()
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def force_login(self, user, backend=None, *, verified=True):
    _django_force_login(self, user, backend)
    if verified and mfa.mfa_required(user):
        mark_verified(self, user)


def pass_two_step(page, username):
    """After the password page: staff and workforce leads set up an authenticator app the first time (the code is
    worked out from the secret the portal has just made) or enter its code later. Others go straight on."""
    from django.contrib.auth.models import User
    from playwright.sync_api import expect

    from nwwmh_portal import mfa

    user = User.objects.get(username=username)
    if not mfa.mfa_required(user):
        return
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(
        re.compile("^(Set up two-step verification|Enter the code from your authenticator app)$")
    )
    setting_up = heading.inner_text().strip() == "Set up two-step verification"
    device = mfa.app_device(user, confirmed=not setting_up)
    page.get_by_label("Code from your authenticator app").fill(app_code(device))
    page.get_by_role("button", name="Continue").click()
    if setting_up:
        expect(heading).to_have_text("Save your recovery codes")
        page.get_by_role("link", name="I have saved my recovery codes").click()


def admin_log_in(context, username, password):
    """A new page of `context`, logged in to the admin as `username` (through the password and two-step pages)."""
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()
    pass_two_step(page, username)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page

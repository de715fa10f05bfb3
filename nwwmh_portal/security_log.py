"""Writing the security log (`nwwmh_portal.models.SecurityEvent`): logins, lockouts, two-step verification,
password changes, changes to groups, permissions and memberships, and refused workspace requests.

Every event is written by `record`, which takes only what it is given: nothing here ever receives a password, a
reset token or a one-time code. Paths of password reset links (which hold a token) are cut before they are stored.
"""

import contextvars
import functools
import ipaddress

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.urls import reverse

from nwwmh_portal.accounts import client_ip_address
from nwwmh_portal.models import SecurityEvent

Kind = SecurityEvent.Kind
_current_request = contextvars.ContextVar("nwwmh_current_request", default=None)
TOKEN_PATHS = ("/accounts/reset/",)


@functools.cache
def refusals_logged_under() -> str:
    """Refused requests are logged under this path: the workspace, where a 403 or 404 means someone asked for
    another organisation's data or for a change they may not make."""
    return reverse("planning:home")


def current_request():
    return _current_request.get()


def safe_path(path: str) -> str:
    for prefix in TOKEN_PATHS:
        if path.startswith(prefix):
            return prefix
    return path[:300]


def valid_ip(value) -> str | None:
    """The address if it is one (a made-up X-Forwarded-For or REMOTE_ADDR may not be: PostgreSQL would refuse it)."""
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def _username_of(user) -> str:
    return user.get_username() if user is not None and getattr(user, "pk", None) else ""


def record(kind: str, *, request=None, user=None, username: str = "", detail: str = "", status_code=None):
    """Writes one event. `request` defaults to the request being handled (if any): it gives the address, the path
    and who is logged in. `user` is the account the event is about."""
    request = request if request is not None else current_request()
    actor = None
    ip_address = None
    method = path = ""
    if request is not None:
        ip_address = valid_ip(client_ip_address(request))
        method = request.method or ""
        path = safe_path(request.path)
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            actor = request_user
    if user is not None and not getattr(user, "pk", None):
        user = None
    if user is None and actor is not None and kind != Kind.LOGIN_FAILED:
        user = actor
    event = SecurityEvent(
        kind=kind,
        user=user,
        username=(username or _username_of(user))[:150],
        actor=actor if actor is not None and actor != user else None,
        ip_address=ip_address,
        method=method[:10],
        path=path,
        status_code=status_code,
        detail=detail[:500],
    )
    event.save()
    return event


def count_recent(*, kind: str, since, ip_address=None, username=None, user=None) -> int:
    events = SecurityEvent.objects.filter(kind=kind, created_at__gte=since)
    if ip_address is not None:
        events = events.filter(ip_address=ip_address)
    if username is not None:
        events = events.filter(username=username)
    if user is not None:
        events = events.filter(user=user)
    return events.count()


class RequestContextMiddleware:
    """Makes the request available to signal handlers, and logs refused workspace requests (403, 404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code in (403, 404) and request.path.startswith(refusals_logged_under()):
                record(Kind.REFUSED, request=request, status_code=response.status_code)
            return response
        finally:
            _current_request.reset(token)


# --- signal handlers ----------------------------------------------------------------------------------------------


def _on_login(sender, request, user, **kwargs):
    record(Kind.LOGIN, request=request, user=user)


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.LOGOUT, request=request, user=user)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` are already cleansed by Django; only the username is kept.
    username = str(credentials.get("username") or "")
    record(Kind.LOGIN_FAILED, request=request, username=username)


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    record(Kind.LOCKED_OUT, request=request, username=str(username or ""))


def _names(model, pks) -> str:
    if model is Group:
        return ", ".join(sorted(model.objects.filter(pk__in=pks).values_list("name", flat=True)))
    if model is get_user_model():
        return ", ".join(sorted(model.objects.filter(pk__in=pks).values_list("username", flat=True)))
    return ", ".join(
        sorted(
            f"{app}.{code}"
            for app, code in model.objects.filter(pk__in=pks).values_list("content_type__app_label", "codename")
        )
    )


def _change_words(action: str) -> str:
    return {"post_add": "added", "post_remove": "removed", "pre_clear": "cleared"}[action]


def _on_user_m2m(kind):
    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in {"post_add", "post_remove", "pre_clear"}:
            return
        words = _change_words(action)
        if not reverse:  # user.groups.add(...) / user.user_permissions.add(...)
            if action == "pre_clear":
                pk_set = set(
                    getattr(instance, "groups" if kind == Kind.GROUPS_CHANGED else "user_permissions").values_list(
                        "pk", flat=True
                    )
                )
            if not pk_set:
                return
            record(kind, user=instance, detail=f"{words}: {_names(model, pk_set)}")
            return
        # group.user_set.add(user, ...) / permission.user_set.add(...): one event per user.
        users = get_user_model().objects.filter(pk__in=pk_set) if pk_set else instance.user_set.all()
        label = (
            instance.name if isinstance(instance, Group) else f"{instance.content_type.app_label}.{instance.codename}"
        )
        for user in users:
            record(kind, user=user, detail=f"{words}: {label}")

    return handler


def _on_group_permissions(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    words = _change_words(action)
    if reverse:  # permission.group_set.add(group)
        groups = Group.objects.filter(pk__in=pk_set or [])
        permission = f"{instance.content_type.app_label}.{instance.codename}"
        for group in groups:
            record(Kind.PERMISSIONS_CHANGED, detail=f"group {group.name}: {words} {permission}")
        return
    if action == "pre_clear":
        pk_set = set(instance.permissions.values_list("pk", flat=True))
    if pk_set:
        record(Kind.PERMISSIONS_CHANGED, detail=f"group {instance.name}: {words} {_names(model, pk_set)}")


ACCESS_FLAGS = ("is_active", "is_staff", "is_superuser")


def _on_user_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Logs a change of the flags that give access (active, staff, superuser)."""
    if raw or instance.pk is None or (update_fields is not None and not set(update_fields) & set(ACCESS_FLAGS)):
        return
    before = sender.objects.filter(pk=instance.pk).values(*ACCESS_FLAGS).first()
    if before is None:
        return
    changes = [
        f"{flag} {before[flag]} → {getattr(instance, flag)}"
        for flag in ACCESS_FLAGS
        if before[flag] != getattr(instance, flag)
    ]
    if changes:
        record(Kind.PERMISSIONS_CHANGED, user=instance, detail="; ".join(changes))


def _on_membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    verb = "added to" if created else "changed in"
    record(
        Kind.MEMBERSHIP_CHANGED,
        user=instance.user,
        detail=f"{verb} {instance.organisation} as {instance.access}",
    )


def _on_membership_deleted(sender, instance, **kwargs):
    # The user may be being deleted (the membership goes with them), so the event names them without linking them.
    username = get_user_model().objects.filter(pk=instance.user_id).values_list("username", flat=True).first()
    organisation = apps.get_model("planning", "Organisation").objects.filter(pk=instance.organisation_id).first()
    record(
        Kind.MEMBERSHIP_CHANGED,
        username=username or "",
        detail=f"removed from {organisation or f'organisation {instance.organisation_id}'} (was {instance.access})",
    )


def connect_signals() -> None:
    from axes.signals import user_locked_out

    user_model = get_user_model()
    user_logged_in.connect(_on_login, dispatch_uid="security_log_login")
    user_logged_out.connect(_on_logout, dispatch_uid="security_log_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="security_log_login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="security_log_locked_out")
    m2m_changed.connect(
        _on_user_m2m(Kind.GROUPS_CHANGED),
        sender=user_model.groups.through,
        dispatch_uid="security_log_groups",
        weak=False,
    )
    m2m_changed.connect(
        _on_user_m2m(Kind.PERMISSIONS_CHANGED),
        sender=user_model.user_permissions.through,
        dispatch_uid="security_log_user_permissions",
        weak=False,
    )
    m2m_changed.connect(
        _on_group_permissions, sender=Group.permissions.through, dispatch_uid="security_log_group_perms"
    )
    pre_save.connect(_on_user_saving, sender=user_model, dispatch_uid="security_log_user_flags")
    membership = apps.get_model("planning", "Membership")
    post_save.connect(_on_membership_saved, sender=membership, dispatch_uid="security_log_membership_saved")
    post_delete.connect(_on_membership_deleted, sender=membership, dispatch_uid="security_log_membership_deleted")

"""The content version: one number that every change to public content moves on.

Public pages (`nwwmh_portal.page_cache`) and plan results (`planning.results_cache`) are cached under keys that
include it, so a change to the catalogue, case studies, resources or planning reference data makes every copy
made before it unreachable at once (they expire later on their own). Nothing is deleted and nothing has to know
which pages a change touches.

The number is the time of the last change in nanoseconds, so it only goes up, two changes never give the same
number, and `last_modified()` gives the time for a `Last-Modified` header. It lives in the `content_version`
cache, which every process shares (Redis, or a file cache on this machine: see `nwwmh_portal.cache_settings`).

Safe fallback: when the number is missing (first start, eviction, a flushed server) a new one is written, later than
any before it, so older copies are never reused. When the cache cannot be reached, `current()` returns None and
callers render without caching; `bump()` logs and carries on, so an edit never fails because of the cache.

Apps say which models are content with `watch(...)` in their `AppConfig.ready` (the catalogue app its own models,
the planning app its reference data): every save, delete and many-to-many change of those models moves the number
on, straight away and again when the transaction commits, so a page rendered from data read just before the
commit cannot outlive it. `manage.py load_reference_data` moves it on when it finishes.
"""

import logging
import threading
import time

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

CACHE_ALIAS = "content_version"
KEY = "content-version"

_lock = threading.Lock()
_last = 0


def _fresh() -> int:
    """A number later than any this process gave before (and, from the clock, than any earlier process)."""
    global _last
    with _lock:
        _last = max(time.time_ns(), _last + 1)
        return _last


def current() -> int | None:
    """The content version now, or None when the cache cannot be reached (then nothing may be cached)."""
    try:
        store = caches[CACHE_ALIAS]
        value = store.get(KEY)
        if value is None:
            store.add(KEY, _fresh())
            value = store.get(KEY)
    except Exception:  # noqa: BLE001 - a cache outage must not take the site down
        logger.warning("Content version unavailable: pages are served without the cache", exc_info=True)
        return None
    return int(value) if value is not None else None


def bump() -> None:
    """Move the content version on: every cached page and plan result made before now is out of date."""
    try:
        caches[CACHE_ALIAS].set(KEY, _fresh(), timeout=None)
    except Exception:  # noqa: BLE001
        logger.error("Could not move the content version on: cached pages may be out of date", exc_info=True)


def last_modified(version: int) -> float:
    """The time of the change that made `version`, in seconds since the epoch."""
    return version / 1_000_000_000


def content_changed(sender=None, using=None, action=None, **kwargs) -> None:
    """Signal receiver: a watched model changed."""
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed fires before and after; the change is made by then
    bump()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(entry[1] is bump for entry in connection.run_on_commit):
        transaction.on_commit(bump, using=using)


def settings_changed(**kwargs) -> None:
    """Receiver of `setting_changed` (sent when tests override settings): pages may depend on any setting."""
    bump()


def watch(*models) -> None:
    """Treat every change of `models` (and of their many-to-many relations) as a change of content."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-version-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-version-delete-{label}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                content_changed, sender=through, dispatch_uid=f"content-version-m2m-{through._meta.label_lower}"
            )

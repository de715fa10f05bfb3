"""Public pages served from the cache to anonymous visitors.

A page is stored when an anonymous GET of a public catalogue or content page (the `roles` URLs and the
accessibility statement) answers 200 with nothing personal in it: no cookie set (so no CSRF token), no CSP nonce,
no `private`/`no-store` caching, no `Vary` beyond `Cookie`. It is found again by the request's scheme, host, full
path and query, the content version (`nwwmh_portal.content_version`: any change of content makes every stored
page unreachable) and the build (templates, static files, NHS.UK frontend version), so a deploy never serves a page
that points at static files that are gone.

Only requests that could not be anyone in particular are answered from the cache: GET, no session cookie, no
messages cookie, no `Authorization` header, and never under the workspace, the admin or accounts; only pages
of the URL names above are ever stored, so nothing else (an API, say) can be. Everything
else goes through the whole stack as before. The middleware sits just after the security and static-file
middleware, so a stored page skips sessions, authentication and rendering, and is replayed with the headers the
rest of the stack gave it (the CSP and framing headers among them).

Every stored page carries an `ETag` (a hash of its body) and a `Last-Modified` (the time of the last content
change), and `Cache-Control: no-cache`, so browsers ask again each time and a matching conditional GET is
answered 304 with no body.
"""

import hashlib
import logging
import posixpath
from functools import cache
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from nwwmh_portal import content_version

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
PAGE_SECONDS = 600  # a stored page is dropped after this even if nothing changed
PUBLIC_NAMESPACES = {"roles"}
PUBLIC_URL_NAMES = {"accessibility"}
# Never even looked up under these (the workspace, the admin, accounts): the first path segment of each URL.
PRIVATE_URL_NAMES = ("planning:home", "admin:index", "login")
HEADER = "X-Page-Cache"  # HIT or MISS, for people checking what happened
REPLAYED_VARY = {"cookie"}


@cache
def build_fingerprint() -> str:
    """What a deploy changes that pages depend on: templates, the static files' manifest, the frontend version."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(settings.NHSUK_FRONTEND_VERSION.encode())
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    folders += [Path(settings.BASE_DIR) / app / "templates" for app in ("roles", "planning", "nwwmh_portal")]
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


@cache
def private_prefixes() -> tuple[str, ...]:
    first_segments = (PurePosixPath(reverse(name)).parts[1] for name in PRIVATE_URL_NAMES)
    return tuple(posixpath.join(posixpath.sep, segment, "") for segment in first_segments)


def may_use_cache(request) -> bool:
    """Could this request be answered with a page stored for someone else?"""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(private_prefixes())
    )


def page_key(request, version: int) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # let the stack answer 400
    raw = "\n".join([request.scheme, host, request.get_full_path(), str(version), build_fingerprint()])
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def is_public_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return bool(set(match.namespaces) & PUBLIC_NAMESPACES) or match.view_name in PUBLIC_URL_NAMES


def may_store(request, response) -> bool:
    """Is this response the same for every anonymous visitor?"""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "_csp_nonce", None) is not None or "nonce-" in response.get("Content-Security-Policy", ""):
        return False  # another visitor must never get this request's nonce
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "max-age=0")):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    if vary - REPLAYED_VARY:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return is_public_page(request)


def add_validators(response, *, etag: str, last_modified: float) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if "Cache-Control" not in response:
        response["Cache-Control"] = "no-cache"  # browsers may keep it, but ask again each time (304 if unchanged)
    patch_vary_headers(response, ["Cookie"])


def conditional(request, response, *, etag: str, last_modified: float):
    """`response`, or 304 Not Modified when the request's If-None-Match / If-Modified-Since match it."""
    return get_conditional_response(request, etag=etag, last_modified=int(last_modified), response=response)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        version = content_version.current()  # read before rendering: a change during it makes the copy unreachable
        key = page_key(request, version) if version is not None else None
        if key is None:
            return self.get_response(request)
        store = caches[CACHE_ALIAS]
        try:
            stored = store.get(key)
        except Exception:  # noqa: BLE001 - the cache failing must not take pages down
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            return self.replay(request, stored)
        response = self.get_response(request)
        if not may_store(request, response):
            return response
        etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        modified = content_version.last_modified(version)
        add_validators(response, etag=etag, last_modified=modified)
        entry = {
            "headers": list(response.items()),
            "content": response.content,
            "etag": etag,
            "modified": modified,
        }
        try:
            store.set(key, entry, PAGE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Page cache unavailable", exc_info=True)
        response = conditional(request, response, etag=etag, last_modified=modified)
        response[HEADER] = "MISS"
        return response

    def replay(self, request, stored):
        response = HttpResponse(stored["content"])
        for name, value in stored["headers"]:
            response[name] = value
        response = conditional(request, response, etag=stored["etag"], last_modified=stored["modified"])
        response[HEADER] = "HIT"
        return response

"""What every API response under /api/ gets, after the view has answered.

- Conditional GET: an `ETag` (a digest of the body) and a `Last-Modified` (when this URL, for this client, first
  gave this body), so `If-None-Match` and `If-Modified-Since` get a 304 with no body. The first-seen times live
  in the Django cache: use a shared cache when there are several app servers.
- Cache headers: public data `public, max-age=60`; anything asked for with a token `private, no-cache`, and
  `Vary: Authorization` on both.
- The token log: each request that named a known token (refused or not) is recorded with the status it got.

HTML pages under /api/ (the documentation) are left alone: they may carry a signed-in user's name.
"""

import hashlib
from email.utils import formatdate

from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from nwwmh_portal import tokens

API_PREFIX = "/api/"
PUBLIC_MAX_AGE = 60
SEEN_TIMEOUT = 60 * 60 * 24 * 30


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


def _first_seen(key: str, etag: str) -> float:
    cache_key = "api:seen:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    seen = cache.get(cache_key)
    if seen and seen[0] == etag:
        return seen[1]
    now = int(timezone.now().timestamp())
    cache.set(cache_key, (etag, now), SEEN_TIMEOUT)
    return now


def conditional(request, response):
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    if response.get("Content-Type", "").startswith("text/html"):
        return response
    token = getattr(request, "access_token", None)
    if token is not None:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    patch_vary_headers(response, ["Authorization"])
    etag = response.get("ETag") or _etag(response.content)  # a view may name its own (the bulk downloads do)
    owner = f"token:{token.pk}" if token is not None else "anonymous"
    last_modified = _first_seen(f"{owner} {request.get_full_path()}", etag)
    response["ETag"] = etag
    response["Last-Modified"] = formatdate(last_modified, usegmt=True)
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        response = conditional(request, response)
        token = getattr(request, "access_token", None)
        if token is not None:
            tokens.record_use(
                token=token, method=request.method, path=request.get_full_path(), status=response.status_code
            )
        return response

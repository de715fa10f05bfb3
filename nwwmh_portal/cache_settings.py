"""The `CACHES` setting, from the environment (read by `nwwmh_portal/settings.py`; no Django imports here).

- `default` holds cached public pages and plan results. Local memory unless `CACHE_URL` names a Redis server
  (`redis://host:6379/1`, `rediss://…`), which every app server then shares.
- `content_version` holds the one content version (`nwwmh_portal.content_version`), which must be the same for
  every process that serves pages or changes content (gunicorn's workers, `manage.py load_reference_data`). With
  Redis it is the same server; without, a file cache on this machine (`NWWMH_CACHE_DIR`, default `.cache/` in the
  project), because local memory is private to each process and a change made in one worker would not reach the
  others.
"""

from pathlib import Path
from urllib.parse import urlsplit

PAGE_CACHE_MAX_ENTRIES = 1000  # local memory, per process: about 60 MB of pages at most


class CacheUrlError(ValueError):
    pass


def caches_from_env(*, cache_url: str, cache_dir: Path, key_prefix: str) -> dict:
    scheme = urlsplit(cache_url).scheme if cache_url else ""
    if scheme in {"redis", "rediss"}:
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}
        return {
            "default": {**redis, "KEY_PREFIX": key_prefix},
            "content_version": {**redis, "KEY_PREFIX": f"{key_prefix}-version", "TIMEOUT": None},
        }
    if scheme not in {"", "locmem"}:
        raise CacheUrlError(f"CACHE_URL must start with redis://, rediss:// or locmem://, not {scheme}://")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": key_prefix,
            "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES},
        },
        "content_version": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(cache_dir),
            "KEY_PREFIX": key_prefix,
            "TIMEOUT": None,
        },
    }

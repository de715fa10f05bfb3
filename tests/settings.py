"""The settings the test suite runs with: the project's one settings module, as a local run.

pytest (`[tool.pytest.ini_options]` in pyproject.toml) points Django here, so a plain `pytest`, as an IDE runs it,
needs no environment variables: this sets `NWWMH_LOCAL=1` (as `make test` does) before the project's settings
load, which gives them a generated secret key and plain HTTP. An `NWWMH_LOCAL` already set is kept. The project's
settings themselves are unchanged: outside tests and local runs they still refuse to start without a secret key
(`tests/security/test_settings.py` checks that in a fresh process).
"""

import os
import tempfile

os.environ.setdefault("NWWMH_LOCAL", "1")
# Each test run keeps its cache to itself (the content version's file cache, and key names on a shared Redis).
os.environ.setdefault("NWWMH_CACHE_DIR", tempfile.mkdtemp(prefix="nwwmh-test-cache-"))
os.environ.setdefault("CACHE_KEY_PREFIX", f"nwwmh-test-{os.getpid()}")

from nwwmh_portal.settings import *  # noqa: E402, F403

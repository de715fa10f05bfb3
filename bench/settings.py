"""The portal's own settings, with one difference: `bench.urls` adds an empty view beside the portal's pages, so
the empty Django view is measured on the same server, with the same middleware and the same database."""

from nwwmh_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

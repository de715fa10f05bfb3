"""An organisation's roll-up page content, rendered once per state of what it shows and reused.

The content (`planning/includes/organisation_rollup_body.html`) is a function of the organisation's name, its
teams (name, type, population), each team's baseline plans (id, name, version, when saved: the roll-up counts the
most recently saved), the content version (reference data) and the templates' build. All of these go into the key,
so the key changes whenever the page would; the reads that give them (the teams and the baselines, scoped to the
user) happen for every request, before anything stored is looked at. When the content is stored, no plan result is
read and nothing is added up. Nothing in it depends on who is looking.
"""

import hashlib
import logging

from django.core.cache import caches
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from nwwmh_portal import content_version
from nwwmh_portal.page_cache import build_fingerprint
from planning import results_cache
from planning.organisation_rollup import organisation_rollup

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
TEMPLATE = "planning/includes/organisation_rollup_body.html"


TEAM_FIELDS = ("pk", "name", "team_type_id", "population_served")
PLAN_FIELDS = ("pk", "team_id", "name", "version", "updated_at")


def content_key(organisation, teams: QuerySet, baseline_plans: QuerySet, version: int) -> str:
    """A hash of everything the content shows, read as plain values (two queries, no model instances)."""
    digest = hashlib.sha256()
    digest.update(f"{organisation.pk}|{organisation.name}|{version}|{build_fingerprint()}".encode())
    digest.update(results_cache.engine_fingerprint().encode())
    for row in teams.values_list(*TEAM_FIELDS):
        digest.update(f"|t{row}".encode())
    for row in baseline_plans.order_by("pk").values_list(*PLAN_FIELDS):
        digest.update(f"|p{row}".encode())
    return f"rollup-page:{digest.hexdigest()}"


def rendered(organisation, teams: QuerySet, baseline_plans: QuerySet) -> tuple[SafeString, object]:
    """(The content's HTML, the `OrganisationRollup` if it had to be worked out, else None). `teams` and
    `baseline_plans` are the scoped querysets of `planning.selectors`; they are loaded only when the content is not
    stored."""
    version = content_version.current()
    key = content_key(organisation, teams, baseline_plans, version) if version is not None else None
    store = caches[CACHE_ALIAS]
    html = None
    if key:
        try:
            html = store.get(key)
        except Exception:  # noqa: BLE001
            logger.warning("Roll-up cache unavailable", exc_info=True)
            key = None
    page = None
    if html is None:
        page = organisation_rollup(organisation, list(teams), list(baseline_plans))
        html = render_to_string(TEMPLATE, {"organisation": organisation, "page": page})
        if key:
            try:
                store.set(key, html, results_cache.RESULT_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("Roll-up cache unavailable", exc_info=True)
    return mark_safe(html), page  # noqa: S308 - rendered by Django's templates, which escape what they are given

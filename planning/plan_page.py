"""The heavy parts of a plan's page (the dashboard, the plan's inputs, its history), rendered once per plan version
and reused until something they show changes.

Each part is the HTML of its include, stored under the same key as the plan's results (`planning.results_cache`:
plan id and version, team type and population, content version, engine) and the build of the templates
(`nwwmh_portal.page_cache.build_fingerprint`). Every change of the plan or its lines moves the plan's version on,
and every change of reference data the content version, so a stored part is never out of date. The parts hold
nothing that depends on who is looking (no forms, no user): the view checks access first, and the page around them
(actions, scenarios, "Compare with", messages) is rendered for each request as before.

Everything is worked out lazily, so a page whose parts are all stored reads neither the plan's lines nor its
history and runs neither the engine nor the dashboard's presenters.
"""

import logging
from functools import cached_property

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from nwwmh_portal import content_version
from nwwmh_portal.page_cache import build_fingerprint
from planning import dashboard, engine, engine_inputs, presenters, results_cache, selectors
from planning.models import Plan
from planning.role_options import role_options

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
PART_SECONDS = 24 * 3600
PARTS = {
    "dashboard": "planning/includes/dashboard.html",
    "inputs": "planning/includes/plan_summary.html",
    "history": "planning/includes/history.html",
}


class PlanPage:
    """A plan's page parts. `plan` comes from `selectors.plan_for` (access already checked)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.version = content_version.current()  # read first: a change after it makes these keys unreachable

    @cached_property
    def lines(self):
        return selectors.plan_lines(self.plan)

    @cached_property
    def result(self) -> engine.PlanResult:
        return engine_inputs.results_for([self.plan])[self.plan.pk]

    @cached_property
    def dashboard(self):
        staffing, _ = self.lines
        return dashboard.build(self.plan, self.result, staffing)

    def part_context(self) -> dict:
        staffing, demand = self.lines
        return {
            "plan": self.plan,
            "dashboard": self.dashboard,
            "staffing": staffing,
            "demand": demand,
            "totals": presenters.staffing_totals(staffing),
            "assumptions": presenters.assumption_rows(self.plan),
            "history": presenters.plan_history(self.plan, role_options()),
        }

    def key(self, name: str) -> str:
        return f"plan-page:{name}:{results_cache.result_key(self.plan, self.version)}:{build_fingerprint()}"

    @cached_property
    def html(self) -> dict[str, SafeString]:
        """Part name → its HTML: stored ones reused, the rest rendered now (and stored)."""
        store = caches[CACHE_ALIAS]
        keys = {name: self.key(name) for name in PARTS}
        try:
            found = store.get_many(list(keys.values())) if self.version is not None else {}
        except Exception:  # noqa: BLE001 - without the cache, every part is rendered
            logger.warning("Plan page cache unavailable", exc_info=True)
            found, store = {}, None
        parts = {name: found[key] for name, key in keys.items() if key in found}
        missing = [name for name in PARTS if name not in parts]
        if missing:
            context = self.part_context()
            rendered = {name: render_to_string(PARTS[name], context) for name in missing}
            if store is not None and self.version is not None:
                try:
                    store.set_many({keys[name]: html for name, html in rendered.items()}, PART_SECONDS)
                except Exception:  # noqa: BLE001
                    logger.warning("Plan page cache unavailable", exc_info=True)
            parts.update(rendered)
        # Rendered by Django's templates, which escape everything they are given.
        return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308

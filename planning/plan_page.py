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

The rest of the page (the shell: base template, breadcrumbs, heading, actions, scenarios, "Compare with") is
reused too, per person: it is stored under the parts' key, the user's id and username, whether they lead the
plan's organisation, the page's path and everything else it shows (`shown`: every field of the plan, its team,
organisation, team type, baseline and last editor, and the team's other plans), so any change of those, or of the
user's access, finds no stored shell. It is rendered with a random marker in place of the CSRF token and of each
part, and kept as the text between the markers; each request fills in its own CSRF token and the parts. A
request with messages to show renders the whole page as before (messages are never stored). Access is checked
before any of this, on every request, by the view.
"""

import hashlib
import logging
import re
import secrets
from functools import cached_property

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
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
CSRF_SLOT = "csrf"


def _values(instance) -> tuple | None:
    if instance is None:
        return None
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


def shown(*, plan: Plan, can_edit: bool, around: selectors.TeamPlans) -> tuple:
    """What the page shows from the database outside its parts, for the shell's key: the user's access, every field
    of the plan, its team, organisation, team type, baseline and last editor, and the team's other plans."""
    team = plan.team
    rows = [plan, team, team.organisation, team.team_type, plan.scenario_of, plan.updated_by]
    others = [(other.pk, other.name, other.status, other.scenario_of_id) for other in around.others]
    return (can_edit, [_values(row) for row in rows], others)


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

    def _read(self, keys: list[str]) -> dict:
        if self.version is None:
            return {}
        try:
            return caches[CACHE_ALIAS].get_many(keys)
        except Exception:  # noqa: BLE001 - without the cache, everything is rendered
            logger.warning("Plan page cache unavailable", exc_info=True)
            return {}

    def _store(self, items: dict) -> None:
        if self.version is None:
            return
        try:
            caches[CACHE_ALIAS].set_many(items, PART_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Plan page cache unavailable", exc_info=True)

    @cached_property
    def _found(self) -> dict:
        return self._read([self.key(name) for name in PARTS])

    @cached_property
    def html(self) -> dict[str, SafeString]:
        """Part name → its HTML: stored ones reused, the rest rendered now (and stored)."""
        keys = {name: self.key(name) for name in PARTS}
        parts = {name: self._found[key] for name, key in keys.items() if key in self._found}
        missing = [name for name in PARTS if name not in parts]
        if missing:
            context = self.part_context()
            rendered = {name: render_to_string(PARTS[name], context) for name in missing}
            self._store({keys[name]: html for name, html in rendered.items()})
            parts.update(rendered)
        # Rendered by Django's templates, which escape everything they are given.
        return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308

    def response(self, request, template_name: str, context: dict, *, shown) -> HttpResponse:
        """The page, from its stored shell and parts when it can be (see the module's notes). `context` must hold
        everything the template needs but `parts`; `shown` everything from the database that it shows outside the
        parts (its repr goes into the key)."""
        if self.version is None or len(get_messages(request)):
            return render(request, template_name, {**context, "parts": SimpleLazyObject(lambda: self.html)})
        user = request.user
        facts = repr((user.pk, user.get_username(), request.path, shown)).encode()
        shell_key = self.key(f"shell:{hashlib.blake2b(facts, digest_size=16).hexdigest()}")
        self._found = self._read([shell_key, *(self.key(name) for name in PARTS)])
        shell = self._found.get(shell_key)
        if shell is None:
            shell = self._render_shell(request, template_name, context)
            self._store({shell_key: shell})
        slots = {**self.html, CSRF_SLOT: get_token(request) if CSRF_SLOT in shell[1::2] else ""}
        return HttpResponse("".join(slots[piece] if index % 2 else piece for index, piece in enumerate(shell)))

    @staticmethod
    def _render_shell(request, template_name: str, context: dict) -> list[str]:
        """The page's text between its slots, and the slots' names: [text, slot, text, slot, …, text]."""
        marker = f"slot{secrets.token_hex(16)}"  # random, so no text on the page can contain it
        parts = {name: mark_safe(f"{marker}{name}") for name in PARTS}  # noqa: S308 - a random marker
        html = render_to_string(
            template_name, {**context, "parts": parts, "csrf_token": f"{marker}{CSRF_SLOT}"}, request=request
        )
        return re.split(f"{marker}({'|'.join([*PARTS, CSRF_SLOT])})", html)

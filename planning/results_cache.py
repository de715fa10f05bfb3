"""Plan results worked out once and reused: the dashboard, `results.json`, the exports, the comparison and the
roll-up all ask `planning.engine_inputs.results_for`, which comes here.

A result is stored under everything it depends on, so a changed input never finds an old result:
- the plan's id and `version` (every change of a plan, its assumptions or its lines moves it on:
  `planning.services`, and the admin's save);
- its team's type and population (a team is edited apart from its plans);
- the content version (`nwwmh_portal.content_version`: roles, capabilities, supervisors, pay scales, targets and
  team types are reference data, and any change of them moves it on);
- the engine's fingerprint (a hash of the engine's source and of `planning/engine_inputs.py`), so results made by
  an older release are never read back after a deploy.
Results are read in one batch (`get_many`), and only the plans not found are worked out, in one batch as before.
When the cache cannot be reached everything is worked out as if nothing were stored.
"""

import hashlib
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.core.cache import caches

from nwwmh_portal import content_version
from planning import engine
from planning.models import Plan

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
RESULT_SECONDS = 24 * 3600


@cache
def engine_fingerprint() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=8)
    for path in [*sorted((here / "engine").glob("*.py")), here / "engine_inputs.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def result_key(plan: Plan, version: int) -> str:
    team = plan.team
    return (
        f"plan-result:{plan.pk}:{plan.version}:{team.team_type_id}:{team.population_served}:"
        f"{version}:{engine_fingerprint()}"
    )


def results_for(
    plans: list[Plan], *, calculate: Callable[[list[Plan]], dict[int, engine.PlanResult]]
) -> dict[int, engine.PlanResult]:
    """Each plan's result by plan id: stored ones reused, the rest worked out by `calculate` (one batch) and stored."""
    if not plans:
        return {}
    version = content_version.current()  # read before any input: a change after it makes these keys unreachable
    if version is None:
        return calculate(plans)
    store = caches[CACHE_ALIAS]
    keys = {plan.pk: result_key(plan, version) for plan in plans}
    try:
        found = store.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - a cache outage must not stop the workspace
        logger.warning("Plan results cache unavailable", exc_info=True)
        return calculate(plans)
    results = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [plan for plan in plans if plan.pk not in results]
    if missing:
        worked_out = calculate(missing)
        results.update(worked_out)
        try:
            store.set_many({keys[pk]: result for pk, result in worked_out.items()}, RESULT_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Plan results cache unavailable", exc_info=True)
    return results

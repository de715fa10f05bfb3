"""The body of `results.json`: the engine's output as JSON text, made once per result and reused.

`engine.as_dict` and `json.dumps` of a 200-line plan over 10 years take longer than everything else the request
does, so the text of `{"generated_at": …, **engine.as_dict(result)}` is stored under the result's own key
(`planning.results_cache.result_key`). `generated_at` is then what the README says: when the figures were worked
out. The plan's metadata (team and organisation names can change without the plan changing) is written for each
request and put in front.
"""

import json
import logging

from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from nwwmh_portal import content_version
from planning import engine, engine_inputs, results_cache
from planning.models import Plan

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"


def _dumps(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def figures_json(plan: Plan) -> str:
    """`{"generated_at": …, **engine.as_dict(result)}` as JSON text (an object)."""
    version = content_version.current()
    key = f"plan-results-json:{results_cache.result_key(plan, version)}" if version is not None else None
    store = caches[CACHE_ALIAS]
    try:
        text = store.get(key) if key else None
    except Exception:  # noqa: BLE001
        logger.warning("Plan results cache unavailable", exc_info=True)
        text, key = None, None
    if text is None:
        result = engine_inputs.results_for([plan])[plan.pk]
        text = _dumps({"generated_at": timezone.now().isoformat(timespec="seconds"), **engine.as_dict(result)})
        if key:
            try:
                store.set(key, text, results_cache.RESULT_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("Plan results cache unavailable", exc_info=True)
    return text


def body(plan: Plan, metadata: dict) -> str:
    """The whole `results.json`: `{"plan": metadata, "generated_at": …, …}`."""
    figures = figures_json(plan)
    return '{"plan": ' + _dumps(metadata) + (", " + figures[1:] if figures != "{}" else "}")

"""A plan's results for the API: the planning engine's whole output (`engine.as_dict`), worked out on request.

The one place the plan API reaches the ORM → engine loader, so a rename of the loader touches only this module.
"""

from planning import engine, engine_inputs
from planning.models import Plan


def results_of(plan: Plan) -> dict:
    return engine.as_dict(engine_inputs.results_for([plan])[plan.pk])

"""`as_dict(result)`: a JSON-safe, rounded copy of any engine output, for views and exports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any

from planning.engine.inputs import Assumptions


def as_dict(result: Any, *, places: int = 2) -> Any:
    """A JSON-safe copy of any engine output: dataclasses become dicts, sets sorted lists, dict keys strings, and
    every float is rounded to `places` decimal places (pence for money; hours, FTE and percentages to 2 dp).
    The plan's `Assumptions` are copied unrounded, because they are inputs (0.785 must not become 0.79)."""
    if isinstance(result, Assumptions):
        return {item.name: getattr(result, item.name) for item in fields(result)}
    if is_dataclass(result) and not isinstance(result, type):
        return {item.name: as_dict(getattr(result, item.name), places=places) for item in fields(result)}
    if isinstance(result, Mapping):
        return {str(key): as_dict(value, places=places) for key, value in result.items()}
    if isinstance(result, set | frozenset):
        return sorted(as_dict(value, places=places) for value in result)
    if isinstance(result, list | tuple):
        return [as_dict(value, places=places) for value in result]
    if isinstance(result, bool) or result is None or isinstance(result, int | str):
        return result
    if isinstance(result, float | Decimal):
        rounded = round(float(result), places)
        return 0.0 if rounded == 0 else rounded  # no "-0.0" on a dashboard
    raise TypeError(f"as_dict cannot convert {type(result).__name__}")

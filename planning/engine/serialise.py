"""`as_dict(result)`: a JSON-safe, rounded copy of any engine output, for views and exports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from planning.engine.inputs import Assumptions


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    """A dataclass's field names, looked up once per class (a results.json of a large plan has thousands of rows)."""
    return tuple(item.name for item in fields(kind))


def _number(value: float | Decimal, places: int) -> float:
    return round(float(value), places) or 0.0  # `or 0.0`: no "-0.0" on a dashboard


_PLAIN = (int, str, bool, type(None))


def _value(value: Any, places: int) -> Any:
    """One value inside a container: floats and plain values inline (the bulk of a large result), the rest
    through as_dict."""
    kind = type(value)
    if kind is float:
        return round(value, places) or 0.0
    if kind in _PLAIN:
        return value
    return as_dict(value, places=places)


def as_dict(result: Any, *, places: int = 2) -> Any:
    """A JSON-safe copy of any engine output: dataclasses become dicts, sets sorted lists, dict keys strings, and
    every float is rounded to `places` decimal places (pence for money; hours, FTE and percentages to 2 dp).
    The plan's `Assumptions` are copied unrounded, because they are inputs (0.785 must not become 0.79)."""
    if isinstance(result, float):
        return _number(result, places)
    if isinstance(result, bool) or result is None or isinstance(result, int | str):
        return result
    if isinstance(result, Assumptions):
        return {name: getattr(result, name) for name in _field_names(Assumptions)}
    if is_dataclass(result) and not isinstance(result, type):
        return {name: _value(getattr(result, name), places) for name in _field_names(type(result))}
    if isinstance(result, Mapping):
        return {str(key): _value(value, places) for key, value in result.items()}
    if isinstance(result, set | frozenset):
        return sorted(as_dict(value, places=places) for value in result)
    if isinstance(result, list | tuple):
        return [_value(value, places) for value in result]
    if isinstance(result, Decimal):
        return _number(result, places)
    raise TypeError(f"as_dict cannot convert {type(result).__name__}")

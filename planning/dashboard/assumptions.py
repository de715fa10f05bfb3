"""The dashboard's "Assumptions used" table: each assumption the engine used, its modelling default, and what it
means. The label and meaning are the `Plan` field's `verbose_name` and `help_text`; the symbol is the one the
engine's equations use (see `planning.engine`)."""

from __future__ import annotations

import math
import re

from planning import engine
from planning.dashboard.rows import AssumptionRow
from planning.formatting import plain
from planning.models import Plan

# Plan field → the symbol in the equations. Order: as the table shows them.
SYMBOLS = {
    "contract_hours": "C",
    "productive_fraction": "p",
    "direct_care_fraction": "d",
    "demand_growth_pct": "g",
    "on_cost_pct": "o",
    "supervision_fraction": "s",
    "pay_growth_pct": "w",
}
# Units written after a value that the field's name does not give as "(%…)".
UNITS = {"contract_hours": " hours"}
_PERCENT_LABEL = re.compile(r"(?P<name>.+?) \(%(?P<rest>[^)]*)\)")


def label_and_unit(name: str) -> tuple[str, str]:
    """The field's name for a row whose values carry their unit: "Employer on-costs (%)" → ("Employer on-costs",
    "%"); "Demand growth (% a year)" → ("Demand growth a year", "%")."""
    verbose = str(Plan._meta.get_field(name).verbose_name)
    match = _PERCENT_LABEL.fullmatch(verbose)
    if match:
        return f"{match['name']}{match['rest']}", "%"
    return verbose, UNITS.get(name, "")


def assumption_rows(result: engine.PlanResult, plan: Plan, *, latest_pay_year: str) -> list[AssumptionRow]:
    defaults = engine.Assumptions()
    rows = []
    for name, symbol in SYMBOLS.items():
        label, unit = label_and_unit(name)
        value, default = getattr(result.assumptions, name), getattr(defaults, name)
        rows.append(
            AssumptionRow(
                symbol=symbol,
                label=label,
                value=f"{plain(value)}{unit}",
                default=f"{plain(default)}{unit}",
                is_default=math.isclose(value, default),
                meaning=str(Plan._meta.get_field(name).help_text),
            )
        )
    pay_year = Plan._meta.get_field("pay_year")
    rows.append(
        AssumptionRow(
            symbol="",
            label=str(pay_year.verbose_name),
            value=plan.pay_year,
            default=latest_pay_year,
            is_default=plan.pay_year == latest_pay_year,
            meaning=f"{pay_year.help_text}; a new plan takes the latest pay year the portal has",
        )
    )
    pay_point = Plan._meta.get_field("pay_point")
    rows.append(
        AssumptionRow(
            symbol="",
            label=str(pay_point.verbose_name),
            value=plan.get_pay_point_display(),
            default=Plan.PayPoint(pay_point.default).label,
            is_default=plan.pay_point == pay_point.default,
            meaning=str(pay_point.help_text),
        )
    )
    return rows

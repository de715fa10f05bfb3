"""The plan's fields in one place: which fields make up a plan's assumptions, a staffing line and a demand line,
and each field's label, hint and limits, read from the model (its `verbose_name`, `help_text` and validators).

Forms, the plan summary, history, the conflict page, the dashboard and the spreadsheets all take their wording
and limits from here, so a limit changed on the model changes everywhere at once.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from planning.models import DemandLine, Plan, StaffingLine
from roles.models import ComplexityTier

ASSUMPTION_FIELDS = [
    "name",
    "start_year",
    "horizon_years",
    "contract_hours",
    "productive_fraction",
    "direct_care_fraction",
    "demand_growth_pct",
    "on_cost_pct",
    "supervision_fraction",
    "pay_year",
    "pay_point",
    "pay_growth_pct",
    "demand_basis",
    "staff_on_shift",
    "notes",
]
# The assumptions that are numbers with a modelling default (the rest are the name, the period, the pay year,
# the pay point and the notes).
NUMBER_ASSUMPTIONS = [
    "contract_hours",
    "productive_fraction",
    "direct_care_fraction",
    "demand_growth_pct",
    "on_cost_pct",
    "supervision_fraction",
    "pay_growth_pct",
]
STAFFING_FIELDS = [
    "role_id",
    "band",
    "fte",
    "establishment_fte",
    "attrition_pct",
    "trainees_fte",
    "trainee_completion_year",
    "recruitment_fte_per_year",
    "complexity_ceiling",
    "supervision_hours_per_month",
    "note",
]
# A line's own settings, each empty for the default: its ceiling (the role and band's default), its supervision
# hours (the role's default) and a note.
STAFFING_OPTIONS = ["complexity_ceiling", "supervision_hours_per_month", "note"]
# A line's declared capabilities, as its values carry them: {capability slug: FTE holding it}. A spreadsheet names
# each in a column `<capability slug>_fte`.
DECLARED = "declared_capabilities"
DECLARED_SUFFIX = "_fte"
# The staffing line's fields as a form names them (the role by its field name rather than its column).
STAFFING_FORM_FIELDS = ["role" if name == "role_id" else name for name in STAFFING_FIELDS]
STAFFING_AMOUNTS = ["fte", "establishment_fte", "attrition_pct", "trainees_fte", "recruitment_fte_per_year"]
DEMAND_FIELDS = ["tier", "caseload", "hours_per_person_per_week"]
DEMAND_AMOUNTS = ["caseload", "hours_per_person_per_week"]  # what a user types for a tier
DEMAND_TIERS = [ComplexityTier.COMPLEX, ComplexityTier.MODERATE, ComplexityTier.ROUTINE]  # in the order shown

# A message names a field by its label without the unit in brackets ("Annual attrition must be 100 or less");
# these read better shorter still.
MESSAGE_NAMES = {(Plan, "contract_hours"): "Contract hours"}


def model_field(model: type[models.Model], name: str) -> models.Field:
    """The model field called `name`; a foreign key may be named by its column ("role_id")."""
    return model._meta.get_field(name.removesuffix("_id"))


def label(model: type[models.Model], name: str) -> str:
    """The field's label: its verbose name, as written on the model ("Annual attrition (%)")."""
    verbose = str(model_field(model, name).verbose_name)
    return verbose[0].upper() + verbose[1:]


def message_name(model: type[models.Model], name: str) -> str:
    """The field as a message names it: "Annual attrition", "Horizon", "FTE in post"."""
    return MESSAGE_NAMES.get((model, name)) or re.sub(r"\s*\([^)]*\)$", "", label(model, name))


def help_text(model: type[models.Model], name: str) -> str:
    return str(model_field(model, name).help_text)


def default(model: type[models.Model], name: str):
    field = model_field(model, name)
    return field.default if field.has_default() else None


def labels(model: type[models.Model], names: list[str]) -> dict[str, str]:
    return {name: label(model, name) for name in names}


@dataclass(frozen=True)
class Limits:
    """What a number field accepts: from `minimum` to `maximum`, with at most `places` decimal places (0 for a
    whole number); `required` when the model has neither a default nor allows it to be empty."""

    minimum: Decimal | int | None
    maximum: Decimal | int | None
    places: int
    required: bool

    @property
    def integer(self) -> bool:
        return self.places == 0


def limits(model: type[models.Model], name: str) -> Limits:
    """The field's limits, from its validators (the tightest of each) and its decimal places."""
    field = model_field(model, name)
    minimum = maximum = None
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            minimum = validator.limit_value if minimum is None else max(minimum, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            maximum = validator.limit_value if maximum is None else min(maximum, validator.limit_value)
    places = field.decimal_places if isinstance(field, models.DecimalField) else 0
    return Limits(minimum=minimum, maximum=maximum, places=places, required=not field.blank and not field.has_default())


STAFFING_LABELS = labels(StaffingLine, STAFFING_FORM_FIELDS)
DEMAND_LABELS = labels(DemandLine, DEMAND_FIELDS)
ASSUMPTION_LABELS = labels(Plan, ASSUMPTION_FIELDS)

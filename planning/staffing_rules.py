"""The rules for one staffing line, in one place: the plan editor's rows and the spreadsheet import both call
`check_line`, so a file and the editor accept exactly the same lines.

A line is valid when:

- its role is one of the catalogue's roles;
- its band is a pay grade (an Agenda for Change band, or a medical grade for doctors: `roles.bands`) of the role's
  pay table, within the role's range (`roles.bands.role_band_range`: from the trainee band, or the lowest
  qualified band, to the highest qualified band; an unknown end is open within the pay table). A role whose range
  the catalogue does not confirm accepts any grade of its pay table only, and the editor says the band is not
  confirmed (`roles.bands.role_band_rule_text`): never any band silently;
- each amount (FTE in post, funded establishment, attrition, trainees, planned recruitment) is a number within
  the limits of the model field (`planning.fields.limits`: its validators and decimal places); FTE in post and
  funded establishment are required, the others are 0 when blank;
- a trainee completion year, when given, is a whole year within the years the plan covers, and is given
  whenever there are trainees in the pipeline;
- its own settings are each optional (empty: the default): the most complex need it may hold (routine, moderate or
  complex, or 1 to 3; empty for the role and band's default, `roles.experience`), supervision hours a month (a
  number within the model field's limits; empty for the role's default) and a note (at most 200 characters);
- each declared capability (FTE of the line holding a capability that needs further training or approval, such as
  independent prescribing) is one the role can hold with further training (`Declarable`), a number within the FTE
  limits, and no more than the line's FTE in post.

`check_line` returns the line's values and a list of `Problem`s, each tied to one field. A problem is worded
for the editor (`editor_message`: "FTE in post must be 999.99 or less", next to the field) or for an import
(`import_message`: "fte must be 999.99 or less (it is 1000)", in a list of the file's rows).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from planning.fields import DECLARED, DECLARED_SUFFIX, STAFFING_AMOUNTS, STAFFING_OPTIONS, Limits, limits, message_name
from planning.formatting import plain
from planning.models import StaffingLine
from roles.bands import BAND_BY_CODE, MEDICAL_CODES, Band, band_code, role_band_allowed, role_band_rule_text
from roles.models import Capability, ComplexityTier

# A grade as a file may write it: its code ("8a", "consultant"), its label ("Band 8a", "Specialty doctor").
GRADE_BY_TEXT = {**{band.label.lower(): band.value for band in Band}, **BAND_BY_CODE}

SKIP = object()  # a value already refused by the caller (a form field with its own error): not checked again

AMOUNT_LIMITS: dict[str, Limits] = {name: limits(StaffingLine, name) for name in STAFFING_AMOUNTS}
YEAR_LIMITS = limits(StaffingLine, "trainee_completion_year")
SUPERVISION_LIMITS = limits(StaffingLine, "supervision_hours_per_month")
DECLARED_LIMITS = limits(StaffingLine, "fte")
NOTE_LENGTH = StaffingLine._meta.get_field("note").max_length
# A ceiling as a file or the editor may give it: 1 to 3, or the tier's name.
CEILING_BY_TEXT = {
    **{str(tier.value): tier.value for tier in ComplexityTier},
    **{tier.label.lower(): tier.value for tier in ComplexityTier},
}


DECLARATION_CODES = ("not_declarable", "core", "more_than_fte")


@dataclass(frozen=True)
class Declarable:
    """The capabilities a line can declare FTE for: those some role holds only with further training or approval
    (`RoleCapability.Level.FURTHER_TRAINING`), in display order, and which of them each role (by id) can hold."""

    capabilities: dict[str, Capability]
    by_role: dict[int, frozenset[str]]
    core_by_role: dict[int, frozenset[str]]

    def for_role(self, role) -> list[Capability]:
        slugs = self.by_role.get(getattr(role, "pk", None), frozenset())
        return [capability for slug, capability in self.capabilities.items() if slug in slugs]


def declared_field(slug: str) -> str:
    """A declared capability's field and column name: "independent-prescribing_fte"."""
    return f"{slug}{DECLARED_SUFFIX}"


@dataclass(frozen=True)
class Period:
    """The years a plan covers, from its start year to its end year (start year + horizon)."""

    start: int
    end: int


@dataclass(frozen=True)
class Problem:
    """Why one field of a line is refused. `code` says which rule; the other attributes fill in the message."""

    field: str
    code: str
    shown: str = ""  # the value as given
    limit: str = ""
    role: object = None
    band: int | None = None
    hint: str = ""
    period: Period | None = None
    capability: Capability | None = None

    def editor_message(self) -> str:
        if self.capability is not None:
            return self._declared_message(for_import=False)
        name = _editor_name(self.field)
        period = self.period
        messages = {
            ("complexity_ceiling", "unknown"): "Choose routine, moderate or complex, or leave it empty for the default",
            ("note", "max_length"): f"Note must be {NOTE_LENGTH} characters or fewer",
            ("role", "required"): "Choose a role",
            ("role", "unknown"): "Choose a role from the list",
            ("band", "required"): "Choose a band",
            ("band", "unknown"): "Choose a band from the list",
            ("band", "out_of_range"): f"Choose a band in the range for {self.role_name}: {self.range_text()}",
            ("trainee_completion_year", "invalid"): f"{name} must be a whole number",
            ("trainee_completion_year", "outside_plan"): (
                f"{name} must be between {period and period.start} and {period and period.end}, "
                "the years the plan covers"
            ),
            ("trainee_completion_year", "needed"): "Enter the year the trainees in the pipeline complete",
        }
        if (self.field, self.code) in messages:
            return messages[self.field, self.code]
        return {
            "required": f"Enter the {name if name[:3].isupper() else name[0].lower() + name[1:]}",
            "invalid": f"{name} must be a number",
            "min_value": f"{name} must be {self.limit} or more",
            "max_value": f"{name} must be {self.limit} or less",
            "max_decimal_places": f"{name} must have no more than {self.limit} decimal places",
        }[self.code]

    def import_message(self) -> str:
        if self.code in DECLARATION_CODES:
            return self._declared_message(for_import=True)
        column = self.field
        period = self.period
        messages = {
            ("complexity_ceiling", "unknown"): (
                f"complexity_ceiling “{self.shown[:20]}” is not a tier (use routine, moderate or complex, or 1 to 3; "
                "blank for the role and band's default)"
            ),
            ("note", "max_length"): f"note must be {NOTE_LENGTH} characters or fewer (it has {self.limit})",
            ("role", "required"): "enter the role",
            ("role", "unknown"): f"there is no role “{self.shown[:80]}” in the catalogue{self.hint}",
            ("band", "required"): "enter the band",
            ("band", "unknown"): (
                f"band “{self.shown[:20]}” is not a pay grade (use an Agenda for Change band, 2 to 7, 8a to 8d or 9, "
                f"or a medical grade: {', '.join(MEDICAL_CODES.values())})"
            ),
            ("band", "out_of_range"): (
                f"band {self.band and band_code(self.band)} is outside the range for {self.role_name} "
                f"({self.range_text(mid_sentence=True)})"
            ),
            ("trainee_completion_year", "invalid"): (
                f"trainee_completion_year must be a year, like {period and period.start + 1} "
                f"(it is “{self.shown[:20]}”)"
            ),
            ("trainee_completion_year", "outside_plan"): (
                f"trainee_completion_year {self.shown} is outside the plan’s years "
                f"({period and period.start} to {period and period.end})"
            ),
            ("trainee_completion_year", "needed"): (
                "enter the trainee_completion_year: the year the trainees in the pipeline complete"
            ),
        }
        if (self.field, self.code) in messages:
            return messages[self.field, self.code]
        return {
            "required": f"enter the {column}",
            "invalid": f"{column} must be a number, like 1.5 (it is “{self.shown[:40]}”)",
            "min_value": f"{column} must be {self.limit} or more (it is {self.shown})",
            "max_value": f"{column} must be {self.limit} or less (it is {self.shown})",
            "max_decimal_places": f"{column} must have no more than {self.limit} decimal places (it is {self.shown})",
        }[self.code]

    def _declared_message(self, *, for_import: bool) -> str:
        name = self.capability.name
        column = self.field
        if self.code == "not_declarable":
            return f"{self.role_name or 'This role'} cannot hold {name[0].lower() + name[1:]}" + (
                f" (leave {column} blank)" if for_import else ""
            )
        if self.code == "core":
            return f"{self.role_name} hold {name[0].lower() + name[1:]} as a core capability: all its FTE count" + (
                f", so leave {column} blank" if for_import else ", so there is nothing to declare"
            )
        if self.code == "more_than_fte":
            return (
                f"{column} must not be more than the line's fte, {self.limit} (it is {self.shown})"
                if for_import
                else f"{name} FTE must not be more than the FTE in post ({self.limit})"
            )
        return {
            "invalid": f"{name} FTE must be a number",
            "min_value": f"{name} FTE must be {self.limit} or more",
            "max_value": f"{name} FTE must be {self.limit} or less",
            "max_decimal_places": f"{name} FTE must have no more than {self.limit} decimal places",
        }[self.code]

    @property
    def role_name(self) -> str:
        return getattr(self.role, "name", "")

    def range_text(self, *, mid_sentence: bool = False) -> str:
        return "" if self.role is None else role_band_rule_text(self.role, mid_sentence=mid_sentence)


def _editor_name(name: str) -> str:
    return message_name(StaffingLine, name)


@dataclass
class LineCheck:
    """The line's values (`role_id`, `band`, the amounts and `trainee_completion_year`, each once it is valid)
    and the problems found, in the order the fields are shown."""

    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_field(self) -> dict[str, list[Problem]]:
        found: dict[str, list[Problem]] = {}
        for problem in self.problems:
            found.setdefault(problem.field, []).append(problem)
        return found


# --- Reading values -------------------------------------------------------------------------------------


def shown(value) -> str:
    """A value as the user gave it, for a message: 5.0 from a spreadsheet cell is "5"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def to_decimal(value) -> Decimal | None:
    """A number given as text, a number or a Decimal; None when blank. ValueError when it is not a finite
    number. A float (a spreadsheet cell) loses its binary noise: 0.30000000000000004 is 0.3."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError
        return Decimal(repr(round(value, 9)))
    if isinstance(value, Decimal):
        number = value
    else:
        text = shown(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


# --- The rules --------------------------------------------------------------------------------------------


def _check_role(value, catalogue: Mapping, check: LineCheck):
    if value is SKIP:
        return None
    key = value.strip().lower() if isinstance(value, str) else value
    if key in (None, ""):
        check.problems.append(Problem("role", "required"))
        return None
    role = catalogue.get(key)
    if role is None:
        check.problems.append(Problem("role", "unknown", shown=shown(value), hint=_role_hint(key, catalogue)))
        return None
    check.values["role_id"] = role.pk
    return role


def _role_hint(key, catalogue: Mapping) -> str:
    wanted = str(key).casefold()
    for slug, role in catalogue.items():
        if role.name.casefold() == wanted:
            return f". Did you mean {slug}?"
    return ""


def _check_band(value, check: LineCheck, *, as_code: bool) -> int | None:
    """A band as stored (an int, from the editor's list) or, `as_code`, as a code in a file: "5", 5, "8a",
    "Band 8a" (a file's 9 is band 9, not the stored 9 of band 8b)."""
    if value is SKIP:
        return None
    if not as_code and isinstance(value, int) and not isinstance(value, bool):
        band = value if value in Band.values else None
    else:
        given = shown(value).lower()
        text = given.removeprefix("band").strip()
        if not text:
            check.problems.append(Problem("band", "required"))
            return None
        band = BAND_BY_CODE.get(text) or GRADE_BY_TEXT.get(" ".join(given.split()))
    if band is None:
        check.problems.append(Problem("band", "unknown", shown=shown(value)))
        return None
    check.values["band"] = band
    return band


def _number(name: str, value, rule: Limits, check: LineCheck, *, capability=None, blank=None) -> Decimal | None:
    """A number within `rule`, or None with a problem recorded; `blank` is what an empty value stands for (None:
    the value is required when the rule says so, else 0)."""
    given = shown(value)
    try:
        number = to_decimal(value)
    except ValueError:
        check.problems.append(Problem(name, "invalid", shown=given, capability=capability))
        return None
    step = Decimal(1).scaleb(-rule.places)
    if number is None:
        if blank is not None:
            return blank
        if rule.required:
            check.problems.append(Problem(name, "required"))
            return None
        return Decimal(0).quantize(step)
    if rule.minimum is not None and number < rule.minimum:
        check.problems.append(Problem(name, "min_value", shown=given, limit=plain(rule.minimum), capability=capability))
    elif rule.maximum is not None and number > rule.maximum:
        check.problems.append(Problem(name, "max_value", shown=given, limit=plain(rule.maximum), capability=capability))
    elif number != number.quantize(step):
        check.problems.append(
            Problem(name, "max_decimal_places", shown=given, limit=str(rule.places), capability=capability)
        )
    else:
        return number.quantize(step)
    return None


def _check_amount(name: str, value, check: LineCheck) -> None:
    if value is SKIP:
        return
    number = _number(name, value, AMOUNT_LIMITS[name], check)
    if number is not None:
        check.values[name] = number


_EMPTY = object()  # an optional setting left empty (the default)


def _check_options(options: Mapping[str, object], check: LineCheck) -> None:
    """The line's own settings (`fields.STAFFING_OPTIONS`); each absent one is left out of the values."""
    if "complexity_ceiling" in options and options["complexity_ceiling"] is not SKIP:
        value = options["complexity_ceiling"]
        text = shown(value).lower()
        if not text:
            check.values["complexity_ceiling"] = None
        elif text in CEILING_BY_TEXT:
            check.values["complexity_ceiling"] = CEILING_BY_TEXT[text]
        else:
            check.problems.append(Problem("complexity_ceiling", "unknown", shown=shown(value)))
    if "supervision_hours_per_month" in options and options["supervision_hours_per_month"] is not SKIP:
        name = "supervision_hours_per_month"
        number = _number(name, options[name], SUPERVISION_LIMITS, check, blank=_EMPTY)
        if number is _EMPTY:
            check.values[name] = None
        elif number is not None:
            check.values[name] = number
    if "note" in options and options["note"] is not SKIP:
        note = shown(options["note"])
        if len(note) > NOTE_LENGTH:
            check.problems.append(Problem("note", "max_length", limit=plain(len(note))))
        else:
            check.values["note"] = note


def _check_declared(declared: Mapping[str, object], role, declarable: Declarable, check: LineCheck) -> None:
    """Each declared capability (slug → FTE; blank or 0 declares nothing) against the role and the line's FTE."""
    values = {}
    allowed = declarable.by_role.get(getattr(role, "pk", None), frozenset())
    for slug, value in declared.items():
        capability = declarable.capabilities.get(slug)
        if value is SKIP or capability is None:
            continue
        name = declared_field(slug)
        number = _number(name, value, DECLARED_LIMITS, check, capability=capability, blank=_EMPTY)
        if number is None or number is _EMPTY or number == 0:
            continue
        if role is not None and slug in declarable.core_by_role.get(role.pk, frozenset()):
            check.problems.append(Problem(name, "core", role=role, capability=capability))
            continue
        if role is not None and slug not in allowed:
            check.problems.append(Problem(name, "not_declarable", role=role, capability=capability))
            continue
        fte = check.values.get("fte")
        if fte is not None and number > fte:
            check.problems.append(
                Problem(name, "more_than_fte", shown=plain(number), limit=plain(fte), capability=capability)
            )
            continue
        values[slug] = number
    check.values[DECLARED] = values


def _check_year(value, period: Period, check: LineCheck) -> None:
    name = "trainee_completion_year"
    if value is SKIP:
        return
    given = shown(value)
    try:
        number = to_decimal(value)
    except ValueError:
        number = Decimal("NaN")
    if number is None:
        check.values[name] = None
        return
    if not number.is_finite() or number != number.to_integral_value():
        check.problems.append(Problem(name, "invalid", shown=given, period=period))
        return
    year = int(number)
    if not period.start <= year <= period.end:
        check.problems.append(Problem(name, "outside_plan", shown=str(year), period=period))
        return
    check.values[name] = year


def check_line(
    *,
    role,
    band,
    amounts: Mapping[str, object],
    completion_year,
    period: Period,
    catalogue: Mapping,
    band_as_code: bool = False,
    options: Mapping[str, object] | None = None,
    declared: Mapping[str, object] | None = None,
    declarable: Declarable | None = None,
) -> LineCheck:
    """Check one staffing line against the rules above.

    `role` is a key of `catalogue` (the editor's role id, or a file's role slug, in any case); `band` a stored
    band (an int), or with `band_as_code` a band code as a file holds it ("5", 5, "8a"); `amounts` maps each
    of `STAFFING_AMOUNTS` to a number or text; `completion_year` a year, text or None. Any of them may be
    `SKIP`: already refused by the caller, so neither checked again nor part of the values. A file's cells are
    passed as read (after undoing any formula escaping); the editor passes what its fields cleaned.
    `options` maps any of `fields.STAFFING_OPTIONS` to its value (an absent one is left unchanged); `declared` maps
    capability slugs to the FTE declared, checked against `declarable` (both given, or neither).
    """
    check = LineCheck()
    chosen_role = _check_role(role, catalogue, check)
    chosen_band = _check_band(band, check, as_code=band_as_code)
    if chosen_role is not None and chosen_band is not None and not role_band_allowed(chosen_role, chosen_band):
        check.values.pop("band", None)
        check.problems.append(Problem("band", "out_of_range", role=chosen_role, band=chosen_band))
    for name in STAFFING_AMOUNTS:
        _check_amount(name, amounts.get(name, SKIP), check)
    _check_year(completion_year, period, check)
    trainees = check.values.get("trainees_fte")
    if trainees and completion_year is not SKIP and not shown(completion_year):
        check.problems.append(Problem("trainee_completion_year", "needed", period=period))
    _check_options(options or {}, check)
    if declared is not None and declarable is not None:
        _check_declared(declared, chosen_role, declarable, check)
    return check


def line_values(check: LineCheck) -> dict:
    """A valid line's values, as `services.save_plan` and the import take them (in `STAFFING_FIELDS` order)."""
    values = check.values
    return {
        "role_id": values["role_id"],
        "band": values["band"],
        **{name: values[name] for name in STAFFING_AMOUNTS},
        "trainee_completion_year": values.get("trainee_completion_year"),
        **{name: values[name] for name in STAFFING_OPTIONS if name in values},
        **({DECLARED: values[DECLARED]} if DECLARED in values else {}),
    }

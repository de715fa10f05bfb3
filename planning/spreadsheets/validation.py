"""Check an uploaded plan against the catalogue and the plan's rules, all or nothing, with row-numbered errors.

- Staffing: the header and every row, by `planning.staffing_rules.check_line` (the plan editor's rules), so a file
  and the editor accept exactly the same lines, declared capabilities included. The roles are read once by
  `load_roles()` and the declarable capabilities once by `planning.role_options.declarable()`, so checking 2,000
  rows costs two queries rather than 2,000.
- Demand: one row a tier, by the plan editor's demand form (`DemandLineForm`).
- Assumptions: key and value, by the plan editor's form (`PlanForm`); a key the file leaves out keeps the plan's
  value, and the plan's period the file gives is the one the staffing rows' trainee years are checked against.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.db import models

from planning import fields, staffing_rules
from planning.fields import DECLARED_SUFFIX, STAFFING_AMOUNTS, STAFFING_OPTIONS
from planning.formatting import plain
from planning.forms.plans import PlanForm
from planning.forms.rows import DemandLineForm
from planning.models import Plan
from planning.pay_years import pay_year_problem
from planning.spreadsheets.columns import (
    ASSUMPTION_COLUMNS,
    DEMAND_COLUMNS,
    INFORMATION_KEYS,
    MAX_PART_ROWS,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    STAFFING_COLUMNS,
    cell_text,
    declared_columns,
    is_blank,
    is_percent_column,
    number_cell,
    unescape_text,
)
from planning.staffing_rules import CEILING_BY_TEXT, Declarable
from roles.models import ComplexityTier, Role


@dataclass
class Part:
    """The rows of a file's demand or assumptions part, header first: an XLSX `sheet`, or a CSV `section`."""

    rows: list[tuple[int, list]]
    sheet: str = ""
    section: str = ""

    def error(self, row: int, message: str) -> RowError:
        return RowError(row, message, sheet=self.sheet, section=self.section)


@dataclass
class RowError:
    row: int
    message: str
    sheet: str = ""  # for an XLSX sheet other than the staffing one: its name
    section: str = ""  # for a CSV section after the staffing table: its name

    @property
    def where(self) -> str:
        if self.sheet:
            return f"{self.sheet} sheet, row {self.row}"
        return f"Row {self.row} ({self.section.lower()})" if self.section else f"Row {self.row}"

    def __str__(self):
        return f"{self.where}: {self.message}"


@dataclass
class ParsedPlan:
    """A file's clean plan, or the reasons it cannot be imported. `lines` are dicts as `services.import_plan`
    takes them; `demand` (one dict a tier with demand) and `assumptions` (the values the file gives, by field) are
    None when the file does not have that part, which then stays as it is."""

    lines: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the spreadsheet row of each clean line
    demand: list[dict] | None = None
    assumptions: dict | None = None
    errors: list[str] = field(default_factory=list)  # about the file as a whole
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.row_errors

    @property
    def bad_rows(self) -> int:
        return len({(error.sheet, error.section, error.row) for error in self.row_errors})


def load_roles() -> dict[str, Role]:
    """Every catalogue role by slug, read once (one query) for validating a whole file."""
    return {
        role.slug: role
        for role in Role.objects.only("id", "slug", "name", "band_trainee", "band_min", "band_max", "family_id")
    }


def _cell(value):
    """A cell as `staffing_rules.check_line` takes it: text stripped and with any formula escaping undone."""
    return unescape_text(value.strip()) if isinstance(value, str) else value


def _number(name: str, value):
    """A number cell, thousands separators and percentage formats read (`columns.number_cell`)."""
    return number_cell(_cell(value), percent=is_percent_column(name))


def _check_row(
    cells: dict[str, object], period: staffing_rules.Period, roles: dict[str, Role], declarable: Declarable
) -> tuple[dict | None, list[str]]:
    """The row's line (as `services.import_plan` takes it) or the import-worded problems, by the same rules
    as the plan editor (`planning.staffing_rules`). Declared capabilities are read only when the file has a column
    for one, and then the line declares exactly what its cells say."""
    declared = {
        name.removesuffix(DECLARED_SUFFIX): _number(name, value)
        for name, value in cells.items()
        if name not in STAFFING_COLUMNS
    }
    check = staffing_rules.check_line(
        role=cell_text(cells.get("role")),
        band=cell_text(cells.get("band")),  # a code: a number cell 9 is band 9, not the ninth band
        amounts={name: _number(name, cells.get(name)) for name in STAFFING_AMOUNTS},
        completion_year=_number("trainee_completion_year", cells.get("trainee_completion_year")),
        period=period,
        catalogue=roles,
        options={
            name: _cell(cells[name]) if name == "note" else _number(name, cells[name])
            for name in STAFFING_OPTIONS
            if name in cells
        },
        declared=declared if declared else None,
        declarable=declarable,
    )
    if not check.ok:
        return None, [problem.import_message() for problem in check.problems]
    return staffing_rules.line_values(check), []


def _header(row: list, declarable: Declarable) -> tuple[dict[str, int], list[str]]:
    """Column name -> index, and the file-level errors in the header."""
    columns: dict[str, int] = {}
    unknown, repeated = [], []
    known = {*STAFFING_COLUMNS, *declared_columns(declarable)}
    for index, value in enumerate(row):
        name = cell_text(value).lower()
        if not name:
            continue
        if name not in known:
            unknown.append(cell_text(value)[:40])
        elif name in columns:
            repeated.append(name)
        else:
            columns[name] = index
    expected = ", ".join(STAFFING_COLUMNS)
    if declarable.capabilities:
        expected += ", and a column <capability>_fte for each capability a line can declare"
    if not columns:
        return columns, [
            f"The first row of the file must be the column headings: {expected}. "
            "Download the plan’s staffing as a template."
        ]
    errors = []
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        errors.append(f"The file is missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}.")
    if unknown:
        errors.append(
            f"The file has {'columns' if len(unknown) > 1 else 'a column'} we do not recognise: {', '.join(unknown)}. "
            f"Use the column headings {expected}."
        )
    if repeated:
        plural = "s" if len(repeated) > 1 else ""
        errors.append(f"The file has the column{plural} {', '.join(repeated)} more than once.")
    return columns, errors


def _is_marker(row: list) -> bool:
    first = cell_text(row[0]) if row else ""
    return first.startswith("[") and first.endswith("]")


def parse_rows(
    rows: list[tuple[int, list]], *, period: staffing_rules.Period, roles: dict[str, Role], declarable: Declarable
) -> ParsedPlan:
    """Check every data row of a staffing table against the catalogue and the plan's years. No database queries."""
    result = ParsedPlan()
    rows = [(number, row) for number, row in rows if any(not is_blank(value) for value in row)]
    if not rows:
        result.errors.append("The selected file is empty.")
        return result
    (_, header_row), data = rows[0], rows[1:]
    columns, result.errors = _header(header_row, declarable)
    if result.errors:
        return result
    for position, (_, row) in enumerate(data):
        if _is_marker(row):
            data = data[:position]
            break
    if len(data) > MAX_ROWS:
        result.errors.append(
            f"The file has more than {MAX_ROWS:,} staffing lines. Import at most {MAX_ROWS:,} lines at a time."
        )
        return result
    if not data:
        result.errors.append("The file has column headings but no staffing lines.")
        return result
    for number, row in data:
        cells = {name: row[index] if index < len(row) else None for name, index in columns.items()}
        line, errors = _check_row(cells, period, roles, declarable)
        if line is None:
            result.row_errors.extend(RowError(number, message) for message in errors)
        else:
            result.lines.append(line)
            result.rows.append(number)
    return result


# --- Demand and assumptions -------------------------------------------------------------------------------


def _part_header(part: Part, expected: list[str], errors: list[RowError]) -> dict[str, int] | None:
    """The part's column name -> index from its header row; None (with the reasons) when it is not usable: a
    heading it does not know, or one missing when there are rows to read."""
    if len(part.rows) > MAX_PART_ROWS:
        name = (part.sheet or part.section).lower()
        errors.append(part.error(part.rows[MAX_PART_ROWS][0], f"the file has more than {MAX_PART_ROWS} rows of {name}"))
        return None
    number, row = part.rows[0]
    columns = {}
    for index, value in enumerate(row):
        name = cell_text(value).lower()
        if name and name not in columns:
            columns[name] = index
    unknown = [name for name in columns if name not in expected]
    missing = [name for name in expected if name not in columns]
    if unknown or (missing and len(part.rows) > 1):  # a heading row alone: an empty part, whatever it leaves out
        errors.append(part.error(number, f"the column headings must be {', '.join(expected)}"))
        return None
    return columns


def _form_text(name: str, value, *, number: bool) -> str:
    """A cell as the plan editor's form would receive it typed: 0.1 formatted as 10% in a percentage column is
    "10", 150,000 is "150000", 2030.0 is "2030"."""
    if not number:
        return cell_text(value)
    value = number_cell(_cell(value), percent=is_percent_column(name))
    try:
        return plain(staffing_rules.to_decimal(value))
    except ValueError:
        return cell_text(value)  # not a number: the form says so


TIER_BY_TEXT = {**CEILING_BY_TEXT, **{f"{tier.label.lower()} tier": tier.value for tier in ComplexityTier}}


def check_demand(part: Part) -> tuple[list[dict] | None, list[RowError]]:
    """The demand part: one row a tier (tier, caseload, hours per person a week), checked by the editor's demand
    form. A tier with both cells blank, or not in the file, has no demand."""
    errors: list[RowError] = []
    if not part.rows:
        return [], errors
    columns = _part_header(part, DEMAND_COLUMNS, errors)
    if columns is None:
        return None, errors
    demand, seen = [], set()
    for number, row in part.rows[1:]:
        cells = {name: row[index] if index < len(row) else None for name, index in columns.items()}
        text = cell_text(cells["tier"])
        tier = TIER_BY_TEXT.get(text.lower())
        if tier is None:
            errors.append(part.error(number, f"tier “{text[:20]}” is not a tier (use complex, moderate or routine)"))
            continue
        tier = ComplexityTier(tier)
        if tier in seen:
            errors.append(part.error(number, f"the {tier.label.lower()} tier is in the file more than once"))
            continue
        seen.add(tier)
        data = {name: _form_text(name, cells[name], number=True) for name in fields.DEMAND_AMOUNTS}
        form = DemandLineForm(data, tier=tier)
        if not form.is_valid():
            errors.extend(
                part.error(number, f"{tier.label} demand: {message}")
                for messages in form.errors.values()
                for message in messages
            )
        elif not form.is_blank:
            demand.append({"tier": tier.value, **{name: form.cleaned_data[name] for name in fields.DEMAND_AMOUNTS}})
    return demand, errors


def _is_number(name: str) -> bool:
    return isinstance(fields.model_field(Plan, name), (models.DecimalField, models.IntegerField))


def check_assumptions(part: Part, *, plan: Plan, pay_years=None) -> tuple[dict | None, list[RowError]]:
    """The assumptions part (key, assumption, value, as the export writes it), checked by the plan editor's form
    with the plan's own values for any key the file leaves out. Returns the values the file gives, by field. A pay
    year is also checked against `pay_years`, the years with pay tables, and named precisely when it is wrong."""
    errors: list[RowError] = []
    if not part.rows:
        return {}, errors
    columns = _part_header(part, ASSUMPTION_COLUMNS, errors)
    if columns is None:
        return None, errors
    given: dict[str, tuple[int, str]] = {}
    for number, row in part.rows[1:]:
        key = cell_text(row[columns["key"]] if columns["key"] < len(row) else None).lower()
        value = row[columns["value"]] if columns["value"] < len(row) else None
        if key in INFORMATION_KEYS:
            continue
        if key not in fields.ASSUMPTION_FIELDS:
            errors.append(part.error(number, f"there is no assumption “{key[:40]}” (the keys are as exported)"))
        elif key in given:
            errors.append(part.error(number, f"{key} is in the file more than once"))
        else:
            given[key] = (number, _form_text(key, value, number=_is_number(key)))
    if "pay_year" in given:
        number, value = given["pay_year"]
        problem = pay_year_problem(value, years=pay_years)
        if problem:
            errors.append(part.error(number, f"pay_year {value[:20] or '(blank)'} {problem}"))
    current = {
        name: _form_text(name, getattr(plan, name), number=_is_number(name)) for name in fields.ASSUMPTION_FIELDS
    }
    form = PlanForm({**current, **{key: value for key, (_, value) in given.items()}}, instance=copy.copy(plan))
    if not form.is_valid():
        first_row = part.rows[0][0]
        for key, messages in form.errors.items():
            if key == "pay_year" and any(error.message.startswith("pay_year") for error in errors):
                continue  # already named precisely
            number = given[key][0] if key in given else first_row
            errors.extend(part.error(number, f"{key}: {message}") for message in messages)
    if errors:
        return None, errors
    return {key: form.cleaned_data[key] for key in fields.ASSUMPTION_FIELDS if key in given}, errors


def parse_plan(
    staffing: list[tuple[int, list]],
    *,
    demand: Part | None,
    assumptions: Part | None,
    plan: Plan,
    roles: dict[str, Role],
    declarable: Declarable,
    pay_years=None,
) -> ParsedPlan:
    """A whole file: its assumptions first (their period is the one trainee years must fall in), then its staffing
    rows and its demand. All or nothing: any error anywhere means nothing is imported."""
    values, assumption_errors = (
        check_assumptions(assumptions, plan=plan, pay_years=pay_years) if assumptions else ({}, [])
    )
    start = (values or {}).get("start_year", plan.start_year)
    period = staffing_rules.Period(start=start, end=start + (values or {}).get("horizon_years", plan.horizon_years))
    result = parse_rows(staffing, period=period, roles=roles, declarable=declarable)
    if result.errors:
        return result
    demand_lines, demand_errors = check_demand(demand) if demand else (None, [])
    result.row_errors.extend([*demand_errors, *assumption_errors])
    result.demand = demand_lines
    result.assumptions = values if assumptions else None
    return result

"""Check a staffing table's header and rows against the catalogue and the plan, without touching the database:
the roles are read once by `load_roles()` (one query), so checking 2,000 rows costs one query rather than 2,000.
Each row is checked by `planning.staffing_rules.check_line`, the plan editor's rules, so a file and the editor
accept exactly the same lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from planning import staffing_rules
from planning.fields import STAFFING_AMOUNTS, STAFFING_OPTIONS
from planning.models import Plan
from planning.pay_years import pay_year_problem
from planning.spreadsheets.columns import (
    MAX_ROWS,
    REQUIRED_COLUMNS,
    STAFFING_COLUMNS,
    cell_text,
    is_blank,
    unescape_text,
)
from roles.models import Role


@dataclass
class RowError:
    row: int
    message: str
    sheet: str = ""  # for an XLSX sheet other than the staffing one: its name

    @property
    def where(self) -> str:
        return f"{self.sheet} sheet, row {self.row}" if self.sheet else f"Row {self.row}"

    def __str__(self):
        return f"{self.where}: {self.message}"


@dataclass
class ParsedStaffing:
    """Clean lines (dicts for `services.replace_staffing`) or the reasons the file cannot be imported."""

    lines: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the spreadsheet row of each clean line
    errors: list[str] = field(default_factory=list)  # about the file as a whole
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.row_errors

    @property
    def bad_rows(self) -> int:
        return len({(error.sheet, error.row) for error in self.row_errors})


def load_roles() -> dict[str, Role]:
    """Every catalogue role by slug, read once (one query) for validating a whole file."""
    return {
        role.slug: role
        for role in Role.objects.only("id", "slug", "name", "band_trainee", "band_min", "band_max", "family_id")
    }


def check_assumptions(rows: list[tuple[int, list]], *, sheet: str = "", pay_years=None) -> list[RowError]:
    """The file's assumptions section (key, assumption, value), as the export writes it. Only the staffing
    lines are imported, but a file whose pay year could not be a plan's is refused rather than half-trusted."""
    errors = []
    for number, row in rows:
        if row and cell_text(row[0]).lower() == "pay_year":
            value = cell_text(row[2]) if len(row) > 2 else ""
            problem = pay_year_problem(value, years=pay_years)
            if problem:
                errors.append(RowError(number, f"pay_year {value[:20] or '(blank)'} {problem}", sheet))
    return errors


def _cell(value):
    """A cell as `staffing_rules.check_line` takes it: text stripped and with any formula escaping undone."""
    return unescape_text(value.strip()) if isinstance(value, str) else value


def _check_row(cells: dict[str, object], plan: Plan, roles: dict[str, Role]) -> tuple[dict | None, list[str]]:
    """The row's line (as `services.replace_staffing` takes it) or the import-worded problems, by the same rules
    as the plan editor (`planning.staffing_rules`)."""
    check = staffing_rules.check_line(
        role=cell_text(cells.get("role")),
        band=cell_text(cells.get("band")),  # a code: a number cell 9 is band 9, not the ninth band
        amounts={name: _cell(cells.get(name)) for name in STAFFING_AMOUNTS},
        completion_year=_cell(cells.get("trainee_completion_year")),
        period=staffing_rules.Period(start=plan.start_year, end=plan.end_year),
        catalogue=roles,
        options={name: _cell(cells[name]) for name in STAFFING_OPTIONS if name in cells},
    )
    if not check.ok:
        return None, [problem.import_message() for problem in check.problems]
    return staffing_rules.line_values(check), []


def _header(row: list) -> tuple[dict[str, int], list[str]]:
    """Column name -> index, and the file-level errors in the header."""
    columns: dict[str, int] = {}
    unknown, repeated = [], []
    for index, value in enumerate(row):
        name = cell_text(value).lower()
        if not name:
            continue
        if name not in STAFFING_COLUMNS:
            unknown.append(cell_text(value)[:40])
        elif name in columns:
            repeated.append(name)
        else:
            columns[name] = index
    expected = ", ".join(STAFFING_COLUMNS)
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
            f"The file has column{'s' if len(unknown) > 1 else ''} we do not recognise: {', '.join(unknown)}. "
            f"Use the column headings {expected}."
        )
    if repeated:
        plural = "s" if len(repeated) > 1 else ""
        errors.append(f"The file has the column{plural} {', '.join(repeated)} more than once.")
    return columns, errors


def _is_marker(row: list) -> bool:
    first = cell_text(row[0]) if row else ""
    return first.startswith("[") and first.endswith("]")


def parse_rows(rows: list[tuple[int, list]], *, plan: Plan, roles: dict[str, Role]) -> ParsedStaffing:
    """Check every data row of a staffing table against the catalogue and the plan. No database queries."""
    result = ParsedStaffing()
    rows = [(number, row) for number, row in rows if any(not is_blank(value) for value in row)]
    if not rows:
        result.errors.append("The selected file is empty.")
        return result
    (_, header_row), data = rows[0], rows[1:]
    columns, result.errors = _header(header_row)
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
        line, errors = _check_row(cells, plan, roles)
        if line is None:
            result.row_errors.extend(RowError(number, message) for message in errors)
        else:
            result.lines.append(line)
            result.rows.append(number)
    return result

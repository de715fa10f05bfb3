"""Plan spreadsheets: export a plan to CSV or XLSX, and read staffing lines back from either.

The file format
---------------
The staffing table is the same for import and export: a header row, then one staffing line a row, with
the columns in `STAFFING_COLUMNS` (`role` is the role's slug; `role_name` is for people and is ignored on
import; `band` is an Agenda for Change code such as 5 or 8a).

* XLSX: three sheets, "Staffing" (the table above), "Demand" and "Assumptions", each with a frozen header
  row and typed cells. Import reads the "Staffing" sheet (or the first sheet when there is none).
* CSV: the staffing table first, header on row 1, exactly as above; then a blank row and two more sections,
  each introduced by a marker row (`[Demand]`, `[Assumptions]`) followed by its own header row. Import reads
  the staffing table and stops at the first marker row, so an exported file imports unchanged.

Text cells that a spreadsheet program would run as a formula (starting with = + - @, tab or carriage
return) are written with a leading apostrophe; numbers are written as numbers. Import strips that
apostrophe again.

Everything here works on plain values. The only database read is `load_roles()` (one query), which
callers pass to `parse_upload`, so that checking 2,000 rows costs one query rather than 2,000.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planning import forms
from planning.models import DemandLine, Plan, StaffingLine
from planning.services import STAFFING_FIELDS
from roles.bands import BAND_BY_CODE, band_code
from roles.models import ComplexityTier, Role

MAX_ROWS = 2000
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# An XLSX is a zip: refuse one that would expand to far more than any real plan (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_FTE = Decimal("999.99")
CENT = Decimal("0.01")

STAFFING_COLUMNS = [
    "role",
    "role_name",
    "band",
    "fte",
    "establishment_fte",
    "attrition_pct",
    "trainees_fte",
    "trainee_completion_year",
    "recruitment_fte_per_year",
]
REQUIRED_COLUMNS = ["role", "band", "fte", "establishment_fte"]
# What each column means, for the upload page and for people reading an exported file.
COLUMN_HELP = {
    "role": "The role's short name (slug) from the catalogue, for example mental-health-nurse. Required.",
    "role_name": "The role's name, for people reading the file. Ignored on import.",
    "band": "Agenda for Change band: 2 to 7, 8a to 8d, or 9. Required.",
    "fte": "Whole-time equivalent staff in post, from 0 to 999.99. Required.",
    "establishment_fte": "Funded establishment (whole-time equivalent), from 0 to 999.99. Required.",
    "attrition_pct": "Percentage of staff who leave each year, from 0 to 100. Blank means 0.",
    "trainees_fte": "Trainees in the pipeline (whole-time equivalent), from 0 to 999.99. Blank means 0.",
    "trainee_completion_year": "The year the trainees qualify, within the plan’s years. Needed if there are trainees.",
    "recruitment_fte_per_year": "Planned recruitment each year (whole-time equivalent), 0 to 999.99. Blank means 0.",
}
DEMAND_COLUMNS = ["tier", "caseload", "hours_per_person_per_week"]
ASSUMPTION_COLUMNS = ["key", "assumption", "value"]
SHEET_STAFFING, SHEET_DEMAND, SHEET_ASSUMPTIONS = "Staffing", "Demand", "Assumptions"
DEMAND_MARKER, ASSUMPTIONS_MARKER = "[Demand]", "[Assumptions]"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Decimal columns (named as the model fields) and their largest value; the smallest is 0.
DECIMAL_FIELDS = {
    "fte": MAX_FTE,
    "establishment_fte": MAX_FTE,
    "attrition_pct": Decimal("100"),
    "trainees_fte": MAX_FTE,
    "recruitment_fte_per_year": MAX_FTE,
}
LINE_FIELDS = STAFFING_FIELDS
COMPARED_FIELDS = [
    ("fte", "FTE in post"),
    ("establishment_fte", "Establishment FTE"),
    ("attrition_pct", "Attrition %"),
    ("trainees_fte", "Trainees FTE"),
    ("trainee_completion_year", "Trainee completion year"),
    ("recruitment_fte_per_year", "Recruitment FTE a year"),
]


class SpreadsheetError(Exception):
    """The file as a whole cannot be read as a staffing table. The message is shown to the user."""


# ---------------------------------------------------------------------------------------------------------
# Bands: the plan editor's rule (`planning.forms`), so that a file and the editor accept the same lines


def band_range_text(role: Role) -> str:
    """'band 3 to 4', 'band 8a or above', for a message that continues a sentence."""
    return forms.band_range_text(role).replace("Band", "band")


# ---------------------------------------------------------------------------------------------------------
# Export


def escape_text(value: str) -> str:
    """Stop a spreadsheet program running text as a formula (CSV/formula injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unescape_text(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _cell(value):
    """Text is escaped; numbers stay numbers; None stays empty."""
    return escape_text(value) if isinstance(value, str) else value


def _band_cell(band: int):
    code = band_code(band)
    return int(code) if code.isdigit() else code


def staffing_rows(lines: list[StaffingLine]) -> list[list]:
    """The staffing table: header, then one row a line, with typed values (not yet escaped)."""
    rows = [list(STAFFING_COLUMNS)]
    for line in lines:
        rows.append(
            [
                line.role.slug,
                line.role.name,
                _band_cell(line.band),
                line.fte,
                line.establishment_fte,
                line.attrition_pct,
                line.trainees_fte,
                line.trainee_completion_year,
                line.recruitment_fte_per_year,
            ]
        )
    return rows


def demand_rows(lines: list[DemandLine]) -> list[list]:
    rows = [list(DEMAND_COLUMNS)]
    for line in lines:
        rows.append([ComplexityTier(line.tier).label, line.caseload, line.hours_per_person_per_week])
    return rows


def assumption_rows(plan: Plan) -> list[list]:
    team = plan.team
    values = [
        ("name", "Plan name", plan.name),
        ("team", "Team", team.name),
        ("organisation", "Organisation", team.organisation.name),
        ("start_year", "Start year", plan.start_year),
        ("horizon_years", "Horizon (years)", plan.horizon_years),
        ("contract_hours", "Contract hours a week", plan.contract_hours),
        ("productive_fraction", "Productive fraction", plan.productive_fraction),
        ("direct_care_fraction", "Direct-care fraction", plan.direct_care_fraction),
        ("demand_growth_pct", "Demand growth % a year", plan.demand_growth_pct),
        ("on_cost_pct", "On-cost %", plan.on_cost_pct),
        ("supervision_fraction", "Supervision fraction", plan.supervision_fraction),
        ("pay_year", "Agenda for Change pay year", plan.pay_year),
        ("status", "Status", plan.get_status_display()),
        ("version", "Version", plan.version),
    ]
    return [list(ASSUMPTION_COLUMNS)] + [list(row) for row in values]


def export_filename(plan: Plan, extension: str) -> str:
    """`<team>-<plan>-v<version>.<extension>`, safe for a Content-Disposition header."""
    stem = "-".join(part for part in (slugify(plan.team.name)[:60], slugify(plan.name)[:60]) if part) or "plan"
    return f"{stem}-v{plan.version}.{extension}"


def export_csv(plan: Plan, staffing: list[StaffingLine], demand: list[DemandLine]) -> str:
    """One CSV: the staffing table (the import format), then the demand and assumptions sections."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([_cell(value) for value in row] for row in staffing_rows(staffing))
    for marker, rows in ((DEMAND_MARKER, demand_rows(demand)), (ASSUMPTIONS_MARKER, assumption_rows(plan))):
        writer.writerow([])
        writer.writerow([marker])
        writer.writerows([_cell(value) for value in row] for row in rows)
    return "\ufeff" + out.getvalue()  # the byte-order mark makes Excel read the file as UTF-8


def _add_sheet(workbook: Workbook, title: str, rows: list[list], formats: dict[int, str]) -> None:
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index in range(1, len(rows[0]) + 1):
        width = max(len(str(row[index - 1])) if row[index - 1] is not None else 0 for row in rows)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 50)
        if index in formats:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, (int, float, Decimal)):
                    cell.number_format = formats[index]


def export_xlsx(plan: Plan, staffing: list[StaffingLine], demand: list[DemandLine]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    two_places = "0.00"
    _add_sheet(workbook, SHEET_STAFFING, staffing_rows(staffing), dict.fromkeys((4, 5, 6, 7, 9), two_places))
    _add_sheet(workbook, SHEET_DEMAND, demand_rows(demand), {3: two_places})
    _add_sheet(workbook, SHEET_ASSUMPTIONS, assumption_rows(plan), {})
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------
# Reading a file into rows


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab that some regional and "text" saves from Excel use instead."""
    first_line = text.split("\n", 1)[0]
    return max([",", ";", "\t"], key=first_line.count) if first_line else ","


def _csv_rows(content: bytes) -> list[tuple[int, list]]:
    if b"\x00" in content:
        raise SpreadsheetError("The selected file must be a CSV or XLSX spreadsheet. This file is not one.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel on Windows saves "CSV" in this encoding
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return list(enumerate(reader, start=1))
    except csv.Error as error:
        raise SpreadsheetError(f"The selected file could not be read as a CSV file ({error}).") from None


def _xlsx_rows(content: bytes) -> list[tuple[int, list]]:
    not_xlsx = "The selected file could not be opened as an XLSX spreadsheet. Save it as .xlsx or CSV and try again."
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise SpreadsheetError("The selected file is too large to read. Import at most 2,000 rows.")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds of error for a damaged or foreign file
        raise SpreadsheetError(not_xlsx) from None
    try:
        sheet = workbook[SHEET_STAFFING] if SHEET_STAFFING in workbook.sheetnames else workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size; read every cell that is there
        rows = []  # only the rows with something in them, numbered as the spreadsheet numbers them
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(not _is_blank(value) for value in row):
                rows.append((number, list(row)))
                if len(rows) > MAX_ROWS + 1:  # the header and one row too many: enough to refuse the file
                    break
        return rows
    except Exception:
        raise SpreadsheetError(not_xlsx) from None
    finally:
        workbook.close()


def read_rows(content: bytes, filename: str) -> list[tuple[int, list]]:
    """(row number as the spreadsheet shows it, cell values) for the staffing sheet of a CSV or XLSX file."""
    name = filename.lower()
    if not content:
        raise SpreadsheetError("The selected file is empty.")
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content)
    if name.endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError(
            "The selected file could not be opened as an XLSX spreadsheet. Save it as .xlsx or CSV and try again."
        )
    if name.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV and try again.")
    if not name.endswith((".csv", ".txt")):
        raise SpreadsheetError("The selected file must be a CSV or XLSX spreadsheet.")
    return _csv_rows(content)


# ---------------------------------------------------------------------------------------------------------
# Validating rows


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self):
        return f"Row {self.row}: {self.message}"


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
        return len({error.row for error in self.row_errors})


def load_roles() -> dict[str, Role]:
    """Every catalogue role by slug, read once (one query) for validating a whole file."""
    return {
        role.slug: role
        for role in Role.objects.only("id", "slug", "name", "band_trainee", "band_min", "band_max", "family_id")
    }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_text(str(value).strip())


def _decimal(value) -> Decimal | None:
    """A cell as a Decimal, None when blank. ValueError when it is not a number."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError
        return Decimal(repr(round(value, 9)))  # drop binary noise such as 0.30000000000000004
    if isinstance(value, Decimal):
        number = value
    else:
        text = _text(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def _check_amount(value, column: str, maximum: Decimal, required: bool, errors: list[str]) -> Decimal | None:
    shown = _text(value)
    try:
        number = _decimal(value)
    except ValueError:
        errors.append(f"{column} must be a number, like 1.5 (it is “{shown[:40]}”)")
        return None
    if number is None:
        if required:
            errors.append(f"enter the {column}")
        return None if required else Decimal("0.00")
    if number < 0:
        errors.append(f"{column} must be 0 or more (it is {shown})")
    elif number > maximum:
        errors.append(f"{column} must be {maximum.normalize():f} or less (it is {shown})")
    elif number != number.quantize(CENT):
        errors.append(f"{column} must have no more than 2 decimal places (it is {shown})")
    else:
        return number.quantize(CENT)
    return None


def _check_band(value, errors: list[str]) -> int | None:
    text = _text(value).lower().removeprefix("band").strip()
    if not text:
        errors.append("enter the band")
        return None
    band = BAND_BY_CODE.get(text)
    if band is None:
        errors.append(f"band “{_text(value)[:20]}” is not an Agenda for Change band (use 2 to 7, 8a to 8d or 9)")
    return band


def _check_year(value, plan: Plan, errors: list[str]) -> int | None:
    shown = _text(value)
    try:
        number = _decimal(value)
    except ValueError:
        number = Decimal("NaN")
    if number is None:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        errors.append(f"trainee_completion_year must be a year, like {plan.start_year + 1} (it is “{shown[:20]}”)")
        return None
    year = int(number)
    if not plan.start_year <= year <= plan.end_year:
        errors.append(
            f"trainee_completion_year {year} is outside the plan’s years ({plan.start_year} to {plan.end_year})"
        )
        return None
    return year


def _role_hint(text: str, roles: dict[str, Role]) -> str:
    wanted = text.casefold()
    for role in roles.values():
        if role.name.casefold() == wanted:
            return f". Did you mean {role.slug}?"
    return ""


def _check_row(cells: dict[str, object], plan: Plan, roles: dict[str, Role]) -> tuple[dict | None, list[str]]:
    errors: list[str] = []
    slug = _text(cells.get("role")).lower()
    role = roles.get(slug)
    if not slug:
        errors.append("enter the role")
    elif role is None:
        errors.append(f"there is no role “{_text(cells.get('role'))[:80]}” in the catalogue{_role_hint(slug, roles)}")
    band = _check_band(cells.get("band"), errors)
    if role is not None and band is not None and not forms.band_allowed(role, band):
        errors.append(f"band {band_code(band)} is outside the range for {role.name} ({band_range_text(role)})")
    values = {}
    for column, maximum in DECIMAL_FIELDS.items():
        values[column] = _check_amount(cells.get(column), column, maximum, column in REQUIRED_COLUMNS, errors)
    completion_year = _check_year(cells.get("trainee_completion_year"), plan, errors)
    if values["trainees_fte"] and not _text(cells.get("trainee_completion_year")):
        errors.append("enter the trainee_completion_year: the year the trainees in the pipeline complete")
    if errors:
        return None, errors
    return {"role_id": role.pk, "band": band, **values, "trainee_completion_year": completion_year}, []


def _header(row: list) -> tuple[dict[str, int], list[str]]:
    """Column name -> index, and the file-level errors in the header."""
    columns: dict[str, int] = {}
    unknown, repeated = [], []
    for index, value in enumerate(row):
        name = _text(value).lower()
        if not name:
            continue
        if name not in STAFFING_COLUMNS:
            unknown.append(_text(value)[:40])
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
    first = _text(row[0]) if row else ""
    return first.startswith("[") and first.endswith("]")


def parse_rows(rows: list[tuple[int, list]], *, plan: Plan, roles: dict[str, Role]) -> ParsedStaffing:
    """Check every data row of a staffing table against the catalogue and the plan. No database queries."""
    result = ParsedStaffing()
    rows = [(number, row) for number, row in rows if any(not _is_blank(value) for value in row)]
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


def parse_upload(upload, *, plan: Plan, roles: dict[str, Role]) -> ParsedStaffing:
    """Read an uploaded file (a Django UploadedFile, or None) into a `ParsedStaffing`."""
    if upload is None:
        return ParsedStaffing(errors=["Select a CSV or XLSX file to import."])
    if upload.size > MAX_UPLOAD_BYTES:
        return ParsedStaffing(errors=["The selected file must be smaller than 2MB."])
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        rows = read_rows(content, upload.name or "")
    except SpreadsheetError as error:
        return ParsedStaffing(errors=[str(error)])
    return parse_rows(rows, plan=plan, roles=roles)


# ---------------------------------------------------------------------------------------------------------
# Comparing with the plan, and keeping a preview until it is applied


@dataclass
class LineView:
    role: Role
    band: int
    values: dict

    @property
    def band_label(self) -> str:
        return band_code(self.band)


@dataclass
class LineChange:
    before: LineView
    after: LineView
    changes: list[tuple[str, object, object]]  # (label, before, after)


@dataclass
class StaffingDiff:
    added: list[LineView] = field(default_factory=list)
    removed: list[LineView] = field(default_factory=list)
    changed: list[LineChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def diff_staffing(current: list[StaffingLine], new: list[dict], roles: dict[str, Role]) -> StaffingDiff:
    """What importing `new` does to `current`: lines are matched by role and band, in order."""
    roles_by_id = {role.pk: role for role in roles.values()}
    before = defaultdict(list)
    for line in current:
        values = {name: getattr(line, name) for name, _ in COMPARED_FIELDS}
        before[(line.role_id, line.band)].append(LineView(line.role, line.band, values))
    diff = StaffingDiff()
    for line in new:
        after = LineView(roles_by_id[line["role_id"]], line["band"], {name: line[name] for name, _ in COMPARED_FIELDS})
        matches = before.get((line["role_id"], line["band"]))
        if not matches:
            diff.added.append(after)
            continue
        old = matches.pop(0)
        changes = [
            (label, old.values[name], after.values[name])
            for name, label in COMPARED_FIELDS
            if old.values[name] != after.values[name]
        ]
        if changes:
            diff.changed.append(LineChange(old, after, changes))
        else:
            diff.unchanged += 1
    for remaining in before.values():
        diff.removed.extend(remaining)
    return diff


def _stored(value) -> str | None:
    return None if value is None else str(value)


def pending_import(plan: Plan, lines: list[dict]) -> dict:
    """What the preview showed, as JSON-safe data for the session: the lines, the version, a digest."""
    stored = [[_stored(line[name]) for name in LINE_FIELDS] for line in lines]
    return {"version": plan.version, "lines": stored, "digest": _digest(plan.pk, plan.version, stored)}


def _digest(plan_id: int, version: int, stored: list) -> str:
    payload = json.dumps([plan_id, version, stored], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def lines_from_pending(plan: Plan, pending, digest: str) -> tuple[int, list[dict]] | None:
    """(plan version at preview, the previewed lines), or None when there is no preview or it is not the one
    the user confirmed (another upload replaced it, or it was tampered with)."""
    try:
        stored, version = pending["lines"], int(pending["version"])
        if not digest or pending["digest"] != digest or _digest(plan.pk, version, stored) != digest:
            return None
        lines = []
        for row in stored:
            values = dict(zip(LINE_FIELDS, row, strict=True))
            lines.append(
                {
                    "role_id": int(values["role_id"]),
                    "band": int(values["band"]),
                    **{name: Decimal(values[name]) for name in DECIMAL_FIELDS},
                    "trainee_completion_year": (
                        int(values["trainee_completion_year"]) if values["trainee_completion_year"] else None
                    ),
                }
            )
        return version, lines
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return None

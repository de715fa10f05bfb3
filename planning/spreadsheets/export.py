"""Export a plan to CSV or XLSX (the file format is in `planning.spreadsheets.columns`).

* XLSX: three sheets, "Staffing", "Demand" and "Assumptions", each with a frozen header row and typed cells.
* CSV: the staffing table first, header on row 1; then a blank row and two more sections, each introduced by a
  marker row (`[Demand]`, `[Assumptions]`) followed by its own header row. Import reads the staffing table and
  stops at the first marker row, so an exported file imports unchanged.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planning import fields
from planning.models import DemandLine, Plan, StaffingLine
from planning.spreadsheets.columns import (
    ASSUMPTION_COLUMNS,
    ASSUMPTIONS_MARKER,
    DEMAND_COLUMNS,
    DEMAND_MARKER,
    SHEET_ASSUMPTIONS,
    SHEET_DEMAND,
    SHEET_STAFFING,
    STAFFING_COLUMNS,
    safe_cell,
)
from roles.bands import band_code
from roles.models import ComplexityTier


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
                ComplexityTier(line.complexity_ceiling).label.lower() if line.complexity_ceiling else None,
                line.supervision_hours_per_month,
                line.note or None,
            ]
        )
    return rows


def demand_rows(lines: list[DemandLine]) -> list[list]:
    rows = [list(DEMAND_COLUMNS)]
    for line in lines:
        rows.append([ComplexityTier(line.tier).label, line.caseload, line.hours_per_person_per_week])
    return rows


def assumption_rows(plan: Plan) -> list[list]:
    """The "Assumptions" sheet: key, label (the model field's name), value, with the plan's team and state."""
    team = plan.team
    labelled = [
        (name, fields.label(Plan, name), getattr(plan, name)) for name in fields.ASSUMPTION_FIELDS if name != "notes"
    ]
    values = [
        labelled[0],
        ("team", "Team", team.name),
        ("organisation", "Organisation", team.organisation.name),
        *labelled[1:],
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
    writer.writerows([safe_cell(value) for value in row] for row in staffing_rows(staffing))
    for marker, rows in ((DEMAND_MARKER, demand_rows(demand)), (ASSUMPTIONS_MARKER, assumption_rows(plan))):
        writer.writerow([])
        writer.writerow([marker])
        writer.writerows([safe_cell(value) for value in row] for row in rows)
    return "\ufeff" + out.getvalue()  # the byte-order mark makes Excel read the file as UTF-8


def _add_sheet(workbook: Workbook, title: str, rows: list[list], formats: dict[int, str]) -> None:
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
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

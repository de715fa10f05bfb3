"""Export a plan to CSV or XLSX (the file format is in `planning.spreadsheets.columns`).

* XLSX: three sheets, "Staffing", "Demand" and "Assumptions", each with a frozen header row and typed cells.
* CSV: the staffing table first, header on row 1; then a blank row and two more sections, each introduced by a
  marker row (`[Demand]`, `[Assumptions]`) followed by its own header row.

Import reads all three parts back, so an exported file imports unchanged. Percentages are plain numbers (12.5 for
12.5%) in columns and assumption keys ending `_pct`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planning import fields
from planning.models import DeclaredCapability, DemandLine, Plan, StaffingLine
from planning.role_options import declarable
from planning.spreadsheets.columns import (
    ASSUMPTION_COLUMNS,
    ASSUMPTIONS_MARKER,
    DEMAND_COLUMNS,
    DEMAND_MARKER,
    SHEET_ASSUMPTIONS,
    SHEET_DEMAND,
    SHEET_STAFFING,
    STAFFING_COLUMNS,
    declared_columns,
    safe_cell,
)
from planning.staffing_rules import Declarable
from roles.bands import band_code
from roles.models import ComplexityTier


def _band_cell(band: int):
    code = band_code(band)
    return int(code) if code.isdigit() else code


def declared_by_line(lines: list[StaffingLine]) -> dict[int, dict[str, Decimal]]:
    """Each line's declared capabilities, {line id: {capability slug: FTE}} (one query)."""
    declared: dict[int, dict[str, Decimal]] = {}
    rows = DeclaredCapability.objects.filter(line__in=[line.pk for line in lines]).values_list(
        "line_id", "capability__slug", "fte"
    )
    for line_id, slug, fte in rows:
        declared.setdefault(line_id, {})[slug] = fte
    return declared


@dataclass(frozen=True)
class PlanFile:
    """Everything an exported file holds: the plan, its lines, each line's declared capabilities and the
    capabilities that have a column."""

    plan: Plan
    staffing: list[StaffingLine]
    demand: list[DemandLine]
    declared: dict[int, dict[str, Decimal]]
    declarable: Declarable


def plan_file(plan: Plan, staffing: list[StaffingLine], demand: list[DemandLine]) -> PlanFile:
    """The plan's file, with its lines' declarations and the declarable capabilities (two queries)."""
    return PlanFile(plan, staffing, demand, declared=declared_by_line(staffing), declarable=declarable())


def staffing_rows(lines: list[StaffingLine], declared: dict[int, dict], declarable: Declarable) -> list[list]:
    """The staffing table: header, then one row a line, with typed values (not yet escaped); a declared capability
    column is empty where the line declares none."""
    rows = [[*STAFFING_COLUMNS, *declared_columns(declarable)]]
    for line in lines:
        holds = declared.get(line.pk, {})
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
                *(holds.get(slug) for slug in declarable.capabilities),
            ]
        )
    return rows


def demand_rows(lines: list[DemandLine]) -> list[list]:
    rows = [list(DEMAND_COLUMNS)]
    for line in lines:
        rows.append([ComplexityTier(line.tier).label, line.caseload, line.hours_per_person_per_week])
    return rows


def assumption_rows(plan: Plan) -> list[list]:
    """The "Assumptions" sheet: key, label (the model field's name), value: every assumption (`fields.
    ASSUMPTION_FIELDS`), with the plan's team and state for people reading it."""
    team = plan.team
    labelled = [(name, fields.label(Plan, name), getattr(plan, name)) for name in fields.ASSUMPTION_FIELDS]
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


def export_csv(content: PlanFile) -> str:
    """One CSV: the staffing table, then the demand and assumptions sections."""
    out = io.StringIO()
    writer = csv.writer(out)
    staffing = staffing_rows(content.staffing, content.declared, content.declarable)
    writer.writerows([safe_cell(value) for value in row] for row in staffing)
    parts = ((DEMAND_MARKER, demand_rows(content.demand)), (ASSUMPTIONS_MARKER, assumption_rows(content.plan)))
    for marker, rows in parts:
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


def export_xlsx(content: PlanFile) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    two_places = "0.00"
    staffing = staffing_rows(content.staffing, content.declared, content.declarable)
    amounts = [*fields.STAFFING_AMOUNTS, "supervision_hours_per_month", *declared_columns(content.declarable)]
    formats = {staffing[0].index(name) + 1: two_places for name in amounts}  # a percentage too: 12.50, not 12.5%
    _add_sheet(workbook, SHEET_STAFFING, staffing, formats)
    _add_sheet(workbook, SHEET_DEMAND, demand_rows(content.demand), {3: two_places})
    _add_sheet(workbook, SHEET_ASSUMPTIONS, assumption_rows(content.plan), {})
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

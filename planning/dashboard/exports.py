"""The projection export (CSV and XLSX): one row a year, rounded as in `engine.as_dict`, with the plan's
assumptions sheet as in the plan export. Text is escaped against formula injection; numbers stay numbers."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from planning import engine
from planning.models import Plan
from planning.spreadsheets.columns import safe_cell
from planning.spreadsheets.export import assumption_rows, export_filename

PROJECTION_COLUMNS = [
    # (YearResult field, header, XLSX number format)
    ("year", "year", "0"),
    ("fte", "fte", "0.00"),
    ("establishment_fte", "establishment_fte", "0.00"),
    ("vacancies_fte", "vacancies_fte", "0.00"),
    ("over_establishment_fte", "over_establishment_fte", "0.00"),
    ("clinical_fte", "clinical_fte", "0.00"),
    ("capacity_hours", "capacity_hours_per_week", "0.00"),
    ("demand_hours", "demand_hours_per_week", "0.00"),
    ("allocated_hours", "met_hours_per_week", "0.00"),
    ("unmet_hours", "unmet_hours_per_week", "0.00"),
    ("demand_met_pct", "demand_met_pct", "0.00"),
    ("complex_met_pct", "complex_met_pct", "0.00"),
    ("demand_need_fte", "demand_need_fte", "0.00"),
    ("cover_need_fte", "cover_need_fte", "0.00"),
    ("need_fte", "need_fte", "0.00"),
    ("need_basis", "need_basis", "@"),
    ("gap_fte", "gap_fte", "0.00"),
    ("surplus_fte", "surplus_fte", "0.00"),
    ("cost", "cost_gbp", "#,##0.00"),
    ("establishment_cost", "establishment_cost_gbp", "#,##0.00"),
    ("uncosted_fte", "uncosted_fte", "0.00"),
]
# The "Lines by year" sheet: one row a staffing line a year (LineYear field, header, number format).
LINE_COLUMNS = [
    ("fte", "fte", "0.00"),
    ("establishment_fte", "establishment_fte", "0.00"),
    ("vacancies_fte", "vacancies_fte", "0.00"),
    ("over_establishment_fte", "over_establishment_fte", "0.00"),
    ("leavers_fte", "leavers_fte", "0.00"),
    ("recruits_fte", "recruits_fte", "0.00"),
    ("trainees_qualifying_fte", "trainees_qualifying_fte", "0.00"),
    ("trainees_in_training_fte", "trainees_in_training_fte", "0.00"),
    ("cost", "cost_gbp", "#,##0.00"),
]
LINE_KEY_HEADERS = ["line", "role", "band", "year"]


def projection_rows(result: engine.PlanResult) -> list[list]:
    """Header, then one row a year (start year … end of the horizon); numbers stay numbers, None is empty."""
    rows = [[header for _, header, _ in PROJECTION_COLUMNS]]
    for year in result.years:
        values = engine.as_dict(year)
        rows.append([values[name] for name, _, _ in PROJECTION_COLUMNS])
    return rows


def line_rows(result: engine.PlanResult) -> list[list]:
    """Header, then one row for each staffing line and year (line by line, then year by year), rounded as in
    `engine.as_dict`; `line` is the line's number in the engine's order (1 upwards)."""
    rows = [LINE_KEY_HEADERS + [header for _, header, _ in LINE_COLUMNS]]
    years = [(year.year, engine.as_dict(year.lines)) for year in result.years]
    for index, line in enumerate(result.baseline.lines):
        name = result.role_names.get(line.role_slug, line.role_slug)
        for year, lines in years:
            values = lines[index]
            rows.append([line.line_index + 1, name, line.band, year] + [values[field] for field, _, _ in LINE_COLUMNS])
    return rows


def _write_sheet(sheet, rows: list[list], formats: list[str]) -> None:
    """`rows` (a header, then data) into `sheet`, with a bold header, frozen first row and number formats."""
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, number_format in enumerate(formats, start=1):
        header = sheet.cell(row=1, column=index)
        sheet.column_dimensions[header.column_letter].width = max(12, len(str(header.value)) + 2)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, int | float):
                cell.number_format = number_format


def projection_csv(result: engine.PlanResult) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([safe_cell(value) for value in row] for row in projection_rows(result))
    return "\ufeff" + out.getvalue()  # the byte-order mark makes Excel read the file as UTF-8


def projection_xlsx(result: engine.PlanResult, plan: Plan) -> bytes:
    """A "Projection" sheet (one row a year), a "Lines by year" sheet (one row a staffing line a year) and the
    plan's "Assumptions" sheet, as in the plan export."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Projection"
    _write_sheet(sheet, projection_rows(result), [number_format for _, _, number_format in PROJECTION_COLUMNS])
    _write_sheet(
        workbook.create_sheet("Lines by year"),
        line_rows(result),
        ["0", "@", "@", "0"] + [number_format for _, _, number_format in LINE_COLUMNS],
    )
    assumptions = workbook.create_sheet("Assumptions")
    for row in assumption_rows(plan):
        assumptions.append([safe_cell(value) for value in row])
    for cell in assumptions[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def projection_filename(plan: Plan, extension: str) -> str:
    """`<team>-<plan>-projection-v<version>.<extension>`, like the plan export's name."""
    stem = export_filename(plan, extension).removesuffix(f"-v{plan.version}.{extension}")
    return f"{stem}-projection-v{plan.version}.{extension}"

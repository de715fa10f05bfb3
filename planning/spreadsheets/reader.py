"""Read an uploaded CSV or XLSX file into rows, and the rows into a plan (`parse_upload`).

Import reads the XLSX "Staffing" sheet (or the first sheet when there is none) and, when the workbook has them,
its "Demand" and "Assumptions" sheets; or a CSV's staffing table up to its first marker row, then the rows after
"[Demand]" and "[Assumptions]". A part the file does not have is left as it is in the plan. Files that are too
large, damaged or of another kind are refused with a message to show.

An XLSX number cell formatted as a percentage is read as a `PercentCell`, so that a percentage column reads
0.1 shown as 10% as 10 (`columns.number_cell`).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook

from planning import role_options
from planning.models import Plan
from planning.spreadsheets import xlsx_guard
from planning.spreadsheets.columns import (
    ASSUMPTIONS_MARKER,
    DEMAND_MARKER,
    MAX_COLUMNS,
    MAX_PART_ROWS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    SHEET_ASSUMPTIONS,
    SHEET_DEMAND,
    SHEET_STAFFING,
    PercentCell,
    SpreadsheetError,
    cell_text,
    is_blank,
)
from planning.spreadsheets.validation import ParsedPlan, Part, parse_plan
from planning.staffing_rules import Declarable
from roles.models import Role

SHARED_STRINGS = "xl/sharedStrings.xml"


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab that some regional and "text" saves from Excel use instead."""
    first_line = text.split("\n", 1)[0]
    return max([",", ";", "\t"], key=first_line.count) if first_line else ","


NOT_A_SPREADSHEET = "The selected file must be a CSV or XLSX spreadsheet. This file is not one."
BOMS = [  # longest first: the UTF-32 little-endian mark starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
]


def _utf16_without_bom(content: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when nearly every other byte is zero, as in UTF-16 text of Latin letters."""
    sample = content[:4096]
    half = max(len(sample) // 2, 1)
    for codec, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros.count(0) >= 0.9 * half:
            return codec
    return None


def _text(content: bytes) -> str:
    """The file as text. Excel saves "CSV" as cp1252 (Windows), "CSV UTF-8" as UTF-8 with a byte order mark,
    and "Unicode Text" as tab-separated UTF-16 with a byte order mark: all three are read."""
    encoding = next(((codec, name) for bom, codec, name in BOMS if content.startswith(bom)), None)
    if encoding is None and b"\x00" in content:
        codec = _utf16_without_bom(content)
        encoding = (codec, "UTF-16") if codec else None
        if encoding is None:
            raise SpreadsheetError(NOT_A_SPREADSHEET)
    if encoding is not None:
        codec, name = encoding
        try:
            text = content.decode(codec)
        except UnicodeDecodeError:
            raise SpreadsheetError(
                f"The selected file looks like {name} text but could not be read as {name}. "
                "Save it from your spreadsheet program as “CSV UTF-8” or .xlsx and try again."
            ) from None
        text = text.removeprefix("\ufeff")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")  # Excel on Windows saves "CSV" in this encoding
    if "\x00" in text:
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    return text


def _csv_rows(content: bytes) -> list[tuple[int, list]]:
    text = _text(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return list(enumerate(reader, start=1))
    except csv.Error as error:
        raise SpreadsheetError(f"The selected file could not be read as a CSV file ({error}).") from None


@dataclass
class SheetRows:
    """What an upload holds: its staffing table's rows, and the rows of its demand and assumptions parts (the CSV
    rows after a marker, or an XLSX sheet's); a part is None when the file does not have it."""

    staffing: list[tuple[int, list]]
    demand: Part | None = None
    assumptions: Part | None = None


def _value(cell):
    """A cell's value; a number the sheet formats as a percentage ("0%", "0.0%") as a `PercentCell`."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return PercentCell(value)
    return value


def _nonblank_rows(sheet, limit: int) -> list[tuple[int, list]]:
    """Only the rows with something in them, numbered as the spreadsheet numbers them; at most `limit`."""
    sheet.reset_dimensions()  # some programs write a wrong size; read every cell that is there
    rows = []
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        row = [_value(cell) for cell in cells]
        if any(not is_blank(value) for value in row):
            rows.append((number, row))
            if len(rows) >= limit:
                break
    return rows


def _xlsx_rows(content: bytes) -> SheetRows:
    """The staffing and assumptions sheets, read only after `xlsx_guard` has bounded what parsing them costs."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xlsx_guard.check_archive(archive)
            if SHARED_STRINGS in archive.namelist():
                xlsx_guard.check_sheet(archive, SHARED_STRINGS)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds of error for a damaged or foreign file
        raise SpreadsheetError(xlsx_guard.NOT_XLSX) from None
    try:
        sheet = workbook[SHEET_STAFFING] if SHEET_STAFFING in workbook.sheetnames else workbook.worksheets[0]
        xlsx_guard.check_sheet(workbook._archive, sheet._worksheet_path)  # openpyxl's own zip and path to the sheet
        # the header and one row too many are enough to refuse the file
        parts = {}
        for title in (SHEET_DEMAND, SHEET_ASSUMPTIONS):
            if title in workbook.sheetnames and sheet.title != title:
                part = workbook[title]
                xlsx_guard.check_sheet(workbook._archive, part._worksheet_path)
                parts[title] = Part(rows=_nonblank_rows(part, MAX_PART_ROWS + 1), sheet=title)
        return SheetRows(
            staffing=_nonblank_rows(sheet, MAX_ROWS + 2),
            demand=parts.get(SHEET_DEMAND),
            assumptions=parts.get(SHEET_ASSUMPTIONS),
        )
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(xlsx_guard.NOT_XLSX) from None
    finally:
        workbook.close()


def _csv_sections(rows: list[tuple[int, list]]) -> SheetRows:
    """A CSV export holds the staffing table, then "[Demand]" and "[Assumptions]" sections."""
    sections: dict[str, list] = {}
    inside = None
    for number, row in rows:
        first = cell_text(row[0]) if row else ""
        if first.startswith("[") and first.endswith("]"):
            inside = sections.setdefault(first, []) if first in (DEMAND_MARKER, ASSUMPTIONS_MARKER) else None
        elif inside is not None and len(inside) <= MAX_PART_ROWS and any(not is_blank(value) for value in row):
            inside.append((number, row))
    demand, assumptions = sections.get(DEMAND_MARKER), sections.get(ASSUMPTIONS_MARKER)
    return SheetRows(
        staffing=rows,
        demand=None if demand is None else Part(rows=demand, section=SHEET_DEMAND),
        assumptions=None if assumptions is None else Part(rows=assumptions, section=SHEET_ASSUMPTIONS),
    )


def read_file(content: bytes, filename: str) -> SheetRows:
    """The staffing, demand and assumption rows of a CSV or XLSX file (row numbers as the spreadsheet shows
    them)."""
    name = filename.lower()
    if not content:
        raise SpreadsheetError("The selected file is empty.")
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content)
    if name.endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError(xlsx_guard.NOT_XLSX)
    if name.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV and try again.")
    if not name.endswith((".csv", ".txt")):
        raise SpreadsheetError("The selected file must be a CSV or XLSX spreadsheet.")
    return _csv_sections(_csv_rows(content))


def read_rows(content: bytes, filename: str) -> list[tuple[int, list]]:
    """(row number as the spreadsheet shows it, cell values) for the staffing sheet of a CSV or XLSX file."""
    return read_file(content, filename).staffing


def parse_upload(
    upload, *, plan: Plan, roles: dict[str, Role], declarable: Declarable | None = None, pay_years=None
) -> ParsedPlan:
    """Read an uploaded file (a Django UploadedFile, or None) into a `ParsedPlan`. `roles` are from
    `validation.load_roles()`, `declarable` from `planning.role_options.declarable()` (read here, one query, when
    not given), and `pay_years` (from `planning.selectors.pay_years`) are the pay years the file's assumptions may
    name."""
    if upload is None:
        return ParsedPlan(errors=["Select a CSV or XLSX file to import."])
    if upload.size > MAX_UPLOAD_BYTES:
        return ParsedPlan(errors=["The selected file must be smaller than 2MB."])
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        sheets = read_file(content, upload.name or "")
    except SpreadsheetError as error:
        return ParsedPlan(errors=[str(error)])
    return parse_plan(
        sheets.staffing,
        demand=sheets.demand,
        assumptions=sheets.assumptions,
        plan=plan,
        roles=roles,
        declarable=role_options.declarable() if declarable is None else declarable,
        pay_years=pay_years,
    )

"""Read an uploaded CSV or XLSX file into rows, and the rows into staffing lines (`parse_upload`).

Import reads the XLSX "Staffing" sheet (or the first sheet when there is none), or a CSV's staffing table up to
its first marker row. Files that are too large, damaged or of another kind are refused with a message to show.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile

from openpyxl import load_workbook

from planning.models import Plan
from planning.spreadsheets import xlsx_guard
from planning.spreadsheets.columns import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    SHEET_STAFFING,
    SpreadsheetError,
    is_blank,
)
from planning.spreadsheets.validation import ParsedStaffing, parse_rows
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


def _xlsx_rows(content: bytes) -> list[tuple[int, list]]:
    """Rows of the staffing sheet, read only after `xlsx_guard` has bounded what parsing it can cost."""
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
        sheet.reset_dimensions()  # some programs write a wrong size; read every cell that is there
        rows = []  # only the rows with something in them, numbered as the spreadsheet numbers them
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if any(not is_blank(value) for value in row):
                rows.append((number, list(row)))
                if len(rows) > MAX_ROWS + 1:  # the header and one row too many: enough to refuse the file
                    break
        return rows
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(xlsx_guard.NOT_XLSX) from None
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

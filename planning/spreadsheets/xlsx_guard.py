"""Checks on an uploaded XLSX file before openpyxl parses any of it, so that a small file that unpacks to a huge
sheet (a "zip bomb", or one row of millions of empty cells) is refused in a fraction of a second with bounded memory.

1. `check_archive`: the zip's directory only (nothing is unpacked): how many files it holds, their unpacked sizes,
   and how much each one was compressed.
2. `check_sheet`: one worksheet's XML (or the shared strings table's) streamed through expat in small chunks,
   building nothing: its declared dimension, and the cells it really has (how many, how many in one row, the
   last row number). It stops at the first limit passed, so the cost is bounded by the limits, not by the file.

openpyxl's read-only mode streams rows, but it still builds every cell of a row before it drops the ones
beyond `max_col`, so a single wide row costs gigabytes unless it is refused here first.
"""

from __future__ import annotations

import re
import zipfile
from xml.parsers import expat

from planning.spreadsheets.columns import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEET_ROWS,
    MAX_XLSX_MEMBERS,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNPACKED_BYTES,
    SpreadsheetError,
)

TOO_LARGE = f"The selected file is too large to read. Import at most {MAX_ROWS:,} rows."
TOO_WIDE = (
    f"The selected file has a row with more than {MAX_COLUMNS} cells. A plan's staffing sheet has about 20 "
    "columns: delete the other columns and try again."
)
TOO_MANY_CELLS = (
    f"The selected file has more than {MAX_CELLS:,} cells, far more than a staffing table needs. "
    f"Import at most {MAX_ROWS:,} rows."
)
TOO_LONG = (
    f"The selected file uses rows beyond row {MAX_SHEET_ROWS:,}. Import at most {MAX_ROWS:,} rows, "
    "starting at the top of the sheet."
)
NOT_XLSX = "The selected file could not be opened as an XLSX spreadsheet. Save it as .xlsx or CSV and try again."
CHUNK_BYTES = 64 * 1024
_RATIO_FROM_BYTES = 1024 * 1024  # small files may compress very well (a sheet of a few repeated rows)
_REFERENCE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose directory promises more than a real plan needs. Nothing is unpacked."""
    members = archive.infolist()
    if len(members) > MAX_XLSX_MEMBERS:
        raise SpreadsheetError(NOT_XLSX)
    if sum(info.file_size for info in members) > MAX_XLSX_UNPACKED_BYTES:
        raise SpreadsheetError(TOO_LARGE)
    for info in members:
        if info.file_size > _RATIO_FROM_BYTES and info.file_size > MAX_XLSX_RATIO * max(info.compress_size, 1):
            raise SpreadsheetError(TOO_LARGE)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _check_dimension(ref: str) -> None:
    """The sheet's declared size (`<dimension ref="A1:I2001"/>`), as the program that saved it wrote it."""
    corners = [_REFERENCE.match(part.strip().upper()) for part in ref.split(":")]
    if not all(corners):
        return  # unreadable: the cells themselves are counted anyway
    columns = [_column_number(corner[1]) for corner in corners]
    rows = [int(corner[2]) for corner in corners]
    width, height = max(columns) - min(columns) + 1, max(rows)
    if width > MAX_COLUMNS:
        raise SpreadsheetError(TOO_WIDE)
    if height > MAX_SHEET_ROWS:
        raise SpreadsheetError(TOO_LONG)
    if width * height > MAX_CELLS:
        raise SpreadsheetError(TOO_MANY_CELLS)


class _SheetCounter:
    """expat handlers counting a worksheet's cells; they raise `SpreadsheetError` at the first limit passed."""

    def __init__(self):
        self.cells = 0
        self.row_cells = 0
        self.row_number = 0

    def start(self, name: str, attributes: dict) -> None:
        tag = name.rsplit(" ", 1)[-1]
        if tag == "si":  # a shared string: a sheet cannot use more of them than it has cells
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise SpreadsheetError(TOO_MANY_CELLS)
        elif tag == "c":
            self.cells += 1
            self.row_cells += 1
            if self.row_cells > MAX_COLUMNS:
                raise SpreadsheetError(TOO_WIDE)
            if self.cells > MAX_CELLS:
                raise SpreadsheetError(TOO_MANY_CELLS)
        elif tag == "row":
            self.row_cells = 0
            number = attributes.get("r", "")
            self.row_number = int(number) if number.isdigit() else self.row_number + 1
            if self.row_number > MAX_SHEET_ROWS:
                raise SpreadsheetError(TOO_LONG)
        elif tag == "dimension":
            _check_dimension(attributes.get("ref", ""))


def _refuse_doctype(*args) -> None:
    raise SpreadsheetError(NOT_XLSX)  # a worksheet never has one; entity tricks need one


def check_sheet(archive: zipfile.ZipFile, member: str) -> None:
    """Stream one worksheet's (or the shared strings') XML and refuse it at the first limit it passes."""
    counter = _SheetCounter()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = counter.start
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        with archive.open(member) as source:
            while chunk := source.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except SpreadsheetError:
        raise
    except Exception:  # damaged zip member or XML
        raise SpreadsheetError(NOT_XLSX) from None

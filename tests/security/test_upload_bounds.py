"""A small XLSX upload that unpacks to a huge sheet is refused before it is parsed, with bounded memory.

Each file is built here: a real workbook from openpyxl whose staffing sheet is replaced by crafted XML.
Memory is measured with tracemalloc around the read (the bytes of the upload are allocated before it starts).
"""

import io
import random
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from planning.spreadsheets import columns, reader, validation, xlsx_guard
from planning.spreadsheets.columns import STAFFING_COLUMNS
from tests.factories import good_row, make_spreadsheet_world

SHEET = "xl/worksheets/sheet1.xml"
HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
PEAK_BYTES = 8 * 1024 * 1024  # what refusing may cost, whatever the file claims to hold


def workbook_with_sheet(chunks, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A valid workbook whose first sheet is the XML given in `chunks` (written as a stream)."""
    workbook = Workbook()
    workbook.active.title = "Staffing"
    workbook.active.append(["role"])
    template = io.BytesIO()
    workbook.save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", compression=compression) as archive:
        for info in source.infolist():
            if info.filename == SHEET:
                with archive.open(SHEET, "w", force_zip64=True) as sheet:
                    for chunk in chunks:
                        sheet.write(chunk)
            else:
                archive.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def sheet_xml(rows, dimension="A1"):
    yield HEAD + f'<dimension ref="{dimension}"/><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def one_row_of_empty_cells(count):
    """One row of `count` empty cells, as the 40 KB file of the report held (9.9 million of them)."""
    yield b'<row r="1">'
    block = b"<c/>" * 100_000
    for _ in range(count // 100_000):
        yield block
    yield b"</row>"


def random_rows(count, width, start=1):
    """Rows of random numbers, which hardly compress."""
    rng = random.Random(7)
    for number in range(start, start + count):
        cells = "".join(f"<c><v>{rng.random():.15f}</v></c>" for _ in range(width))
        yield f'<row r="{number}">{cells}</row>'.encode()


def measured(function):
    tracemalloc.start()
    try:
        result = function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def refusal(content, name="crafted.xlsx"):
    """The message `read_rows` refuses the file with, and the peak memory it took to refuse it."""

    def read():
        try:
            reader.read_rows(content, name)
        except columns.SpreadsheetError as error:
            return str(error)
        return None

    return measured(read)


@pytest.fixture
def plan(db):
    return make_spreadsheet_world()["plan"]


def test_the_reported_40kb_file_of_9_9_million_empty_cells_is_refused_with_little_memory(plan):
    content = workbook_with_sheet(sheet_xml(one_row_of_empty_cells(9_900_000)))
    assert len(content) < 100 * 1024  # about 40 KB that unpacks to about 40 MB
    upload = SimpleUploadedFile("bomb.xlsx", content)
    roles = validation.load_roles()
    started = time.monotonic()
    result, peak = measured(lambda: reader.parse_upload(upload, plan=plan, roles=roles))
    print(f"refused in {time.monotonic() - started:.3f} s with a peak of {peak / 1e6:.2f} MB")
    assert result.errors == [xlsx_guard.TOO_LARGE]
    assert peak < PEAK_BYTES, f"refusing took {peak / 1e6:.1f} MB"


def test_a_well_compressed_sheet_under_the_size_limit_is_refused_by_its_compression_ratio(plan):
    # 8 MB of empty cells: under the unpacked limit, but no real sheet compresses a thousand to one
    content = workbook_with_sheet(sheet_xml(one_row_of_empty_cells(2_000_000)))
    assert sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist()) < (
        columns.MAX_XLSX_UNPACKED_BYTES
    )
    message, peak = refusal(content)
    assert message == xlsx_guard.TOO_LARGE
    assert peak < PEAK_BYTES, f"refusing took {peak / 1e6:.1f} MB"


@pytest.mark.parametrize(
    ("rows", "dimension", "message"),
    [
        # a row wider than any staffing table, stored without compression so no size check catches it
        (lambda: random_rows(1, columns.MAX_COLUMNS + 1), "A1", xlsx_guard.TOO_WIDE),
        # more cells than a plan needs, each row of a reasonable width, and the dimension says one cell
        (lambda: random_rows(5_000, 45), "A1", xlsx_guard.TOO_MANY_CELLS),
        # a cell far down the sheet: openpyxl would give a million empty rows before it
        (lambda: [b'<row r="1048576"><c><v>1</v></c></row>'], "A1", xlsx_guard.TOO_LONG),
        # the declared size alone
        (lambda: random_rows(1, 3), "A1:XFD1", xlsx_guard.TOO_WIDE),
        (lambda: random_rows(1, 3), "A1:I1048576", xlsx_guard.TOO_LONG),
        (lambda: random_rows(1, 3), "A1:AX19000", xlsx_guard.TOO_MANY_CELLS),
    ],
    ids=["wide-row", "many-cells", "far-row", "declared-wide", "declared-long", "declared-area"],
)
def test_sheets_bigger_than_a_plan_could_need_are_refused_before_parsing(rows, dimension, message):
    content = workbook_with_sheet(sheet_xml(rows(), dimension), compression=zipfile.ZIP_STORED)
    assert len(content) <= columns.MAX_XLSX_UNPACKED_BYTES
    refused_with, peak = refusal(content)
    assert refused_with == message
    assert peak < PEAK_BYTES, f"refusing took {peak / 1e6:.1f} MB"


def test_too_many_shared_strings_are_refused():
    strings = b"".join(f"<si><t>{n}</t></si>".encode() for n in range(columns.MAX_CELLS + 1))
    workbook = workbook_with_sheet(sheet_xml([b'<row r="1"><c t="s"><v>0</v></c></row>']))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        archive.writestr(
            reader.SHARED_STRINGS,
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>",
        )
    message, peak = refusal(out.getvalue())
    assert message == xlsx_guard.TOO_MANY_CELLS
    assert peak < PEAK_BYTES, f"refusing took {peak / 1e6:.1f} MB"


def test_a_doctype_in_a_sheet_is_refused():
    chunks = [b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>', HEAD[HEAD.index(b"<worksheet") :]]
    chunks.append(b"<sheetData/></worksheet>")
    assert refusal(workbook_with_sheet(chunks))[0] == xlsx_guard.NOT_XLSX


def test_a_full_two_thousand_line_workbook_with_three_sheets_still_imports(plan):
    workbook = Workbook()
    workbook.active.title = "Staffing"
    for row in [STAFFING_COLUMNS] + [good_row()] * columns.MAX_ROWS:
        workbook.active.append(row)
    workbook.create_sheet("Demand").append(["tier", "caseload"])
    workbook.create_sheet("Assumptions").append(["key", "assumption", "value"])
    out = io.BytesIO()
    workbook.save(out)
    upload = SimpleUploadedFile("plan.xlsx", out.getvalue())
    result = reader.parse_upload(upload, plan=plan, roles=validation.load_roles())
    assert result.ok, (result.errors, result.row_errors[:3])
    assert len(result.lines) == columns.MAX_ROWS

"""Plan spreadsheets: export, round trip, formula injection, and every kind of bad file."""

import codecs
import csv
import io
import json
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from planning import fields
from planning.models import Plan, Team
from planning.role_options import declarable
from planning.spreadsheets import columns, export, preview, reader, validation
from planning.spreadsheets.columns import STAFFING_COLUMNS
from roles.bands import BAND_BY_CODE, Band
from roles.models import Role
from tests.factories import PNG, csv_bytes, declare, good_row, line_dicts
from tests.factories import make_spreadsheet_world as make_world

DECLARED_COLUMNS = [
    "independent-prescribing_fte",
    "supplementary-prescribing_fte",
    "approved-clinician_fte",
    "amhp_fte",
    "best-interests-assessor_fte",
    "section-12-approval_fte",
]  # every capability some role holds only with further training or approval, in the catalogue's order

D = Decimal


def exported(plan, kind):
    plan = Plan.objects.select_related("team__organisation").get(pk=plan.pk)
    staffing = list(plan.staffing_lines.select_related("role").order_by("id"))
    content = export.plan_file(plan, staffing, list(plan.demand_lines.all()))
    if kind == "csv":
        return export.export_csv(content).encode("utf-8")
    return export.export_xlsx(content)


def parse(content, name, plan):
    upload = SimpleUploadedFile(name, content)
    return reader.parse_upload(upload, plan=plan, roles=validation.load_roles(), declarable=declarable())


def xlsx_bytes(rows, title="Staffing"):
    workbook = Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def plan(world):
    return world["plan"]


# --- Export and round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_lines(plan, kind):
    result = parse(exported(plan, kind), f"plan.{kind}", plan)
    assert result.ok, (result.errors, result.row_errors)
    assert result.lines == line_dicts(plan)
    assert result.rows == [2, 3, 4]  # the header is row 1


def test_xlsx_has_three_typed_sheets_with_frozen_headers(plan):
    workbook = load_workbook(io.BytesIO(exported(plan, "xlsx")))
    assert workbook.sheetnames == ["Staffing", "Demand", "Assumptions"]
    staffing = workbook["Staffing"]
    assert [cell.value for cell in staffing[1]] == [*STAFFING_COLUMNS, *DECLARED_COLUMNS]
    assert staffing.freeze_panes == "A2"
    first = [cell.value for cell in staffing[2]]
    assert first[:3] == ["mental-health-nurse", "Mental health nurse", 6]
    assert all(isinstance(value, (int, float)) for value in first[3:9]), first
    assert first[9:] == [None] * (3 + len(DECLARED_COLUMNS))  # default options, nothing declared
    assert staffing["D2"].number_format == "0.00"
    assert staffing["F2"].value == 12.5 and staffing["F2"].number_format == "0.00"  # a percentage, plainly
    assert staffing["C4"].value == "8a"
    assert staffing.column_dimensions["B"].width >= len("Mental health nurse")
    demand = workbook["Demand"]
    assert demand.freeze_panes == "A2"
    assert [[cell.value for cell in row] for row in demand.iter_rows()] == [
        ["tier", "caseload", "hours_per_person_per_week"],
        ["Complex", 40, 3],
        ["Routine", 200, 0.5],
    ]
    assumptions = {row[0]: row[2] for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)}
    assert assumptions["name"] == "Baseline 2025"
    assert assumptions["team"] == "Crisis team"
    assert assumptions["organisation"] == "Trust a"
    assert assumptions["start_year"] == 2025
    assert assumptions["horizon_years"] == 5
    assert assumptions["contract_hours"] == 37.5
    assert assumptions["productive_fraction"] == 0.78
    assert assumptions["direct_care_fraction"] == 0.6
    assert assumptions["demand_growth_pct"] == -5
    assert assumptions["on_cost_pct"] == 28
    assert assumptions["supervision_fraction"] == 0.1
    assert assumptions["pay_year"] == "2026/27"  # a new plan's default: the latest pay table
    assert assumptions["pay_point"] == "midpoint"
    assert assumptions["version"] == 1


def test_csv_has_the_staffing_table_first_then_demand_and_assumptions(plan):
    text = exported(plan, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [*STAFFING_COLUMNS, *DECLARED_COLUMNS]
    assert rows[1] == [
        "mental-health-nurse",
        "Mental health nurse",
        "6",
        "4.50",
        "5.00",
        "12.50",
        "1.00",
        "2027",
        "0.50",
        *[""] * (3 + len(DECLARED_COLUMNS)),
    ]
    assert rows[3][2] == "8a"
    assert rows[4] == []
    assert rows[5] == ["[Demand]"]
    assert rows[6] == ["tier", "caseload", "hours_per_person_per_week"]
    assert rows[7] == ["Complex", "40", "3.00"]
    assert ["[Assumptions]"] in rows
    assert ["demand_growth_pct", "Demand growth (% a year)", "-5.00"] in rows  # a negative number is not escaped


def test_export_filename_is_slugified_and_versioned(db):
    world = make_world(team_name='Crisis "A" team\r\nX-Header: 1', plan_name="../../etc/passwd")
    name = export.export_filename(world["plan"], "xlsx")
    assert name == "crisis-a-team-x-header-1-etcpasswd-v1.xlsx"


def test_formula_injection_is_escaped_on_export_and_undone_on_import(plan):
    Role.objects.filter(slug="peer-support-worker").update(name='=HYPERLINK("http://evil","x")')
    Team.objects.filter(pk=plan.team_id).update(name="+cmd|' /C calc'!A0")
    Plan.objects.filter(pk=plan.pk).update(name="@SUM(1+1)", pay_year="-2+3")

    rows = list(csv.reader(io.StringIO(exported(plan, "csv").decode("utf-8-sig"))))
    assert rows[2][1] == '\'=HYPERLINK("http://evil","x")'
    assert ["team", "Team", "'+cmd|' /C calc'!A0"] in rows
    assert ["name", "Plan name", "'@SUM(1+1)"] in rows
    assert ["pay_year", "Pay year", "'-2+3"] in rows

    workbook = load_workbook(io.BytesIO(exported(plan, "xlsx")))
    cell = workbook["Staffing"]["B3"]
    assert cell.value == '\'=HYPERLINK("http://evil","x")'
    assert cell.data_type == "s"  # text, not a formula
    values = {row[0]: row[2] for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)}
    assert values["team"] == "'+cmd|' /C calc'!A0"
    assert values["demand_growth_pct"] == -5  # still a number

    for kind, where in (("csv", "Row "), ("xlsx", "Assumptions sheet, row ")):
        result = parse(exported(plan, kind), f"plan.{kind}", plan)
        assert not result.errors and result.lines == line_dicts(plan)
        # every line is read back; the escaped pay year is read back too, and is no pay year
        (problem,) = result.row_errors
        assert str(problem).startswith(where) and "pay_year -2+3 is not a pay year" in str(problem)
    assert columns.unescape_text("'=1+1") == "=1+1"
    assert columns.unescape_text("'quoted") == "'quoted"


# --- Good files -------------------------------------------------------------------------------------------


def test_whitespace_case_empty_rows_and_optional_columns(plan):
    content = csv_bytes(
        [
            [" Role ", "BAND", "fte", "establishment_fte"],
            [" Mental-Health-Nurse ", " 8A ", " 2.5 ", "3"],
            ["", "", "", ""],
            [],
            ["social-worker", "Band 7", "1", "1.00"],
        ]
    )
    result = parse(content, "lines.csv", plan)
    assert result.ok, result.row_errors
    assert result.rows == [2, 5]
    nurse, social_worker = result.lines
    assert nurse == {
        "role_id": Role.objects.get(slug="mental-health-nurse").pk,
        "band": BAND_BY_CODE["8a"],
        "fte": D("2.50"),
        "establishment_fte": D("3.00"),
        "attrition_pct": D("0.00"),
        "trainees_fte": D("0.00"),
        "trainee_completion_year": None,
        "recruitment_fte_per_year": D("0.00"),
    }
    assert social_worker["band"] == 7


def test_bands_follow_the_catalogue(plan):
    """Career ranges from the catalogue, medical grades for doctors, and a role with no confirmed range takes the
    grades of its pay table only (never any grade silently)."""
    psychologist = Role.objects.get(slug="clinical-psychologist")
    assert (psychologist.band_trainee, psychologist.band_min) == (6, 7)
    assert psychologist.band_max >= Band.B8A  # a career range: principal 8a to 8b and above
    social_worker = Role.objects.get(slug="social-worker")
    assert social_worker.band_min is None and social_worker.band_max is None
    rows = [
        STAFFING_COLUMNS,
        good_row(role="clinical-psychologist", band="6"),  # the trainee band
        good_row(role="clinical-psychologist", band="8a"),  # refused before the ranges were career ranges
        good_row(role="social-worker", band="9"),  # no confirmed range: any Agenda for Change band
        good_row(role="consultant-psychiatrist", band="consultant"),
        good_row(role="specialty-doctor-psychiatry", band="Specialty doctor"),  # a grade's label reads too
        good_row(role="clinical-psychologist", band="5"),
        good_row(role="social-worker", band="consultant"),  # not a medical role
        good_row(role="consultant-psychiatrist", band="9"),  # doctors are not on AfC bands
        good_row(role="mental-health-nurse", band="2"),  # a registered nurse at band 2
    ]
    result = parse(csv_bytes(rows), "lines.csv", plan)
    assert [str(error) for error in result.row_errors] == [
        "Row 7: band 5 is outside the range for Clinical psychologist (band 6 to 9)",
        "Row 8: band consultant is outside the range for Social worker "
        "(band not confirmed: any Agenda for Change grade)",
        "Row 9: band 9 is outside the range for Consultant psychiatrist (consultant)",
        "Row 10: band 2 is outside the range for Mental health nurse (band 5 or above)",
    ]


def test_xlsx_numbers_and_a_sheet_not_called_staffing(plan):
    rows = [STAFFING_COLUMNS, ["peer-support-worker", None, 4, 0.1 + 0.2, 1, 12.5, 0, 2030.0, None]]
    result = parse(xlsx_bytes(rows, title="Sheet1"), "lines.xlsx", plan)
    assert result.ok, result.row_errors
    assert result.lines[0]["fte"] == D("0.30")
    assert result.lines[0]["trainee_completion_year"] == 2030
    assert result.lines[0]["recruitment_fte_per_year"] == D("0.00")


# --- Bad files --------------------------------------------------------------------------------------------


def row_messages(result):
    return [str(error) for error in result.row_errors]


def test_wrong_columns_are_named(plan):
    rows = [["role", "band", "grade", "FTE", "fte", "notes"], ["peer-support-worker", "4", "x", "1", "1", ""]]
    result = parse(csv_bytes(rows), "lines.csv", plan)
    assert not result.ok
    assert result.lines == [] and result.row_errors == []
    assert result.errors == [
        "The file is missing the column establishment_fte.",
        "The file has columns we do not recognise: grade, notes. Use the column headings "
        "role, role_name, band, fte, establishment_fte, attrition_pct, trainees_fte, trainee_completion_year, "
        "recruitment_fte_per_year, complexity_ceiling, supervision_hours_per_month, note, and a column "
        "<capability>_fte for each capability a line can declare.",
        "The file has the column fte more than once.",
    ]


def test_text_file_without_a_header(plan):
    result = parse(b"Hello,\nthis is just a note\n", "notes.txt", plan)
    assert len(result.errors) == 1
    assert result.errors[0].startswith("The first row of the file must be the column headings: role, role_name")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "astronaut"}, "Row 3: there is no role “astronaut” in the catalogue"),
        (
            {"role": "Peer support worker"},
            "Row 3: there is no role “Peer support worker” in the catalogue. Did you mean peer-support-worker?",
        ),
        ({"role": ""}, "Row 3: enter the role"),
        ({"fte": "-1"}, "Row 3: fte must be 0 or more (it is -1)"),
        ({"fte": "1.234"}, "Row 3: fte must have no more than 2 decimal places (it is 1.234)"),
        ({"fte": "1000"}, "Row 3: fte must be 999.99 or less (it is 1000)"),
        ({"fte": "one"}, "Row 3: fte must be a number, like 1.5 (it is “one”)"),
        ({"fte": "NaN"}, "Row 3: fte must be a number, like 1.5 (it is “NaN”)"),
        ({"fte": ""}, "Row 3: enter the fte"),
        ({"establishment_fte": "1e9"}, "Row 3: establishment_fte must be 999.99 or less (it is 1e9)"),
        ({"attrition_pct": "101"}, "Row 3: attrition_pct must be 100 or less (it is 101)"),
        ({"fte": "10%"}, "Row 3: fte must be a number, like 1.5 (it is “10%”)"),  # not a percentage column
        ({"trainees_fte": "-0.5"}, "Row 3: trainees_fte must be 0 or more (it is -0.5)"),
        (
            {"recruitment_fte_per_year": "0.001"},
            "Row 3: recruitment_fte_per_year must have no more than 2 decimal places (it is 0.001)",
        ),
        ({"band": "9"}, "Row 3: band 9 is outside the range for Peer support worker (band 3 to 4)"),
        # A number cell (XLSX) is a band code too: 9 is band 9, not the ninth band (8b).
        ({"band": 9}, "Row 3: band 9 is outside the range for Peer support worker (band 3 to 4)"),
        # Text escaped against formula injection is read as it was before escaping.
        ({"fte": "'-1"}, "Row 3: fte must be 0 or more (it is -1)"),
        (
            {"band": "10"},
            "Row 3: band “10” is not a pay grade (use an Agenda for Change band, 2 to 7, 8a to 8d or 9, or a "
            "medical grade: resident-foundation, resident-core, resident-higher, specialty-doctor, specialist, "
            "consultant)",
        ),
        ({"band": ""}, "Row 3: enter the band"),
        (
            {"trainee_completion_year": "2031"},
            "Row 3: trainee_completion_year 2031 is outside the plan’s years (2025 to 2030)",
        ),
        (
            {"trainee_completion_year": "2024"},
            "Row 3: trainee_completion_year 2024 is outside the plan’s years (2025 to 2030)",
        ),
        (
            {"trainees_fte": "1"},
            "Row 3: enter the trainee_completion_year: the year the trainees in the pipeline complete",
        ),
        (
            {"trainee_completion_year": "2026.5"},
            "Row 3: trainee_completion_year must be a year, like 2026 (it is “2026.5”)",
        ),
    ],
)
def test_each_bad_row_is_reported_with_its_row_number(plan, changes, message):
    peer = Role.objects.get(slug="peer-support-worker")
    assert (peer.band_trainee, peer.band_min, peer.band_max) == (None, 3, 4)
    rows = [STAFFING_COLUMNS, good_row(), good_row(**changes), good_row()]
    for name, content in (("lines.csv", csv_bytes(rows)), ("lines.xlsx", xlsx_bytes(rows))):
        result = parse(content, name, plan)
        assert not result.ok
        assert result.errors == []
        assert row_messages(result) == [message], name
        assert result.bad_rows == 1
        assert len(result.lines) == 2


def test_every_problem_in_every_row_is_reported(plan):
    rows = [
        STAFFING_COLUMNS,
        good_row(fte="-1", band="9"),
        [],
        good_row(role="nobody", trainee_completion_year="1999"),
    ]
    result = parse(csv_bytes(rows), "lines.csv", plan)
    assert row_messages(result) == [
        "Row 2: band 9 is outside the range for Peer support worker (band 3 to 4)",
        "Row 2: fte must be 0 or more (it is -1)",
        "Row 4: there is no role “nobody” in the catalogue",
        "Row 4: trainee_completion_year 1999 is outside the plan’s years (2025 to 2030)",
    ]
    assert result.bad_rows == 2


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_ten_thousand_rows_are_refused_quickly_without_a_query_a_row(plan, kind, django_assert_max_num_queries):
    rows = [STAFFING_COLUMNS] + [good_row()] * 10_000
    content = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    assert len(content) < columns.MAX_UPLOAD_BYTES
    started = time.monotonic()
    with django_assert_max_num_queries(2):  # the roles and the declarable capabilities, once each
        result = parse(content, f"big.{kind}", plan)
    assert time.monotonic() - started < 5
    assert result.errors == ["The file has more than 2,000 staffing lines. Import at most 2,000 lines at a time."]
    assert result.lines == [] and result.row_errors == []


def test_two_thousand_rows_are_checked_with_two_queries(plan, django_assert_max_num_queries):
    header = [*STAFFING_COLUMNS, "amhp_fte"]
    nurse = good_row(header, role="mental-health-nurse", band="6", fte="2", amhp_fte="0.5", note="Team leader")
    rows = [header] + [nurse] * 2000
    with django_assert_max_num_queries(2):  # the roles and the declarable capabilities, once each
        result = parse(csv_bytes(rows), "big.csv", plan)
    assert result.ok and len(result.lines) == 2000
    assert result.lines[-1]["declared_capabilities"] == {"amhp": D("0.50")}


def zip_bytes(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("picture.xlsx", PNG, "The selected file could not be opened as an XLSX spreadsheet."),
        ("picture.csv", PNG, "The selected file must be a CSV or XLSX spreadsheet. This file is not one."),
        ("picture.png", PNG, "The selected file must be a CSV or XLSX spreadsheet."),
        ("random.xlsx", bytes(range(256)) * 4, "The selected file could not be opened as an XLSX spreadsheet."),
        ("fake.xlsx", b"PK\x03\x04 not really a zip", "The selected file could not be opened as an XLSX spreadsheet."),
        ("other.xlsx", zip_bytes({"hello.txt": "hi"}), "The selected file could not be opened as an XLSX spreadsheet."),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "Old Excel files (.xls) cannot be read."),
        ("empty.csv", b"", "The selected file is empty."),
        ("blank.csv", b"\r\n , ,\r\n\r\n", "The selected file is empty."),
        ("empty.xlsx", xlsx_bytes([]), "The selected file is empty."),
        ("header.csv", csv_bytes([STAFFING_COLUMNS]), "The file has column headings but no staffing lines."),
    ],
)
def test_files_that_are_not_staffing_spreadsheets(plan, name, content, message):
    result = parse(content, name, plan)
    assert not result.ok
    assert len(result.errors) == 1
    assert result.errors[0].startswith(message), result.errors
    assert result.lines == [] and result.row_errors == []


def test_zip_bomb_is_refused_before_it_is_unpacked(plan):
    content = zip_bytes({"xl/worksheets/sheet1.xml": b"0" * (columns.MAX_XLSX_UNPACKED_BYTES + 1)})
    assert len(content) < columns.MAX_UPLOAD_BYTES
    result = parse(content, "bomb.xlsx", plan)
    assert result.errors == ["The selected file is too large to read. Import at most 2,000 rows."]


def test_missing_and_oversized_uploads(plan):
    roles = validation.load_roles()
    assert reader.parse_upload(None, plan=plan, roles=roles).errors == ["Select a CSV or XLSX file to import."]
    big = SimpleUploadedFile("big.csv", b"x" * (columns.MAX_UPLOAD_BYTES + 1))
    assert reader.parse_upload(big, plan=plan, roles=roles).errors == ["The selected file must be smaller than 2MB."]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(plan, delimiter):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([STAFFING_COLUMNS, good_row(fte="1.5")])
    result = parse(out.getvalue().encode(), "lines.txt", plan)
    assert result.ok, (result.errors, result.row_errors)
    assert result.lines[0]["fte"] == D("1.50")


def test_windows_encoded_csv_is_read(plan):
    content = "role,band,fte,establishment_fte,role_name\r\npeer-support-worker,4,1,1,Café\r\n".encode("cp1252")
    result = parse(content, "lines.csv", plan)
    assert result.ok and len(result.lines) == 1


def unicode_text(rows, delimiter="\t") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        # Excel's "Unicode Text": UTF-16 little-endian with a byte order mark, tab-separated
        ("lines.txt", lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
        ("lines.csv", lambda text: text.encode("utf-16")),
        ("lines.txt", lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
        ("lines.txt", lambda text: text.encode("utf-16-le")),  # no byte order mark
        ("lines.csv", lambda text: text.encode("utf-8-sig")),  # Excel's "CSV UTF-8"
        ("lines.csv", lambda text: text.encode("utf-32")),
    ],
    ids=["utf-16-le-bom", "utf-16-native", "utf-16-be-bom", "utf-16-le-no-bom", "utf-8-bom", "utf-32"],
)
def test_unicode_text_files_are_read(plan, name, encode):
    text = unicode_text([STAFFING_COLUMNS, good_row(fte="1.5", role_name="Pair café — ‘quoted’")])
    result = parse(encode(text), name, plan)
    assert result.ok, (result.errors, result.row_errors)
    assert len(result.lines) == 1 and result.lines[0]["fte"] == D("1.50")


def test_a_damaged_utf16_file_names_its_encoding(plan):
    content = codecs.BOM_UTF16_LE + unicode_text([STAFFING_COLUMNS, good_row()]).encode("utf-16-le") + b"\x00\xd8"
    result = parse(content, "lines.txt", plan)
    assert result.errors == [
        "The selected file looks like UTF-16 text but could not be read as UTF-16. "
        "Save it from your spreadsheet program as “CSV UTF-8” or .xlsx and try again."
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("pay_year", "problem"),
    [
        ("9999/00", "is not a financial year a plan can use: it must start from 2000 to 2099"),
        ("1899/00", "is not a financial year a plan can use: it must start from 2000 to 2099"),
        ("2025/27", "is not a financial year: the second year must follow the first, for example 2025/26"),
        ("2025-26", "is not a pay year: write it as 4 digits, a slash and 2 digits, for example 2025/26"),
        ("", "is not a pay year: write it as 4 digits, a slash and 2 digits, for example 2025/26"),
        ("2031/32", "has no pay tables (the pay years with pay tables are: 2025/26)"),
    ],
)
def test_a_file_naming_a_pay_year_no_plan_could_have_is_refused_with_its_row(plan, kind, pay_year, problem):
    Plan.objects.filter(pk=plan.pk).update(pay_year=pay_year)
    content = exported(plan, kind)
    Plan.objects.filter(pk=plan.pk).update(pay_year="2025/26")
    upload = SimpleUploadedFile(f"plan.{kind}", content)
    result = reader.parse_upload(upload, plan=plan, roles=validation.load_roles(), pay_years={"2025/26"})
    (error,) = result.row_errors
    rows = (
        list(enumerate(csv.reader(io.StringIO(content.decode("utf-8-sig"))), start=1))
        if kind == "csv"
        else list(enumerate(load_workbook(io.BytesIO(content))["Assumptions"].iter_rows(values_only=True), start=1))
    )
    (row,) = [number for number, cells in rows if cells and cells[0] == "pay_year"]
    assert (error.row, error.sheet) == (row, "" if kind == "csv" else "Assumptions")
    assert error.message == f"pay_year {pay_year or '(blank)'} {problem}"
    assert not result.ok and len(result.lines) == len(line_dicts(plan))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_a_pay_year_that_has_pay_tables_imports(plan, kind):
    upload = SimpleUploadedFile(f"plan.{kind}", exported(plan, kind))
    pay_years = {Plan.objects.get(pk=plan.pk).pay_year}
    result = reader.parse_upload(upload, plan=plan, roles=validation.load_roles(), pay_years=pay_years)
    assert result.ok, (result.errors, result.row_errors)


# --- Comparing and keeping the preview --------------------------------------------------------------------


def test_diff_counts_added_removed_changed_and_unchanged(plan):
    current = list(plan.staffing_lines.select_related("role").order_by("id"))
    nurse = current[0]
    declare(nurse, amhp="1")
    header = [*STAFFING_COLUMNS, "amhp_fte", "independent-prescribing_fte"]
    rows = [
        header,
        # unchanged, its AMHP declaration too
        ["mental-health-nurse", "", "6", "4.5", "5", "12.5", "1", "2027", "0.5", "", "", "", "1", ""],
        # changed: fte, establishment, ceiling, note
        ["peer-support-worker", "", "3", "3", "3", "20", "0", "", "1", "routine", "", "Lead", "", ""],
        ["social-worker", "", "6", "1", "1", "0", "0", "", "0", "", "", "", "0.5", ""],  # added
        # a second nurse band 6: added, declaring prescribing
        ["mental-health-nurse", "", "6", "1", "1", "0", "0", "", "0", "", "", "", "", "1"],
    ]  # approved clinician 8a: removed
    result = parse(csv_bytes(rows), "lines.csv", plan)
    assert result.ok, result.row_errors
    declared = export.declared_by_line(current)
    diff = preview.diff_staffing(current, declared, result.lines, validation.load_roles(), declarable())
    assert diff.unchanged == 1
    assert [(line.role.slug, line.band_label) for line in diff.added] == [
        ("social-worker", "Band 6"),
        ("mental-health-nurse", "Band 6"),
    ]
    assert diff.added[0].declared == [("Approved mental health professional (AMHP)", D("0.50"))]
    assert [(line.role.slug, line.band_label) for line in diff.removed] == [("approved-clinician", "Band 8a")]
    (change,) = diff.changed
    assert change.after.role.slug == "peer-support-worker"
    assert change.changes == [
        ("FTE in post", "2", "3"),
        ("Funded establishment FTE", "2", "3"),
        ("Most complex need", "role and band's default", "Routine"),
        ("Note", "none", "Lead"),
    ]
    assert diff.has_changes


def test_a_changed_declaration_is_a_change_of_its_line(plan):
    nurse = plan.staffing_lines.get(role__slug="mental-health-nurse")
    declare(nurse, amhp="1")
    rows = list(csv.reader(io.StringIO(exported(plan, "csv").decode("utf-8-sig"))))
    assert rows[1][rows[0].index("amhp_fte")] == "1.00"
    rows[1][rows[0].index("amhp_fte")] = "0.5"
    result = parse(csv_bytes(rows), "plan.csv", plan)
    assert result.ok, result.row_errors
    current = list(plan.staffing_lines.select_related("role").order_by("id"))
    diff = preview.diff_staffing(
        current, export.declared_by_line(current), result.lines, validation.load_roles(), declarable()
    )
    (change,) = diff.changed
    assert change.changes == [("Approved mental health professional (AMHP) FTE", "1", "0.5")]
    assert diff.unchanged == 2


def test_pending_import_round_trips_and_refuses_tampering(plan):
    nurse = plan.staffing_lines.get(role__slug="mental-health-nurse")
    declare(nurse, amhp="1.5")
    result = parse(exported(plan, "xlsx"), "plan.xlsx", plan)
    assert result.ok, result.row_errors
    pending = preview.pending_import(plan, result)
    version, restored = preview.import_from_pending(plan, pending, pending["digest"])
    assert version == 1
    assert restored.lines == result.lines == line_dicts(plan)
    assert restored.demand == result.demand and restored.demand[0] == {
        "tier": 3,
        "caseload": 40,
        "hours_per_person_per_week": D("3.00"),
    }
    assert restored.assumptions == result.assumptions and restored.assumptions["contract_hours"] == D("37.50")
    assert preview.import_from_pending(plan, pending, "0" * 64) is None
    assert preview.import_from_pending(plan, None, pending["digest"]) is None
    tampered = json.loads(json.dumps(pending))
    tampered["plan"]["lines"][0]["fte"] = "999.00"
    assert preview.import_from_pending(plan, tampered, pending["digest"]) is None
    other_version = {**pending, "version": 2}
    assert preview.import_from_pending(plan, other_version, pending["digest"]) is None


# --- Declared capabilities ----------------------------------------------------------------------------------


def test_declared_capabilities_follow_the_role_and_the_line(plan):
    header = [*STAFFING_COLUMNS, "independent-prescribing_fte", "amhp_fte"]
    rows = [
        header,
        good_row(header, role="mental-health-nurse", band="6", fte="3", **{"independent-prescribing_fte": "1"}),
        good_row(header, role="mental-health-nurse", band="6", fte="3", amhp_fte="0"),  # 0: declares nothing
        good_row(header, **{"independent-prescribing_fte": "1"}),  # a peer support worker
        good_row(header, role="mental-health-nurse", band="6", fte="1", amhp_fte="1.5"),
        good_row(header, role="mental-health-nurse", band="6", fte="1", amhp_fte="lots"),
    ]
    result = parse(csv_bytes(rows), "lines.csv", plan)
    assert row_messages(result) == [
        "Row 4: Peer support worker cannot hold independent prescribing (leave independent-prescribing_fte blank)",
        "Row 5: amhp_fte must not be more than the line's fte, 1 (it is 1.5)",
        "Row 6: amhp_fte must be a number, like 1.5 (it is “lots”)",
    ]
    good = csv_bytes(rows[:3])
    first, second = parse(good, "lines.csv", plan).lines
    assert first["declared_capabilities"] == {"independent-prescribing": D("1.00")}
    assert second["declared_capabilities"] == {}


def test_a_column_for_a_capability_no_line_can_declare_is_named(plan):
    rows = [[*STAFFING_COLUMNS, "peer-support_fte"], good_row()]
    result = parse(csv_bytes(rows), "lines.csv", plan)
    assert result.errors[0].startswith("The file has a column we do not recognise: peer-support_fte.")


# --- Percentages and thousands -------------------------------------------------------------------------------


def test_an_excel_percentage_cell_reads_as_a_percentage(plan):
    content = exported(plan, "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    cell = workbook["Staffing"]["F2"]  # attrition_pct of the nurse line
    cell.value, cell.number_format = 0.1, "0%"  # what Excel stores when 10% is typed
    other = workbook["Staffing"]["F3"]
    other.value, other.number_format = 0.125, "0.0%"
    on_cost = next(row for row in workbook["Assumptions"].iter_rows() if row[0].value == "on_cost_pct")[2]
    on_cost.value, on_cost.number_format = 0.3, "0%"
    fte = workbook["Staffing"]["D2"]
    fte.value, fte.number_format = 0.5, "0%"  # not a percentage column: the number as stored
    out = io.BytesIO()
    workbook.save(out)
    result = parse(out.getvalue(), "plan.xlsx", plan)
    assert result.ok, result.row_errors
    assert result.lines[0]["attrition_pct"] == D("10.00")
    assert result.lines[1]["attrition_pct"] == D("12.50")
    assert result.lines[0]["fte"] == D("0.50")
    assert result.assumptions["on_cost_pct"] == D("30.00")


def test_csv_percent_signs_and_thousands_separators(plan):
    text = exported(plan, "csv").decode("utf-8-sig")
    text = text.replace(",12.50,", ",10%,", 1).replace("on_cost_pct,Employer on-costs (%),28.00", "on_cost_pct,x,29 %")
    text = text.replace("Complex,40,3.00", 'Complex,"1,500",3.00')
    result = parse(text.encode(), "plan.csv", plan)
    assert result.ok, result.row_errors
    assert result.lines[0]["attrition_pct"] == D("10.00")
    assert result.assumptions["on_cost_pct"] == D("29.00")
    assert result.demand[0] == {"tier": 3, "caseload": 1500, "hours_per_person_per_week": D("3.00")}


# --- Demand and assumptions ----------------------------------------------------------------------------------


def test_demand_and_assumptions_are_read_from_the_file(plan):
    result = parse(exported(plan, "csv"), "plan.csv", plan)
    assert result.ok, result.row_errors
    assert result.demand == [
        {"tier": 3, "caseload": 40, "hours_per_person_per_week": D("3.00")},
        {"tier": 1, "caseload": 200, "hours_per_person_per_week": D("0.50")},
    ]
    plan = Plan.objects.get(pk=plan.pk)
    assert set(result.assumptions) == set(fields.ASSUMPTION_FIELDS)
    assert result.assumptions == {name: getattr(plan, name) for name in fields.ASSUMPTION_FIELDS}


def test_a_staffing_only_file_leaves_demand_and_assumptions_alone(plan):
    result = parse(csv_bytes([STAFFING_COLUMNS, good_row()]), "lines.csv", plan)
    assert result.ok and result.demand is None and result.assumptions is None


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_bad_demand_and_assumptions_are_refused_with_their_rows(plan, kind):
    Plan.objects.filter(pk=plan.pk).update(horizon_years=11, demand_basis="guess", contract_hours=Decimal("37.5"))
    content = exported(plan, kind)
    if kind == "csv":
        content = content.replace(b"Routine,200,0.50", b"Routine,200,\r\nVery hard,1,1")
    else:
        workbook = load_workbook(io.BytesIO(content))
        workbook["Demand"]["C3"] = None
        workbook["Demand"].append(["Very hard", 1, 1])
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    result = parse(content, f"plan.{kind}", plan)
    messages = row_messages(result)
    demand = "Demand sheet, row {}" if kind == "xlsx" else "Row {} (demand)"
    assumptions = "Assumptions sheet, row {}" if kind == "xlsx" else "Row {} (assumptions)"
    first_demand = 2 if kind == "xlsx" else 8  # CSV: 4 staffing rows, a blank row, the marker, the header
    first_assumption = 2 if kind == "xlsx" else 14
    horizon = first_assumption + 4  # name, team, organisation, start year, horizon
    basis = first_assumption + 14
    assert messages == [
        f"{demand.format(first_demand + 1)}: Routine demand: Enter the hours per person per week for the routine "
        "tier, or clear the caseload",
        f"{demand.format(first_demand + 2)}: tier “Very hard” is not a tier (use complex, moderate or routine)",
        f"{assumptions.format(horizon)}: horizon_years: Horizon must be 10 or less",
        f"{assumptions.format(basis)}: demand_basis: Choose how the plan's demand is worked out",
    ], messages
    assert not result.ok


def test_trainee_years_are_checked_against_the_files_own_period(plan):
    text = exported(plan, "csv").decode("utf-8-sig").replace("start_year,Start year,2025", "start_year,Start year,2028")
    result = parse(text.encode(), "plan.csv", plan)
    assert row_messages(result) == ["Row 2: trainee_completion_year 2027 is outside the plan’s years (2028 to 2033)"]


def test_a_demand_part_of_too_many_rows_is_refused(plan):
    rows = [STAFFING_COLUMNS, good_row(), [], ["[Demand]"], ["tier", "caseload", "hours_per_person_per_week"]]
    rows += [["Complex", "1", "1"]] * columns.MAX_PART_ROWS
    result = parse(csv_bytes(rows), "plan.csv", plan)
    assert row_messages(result) == ["Row 105 (demand): the file has more than 100 rows of demand"]

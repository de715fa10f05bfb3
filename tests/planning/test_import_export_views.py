"""Export and import views: who may use them, what they return, and that an import writes exactly what was
previewed, once, or nothing at all."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from planning import decisions, services
from planning.models import DeclaredCapability, DemandLine, Plan, StaffingLine
from planning.role_options import declarable
from planning.spreadsheets.columns import STAFFING_COLUMNS
from roles.models import ComplexityTier, RoleCapability
from tests.factories import PNG, csv_bytes, declare, good_row, line_dicts
from tests.factories import make_spreadsheet_world as make_world

D = Decimal


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def other(db):
    return make_world("b")


def url(name, plan):
    return reverse(f"planning:{name}", args=[plan.pk])


def as_user(client, user):
    client.force_login(user)
    return client


def upload(client, plan, content, name="staffing.csv"):
    return client.post(url("plan-import", plan), {"file": SimpleUploadedFile(name, content)})


def snapshot(plan):
    plan = Plan.objects.get(pk=plan.pk)
    return plan.version, line_dicts(plan), StaffingLine.history.filter(plan_id=plan.pk).count()


NEW_LINES = [
    STAFFING_COLUMNS,
    ["mental-health-nurse", "Mental health nurse", "6", "4.5", "5", "12.5", "1", "2027", "0.5"],  # unchanged
    ["peer-support-worker", "", "3", "3", "3", "20", "0", "", "1"],  # changed: FTE 2 -> 3, establishment 2 -> 3
    ["social-worker", "", "6", "1", "1.5", "0", "0", "", "0"],  # added
]  # approved clinician 8a: removed


# --- Export -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_leads_and_viewers_can_export_csv(client, world, who):
    plan = world["plan"]
    response = as_user(client, world[who]).get(url("plan-export-csv", plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="crisis-team-baseline-2025-v1.csv"'
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][: len(STAFFING_COLUMNS)] == STAFFING_COLUMNS
    assert rows[0][len(STAFFING_COLUMNS) :] == [f"{slug}_fte" for slug in declarable().capabilities]
    assert len(rows) > 4 and ["[Demand]"] in rows and ["[Assumptions]"] in rows


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_leads_and_viewers_can_export_xlsx(client, world, who):
    plan = world["plan"]
    response = as_user(client, world[who]).get(url("plan-export-xlsx", plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="crisis-team-baseline-2025-v1.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Staffing", "Demand", "Assumptions"]
    assert workbook["Staffing"].max_row == 4


@pytest.mark.parametrize("name", ["plan-export-csv", "plan-export-xlsx", "plan-import"])
def test_another_organisation_gets_404(client, world, other, name):
    response = as_user(client, other["lead"]).get(url(name, world["plan"]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["plan-export-csv", "plan-export-xlsx", "plan-import"])
def test_anonymous_users_are_sent_to_log_in(client, world, name):
    target = url(name, world["plan"])
    response = client.get(target)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={target}"


def test_export_refuses_post(client, world):
    response = as_user(client, world["lead"]).post(url("plan-export-csv", world["plan"]))
    assert response.status_code == 405


# --- Import: who may --------------------------------------------------------------------------------------


def test_lead_sees_the_upload_form(client, world):
    plan = world["plan"]
    response = as_user(client, world["lead"]).get(url("plan-import", plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'class="nhsuk-file-upload__input" id="file" name="file" type="file"' in html
    assert url("plan-export-xlsx", plan) in html and url("plan-export-csv", plan) in html
    for column in [*STAFFING_COLUMNS, "independent-prescribing_fte", "amhp_fte"]:
        assert f"<code>{column}</code>" in html
    assert "10 means 10%" in html
    assert 'role="text"' not in html  # not an ARIA role
    assert "nhsuk-form-group--error" not in html


def test_viewer_gets_403_and_nothing_is_written(client, world):
    plan = world["plan"]
    before = snapshot(plan)
    client = as_user(client, world["viewer"])
    assert client.get(url("plan-import", plan)).status_code == 403
    assert upload(client, plan, csv_bytes(NEW_LINES)).status_code == 403
    assert client.post(url("plan-import-apply", plan), {"digest": "x"}).status_code == 403
    assert snapshot(plan) == before


def test_other_organisation_cannot_apply(client, world, other):
    plan = world["plan"]
    lead_client = as_user(client, world["lead"])
    digest = upload(lead_client, plan, csv_bytes(NEW_LINES)).context["digest"]
    before = snapshot(plan)
    client.logout()
    response = as_user(client, other["lead"]).post(url("plan-import-apply", plan), {"digest": digest})
    assert response.status_code == 404
    assert snapshot(plan) == before


# --- Import: preview and apply ----------------------------------------------------------------------------


def test_preview_shows_the_changes_and_writes_nothing(client, world):
    plan = world["plan"]
    before = snapshot(plan)
    response = upload(as_user(client, world["lead"]), plan, csv_bytes(NEW_LINES))
    assert response.status_code == 200
    diff = response.context["diff"]
    assert (len(diff.added), len(diff.removed), len(diff.changed), diff.unchanged) == (1, 1, 1, 1)
    html = response.content.decode()
    assert '<dd class="nhsuk-summary-list__value" id="count-added">1</dd>' in html
    assert '<dd class="nhsuk-summary-list__value" id="count-removed">1</dd>' in html
    assert '<dd class="nhsuk-summary-list__value" id="count-changed">1</dd>' in html
    assert '<dd class="nhsuk-summary-list__value" id="count-unchanged">1</dd>' in html
    assert "Lines added (1)" in html and "Social worker" in html
    assert "Lines removed (1)" in html and "Approved clinician" in html
    assert "Lines changed (1)" in html and "FTE in post: 2 <span" in html
    assert 'id="demand-changes-unchanged">Not in your file' in html  # a staffing-only file
    assert 'id="assumption-changes-unchanged">Not in your file' in html
    assert "Apply import" in html
    assert snapshot(plan) == before


def test_apply_records_only_what_changed_exactly_once(client, world):
    plan, lead = world["plan"], world["lead"]
    client = as_user(client, lead)
    preview = upload(client, plan, csv_bytes(NEW_LINES))
    expected = preview.context["parsed"].lines
    history_before = StaffingLine.history.count()

    response = client.post(url("plan-import-apply", plan), {"digest": preview.context["digest"]})

    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan.updated_by == lead
    assert line_dicts(plan) == [{**line, "declared_capabilities": {}} for line in expected]
    assert [line["fte"] for line in expected] == [D("4.50"), D("3.00"), D("1.00")]
    # The nurse line is unchanged (no record); the peer support worker line is edited, the social worker line
    # added and the approved clinician line removed: one record each, by the lead.
    records = StaffingLine.history.filter(plan_id=plan.pk).order_by("-history_id")[:3]
    assert sorted((record.history_type, record.history_change_reason) for record in records) == [
        ("+", "Added"),
        ("-", "Removed"),
        ("~", "Edited"),
    ]
    assert StaffingLine.history.count() == history_before + 3
    assert {record.history_user for record in records} == {lead}
    latest = plan.history.first()
    assert latest.history_user == lead
    assert latest.history_change_reason == "Imported 3 staffing lines"
    assert latest.version == 2

    page = client.get(response.url)
    assert "Imported 3 staffing lines." in page.content.decode()

    # The preview is used up: posting it again writes nothing more.
    again = client.post(url("plan-import-apply", plan), {"digest": preview.context["digest"]})
    assert again.status_code == 400
    assert Plan.objects.get(pk=plan.pk).version == 2


def make_full_plan(world):
    """The spreadsheet world's plan with every part a file carries set: declarations, notes, a ceiling and
    supervision hours overridden, three demand tiers, and assumptions away from their defaults."""
    plan = world["plan"]
    nurse = plan.staffing_lines.get(role__slug="mental-health-nurse")
    nurse.complexity_ceiling = ComplexityTier.MODERATE
    nurse.supervision_hours_per_month = D("2.5")
    nurse.note = "=Team leader, on call"  # a formula-like note, escaped on export
    nurse.save()
    declare(nurse, amhp="1", independent_prescribing="0.5")
    DemandLine.objects.create(plan=plan, tier=ComplexityTier.MODERATE, caseload=1500, hours_per_person_per_week=1)
    Plan.objects.filter(pk=plan.pk).update(
        demand_basis=Plan.DemandBasis.POPULATION,
        staff_on_shift=D("3.5"),
        on_cost_pct=D("27.5"),
        pay_point=Plan.PayPoint.TOP,
        notes="Agreed with the service manager",
    )
    return Plan.objects.get(pk=plan.pk)


def history_counts(plan) -> dict:
    return {
        "lines": StaffingLine.history.filter(plan_id=plan.pk).count(),
        "declared": DeclaredCapability.history.count(),
        "demand": DemandLine.history.filter(plan_id=plan.pk).count(),
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_exported_plan_imports_unchanged(client, world, kind):
    """Export and import of the same plan changes nothing: declarations, notes, overrides, demand, assumptions."""
    plan = make_full_plan(world)
    client = as_user(client, world["lead"])
    before = snapshot(plan)
    exported = client.get(url(f"plan-export-{kind}", plan)).content
    preview = upload(client, plan, exported, name=f"plan.{kind}")
    assert preview.status_code == 200
    changes = preview.context["changes"]
    assert not changes.has_changes and changes.staffing.unchanged == 3
    assert changes.demand == [] and changes.assumptions == []
    html = preview.content.decode()
    assert "Your file matches this plan, so importing it would change nothing." in html
    assert "Apply import" not in html and f"planning-import-{plan.pk}" not in client.session
    parsed = preview.context["parsed"]

    def by_role(lines):
        return sorted(lines, key=lambda line: (line["role_id"], line["band"]))

    assert by_role(parsed.lines) == by_role(line_dicts(plan))  # the export writes lines in the plan's order

    # Applied anyway (as a script might), it writes no history for any line, declaration or demand.
    counts = history_counts(plan)
    services.import_plan(
        plan=plan,
        user=world["lead"],
        expected_version=plan.version,
        lines=parsed.lines,
        demand=parsed.demand,
        assumptions=parsed.assumptions,
    )
    assert history_counts(plan) == counts
    after = snapshot(plan)
    assert after[1] == before[1] and after[0] == before[0] + 1


def test_changing_one_cell_records_one_edit(client, world):
    plan = make_full_plan(world)
    client = as_user(client, world["lead"])
    rows = list(csv.reader(io.StringIO(client.get(url("plan-export-csv", plan)).content.decode("utf-8-sig"))))
    assert rows[2][0] == "peer-support-worker"
    rows[2][rows[0].index("fte")] = "2.5"
    counts = history_counts(plan)
    preview = upload(client, plan, csv_bytes(rows))
    (change,) = preview.context["changes"].staffing.changed
    assert change.changes == [("FTE in post", "2", "2.5")]
    response = client.post(url("plan-import-apply", plan), {"digest": preview.context["digest"]})
    assert response.status_code == 302
    (record,) = StaffingLine.history.filter(plan_id=plan.pk).order_by("-history_id")[:1]
    assert (record.history_type, record.history_change_reason, record.fte) == ("~", "Edited", D("2.50"))
    assert history_counts(plan) == {**counts, "lines": counts["lines"] + 1}
    assert Plan.objects.get(pk=plan.pk).history.first().history_change_reason == (
        "Imported 3 staffing lines, demand and assumptions"
    )


def test_demand_and_assumptions_are_previewed_and_applied(client, world):
    plan = make_full_plan(world)
    client = as_user(client, world["lead"])
    workbook = load_workbook(io.BytesIO(client.get(url("plan-export-xlsx", plan)).content))
    demand = workbook["Demand"]
    assert [cell.value for cell in demand[2]] == ["Complex", 40, 3]
    demand["B2"] = 55
    demand.delete_rows(4)  # the routine tier: no routine demand
    assumptions = workbook["Assumptions"]
    for row in assumptions.iter_rows(min_row=2):
        if row[0].value == "horizon_years":
            row[2].value = 7
        if row[0].value == "demand_growth_pct":
            row[2].value, row[2].number_format = 0.02, "0%"  # 2% as Excel stores it
    out = io.BytesIO()
    workbook.save(out)
    counts = history_counts(plan)

    preview = upload(client, plan, out.getvalue(), name="plan.xlsx")

    assert preview.status_code == 200
    changes = preview.context["changes"]
    assert not changes.staffing.has_changes
    assert changes.demand == [
        ("Complex", "40 people, 3 hours each a week", "55 people, 3 hours each a week"),
        ("Routine", "200 people, 0.5 hours each a week", "none"),
    ]
    assert changes.assumptions == [("Horizon (years)", "5", "7"), ("Demand growth (% a year)", "-5", "2")]
    html = preview.content.decode()
    assert "Demand that change (2)" in html and "Assumptions that change (2)" in html
    response = client.post(url("plan-import-apply", plan), {"digest": preview.context["digest"]})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.horizon_years, plan.demand_growth_pct, plan.version) == (7, D("2.00"), 2)
    assert {line.tier: line.caseload for line in plan.demand_lines.all()} == {3: 55, 2: 1500}
    assert history_counts(plan) == {**counts, "demand": counts["demand"] + 2}  # one edited, one removed


def test_a_bad_demand_row_names_its_sheet_and_row(client, world):
    plan = world["plan"]
    before = snapshot(plan)
    client = as_user(client, world["lead"])
    workbook = load_workbook(io.BytesIO(client.get(url("plan-export-xlsx", plan)).content))
    workbook["Demand"]["B3"] = -4
    out = io.BytesIO()
    workbook.save(out)
    response = upload(client, plan, out.getvalue(), name="plan.xlsx")
    assert response.status_code == 400
    assert "Demand sheet, row 3: Routine demand: Caseload must be 0 or more" in response.content.decode()
    assert snapshot(plan) == before


def test_bad_rows_are_listed_and_nothing_can_be_applied(client, world):
    plan = world["plan"]
    before = snapshot(plan)
    rows = [STAFFING_COLUMNS, good_row(), good_row(), good_row(), good_row(), good_row(), good_row(band="9")]
    client = as_user(client, world["lead"])
    response = upload(client, plan, csv_bytes(rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "Row 7: band 9 is outside the range for Peer support worker (band 3 to 4)" in html
    assert "Apply import" not in html
    assert f"planning-import-{plan.pk}" not in client.session
    assert snapshot(plan) == before


def test_many_bad_rows_are_all_listed_but_the_summary_is_short(client, world):
    plan = world["plan"]
    rows = [STAFFING_COLUMNS] + [good_row(fte="-1")] * 25
    response = upload(as_user(client, world["lead"]), plan, csv_bytes(rows))
    html = response.content.decode()
    assert "Row 26: fte must be 0 or more (it is -1)" in html
    assert "and 15 more problems" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("picture.png", PNG, "The selected file must be a CSV or XLSX spreadsheet."),
        ("picture.xlsx", PNG, "The selected file could not be opened as an XLSX spreadsheet."),
        ("empty.csv", b"", "The selected file is empty."),
        ("columns.csv", b"name,grade\nBob,5\n", "The first row of the file must be the column headings"),
    ],
)
def test_bad_file_is_shown_against_the_file_field(client, world, name, content, message):
    plan = world["plan"]
    before = snapshot(plan)
    response = upload(as_user(client, world["lead"]), plan, content, name=name)
    assert response.status_code == 400
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert '<li><a href="#file">' + message in html
    assert "nhsuk-form-group nhsuk-file-upload nhsuk-form-group--error" in html
    assert 'id="file-error"' in html and 'aria-describedby="file-hint file-error"' in html
    assert snapshot(plan) == before


def test_no_file_chosen(client, world):
    response = as_user(client, world["lead"]).post(url("plan-import", world["plan"]))
    assert response.status_code == 400
    assert "Select a CSV or XLSX file to import." in response.content.decode()


def test_oversized_file_is_refused(client, world):
    content = b"role,band,fte,establishment_fte\n" + b"x" * (2 * 1024 * 1024)
    response = upload(as_user(client, world["lead"]), world["plan"], content)
    assert response.status_code == 400
    assert "The selected file must be smaller than 2MB." in response.content.decode()


def test_stale_version_at_apply_is_a_conflict_and_writes_nothing(client, world):
    plan, lead = world["plan"], world["lead"]
    client = as_user(client, lead)
    preview = upload(client, plan, csv_bytes(NEW_LINES))
    # Someone renames the plan after the preview: it moves to version 2.
    services.rename_plan(plan=Plan.objects.get(pk=plan.pk), user=world["viewer"], expected_version=1, name="Renamed")
    before = snapshot(plan)

    response = client.post(url("plan-import-apply", plan), {"digest": preview.context["digest"]})

    assert response.status_code == 409
    html = response.content.decode()
    assert "This plan was changed by viewer-a after you checked your file (it is now version 2)." in html
    assert "Nothing was imported." in html
    assert snapshot(plan) == before


def test_wrong_or_missing_digest_writes_nothing(client, world):
    plan = world["plan"]
    client = as_user(client, world["lead"])
    upload(client, plan, csv_bytes(NEW_LINES))
    before = snapshot(plan)
    for data in ({"digest": "0" * 64}, {}):
        response = client.post(url("plan-import-apply", plan), data)
        assert response.status_code == 400
        assert "Your preview has expired or was replaced by another upload." in response.content.decode()
    assert snapshot(plan) == before


def test_a_second_upload_replaces_the_first_preview(client, world):
    plan = world["plan"]
    client = as_user(client, world["lead"])
    first = upload(client, plan, csv_bytes(NEW_LINES))
    upload(client, plan, csv_bytes([STAFFING_COLUMNS, good_row()]))
    before = snapshot(plan)
    response = client.post(url("plan-import-apply", plan), {"digest": first.context["digest"]})
    assert response.status_code == 400
    assert snapshot(plan) == before


def test_apply_needs_post(client, world):
    response = as_user(client, world["lead"]).get(url("plan-import-apply", world["plan"]))
    assert response.status_code == 405


# --- Agreed plans -----------------------------------------------------------------------------------------


def agree(plan, user):
    current = Plan.objects.get(pk=plan.pk)
    decisions.change_status(plan=current, user=user, expected_version=current.version, status=Plan.Status.AGREED)


def test_agreed_plan_refuses_import(client, world):
    plan, lead = world["plan"], world["lead"]
    agree(plan, lead)
    before = snapshot(plan)
    client = as_user(client, lead)

    page = client.get(url("plan-import", plan))
    assert page.status_code == 200
    assert "This plan is agreed" in page.content.decode()
    assert 'type="file"' not in page.content.decode()

    response = upload(client, plan, csv_bytes(NEW_LINES))
    assert response.status_code == 409
    assert "This plan is agreed, so nothing can be imported into it." in response.content.decode()
    assert snapshot(plan) == before


def test_plan_agreed_after_the_preview_refuses_apply(client, world):
    plan, lead = world["plan"], world["lead"]
    client = as_user(client, lead)
    preview = upload(client, plan, csv_bytes(NEW_LINES))
    agree(plan, lead)
    before = snapshot(plan)
    response = client.post(url("plan-import-apply", plan), {"digest": preview.context["digest"]})
    assert response.status_code == 409
    assert "This plan is agreed, so nothing can be imported into it." in response.content.decode()
    assert snapshot(plan) == before


def test_a_pay_year_no_plan_could_have_is_refused_with_its_row_number(client, world):
    plan = world["plan"]
    before = snapshot(plan)
    rows = [STAFFING_COLUMNS, good_row(), [], ["[Assumptions]"], ["key", "assumption", "value"]]
    rows += [["name", "Plan name", "Baseline"], ["pay_year", "Pay year", "9999/00"]]
    response = upload(as_user(client, world["lead"]), plan, csv_bytes(rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "Row 7 (assumptions): pay_year 9999/00 is not a financial year a plan can use" in html
    assert "Apply import" not in html
    assert snapshot(plan) == before


def test_excel_unicode_text_is_previewed(client, world):
    plan = world["plan"]
    text = "\r\n".join("\t".join(row) for row in NEW_LINES) + "\r\n"
    content = "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    response = upload(as_user(client, world["lead"]), plan, content, name="staffing.txt")
    assert response.status_code == 200
    assert "Apply import" in response.content.decode()


def preview_queries(client, plan, lines: int) -> int:
    header = [*STAFFING_COLUMNS, "amhp_fte"]
    nurse = good_row(header, role="mental-health-nurse", band="6", fte="2", amhp_fte="1", note="On call")
    content = client.get(url("plan-export-csv", plan)).content.decode("utf-8-sig")
    staffing_only = csv_bytes([header] + [nurse] * lines)
    # The export's demand and assumptions sections after the new staffing table: the whole plan.
    whole = staffing_only + content[content.index("\r\n\r\n[Demand]") :].encode()
    with CaptureQueriesContext(connection) as queries:
        response = upload(client, plan, whole)
    assert response.status_code == 200, response.context and response.context["parsed"].row_errors
    return len(queries)


def test_preview_queries_do_not_grow_with_the_file(client, world):
    plan = world["plan"]
    client = as_user(client, world["lead"])
    assert preview_queries(client, plan, 5) == preview_queries(client, plan, 500)


def test_a_capability_no_longer_declarable_at_apply_writes_nothing(client, world):
    plan = world["plan"]
    client = as_user(client, world["lead"])
    header = [*STAFFING_COLUMNS, "amhp_fte"]
    rows = [header, good_row(header, role="mental-health-nurse", band="6", fte="2", amhp_fte="1")]
    preview = upload(client, plan, csv_bytes(rows))
    assert preview.status_code == 200
    RoleCapability.objects.filter(capability__slug="amhp").update(level=RoleCapability.Level.CORE)
    before = snapshot(plan)
    response = client.post(url("plan-import-apply", plan), {"digest": preview.context["digest"]})
    assert response.status_code == 409
    assert "A role or capability in your file has been removed from the catalogue" in response.content.decode()
    assert snapshot(plan) == before

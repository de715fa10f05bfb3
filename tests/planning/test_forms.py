"""The planning forms on their own: band ranges, messages, the editor's rows, and merging a conflicting save."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from planning import conflicts, fields, forms
from planning.conflicts import Outcome
from planning.models import Plan, StaffingLine, pay_years, validate_pay_year
from planning.role_options import declarable
from planning.staffing_rules import Declarable
from roles.bands import AFC_BANDS, MEDICAL_GRADES, Band, role_band_allowed, role_band_range_text
from roles.models import ComplexityTier, Role
from tests.factories import add_lines, client_for, make_world
from tests.helpers import edit_url, editor_values, staffing_rows


def role(**bands):
    values = {"band_trainee": None, "band_min": None, "band_max": None, **bands}
    return SimpleNamespace(name="A role", **values)


@pytest.mark.parametrize(
    ("bands", "allowed", "refused", "text"),
    [
        ({"band_min": 3, "band_max": 4}, [3, 4], [2, 5, 12], "Band 3 to 4"),
        ({"band_trainee": 4, "band_min": 5, "band_max": 5}, [4, 5], [3, 6], "Band 4 to 5"),
        ({"band_min": Band.B8A}, [Band.B8A, Band.B9], [Band.B7], "Band 8a or above"),
        ({"band_max": 6}, [2, 6], [7], "Up to band 6"),
        ({"band_min": 7, "band_max": 7}, [7], [6, 8], "Band 7"),
        # No confirmed range: any AfC band, never a medical grade (a nurse is never a consultant).
        ({}, [band.value for band in AFC_BANDS], [grade.value for grade in MEDICAL_GRADES], ""),
        # Medical roles: a consultant is on the consultant grade only; a resident doctor core to higher.
        ({"band_min": Band.CONSULTANT, "band_max": Band.CONSULTANT}, [Band.CONSULTANT], [12, 23], "Consultant"),
        (
            {"band_min": Band.RESIDENT_CORE, "band_max": Band.RESIDENT_HIGHER},
            [Band.RESIDENT_CORE, Band.RESIDENT_HIGHER],
            [Band.RESIDENT_FOUNDATION, Band.SPECIALTY_DOCTOR, 7],
            "Resident doctor (core training) to resident doctor (higher training)",
        ),
        # An open upper end stays within the pay table: "band 8a or above" is not a consultant.
        ({"band_min": Band.B8A}, [Band.B9], [Band.CONSULTANT], "Band 8a or above"),
    ],
)
def test_band_range(bands, allowed, refused, text):
    subject = role(**bands)
    assert all(role_band_allowed(subject, band) for band in allowed)
    assert not any(role_band_allowed(subject, band) for band in refused)
    assert role_band_range_text(subject) == text


@pytest.mark.django_db
def test_role_options_are_grouped_by_family_with_their_band_range():
    options = forms.role_options()
    assert options.choices[0] == ("", "Choose a role")
    groups = dict(options.choices[1:])
    peer = Role.objects.get(slug="peer-support-worker")
    assert (peer.pk, "Peer support worker (Band 3 to 4)") in groups[peer.family.name]
    assert sum(len(items) for items in groups.values()) == Role.objects.count()
    assert options.by_id[peer.pk] == peer


def test_number_field_messages_say_what_to_do():
    field = forms.number_field("FTE in post", "FTE in post", min_value=0, max_value=Decimal("999.99"))
    for value, message in [
        ("", "Enter the FTE in post"),
        ("x", "FTE in post must be a number"),
        ("-1", "FTE in post must be 0 or more"),
        ("1000", "FTE in post must be 999.99 or less"),
        ("1.005", "FTE in post must have no more than 2 decimal places"),
        ("NaN", "FTE in post must be a number"),
    ]:
        with pytest.raises(ValidationError) as error:
            field.clean(value)
        assert error.value.messages == [message], value
    assert field.clean("999.99") == Decimal("999.99")


# A new plan as the plan form posts it (every assumption at its default).
PLAN_POST = {
    "name": "Plan",
    "start_year": "2026",
    "horizon_years": "5",
    "contract_hours": "37.5",
    "productive_fraction": "0.78",
    "direct_care_fraction": "0.6",
    "demand_growth_pct": "0",
    "on_cost_pct": "28",
    "supervision_fraction": "0.1",
    "pay_year": "2026/27",
    "notes": "",
}


@pytest.mark.django_db
def test_plan_form_checks_the_pay_year():
    data = {key: value for key, value in PLAN_POST.items() if key != "pay_year"}
    assert forms.PlanForm({**data, "pay_year": "2026/27"}).is_valid()
    assert forms.PlanForm({**data, "pay_year": "2025/26"}).is_valid()
    # A well-formed year with no pay table is refused too: it would cost the plan £0.00.
    for bad in ("2027/28", "2026/28", "2026-27", "26/27", ""):
        form = forms.PlanForm({**data, "pay_year": bad})
        assert not form.is_valid()
        assert "pay_year" in form.errors


@pytest.mark.django_db
def test_a_plans_pay_year_follows_the_imports_rule():
    """The model's validator (the admin, any full_clean) gives the import's reason for each refused year."""
    validate_pay_year("2026/27")
    for bad, reason in [
        ("2027/28", "2027/28 has no pay tables (the pay years with pay tables are: 2025/26, 2026/27)."),
        ("2026/28", "2026/28 is not a financial year: the second year must follow the first, for example 2025/26."),
        ("2026-27", "2026-27 is not a pay year: write it as 4 digits, a slash and 2 digits, for example 2025/26."),
    ]:
        with pytest.raises(ValidationError) as error:
            validate_pay_year(bad)
        assert error.value.messages == [reason]
    assert pay_years() == ["2026/27", "2025/26"]


@pytest.mark.django_db
def test_a_crafted_post_cannot_set_what_the_forms_leave_out():
    """Extra fields posted to the plan and team forms (status, team, parent plan, authors, another trust) never
    reach what they pass on to be saved; a new team can only go to an organisation the user leads."""
    world = make_world()
    crafted = {
        "status": "agreed",
        "team": world.other_team.pk,
        "scenario_of": world.other_plan.pk,
        "created_by": world.other_lead.pk,
        "updated_by": world.other_lead.pk,
        "organisation": world.south.pk,
        "version": "99",
    }
    form = forms.PlanForm({**PLAN_POST, **crafted})
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data) == set(fields.ASSUMPTION_FIELDS)

    team = {"name": "Renamed team", "team_type": world.team_type.pk, "population_served": "1000"}
    form = forms.TeamForm({**team, **crafted}, instance=world.team)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data) == {"name", "team_type", "population_served"}
    assert form.save().organisation == world.north

    form = forms.TeamCreateForm({**team, **crafted}, user=world.lead)
    assert not form.is_valid()
    assert form.errors["organisation"] == ["Choose one of the organisations you lead"]
    new_team = {**team, **crafted, "name": "New team", "organisation": world.north.pk}
    form = forms.TeamCreateForm(new_team, user=world.lead)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data) == {"organisation", "name", "team_type", "population_served"}


NO_DECLARABLE = Declarable(capabilities={}, by_role={}, core_by_role={})


def row_form(data, period=(2026, 2031), roles=None, declarable=NO_DECLARABLE):
    nurse = role(band_min=5, band_max=7, complexity_ceiling=ComplexityTier.COMPLEX, full_ceiling_band=6)
    nurse.pk, nurse.name, nurse.historic = 1, "Nurse", False
    roles = roles or forms.RoleOptions(choices=[("", "Choose a role"), ("Nursing", [(1, "Nurse")])], by_id={1: nurse})
    return forms.StaffingLineForm(data, roles=roles, period=forms.PlanPeriod(*period), declarable=declarable)


ROW = {"role": "1", "band": "5", "fte": "2", "establishment_fte": "2"}


def test_a_staffing_row_fills_blank_optional_numbers_with_zero():
    form = row_form(ROW)
    assert form.is_valid(), form.errors
    assert form.values() == {
        "role_id": 1,
        "band": 5,
        "fte": Decimal("2"),
        "establishment_fte": Decimal("2"),
        "attrition_pct": Decimal("0"),
        "trainees_fte": Decimal("0"),
        "trainee_completion_year": None,
        "recruitment_fte_per_year": Decimal("0"),
        "complexity_ceiling": None,
        "supervision_hours_per_month": None,
        "note": "",
        "declared_capabilities": {},
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"band": "8"}, "band", "Choose a band in the range for Nurse: Band 5 to 7"),
        ({"role": "99"}, "role", "Choose a role from the list"),
        ({"trainee_completion_year": "2032"}, "trainee_completion_year", "between 2026 and 2031"),
        ({"trainees_fte": "1"}, "trainee_completion_year", "Enter the year the trainees in the pipeline complete"),
        ({"attrition_pct": "100.5"}, "attrition_pct", "Annual attrition must be 100 or less"),
    ],
)
def test_staffing_row_errors(changes, field, message):
    form = row_form({**ROW, **changes})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    assert "nhsuk-select--error" in str(form[field]) or "nhsuk-input--error" in str(form[field])


def test_a_rows_ceiling_select_shows_the_default_for_its_role_and_band():
    """The nurse's ceiling is complex from band 6, moderate below: "Default" says which, for the row's band."""
    assert row_form(ROW).fields["complexity_ceiling"].choices[0] == ("", "Default (moderate)")
    assert row_form({**ROW, "band": "6"}).fields["complexity_ceiling"].choices[0] == ("", "Default (complex)")
    assert row_form({}).fields["complexity_ceiling"].choices[0] == ("", "Default for role and band")


def test_demand_needs_both_numbers_or_neither():
    form = forms.DemandLineForm({}, tier=ComplexityTier.COMPLEX)
    assert form.is_valid() and form.is_blank
    form = forms.DemandLineForm({"caseload": "10"}, tier=ComplexityTier.COMPLEX)
    assert not form.is_valid()
    assert form.errors["hours_per_person_per_week"]
    form = forms.DemandLineForm({"caseload": "10", "hours_per_person_per_week": "169"}, tier=ComplexityTier.ROUTINE)
    assert form.errors["hours_per_person_per_week"] == ["Hours per person per week must be 168 or less"]


@pytest.mark.parametrize(
    ("yours", "base", "saved", "expected"),
    [
        ("1.50", "1.5", "1.5", ("1.50", Outcome.SAME)),
        ("2", "1.5", "1.5", ("2", Outcome.YOURS)),
        ("1.5", "1.5", "3", ("3", Outcome.SAVED)),
        ("2", "1.5", "3", ("2", Outcome.BOTH)),
        ("2", None, "3", ("2", Outcome.YOURS)),
    ],
)
def test_merge_one_field(yours, base, saved, expected):
    assert conflicts.merge("fte", yours, None if base is None else {"fte": base}, saved) == expected


def test_blank_means_zero_when_comparing_optional_numbers():
    assert conflicts.canonical("attrition_pct", "") == conflicts.canonical("attrition_pct", Decimal("0.00")) == "0"
    assert conflicts.canonical("trainee_completion_year", "") == ""
    assert conflicts.canonical("notes", "a\r\nb ") == "a\nb"


def test_starting_points_survive_a_round_trip_and_garbage_is_ignored():
    assert conflicts.decode_base(conflicts.encode_base({"fte": Decimal("1.50")})) == {"fte": "1.5"}
    for garbage in ("", "not json", "[1, 2]", '{"fte": 1}'):
        assert conflicts.decode_base(garbage) is None
    assert conflicts.decode_staffing_base('{"3": {"fte": "1"}, "4": "x"}') == {"3": {"fte": "1"}}


def test_parse_submission_reads_rows_and_caps_the_row_count():
    data = {
        "version": "4",
        "name": "Plan",
        "staffing-TOTAL_FORMS": "100000",
        "staffing-base": '{"7": {"fte": "1"}}',
        "staffing-0-line_id": "7",
        "staffing-0-fte": "2",
        "staffing-0-DELETE": "on",
        "demand-complex-caseload": "5",
    }
    submission = forms.parse_submission(data)
    assert submission.version == "4"
    assert len(submission.staffing) == forms.MAX_ROWS
    first = submission.staffing[0]
    assert (first["line_id"], first["fte"], first[conflicts.DELETE], first["base"]) == ("7", "2", True, {"fte": "1"})
    assert submission.staffing[1]["base"] is None
    assert submission.demand[ComplexityTier.COMPLEX]["caseload"] == "5"
    assert forms.parse_submission({"staffing-TOTAL_FORMS": "lots"}).staffing == []


@pytest.mark.django_db
def test_a_full_editor_saves_within_djangos_field_limit(settings):
    """The editor holds no more staffing rows than one save can post: with a plan at the editor's capacity, the
    whole page as a browser posts it gets through Django's field limit and saves; one line more and the page
    sends the user to the spreadsheet import instead of a form whose save would be refused."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
    world = make_world()
    capacity = forms.row_capacity(declarable=len(declarable().capabilities))
    add_lines(world.plan, world.lead, capacity - world.plan.staffing_lines.count(), world.nurse)
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    assert len(staffing_rows(values)) == capacity
    values["contract_hours"] = "36"
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 302, response.content.decode()[:300]
    world.plan.refresh_from_db()
    assert world.plan.contract_hours == Decimal("36")

    StaffingLine.objects.create(plan=world.plan, role=world.nurse, band=5, fte=Decimal("1"), establishment_fte=1)
    page = client.get(edit_url(world.plan)).content.decode()
    assert f"more staffing lines than can be saved from this page (at most {capacity})" in page


def test_without_a_field_limit_the_editor_holds_its_maximum(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = None
    assert forms.row_capacity() == forms.MAX_ROWS


def test_fast_select_renders_like_djangos_select():
    choices = [("", "Choose"), ("Group <1>", [(1, "One & only")]), (2, "Two")]
    fast = forms.FastSelect(choices=choices, attrs={"class": "nhsuk-select"}).render("pick", 1, {"id": "id_pick"})
    assert fast == (
        '<select class="nhsuk-select" id="id_pick" name="pick"><option value="">Choose</option>'
        '<optgroup label="Group &lt;1&gt;"><option value="1" selected>One &amp; only</option></optgroup>'
        '<option value="2">Two</option></select>'
    )


@pytest.mark.django_db
def test_a_status_outside_the_models_is_refused_and_each_of_the_models_is_accepted():
    """Through the plan page's status buttons: an unknown status changes nothing; agreeing and reopening (every
    status the model has) go through."""
    world = make_world()
    client = client_for(world.lead)
    status_url = f"/planning/plans/{world.plan.pk}/status/"
    response = client.post(status_url, {"status": "archived", "version": world.plan.version})
    assert response.status_code == 400
    world.plan.refresh_from_db()
    assert (world.plan.status, world.plan.version) == (Plan.Status.DRAFT, 1)
    for status in (Plan.Status.AGREED, Plan.Status.DRAFT):
        response = client.post(status_url, {"status": status, "version": world.plan.version})
        assert response.status_code == 302
        world.plan.refresh_from_db()
        assert world.plan.status == status
    assert {Plan.Status.AGREED, Plan.Status.DRAFT} == set(Plan.Status)


# --- One rule for a staffing line: the editor and the import ---------------------------------------------


@pytest.mark.django_db
def test_a_blank_pay_award_is_the_default_and_the_limit_comes_from_the_model():
    form = forms.PlanForm(PLAN_POST)
    assert form.is_valid(), form.errors
    assert form.values()["pay_growth_pct"] == 0
    form = forms.PlanForm({**PLAN_POST, "pay_growth_pct": "20.5"})
    assert form.errors["pay_growth_pct"] == ["Pay award a year must be 20 or less"]
    assert forms.PlanForm({**PLAN_POST, "pay_growth_pct": "2.5"}).is_valid()


def nurse_catalogue():
    nurse = role(band_min=5, band_max=7, complexity_ceiling=ComplexityTier.COMPLEX, full_ceiling_band=6)
    nurse.pk, nurse.name, nurse.historic = 1, "Nurse", False
    return nurse


PERIOD = (2026, 2031)


def import_check(**cells):
    from planning import staffing_rules

    nurse = nurse_catalogue()
    values = {"role": "nurse", "band": "5", "fte": "2", "establishment_fte": "2", **cells}
    return staffing_rules.check_line(
        role=values["role"],
        band=values["band"],
        amounts={name: values.get(name) for name in fields.STAFFING_AMOUNTS},
        completion_year=values.get("trainee_completion_year"),
        period=staffing_rules.Period(*PERIOD),
        catalogue={"nurse": nurse},
        band_as_code=True,
        options={name: values.get(name) for name in fields.STAFFING_OPTIONS},
        declared={},
        declarable=NO_DECLARABLE,
    )


@pytest.mark.parametrize(
    ("cells", "field", "editor", "imported"),
    [
        ({"band": "8a"}, "band", "Choose a band in the range for Nurse: Band 5 to 7", "band 8a is outside the range"),
        ({"role": "doctor"}, "role", "Choose a role from the list", "there is no role “doctor” in the catalogue"),
        ({"role": ""}, "role", "Choose a role", "enter the role"),
        ({"band": 9}, "band", "Choose a band in the range for Nurse: Band 5 to 7", "band 9 is outside the range"),
        ({"fte": "1000"}, "fte", "FTE in post must be 999.99 or less", "fte must be 999.99 or less (it is 1000)"),
        ({"fte": "-1"}, "fte", "FTE in post must be 0 or more", "fte must be 0 or more (it is -1)"),
        ({"fte": ""}, "fte", "Enter the FTE in post", "enter the fte"),
        (
            {"attrition_pct": "101"},
            "attrition_pct",
            "Annual attrition must be 100 or less",
            "attrition_pct must be 100",
        ),
        (
            {"trainee_completion_year": "2032"},
            "trainee_completion_year",
            "Trainee completion year must be between 2026 and 2031, the years the plan covers",
            "trainee_completion_year 2032 is outside the plan’s years (2026 to 2031)",
        ),
        (
            {"trainees_fte": "1"},
            "trainee_completion_year",
            "Enter the year the trainees in the pipeline complete",
            "enter the trainee_completion_year: the year the trainees in the pipeline complete",
        ),
    ],
)
def test_one_rule_worded_for_the_editor_and_for_an_import(cells, field, editor, imported):
    check = import_check(**cells)
    assert [problem.field for problem in check.problems] == [field]
    assert check.problems[0].editor_message() == editor
    assert check.problems[0].import_message().startswith(imported)


@pytest.mark.parametrize(
    "cells",
    [
        {},
        {"band": "8a"},
        {"band": "7"},
        {"fte": "999.99"},
        {"fte": "1000"},
        {"attrition_pct": "100"},
        {"attrition_pct": "100.01"},
        {"trainees_fte": "1", "trainee_completion_year": "2031"},
        {"trainees_fte": "1", "trainee_completion_year": "2025"},
        {"trainees_fte": "1"},
        {"recruitment_fte_per_year": "-0.5"},
    ],
)
def test_the_editor_and_an_import_accept_the_same_lines(cells):
    """The editor's row form and a file's row come to the same verdict, on the same fields, with the same values."""
    nurse = nurse_catalogue()
    roles_ = forms.RoleOptions(choices=[("", "Choose a role"), ("Nursing", [(1, "Nurse")])], by_id={1: nurse})
    codes = {"8a": "8"}  # the editor posts the stored band; a file holds its code
    row = {"role": "1", "band": "5", "fte": "2", "establishment_fte": "2", **cells}
    row["band"] = codes.get(row["band"], row["band"])
    form = row_form(row, period=PERIOD, roles=roles_)
    check = import_check(**cells)
    assert form.is_valid() == check.ok
    assert set(form.errors) == {problem.field for problem in check.problems}
    if check.ok:
        assert form.values() == {**check.values, "trainee_completion_year": check.values["trainee_completion_year"]}


# --- A conflicting save: one walk gives the merged submission and the differences shown --------------------


def saved_line(pk, **values):
    base = {
        "role_id": 1,
        "band": 5,
        "fte": Decimal("2.00"),
        "establishment_fte": Decimal("2.00"),
        "attrition_pct": Decimal("0.00"),
        "trainees_fte": Decimal("0.00"),
        "trainee_completion_year": None,
        "recruitment_fte_per_year": Decimal("0.00"),
        "complexity_ceiling": None,
        "supervision_hours_per_month": None,
        "note": "",
    }
    declared = values.pop("declared", [])
    return SimpleNamespace(pk=pk, declared_capabilities=SimpleNamespace(all=lambda: declared), **{**base, **values})


def submitted_row(line, **typed):
    values = conflicts.line_values(line)
    base = {name: conflicts.canonical(name, value) for name, value in values.items()}
    return {"line_id": str(line.pk), **{k: conflicts.canonical(k, v) for k, v in values.items()}, **typed} | {
        conflicts.DELETE: typed.get(conflicts.DELETE, False),
        "base": base,
    }


def test_the_differences_shown_are_the_values_the_merged_form_holds():
    plan_values = {name: fields.default(Plan, name) for name in fields.ASSUMPTION_FIELDS}
    plan_values.update(name="Plan", start_year=2026, notes="")
    started = SimpleNamespace(version=1, **plan_values)
    mine, theirs, removed = saved_line(1), saved_line(2), saved_line(3)
    submission = conflicts.Submission(
        version="1",
        assumptions={**{k: conflicts.canonical(k, v) for k, v in plan_values.items()}, "contract_hours": "36"},
        assumptions_base=conflicts.encode_base(conflicts.assumption_values(started)),
        staffing=[
            submitted_row(mine, fte="3"),  # I change it; so do they
            submitted_row(theirs),  # only they change it
            submitted_row(removed, fte="4"),  # they remove it; I had changed it
            {"line_id": "not a number", "role": "1", "band": "5", "fte": "1", conflicts.DELETE: False, "base": None},
        ],
    )
    current = SimpleNamespace(version=2, **{**plan_values, "on_cost_pct": Decimal("30")})
    now_mine, now_theirs, added = saved_line(1, fte=Decimal("5")), saved_line(2, band=6), saved_line(4)
    resolution = conflicts.resolve(submission, current, [now_mine, now_theirs, added], [])

    merged = resolution.submission
    shown = {(d.part, d.field, d.outcome) for d in resolution.differences}
    assert ("assumptions", "contract_hours", Outcome.YOURS) in shown and merged.assumptions["contract_hours"] == "36"
    assert ("assumptions", "on_cost_pct", Outcome.SAVED) in shown and merged.assumptions["on_cost_pct"] == 30
    by_line = {str(row["line_id"]): row for row in merged.staffing}
    assert ("staffing", "fte", Outcome.BOTH) in shown and by_line["1"]["fte"] == "3"
    assert ("staffing", "band", Outcome.SAVED) in shown and by_line["2"]["band"] == 6
    assert ("staffing", None, conflicts.LineOutcome.ADDED) in shown and "4" in by_line
    # A line that is no longer in the plan comes back as a new row exactly when a difference says so.
    comes_back = [d for d in resolution.differences if d.outcome == conflicts.LineOutcome.COMES_BACK]
    new_rows = [row for row in merged.staffing if row["line_id"] == ""]
    assert len(comes_back) == len(new_rows) == 2
    assert merged.version == "2"
    assert conflicts.decode_base(merged.assumptions_base)["on_cost_pct"] == "30"


# --- Numbers as people type them ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "percent", "read"),
    [
        ("150,000", False, "150000"),
        (" 37.5 ", False, "37.5"),
        ("1,234.5", False, "1234.5"),
        ("10%", True, "10"),
        ("12.5 %", True, "12.5"),
        ("10%", False, "10%"),  # not a percentage field: refused by the field
        ("1,5", False, "1,5"),  # a decimal comma is not read as 15
        ("15,00", False, "15,00"),
    ],
)
def test_typed_numbers_are_read_as_people_mean_them(typed, percent, read):
    assert forms.typed_number(typed, percent=percent) == read


@pytest.mark.django_db
def test_the_plan_and_team_forms_accept_numbers_as_typed_and_show_large_ones_grouped():
    plan = forms.PlanForm({"name": "Plan", "start_year": "2026", "on_cost_pct": "28.5%", "demand_growth_pct": "2%"})
    plan.is_valid()
    assert "on_cost_pct" not in plan.errors and plan.cleaned_data["on_cost_pct"] == Decimal("28.5")
    assert plan.cleaned_data["demand_growth_pct"] == Decimal("2")
    team = forms.TeamForm({"name": "Team", "population_served": "150,000"})
    team.is_valid()
    assert "population_served" not in team.errors and team.cleaned_data["population_served"] == 150_000
    assert 'value="150,000"' in str(forms.TeamForm(initial={"population_served": 150_000})["population_served"])
    refused = forms.TeamForm({"name": "Team", "population_served": "150.000,5"})
    assert refused.errors["population_served"] == ["Population served must be a whole number"]
    demand = forms.DemandLineForm({"caseload": "1,200", "hours_per_person_per_week": "2"}, tier=ComplexityTier.COMPLEX)
    assert demand.is_valid() and demand.cleaned_data["caseload"] == 1200

"""The planning forms on their own: band ranges, messages, the editor's rows, and merging a conflicting save."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from planning import forms
from planning.forms import Outcome
from planning.models import Plan
from roles.bands import Band
from roles.models import ComplexityTier, Role


def role(**bands):
    values = {"band_trainee": None, "band_min": None, "band_max": None, **bands}
    return SimpleNamespace(name="A role", **values)


@pytest.mark.parametrize(
    ("bands", "allowed", "refused", "text"),
    [
        ({"band_min": 3, "band_max": 4}, [3, 4], [2, 5, 12], "Band 3 to 4"),
        ({"band_trainee": 4, "band_min": 5, "band_max": 5}, [4, 5], [3, 6], "Band 4 to 5"),
        ({"band_min": Band.B8A}, [Band.B8A, Band.B9], [Band.B7], "Band 8a or above"),
        ({"band_max": 6}, [2, 6], [7], "up to Band 6"),
        ({"band_min": 7, "band_max": 7}, [7], [6, 8], "Band 7"),
        ({}, list(Band.values), [], ""),
    ],
)
def test_band_range(bands, allowed, refused, text):
    subject = role(**bands)
    assert all(forms.band_allowed(subject, band) for band in allowed)
    assert not any(forms.band_allowed(subject, band) for band in refused)
    assert forms.band_range_text(subject) == text


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


def test_plan_form_checks_the_pay_year():
    data = {
        "name": "Plan",
        "start_year": "2026",
        "horizon_years": "5",
        "contract_hours": "37.5",
        "productive_fraction": "0.78",
        "direct_care_fraction": "0.6",
        "demand_growth_pct": "0",
        "on_cost_pct": "28",
        "supervision_fraction": "0.1",
        "notes": "",
    }
    assert forms.PlanForm({**data, "pay_year": "2026/27"}).is_valid()
    for bad in ("2026/28", "2026-27", "26/27", ""):
        form = forms.PlanForm({**data, "pay_year": bad})
        assert not form.is_valid()
        assert "pay_year" in form.errors


def test_plan_form_fields_are_explicit():
    assert forms.PlanForm._meta.fields == forms.services.ASSUMPTION_FIELDS
    assert forms.TeamForm._meta.fields == ["name", "team_type", "population_served"]
    assert forms.TeamCreateForm._meta.fields == ["organisation", "name", "team_type", "population_served"]
    for form_class in (forms.PlanForm, forms.PlanAssumptionsForm, forms.TeamForm, forms.TeamCreateForm):
        assert not {"status", "team", "scenario_of", "created_by", "updated_by"} & set(form_class.base_fields)


def row_form(data, period=(2026, 2031), roles=None):
    nurse = role(band_min=5, band_max=7)
    nurse.pk, nurse.name, nurse.historic = 1, "Nurse", False
    roles = roles or forms.RoleOptions(choices=[("", "Choose a role"), ("Nursing", [(1, "Nurse")])], by_id={1: nurse})
    return forms.StaffingLineForm(data, roles=roles, period=forms.PlanPeriod(*period))


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


def test_a_row_shows_its_roles_band_range_as_the_hint():
    assert row_form(ROW)["band"].help_text == "Nurse: Band 5 to 7"
    assert "shown after its name" in row_form({})["band"].help_text


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
    assert forms.merge("fte", yours, None if base is None else {"fte": base}, saved) == expected


def test_blank_means_zero_when_comparing_optional_numbers():
    assert forms.canonical("attrition_pct", "") == forms.canonical("attrition_pct", Decimal("0.00")) == "0"
    assert forms.canonical("trainee_completion_year", "") == ""
    assert forms.canonical("notes", "a\r\nb ") == "a\nb"


def test_starting_points_survive_a_round_trip_and_garbage_is_ignored():
    assert forms.decode_base(forms.encode_base({"fte": Decimal("1.50")})) == {"fte": "1.5"}
    for garbage in ("", "not json", "[1, 2]", '{"fte": 1}'):
        assert forms.decode_base(garbage) is None
    assert forms.decode_staffing_base('{"3": {"fte": "1"}, "4": "x"}') == {"3": {"fte": "1"}}


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
    assert (first["line_id"], first["fte"], first[forms.DELETE], first["base"]) == ("7", "2", True, {"fte": "1"})
    assert submission.staffing[1]["base"] is None
    assert submission.demand[ComplexityTier.COMPLEX]["caseload"] == "5"
    assert forms.parse_submission({"staffing-TOTAL_FORMS": "lots"}).staffing == []


def test_row_capacity_follows_djangos_field_limit(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    assert forms.row_capacity() == (1000 - forms.FIXED_FIELDS) // forms.FIELDS_PER_ROW
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


def test_plan_status_choices_cover_the_model():
    assert dict(forms.StatusForm.base_fields["status"].choices) == dict(Plan.Status.choices)

"""A plan's results for other tools: /planning/plans/<id>/results.json and the projection export
(projection.csv, projection.xlsx). The worked example is the one in test_dashboard.py."""

import csv
import io
import json
from datetime import datetime

import pytest
from django.test import Client
from openpyxl import load_workbook

from planning import engine, engine_inputs
from planning.dashboard import exports
from planning.models import Plan
from planning.spreadsheets.columns import safe_cell
from tests.factories import client_for, make_dashboard_world
from tests.helpers import plan_url as url

SECTIONS = [
    "skill_mix",
    "capability_coverage",
    "allocation",
    "supervision",
    "years",
    "cost_over_horizon",
    "targets",
    "warnings",
    "assumptions",
    "hours_per_fte_per_week",
]


@pytest.fixture
def dash(db):
    return make_dashboard_world()


def results(client, plan):
    response = client.get(url(plan, "results.json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def hand_made_input(dash) -> engine.PlanInput:
    """The worked example typed in by hand, without the database or `engine_inputs`."""
    return engine.PlanInput(
        start_year=2026,
        horizon_years=2,
        name="Worked example",
        staff=[
            engine.StaffLine(
                role_slug="mental-health-nurse",
                role_name=dash.nurse.name,
                family=dash.nurse.family.slug,
                band=5,
                fte=2,
                establishment_fte=2,
                registered=True,
                complexity_ceiling=engine.COMPLEX,
            ),
            engine.StaffLine(
                role_slug="peer-support-worker",
                role_name=dash.peer.name,
                family=dash.peer.family.slug,
                band=3,
                fte=1,
                establishment_fte=2,
                new_role=True,
                recruitment_fte_per_year=0.5,
                complexity_ceiling=engine.ROUTINE,
                capabilities={"peer-support"},
            ),
        ],
        demand=[
            engine.DemandLine(tier=engine.COMPLEX, caseload=10, hours_per_person_per_week=2),
            engine.DemandLine(tier=engine.MODERATE, caseload=5, hours_per_person_per_week=2),
            engine.DemandLine(tier=engine.ROUTINE, caseload=25, hours_per_person_per_week=1),
        ],
        pay_points=[
            engine.PayPoint(band=3, bottom=24937, top=26598),
            engine.PayPoint(band=5, bottom=31049, top=37796),
        ],
        # The team type's requirements (capability coverage is judged in every year).
        capability_requirements=[
            engine.CapabilityRequirement(
                capability_slug="peer-support", name="Peer support from lived experience", min_fte=1
            ),
            engine.CapabilityRequirement(
                capability_slug="high-intensity-therapy", name="High-intensity psychological therapy", min_fte=1
            ),
        ],
    )


def test_results_json_has_the_plan_and_every_section(dash):
    data = results(client_for(dash.lead), dash.plan)
    assert data["plan"] == {
        "id": dash.plan.pk,
        "name": "Worked example",
        "team": {"id": dash.team.pk, "name": "North crisis team", "team_type": "test-dashboard-team"},
        "organisation": {"id": dash.north.pk, "name": "Northshire Mental Health NHS Foundation Trust"},
        "version": 1,
        "status": "draft",
        "scenario_of": None,
        "pay_year": "2025/26",
    }
    assert datetime.fromisoformat(data["generated_at"]).tzinfo is not None
    for name in SECTIONS:
        assert name in data, name
    assert [year["year"] for year in data["years"]] == [2026, 2027, 2028]


def test_results_json_numbers_match_the_engine_and_the_hand_worked_example(dash):
    data = results(client_for(dash.lead), dash.plan)
    # Exactly what the engine gives for the saved plan …
    expected = engine.as_dict(
        engine_inputs.results_for([Plan.objects.select_related("team").get(pk=dash.plan.pk)])[dash.plan.pk]
    )
    assert {key: value for key, value in data.items() if key not in {"plan", "generated_at"}} == expected
    # … which is what it gives for the same inputs typed in by hand …
    by_hand = engine.as_dict(engine.calculate(hand_made_input(dash)))
    for name in ("skill_mix", "allocation", "years", "cost_over_horizon", "hours_per_fte_per_week", "assumptions"):
        assert data[name] == by_hand[name], name
    # … and the figures worked out on paper (test_dashboard.py's docstring), rounded as documented.
    assert data["hours_per_fte_per_week"] == 17.55
    assert data["allocation"]["demand_met_pct"] == 95.73
    assert data["allocation"]["gap_fte"] == 0.13
    assert data["allocation"]["complex_capable_hours_on_routine"] == 5.1
    assert [year["cost"] for year in data["years"]] == [121104.0, 137595.2, 154086.4]
    assert data["cost_over_horizon"] == 258699.2
    assert data["skill_mix"]["mean_band_rank"] == 4.33
    statuses = {target["key"]: target["status"] for target in data["targets"]}
    assert statuses == {
        "test-team-size": "met",
        "test-peer-workers": "not met",
        "test-staff-per-100k": "not applicable",
    }


def test_results_json_access(dash):
    assert results(client_for(dash.viewer), dash.plan)["plan"]["id"] == dash.plan.pk
    assert client_for(dash.other_lead).get(url(dash.plan, "results.json")).status_code == 404
    assert client_for(dash.lead).get("/planning/plans/999999/results.json").status_code == 404
    response = Client().get(url(dash.plan, "results.json"))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(dash.plan, 'results.json')}"
    assert client_for(dash.lead).post(url(dash.plan, "results.json")).status_code == 405


# --- Projection export -----------------------------------------------------------------------------------

HEADER = [header for _, header, _ in exports.PROJECTION_COLUMNS]


def test_projection_csv_has_one_row_a_year(dash):
    response = client_for(dash.lead).get(url(dash.plan, "projection.csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="north-crisis-team-worked-example-projection-v1.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) - 1 == dash.plan.horizon_years + 1
    by_year = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]
    assert [row["year"] for row in by_year] == ["2026", "2027", "2028"]
    assert by_year[0] | {"year": "2026"} == {
        "year": "2026",
        "fte": "3.0",
        "establishment_fte": "4.0",
        "vacancies_fte": "1.0",
        "capacity_hours_per_week": "52.65",
        "demand_hours_per_week": "55.0",
        "met_hours_per_week": "52.65",
        "unmet_hours_per_week": "2.35",
        "demand_met_pct": "95.73",
        "gap_fte": "0.13",
        "cost_gbp": "121104.0",
        "uncosted_fte": "0.0",
    }
    assert by_year[2]["cost_gbp"] == "154086.4"
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_projection_xlsx_has_one_row_a_year_and_the_assumptions(dash):
    response = client_for(dash.lead).get(url(dash.plan, "projection.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('-projection-v1.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Projection", "Assumptions"]
    rows = list(workbook["Projection"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) - 1 == dash.plan.horizon_years + 1
    assert [row[0] for row in rows[1:]] == [2026, 2027, 2028]
    assert rows[1][HEADER.index("cost_gbp")] == 121104.0
    assert rows[2][HEADER.index("fte")] == 3.5
    assumptions = {row[0]: row[2] for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)}
    assert assumptions["on_cost_pct"] == 28
    assert assumptions["name"] == "Worked example"


def test_projection_export_escapes_text_that_would_run_as_a_formula(dash):
    """Plan names reach the XLSX (its Assumptions sheet): a name a spreadsheet would run is written as text."""
    Plan.objects.filter(pk=dash.plan.pk).update(name='=HYPERLINK("http://evil")')
    response = client_for(dash.lead).get(url(dash.plan, "projection.xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    names = [row[2] for row in workbook["Assumptions"].iter_rows(values_only=True) if row[0] == "name"]
    assert names == ['\'=HYPERLINK("http://evil")']
    assert safe_cell("-1+1") == "'-1+1"
    assert safe_cell(-1.5) == -1.5


def test_projection_export_access(dash):
    for suffix in ("projection.csv", "projection.xlsx"):
        assert client_for(dash.viewer).get(url(dash.plan, suffix)).status_code == 200
        assert client_for(dash.other_lead).get(url(dash.plan, suffix)).status_code == 404
        response = Client().get(url(dash.plan, suffix))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("horizon", [1, 10])
def test_projection_rows_follow_the_horizon(dash, horizon):
    Plan.objects.filter(pk=dash.plan.pk).update(horizon_years=horizon)
    response = client_for(dash.lead).get(url(dash.plan, "projection.csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + horizon + 1
    assert rows[-1][0] == str(2026 + horizon)

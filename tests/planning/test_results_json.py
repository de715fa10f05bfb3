"""A plan's results for other tools: /planning/plans/<id>/results.json and the projection export
(projection.csv, projection.xlsx). The worked example is the one in test_dashboard.py."""

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from planning import engine, engine_inputs
from planning.dashboard import exports
from planning.models import Plan
from planning.spreadsheets.columns import safe_cell
from tests.factories import client_for, make_dashboard_world, use_the_whole_model
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
        # The team type's requirements (capability coverage is judged in every year), in the catalogue's order.
        capability_requirements=[
            engine.CapabilityRequirement(
                capability_slug="high-intensity-therapy", name="High-intensity psychological therapy", min_fte=1
            ),
            engine.CapabilityRequirement(
                capability_slug="peer-support", name="Peer support from lived experience", min_fte=1
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


def test_results_json_carries_the_engine_version_and_every_new_figure(dash):
    use_the_whole_model(dash)
    data = results(client_for(dash.lead), dash.plan)
    assert data["engine_version"] == engine.ENGINE_VERSION == "2.0"
    assert data["demand_basis"] == "population"
    assert [(row["tier"], row["caseload"], row["caseload_per_100k"]) for row in data["demand"]] == [
        (3, 10.0, 10.0),
        (2, 5.0, 5.0),
        (1, 25.0, 25.0),
    ]
    # 1 on shift × 2 shifts × 7.5 hours × 7 days = 105 hours a week ÷ (37.5 × 0.78 = 29.25) = 3.59 FTE
    assert data["cover"]["hours_per_week"] == 105.0
    assert data["cover"]["need_fte"] == 3.59
    start, horizon = data["headlines"]["start"], data["headlines"]["horizon"]
    assert (start["need_fte"], start["need_basis"], start["gap_fte"]) == (3.59, "cover", 0.59)
    assert (horizon["fte_in_post"], horizon["need_basis"], horizon["gap_fte"]) == (4.0, "cover", 0.0)
    assert data["cost_years"] == [2026, 2027]
    assert data["cost_over_horizon"] == sum(year["cost"] for year in data["years"][:2]) == 258699.2
    assert len(data["years"][0]["lines"]) == 2
    assert [year["supervision"]["need_hours"] for year in data["years"]] == [2.0, 3.0, 4.0]
    assert [len(target["by_year"]) for target in data["targets"]] == [3, 3, 3]


README = Path(__file__).resolve().parents[2] / "README.md"


def readme_table() -> tuple[list[str], dict[str, str]]:
    """The fields the README's results.json table lists (without `[]`), and its aliases: a row whose meaning says
    "fields as `other`" has the same fields as `other`."""
    text = README.read_text(encoding="utf-8")
    text = text[text.index("## Plan results as JSON") :]
    text = text[: text.index("\n## ", 1)]
    fields, aliases = [], {}
    rows = [line.strip().strip("|").split("|") for line in text.splitlines() if line.startswith("| `")]
    for first, *_, meaning in rows:
        names = [name.replace("[]", "") for name in re.findall(r"`([^`]+)`", first)]
        fields += names
        alias = re.search(r"fields as `([^`]+)`", meaning)
        for name in names if alias else []:
            aliases[name] = alias[1].replace("[]", "")
    return fields, aliases


def pattern(field: str) -> re.Pattern:
    """A documented field as a pattern: `*` and `<…>` (a key that is data, such as a role slug) match any key."""
    return re.compile(re.sub(r"\\\*|<[^>]+>", "[^.]+", re.escape(field)))


def json_fields(value, prefix="") -> tuple[set[str], set[str]]:
    """(leaves, containers) of a JSON value as dotted paths; lists are looked into, so their items' keys share one
    path. A leaf is a key whose value is not an object or a list of objects."""
    leaves, containers = set(), set()
    items = value.items() if isinstance(value, dict) else []
    for key, item in items:
        name = f"{prefix}.{key}" if prefix else key
        inside = [item] if isinstance(item, dict) else item if isinstance(item, list) else []
        if any(isinstance(element, dict) for element in inside):
            containers.add(name)
            for element in inside:
                more_leaves, more_containers = json_fields(element, name)
                leaves |= more_leaves
                containers |= more_containers
        elif isinstance(item, dict) and not item:
            leaves.add(f"{name}.<empty>")  # a map with no keys yet: documented through its `<…>` entry
        else:
            leaves.add(name)
    return leaves, containers


def test_the_readme_documents_every_field_of_results_json(dash):
    """A real results.json, with every part of the model in use: each of its keys is in the README's table, so the
    documentation cannot fall behind the engine; and the table lists nothing results.json does not have."""
    use_the_whole_model(dash)
    data = results(client_for(dash.lead), dash.plan)
    leaves, containers = json_fields(data)
    assert "years.lines.declared_capabilities.independent-prescribing" in leaves
    assert {"cover.need_fte", "targets.by_year.status", "headlines.start.surplus_fte", "engine_version"} <= leaves
    fields, aliases = readme_table()
    patterns = [pattern(field) for field in fields]

    def documented(name: str) -> bool:
        for alias, same_as in aliases.items():
            if name.startswith(f"{alias}."):
                name = same_as + name.removeprefix(alias)
        return any(documented_field.fullmatch(name) for documented_field in patterns)

    missing = sorted(name for name in leaves if not documented(name))
    assert not missing, f"results.json fields missing from the README's table: {missing}"
    every = leaves | containers
    unused = [
        field for field, compiled in zip(fields, patterns, strict=True) if not any(map(compiled.fullmatch, every))
    ]
    assert not unused, f"README fields that results.json does not have: {unused}"


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
        "over_establishment_fte": "0.0",
        "clinical_fte": "3.0",
        "demand_met_pct": "95.73",
        "complex_met_pct": "100.0",
        "demand_need_fte": "3.13",
        "cover_need_fte": "0.0",
        "need_fte": "3.13",
        "need_basis": "demand",
        "gap_fte": "0.13",
        "surplus_fte": "0.0",
        "cost_gbp": "121104.0",
        "establishment_cost_gbp": "154086.4",
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
    assert workbook.sheetnames == ["Projection", "Lines by year", "Assumptions"]
    rows = list(workbook["Projection"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) - 1 == dash.plan.horizon_years + 1
    assert [row[0] for row in rows[1:]] == [2026, 2027, 2028]
    assert rows[1][HEADER.index("cost_gbp")] == 121104.0
    assert rows[2][HEADER.index("fte")] == 3.5
    # Each staffing line's figures, a row a line a year: the peer support worker line grows by 0.5 FTE a year.
    lines = list(workbook["Lines by year"].iter_rows(values_only=True))
    assert list(lines[0]) == exports.LINE_KEY_HEADERS + [header for _, header, _ in exports.LINE_COLUMNS]
    peer = [dict(zip(lines[0], row, strict=True)) for row in lines[1:] if row[1] == "Peer support worker"]
    assert [(row["line"], row["band"], row["year"], row["fte"], row["recruits_fte"]) for row in peer] == [
        (2, "3", 2026, 1.0, 0.0),
        (2, "3", 2027, 1.5, 0.5),
        (2, "3", 2028, 2.0, 0.5),
    ]
    assert [row["vacancies_fte"] for row in peer] == [1.0, 0.5, 0.0]
    assert len(lines) - 1 == 2 * 3
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

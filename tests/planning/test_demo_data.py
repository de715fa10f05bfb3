"""The demo data command: fictional trusts, teams, plans and five accounts, loaded idempotently and only on request."""

import io
import re
import stat

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from simple_history.utils import get_history_model_for_model

from planning.models import (
    DeclaredCapability,
    DemandLine,
    Membership,
    Organisation,
    Plan,
    StaffingLine,
    Team,
    ods_code_validator,
)
from roles.models import ComplexityTier
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]

DEMO_PASSWORD = "demo-test-password-7Kq"
DEMO_USERS = {"demo-lead-1", "demo-viewer-1", "demo-lead-2", "demo-curator", "demo-publisher"}


@pytest.fixture
def password_file(tmp_path):
    return tmp_path / "demo-password"


@pytest.fixture
def demo_env(monkeypatch, password_file):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    return password_file


def load(password_file, *args):
    out = io.StringIO()
    call_command("load_demo_data", *args, password_file=password_file, stdout=out)
    return out.getvalue()


def state():
    """Row counts, primary keys and versions: what a second run must leave exactly as it was."""
    models = [Organisation, Team, Plan, StaffingLine, DeclaredCapability, DemandLine, Membership, User]
    return {
        "counts": {model.__name__: model.objects.count() for model in models},
        "history": {
            model.__name__: get_history_model_for_model(model).objects.count()
            for model in (Team, Plan, StaffingLine, DeclaredCapability, DemandLine)
        },
        "lines": sorted(StaffingLine.objects.values_list("pk", "plan_id", "fte")),
        "plans": sorted(Plan.objects.values_list("pk", "version", "updated_at")),
        "passwords": sorted(User.objects.values_list("username", "password")),
        "memberships": sorted(Membership.objects.values_list("user__username", "organisation__slug", "access")),
    }


def test_no_demo_data_or_accounts_in_a_fresh_database():
    assert not User.objects.filter(username__startswith="demo-").exists()
    assert not Organisation.objects.filter(is_demo=True).exists()


def test_running_twice_changes_nothing(demo_env):
    first = load(demo_env)
    assert "Demo data loaded" in first
    before = state()
    assert before["counts"]["Organisation"] == 2 and before["counts"]["Plan"] >= 6
    second = load(demo_env)
    assert "nothing changed" in second
    assert state() == before


def test_the_five_accounts_exist_only_after_it_runs(demo_env):
    assert not User.objects.filter(username__in=DEMO_USERS).exists()
    load(demo_env)
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_USERS)}
    assert set(users) == DEMO_USERS
    assert not any(user.is_superuser for user in users.values())
    memberships = set(Membership.objects.filter(user__in=users.values()).values_list("user__username", "access"))
    assert memberships == {("demo-lead-1", "lead"), ("demo-viewer-1", "viewer"), ("demo-lead-2", "lead")}
    lead_1 = Membership.objects.get(user=users["demo-lead-1"]).organisation
    assert Membership.objects.get(user=users["demo-viewer-1"]).organisation == lead_1
    assert Membership.objects.get(user=users["demo-lead-2"]).organisation != lead_1
    assert users["demo-curator"].is_staff and set(users["demo-curator"].groups.values_list("name", flat=True)) == {
        "Curators"
    }
    assert users["demo-publisher"].is_staff and set(users["demo-publisher"].groups.values_list("name", flat=True)) == {
        "Publishers"
    }
    assert not users["demo-lead-1"].is_staff


def test_demo_password_from_the_environment_is_honoured(demo_env, client):
    output = load(demo_env)
    assert DEMO_PASSWORD not in output  # not echoed into logs
    assert "Demo password: (the value of DEMO_PASSWORD)" in output
    assert not demo_env.exists()
    response = client.post("/accounts/login/", {"username": "demo-lead-1", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/planning/"


def test_a_generated_password_is_saved_printed_and_reused(monkeypatch, password_file, client):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = load(password_file)
    password = re.search(r"Demo password: (\S+)", output).group(1)
    assert len(password) >= 16
    assert password_file.read_text().strip() == password
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    response = client.post("/accounts/login/", {"username": "demo-viewer-1", "password": password})
    assert response.status_code == 302
    # Every later run, including make run's --if-absent, prints the same password again.
    assert f"Demo password: {password}" in load(password_file)
    assert f"Demo password: {password}" in load(password_file, "--if-absent")


def test_changing_demo_password_resets_the_accounts(demo_env, monkeypatch, client):
    load(demo_env)
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-password-9")
    assert "accounts updated: 5" in load(demo_env)
    response = client.post("/accounts/login/", {"username": "demo-lead-2", "password": "another-demo-password-9"})
    assert response.status_code == 302


def test_if_absent_loads_once_then_leaves_everything_alone(demo_env):
    assert "Demo data loaded" in load(demo_env, "--if-absent")
    plan = Plan.objects.filter(team__organisation__is_demo=True).first()
    Plan.objects.filter(pk=plan.pk).update(notes="Edited by a lead")
    before = state()
    output = load(demo_env, "--if-absent")
    assert "already loaded" in output and "Demo password:" in output
    assert state() == before
    assert Plan.objects.get(pk=plan.pk).notes == "Edited by a lead"


def test_without_if_absent_edited_demo_plans_go_back_to_the_file(demo_env):
    load(demo_env)
    plan = Plan.objects.get(team__name="Demo Larch Ward (adult acute)", name="Baseline 2026")
    lines = {(line.role_id, line.band, line.fte) for line in plan.staffing_lines.all()}
    line = plan.staffing_lines.first()
    line.fte = 99
    line.save()
    Plan.objects.filter(pk=plan.pk).update(notes="Edited", status=Plan.Status.AGREED)
    assert "plans reset: 1" in load(demo_env)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.version == 2  # the next version, so open editors get a conflict
    assert plan.notes.startswith("Demo plan")
    assert {(line.role_id, line.band, line.fte) for line in plan.staffing_lines.all()} == lines


def demo_rows():
    """Every demo team and plan as it stands: what putting them back must restore exactly."""
    teams = sorted(Team.objects.filter(organisation__is_demo=True).values_list("organisation__slug", "name"))
    plans = sorted(
        Plan.objects.filter(team__organisation__is_demo=True).values_list("team__name", "name", "notes", "status")
    )
    return teams, plans


def test_renamed_demo_teams_and_plans_are_put_back_not_duplicated(demo_env):
    load(demo_env)
    as_in_the_file = demo_rows()
    team = Team.objects.get(name="Demo North Locality Community Mental Health Team")
    plan = team.plans.get(name="Baseline 2026")
    team.name, team.population_served = "Renamed by a lead", 1
    team.save()
    Plan.objects.filter(pk=plan.pk).update(name="Renamed plan", notes="Edited")

    output = load(demo_env)
    assert "teams reset: 1" in output and "plans reset: 1" in output
    assert "created" not in output
    assert demo_rows() == as_in_the_file
    assert Team.objects.filter(organisation__is_demo=True).count() == 6
    assert Team.objects.filter(name="Demo North Locality Community Mental Health Team").get().pk == team.pk
    assert team.plans.filter(name="Baseline 2026").get().pk == plan.pk  # exactly one, the same row
    team.refresh_from_db()
    assert (team.population_served, team.version) == (50000, 2)  # the next version: open forms get a conflict
    # and once back, running again changes nothing
    before = state()
    assert "nothing changed" in load(demo_env)
    assert state() == before


def test_demo_data_loaded_before_keys_existed_is_adopted_by_name(demo_env):
    load(demo_env)
    Team.objects.update(demo_key="")
    Plan.objects.update(demo_key="")
    counts = (Team.objects.count(), Plan.objects.count())
    assert "created" not in load(demo_env)
    assert (Team.objects.count(), Plan.objects.count()) == counts
    assert not Team.objects.filter(organisation__is_demo=True, demo_key="").exists()
    assert not Plan.objects.filter(team__organisation__is_demo=True, demo_key="").exists()


def test_a_lead_team_holding_a_demo_name_is_reported_not_overwritten(demo_env):
    load(demo_env)
    team = Team.objects.get(name="Demo Larch Ward (adult acute)")
    Team.objects.filter(pk=team.pk).update(name="Larch renamed")
    Team.objects.create(organisation=team.organisation, team_type=team.team_type, name="Demo Larch Ward (adult acute)")
    with pytest.raises(CommandError, match="has another team called Demo Larch Ward"):
        load(demo_env)
    assert Team.objects.filter(pk=team.pk, name="Larch renamed").exists()


def test_each_demo_trust_has_teams_of_different_types_with_baseline_plans(demo_env):
    load(demo_env)
    organisations = list(Organisation.objects.filter(is_demo=True))
    assert len(organisations) == 2
    assert not Organisation.objects.filter(is_demo=False, teams__plans__isnull=False).exists()
    for organisation in organisations:
        organisation.full_clean()
        assert organisation.name.startswith("Demo ") and organisation.kind == Organisation.Kind.TRUST
        assert organisation.ods_code.startswith("ZZDEM")
        ods_code_validator(organisation.ods_code)
        teams = list(organisation.teams.select_related("team_type"))
        assert len(teams) >= 3
        assert len({team.team_type_id for team in teams}) == len(teams)
        for team in teams:
            team.full_clean()
            baselines = [plan for plan in team.plans.all() if plan.is_baseline]
            assert len(baselines) == 1, team.name
            plan = baselines[0]
            assert (plan.start_year, plan.horizon_years, plan.version, plan.status) == (2026, 5, 1, "draft")
            assert plan.created_by is not None and plan.created_by.memberships.filter(access="lead").exists()
            check_lines(plan)


def check_lines(plan):
    plan.full_clean()
    staffing = list(plan.staffing_lines.select_related("role"))
    assert len(staffing) >= 3, plan
    for line in staffing:
        line.full_clean()
        role = line.role
        assert role.band_min is None or line.band >= role.band_min, (plan.team.name, role.slug, line.band)
        assert role.band_max is None or line.band <= role.band_max, (plan.team.name, role.slug, line.band)
        assert 0 < line.fte <= line.establishment_fte
    demand = list(plan.demand_lines.all())
    assert sorted(line.tier for line in demand) == sorted(ComplexityTier.values) == [1, 2, 3]
    for line in demand:
        line.full_clean()
        assert line.caseload > 0 and line.hours_per_person_per_week > 0


def test_the_scenario_is_a_scenario_of_its_baseline(demo_env):
    load(demo_env)
    scenario = Plan.objects.get(scenario_of__isnull=False, team__organisation__is_demo=True)
    assert scenario.scenario_of.team == scenario.team and scenario.scenario_of.is_baseline
    check_lines(scenario)


def test_refuses_to_run_in_production(demo_env, settings):
    settings.DEBUG = False
    settings.LOCAL = False
    with pytest.raises(CommandError, match="local runs only"):
        load(demo_env)
    assert not User.objects.filter(username__in=DEMO_USERS).exists()


def test_refuses_to_take_over_a_real_organisation(demo_env):
    Organisation.objects.create(name="Real trust", slug="demo-northfield", ods_code="RXA", kind="trust")
    with pytest.raises(CommandError, match="not demo data"):
        load(demo_env)
    assert not User.objects.filter(username__in=DEMO_USERS).exists()


def test_the_admin_shows_a_demo_plan_read_mostly(demo_env, client):
    load(demo_env)
    admin = make_user("admin", superuser=True)
    client.force_login(admin)
    plan = Plan.objects.get(team__name="Demo Crisis Resolution and Home Treatment Team", name="Baseline 2026")
    page = client.get(f"/admin/planning/plan/{plan.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert set(form.fields) == {"name", "notes"}  # everything else is read-only here
    assert client.get("/admin/planning/plan/add/").status_code == 403
    data = {"name": plan.name, "notes": "Support note"}
    for inline in page.context["inline_admin_formsets"]:  # the read-only lines' management forms, as the page sends
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    response = client.post(f"/admin/planning/plan/{plan.pk}/change/", data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.notes == "Support note" and plan.version == 2 and plan.updated_by == admin
    assert plan.staffing_lines.count() == 13  # the whole crisis team, doctors to team manager
    organisation = plan.team.organisation
    assert client.get(f"/admin/planning/organisation/{organisation.pk}/change/").status_code == 200
    assert client.get(f"/admin/planning/team/{plan.team.pk}/history/").status_code == 200


def test_the_demo_crisis_team_is_a_real_team_that_costs_with_no_warning(demo_env):
    from planning.engine_inputs import results_for

    load(demo_env)
    plan = Plan.objects.select_related("team").get(
        team__name="Demo Crisis Resolution and Home Treatment Team", name="Baseline 2026"
    )
    slugs = set(plan.staffing_lines.values_list("role__slug", flat=True))
    assert {
        "consultant-psychiatrist",
        "specialty-doctor-psychiatry",
        "mental-health-nurse",
        "clinical-psychologist",
        "occupational-therapist",
        "social-worker",
        "peer-support-worker",
        "support-time-recovery-worker",
        "administrator-medical-secretary",
        "team-manager",
    } == slugs
    nurse_bands = set(plan.staffing_lines.filter(role__slug="mental-health-nurse").values_list("band", flat=True))
    assert nurse_bands == {5, 6, 7, 8}  # bands 5 to 7 and 8a
    result = results_for([plan])[plan.pk]
    assert result.warnings == [] and result.baseline.uncosted_fte == 0 and result.baseline.cost > 0


def crisis_baseline() -> Plan:
    return Plan.objects.select_related("team__team_type").get(
        team__name="Demo Crisis Resolution and Home Treatment Team", name="Baseline 2026"
    )


def test_the_demo_crisis_team_works_its_demand_out_from_its_population_and_is_not_left_idle(demo_env):
    """150,000 people at the crisis team's reference rates: 246.06 care hours a week (14.02 FTE at 17.55 hours);
    the team's 17 clinical FTE give 17 × 17.55 = 298.35 hours, so about 82% is used and 17.5% is left, not 45%.
    Its own demand lines are the same caseload rounded (10, 12 and 3 people), kept as the starting point."""
    from planning.engine_inputs import plan_inputs, results_for

    load(demo_env)
    plan = crisis_baseline()
    inputs = plan_inputs([plan])[plan.pk]
    assert inputs.demand_basis == "population" and len(inputs.demand_rates) == 3
    derived = sum(
        inputs.population * rate.caseload_per_100k / 100_000 * rate.hours_per_person_per_week
        for rate in inputs.demand_rates
    )
    own = sum(line.hours_per_week for line in inputs.demand)
    assert derived == pytest.approx(246.06) and own == pytest.approx(246)
    assert inputs.cover.hours_per_week == 336  # two on duty around the clock
    allocation = results_for([plan])[plan.pk].allocation
    assert allocation.capacity_hours == pytest.approx(17 * 17.55)
    assert allocation.idle_hours / allocation.capacity_hours < 0.2


def test_demo_lines_declare_prescribers_and_approvals_and_carry_notes(demo_env):
    from planning.engine_inputs import plan_inputs

    load(demo_env)
    plan = crisis_baseline()
    declared = {
        (line.role.slug, line.band, row.capability.slug, row.fte)
        for line in plan.staffing_lines.select_related("role")
        for row in line.declared_capabilities.select_related("capability")
    }
    assert ("mental-health-nurse", 8, "independent-prescribing", 1) in declared
    assert ("social-worker", 6, "amhp", 1) in declared
    assert ("specialty-doctor-psychiatry", 23, "section-12-approval", 1) in declared
    notes = set(plan.staffing_lines.exclude(note="").values_list("note", flat=True))
    assert {"Clinical lead", "Newly registered, in preceptorship"} <= notes
    staff = plan_inputs([plan])[plan.pk].staff
    nurses = {line.band: line for line in staff if line.role_slug == "mental-health-nurse"}
    assert nurses[8].declared_capabilities == {"independent-prescribing": 1.0}
    assert nurses[5].complexity_ceiling == 2 and nurses[6].complexity_ceiling == 3  # preceptorship at band 5
    assert Plan.objects.filter(team__organisation__is_demo=True).exclude(demo_key="").exists()
    assert StaffingLine.objects.filter(note="Team leader", role__slug="mental-health-nurse").count() >= 3


def test_a_changed_declaration_is_put_back_by_the_next_load(demo_env):
    load(demo_env)
    row = DeclaredCapability.objects.filter(line__plan=crisis_baseline()).first()
    DeclaredCapability.objects.filter(pk=row.pk).update(fte=0.5)
    assert "plans reset: 1" in load(demo_env)
    assert "nothing changed" in load(demo_env)

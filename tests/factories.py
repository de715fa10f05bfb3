"""The one place tests build data: the reference data, users, organisations and memberships, catalogue roles,
teams, plans, and their staffing and demand lines.

Builders are plain functions that save and return what they make (a test module wraps the ones it needs in its
own small fixture); pass only the fields a test cares about. The planning engine's own input builders, which
need no database, are in `tests/engine_builders.py`.
"""

import csv
import datetime
import io
import itertools
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from nwwmh_portal import content_version, tokens
from planning import services
from planning.fields import DECLARED, STAFFING_FIELDS
from planning.models import (
    DeclaredCapability,
    DemandLine,
    GuidanceTarget,
    Membership,
    Organisation,
    PayScale,
    Plan,
    StaffingLine,
    Team,
    TeamType,
    TeamTypeCapability,
    TeamTypeDemand,
)
from planning.spreadsheets.columns import STAFFING_COLUMNS
from roles.bands import BAND_BY_CODE
from roles.models import (
    Capability,
    CaseStudy,
    ComplexityTier,
    Regulator,
    Resource,
    Role,
    RoleCapability,
    RoleFamily,
    RoleSource,
    TrainingRoute,
)

ROOT = Path(__file__).resolve().parent.parent

# --- Reference data ----------------------------------------------------------------------------------------------

REFERENCE_FIXTURES = sorted(str(path) for path in (ROOT / "fixtures" / "reference").glob("*.yaml"))

# The 42 roles in fixtures/reference/roles.yaml.
ROLE_SLUGS = [
    "occupational-therapist",
    "physiotherapist",
    "dietitian",
    "speech-and-language-therapist",
    "arts-therapist",
    "paramedic",
    "approved-clinician",
    "amhp",
    "advanced-practitioner",
    "peer-support-worker",
    "family-ambassador",
    "lived-experience-connector",
    "social-worker",
    "mental-health-nurse",
    "nursing-associate",
    "physician-associate",
    "clinical-psychologist",
    "cbt-therapist",
    "psychological-wellbeing-practitioner",
    "mental-health-and-wellbeing-practitioner",
    "youth-intensive-psychological-practitioner",
    "clinical-associate-in-psychology",
    "childrens-wellbeing-practitioner",
    "education-mental-health-practitioner",
    "mental-health-pharmacist",
    "pharmacy-technician",
    "support-time-recovery-worker",
    "assistant-practitioner",
    "primary-care-graduate-mental-health-worker",
    "consultant-psychiatrist",
    "specialty-doctor-psychiatry",
    "resident-doctor-psychiatry-core",
    "resident-doctor-psychiatry-higher",
    "team-manager",
    "administrator-medical-secretary",
    "counselling-psychologist",
    "forensic-psychologist",
    "health-psychologist",
    "family-and-systemic-psychotherapist",
    "child-and-adolescent-psychotherapist",
    "adult-psychotherapist",
    "counsellor",
]


def load_reference_data():
    """The sourced reference data (role families, roles, capabilities, team types, pay, targets, content)."""
    call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


def migrated_groups() -> dict[str, list[tuple[str, str]]]:
    """The groups the migrations make (Curators, Publishers) with their permissions by name. Read once a session:
    flushing the database after a transactional test empties them, and permission ids change."""
    return {
        group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    }


MIGRATED_GROUPS: dict[str, list[tuple[str, str]]] = {}  # filled by the session's database setup (conftest)


def restore_migrated_groups(groups: dict[str, list[tuple[str, str]]] | None = None) -> None:
    """Put the migrations' groups back as `migrated_groups()` read them (after a flush)."""
    for name, permissions in (MIGRATED_GROUPS if groups is None else groups).items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in permissions]
        )


# --- Users ---------------------------------------------------------------------------------------------------------


def make_user(username, first_name="", last_name="", *, groups=(), staff=False, superuser=False, password=None) -> User:
    """A user, by default without a password (hashing one is slow): tests log in with `force_login` (see
    `client_for`). A test that logs in through a form gives a `password` and uses the `fast_hasher` fixture.

    `groups` names existing groups (Curators, Publishers); the user is read back so its permission cache is fresh.
    """
    user = User.objects.create_user(
        username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=staff or superuser,
        is_superuser=superuser,
    )
    if groups:
        user.groups.add(*(Group.objects.get(name=name) for name in groups))
    return User.objects.get(pk=user.pk)


def client_for(user, **kwargs) -> Client:
    """A test client logged in as `user`."""
    client = Client(**kwargs)
    client.force_login(user)
    return client


# --- Catalogue -----------------------------------------------------------------------------------------------------

_counter = itertools.count(1)


def make_role(**fields) -> Role:
    """A saved role with dull defaults; pass the fields a test cares about."""
    n = next(_counter)
    defaults = {
        "slug": f"test-role-{n}",
        "name": f"Test role {n}",
        "family": RoleFamily.objects.get(slug="support-roles"),
        "summary": "A role made up for a test.",
        "scope_of_practice": "Does what the test needs it to do.",
        "registered": False,
        "is_new_role": False,
        "last_reviewed": datetime.date(2026, 1, 1),
    }
    return Role.objects.create(**{**defaults, **fields})


# --- Organisations and memberships ---------------------------------------------------------------------------------


def make_organisation(name, slug, ods_code) -> Organisation:
    return Organisation.objects.create(name=name, slug=slug, ods_code=ods_code, kind=Organisation.Kind.TRUST)


def add_member(user, organisation, access=Membership.Access.LEAD) -> Membership:
    return Membership.objects.create(user=user, organisation=organisation, access=access)


def make_team_type(slug, name) -> TeamType:
    team_type, _ = TeamType.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": "A team type for tests."}
    )
    return team_type


def race_lead():
    """A lead of a trust of their own, and a team type, for the simultaneous-saves tests (which run after a flush,
    so need no reference data): (user, organisation, team type)."""
    organisation = Organisation.objects.create(name="Race Trust", slug="race", ods_code="RACE1", kind="trust")
    user = make_user("racer", "Rae", "Cer")
    add_member(user, organisation)
    team_type = TeamType.objects.create(slug="race-team", name="Race team", description="For the race test.")
    return user, organisation, team_type


# --- Worlds: organisations, people, teams and plans ------------------------------------------------------------------


def make_two_trusts():
    """Northshire, led by Lena and viewed by Vic, and Southshire, led by Olu: (north, south, lead, viewer,
    other lead)."""
    north = make_organisation("Northshire Mental Health NHS Foundation Trust", "northshire", "RX1")
    south = make_organisation("Southshire Partnership NHS Trust", "southshire", "RX2")
    lead = make_user("lena", "Lena", "Lead")
    viewer = make_user("vic", "Vic", "Viewer")
    other_lead = make_user("olu", "Olu", "Other")
    add_member(lead, north)
    add_member(viewer, north, Membership.Access.VIEWER)
    add_member(other_lead, south)
    return north, south, lead, viewer, other_lead


def make_crisis_team_plan(*, password: str):
    """Northshire's crisis team for 150,000 people, led by Lena (who logs in with `password`), with an empty plan
    "Crisis team 2026": the start of the browser journeys that build a team in the editor."""
    north = make_organisation("Northshire Mental Health NHS Foundation Trust", "northshire", "RX1")
    lead = make_user("lena", "Lena", "Lead", password=password)
    add_member(lead, north, Membership.Access.LEAD)
    team = Team.objects.create(
        organisation=north,
        team_type=TeamType.objects.get(slug="crisis-resolution-home-treatment"),
        name="North crisis team",
        population_served=150_000,
    )
    return services.create_plan(team=team, user=lead, values={"name": "Crisis team 2026", "start_year": 2026})


def make_world():
    """Two trusts. Lena leads Northshire, Vic views it; Olu leads Southshire (and nothing else).

    Northshire's community team has a 2026 baseline plan (4 FTE band 5 nurses of an establishment of 5, whose line
    says they hold complex cases (a band 5 nurse's default is moderate), 2 FTE band 3 peer support workers, 40
    complex cases at 2 hours a week); Southshire's team has a plan of its own.
    """
    team_type = make_team_type("test-community-team", "Test community team")
    north, south, lead, viewer, other_lead = make_two_trusts()
    team = Team.objects.create(organisation=north, team_type=team_type, name="North locality CMHT")
    other_team = Team.objects.create(organisation=south, team_type=team_type, name="South locality CMHT")
    plan = services.create_plan(
        team=team, user=lead, values={"name": "2026 baseline", "start_year": 2026, "horizon_years": 5}
    )
    other_plan = services.create_plan(
        team=other_team, user=other_lead, values={"name": "South plan", "start_year": 2026, "horizon_years": 3}
    )
    nurse = Role.objects.get(slug="mental-health-nurse")
    peer = Role.objects.get(slug="peer-support-worker")
    social = Role.objects.get(slug="social-worker")
    nurse_line = StaffingLine.objects.create(
        plan=plan,
        role=nurse,
        band=5,
        fte=Decimal("4.00"),
        establishment_fte=Decimal("5.00"),
        complexity_ceiling=ComplexityTier.COMPLEX,
    )
    peer_line = StaffingLine.objects.create(
        plan=plan, role=peer, band=3, fte=Decimal("2.00"), establishment_fte=Decimal("2.00")
    )
    complex_demand = DemandLine.objects.create(
        plan=plan, tier=ComplexityTier.COMPLEX, caseload=40, hours_per_person_per_week=Decimal("2.00")
    )
    return SimpleNamespace(
        team_type=team_type,
        north=north,
        south=south,
        lead=lead,
        viewer=viewer,
        other_lead=other_lead,
        team=team,
        other_team=other_team,
        plan=plan,
        other_plan=other_plan,
        nurse=nurse,
        peer=peer,
        social=social,
        nurse_line=nurse_line,
        peer_line=peer_line,
        complex_demand=complex_demand,
    )


def add_lines(plan, user, count, role):
    """`count` staffing lines added through the service (so they have history), and the moderate and routine
    demand tiers."""
    plan.refresh_from_db()
    services.save_plan(
        plan=plan,
        user=user,
        expected_version=plan.version,
        assumptions={},
        staffing=services.LineChanges(
            {},
            [
                {"role_id": role.pk, "band": 5, "fte": Decimal("1.5"), "establishment_fte": Decimal(index % 7)}
                for index in range(count)
            ],
            [],
        ),
        demand=services.LineChanges(
            {},
            [
                {"tier": tier, "caseload": 10, "hours_per_person_per_week": Decimal("1")}
                for tier in (ComplexityTier.MODERATE, ComplexityTier.ROUTINE)
            ],
            [],
        ),
    )
    plan.refresh_from_db()
    return plan


GUIDANCE_SOURCE = "https://example.org/guidance"


def make_dashboard_world():
    """The dashboard's worked example (see tests/planning/test_dashboard.py's docstring for the arithmetic). The
    peer support workers' supervision is left to the test that needs it (none here, whatever the reference data).

    Northshire (lead Lena, viewer Vic) owns the plan; Olu leads Southshire. The team type needs 1 FTE of peer
    support and of high-intensity therapy, and has three guidance targets (team size, peer workers, per 100k).
    """
    assert PayScale.objects.filter(year="2025/26", band__in=[3, 5]).count() == 2, "reference pay scale not loaded"
    team_type = make_team_type("test-dashboard-team", "Test dashboard team")
    for capability in ("peer-support", "high-intensity-therapy"):
        TeamTypeCapability.objects.create(
            team_type=team_type, capability=Capability.objects.get(slug=capability), min_fte=Decimal("1.00")
        )
    nurse = Role.objects.get(slug="mental-health-nurse")
    peer = Role.objects.get(slug="peer-support-worker")
    common = {
        "scope": GuidanceTarget.Scope.TEAM_TYPE,
        "team_type": team_type,
        "source_url": GUIDANCE_SOURCE,
        "year": "2024",
    }
    GuidanceTarget.objects.create(
        slug="test-team-size",
        label="Team of at least 3 FTE",
        wording="A team needs at least three whole-time staff.",
        metric="total_fte",
        comparator="at_least",
        value=Decimal("3"),
        source_label="Test guidance on team size",
        **common,
    )
    GuidanceTarget.objects.create(
        slug="test-peer-workers",
        label="At least 2 FTE peer support workers",
        wording="Two peer support workers in every team.",
        metric="min_fte",
        comparator="at_least",
        value=Decimal("2"),
        role=peer,
        source_label="Test guidance on peer support",
        secondary_source=True,
        **common,
    )
    GuidanceTarget.objects.create(
        slug="test-staff-per-100k",
        label="Staff per 100,000 people",
        wording="Nine staff per 100,000 people.",
        metric="total_fte_per_100k",
        comparator="at_least",
        value=Decimal("9"),
        source_label="Test guidance on population",
        **common,
    )
    north, south, lead, viewer, other_lead = make_two_trusts()
    team = Team.objects.create(organisation=north, team_type=team_type, name="North crisis team")
    plan = services.create_plan(
        team=team,
        user=lead,
        # The hand-worked example is in 2025/26 pay (confirmed figures); new plans default to the latest table.
        values={"name": "Worked example", "start_year": 2026, "horizon_years": 2, "pay_year": "2025/26"},
    )
    # The lead judges these band 5 nurses ready for complex cases: the line's own ceiling, whatever the role and
    # band default (a newly registered band 5 nurse's is moderate needs).
    StaffingLine.objects.create(
        plan=plan,
        role=nurse,
        band=5,
        fte=Decimal("2"),
        establishment_fte=Decimal("2"),
        complexity_ceiling=ComplexityTier.COMPLEX,
    )
    StaffingLine.objects.create(
        plan=plan,
        role=peer,
        band=3,
        fte=Decimal("1"),
        establishment_fte=Decimal("2"),
        recruitment_fte_per_year=Decimal("0.5"),
    )
    for tier, caseload, hours in ((ComplexityTier.COMPLEX, 10, 2), (ComplexityTier.MODERATE, 5, 2), (1, 25, 1)):
        DemandLine.objects.create(plan=plan, tier=tier, caseload=caseload, hours_per_person_per_week=Decimal(hours))
    peer.supervision_hours_per_month = None
    peer.save()
    return SimpleNamespace(
        team_type=team_type,
        north=north,
        south=south,
        lead=lead,
        viewer=viewer,
        other_lead=other_lead,
        team=team,
        plan=plan,
        nurse=nurse,
        peer=peer,
    )


def use_the_whole_model(dash):
    """The dashboard world's plan with every part of the planning model in use (figures worked by hand in
    tests/planning/test_dashboard.py): its team type has a minimum cover rule (1 on shift × 2 shifts × 7.5 hours
    × 7 days) and reference demand that gives the worked example's caseloads for 100,000 people; the plan works its
    demand out from that population; peer support workers need 2 hours' supervision a month from the nurses; and
    the nurse line declares 1 FTE as independent prescribers (a capability needing further training)."""
    team_type = dash.team_type
    team_type.staff_on_shift, team_type.shifts_per_day, team_type.shift_hours = Decimal("1"), 2, Decimal("7.5")
    team_type.cover_note = "Test cover rule: one clinician on each of two shifts."
    team_type.save()
    for tier, rate, hours, default in ((3, 10, 2, False), (2, 5, 2, False), (1, 25, 1, True)):
        TeamTypeDemand.objects.create(
            team_type=team_type,
            tier=tier,
            caseload_per_100k=Decimal(rate),
            hours_per_person_per_week=Decimal(hours),
            source_url=GUIDANCE_SOURCE if not default else "",
            source_label="Test reference demand" if not default else "",
            modelling_default=default,
        )
    dash.team.population_served = 100_000
    dash.team.save()
    dash.peer.supervision_hours_per_month = Decimal("2")
    dash.peer.save()
    dash.peer.supervisor_roles.add(dash.nurse)
    nurse_line = StaffingLine.objects.get(plan=dash.plan, role=dash.nurse)
    DeclaredCapability.objects.create(
        line=nurse_line, capability=Capability.objects.get(slug="independent-prescribing"), fte=Decimal("1")
    )
    Plan.objects.filter(pk=dash.plan.pk).update(demand_basis="population", version=dash.plan.version + 1)
    dash.plan.refresh_from_db()
    content_version.bump()  # as the admin does after reference data changes
    return dash


def make_spreadsheet_world(suffix="a", *, team_name="Crisis team", plan_name="Baseline 2025"):
    """An organisation with a lead and a viewer, a team, and a draft plan with three staffing lines (every
    supply field set, one in band 8a) and two demand tiers, for export and import."""
    organisation = Organisation.objects.create(
        name=f"Trust {suffix}", slug=f"trust-{suffix}", ods_code=f"R{suffix.upper()}1", kind="trust"
    )
    lead = make_user(f"lead-{suffix}")
    viewer = make_user(f"viewer-{suffix}")
    add_member(lead, organisation)
    add_member(viewer, organisation, Membership.Access.VIEWER)
    team_type = make_team_type("crisis-test", "Crisis resolution (test)")
    team = Team.objects.create(organisation=organisation, team_type=team_type, name=team_name)
    plan = Plan.objects.create(
        team=team, name=plan_name, start_year=2025, horizon_years=5, demand_growth_pct=Decimal("-5"), created_by=lead
    )
    roles = {role.slug: role for role in Role.objects.all()}
    lines = [
        ("mental-health-nurse", "6", "4.50", "5.00", "12.50", "1.00", 2027, "0.50"),
        ("peer-support-worker", "3", "2.00", "2.00", "20.00", "0.00", None, "1.00"),
        ("approved-clinician", "8a", "1.25", "1.50", "8.00", "0.00", None, "0.00"),
    ]
    for slug, band, fte, establishment, attrition, trainees, year, recruitment in lines:
        StaffingLine.objects.create(
            plan=plan,
            role=roles[slug],
            band=BAND_BY_CODE[band],
            fte=Decimal(fte),
            establishment_fte=Decimal(establishment),
            attrition_pct=Decimal(attrition),
            trainees_fte=Decimal(trainees),
            trainee_completion_year=year,
            recruitment_fte_per_year=Decimal(recruitment),
        )
    DemandLine.objects.create(
        plan=plan, tier=ComplexityTier.COMPLEX, caseload=40, hours_per_person_per_week=Decimal("3")
    )
    DemandLine.objects.create(
        plan=plan, tier=ComplexityTier.ROUTINE, caseload=200, hours_per_person_per_week=Decimal("0.5")
    )
    return {"organisation": organisation, "lead": lead, "viewer": viewer, "team": team, "plan": plan}


# --- Uploaded files ------------------------------------------------------------------------------------------------

# A one-pixel PNG: a file that is not a spreadsheet.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def good_row(columns=STAFFING_COLUMNS, **changes) -> list[str]:
    """One valid staffing row of an import file, in the order of `columns` (the staffing sheet's, or a header
    with declared capability columns, empty unless `changes` gives them); `changes` by column."""
    row = {
        "role": "peer-support-worker",
        "role_name": "Peer support worker",
        "band": "4",
        "fte": "1.00",
        "establishment_fte": "1.00",
        "attrition_pct": "10",
        "trainees_fte": "0",
        "trainee_completion_year": "",
        "recruitment_fte_per_year": "0.5",
        "complexity_ceiling": "",
        "supervision_hours_per_month": "",
        "note": "",
    }
    row.update(changes)
    return [row.get(name, "") for name in columns]


def line_dicts(plan) -> list[dict]:
    """A plan's staffing lines as dicts of the fields a spreadsheet carries, with their declared capabilities
    ({slug: FTE}), oldest first."""
    lines = StaffingLine.objects.filter(plan=plan).order_by("id").prefetch_related("declared_capabilities__capability")
    return [
        {
            **{name: getattr(line, name) for name in STAFFING_FIELDS},
            DECLARED: {row.capability.slug: row.fte for row in line.declared_capabilities.all()},
        }
        for line in lines
    ]


def declare(line, **fte_by_slug) -> None:
    """Declare FTE of a staffing line for capabilities (by slug, underscores for hyphens)."""
    for slug, fte in fte_by_slug.items():
        capability = Capability.objects.get(slug=slug.replace("_", "-"))
        DeclaredCapability.objects.create(line=line, capability=capability, fte=Decimal(fte))


# --- Case studies ----------------------------------------------------------------------------------------------


def make_case_study(author, status=CaseStudy.Status.DRAFT, slug="a-story"):
    case_study = CaseStudy(
        title="A story",
        slug=slug,
        organisation="An NHS trust",
        setting=CaseStudy.Setting.COMMUNITY,
        year=2024,
        summary="Summary text.",
        body="Body text.",
        source_url="https://example.nhs.uk/story",
        source_title="The story",
        created_by=author,
        updated_by=author,
        status=status,
    )
    case_study.save()
    case_study.roles.add(Role.objects.get(slug="peer-support-worker"))
    return case_study


# --- Ten times the catalogue (query count tests) ----------------------------------------------------------------

EXTRA_ROLES = 420  # ten times the 42 reference roles, in all
CONTENT_ITEMS = 130  # ten times the reference case studies and resources, at least


def make_ten_times_the_catalogue(extra_roles: int = EXTRA_ROLES) -> list[Role]:
    """Bulk-create `extra_roles` roles across all families, each with capabilities, training routes, sources,
    related roles and supervisors, plus extra families, capabilities, case studies and resources; and tie the
    reference roles the pages below show to many of them."""
    RoleFamily.objects.bulk_create(
        RoleFamily(slug=f"bulk-family-{n}", name=f"Bulk family {n}", description="Generated.", order=20 + n)
        for n in range(10)
    )
    Capability.objects.bulk_create(
        Capability(
            slug=f"bulk-capability-{n}",
            name=f"Bulk capability {n}",
            group=Capability.Group.values[n % len(Capability.Group.values)],
            description="Generated.",
            order=100 + n,
        )
        for n in range(20)
    )
    families = list(RoleFamily.objects.all())
    capabilities = list(Capability.objects.all())
    regulators = [*Regulator.objects.all(), None]
    reviewed = datetime.date(2026, 1, 1)

    roles = Role.objects.bulk_create(
        Role(
            slug=f"bulk-role-{n}",
            name=f"Bulk practitioner {n}",
            alternative_titles=f"Generated worker {n}\nLoad test role",
            family=families[n % len(families)],
            summary="A generated practitioner role that supports people in the community.",
            scope_of_practice="Works under supervision with families and carers; prescribing is not part of the role.",
            regulator=regulators[n % len(regulators)],
            registered=n % 2 == 0,
            band_min=3 + n % 5,
            band_max=3 + n % 5 + n % 3,
            is_new_role=n % 3 == 0,
            historic=n % 17 == 0,
            unconfirmed="Band at entry\nTraining route" if n % 4 == 0 else "",
            last_reviewed=reviewed,
        )
        for n in range(extra_roles)
    )
    RoleCapability.objects.bulk_create(
        RoleCapability(
            role=role,
            capability=capabilities[(n + k * 7) % len(capabilities)],
            level=RoleCapability.Level.CORE if k == 0 else RoleCapability.Level.FURTHER_TRAINING,
            note="Generated.",
            source_url=f"https://example.nhs.uk/{role.slug}/capability-{k}",
        )
        for n, role in enumerate(roles)
        for k in range(3)
    )
    TrainingRoute.objects.bulk_create(
        TrainingRoute(
            role=role,
            slug=f"route-{k}",
            name=f"Route {k}",
            kind=TrainingRoute.Kind.values[(n + k) % len(TrainingRoute.Kind.values)],
            duration_months=12 * (k + 1) if k else None,
            source_url=f"https://example.nhs.uk/{role.slug}/route-{k}",
        )
        for n, role in enumerate(roles)
        for k in range(2)
    )
    RoleSource.objects.bulk_create(
        RoleSource(role=role, url=f"https://example.nhs.uk/{role.slug}/source-{k}", title=f"Source {k}", supports="All")
        for role in roles
        for k in range(3)
    )

    reference = list(Role.objects.filter(slug__in=["mental-health-nurse", "peer-support-worker", "social-worker"]))
    related = Role.related_roles.through
    pairs = {(a.pk, b.pk) for a, b in zip(roles, roles[1:], strict=False)}
    pairs |= {(a.pk, b.pk) for a, b in itertools.product(reference, roles[:40])}
    related.objects.bulk_create(
        [related(from_role_id=a, to_role_id=b) for a, b in pairs]
        + [related(from_role_id=b, to_role_id=a) for a, b in pairs]
    )
    supervisors = Role.supervisor_roles.through
    supervisors.objects.bulk_create(
        [supervisors(from_role_id=role.pk, to_role_id=reference[n % 3].pk) for n, role in enumerate(roles)]
        + [supervisors(from_role_id=reference[n % 3].pk, to_role_id=role.pk) for n, role in enumerate(roles[:30])]
    )
    RoleCapability.objects.bulk_create(
        RoleCapability(role=role, capability=capability, level="core", source_url="https://example.nhs.uk/c")
        for role in reference
        for capability in capabilities[18:]
    )

    now = timezone.now()
    connector = Role.objects.get(slug="lived-experience-connector")  # the seed case study's role
    case_studies = CaseStudy.objects.bulk_create(
        CaseStudy(
            slug=f"bulk-case-study-{n}",
            title=f"Case study {n}",
            organisation="An NHS trust",
            setting=CaseStudy.Setting.values[n % len(CaseStudy.Setting.values)],
            year=2000 + n % 25,
            summary="Generated.",
            body="Generated.",
            source_url="https://example.nhs.uk/story",
            source_title="A story",
            status=CaseStudy.Status.PUBLISHED if n % 3 else CaseStudy.Status.DRAFT,
            published_at=now,
        )
        for n in range(CONTENT_ITEMS)
    )
    CaseStudy.roles.through.objects.bulk_create(
        CaseStudy.roles.through(casestudy_id=case_study.pk, role_id=role.pk)
        for case_study in case_studies
        for role in [*reference, *roles[:5], connector]
    )
    resources = Resource.objects.bulk_create(
        Resource(
            slug=f"bulk-resource-{n}",
            title=f"Resource {n}",
            kind=Resource.Kind.GUIDE,
            publisher="NHS England",
            summary="Generated.",
            url=f"https://example.nhs.uk/resource-{n}",
        )
        for n in range(CONTENT_ITEMS)
    )
    Resource.roles.through.objects.bulk_create(
        Resource.roles.through(resource_id=resource.pk, role_id=role.pk) for resource in resources for role in reference
    )
    return roles


# --- API tokens ------------------------------------------------------------------------------------------------


def api_world() -> SimpleNamespace:
    """`make_world()` (Northshire: lead Lena and viewer Vic; Southshire: lead Olu) plus a scenario of A's plan and
    tokens: Lena's, Olu's, a revoked one of Lena's, and a curator's (no membership)."""
    world = make_world()
    world.scenario = services.copy_as_scenario(plan=world.plan, user=world.lead, name="Scenario of A")
    world.curator = User.objects.create_user("cura", is_staff=True)
    world.curator.groups.add(*Group.objects.filter(name__in=["Curators", "Publishers"]))
    world.token_a = tokens.create_token(user=world.lead, name="Power BI", lifetime_days=90)
    world.token_b = tokens.create_token(user=world.other_lead, name="Excel", lifetime_days=90)
    world.revoked = tokens.create_token(user=world.lead, name="Old laptop", lifetime_days=30)
    tokens.revoke_token(token=world.revoked.token)
    world.curator_token = tokens.create_token(user=world.curator, name="Curation", lifetime_days=30)
    return world

"""The planning reference data (fixtures/reference/planning.yaml): team types, pay scales and guidance targets."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from planning import engine
from planning.models import GuidanceTarget, Organisation, PayScale, TeamType, TeamTypeCapability
from roles.bands import Band
from tests.factories import REFERENCE_FIXTURES, ROOT, client_for, make_user

pytestmark = pytest.mark.django_db

PLANNING_FIXTURE = str(ROOT / "fixtures" / "reference" / "planning.yaml")
TEAM_TYPES = {
    "cmht",
    "crisis-resolution-home-treatment",
    "early-intervention-psychosis",
    "acute-ward",
    "picu",
    "secure-ward",
    "perinatal",
    "camhs-community",
    "mental-health-support-team-schools",
    "nhs-talking-therapies",
    "pcn-mental-health-practitioners",
}
PAY_2025_26 = {  # docs/reference/planning.md §3: band rank -> (bottom, top)
    2: (24465, 24465),
    3: (24937, 26598),
    4: (27485, 30162),
    5: (31049, 37796),
    6: (38682, 46580),
    7: (47810, 54710),
    8: (55690, 62682),
    9: (64455, 74896),
    10: (76965, 88682),
    11: (91342, 105337),
    12: (109179, 125637),
}
# Figures as docs/reference/planning.md and docs/reference/roles.md give them, so that a typo in the fixture fails here.
NATIONAL_FIGURES = {
    "stepping-forward-additional-staff": 19000,
    "stepping-forward-camhs-posts": 2000,
    "stepping-forward-talking-therapies": 2900,
    "stepping-forward-crisis-care": 4800,
    "stepping-forward-new-roles": 5000,
    "stepping-forward-regulated-staff": 11000,
    "mhip-additional-staff": 27460,
    "mhip-physician-associates": 140,
    "community-transformation-10000": 10000,
    "ltwp-peer-support-workers-2023-24": 4730,
    "ltwp-peer-support-workers-2036-37": 6500,
    "ltwp-physician-associates-2036-37": 10000,
    "ltwp-approved-clinician-posts": 1000,
    "mental-health-pharmacists-2023-24": 280,
    "str-workers-2006": 3000,
    "primary-care-graduate-workers-2004": 1000,
}


def snapshot():
    """Every planning reference row with its primary key, so that a reload that duplicated or renumbered rows fails."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (TeamType, TeamTypeCapability, PayScale, GuidanceTarget)
    }


def test_planning_fixture_reloads_without_change():
    before = snapshot()
    assert before["TeamType"], "the session setup loads the reference data"
    call_command("loaddata", PLANNING_FIXTURE, verbosity=0)
    assert snapshot() == before
    call_command("loaddata", PLANNING_FIXTURE, verbosity=0)
    assert snapshot() == before


def test_all_reference_fixtures_load_together_twice():
    before = snapshot()
    call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
    call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
    assert snapshot() == before


def test_team_types_have_descriptions_and_required_capabilities():
    team_types = list(TeamType.objects.prefetch_related("capability_requirements"))
    assert len(team_types) >= 10
    assert {team_type.slug for team_type in team_types} >= TEAM_TYPES
    for team_type in team_types:
        assert len(team_type.description) > 40, team_type.slug
        requirements = list(team_type.capability_requirements.all())
        assert requirements, f"{team_type.slug} requires no capability"
        for requirement in requirements:
            assert requirement.min_fte > 0
            # No source states a minimum FTE, so every one is labelled a modelling default.
            assert requirement.modelling_default, requirement
            assert requirement.source_url == ""


def test_team_type_sources_where_the_notes_give_one():
    sources = dict(TeamType.objects.values_list("slug", "source_url"))
    assert sources["crisis-resolution-home-treatment"] == (
        "https://www.ucl.ac.uk/core-study/resources/staffing-team-procedures/29-doh-imp-guide"
    )
    assert "mental-health-policy-implementation" in sources["cmht"]
    assert "education-mental-health-practitioner" in sources["mental-health-support-team-schools"]
    assert "pulsetoday.co.uk" in sources["pcn-mental-health-practitioners"]
    assert all(url == "" or url.startswith("https://") for url in sources.values())


def test_capability_requirements_match_the_brief():
    def required(slug):
        return set(TeamTypeCapability.objects.filter(team_type__slug=slug).values_list("capability__slug", flat=True))

    assert {
        "care-coordination",
        "independent-prescribing",
        "psychological-assessment-formulation",
        "physical-health-monitoring",
        "peer-support",
    } <= required("cmht")
    assert "low-intensity-interventions" in required("mental-health-support-team-schools")
    assert {"low-intensity-interventions", "high-intensity-therapy"} <= required("nhs-talking-therapies")
    for ward in ("acute-ward", "picu", "secure-ward"):
        assert {"approved-clinician", "medicines-optimisation"} <= required(ward)


def test_pay_scale_2025_26_has_every_band_from_the_source():
    rows = {row.band: row for row in PayScale.objects.filter(year="2025/26")}
    assert set(rows) == set(Band.values) == set(PAY_2025_26)
    assert len(rows) == 11
    for band, (bottom, top) in PAY_2025_26.items():
        row = rows[band]
        assert (row.bottom, row.top) == (Decimal(bottom), Decimal(top))
        assert row.bottom <= row.top
        assert row.source_url == "https://nhstakehomepaycalculator.co.uk/guides/nhs-pay-bands-2025-26"
        assert row.secondary_source
    assert rows[Band.B5].midpoint == Decimal("34422.50")
    assert rows[Band.B2].bottom == rows[Band.B2].top  # a single pay point


def test_every_target_is_sourced_and_well_formed():
    targets = list(GuidanceTarget.objects.select_related("team_type"))
    assert len(targets) >= 15
    for target in targets:
        assert target.label and target.wording, target.slug
        assert target.source_url.startswith("https://"), target.slug
        assert target.source_label, target.slug
        assert target.metric in GuidanceTarget.Metric.values and target.metric in engine.METRICS
        assert target.comparator in engine.COMPARATORS
        if target.comparator == GuidanceTarget.Comparator.BETWEEN:
            assert target.value_max is not None and target.value_max >= target.value
        else:
            assert target.value_max is None
        if target.scope == GuidanceTarget.Scope.TEAM_TYPE:
            assert target.team_type is not None, target.slug
            assert target.metric != GuidanceTarget.Metric.NATIONAL_HEADCOUNT
        else:
            assert target.team_type is None, target.slug
            assert target.metric == GuidanceTarget.Metric.NATIONAL_HEADCOUNT, target.slug


def test_national_figures_as_the_sources_give_them():
    values = dict(GuidanceTarget.objects.filter(scope="national").values_list("slug", "value"))
    assert values == {slug: Decimal(value) for slug, value in NATIONAL_FIGURES.items()}
    secondary = dict(GuidanceTarget.objects.values_list("slug", "secondary_source"))
    # [S] in docs/reference/planning.md: Stepping Forward, the Implementation Plan and LTWP figures come from
    # secondary sources.
    assert secondary["stepping-forward-additional-staff"] and secondary["mhip-additional-staff"]
    assert secondary["ltwp-peer-support-workers-2023-24"]
    # [V]: the crisis team and assertive outreach figures were seen in the cited page.
    assert not secondary["crht-staff-per-100k"] and not secondary["assertive-outreach-caseload"]
    peer_support = GuidanceTarget.objects.get(slug="ltwp-peer-support-workers-2023-24")
    assert "Check this against the Long Term Workforce Plan" in peer_support.wording


def test_team_type_targets_dashboards_can_check():
    crht = {t.slug: t for t in GuidanceTarget.objects.filter(team_type__slug="crisis-resolution-home-treatment")}
    per_100k = crht["crht-staff-per-100k"]
    assert per_100k.metric == "total_fte_per_100k" and per_100k.comparator == "at_least"
    assert per_100k.value == Decimal(str(round(14 / 150_000 * 100_000, 2))) == Decimal("9.33")
    assert "derives" in per_100k.wording and "14 ÷ 150,000 × 100,000" in per_100k.wording
    size = crht["crht-team-size"]
    assert (size.metric, size.comparator, size.value, size.value_max) == ("total_fte", "between", 14, 15)
    caseload = crht["crht-caseload-per-clinical-fte"]
    # 30 ÷ 14 = 2.143 rounded up, so a team at the top of the guide's range meets it.
    assert caseload.value == Decimal("2.15") and "derives" in caseload.wording
    outreach = GuidanceTarget.objects.get(slug="assertive-outreach-caseload")
    assert (outreach.value, outreach.value_max, outreach.team_type.slug) == (8, 12, "assertive-outreach")
    pcn = GuidanceTarget.objects.get(slug="pcn-mhp-entitlement-2023-24")
    assert (pcn.metric, pcn.value, pcn.year, pcn.secondary_source) == ("total_fte", 3, "2023/24", True)


def test_nothing_unverified_is_included():
    """Items docs/reference/planning.md marks [U] stay out.

    The CMHT caseload of 35, headroom, the levy and the skill-mix index form.
    """
    assert not GuidanceTarget.objects.filter(team_type__slug="cmht").exists()
    assert not GuidanceTarget.objects.filter(value=35).exists()
    for target in GuidanceTarget.objects.all():
        text = target.wording.lower()
        assert "[u]" not in text
        for unverified in ("headroom", "levy", "skill mix index", "care-coordinator caseload"):
            assert unverified not in text, (target.slug, unverified)
    assert not GuidanceTarget.objects.filter(slug__contains="approved-clinician-20").exists()  # local, not national


@pytest.fixture
def admin_client_fast():
    """A superuser's client; the user has no password, so no slow hashing."""
    return client_for(make_user("admin", superuser=True))


@pytest.mark.parametrize("model", ["teamtype", "guidancetarget", "payscale", "organisation", "team", "plan"])
def test_reference_data_admin_pages_render(admin_client_fast, model):
    assert admin_client_fast.get(f"/admin/planning/{model}/").status_code == 200
    if model in ("teamtype", "guidancetarget", "payscale"):
        obj = {"teamtype": TeamType, "guidancetarget": GuidanceTarget, "payscale": PayScale}[model].objects.first()
        page = admin_client_fast.get(f"/admin/planning/{model}/{obj.pk}/change/")
        assert page.status_code == 200
    if model in ("teamtype", "guidancetarget", "organisation"):
        assert admin_client_fast.get(f"/admin/planning/{model}/add/").status_code == 200


def test_guidance_target_admin_checks_between_and_scope(admin_client_fast):
    data = {
        "label": "Test",
        "slug": "test-target",
        "wording": "Words",
        "scope": "team_type",
        "metric": "total_fte",
        "comparator": "between",
        "value": "10",
        "year": "2026",
        "source_url": "https://example.org/",
        "source_label": "Example",
    }
    response = admin_client_fast.post("/admin/planning/guidancetarget/add/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "team_type" in errors and "value_max" in errors
    assert not GuidanceTarget.objects.filter(slug="test-target").exists()


def test_pay_scale_admin_refuses_top_below_bottom(admin_client_fast):
    row = PayScale.objects.get(year="2025/26", band=5)
    data = {
        "year": row.year,
        "band": row.band,
        "bottom": "40000",
        "top": "30000",
        "source_url": row.source_url,
        "secondary_source": "on",
    }
    response = admin_client_fast.post(f"/admin/planning/payscale/{row.pk}/change/", data)
    assert response.status_code == 200 and "top" in response.context["adminform"].form.errors
    row.refresh_from_db()
    assert row.top == Decimal("37796")


@pytest.mark.parametrize(
    ("group", "model", "can_change"),
    [
        ("Curators", "teamtype", True),
        ("Curators", "guidancetarget", True),
        ("Curators", "payscale", True),
        ("Publishers", "teamtype", False),
        ("Publishers", "guidancetarget", False),
    ],
)
def test_curators_keep_the_planning_reference_data(group, model, can_change):
    client = client_for(make_user("staff", groups=[group], staff=True))
    obj = {"teamtype": TeamType, "guidancetarget": GuidanceTarget, "payscale": PayScale}[model].objects.first()
    page = client.get(f"/admin/planning/{model}/{obj.pk}/change/")
    assert page.status_code == 200
    assert (b'name="_save"' in page.content) is can_change
    # Nobody but a superuser reaches teams, plans or organisations through these groups.
    assert client.get("/admin/planning/plan/").status_code == 403


def test_curators_may_change_capability_minimums_but_not_plans():
    curator = make_user("curator", groups=["Curators"], staff=True)
    assert curator.has_perm("planning.change_teamtypecapability")
    assert not curator.has_perm("planning.change_plan")


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("RXA", True),
        ("QYG", True),
        ("ZZDEM1", True),
        ("R1A2B3", True),
        ("rxa", False),
        ("RX", False),
        ("RXA1234", False),
        ("RX-A", False),
        ("RX A", False),
        ("", False),
    ],
)
def test_organisation_ods_codes_are_checked(code, valid):
    organisation = Organisation(name="A trust", slug="a-trust", ods_code=code, kind="trust")
    if valid:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            organisation.full_clean()
        assert "ods_code" in error.value.message_dict

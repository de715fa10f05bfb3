"""The planning reference data (fixtures/reference/planning.yaml): team types with their reference demand and minimum
cover, pay scales and guidance targets."""

import importlib
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from planning import engine
from planning.models import GuidanceTarget, Organisation, PayScale, TeamType, TeamTypeCapability, TeamTypeDemand
from roles.bands import AFC_BANDS, Band
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
        for model in (TeamType, TeamTypeCapability, TeamTypeDemand, PayScale, GuidanceTarget)
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
    rows = {row.band: row for row in PayScale.objects.filter(year="2025/26", pay_table="afc")}
    assert set(rows) == {band.value for band in AFC_BANDS} == set(PAY_2025_26)
    assert len(rows) == 11
    for band, (bottom, top) in PAY_2025_26.items():
        row = rows[band]
        assert (row.bottom, row.top) == (Decimal(bottom), Decimal(top))
        assert row.bottom <= row.top
        assert row.source_url == "https://nhstakehomepaycalculator.co.uk/guides/nhs-pay-bands-2025-26"
        # docs/reference/planning.md §8: the 2025/26 figures match the published table.
        assert row.confirmed and "match the published table" in row.source_label
    assert rows[Band.B5].midpoint == Decimal("34422.50")
    assert rows[Band.B5].intermediate == Decimal("33487")  # §3's intermediate point
    assert rows[Band.B2].bottom == rows[Band.B2].top  # a single pay point


def test_afc_2026_27_is_the_3_3_percent_award_labelled_as_calculated():
    """§8: a 3.3% award from 1 April 2026. The published table was not read, so each point is 2025/26 × 1.033 to
    the pound, not confirmed, and says so."""
    rows = {row.band: row for row in PayScale.objects.filter(year="2026/27", pay_table="afc")}
    assert set(rows) == {band.value for band in AFC_BANDS}
    for band, (bottom, top) in PAY_2025_26.items():
        row = rows[band]
        expected = (round(Decimal(bottom) * Decimal("1.033")), round(Decimal(top) * Decimal("1.033")))
        assert (row.bottom, row.top) == expected, band
        assert not row.confirmed
        assert "Calculated from the 3.3% award" in row.source_label
        assert "check against NHS Employers' published table" in row.source_label
    # The notes' indicative figures (band 5 £32,074 to £39,043; band 6 £39,959 to £48,117).
    assert (rows[5].bottom, rows[5].top) == (32074, 39043)
    assert (rows[6].bottom, rows[6].top) == (39959, 48117)
    assert rows[7].top == 56515


def test_medical_pay_rows_carry_their_source_and_status():
    medical = {(row.year, row.band): row for row in PayScale.objects.filter(pay_table="medical")}
    consultant = medical["2025/26", Band.CONSULTANT]
    # Threshold 1 to threshold 4: 2024/25 £105,504 to £139,882 with the 4% 2025/26 award.
    assert (consultant.bottom, consultant.top) == (round(105504 * Decimal("1.04")), round(139882 * Decimal("1.04")))
    assert consultant.source_url.startswith("https://www.bma.org.uk/")
    assert not consultant.confirmed and "calculated" in consultant.source_label
    specialty = medical["2025/26", Band.SPECIALTY_DOCTOR]
    assert not specialty.confirmed and "approximation" in specialty.source_label
    # Resident doctors: the HCSA's table of the 2025/26 nodal points (4% plus £750), docs/reference/planning.md §8.
    residents = {
        Band.RESIDENT_FOUNDATION: (Decimal("38830.64"), Decimal("44438.32")),  # FY1 to FY2
        Band.RESIDENT_CORE: (Decimal("52655.36"), Decimal("65048.00")),  # CT1-CT2 to CT3
        Band.RESIDENT_HIGHER: (Decimal("65048.00"), Decimal("73992.00")),  # ST3-5 to ST6-8
    }
    for grade, (bottom, top) in residents.items():
        row = medical["2025/26", grade]
        assert (row.bottom, row.top) == (bottom, top)
        assert row.source_url == "https://hcsa.com/campaigns/resident-doctors.aspx" and "secondary" in row.source_label
    assert all(not row.confirmed for row in medical.values())
    assert all(row.band >= Band.RESIDENT_FOUNDATION for row in medical.values())
    # No 2026/27 medical award is in the notes, so no 2026/27 medical figure is made up.
    assert not any(year == "2026/27" for year, _ in medical)
    for row in PayScale.objects.all():
        row.full_clean()  # each grade is in its own pay table


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
    # [V]: the crisis team figures were seen in the cited page; assertive outreach is cited second-hand.
    assert not secondary["crht-minimum-staff"] and secondary["assertive-outreach-caseload"]
    peer_support = GuidanceTarget.objects.get(slug="ltwp-peer-support-workers-2023-24")
    assert "Check this against the Long Term Workforce Plan" in peer_support.wording


def test_long_term_workforce_plan_figures_on_one_secondary_page_are_unverified():
    unverified = set(GuidanceTarget.objects.filter(unverified=True).values_list("slug", flat=True))
    assert {
        "ltwp-peer-support-workers-2023-24",
        "ltwp-peer-support-workers-2036-37",
        "ltwp-approved-clinician-posts",
    } <= unverified
    assert "crht-minimum-staff" not in unverified


def test_targets_whose_date_has_passed_are_historical():
    kinds = dict(GuidanceTarget.objects.values_list("slug", "kind"))
    for slug in (
        "stepping-forward-additional-staff",
        "stepping-forward-camhs-posts",
        "stepping-forward-talking-therapies",
        "stepping-forward-crisis-care",
        "mhip-additional-staff",
        "mhip-physician-associates",
        "str-workers-2006",
        "primary-care-graduate-workers-2004",
    ):
        assert kinds[slug] == "historical", slug
    assert kinds["ltwp-peer-support-workers-2036-37"] == "current"
    assert kinds["pcn-mhp-entitlement-2023-24"] == "context"


def test_crisis_team_minimum_is_at_least_14_for_150000_scaled_with_no_cap():
    crht = {t.slug: t for t in GuidanceTarget.objects.filter(team_type__slug="crisis-resolution-home-treatment")}
    assert "crht-staff-per-100k" not in crht and "crht-team-size" not in crht  # read as a rate and as a range
    minimum = crht["crht-minimum-staff"]
    assert (minimum.metric, minimum.comparator, minimum.value, minimum.value_max) == (
        "min_fte_per_population",
        "at_least",
        14,
        None,
    )
    assert minimum.reference_population == 150_000 and minimum.kind == "current"
    assert '"at least 14 full-time staff"' in minimum.wording and "no upper limit" in minimum.wording


def test_crisis_team_caseload_comes_from_the_core_fidelity_level():
    caseload = GuidanceTarget.objects.get(slug="crht-caseload-per-clinical-fte")
    # CORE fidelity scale: caseload of 25 or fewer per 14 FTE is "fully met"; 25 ÷ 14 = 1.786 rounded up.
    assert (caseload.metric, caseload.comparator) == ("caseload_per_clinical_fte", "at_most")
    assert caseload.value == Decimal("1.79") == Decimal(str(round(25 / 14 + 0.005, 2)))
    assert '"fully met"' in caseload.wording and "CORE" in caseload.source_label


def test_assertive_outreach_caseload_is_the_2001_guide_with_no_lower_bound():
    outreach = GuidanceTarget.objects.get(slug="assertive-outreach-caseload")
    assert (outreach.comparator, outreach.value, outreach.value_max) == ("at_most", 12, None)
    assert outreach.team_type.slug == "assertive-outreach"
    assert "Policy Implementation Guide (2001)" in outreach.source_label and "Burns" in outreach.source_label
    assert "Tyrer" not in outreach.source_label  # a CMHT caseload audit, not an assertive outreach standard
    assert "Tyrer" not in TeamType.objects.get(slug="assertive-outreach").description


def test_pcn_entitlement_is_context_not_a_target():
    pcn = GuidanceTarget.objects.get(slug="pcn-mhp-entitlement-2023-24")
    assert (pcn.metric, pcn.value, pcn.year, pcn.secondary_source) == ("total_fte", 3, "2023/24", True)
    assert pcn.kind == "context" and "not a staffing standard" in pcn.wording


def test_eip_has_a_source_and_cmhf_is_cited():
    eip = TeamType.objects.get(slug="early-intervention-psychosis")
    assert eip.source_url == "https://www.nice.org.uk/guidance/cg178"
    assert "modelling defaults" in eip.description
    assert "Community Mental Health Framework" in TeamType.objects.get(slug="cmht").description


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
        "pay_table": "afc",
        "year": row.year,
        "band": row.band,
        "bottom": "40000",
        "top": "30000",
        "source_url": row.source_url,
        "source_label": row.source_label,
        "confirmed": "on",
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


def test_load_reference_data_adds_the_new_pay_rows_and_targets_and_keeps_curators_edits():
    """A database loaded before this release has no 2026/27 or medical pay and no scaled crisis team minimum, and
    a curator has corrected a 2025/26 pay point: loading the reference data adds what is new and keeps the edit."""
    PayScale.objects.filter(year="2026/27").delete()
    PayScale.objects.filter(pay_table="medical").delete()
    GuidanceTarget.objects.filter(slug__in=["crht-minimum-staff", "crht-caseload-per-clinical-fte"]).delete()
    PayScale.objects.filter(year="2025/26", band=Band.B5).update(top=Decimal("37800"), source_label="Curator's fix")
    call_command("load_reference_data", stdout=io.StringIO())
    assert PayScale.objects.filter(year="2026/27", pay_table="afc").count() == len(AFC_BANDS)
    assert PayScale.objects.filter(pay_table="medical", band=Band.CONSULTANT).exists()
    assert GuidanceTarget.objects.get(slug="crht-minimum-staff").reference_population == 150_000
    assert GuidanceTarget.objects.filter(slug="crht-caseload-per-clinical-fte").exists()
    edited = PayScale.objects.get(year="2025/26", band=Band.B5)
    assert (edited.top, edited.source_label) == (Decimal("37800"), "Curator's fix")


def test_a_corrected_target_reaches_an_existing_database_when_named():
    """The assertive outreach target as first loaded (8 to 12, citing a CMHT audit) is kept by a plain load and
    corrected when named, as the README says."""
    GuidanceTarget.objects.filter(slug="assertive-outreach-caseload").update(
        comparator="between", value=Decimal("8"), value_max=Decimal("12"), source_label="Tyrer and others (2000)"
    )
    call_command("load_reference_data", stdout=io.StringIO())
    assert GuidanceTarget.objects.get(slug="assertive-outreach-caseload").value_max == 12
    call_command(
        "load_reference_data",
        "--update",
        "--only",
        "planning.guidancetarget:assertive-outreach-caseload",
        stdout=io.StringIO(),
    )
    outreach = GuidanceTarget.objects.get(slug="assertive-outreach-caseload")
    assert (outreach.comparator, outreach.value, outreach.value_max) == ("at_most", 12, None)
    assert "Tyrer" not in outreach.source_label


def test_migration_marks_existing_targets_and_removes_only_unchanged_superseded_ones():
    from django.apps import apps

    migration = importlib.import_module("planning.migrations.0004_pay_grades_tables_and_target_kinds")
    GuidanceTarget.objects.update(kind="current", unverified=False)
    crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    common = {"scope": "team_type", "team_type": crisis, "year": "2001", "source_url": "https://example.org/"}
    GuidanceTarget.objects.create(
        slug="crht-team-size",
        label="Size",
        wording="As first loaded",
        metric="total_fte",
        comparator="between",
        value=Decimal("14"),
        value_max=Decimal("15"),
        source_label="Guide",
        **common,
    )
    GuidanceTarget.objects.create(
        slug="crht-staff-per-100k",
        label="Per 100k",
        wording="A curator's change",
        metric="total_fte_per_100k",
        comparator="at_least",
        value=Decimal("10"),
        source_label="Guide",
        **common,
    )
    migration.mark_existing_rows(apps, None)
    kinds = dict(GuidanceTarget.objects.values_list("slug", "kind"))
    assert kinds["stepping-forward-crisis-care"] == "historical" and kinds["pcn-mhp-entitlement-2023-24"] == "context"
    assert GuidanceTarget.objects.get(slug="ltwp-approved-clinician-posts").unverified
    assert "crht-team-size" not in kinds  # as first loaded: removed
    assert kinds["crht-staff-per-100k"] == "current"  # changed by a curator: kept


# --- Reference demand and minimum cover (issue 10) --------------------------------------------------------------

ROUND_THE_CLOCK = {"crisis-resolution-home-treatment", "acute-ward", "picu", "secure-ward"}
CARE_HOURS_PER_FTE = 37.5 * 0.78 * 0.60  # the plan defaults: contract hours × productive × direct care = 17.55


def test_every_team_type_has_reference_demand_for_each_of_the_three_tiers():
    for team_type in TeamType.objects.prefetch_related("demand_rates"):
        assert sorted(rate.tier for rate in team_type.demand_rates.all()) == [1, 2, 3], team_type.slug


def test_every_reference_demand_figure_has_a_source_or_says_why_it_is_a_modelling_default():
    for rate in TeamTypeDemand.objects.select_related("team_type"):
        where = (rate.team_type.slug, rate.tier)
        assert rate.source_url or rate.modelling_default, where
        assert rate.source_label, where
        if rate.modelling_default:
            assert "modelling default" in rate.source_label.lower(), where
        assert rate.caseload_per_100k >= 0 and 0 < rate.hours_per_person_per_week <= 168, where


def test_the_crisis_teams_reference_demand_needs_the_2001_guides_14_staff_for_150000_people():
    """20 to 30 people at a time for about 150,000 (the guide, via the UCL CORE study): 25 ÷ 1.5 = 16.67 per 100,000,
    split 6.67 complex, 8 moderate, 2 routine. Hours a week 12, 9 and 6: 1.5 × (6.67 × 12 + 8 × 9 + 2 × 6) =
    1.5 × 164.04 = 246.06 hours, ÷ 17.55 care hours per FTE = 14.02 FTE, the guide's "Total 14 per team"."""
    rates = TeamTypeDemand.objects.filter(team_type__slug="crisis-resolution-home-treatment")
    caseload = sum(rate.caseload_per_100k for rate in rates) * Decimal("1.5")
    assert 20 <= caseload <= 30
    hours = sum(float(rate.caseload_per_100k) * 1.5 * float(rate.hours_per_person_per_week) for rate in rates)
    assert hours == pytest.approx(246.06)
    assert hours / CARE_HOURS_PER_FTE == pytest.approx(14.02, abs=0.01)
    crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    assert {rate.source_url for rate in rates} == {crisis.source_url}


def test_round_the_clock_teams_have_a_cover_rule_with_a_source_or_marked_a_modelling_default():
    for team_type in TeamType.objects.all():
        rule = (team_type.staff_on_shift, team_type.shifts_per_day, team_type.shift_hours)
        if team_type.slug not in ROUND_THE_CLOCK:
            assert rule == (None, None, None), team_type.slug
            continue
        assert None not in rule and team_type.cover_note, team_type.slug
        assert team_type.shifts_per_day * team_type.shift_hours == 24, team_type.slug  # around the clock
        assert bool(team_type.cover_source_url) != team_type.cover_modelling_default, team_type.slug
        if team_type.cover_modelling_default:
            assert "Modelling default" in team_type.cover_note, team_type.slug


def test_the_crisis_teams_cover_is_the_guides_two_trained_staff_at_all_times():
    """Two on duty around the clock: 2 × 24 × 7 = 336 hours a week, ÷ 29.25 productive hours per FTE (37.5 × 0.78)
    = 11.49 FTE: below the 14.02 FTE of demand, so a crisis team at the reference demand is demand-led."""
    crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    hours = crisis.staff_on_shift * crisis.shifts_per_day * crisis.shift_hours * 7
    assert hours == 336 and not crisis.cover_modelling_default
    assert "a minimum of two trained case workers" in crisis.cover_note
    assert float(hours) / (37.5 * 0.78) == pytest.approx(11.49, abs=0.01)


def test_the_team_type_admin_shows_cover_and_reference_demand_and_refuses_half_a_cover_rule(admin_client_fast):
    crisis = TeamType.objects.get(slug="crisis-resolution-home-treatment")
    url = reverse("admin:planning_teamtype_change", args=[crisis.pk])
    page = admin_client_fast.get(url).content.decode()
    assert "Minimum cover (teams open around the clock)" in page and "Clinical staff on each shift" in page
    assert "Reference demand" in page and "Caseload per 100,000 population" in page
    prefixes = set(re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page))
    values = {
        "name": crisis.name,
        "slug": crisis.slug,
        "description": crisis.description,
        "source_url": crisis.source_url,
        "staff_on_shift": "2.0",
        "shifts_per_day": "",
        "shift_hours": "8",
        "cover_note": "",
        "cover_source_url": "https://example.org/cover",
        "cover_modelling_default": "on",
    }
    assert len(prefixes) == 2  # the two inlines: reference demand and required capabilities
    for prefix in prefixes:  # change nothing in them
        values.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client_fast.post(url, values)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Give staff on each shift, shifts a day and hours a shift" in errors["shifts_per_day"][0]
    assert "Say where the cover rule comes from" in errors["cover_note"][0]
    assert "not a modelling default" in errors["cover_modelling_default"][0]
    crisis.refresh_from_db()
    assert crisis.shifts_per_day == 3 and crisis.cover_source_url.startswith("https://www.ucl.ac.uk/")


def test_load_reference_data_adds_reference_demand_and_a_named_team_types_cover_and_runs_twice_unchanged():
    """A database loaded before the planning model has no reference demand and no cover rules: a plain load adds the
    demand rows (new natural keys) and keeps the existing team types; naming a team type writes its cover rule."""
    TeamTypeDemand.objects.all().delete()
    TeamType.objects.update(staff_on_shift=None, shifts_per_day=None, shift_hours=None, cover_note="")
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert TeamTypeDemand.objects.count() == 3 * TeamType.objects.count()
    assert "36 added" in out.getvalue()
    assert TeamType.objects.get(slug="crisis-resolution-home-treatment").staff_on_shift is None  # kept as it was
    call_command(
        "load_reference_data",
        "--update",
        "--only",
        "planning.teamtype:crisis-resolution-home-treatment",
        stdout=io.StringIO(),
    )
    assert TeamType.objects.get(slug="crisis-resolution-home-treatment").staff_on_shift == 2
    before = snapshot()
    again = io.StringIO()
    call_command("load_reference_data", stdout=again)
    assert "0 added, 0 updated" in again.getvalue() and snapshot() == before

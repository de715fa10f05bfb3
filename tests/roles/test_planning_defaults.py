"""What team plans assume about each role (fixtures/reference/roles.yaml), and how the role page shows it: the most
complex need by band with its reason and source, the supervision each FTE needs with its source or marked a modelling
default, and which capabilities every FTE holds (core) or only those who declare them (further)."""

import re

import pytest
from django.urls import reverse

from roles.bands import Band, role_band_allowed
from roles.experience import ceiling_explanation, ceiling_rule_text, complexity_ceiling_for
from roles.models import ComplexityTier, Role, RoleCapability, RoleSource
from tests.factories import client_for, make_user
from tests.helpers import text

pytestmark = pytest.mark.django_db

NEEDS_SUPERVISION = {
    "psychological-wellbeing-practitioner",
    "mental-health-and-wellbeing-practitioner",
    "physician-associate",
    "peer-support-worker",
    "clinical-associate-in-psychology",
    "childrens-wellbeing-practitioner",
    "education-mental-health-practitioner",
    "youth-intensive-psychological-practitioner",
    "nursing-associate",
    "support-time-recovery-worker",
    "assistant-practitioner",
    "pharmacy-technician",
    "resident-doctor-psychiatry-core",
    "resident-doctor-psychiatry-higher",
}
DOCTORS = {
    "consultant-psychiatrist",
    "specialty-doctor-psychiatry",
    "resident-doctor-psychiatry-core",
    "resident-doctor-psychiatry-higher",
}
# Capabilities that need further training or approval for anyone but the roles named here.
FURTHER_UNLESS = {
    "independent-prescribing": DOCTORS,
    "supplementary-prescribing": set(),
    "approved-clinician": {"approved-clinician", "consultant-psychiatrist"},
    "amhp": {"amhp"},
    "best-interests-assessor": set(),
    "section-12-approval": {"consultant-psychiatrist"},
}


def role(slug: str) -> Role:
    return Role.objects.get(slug=slug)


def test_every_role_says_why_its_ceiling_is_what_it_is_with_a_source_or_as_a_modelling_default():
    for each in Role.objects.all():
        assert each.ceiling_reason, each.slug
        assert each.ceiling_source_url or "modelling default" in each.ceiling_reason.lower() or not each.clinical, (
            each.slug
        )


def test_a_full_ceiling_band_lies_inside_the_roles_range_with_a_lower_band_below_it():
    for each in Role.objects.exclude(full_ceiling_band=None):
        assert each.complexity_ceiling > ComplexityTier.ROUTINE, each.slug
        assert role_band_allowed(each, each.full_ceiling_band), each.slug
        lower = [band for band in Band if band < each.full_ceiling_band and role_band_allowed(each, band)]
        assert lower or each.band_trainee, each.slug  # a band below it that a line can be on


@pytest.mark.parametrize(
    ("slug", "band", "tier"),
    [
        ("mental-health-nurse", Band.B5, ComplexityTier.MODERATE),  # newly registered, in preceptorship
        ("mental-health-nurse", Band.B6, ComplexityTier.COMPLEX),
        ("mental-health-nurse", Band.B8A, ComplexityTier.COMPLEX),
        ("occupational-therapist", Band.B5, ComplexityTier.MODERATE),
        ("social-worker", Band.B5, ComplexityTier.MODERATE),  # in the ASYE
        ("social-worker", Band.B6, ComplexityTier.COMPLEX),
        ("clinical-psychologist", Band.B6, ComplexityTier.MODERATE),  # in training
        ("clinical-psychologist", Band.B7, ComplexityTier.COMPLEX),
        ("mental-health-and-wellbeing-practitioner", Band.B4, ComplexityTier.ROUTINE),  # in training
        ("mental-health-and-wellbeing-practitioner", Band.B5, ComplexityTier.MODERATE),
        ("peer-support-worker", Band.B4, ComplexityTier.ROUTINE),
        ("physician-associate", Band.B7, ComplexityTier.MODERATE),
        ("consultant-psychiatrist", Band.CONSULTANT, ComplexityTier.COMPLEX),
        ("specialty-doctor-psychiatry", Band.SPECIALTY_DOCTOR, ComplexityTier.COMPLEX),
        ("resident-doctor-psychiatry-higher", Band.RESIDENT_HIGHER, ComplexityTier.COMPLEX),
        ("resident-doctor-psychiatry-core", Band.RESIDENT_CORE, ComplexityTier.MODERATE),
    ],
)
def test_the_most_complex_need_by_role_and_band(slug, band, tier):
    assert complexity_ceiling_for(role=role(slug), band=band) == tier


def test_the_rule_in_words():
    assert ceiling_rule_text(role("mental-health-nurse")) == "Complex from band 6; moderate below"
    assert ceiling_rule_text(role("nursing-associate")) == "Moderate from band 4; routine below"
    assert ceiling_rule_text(role("peer-support-worker")) == "Routine at every band"
    assert ceiling_rule_text(role("consultant-psychiatrist")) == "Complex"  # one grade only
    explanation = ceiling_explanation(role=role("mental-health-nurse"), band=Band.B5)
    assert explanation.startswith("Mental health nurse on band 5: moderate needs (complex from band 6; moderate")
    assert "preceptorship" in explanation


def test_roles_that_need_supervision_have_hours_supervisors_and_a_source_or_a_modelling_default():
    with_hours = set(Role.objects.exclude(supervision_hours_per_month=None).values_list("slug", flat=True))
    assert with_hours == NEEDS_SUPERVISION
    for each in Role.objects.filter(slug__in=NEEDS_SUPERVISION).prefetch_related("supervisor_roles"):
        assert 0 < each.supervision_hours_per_month <= 10, each.slug
        assert each.supervisor_roles.exists(), each.slug
        assert each.supervision_source_url or "Modelling default" in each.supervision, each.slug


def test_psychiatry_trainees_get_the_colleges_protected_hour_a_week():
    # 1 hour a week × 52 ÷ 12 = 4.33, kept as 4.3 hours a month.
    for slug in ("resident-doctor-psychiatry-core", "resident-doctor-psychiatry-higher"):
        trainee = role(slug)
        assert float(trainee.supervision_hours_per_month) == pytest.approx(52 / 12, abs=0.05)
        assert trainee.supervision_source_url and list(trainee.supervisor_roles.values_list("slug", flat=True)) == [
            "consultant-psychiatrist"
        ]


def test_ceiling_and_supervision_sources_are_listed_among_the_roles_sources():
    sources = set(RoleSource.objects.values_list("role__slug", "url"))
    for slug, ceiling_url, supervision_url in Role.objects.values_list(
        "slug", "ceiling_source_url", "supervision_source_url"
    ):
        for url in {ceiling_url, supervision_url} - {""}:
            assert (slug, url) in sources, (slug, url)


def test_nurses_social_workers_and_occupational_therapists_co_ordinate_care_and_assess_risk_as_core():
    core = set(
        RoleCapability.objects.filter(level=RoleCapability.Level.CORE).values_list("role__slug", "capability__slug")
    )
    for slug in ("mental-health-nurse", "social-worker", "occupational-therapist"):
        assert {(slug, "care-coordination"), (slug, "risk-assessment")} <= core, slug
    for slug in DOCTORS:
        assert {(slug, "independent-prescribing"), (slug, "psychiatric-assessment")} <= core, slug


def test_prescribing_and_mental_health_act_approvals_are_further_except_for_the_roles_that_hold_them_by_definition():
    for link in RoleCapability.objects.filter(capability__slug__in=FURTHER_UNLESS).select_related("role", "capability"):
        expected = "core" if link.role.slug in FURTHER_UNLESS[link.capability.slug] else "further"
        assert link.level == expected, (link.role.slug, link.capability.slug)


def test_the_role_page_shows_the_ceiling_by_band_with_its_reason_and_source(client):
    page = text(client.get(reverse("roles:detail", args=["mental-health-nurse"])))
    ceiling = re.search(r'app-ceiling">(.*?)</div>', page, re.S).group(1)
    assert "Complex from band 6; moderate below" in ceiling
    assert "preceptorship" in ceiling and "Modelling default" in ceiling
    assert 'href="https://www.nhsemployers.org/articles/preceptorships-newly-qualified-staff"' in ceiling
    assert "a team can change it for any staffing line" in ceiling


def test_the_role_page_shows_supervision_hours_with_their_source_or_as_a_modelling_default(client):
    pwp = text(client.get(reverse("roles:detail", args=["psychological-wellbeing-practitioner"])))
    hours = re.search(r'app-supervision-hours">(.*?)</p>', pwp, re.S).group(1)
    assert "6.5 hours a month" in hours and "modelling default" in hours
    trainee = text(client.get(reverse("roles:detail", args=["resident-doctor-psychiatry-core"])))
    hours = re.search(r'app-supervision-hours">(.*?)</p>', trainee, re.S).group(1)
    assert "4.3 hours a month" in hours and "modelling default" not in hours
    assert f'href="{role("resident-doctor-psychiatry-core").supervision_source_url}"' in hours
    nurse = text(client.get(reverse("roles:detail", args=["mental-health-nurse"])))
    assert "app-supervision-hours" not in nurse  # no default: nothing to show


def test_the_comparison_shows_the_rule_and_the_supervision_hours(client):
    url = reverse("roles:compare") + "?roles=mental-health-nurse,psychological-wellbeing-practitioner"
    page = text(client.get(url))
    assert "Complex from band 6; moderate below" in page and "Routine at every band" in page
    assert "6.5 hours a month (modelling default)" in page and "None set" in page


def test_the_api_gives_the_ceiling_by_band_and_the_supervision_source(client):
    data = client.get(reverse("api:role-detail", args=["mental-health-nurse"])).json()
    assert (data["complexity_ceiling"], data["full_ceiling_band"]) == ("complex", "6")
    assert "preceptorship" in data["ceiling_reason"] and data["ceiling_source_url"].startswith("https://")
    trainee = client.get(reverse("api:role-detail", args=["resident-doctor-psychiatry-core"])).json()
    assert trainee["supervision_hours_per_month"] == 4.3 and trainee["supervision_source_url"].startswith("https://")


def test_curators_edit_the_planning_defaults_in_the_role_admin():
    curator = make_user("curator", groups=["Curators"], staff=True)
    nurse = role("mental-health-nurse")
    page = text(client_for(curator).get(reverse("admin:roles_role_change", args=[nurse.pk])))
    for name in ("complexity_ceiling", "full_ceiling_band", "ceiling_reason", "ceiling_source_url"):
        assert f'name="{name}"' in page, name
    assert 'name="supervision_source_url"' in page and "Planning defaults" in page

"""National workforce figures from the planning reference data, shown as context on public role profiles."""

import pytest

from planning.models import GuidanceTarget
from roles.models import Role

pytestmark = pytest.mark.django_db


def test_a_role_profile_shows_the_national_figures_that_name_the_role(client):
    page = client.get("/roles/peer-support-worker/").content.decode()
    assert '<h2 class="nhsuk-heading-m" id="national-figures">National workforce figures</h2>' in page
    for target in GuidanceTarget.objects.filter(scope="national", role__slug="peer-support-worker"):
        assert target.label in page
        assert target.source_url in page
    assert "4,730" in page and "6,500" in page  # the Long Term Workforce Plan's figures, as the source words them
    assert "Secondary source" in page
    # Resting on one secondary page: unverified; the 2023/24 figure's date has passed: historical.
    assert "Unverified: not yet checked against the plan itself" in page
    assert "Historical: its date has passed" in page
    # Figures for other roles are not shown here.
    assert "physician associate" not in page.split('id="national-figures"')[1].split("Sources</h2>")[0].lower()


def test_a_figure_without_a_year_says_so(client):
    page = client.get("/roles/approved-clinician/").content.decode()
    assert "New multi-professional approved clinician posts" in page
    assert "the source gives no year" in page


def test_a_figure_for_a_family_is_shown_on_each_of_its_roles(client):
    nurse = Role.objects.get(slug="mental-health-nurse")
    GuidanceTarget.objects.create(
        slug="test-nursing-family",
        label="Test nursing figure",
        wording="A test figure for the nursing family.",
        scope=GuidanceTarget.Scope.NATIONAL,
        family=nurse.family,
        metric=GuidanceTarget.Metric.NATIONAL_HEADCOUNT,
        comparator=GuidanceTarget.Comparator.AT_LEAST,
        value=10,
        year="2030",
        source_url="https://example.nhs.uk/nursing",
        source_label="Test source",
    )
    for role in Role.objects.filter(family=nurse.family):
        assert "Test nursing figure" in client.get(role.get_absolute_url()).content.decode(), role.slug


def test_a_role_with_no_national_figure_has_no_such_section(client):
    assert not GuidanceTarget.objects.filter(scope="national", role__slug="dietitian").exists()
    assert "National workforce figures" not in client.get("/roles/dietitian/").content.decode()


def test_team_type_targets_are_not_shown_on_role_pages(client):
    """A team-type target is checked on dashboards; it is not a national figure."""
    crisis_peer_target = GuidanceTarget.objects.filter(scope="team_type").first()
    crisis_peer_target.pk = None
    crisis_peer_target.slug = "test-team-target"
    crisis_peer_target.label = "Test team-type target"
    crisis_peer_target.role = Role.objects.get(slug="peer-support-worker")
    crisis_peer_target.save()
    assert "Test team-type target" not in client.get("/roles/peer-support-worker/").content.decode()

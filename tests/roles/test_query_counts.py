"""The public pages run a fixed number of queries: ten times the data takes no more queries than the reference data."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roles.models import (
    Capability,
    CaseStudy,
    Regulator,
    Resource,
    Role,
    RoleCapability,
    RoleFamily,
    RoleSource,
    TrainingRoute,
)
from tests.factories import ROLE_SLUGS
from tests.helpers import result_count

pytestmark = pytest.mark.django_db

CEILING = 15  # queries a public page may ever take
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


def test_the_generated_catalogue_is_ten_times_the_reference_data(client):
    make_ten_times_the_catalogue()
    assert Role.objects.count() == len(ROLE_SLUGS) + EXTRA_ROLES
    assert result_count(client.get("/roles/")) == len(ROLE_SLUGS) + EXTRA_ROLES
    assert result_count(client.get("/roles/?q=practitioner")) > EXTRA_ROLES
    nurse = client.get("/roles/mental-health-nurse/").content.decode()
    assert nurse.count('href="/roles/bulk-role-') >= 40
    assert client.get("/").content.decode().count("/roles/?family=") == RoleFamily.objects.count()
    assert CaseStudy.objects.count() >= 10 * 2 and Resource.objects.count() >= 10 * 12


PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/roles/", id="list"),
    pytest.param("/roles/?q=practitioner", id="search"),
    pytest.param("/roles/?q=practitioner+community&band=5&registered=false", id="search-and-filters"),
    pytest.param("/roles/?band=5&band=8a&registered=true&new_role=false", id="band-and-yes-no-filters"),
    pytest.param(
        "/roles/?family=psychological-professions&capability=low-intensity-interventions", id="family-capability"
    ),
    pytest.param(
        "/roles/?q=practitioner&family=psychological-professions&regulator=bps&band=5", id="search-and-facets"
    ),
    pytest.param("/roles/mental-health-nurse/", id="detail"),
    pytest.param("/roles/compare/?roles=peer-support-worker,mental-health-nurse,social-worker", id="compare"),
    pytest.param("/case-studies/", id="case-studies"),
    pytest.param("/case-studies/?role=lived-experience-connector&setting=education", id="case-studies-filtered"),
    pytest.param("/case-studies/?page=2", id="case-studies-page-2"),
    pytest.param("/case-studies/lived-experience-connector-cheshire-and-wirral/", id="case-study"),
    pytest.param("/resources/", id="resources"),
    pytest.param("/resources/?kind=guide&role=peer-support-worker", id="resources-filtered"),
    pytest.param("/resources/?page=3", id="resources-page-3"),
]


@pytest.mark.parametrize("url", PAGES)
def test_ten_times_the_data_takes_no_more_queries(client, django_assert_max_num_queries, url):
    client.get(url)  # warm up: nothing cached on the first request may count against the base
    with CaptureQueriesContext(connection) as base:
        response = client.get(url)
    assert response.status_code == 200
    assert len(base.captured_queries) <= CEILING

    make_ten_times_the_catalogue()

    with django_assert_max_num_queries(len(base.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(CEILING):
        client.get(url)

"""The reference fixtures: complete, sourced, valid, and idempotent to reload (natural keys)."""

from collections import Counter

import pytest
from django.apps import apps

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
from tests.factories import ROLE_SLUGS, load_reference_data

pytestmark = pytest.mark.django_db

CATALOGUE_MODELS = [
    RoleFamily,
    Regulator,
    Capability,
    Role,
    RoleCapability,
    TrainingRoute,
    RoleSource,
    CaseStudy,
    Resource,
]
M2M_TABLES = [
    Role.related_roles.through,
    Role.supervisor_roles.through,
    CaseStudy.roles.through,
    Resource.roles.through,
]


def snapshot():
    """Every row of the catalogue tables (primary keys included) and every many-to-many link."""
    tables = {}
    for model in CATALOGUE_MODELS + M2M_TABLES:
        tables[model._meta.label] = sorted(model.objects.order_by("pk").values_list(), key=repr)
    return tables


def history_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("roles").get_models()
        if model._meta.label.startswith("roles.Historical")
    }


def test_the_reference_roles_are_loaded_at_least_36():
    assert sorted(Role.objects.values_list("slug", flat=True)) == sorted(ROLE_SLUGS)
    assert len(ROLE_SLUGS) == 42 >= 36


def test_reloading_the_reference_fixtures_changes_nothing():
    before, history_before = snapshot(), history_counts()
    assert len(before["roles.Role"]) == len(ROLE_SLUGS)

    load_reference_data()

    after = snapshot()
    for label in before:
        assert after[label] == before[label], f"reloading changed {label}"
    assert history_counts() == history_before
    # A sample of field values, checked by name rather than through the snapshot.
    associate = Role.objects.get(slug="physician-associate")
    assert associate.name == "Physician associate"
    assert "Physician assistant" in associate.alternative_title_list
    assert associate.family.slug == "physician-associates"
    assert associate.regulator.slug == "gmc"
    nurse = Role.objects.get(slug="mental-health-nurse")
    assert set(nurse.capabilities.values_list("slug", flat=True)) >= {"independent-prescribing", "amhp"}


def test_reloading_makes_no_duplicate_rows():
    load_reference_data()
    for model, key in [
        (Role, ("slug",)),
        (RoleFamily, ("slug",)),
        (Capability, ("slug",)),
        (Regulator, ("slug",)),
        (RoleCapability, ("role_id", "capability_id")),
        (TrainingRoute, ("role_id", "slug")),
        (RoleSource, ("role_id", "url")),
        (CaseStudy, ("slug",)),
        (Resource, ("slug",)),
    ]:
        keys = Counter(model.objects.values_list(*key))
        duplicates = [k for k, n in keys.items() if n > 1]
        assert not duplicates, f"duplicate {model.__name__} rows: {duplicates}"
    for through in M2M_TABLES:
        columns = [f.attname for f in through._meta.fields if f.is_relation]
        links = Counter(through.objects.values_list(*columns))
        assert all(n == 1 for n in links.values()), f"duplicate links in {through._meta.db_table}"
    assert Role.objects.count() == len(ROLE_SLUGS)


def test_every_role_has_a_source():
    without = list(Role.objects.filter(sources__isnull=True).values_list("slug", flat=True))
    assert without == []


def test_every_capability_and_training_route_has_a_source_url():
    assert RoleCapability.objects.count() > 0
    assert TrainingRoute.objects.count() > 0
    assert not RoleCapability.objects.filter(source_url="").exists()
    assert not TrainingRoute.objects.filter(source_url="").exists()


def test_capability_and_route_sources_are_listed_on_the_profile():
    """A fact's source URL is one of the role's sources, so the profile's Sources list shows it."""
    sources = set(RoleSource.objects.values_list("role__slug", "url"))
    missing = [
        (link.role.slug, link.source_url)
        for link in [*RoleCapability.objects.select_related("role"), *TrainingRoute.objects.select_related("role")]
        if (link.role.slug, link.source_url) not in sources
    ]
    assert missing == []


def test_every_role_validates():
    for role in Role.objects.all():
        role.full_clean()  # raises ValidationError with the field and message
    for model in (RoleCapability, TrainingRoute, RoleSource):
        for row in model.objects.all():
            row.full_clean()


def test_related_roles_are_listed_both_ways():
    for role in Role.objects.prefetch_related("related_roles"):
        for other in role.related_roles.all():
            assert other != role
            assert role in other.related_roles.all(), f"{role.slug} -> {other.slug} has no way back"


def test_band_ranges_are_ordered():
    for role in Role.objects.exclude(band_min=None).exclude(band_max=None):
        assert role.band_min <= role.band_max, role.slug


def test_every_family_has_roles():
    empty = list(RoleFamily.objects.filter(roles__isnull=True).values_list("slug", flat=True))
    assert empty == []

"""Read-side queries for the catalogue. Each returns a bounded number of queries, whatever the data size."""

import re
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, QuerySet

from roles.models import Capability, CaseStudy, Resource, Role, RoleCapability, RoleFamily

MAX_COMPARE = 3
SLUG = re.compile(r"[-\w]+")


def families_with_role_counts() -> QuerySet:
    return RoleFamily.objects.annotate(role_count=Count("roles")).order_by("order", "name")


def catalogue_roles() -> QuerySet:
    """Roles for the list page, in family order."""
    return Role.objects.select_related("family", "regulator").order_by("family__order", "family__name", "name")


def role_profile(slug: str) -> Role:
    """A role with everything its profile shows. Raises Role.DoesNotExist."""
    return (
        Role.objects.select_related("family", "regulator")
        .prefetch_related(
            Prefetch("role_capabilities", queryset=RoleCapability.objects.select_related("capability")),
            "training_routes",
            "sources",
            Prefetch("related_roles", queryset=Role.objects.select_related("family").order_by("name")),
            Prefetch("supervisor_roles", queryset=Role.objects.order_by("name")),
            Prefetch("supervises", queryset=Role.objects.order_by("name")),
            Prefetch("case_studies", queryset=CaseStudy.objects.published(), to_attr="published_case_studies"),
            Prefetch("resources", queryset=Resource.objects.order_by("title")),
        )
        .get(slug=slug)
    )


@dataclass
class Comparison:
    roles: list[Role] = field(default_factory=list)
    capabilities: list[Capability] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_compare_slugs(values: list[str]) -> list[str]:
    """`?roles=a,b,c` and `?roles=a&roles=b` both work; order kept, duplicates and blanks dropped."""
    slugs: list[str] = []
    for value in values:
        for slug in value.split(","):
            slug = slug.strip().lower()[:80]
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def comparison(slugs: list[str]) -> Comparison:
    result = Comparison()
    if len(slugs) > MAX_COMPARE:
        result.errors.append(f"You can compare up to {MAX_COMPARE} roles at a time. You chose {len(slugs)}.")
        slugs = slugs[:MAX_COMPARE]
    found = {
        role.slug: role
        for role in Role.objects.filter(slug__in=[slug for slug in slugs if SLUG.fullmatch(slug)])
        .select_related("family", "regulator")
        .prefetch_related(
            Prefetch("role_capabilities", queryset=RoleCapability.objects.select_related("capability")),
            "training_routes",
            Prefetch("supervisor_roles", queryset=Role.objects.order_by("name")),
        )
    }
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        result.errors.append("We could not find these roles: " + ", ".join(unknown) + ".")
    result.roles = [found[slug] for slug in slugs if slug in found]
    if result.roles:
        result.capabilities = list(Capability.objects.all())
    return result


def published_case_studies() -> QuerySet:
    return CaseStudy.objects.published().prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("name")))


def latest_case_studies(*, limit: int = 3) -> list[CaseStudy]:
    """The most recently published, whatever year each story is about (the list page orders by that year)."""
    return list(published_case_studies().order_by(F("published_at").desc(nulls_last=True), "title")[:limit])


def case_study_for(*, slug: str, user) -> CaseStudy:
    """A published case study; curators may also preview unpublished ones. Raises CaseStudy.DoesNotExist."""
    case_studies = CaseStudy.objects.all() if user.has_perm("roles.view_casestudy") else CaseStudy.objects.published()
    return case_studies.prefetch_related(
        Prefetch("roles", queryset=Role.objects.select_related("family").order_by("name"))
    ).get(slug=slug)


def resources() -> QuerySet:
    return Resource.objects.prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("name")))

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from roles import presenters, profile_sections, selectors
from roles.content_filters import CaseStudyFilter, ResourceFilter
from roles.filters import RoleFilter, facet_counts
from roles.models import CaseStudy, Role
from roles.search import MAX_QUERY_LENGTH, search_roles


@require_safe
def home(request):
    context = {
        "families": selectors.families_with_role_counts(),
        "latest_case_studies": selectors.latest_case_studies(),
    }
    return render(request, "roles/home.html", context)


@require_safe
def role_list(request):
    query = request.GET.get("q", "").strip()
    errors = []
    if len(query) > MAX_QUERY_LENGTH:
        errors.append(
            f"Search for {MAX_QUERY_LENGTH} characters or fewer. We searched for the first {MAX_QUERY_LENGTH}."
        )
        query = query[:MAX_QUERY_LENGTH]
    roles = selectors.catalogue_roles()
    if query:
        roles = search_roles(roles, query)
    filterset = RoleFilter(request.GET, queryset=roles)
    filterset.is_valid()
    for field_name, field_errors in filterset.form.errors.items():
        label = filterset.form.fields[field_name].label
        errors.extend(f"{label}: {error} We ignored it." for error in field_errors)
    facet_list = presenters.facets(filterset, facet_counts(filterset, roles))
    context = {
        "query": query,
        "results": list(filterset.filtered_without(roles, None)),
        "facet_list": facet_list,
        "active": presenters.active_filters(request, facet_list, query),
        "errors": errors,
        "grouped": not query,
        "breadcrumbs": [("Home", reverse("roles:home"))],
    }
    return render(request, "roles/role_list.html", context, status=400 if errors else 200)


@require_safe
def role_detail(request, slug):
    try:
        role = selectors.role_profile(slug)
    except Role.DoesNotExist:
        raise Http404("No role with that name") from None
    return render(
        request,
        "roles/role_detail.html",
        {
            "role": role,
            "qualified_bands": presenters.qualified_bands(role),
            "trainee_band": presenters.trainee_band(role),
            "registration_status": presenters.registration_status(role),
            "regulator_text": presenters.regulator_text(role),
            "clinical_text": presenters.clinical_text(role),
            "planning": presenters.planning_defaults(role),
            "sources": presenters.source_rows(role),
            "extra_sections": profile_sections.rendered_sections(role, request),
            "breadcrumbs": [("Home", reverse("roles:home")), ("Roles", reverse("roles:list"))],
        },
    )


@require_safe
def compare(request):
    slugs = selectors.parse_compare_slugs(request.GET.getlist("roles"))
    result = selectors.comparison(slugs)
    if not slugs:
        result.errors.append("Choose 2 or 3 roles to compare.")
    context = {
        "comparison": result,
        "rows": presenters.compare_rows(result.roles),
        "capability_rows": presenters.capability_rows(result.roles, result.capabilities),
        "breadcrumbs": [("Home", reverse("roles:home")), ("Roles", reverse("roles:list"))],
    }
    return render(request, "roles/compare.html", context, status=400 if result.errors and not result.roles else 200)


def _page(request, queryset, per_page=10):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def _filtered_list(request, filterset_class, queryset, template, extra):
    filterset = filterset_class(request.GET, queryset=queryset)
    filterset.is_valid()
    field_errors = [
        (f"id_{name}", f"{filterset.form.fields[name].label}: {' '.join(errors)}")
        for name, errors in filterset.form.errors.items()
    ]
    page = _page(request, filterset.qs)
    params = request.GET.copy()
    params.pop("page", None)
    context = {"filterset": filterset, "page": page, "field_errors": field_errors, "query_string": params.urlencode()}
    return render(request, template, {**context, **extra}, status=400 if field_errors else 200)


@require_safe
def case_study_list(request):
    return _filtered_list(
        request,
        CaseStudyFilter,
        selectors.published_case_studies(),
        "roles/case_study_list.html",
        {"breadcrumbs": [("Home", reverse("roles:home"))]},
    )


@require_safe
def case_study_detail(request, slug):
    try:
        case_study = selectors.case_study_for(slug=slug, user=request.user)
    except CaseStudy.DoesNotExist:
        raise Http404("No case study with that name") from None
    return render(
        request,
        "roles/case_study_detail.html",
        {
            "case_study": case_study,
            "preview": case_study.status != CaseStudy.Status.PUBLISHED,
            "breadcrumbs": [("Home", reverse("roles:home")), ("Case studies", reverse("roles:case-studies"))],
        },
    )


@require_safe
def resource_list(request):
    return _filtered_list(
        request,
        ResourceFilter,
        selectors.resources(),
        "roles/resource_list.html",
        {"breadcrumbs": [("Home", reverse("roles:home"))]},
    )

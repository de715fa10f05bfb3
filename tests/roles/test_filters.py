"""Catalogue filters: each facet through RoleFilter and through /roles/, combinations, and the facet counts."""

import pytest

from roles.filters import RoleFilter, covers_band
from roles.models import Role
from roles.presenters import qualified_bands
from roles.search import search_roles
from tests.factories import make_role
from tests.helpers import checked_options, facet_options, query_dict, result_count, result_slugs

pytestmark = pytest.mark.django_db


def slug_set(queryset) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


def filtered(params: dict, queryset=None) -> set[str]:
    """Slugs RoleFilter keeps for `params` (valid input only)."""
    filterset = RoleFilter(query_dict(params), queryset=queryset if queryset is not None else Role.objects.all())
    assert filterset.is_valid(), filterset.errors
    return slug_set(filterset.qs)


def listed(client, params: dict) -> list[str]:
    """Slugs /roles/ lists for `params`, after checking the count line agrees with the list."""
    response = client.get("/roles/", params)
    assert response.status_code == 200
    slugs = result_slugs(response)
    assert result_count(response) == len(slugs)
    assert len(set(slugs)) == len(slugs), "a role is listed twice"
    return slugs


def with_capabilities(*capabilities) -> set[str]:
    queryset = Role.objects.all()
    for capability in capabilities:
        queryset = queryset.filter(pk__in=Role.objects.filter(role_capabilities__capability__slug=capability))
    return slug_set(queryset)


# --- each facet: (query parameters, expected roles computed from the data, roles that must be among them) -------

FACET_CASES = [
    pytest.param(
        {"family": ["nursing"]},
        lambda: slug_set(Role.objects.filter(family__slug="nursing")),
        {"mental-health-nurse", "nursing-associate"},
        id="family-one",
    ),
    pytest.param(
        {"family": ["nursing", "pharmacy"]},
        lambda: slug_set(Role.objects.filter(family__slug__in=["nursing", "pharmacy"])),
        {"mental-health-nurse", "nursing-associate", "mental-health-pharmacist", "pharmacy-technician"},
        id="family-several-widen",
    ),
    pytest.param(
        {"capability": ["amhp"]},
        lambda: with_capabilities("amhp"),
        {"social-worker", "mental-health-nurse", "amhp"},
        id="capability-one",
    ),
    pytest.param(
        {"capability": ["amhp", "independent-prescribing"]},
        lambda: with_capabilities("amhp", "independent-prescribing"),
        {"mental-health-nurse"},
        id="capability-several-narrow",
    ),
    pytest.param(
        {"regulator": ["hcpc"]},
        lambda: slug_set(Role.objects.filter(regulator__slug="hcpc")),
        {"occupational-therapist", "clinical-psychologist"},
        id="regulator-one",
    ),
    pytest.param(
        {"regulator": ["nmc", "gphc"]},
        lambda: slug_set(Role.objects.filter(regulator__slug__in=["nmc", "gphc"])),
        {"mental-health-nurse", "pharmacy-technician"},
        id="regulator-several-widen",
    ),
    pytest.param(
        {"band": ["5"]},
        lambda: slug_set(Role.objects.filter(covers_band(5))),
        {"psychological-wellbeing-practitioner", "occupational-therapist"},
        id="band-one",
    ),
    pytest.param(
        {"band": ["3", "7"]},
        lambda: slug_set(Role.objects.filter(covers_band(3) | covers_band(7))),
        {"peer-support-worker", "clinical-psychologist", "advanced-practitioner"},
        id="band-several-widen",
    ),
    pytest.param(
        {"registered": "true"},
        lambda: slug_set(Role.objects.filter(registered=True)),
        {"mental-health-nurse", "social-worker"},
        id="registered-yes",
    ),
    pytest.param(
        {"registered": "false"},
        lambda: slug_set(Role.objects.filter(registered=False)),
        {"peer-support-worker", "psychological-wellbeing-practitioner"},
        id="registered-no",
    ),
    pytest.param(
        {"new_role": "true"},
        lambda: slug_set(Role.objects.filter(is_new_role=True)),
        {"peer-support-worker", "physician-associate"},
        id="new-role-yes",
    ),
    pytest.param(
        {"new_role": "false"},
        lambda: slug_set(Role.objects.filter(is_new_role=False)),
        {"mental-health-nurse", "clinical-psychologist"},
        id="new-role-no",
    ),
    pytest.param(
        {"registered": "false", "new_role": "true", "band": ["5"]},
        lambda: slug_set(Role.objects.filter(covers_band(5), registered=False, is_new_role=True)),
        {"psychological-wellbeing-practitioner", "education-mental-health-practitioner"},
        id="combined-band-registered-new",
    ),
    pytest.param(
        {"family": ["psychological-professions", "pharmacy"], "registered": "true"},
        lambda: slug_set(
            Role.objects.filter(family__slug__in=["psychological-professions", "pharmacy"], registered=True)
        ),
        {"clinical-psychologist", "mental-health-pharmacist"},
        id="combined-family-registered",
    ),
    pytest.param(
        {"capability": ["low-intensity-interventions"], "regulator": ["bps"], "new_role": "true"},
        lambda: with_capabilities("low-intensity-interventions") & slug_set(Role.objects.filter(regulator__slug="bps")),
        {"psychological-wellbeing-practitioner", "childrens-wellbeing-practitioner"},
        id="combined-capability-regulator-new",
    ),
]


@pytest.mark.parametrize(("params", "expected", "anchors"), FACET_CASES)
def test_role_filter(params, expected, anchors):
    found = filtered(params)
    assert found == expected()
    assert anchors <= found
    assert found != slug_set(Role.objects.all())


@pytest.mark.parametrize(("params", "expected", "anchors"), FACET_CASES)
def test_role_list_view_filters(client, params, expected, anchors):
    slugs = listed(client, params)
    assert set(slugs) == expected()
    assert anchors <= set(slugs)
    # The chosen options show as chosen in the form.
    response = client.get("/roles/", params)
    chosen = checked_options(response)
    for name, values in params.items():
        assert sorted(chosen[name]) == sorted(values if isinstance(values, list) else [values])


def test_capabilities_must_all_match_not_any():
    """The capability facet is the one that narrows: not amhp-only or approved-clinician-only roles."""
    found = filtered({"capability": ["amhp", "approved-clinician"]})
    assert found == with_capabilities("amhp") & with_capabilities("approved-clinician")
    assert "amhp" not in found  # an AMHP is not an approved clinician
    assert "approved-clinician" not in found


def test_yes_no_facets_split_the_catalogue():
    everyone = slug_set(Role.objects.all())
    for facet in ("registered", "new_role"):
        yes, no = filtered({facet: "true"}), filtered({facet: "false"})
        assert yes and no
        assert yes.isdisjoint(no)
        assert yes | no == everyone
        assert filtered({facet: ""}) == everyone


# --- bands: a role is found under every band its range covers ----------------------------------------------


@pytest.fixture
def banded_roles():
    return {
        "five-to-six": make_role(slug="band-test-5-6", band_min=5, band_max=6),
        "seven-to-8a": make_role(slug="band-test-7-8a", band_min=7, band_max=8),
        "no-band": make_role(slug="band-test-none"),
    }


@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        (["4"], set()),
        (["5"], {"five-to-six"}),
        (["6"], {"five-to-six"}),
        (["7"], {"seven-to-8a"}),
        (["8a"], {"seven-to-8a"}),
        (["8b"], set()),
        (["5", "8a"], {"five-to-six", "seven-to-8a"}),
        (["2", "3", "4"], set()),
    ],
)
def test_band_filter_covers_the_range(banded_roles, bands, expected):
    queryset = Role.objects.filter(slug__startswith="band-test-")
    found = filtered({"band": bands}, queryset)
    assert found == {banded_roles[key].slug for key in expected}


def test_band_filter_through_the_view(client, banded_roles):
    assert banded_roles["five-to-six"].slug in listed(client, {"band": ["6"]})
    assert banded_roles["five-to-six"].slug not in listed(client, {"band": ["7"]})
    assert banded_roles["no-band"].slug not in listed(client, {"band": ["5"]})


def test_role_with_one_band_bound_is_found_under_the_band_its_profile_shows(client):
    role = make_role(slug="band-test-6-only", band_min=6, band_max=None)
    assert qualified_bands(role) == "Band 6 or above (upper band not confirmed)"
    assert role.slug in filtered({"band": ["6"]})
    assert role.slug in listed(client, {"band": ["6"]})


# --- search and filters together ------------------------------------------------------------------------------


def test_search_and_band_filter_combine(client):
    matches = slug_set(search_roles(Role.objects.all(), "practitioner"))
    band_five = slug_set(Role.objects.filter(covers_band(5)))
    slugs = listed(client, {"q": "practitioner", "band": ["5"]})
    assert set(slugs) == matches & band_five
    assert 0 < len(slugs) < len(matches)
    # Ranked, not grouped by family: same order as the search alone, with the others left out.
    ranked = [slug for slug in listed(client, {"q": "practitioner"}) if slug in band_five]
    assert slugs == ranked


def test_search_and_family_filter_combine(client):
    matches = slug_set(search_roles(Role.objects.all(), "practitioner"))
    family = slug_set(Role.objects.filter(family__slug="psychological-professions"))
    slugs = listed(client, {"q": "practitioner", "family": ["psychological-professions"]})
    assert set(slugs) == matches & family
    assert "advanced-practitioner" in matches and "advanced-practitioner" not in slugs


# --- facet counts: the count beside an option is the number of results you get by choosing it ---------------


def choosing(params: dict, facet: str, value: str, chosen: dict[str, list[str]]) -> dict:
    """The query after choosing `value`: capabilities add up (and); an or-facet with nothing chosen gains the
    option; otherwise (radios, or another option of an or-facet already chosen) the option replaces the choice."""
    new = {key: list(values) if isinstance(values, list) else [values] for key, values in params.items()}
    if facet == "capability" or (facet in ("family", "regulator", "band") and not chosen.get(facet)):
        new[facet] = [*new.get(facet, []), value]
    else:
        new[facet] = [value]
    return new


FACET_COUNT_CASES = [
    ({}, ["band", "registered", "new_role"]),
    ({}, ["family", "capability", "regulator"]),
    ({"registered": "false"}, ["band", "new_role"]),
    ({"q": "practitioner"}, ["band", "registered", "new_role"]),
    ({"q": "practitioner"}, ["family", "capability"]),
    ({"band": ["5"]}, ["band", "regulator"]),
    ({"capability": ["amhp"]}, ["capability", "family"]),
    ({"family": ["psychological-professions"], "new_role": "true"}, ["family", "registered", "band"]),
]


def _facet_count_param(params, facets):
    label = "&".join(f"{k}={v}" for k, v in params.items()) or "nothing-chosen"
    return pytest.param(params, facets, id=f"{label}:{','.join(facets)}")


@pytest.mark.parametrize(("params", "facets"), [_facet_count_param(p, f) for p, f in FACET_COUNT_CASES])
def test_facet_counts_match_the_results_of_choosing_the_option(client, params, facets):
    response = client.get("/roles/", params)
    assert response.status_code == 200
    total = result_count(response)
    options = facet_options(response)
    chosen = checked_options(response)
    checked = 0
    for (facet, value), shown in options.items():
        if facet not in facets:
            continue
        after = client.get("/roles/", choosing(params, facet, value, chosen))
        assert after.status_code == 200
        assert result_count(after) == shown, f"{facet}={value}: shown {shown}, choosing it gives {result_count(after)}"
        checked += 1
    assert checked >= 4
    # Each role has exactly one family and one yes/no value, so the unchosen facets' counts add up to the results.
    for facet in ("family", "registered", "new_role"):
        if facet in facets and not chosen.get(facet):
            assert sum(n for (name, _), n in options.items() if name == facet) == total


def test_facet_counts_follow_the_search(client):
    everything = facet_options(client.get("/roles/"))
    searched = facet_options(client.get("/roles/", {"q": "peer"}))
    assert searched[("new_role", "true")] < everything[("new_role", "true")]
    assert sum(n for (facet, _), n in searched.items() if facet == "registered") == len(
        slug_set(search_roles(Role.objects.all(), "peer"))
    )


def test_every_option_has_a_count(client):
    options = facet_options(client.get("/roles/"))
    facets = {facet for facet, _ in options}
    assert facets == {"family", "capability", "regulator", "band", "registered", "new_role"}
    assert options[("family", "nursing")] == Role.objects.filter(family__slug="nursing").count()
    assert options[("capability", "amhp")] == len(with_capabilities("amhp"))
    assert options[("regulator", "hcpc")] == Role.objects.filter(regulator__slug="hcpc").count()
    assert options[("band", "5")] == Role.objects.filter(covers_band(5)).count()
    assert options[("registered", "true")] == Role.objects.filter(registered=True).count()
    assert options[("new_role", "false")] == Role.objects.filter(is_new_role=False).count()

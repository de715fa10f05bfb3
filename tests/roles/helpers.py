"""Shared helpers for the catalogue tests: the reference role slugs, test roles and HTML parsing."""

import datetime
import itertools
import re
from html import unescape
from urllib.parse import urlencode

from django.http import QueryDict

from roles.models import Role, RoleFamily

# The 29 roles in fixtures/reference/roles.yaml.
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
]

TITLE_SUFFIX = "– NWWMH Portal"

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


def qs(**params) -> str:
    """A query string from keyword arguments; list values repeat the parameter."""
    return urlencode(params, doseq=True)


def query_dict(params: dict) -> QueryDict:
    return QueryDict(urlencode(params, doseq=True))


def text(response) -> str:
    return response.content.decode()


def page_title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", text(response), re.S)
    assert match, "page has no <title>"
    return unescape(match.group(1)).strip()


def result_count(response) -> int:
    """The number in the result count line of /roles/ (`<p id="result-count"><strong>N</strong> roles`)."""
    match = re.search(r'id="result-count"[^>]*><strong>(\d+)</strong>', text(response))
    assert match, "no result count on the page"
    return int(match.group(1))


def result_slugs(response) -> list[str]:
    """Slugs of the results listed on /roles/, in page order (from the compare checkboxes)."""
    return re.findall(r'id="compare-([^"]+)" name="roles" type="checkbox"', text(response))


def facet_options(response) -> dict[tuple[str, str], int]:
    """{(facet, value): count shown beside the option} for every facet option on /roles/."""
    html = text(response)
    found = {}
    for facet, value, count in re.findall(
        r'<label class="nhsuk-label [^"]*" for="([a-z_]+)-([^"]+)">[^<]*<span class="app-facet-count">\((\d+)', html
    ):
        found[(facet, unescape(value))] = int(count)
    return found


def checked_options(response) -> dict[str, list[str]]:
    """{facet: [checked values]} read from the filter form."""
    html = text(response)
    checked: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input class="nhsuk-(?:checkboxes|radios)__input" id="[^"]*" name="([a-z_]+)" '
        r'type="(?:checkbox|radio)" value="([^"]+)" checked>',
        html,
    ):
        checked.setdefault(name, []).append(unescape(value))
    return checked


def active_filter_links(response) -> dict[str, str]:
    """{label: remove link} of the active filters on /roles/."""
    html = text(response)
    block = re.search(r'<ul class="app-active-filters">(.*?)</ul>', html, re.S)
    if not block:
        return {}
    return {
        unescape(label).strip(): unescape(href)
        for href, label in re.findall(r'<li><a href="([^"]*)">(.*?) <span class="nhsuk-u-visually-hidden">', block[1])
    }

"""The public case study and resource pages: filters, order, pagination, links from role profiles, bad input."""

import datetime
import re

import pytest
from django.utils import timezone

from roles.models import CaseStudy, Role

pytestmark = pytest.mark.django_db


CAPABLE_TEAMS = "https://www.hsj.co.uk/home/a-flexible-approach-from-new-ways-of-working/54566.article"  # a guide


def test_resources_filter_by_kind(client):
    response = client.get("/resources/?kind=report")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mental Health: New Ways of Working for Everyone" in page
    assert "Transforming mental health social work" in page
    assert CAPABLE_TEAMS not in page


def test_resources_filter_by_role(client):
    page = client.get("/resources/?role=peer-support-worker").content.decode()
    assert "Competence framework for mental health peer support workers" in page
    assert "Transforming mental health social work" not in page
    assert CAPABLE_TEAMS not in page  # linked to no role


def test_resources_filters_combine(client):
    page = client.get("/resources/?kind=guide&role=advanced-practitioner").content.decode()
    assert "Advanced practice in mental health: implementation guide" in page
    assert "Multi-professional approved clinician implementation guide" not in page  # a toolkit for another role
    nothing = client.get("/resources/?kind=film&role=advanced-practitioner")
    assert nothing.status_code == 200


def test_a_role_profile_lists_its_resources(client):
    page = client.get("/roles/social-worker/").content.decode()
    assert "Transforming mental health social work" in page
    assert "https://www.hee.nhs.uk/our-work/mental-health/new-roles-mental-health/social-workers" in page
    assert "Competence framework for mental health peer support workers" not in page


def make_published(n, year):
    case_study = CaseStudy.objects.create(
        slug=f"story-{n}",
        title=f"Story {n}",
        organisation="An NHS trust",
        setting=CaseStudy.Setting.COMMUNITY,
        year=year,
        summary="Summary.",
        body="Body.",
        source_url="https://example.nhs.uk/story",
        source_title="A story",
        status=CaseStudy.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    case_study.roles.add(Role.objects.get(slug="peer-support-worker"))
    return case_study


def test_case_studies_are_newest_first_and_paginated(client):
    for n, year in enumerate([2019, 2024, 2021, 2023, 2020, 2022, 2018, 2017, 2016, 2015, 2014, 2013]):
        make_published(n, year)
    first = client.get("/case-studies/?role=peer-support-worker")
    titles = re.findall(r'href="/case-studies/(story-\d+)/"', first.content.decode())
    years = {f"story-{n}": year for n, year in enumerate([2019, 2024, 2021, 2023, 2020, 2022, 2018, 2017, 2016, 2015])}
    assert titles[:3] == ["story-1", "story-3", "story-5"]  # 2024, 2023, 2022
    assert len(titles) == 10
    assert [years[t] for t in titles if t in years] == sorted((years[t] for t in titles if t in years), reverse=True)
    second = client.get("/case-studies/?role=peer-support-worker&page=2")
    assert re.findall(r'href="/case-studies/(story-\d+)/"', second.content.decode()) == ["story-10", "story-11"]
    # The next-page link keeps the filter.
    assert "role=peer-support-worker&amp;page=2" in first.content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/case-studies/?role=no-such-role", "Role: Select a valid choice"),
        ("/case-studies/?setting=moon", "Setting: Select a valid choice"),
        ("/resources/?kind=poster", "Kind: Select a valid choice"),
        ("/resources/?role=%00", "Role: Null characters are not allowed"),
        ("/case-studies/?role=" + "x" * 5000, "Role: Select a valid choice"),
    ],
)
def test_an_unknown_filter_value_is_a_clear_error(client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "nhsuk-error-summary" in page
    assert message in page


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5"])
def test_odd_page_numbers_show_a_page(client, page):
    response = client.get(f"/case-studies/?page={page}")
    assert response.status_code == 200
    assert b"/case-studies/lived-experience-connector-cheshire-and-wirral/" in response.content


def test_the_home_page_shows_the_most_recently_published_case_studies(client):
    older_story = make_published(1, 2012)  # about 2012, but published just now
    page = client.get("/").content.decode()
    assert older_story.get_absolute_url() in page
    CaseStudy.objects.filter(pk=older_story.pk).update(published_at=timezone.now() - datetime.timedelta(days=1))
    for n, year in enumerate([2020, 2021, 2022], start=2):
        make_published(n, year)
    page = client.get("/").content.decode()
    assert older_story.get_absolute_url() not in page  # three stories were published after it
    assert all(f"/case-studies/story-{n}/" in page for n in (2, 3, 4))

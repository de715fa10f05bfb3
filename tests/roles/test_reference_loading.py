"""`manage.py load_reference_data` adds missing reference rows and keeps what curators changed."""

import io

import pytest
from django.core.management import call_command

from planning.models import PayScale
from roles.models import CaseStudy, Resource, Role

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


def counts():
    return Role.objects.count(), CaseStudy.objects.count(), Resource.objects.count(), PayScale.objects.count()


def test_loading_over_the_loaded_data_changes_nothing():
    before = counts()
    assert " 0 added, 0 updated, " in load()
    assert counts() == before


def test_curators_edits_are_kept_and_missing_rows_come_back():
    nurse = Role.objects.get(slug="mental-health-nurse")
    nurse.summary = "A curator's better summary."
    nurse.save()
    story = CaseStudy.objects.get(slug="lived-experience-connector-cheshire-and-wirral")
    story.status = CaseStudy.Status.ARCHIVED
    story.save()
    Resource.objects.get(slug="creating-capable-teams-approach").delete()

    assert "1 added, 0 updated, " in load()

    nurse.refresh_from_db()
    story.refresh_from_db()
    assert nurse.summary == "A curator's better summary."
    assert story.status == CaseStudy.Status.ARCHIVED
    assert Resource.objects.get(slug="creating-capable-teams-approach").roles.count() == 0
    assert "0 added, 0 updated, " in load()  # and again: nothing more


def test_update_puts_the_files_version_back():
    nurse = Role.objects.get(slug="mental-health-nurse")
    original = nurse.summary
    nurse.summary = "Changed."
    nurse.save()
    output = load("--update")
    assert "0 added, " in output and " 0 updated" not in output
    nurse.refresh_from_db()
    assert nurse.summary == original


def test_a_named_file_alone_can_be_loaded(tmp_path):
    Resource.objects.get(slug="creating-capable-teams-approach").delete()
    assert "1 added, 0 updated, " in load("fixtures/reference/content.yaml")

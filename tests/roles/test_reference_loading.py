"""`manage.py load_reference_data` adds missing reference rows and keeps what curators changed."""

import io

import pytest
from django.core.management import CommandError, call_command

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


# --- a database that already has the old facts -------------------------------------------------------------------


def test_new_roles_are_added_to_an_existing_database_without_touching_curators_edits():
    """A database loaded before the new roles existed: they (and their sources) are added, edits are kept."""
    Role.objects.filter(slug__in=["consultant-psychiatrist", "team-manager"]).delete()
    nurse = Role.objects.get(slug="mental-health-nurse")
    nurse.summary = "A curator's better summary."
    nurse.save()

    output = load()

    assert output.startswith("Reference data: ") and " 0 updated, " in output
    added = int(output.split("Reference data: ", 1)[1].split(" added", 1)[0])
    assert added >= 2 + 2  # two roles and at least their sources
    consultant = Role.objects.get(slug="consultant-psychiatrist")
    assert consultant.sources.count() >= 1
    assert Role.objects.get(slug="team-manager").clinical is False
    nurse.refresh_from_db()
    assert nurse.summary == "A curator's better summary."
    # The physician associate's row existed, so it is kept as it was, without the new supervisor link ...
    assert not consultant.supervises.filter(slug="physician-associate").exists()
    # ... until the corrected role is taken on purpose.
    load("--update", "--only", "roles.role:physician-associate")
    assert consultant.supervises.filter(slug="physician-associate").exists()
    nurse.refresh_from_db()
    assert nurse.summary == "A curator's better summary."


def old_physician_associate_facts():
    """Put the physician associate back as an older load had it, and add a curator's own source."""
    associate = Role.objects.get(slug="physician-associate")
    associate.scope_of_practice = "At least two years' experience before working in primary care."
    associate.unconfirmed = "Whether the government accepted the Leng review's recommendations"
    associate.save()
    associate.sources.filter(url="https://www.nhsemployers.org/articles/recommendations-leng-review").delete()
    associate.sources.create(url="https://example.org/stale", title="A stale source", supports="Nothing now")
    link = associate.role_capabilities.get(capability__slug="psychiatric-assessment")
    link.note = "Old note."
    link.save()
    return associate


def test_plain_load_keeps_the_old_fact():
    associate = old_physician_associate_facts()
    load()
    associate.refresh_from_db()
    assert associate.scope_of_practice.startswith("At least two years")
    # the missing source row is added, as every missing row is
    assert associate.sources.filter(url="https://www.nhsemployers.org/articles/recommendations-leng-review").exists()


def test_targeted_update_replaces_one_roles_facts_only():
    associate = old_physician_associate_facts()
    nurse = Role.objects.get(slug="mental-health-nurse")
    nurse.summary = "A curator's better summary."
    nurse.save()
    nurse_sources = set(nurse.sources.values_list("url", flat=True))

    output = load("--update", "--only", "roles.role:physician-associate")

    associate.refresh_from_db()
    assert "two years in secondary care before working in primary care or a mental health trust" in (
        associate.scope_of_practice
    )
    assert "accepted" not in associate.unconfirmed
    urls = set(associate.sources.values_list("url", flat=True))
    assert "https://www.nhsemployers.org/articles/recommendations-leng-review" in urls
    assert "https://example.org/stale" not in urls
    assert associate.role_capabilities.get(capability__slug="psychiatric-assessment").note != "Old note."
    nurse.refresh_from_db()
    assert nurse.summary == "A curator's better summary."
    assert set(nurse.sources.values_list("url", flat=True)) == nurse_sources
    assert (
        "Replaced from the files: roles.role:physician-associate; 1 of their rows no longer in the files removed."
        in (output)
    )
    assert ", 0 kept as they are." not in output  # every other existing row was kept

    again = load("--update", "--only", "roles.role:physician-associate")
    assert "0 of their rows no longer in the files removed" in again
    assert "0 added, " in again


def test_targeted_update_of_a_case_study_leaves_the_roles_alone():
    story = CaseStudy.objects.get(slug="lived-experience-connector-cheshire-and-wirral")
    original = story.summary
    story.summary = "Changed."
    story.save()
    nurse = Role.objects.get(slug="mental-health-nurse")
    nurse.summary = "Changed too."
    nurse.save()
    load("--update", "--only", "roles.casestudy:lived-experience-connector-cheshire-and-wirral")
    story.refresh_from_db()
    nurse.refresh_from_db()
    assert story.summary == original
    assert nurse.summary == "Changed too."


def test_only_needs_update_and_a_name_in_the_files():
    associate = old_physician_associate_facts()
    with pytest.raises(CommandError, match="use it with --update"):
        load("--only", "roles.role:physician-associate")
    with pytest.raises(CommandError, match="nothing in the fixtures is roles.role:no-such-role"):
        load("--update", "--only", "roles.role:physician-associate", "--only", "roles.role:no-such-role")
    with pytest.raises(CommandError, match="app.model:natural-key"):
        load("--update", "--only", "physician-associate")
    with pytest.raises(CommandError, match="no model"):
        load("--update", "--only", "roles.nothing:x")
    associate.refresh_from_db()  # the failed run changed nothing: one transaction
    assert associate.scope_of_practice.startswith("At least two years")
    assert associate.sources.filter(url="https://example.org/stale").exists()

"""Bulk downloads of the whole catalogue: zipped CSV (one file a table), JSON and XLSX, each stamped with the data's
version and date and stating the Open Government Licence; only published case studies."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from roles.api import bulk
from roles.models import CaseStudy, Role, RoleCapability, TrainingRoute
from tests.factories import make_case_study

pytestmark = pytest.mark.django_db

TABLES = {
    "role_families",
    "regulators",
    "capabilities",
    "roles",
    "role_capabilities",
    "training_routes",
    "role_sources",
    "related_roles",
    "role_supervisors",
    "case_studies",
    "case_study_roles",
    "resources",
    "resource_roles",
}


def download(client, extension):
    response = client.get(f"/api/v1/downloads/catalogue.{extension}")
    assert response.status_code == 200
    assert response["Content-Type"] == bulk.FORMATS[extension]
    return response


def test_zip_has_one_csv_a_table_and_the_stamp(client):
    response = download(client, "zip")
    data = bulk.catalogue()
    assert response["Content-Disposition"] == f'attachment; filename="{data.filename("zip")}"'
    assert data.version in response["Content-Disposition"]
    assert data.generated_on.isoformat() in response["Content-Disposition"]
    assert response["X-Data-Version"] == data.version
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {"about.json"} | {f"{name}.csv" for name in TABLES}
    about = json.loads(archive.read("about.json"))
    assert about["version"] == data.version
    assert about["generated_on"] == data.generated_on.isoformat()
    assert about["licence"]["name"] == "Open Government Licence v3.0"
    assert about["licence"]["url"].startswith("https://www.nationalarchives.gov.uk/doc/open-government-licence/")
    roles = list(csv.DictReader(io.StringIO(archive.read("roles.csv").decode("utf-8-sig"))))
    assert len(roles) == Role.objects.count()
    nurse = next(row for row in roles if row["slug"] == "mental-health-nurse")
    assert nurse["family"] == "nursing" and nurse["regulator"] == "nmc" and nurse["registered"] == "True"
    links = list(csv.DictReader(io.StringIO(archive.read("role_capabilities.csv").decode("utf-8-sig"))))
    assert len(links) == RoleCapability.objects.count()
    routes = list(csv.DictReader(io.StringIO(archive.read("training_routes.csv").decode("utf-8-sig"))))
    assert len(routes) == TrainingRoute.objects.count()


def test_json_has_every_table_and_the_stamp(client):
    document = download(client, "json").json()
    assert set(document["tables"]) == TABLES
    assert document["version"] == bulk.catalogue().version
    assert document["licence"]["name"] == "Open Government Licence v3.0"
    assert len(document["tables"]["roles"]) == Role.objects.count()
    banded = Role.objects.filter(band_min=5).first()
    role = next(row for row in document["tables"]["roles"] if row["slug"] == banded.slug)
    assert role["band_min"] == "5" and role["complexity_ceiling"] in {"routine", "moderate", "complex"}


def test_xlsx_has_an_about_sheet_and_one_sheet_a_table(client):
    workbook = load_workbook(io.BytesIO(download(client, "xlsx").content), read_only=True)
    assert workbook.sheetnames == ["About", *bulk.catalogue().tables]
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["version"] == bulk.catalogue().version
    assert "Open Government Licence v3.0" in about["licence"]
    rows = list(workbook["roles"].iter_rows(values_only=True))
    assert rows[0][:2] == ("slug", "name")
    assert len(rows) == Role.objects.count() + 1


def test_only_published_case_studies(client):
    make_case_study(None, slug="a-draft")  # a draft about peer support workers
    tables = download(client, "json").json()["tables"]
    assert {row["slug"] for row in tables["case_studies"]} == set(
        CaseStudy.objects.published().values_list("slug", flat=True)
    )
    assert "a-draft" not in {row["case_study"] for row in tables["case_study_roles"]}


def test_the_version_changes_with_the_data_and_only_then():
    day = datetime.date(2026, 12, 1)
    first = bulk.catalogue(today=day)
    assert bulk.catalogue(today=day).version == first.version
    assert bulk.as_zip(bulk.catalogue(today=day)) == bulk.as_zip(first)  # same data, same day: same bytes
    Role.objects.filter(slug="mental-health-nurse").update(summary="Changed.")
    assert bulk.catalogue(today=day).version != first.version


def test_a_repeat_download_is_a_304(client):
    first = download(client, "zip")
    assert first["ETag"].startswith(f'"{first["X-Data-Version"]}-')
    again = client.get("/api/v1/downloads/catalogue.zip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_open_data_page_states_the_licence_and_links_the_downloads(client):
    page = client.get("/open-data/").content.decode()
    assert "Open Government Licence v3.0" in page
    assert 'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"' in page
    for extension in bulk.FORMATS:
        assert f'href="/api/v1/downloads/catalogue.{extension}"' in page
    assert bulk.catalogue().version in page
    assert 'href="/open-data/"' in client.get("/").content.decode()  # in the footer of every page


def test_a_file_is_written_once_per_version_and_day(monkeypatch):
    day = datetime.date(2026, 12, 1)
    written = []
    original = bulk.BUILDERS["xlsx"]
    monkeypatch.setitem(bulk.BUILDERS, "xlsx", lambda data: written.append(data.version) or original(data))
    first = bulk.build(extension="xlsx", today=day)
    assert bulk.build(extension="xlsx", today=day)[1] == first[1]
    assert len(written) == 1
    bulk.build(extension="xlsx", today=day + datetime.timedelta(days=1))
    Role.objects.filter(slug="mental-health-nurse").update(summary="Changed.")
    changed = bulk.build(extension="xlsx", today=day)
    assert changed[0].version != first[0].version
    assert len(written) == 3

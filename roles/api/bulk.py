"""The whole public catalogue in one download: zipped CSV (one file a table), JSON and XLSX.

Each is stamped with the data's version (the first 12 hex digits of the SHA-256 of the tables, so it changes when
and only when the data does) and the date it was made, and states its licence (Open Government Licence v3.0).
Only published case studies are included, as on the public pages. One query a table, whatever the data size.
"""

import csv
import datetime
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from roles.api.serializers import complexity_code, lines
from roles.bands import band_code
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

DATASET = "NWWMH Portal catalogue of mental health workforce roles"
LICENCE = "Open Government Licence v3.0"
CACHE_SECONDS = 60 * 60 * 25  # a file is stamped with its date, so it is not wanted after a day
FORMATS = {
    "zip": "application/zip",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _band(value):
    return band_code(value) if value else None


def _lines(text: str) -> str:
    return "; ".join(lines(text))


def _decimal(value):
    return None if value is None else float(value)


def _rows(queryset, columns: list[str], convert: dict | None = None) -> list[list]:
    convert = convert or {}
    fields = [field for _, field in columns]
    rows = []
    for values in queryset.values_list(*fields):
        rows.append([convert.get(name, lambda v: v)(value) for (name, _), value in zip(columns, values, strict=True)])
    return rows


# table name → (queryset, [(column, ORM field)], {column: conversion})
def _table_specs():
    published = CaseStudy.objects.published()
    return {
        "role_families": (RoleFamily.objects.order_by("order", "name"), ["slug", "name", "description", "order"], {}),
        "regulators": (Regulator.objects.order_by("slug"), ["slug", "name", "short_name", "kind", "url"], {}),
        "capabilities": (
            Capability.objects.order_by("order", "name"),
            ["slug", "name", "group", "description", "order"],
            {},
        ),
        "roles": (
            Role.objects.order_by("slug"),
            [
                "slug",
                "name",
                ("family", "family__slug"),
                "alternative_titles",
                "summary",
                "scope_of_practice",
                ("regulator", "regulator__slug"),
                "registered",
                "registration_note",
                "band_trainee",
                "band_min",
                "band_max",
                "band_note",
                "is_new_role",
                "historic",
                "year_introduced",
                "supervision",
                "supervision_hours_per_month",
                "supervision_source_url",
                "complexity_ceiling",
                "full_ceiling_band",
                "ceiling_reason",
                "ceiling_source_url",
                "unconfirmed",
                "last_reviewed",
            ],
            {
                "alternative_titles": _lines,
                "unconfirmed": _lines,
                "band_trainee": _band,
                "band_min": _band,
                "band_max": _band,
                "supervision_hours_per_month": _decimal,
                "complexity_ceiling": complexity_code,
                "full_ceiling_band": _band,
                "last_reviewed": lambda value: value.isoformat(),
            },
        ),
        "role_capabilities": (
            RoleCapability.objects.order_by("role__slug", "capability__slug"),
            [("role", "role__slug"), ("capability", "capability__slug"), "level", "note", "source_url"],
            {},
        ),
        "training_routes": (
            TrainingRoute.objects.order_by("role__slug", "slug"),
            [("role", "role__slug"), "slug", "name", "kind", "duration_months", "description", "source_url"],
            {},
        ),
        "role_sources": (
            RoleSource.objects.order_by("role__slug", "url"),
            [("role", "role__slug"), "url", "title", "supports", "secondary"],
            {},
        ),
        "related_roles": (
            Role.related_roles.through.objects.order_by("from_role__slug", "to_role__slug"),
            [("role", "from_role__slug"), ("related_role", "to_role__slug")],
            {},
        ),
        "role_supervisors": (
            Role.supervisor_roles.through.objects.order_by("from_role__slug", "to_role__slug"),
            [("role", "from_role__slug"), ("supervisor_role", "to_role__slug")],
            {},
        ),
        "case_studies": (
            published.order_by("slug"),
            [
                "slug",
                "title",
                "organisation",
                "setting",
                "year",
                "summary",
                "body",
                "people_quoted",
                "source_url",
                "source_title",
                "published_at",
            ],
            {
                "people_quoted": _lines,
                "published_at": lambda value: value.isoformat(timespec="seconds") if value else None,
            },
        ),
        "case_study_roles": (
            CaseStudy.roles.through.objects.filter(casestudy__in=published.values("pk")).order_by(
                "casestudy__slug", "role__slug"
            ),
            [("case_study", "casestudy__slug"), ("role", "role__slug")],
            {},
        ),
        "resources": (
            Resource.objects.order_by("slug"),
            ["slug", "title", "kind", "publisher", "year", "summary", "url"],
            {},
        ),
        "resource_roles": (
            Resource.roles.through.objects.order_by("resource__slug", "role__slug"),
            [("resource", "resource__slug"), ("role", "role__slug")],
            {},
        ),
    }


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list]


@dataclass(frozen=True)
class Catalogue:
    tables: dict[str, Table]
    version: str
    generated_on: datetime.date

    @property
    def about(self) -> dict:
        return {
            "dataset": DATASET,
            "version": self.version,
            "generated_on": self.generated_on.isoformat(),
            "licence": {"name": LICENCE, "url": settings.OPEN_GOVERNMENT_LICENCE_URL},
            "attribution": (
                f"Contains public sector information licensed under the {LICENCE}. "
                "Each fact names its own public source (source_url columns)."
            ),
        }

    def filename(self, extension: str) -> str:
        return f"nwwmh-catalogue-{self.generated_on.isoformat()}-{self.version}.{extension}"


def catalogue(*, today: datetime.date | None = None) -> Catalogue:
    tables = {}
    for name, (queryset, columns, convert) in _table_specs().items():
        pairs = [column if isinstance(column, tuple) else (column, column) for column in columns]
        tables[name] = Table(columns=[column for column, _ in pairs], rows=_rows(queryset, pairs, convert))
    canonical = json.dumps({name: [table.columns, table.rows] for name, table in tables.items()}, default=str)
    version = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
    return Catalogue(tables=tables, version=version, generated_on=today or timezone.localdate())


def as_json(data: Catalogue) -> bytes:
    document = {
        **data.about,
        "tables": {
            name: [dict(zip(table.columns, row, strict=True)) for row in table.rows]
            for name, table in data.tables.items()
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(["" if value is None else value for value in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")  # with a byte order mark, so Excel reads UTF-8


def as_zip(data: Catalogue) -> bytes:
    """One CSV a table and `about.json`; entries dated with the generation date, so the same data on the same
    day gives the same bytes."""
    stamp = (data.generated_on.year, data.generated_on.month, data.generated_on.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        files = {"about.json": json.dumps(data.about, indent=1).encode("utf-8")}
        files |= {f"{name}.csv": _csv(table) for name, table in data.tables.items()}
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def as_xlsx(data: Catalogue) -> bytes:
    """An "About" sheet (dataset, version, date, licence), then one sheet a table."""
    workbook = Workbook(write_only=True)
    about = workbook.create_sheet("About")
    for key, value in data.about.items():
        if isinstance(value, dict):
            value = f"{value['name']} ({value['url']})"
        about.append([key, value])
    bold = Font(bold=True)
    for name, table in data.tables.items():
        sheet = workbook.create_sheet(name[:31])
        sheet.append([_bold(sheet, column, bold) for column in table.columns])
        for row in table.rows:
            sheet.append(row)
    workbook.properties.title = DATASET
    workbook.properties.subject = f"Version {data.version}, {data.generated_on.isoformat()}"
    workbook.properties.description = data.about["attribution"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(sheet, value, font):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


BUILDERS = {"zip": as_zip, "json": as_json, "xlsx": as_xlsx}


def build(*, extension: str, today: datetime.date | None = None) -> tuple[Catalogue, bytes]:
    """The download in one format. Reading the tables gives the version; a file already written for that version,
    date and format is taken from the Django cache (an XLSX takes a quarter of a second to write at ten times today's
    data), so repeated downloads cost only the reading."""
    data = catalogue(today=today)
    key = f"bulk-download:{extension}:{data.version}:{data.generated_on.isoformat()}"
    content = cache.get(key)
    if content is None:
        content = BUILDERS[extension](data)
        cache.set(key, content, CACHE_SECONDS)
    return data, content

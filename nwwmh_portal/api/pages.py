"""Pages about the open data: the licence and bulk downloads (/open-data/) and the API documentation
(/api/v1/docs/), rendered on the server from the OpenAPI description."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from nwwmh_portal.api import docs
from nwwmh_portal.api.exceptions import rate_in_words
from roles.api import bulk

DOWNLOADS = [
    ("zip", "CSV files, zipped", "one CSV file a table, with about.json (version, date and licence)"),
    ("json", "JSON", "one document: version, date, licence and every table"),
    ("xlsx", "Excel workbook", "an About sheet, then one sheet a table"),
]


@require_safe
def api_docs(request):
    return render(
        request,
        "api/docs.html",
        {
            "docs": docs.api_docs(),
            "rates": {scope: rate_in_words(rate) for scope, rate in settings.NWWMH_API_RATES.items()},
            "breadcrumbs": [("Home", reverse("roles:home")), ("Open data", reverse("open-data"))],
        },
    )


@require_safe
def open_data(request):
    catalogue = bulk.catalogue()
    tables = [(name, len(table.rows)) for name, table in catalogue.tables.items()]
    return render(
        request,
        "api/open_data.html",
        {
            "catalogue": catalogue,
            "tables": tables,
            "downloads": [
                (reverse(f"api:download-{extension}"), name, what, catalogue.filename(extension))
                for extension, name, what in DOWNLOADS
            ],
            "licence_url": settings.OPEN_GOVERNMENT_LICENCE_URL,
            "breadcrumbs": [("Home", reverse("roles:home"))],
        },
    )

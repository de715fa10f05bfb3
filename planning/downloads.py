"""A file for the browser to save: a private, uncached attachment (plans and their results are not public)."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def private(response: HttpResponse) -> HttpResponse:
    """Neither shared caches nor the browser keep a copy."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def download(*, content, filename: str, extension: str) -> HttpResponse:
    """`content` (text or bytes) as an attachment named `filename`, of the type the `extension` says."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private(response)

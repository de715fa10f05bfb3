"""Agenda for Change pay bands, stored as ordered integers so that ranges compare with <= and >=."""

from django.db import models


class Band(models.IntegerChoices):
    B2 = 2, "Band 2"
    B3 = 3, "Band 3"
    B4 = 4, "Band 4"
    B5 = 5, "Band 5"
    B6 = 6, "Band 6"
    B7 = 7, "Band 7"
    B8A = 8, "Band 8a"
    B8B = 9, "Band 8b"
    B8C = 10, "Band 8c"
    B8D = 11, "Band 8d"
    B9 = 12, "Band 9"


def band_code(value: int) -> str:
    """The short code used in URLs and spreadsheets: 5, 8a, 9."""
    return Band(value).label.removeprefix("Band ")


BAND_BY_CODE = {band_code(band.value): band.value for band in Band}


def band_range_label(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f"From {Band(low).label.lower()} (upper band not confirmed)"
    if low is None:
        return f"Up to {Band(high).label.lower()} (lower band not confirmed)"
    if low == high:
        return Band(low).label
    return f"{Band(low).label} to {band_code(high)}"

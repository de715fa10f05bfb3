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


def band_range_text(low: int | None, high: int | None, *, mid_sentence: bool = False) -> str:
    """The one wording of a band range: "Band 3 to 4", "Band 7", "Band 8a or above", "Up to band 6", or "" when
    neither end is known. `mid_sentence` starts it in lower case, for a message that continues a sentence."""
    if low is None and high is None:
        return ""
    if high is None:
        text = f"{Band(low).label} or above"
    elif low is None:
        text = f"Up to {Band(high).label.lower()}"
    elif low == high:
        text = Band(low).label
    else:
        text = f"{Band(low).label} to {band_code(high)}"
    return text[0].lower() + text[1:] if mid_sentence else text


def band_range_label(low: int | None, high: int | None) -> str:
    """A role's qualified band range for the catalogue, saying which end is not confirmed."""
    text = band_range_text(low, high)
    if low is not None and high is None:
        return f"{text} (upper band not confirmed)"
    if high is not None and low is None:
        return f"{text} (lower band not confirmed)"
    return text


def role_band_range(role) -> tuple[int | None, int | None]:
    """The bands a post in this role may be on: from its trainee band (or lowest qualified band) to its highest
    qualified band. Either end may be unknown, which leaves that side open."""
    low = role.band_trainee if role.band_trainee is not None else role.band_min
    return low, role.band_max


def role_band_allowed(role, band: int) -> bool:
    low, high = role_band_range(role)
    return (low is None or band >= low) and (high is None or band <= high)


def role_band_range_text(role, *, mid_sentence: bool = False) -> str:
    return band_range_text(*role_band_range(role), mid_sentence=mid_sentence)

"""Pay grades, stored as ordered integers so that ranges compare with <= and >=.

One ordered list holds every grade a post may be on:

- Agenda for Change bands, ranks 2-12, codes "2" ... "7", "8a" ... "8d", "9" (labels "Band 5", "Band 8a");
- medical grades (England), ranks 20-25, codes:
    20 "resident-foundation"  Resident doctor (foundation)
    21 "resident-core"        Resident doctor (core training)
    22 "resident-higher"      Resident doctor (higher training)
    23 "specialty-doctor"     Specialty doctor
    24 "specialist"           Specialist
    25 "consultant"           Consultant

A role's band_trainee / band_min / band_max take these values: a consultant psychiatrist's range is
consultant-consultant, a resident doctor's resident-core to resident-higher. Each grade belongs to one pay
table (`afc` or `medical`); a range never crosses tables.
"""

from django.db import models

AFC, MEDICAL = "afc", "medical"
PAY_TABLE_LABELS = {AFC: "Agenda for Change", MEDICAL: "Medical and dental"}


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
    RESIDENT_FOUNDATION = 20, "Resident doctor (foundation)"
    RESIDENT_CORE = 21, "Resident doctor (core training)"
    RESIDENT_HIGHER = 22, "Resident doctor (higher training)"
    SPECIALTY_DOCTOR = 23, "Specialty doctor"
    SPECIALIST = 24, "Specialist"
    CONSULTANT = 25, "Consultant"


# Every pay grade is a `Band` value; the second name reads better where doctors are meant too.
Grade = Band

FIRST_MEDICAL_RANK = 20
MEDICAL_CODES = {
    Band.RESIDENT_FOUNDATION: "resident-foundation",
    Band.RESIDENT_CORE: "resident-core",
    Band.RESIDENT_HIGHER: "resident-higher",
    Band.SPECIALTY_DOCTOR: "specialty-doctor",
    Band.SPECIALIST: "specialist",
    Band.CONSULTANT: "consultant",
}


def pay_table(value: int) -> str:
    """The pay table a grade is paid from: "afc" or "medical"."""
    return MEDICAL if value >= FIRST_MEDICAL_RANK else AFC


def is_afc(value: int) -> bool:
    return pay_table(value) == AFC


def band_code(value: int) -> str:
    """The short code used in URLs, spreadsheets and fixtures: 5, 8a, 9, consultant, resident-core."""
    grade = Band(value)
    return MEDICAL_CODES.get(grade) or grade.label.removeprefix("Band ")


def grade_label(value: int) -> str:
    """The grade as people write it: "Band 8a", "Consultant"."""
    return Band(value).label


BAND_BY_CODE = {band_code(band.value): band.value for band in Band}
AFC_BANDS = [band for band in Band if is_afc(band.value)]
MEDICAL_GRADES = [band for band in Band if not is_afc(band.value)]


def grades_of_table(table: str) -> list[Band]:
    return [band for band in Band if pay_table(band.value) == table]


def band_range_text(low: int | None, high: int | None, *, mid_sentence: bool = False) -> str:
    """The one wording of a grade range: "Band 3 to 4", "Band 7", "Band 8a or above", "Up to band 6",
    "Resident doctor (core training) to resident doctor (higher training)", "Consultant", or "" when neither end
    is known. `mid_sentence` starts it in lower case, for a message that continues a sentence."""
    if low is None and high is None:
        return ""
    if high is None:
        text = f"{Band(low).label} or above"
    elif low is None:
        text = f"Up to {_lower_first(Band(high).label)}"
    elif low == high:
        text = Band(low).label
    elif is_afc(low) and is_afc(high):
        text = f"{Band(low).label} to {band_code(high)}"
    else:
        text = f"{Band(low).label} to {_lower_first(Band(high).label)}"
    return _lower_first(text) if mid_sentence else text


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def band_range_label(low: int | None, high: int | None) -> str:
    """A role's qualified band range for the catalogue, saying which end is not confirmed."""
    text = band_range_text(low, high)
    if low is not None and high is None:
        return f"{text} (upper band not confirmed)"
    if high is not None and low is None:
        return f"{text} (lower band not confirmed)"
    return text


def role_band_range(role) -> tuple[int | None, int | None]:
    """The grades a post in this role may be on: from its trainee band (or lowest qualified band) to its highest
    qualified band. Either end may be unknown, which leaves that side open (within the role's pay table)."""
    low = role.band_trainee if role.band_trainee is not None else role.band_min
    return low, role.band_max


def role_band_confirmed(role) -> bool:
    """Whether the catalogue states at least one end of the role's range."""
    low, high = role_band_range(role)
    return low is not None or high is not None


def role_pay_table(role) -> str:
    """The pay table a role's posts are paid from: that of any grade the catalogue states, else Agenda for Change
    (every role without a stated grade in the catalogue is a non-medical role)."""
    for value in (role.band_trainee, role.band_min, role.band_max):
        if value is not None:
            return pay_table(value)
    return AFC


def role_band_allowed(role, band: int) -> bool:
    """A grade within the role's range and of the role's pay table. A role with no confirmed range accepts any
    grade of its pay table only (the editor shows that the range is not confirmed)."""
    if pay_table(band) != role_pay_table(role):
        return False
    low, high = role_band_range(role)
    return (low is None or band >= low) and (high is None or band <= high)


def role_band_range_text(role, *, mid_sentence: bool = False) -> str:
    return band_range_text(*role_band_range(role), mid_sentence=mid_sentence)


def role_band_rule_text(role, *, mid_sentence: bool = False) -> str:
    """What the editor tells a lead about the grades a role accepts, including when the range is not confirmed."""
    if role_band_confirmed(role):
        return role_band_range_text(role, mid_sentence=mid_sentence)
    text = f"Band not confirmed: any {PAY_TABLE_LABELS[role_pay_table(role)]} grade"
    return _lower_first(text) if mid_sentence else text

"""Fixed values the engine works with: complexity tiers, Agenda for Change band ranks, target metrics,
pay points, comparators and statuses (see the package docstring for what each means)."""

from __future__ import annotations

ROUTINE, MODERATE, COMPLEX = 1, 2, 3
TIERS_HARDEST_FIRST = (COMPLEX, MODERATE, ROUTINE)
TIER_LABELS = {ROUTINE: "Routine", MODERATE: "Moderate", COMPLEX: "Complex"}

AFC_BAND_CODES = {2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8a", 9: "8b", 10: "8c", 11: "8d", 12: "9"}
# Medical grades (England), ranked after the AfC bands; the same ranks and codes as roles/bands.py.
MEDICAL_GRADE_CODES = {
    20: "resident-foundation",
    21: "resident-core",
    22: "resident-higher",
    23: "specialty-doctor",
    24: "specialist",
    25: "consultant",
}
BAND_CODES = {**AFC_BAND_CODES, **MEDICAL_GRADE_CODES}
BAND_5, BAND_8A = 5, 8
FIRST_MEDICAL_GRADE = 20

# The engine's version, carried in every result (results.json), so a reader knows which equations made the figures.
ENGINE_VERSION = "2.0"

# Experience, for ORDERING lines within a tier only (section 3): an AfC band is its own rank; a medical grade is
# placed by its stage of training and experience (a modelling default): foundation with band 5, core training with
# 6, higher training with 7, specialty doctor with 8a, specialist with 8c, consultant with band 9.
MEDICAL_EXPERIENCE_RANKS = {20: 5, 21: 6, 22: 7, 23: 8, 24: 10, 25: 12}

# What drives the FTE a team needs in a year: its demand, or the minimum cover of a team open around the clock.
NEED_DEMAND, NEED_COVER = "demand", "cover"

# Staff groups (compare): a line is in exactly one, tested in this order: non-clinical, medical, then registered or
# unregistered.
GROUP_REGISTERED, GROUP_UNREGISTERED = "registered", "unregistered"
GROUP_MEDICAL, GROUP_NON_CLINICAL = "medical", "non-clinical"
STAFF_GROUPS = (GROUP_REGISTERED, GROUP_UNREGISTERED, GROUP_MEDICAL, GROUP_NON_CLINICAL)

# Where a plan's demand comes from: entered for the plan, or worked out from the population and reference rates.
DEMAND_OWN, DEMAND_FROM_POPULATION = "own", "population"
DEMAND_BASES = (DEMAND_OWN, DEMAND_FROM_POPULATION)

PAY_MIDPOINT, PAY_TOP = "midpoint", "top"
PAY_POINTS = (PAY_MIDPOINT, PAY_TOP)

WEEKS_PER_MONTH = 52 / 12
PER_100K = 100_000
TOLERANCE = 1e-9

METRIC_TOTAL_FTE = "total_fte"
METRIC_FTE_PER_100K = "total_fte_per_100k"
METRIC_CASELOAD_PER_CLINICAL_FTE = "caseload_per_clinical_fte"
METRIC_MIN_FTE = "min_fte"
METRIC_SHARE_OF_FTE = "share_of_fte"
METRIC_NATIONAL_HEADCOUNT = "national_headcount"
METRIC_MIN_FTE_PER_POPULATION = "min_fte_per_population"
METRICS = (
    METRIC_TOTAL_FTE,
    METRIC_FTE_PER_100K,
    METRIC_CASELOAD_PER_CLINICAL_FTE,
    METRIC_MIN_FTE,
    METRIC_SHARE_OF_FTE,
    METRIC_NATIONAL_HEADCOUNT,
    METRIC_MIN_FTE_PER_POPULATION,
)
AT_LEAST, AT_MOST, BETWEEN = "at_least", "at_most", "between"
COMPARATORS = (AT_LEAST, AT_MOST, BETWEEN)
STATUS_MET, STATUS_NOT_MET, STATUS_NOT_APPLICABLE = "met", "not met", "not applicable"
STATUS_HISTORICAL, STATUS_CONTEXT = "historical", "context"
# What kind of figure a target is: only current ones are judged met or not met.
KIND_CURRENT, KIND_HISTORICAL, KIND_CONTEXT = "current", "historical", "context"
TARGET_KINDS = (KIND_CURRENT, KIND_HISTORICAL, KIND_CONTEXT)


def band_code(rank: int) -> str:
    """The grade code for a rank: 5 → "5", 8 → "8a", 12 → "9", 25 → "consultant"."""
    return BAND_CODES[rank]


def is_afc(rank: int) -> bool:
    """Whether a rank is an Agenda for Change band (the skill-mix band figures count these only)."""
    return rank in AFC_BAND_CODES


def experience_rank(band: int) -> int:
    """The rank lines are ordered by within a tier: an AfC band as it is (2–12), a medical grade by its stage of
    training (foundation 5, core 6, higher 7, specialty doctor 8, specialist 10, consultant 12)."""
    return MEDICAL_EXPERIENCE_RANKS.get(band, band)


def staff_group(*, band: int, registered: bool, clinical: bool) -> str:
    """non-clinical (clinical False), else medical (a medical grade), else registered or unregistered."""
    if not clinical:
        return GROUP_NON_CLINICAL
    if band >= FIRST_MEDICAL_GRADE:
        return GROUP_MEDICAL
    return GROUP_REGISTERED if registered else GROUP_UNREGISTERED

"""Fixed values the engine works with: complexity tiers, Agenda for Change band ranks, target metrics,
comparators and statuses (see the package docstring for what each means)."""

from __future__ import annotations

ROUTINE, MODERATE, COMPLEX = 1, 2, 3
TIERS_HARDEST_FIRST = (COMPLEX, MODERATE, ROUTINE)
TIER_LABELS = {ROUTINE: "Routine", MODERATE: "Moderate", COMPLEX: "Complex"}

BAND_CODES = {2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8a", 9: "8b", 10: "8c", 11: "8d", 12: "9"}
BAND_5, BAND_8A = 5, 8

WEEKS_PER_MONTH = 52 / 12
PER_100K = 100_000
TOLERANCE = 1e-9

METRIC_TOTAL_FTE = "total_fte"
METRIC_FTE_PER_100K = "total_fte_per_100k"
METRIC_CASELOAD_PER_CLINICAL_FTE = "caseload_per_clinical_fte"
METRIC_MIN_FTE = "min_fte"
METRIC_SHARE_OF_FTE = "share_of_fte"
METRIC_NATIONAL_HEADCOUNT = "national_headcount"
METRICS = (
    METRIC_TOTAL_FTE,
    METRIC_FTE_PER_100K,
    METRIC_CASELOAD_PER_CLINICAL_FTE,
    METRIC_MIN_FTE,
    METRIC_SHARE_OF_FTE,
    METRIC_NATIONAL_HEADCOUNT,
)
AT_LEAST, AT_MOST, BETWEEN = "at_least", "at_most", "between"
COMPARATORS = (AT_LEAST, AT_MOST, BETWEEN)
STATUS_MET, STATUS_NOT_MET, STATUS_NOT_APPLICABLE = "met", "not met", "not applicable"


def band_code(rank: int) -> str:
    """The AfC band code for a rank: 5 → "5", 8 → "8a", 12 → "9"."""
    return BAND_CODES[rank]

"""The dashboard's words for the engine's codes: contents, target status tags, metric units, bands."""

from __future__ import annotations

from planning import engine
from planning.formatting import target_status_label
from roles.bands import BAND_BY_CODE, grade_label

CONTENTS = [
    ("demand-need", "Demand and need"),
    ("skill-mix", "Skill mix"),
    ("complexity", "Matching experience to complexity"),
    ("capabilities", "Capability coverage"),
    ("supervision", "Supervision"),
    ("targets", "Targets"),
    ("projection", "Projection"),
    ("year-by-year", "Year by year"),
    ("costs", "Costs"),
    ("method", "Assumptions used"),
    # The plan's inputs and history (templates/planning/includes/plan_summary.html and history.html)
    ("assumptions", "Plan inputs: assumptions"),
    ("staffing", "Plan inputs: staffing"),
    ("demand", "Plan inputs: demand"),
    ("history", "History"),
]

TAG_CLASSES = {
    engine.STATUS_MET: "nhsuk-tag--green",
    engine.STATUS_NOT_MET: "nhsuk-tag--red",
    engine.STATUS_NOT_APPLICABLE: "nhsuk-tag--grey",
    engine.STATUS_HISTORICAL: "nhsuk-tag--grey",
    engine.STATUS_CONTEXT: "nhsuk-tag--blue",
}
METRIC_UNITS = {
    engine.METRIC_TOTAL_FTE: "FTE",
    engine.METRIC_FTE_PER_100K: "FTE per 100,000 people",
    engine.METRIC_CASELOAD_PER_CLINICAL_FTE: "people on the caseload per clinical FTE",
    engine.METRIC_MIN_FTE: "FTE",
    engine.METRIC_SHARE_OF_FTE: "% of the team's FTE",
    engine.METRIC_NATIONAL_HEADCOUNT: "staff (national)",
    engine.METRIC_MIN_FTE_PER_POPULATION: "FTE",
}


def status_tag(status: str) -> tuple[str, str]:
    """A target status as (label, NHS.UK tag class)."""
    return target_status_label(status), TAG_CLASSES.get(status, "nhsuk-tag--grey")


def band_label(code: str) -> str:
    """A grade code as people write it: "5" → "Band 5", "consultant" → "Consultant"."""
    return grade_label(BAND_BY_CODE[code]) if code in BAND_BY_CODE else f"Band {code}"


def plural(count: float, word: str) -> str:
    return f"{word}{'' if count == 1 else 's'}"


def role_name(slug: str, names: dict[str, str]) -> str:
    return names.get(slug) or slug.replace("-", " ").capitalize()

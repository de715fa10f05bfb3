"""What the editor's grid buttons do to a submission when JavaScript is not running (with JavaScript the grid does
the same in the page, without a reload): add rows, copy a row, delete a row, and fill the demand rows from the
team type's reference demand. Each returns the submission to show again, with everything typed kept."""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from planning.conflicts import DELETE, Submission
from planning.fields import DEMAND_TIERS
from planning.formatting import plain
from planning.forms.rows import ADD_ROWS, MAX_ADD_ROWS
from planning.models import TeamTypeDemand
from roles.models import ComplexityTier

ADD_COUNT = "add_count"  # the number box next to "Add rows"
ADD_COUNT_ID = f"id_{ADD_COUNT}"
REFERENCE_ID = "demand-reference"  # the "Use reference demand" button's form group


@dataclass(frozen=True)
class ReferenceDemand:
    """A team type's reference demand in one tier, and the caseload it gives for the team's population (None when
    the team's population is not known)."""

    tier: ComplexityTier
    caseload_per_100k: Decimal
    hours_per_person_per_week: Decimal
    caseload: int | None
    source_label: str
    source_url: str
    modelling_default: bool

    @property
    def rate_text(self) -> str:
        return f"{Decimal(plain(self.caseload_per_100k)):,}"

    @property
    def caseload_text(self) -> str:
        return "" if self.caseload is None else f"{self.caseload:,}"

    @property
    def hours_text(self) -> str:
        return plain(self.hours_per_person_per_week)


def reference_demand(team) -> list[ReferenceDemand]:
    """The team type's reference demand, most complex tier first, worked out for the team's population: caseload =
    population × caseload per 100,000 ÷ 100,000, to the nearest person. One query."""
    rates = {rate.tier: rate for rate in TeamTypeDemand.objects.filter(team_type_id=team.team_type_id)}
    population = team.population_served
    found = []
    for tier in DEMAND_TIERS:
        rate = rates.get(tier.value)
        if rate is None:
            continue
        caseload = None
        if population is not None:
            exact = Decimal(population) * rate.caseload_per_100k / Decimal(100_000)
            caseload = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        found.append(
            ReferenceDemand(
                tier=tier,
                caseload_per_100k=rate.caseload_per_100k,
                hours_per_person_per_week=rate.hours_per_person_per_week,
                caseload=caseload,
                source_label=rate.source_label,
                source_url=rate.source_url,
                modelling_default=rate.modelling_default,
            )
        )
    return found


class GridError(ValueError):
    """A grid button that cannot do what was asked: (field id, message) for the error summary."""

    def __init__(self, target: str, message: str):
        super().__init__(message)
        self.target = target
        self.message = message


def add_count(data) -> int:
    """How many rows "Add rows" adds: the number typed next to it (1 to `MAX_ADD_ROWS`), 3 when left empty."""
    text = str(data.get(ADD_COUNT, "") or "").strip()
    if not text:
        return ADD_ROWS
    if not text.isdigit() or not 1 <= int(text) <= MAX_ADD_ROWS:
        raise GridError(ADD_COUNT_ID, f"Enter how many rows to add, a whole number from 1 to {MAX_ADD_ROWS}")
    return int(text)


def _row_index(value, rows: list) -> int:
    try:
        index = int(value)
    except (TypeError, ValueError):
        index = -1
    if not 0 <= index < len(rows):
        raise GridError("staffing-grid", "That staffing line is no longer in the form. Check the lines and try again.")
    return index


def copy_row(submission: Submission, value) -> Submission:
    """The row at `value` copied as a new line, straight after it (nothing else moves)."""
    rows = list(submission.staffing)
    index = _row_index(value, rows)
    copy = {**rows[index], "line_id": "", "base": None, DELETE: False}
    rows.insert(index + 1, copy)
    return replace(submission, staffing=rows)


def delete_row(submission: Submission, value) -> Submission:
    """A new row removed from the form; a saved line marked for removal (it goes when the plan is saved)."""
    rows = list(submission.staffing)
    index = _row_index(value, rows)
    if rows[index].get("line_id"):
        rows[index] = {**rows[index], DELETE: True}
    else:
        del rows[index]
    return replace(submission, staffing=rows)


def use_reference_demand(submission: Submission, reference: list[ReferenceDemand]) -> Submission:
    """The demand rows filled from the reference demand for the team's population (the starting point a lead then
    changes); refused when the team's population is not known."""
    usable = [item for item in reference if item.caseload is not None]
    if not usable:
        raise GridError(
            REFERENCE_ID, "Add the population the team serves on the team's page to work out its reference demand"
        )
    demand = {tier: dict(values) for tier, values in submission.demand.items()}
    for item in usable:
        demand.setdefault(item.tier.value, {}).update(
            caseload=str(item.caseload), hours_per_person_per_week=plain(item.hours_per_person_per_week)
        )
    return replace(submission, demand=demand)

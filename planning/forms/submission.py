"""What a user posted to the plan editor, read as raw text without validating it: to show it again (after a grid
button pressed without JavaScript, or merged onto a newer version by `planning.conflicts` after a conflicting
save)."""

from planning.conflicts import DELETE, ROW_FIELDS, Submission, decode_base, decode_staffing_base
from planning.fields import ASSUMPTION_FIELDS, DEMAND_AMOUNTS, DEMAND_TIERS
from planning.forms.rows import MAX_ROWS, STAFFING_PREFIX, demand_prefix


def _checked(value) -> bool:
    return value is not None and str(value).lower() not in {"", "0", "false", "off"}


def parse_submission(data, *, declared: list[str] = ()) -> Submission:
    """The submission as raw text, with the declared capability fields named in `declared` ("<slug>_fte"). Its
    hidden base fields are checked here, whichever path uses them later: one nested deeper than the editor writes
    raises `conflicts.BadBase` (a 400)."""
    try:
        total = max(0, min(int(data.get(f"{STAFFING_PREFIX}-TOTAL_FORMS", 0)), MAX_ROWS))
    except (TypeError, ValueError):
        total = 0
    staffing_base = data.get(f"{STAFFING_PREFIX}-base", "")
    bases = decode_staffing_base(staffing_base)
    demand = {
        tier.value: {name: data.get(f"{demand_prefix(tier)}-{name}", "") for name in [*DEMAND_AMOUNTS, "base"]}
        for tier in DEMAND_TIERS
    }
    for text in [data.get("base", ""), *(values["base"] for values in demand.values())]:
        decode_base(text)
    rows = []
    for index in range(total):
        prefix = f"{STAFFING_PREFIX}-{index}-"
        row = {name: data.get(prefix + name, "") for name in ["line_id", *ROW_FIELDS, *declared]}
        row[DELETE] = _checked(data.get(prefix + DELETE))
        row["base"] = bases.get(str(row["line_id"]).strip()) if row["line_id"] else None
        rows.append(row)
    return Submission(
        version=str(data.get("version", "")),
        assumptions={name: data.get(name, "") for name in ASSUMPTION_FIELDS},
        assumptions_base=data.get("base", ""),
        staffing=rows,
        staffing_base=staffing_base,
        demand=demand,
        declared=list(declared),
    )

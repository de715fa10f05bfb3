"""The plan spreadsheet's file format: its columns, sheets and limits, and how a cell's text is written and read.

A file holds the whole plan in three parts (XLSX sheets, or CSV sections), the same for import and export:

- Staffing: a header row, then one staffing line a row, with the columns in `STAFFING_COLUMNS` (`role` is the
  role's slug; `role_name` is for people and is ignored on import; `band` is a pay grade code such as 5, 8a or
  consultant), then one column a declarable capability (`declared_columns`: `<capability slug>_fte`, the FTE of
  the line that holds it). The amounts' limits, and whether each is required, come from the `StaffingLine` fields
  (`planning.fields`).
- Demand: `DEMAND_COLUMNS`, one row a complexity tier.
- Assumptions: key, assumption (its label, for people), value; one row an assumption (`fields.ASSUMPTION_FIELDS`),
  with the plan's team, organisation, status and version for people reading the file (ignored on import).

Text cells that a spreadsheet program would run as a formula (starting with = + - @, tab or carriage
return) are written with a leading apostrophe; numbers are written as numbers. Import strips that
apostrophe again.

Percentages are plain numbers in columns (and assumption keys) ending `_pct`: 10 means 10%. On import, a number
cell a spreadsheet formats as a percentage (0.1 shown as 10%) and a text cell "10%" in such a column both read as
10; a number written with thousands separators ("150,000") reads as 150000.
"""

from __future__ import annotations

import re
from decimal import Decimal

from planning import fields, staffing_rules
from planning.formatting import plain
from planning.models import StaffingLine

MAX_ROWS = 2000
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# An XLSX is a zip of XML files. Before any of it is parsed, refuse one that would expand to far more than any
# real plan needs (a "zip bomb"): a 2,000-line staffing sheet unpacks to about 1MB and compresses about 5 to 1.
MAX_XLSX_UNPACKED_BYTES = 10 * 1024 * 1024
MAX_XLSX_MEMBERS = 100  # files inside the zip; a workbook of three sheets has about a dozen
MAX_XLSX_RATIO = 100  # unpacked size / packed size of any one file inside the zip bigger than 1MB unpacked
MAX_COLUMNS = 50  # cells in one row; the staffing table has 12 columns and one a declarable capability
MAX_SHEET_ROWS = 20_000  # the last row number a sheet may use
MAX_PART_ROWS = 100  # rows of the demand or assumptions part, header included; the export writes 4 and about 20
MAX_CELLS = 200_000  # cells in one sheet (10,000 rows of 12 staffing columns still get the rows message)

# The staffing line's fields (`planning.fields`), the role by its slug and then its name.
STAFFING_COLUMNS = ["role", "role_name", *(name for name in fields.STAFFING_FIELDS if name != "role_id")]
# The amount columns are named as the model fields; their limits are the model's.
REQUIRED_COLUMNS = ["role", "band", *(name for name, limit in staffing_rules.AMOUNT_LIMITS.items() if limit.required)]


def _amount_help(name: str) -> str:
    limit = staffing_rules.AMOUNT_LIMITS[name]
    required = "Required." if limit.required else "Blank means 0."
    return f"{fields.label(StaffingLine, name)}, from {plain(limit.minimum)} to {plain(limit.maximum)}. {required}"


# What each column means, for the upload page and for people reading an exported file.
COLUMN_HELP = {
    "role": "The role's short name (slug) from the catalogue, for example mental-health-nurse. Required.",
    "role_name": "The role's name, for people reading the file. Ignored on import.",
    "band": (
        "Pay grade: an Agenda for Change band, 2 to 7, 8a to 8d or 9; for doctors a medical grade, "
        "resident-foundation, resident-core, resident-higher, specialty-doctor, specialist or consultant. Required."
    ),
    **{name: _amount_help(name) for name in fields.STAFFING_AMOUNTS},
    "trainee_completion_year": "The year the trainees qualify, within the plan’s years. Needed if there are trainees.",
    "complexity_ceiling": (
        "The most complex need the line may hold a caseload for: routine, moderate or complex. Blank for the role "
        "and band's default."
    ),
    "supervision_hours_per_month": "Supervision each FTE needs a month, in hours. Blank for the role's default.",
    "note": "A note about the line, for example team leader. Optional.",
}
COLUMN_HELP["attrition_pct"] += " A plain number: 10 means 10% (a cell formatted as a percentage also works)."
COLUMN_HELP = {name: COLUMN_HELP[name] for name in STAFFING_COLUMNS}
DEMAND_COLUMNS = list(fields.DEMAND_FIELDS)
# The plan's details the Assumptions sheet shows for people reading it; import ignores them (a file never sets the
# plan's team, organisation, status or version).
INFORMATION_KEYS = ("team", "organisation", "status", "version")
ASSUMPTION_COLUMNS = ["key", "assumption", "value"]
SHEET_STAFFING, SHEET_DEMAND, SHEET_ASSUMPTIONS = "Staffing", "Demand", "Assumptions"
DEMAND_MARKER, ASSUMPTIONS_MARKER = "[Demand]", "[Assumptions]"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def declared_columns(declarable: staffing_rules.Declarable) -> list[str]:
    """One column a declarable capability, in the catalogue's order: "independent-prescribing_fte"."""
    return [staffing_rules.declared_field(slug) for slug in declarable.capabilities]


def declared_help(declarable: staffing_rules.Declarable) -> list[tuple[str, str]]:
    """(column, what it means) for each declarable capability, for the upload page."""
    return [
        (
            staffing_rules.declared_field(slug),
            f"FTE of the line who hold {capability.name[0].lower() + capability.name[1:]}, from 0 to the line's fte. "
            "Only for roles that can hold it with further training or approval. Blank or 0 means none.",
        )
        for slug, capability in declarable.capabilities.items()
    ]


def is_percent_column(name: str) -> bool:
    """A column or assumption key holding a percentage as a plain number (10 means 10%)."""
    return name.endswith("_pct")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read as a staffing table. The message is shown to the user."""


# --- Writing cells ----------------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """Stop a spreadsheet program running text as a formula (CSV/formula injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unescape_text(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def safe_cell(value):
    """A value for a spreadsheet cell: text is escaped; numbers stay numbers; None stays empty."""
    return escape_text(value) if isinstance(value, str) else value


# --- Reading cells ----------------------------------------------------------------------------------------


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class PercentCell(float):
    """A number cell a spreadsheet formats as a percentage: 0.1 that it shows as 10%."""


_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")


def number_cell(value, *, percent: bool):
    """A cell of a number column as `staffing_rules.to_decimal` reads it: "150,000" is 150000; in a percentage
    column, "10%" and a percentage-formatted 0.1 are both 10. Anything else is left for the rules to judge."""
    if isinstance(value, PercentCell):
        return Decimal(repr(float(value))) * 100 if percent else float(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if percent and text.endswith("%"):
        text = text[:-1].strip()
    return text.replace(",", "") if _THOUSANDS.match(text) else text


def cell_text(value) -> str:
    """A cell as the text a person typed: "" when empty, 2026.0 as "2026", a formula escape removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_text(str(value).strip())

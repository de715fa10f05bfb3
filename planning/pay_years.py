"""What a pay year is: a financial year written as 4 digits, a slash and the next year's last 2 digits (2025/26),
for which the pay tables (`PayScale`) hold pay points. One rule, for every place that reads a pay year."""

from __future__ import annotations

import re
from collections.abc import Collection

PAY_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the pay years a plan can mean (plans start from 2000 to 2100)
EXAMPLE = "2025/26"


def pay_year_problem(value: str, *, years: Collection[str] | None = None) -> str | None:
    """Why `value` is not a pay year (a sentence to show), or None. With `years` (the pay years that have pay
    tables), a well-formed year that has no pay tables is a problem too."""
    match = PAY_YEAR.match(value)
    if not match:
        return f"is not a pay year: write it as 4 digits, a slash and 2 digits, for example {EXAMPLE}"
    start, end = int(match[1]), int(match[2])
    if (start + 1) % 100 != end:
        return f"is not a financial year: the second year must follow the first, for example {EXAMPLE}"
    if not FIRST_YEAR <= start < LAST_YEAR:
        return f"is not a financial year a plan can use: it must start from {FIRST_YEAR} to {LAST_YEAR - 1}"
    if years is not None and value not in years:
        listed = ", ".join(sorted(years)) or "none yet"
        return f"has no pay tables (the pay years with pay tables are: {listed})"
    return None

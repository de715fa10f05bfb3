"""How the planning pages write numbers: the one house style.

Every figure a planning page, table or chart label shows is written by a function here, so that a number
reads the same on the dashboard, the plan comparison and the organisation roll-up. The engine never rounds;
rounding here is for display only.

House style
-----------
- **FTE and hours**: 2 decimal places with thousands separators: ``1,234.50``.
- **Money**: pounds and pence: ``£121,104.00``. Pence are kept everywhere (the roll-up used to round to the
  pound) because the dashboard writes its sums out so that they can be checked by hand
  (``2.00 × £34,422.50 × 1.3 = £89,498.50``), the exports carry pence, and a plan's cost should read the same
  on its dashboard, in a comparison and in the roll-up.
- **Percentages**: 1 decimal place and a percent sign: ``95.7%``. A difference between two percentages is in
  percentage points: ``+2.5 points``.
- **Negative numbers** use the real minus sign (U+2212), before any pound sign: ``−£2,500.00``, ``−0.50``.
- **Signed differences** (B − A) always carry their sign: ``+1.50``, ``−0.50``; no change is ``0.00``. A
  figure that rounds to zero is written without a sign (never ``−0.00``).
- **No value** (nothing to show: no demand, no pay point, a figure that cannot be worked out) is an en dash
  ``–``. It is not "Not applicable", which is one of a target's statuses (Met, Not met, Not applicable): a
  missing figure and a target that does not apply are different things, and a row can show both.
- **A target's status** is "Met", "Not met" or "Not applicable"; a target that was not checked is "Not checked".
- **Plain decimals** (an input as stored or typed, for form values, arithmetic written out and comparing a
  submission with what is saved): the shortest exact text, no exponent, no trailing zeros: ``37.5``,
  ``0.78``, ``28``, ``0``. Empty when there is no value; text that is not a number comes back as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from planning import engine

NO_VALUE = "–"
MINUS = "\u2212"
PLAIN_FLOAT_PLACES = 6  # a float (engine input) is read to 6 decimal places: 1.3000000000000003 -> "1.3"


@dataclass(frozen=True)
class Unit:
    """How one kind of figure is rounded and written."""

    places: int
    prefix: str = ""
    suffix: str = ""
    diff_suffix: str = ""

    def rounded(self, value: float | None) -> float | None:
        """The value as shown, as a number (None stays None); never -0.0."""
        if value is None:
            return None
        rounded = round(float(value), self.places)
        return 0.0 if rounded == 0 else rounded

    def _digits(self, value: float) -> str:
        return f"{abs(value):,.{self.places}f}"

    def text(self, value: float | None) -> str:
        value = self.rounded(value)
        if value is None:
            return NO_VALUE
        sign = MINUS if value < 0 else ""
        return f"{sign}{self.prefix}{self._digits(value)}{self.suffix}"

    def signed(self, value: float | None) -> str:
        """A difference: "+1.50", "−0.50", "0.00"."""
        value = self.rounded(value)
        if value is None:
            return NO_VALUE
        sign = "+" if value > 0 else MINUS if value < 0 else ""
        return f"{sign}{self.prefix}{self._digits(value)}{self.diff_suffix}"


FTE = Unit(places=2)
HOURS = Unit(places=2)
MONEY = Unit(places=2, prefix="£")
PERCENT = Unit(places=1, suffix="%", diff_suffix=" points")
COUNT = Unit(places=0)

TARGET_STATUS_LABELS = {
    engine.STATUS_MET: "Met",
    engine.STATUS_NOT_MET: "Not met",
    engine.STATUS_NOT_APPLICABLE: "Not applicable",
    None: "Not checked",
}


def fte(value: float | None) -> str:
    return FTE.text(value)


def hours(value: float | None) -> str:
    return HOURS.text(value)


def money(value: float | None) -> str:
    return MONEY.text(value)


def percent(value: float | None) -> str:
    return PERCENT.text(value)


def signed_fte(value: float | None) -> str:
    return FTE.signed(value)


def target_status_label(status: str | None) -> str:
    return TARGET_STATUS_LABELS.get(status, status.capitalize() if status else TARGET_STATUS_LABELS[None])


def is_zero(value: float, unit: Unit = HOURS) -> bool:
    """Whether `value` is shown as zero in `unit`."""
    return unit.rounded(value) == 0


def plain(value) -> str:
    """The canonical text of a number as stored or typed: Decimal("37.50") -> "37.5", 2.00 -> "2", 0.78 -> "0.78",
    None -> "". Text that is not a finite number comes back as typed (stripped)."""
    if value is None:
        return ""
    text = f"{value:.{PLAIN_FLOAT_PLACES}f}" if isinstance(value, float) else str(value).strip()
    try:
        decimal = Decimal(text)
    except (InvalidOperation, ValueError):
        return text
    if not decimal.is_finite():
        return text
    normal = format(decimal.normalize(), "f")
    return "0" if normal == "-0" else normal

"""Which of a plan's staffing lines an imported row is: the rule the preview shows and the import applies, so the
history records what really changed rather than "all removed, all added".

Rows and lines are matched by role and band, in order of appearance: the first row for a role and band is the
plan's first line with them (in the plan's order), the second row the second line, and so on. Rows left over are
added; lines left over are removed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from planning.models import StaffingLine


@dataclass
class Matched:
    pairs: list[tuple[StaffingLine, dict]] = field(default_factory=list)  # (the plan's line, the row's values)
    added: list[dict] = field(default_factory=list)
    removed: list[StaffingLine] = field(default_factory=list)


def match_staffing(current: list[StaffingLine], incoming: list[dict]) -> Matched:
    """Pair `incoming` rows (dicts with role_id and band) with the plan's `current` lines, in their orders."""
    waiting = defaultdict(list)
    for line in current:
        waiting[(line.role_id, line.band)].append(line)
    matched = Matched()
    for values in incoming:
        lines = waiting.get((values["role_id"], values["band"]))
        if lines:
            matched.pairs.append((lines.pop(0), values))
        else:
            matched.added.append(values)
    paired = {line.pk for line, _ in matched.pairs}
    matched.removed = [line for line in current if line.pk not in paired]
    return matched

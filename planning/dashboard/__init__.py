"""Display logic for a plan's dashboard: turns the engine's `PlanResult` into the headline figures, sections,
table rows and charts that `templates/planning/includes/dashboard*.html` show, and into the projection export.

Nothing here calculates a planning figure: every number comes from `planning.engine` (see its docstring for
the equations). This package only picks, labels and writes them in the house style of `planning.formatting`,
and spells out the arithmetic so that each figure can be checked by hand.

- `rows`: the dataclasses the templates show.
- `labels`: contents, status tags, metric units, band labels.
- `reference`: the reference data the engine does not carry (three queries through `planning.selectors`).
- `headlines`, `sections`, `assumptions`: the parts of the page; `page.build` puts them together.
- `exports`: the projection as CSV and XLSX.
"""

from planning.dashboard.page import build

__all__ = ["build"]

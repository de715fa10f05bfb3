"""The dashboard's "Year by year" section: capability coverage, supervision and targets judged for every year of
the projection, and each staffing line's yearly figures, as compact tables with one column a year.

Each staffing line's figures make five tables of lines × years. For a plan of up to `LINE_TABLE_LIMIT` lines they
are on the page (inside a details component); a larger plan would add thousands of cells to every view of the page
(a 200-line plan over 10 years: 11,000), so the page links to `results.json` and the projection spreadsheet
instead, which carry the same figures for every line.
"""

from __future__ import annotations

from planning import engine
from planning.dashboard.labels import band_label, role_name, status_tag
from planning.dashboard.rows import YearCell, YearsSection, YearTable, YearTableRow
from planning.dashboard.sections import required_text
from planning.formatting import NO_VALUE, fte, hours

LINE_TABLE_LIMIT = 20

# LineYear field → (table id, caption). Order: as the page shows them.
LINE_MEASURES = {
    "fte": ("line-years-fte", "FTE in post"),
    "leavers_fte": ("line-years-leavers", "Leavers (FTE)"),
    "recruits_fte": ("line-years-recruits", "Recruits (FTE)"),
    "trainees_qualifying_fte": ("line-years-qualifying", "Trainees qualifying (FTE)"),
    "vacancies_fte": ("line-years-vacancies", "Vacancies (FTE)"),
}


def years_of(result: engine.PlanResult) -> list[int]:
    return [year.year for year in result.years]


def capability_table(result: engine.PlanResult) -> YearTable | None:
    if not result.baseline.capability_coverage:
        return None
    by_year = [{item.capability_slug: item for item in year.capability_coverage} for year in result.years]
    rows = []
    for first in result.baseline.capability_coverage:
        cells = []
        for coverage in by_year:
            item = coverage[first.capability_slug]
            _, tag = status_tag(engine.STATUS_MET if item.met else engine.STATUS_NOT_MET)
            cells.append(YearCell(fte(item.available_fte), "Met" if item.met else "Short", tag))
        rows.append(YearTableRow(first.name, cells, f"Minimum {fte(first.min_fte)} FTE"))
    return YearTable(
        id="capability-years",
        caption="Capability coverage by year: FTE available against the minimum",
        row_header="Capability",
        years=years_of(result),
        rows=rows,
    )


def supervision_table(result: engine.PlanResult) -> YearTable | None:
    if not any(year.supervision.roles for year in result.years):
        return None

    def row(label, value):
        return YearTableRow(label, [YearCell(hours(value(year.supervision))) for year in result.years])

    return YearTable(
        id="supervision-years",
        caption="Supervision by year, hours a month",
        row_header="Figure",
        years=years_of(result),
        rows=[
            row("Need", lambda s: s.need_hours),
            row("Capacity", lambda s: s.capacity_hours),
            row("Covered", lambda s: s.covered_hours),
            row("Shortfall", lambda s: s.shortfall_hours),
        ],
    )


def targets_table(result: engine.PlanResult) -> YearTable | None:
    if not result.targets:
        return None
    rows = []
    for target in result.targets:
        cells = []
        for judged in target.by_year:
            label, tag = status_tag(judged.status)
            text = NO_VALUE if judged.actual is None else fte(judged.actual)
            cells.append(YearCell(text, label, tag))
        rows.append(YearTableRow(target.label, cells, f"Required: {required_text(target)}"))
    return YearTable(
        id="target-years",
        caption="Targets by year: the team's figure and whether the target is met",
        row_header="Target",
        years=years_of(result),
        rows=rows,
    )


def line_label(line: engine.LineYear, names: dict[str, str], note: str) -> str:
    """ "2. Mental health nurse, Band 6 (team leader)": the line's number in the engine's order, role, band, note."""
    label = f"{line.line_index + 1}. {role_name(line.role_slug, names)}, {band_label(line.band)}"
    return f"{label} ({note})" if note else label


def line_tables(result: engine.PlanResult, notes: list[str]) -> list[YearTable]:
    names = result.role_names
    labels = [line_label(line, names, notes[line.line_index]) for line in result.baseline.lines]
    tables = []
    for measure, (table_id, caption) in LINE_MEASURES.items():
        rows = [
            YearTableRow(label, [YearCell(fte(getattr(year.lines[index], measure))) for year in result.years])
            for index, label in enumerate(labels)
        ]
        tables.append(
            YearTable(
                id=table_id,
                caption=f"{caption} by staffing line",
                row_header="Staffing line",
                years=years_of(result),
                rows=rows,
            )
        )
    return tables


def years_section(result: engine.PlanResult, notes: list[str]) -> YearsSection:
    """`notes[i]`: the note of line i in the engine's order ("" for none)."""
    count = len(result.baseline.lines)
    shown = 0 < count <= LINE_TABLE_LIMIT
    return YearsSection(
        capabilities=capability_table(result),
        supervision=supervision_table(result),
        targets=targets_table(result),
        lines=line_tables(result, notes) if shown else [],
        line_count=count,
        lines_shown=shown,
        line_limit=LINE_TABLE_LIMIT,
    )

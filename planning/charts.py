"""Server-rendered SVG charts: the geometry is worked out here, in Python, and drawn by
`templates/planning/includes/chart_*.html`. No JavaScript and no inline style (the Content Security Policy
forbids both): shapes use SVG presentation attributes (`x`, `width`, `fill`, `stroke-dasharray`…).

Every chart is an image with a title and a description (`role="img"`, `aria-labelledby`), and every page that
shows one also shows a table of the same figures: the table is the accessible source of truth, the chart a
picture of it. Where two series are compared they differ in colour, line style and marker shape, and each is
labelled at the end of its line, so that nothing depends on colour alone.

All coordinates are user units of the SVG's viewBox, formatted as strings with a "." decimal point (templates
would otherwise localise floats).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
FONT_SIZE = 14
TEXT_COLOUR = "#212b32"  # NHS.UK text colour: 15.6:1 on white
AXIS_COLOUR = "#4c6272"  # NHS.UK secondary text colour: 6.1:1 on white
GRID_COLOUR = "#d8dde0"  # NHS.UK grey 4 (decoration only)
# Series colours, each at least 3:1 against white (WCAG 1.4.11, non-text contrast), and told apart by line
# style and marker shape as well.
SERIES_STYLES = (
    {"colour": "#005eb8", "dash": "", "marker": "circle"},  # NHS blue, 5.9:1, solid line, circles
    {"colour": "#212b32", "dash": "8 5", "marker": "square"},  # NHS black, 15.6:1, dashed line, squares
    {"colour": "#7c2855", "dash": "2 4", "marker": "triangle"},  # NHS dark pink, 9.6:1, dotted, triangles
)
BAR_COLOUR = "#005eb8"


def n(value: float) -> str:
    """A coordinate for an SVG attribute: at most 1 decimal place, no "-0"."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def nice_step(maximum: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 × a power of ten) giving about `ticks` intervals up to `maximum`."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude + 1e-12:
            return multiple * magnitude
    return 10 * magnitude


def axis_values(maximum: float, ticks: int = 5) -> list[float]:
    """0, step, 2 × step … up to the first multiple of the step at or above `maximum`."""
    step = nice_step(maximum, ticks)
    count = max(1, math.ceil(maximum / step - 1e-9))
    return [step * index for index in range(count + 1)]


def tick_text(value: float, step: float) -> str:
    """A tick's label with as many decimal places as the step needs (0.25 → 2, 0.5 → 1, 5 → 0)."""
    places = next((places for places in range(4) if abs(step * 10**places - round(step * 10**places)) < 1e-9), 4)
    return f"{value:,.{places}f}"


@dataclass
class Tick:
    text: str
    position: str  # x (bar chart) or y (line chart) of the tick
    label_x: str = ""
    label_y: str = ""


# ---------------------------------------------------------------------------------------------------------------
# Horizontal bar chart: one series, each bar labelled above with its name and at its end with its value
# ---------------------------------------------------------------------------------------------------------------

BAR_LABEL_HEIGHT = 20
BAR_HEIGHT = 22
BAR_GAP = 14
BAR_VALUE_ROOM = 150  # room right of the longest bar for its value


@dataclass
class Bar:
    label: str
    value_text: str
    x: str
    y: str
    width: str
    height: str
    label_y: str
    value_x: str
    value_y: str


class _Labelled:
    """An SVG chart's title and description ids, for `aria-labelledby` and `aria-describedby`."""

    id: str

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def description_id(self) -> str:
        return f"{self.id}-desc"


@dataclass
class BarChart(_Labelled):
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    axis_y: str
    axis_label: str
    axis_label_x: str
    axis_label_y: str
    plot_left: str
    plot_right: str
    colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR
    axis_colour: str = AXIS_COLOUR
    grid_colour: str = GRID_COLOUR
    font_size: int = FONT_SIZE


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, float, str]],
    axis_label: str,
) -> BarChart:
    """Horizontal bars for (label, value, value as text) triples; values below 0 are drawn as 0."""
    left, right = 8, WIDTH - BAR_VALUE_ROOM
    top = 8
    plot_width = right - left
    maximum = max((max(0.0, value) for _, value, _ in items), default=0.0)
    values = axis_values(maximum)
    scale_max = values[-1]
    row = BAR_LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP
    bars = []
    for index, (label, value, text) in enumerate(items):
        row_top = top + index * row
        bar_width = plot_width * max(0.0, value) / scale_max if scale_max else 0.0
        bar_y = row_top + BAR_LABEL_HEIGHT
        bars.append(
            Bar(
                label=label,
                value_text=text,
                x=n(left),
                y=n(bar_y),
                width=n(bar_width),
                height=n(BAR_HEIGHT),
                label_y=n(row_top + FONT_SIZE),
                value_x=n(left + bar_width + 6),
                value_y=n(bar_y + BAR_HEIGHT / 2 + FONT_SIZE / 3),
            )
        )
    axis_y = top + len(items) * row
    step = values[1] - values[0] if len(values) > 1 else 1.0
    ticks = [
        Tick(
            text=tick_text(value, step),
            position=n(left + plot_width * value / scale_max),
            label_y=n(axis_y + FONT_SIZE + 6),
        )
        for value in values
    ]
    return BarChart(
        id=id,
        title=title,
        description=description,
        width=WIDTH,
        height=int(axis_y + 2 * FONT_SIZE + 20),
        bars=bars,
        ticks=ticks,
        axis_y=n(axis_y),
        axis_label=axis_label,
        axis_label_x=n(left + plot_width / 2),
        axis_label_y=n(axis_y + 2 * FONT_SIZE + 14),
        plot_left=n(left),
        plot_right=n(right),
    )


# ---------------------------------------------------------------------------------------------------------------
# Line chart: several series over the same categories (years), y from 0
# ---------------------------------------------------------------------------------------------------------------

LINE_HEIGHT = 320
LINE_MARGIN_LEFT = 72
LINE_MARGIN_RIGHT = 120  # room for the series' end labels
LINE_MARGIN_TOP = 16
LINE_MARGIN_BOTTOM = 56
MARKER_SIZE = 5
END_LABEL_GAP = FONT_SIZE + 2


@dataclass
class Marker:
    shape: str  # circle, square or triangle
    x: str
    y: str
    cx: str = ""
    cy: str = ""
    size: str = ""
    path: str = ""  # triangle outline


@dataclass
class Series:
    name: str
    colour: str
    dash: str
    marker: str
    points: str
    markers: list[Marker]
    label_x: str
    label_y: str


@dataclass
class LineChart(_Labelled):
    id: str
    title: str
    description: str
    width: int
    height: int
    series: list[Series]
    x_labels: list[Tick]
    y_ticks: list[Tick]
    plot_left: str
    plot_right: str
    plot_top: str
    plot_bottom: str
    y_label: str
    y_label_x: str
    y_label_y: str
    x_label: str
    x_label_x: str
    x_label_y: str
    text_colour: str = TEXT_COLOUR
    axis_colour: str = AXIS_COLOUR
    grid_colour: str = GRID_COLOUR
    font_size: int = FONT_SIZE


def marker(shape: str, x: float, y: float) -> Marker:
    size = MARKER_SIZE
    if shape == "square":
        return Marker(shape=shape, x=n(x - size), y=n(y - size), size=n(2 * size))
    if shape == "triangle":
        path = f"M{n(x)} {n(y - size - 1)} L{n(x + size + 1)} {n(y + size)} L{n(x - size - 1)} {n(y + size)} Z"
        return Marker(shape=shape, x=n(x), y=n(y), path=path)
    return Marker(shape="circle", x=n(x), y=n(y), cx=n(x), cy=n(y), size=n(size))


def spread_labels(positions: list[float], *, gap: float, low: float, high: float) -> list[float]:
    """Move end-of-line labels apart (keeping their order) so that none is closer than `gap` to the next."""
    order = sorted(range(len(positions)), key=lambda index: positions[index])
    placed = [positions[index] for index in order]
    for index in range(1, len(placed)):
        placed[index] = max(placed[index], placed[index - 1] + gap)
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:
        placed = [max(low, value - overflow) for value in placed]
        for index in range(1, len(placed)):
            placed[index] = max(placed[index], placed[index - 1] + gap)
    result = [0.0] * len(positions)
    for rank, index in enumerate(order):
        result[index] = placed[rank]
    return result


def line_chart(
    *,
    id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    y_label: str,
    x_label: str,
) -> LineChart:
    """Lines for each (name, values) over `categories`; the y axis starts at 0."""
    left, right = LINE_MARGIN_LEFT, WIDTH - LINE_MARGIN_RIGHT
    top, bottom = LINE_MARGIN_TOP, LINE_HEIGHT - LINE_MARGIN_BOTTOM
    maximum = max((max(0.0, value) for _, values in series for value in values), default=0.0)
    values = axis_values(maximum)
    scale_max = values[-1]
    step = values[1] - values[0] if len(values) > 1 else 1.0
    count = len(categories)
    inset = 24  # keep the first and last markers off the axes

    def x_at(index: int) -> float:
        if count == 1:
            return (left + right) / 2
        return left + inset + (right - left - 2 * inset) * index / (count - 1)

    def y_at(value: float) -> float:
        return bottom - (bottom - top) * max(0.0, value) / scale_max

    drawn = []
    ends = []
    for number, (name, series_values) in enumerate(series):
        style = SERIES_STYLES[number % len(SERIES_STYLES)]
        coordinates = [(x_at(index), y_at(value)) for index, value in enumerate(series_values)]
        ends.append(coordinates[-1][1] + FONT_SIZE / 3 if coordinates else bottom)
        drawn.append(
            Series(
                name=name,
                colour=style["colour"],
                dash=style["dash"],
                marker=style["marker"],
                points=" ".join(f"{n(x)},{n(y)}" for x, y in coordinates),
                markers=[marker(style["marker"], x, y) for x, y in coordinates],
                label_x=n(x_at(count - 1) + 12),
                label_y="",
            )
        )
    for item, label_y in zip(drawn, spread_labels(ends, gap=END_LABEL_GAP, low=top, high=bottom + 4), strict=True):
        item.label_y = n(label_y)
    y_ticks = [
        Tick(text=tick_text(value, step), position=n(y_at(value)), label_x=n(left - 8), label_y=n(y_at(value) + 5))
        for value in values
    ]
    x_labels = [
        Tick(text=category, position=n(x_at(index)), label_x=n(x_at(index)), label_y=n(bottom + FONT_SIZE + 8))
        for index, category in enumerate(categories)
    ]
    return LineChart(
        id=id,
        title=title,
        description=description,
        width=WIDTH,
        height=LINE_HEIGHT,
        series=drawn,
        x_labels=x_labels,
        y_ticks=y_ticks,
        plot_left=n(left),
        plot_right=n(right),
        plot_top=n(top),
        plot_bottom=n(bottom),
        y_label=y_label,
        y_label_x=n(16),
        y_label_y=n((top + bottom) / 2),
        x_label=x_label,
        x_label_x=n((left + right) / 2),
        x_label_y=n(bottom + 2 * FONT_SIZE + 16),
    )

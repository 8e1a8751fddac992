"""An indicator's figures over time as a server-rendered SVG chart.

Server-side SVG rather than a JavaScript chart library: the page needs no script (so the
Content-Security-Policy stays strict), it renders identically without JavaScript, prints,
and the numbers can carry their comparator ("> 67", "≈ 8") as plain text labels.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from sco_tracker.tracking.diffs import format_number

from .models import COMPARATOR_SYMBOLS

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 44
# Okabe–Ito palette: distinguishable with colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def coordinate(value: float) -> str:
    """SVG coordinates are written unlocalised ("12.5", never "12,5")."""
    return f"{value:.1f}"


@dataclass
class Point:
    x: float
    y: float
    label: str
    title: str
    projected: bool = False  # a forecast or target: drawn hollow, joined by a dashed line

    @property
    def cx(self) -> str:
        return coordinate(self.x)

    @property
    def cy(self) -> str:
        return coordinate(self.y)

    @property
    def label_y(self) -> str:
        return coordinate(self.y - 10)


@dataclass
class Series:
    name: str
    colour: str
    points: list[Point] = field(default_factory=list)

    @property
    def path(self) -> str:
        """The line through the measurements."""
        return line([p for p in self.points if not p.projected])

    @property
    def projected_path(self) -> str:
        """A dashed line from the last measurement on through forecasts and targets."""
        measured = [p for p in self.points if not p.projected]
        projected = [p for p in self.points if p.projected]
        if not projected:
            return ""
        return line([*measured[-1:], *projected])


@dataclass
class Chart:
    has_projections: bool  # forecasts or targets among the points
    zero_y: str  # where the value axis crosses zero
    series: list[Series]
    x_ticks: list[str]  # year boundaries
    x_labels: list[tuple[str, str]]  # year names, centred on their year
    y_ticks: list[tuple[str, str]]
    unit_label: str
    left_out: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM


def line(points) -> str:
    if len(points) < 2:
        return ""
    return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(points))


def midpoint(start: datetime.date, end: datetime.date) -> float:
    return (start.toordinal() + end.toordinal()) / 2


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 × a power of ten) for a positive ``span``."""
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def point_title(subject, figure) -> str:
    title = f"{subject}, {figure.period_label_localized}: {figure.display_value}"
    if figure.observation_status != "actual":
        title += f" ({figure.get_observation_status_display()})"
    return title


def build_chart(indicator, figures, unit_label: str) -> Chart | None:
    """Chart the figures that have a period and the indicator's default unit; the others
    stay in the table (``left_out`` counts them)."""
    plotted = [
        f for f in figures if f.period_start and f.period_end and f.unit == indicator.default_unit
    ]
    if not plotted:
        return None
    scale = indicator.default_unit_multiplier

    def scaled(figure) -> Decimal:
        return figure.value.scaleb(figure.unit_multiplier - scale)

    xs = [midpoint(f.period_start, f.period_end) for f in plotted]
    x_min, x_max = min(xs), max(xs)
    if x_max - x_min < 365:
        x_min, x_max = x_min - 365, x_max + 365
    values = [float(scaled(f)) for f in plotted]
    # The axis always includes zero, so negative, zero and mixed-sign series read right.
    y_min, y_max = min(0.0, *values), max(0.0, *values)
    if y_max == y_min:
        y_max = y_min + 1.0
    step = nice_step((y_max - y_min) * 1.1)
    y_top = math.ceil(y_max * 1.05 / step) * step if y_max > 0 else 0.0
    y_bottom = math.floor(y_min * 1.05 / step) * step if y_min < 0 else 0.0

    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + (x - x_min) / (x_max - x_min) * plot_w

    def py(y: float) -> float:
        return TOP + (y_top - y) / (y_top - y_bottom) * plot_h

    by_subject: dict[str, list] = {}
    for figure in sorted(plotted, key=lambda f: (f.period_end, f.period_start)):
        by_subject.setdefault(figure.subject_label, []).append(figure)

    series = []
    for index, (subject, subject_figures) in enumerate(sorted(by_subject.items())):
        series_line = Series(name=subject, colour=PALETTE[index % len(PALETTE)])
        for figure in subject_figures:
            number = format_number(scaled(figure))
            symbol = COMPARATOR_SYMBOLS.get(figure.comparator, "")
            series_line.points.append(
                Point(
                    x=px(midpoint(figure.period_start, figure.period_end)),
                    y=py(float(scaled(figure))),
                    label=f"{symbol} {number}".strip(),
                    title=point_title(subject, figure),
                    projected=not figure.is_measurement,
                )
            )
        series.append(series_line)

    first_year = datetime.date.fromordinal(int(x_min)).year
    last_year = datetime.date.fromordinal(int(x_max)).year
    years = list(range(first_year, last_year + 1))
    stride = max(1, math.ceil(len(years) / 10))
    x_ticks = [
        coordinate(px(datetime.date(year, 1, 1).toordinal()))
        for year in years
        if x_min <= datetime.date(year, 1, 1).toordinal() <= x_max
    ]
    x_labels = [
        (coordinate(px(datetime.date(year, 7, 2).toordinal())), str(year))
        for year in years[::stride]
        if x_min <= datetime.date(year, 7, 2).toordinal() <= x_max
    ]
    y_ticks = []
    tick = y_bottom
    while tick <= y_top + step / 2:
        y_ticks.append((coordinate(py(tick)), format_number(Decimal(str(round(tick, 6))))))
        tick += step

    return Chart(
        has_projections=any(not f.is_measurement for f in plotted),
        zero_y=coordinate(py(0.0)),
        series=series,
        x_ticks=x_ticks,
        x_labels=x_labels,
        y_ticks=y_ticks,
        unit_label=unit_label,
        left_out=len(figures) - len(plotted),
    )

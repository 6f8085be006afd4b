"""The geometry of a target's chart, in SVG user units: years across, values up, the reported
values as a line, the baseline and the target value in the target year marked; the template
draws it."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil, floor, log10
from typing import TYPE_CHECKING

from bioplan.views.targets import plain_number

if TYPE_CHECKING:
    from bioplan.views.target_tracking import TrackedTarget


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    year: int
    label: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass
class Chart:
    """The geometry of a target's chart, in SVG user units; the template draws it."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    points: list[ChartPoint]  # the reported values, by year
    baseline: ChartPoint | None
    goal: ChartPoint | None  # the target value in the target year
    goal_y: float | None  # the target level, drawn across the chart

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def x_axis_y(self) -> float:
        return self.height - self.bottom


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) dividing ``span`` in about ``ticks`` parts."""
    if span <= 0:
        return 1.0
    rough = span / ticks
    power = 10 ** floor(log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


def chart(tracked: TrackedTarget, first_year: int | None) -> Chart | None:
    """The chart of a target: years across, values up; None when there is nothing to draw."""
    points = [(v.year, v.reading.number, v.text) for v in tracked.values]
    target_year = int(tracked.target.year) if tracked.target.year else None
    if not points and tracked.goal is None:
        return None
    years = [y for y, _, _ in points]
    years += [y for y in (tracked.baseline_year, target_year, first_year) if y is not None]
    low_year, high_year = min(years), max(years)
    if low_year == high_year:
        low_year, high_year = low_year - 1, high_year + 1
    numbers = [n for _, n, _ in points] + [n for n in (tracked.goal, tracked.baseline_value) if n is not None]
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    high += (high - low) * 0.08  # headroom for the labels above the highest point
    step = nice_step(high - low or 1)
    low, high = floor(low / step) * step, ceil(high / step) * step
    if high == low:
        high = low + step
    width, height, left, right, top, bottom = 640, 260, 64, 24, 24, 40

    def x(year: float) -> float:
        return left + (year - low_year) / (high_year - low_year) * (width - left - right)

    def y(number: float) -> float:
        return top + (high - number) / (high - low) * (height - top - bottom)

    year_step = max(1, ceil((high_year - low_year) / 10))
    x_ticks = [Tick(x(yr), str(yr)) for yr in range(low_year, high_year + 1, year_step)]
    count = round((high - low) / step)
    y_ticks = [Tick(y(low + i * step), plain_number(f"{low + i * step:.4f}") or "0") for i in range(count + 1)]
    baseline = None
    if tracked.baseline_value is not None and tracked.baseline_year is not None:
        text = plain_number(f"{tracked.baseline_value:.4f}") or ""
        baseline = ChartPoint(x(tracked.baseline_year), y(tracked.baseline_value), tracked.baseline_year, text)
    goal = None
    if tracked.goal is not None and target_year is not None:
        goal = ChartPoint(x(target_year), y(tracked.goal), target_year, tracked.goal_text or "")
    return Chart(
        width,
        height,
        left,
        right,
        top,
        bottom,
        x_ticks,
        y_ticks,
        [ChartPoint(x(yr), y(n), yr, text) for yr, n, text in points],
        baseline,
        goal,
        y(tracked.goal) if tracked.goal is not None else None,
    )

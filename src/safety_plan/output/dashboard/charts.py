"""Chart geometry for the dashboard, computed here and drawn as inline SVG by the templates.

Server-side SVG rather than a vendored charting library (ECharts is ~1 MB of JavaScript):
the charts are a handful of bars, a page with no script has nothing to go wrong offline or
in an old intranet browser, it prints as it shows, and every number in it can be tested
without a browser. The templates only place these shapes; all text goes through Jinja's
autoescaping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

LIGHTS = ("red", "yellow", "green")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    light: str
    """``red``, ``yellow``, ``green``, or another CSS class (``phase``, ``done`` …)."""
    label: str
    """The bar's tooltip (an SVG ``<title>``): what it stands for, with its number."""


def stacked(counts: dict[str, int], words: dict[str, str], width: float = 100.0) -> list[Bar]:
    """One horizontal bar split by light, in the order red, yellow, green; empty parts left out."""
    total = sum(counts.get(light, 0) for light in LIGHTS)
    bars: list[Bar] = []
    x = 0.0
    for light in LIGHTS:
        n = counts.get(light, 0)
        if not n or not total:
            continue
        share = width * n / total
        bars.append(Bar(round(x, 3), 0.0, round(share, 3), 1.0, light, f"{words[light]} {n} 次"))
        x += share
    return bars


def share_bar(done: int, due: int, width: float = 100.0) -> float:
    """The width of the done part of a bar of ``due``; 0 when nothing was due."""
    return round(width * done / due, 3) if due else 0.0


@dataclass(frozen=True)
class PhaseTrack:
    bars: list[Bar]
    marker: float | None
    """Where the as-of day falls along the track (0–100), or None outside the plan."""
    labels: list[tuple[float, str]]
    """(middle of a phase, its label)."""


def phase_track(phases: list[dict[str, Any]], as_of: dt.date) -> PhaseTrack:
    """The plan's phases end to end on a 0–100 track, each as long as it lasts."""
    if not phases:
        return PhaseTrack([], None, [])
    start = dt.date.fromisoformat(phases[0]["start"])
    end = dt.date.fromisoformat(phases[-1]["end"])
    span = (end - start).days + 1

    def at(day: dt.date) -> float:
        return round(100 * (day - start).days / span, 3)

    bars, labels = [], []
    for phase in phases:
        first, last = dt.date.fromisoformat(phase["start"]), dt.date.fromisoformat(phase["end"])
        x, x_end = at(first), at(last + dt.timedelta(days=1))
        state = "past" if last < as_of else "current" if first <= as_of else "future"
        bars.append(Bar(x, 0.0, round(x_end - x, 3), 1.0, state, f"第{phase['index']}阶段 {phase['name']}"))
        labels.append((round((x + x_end) / 2, 3), f"{phase['index']}"))
    marker = at(as_of) if start <= as_of <= end else None
    return PhaseTrack(bars, marker, labels)


@dataclass(frozen=True)
class TrendPanel:
    light: str
    word: str
    bars: list[Bar]
    peak: int
    latest: int
    ticks: list[tuple[float, str]]
    """(x of a bar's middle, ``YYYY-MM``) for the first month and every quarter's start."""
    width: float
    height: float


TREND_WIDTH, TREND_HEIGHT, _GAP = 300.0, 80.0, 0.2


def trend_panel(trend: list[dict[str, Any]], light: str, word: str) -> TrendPanel:
    """One light's count month by month as bars, scaled to its own peak (each panel starts at 0)."""
    values = [int(point[light]) for point in trend]
    peak = max(values, default=0)
    step = TREND_WIDTH / max(len(values), 1)
    bars, ticks = [], []
    for i, (point, value) in enumerate(zip(trend, values, strict=True)):
        height = TREND_HEIGHT * value / peak if peak else 0.0
        x = i * step + step * _GAP / 2
        bars.append(
            Bar(
                round(x, 3),
                round(TREND_HEIGHT - height, 3),
                round(step * (1 - _GAP), 3),
                round(height, 3),
                light,
                f"{point['month']} {word} {value} 次",
            )
        )
        month = str(point["month"])
        if i == 0 or month.endswith(("-01", "-07")):
            ticks.append((round(i * step + step / 2, 3), month))
    return TrendPanel(light, word, bars, peak, values[-1] if values else 0, ticks, TREND_WIDTH, TREND_HEIGHT)

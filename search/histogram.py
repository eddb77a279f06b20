"""A date histogram: cables per month (or per year over a long span), drawn as a
small inline SVG by ``templates/search/_histogram.html``. Pure functions, no Django:

* :func:`histogram_periods`: month counts -> every period of the span, the empty
  ones included (a time axis, not a list: a gap shows as a zero bar);
* :func:`histogram_chart`: those periods -> what the SVG draws (bars, their
  ``<title>``, axis labels, a text alternative), in the coordinates of its viewBox.

Months are numbered as the engine's columns number them: ``year * 12 + month - 1``
(:mod:`search.engine.columns`). A span of more than :data:`MAX_MONTHS` months (ten
years) is drawn per year: a bar stays a few pixels wide and every bar a target.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from cables.parsing.months import MONTH_NAMES

MAX_MONTHS = 120
WIDTH = 720  # viewBox units; the SVG scales to its column
PLOT_HEIGHT = 100
AXIS_PAD = 5  # below the lowest row of axis labels
MIN_BAR = 1.5  # a non-zero count is never drawn flat
TICK_SPACE = 44  # the least room one axis label needs
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)
MONTHS_NAMED = 24  # up to two years of months, each month is named on the axis


@dataclass(frozen=True)
class Period:
    """One bar: ``period`` is ``2008-02`` (a month) or ``2008`` (a year)."""

    period: str
    label: str
    year: int
    month: int | None
    count: int


def month_label(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1][:3]} {year}"


def histogram_periods(
    month_counts: Mapping[int, int], *, max_months: int = MAX_MONTHS
) -> list[Period]:
    """Every month (or, over more than ``max_months``, every year) from the first
    counted to the last, in order, zero where nothing was counted. Keys are
    ``year * 12 + month - 1``; negative keys (no date) and zero counts are not
    counted. No counts: no periods."""
    counted = {int(k): int(v) for k, v in month_counts.items() if k >= 0 and v > 0}
    if not counted:
        return []
    first, last = min(counted), max(counted)
    if last - first + 1 <= max_months:
        return [
            Period(
                period=f"{key // 12:04d}-{key % 12 + 1:02d}",
                label=month_label(key // 12, key % 12 + 1),
                year=key // 12,
                month=key % 12 + 1,
                count=counted.get(key, 0),
            )
            for key in range(first, last + 1)
        ]
    years: dict[int, int] = {}
    for key, count in counted.items():
        years[key // 12] = years.get(key // 12, 0) + count
    return [
        Period(
            period=f"{year:04d}", label=str(year), year=year, month=None, count=years.get(year, 0)
        )
        for year in range(first // 12, last // 12 + 1)
    ]


def year_periods(year_counts: Iterable[tuple[int, int]]) -> list[Period]:
    """Every year from the first counted to the last, in order, zero where nothing
    was counted: ``[(2004, 3), (2008, 1)]`` -> 2004, 2005, 2006, 2007, 2008 (a time
    axis: 1972 and 1990 are not neighbours). The per-year series of a tag, a post, a
    person or the whole archive, drawn by :func:`histogram_chart` like a search's."""
    counted: dict[int, int] = {}
    for year, count in year_counts:
        if count and count > 0:
            counted[int(year)] = counted.get(int(year), 0) + int(count)
    if not counted:
        return []
    return [
        Period(
            period=f"{year:04d}", label=str(year), year=year, month=None, count=counted.get(year, 0)
        )
        for year in range(min(counted), max(counted) + 1)
    ]


def histogram_entries(
    periods: Sequence[Period], url: Callable[[int, int | None], str]
) -> list[dict]:
    """Periods as plain data (what a JSON twin shows and a cache keeps): ``{period,
    label, count, url}``; ``url(year, month)`` narrows to the period (no link for an
    empty one: it would lead to no cables)."""
    return [
        {
            "period": p.period,
            "label": p.label,
            "count": p.count,
            "url": url(p.year, p.month) if p.count else None,
        }
        for p in periods
    ]


@dataclass(frozen=True)
class Bar:
    period: str
    label: str
    count: int
    url: str | None
    title: str  # the bar's <title> and its link's accessible name
    x: float
    width: float
    y: float
    height: float


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str
    anchor: str  # SVG text-anchor: start (a year under month bars) or middle
    year: int | None = None  # the year a label under month bars names
    url: str | None = None  # then: the search narrowed to that year


@dataclass(frozen=True)
class Chart:
    resolution: str  # "month" or "year"
    bars: list[Bar]
    ticks: list[Tick]
    width: int
    height: int
    plot_height: int
    total: int
    peak: Bar
    empty: int  # periods with no cables
    description: str  # the text alternative

    @property
    def first(self) -> Bar:
        return self.bars[0]

    @property
    def last(self) -> Bar:
        return self.bars[-1]


def _cables(n: int) -> str:
    return f"{n:,} cable{'' if n == 1 else 's'}"


def _ticks(resolution: str, bars: list[Bar], step: float) -> list[Tick]:
    """Axis labels that do not crowd: years (every one, or every 2nd, 5th...) under
    year bars; under up to :data:`MONTHS_NAMED` month bars each month's name and, on
    a second row, the year where it starts; under more months, the years."""
    first_row, second_row = PLOT_HEIGHT + 13, PLOT_HEIGHT + 26
    if resolution == "year":
        every = next((k for k in YEAR_STEPS if k * step >= TICK_SPACE), YEAR_STEPS[-1])
        if len(bars) == 1:
            every = 1
        return [
            Tick(bar.x + bar.width / 2, first_row, bar.label, "middle")
            for bar in bars
            if int(bar.period) % every == 0
        ]
    if len(bars) <= MONTHS_NAMED:
        ticks = [
            Tick(i * step + step / 2, first_row, b.label[:3], "middle") for i, b in enumerate(bars)
        ]
        years = [
            Tick(i * step, second_row, b.period[:4], "start", int(b.period[:4]))
            for i, b in enumerate(bars)
            if b.period.endswith("-01")
        ]
        if not years or years[0].x >= TICK_SPACE:  # the year where the axis starts
            first = bars[0].period[:4]
            years.insert(0, Tick(0.0, second_row, first, "start", int(first)))
        return ticks + years
    every = next((k for k in YEAR_STEPS if k * 12 * step >= TICK_SPACE), YEAR_STEPS[-1])
    ticks = [
        Tick(i * step, first_row, bar.period[:4], "start", int(bar.period[:4]))
        for i, bar in enumerate(bars)
        if bar.period.endswith("-01") and int(bar.period[:4]) % every == 0
    ]
    if not ticks or ticks[0].x >= TICK_SPACE * 1.6:  # name where the axis starts
        ticks.insert(0, Tick(0.0, first_row, bars[0].label, "start", int(bars[0].period[:4])))
    return ticks


def histogram_chart(
    entries: Sequence[Mapping], *, year_url: Callable[[int], str] | None = None
) -> Chart | None:
    """The SVG's data for ``entries`` (``{period, label, count, url}``, in time order,
    as :func:`histogram_entries` makes them); None when there is nothing to draw.
    ``year_url(year)``: under month bars, each year named on the axis links there
    (when it has cables), so a year can be chosen as well as a month."""
    if not entries or not any(e["count"] for e in entries):
        return None
    resolution = "year" if len(entries[0]["period"]) == 4 else "month"
    n = len(entries)
    step = WIDTH / n
    gap = min(step * 0.15, 2.0) if step >= 3 else 0.0
    peak_count = max(int(e["count"]) for e in entries)
    bars = []
    for i, entry in enumerate(entries):
        count = int(entry["count"])
        height = PLOT_HEIGHT * count / peak_count if count else 0.0
        if count:
            height = max(height, MIN_BAR)
        title = f"{entry['label']}: {_cables(count) if count else 'no cables'}"
        bars.append(
            Bar(
                period=entry["period"],
                label=entry["label"],
                count=count,
                url=entry.get("url") if count else None,
                title=title,
                x=i * step + gap / 2,
                width=step - gap,
                y=PLOT_HEIGHT - height,
                height=height,
            )
        )
    peak = max(bars, key=lambda b: b.count)  # the first of the tallest
    total = sum(b.count for b in bars)
    empty = sum(1 for b in bars if not b.count)
    unit = "month" if resolution == "month" else "year"
    span = f"in {bars[0].label}" if n == 1 else f"from {bars[0].label} to {bars[-1].label}"
    description = f"Cables per {unit} {span}: {_cables(total)}"
    if n > 1:
        description += f"; the most, {peak.count:,}, in {peak.label}"
    if empty:
        description += f"; {empty:,} {unit}{'' if empty == 1 else 's'} with none"
    ticks = _ticks(resolution, bars, step)
    if year_url is not None and resolution == "month":
        counted = {int(b.period[:4]) for b in bars if b.count}
        ticks = [replace(t, url=year_url(t.year)) if t.year in counted else t for t in ticks]
    return Chart(
        resolution=resolution,
        bars=bars,
        ticks=ticks,
        width=WIDTH,
        height=round(max((t.y for t in ticks), default=PLOT_HEIGHT) + AXIS_PAD),
        plot_height=PLOT_HEIGHT,
        total=total,
        peak=peak,
        empty=empty,
        description=description + ".",
    )

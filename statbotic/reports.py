"""Range summaries: pure functions from RangeTotals to figures.  No I/O."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .metrics import RANGE_METRICS, RangeMetric
from .records import RangeTotals


@dataclass(frozen=True)
class Figure:
    """One metric over a range.  ``value`` is None when it can't be computed (no data, zero denominator)."""

    metric: RangeMetric
    value: float | None
    numerator: float
    denominator: float | None  # None for totals
    per_day: float | None  # totals only: value / days with data

    @property
    def sample(self) -> float | None:
        return self.denominator


@dataclass(frozen=True)
class Summary:
    start: date
    end: date
    days_in_range: int
    days_with_data: int
    missing: tuple[date, ...]
    figures: tuple[Figure, ...]
    sums: dict

    @property
    def has_data(self) -> bool:
        return self.days_with_data > 0

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.metric.key == key)


def summarise(totals: RangeTotals) -> Summary:
    """Totals, per-day averages (over days with data) and ratios of sums for one range."""
    days = len(totals.days_with_data)
    figures = tuple(_figure(metric, totals.sums, days) for metric in RANGE_METRICS)
    return Summary(
        start=totals.start,
        end=totals.end,
        days_in_range=(totals.end - totals.start).days + 1,
        days_with_data=days,
        missing=tuple(missing_dates(totals.start, totals.end, totals.days_with_data)),
        figures=figures,
        sums=dict(totals.sums),
    )


def _figure(metric: RangeMetric, sums, days: int) -> Figure:
    numerator = sums[metric.numerator]
    if metric.is_total:
        return Figure(metric, numerator if days else None, numerator, None, numerator / days if days else None)
    denominator = sums[metric.denominator]
    value = metric.scale * numerator / denominator if denominator else None
    return Figure(metric, value, numerator, denominator, None)


def missing_dates(start: date, end: date, present) -> Iterator[date]:
    have = set(present)
    day = start
    while day <= end:
        if day not in have:
            yield day
        day += timedelta(days=1)


def date_runs(dates) -> list[tuple[date, date]]:
    """Consecutive dates folded into (first, last) runs, for listing missing days briefly."""
    runs: list[tuple[date, date]] = []
    for day in dates:
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs

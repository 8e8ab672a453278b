"""Range summaries: pure functions from RangeTotals to figures.  No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta

from .frozen import frozen, replace
from .metrics import RANGE_METRICS, RangeMetric
from .records import DayRecord, RangeTotals


@frozen
class Figure:
    """One metric over a range.  ``value`` is None when it can't be computed (no data, zero denominator)."""

    metric: RangeMetric
    value: float | None
    numerator: float
    denominator: float | None  # None for totals
    per_day: float | None  # totals only: value / days with data

    @property
    def low_confidence(self) -> bool:
        """A ratio built on fewer observations than its metric trusts (e.g. CSAT on < 30 ratings)."""
        return self.value is not None and self.denominator is not None and self.denominator < self.metric.min_sample


@frozen
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


def consecutive_runs(items, day_of=lambda item: item) -> list[list]:
    """Items in date order, split wherever a day is missing (``day_of`` gives an item's date)."""
    runs: list[list] = []
    for item in items:
        if runs and (day_of(item) - day_of(runs[-1][-1])).days == 1:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def date_runs(dates) -> list[tuple[date, date]]:
    """Consecutive dates folded into (first, last) runs, for listing missing days briefly."""
    return [(run[0], run[-1]) for run in consecutive_runs(dates)]


def day_figures(record: DayRecord) -> dict[str, Figure]:
    """Every range metric over one day alone; a metric that was typed in keeps the typed value
    (a day entered as 90 % CSAT is judged at 90 %, not at its rounded good/rated ratio)."""
    components = record.components
    figures = {}
    for metric in RANGE_METRICS:
        figure = _figure(metric, components, 1)
        if figure.value is not None and metric.key in record.entered:
            figure = replace(figure, value=record.entered[metric.key])
        figures[metric.key] = figure
    return figures


@frozen
class TargetCheck:
    target: float
    met: bool | None  # None when the range has no figure to judge
    days_met: int  # days whose own figure meets the target
    days_judged: int  # days that have a figure for this metric


@frozen
class Change:
    previous: float | None
    delta: float | None
    percent: float | None  # None when the previous figure is 0 or missing


@frozen
class Report:
    """What View shows: the summary, targets, the comparison and (optionally) every day."""

    summary: Summary
    previous: Summary
    targets: dict[str, TargetCheck]
    changes: dict[str, Change]
    daily: tuple[tuple[DayRecord, dict[str, Figure]], ...]


def build_report(
    summary: Summary, previous: Summary, records: Iterable[DayRecord], targets: Mapping[str, float]
) -> Report:
    daily = tuple((record, day_figures(record)) for record in records)
    return Report(
        summary=summary,
        previous=previous,
        targets={key: check_target(summary.figure(key), daily, target) for key, target in targets.items()},
        changes={f.metric.key: change(f.value, previous.figure(f.metric.key).value) for f in summary.figures},
        daily=daily,
    )


def check_target(figure: Figure, daily, target: float) -> TargetCheck:
    values = [figures[figure.metric.key].value for _, figures in daily]
    judged = [v for v in values if v is not None]
    return TargetCheck(
        target=target,
        met=None if figure.value is None else figure.metric.meets(figure.value, target),
        days_met=sum(figure.metric.meets(v, target) for v in judged),
        days_judged=len(judged),
    )


def change(current: float | None, previous: float | None) -> Change:
    if current is None or previous is None:
        return Change(previous, None, None)
    delta = current - previous
    return Change(previous, delta, 100 * delta / previous if previous else None)

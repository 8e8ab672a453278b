"""Range summaries: pure functions from RangeTotals to figures.  No I/O.

Every figure is an exact ``Fraction`` (or an integer sum): rounding happens only when a figure is
shown or exported (exact.py), so a figure is the same whichever store summed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from fractions import Fraction

from .frozen import frozen
from .metrics import BUILTIN, Goal, Metrics, RangeMetric
from .records import DayRecord, RangeTotals


@frozen
class Figure:
    """One metric over a range.  ``value`` is None when it can't be computed (no data, zero denominator)."""

    metric: RangeMetric
    value: Fraction | None
    numerator: int
    denominator: int | None  # None for totals
    per_day: Fraction | None  # totals only: value / days with data
    has_data: bool = True  # False: no day of it has a value for the metric (a day before it existed)

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
    metric_days: Mapping[str, int] | None = None  # each figure's days with data, by key

    def days_of(self, key: str) -> int:
        """The days with data of one figure (fewer than the range's when its metric was added later)."""
        return self.days_with_data if self.metric_days is None else self.metric_days.get(key, 0)

    @property
    def has_data(self) -> bool:
        return self.days_with_data > 0

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.metric.key == key)


def summarise(totals: RangeTotals, metrics: Metrics = BUILTIN) -> Summary:
    """Totals, per-day averages (over each metric's days with data) and ratios of sums for one range."""
    days = len(totals.days_with_data)
    metric_days = _metric_days(metrics, totals, days)
    sums = metrics.range_sums(totals.sums)
    figures = tuple(_figure(metric, sums, metric_days[metric.key]) for metric in metrics.range_metrics)
    return Summary(
        start=totals.start,
        end=totals.end,
        days_in_range=(totals.end - totals.start).days + 1,
        days_with_data=days,
        missing=tuple(missing_dates(totals.start, totals.end, totals.days_with_data)),
        figures=figures,
        sums=sums,
        metric_days=metric_days,
    )


def _metric_days(metrics: Metrics, totals: RangeTotals, days: int) -> dict[str, int]:
    """Each figure's days with data: its metric's own (every day when the store gives none); a ratio's,
    the fewer of its two counts'."""
    own = totals.metric_days
    counted = {}
    for metric in metrics.range_metrics:
        definition = metrics.by_key[metric.key]
        keys = definition.bases if not definition.entered else (definition.key,)
        counted[metric.key] = min((own.get(k, 0) if own else days) for k in keys) if keys else days
    return counted


def _figure(metric: RangeMetric, sums, days: int) -> Figure:
    """The metric over ``days`` days with data for it (0: none, so no figure, and ``has_data`` False)."""
    numerator = sums[metric.numerator]
    if metric.is_total:
        value = Fraction(numerator) if days else None
        return Figure(metric, value, numerator, None, Fraction(numerator, days) if days else None, days > 0)
    denominator = sums[metric.denominator]
    value = metric.scale * Fraction(numerator, denominator) if denominator and days else None
    return Figure(metric, value, numerator, denominator, None, days > 0)


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


def day_figures(record: DayRecord, metrics: Metrics = BUILTIN) -> dict[str, Figure]:
    """Every range metric over one day alone, from the day's own components: a day is judged by the
    same figure a range of that one day shows."""
    return entry_figures(record.entered, metrics)


def entry_figures(entered: Mapping[str, int], metrics: Metrics = BUILTIN) -> dict[str, Figure]:
    """Every range metric over one day's entered figures (no figure for a metric the day has no value for)."""
    components = metrics.components_of(entered)
    days = metrics.days_of(entered)
    return {metric.key: _figure(metric, components, days[metric.key]) for metric in metrics.range_metrics}


@frozen
class TargetCheck:
    """A target against the range: a total's per-day figure, or a ratio's range figure (see ``judged``)."""

    goal: Goal
    value: Fraction | None  # the figure judged; None when the range has no figure to judge
    met: bool | None  # None when the range has no figure to judge
    days_met: int  # days whose own figure meets the target
    days_judged: int  # days that have a figure for this metric


def judged(figure: Figure) -> Fraction | None:
    """The figure a target is compared with: a total's per-day figure ("chats >= 40 per day"), else the
    range figure.  A day alone is judged the same way, so its total is its per-day figure."""
    return figure.per_day if figure.metric.is_total else figure.value


# What a Change compares: a total's sum, a total's sum per day with data, or a rate as it is.
TOTAL, PER_DAY, RATE = "total", "per day", "rate"


@frozen
class Change:
    """This period's figure against the previous period's, on the same ``basis`` (TOTAL, PER_DAY or RATE)."""

    previous: Fraction | None
    delta: Fraction | None
    percent: Fraction | None  # None when the previous figure is 0 or missing
    current: Fraction | None = None  # the figure compared: a total's per-day figure when basis is PER_DAY
    basis: str = TOTAL


@frozen
class Report:
    """What View shows: the summary, targets, the comparison and (optionally) every day."""

    summary: Summary
    previous: Summary
    targets: dict[str, TargetCheck]
    changes: dict[str, Change]
    daily: tuple[tuple[DayRecord, dict[str, Figure]], ...]

    @property
    def counts_compare_per_day(self) -> bool:
        return counts_per_day(self.summary, self.previous)

    @property
    def goals(self) -> dict[str, Goal]:
        """The targets this report was built with: metric key -> goal."""
        return {key: check.goal for key, check in self.targets.items()}


def build_report(
    summary: Summary,
    previous: Summary,
    records: Iterable[DayRecord],
    goals: Mapping[str, Goal],
    keep_days: bool = True,
    metrics: Metrics = BUILTIN,
) -> Report:
    """The report; without ``keep_days`` the days are read once, for the targets, and not kept (exports
    stream them again), so memory stays flat however long the range."""
    daily = tuple((record, day_figures(record, metrics)) for record in records) if keep_days else ()
    each_day = (figures for _, figures in daily) if keep_days else (day_figures(r, metrics) for r in records)
    return Report(
        summary=summary,
        previous=previous,
        targets=check_targets(summary, each_day, goals),
        changes=compare(summary, previous),
        daily=daily,
    )


def check_targets(
    summary: Summary, each_day: Iterable[Mapping[str, Figure]], goals: Mapping[str, Goal]
) -> dict[str, TargetCheck]:
    """Each goal against the range's figure and against every day's own figure, in one pass over the days."""
    met, judged_days = dict.fromkeys(goals, 0), dict.fromkeys(goals, 0)
    for figures in each_day if goals else ():
        for key, goal in goals.items():
            value = judged(figures[key])
            if value is not None:
                judged_days[key] += 1
                met[key] += goal.met_by(value)
    checks = {}
    for key, goal in goals.items():
        value = judged(summary.figure(key))
        checks[key] = TargetCheck(
            goal, value, None if value is None else goal.met_by(value), met[key], judged_days[key]
        )
    return checks


def counts_per_day(summary: Summary, previous: Summary) -> bool:
    """Whether totals compare per day with data: when both periods have data but on different numbers
    of days (6 days of work against 7 is not a drop of a seventh)."""
    return summary.has_data and previous.has_data and summary.days_with_data != previous.days_with_data


def compare(summary: Summary, previous: Summary) -> dict[str, Change]:
    """Every metric against the previous period: totals as totals, or per day when the days with data
    differ (counts_per_day); rates (a wait, CSAT, comments per solve) as they are."""
    changes = {}
    for figure in summary.figures:
        key = figure.metric.key
        before = previous.figure(key)
        days, days_before = summary.days_of(key), previous.days_of(key)
        if not figure.metric.is_total:
            changes[key] = change(figure.value, before.value, RATE)
        elif days and days_before and days != days_before:
            changes[figure.metric.key] = change(figure.per_day, before.per_day, PER_DAY)
        else:
            changes[figure.metric.key] = change(figure.value, before.value, TOTAL)
    return changes


def change(current: Fraction | None, previous: Fraction | None, basis: str = TOTAL) -> Change:
    if current is None or previous is None:
        return Change(previous, None, None, current, basis)
    delta = current - previous
    return Change(previous, delta, 100 * delta / previous if previous else None, current, basis)


# The orders of the daily breakdown: by date, or worst days first (by shortfall).
BY_DATE, WORST_FIRST = "date", "worst"
DAY_ORDERS = (BY_DATE, WORST_FIRST)


@frozen
class DayLine:
    """One day of a range in the daily breakdown; ``record`` None when the day has no data."""

    day: date
    record: DayRecord | None
    figures: dict[str, Figure]  # the day's own figures (empty without data)
    marks: dict[str, bool | None]  # per target: met, missed, or None when the day has no figure for it
    shortfall: Fraction | None  # how far the day misses its targets (None without data)


def day_marks(figures: Mapping[str, Figure], goals: Mapping[str, Goal]) -> dict[str, bool | None]:
    """Each target judged by the day's own figure: True met, False missed, None when it has no figure."""
    values = {key: judged(figures[key]) for key in goals}
    return {key: None if values[key] is None else goal.met_by(values[key]) for key, goal in goals.items()}


def shortfall(value: Fraction | None, goal: Goal) -> Fraction:
    """How far ``value`` misses the goal, as a share of its value: 0 when met or when there is no value;
    (95 - 76) / 95 = 0.2 for a CSAT of 76 % against >= 95 %; (3 - 2) / 2 = 0.5 for 3 comments per solve
    against <= 2.  Against a target of 0 the plain distance counts."""
    if value is None or goal.met_by(value):
        return Fraction(0)
    distance = abs(value - goal.value)
    return distance / goal.value if goal.value else distance


def day_shortfall(figures: Mapping[str, Figure], goals: Mapping[str, Goal]) -> Fraction:
    """The worst-days score: the sum of the day's shortfalls over every metric with a target (0 when the
    day meets every target it has a figure for)."""
    return sum((shortfall(judged(figures[key]), goal) for key, goal in goals.items()), Fraction(0))


def day_lines(report: Report, order: str = BY_DATE) -> list[DayLine]:
    """Every day of the report's range.  BY_DATE: in date order, days without data in their place.
    WORST_FIRST: the largest day_shortfall first, ties by date, so days meeting every target come after
    every day that misses one; days without data last, by date.  Without targets there is nothing to
    rank by: date order."""
    goals = report.goals
    by_day = {record.day: (record, figures) for record, figures in report.daily}
    lines = []
    for day in (report.summary.start + timedelta(days=n) for n in range(report.summary.days_in_range)):
        record, figures = by_day.get(day, (None, {}))
        if record is None:
            lines.append(DayLine(day, None, {}, {}, None))
        else:
            lines.append(DayLine(day, record, figures, day_marks(figures, goals), day_shortfall(figures, goals)))
    if order == WORST_FIRST and goals:
        lines.sort(key=lambda line: (line.record is None, -(line.shortfall or 0), line.day))
    return lines

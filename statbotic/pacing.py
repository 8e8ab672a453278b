"""Pacing (issue 14): what the rest of a running period needs for each target to be met.

"Chat CSAT 93.8 % so far this month; at the usual ~40 ratings a day, the remaining 3 days need
97.4 % positive to reach 95.0 %" -- from sums only, exactly (Fractions; rounded only when shown, by
ui/pacing_words.py, the one place that words a Pace for the views, ``check`` and the report).

A period is *running* when today falls within it, to the end of its week, month, quarter or year
(``this month`` is cut at today, to date, by periods.to_date; pacing looks at the whole month).
A lead enters a day's figures once it is over, so the *remaining* days are the days from today to
the period's end that have no figures yet (today included); a day before today without figures is
*missing*, not remaining: nothing more is expected of it.  A day from today on that already has
figures counts with the days so far.

The *usual volume* of a ratio is the team's own mean daily base (ratings for CSAT, chats for the
wait, solves for comments per solve): the sum of the base over the days among the RECENT_DAYS days
before today that have a figure for the metric, divided by those days (the period's days so far are
among them).  A total judged per day (chats >= 40 per day) is paced by days: its "volume" is one day
a day.  The remaining days are assumed to bring that volume and to be entered.

For a ratio with numerator N and base B so far, scale s (100 for a percentage), target g, and a
remaining base R = usual x remaining days, the figure at the end is s (N + n) / (B + R) when the
remaining days bring n: it equals g when n / R x s = (g (B + R) - s N) / R, the *needed* figure.
A total per day is the same sum with N the total so far, B its days with data, s = 1 and R the
remaining days: (g (B + R) - N) / R a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from enum import Enum
from fractions import Fraction

from . import services
from .frozen import frozen
from .goals import Direction, Goal
from .metric_kinds import Kind, MetricDefinition
from .metrics import Metrics, RangeMetric
from .periods import Period, whole_period
from .records import DayRecord
from .reports import Report, summarise

RECENT_DAYS = 28  # the days before today whose figures make the usual daily volume


class PaceStatus(Enum):
    ON_TRACK = "on_track"  # reachable, and the figure so far meets the target: keep it up
    NEEDS = "needs"  # reachable, but the figure so far misses the target (or there is none yet)
    OUT_OF_REACH = "out_of_reach"  # the needed figure is beyond the metric's bounds (or no days are left)
    SECURED = "secured"  # met whatever the remaining days bring (within the metric's bounds)
    NO_VOLUME = "no_volume"  # no recent volume to pace from (or no figure and no days left)


@frozen
class Pace:
    """One target of a running period.  ``value``: the figure so far as the target judges it (a total
    per day), None when there is none yet; ``base``: what it rests on so far (a ratio's base, e.g.
    ratings; a total's days with data); ``usual``: the usual daily volume (a ratio's base per day; 1
    for a total, paced by days), None when there is none; ``needed``: the figure the remaining days
    must bring (a ratio over their base, a total per day), None when it can't be worked out (no
    volume, no days left).  ``period``: the whole period, to its last day."""

    metric: RangeMetric
    goal: Goal
    period: Period
    value: Fraction | None
    base: int
    days_remaining: int
    usual: Fraction | None
    needed: Fraction | None
    status: PaceStatus

    @property
    def reachable(self) -> bool:
        return self.status in (PaceStatus.ON_TRACK, PaceStatus.NEEDS)


Bounds = tuple[Fraction, Fraction | None]  # the lowest and highest a figure can be (None: no top)


def running(period: Period, today: date) -> Period | None:
    """The whole period (whole_period) when today falls within it, else None (a past or future period)."""
    whole = whole_period(period)
    return whole if whole.start <= today <= whole.end else None


def bounds_of(definition: MetricDefinition, metric: RangeMetric) -> Bounds:
    """What the metric's figure can be, in its unit: a share from 0 to its scale (100 %); a count per
    day or a duration within what may be typed; a ratio of two counts from 0 with no top."""
    if definition.kind is Kind.SHARE:
        return Fraction(0), metric.scale
    if definition.kind is Kind.RATIO:
        return Fraction(0), None
    return Fraction(definition.minimum), Fraction(definition.maximum)


def pace(
    metric: RangeMetric,
    goal: Goal,
    period: Period,
    numerator: int,
    base: int,
    days_remaining: int,
    usual: Fraction | None,
    bounds: Bounds,
) -> Pace:
    """The pace of one target from the sums so far (see the module's docstring): ``numerator`` and
    ``base`` are a ratio's sums (a total's sum and its days with data), ``usual`` its usual base a day
    (1 for a total).  Pure and exact."""
    scale = Fraction(1) if metric.is_total else metric.scale
    value = scale * Fraction(numerator, base) if base else None
    remaining = (usual or 0) * days_remaining
    if not remaining:
        status = _final_status(value, goal) if days_remaining == 0 else PaceStatus.NO_VOLUME
        return Pace(metric, goal, period, value, base, days_remaining, usual, None, status)
    needed = (goal.value * (base + remaining) - scale * numerator) / remaining
    return Pace(metric, goal, period, value, base, days_remaining, usual, needed, _status(value, goal, needed, bounds))


def _final_status(value: Fraction | None, goal: Goal) -> PaceStatus:
    """No days left: the figure so far is the period's."""
    if value is None:
        return PaceStatus.NO_VOLUME
    return PaceStatus.SECURED if goal.met_by(value) else PaceStatus.OUT_OF_REACH


def _status(value: Fraction | None, goal: Goal, needed: Fraction, bounds: Bounds) -> PaceStatus:
    lowest, highest = bounds
    if goal.direction is Direction.AT_LEAST:
        secured, beyond = needed <= lowest, highest is not None and needed > highest
    else:
        secured, beyond = highest is not None and needed >= highest, needed < lowest
    if secured:
        return PaceStatus.SECURED
    if beyond:
        return PaceStatus.OUT_OF_REACH
    return PaceStatus.ON_TRACK if value is not None and goal.met_by(value) else PaceStatus.NEEDS


def usual_volume(records: Iterable[DayRecord], metric: RangeMetric, metrics: Metrics) -> Fraction | None:
    """A ratio's mean base a day over the days of ``records`` with a figure for the metric (None: none)."""
    days, base = 0, 0
    for record in records:
        if metrics.days_of(record.entered)[metric.key]:
            days += 1
            base += metrics.components_of(record.entered)[metric.denominator]
    return Fraction(base, days) if days else None


def paces_of(
    records: Sequence[DayRecord], whole: Period, goals: Mapping[str, Goal], metrics: Metrics, today: date
) -> list[Pace]:
    """Every target's pace, in the metrics' order, from the team's days (in any order) covering the
    whole running period ``whole`` and the RECENT_DAYS days before ``today``.  Pure."""
    current = [record for record in records if whole.start <= record.day <= whole.end]
    recent = [record for record in records if today - timedelta(days=RECENT_DAYS) <= record.day < today]
    so_far = summarise(services.totals_of(current, whole, metrics), metrics)
    remaining = (whole.end - today).days + 1 - len({record.day for record in current if record.day >= today})
    found = []
    for metric in metrics.range_metrics:
        if metric.key not in goals:
            continue
        figure, definition = so_far.figure(metric.key), metrics.by_key[metric.key]
        if metric.is_total:
            numerator, base, usual = figure.numerator, so_far.days_of(metric.key), Fraction(1)
        else:
            numerator, base, usual = figure.numerator, figure.denominator, usual_volume(recent, metric, metrics)
        bounds = bounds_of(definition, metric)
        found.append(pace(metric, goals[metric.key], whole, numerator, base, remaining, usual, bounds))
    return found


def view_and_paces(
    store,
    team: str,
    period: Period,
    settings_targets: Mapping[str, Fraction],
    *,
    user,
    today: date,
    metrics: Metrics | None = None,
) -> tuple[Report, list[Pace]]:
    """services.view_report's report and, when the period is running, its paces, in the view's own
    store reads: the targets once and one range read, widened to the recent window and to the period's
    last day (a remote store's round trip costs more than the few extra days).  A period that has
    ended is services.view_report's, with no paces.  Forbidden unless the user may view the team."""
    whole = running(period, today)
    if whole is None:
        return services.view_report(store, team, period, settings_targets, user=user, metrics=metrics), []
    metrics = metrics or services.team_metrics(store, team)
    since = today - timedelta(days=RECENT_DAYS)
    report, days = services.view_and_days(
        store, team, period, settings_targets, user=user, metrics=metrics, since=since, until=whole.end
    )
    goals = report.goals
    return report, paces_of(days, whole, goals, metrics, today) if goals else []

"""What a lead should hear about without looking (issue 14, `statbotic check`): each day of a period
that has no figures, and each target a day's own figure missed.  Pure: a Report in, findings out; the
command words and prints them."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from .frozen import frozen
from .goals import Goal
from .metrics import RangeMetric
from .reports import BY_DATE, Report, day_lines, judged

MISSING, MISSED = "missing", "missed"


@frozen
class Finding:
    """A day without figures (MISSING), or a target its own figure missed (MISSED): the metric, the
    figure judged (a total per day, a rate as it is), the target, and a rate's base that day (ratings)."""

    day: date
    kind: str
    metric: RangeMetric | None = None
    value: Fraction | None = None
    goal: Goal | None = None
    base: int | None = None


def findings(report: Report, until: date | None = None) -> list[Finding]:
    """Every day of the report's range in date order: no figures, or each target missed that day (a day
    with no figure for a metric is not judged on it).  A day from ``until`` on (today: its figures come
    once it is over) is judged when it has figures and never missing."""
    found: list[Finding] = []
    goals = report.goals
    for line in day_lines(report, BY_DATE):
        if line.record is None:
            if until is None or line.day < until:
                found.append(Finding(line.day, MISSING))
            continue
        for key, met in line.marks.items():
            if met is False:
                figure = line.figures[key]
                found.append(Finding(line.day, MISSED, figure.metric, judged(figure), goals[key], figure.denominator))
    return found

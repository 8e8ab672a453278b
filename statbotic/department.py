"""The department view: every team's figures over a range, the department's, and who moved it.  No I/O.

A department is a set of teams, and its figures are ratios of sums across them, never averages of the
teams' figures (DESIGN.md, "Scope of a figure"): department CSAT = 100 x sum of every team's positive
ratings / sum of every team's ratings.  A total's figure judged against a target is its sum per
*team-day* (sum / the teams' days with data added up), so a target such as "chats >= 40 per day",
set for a team's day, reads the same for the department: the chats of the average team's day.

Every judged figure is then R = scale x sum(N) / sum(D) against a target T, and its gap splits exactly
by team: team t contributes (scale x N_t - T x D_t) / sum(D), its own distance from the target weighted
by its share of the denominator (see ``contributions``); the contributions add up to R - T exactly.

The metrics are the store's live ones (a team may track a subset: MetricDefinition.tracked_by): a
metric is summed over the teams that track it, a team's share of a sum is of those teams' sum, a
total's team-days are those teams' days with data for it (RangeTotals.metric_days), and the view says
which teams don't track it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction
from types import MappingProxyType

from .frozen import frozen, replace
from .metrics import BUILTIN, Direction, Goal, Metrics, RangeMetric, component_name
from .records import RangeTotals
from .reports import Summary, summarise

# What a total's judged figure divides by in the department: the teams' days with data, added up.
TEAM_DAYS = "team_days"


@frozen
class TeamRow:
    """One team's figures over the range (``summary.has_data`` False: no day in it) and its share of
    each of the department's sums (None where the department's sum is 0)."""

    team: str
    summary: Summary
    shares: dict  # component key -> Fraction | None (None too for a metric the team doesn't track)


@frozen
class DepartmentCheck:
    """A target against the department's judged figure, and how far each team moved it.

    ``gap``: how far the figure misses the target, in the figure's unit (positive: missed by that much;
    0 or less: met).  ``contributions``: each team's part of ``gap``, largest first; they add up to
    ``gap`` exactly.  Both None when the department has no figure to judge."""

    metric: RangeMetric
    goal: Goal
    value: Fraction | None
    gap: Fraction | None
    contributions: tuple[tuple[str, Fraction], ...]
    teams_met: dict  # team -> True met, False missed, None no figure

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.goal.met_by(self.value)

    @property
    def mover(self) -> tuple[str, Fraction] | None:
        """The team that moved the department most towards a missed target (the largest contribution);
        None when the target is met or has no figure."""
        if self.met is not False or not self.contributions or self.contributions[0][1] <= 0:
            return None
        return self.contributions[0]


@frozen
class Department:
    start: date
    end: date
    rows: tuple[TeamRow, ...]
    total: Summary
    team_days: int
    checks: dict  # metric key -> DepartmentCheck
    untracked: Mapping[str, tuple[str, ...]] = MappingProxyType({})  # metric key -> the teams not tracking it
    metric_team_days: Mapping[str, int] = MappingProxyType({})  # metric key -> its team-days with data
    metrics: Metrics = BUILTIN  # the store's live metrics the view covers

    @property
    def has_data(self) -> bool:
        return self.total.has_data

    def team_days_of(self, key: str) -> int:
        """A metric's team-days with data: the days with data for it, added up over the teams tracking it."""
        return self.metric_team_days.get(key, self.team_days)

    def tracks(self, team: str, key: str) -> bool:
        return team not in self.untracked.get(key, ())


def metric_days(totals: RangeTotals, key: str) -> int:
    """A team's days with data for one metric (every day with data when the totals say nothing per metric)."""
    if not totals.metric_days:
        return len(totals.days_with_data)
    return int(totals.metric_days.get(key, 0))


def judged_parts(metric: RangeMetric, totals: RangeTotals) -> tuple[int, int]:
    """(N, D) of the figure a target judges: a ratio's sums, or a total's sum and its days with data."""
    if metric.is_total:
        return totals.sums.get(metric.numerator, 0), metric_days(totals, metric.key)
    return totals.sums.get(metric.numerator, 0), totals.sums.get(metric.denominator, 0)


def judged_value(metric: RangeMetric, numerator: int, denominator: int) -> Fraction | None:
    return metric.scale * Fraction(numerator, denominator) if denominator else None


def contributions(metric: RangeMetric, goal: Goal, parts: Mapping[str, tuple[int, int]]) -> dict[str, Fraction]:
    """Each team's exact part of the department's gap to ``goal``, from its (N_t, D_t).

    With R = scale x sum(N) / sum(D), the gap is T - R for an at-least target and R - T for an at-most
    one (positive: missed).  Team t's part is s x (scale x N_t - T x D_t) / sum(D), s = -1 for at least
    and +1 for at most: its distance from the target on its own denominator, over the department's.
    They add up to the gap exactly: s x (scale x sum(N) - T x sum(D)) / sum(D) = s x (R - T).  A team
    above an at-least target has a negative part: it pulled the department towards the target.
    Empty when the department's denominator is 0 (no figure to judge)."""
    total = sum(d for _, d in parts.values())
    if not total:
        return {}
    sign = 1 if goal.direction is Direction.AT_MOST else -1
    return {team: sign * (metric.scale * n - goal.value * d) / total for team, (n, d) in parts.items()}


def gap_of(goal: Goal, value: Fraction) -> Fraction:
    """How far ``value`` misses ``goal``: positive when missed, 0 or less when met."""
    return value - goal.value if goal.direction is Direction.AT_MOST else goal.value - value


def build_department(
    start: date,
    end: date,
    by_team: Mapping[str, RangeTotals],
    goals: Mapping[str, Goal],
    teams: Sequence[str] = (),
    metrics: Metrics = BUILTIN,
) -> Department:
    """The department over the teams in ``by_team`` (and ``teams`` without data in the range, as rows
    without data), by team name, across ``metrics`` (the store's live ones): each summed over the teams
    that track it."""
    empty = RangeTotals(start, end, dict.fromkeys(metrics.component_keys, 0), ())
    every = {team: by_team.get(team, empty) for team in sorted({*by_team, *teams})}
    owner = {component_name(c): d for d in metrics.definitions for c in d.components}
    tracking = {key: tuple(team for team in every if owner[key].tracked_by(team)) for key in metrics.component_keys}
    sums = {key: sum(every[team].sums.get(key, 0) for team in tracking[key]) for key in metrics.component_keys}
    dates = sorted({day for t in every.values() for day in t.days_with_data})
    untracked = {
        m.key: tuple(team for team in every if not metrics.by_key[m.key].tracked_by(team))
        for m in metrics.range_metrics
    }
    days, exact = _department_days(metrics, every, untracked)
    total = summarise(RangeTotals(start, end, sums, tuple(dates), days), metrics)
    if exact != set(days):  # a metric added mid-range by a team: its dates aren't known, so no per-day figure
        total = replace(total, figures=tuple(_without_per_day(f, exact) for f in total.figures))
    rows = tuple(
        TeamRow(
            team,
            summarise(totals, metrics),
            {
                key: Fraction(totals.sums.get(key, 0), sums[key]) if sums[key] and team in tracking[key] else None
                for key in metrics.component_keys
            },
        )
        for team, totals in every.items()
    )
    team_days = {
        m.key: sum(row.summary.days_of(m.key) for row in rows if row.team not in untracked[m.key])
        for m in metrics.range_metrics
    }
    checks = {
        key: _check(metrics.range_metric(key), goal, {t: every[t] for t in every if t not in untracked[key]})
        for key, goal in goals.items()
        if key in metrics.by_key and metrics.by_key[key].listed
    }
    return Department(
        start,
        end,
        rows,
        total,
        sum(len(t.days_with_data) for t in every.values()),
        checks,
        {key: teams_out for key, teams_out in untracked.items() if teams_out},
        team_days,
        metrics,
    )


def _department_days(
    metrics: Metrics, every: Mapping[str, RangeTotals], untracked: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, int], set[str]]:
    """Each entered metric's dates with data in the department (any team tracking it), and the metrics
    for which that count is exact: a team's dates for a metric are known when it has the metric on
    every day with data (always, but for a metric added within the range) or on none."""
    days, exact = {}, set()
    for definition in metrics.definitions:
        if not definition.entered:
            continue
        key, known, sure = definition.key, set(), True
        for team, totals in every.items():
            if team in untracked.get(key, ()):
                continue
            own = metric_days(totals, key)
            if own == len(totals.days_with_data):
                known.update(totals.days_with_data)
            elif own:
                sure = False
                known.update(totals.days_with_data)
        days[key] = len(known)
        if sure:
            exact.add(key)
    return days, exact


def _without_per_day(figure, exact: set[str]):
    if not figure.metric.is_total or figure.metric.key in exact:
        return figure
    return replace(figure, per_day=None)


def _check(metric: RangeMetric, goal: Goal, every: Mapping[str, RangeTotals]) -> DepartmentCheck:
    """The target against the teams tracking the metric (``every``)."""
    parts = {team: judged_parts(metric, totals) for team, totals in every.items()}
    value = judged_value(metric, sum(n for n, _ in parts.values()), sum(d for _, d in parts.values()))
    shares = contributions(metric, goal, parts)
    ranked = tuple(sorted(shares.items(), key=lambda item: (-item[1], item[0])))
    teams_met = {}
    for team, (n, d) in parts.items():
        own = judged_value(metric, n, d)
        teams_met[team] = None if own is None else goal.met_by(own)
    return DepartmentCheck(metric, goal, value, None if value is None else gap_of(goal, value), ranked, teams_met)

"""The department view: every team's figures over a range, the department's, and who moved it.  No I/O.

A department is a set of teams, and its figures are ratios of sums across them, never averages of the
teams' figures (DESIGN.md, "Scope of a figure"): department CSAT = 100 x sum of every team's positive
ratings / sum of every team's ratings.  A total's figure judged against a target is its sum per
*team-day* (sum / the teams' days with data added up), so a target such as "chats >= 40 per day",
set for a team's day, reads the same for the department: the chats of the average team's day.

Every judged figure is then R = scale x sum(N) / sum(D) against a target T, and its gap splits exactly
by team: team t contributes (scale x N_t - T x D_t) / sum(D), its own distance from the target weighted
by its share of the denominator (see ``contributions``); the contributions add up to R - T exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction

from .frozen import frozen
from .metrics import COMPONENT_KEYS, RANGE_METRICS, Direction, Goal, RangeMetric
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
    shares: dict  # component key -> Fraction | None


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

    @property
    def has_data(self) -> bool:
        return self.total.has_data


def judged_parts(metric: RangeMetric, totals: RangeTotals) -> tuple[int, int]:
    """(N, D) of the figure a target judges: a ratio's sums, or a total's sum and its days with data."""
    if metric.is_total:
        return totals.sums[metric.numerator], len(totals.days_with_data)
    return totals.sums[metric.numerator], totals.sums[metric.denominator]


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
    start: date, end: date, by_team: Mapping[str, RangeTotals], goals: Mapping[str, Goal], teams: Sequence[str] = ()
) -> Department:
    """The department over the teams in ``by_team`` (and ``teams`` without data in the range, as rows
    without data), by team name."""
    empty = RangeTotals(start, end, dict.fromkeys(COMPONENT_KEYS, 0), ())
    every = {team: by_team.get(team, empty) for team in sorted({*by_team, *teams})}
    sums = {key: sum(t.sums[key] for t in every.values()) for key in COMPONENT_KEYS}
    dates = sorted({day for t in every.values() for day in t.days_with_data})
    total = summarise(RangeTotals(start, end, sums, tuple(dates)))
    rows = tuple(
        TeamRow(
            team,
            summarise(totals),
            {key: Fraction(totals.sums[key], sums[key]) if sums[key] else None for key in COMPONENT_KEYS},
        )
        for team, totals in every.items()
    )
    checks = {key: _check(key, goal, every) for key, goal in goals.items()}
    return Department(start, end, rows, total, sum(len(t.days_with_data) for t in every.values()), checks)


def _check(key: str, goal: Goal, every: Mapping[str, RangeTotals]) -> DepartmentCheck:
    metric = next(m for m in RANGE_METRICS if m.key == key)
    parts = {team: judged_parts(metric, totals) for team, totals in every.items()}
    value = judged_value(metric, sum(n for n, _ in parts.values()), sum(d for _, d in parts.values()))
    shares = contributions(metric, goal, parts)
    ranked = tuple(sorted(shares.items(), key=lambda item: (-item[1], item[0])))
    teams_met = {}
    for team, (n, d) in parts.items():
        own = judged_value(metric, n, d)
        teams_met[team] = None if own is None else goal.met_by(own)
    return DepartmentCheck(metric, goal, value, None if value is None else gap_of(goal, value), ranked, teams_met)

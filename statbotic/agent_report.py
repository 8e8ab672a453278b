"""Figures per agent (issue 13): a team's agents over a period, ranked by any metric.  No printing.

Each agent's figures are the team view's figures over that agent's own sums (Store.agent_range_totals,
read by reports.summarise like the team's): every rate a ratio of the agent's sums (the agent's CSAT
is 100 x their positive ratings / their ratings), never an average of daily figures, and flagged when
its sample is small (Figure.low_confidence).  The team total is the team view's own summary
(Store.range_totals).  A day with agent rows is exactly the sum of its agents, so when every day of the
period has them the agents add up to the team to the digit; days (or metrics of a day) typed as team
totals are in the team's figures only, and the view counts them (``agentless_days``, ``typed_metrics``).

Who sees what: a lead of the team (or an admin) sees every agent, their own row marked when they are
linked to an agent (User.agent); a viewer linked to an agent sees that agent's row beside the team's
total, unranked (a rank would tell them about the others); a viewer not linked is told to ask an admin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction

from . import access
from .errors import Forbidden
from .frozen import frozen, replace
from .metrics import AGENT_RANKING, Direction, Metrics, RangeMetric
from .periods import plural
from .records import LEAD, UNASSIGNED, RangeTotals, User
from .reports import Summary, summarise

# Whose rows a view holds: every agent of the team (leads, admins), or the viewer's own agent only.
EVERY, OWN = "every", "own"


@frozen
class AgentRow:
    """One agent over the range: their figures (``summary``: the agent's sums, the agent's days), their
    place in the ranking (None: not ranked) and whether they are the viewer's own agent."""

    agent: str
    summary: Summary
    rank: int | None = None
    own: bool = False

    @property
    def days(self) -> int:
        """The days of the range on which the agent has figures."""
        return self.summary.days_with_data

    @property
    def unassigned(self) -> bool:
        """Imported rows that name no agent: shown (the team is their sum too), never ranked."""
        return self.agent == UNASSIGNED


@frozen
class AgentsView:
    """The agents of a team over ``start``..``end``: ``rows`` in ranking order (ranked agents first, then
    those without a figure for ``ranked_by``, then UNASSIGNED), ``total`` the team's own figures.

    ``agentless_days``: the team's days with data that have no agent rows at all (typed team totals);
    ``typed_metrics``: the metrics whose team sums differ from the sum of the agents' (typed on some
    day, with or without agent rows for other metrics); ``agents``: how many agents have figures in the
    range (every one, whatever ``scope`` shows)."""

    team: str
    start: date
    end: date
    rows: tuple[AgentRow, ...]
    total: Summary
    ranked_by: RangeMetric | None
    scope: str
    agentless_days: int
    typed_metrics: tuple[str, ...]
    agents: int
    metrics: Metrics
    own_agent: str | None = None

    @property
    def has_data(self) -> bool:
        return self.total.has_data

    @property
    def adds_up(self) -> bool:
        """Whether the agents' figures add up to the team's exactly (every figure came with agent rows)."""
        return not self.agentless_days and not self.typed_metrics


def scope_of(user: User, team: str) -> str:
    """EVERY for a lead of the team or an admin, OWN for a viewer linked to an agent; Forbidden for
    anyone else (someone outside the team; a viewer not linked to an agent, told how to be)."""
    if access.role_in(user, team) == LEAD:
        return EVERY
    access.require_view(user, team)
    if not user.agent:
        raise Forbidden(not_linked_message(user.username))
    return OWN


def not_linked_message(username: str) -> str:
    return (
        f"{username} is not linked to an agent, so there are no figures of yours to show: ask an admin to"
        f' link you (statbotic users edit {username} --agent "Your Name").'
    )


def default_ranking(metrics: Metrics, agents: Iterable[Summary] = ()) -> RangeMetric | None:
    """What the view ranks by unless told: metrics.AGENT_RANKING when the team tracks it, else its first
    count, else its first metric (None: the team lists no metric) -- of those some agent has a figure of
    when ``agents`` have any (an Intercom file alone: ranked by chats, not by solves nobody has)."""
    chosen = metrics.metric_named(AGENT_RANKING)
    counts = [m for m in metrics.range_metrics if m.is_total]
    order = [m for m in (chosen, *counts, *metrics.range_metrics) if m is not None]
    agents = list(agents)
    with_data = [m for m in order if any(summary.figure(m.key).value is not None for summary in agents)]
    return (with_data or order or [None])[0]


def build_agents_view(
    team: str,
    team_totals: RangeTotals,
    by_agent: Mapping[str, RangeTotals],
    metrics: Metrics,
    *,
    scope: str = EVERY,
    own_agent: str | None = None,
    ranked_by: RangeMetric | None = None,
) -> AgentsView:
    """The view from the team's RangeTotals and each agent's (only agents with rows in the range): OWN
    keeps only ``own_agent``'s row (with no figures when they have none in the range), unranked."""
    start, end = team_totals.start, team_totals.end
    total = summarise(team_totals, metrics)
    summaries = {name: summarise(totals, metrics) for name, totals in sorted(by_agent.items())}
    agent_days = {day for totals in by_agent.values() for day in totals.days_with_data}
    agentless = len(set(team_totals.days_with_data) - agent_days)
    typed = _typed_metrics(metrics, total, list(summaries.values()))
    if scope == OWN:
        mine = summaries.get(own_agent) or summarise(RangeTotals(start, end, {}), metrics)
        rows = (AgentRow(own_agent or "", mine, None, True),)
    else:
        rows = tuple(AgentRow(name, summary, None, name == own_agent) for name, summary in summaries.items())
    view = AgentsView(team, start, end, rows, total, None, scope, agentless, typed, len(by_agent), metrics, own_agent)
    ranked_by = ranked_by or default_ranking(metrics, [s for name, s in summaries.items() if name != UNASSIGNED])
    return rank_by(view, ranked_by)


def _typed_metrics(metrics: Metrics, total: Summary, agents: list[Summary]) -> tuple[str, ...]:
    """The metrics whose team sums (numerator or denominator) differ from the sum of the agents'."""
    typed = []
    for metric in metrics.range_metrics:
        keys = [k for k in (metric.numerator, metric.denominator) if k is not None]
        if any(total.sums.get(k, 0) != sum(s.sums.get(k, 0) for s in agents) for k in keys):
            typed.append(metric.key)
    return tuple(typed)


def rank_by(view: AgentsView, metric: RangeMetric | None) -> AgentsView:
    """The view ranked by ``metric`` (a view of OWN scope stays unranked): best first by the metric's
    direction (">=": highest first; "<=", e.g. the wait: lowest first), ties sharing a rank and ordered
    by name; agents without a figure for it follow, unranked, by name; UNASSIGNED comes last, never
    ranked."""
    if metric is None or view.scope == OWN:
        return replace(view, ranked_by=metric)
    rows = [replace(row, rank=None) for row in view.rows]
    valued = [(row, _value(row, metric)) for row in rows if not row.unassigned]
    scored = sorted(((row, value) for row, value in valued if value is not None), key=lambda rv: _order(rv, metric))
    ranked, previous = [], None
    for position, (row, value) in enumerate(scored, start=1):
        rank = ranked[-1].rank if previous is not None and value == previous else position
        ranked.append(replace(row, rank=rank))
        previous = value
    without = sorted((row for row, value in valued if value is None), key=lambda row: row.agent)
    unassigned = [row for row in rows if row.unassigned]
    return replace(view, rows=tuple(ranked + without + unassigned), ranked_by=metric)


def _value(row: AgentRow, metric: RangeMetric) -> Fraction | None:
    return row.summary.figure(metric.key).value


def _order(row_value: tuple[AgentRow, Fraction], metric: RangeMetric) -> tuple:
    row, value = row_value
    return (-value if metric.direction is Direction.AT_LEAST else value, row.agent)


def notes(view: AgentsView) -> list[str]:
    """Sentences about what the figures rest on: days or metrics typed as team totals (the agents then
    don't add up to the team), an own agent without figures in the range, the unassigned rows."""
    found = []
    days = view.total.days_with_data
    if view.has_data and not view.agents:
        found.append(f"No agent figures in this period: its {plural(days, 'day')} with data were typed as team totals.")
    elif view.agentless_days:
        have = "has" if view.agentless_days == 1 else "have"
        found.append(
            f"{view.agentless_days} of {plural(days, 'day')} with data {have} no agent figures (typed as team"
            " totals): the team total includes them, so the agents' figures don't add up to it."
        )
    elif view.typed_metrics:
        labels = ", ".join(view.metrics.range_metric(key).label for key in view.typed_metrics)
        found.append(
            f"{labels}: typed as team totals on some days, so the agents' figures of"
            f" {'it' if len(view.typed_metrics) == 1 else 'them'} don't add up to the team total."
        )
    if view.scope == OWN and view.has_data and not view.rows[0].days:
        found.append(f"{view.own_agent} has no figures in this period.")
    if any(row.unassigned for row in view.rows):
        found.append(f"{UNASSIGNED}: imported rows that name no agent; part of the team total, never ranked.")
    return found


def agents_view(store, team: str, period, *, user: User, metrics: Metrics | None = None, ranked_by=None) -> AgentsView:
    """The team's agents over ``period`` for ``user`` (scope_of: Forbidden for who may not see them), of
    the team's metrics (services.team_metrics when not given), ranked by ``ranked_by`` (default_ranking
    when None).  Two reads: each agent's sums and the team's."""
    from .services import team_metrics

    scope = scope_of(user, team)
    metrics = metrics or team_metrics(store, team)
    by_agent = store.agent_range_totals(team, period.start, period.end)
    team_totals = store.range_totals(team, period.start, period.end)
    return build_agents_view(
        team, team_totals, by_agent, metrics, scope=scope, own_agent=user.agent, ranked_by=ranked_by
    )


def agents_document(view: AgentsView, label: str) -> dict:
    """The view as plain data: each agent's rank, days and figures, the team's total, and the notes."""
    from .export import FORMAT_VERSION

    ranked_by = view.ranked_by
    return {
        "format": "statbotic-agents",
        "version": FORMAT_VERSION,
        "team": view.team,
        "period": label,
        "start": view.start.isoformat(),
        "end": view.end.isoformat(),
        "scope": view.scope,
        "ranked_by": None if ranked_by is None or view.scope == OWN else ranked_by.key,
        "direction": None if ranked_by is None or view.scope == OWN else ranked_by.direction.value,
        "agents": [
            {"agent": row.agent, "rank": row.rank, "own": row.own, **_figures_document(row.summary)}
            for row in view.rows
        ],
        "team_total": _figures_document(view.total),
        "adds_up": view.adds_up,
        "days_without_agents": view.agentless_days,
        "notes": notes(view),
    }


def _figures_document(summary: Summary) -> dict:
    """A summary's days with data and each figure as `view --json` writes it (export.summary_document's
    figures: value, per_day, days_with_data, numerator, denominator), with its small-sample flag."""
    from .export import summary_document

    shown = summary_document(summary)["figures"]
    return {
        "days": summary.days_with_data,
        "metrics": {f.metric.key: {**shown[f.metric.key], "small_sample": f.low_confidence} for f in summary.figures},
    }

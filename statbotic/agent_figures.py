"""A day's figures per agent (issue 13): checked like a team's, and the team's figures as their sum.

A day's metric has either a typed team total or agent rows, whose sum is the team's figure (the store
keeps the team's rows as metric_kinds.combined_values of them: counts and bases summed, a duration's
total over its summed items).  An agent's day may carry only some metrics (a Zendesk file per agent gives
solves, an Intercom one chats); a duration or a share needs its base in the same agent's figures.
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InvalidInput
from .metric_kinds import check_day, combined_values
from .metrics import Metrics, entry_key
from .records import UNASSIGNED

MAX_AGENT_NAME = 80


def agent_name(text: str) -> str:
    """An agent's name as given (trimmed; case kept, since names come from the helpdesk as they are), or
    InvalidInput: empty, too long, or holding control characters."""
    name = " ".join(str(text).split())
    if not name:
        raise InvalidInput("An agent needs a name.")
    if len(name) > MAX_AGENT_NAME:
        raise InvalidInput(f"An agent's name can be at most {MAX_AGENT_NAME} characters.")
    if not name.isprintable():
        raise InvalidInput("An agent's name can't hold control characters.")
    return name


def check_agents(agents: Mapping[str, Mapping[str, int]], metrics: Metrics) -> dict[str, dict[str, int]]:
    """Each agent's figures (entry keys) checked as a day's are: known fields, whole numbers within their
    bounds, a part no larger than its whole; by agent name.  InvalidInput naming the agent."""
    checked: dict[str, dict[str, int]] = {}
    fields = {field.key: field for field in metrics.entry_fields}
    for raw_name, figures in agents.items():
        name = raw_name if raw_name == UNASSIGNED else agent_name(raw_name)
        if name in checked:
            raise InvalidInput(f"Agent {name} appears twice.")
        unknown = sorted(key for key in figures if key not in fields)
        if unknown:
            raise InvalidInput(f"Agent {name}: the team doesn't track {', '.join(unknown)}.")
        try:
            metrics.check_bounds(figures)
            check_day(metrics.definitions, metrics.by_metric(figures))
        except InvalidInput as problem:
            raise InvalidInput(f"Agent {name}: {problem}") from None
        checked[name] = {key: int(value) for key, value in figures.items()}
    return checked


def team_of_agents(agents: Mapping[str, Mapping[str, int]], metrics: Metrics) -> dict[str, int]:
    """The team's figures (entry keys) of the metrics its agents carry: their sum, as the store keeps it
    (a duration: the summed total over the summed items, rounded half up)."""
    rows = combined_values(metrics.definitions, (metrics.by_metric(figures) for figures in agents.values()))
    keys = {d.key: entry_key(d) for d in metrics.definitions}
    return {keys[metric]: value for metric, (value, _total, _base) in rows.items()}

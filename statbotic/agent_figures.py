"""A day's figures per agent (issue 13): checked like a team's, and the team's figures as their sum.

A day's metric has either a typed team total or agent rows, whose sum is the team's figure (the store
keeps the team's rows as metric_kinds.combined_values of them: counts and bases summed, a duration's
total over its summed items).  An agent's day may carry only some metrics (a Zendesk file per agent gives
solves, an Intercom one chats); a duration or a share needs its base in the same agent's figures.
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InvalidInput
from .frozen import frozen
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


# --- a typed total against agent rows: one source per day ------------------------------------------------

AGENTS_STAND, TYPED_STANDS = "agents", "typed"


class TypedTotalsStand(InvalidInput):
    """An agent's figures for a day whose team totals were typed: saving them would make the team's
    figures the agents' sum, which only the lead may choose (``stands`` AGENTS_STAND)."""


@frozen
class Disagreement:
    """A metric of a day with agent rows whose typed team figure is not their sum."""

    key: str  # entry key
    typed: int
    agents_sum: int
    agents: int  # how many agents have a figure of it


def disagreements(
    agents: Mapping[str, Mapping[str, int]], entered: Mapping[str, int], metrics: Metrics
) -> list[Disagreement]:
    """The typed figures that differ from the sum of the day's agent rows (a typed figure equal to their
    sum agrees: saving it keeps the agents' rows)."""
    sums = team_of_agents(agents, metrics)
    return [
        Disagreement(key, int(entered[key]), total, sum(key in figures for figures in agents.values()))
        for key, total in sums.items()
        if key in entered and int(entered[key]) != total
    ]


def settle_typed(
    agents: Mapping[str, Mapping[str, int]], entered: Mapping[str, int], metrics: Metrics, stands: str | None
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """What a typed save of a day with agent rows writes: (entered, agents).  When the typed figures agree
    with the agents' sums, or ``stands`` is AGENTS_STAND, the agents' rows stay (and their sums are the
    team's figures); TYPED_STANDS: the typed totals stand and the agents' rows of the typed metrics go
    (the store keeps the rows of metrics not typed).
    InvalidInput when they disagree and nobody chose (``stands`` None)."""
    typed = {name: {k: v for k, v in figures.items() if k in entered} for name, figures in agents.items()}
    typed = {name: figures for name, figures in typed.items() if figures}  # the rows of the typed metrics
    found = disagreements(typed, entered, metrics)
    if not found or stands == AGENTS_STAND:
        return {**entered, **team_of_agents(typed, metrics)}, typed
    if stands == TYPED_STANDS:
        return dict(entered), {}  # the store keeps the rows of the metrics not typed
    raise InvalidInput(disagreement_text(found, metrics))


def disagreement_text(found: list[Disagreement], metrics: Metrics) -> str:
    """The typed figures and the agents' sums side by side, in one sentence."""
    parts = [
        f"{metrics.entry_field(d.key).label} typed {metrics.entry_field(d.key).text(d.typed)}, "
        f"the sum of {d.agents} agent{'s' if d.agents != 1 else ''} {metrics.entry_field(d.key).text(d.agents_sum)}"
        for d in found
    ]
    return "The day has figures per agent: " + "; ".join(parts) + "."


def with_agent(
    agents: Mapping[str, Mapping[str, int]],
    entered: Mapping[str, int],
    agent: str,
    figures: Mapping[str, int],
    stands: str | None,
) -> dict[str, dict[str, int]]:
    """A day's agent rows of ``figures``' metrics once one agent's are typed (theirs replaced or added;
    the other agents' kept).  A metric the day has a typed team total of (no agent rows) becomes the sum of
    its agents only when ``stands`` is AGENTS_STAND; else InvalidInput saying so (one source per day)."""
    rows = {name: {k: v for k, v in their.items() if k in figures} for name, their in agents.items()}
    typed = [key for key in figures if key in entered and not any(key in their for their in rows.values())]
    if typed and stands != AGENTS_STAND:
        raise TypedTotalsStand(
            "The day has typed team totals; figures per agent would make the team's figures their sum "
            f"({len(typed)} figure{'s' if len(typed) != 1 else ''})."
        )
    rows[agent] = dict(figures)
    return {name: their for name, their in rows.items() if their}

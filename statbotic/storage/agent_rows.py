"""A day's agent rows after a save, by the Store contract's rule (storage/base.py, upsert_day), shared by
the backends so both refuse the same days with the same words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..errors import InvalidInput
from ..metric_kinds import MetricDefinition, check_day


def merged_agents(
    definitions: Iterable[MetricDefinition],
    stored: Mapping[str, Mapping[str, int]],
    given: Mapping[str, Mapping[str, int]],
    entered: Iterable[str],
) -> dict[str, dict[str, int]]:
    """Each agent's values by metric key after a save that enters the metrics ``entered``: the ``stored``
    values of the other metrics, then the ``given`` ones (a record's agents, by metric key), by agent name.
    InvalidInput, naming the agent, for a figure of a metric the save doesn't enter, or an agent's day
    that can't be true (check_day)."""
    definitions = tuple(definitions)
    labels = {d.key: d.label for d in definitions}
    entered = set(entered)
    merged: dict[str, dict[str, int]] = {}
    for name, figures in stored.items():
        kept = {metric: int(value) for metric, value in figures.items() if metric not in entered}
        if kept:
            merged[name] = kept
    for name, figures in given.items():
        stray = [labels.get(metric, metric) for metric in figures if metric not in entered]
        if stray:
            listed = ", ".join(stray)
            raise InvalidInput(f"Agent {name}'s {listed} can't be saved without the team's {listed} for the same day.")
        merged.setdefault(name, {}).update({metric: int(value) for metric, value in figures.items()})
    merged = {name: figures for name, figures in merged.items() if figures}
    for name, figures in merged.items():
        try:
            check_day(definitions, figures)
        except InvalidInput as problem:
            raise InvalidInput(f"Agent {name}: {problem.message}") from None
    return dict(sorted(merged.items()))

"""A day's document read as a DayRecord, and a saved record merged into the day it changes: the Store
contract's rules for a day's values, agents and sources (storage/base.py, upsert_day), with no I/O.

Schema 6 adds two optional fields to a day's document: ``agents``, a list of {"name": str, "values":
{metric key: row}} (rows as ``values`` keeps them), and ``sources``, a list of {"name": str, "files",
"sha256", "rows", "row_keys"}.  Lists, not documents keyed by name: an agent's or a mapping's name is free
text, and a "." or a leading "$" in a field name is not portable.  For the same reason the audit log
keeps a day's "agents" and "sources" (records.day_values) as such lists: see history_values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ...builtin_metrics import LEGACY_COLUMNS
from ...errors import InvalidInput
from ...frozen import frozen
from ...metric_kinds import MetricDefinition, check_day, combined_values, stored_values
from ...metrics import entry_key
from ...records import DayRecord, day_values
from ..agent_rows import merged_agents
from .documents import VALUES, value_row

AGENTS, SOURCES = "agents", "sources"  # a day document's fields (schema 6), absent when empty

# metrics.entry_key by the metric key alone (a built-in's entered column, else the key): reading a day back
# needs no definitions.
_ENTRY_KEY = {metric: column for column, metric in LEGACY_COLUMNS.items()}


class Catalogue:
    """The store's definitions as one write needs them: a day's entered figures (by entry key) read by
    metric key, and the rows ``values`` keeps for them (metric_kinds.stored_values over every definition,
    retired ones too)."""

    def __init__(self, definitions: tuple[MetricDefinition, ...]) -> None:
        self.definitions = definitions
        self.metric_of = {entry_key(d): d.key for d in definitions if d.entered}
        self.entered = frozenset(self.metric_of.values())
        self.labels = {d.key: d.typed_label for d in definitions}

    def by_metric(self, entered: Mapping[str, int]) -> dict[str, int]:
        unknown = [key for key in entered if key not in self.metric_of]
        if unknown:
            raise InvalidInput(f"The store has no metric for {', '.join(unknown)}: define it first.")
        return {self.metric_of[key]: int(value) for key, value in entered.items()}

    def rows(self, values: Mapping[str, int]) -> dict[str, dict]:
        """A day's ``values`` as its document keeps them; InvalidInput when the day can't be true (a share
        above its base, metric_kinds.check_day) or a duration or a share has no base that day."""
        check_day(self.definitions, values)
        return {key: value_row(*row) for key, row in stored_values(self.definitions, values).items()}


def metric_values(document: dict | None) -> dict[str, int]:
    """A day document's team values by metric key ({} for none, or a tombstone)."""
    if document is None:
        return {}
    return {key: int(row["value"]) for key, row in document.get(VALUES, {}).items()}


def agent_values(document: dict | None) -> dict[str, dict[str, int]]:
    """A day document's agents' values: agent name -> metric key -> value ({} for none)."""
    if document is None:
        return {}
    return {a["name"]: {key: int(row["value"]) for key, row in a["values"].items()} for a in document.get(AGENTS, ())}


def sources_of(document: dict | None) -> dict[str, dict]:
    """A day document's sources by mapping name ({} for none)."""
    if document is None:
        return {}
    return {s["name"]: {k: v for k, v in s.items() if k != "name"} for s in document.get(SOURCES, ())}


def entered(values: Mapping[str, int]) -> dict[str, int]:
    """Values by metric key as DayRecord.entered keys them (metrics.entry_key)."""
    return {_ENTRY_KEY.get(key, key): value for key, value in values.items()}


def day_record(document: dict) -> DayRecord:
    """A live day's document as the record the app reads (its agents and sources too)."""
    return DayRecord(
        team=document["team"],
        day=date.fromisoformat(document["date"]),
        entered=entered(metric_values(document)),
        updated_by=document["updated_by"],
        updated_at=document["updated_at"],
        agents={name: entered(values) for name, values in agent_values(document).items()},
        sources=sources_of(document),
    )


def named_list(by_name: Mapping[str, Mapping], field: str | None = None) -> list[dict]:
    """{name: fields} as a list of {"name": name, **fields} (or {"name", field: fields}), by name."""
    if field is None:
        return [{"name": name, **dict(fields)} for name, fields in sorted(by_name.items())]
    return [{"name": name, field: dict(fields)} for name, fields in sorted(by_name.items())]


def history_values(values: dict | None) -> dict | None:
    """records.day_values as a history entry keeps them: its agents and sources as named lists."""
    if values is None:
        return None
    stored = dict(values)
    if AGENTS in stored:
        stored[AGENTS] = named_list(stored[AGENTS], "figures")
    if SOURCES in stored:
        stored[SOURCES] = named_list(stored[SOURCES])
    return stored


def values_from_history(stored: dict | None) -> dict | None:
    """A history entry's values back as records.day_values wrote them (entries before schema 6 have
    neither list)."""
    if stored is None or not isinstance(stored, dict):
        return stored
    values = dict(stored)
    if isinstance(values.get(AGENTS), list):
        values[AGENTS] = {a["name"]: dict(a["figures"]) for a in values[AGENTS]}
    if isinstance(values.get(SOURCES), list):
        values[SOURCES] = {s["name"]: {k: v for k, v in s.items() if k != "name"} for s in values[SOURCES]}
    return values


@frozen
class MergedDay:
    """A day as a save leaves it: ``fields``, the document's values, agents and sources to $set (an
    empty one's name in ``cleared``, to $unset), and ``record``, the day as get_day will read it."""

    fields: dict
    cleared: tuple[str, ...]
    record: DayRecord

    @property
    def history(self) -> dict:
        """What the day's history entry keeps: records.day_values, stored (history_values)."""
        return history_values(day_values(self.record))

    @property
    def document(self) -> dict:
        """The fields the day's document is written with (the empty ones left out: $unset)."""
        return {k: v for k, v in self.fields.items() if k not in self.cleared}


def merge(catalogue: Catalogue, record: DayRecord, document: dict | None, copied: bool = False) -> MergedDay:
    """``record`` saved onto the day ``document`` holds (None: no day, or every metric is re-entered and
    the record brings no sources, so nothing of it stays): each metric of record.entered written whole,
    its team value and its agents' (none: its agent rows go, a typed total stands); a metric entered by
    agents has their sum as its team row (metric_kinds.combined_values); record.sources are added to the
    day's by name, replacing one of the same name (none: they are all cleared), or, ``copied`` (a bulk
    load), are the day's sources.  InvalidInput, before anything is written, for an agent's figure of a
    metric the record doesn't enter, or a day (an agent's or the team's) that can't be true."""
    values = catalogue.by_metric(record.entered)
    agents = _merged_agents(catalogue, values, record, document)
    combined = combined_values(catalogue.definitions, agents.values())
    team = {**metric_values(document), **values, **{metric: row[0] for metric, row in combined.items()}}
    rows = catalogue.rows(team)
    rows.update({metric: value_row(*row) for metric, row in combined.items()})
    kept = {} if copied or not record.sources else sources_of(document)
    sources = {**kept, **record.sources}
    agent_rows = {name: catalogue.rows(figures) for name, figures in agents.items()}
    fields = {VALUES: rows, AGENTS: named_list(agent_rows, VALUES), SOURCES: named_list(sources)}
    saved = DayRecord(
        record.team,
        record.day,
        entered(team),
        record.updated_by,
        record.updated_at,
        {name: entered(figures) for name, figures in agents.items()},
        {name: dict(source) for name, source in sources.items()},
    )
    return MergedDay(fields, tuple(name for name in (AGENTS, SOURCES) if not fields[name]), saved)


def _merged_agents(
    catalogue: Catalogue, values: dict[str, int], record: DayRecord, document: dict | None
) -> dict[str, dict[str, int]]:
    """Each agent's values by metric key after the save: the day's kept ones of the metrics the record
    doesn't enter, and the record's; each agent's day checked (named in the refusal)."""
    given = {name: catalogue.by_metric(figures) for name, figures in record.agents.items()}
    return merged_agents(catalogue.definitions, agent_values(document), given, values)

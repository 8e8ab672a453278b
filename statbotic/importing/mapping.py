"""How a file's columns become a team's figures: a TOML mapping (tomllib), checked when it is loaded.

    [rows]
    kind = "daily"            # "daily": a row per day (and agent); "items": a row per conversation or
                              # ticket, counted into the LOCAL day of its timestamp
    date = "Date"             # the column holding the day (daily) or the timestamp (items)
    date_format = "%Y-%m-%d"  # a strftime format, "iso" (ISO 8601, with an offset or Z) or "unix" (seconds)
    timezone = "UTC"          # items: the zone whose midnights part the days (an IANA name)
    agent = "Assignee"        # optional: the column naming the agent of a row (per-agent figures)
    entry_columns = false     # daily: also take every column named after an entry key of the team's
                              # metrics as that figure as stored (a wait in tenths): Statbotic's own CSV

    [agents]                  # optional: the agent column's IDs and the names the app shows; with it,
    "5512873" = "Ana Lima"    # an agent cell that is neither an ID nor a name here is refused (an
    "5512901" = "Bo Chen"     # unknown agent); two IDs of one name are one agent

    [[filter]]                # optional, every one must hold, or the row is skipped
    column = "state"
    equals = "closed"         # or one_of = ["closed", "snoozed"], or not_empty = true

    [metrics.solves]          # a metric key (built-in or the store's), or an entry key (csat_good)
    column = "Solved tickets"
    aggregate = "value"       # daily: "value" (the cell is the day's figure; the default).
                              # items: "count" (rows; no column), "sum", "mean" (a duration: the mean of
                              # the column over the rows where it is set), "count_set" (rows where the
                              # column is not empty), "count_where" (with at_least, equals or one_of)
    unit = "seconds"          # a duration's cells: "seconds" (the default; "65" or "1:05"), "minutes",
                              # or "tenths" (tenths of a second, as Statbotic stores a wait)

``load_mapping(path)`` reads a file, ``preset(name)`` one of ``PRESETS`` (package data, presets/*.toml);
either raises ImportRefused naming the mapping file and the TOML key at fault.  ``resolve(mapping,
metrics)`` names each mapped figure by the team's ENTRY KEY (what DayRecord.entered holds), refusing a
key the team doesn't track or an aggregate its kind can't take.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping as Cells
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..frozen import frozen, replace
from ..metric_kinds import Kind
from ..metrics import Metrics
from .problems import ImportRefused

DAILY, ITEMS = "daily", "items"
KINDS = (DAILY, ITEMS)
ISO, UNIX = "iso", "unix"

VALUE, COUNT, SUM, MEAN, COUNT_WHERE, COUNT_SET = "value", "count", "sum", "mean", "count_where", "count_set"
DAILY_AGGREGATES = (VALUE,)
ITEM_AGGREGATES = (COUNT, SUM, MEAN, COUNT_WHERE, COUNT_SET)
AGGREGATES = DAILY_AGGREGATES + ITEM_AGGREGATES

SECONDS, MINUTES, TENTHS = "seconds", "minutes", "tenths"
TENTHS_PER_UNIT = {SECONDS: 10, MINUTES: 600, TENTHS: 1}  # a duration cell's unit -> tenths of a second

PRESETS: tuple[str, ...] = (
    "statbotic-daily",
    "zendesk-explore-daily",
    "intercom-conversations",
    "zendesk-tickets",
)
PRESET_FOLDER = Path(__file__).parent / "presets"

_ROWS_KEYS = ("kind", "date", "date_format", "timezone", "agent", "entry_columns")
_FILTER_KEYS = ("column", "equals", "one_of", "not_empty")
_METRIC_KEYS = ("column", "aggregate", "unit", "at_least", "equals", "one_of")


@frozen
class Filter:
    """A condition on one column: equal to a text, one of several, or not empty (a row is kept when all hold)."""

    column: str
    equals: str | None = None
    one_of: tuple[str, ...] = ()
    not_empty: bool = False

    def holds(self, cells: Cells[str, str]) -> bool:
        cell = cells.get(self.column, "").strip()
        if self.equals is not None:
            return cell == self.equals
        if self.one_of:
            return cell in self.one_of
        return bool(cell)


@frozen
class MetricMapping:
    """One figure: ``key`` as the mapping names it (a metric key or an entry key), the column read
    (None for "count"), how rows make the day's figure, and a condition for "count_where" (a number
    at least ``at_least``, or a text equal to ``equals`` or one of ``one_of``).  ``optional``: a column
    the file may lack (entry_columns: a metric the export didn't have)."""

    key: str
    column: str | None
    aggregate: str = VALUE
    unit: str = SECONDS
    at_least: int | float | None = None
    equals: str | None = None
    one_of: tuple[str, ...] = ()
    optional: bool = False

    @property
    def tenths_per_unit(self) -> int:
        """What one of the column's units is in tenths of a second (a duration's cells)."""
        return TENTHS_PER_UNIT[self.unit]

    def counts(self, cell: str) -> bool:
        """Whether "count_where" counts a row with this cell (an unreadable number never counts)."""
        cell = cell.strip()
        if not cell:
            return False
        if self.at_least is not None:
            try:
                return float(cell.replace(",", "")) >= self.at_least
            except ValueError:
                return False
        if self.equals is not None:
            return cell == self.equals
        return cell in self.one_of


@frozen
class Mapping:
    """A whole mapping, as loaded and checked; ``source`` names it in messages (its file's name, or
    "preset NAME")."""

    source: str
    kind: str
    date: str
    date_format: str
    timezone: str = "UTC"
    agent: str | None = None
    filters: tuple[Filter, ...] = ()
    metrics: tuple[MetricMapping, ...] = ()
    entry_columns: bool = False
    agent_names: tuple[tuple[str, str], ...] = ()  # [agents]: (ID, name), in the file's order

    def agent_named(self, cell: str) -> str | None:
        """The name of the agent an agent cell gives: itself without [agents]; with it, the name of an ID
        or a name it lists, else None (an unknown agent)."""
        if not self.agent_names:
            return cell
        for agent_id, name in self.agent_names:
            if cell in (agent_id, name):
                return name
        return None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def keeps(self, cells: Cells[str, str]) -> bool:
        """Whether a row passes every filter (a row that doesn't is skipped, silently)."""
        return all(f.holds(cells) for f in self.filters)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the mapping reads, in order, each once."""
        named = [self.date, self.agent, *(f.column for f in self.filters), *(m.column for m in self.metrics)]
        return tuple(dict.fromkeys(c for c in named if c))

    def with_timezone(self, timezone: str) -> Mapping:
        """The same mapping with its days parted in ``timezone`` (`import --timezone`); ImportRefused
        naming --timezone when it isn't an IANA zone name."""
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ImportRefused.one("--timezone", f"{timezone!r} is not a time zone (e.g. 'Europe/Berlin').") from exc
        return replace(self, timezone=timezone)


@frozen
class Resolved:
    """A mapped figure against a team's catalogue: the entry key it fills and the metric's kind."""

    entry_key: str
    kind: Kind
    mapping: MetricMapping


def load_mapping(path: Path) -> Mapping:
    """The mapping in a TOML file, checked; ImportRefused names the file and the key at fault."""
    path = Path(path)
    return _load(path, path.name)


def preset(name: str) -> Mapping:
    """One of the PRESETS, by name (its messages name it "preset NAME")."""
    if name not in PRESETS:
        raise ImportRefused.one(f"preset {name}", f"is not a preset; the presets are {', '.join(PRESETS)}.")
    return _load(PRESET_FOLDER / f"{name}.toml", f"preset {name}")


def _load(path: Path, source: str) -> Mapping:
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ImportRefused.one(source, f"can't be read: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise ImportRefused.one(source, "is not UTF-8 text.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ImportRefused.one(source, f"is not valid TOML: {exc}.") from exc
    return mapping_from(data, source)


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source

    def refuse(self, key: str, message: str) -> ImportRefused:
        return ImportRefused.one(self.source, f"key {key!r}: {message}")

    def table(self, data: dict, key: str, allowed: tuple[str, ...]) -> dict:
        for name in data:
            if name not in allowed:
                raise self.refuse(f"{key}.{name}", f"unknown; {key} takes {', '.join(allowed)}.")
        return data

    def text(self, data: dict, key: str, name: str, required: bool = True) -> str | None:
        value = data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.refuse(f"{key}.{name}", "needs a column name (a text)." if value is None else "must be a text.")
        return value

    def choice(self, data: dict, key: str, name: str, choices: tuple[str, ...], default: str | None) -> str:
        value = data.get(name, default)
        if value not in choices:
            shown = "missing" if value is None else repr(value)
            raise self.refuse(f"{key}.{name}", f"{shown} is not one of {', '.join(choices)}.")
        return value

    def texts(self, data: dict, key: str, name: str) -> tuple[str, ...]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise self.refuse(f"{key}.{name}", "must be a list of texts.")
        return tuple(str(v) for v in value)


def mapping_from(data: dict, source: str) -> Mapping:
    """A mapping from parsed TOML, checked (``source`` names it in messages)."""
    check = _Checker(source)
    check.table(data, "mapping", ("rows", "filter", "metrics", "agents"))
    rows = data.get("rows")
    if not isinstance(rows, dict):
        raise check.refuse("rows", "missing: a mapping needs a [rows] table (kind, date, date_format).")
    check.table(rows, "rows", _ROWS_KEYS)
    kind = check.choice(rows, "rows", "kind", KINDS, None)
    date_column = check.text(rows, "rows", "date")
    date_format = check.text(rows, "rows", "date_format") if "date_format" in rows else ISO
    if date_format not in (ISO, UNIX) and "%" not in date_format:
        raise check.refuse("rows.date_format", f"{date_format!r} is not 'iso', 'unix' or a strftime format.")
    if date_format not in (ISO, UNIX):
        try:
            datetime(2024, 1, 2, 3, 4, 5).strftime(date_format)
        except ValueError as exc:
            raise check.refuse("rows.date_format", f"{date_format!r} is not a strftime format.") from exc
    timezone = rows.get("timezone", "UTC")
    try:
        if not isinstance(timezone, str):
            raise ValueError(timezone)
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise check.refuse("rows.timezone", f"{timezone!r} is not a time zone (e.g. 'Europe/Berlin').") from exc
    agent = check.text(rows, "rows", "agent", required=False)
    entry_columns = rows.get("entry_columns", False)
    if not isinstance(entry_columns, bool):
        raise check.refuse("rows.entry_columns", "must be true or false.")
    if entry_columns and kind != DAILY:
        raise check.refuse("rows.entry_columns", "applies to daily rows only.")

    filters = data.get("filter", [])
    if not isinstance(filters, list):
        raise check.refuse("filter", "must be [[filter]] tables.")
    read_filters = tuple(_filter(check, f, f"filter[{n}]") for n, f in enumerate(filters, start=1))

    metrics = data.get("metrics", {})
    if not isinstance(metrics, dict) or not all(isinstance(v, dict) for v in metrics.values()):
        raise check.refuse("metrics", "must be [metrics.KEY] tables.")
    read_metrics = tuple(_metric(check, key, table, kind) for key, table in metrics.items())
    if not read_metrics and not entry_columns:
        raise check.refuse("metrics", "maps no figure: add a [metrics.KEY] table.")
    agent_names = _agent_names(check, data.get("agents", {}), agent)
    return Mapping(
        source, kind, date_column, date_format, timezone, agent, read_filters, read_metrics, entry_columns, agent_names
    )


def _agent_names(check: _Checker, table: object, agent_column: str | None) -> tuple[tuple[str, str], ...]:
    """[agents]: each ID's name (a text each, trimmed; an ID may be written as a number)."""
    if not isinstance(table, dict):
        raise check.refuse("agents", 'must be a table of ID = "Name".')
    if table and agent_column is None:
        raise check.refuse("agents", "names agents, but [rows] has no agent column.")
    names = []
    for agent_id, name in table.items():
        if not isinstance(name, str) or not " ".join(name.split()):
            raise check.refuse(f"agents.{agent_id}", "needs the agent's name (a text).")
        names.append((str(agent_id).strip(), " ".join(name.split())))
    return tuple(names)


def _filter(check: _Checker, table: object, key: str) -> Filter:
    if not isinstance(table, dict):
        raise check.refuse(key, "must be a table.")
    check.table(table, key, _FILTER_KEYS)
    column = check.text(table, key, "column")
    given = [name for name in ("equals", "one_of", "not_empty") if name in table]
    if len(given) != 1:
        raise check.refuse(key, "needs exactly one of equals, one_of or not_empty.")
    if "equals" in table:
        if not isinstance(table["equals"], str | int):
            raise check.refuse(f"{key}.equals", "must be a text.")
        return Filter(column, equals=str(table["equals"]))
    if "one_of" in table:
        return Filter(column, one_of=check.texts(table, key, "one_of"))
    if table["not_empty"] is not True:
        raise check.refuse(f"{key}.not_empty", "takes true only.")
    return Filter(column, not_empty=True)


def _metric(check: _Checker, name: str, table: dict, kind: str) -> MetricMapping:
    key = f"metrics.{name}"
    check.table(table, key, _METRIC_KEYS)
    allowed = DAILY_AGGREGATES if kind == DAILY else ITEM_AGGREGATES
    aggregate = check.choice(table, key, "aggregate", allowed, VALUE if kind == DAILY else None)
    column = None if aggregate == COUNT and "column" not in table else check.text(table, key, "column")
    unit = check.choice(table, key, "unit", tuple(TENTHS_PER_UNIT), SECONDS)
    conditions = [c for c in ("at_least", "equals", "one_of") if c in table]
    if aggregate == COUNT_WHERE and len(conditions) != 1:
        raise check.refuse(key, "count_where needs exactly one of at_least, equals or one_of.")
    if aggregate != COUNT_WHERE and conditions:
        raise check.refuse(f"{key}.{conditions[0]}", "applies to aggregate = 'count_where' only.")
    at_least = table.get("at_least")
    if at_least is not None and (isinstance(at_least, bool) or not isinstance(at_least, int | float)):
        raise check.refuse(f"{key}.at_least", "must be a number.")
    equals = table.get("equals")
    if equals is not None and not isinstance(equals, str | int):
        raise check.refuse(f"{key}.equals", "must be a text.")
    return MetricMapping(
        name,
        column,
        aggregate,
        unit,
        at_least=at_least,
        equals=None if equals is None else str(equals),
        one_of=check.texts(table, key, "one_of"),
    )


# Which aggregates a metric's kind takes over items: a count counts or sums, a duration is a mean,
# a share's part is counted (its base is its own count metric, e.g. csat_ratings).
_ITEM_AGGREGATES_OF = {
    Kind.COUNT: (COUNT, SUM, COUNT_WHERE, COUNT_SET),
    Kind.DURATION: (MEAN,),
    Kind.SHARE: (COUNT, SUM, COUNT_WHERE, COUNT_SET),
}


def resolve(mapping: Mapping, metrics: Metrics) -> tuple[Resolved, ...]:
    """Each mapped figure by the ENTRY KEY it fills in the team's catalogue (``[metrics.csat_percent]``
    and ``[metrics.csat_good]`` both fill csat_good), with ``entry_columns``' figures after those named;
    ImportRefused names the mapping and the key the team doesn't track, or can't fill that way."""
    check = _Checker(mapping.source)
    entry_of = {d.key: d for d in metrics.definitions if d.entered}  # by metric key
    by_entry = {f.key: metrics.definition_of(f.key) for f in metrics.entry_fields}
    found: dict[str, Resolved] = {}
    for item in mapping.metrics:
        key = f"metrics.{item.key}"
        definition = by_entry.get(item.key) or entry_of.get(item.key)
        if definition is None:
            ratio = metrics.by_key.get(item.key)
            why = (
                "is a ratio, worked out from its counts: map those instead."
                if ratio is not None and ratio.kind is Kind.RATIO
                else "is not a metric this team tracks."
            )
            raise check.refuse(key, f"{item.key!r} {why}")
        field_key = next(k for k, d in by_entry.items() if d is definition)
        if field_key in found:
            raise check.refuse(key, f"fills {field_key!r}, which metrics.{found[field_key].mapping.key} fills already.")
        if mapping.kind == ITEMS and item.aggregate not in _ITEM_AGGREGATES_OF[definition.kind]:
            takes = _either(_ITEM_AGGREGATES_OF[definition.kind])
            raise check.refuse(f"{key}.aggregate", f"{definition.label} ({definition.kind.value}) takes {takes}.")
        found[field_key] = Resolved(field_key, definition.kind, item)
    if mapping.entry_columns:
        for field_key, definition in by_entry.items():
            if field_key not in found:
                unit = TENTHS if definition.kind is Kind.DURATION else SECONDS
                found[field_key] = Resolved(
                    field_key, definition.kind, MetricMapping(field_key, field_key, VALUE, unit, optional=True)
                )
    return tuple(found.values())


def _either(names: tuple[str, ...]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

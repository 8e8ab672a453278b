"""Statbotic's metrics as the app uses them today, built from the one list (builtin_metrics.py).

``BUILTIN_DEFINITIONS`` says each metric once: label, prompt, bounds, option, columns, direction,
target and kind (metric_kinds.py, whose ``terms`` is each kind's roll-up rule).  This module reads them
into the shapes the forms, stores, tables, exports and reports loop over, named by the columns today's
stores keep (``builtin_metrics.LEGACY``), so adding a metric is one definition and nothing here.

A day is stored as the figures entered (``ENTRY_FIELDS``), every one an exact integer (counts, and the
average wait in tenths of a second), plus *additive components* (``COMPONENTS``), integers too, that
may be summed over any range.  Every range figure (``RANGE_METRICS``) is a ratio of such sums, never
an average of daily averages, computed as an exact fraction and rounded half up only when shown
(README: "How the figures are computed").  Both stores therefore agree to the digit.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from fractions import Fraction

from .builtin_metrics import BUILTIN_DEFINITIONS, LEGACY
from .errors import InvalidInput
from .frozen import frozen
from .goals import Direction, Goal  # noqa: F401 (re-exported: the app imports them from here)
from .metric_kinds import (
    MAX_DAILY_COUNT,
    Kind,
    MetricDefinition,
    base_noun,
    component_sums,
    day_components,
    formula,
    read_answer,
    terms,
)
from .metric_kinds import MAX_DURATION_SECONDS as MAX_WAIT_SECONDS
from .typed_numbers import in_lower_case

BUILTIN_BY_KEY = {d.key: d for d in BUILTIN_DEFINITIONS}


class Unit(Enum):
    COUNT = "count"
    SECONDS = "seconds"
    PERCENT = "percent"
    RATIO = "ratio"


@frozen
class EntryField:
    """A figure entered for one day, stored as an integer.

    ``tenths``: entered in seconds and stored in tenths of a second (the average chat wait).
    ``part_of``: a count that is part of another field's count (positive ratings of all ratings);
    it may also be typed as a percentage of that count, converted exactly and shown back.
    ``usually_part_of``: a count that is normally no more than another field's (each rating is of a
    chat), but may be (a rating can come days after its chat): more is warned about, not refused.
    ``average_over``: an average over another field's count (the wait of the day's chats), which
    means nothing when that count is 0 (plausibility.py warns about either being 0 alone).
    """

    key: str
    label: str
    prompt: str
    unit: Unit
    source: str
    maximum: int  # in the unit typed (seconds for a wait)
    column: str  # a short header for tables with a column per field
    option: str  # the `statbotic add` option that gives it
    tenths: bool = False
    part_of: str | None = None
    usually_part_of: str | None = None
    average_over: str | None = None

    def text(self, value: int) -> str:
        """A stored value as it would be typed: a wait in seconds with its tenth, a count with commas."""
        return f"{value // 10}.{value % 10}" if self.tenths else f"{value:,}"


@frozen
class Component:
    """An additive integer stored with each day, derived from the day's entered figures."""

    key: str
    description: str


PER_DAY_PLACES = 1  # decimals of a total's per-day figure (and of a target for it)
MAX_RATIO_TARGET = 1000  # the highest target a ratio without a natural top (comments per solve) takes

# The denominator of a total's per-day figure, named like a component in exports.
DAYS_WITH_DATA = "days_with_data"


@frozen
class RangeMetric:
    """A figure over a date range: a sum, or ``scale`` x a ratio of two sums, as an exact fraction.

    ``denominator`` None means the figure is a total (and a per-day average is shown too); a target
    for a total applies to its per-day figure, a target for a ratio to the range figure.
    ``alias``: the short name commands accept besides the key (``statbotic targets set csat ...``).
    ``direction``: which way is better, the direction a target takes unless told otherwise.
    ``target_setting`` names the environment variable holding its default target, if it has one.
    ``places``: decimals shown (rounded half up).
    ``column``: a short header for tables with a column per metric (the daily breakdown).
    """

    key: str
    label: str
    unit: Unit
    numerator: str
    alias: str
    direction: Direction
    denominator: str | None = None
    scale: Fraction = Fraction(1)
    formula: str = ""
    target_setting: str | None = None
    target_default: Fraction | None = None
    min_sample: int = 0
    places: int = 0
    column: str = ""
    sample: str = ""  # what a ratio's denominator counts, by its label ("CSAT ratings"); "" for a total
    noun: str = ""  # what its numerator counts, in sentences ("positive"; "chats")
    base_noun: str = ""  # what its denominator counts, in sentences ("ratings"); "" for a total

    @property
    def is_total(self) -> bool:
        return self.denominator is None

    @property
    def target_applies_to(self) -> str:
        """The figure a target is compared with, named as in exports: a total's per_day, a ratio's value."""
        return "per_day" if self.is_total else "value"

    @property
    def target_places(self) -> int:
        """Decimals a target may have: those of the figure it is compared with, as shown."""
        return PER_DAY_PLACES if self.is_total else self.places

    @property
    def highest_target(self) -> int:
        if self.unit is Unit.PERCENT:
            return 100
        if self.unit is Unit.SECONDS:
            return MAX_WAIT_SECONDS
        return MAX_DAILY_COUNT if self.is_total else MAX_RATIO_TARGET


UNITS = {Kind.COUNT: Unit.COUNT, Kind.DURATION: Unit.SECONDS, Kind.SHARE: Unit.PERCENT, Kind.RATIO: Unit.RATIO}

# How the app names a built-in's figures: its entered integer by today's column (wait_tenths, csat_good),
# and its first component by today's stored column (wait_tenths_total); a custom metric's are its key and
# its definition's components (metric_kinds: "handle_time.total").
_ENTERED_COLUMN = {column.metric: column.entered for column in LEGACY}
_COMPONENT_NAME = {BUILTIN_BY_KEY[column.metric].components[0]: column.component for column in LEGACY}
_COMPONENT_TEXT = {column.component: column.description for column in LEGACY}


def entry_key(definition: MetricDefinition) -> str:
    """The name of a metric's entered integer in a day's figures (DayRecord.entered)."""
    return _ENTERED_COLUMN.get(definition.key, definition.key)


def component_name(component: str) -> str:
    """The name the app gives a definition component (metric_kinds) in sums, exports and formulas."""
    return _COMPONENT_NAME.get(component, component)


def _component_text(definition: MetricDefinition, component: str, by_key: Mapping[str, MetricDefinition]) -> str:
    name = component_name(component)
    if name in _COMPONENT_TEXT:
        return _COMPONENT_TEXT[name]
    base = by_key[definition.bases[0]].items_noun if definition.bases else ""
    if component.endswith(".total"):
        return f"{in_lower_case(definition.label)} in tenths of a second x {base}"
    if component.endswith((".items", ".base")):
        return f"{base} of the days with {in_lower_case(definition.label)}"
    return definition.items_noun


class Metrics:
    """The metrics a team tracks, read into the shapes forms, stores, tables, exports and reports loop
    over: entry fields, stored components, range figures, in the admin's order.  Built from a store's
    live definitions (``for_team``) or from the built-ins (``BUILTIN``)."""

    def __init__(self, definitions: tuple[MetricDefinition, ...]) -> None:
        self.definitions = tuple(sorted(definitions, key=lambda d: (d.order, d.key)))
        self.by_key = {d.key: d for d in self.definitions}
        self.entry_fields = tuple(self._entry_field(d) for d in self.definitions if d.entered)
        self.entry_keys = tuple(f.key for f in self.entry_fields)
        self._metric_of_entry = {entry_key(d): d.key for d in self.definitions if d.entered}
        self.components = tuple(
            Component(component_name(c), _component_text(d, c, self.by_key))
            for d in self.definitions
            for c in d.components
        )
        self.component_keys = tuple(c.key for c in self.components)
        # The counts, summed as entered (comments, solves, chats, ratings): a team's share of each is shown.
        self.count_keys = tuple(component_name(d.key) for d in self.definitions if d.kind is Kind.COUNT)
        self.range_metrics = tuple(self._range_metric(d) for d in self.definitions if d.listed)

    def _entry_field(self, definition: MetricDefinition) -> EntryField:
        base = entry_key(self.by_key[definition.bases[0]]) if definition.bases else None
        within = self.by_key.get(definition.usually_within) if definition.usually_within else None
        return EntryField(
            entry_key(definition),
            definition.typed_label,
            definition.prompt or definition.label,
            Unit.SECONDS if definition.kind is Kind.DURATION else Unit.COUNT,
            definition.source,
            definition.maximum,
            definition.entry_column or definition.column or definition.label,
            definition.add_option,
            tenths=definition.kind is Kind.DURATION,
            part_of=base if definition.kind is Kind.SHARE else None,
            usually_part_of=within and entry_key(within),
            average_over=base if definition.kind is Kind.DURATION else None,
        )

    def _range_metric(self, definition: MetricDefinition) -> RangeMetric:
        numerator, denominator, scale = terms(definition)
        return RangeMetric(
            definition.key,
            definition.label,
            UNITS[definition.kind],
            component_name(numerator),
            alias=definition.command_name,
            direction=definition.direction,
            denominator=denominator and component_name(denominator),
            scale=scale,
            formula=formula(definition),
            target_setting=definition.target_setting,
            target_default=definition.target,
            min_sample=definition.min_sample,
            places=definition.places,
            column=definition.column or definition.label,
            sample=self.by_key[definition.bases[-1]].typed_label if definition.bases else "",
            noun=definition.items_noun,
            base_noun=self.by_key[definition.bases[-1]].items_noun if definition.bases else "",
        )

    # --- a day's figures --------------------------------------------------------------------------

    def by_metric(self, entered: Mapping[str, int]) -> dict[str, int]:
        """A day's entered integers by metric key (what metric_kinds reads), from their entry keys."""
        return {self._metric_of_entry[k]: int(v) for k, v in entered.items() if k in self._metric_of_entry}

    def definition_of(self, entry_key: str) -> MetricDefinition:
        """The definition of an entry field, by its entry key (wait_tenths: the wait's)."""
        return self.by_key[self._metric_of_entry[entry_key]]

    def entry_field(self, key: str) -> EntryField:
        for field in self.entry_fields:
            if field.key == key:
                return field
        raise KeyError(key)

    def read_field(self, field: EntryField, text: str, entered: Mapping[str, int]) -> tuple[int, str | None]:
        """One entry field's integer from what was typed, and a note to show back when a percentage was
        converted, by its definition's rules and messages (metric_kinds.read_answer).  ``entered``: the
        fields before it, by entry key (a part needs its whole).  Raises InvalidInput."""
        definition = self.by_key[self._metric_of_entry[field.key]]
        return read_answer(definition, text, self.by_metric(entered), base_noun(definition, self.by_key))

    def check_bounds(self, entered: Mapping[str, int]) -> None:
        """InvalidInput unless each entry field ``entered`` has is a whole number within its bounds."""
        for field in self.entry_fields:
            if field.key not in entered:
                continue
            value, scale = entered[field.key], 10 if field.tenths else 1
            lowest, highest = self.definition_of(field.key).minimum * scale, field.maximum * scale
            if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= highest:
                raise InvalidInput(f"{field.label} must be a whole number from {lowest:,} to {highest:,}.")

    def typed_entry(self, entered: Mapping[str, int]) -> dict[str, int]:
        """The entry fields a day has, as integers (a store may hand back other number types)."""
        return {f.key: int(entered[f.key]) for f in self.entry_fields if entered.get(f.key) is not None}

    def components_of(self, entered: Mapping[str, int]) -> dict[str, int]:
        """The additive components of one day's entered figures (metric_kinds.day_components), by name;
        every component is there (0 for a metric the day has no value for)."""
        return {**dict.fromkeys(self.component_keys, 0), **self.day_components(entered)}

    def day_components(self, entered: Mapping[str, int]) -> dict[str, int]:
        """The components of the metrics a day has values for, by name, in the catalogue's order."""
        named = {component_name(k): v for k, v in day_components(self.definitions, self.by_metric(entered)).items()}
        return {key: named[key] for key in self.component_keys if key in named}

    def days_of(self, entered: Mapping[str, int]) -> dict[str, int]:
        """Each listed metric's days with data in one day (1 or 0): a day alone, as a range reads it."""
        values = self.by_metric(entered)
        return {m.key: int(self.has_value(m.key, values)) for m in self.range_metrics}

    def has_value(self, key: str, values: Mapping[str, int]) -> bool:
        """Whether a day with these values (by metric key) has data for a metric: a ratio when both counts do."""
        definition = self.by_key[key]
        return all(b in values for b in definition.bases) if definition.kind is Kind.RATIO else key in values

    # --- naming ---------------------------------------------------------------------------------

    def range_metric(self, key: str) -> RangeMetric:
        for metric in self.range_metrics:
            if metric.key == key:
                return metric
        raise KeyError(key)

    def metric_named(self, name: str) -> RangeMetric | None:
        """The range metric a command names by its key or its alias, in any case ('-' and '_' alike), or None."""
        wanted = name.strip().lower().replace("_", "-")
        for metric in self.range_metrics:
            if wanted in (metric.key.replace("_", "-"), metric.alias):
                return metric
        return None

    def range_sums(self, sums: Mapping[str, int]) -> dict[str, int]:
        """Range sums by definition component (a store's) named as the app names them, every one there."""
        named = dict.fromkeys(self.component_keys, 0)
        named.update({component_name(k): int(v) for k, v in sums.items() if component_name(k) in named})
        return named


def named_sums(
    definitions: tuple[MetricDefinition, ...], sums: Mapping[str, tuple[int, int | None, int | None]]
) -> dict[str, int]:
    """A store's per-metric sums of its rows (metric -> sums of value, total, base) as range sums named
    as the app names them (RangeTotals.sums)."""
    return {component_name(k): v for k, v in component_sums(definitions, sums).items()}


BUILTIN = Metrics(BUILTIN_DEFINITIONS)

# The built-ins' shapes by their old names (code that has no store's definitions at hand).
DEFINITIONS = BUILTIN.definitions
ENTRY_FIELDS, ENTRY_KEYS = BUILTIN.entry_fields, BUILTIN.entry_keys
COMPONENTS, COMPONENT_KEYS, COUNT_KEYS = BUILTIN.components, BUILTIN.component_keys, BUILTIN.count_keys
RANGE_METRICS = BUILTIN.range_metrics
entry_field, read_field, typed_entry = BUILTIN.entry_field, BUILTIN.read_field, BUILTIN.typed_entry
components_of, range_metric, metric_named = BUILTIN.components_of, BUILTIN.range_metric, BUILTIN.metric_named

# What the agents view ranks by unless told (agent_report.default_ranking): the solves, the figure leads
# ask for first; a team that doesn't track them is ranked by its first count.
AGENT_RANKING = "solves"

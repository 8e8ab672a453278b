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

from .builtin_metrics import BUILTIN_DEFINITIONS, LEGACY, LEGACY_COLUMNS, LEGACY_COMPONENTS, from_legacy
from .frozen import frozen
from .goals import Direction, Goal  # noqa: F401 (re-exported: the app imports them from here)
from .metric_kinds import (
    MAX_DAILY_COUNT,
    Kind,
    MetricDefinition,
    base_noun,
    day_components,
    formula,
    read_answer,
    terms,
)
from .metric_kinds import MAX_DURATION_SECONDS as MAX_WAIT_SECONDS

# The built-ins in the order forms and tables show them.
DEFINITIONS: tuple[MetricDefinition, ...] = tuple(sorted(BUILTIN_DEFINITIONS, key=lambda d: d.order))
_BY_KEY = {d.key: d for d in DEFINITIONS}
_ENTERED_COLUMN = {column.metric: column.entered for column in LEGACY}


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


def _entry_field(definition: MetricDefinition) -> EntryField:
    """A definition's typed figure, named by today's entered column."""
    base = _ENTERED_COLUMN[definition.bases[0]] if definition.bases else None
    return EntryField(
        _ENTERED_COLUMN[definition.key],
        definition.typed_label,
        definition.prompt,
        Unit.SECONDS if definition.kind is Kind.DURATION else Unit.COUNT,
        definition.source,
        definition.maximum,
        definition.entry_column or definition.column,
        definition.add_option,
        tenths=definition.kind is Kind.DURATION,
        part_of=base if definition.kind is Kind.SHARE else None,
        usually_part_of=_ENTERED_COLUMN.get(definition.usually_within),
        average_over=base if definition.kind is Kind.DURATION else None,
    )


ENTRY_FIELDS: tuple[EntryField, ...] = tuple(_entry_field(d) for d in DEFINITIONS if d.entered)
ENTRY_KEYS: tuple[str, ...] = tuple(f.key for f in ENTRY_FIELDS)


def entry_field(key: str) -> EntryField:
    for field in ENTRY_FIELDS:
        if field.key == key:
            return field
    raise KeyError(key)


def read_field(field: EntryField, text: str, entered: Mapping[str, int]) -> tuple[int, str | None]:
    """One entry field's integer from what was typed, and a note to show back when a percentage was
    converted, by its definition's rules and messages (metric_kinds.read_answer).  ``entered``: the
    fields before it, by column (a part needs its whole).  Raises InvalidInput."""
    definition = _BY_KEY[LEGACY_COLUMNS[field.key]]
    values = {LEGACY_COLUMNS[column]: value for column, value in entered.items()}
    return read_answer(definition, text, values, base_noun(definition, _BY_KEY))


def typed_entry(entered: Mapping[str, int]) -> dict[str, int]:
    """The entry fields as integers (a store may hand back other number types)."""
    return {f.key: int(entered[f.key]) for f in ENTRY_FIELDS}


@frozen
class Component:
    """An additive integer stored with each day, derived from the day's entered figures."""

    key: str
    description: str


COMPONENTS: tuple[Component, ...] = tuple(Component(column.component, column.description) for column in LEGACY)
COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)

# What a store keeps for a day: the entered figures, then the components that are not entered as they are.
DERIVED_COMPONENTS: tuple[Component, ...] = tuple(c for c in COMPONENTS if c.key not in ENTRY_KEYS)
STORED_KEYS: tuple[str, ...] = ENTRY_KEYS + tuple(c.key for c in DERIVED_COMPONENTS)
# The counts, summed as entered (comments, solves, chats, ratings): a team's share of each is shown.
COUNT_KEYS: tuple[str, ...] = tuple(LEGACY_COMPONENTS[d.key] for d in DEFINITIONS if d.kind is Kind.COUNT)
# Each stored component -> the definition component it keeps: its metric's first (wait_tenths_total is
# metric_kinds' "wait_seconds.total"); a duration's items and a share's base are their base's column.
_KEPT = {column.component: _BY_KEY[column.metric].components[0] for column in LEGACY}

# The denominator of a total's per-day figure, named like a component in exports.
DAYS_WITH_DATA = "days_with_data"


def components_of(entered: Mapping[str, int]) -> dict[str, int]:
    """The additive components of one day's entered figures (metric_kinds.day_components), by column."""
    components = day_components(DEFINITIONS, from_legacy(entered))
    return {column: components[key] for column, key in _KEPT.items()}


PER_DAY_PLACES = 1  # decimals of a total's per-day figure (and of a target for it)
MAX_RATIO_TARGET = 1000  # the highest target a ratio without a natural top (comments per solve) takes


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


def _range_metric(definition: MetricDefinition) -> RangeMetric:
    """A listed definition's range figure, its terms named by the columns today's stores sum."""
    numerator, denominator, scale = terms(definition)
    return RangeMetric(
        definition.key,
        definition.label,
        UNITS[definition.kind],
        LEGACY_COMPONENTS[numerator],
        alias=definition.command_name,
        direction=definition.direction,
        denominator=denominator and LEGACY_COMPONENTS[denominator],
        scale=scale,
        formula=formula(definition),
        target_setting=definition.target_setting,
        target_default=definition.target,
        min_sample=definition.min_sample,
        places=definition.places,
        column=definition.column,
    )


RANGE_METRICS: tuple[RangeMetric, ...] = tuple(_range_metric(d) for d in DEFINITIONS if d.listed)


def range_metric(key: str) -> RangeMetric:
    for metric in RANGE_METRICS:
        if metric.key == key:
            return metric
    raise KeyError(key)


def metric_named(name: str) -> RangeMetric | None:
    """The range metric a command names by its key or its alias, in any case ('-' and '_' alike), or None."""
    wanted = name.strip().lower().replace("_", "-")
    for metric in RANGE_METRICS:
        if wanted in (metric.key.replace("_", "-"), metric.alias):
            return metric
    return None

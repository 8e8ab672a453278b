"""The one definition of Statbotic's metrics.

Everything that lists metrics -- the entry form, validation, the stores' columns and
aggregation, tables, exports and reports -- loops over the tuples below, so adding a
metric is one entry here and nowhere else.

A day is stored as the figures entered (``ENTRY_FIELDS``), every one an exact integer
(counts, and the average wait in tenths of a second), plus *additive components*
(``COMPONENTS``), integers too, that may be summed over any range.  Every range figure
(``RANGE_METRICS``) is a ratio of such sums, never an average of daily averages, computed
as an exact fraction and rounded half up only when shown (README: "How the figures are
computed").  Both stores therefore agree to the digit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from fractions import Fraction

from .frozen import frozen
from .goals import Direction, Goal  # noqa: F401 (re-exported: the app imports them from here)


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


MAX_DAILY_COUNT = 1_000_000
MAX_WAIT_SECONDS = 86_400

ENTRY_FIELDS: tuple[EntryField, ...] = (
    EntryField(
        "comments",
        "Ticket public comments",
        "Ticket public comments",
        Unit.COUNT,
        "Zendesk",
        MAX_DAILY_COUNT,
        "Comments",
        "--comments",
    ),
    EntryField(
        "solves", "Ticket solves", "Ticket solves", Unit.COUNT, "Zendesk", MAX_DAILY_COUNT, "Solves", "--solves"
    ),
    EntryField("chats", "Live chats", "Live chats", Unit.COUNT, "Intercom", MAX_DAILY_COUNT, "Chats", "--chats"),
    EntryField(
        "wait_tenths",
        "Average chat wait",
        "Average chat wait (e.g. 65, 1:05 or 1m 5s)",
        Unit.SECONDS,
        "Intercom",
        MAX_WAIT_SECONDS,
        "Wait",
        "--wait",
        tenths=True,
        average_over="chats",
    ),
    EntryField(
        "csat_ratings",
        "CSAT ratings",
        "CSAT ratings (conversations rated)",
        Unit.COUNT,
        "Intercom",
        MAX_DAILY_COUNT,
        "Rated",
        "--ratings",
        usually_part_of="chats",
    ),
    EntryField(
        "csat_good",
        "Positive CSAT ratings",
        "Positive CSAT ratings (4 or 5 stars; or a %, e.g. 96%)",
        Unit.COUNT,
        "Intercom",
        MAX_DAILY_COUNT,
        "Positive",
        "--positive",
        part_of="csat_ratings",
    ),
)
ENTRY_KEYS: tuple[str, ...] = tuple(f.key for f in ENTRY_FIELDS)


def entry_field(key: str) -> EntryField:
    for field in ENTRY_FIELDS:
        if field.key == key:
            return field
    raise KeyError(key)


def typed_entry(entered: Mapping[str, int]) -> dict[str, int]:
    """The entry fields as integers (a store may hand back other number types)."""
    return {f.key: int(entered[f.key]) for f in ENTRY_FIELDS}


@frozen
class Component:
    """An additive integer stored with each day, derived from the day's entered figures."""

    key: str
    description: str
    derive: Callable[[Mapping[str, int]], int]


def _entered(key: str) -> Callable[[Mapping[str, int]], int]:
    return lambda day: day[key]


COMPONENTS: tuple[Component, ...] = (
    Component("comments", "ticket public comments", _entered("comments")),
    Component("solves", "ticket solves", _entered("solves")),
    Component("chats", "live chats", _entered("chats")),
    Component(
        "wait_tenths_total",
        "average chat wait in tenths of a second x chats",
        lambda day: day["wait_tenths"] * day["chats"],
    ),
    Component("csat_ratings", "CSAT ratings", _entered("csat_ratings")),
    Component("csat_good", "positive CSAT ratings (4 or 5 of 1-5)", _entered("csat_good")),
)
COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)

# What a store keeps for a day: the entered figures, then the components that are not entered as they are.
DERIVED_COMPONENTS: tuple[Component, ...] = tuple(c for c in COMPONENTS if c.key not in ENTRY_KEYS)
STORED_KEYS: tuple[str, ...] = ENTRY_KEYS + tuple(c.key for c in DERIVED_COMPONENTS)

# The denominator of a total's per-day figure, named like a component in exports.
DAYS_WITH_DATA = "days_with_data"


def components_of(entered: Mapping[str, int]) -> dict[str, int]:
    """The additive components of one day's entered figures."""
    return {c.key: int(c.derive(entered)) for c in COMPONENTS}


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


AT_LEAST, AT_MOST = Direction.AT_LEAST, Direction.AT_MOST
RANGE_METRICS: tuple[RangeMetric, ...] = (
    RangeMetric(
        "comments",
        "Ticket public comments",
        Unit.COUNT,
        "comments",
        alias="comments",
        direction=AT_LEAST,
        formula="sum of comments",
        column="Comments",
    ),
    RangeMetric(
        "solves",
        "Ticket solves",
        Unit.COUNT,
        "solves",
        alias="solves",
        direction=AT_LEAST,
        formula="sum of solves",
        column="Solves",
    ),
    RangeMetric(
        "chats",
        "Live chats",
        Unit.COUNT,
        "chats",
        alias="chats",
        direction=AT_LEAST,
        formula="sum of chats",
        column="Chats",
    ),
    RangeMetric(
        "wait_seconds",
        "Average chat wait",
        Unit.SECONDS,
        "wait_tenths_total",
        denominator="chats",
        alias="wait",
        direction=AT_MOST,
        scale=Fraction(1, 10),
        formula="sum of (wait in tenths of a second x chats) / sum of chats / 10",
        places=1,
        column="Wait",
    ),
    RangeMetric(
        "csat_percent",
        "Chat CSAT",
        Unit.PERCENT,
        "csat_good",
        denominator="csat_ratings",
        alias="csat",
        direction=AT_LEAST,
        scale=Fraction(100),
        formula="100 x sum of positive ratings / sum of ratings",
        target_setting="STATBOTIC_TARGET_CSAT",
        target_default=Fraction(95),
        min_sample=30,
        places=1,
        column="CSAT",
    ),
    RangeMetric(
        "comments_per_solve",
        "Public comments per solve",
        Unit.RATIO,
        "comments",
        denominator="solves",
        alias="comments-per-solve",
        direction=AT_MOST,
        formula="sum of comments / sum of solves (ideal 1, good 2)",
        target_setting="STATBOTIC_TARGET_COMMENTS_PER_SOLVE",
        target_default=Fraction(2),
        places=2,
        column="C/S",
    ),
)


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

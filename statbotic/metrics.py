"""The one definition of Statbotic's metrics.

Everything that lists metrics -- the entry form, validation, the stores' columns and
aggregation, tables, exports and reports -- loops over the tuples below, so adding a
metric is one entry here and nowhere else.

A day is stored as the figures the user typed (``ENTRY_FIELDS``) plus *additive
components* (``COMPONENTS``): numbers that may be summed over any range.  Every
range figure (``RANGE_METRICS``) is a ratio of such sums, never an average of daily
averages (README: "How the figures are computed").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from enum import Enum

from .frozen import frozen


class Unit(Enum):
    COUNT = "count"
    SECONDS = "seconds"
    PERCENT = "percent"
    RATIO = "ratio"


@frozen
class EntryField:
    """A figure typed in for one day."""

    key: str
    label: str
    prompt: str
    unit: Unit
    source: str
    maximum: float
    column: str  # a short header for tables with a column per field
    option: str  # the `statbotic add` option that gives it

    @property
    def whole(self) -> bool:
        return self.unit is Unit.COUNT


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
        "wait_seconds",
        "Average chat wait",
        "Average chat wait (seconds)",
        Unit.SECONDS,
        "Intercom",
        MAX_WAIT_SECONDS,
        "Wait (s)",
        "--wait",
    ),
    EntryField("csat_percent", "Chat CSAT", "Chat CSAT (%)", Unit.PERCENT, "Intercom", 100, "CSAT %", "--csat"),
    EntryField(
        "csat_ratings",
        "CSAT ratings",
        "Number of CSAT ratings",
        Unit.COUNT,
        "Intercom",
        MAX_DAILY_COUNT,
        "Ratings",
        "--ratings",
    ),
)
ENTRY_KEYS: tuple[str, ...] = tuple(f.key for f in ENTRY_FIELDS)


def typed_entry(entered: Mapping[str, float]) -> dict[str, float]:
    """The entry fields with their proper types: int for counts, float for the rest."""
    return {f.key: (int(entered[f.key]) if f.whole else float(entered[f.key])) for f in ENTRY_FIELDS}


@frozen
class Component:
    """An additive number stored with each day, derived from the day's entered figures."""

    key: str
    description: str
    whole: bool
    derive: Callable[[Mapping[str, float]], float]


def _entered(key: str) -> Callable[[Mapping[str, float]], float]:
    return lambda day: day[key]


COMPONENTS: tuple[Component, ...] = (
    Component("comments", "ticket public comments", True, _entered("comments")),
    Component("solves", "ticket solves", True, _entered("solves")),
    Component("chats", "live chats", True, _entered("chats")),
    Component(
        "wait_seconds_total",
        "average chat wait x chats (seconds)",
        False,
        lambda day: day["wait_seconds"] * day["chats"],
    ),
    Component("csat_ratings", "CSAT ratings", True, _entered("csat_ratings")),
    Component(
        "csat_good",
        "good CSAT ratings = CSAT % x ratings / 100, rounded half up",
        True,
        lambda day: math.floor(day["csat_percent"] * day["csat_ratings"] / 100 + 0.5),
    ),
)
COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)


# What a store keeps for a day: the entered figures, then the components that are not entered as they are.
DERIVED_COMPONENTS: tuple[Component, ...] = tuple(c for c in COMPONENTS if c.key not in ENTRY_KEYS)
STORED_KEYS: tuple[str, ...] = ENTRY_KEYS + tuple(c.key for c in DERIVED_COMPONENTS)

# The denominator of a total's per-day figure, named like a component in exports.
DAYS_WITH_DATA = "days_with_data"


def components_of(entered: Mapping[str, float]) -> dict[str, float]:
    """The additive components of one day's entered figures."""
    return {c.key: (int(c.derive(entered)) if c.whole else float(c.derive(entered))) for c in COMPONENTS}


CSAT_FIELDS = ("csat_percent", "csat_ratings")  # checked together by csat_mismatch
CSAT_TOLERANCE_POINTS = 0.5  # an entered CSAT % rounded to whole points still matches its ratings


def csat_mismatch(entered: Mapping[str, float]) -> str | None:
    """Why the day's CSAT % and number of ratings don't fit together, or None when they do.

    Intercom's CSAT is good ratings / ratings, so the % times the ratings should be (nearly) a whole
    number of good ratings; when it is not, one of the two figures is probably mistyped.
    """
    ratings, percent = entered["csat_ratings"], entered["csat_percent"]
    if not ratings:
        return None
    good = components_of(entered)["csat_good"]
    counted = 100 * good / ratings
    if abs(counted - percent) <= CSAT_TOLERANCE_POINTS:
        return None
    return (
        f"{percent:g} % of {ratings:g} ratings is {percent * ratings / 100:.1f} good ratings, not a whole "
        f"number: Statbotic would count {good} good ({counted:.1f} %)."
    )


class Direction(Enum):
    AT_LEAST = ">="
    AT_MOST = "<="


@frozen
class RangeMetric:
    """A figure over a date range: a sum, or a ratio of two sums.

    ``denominator`` None means the figure is a total (and a per-day average is shown too).
    ``target_setting`` names the environment variable holding its target, if it has one.
    """

    key: str
    label: str
    unit: Unit
    numerator: str
    denominator: str | None = None
    scale: float = 1.0
    formula: str = ""
    target_setting: str | None = None
    target_default: float | None = None
    target_direction: Direction | None = None
    min_sample: int = 0

    @property
    def is_total(self) -> bool:
        return self.denominator is None

    def meets(self, value: float, target: float) -> bool:
        if self.target_direction is Direction.AT_MOST:
            return value <= target
        return value >= target


RANGE_METRICS: tuple[RangeMetric, ...] = (
    RangeMetric("comments", "Ticket public comments", Unit.COUNT, "comments", formula="sum of comments"),
    RangeMetric("solves", "Ticket solves", Unit.COUNT, "solves", formula="sum of solves"),
    RangeMetric("chats", "Live chats", Unit.COUNT, "chats", formula="sum of chats"),
    RangeMetric(
        "wait_seconds",
        "Average chat wait",
        Unit.SECONDS,
        "wait_seconds_total",
        "chats",
        formula="sum of (wait x chats) / sum of chats",
    ),
    RangeMetric(
        "csat_percent",
        "Chat CSAT",
        Unit.PERCENT,
        "csat_good",
        "csat_ratings",
        scale=100.0,
        formula="100 x sum of good ratings / sum of ratings",
        target_setting="STATBOTIC_TARGET_CSAT",
        target_default=95.0,
        target_direction=Direction.AT_LEAST,
        min_sample=30,
    ),
    RangeMetric(
        "comments_per_solve",
        "Public comments per solve",
        Unit.RATIO,
        "comments",
        "solves",
        formula="sum of comments / sum of solves (ideal 1, good 2)",
        target_setting="STATBOTIC_TARGET_COMMENTS_PER_SOLVE",
        target_default=2.0,
        target_direction=Direction.AT_MOST,
    ),
)


def range_metric(key: str) -> RangeMetric:
    for metric in RANGE_METRICS:
        if metric.key == key:
            return metric
    raise KeyError(key)

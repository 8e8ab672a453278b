"""Today's six metrics as definitions: the one list of the built-in metrics, the seed of every store,
and the map from today's stored columns.

The app runs on these: metrics.py builds its entry fields, stored components and range metrics from
them and from ``LEGACY`` (the columns today's stores keep), so a label, prompt, bound, option, column,
direction, target or roll-up rule is written here and nowhere else.

CSAT is a share of a count, so the ratings it is a share of are a count of their own, entered but not
listed as a figure (``listed=False``), as today.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from .frozen import frozen
from .goals import Direction
from .metric_kinds import MAX_DURATION_SECONDS, Kind, MetricDefinition

BUILTIN_DEFINITIONS: tuple[MetricDefinition, ...] = (
    MetricDefinition(
        "comments",
        "Ticket public comments",
        Kind.COUNT,
        prompt="Ticket public comments",
        source="Zendesk",
        noun="comments",
        column="Comments",
        order=1,
    ),
    MetricDefinition(
        "solves", "Ticket solves", Kind.COUNT, prompt="Ticket solves", source="Zendesk", column="Solves", order=2
    ),
    MetricDefinition(
        "chats", "Live chats", Kind.COUNT, prompt="Live chats", source="Intercom", noun="chats", column="Chats", order=3
    ),
    MetricDefinition(
        "wait_seconds",
        "Average chat wait",
        Kind.DURATION,
        prompt="Average chat wait (e.g. 65, 1:05 or 1m 5s)",
        source="Intercom",
        maximum=MAX_DURATION_SECONDS,
        places=1,
        direction=Direction.AT_MOST,
        bases=("chats",),
        alias="wait",
        column="Wait",
        formula_text="sum of (wait in tenths of a second x chats) / sum of chats / 10",
        order=4,
    ),
    MetricDefinition(
        "csat_ratings",
        "CSAT ratings",
        Kind.COUNT,
        prompt="CSAT ratings (conversations rated)",
        source="Intercom",
        usually_within="chats",
        listed=False,
        noun="ratings",
        alias="ratings",
        column="Rated",
        order=5,
    ),
    MetricDefinition(
        "csat_percent",
        "Chat CSAT",
        Kind.SHARE,
        prompt="Positive CSAT ratings (4 or 5 stars; or a %, e.g. 96%)",
        source="Intercom",
        places=1,
        target=Fraction(95),
        target_setting="STATBOTIC_TARGET_CSAT",
        bases=("csat_ratings",),
        min_sample=30,
        noun="positive",
        alias="csat",
        column="CSAT",
        entry_label="Positive CSAT ratings",
        entry_column="Positive",
        option="--positive",
        formula_text="100 x sum of positive ratings / sum of ratings",
        order=6,
    ),
    MetricDefinition(
        "comments_per_solve",
        "Public comments per solve",
        Kind.RATIO,
        places=2,
        direction=Direction.AT_MOST,
        target=Fraction(2),
        target_setting="STATBOTIC_TARGET_COMMENTS_PER_SOLVE",
        bases=("comments", "solves"),
        alias="comments-per-solve",
        column="C/S",
        formula_text="sum of comments / sum of solves (ideal 1, good 2)",
        order=7,
    ),
)


@frozen
class LegacyColumn:
    """One of the columns today's stores keep per day: the integer entered for ``metric`` (the wait in
    tenths of a second, CSAT's positive ratings), and the additive ``component`` stored for it (the same
    column, but for a duration's total), described as exports describe it."""

    entered: str
    metric: str
    component: str
    description: str


LEGACY: tuple[LegacyColumn, ...] = (
    LegacyColumn("comments", "comments", "comments", "ticket public comments"),
    LegacyColumn("solves", "solves", "solves", "ticket solves"),
    LegacyColumn("chats", "chats", "chats", "live chats"),
    LegacyColumn("wait_tenths", "wait_seconds", "wait_tenths_total", "average chat wait in tenths of a second x chats"),
    LegacyColumn("csat_ratings", "csat_ratings", "csat_ratings", "CSAT ratings"),
    LegacyColumn("csat_good", "csat_percent", "csat_good", "positive CSAT ratings (4 or 5 of 1-5)"),
)

# Today's entered columns -> the metric whose day value each one is: what a migration copies.
LEGACY_COLUMNS: Mapping[str, str] = {column.entered: column.metric for column in LEGACY}


_STORED = {column.metric: column.component for column in LEGACY}


def _stored_column(definition: MetricDefinition, index: int) -> str:
    """Today's column summed for a definition's component: its own for the first (a count, a share's
    part, a duration's total); its base's for a duration's items or a share's base, since every day
    in today's stores has every metric."""
    return _STORED[definition.key] if index == 0 else _STORED[definition.bases[0]]


# Each built-in component (metric_kinds: "wait_seconds.total") -> the column today's stores sum for it.
LEGACY_COMPONENTS: Mapping[str, str] = {
    component: _stored_column(definition, index)
    for definition in BUILTIN_DEFINITIONS
    for index, component in enumerate(definition.components)
}


def from_legacy(entered: Mapping[str, int]) -> dict[str, int]:
    """A day kept in today's columns as entered integers by metric key (every built-in has a value)."""
    return {key: int(entered[column]) for column, key in LEGACY_COLUMNS.items()}

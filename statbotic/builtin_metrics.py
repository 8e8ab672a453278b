"""Today's six metrics as definitions: the seed of every store, and the map from today's columns.

Until the app reads definitions from its store, metrics.py stays the definition the app runs on and
this tuple mirrors it; tests/unit/test_metric_kinds.py proves that the two agree figure for figure and
label for label.  When the store keeps definitions, metrics.py's tuples are derived from these (or
replaced by them) and this is again the one place that lists the built-in metrics.

CSAT is a share of a count, so the ratings it is a share of are a count of their own, entered but not
listed as a figure (``listed=False``), as today.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

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
        order=7,
    ),
)

# Today's entered columns (metrics.ENTRY_KEYS) -> the metric whose day value each one is: what a
# migration copies.  The wait stays in tenths of a second; positive ratings are CSAT's part.
LEGACY_COLUMNS: Mapping[str, str] = {
    "comments": "comments",
    "solves": "solves",
    "chats": "chats",
    "wait_tenths": "wait_seconds",
    "csat_ratings": "csat_ratings",
    "csat_good": "csat_percent",
}


def from_legacy(entered: Mapping[str, int]) -> dict[str, int]:
    """A day kept in today's columns as entered integers by metric key (every built-in has a value)."""
    return {key: int(entered[column]) for column, key in LEGACY_COLUMNS.items()}

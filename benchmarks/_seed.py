"""Seed a store through its own upsert_days: N teams x D days of plausible figures.

``custom=True`` adds a value on every day for each of CUSTOM_DEFINITIONS (5 metrics of mixed kinds,
defined in the store by ``define_custom``): with the 7 built-ins, 12 metrics."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from statbotic.metric_kinds import Kind, MetricDefinition
from statbotic.records import DayRecord

NOW = datetime(2026, 11, 26, tzinfo=UTC)

CUSTOM_DEFINITIONS = (
    MetricDefinition("calls_answered", "Calls answered", Kind.COUNT, source="Phone", noun="calls", order=8),
    MetricDefinition("replies", "Replies", Kind.COUNT, source="Phone", order=9),
    MetricDefinition(
        "handle_seconds", "Average handle time", Kind.DURATION, maximum=86_400, places=1, bases=("calls_answered",),
        order=10,
    ),
    MetricDefinition("sla_met", "SLA met", Kind.SHARE, places=1, bases=("calls_answered",), min_sample=20, order=11),
    MetricDefinition(
        "replies_per_call", "Replies per call", Kind.RATIO, places=2, bases=("replies", "calls_answered"), order=12
    ),
)  # fmt: skip


def define_custom(store) -> None:
    """Define the custom metrics in the store (each save audited, as an admin's would be)."""
    for definition in CUSTOM_DEFINITIONS:
        store.save_metric_definition(definition, "bench", NOW)


def seed_days(store, teams: list[str], last_day: date, days: int, seed: int = 7, custom: bool = False) -> int:
    rng = random.Random(seed)

    def records():
        for team in teams:
            for offset in range(days):
                chats = rng.randint(20, 200)
                ratings = rng.randint(0, chats // 3)
                entered = {
                    "comments": rng.randint(50, 400),
                    "solves": rng.randint(20, 200),
                    "chats": chats,
                    "wait_tenths": rng.randint(50, 3000),
                    "csat_ratings": ratings,
                    "csat_good": rng.randint(ratings * 4 // 5, ratings),
                }
                if custom:
                    calls = rng.randint(10, 300)
                    entered.update(
                        calls_answered=calls,
                        replies=rng.randint(calls, 3 * calls),
                        handle_seconds=rng.randint(600, 9000),
                        sla_met=rng.randint(calls * 7 // 10, calls),
                    )
                yield DayRecord(team, last_day - timedelta(days=offset), entered, "bench", NOW)

    return store.upsert_days(records())

"""Seed a store through its own upsert_days: N teams x D days of plausible figures."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from statbotic.records import DayRecord

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def seed_days(store, teams: list[str], last_day: date, days: int, seed: int = 7) -> int:
    rng = random.Random(seed)

    def records():
        for team in teams:
            for offset in range(days):
                chats = rng.randint(20, 200)
                ratings = rng.randint(0, chats // 3)
                yield DayRecord(
                    team,
                    last_day - timedelta(days=offset),
                    {
                        "comments": rng.randint(50, 400),
                        "solves": rng.randint(20, 200),
                        "chats": chats,
                        "wait_tenths": rng.randint(50, 3000),
                        "csat_ratings": ratings,
                        "csat_good": rng.randint(ratings * 4 // 5, ratings),
                    },
                    "bench",
                    NOW,
                )

    return store.upsert_days(records())

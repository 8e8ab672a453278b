"""Fixtures of the menu flows: a store with a known week of figures."""

from datetime import UTC, date, datetime, timedelta

import pytest

from statbotic.records import DayRecord

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def seed(store, day: date, **figures):
    entered = dict(comments=20, solves=10, chats=50, wait_tenths=400, csat_ratings=25, csat_good=24)
    entered.update(figures)
    store.upsert_day(DayRecord("default", day, entered, "alice", NOW))


@pytest.fixture
def november(store, alice):
    """2026-11-16..22 (ISO week 47) with data on 5 days; week 46 with 2 days."""
    for offset, positive in zip((0, 1, 2, 4, 5), (24, 23, 25, 24, 20), strict=True):  # of 25 ratings each
        seed(store, date(2026, 11, 16) + timedelta(days=offset), csat_good=positive)
    seed(store, date(2026, 11, 10), comments=30, solves=10)
    seed(store, date(2026, 11, 11), comments=30, solves=10)
    return store

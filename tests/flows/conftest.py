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


def add_team(store, name: str, display_name: str | None = None) -> None:
    from statbotic.records import Team

    store.add_team(Team(name, display_name or name, NOW), None)


def add_member(store, password_hash: str, name: str, admin: bool = False, **teams: str):
    """A user (password PASSWORD) with a role in each team given as team=role."""
    from statbotic.records import User

    user = User(name, password_hash, NOW, admin=admin, teams=teams)
    store.add_user(user)
    return user


@pytest.fixture
def teams(store, alice):
    """The team records of a store whose first user is alice: default (hers), and billing ("Billing desk")."""
    add_team(store, "default")
    add_team(store, "billing", "Billing desk")
    return store

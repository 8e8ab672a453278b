"""The main menu's Department view: a period, then a row per team, the department and who moved a miss."""

from datetime import date, timedelta

import pytest

from statbotic.records import DayRecord
from tests.flows.conftest import NOW
from tests.flows.test_fits_80_columns import long_lines
from tests.transcript import menu, period


def seed_team(store, team: str, positive: int, days: int = 5) -> None:
    entered = dict(comments=20, solves=10, chats=50, wait_tenths=400, csat_ratings=25, csat_good=positive)
    store.upsert_days(
        DayRecord(team, date(2026, 11, 16) + timedelta(days=n), entered, "alice", NOW) for n in range(days)
    )


@pytest.fixture
def department(store, november):
    """november's team 'default' (116 positive of 125 ratings in week 47) and two more teams."""
    seed_team(store, "billing-and-payments-emea", 20)  # 100 of 125: the mover, its name cut to fit
    seed_team(store, "support", 25, days=3)  # 75 of 75
    return store


def test_the_department_view_shows_every_team_and_who_moved_a_missed_target(department, as_alice):
    console = as_alice(menu("7"), period("2026-W47"))
    text = console.text
    assert "Department view for 2026-W47 (2026-11-16 to 2026-11-22) (3 teams)" in text
    assert "billing-and-p…" in text and "│ Department " in text
    # CSAT: (116 + 100 + 75) of (125 + 125 + 75) = 291 / 325 = 89.5 %; billing's part:
    # -(100 x 100 - 95 x 125) / 325 = 1875 / 325 = 5.8 pp of the 5.5 pp miss.
    assert "89.5 (325)" in text
    assert "Chat CSAT 89.5 %: target >= 95.0 % missed by 5.5 pp;" in text
    assert "billing-and-payments-emea contributes 5.8 pp of it" in " ".join(text.split())
    assert "1 of 3 teams meet it" in " ".join(text.split())
    assert long_lines(text) == []


def test_a_period_without_data_says_so(department, as_alice):
    console = as_alice(menu("7"), period("2025-11"))
    assert "Department view for 2025-11" in console.text and "No stats" in console.text

"""Screens that answer the lead's question: comparisons that are fair when a period has fewer days with
data, the daily breakdown (weekdays, each day's own figures against the targets, worst days first) and
the trend chart (gaps left as gaps, every target drawn)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from statbotic.records import DayRecord
from tests.transcript import menu, period

NOW = datetime(2026, 11, 26, tzinfo=UTC)
WEEK_46, WEEK_47 = date(2026, 11, 9), date(2026, 11, 16)


def seed(store, day: date, **figures):
    entered = dict(comments=20, solves=10, chats=50, wait_tenths=400, csat_ratings=40, csat_good=39)
    entered.update(figures)
    store.upsert_day(DayRecord("default", day, entered, "alice", NOW))


@pytest.fixture
def six_and_seven(store, alice):
    """Week 46 with data on all 7 days (10 solves each); week 47 on 6 (11 solves each, Sunday missing)."""
    for offset in range(7):
        seed(store, WEEK_46 + timedelta(days=offset))
    for offset in range(6):
        seed(store, WEEK_47 + timedelta(days=offset), solves=11)
    return store


def test_counts_compare_per_day_when_the_weeks_have_data_on_6_and_7_days(six_and_seven, as_alice):
    console = as_alice(menu("2"), period("last week"), ("View more", "n"))
    text = console.text
    assert "Compared with the previous week (2026-11-09 to 2026-11-15)\n" in text
    assert "6 vs 7 days with data, so counts compare per day; rates as they are." in text
    # 66 solves in 6 days against 70 in 7 is 11.0 against 10.0 a day: up 10 %, not down 5.7 %.
    assert row(text, "Ticket solves per day") == ["11.0", "10.0", "+1.0", "+10.0 %"]
    assert row(text, "Chat CSAT") == ["97.5 %", "97.5 %", "0.0 pp", "+0.0 %"]


def test_counts_compare_as_totals_when_both_weeks_have_as_many_days(six_and_seven, store, as_alice):
    seed(store, WEEK_47 + timedelta(days=6), solves=11)
    console = as_alice(menu("2"), period("last week"), ("View more", "n"))
    assert "7 vs 7 days with data, so counts compare as totals; rates as they are." in console.text
    assert row(console.text, "Ticket solves") == ["77", "70", "+7", "+10.0 %"]


def row(text: str, label: str) -> list[str]:
    """The cells after ``label`` in the last table row that starts with it."""
    found = [line for line in text.splitlines() if line.startswith(f"│ {label} ")]
    return [cell.strip() for cell in found[-1].split("│")[2:-1]]

"""Screens that answer the lead's question: comparisons that are fair when a period has fewer days with
data, the daily breakdown (weekdays, each day's own figures against the targets, worst days first) and
the trend chart (gaps left as gaps, every target drawn)."""

import re
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from statbotic.records import DayRecord
from tests.transcript import answers, menu, period

NOW = datetime(2026, 11, 26, tzinfo=UTC)
WEEK_46, WEEK_47 = date(2026, 11, 9), date(2026, 11, 16)


def seed(store, day: date, **figures):
    entered = dict(comments=20, solves=10, chats=50, wait_tenths=400, csat_ratings=40, csat_good=39)
    entered.update(figures)
    store.upsert_day(DayRecord("default", day, entered, "alice", NOW))


def seed_six_and_seven(store):
    """Week 46 with data on all 7 days (10 solves each); week 47 on 6 (11 solves each, Sunday missing)."""
    for offset in range(7):
        seed(store, WEEK_46 + timedelta(days=offset))
    for offset in range(6):
        seed(store, WEEK_47 + timedelta(days=offset), solves=11)
    return store


@pytest.fixture
def six_and_seven(store, alice):
    return seed_six_and_seven(store)


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


@pytest.fixture
def uneven_week(store, alice):
    return seed_uneven_week(store)


def seed_uneven_week(store):
    """Week 47: each day misses its targets (CSAT >= 95 %, comments per solve <= 2) by a different amount."""
    seed(store, date(2026, 11, 16))  # 97.5 %, 2.00: meets both
    seed(store, date(2026, 11, 17), csat_good=30)  # 75 %: misses by 20/95 = 0.21
    seed(store, date(2026, 11, 19), csat_good=38, comments=30)  # 95 %, 3.00: misses by 1/2 = 0.5
    seed(store, date(2026, 11, 20), csat_good=0, csat_ratings=0)  # no ratings: no CSAT to judge
    seed(store, date(2026, 11, 21), csat_good=36, comments=25)  # 90 %, 2.50: 5/95 + 0.5/2 = 0.30
    return store  # the 18th and the 22nd have no data


def daily_rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in text.splitlines() if "│ " in line][1:]


def test_daily_breakdown_by_date_names_weekdays_and_marks_each_day_against_the_targets(uneven_week, as_alice):
    console = as_alice(menu("4"), period("2026-W47"), answers("Order", "3", "1"))
    text = console.text
    assert "Please choose one of: 1, 2." in text
    assert daily_rows(text) == [
        ["Mon 2026-11-16", "20", "10", "50", "40.0", "✓ 97.5 (40)", "✓ 2.00"],
        ["Tue 2026-11-17", "20", "10", "50", "40.0", "✗ 75.0 (40)", "✓ 2.00"],
        ["Wed 2026-11-18", "missing", "", "", "", "", ""],
        ["Thu 2026-11-19", "30", "10", "50", "40.0", "✓ 95.0 (40)", "✗ 3.00"],
        ["Fri 2026-11-20", "20", "10", "50", "40.0", "- n/a (0)", "✓ 2.00"],
        ["Sat 2026-11-21", "25", "10", "50", "40.0", "✗ 90.0 (40)", "✗ 2.50"],
        ["Sun 2026-11-22", "missing", "", "", "", "", ""],
    ]
    assert "Date           │ Comments │ Solves │ Chats │ Wait s │ CSAT % (n)  │ C/S" in text
    assert "Targets: Chat CSAT >= 95.0 %, Public comments per solve <= 2.00." in text
    assert "✓ met, ✗ missed by the day's own figure; - no figure that day." in text
    assert max(len(line) for line in text.splitlines() if "│" in line) <= 80  # an 80-column terminal


def test_daily_breakdown_worst_days_first_then_days_meeting_every_target_then_missing_days(uneven_week, as_alice):
    console = as_alice(menu("4"), period("2026-W47"), ("Order", "2"))
    assert "Worst days first: by the sum of each target's miss as a share of the target." in console.text
    assert [row[0] for row in daily_rows(console.text)] == [
        "Thu 2026-11-19",  # 0.5
        "Sat 2026-11-21",  # 0.30
        "Tue 2026-11-17",  # 0.21
        "Mon 2026-11-16",  # meets every target
        "Fri 2026-11-20",  # meets the one it has a figure for
        "Wed 2026-11-18",  # no data
        "Sun 2026-11-22",
    ]


def test_daily_breakdown_asks_no_order_when_there_is_no_target_to_rank_by(uneven_week, settings):
    from statbotic.frozen import replace
    from tests.transcript import EXIT, LOGIN, play

    console = play(uneven_week, replace(settings, targets={}), LOGIN, menu("4"), period("2026-W47"), EXIT)
    assert daily_rows(console.text)[1] == ["Tue 2026-11-17", "20", "10", "50", "40.0", "75.0 (40)", "2.00"]
    assert "Targets:" not in console.text


def test_trend_chart_breaks_the_line_at_missing_days_and_says_how_many_are_not_drawn(store, alice, as_alice):
    for day in (10, 11, 16, 17):
        seed(store, date(2026, 11, day))  # 20 comments each
    seed(store, date(2026, 11, 18), comments=30)
    console = as_alice(menu("5"), ("Choose a metric", "1"), period("2026-11-10..2026-11-18"))
    text = console.text
    # 20 comments on the 11th and on the 16th: a line across the gap would fill the 20.0 row between them.
    bottom = next(line for line in text.splitlines() if line.startswith("20.0┤"))
    assert len(re.findall("•+", bottom)) == 2
    assert "4 days without data are not drawn: the line breaks there." in text
    assert "Target line" not in text  # comments have no target


def test_trend_chart_draws_the_target_the_report_has_for_the_metric_and_counts_days_without_its_figure(
    store, alice, settings
):
    from statbotic.frozen import replace
    from tests.transcript import EXIT, LOGIN, play

    for day, wait in ((16, 300), (17, 500), (19, 600)):
        seed(store, date(2026, 11, day), wait_tenths=wait)
    seed(store, date(2026, 11, 20), chats=0, wait_tenths=0)  # no chats: no wait to draw
    wait_target = replace(settings, targets={"wait_seconds": Fraction(45)})  # a target on any metric is drawn
    console = play(store, wait_target, LOGIN, menu("5"), ("Choose a metric", "4"), period("2026-W47"), EXIT)
    text = console.text
    assert "3 days without data are not drawn: the line breaks there." in text
    assert "1 day with data but no Average chat wait figure is not drawn either." in text
    assert "Target line: <= 45.0 s." in text  # a wait target takes the lower-is-better direction
    assert re.search(r"^45(\.0)? *├─", text, re.M)  # plotext drew the target across the frame

from datetime import date

import pytest

from statbotic.errors import InvalidInput
from statbotic.periods import Period, parse_period

TODAY = date(2026, 11, 26)  # a Thursday


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("today", "2026-11-26", "2026-11-26"),
        ("Yesterday", "2026-11-25", "2026-11-25"),
        ("this week", "2026-11-23", "2026-11-29"),
        ("last  week", "2026-11-16", "2026-11-22"),
        ("this month", "2026-11-01", "2026-11-30"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("last 7 days", "2026-11-19", "2026-11-25"),
        ("last 1 day", "2026-11-25", "2026-11-25"),
        ("last 30 days", "2026-10-27", "2026-11-25"),
        ("2026-11", "2026-11-01", "2026-11-30"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2026-W47", "2026-11-16", "2026-11-22"),
        ("2026-w01", "2025-12-29", "2026-01-04"),
        ("2020-W53", "2020-12-28", "2021-01-03"),
        ("2026-Q4", "2026-10-01", "2026-12-31"),
        ("2026-q1", "2026-01-01", "2026-03-31"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-11-01..2026-11-15", "2026-11-01", "2026-11-15"),
        ("2026-11-01 .. yesterday", "2026-11-01", "2026-11-25"),
        ("2026-11-25", "2026-11-25", "2026-11-25"),
    ],
)
def test_good_periods(text, start, end):
    period = parse_period(text, TODAY)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "Please enter a period"),
        ("next week", "not a period Statbotic knows. Try today, yesterday"),
        ("last fortnight", "not a period"),
        ("last 0 days", "at least 1"),
        ("2026-13", "no month 13"),
        ("2026-W54", "not an ISO week"),
        ("2025-W53", "not an ISO week"),
        ("2026-Q5", "not a period"),
        ("2026-11-15..2026-11-01", "ends (2026-11-01) before it starts"),
        ("2000-01-01..2012-01-01", "at most 3661 days"),
        ("2026-02-30", "not a real date"),
        ("1999", "before 2000"),
    ],
)
def test_bad_periods(text, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_period(text, TODAY)


def test_weeks_can_start_on_sunday():
    period = parse_period("this week", TODAY, first_weekday=6)
    assert (period.start, period.end) == (date(2026, 11, 22), date(2026, 11, 28))


def test_the_previous_period_has_equal_length_and_ends_the_day_before():
    previous = Period(date(2026, 11, 1), date(2026, 11, 30), "this month").previous()
    assert (previous.start, previous.end) == (date(2026, 10, 2), date(2026, 10, 31))
    assert previous.days == 30

from datetime import date

import pytest

from statbotic.errors import InvalidInput
from statbotic.periods import parse_period

TODAY = date(2026, 11, 26)  # a Thursday


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("today", "2026-11-26", "2026-11-26"),
        ("Yesterday", "2026-11-25", "2026-11-25"),
        ("this week", "2026-11-23", "2026-11-26"),  # to date: the days to come are not missing
        ("last  week", "2026-11-16", "2026-11-22"),
        ("this month", "2026-11-01", "2026-11-26"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("last 7 days", "2026-11-19", "2026-11-25"),
        ("last 1 day", "2026-11-25", "2026-11-25"),
        ("last 30 days", "2026-10-27", "2026-11-25"),
        ("2026-11", "2026-11-01", "2026-11-26"),
        ("2026-10", "2026-10-01", "2026-10-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2026-W47", "2026-11-16", "2026-11-22"),
        ("2026-w01", "2025-12-29", "2026-01-04"),
        ("2020-W53", "2020-12-28", "2021-01-03"),
        ("2026-Q4", "2026-10-01", "2026-11-26"),
        ("2026-Q3", "2026-07-01", "2026-09-30"),
        ("2026-q1", "2026-01-01", "2026-03-31"),
        ("2026", "2026-01-01", "2026-11-26"),
        ("2025", "2025-01-01", "2025-12-31"),
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
        ("last 0 days", "needs N from 1"),
        ("2026-13", "no month 13"),
        ("2026-W54", "not an ISO week"),
        ("2025-W53", "not an ISO week"),
        ("2026-Q5", "no quarter 5"),
        ("2026-11-15..2026-11-01", "ends (2026-11-01) before it starts"),
        ("2000-01-01..2012-01-01", "at most 3661 days"),
        ("9999-12", "Years from 2000 to 2999"),
        ("9999", "Years from 2000 to 2999"),
        ("9999-Q4", "Years from 2000 to 2999"),
        ("9999-W52", "Years from 2000 to 2999"),
        ("9999-12-31", "Dates from 2000-01-01 to 2999-12-31"),
        ("2999-12-31..3000-01-01", "Dates from 2000-01-01 to 2999-12-31"),
        ("last 99999 days", "needs N from 1 to 3661"),
        ("last 99999999999999999999 days", "needs N from 1 to 3661"),
        ("2026-02-30", "not a real date"),
        ("1999", "Years from 2000 to 2999"),
    ],
)
def test_bad_periods(text, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_period(text, TODAY)


def test_weeks_can_start_on_sunday():
    period = parse_period("this week", TODAY, first_weekday=6)
    assert (period.start, period.end) == (date(2026, 11, 22), date(2026, 11, 26))  # to date


def test_a_plain_range_compares_with_the_days_just_before():
    previous = parse_period("2026-11-01..2026-11-30", TODAY).previous()
    assert (previous.start, previous.end, previous.days) == (date(2026, 10, 2), date(2026, 10, 31), 30)
    assert parse_period("2026-11-20", TODAY).previous().describe() == "the previous 1 day (2026-11-19)"


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("last month", "2026-09-01", "2026-09-30"),  # October against September, not the last 31 days
        ("this month", "2026-10-01", "2026-10-26"),  # month to date against the same days of October
        ("2026-03", "2026-02-01", "2026-02-28"),
        ("2024-03", "2024-02-01", "2024-02-29"),
        ("2026-Q4", "2026-07-01", "2026-08-26"),  # the quarter to date: 57 days
        ("2025", "2024-01-01", "2024-12-31"),
        ("2026-W47", "2026-11-09", "2026-11-15"),
        ("this week", "2026-11-16", "2026-11-19"),
    ],
)
def test_calendar_periods_compare_with_the_same_stretch_of_the_previous_one(text, start, end):
    previous = parse_period(text, TODAY).previous()
    assert (previous.start.isoformat(), previous.end.isoformat()) == (start, end)


def test_a_running_period_says_it_is_to_date():
    assert parse_period("this month", TODAY).describe() == "this month, to date (2026-11-01 to 2026-11-26)"

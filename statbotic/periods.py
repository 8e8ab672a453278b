"""Periods: every way a user can name a date range, parsed in one place.

    today, yesterday, this week, last week, this month, last month, last N days,
    2026-11 (a month), 2026-W47 (ISO week), 2026-Q4, 2026, 2026-11-01..2026-11-15, 2026-11-25

"last N days" ends yesterday (complete days only, like Zendesk).  Weeks start on the configured
weekday (Monday by default).  A calendar period that has not ended yet stops at today ("to date"):
future days are not missing data.  Its comparison is the same stretch of the previous week, month,
quarter or year; other periods compare with the days just before, of equal length.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .errors import InvalidInput
from .frozen import frozen
from .limits import shown
from .parsing import EARLIEST_DATE, LATEST_DATE, MAX_EXTRA_DAYS, is_single_date, parse_date

EXAMPLES = (
    "today, yesterday, this week, last week, this month, last month, last 7 days, "
    "2026-11, 2026-W47, 2026-Q4, 2026, 2026-11-01..2026-11-15 or a date like 2026-11-25"
)
MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}


@frozen
class Period:
    start: date
    end: date
    label: str = ""
    unit: str = "days"  # days, week, month, quarter or year: what "the previous period" means

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The same stretch one week, month, quarter or year earlier; else the days just before."""
        if self.unit in MONTHS_IN:
            months = MONTHS_IN[self.unit]
            start = add_months(self.start, -months)
            unit_end = add_months(start, months) - timedelta(days=1)
            whole = self.end == add_months(self.start, months) - timedelta(days=1)
            end = unit_end if whole else min(start + timedelta(days=self.days - 1), unit_end)
            return Period(start, end, f"the previous {self.unit}", self.unit)
        if self.unit == "week":
            start = self.start - timedelta(days=7)
            return Period(start, start + timedelta(days=self.days - 1), "the previous week", self.unit)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, f"the previous {plural(self.days, 'day')}")

    def span_text(self) -> str:
        return self.start.isoformat() if self.start == self.end else f"{self.start} to {self.end}"

    def describe(self) -> str:
        return self.span_text() if self.label in ("", self.span_text()) else f"{self.label} ({self.span_text()})"


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # English whatever the locale


def dated(day: date) -> str:
    """A date with its weekday, e.g. 'Mon 2026-11-16'."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.isoformat()}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` away from day's month (day is a first of month here)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def span(start: date, end: date, label: str = "", unit: str = "days") -> Period:
    if end < start:
        raise InvalidInput(f"The range ends ({end}) before it starts ({start}).")
    if (end - start).days > MAX_EXTRA_DAYS:
        raise InvalidInput(f"A range can cover at most {MAX_EXTRA_DAYS + 1} days.")
    if start < EARLIEST_DATE or end > LATEST_DATE:
        raise InvalidInput(f"Dates from {EARLIEST_DATE} to {LATEST_DATE} are accepted.")
    return Period(start, end, label, unit)


TO_DATE = ", to date"  # what to_date adds to a running calendar period's label


def to_date(period: Period, today: date) -> Period:
    """A calendar period still running ends today: days still to come are not missing."""
    if period.start <= today < period.end:
        return Period(period.start, today, f"{period.label}{TO_DATE}" if period.label else "", period.unit)
    return period


def whole_period(period: Period) -> Period:
    """The period to its natural end: a week, month, quarter or year cut at today (periods.to_date)
    runs to its last day again; any other period is as it is."""
    if period.unit in MONTHS_IN:
        end = add_months(period.start, MONTHS_IN[period.unit]) - timedelta(days=1)
    elif period.unit == "week":
        end = period.start + timedelta(days=6)
    else:
        end = period.end
    return Period(period.start, max(end, period.end), period.label.removesuffix(TO_DATE), period.unit)


def calendar(start: date, months: int, label: str) -> Period:
    unit = {1: "month", 3: "quarter", 12: "year"}[months]
    return span(start, add_months(start, months) - timedelta(days=1), label, unit)


def week(start: date, label: str) -> Period:
    return span(start, start + timedelta(days=6), label, "week")


def _named(text: str, today: date, first_weekday: int) -> Period | None:
    if text in ("today", "yesterday"):
        day = parse_date(text, today)
        return Period(day, day, text)
    if text in ("this week", "last week"):
        start = today - timedelta(days=(today.weekday() - first_weekday) % 7)
        return week(start - timedelta(days=7 if text == "last week" else 0), text)
    if text in ("this month", "last month"):
        return calendar(add_months(today.replace(day=1), -1 if text == "last month" else 0), 1, text)
    if match := re.fullmatch(r"last (\d+) days?", text, re.ASCII):
        count = int(match.group(1))
        if not 1 <= count <= MAX_EXTRA_DAYS + 1:
            raise InvalidInput(f"'last N days' needs N from 1 to {MAX_EXTRA_DAYS + 1}.")
        return span(today - timedelta(days=count), today - timedelta(days=1), text)
    return None


def _calendar(text: str) -> Period | None:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})|-w(\d{1,2})|-q(\d))?", text, re.ASCII)
    if not match:
        return None
    year = int(match.group(1))
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        raise InvalidInput(f"Years from {EARLIEST_DATE.year} to {LATEST_DATE.year} are accepted.")
    month, iso_week, quarter = match.group(2), match.group(3), match.group(4)
    if month:
        if not 1 <= int(month) <= 12:
            raise InvalidInput(f"There is no month {int(month)}.")
        return calendar(date(year, int(month), 1), 1, text)
    if iso_week:
        try:
            return week(date.fromisocalendar(year, int(iso_week), 1), text.upper())
        except ValueError:
            raise InvalidInput(f"{text.upper()} is not an ISO week of that year.") from None
    if quarter:
        if not 1 <= int(quarter) <= 4:
            raise InvalidInput(f"There is no quarter {quarter}: use Q1 to Q4.")
        return calendar(date(year, int(quarter) * 3 - 2, 1), 3, text.upper())
    return calendar(date(year, 1, 1), 12, text)


def parse_period(text: str, today: date, first_weekday: int = 0) -> Period:
    """Any supported way of naming a range; InvalidInput listing examples otherwise."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise InvalidInput(f"Please enter a period, e.g. {EXAMPLES}.")
    if ".." in cleaned:
        first, _, last = cleaned.partition("..")
        return span(parse_date(first, today), parse_date(last, today))
    found = _named(cleaned, today, first_weekday) or _calendar(cleaned)
    if found is not None:
        return to_date(found, today)
    if not is_single_date(cleaned):
        raise InvalidInput(f"{shown(text.strip())} is not a period Statbotic knows. Try {EXAMPLES}.")
    day = parse_date(cleaned, today)  # says exactly what is wrong with a date-shaped answer
    return Period(day, day)

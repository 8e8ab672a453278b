"""Periods: every way a user can name a date range, parsed in one place.

    today, yesterday, this week, last week, this month, last month, last N days,
    2026-11 (a month), 2026-W47 (ISO week), 2026-Q4, 2026, 2026-11-01..2026-11-15, 2026-11-25

"last N days" ends yesterday (complete days only, like Zendesk).  Weeks start on the
configured weekday (Monday by default).  Each parse returns a Period or raises InvalidInput
with examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import InvalidInput
from .parsing import MAX_EXTRA_DAYS, parse_date

EXAMPLES = (
    "today, yesterday, this week, last week, this month, last month, last 7 days, "
    "2026-11, 2026-W47, 2026-Q4, 2026, 2026-11-01..2026-11-15 or a date like 2026-11-25"
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length just before this one."""
        end = self.start - timedelta(days=1)
        start = end - timedelta(days=self.days - 1)
        return Period(start, end, f"the previous {self.days} day{'s' if self.days != 1 else ''}")

    def describe(self) -> str:
        span = self.start.isoformat() if self.start == self.end else f"{self.start} to {self.end}"
        return span if self.label in ("", span) else f"{self.label} ({span})"


def span(start: date, end: date, label: str = "") -> Period:
    if end < start:
        raise InvalidInput(f"The range ends ({end}) before it starts ({start}).")
    if (end - start).days > MAX_EXTRA_DAYS:
        raise InvalidInput(f"A range can cover at most {MAX_EXTRA_DAYS + 1} days.")
    return Period(start, end, label)


def week_start(day: date, first_weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def month_period(year: int, month: int, label: str) -> Period:
    if not 1 <= month <= 12:
        raise InvalidInput(f"There is no month {month}.")
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return span(first, following - timedelta(days=1), label)


def _named(text: str, today: date, first_weekday: int) -> Period | None:
    if text in ("today", "yesterday"):
        day = parse_date(text, today)
        return Period(day, day, text)
    if text in ("this week", "last week"):
        start = week_start(today, first_weekday) - timedelta(days=7 if text == "last week" else 0)
        return Period(start, start + timedelta(days=6), text)
    if text == "this month":
        return month_period(today.year, today.month, text)
    if text == "last month":
        last = today.replace(day=1) - timedelta(days=1)
        return month_period(last.year, last.month, text)
    match = re.fullmatch(r"last (\d{1,4}) days?", text)
    if match:
        count = int(match.group(1))
        if count < 1:
            raise InvalidInput("'last N days' needs N of at least 1.")
        return span(today - timedelta(days=count), today - timedelta(days=1), text)
    return None


def _calendar(text: str) -> Period | None:
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return span(date(year, 1, 1), date(year, 12, 31), text)
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return month_period(int(match.group(1)), int(match.group(2)), text)
    if match := re.fullmatch(r"(\d{4})-w(\d{1,2})", text):
        try:
            start = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            raise InvalidInput(f"{text.upper()} is not an ISO week of that year.") from None
        return Period(start, start + timedelta(days=6), text.upper())
    if match := re.fullmatch(r"(\d{4})-q([1-4])", text):
        year, quarter = int(match.group(1)), int(match.group(2))
        last = month_period(year, quarter * 3, "").end
        return span(date(year, quarter * 3 - 2, 1), last, text.upper())
    return None


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
        if found.start.year < 2000:
            raise InvalidInput("Dates before 2000-01-01 are not accepted.")
        return found
    if not is_single_date(cleaned):
        raise InvalidInput(f"{text.strip()!r} is not a period Statbotic knows. Try {EXAMPLES}.")
    day = parse_date(cleaned, today)  # says exactly what is wrong with a date-shaped answer
    return Period(day, day, "")


def is_single_date(text: str) -> bool:
    """True when the text names one calendar date (the menus then ask for extra days)."""
    return bool(re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text))

"""Parsers for what users type.  Each returns a value or raises InvalidInput with a specific message."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .errors import InvalidInput
from .metrics import EntryField, Unit

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2999, 12, 31)  # far enough; and date arithmetic near year 9999 would overflow
MAX_EXTRA_DAYS = 3660  # about ten years: a range anyone reads in one table


def parse_date(text: str, today: date) -> date:
    """A date as YYYY-MM-DD, or the words today / yesterday."""
    text = text.strip().lower()
    if not text:
        raise InvalidInput("Please enter a date, e.g. 2026-11-25, today or yesterday.")
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    try:
        value = date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else None
    except ValueError:
        raise InvalidInput(f"{text!r} is not a real date. Use YYYY-MM-DD, e.g. 2026-11-25.") from None
    if value is None:
        raise InvalidInput(f"{text!r} is not a date. Use YYYY-MM-DD (e.g. 2026-11-25), today or yesterday.")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidInput(f"Dates from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()} are accepted.")
    return value


def parse_past_date(text: str, today: date) -> date:
    """A date that is not in the future (figures can only be entered for days that have happened)."""
    value = parse_date(text, today)
    if value > today:
        raise InvalidInput(f"{value.isoformat()} is in the future; enter figures for today or earlier.")
    return value


WHOLE = re.compile(r"\d+|\d{1,3}(?:,\d{3})+", re.ASCII)  # 1234 or 1,234 (thousands grouped properly)
DECIMAL = re.compile(r"\d+(?:\.\d+)?|\.\d+", re.ASCII)
NEGATIVE = re.compile(r"-\s*[\d.,]+", re.ASCII)


def shown(text: str, limit: int = 40) -> str:
    """What the user typed, quoted, cut short when long (a message never repeats a pasted essay)."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def parse_extra_days(text: str) -> int:
    """How many days after the start date a range covers: 0 (that day only) up to MAX_EXTRA_DAYS."""
    text = text.strip()
    if not text:
        raise InvalidInput("Please enter a number of days (0 for that day only).")
    if not re.fullmatch(r"\d+", text, re.ASCII):
        raise InvalidInput(f"{shown(text)} is not a number of days: enter 0 (that day only) or more.")
    days = int(text)
    if days > MAX_EXTRA_DAYS:
        raise InvalidInput(f"A range can have at most {MAX_EXTRA_DAYS} extra days.")
    return days


def parse_figure(text: str, field: EntryField) -> float:
    """A figure for one entry field: whole counts (1234 or 1,234), or decimals (12.5) for seconds and
    percentages, within the field's bounds.  Only plain ASCII digits: no exponents, underscores or
    other scripts' digits, and a comma only as a thousands separator, so '96,2' is refused rather than
    read as 962."""
    text = text.strip()
    if not text:
        raise InvalidInput(f"{field.label} can't be blank; enter 0 if there were none.")
    number = text.removesuffix("%").strip() if field.unit is Unit.PERCENT else text
    if NEGATIVE.fullmatch(number):
        raise InvalidInput(f"{shown(text)} is below zero. {_expectation(field)}")
    if field.whole and DECIMAL.fullmatch(number) and not WHOLE.fullmatch(number):
        raise InvalidInput(f"{shown(text)} is not a whole number. {_expectation(field)}")
    if not (WHOLE if field.whole else DECIMAL).fullmatch(number):
        hint = " Use a point for decimals, e.g. 38.5." if not field.whole and "," in number else ""
        raise InvalidInput(f"{shown(text)} is not a number.{hint} {_expectation(field)}")
    value = float(number.replace(",", ""))
    if value > field.maximum:
        raise InvalidInput(f"{shown(text)} is too large. {_expectation(field)}")
    return int(value) if field.whole else value


def _expectation(field: EntryField) -> str:
    if field.unit is Unit.PERCENT:
        return f"{field.label} is a percentage from 0 to 100 (decimals allowed)."
    if field.unit is Unit.SECONDS:
        return f"{field.label} is in seconds, from 0 to {field.maximum:,.0f}."
    return f"{field.label} is a whole number from 0 to {field.maximum:,.0f}."


YES = ("y", "yes")
NO = ("n", "no")


def parse_yes_no(text: str) -> bool:
    text = text.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidInput("Please answer y (yes) or n (no).")


def is_single_date(text: str) -> bool:
    """True when the text is shaped like one calendar date (YYYY-MM-DD)."""
    return bool(re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text, re.ASCII))

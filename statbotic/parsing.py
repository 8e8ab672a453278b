"""Parsers for what users type.  Each returns a value or raises InvalidInput with a specific message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from fractions import Fraction

from .errors import InvalidInput
from .exact import decimal_text, fraction_of, round_half_up
from .limits import shown
from .metrics import ENTRY_FIELDS, RANGE_METRICS, Direction, EntryField, Goal, RangeMetric, Unit, metric_named

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
        raise InvalidInput(f"{shown(text)} is not a real date. Use YYYY-MM-DD, e.g. 2026-11-25.") from None
    if value is None:
        raise InvalidInput(f"{shown(text)} is not a date. Use YYYY-MM-DD (e.g. 2026-11-25), today or yesterday.")
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


def parse_count(text: str, field: EntryField) -> int:
    """A whole count (1234 or 1,234) within the field's bounds.  Only plain ASCII digits: no exponents,
    underscores or other scripts' digits, and a comma only as a thousands separator, so '96,2' is
    refused rather than read as 962."""
    text = text.strip()
    if not text:
        raise InvalidInput(f"{field.label} can't be blank; enter 0 if there were none.")
    if NEGATIVE.fullmatch(text):
        raise InvalidInput(f"{shown(text)} is below zero. {_expectation(field)}")
    if DECIMAL.fullmatch(text) and not WHOLE.fullmatch(text):
        raise InvalidInput(f"{shown(text)} is not a whole number. {_expectation(field)}")
    if not WHOLE.fullmatch(text):
        raise InvalidInput(f"{shown(text)} is not a number. {_expectation(field)}")
    value = int(text.replace(",", ""))
    if value > field.maximum:
        raise InvalidInput(f"{shown(text)} is too large. {_expectation(field)}")
    return value


# 65, 38.5, 1:05, 1:05.5, 1m 5s, 1m5s, 65s, 2m, 1h 2m 5s: the ways Intercom and people write a wait.
CLOCK = re.compile(r"(?:(\d+):)?(\d+):(\d{2}(?:\.\d)?)", re.ASCII)
UNITS = re.compile(r"(?:(\d+)\s*h\s*)?(?:(\d+)\s*m(?:in)?\s*)?(?:(\d+(?:\.\d)?)\s*s(?:ec)?)?", re.ASCII)
SECONDS = re.compile(r"\d+(?:\.\d+)?", re.ASCII)


def parse_wait(text: str, field: EntryField) -> int:
    """An average wait typed as seconds (65 or 38.5), a clock (1:05) or units (1m 5s), in tenths of a
    second.  More than one decimal is rounded half up to the tenth (111.86 -> 111.9)."""
    raw = text.strip().lower()
    if not raw:
        raise InvalidInput(f"{field.label} can't be blank; enter 0 if there were no chats.")
    if NEGATIVE.fullmatch(raw):
        raise InvalidInput(f"{shown(text)} is below zero. {_expectation(field)}")
    seconds = _seconds(raw)
    if seconds is None:
        hint = " Use a point for decimals, e.g. 38.5." if "," in raw else ""
        raise InvalidInput(f"{shown(text)} is not a wait.{hint} {_expectation(field)}")
    if seconds > field.maximum:
        raise InvalidInput(f"{shown(text)} is too long. {_expectation(field)}")
    return int(round_half_up(seconds * 10))


def _seconds(raw: str) -> Fraction | None:
    if SECONDS.fullmatch(raw):
        return fraction_of(raw)
    clock = CLOCK.fullmatch(raw)
    if clock:
        hours, minutes, secs = clock.groups()
        if fraction_of(secs) >= 60:
            return None
        return int(hours or 0) * 3600 + int(minutes) * 60 + fraction_of(secs)
    units = UNITS.fullmatch(raw)
    if units and any(units.groups()):
        hours, minutes, secs = units.groups()
        return int(hours or 0) * 3600 + int(minutes or 0) * 60 + fraction_of(secs or "0")
    return None


def parse_part(text: str, field: EntryField, whole: int) -> tuple[int, Fraction | None]:
    """A count that is part of ``whole`` (positive ratings of all ratings), or a percentage of it
    ('96%'), converted exactly: 96 % of 38 is 36.48, rounded half up to 36.  Returns the count, and the
    percentage when one was typed (so the form can show the conversion back)."""
    number = percent_typed(text)
    if number is not None:
        if NEGATIVE.fullmatch(number):
            raise InvalidInput(f"{shown(text)} is below zero. {_part_expectation(field, whole)}")
        if not DECIMAL.fullmatch(number) or fraction_of(number) > 100:
            raise InvalidInput(f"{shown(text)} is not a percentage from 0 to 100. {_part_expectation(field, whole)}")
        percent = fraction_of(number)
        return int(round_half_up(percent * whole / 100)), percent
    count = parse_count(text, field)
    if count > whole:
        raise InvalidInput(
            f"{count:,} {field.label.lower()} is more than the {whole:,} ratings. {_part_expectation(field, whole)}"
        )
    return count, None


def percent_typed(text: str) -> str | None:
    """The number of a percentage as typed ('96' of '96 %'), or None when no percentage was typed."""
    raw = text.strip()
    return raw[:-1].strip() if raw.endswith("%") else None


def typed_percents(answers: Mapping[str, str]) -> dict[str, Fraction]:
    """The percentages typed for parts (positive ratings as '96%'), by field key, from answers that
    parse_field accepted: what the plausibility checks need to know beyond the counts."""
    typed = {f.key: percent_typed(answers[f.key]) for f in ENTRY_FIELDS if f.part_of and f.key in answers}
    return {key: fraction_of(number) for key, number in typed.items() if number is not None}


def _part_expectation(field: EntryField, whole: int) -> str:
    return f"{field.label} is a whole number from 0 to {whole:,}, or a percentage such as 96%."


def _expectation(field: EntryField) -> str:
    if field.tenths:
        return f"{field.label} is in seconds (65, 38.5, 1:05 or 1m 5s), from 0 to {field.maximum:,}."
    return f"{field.label} is a whole number from 0 to {field.maximum:,}."


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


def parse_field(field: EntryField, text: str, entered: dict[str, int]) -> tuple[int, str | None]:
    """One entry field's value from what was typed, and a note to show back when a percentage was
    converted to a count.  ``entered`` holds the fields before this one (a part needs its whole)."""
    if field.tenths:
        return parse_wait(text, field), None
    if field.part_of is None:
        return parse_count(text, field), None
    whole = entered[field.part_of]
    count, percent = parse_part(text, field, whole)
    if percent is None:
        return count, None
    share = f" ({decimal_text(Fraction(100 * count, whole), 1)} %)" if whole else ""
    return count, f"{percent_typed(text)} % of {whole:,} ratings = {count:,} positive{share}"


# '>= 95', '<=2', '≥ 95.5 %', '<= 45.5s'; a number alone takes the metric's natural direction.
OPERATORS = {">=": Direction.AT_LEAST, "≥": Direction.AT_LEAST, "<=": Direction.AT_MOST, "≤": Direction.AT_MOST}
TURN_OFF = ("none", "off")
UNIT_SYMBOLS = {Unit.PERCENT: "%", Unit.SECONDS: "s"}


def parse_metric(text: str) -> RangeMetric:
    """A range metric named by its key or short name (csat, wait, comments-per-solve, chats...)."""
    metric = metric_named(text)
    if metric is None:
        names = ", ".join(m.alias for m in RANGE_METRICS)
        raise InvalidInput(f"{shown(text.strip())} is not a metric. Use one of: {names}.")
    return metric


def parse_goal(text: str, metric: RangeMetric) -> Goal | None:
    """A target for the metric: '>=' or '<=' and a number ('>= 95', '<=45.5'), a number alone (the
    metric's natural direction), or 'none' / 'off' (None: no target).  The value is exact, within the
    metric's bounds, with no more decimals than its figure shows (targets.check_goal)."""
    from .targets import check_goal

    raw = text.strip()
    if raw.lower() in TURN_OFF:
        return None
    operator = next((op for op in OPERATORS if raw.startswith(op)), None)
    number = raw[len(operator) :].strip() if operator else raw
    symbol = UNIT_SYMBOLS.get(metric.unit)
    if symbol and number.lower().endswith(symbol):
        number = number[: -len(symbol)].strip()
    if not raw:
        raise InvalidInput(f"Please enter a target. {_goal_expectation(metric)}")
    if operator is None and raw[0] in "<>=≠!":
        raise InvalidInput(f"{shown(raw)}: use >= or <= (a target is met at its value). {_goal_expectation(metric)}")
    if NEGATIVE.fullmatch(number):
        raise InvalidInput(f"{shown(raw)} is below zero. {_goal_expectation(metric)}")
    if not DECIMAL.fullmatch(number):
        raise InvalidInput(f"{shown(raw)} is not a target. {_goal_expectation(metric)}")
    return check_goal(metric, Goal(OPERATORS[operator] if operator else metric.direction, fraction_of(number)))


def _goal_expectation(metric: RangeMetric) -> str:
    natural = metric.direction
    per_day = " (per day)" if metric.is_total else ""
    return (
        f"Write >= or <= and a number{per_day}, e.g. '>= 95' or '<= 45.5'; a number alone means "
        f"{natural.value} ({natural.better}); 'none' turns the target off."
    )

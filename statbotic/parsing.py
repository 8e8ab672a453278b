"""Parsers for what users type.  Each returns a value or raises InvalidInput with a specific message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from fractions import Fraction

from .errors import InvalidInput
from .exact import fraction_of
from .limits import shown
from .metrics import BUILTIN, Direction, EntryField, Goal, Metrics, RangeMetric, Unit
from .typed_numbers import DECIMAL, NEGATIVE, percent_typed

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


def typed_percents(answers: Mapping[str, str], metrics: Metrics = BUILTIN) -> dict[str, Fraction]:
    """The percentages typed for parts (positive ratings as '96%'), by field key, from answers that
    parse_field accepted: what the plausibility checks need to know beyond the counts.  ``metrics``:
    the team's (its shares are the parts)."""
    fields = metrics.entry_fields
    typed = {f.key: percent_typed(answers[f.key]) for f in fields if f.part_of and answers.get(f.key) is not None}
    return {key: fraction_of(number) for key, number in typed.items() if number is not None}


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


def parse_field(
    field: EntryField, text: str, entered: dict[str, int], metrics: Metrics = BUILTIN
) -> tuple[int, str | None]:
    """One entry field's value from what was typed, and a note to show back when a percentage was
    converted to a count.  ``entered`` holds the fields before this one (a part needs its whole):
    the field's definition in ``metrics`` (the team's) reads it (metrics.read_field)."""
    return metrics.read_field(field, text, entered)


# '>= 95', '<=2', '≥ 95.5 %', '<= 45.5s'; a number alone takes the metric's natural direction.
OPERATORS = {">=": Direction.AT_LEAST, "≥": Direction.AT_LEAST, "<=": Direction.AT_MOST, "≤": Direction.AT_MOST}
TURN_OFF = ("none", "off")
UNIT_SYMBOLS = {Unit.PERCENT: "%", Unit.SECONDS: "s"}


def parse_metric(text: str, metrics: Metrics = BUILTIN) -> RangeMetric:
    """A range metric of ``metrics`` (the team's) named by its key or short name (csat, wait,
    comments-per-solve, chats...)."""
    metric = metrics.metric_named(text)
    if metric is None:
        names = ", ".join(m.alias for m in metrics.range_metrics)
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

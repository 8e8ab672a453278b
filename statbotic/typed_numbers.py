"""How typed figures read: whole counts, waits and parts of a count (or a percentage of it).

The rules only, by label and bounds, so both today's entry fields (parsing.py) and metric definitions
(metric_kinds.py) read a typed answer the same way, with the same messages.  Imports nothing that
lists metrics; raises InvalidInput with a specific message.
"""

from __future__ import annotations

import re
from fractions import Fraction

from .errors import InvalidInput
from .exact import decimal_text, fraction_of, round_half_up
from .limits import shown

WHOLE = re.compile(r"\d+|\d{1,3}(?:,\d{3})+", re.ASCII)  # 1234 or 1,234 (thousands grouped properly)
DECIMAL = re.compile(r"\d+(?:\.\d+)?|\.\d+", re.ASCII)
NEGATIVE = re.compile(r"-\s*[\d.,]+", re.ASCII)

# 65, 38.5, 1:05, 1:05.5, 1m 5s, 1m5s, 65s, 2m, 1h 2m 5s: the ways Intercom and people write a wait.
CLOCK = re.compile(r"(?:(\d+):)?(\d+):(\d{2}(?:\.\d)?)", re.ASCII)
UNITS = re.compile(r"(?:(\d+)\s*h\s*)?(?:(\d+)\s*m(?:in)?\s*)?(?:(\d+(?:\.\d)?)\s*s(?:ec)?)?", re.ASCII)
SECONDS = re.compile(r"\d+(?:\.\d+)?", re.ASCII)


def count_expectation(label: str, maximum: int) -> str:
    return f"{label} is a whole number from 0 to {maximum:,}."


def wait_expectation(label: str, maximum: int) -> str:
    return f"{label} is in seconds (65, 38.5, 1:05 or 1m 5s), from 0 to {maximum:,}."


def whole_count(text: str, label: str, maximum: int, expectation: str | None = None) -> int:
    """A whole count (1234 or 1,234) from 0 to ``maximum``.  Only plain ASCII digits: no exponents,
    underscores or other scripts' digits, and a comma only as a thousands separator, so '96,2' is
    refused rather than read as 962."""
    expect = expectation or count_expectation(label, maximum)
    text = text.strip()
    if not text:
        raise InvalidInput(f"{label} can't be blank; enter 0 if there were none.")
    if NEGATIVE.fullmatch(text):
        raise InvalidInput(f"{shown(text)} is below zero. {expect}")
    if DECIMAL.fullmatch(text) and not WHOLE.fullmatch(text):
        raise InvalidInput(f"{shown(text)} is not a whole number. {expect}")
    if not WHOLE.fullmatch(text):
        raise InvalidInput(f"{shown(text)} is not a number. {expect}")
    value = int(text.replace(",", ""))
    if value > maximum:
        raise InvalidInput(f"{shown(text)} is too large. {expect}")
    return value


def wait_tenths(text: str, label: str, maximum: int, items: str = "chats") -> int:
    """An average wait typed as seconds (65 or 38.5), a clock (1:05) or units (1m 5s), from 0 to
    ``maximum`` seconds, in tenths of a second.  More than one decimal is rounded half up to the tenth
    (111.86 -> 111.9).  ``items``: what was waited on, named when the answer is blank."""
    raw = text.strip().lower()
    expect = wait_expectation(label, maximum)
    if not raw:
        raise InvalidInput(f"{label} can't be blank; enter 0 if there were no {items}.")
    if NEGATIVE.fullmatch(raw):
        raise InvalidInput(f"{shown(text)} is below zero. {expect}")
    seconds = seconds_typed(raw)
    if seconds is None:
        hint = " Use a point for decimals, e.g. 38.5." if "," in raw else ""
        raise InvalidInput(f"{shown(text)} is not a wait.{hint} {expect}")
    if seconds > maximum:
        raise InvalidInput(f"{shown(text)} is too long. {expect}")
    return int(round_half_up(seconds * 10))


def seconds_typed(raw: str) -> Fraction | None:
    """The seconds a lower-case, stripped wait means, exactly, or None when it is no wait."""
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


def part_count(text: str, label: str, maximum: int, whole: int, whole_noun: str) -> tuple[int, Fraction | None]:
    """A count that is part of ``whole`` (positive ratings of all ratings), or a percentage of it
    ('96%'), converted exactly: 96 % of 38 is 36.48, rounded half up to 36.  Returns the count, and the
    percentage when one was typed.  ``whole_noun`` names what ``whole`` counts ('ratings')."""
    expect = part_expectation(label, whole)
    number = percent_typed(text)
    if number is not None:
        if NEGATIVE.fullmatch(number):
            raise InvalidInput(f"{shown(text)} is below zero. {expect}")
        if not DECIMAL.fullmatch(number) or fraction_of(number) > 100:
            raise InvalidInput(f"{shown(text)} is not a percentage from 0 to 100. {expect}")
        percent = fraction_of(number)
        return int(round_half_up(percent * whole / 100)), percent
    count = whole_count(text, label, maximum)
    if count > whole:
        raise InvalidInput(f"{count:,} {in_lower_case(label)} is more than the {whole:,} {whole_noun}. {expect}")
    return count, None


def part_expectation(label: str, whole: int) -> str:
    return f"{label} is a whole number from 0 to {whole:,}, or a percentage such as 96%."


def percent_typed(text: str) -> str | None:
    """The number of a percentage as typed ('96' of '96 %'), or None when no percentage was typed."""
    raw = text.strip()
    return raw[:-1].strip() if raw.endswith("%") else None


def part_note(text: str, count: int, whole: int, whole_noun: str, part_noun: str) -> str:
    """What the form shows back when a part was typed as a percentage ``text`` and converted to ``count``:
    '96 % of 38 ratings = 36 positive (94.7 %)'."""
    share = f" ({decimal_text(Fraction(100 * count, whole), 1)} %)" if whole else ""
    return f"{percent_typed(text)} % of {whole:,} {whole_noun} = {count:,} {part_noun}{share}"


def in_lower_case(label: str) -> str:
    """A label inside a sentence: its words in lower case but for acronyms ("Calls within SLA" ->
    "calls within SLA")."""
    return " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in label.split())

"""Pacing in words (pacing.py's Pace): the one place a pace is worded, for the terminal view, the
menus' View screen, `statbotic check` and the manager's report (report_page may import it).

  Chat CSAT 93.8 % so far this month; at the usual ~40 ratings a day, the remaining 3 days need
  97.4 % positive to reach 95.0 %.

Figures are rounded half up only here, with the formatters every view uses (render.fmt_judged,
exact.decimal_text); the usual volume is shown rounded, with a "~".
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..exact import decimal_text, plain_decimal
from ..goals import Direction, Goal
from ..metrics import PER_DAY_PLACES, Unit
from ..pacing import RECENT_DAYS, Pace, PaceStatus
from ..periods import Period, plural
from ..typed_numbers import in_lower_case
from .console import Console
from .render import fmt_judged, fmt_value, wrapped

HEADING = "Pacing"


def pace_text(pace: Pace) -> str:
    """One target's pace in a sentence (see the module's docstring for the shape)."""
    head, target = _head(pace), fmt_judged(pace.metric, pace.goal.value)
    status, days = pace.status, pace.days_remaining
    if pace.needed is None:
        if status is PaceStatus.NO_VOLUME and days:
            return f"{head}; no {_base_noun(pace)} in the last {RECENT_DAYS} days to pace the {_remaining(days)} from."
        if status is PaceStatus.NO_VOLUME:
            return f"{head}; no days left to pace."
        word = "secured" if status is PaceStatus.SECURED else "out of reach"
        return f"{head}; {target} is {word}: no days left."
    at_usual, one = _at_usual(pace), days == 1
    if status is PaceStatus.SECURED:
        return f"{head}; {at_usual}{target} is secured whatever the {_remaining(days)} {'brings' if one else 'bring'}."
    if status is PaceStatus.OUT_OF_REACH:
        return f"{head}; {at_usual}{target} is out of reach in the {_remaining(days)}."
    need = "needs" if one else "need"
    aim = f"to reach {target}" if status is PaceStatus.NEEDS else f"to stay at {target} or better"
    return f"{head}; {at_usual}the {_remaining(days)} {need} {needed_text(pace)} {aim}."


def _head(pace: Pace) -> str:
    when = so_far_words(pace.period)
    if pace.value is None:
        return f"{pace.metric.label}: no figure yet {when}"
    return f"{pace.metric.label} {fmt_judged(pace.metric, pace.value)} so far {when}"


def so_far_words(period: Period) -> str:
    """'this month', 'today', 'in 2026-11', 'in 2026-11-01 to 2026-11-30': what "so far" is of."""
    label = period.label
    if label == "today" or label.startswith("this "):
        return label
    return f"in {label or period.span_text()}"


def _remaining(days: int) -> str:
    return "remaining day" if days == 1 else f"remaining {plural(days, 'day')}"


def _base_noun(pace: Pace) -> str:
    return pace.metric.base_noun or "figures"


def _at_usual(pace: Pace) -> str:
    """'at the usual ~40 ratings a day, ' for a ratio; '' for a total (paced by days)."""
    if pace.metric.is_total or pace.usual is None:
        return ""
    return f"at the usual ~{usual_text(pace.usual)} {_base_noun(pace)} a day, "


def usual_text(usual: Fraction) -> str:
    """The usual volume rounded half up: whole from 10 up, else to a tenth ('40', '4.5')."""
    return decimal_text(usual, 0 if usual >= 10 else 1)


def needed_text(pace: Pace) -> str:
    """'97.4 % positive', 'at most 38.0 s', '52.3 chats a day', 'at most 1.85 public comments per solve'."""
    metric, needed = pace.metric, pace.needed
    bound = "at most " if pace.goal.direction is Direction.AT_MOST else ""
    if metric.is_total:
        return f"{bound}{decimal_text(needed, PER_DAY_PLACES)} {metric.noun} a day"
    if metric.unit is Unit.PERCENT:
        return f"{bound}{fmt_value(metric, needed)} {metric.noun}".rstrip()
    if metric.unit is Unit.RATIO:
        return f"{bound}{fmt_value(metric, needed)} {in_lower_case(metric.label)}"
    return f"{bound}{fmt_value(metric, needed)}"


def pace_document(pace: Pace) -> dict:
    """A pace for JSON (view --json, check --json): figures rounded half up to the target's decimals."""
    places = pace.metric.target_places
    return {
        "metric": pace.metric.key,
        "status": pace.status.value,
        "target": goal_document(pace.goal),
        "so_far": None if pace.value is None else decimal_text(pace.value, places, grouped=False),
        "base_so_far": pace.base,
        "days_remaining": pace.days_remaining,
        "usual_per_day": None if pace.usual is None else decimal_text(pace.usual, 1, grouped=False),
        "needed": None if pace.needed is None else decimal_text(pace.needed, places, grouped=False),
        "text": pace_text(pace),
    }


def goal_document(goal: Goal) -> dict:
    """A target for JSON, exact as typed: {"direction": ">=", "value": "95.5"} (targets are exact decimals)."""
    return {"direction": goal.direction.value, "value": plain_decimal(goal.value)}


def show_pacing(console: Console, paces: list[Pace]) -> None:
    """The Pacing block of a running period's view (nothing when there are no paces)."""
    if not paces:
        return
    console.say(HEADING, "heading")
    for pace in paces:
        style = "error" if pace.status is PaceStatus.OUT_OF_REACH else None
        for line in wrapped(_unbroken_units(pace_text(pace)), 77):
            console.say(f"  {line}".replace(NO_BREAK, " "), style)


NO_BREAK = "\xa0"  # textwrap breaks lines at spaces only: a figure keeps its unit ("95.0 %") on its line


def _unbroken_units(text: str) -> str:
    return re.sub(r"(\d) ([%s])(?=\W|$)", rf"\1{NO_BREAK}\2", text)

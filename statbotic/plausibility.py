"""Plausibility checks: figures that can be true but usually mean a typo.

Parsing and services refuse what can't be true (a negative count, more positive ratings than
ratings); this module only doubts.  Each Doubt names the figure, its value and what it was compared
with; the form shows them and asks to confirm, and `statbotic add` needs --force to save.  The checks:

- a part typed as a percentage of a whole that is 0 (96 % of 0 ratings saves 0 positive ratings);
- a part typed as a percentage of 1 % or less (0.96 %: a fraction typed as a percentage?);
- a count larger than one it is usually part of (more CSAT ratings than live chats);
- an average over a count of 0 (a wait with no chats), or an average of 0 over some (a wait of 0 s);
- a typo guard: every entered figure, and each share (CSAT %) on a day with enough ratings to trust it,
  more than FACTOR times or under 1/FACTOR of the team's median for the same weekday over the previous
  WEEKS weeks, once at least MIN_DAYS of those days have that figure.  A median of 0 is no guide.

The checks follow the team's metrics (a metrics.Metrics: its entry fields' part_of, usually_part_of,
average_over), custom metrics as the built-ins; a figure a day has no value for (a day from before its
metric existed) is no guide and is never doubted.

Pure: no I/O.  services.day_and_doubts reads the history with one range read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from fractions import Fraction

from .exact import decimal_text, shortest_text
from .frozen import frozen
from .metrics import BUILTIN, EntryField, Metrics, RangeMetric, Unit
from .reports import entry_figures

WEEKS = 8  # a day is compared with the same weekday of the 8 weeks before it
MIN_DAYS = 4  # fewer days with the figure say too little about what is usual
FACTOR = 5  # more than 5 times, or under a fifth of, the usual figure is doubted


@frozen
class Doubt:
    """Why one figure looks wrong: ``key`` is the entry field or range metric, ``message`` a sentence."""

    key: str
    message: str


@frozen
class Usual:
    """A figure the typo guard compares with its usual level; ``of_day`` is None on a day without it."""

    key: str
    label: str
    of_day: Callable[[Mapping[str, int]], Fraction | None]
    text: Callable[[Fraction], str]


def history_window(day: date) -> tuple[date, date]:
    """The dates a day is compared with: the WEEKS weeks before it (its own weekday is picked from them)."""
    return day - timedelta(weeks=WEEKS), day - timedelta(days=1)


def warnings(
    day: date,
    entered: Mapping[str, int],
    history: Mapping[date, Mapping[str, int]] | None = None,
    percents: Mapping[str, Fraction] | None = None,
    metrics: Metrics = BUILTIN,
) -> list[Doubt]:
    """Every doubt about one day's entered figures (by entry key; a duration in tenths of a second) of
    ``metrics``, the team's.

    ``history``: the team's entered figures by date (days outside history_window or on another weekday
    are ignored); ``percents``: the percentages typed for parts, by field key (parsing.typed_percents)."""
    percents = percents or {}
    found = [
        Doubt(field.key, message)
        for field in metrics.entry_fields
        if field.key in entered
        for check in CHECKS
        if (message := check(metrics, field, entered, percents.get(field.key)))
    ]
    same_weekday = [figures for when, figures in sorted((history or {}).items()) if _same_weekday(when, day)]
    return found + [doubt for usual in usuals(metrics) if (doubt := _unusual(usual, day, entered, same_weekday))]


def median(values: Iterable[Fraction | int]) -> Fraction:
    """The exact median: the middle value, or the mean of the two middle values of an even count."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def _percent_of_nothing(
    metrics: Metrics, field: EntryField, entered: Mapping[str, int], percent: Fraction | None
) -> str | None:
    if not percent or field.part_of not in entered or entered[field.part_of]:
        return None
    whole = metrics.entry_field(field.part_of)
    return (
        f"{field.label} typed as {shortest_text(percent)} % with {whole.label} 0: 0 would be saved, "
        f"so the day would have no {_share_label(metrics, field)}."
    )


def _fraction_as_percent(
    metrics: Metrics, field: EntryField, entered: Mapping[str, int], percent: Fraction | None
) -> str | None:
    if not percent or percent > 1 or not entered.get(field.part_of):
        return None
    return (
        f"{field.label} typed as {shortest_text(percent)} %: a {_share_label(metrics, field)} of 1 % or less. "
        f"A fraction typed as a percentage ({shortest_text(percent * 100)} %)?"
    )


def _more_than_its_whole(metrics: Metrics, field: EntryField, entered: Mapping[str, int], _percent) -> str | None:
    within = field.usually_part_of
    if within is None or within not in entered or entered[field.key] <= entered[within]:
        return None
    whole = metrics.entry_field(within)
    return (
        f"{field.label} {entered[field.key]:,} is more than {whole.label} {entered[whole.key]:,}, "
        "of which they are usually a part."
    )


def _average_over_nothing(metrics: Metrics, field: EntryField, entered: Mapping[str, int], _percent) -> str | None:
    if field.average_over is None or field.average_over not in entered:
        return None
    over, value = metrics.entry_field(field.average_over), _entered_text(field, entered[field.key])
    count = entered[over.key]
    if entered[field.key] and not count:
        return f"{field.label} {value} with {over.label} 0: an average over none counts in no figure."
    if count and not entered[field.key]:
        return f"{field.label} {value} with {over.label} {count:,}: an average of exactly 0 is unlikely. Left at 0?"
    return None


CHECKS = (_percent_of_nothing, _fraction_as_percent, _more_than_its_whole, _average_over_nothing)


def _share_label(metrics: Metrics, field: EntryField) -> str:
    """The label of the share a part makes of its whole (Chat CSAT for positive ratings)."""
    shares = metrics.range_metrics
    return next((m.label for m in shares if m.numerator == field.key and m.unit is Unit.PERCENT), field.label)


def _unusual(usual: Usual, day: date, entered: Mapping[str, int], same_weekday: list) -> Doubt | None:
    value = usual.of_day(entered)
    past = [figure for figure in map(usual.of_day, same_weekday) if figure is not None]
    if value is None or len(past) < MIN_DAYS or not (typical := median(past)):
        return None
    if value > FACTOR * typical:
        how = f"more than {FACTOR} times"
    elif value * FACTOR < typical:
        how = f"under 1/{FACTOR} of"
    else:
        return None
    weekday = day.strftime("%A")
    basis = (
        f"the last {WEEKS} {weekday}s" if len(past) == WEEKS else f"{len(past)} {weekday}s in the last {WEEKS} weeks"
    )
    reference = f"the usual {usual.text(typical)} for a {weekday} (median of {basis})"
    return Doubt(usual.key, f"{usual.label} {usual.text(value)} is {how} {reference}.")


def _same_weekday(when: date, day: date) -> bool:
    start, end = history_window(day)
    return start <= when <= end and when.weekday() == day.weekday()


def _entered_text(field: EntryField, value: Fraction | int) -> str:
    if field.tenths:
        return f"{decimal_text(Fraction(value, 10), 1)} s"
    return shortest_text(value)


def _entered_usual(field: EntryField) -> Usual:
    def of_day(entered: Mapping[str, int]) -> Fraction | None:
        if field.key not in entered:
            return None  # a day from before the metric existed: no data, not a 0
        if field.average_over and not entered.get(field.average_over):
            return None  # a wait on a day without chats is no figure
        return Fraction(entered[field.key])

    return Usual(field.key, field.label, of_day, lambda value: _entered_text(field, value))


def _share_usual(metrics: Metrics, metric: RangeMetric) -> Usual:
    def of_day(entered: Mapping[str, int]) -> Fraction | None:
        if metrics.components_of(entered)[metric.denominator] < max(metric.min_sample, 1):
            return None  # a CSAT on a handful of ratings swings too far to call a jump a typo
        return entry_figures(entered, metrics)[metric.key].value

    return Usual(metric.key, metric.label, of_day, lambda value: f"{decimal_text(value, metric.places)} %")


def usuals(metrics: Metrics) -> tuple[Usual, ...]:
    """What the typo guard compares, for the team's metrics: every entry field, and each share (CSAT %)."""
    return tuple(_entered_usual(field) for field in metrics.entry_fields) + tuple(
        _share_usual(metrics, metric) for metric in metrics.range_metrics if metric.unit is Unit.PERCENT
    )

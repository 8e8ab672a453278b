"""Metrics as data: the definition record, its four kinds, and each kind's exact roll-up.  Pure: no I/O.

A store will keep a tuple of ``MetricDefinition`` (seeded with builtin_metrics.BUILTIN_DEFINITIONS) and,
per day, one entered integer per entered metric:

- COUNT: a whole count (solves, calls answered).  Component: the count.  Range: sum, and sum / the
  metric's days with data.
- DURATION: an average per item, weighted by a count metric (chat wait by chats), entered in seconds and
  kept in tenths of a second.  Components: total = average x items, and the items of that day.  Range:
  sum of totals / sum of items (/ 10: seconds).
- SHARE: a part of a count metric (positive ratings of ratings), typed as a count or as a percentage of
  that day's base, converted exactly.  Components: the part, and the base of that day.  Range:
  100 x sum of parts / sum of bases, flagged below ``min_sample`` base items.
- RATIO: of two count metrics (comments per solve), derived, nothing entered.  Range: sum a / sum b.

A duration and a share keep the base count of their own days beside their total or part, so days from
before the metric existed never weigh in (a missing day is no data, never a zero).  Every component is an
integer; every range figure is a ratio of sums, an exact Fraction, rounded only when shown.

Loaded only with metrics.py, which reads the built-ins through it: never before the first prompt (see
tests/e2e/test_lazy_imports.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import Enum
from fractions import Fraction

from .errors import InvalidInput
from .exact import fraction_of
from .frozen import frozen
from .goals import Direction
from .typed_numbers import in_lower_case, part_count, part_note, percent_typed, wait_tenths, whole_count


class Kind(Enum):
    COUNT = "count"
    DURATION = "duration"
    SHARE = "share"
    RATIO = "ratio"


# How many metric keys each kind's definition names as its bases (see MetricDefinition.bases).
BASES_NEEDED = {Kind.COUNT: 0, Kind.DURATION: 1, Kind.SHARE: 1, Kind.RATIO: 2}
KIND_TEXT = {
    Kind.COUNT: "a count",
    Kind.DURATION: "a duration averaged per item",
    Kind.SHARE: "a share of a count",
    Kind.RATIO: "a ratio of two counts",
}
MAX_DAILY_COUNT = 1_000_000
MAX_DURATION_SECONDS = 86_400
TENTHS_PER_SECOND = 10  # a duration is kept in tenths of a second
MAX_PLACES = 4  # decimals a figure may show: exports give 4 (exact.EXPORT_PLACES)
SLUG = re.compile(r"[a-z][a-z0-9_]{0,39}", re.ASCII)
TOTAL, ITEMS, BASE = ".total", ".items", ".base"  # component suffixes; a key never holds a '.'


@frozen
class MetricDefinition:
    """One metric a store tracks.  Bounds are of what is typed: a count, or a duration in seconds.

    ``bases``: the count metrics it is built on: a duration's items, a share's whole, a ratio's
    numerator and denominator.  ``listed`` False: a count entered only as another metric's base, with
    no figure of its own in reports (CSAT ratings).  ``usually_within``: a count this one normally does
    not exceed (more is warned about, never refused).  ``noun``: one unit in sentences ("ratings").
    ``alias``: its short name in commands; ``option``: the `add` option, when not --alias.
    ``entry_label``/``entry_column``: the typed figure's, when not the figure's (Positive CSAT ratings).
    ``target_setting``: the environment variable that may change the default target (built-ins only:
    a custom metric's default target is in its definition, changed in the app).
    ``formula_text``: how exports word the range figure, when not as formula() does.
    ``version``: raised by each change of the definition (the audit log keeps each one)."""

    key: str
    label: str
    kind: Kind
    prompt: str = ""
    source: str = ""
    minimum: int = 0
    maximum: int = MAX_DAILY_COUNT
    places: int = 0
    direction: Direction = Direction.AT_LEAST
    target: Fraction | None = None
    target_setting: str | None = None
    bases: tuple[str, ...] = ()
    min_sample: int = 0
    usually_within: str | None = None
    listed: bool = True
    noun: str = ""
    alias: str = ""
    column: str = ""
    entry_label: str = ""
    entry_column: str = ""
    option: str = ""
    formula_text: str = ""
    order: int = 0
    retired: bool = False
    version: int = 1
    teams: tuple[str, ...] = ()  # the teams that track it; () = every team

    def tracked_by(self, team: str) -> bool:
        return not self.teams or team in self.teams

    @property
    def entered(self) -> bool:
        """Whether a day has a typed value for it (every kind but a ratio)."""
        return self.kind is not Kind.RATIO

    @property
    def components(self) -> tuple[str, ...]:
        """The additive integers a day keeps for it, summed over any range."""
        return {
            Kind.COUNT: (self.key,),
            Kind.DURATION: (self.key + TOTAL, self.key + ITEMS),
            Kind.SHARE: (self.key, self.key + BASE),
            Kind.RATIO: (),
        }[self.kind]

    @property
    def command_name(self) -> str:
        """How commands name it: its alias, else its key with '-' for '_' (calls-answered)."""
        return self.alias or self.key.replace("_", "-")

    @property
    def add_option(self) -> str:
        return self.option or f"--{self.command_name}"

    @property
    def items_noun(self) -> str:
        return self.noun or in_lower_case(self.label)

    @property
    def typed_label(self) -> str:
        return self.entry_label or self.label


@frozen
class Rollup:
    """One metric over a range (or a day): ``value`` None when there is no figure (no days with data, a
    zero denominator).  A count has ``per_day`` (over its days with data) and no denominator."""

    value: Fraction | None
    numerator: int
    denominator: int | None
    per_day: Fraction | None = None
    min_sample: int = 0

    @property
    def small_sample(self) -> bool:
        """A figure built on fewer base items than its metric trusts (a CSAT on < 30 ratings)."""
        return self.value is not None and self.denominator is not None and self.denominator < self.min_sample


# --- a day: typed answers -> entered integers -> components ---------------------------------------------


def read_answer(
    definition: MetricDefinition, text: str, entered: Mapping[str, int], base_noun: str = "items"
) -> tuple[int, str | None]:
    """The integer a day keeps for one typed answer (a count; a duration in tenths of a second; a share's
    part), and a note to show back when a percentage was converted.  ``entered``: the day's counts so
    far (a duration or a share needs its base, named ``base_noun`` in messages).  Raises InvalidInput
    with parsing.py's messages (typed_numbers.py)."""
    label = definition.typed_label
    if definition.kind is Kind.COUNT:
        value = whole_count(text, label, definition.maximum)
        return _at_least(definition, value, value), None
    if definition.kind is Kind.DURATION:
        tenths = wait_tenths(text, label, definition.maximum, base_noun)
        return _at_least(definition, tenths, Fraction(tenths, TENTHS_PER_SECOND)), None
    if definition.kind is Kind.SHARE:
        whole = _base_value(definition, entered)
        count, percent = part_count(text, label, definition.maximum, whole, base_noun)
        note = None if percent is None else part_note(text, count, whole, base_noun, definition.items_noun)
        return count, note
    raise InvalidInput(f"{definition.label} is worked out from other figures; nothing is entered for it.")


def _at_least(definition: MetricDefinition, value: int, typed: Fraction | int) -> int:
    if typed < definition.minimum:
        raise InvalidInput(f"{definition.typed_label} is at least {definition.minimum:,}.")
    return value


def read_day(
    definitions: Iterable[MetricDefinition], answers: Mapping[str, str]
) -> tuple[dict[str, int], dict[str, str]]:
    """A day's entered integers by metric key from typed answers by metric key (metrics without an
    answer have no data that day), and the notes to show back.  Counts are read first, so a duration
    or a share finds its base whatever the order of the form."""
    by_key = {d.key: d for d in definitions}
    live = [d for d in by_key.values() if d.entered and not d.retired and d.key in answers]
    entered: dict[str, int] = {}
    notes = {}
    for definition in sorted(live, key=lambda d: d.kind is not Kind.COUNT):
        noun = base_noun(definition, by_key)
        entered[definition.key], note = read_answer(definition, answers[definition.key], entered, noun)
        if note:
            notes[definition.key] = note
    return entered, notes


def base_noun(definition: MetricDefinition, by_key: Mapping[str, MetricDefinition]) -> str:
    """What the base of a duration or a share counts, for messages ("chats"); "items" without one."""
    base = by_key.get(definition.bases[0]) if definition.bases else None
    return base.items_noun if base else "items"


def day_components(definitions: Iterable[MetricDefinition], entered: Mapping[str, int]) -> dict[str, int]:
    """The additive components of one day's entered integers (see the module's docstring).  A metric
    without a value that day has no components; one whose base has no value that day is refused (a
    store's day is checked with check_day before it is saved)."""
    components = {}
    for definition in definitions:
        if definition.entered and definition.key in entered:
            components.update(_components(definition, entered))
    return components


def _components(definition: MetricDefinition, entered: Mapping[str, int]) -> dict[str, int]:
    value = int(entered[definition.key])
    if definition.kind is Kind.COUNT:
        return {definition.key: value}
    base = _base_value(definition, entered)
    if definition.kind is Kind.DURATION:
        return {definition.key + TOTAL: value * base, definition.key + ITEMS: base}
    return {definition.key: value, definition.key + BASE: base}


def check_day(definitions: Iterable[MetricDefinition], entered: Mapping[str, int]) -> None:
    """InvalidInput when a day can't be true: a share's part larger than its base, or a duration or a
    share without its base that day (services.record_day's rule for today's fields, same message)."""
    by_key = {d.key: d for d in definitions}
    for definition in by_key.values():
        if definition.kind not in (Kind.DURATION, Kind.SHARE) or definition.key not in entered:
            continue
        base = by_key[definition.bases[0]]
        value, whole = entered[definition.key], _base_value(definition, entered)
        if definition.kind is Kind.SHARE and value > whole:
            raise InvalidInput(
                f"{definition.typed_label} ({value:,}) can't be more than {base.typed_label} ({whole:,})."
            )


def _base_value(definition: MetricDefinition, entered: Mapping[str, int]) -> int:
    base = definition.bases[0]
    if base not in entered:
        raise InvalidInput(f"{definition.typed_label} needs {base.replace('_', ' ')} for the same day.")
    return int(entered[base])


def add_components(days: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Components summed over days (what a store's SUM gives); a key missing from a day adds nothing."""
    sums: dict[str, int] = {}
    for components in days:
        for key, value in components.items():
            sums[key] = sums.get(key, 0) + value
    return sums


# --- a range: sums -> exact figures ----------------------------------------------------------------------


def terms(definition: MetricDefinition) -> tuple[str, str | None, Fraction]:
    """The range figure as ``scale`` x sum of a numerator / sum of a denominator, by component key (see
    the module's docstring); a count's denominator is None: it is a total, per day over its days with data."""
    key, bases = definition.key, definition.bases
    if definition.kind is Kind.COUNT:
        return key, None, Fraction(1)
    if definition.kind is Kind.DURATION:
        return key + TOTAL, key + ITEMS, Fraction(1, TENTHS_PER_SECOND)
    if definition.kind is Kind.SHARE:
        return key, key + BASE, Fraction(100)
    return bases[0], bases[1], Fraction(1)


def roll_up(definition: MetricDefinition, sums: Mapping[str, int], days: int) -> Rollup:
    """The metric over a range from its components' sums; ``days``: the days with data for it (a
    count's per-day figure divides by them; 0: no figure).  Every figure is a ratio of sums."""
    numerator, denominator, scale = terms(definition)
    top = sums.get(numerator, 0)
    if denominator is None:
        return Rollup(Fraction(top) if days else None, top, None, Fraction(top, days) if days else None)
    bottom = sums.get(denominator, 0)
    value = scale * Fraction(top, bottom) if bottom else None
    return Rollup(value, top, bottom, None, definition.min_sample)


def roll_up_all(
    definitions: Iterable[MetricDefinition], sums: Mapping[str, int], days: Mapping[str, int]
) -> dict[str, Rollup]:
    """Every listed metric over a range, by key; ``days``: each metric's days with data."""
    return {d.key: roll_up(d, sums, days.get(d.key, 0)) for d in definitions if d.listed}


def formula(definition: MetricDefinition) -> str:
    """How the range figure is worked out, in words (exports describe each metric with it)."""
    key, bases = definition.key, definition.bases
    if definition.formula_text:
        return definition.formula_text
    if definition.kind is Kind.COUNT:
        return f"sum of {key}"
    if definition.kind is Kind.DURATION:
        return f"sum of ({key} in tenths of a second x {bases[0]}) / sum of {bases[0]} / 10"
    if definition.kind is Kind.SHARE:
        return f"100 x sum of {key} / sum of {bases[0]}"
    return f"sum of {bases[0]} / sum of {bases[1]}"


# --- definitions: what a store may hold ------------------------------------------------------------------


def check_definitions(definitions: Iterable[MetricDefinition]) -> None:
    """InvalidInput naming every problem of a store's definitions (none: they may be saved)."""
    found = problems(tuple(definitions))
    if found:
        raise InvalidInput(" ".join(found))


def problems(definitions: tuple[MetricDefinition, ...]) -> list[str]:
    """One sentence per broken rule: keys, bounds, places, bases and what may be retired."""
    by_key: dict[str, MetricDefinition] = {}
    found = []
    for definition in definitions:
        if definition.key in by_key:
            found.append(f"Two metrics have the key {definition.key!r}: a key names one metric.")
        by_key.setdefault(definition.key, definition)
    for definition in definitions:
        found += _own_problems(definition) + _base_problems(definition, by_key)
    return found


def _own_problems(d: MetricDefinition) -> list[str]:
    found = []
    if d.key in RESERVED_KEYS:
        found.append(f"{d.key!r} names a built-in figure's column: choose another key.")
    elif not SLUG.fullmatch(d.key):
        found.append(
            f"{d.key!r} is not a metric key: use lower-case letters, digits and _, starting with a letter,"
            " at most 40 characters (e.g. calls_answered)."
        )
    if not d.label.strip():
        found.append(f"The metric {d.key!r} needs a label.")
    highest = MAX_DURATION_SECONDS if d.kind is Kind.DURATION else MAX_DAILY_COUNT
    if d.minimum > d.maximum:
        found.append(f"{d.label}: the lowest value {d.minimum:,} is above the highest {d.maximum:,}.")
    if d.minimum < 0 or d.maximum > highest:
        found.append(f"{d.label}: values go from 0 to at most {highest:,}.")
    if not 0 <= d.places <= MAX_PLACES:
        found.append(f"{d.label}: a figure shows from 0 to {MAX_PLACES} decimals.")
    if d.target is not None and not 0 <= d.target <= (100 if d.kind is Kind.SHARE else highest):
        found.append(f"{d.label}: the target is outside the figure's range.")
    if not d.listed and d.kind is not Kind.COUNT:
        found.append(f"{d.label}: only a count can be entered without a figure of its own.")
    return found


def _base_problems(d: MetricDefinition, by_key: Mapping[str, MetricDefinition]) -> list[str]:
    needed = BASES_NEEDED[d.kind]
    if len(d.bases) != needed:
        return [f"{d.label} is {KIND_TEXT[d.kind]}: it names {needed} base metric{'s' if needed != 1 else ''}."]
    found = [_base_problem(d, key, by_key) for key in d.bases]
    if d.kind is Kind.RATIO and d.bases[0] == d.bases[1]:
        found.append(f"{d.label} divides {d.bases[0]} by itself: that is always 1.")
    if d.usually_within is not None:
        found.append(_base_problem(d, d.usually_within, by_key))
    return [problem for problem in found if problem]


def _base_problem(d: MetricDefinition, key: str, by_key: Mapping[str, MetricDefinition]) -> str | None:
    if key == d.key:
        return f"{d.label} can't be built on itself: name a count metric."
    base = by_key.get(key)
    if base is None:
        return f"{d.label} is built on {key!r}, which is not a metric."
    if base.kind is not Kind.COUNT:
        return f"{d.label} is built on {base.label}, {KIND_TEXT[base.kind]}: it needs a count."
    if base.retired and not d.retired:
        return f"{d.label} is built on {base.label}, which is retired: retire it too, or restore {base.label}."
    return None


def check_change(before: MetricDefinition, after: MetricDefinition, has_data: bool) -> MetricDefinition:
    """``after``, with its version raised, if it may replace ``before``: the key stays, and the kind and
    bases stay once a day has data for it (their data would mean something else: make a new metric)."""
    if after.key != before.key:
        raise InvalidInput(f"A metric's key never changes ({before.key!r}): add a new metric instead.")
    if has_data and (after.kind, after.bases) != (before.kind, before.bases):
        raise InvalidInput(
            f"{before.label} has data, so it stays {KIND_TEXT[before.kind]} of the same metrics: "
            "add a new metric and retire this one."
        )
    return MetricDefinition(**{**_fields(after), "version": before.version + 1})


def _fields(definition: MetricDefinition) -> dict:
    return {name: getattr(definition, name) for name in definition.__frozen_fields__}


# --- as a store keeps them ------------------------------------------------------------------------------

# Keys a new metric may not take: the columns stores and exports name the built-ins' figures by
# (builtin_metrics.LEGACY), which share one namespace with metric keys in a day's entered figures.
RESERVED_KEYS = frozenset(
    {"wait_tenths", "wait_tenths_total", "csat_good", "days_with_data", "team", "date", "agent", "agents", "sources"}
)


def definition_values(definition: MetricDefinition) -> dict[str, object]:
    """A definition as JSON-able values (what a store keeps and the audit log records); exact numbers
    as text, so nothing is lost on either store."""
    values = _fields(definition)
    values["kind"] = definition.kind.value
    values["direction"] = definition.direction.value
    values["target"] = None if definition.target is None else str(definition.target)
    values["bases"] = list(definition.bases)
    values["teams"] = list(definition.teams)
    return values


def definition_from_values(values: Mapping[str, object]) -> MetricDefinition:
    """The definition ``definition_values`` wrote (fields it doesn't know are ignored, missing ones default)."""
    known = {name: values[name] for name in MetricDefinition.__frozen_fields__ if name in values}
    known["kind"] = Kind(known["kind"])
    if "direction" in known:
        known["direction"] = Direction(known["direction"])
    if known.get("target") is not None:
        known["target"] = Fraction(str(known["target"]))  # "95", "92.5" or "185/2" (str of a Fraction)
    for name in ("bases", "teams"):
        if name in known:
            known[name] = tuple(known[name])
    return MetricDefinition(**known)


def stored_values(
    definitions: Iterable[MetricDefinition], entered: Mapping[str, int]
) -> dict[str, tuple[int, int | None, int | None]]:
    """One day's entered integers (by metric key) as a store keeps them: metric -> (value, total, base).
    ``total``: a duration's value x its items; ``base``: a duration's items or a share's base, that day;
    None where the kind has none.  Metrics without a value that day have no row."""
    rows = {}
    for definition in definitions:
        if not definition.entered or definition.key not in entered:
            continue
        value = int(entered[definition.key])
        if definition.kind is Kind.COUNT:
            rows[definition.key] = (value, None, None)
            continue
        base = _base_value(definition, entered)
        rows[definition.key] = (value, value * base if definition.kind is Kind.DURATION else None, base)
    return rows


def combined_values(
    definitions: Iterable[MetricDefinition], agents: Iterable[Mapping[str, int]]
) -> dict[str, tuple[int, int | None, int | None]]:
    """A team's day from its agents' (each agent's entered integers by metric key) as a store keeps it:
    each metric's (value, total, base) summed over the agents that have it, so the team's rows are
    exactly the sum of its agents' rows; a duration's value is its summed total over its summed items,
    rounded half up (0 items: 0).  Each agent's day is checked (check_day) first."""
    definitions = tuple(definitions)
    summed: dict[str, list[int]] = {}
    for entered in agents:
        check_day(definitions, entered)
        for metric, (value, total, base) in stored_values(definitions, entered).items():
            row = summed.setdefault(metric, [0, 0, 0])
            row[0] += value
            row[1] += total or 0
            row[2] += base or 0
    rows = {}
    for definition in definitions:
        if definition.key not in summed:
            continue
        value, total, base = summed[definition.key]
        if definition.kind is Kind.COUNT:
            rows[definition.key] = (value, None, None)
        elif definition.kind is Kind.DURATION:
            rows[definition.key] = ((2 * total + base) // (2 * base) if base else 0, total, base)
        else:
            rows[definition.key] = (value, None, base)
    return rows


def component_sums(
    definitions: Iterable[MetricDefinition], sums: Mapping[str, tuple[int, int | None, int | None]]
) -> dict[str, int]:
    """Range sums by component key (what ``terms`` names) from a store's per-metric sums of its rows:
    metric -> (sum of values, sum of totals, sum of bases).  A metric without rows sums to 0."""
    components: dict[str, int] = {}
    for definition in definitions:
        value, total, base = sums.get(definition.key, (0, 0, 0))
        if definition.kind is Kind.COUNT:
            components[definition.key] = int(value or 0)
        elif definition.kind is Kind.DURATION:
            components[definition.key + TOTAL] = int(total or 0)
            components[definition.key + ITEMS] = int(base or 0)
        elif definition.kind is Kind.SHARE:
            components[definition.key] = int(value or 0)
            components[definition.key + BASE] = int(base or 0)
    return components


def typed_percent(definition: MetricDefinition, text: str) -> Fraction | None:
    """The percentage typed for a share's part ('96%' -> 96), or None (what plausibility checks read)."""
    number = percent_typed(text) if definition.kind is Kind.SHARE else None
    return None if number is None else fraction_of(number)

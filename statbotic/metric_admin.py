"""Admins define the store's metrics (issue 12): list, add, edit, retire, restore and reorder them.

Use cases like people.py: plain values in, definitions out, domain errors raised; the store is an
argument.  Only an admin changes a definition (access.require_admin, before anything is read); anyone
logged in lists the metrics of the teams they may see.  Every change is checked as a whole, the way a
store must hold it -- metric_kinds.check_definitions over the store's definitions with the change,
metric_kinds.check_change against the definition it replaces (the key stays; the kind and bases stay
once a day has data) -- and saved through store.save_metric_definition, which audits it
(METRIC_ADDED / METRIC_CHANGED, each with the definition's version).

Built-in metrics may be relabelled, reordered, retired and restored like any other; their keys, kinds
and bases are fixed (today's columns and exports name them).  At least one entered metric stays live.
The ``*_of`` helpers read what an admin types (the Metrics screen's answers, the `metrics` command's
options) with a specific message for each bad answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from fractions import Fraction

from . import access
from .builtin_metrics import BUILTIN_DEFINITIONS
from .errors import InvalidInput
from .exact import fraction_of
from .frozen import frozen, replace
from .limits import shown
from .metric_kinds import (
    BASES_NEEDED,
    MAX_DAILY_COUNT,
    MAX_DURATION_SECONDS,
    MAX_PLACES,
    RESERVED_KEYS,
    SLUG,
    Kind,
    MetricDefinition,
    check_change,
    check_definitions,
)
from .records import User
from .services import utc_now
from .storage.base import Store
from .typed_numbers import DECIMAL

BUILTIN_KEYS = frozenset(d.key for d in BUILTIN_DEFINITIONS)
MAX_LABEL = 40  # characters of a label or a source: tables fit 80 columns
MAX_PROMPT = 80

# The kinds as an admin names them, with what each one is, by example (the guided form says these).
KIND_NAMES = {kind.value: kind for kind in Kind}
KIND_EXAMPLES = {
    Kind.COUNT: "count — a whole number per day, e.g. calls answered",
    Kind.DURATION: "duration per item — an average weighted by a count, e.g. average handle time of calls",
    Kind.SHARE: "share of a count — part of a count, e.g. SLA met of tickets; entered as a count or a %",
    Kind.RATIO: "ratio of two counts — derived, e.g. replies per ticket",
}
KIND_SHORT = {Kind.COUNT: "count", Kind.DURATION: "duration", Kind.SHARE: "share", Kind.RATIO: "ratio"}
DEFAULT_PLACES = {Kind.COUNT: 0, Kind.DURATION: 1, Kind.SHARE: 1, Kind.RATIO: 2}

# What an admin may set; the rest of a definition (aliases, columns, formula texts) is the built-ins'.
EDITABLE = (
    "label",
    "kind",
    "bases",
    "prompt",
    "source",
    "minimum",
    "maximum",
    "places",
    "direction",
    "target",
    "min_sample",
    "teams",
)


def highest_value(kind: Kind) -> int:
    """The largest value a metric of ``kind`` may take: seconds for a duration, a count otherwise."""
    return MAX_DURATION_SECONDS if kind is Kind.DURATION else MAX_DAILY_COUNT


@frozen
class MetricRow:
    """One metric as the admin's list shows it: ``position`` in the admin's order (1 = first), the teams
    (of those the user may see) that track it (a count also for the metrics built on it), whether it is
    defined for every team, and whether it is built in."""

    definition: MetricDefinition
    position: int
    teams: tuple[str, ...]
    every_team: bool
    builtin: bool

    @property
    def key(self) -> str:
        return self.definition.key


# --- reading -------------------------------------------------------------------------------------------


def in_order(definitions: Iterable[MetricDefinition]) -> list[MetricDefinition]:
    """The admin's order: by order, then key (what a store gives back)."""
    return sorted(definitions, key=lambda d: (d.order, d.key))


def tracking_teams(definitions: Sequence[MetricDefinition], teams: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """For each metric, the teams among ``teams`` that track it: those its definition names (or every
    team), and for a count, the teams that track a live metric built on it (services.team_metrics)."""
    by_key = {d.key: d for d in definitions}
    found: dict[str, list[str]] = {d.key: [] for d in definitions}
    for team in teams:
        chosen = {d.key for d in definitions if d.tracked_by(team)}
        wanted = [key for key in chosen if not by_key[key].retired]
        while wanted:
            for base in by_key[wanted.pop()].bases:
                if base in by_key and base not in chosen and not by_key[base].retired:
                    chosen.add(base)
                    wanted.append(base)
        for key in chosen:
            found[key].append(team)
    return {key: tuple(names) for key, names in found.items()}


def list_metrics(store: Store, user: User, include_retired: bool = False) -> list[MetricRow]:
    """The store's metrics in the admin's order: every one for an admin; for anyone else, those tracked by
    a team they may see (and only those teams are named).  Retired ones only with ``include_retired``."""
    if user.disabled:
        access.require_admin(user, "list metrics")
    admin = access.is_admin(user)
    names = [team.name for team in store.teams()]
    visible = names if admin else access.visible_teams(user, names)
    definitions = in_order(store.metric_definitions())
    teams = tracking_teams(definitions, visible)
    rows = []
    for position, definition in enumerate(definitions, start=1):
        if definition.retired and not include_retired:
            continue
        if not admin and not teams[definition.key]:
            continue
        every = not definition.teams
        rows.append(MetricRow(definition, position, teams[definition.key], every, definition.key in BUILTIN_KEYS))
    return rows


def definition_of(store: Store, key: str) -> MetricDefinition:
    """The store's definition with this key; InvalidInput naming the keys there are otherwise."""
    return _find(store.metric_definitions(), key)


# --- what an admin types ---------------------------------------------------------------------------------


def key_of(text: str) -> str:
    """A new metric's key: a slug (calls_answered), not a column a built-in figure is named by."""
    key = text.strip()
    if key in RESERVED_KEYS:
        raise InvalidInput(f"{key!r} names a built-in figure's column: choose another key.")
    if not SLUG.fullmatch(key):
        raise InvalidInput(
            f"{shown(key)} is not a metric key: use lower-case letters, digits and _, starting with a letter,"
            " at most 40 characters (e.g. calls_answered)."
        )
    return key


def label_of(text: str, what: str = "A metric's label") -> str:
    """A label (or a source): 1 to MAX_LABEL printable characters, spaces tidied."""
    label = " ".join(text.split())
    if not label or len(label) > MAX_LABEL or not label.isprintable():
        raise InvalidInput(f"{what} has 1 to {MAX_LABEL} printable characters.")
    return label


def prompt_of(text: str) -> str:
    """The question the add form asks for it ('' : its label); at most MAX_PROMPT printable characters."""
    prompt = " ".join(text.split())
    if len(prompt) > MAX_PROMPT or not prompt.isprintable():
        raise InvalidInput(f"A prompt has at most {MAX_PROMPT} printable characters.")
    return prompt


def source_of(text: str) -> str:
    """Where the figure comes from (Zendesk, phone...), or '' for nowhere said."""
    return label_of(text, "A source") if text.strip() else ""


def kind_of(text: str) -> Kind:
    name = text.strip().lower()
    if name not in KIND_NAMES:
        raise InvalidInput(f"A kind is count, duration, share or ratio, not {shown(text.strip())}.")
    return KIND_NAMES[name]


def whole_of(text: str, what: str, highest: int = MAX_DAILY_COUNT) -> int:
    """A whole number from 0 to ``highest`` (a bound, a minimum sample)."""
    raw = text.strip().replace(",", "")
    if not (raw.isascii() and raw.isdigit()) or int(raw) > highest:
        raise InvalidInput(f"{what} is a whole number from 0 to {highest:,}, not {shown(text.strip())}.")
    return int(raw)


def places_of(text: str) -> int:
    return whole_of(text, "The decimals shown", MAX_PLACES)


def target_of(text: str, kind: Kind) -> Fraction | None:
    """A default target as typed ('95', '95%' for a share, '2.5'), or None for 'none' (or blank)."""
    raw = text.strip().lower()
    if raw in ("", "none"):
        return None
    number = raw[:-1].strip() if kind is Kind.SHARE and raw.endswith("%") else raw
    if not DECIMAL.fullmatch(number):
        unit = " (a percentage for a share)" if kind is Kind.SHARE else ""
        raise InvalidInput(f"A target is a number{unit}, e.g. 95 or 2.5, or none; not {shown(text.strip())}.")
    return fraction_of(number)


def teams_of(store: Store, names: Iterable[str]) -> tuple[str, ...]:
    """The teams a metric is for, each a team of the store, in the store's order; () for every team
    (no name, or 'all')."""
    wanted = [name.strip() for text in names for name in text.split(",") if name.strip()]
    if not wanted or [name.lower() for name in wanted] == ["all"]:
        return ()
    known = [team.name for team in store.teams()]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise InvalidInput(f"There is no team {shown(unknown[0])}. Teams: {', '.join(known) or 'none'}.")
    return tuple(name for name in known if name in wanted)


def bases_of(definitions: Iterable[MetricDefinition], names: Iterable[str]) -> tuple[str, ...]:
    """Base metric keys as typed (keys, in order; commas allowed), each a metric of the store."""
    keys = {d.key for d in definitions}
    bases = tuple(name.strip() for text in names for name in text.split(",") if name.strip())
    for base in bases:
        if base not in keys:
            raise InvalidInput(f"There is no metric {shown(base)} to build on. Metrics: {', '.join(sorted(keys))}.")
    return bases


# --- changes ---------------------------------------------------------------------------------------------


def add_metric(store: Store, actor: User, key: str, label: str, kind: Kind, now: datetime | None = None, **fields):
    """A new metric, last in the order, saved (audited METRIC_ADDED); ``fields``: any of EDITABLE (a
    prompt defaults to the label; bounds, places to the kind's).  Admins only.  InvalidInput for a
    duplicate key, an unknown base, a metric built on itself, reversed bounds..."""
    access.require_admin(actor, "define metrics")
    _check_fields(fields)
    key = key_of(key)
    definitions = store.metric_definitions()
    for existing in definitions:
        if existing.key == key:
            state = ", retired" if existing.retired else ""
            raise InvalidInput(
                f"There is a metric {key!r} already ({existing.label}{state}): choose another key, or edit it."
            )
    label = label_of(label)
    values = {
        "prompt": "",
        "maximum": highest_value(kind),
        "places": DEFAULT_PLACES[kind],
        **fields,
    }
    values["prompt"] = prompt_of(values["prompt"]) or label
    order = max((d.order for d in definitions), default=0) + 1
    definition = MetricDefinition(key, label, kind, order=order, **values)
    _check_with(definitions, definition)
    store.save_metric_definition(definition, actor.username, now or utc_now())
    return definition


def edit_metric(
    store: Store, actor: User, key: str, now: datetime | None = None, **changes
) -> tuple[MetricDefinition, bool]:
    """The metric with ``changes`` (any of EDITABLE) saved, its version raised (audited METRIC_CHANGED),
    and True; the definition as it was and False when nothing changes.  A built-in's kind and bases are
    fixed; any metric's are once a day has data for it (metric_kinds.check_change)."""
    access.require_admin(actor, "change metrics")
    _check_fields(changes)
    definitions = store.metric_definitions()
    before = _find(definitions, key)
    if "label" in changes:
        changes["label"] = label_of(changes["label"])
    if "prompt" in changes:
        changes["prompt"] = prompt_of(changes["prompt"]) or changes.get("label", before.label)
    kind = changes.get("kind", before.kind)
    if kind is not before.kind:
        if "bases" not in changes and BASES_NEEDED[kind] == 0:
            changes["bases"] = ()
        if "maximum" not in changes and before.maximum == highest_value(before.kind):
            changes["maximum"] = highest_value(kind)
    after = replace(before, **changes)
    if after == before:
        return before, False
    shape_changes = (after.kind, after.bases) != (before.kind, before.bases)
    if shape_changes and before.key in BUILTIN_KEYS:
        raise InvalidInput(
            f"{before.label} is built in: its kind and the metrics it is built on stay. Add a new metric instead."
        )
    after = check_change(before, after, shape_changes and store.metric_has_data(before.key))
    _check_with(definitions, after)
    store.save_metric_definition(after, actor.username, now or utc_now())
    return after, True


def retire_metric(store: Store, actor: User, key: str, now: datetime | None = None) -> MetricDefinition:
    """Hide a metric from forms and reports, keeping its data and history (restore_metric undoes it).
    Refused while a live metric is built on it, naming it, and for the last live entered metric."""
    access.require_admin(actor, "retire metrics")
    definitions = store.metric_definitions()
    before = _find(definitions, key)
    if before.retired:
        raise InvalidInput(f"{before.label} is retired already (restore brings it back).")
    users = [d.label for d in in_order(definitions) if not d.retired and key in (*d.bases, d.usually_within)]
    if users:
        them = "it" if len(users) == 1 else "them"
        raise InvalidInput(
            f"{before.label} can't be retired while {_and(users)} {'is' if len(users) == 1 else 'are'}"
            f" built on it: retire {them} first."
        )
    if before.entered and not any(d.entered and not d.retired for d in definitions if d.key != before.key):
        raise InvalidInput(f"{before.label} is the last metric entered by hand: at least one stays.")
    return _save_change(store, actor, definitions, before, replace(before, retired=True), now)


def restore_metric(store: Store, actor: User, key: str, now: datetime | None = None) -> MetricDefinition:
    """Bring a retired metric back, with all its data.  Refused while a metric it is built on is retired."""
    access.require_admin(actor, "restore metrics")
    definitions = store.metric_definitions()
    before = _find(definitions, key)
    if not before.retired:
        raise InvalidInput(f"{before.label} is not retired.")
    by_key = {d.key: d for d in definitions}
    needed = [by_key[k] for k in (*before.bases, before.usually_within) if k in by_key and by_key[k].retired]
    if needed:
        labels = _and([d.label for d in needed])
        raise InvalidInput(
            f"{before.label} can't be restored while {labels}, which it is built on, "
            f"{'is' if len(needed) == 1 else 'are'} retired: restore {labels} first."
        )
    return _save_change(store, actor, definitions, before, replace(before, retired=False), now)


def move_metric(store: Store, actor: User, key: str, position: int, now: datetime | None = None) -> int:
    """Put a metric at ``position`` (1 = first, among every metric, retired ones too) in the admin's
    order, the others keeping theirs; each definition whose order changes is saved (audited).  Returns
    the position it has (a position past either end is the end)."""
    access.require_admin(actor, "reorder metrics")
    definitions = in_order(store.metric_definitions())
    moving = _find(definitions, key)
    rest = [d for d in definitions if d.key != moving.key]
    position = min(max(position, 1), len(definitions))
    rest.insert(position - 1, moving)
    now = now or utc_now()
    for order, definition in enumerate(rest, start=1):
        if definition.order != order:
            store.save_metric_definition(
                check_change(definition, replace(definition, order=order), False), actor.username, now
            )
    return position


def position_of(store: Store, key: str) -> int:
    """The metric's position in the admin's order (1 = first)."""
    definitions = in_order(store.metric_definitions())
    return definitions.index(_find(definitions, key)) + 1


def count_of(store: Store) -> int:
    return len(store.metric_definitions())


# --- words -----------------------------------------------------------------------------------------------


def kind_text(definition: MetricDefinition) -> str:
    """'count', 'duration of chats', 'share of csat_ratings', 'ratio comments / solves'."""
    short, bases = KIND_SHORT[definition.kind], definition.bases
    if definition.kind is Kind.RATIO:
        return f"{short} {bases[0]} / {bases[1]}"
    return f"{short} of {bases[0]}" if bases else short


def teams_text(row: MetricRow) -> str:
    """'every team', the team names, or 'none' (of the teams the reader may see)."""
    if row.every_team:
        return "every team"
    return ", ".join(row.teams) or "none"


def summary(definition: MetricDefinition) -> str:
    """One line about a definition for messages: 'Calls answered (calls_answered, count)'."""
    return f"{definition.label} ({definition.key}, {kind_text(definition)})"


# --- the checks they share -------------------------------------------------------------------------------


def _check_fields(fields: Mapping[str, object]) -> None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not a field an admin sets: {', '.join(sorted(unknown))}")


def _find(definitions: Iterable[MetricDefinition], key: str) -> MetricDefinition:
    definitions = tuple(definitions)
    for definition in definitions:
        if definition.key == key.strip():
            return definition
    keys = ", ".join(d.key for d in in_order(definitions))
    raise InvalidInput(f"There is no metric {shown(key.strip())}. Metrics: {keys}.")


def _check_with(definitions: Iterable[MetricDefinition], definition: MetricDefinition) -> None:
    """check_definitions over the store's definitions with ``definition`` in its key's place (a target
    out of range first, said in the figure's unit)."""
    target, kind = definition.target, definition.kind
    if target is not None and not 0 <= target <= (100 if kind is Kind.SHARE else highest_value(kind)):
        unit = "a percentage from 0 to 100" if kind is Kind.SHARE else f"a number from 0 to {highest_value(kind):,}"
        raise InvalidInput(f"A target for {definition.label} is {unit}.")
    others = [d for d in definitions if d.key != definition.key]
    check_definitions([*others, definition])


def _save_change(store, actor, definitions, before, after, now) -> MetricDefinition:
    after = check_change(before, after, False)  # neither kind nor bases change here
    _check_with(definitions, after)
    store.save_metric_definition(after, actor.username, now or utc_now())
    return after


def _and(labels: Sequence[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"

"""The Metrics screen of the Administration menu (issue 12): the store's metrics, and forms to add one
(guided: each kind explained with an example before anything is asked), edit, retire, restore or move one.

Like every form it reaches the store only through metric_admin (which checks the rights and the
definitions as a whole again), asks everything first and saves once at the end: a bad answer gets its
own message and the same question again; Ctrl-C (menus.run_action) or end of input leaves with nothing
half-saved.
"""

from __future__ import annotations

import re
import textwrap

from .. import metric_admin
from ..errors import InvalidInput, StatboticError
from ..goals import Direction
from ..metric_kinds import MAX_PLACES, RESERVED_KEYS, SLUG, Kind
from .menus import choose, choose_from, run_action
from .prompts import ask_choice, ask_yes_no

KINDS = (Kind.COUNT, Kind.DURATION, Kind.SHARE, Kind.RATIO)
WIDTH = 79


def key_from(label: str) -> str:
    """A key suggested by a label: 'Calls answered' -> 'calls_answered' ('' when none can be made)."""
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40].rstrip("_")
    return key if SLUG.fullmatch(key) else ""


def number_text(value) -> str:
    from ..exact import shortest_text

    return shortest_text(value)


class MetricsScreen:
    """The Metrics screen over an AdminScreens (its console, store, user and retry)."""

    def __init__(self, admin) -> None:
        self.admin = admin
        self.console, self.store = admin.console, admin.store

    @property
    def user(self):
        return self.admin.user

    def with_retry(self, operation):
        return self.admin.with_retry(operation)

    def rows(self) -> list[metric_admin.MetricRow]:
        return self.with_retry(lambda: metric_admin.list_metrics(self.store, self.user, include_retired=True))

    def run(self) -> None:
        """The list, then an action, until 0."""
        entries = [
            ("1", "Add a metric", self.add),
            ("2", "Edit a metric", self.edit),
            ("3", "Retire a metric", self.retire),
            ("4", "Restore a retired metric", self.restore),
            ("5", "Move a metric (the order of forms and reports)", self.move),
            ("0", "Back to Administration", None),
        ]
        actions = {key: action for key, _, action in entries}
        while True:
            self.console.say()
            self.show_list()
            choice = choose(self.console, "Metrics", [(key, label) for key, label, _ in entries])
            if actions[choice] is None:
                return
            run_action(self.console, lambda: self.said(actions[choice]))

    def ok(self, text: str, style: str | None = None) -> None:
        """A line about a metric (its label and key may be long), wrapped to fit 80 columns."""
        for line in textwrap.wrap(text, WIDTH):
            if style:
                self.console.say(line, style)
            else:
                self.console.ok(line)

    def said(self, action) -> None:
        """Run an action; a refusal is said wrapped to fit 80 columns (it names metrics), nothing saved."""
        try:
            action()
        except StatboticError as refused:
            for line in textwrap.wrap(refused.message, WIDTH):
                self.console.error(line)

    def show_list(self) -> None:
        self.console.say("The store's metrics, in the order forms and reports show them", "heading")
        for row in self.rows():
            d = row.definition
            state = ", retired" if d.retired else ""
            text = f"{row.position:>3}  {d.label}: {metric_admin.kind_text(d)}, key {d.key}, "
            text += f"{metric_admin.teams_text(row)}{state}"
            for line in textwrap.wrap(text, WIDTH, subsequent_indent=" " * 5):
                self.console.say(line, "dim" if d.retired else None)

    def choose_metric(self, rows: list[metric_admin.MetricRow], title: str) -> metric_admin.MetricRow:
        labels = [f"{row.definition.label} ({row.key})" for row in rows]
        return rows[choose_from(self.console, title, labels, "Choose a metric: ")]

    # adding: the kind (explained), then what it needs, then one save
    def add(self) -> None:
        console = self.console
        rows = self.rows()
        kind = self.ask_kind()
        label = ask(console, "Label (what forms and reports call it, e.g. Calls answered): ", metric_admin.label_of)
        key = self.ask_new_key(rows, label)
        fields = {"bases": self.ask_bases(rows, kind, label)}
        if kind is not Kind.RATIO:
            fields.update(self.ask_entry(kind, label, None))
        fields.update(self.ask_figure(kind, None))
        fields["teams"] = self.ask_teams(None)
        self.ok(f"{label} ({key}): {metric_admin.KIND_EXAMPLES[kind].split(' — ')[0]}", "heading")
        if not ask_yes_no(console, "Save this metric?"):
            console.say("Nothing was saved.")
            return
        added = self.with_retry(lambda: metric_admin.add_metric(self.store, self.user, key, label, kind, **fields))
        self.ok(f"Added {metric_admin.summary(added)}, last in the order (5 moves it).")

    def ask_kind(self) -> Kind:
        """The four kinds, each explained with an example (wrapped to fit), then the one chosen."""
        self.console.say("A metric is one of four kinds", "heading")
        for number, kind in enumerate(KINDS, start=1):
            lines = textwrap.wrap(metric_admin.KIND_EXAMPLES[kind], WIDTH - 5, subsequent_indent="     ")
            self.console.say(f"  {self.console.paint(str(number), 'accent')}  {lines[0]}")
            for line in lines[1:]:
                self.console.say(line)
        keys = [str(number) for number in range(1, len(KINDS) + 1)]
        return KINDS[int(ask_choice(self.console, keys, "Choose a kind: ")) - 1]

    def ask_new_key(self, rows, label: str) -> str:
        taken = {row.key: row.definition for row in rows}
        suggested = key_from(label)
        suggested = "" if suggested in taken or suggested in RESERVED_KEYS else suggested

        def new_key(text: str) -> str:
            key = metric_admin.key_of(text.strip() or suggested)
            if key in taken:
                raise InvalidInput(f"There is a metric {key!r} already ({taken[key].label}): choose another key.")
            return key

        shown = f" [{suggested}]" if suggested else ""
        prompt = f"Key (a-z, 0-9 and _; it never changes){shown}: "
        return ask(self.console, prompt, new_key)

    def ask_bases(self, rows, kind: Kind, label: str) -> tuple[str, ...]:
        """The counts it is built on, chosen from the live counts: a duration's items, a share's whole, a
        ratio's numerator and denominator (not the same one twice)."""
        counts = [row for row in rows if row.definition.kind is Kind.COUNT and not row.definition.retired]
        if kind is Kind.COUNT:
            return ()
        if kind is Kind.RATIO:
            top = self.choose_metric(counts, f"{label} = which count ...").key
            while True:
                bottom = self.choose_metric(counts, f"{label} = {top} per which count?").key
                if bottom != top:
                    return (top, bottom)
                self.console.error(f"{top} per {top} is always 1: choose another count.")
        title = (
            f"{label} is averaged per item of which count?"
            if kind is Kind.DURATION
            else f"{label} is part of which count?"
        )
        return (self.choose_metric(counts, title).key,)

    def ask_entry(self, kind: Kind, label: str, before) -> dict:
        """What an entered metric asks: its prompt, source and bounds (Enter keeps ``before``'s, or the default)."""
        console = self.console
        fields = {}
        current = before.prompt if before else label
        fields["prompt"] = ask(
            console, f"The add form's question [{current}]: ", lambda t: metric_admin.prompt_of(t) or current
        )
        source = before.source if before else ""
        fields["source"] = ask(
            console,
            f"Where it comes from (Zendesk, phone...; none: nowhere said) [{source or 'none'}]: ",
            lambda t: source if not t.strip() else "" if t.strip().lower() == "none" else metric_admin.source_of(t),
        )
        unit = " in seconds" if kind is Kind.DURATION else ""
        highest = metric_admin.highest_value(kind)
        low = before.minimum if before else 0
        fields["minimum"] = ask(
            console,
            f"Lowest value accepted{unit} [{low:,}]: ",
            lambda t: metric_admin.whole_of(t, "The lowest value", highest) if t.strip() else low,
        )
        high = before.maximum if before else highest

        def top(text: str) -> int:
            value = metric_admin.whole_of(text, "The highest value", highest) if text.strip() else high
            if value < fields["minimum"]:
                raise InvalidInput(f"The highest value {value:,} is below the lowest, {fields['minimum']:,}.")
            return value

        fields["maximum"] = ask(console, f"Highest value accepted{unit} [{high:,}]: ", top)
        return fields

    def ask_figure(self, kind: Kind, before) -> dict:
        """How the figure shows and is judged: decimals, which way is better, a default target, and a
        share's smallest trusted sample."""
        console = self.console
        fields = {}
        places = before.places if before else metric_admin.DEFAULT_PLACES[kind]
        fields["places"] = ask(
            console,
            f"Decimals shown (0-{MAX_PLACES}) [{places}]: ",
            lambda t: metric_admin.places_of(t) if t.strip() else places,
        )
        higher = before is None or before.direction is Direction.AT_LEAST
        better = ask(
            console, f"Is a higher figure better? (y/n) [{'y' if higher else 'n'}]: ", lambda t: yes_no(t, higher)
        )
        fields["direction"] = Direction.AT_LEAST if better else Direction.AT_MOST
        target = before.target if before else None
        shown = "none" if target is None else number_text(target)
        unit = {Kind.SHARE: " (a %)", Kind.DURATION: " (seconds)", Kind.COUNT: " (per day)"}.get(kind, "")

        def read_target(text: str):
            value = target if not text.strip() else metric_admin.target_of(text, kind)
            most = 100 if kind is Kind.SHARE else metric_admin.highest_value(kind)
            if value is not None and value > most:
                raise InvalidInput(f"A target is a number from 0 to {most:,}, or none.")
            return value

        fields["target"] = ask(console, f"Default target{unit}; none for no target [{shown}]: ", read_target)
        if kind is Kind.SHARE:
            sample = before.min_sample if before else 0
            fields["min_sample"] = ask(
                console,
                f"Flag the figure below how many base items (0: never) [{sample}]: ",
                lambda t: metric_admin.whole_of(t, "The smallest sample") if t.strip() else sample,
            )
        return fields

    def ask_teams(self, before) -> tuple[str, ...]:
        teams = self.with_retry(lambda: self.admin.teams())
        names = ", ".join(team.name for team in teams)
        current = ", ".join(before.teams) if before and before.teams else "all"
        return ask(
            self.console,
            f"Which teams track it ({names}; all: every team) [{current}]: ",
            lambda t: metric_admin.teams_of(self.store, [t if t.strip() else current]),
        )

    # editing, retiring, restoring, moving
    def edit(self) -> None:
        """Every field an admin sets, with its value now in [brackets] (Enter keeps it); saved once."""
        console = self.console
        row = self.choose_metric(self.rows(), "Edit which metric?")
        d = row.definition
        self.ok(f"{metric_admin.summary(d)}: Enter keeps a value as it is.", "dim")
        changes = {
            "label": ask(console, f"Label [{d.label}]: ", lambda t: metric_admin.label_of(t) if t.strip() else d.label)
        }
        if d.entered:
            changes.update(self.ask_entry(d.kind, changes["label"], d))
        changes.update(self.ask_figure(d.kind, d))
        changes["teams"] = self.ask_teams(d)
        after, changed = self.with_retry(lambda: metric_admin.edit_metric(self.store, self.user, d.key, **changes))
        if changed:
            self.ok(f"Saved {metric_admin.summary(after)}: version {after.version}.")
        else:
            console.say("Nothing was changed.")

    def retire(self) -> None:
        live = [row for row in self.rows() if not row.definition.retired]
        row = self.choose_metric(live, "Retire which metric?")
        self.console.say("Forms and reports stop showing a retired metric; its data and history are kept.", "dim")
        if not ask_yes_no(self.console, f"Retire {row.definition.label}?"):
            self.console.say("Nothing was changed.")
            return
        retired = self.with_retry(lambda: metric_admin.retire_metric(self.store, self.user, row.key))
        self.ok(f"Retired {retired.label} (4 restores it).")

    def restore(self) -> None:
        retired = [row for row in self.rows() if row.definition.retired]
        if not retired:
            self.console.say("No metric is retired.")
            return
        row = self.choose_metric(retired, "Restore which metric?")
        restored = self.with_retry(lambda: metric_admin.restore_metric(self.store, self.user, row.key))
        self.ok(f"Restored {metric_admin.summary(restored)}.")

    def move(self) -> None:
        rows = self.rows()
        row = self.choose_metric(rows, "Move which metric?")
        count = len(rows)

        def position(text: str) -> int:
            raw = text.strip().lower()
            if raw in ("u", "up", "d", "down"):
                return max(1, row.position - 1) if raw.startswith("u") else min(count, row.position + 1)
            if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= count:
                raise InvalidInput(f"Please type a position from 1 to {count}, or u (up) or d (down).")
            return int(raw)

        prompt = f"{row.definition.label} is {row.position} of {count}. New position (1-{count}, u or d): "
        wanted = ask(self.console, prompt, position)
        moved = self.with_retry(lambda: metric_admin.move_metric(self.store, self.user, row.key, wanted))
        self.ok(f"{row.definition.label} is now {moved} of {count}.")


def ask(console, prompt: str, parse):
    """prompts.ask, with a long message wrapped to fit 80 columns (a key's rule, a list of teams)."""
    while True:
        try:
            return parse(console.ask(prompt))
        except InvalidInput as problem:
            for line in textwrap.wrap(problem.message, WIDTH):
                console.error(line)


def yes_no(text: str, default: bool) -> bool:
    from ..parsing import parse_yes_no

    return default if not text.strip() else parse_yes_no(text)

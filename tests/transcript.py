"""Transcript helpers for in-process flow tests.

A transcript is a list of (text expected in the prompt, answer) pairs; the builders below make the
common stretches (log in, add a day, view a period...) one call each, so a test reads like the
session it plays.
"""

from datetime import date

import pytest

from statbotic.cli import Wiring
from statbotic.errors import ExitApp
from statbotic.metrics import ENTRY_FIELDS
from statbotic.ui.app import App
from statbotic.ui.console import ScriptedConsole
from tests.conftest import PASSWORD

TODAY = date(2026, 11, 26)


def menu(*keys) -> list:
    return [("Choose an option", key) for key in keys]


def answers(prompt: str, *values) -> list:
    """The same question answered several times: the bad answers first, the good one last."""
    return [(prompt, value) for value in values]


LOGIN = [*menu("1"), ("Username", "alice"), ("Password", PASSWORD)]
EXIT = menu("0")


def figures(*values) -> list:
    return [(field.prompt, value) for field, value in zip(ENTRY_FIELDS, values, strict=True)]


def add_day(day: str, *values, overwrite: str | None = None, more: str = "n", save: str = "y") -> list:
    """One pass of the add form: the date, the overwrite question if asked, six figures (comments,
    solves, chats, wait, ratings, positive ratings), 'Save?', then 'more?'."""
    return [
        ("Date", day),
        *([("Overwrite", overwrite)] if overwrite else []),
        *figures(*values),
        ("Save?", save),
        ("Enter more stats", more),
    ]


def period(text: str, extra: str | None = None) -> list:
    return [("Start date or period", text), *([("extra days", extra)] if extra is not None else [])]


def steps(*parts) -> list:
    """Flatten pairs and lists of pairs into one transcript."""
    script = []
    for part in parts:
        script.extend(part if isinstance(part, list) else [part])
    return script


def play(store, settings, *parts, leaving=ExitApp) -> ScriptedConsole:
    """Run the app on a transcript until it leaves (by Exit unless told otherwise); every answer must be used."""
    console = ScriptedConsole(steps(*parts))
    with pytest.raises(leaving):
        App(Wiring(console, settings=settings, store=store), today=lambda: TODAY).run()
    assert console.script == [], f"unused answers: {console.script}"
    return console


def log_in_as(name: str, password: str = PASSWORD) -> list:
    return [*menu("1"), ("Username", name), ("Password", password)]

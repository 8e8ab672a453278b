"""Transcript helpers for in-process flow tests: log in, exit, and play a whole script."""

from datetime import date

import pytest

from statbotic.errors import ExitApp
from statbotic.ui.app import App
from statbotic.ui.console import ScriptedConsole
from tests.conftest import PASSWORD

TODAY = date(2026, 11, 26)

LOGIN = [("Choose an option", "1"), ("Username", "alice"), ("Password", PASSWORD)]
EXIT = [("Choose an option", "0")]


def play(store, settings, script) -> ScriptedConsole:
    """Run the app on a transcript until it exits; the transcript must be used up exactly."""
    console = ScriptedConsole(script)
    with pytest.raises(ExitApp):
        App(console, store, settings, today=lambda: TODAY).run()
    assert console.script == [], f"unused answers: {console.script}"
    return console

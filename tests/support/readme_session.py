"""The session README.md shows, played by the app itself on a store of known figures.

tests/test_docs.py checks README's block is exactly this; after changing a screen, print the new one
with `.venv/bin/python -m tests.support.readme_session` and paste it into README's "A session".
"""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date, timedelta
from pathlib import Path

from statbotic import people, services
from statbotic.cli import Wiring
from statbotic.config import Settings
from statbotic.errors import ExitApp
from statbotic.storage import open_store
from statbotic.ui.app import App
from statbotic.ui.console import ScriptedConsole
from statbotic.ui.screens import PERIOD_PROMPT  # noqa: F401 (tests measure lines without what is typed after it)

TEAM = "support"
MAIN_MENU = f"Main menu (dana, team {TEAM})"
# comments, solves, chats, wait in tenths of a second, ratings, positive ratings
WEEK_47 = [(96, 50, 64, 388, 25, 24), (120, 44, 71, 455, 28, 25), (88, 47, 58, 402, 20, 20),
           (131, 49, 80, 610, 31, 27), (97, 51, 66, 371, 26, 26), (60, 31, 35, 298, 12, 12)]  # fmt: skip
SCRIPT = [
    ("Choose an option", "1"),
    ("Username", "dana"),
    ("Password", "a-long-password"),
    ("Choose an option", "2"),
    ("Start date or period", "2026-W47"),
    ("View more", "n"),
    ("Choose an option", "4"),
    ("Start date or period", "2026-W47"),
    ("Order", "2"),
    ("Choose an option", "0"),
]


def seed(store) -> None:
    """Week 46 on all seven days; week 47 without its Sunday."""
    user = people.register(store, "dana", "a-long-password", default_team=TEAM)
    for offset in range(7):
        figures = (90 + 3 * offset, 48 + offset, 60 + 2 * offset, 410 + 7 * offset, 22 + offset, 21 + offset)
        record(store, user, date(2026, 11, 9) + timedelta(days=offset), figures)
    for offset, figures in enumerate(WEEK_47):
        record(store, user, date(2026, 11, 16) + timedelta(days=offset), figures)


def record(store, user, day: date, figures: tuple) -> None:
    keys = ("comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good")
    services.record_day(store, TEAM, user, day, dict(zip(keys, figures, strict=True)))


def session_text() -> str:
    """From the main menu to the end of the daily breakdown, as the terminal shows it."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder) / "data", export_dir=Path(folder) / "exports", team=TEAM)
        store = open_store(settings)
        try:
            seed(store)
            console = ScriptedConsole(SCRIPT)
            with contextlib.suppress(ExitApp):  # the script ends by choosing Exit
                App(Wiring(console, settings=settings, store=store), today=lambda: date(2026, 11, 28)).run()
        finally:
            store.close()
    text = console.text
    start, end = text.index(MAIN_MENU), text.rindex(f"\n{MAIN_MENU}")
    return text[start:end].rstrip("\n") + "\n"


if __name__ == "__main__":
    print(session_text(), end="")

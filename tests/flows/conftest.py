from datetime import date

import pytest

from statbotic import auth
from statbotic.records import User
from statbotic.services import utc_now
from statbotic.ui.console import ScriptedConsole
from statbotic.ui.menus import ExitApp
from statbotic.ui.screens import App

TODAY = date(2026, 11, 26)
PASSWORD = "s3cret-pass"


@pytest.fixture(scope="session")
def password_hash() -> str:
    return auth.hash_password(PASSWORD)  # hashed once: each hash takes a deliberate ~0.3 s


@pytest.fixture
def alice(store, password_hash) -> User:
    user = User("alice", password_hash, utc_now())
    store.add_user(user)
    return user


LOGIN = [("Choose an option", "1"), ("Username", "alice"), ("Password", PASSWORD)]
EXIT = [("Choose an option", "0")]


def play(store, settings, script) -> ScriptedConsole:
    """Run the app on a transcript until it exits; the transcript must be used up exactly."""
    console = ScriptedConsole(script)
    with pytest.raises(ExitApp):
        App(console, store, settings, today=lambda: TODAY).run()
    assert console.script == [], f"unused answers: {console.script}"
    return console

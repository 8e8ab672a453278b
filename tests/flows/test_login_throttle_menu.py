"""The login menu under throttling (throttle.py): three tries a round, the lock after five failures
for a name (known or not, whatever the password), and the last-login line after a login."""

from datetime import UTC, datetime

from statbotic import services
from tests.transcript import EXIT, LOGIN, PASSWORD, menu, play

LOCKED = "Too many failed logins for this name. Try again in 1 minute."


def tries(*pairs) -> list:
    return [*menu("1"), *[step for name, word in pairs for step in (("Username", name), ("Password", word))]]


def test_two_rounds_of_wrong_passwords_lock_the_name_and_the_right_one_is_refused_too(store, settings, alice):
    console = play(
        store,
        settings,
        tries(("alice", "wrong-1"), ("alice", "wrong-2"), ("alice", "wrong-3")),  # three strikes: back
        tries(("alice", "wrong-4"), ("alice", "wrong-5")),  # the fifth failure locks: back at once
        tries(("alice", PASSWORD)),  # locked: refused alike, without saying the password was right
        EXIT,
    )
    assert console.text.count("Username or password is incorrect.") == 4
    assert console.text.count("Too many failed attempts. Back to the login menu.") == 1
    assert LOCKED in console.text
    assert "Too many failed logins for this name. Try again in 2 minutes." in console.text
    assert "Main menu" not in console.text


def test_an_unknown_name_reads_exactly_like_a_user(store, settings, alice):
    def transcript(name: str) -> str:
        wrong = [(name, f"wrong-{n}") for n in range(3)]
        console = play(store, settings, tries(*wrong), tries(*wrong[:2]), tries((name, PASSWORD)), EXIT)
        return console.text.replace(name, "NAME")

    assert transcript("alice") == transcript("nobody")


def test_the_login_says_when_the_last_one_was_and_the_failures_since(store, settings, alice):
    services.log_in(store, "alice", PASSWORD, datetime(2026, 11, 27, 9, 14, tzinfo=UTC))
    console = play(
        store,
        settings,
        tries(("alice", "typo-1"), ("alice", "typo-2"), ("alice", "typo-3")),
        LOGIN,
        EXIT,
    )
    hello = console.text.index("Hello, alice! You're logged in.")
    line = console.text.index("Last login: 2026-11-27 09:14 UTC; 3 failed attempts since.")
    assert hello < line < console.text.index("Main menu")


def test_a_first_login_says_nothing_more_and_the_next_counts_no_failures(store, settings, alice):
    first = play(store, settings, LOGIN, EXIT)
    assert "Last login" not in first.text and "First login" not in first.text
    second = play(store, settings, LOGIN, EXIT)
    assert "; no failed attempts since." in second.text

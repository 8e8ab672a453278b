"""Login throttling on every backend (throttle.py, services.log_in): the counters live in the store.

Each test runs on each backend (the ``store`` fixture); the clock is injected (``now``).
"""

from datetime import UTC, datetime, timedelta

import pytest

from statbotic import auth, services
from statbotic.errors import AuthenticationFailed
from statbotic.records import LoginState, User

ADMIN = User("admin", "-", datetime(2026, 11, 1, tzinfo=UTC), admin=True)  # who unlocks

T0 = datetime(2026, 11, 27, 9, 14, tzinfo=UTC)
PASSWORD = "correct-horse"
WRONG = "Username or password is incorrect."


@pytest.fixture
def dana(store):
    # Hashed at today's strength: a weaker hash would be re-hashed at the first login.
    user = User("Dana", _HASH, T0 - timedelta(days=30))
    store.add_user(user)
    return user


_HASH = auth.hash_password(PASSWORD)


def attempt(store, name: str, password: str, now: datetime) -> str:
    """The message of a refused login (the test fails if it succeeds)."""
    with pytest.raises(AuthenticationFailed) as refused:
        services.log_in(store, name, password, now)
    return refused.value.message


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def test_five_failures_in_15_minutes_lock_the_name_even_for_the_right_password(store, dana):
    messages = [attempt(store, "dana", "wrong-one", T0 + minutes(3 * n)) for n in range(5)]
    assert messages == [WRONG] * 4 + ["Too many failed logins for this name. Try again in 1 minute."]
    locked_at = T0 + minutes(12)
    # The right password while locked: refused alike, and counted (the lock doubles: no oracle).
    message = attempt(store, "DANA", PASSWORD, locked_at + timedelta(seconds=30))
    assert message == "Too many failed logins for this name. Try again in 2 minutes."
    logged = services.log_in(store, "dana", PASSWORD, locked_at + timedelta(seconds=151))
    assert (logged.user.username, logged.last_login, logged.failed_since) == ("Dana", None, 6)
    again = services.log_in(store, "dana", PASSWORD, T0 + minutes(60))
    assert (again.last_login, again.failed_since) == (locked_at + timedelta(seconds=151), 0)


def test_failures_older_than_15_minutes_do_not_count(store, dana):
    for n in range(10):  # one failure every 4 minutes: never 5 within 15 minutes
        assert attempt(store, "dana", "wrong-one", T0 + minutes(4 * n)) == WRONG
    logged = services.log_in(store, "dana", PASSWORD, T0 + minutes(40))
    assert logged.failed_since == 10


def test_the_lock_doubles_with_every_further_failure_up_to_an_hour(store, dana):
    now = T0
    for _ in range(5):
        attempt(store, "dana", "wrong-one", now)
    shown = []
    for _ in range(8):
        now += timedelta(seconds=10)
        shown.append(attempt(store, "dana", "wrong-one", now).split("again in ")[1])
    assert shown == [f"{n} minutes." for n in (2, 4, 8, 16, 32, 60, 60, 60)]
    # Waited out, and 15 quiet minutes after it: a fresh start.
    assert attempt(store, "dana", "wrong-one", now + minutes(76)) == WRONG


def test_unknown_names_are_throttled_exactly_like_users(store, dana):
    def story(name: str) -> list[str]:
        return [attempt(store, name, "wrong-one", T0 + timedelta(seconds=20 * n)) for n in range(8)]

    assert story("dana") == story("nobody")
    assert story("nobody")[-1].startswith("Too many failed logins")


def test_the_state_outlives_the_store_and_unlock_clears_it(store, settings, dana):
    from statbotic.storage import open_store

    for n in range(5):
        attempt(store, "dana", "wrong-one", T0 + timedelta(seconds=n))
    reopened = open_store(settings)  # a restart, or the CLI: still locked
    try:
        assert attempt(reopened, "dana", PASSWORD, T0 + minutes(1) - timedelta(seconds=50)).endswith("2 minutes.")
        assert services.unlock(reopened, "DANA", actor=ADMIN) is True
        assert services.unlock(reopened, "dana", actor=ADMIN) is False  # nothing left to clear
        logged = services.log_in(reopened, "dana", PASSWORD, T0 + minutes(1) - timedelta(seconds=40))
        assert logged.failed_since == 6  # the user still learns about them
    finally:
        reopened.close()


def test_unlock_clears_an_unknown_name_too(store):
    for n in range(5):
        attempt(store, "ghost", "wrong-one", T0 + timedelta(seconds=n))
    assert services.unlock(store, "Ghost", actor=ADMIN) is True
    assert attempt(store, "ghost", "wrong-one", T0 + timedelta(seconds=10)) == WRONG


def test_a_brute_force_beyond_the_limit_logs_nothing_in_and_checks_few_passwords(store, dana, monkeypatch):
    checked = []
    verify, burn = auth.verify_password, auth.burn_equal_time
    monkeypatch.setattr(auth, "verify_password", lambda word, stored: checked.append(word) or verify(word, stored))
    monkeypatch.setattr(auth, "burn_equal_time", lambda word: checked.append(word) or burn(word))
    guesses = [f"guess-{n}" for n in range(40)]
    guesses[25] = PASSWORD
    for name in ("dana", "nobody"):
        checked.clear()
        now = T0
        for guess in guesses:  # one guess every 30 seconds for 20 minutes
            now += timedelta(seconds=30)
            attempt(store, name, guess, now)
        assert len(checked) == 5  # only the first five were checked at all; the rest refused unchecked
    assert store.get_login("dana")[1].failed_since == 40


def test_the_store_writes_a_login_state_only_over_the_version_it_was_read_at(store, dana):
    user, state = store.get_login("dana")
    assert (user, state) == (dana, LoginState())
    first = LoginState(failures=(T0,), failed_since=1)
    assert store.save_login_state("dana", True, state, first) is True
    assert store.save_login_state("dana", True, state, first) is False  # someone wrote first
    assert store.get_login("DANA") == (dana, LoginState(failures=(T0,), failed_since=1, version=1))
    assert store.save_login_state("nobody", False, LoginState(), first) is True
    assert store.save_login_state("nobody", False, LoginState(), first) is False
    assert store.get_login("Nobody") == (None, LoginState(failures=(T0,), failed_since=1, version=1))


def test_quiet_records_of_unknown_names_are_deleted_by_later_failures(store, dana):
    for name in ("ghost-1", "ghost-2"):
        attempt(store, name, "wrong-one", T0)
    attempt(store, "ghost-3", "wrong-one", T0 + minutes(16))  # the first two no longer matter
    assert store.get_login("ghost-1")[1] == LoginState()
    assert store.get_login("ghost-3")[1].failed_since == 1
    attempt(store, "dana", "wrong-one", T0)
    attempt(store, "ghost-5", "wrong-one", T0 + minutes(16))
    assert services.unlock(store, "ghost-5", actor=ADMIN) is True  # nothing left to remember: deletable at once
    attempt(store, "ghost-4", "wrong-one", T0 + minutes(60))
    assert store.get_login("dana")[1].failed_since == 1  # a user's record is never deleted
    assert store.get_login("ghost-5")[1] == LoginState()

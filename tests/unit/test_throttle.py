"""The throttling rules (throttle.py) and the last-login line, without a store."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from statbotic import throttle
from statbotic.records import LoginState
from statbotic.ui.render import last_login_text

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def failed(times: int, every: timedelta = timedelta(seconds=1), state: LoginState | None = None) -> LoginState:
    state = state or LoginState()
    for n in range(times):
        state = throttle.after_failure(state, T0 + n * every)
    return state


def test_a_record_keeps_at_most_the_last_five_failures():
    state = failed(40, timedelta(minutes=20))  # never locked: one every 20 minutes
    assert state.failures == (T0 + 39 * timedelta(minutes=20),)
    assert failed(4).failures == tuple(T0 + timedelta(seconds=n) for n in range(4))
    assert len(failed(30).failures) == throttle.LIMIT and failed(30).lock_minutes == throttle.MAX_LOCK


@pytest.mark.parametrize(
    ("left", "shown"), [(timedelta(seconds=1), 1), (timedelta(seconds=60), 1), (timedelta(seconds=61), 2)]
)
def test_the_minutes_left_are_rounded_up(left, shown):
    assert throttle.minutes_left(LoginState(locked_until=T0 + left), T0) == shown


def test_no_lock_once_it_has_passed():
    state = failed(5)
    assert throttle.minutes_left(state, state.locked_until) is None
    assert throttle.quiet_after(state) == state.locked_until + throttle.WINDOW


def test_success_and_unlock():
    state = failed(6)
    assert throttle.after_success(state, T0) == LoginState(last_login=T0)
    assert throttle.unlocked(state) == LoginState(failed_since=6)


@pytest.mark.parametrize(
    ("last", "failures", "text"),
    [
        (None, 0, None),
        (None, 2, "First login; 2 failed attempts before it."),
        (T0 + timedelta(minutes=14), 1, "Last login: 2026-11-27 09:14 UTC; 1 failed attempt since."),
        (datetime(2026, 11, 27, 10, 14, tzinfo=timezone(timedelta(hours=1))), 0, None),
    ],
)
def test_the_last_login_line(last, failures, text):
    expected = text or ("Last login: 2026-11-27 09:14 UTC; no failed attempts since." if last else None)
    assert last_login_text(last, failures) == expected

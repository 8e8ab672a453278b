"""Login throttling: the pure rules.  The store keeps a LoginState per username key (unknown names too).

LIMIT failed logins for one name within WINDOW lock it for FIRST_LOCK; every further failure while it is
locked (an attempt during the lock is refused unchecked, and counts) or within WINDOW after the lock ends
doubles the lock, up to MAX_LOCK.  A successful login or an unlock ends the streak.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .frozen import replace
from .records import LoginState

LIMIT = 5
WINDOW = timedelta(minutes=15)
FIRST_LOCK = 1  # minutes
MAX_LOCK = 60  # minutes


def minutes_left(state: LoginState, now: datetime) -> int | None:
    """Whole minutes (rounded up) the name stays locked, or None when it is not locked."""
    if state.locked_until is None or now >= state.locked_until:
        return None
    return max(1, -(-int((state.locked_until - now).total_seconds()) // 60))


def in_streak(state: LoginState, now: datetime) -> bool:
    """Still escalating: locked now, or its lock ended less than WINDOW ago."""
    return state.locked_until is not None and now < state.locked_until + WINDOW


def after_failure(state: LoginState, now: datetime) -> LoginState:
    """The state once a failed attempt (or one refused while locked) at ``now`` is counted."""
    recent = tuple(t for t in state.failures if now - t < WINDOW)[-(LIMIT - 1) :] + (now,)
    if in_streak(state, now):
        lock = min(max(state.lock_minutes, FIRST_LOCK) * 2, MAX_LOCK)
    elif len(recent) >= LIMIT:
        lock = FIRST_LOCK
    else:
        lock = 0
    return replace(
        state,
        failures=recent,
        locked_until=now + timedelta(minutes=lock) if lock else None,
        lock_minutes=lock,
        failed_since=state.failed_since + 1,
    )


def after_success(state: LoginState, now: datetime) -> LoginState:
    return replace(state, failures=(), locked_until=None, lock_minutes=0, failed_since=0, last_login=now)


def unlocked(state: LoginState) -> LoginState:
    """An admin's unlock: the failures and the lock go; the last login and the count since it stay."""
    return replace(state, failures=(), locked_until=None, lock_minutes=0)


def quiet_after(state: LoginState) -> datetime | None:
    """When the record stops mattering for throttling (an unknown name's record may then be deleted)."""
    times = [t + WINDOW for t in state.failures]
    if state.locked_until is not None:
        times.append(state.locked_until + WINDOW)
    return max(times, default=None)

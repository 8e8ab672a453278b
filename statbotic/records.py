"""The plain records that pass between the stores and the rest of the app."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from .exact import fraction_of, plain_decimal
from .frozen import frozen
from .metrics import Direction, Goal, components_of


@frozen
class User:
    username: str
    password_hash: str
    created_at: datetime


@frozen
class DayRecord:
    """One team's figures for one day, as entered, with who last changed them and when."""

    team: str
    day: date
    entered: Mapping[str, int]  # metrics.ENTRY_KEYS -> integers (the wait in tenths of a second)
    updated_by: str
    updated_at: datetime

    @property
    def components(self) -> dict[str, int]:
        return components_of(self.entered)


@frozen
class RangeTotals:
    """Sums of every additive component over the days of a range that have data."""

    start: date
    end: date
    sums: Mapping[str, int]
    days_with_data: tuple[date, ...] = ()


TURNED_OFF = "none"  # how a store writes the direction of a target turned off in the app


@frozen
class Target:
    """A team's target for one range metric, set in the app, with who set it and when.

    ``goal`` None: the target was turned off in the app (it overrides an environment default)."""

    metric: str  # a metrics.RANGE_METRICS key
    goal: Goal | None
    set_by: str
    set_at: datetime

    def stored(self) -> tuple[str, str | None]:
        """(direction, value) as a store keeps them: '>=' or '<=' and the exact decimal, or 'none' and None."""
        if self.goal is None:
            return TURNED_OFF, None
        return self.goal.direction.value, plain_decimal(self.goal.value)

    @classmethod
    def from_stored(cls, metric: str, direction: str, value: str | None, set_by: str, set_at: datetime) -> "Target":
        goal = None if direction == TURNED_OFF else Goal(Direction(direction), fraction_of(value))
        return cls(metric, goal, set_by, set_at)


# What an audit entry records (AuditEntry.action).
DAY_ADDED, DAY_CHANGED = "day added", "day changed"
TARGET_SET, TARGET_CLEARED = "target set", "target cleared"
USER_REGISTERED, TOKEN_ISSUED = "user registered", "token issued"


@frozen
class AuditEntry:
    """One change, as the audit log keeps it: when (UTC), who, what, and the values before and after.

    ``team`` is "" for changes that belong to no team (users, tokens); ``subject`` is the date of a day,
    the metric key of a target, or the username.  ``before`` and ``after`` hold exactly what the store
    keeps (a day's entered integers; a target's direction and exact decimal), never a secret: a token or
    a password hash is never in the log.  ``before`` None: nothing was there (or, for the first audited
    change of something older than the log on MongoDB, it was not recorded: see README "Audit")."""

    at: datetime
    actor: str
    action: str
    team: str
    subject: str
    before: Mapping[str, object] | None = None
    after: Mapping[str, object] | None = None


def target_values(target: Target | None) -> dict[str, object] | None:
    """A target as the audit log keeps it: its direction and exact value as stored (None: no target)."""
    if target is None:
        return None
    direction, value = target.stored()
    return {"direction": direction, "value": value}


@frozen
class LoginState:
    """One username key's logins (see throttle.py), known user or not: the latest failures (at most
    throttle.LIMIT, oldest first), the lock, the failures since the last successful login, and that login.

    ``version``: the store's count of writes to the record (0: none yet), for compare-and-set updates."""

    failures: tuple[datetime, ...] = ()
    locked_until: datetime | None = None
    lock_minutes: int = 0
    failed_since: int = 0
    last_login: datetime | None = None
    version: int = 0

"""The Store protocol every backend implements; the contract tests hold each backend to it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from ..records import AuditEntry, DayRecord, LoginState, RangeTotals, Target, User


class Store:
    """Users, daily figures, targets and the audit log.  Every method raises StoreUnavailable when the
    database fails.

    The audit log is append-only: each change below that says "audited" appends its AuditEntry in the
    same transaction as the change (SQLite), or in the same single-document update (MongoDB, which has no
    transactions: one document's update is atomic), so neither exists without the other.  No method
    edits or deletes an entry.

    The backends subclass it and implement every method.  (A plain class rather than typing.Protocol:
    importing typing would cost every command a few milliseconds of start-up.)"""

    description: str  # where the data lives, for messages (never holds a password)
    # Sentences for the user about the store's own files (e.g. readable by other users); the store never prints.
    warnings: tuple[str, ...] = ()

    def add_user(self, user: User, audit: bool = True) -> None:
        """Insert a user; DuplicateUser if the name is taken, compared case-insensitively.  Audited
        (USER_REGISTERED, by the user, at created_at) unless ``audit`` is False (copying a store)."""
        raise NotImplementedError

    def get_user(self, username: str) -> User | None:
        """The user with this name in any case, or None."""
        raise NotImplementedError

    def set_password_hash(self, username: str, password_hash: str) -> None:
        """Replace a user's stored hash (used to upgrade hashing parameters at login)."""
        raise NotImplementedError

    def set_token_hash(self, username: str, token_hash: str, at: datetime | None = None) -> None:
        """Replace the user's access token (its SHA-256); the old token stops working.  With ``at``,
        audited (TOKEN_ISSUED, by the user; the log never holds the token or its hash)."""
        raise NotImplementedError

    def get_user_by_token_hash(self, token_hash: str) -> User | None:
        """The user holding the token with this hash, or None."""
        raise NotImplementedError

    def get_login(self, username: str) -> tuple[User | None, LoginState]:
        """The user with this name (or None) and the name's LoginState (a fresh one when it has none), in
        one read: known and unknown names cost the same."""
        raise NotImplementedError

    def save_login_state(self, username: str, known: bool, expected: LoginState, state: LoginState) -> bool:
        """Write the name's LoginState, as version ``expected.version + 1``, if its stored version is still
        ``expected.version`` (compare and set); False, writing nothing, when another write came first.
        ``known``: the name is a user's (get_login said so).  Records of unknown names that no longer
        matter (throttle.quiet_after passed) may be deleted meanwhile: their number stays bounded."""
        raise NotImplementedError

    def upsert_day(self, record: DayRecord) -> None:
        """Save one day atomically: insert, or update in place when (team, day) exists.  Audited:
        DAY_ADDED or DAY_CHANGED, by updated_by at updated_at, the entered figures before and after."""
        raise NotImplementedError

    def upsert_days(self, records: Iterable[DayRecord]) -> int:
        """Save many days at once (bulk loads, copy-data); each is an upsert like upsert_day, but not
        audited (a load, not a change someone made).  Returns the count."""
        raise NotImplementedError

    def get_day(self, team: str, day: date) -> DayRecord | None:
        """One day's record, or None."""
        raise NotImplementedError

    def iter_days(self, team: str, start: date, end: date) -> Iterator[DayRecord]:
        """The days with data from start to end (both included), oldest first."""
        raise NotImplementedError

    def range_totals(self, team: str, start: date, end: date) -> RangeTotals:
        """Sums of the additive components and the dates with data, from start to end."""
        raise NotImplementedError

    def teams(self) -> tuple[str, ...]:
        """Every team that has at least one day's record, sorted (until teams are records of their own)."""
        raise NotImplementedError

    def team_range_totals(self, start: date, end: date, teams: Sequence[str] | None = None) -> dict[str, RangeTotals]:
        """Each team's RangeTotals from start to end, in one read for all teams (or only ``teams``): by
        team name, only teams with data in the range."""
        raise NotImplementedError

    def get_targets(self, team: str) -> dict[str, Target]:
        """The targets set in the app for the team, by metric key (empty when none was set)."""
        raise NotImplementedError

    def set_target(self, team: str, target: Target, audit: bool = True) -> None:
        """Save a target atomically: insert, or replace in place the team's target for that metric.
        Audited (TARGET_SET, by set_by at set_at) unless ``audit`` is False (copying a store)."""
        raise NotImplementedError

    def clear_target(self, team: str, metric: str, by: str | None = None, at: datetime | None = None) -> bool:
        """Remove the team's target for the metric; True if there was one.  When there was one and ``by``
        and ``at`` are given, audited (TARGET_CLEARED)."""
        raise NotImplementedError

    def iter_all_targets(self) -> Iterator[tuple[str, Target]]:
        """Every team's targets set in the app, as (team, target), by team then metric (for copying a store)."""
        raise NotImplementedError

    def iter_users(self) -> Iterator[User]:
        """Every user, oldest first (for copying a store)."""
        raise NotImplementedError

    def iter_all_days(self) -> Iterator[DayRecord]:
        """Every day of every team, by team then date (for copying a store)."""
        raise NotImplementedError

    def audit_since(self, since: datetime) -> list[AuditEntry]:
        """Every audit entry at or after ``since``, oldest first: entries about one thing in the order written;
        entries of the same second about different things in no set order."""
        raise NotImplementedError

    def day_history(self, team: str, day: date) -> list[AuditEntry]:
        """Every audit entry of the team's day, oldest first: each version it had, with who and when."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the connection."""
        raise NotImplementedError

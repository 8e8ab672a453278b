"""The Store protocol every backend implements; the contract tests hold each backend to it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime

from ..metric_kinds import MetricDefinition
from ..records import (
    AuditEntry,
    DayRecord,
    Invite,
    LoginState,
    RangeTotals,
    Registration,
    Share,
    Target,
    Team,
    User,
)


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

    def add_user(self, user: User, audit: bool = True, by: str | None = None) -> None:
        """Insert a user with every field of User (admin, teams, disabled, email, agent); DuplicateUser if the
        name is taken, compared case-insensitively.  Audited unless ``audit`` is False (copying a store):
        USER_REGISTERED by the user, or USER_ADDED by ``by`` (an admin adding them); ``after`` is
        records.user_values(user), at user.created_at."""
        raise NotImplementedError

    def add_first_user(self, user: User, team: Team) -> bool:
        """Only while the store has no user at all: create ``team`` if it is not there and insert ``user``
        (the caller makes them admin and lead of it); True.  False, writing nothing, when any user exists,
        even one inserted by a concurrent process a moment before (two first registrations can't both
        win).  Audited like add_user (USER_REGISTERED), plus TEAM_CREATED when the team was created."""
        raise NotImplementedError

    def has_users(self) -> bool:
        """True when the store has at least one user."""
        raise NotImplementedError

    def update_user(
        self,
        username: str,
        *,
        by: str,
        at: datetime,
        admin: bool | None = None,
        teams: Mapping[str, str] | None = None,
        disabled: bool | None = None,
        agent: str | None = None,
    ) -> User | None:
        """Change a user's admin flag, teams (the whole team -> role mapping), disabled flag and agent (the
        agent whose figures are the user's own; "" unlinks: stored as None) -- None leaves a field as it
        is; the user after, or None when there is no such user.  LastAdmin, changing nothing, when the
        change would leave the store without an enabled admin (on SQLite checked in the write's
        transaction; on MongoDB just before the write).  Audited USER_CHANGED by ``by`` at ``at``,
        user_values before -> after (team "", subject the username; "agent" in them only while linked);
        nothing is written or audited when nothing changes."""
        raise NotImplementedError

    def set_reset_code(self, username: str, code_hash: str, expires_at: datetime, by: str, at: datetime) -> bool:
        """Give the user a one-time password reset code (its SHA-256), replacing any earlier one; False when
        there is no such user.  Audited RESET_ISSUED by ``by`` (after: {"expires_at": ISO}; never the code)."""
        raise NotImplementedError

    def use_reset_code(self, username: str, code_hash: str, password_hash: str, now: datetime) -> bool:
        """If the user's reset code has this hash and expires after ``now``: in one atomic write set the new
        password hash and forget the code and the access token (a reset replaces every credential); True.
        Otherwise False, changing nothing (so a code works once).  Audited PASSWORD_RESET by the user."""
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
        """The user holding the token with this hash, or None (disabled users too: services refuse them)."""
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

    def metric_definitions(self) -> tuple[MetricDefinition, ...]:
        """Every metric definition of the store, retired ones too, by (order, key).  A new store is seeded
        with builtin_metrics.BUILTIN_DEFINITIONS, and so is a store migrated from before definitions."""
        raise NotImplementedError

    def save_metric_definition(self, definition: MetricDefinition, by: str, at: datetime) -> None:
        """Insert a definition, or replace the one with its key (the caller checked it with
        metric_kinds.check_definitions and check_change).  Audited METRIC_ADDED (no definition had the
        key) or METRIC_CHANGED, by ``by`` at ``at``, team "", subject the key, before/after
        metric_kinds.definition_values; nothing written or audited when nothing changes."""
        raise NotImplementedError

    def metric_has_data(self, key: str) -> bool:
        """Whether any day of any team has a value for the metric (its kind and bases may then not change)."""
        raise NotImplementedError

    def upsert_day(self, record: DayRecord) -> None:
        """Save one day atomically: insert, or update in place when (team, day) exists.  ``record.entered``
        holds the day's values by entry key (metrics.entry_key: today's column for a built-in, else the
        metric key); a metric the record has no value for keeps the value the day had, and its agent
        rows (a retired metric's data survives a day entered again; a file of some metrics leaves the
        others as they are).  Each value is kept with its kind's total and base
        (metric_kinds.stored_values over every definition of the store).

        Per agent: each metric of ``record.entered`` is written whole, its team value AND its agent rows
        (``record.agents``' figures of that metric; none: the day's agent rows of it are removed, a typed
        total now stands).  The team's row of a metric with agent rows is their sum
        (metric_kinds.combined_values), whatever ``record.entered`` says of it (services passes that
        sum).  An agent's figures of a metric the record doesn't enter, or that can't be true
        (check_day), are refused (InvalidInput) before anything is written.  ``record.sources`` are added
        to the day's by name, replacing a source of the same name (empty: a typed save, which clears
        them all).

        Audited: DAY_ADDED or DAY_CHANGED, by updated_by at updated_at, records.day_values before and after."""
        raise NotImplementedError

    def upsert_days(self, records: Iterable[DayRecord]) -> int:
        """Save many days at once (bulk loads, copy-data); each is an upsert like upsert_day (agents too;
        its sources are the record's, as copied), but not audited (a load, not a change someone made).
        Returns the count."""
        raise NotImplementedError

    def delete_day(self, team: str, day: date, by: str, at: datetime) -> bool:
        """Remove one day's record atomically, its agent rows and sources too; False when it had none.
        Audited DAY_DELETED by ``by`` at ``at``, records.day_values before and None after (so "History of
        a day" shows the deletion)."""
        raise NotImplementedError

    def get_day(self, team: str, day: date) -> DayRecord | None:
        """One day's record (its agents and sources too), or None."""
        raise NotImplementedError

    def iter_days(self, team: str, start: date, end: date) -> Iterator[DayRecord]:
        """The days with data from start to end (both included), oldest first, with agents and sources."""
        raise NotImplementedError

    def range_totals(self, team: str, start: date, end: date) -> RangeTotals:
        """Sums of the additive components (metrics.named_sums over every definition: a metric without
        data sums to 0), each metric's days with data (metric_days: every entered metric's key, 0 when it
        has none), and the dates with data, from start to end: one indexed read, however many metrics."""
        raise NotImplementedError

    def agent_range_totals(self, team: str, start: date, end: date) -> dict[str, RangeTotals]:
        """Each agent's RangeTotals from start to end (like range_totals, over the agent's rows: sums,
        the agent's days, metric_days), by agent name, only agents with rows in the range: one read.  For
        a metric every day of which has agent rows, the agents' sums add up to range_totals' exactly."""
        raise NotImplementedError

    def teams(self) -> tuple[Team, ...]:
        """Every team of the store, by name.  (Stores made before teams were records have one for each
        team that had days or targets, made by the migration.)"""
        raise NotImplementedError

    def add_team(self, team: Team, by: str | None) -> None:
        """Create a team; DuplicateTeam if one has that name.  Audited TEAM_CREATED by ``by`` at
        team.created_at (team and subject: its name; after: {"display_name": ...}), unless ``by`` is None
        (copying a store)."""
        raise NotImplementedError

    def rename_team(self, name: str, display_name: str, by: str, at: datetime) -> bool:
        """Change a team's display name (its name, which keys its days, stays); False when there is no such
        team.  Audited TEAM_RENAMED, {"display_name"} before -> after."""
        raise NotImplementedError

    def get_registration(self) -> Registration:
        """The registration setting saved by an admin, or Registration() (invite only) when none was."""
        raise NotImplementedError

    def set_registration(self, registration: Registration, by: str, at: datetime) -> None:
        """Save the registration setting.  Audited REGISTRATION_SET (team "", subject "registration"),
        records.registration_values before -> after."""
        raise NotImplementedError

    def add_invite(self, invite: Invite) -> None:
        """Save a new invite (its code's hash is unique).  Audited INVITE_ISSUED by invite.created_by at
        invite.created_at (team: the invite's; subject "invite"; after: records.invite_values)."""
        raise NotImplementedError

    def get_invite(self, code_hash: str) -> Invite | None:
        """The invite with this code hash, used or not, expired or not; None when there is none."""
        raise NotImplementedError

    def redeem_invite(self, user: User, code_hash: str, now: datetime) -> Invite | None:
        """Register ``user`` with the invite of this hash, if it is unused and expires after ``now``: the
        user is inserted in the invite's team with the invite's role (whatever ``user.teams`` says, and
        never as admin) and the invite marked used by them; the invite as it was.  None, writing nothing,
        when there is no such invite or it is spent or expired; DuplicateUser, leaving the invite unused,
        when the name is taken.  Audited USER_REGISTERED (by the user) and INVITE_USED (by the user; team:
        the invite's; after: invite_values with "role" and "used_by")."""
        raise NotImplementedError

    def add_share(self, share: Share) -> None:
        """Save a new share (its id and its token's hash are each unique: InvalidInput, writing nothing,
        when either is taken).  Audited SHARE_CREATED by share.created_by at share.created_at (team: the
        share's; subject: records.share_subject; after: records.share_values; never the token or its hash)."""
        raise NotImplementedError

    def share_by_token_hash(self, token_hash: str) -> Share | None:
        """The share whose token has this hash, expired or revoked too; None when there is none: one
        indexed read (opening a share link)."""
        raise NotImplementedError

    def get_share(self, share_id: str) -> Share | None:
        """The share with this id, or None."""
        raise NotImplementedError

    def shares(self, teams: Sequence[str] | None = None) -> list[Share]:
        """Every share (or only those of ``teams``), expired and revoked ones too, oldest first (then by id)."""
        raise NotImplementedError

    def revoke_share(self, share_id: str, by: str, at: datetime) -> bool:
        """Revoke the share with this id if it is not revoked yet: True.  False, writing nothing, when
        there is no such share or it was revoked already.  Audited SHARE_REVOKED by ``by`` at ``at``
        (team: the share's; subject: records.share_subject; before: share_values; after: the same with "revoked_at")."""
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
        """Every user with every field, oldest first (the admin's list of users; copying a store)."""
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

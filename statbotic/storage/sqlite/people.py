"""Who may do what: the first user, changes to a user (admin, teams and roles, disabled, agent) under
the last-admin rule, and one-time reset codes (kept as their hash, with an expiry)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime

from ... import records
from ...auth import username_key
from ...errors import LastAdmin
from ...frozen import replace
from ...records import AuditEntry, Team, User, user_values
from .audit import _append
from .errors import _guard
from .teams import _insert_team, _team_created
from .users import HAS_USERS_SQL, _insert_user, _read_user, _set_memberships, _teams, _user_added


def _enabled_admin(user: User) -> bool:
    return user.admin and not user.disabled


def _other_admins(conn: sqlite3.Connection, key: str) -> bool:
    """Whether an enabled admin other than the user with this key exists."""
    sql = "SELECT EXISTS (SELECT 1 FROM users WHERE admin = 1 AND disabled = 0 AND username_key <> ?)"
    return bool(conn.execute(sql, (key,)).fetchone()[0])


class People:
    """SQLiteStore's access changes, first user and reset codes (see store.py)."""

    def add_first_user(self, user: User, team: Team) -> bool:
        def insert() -> bool:
            with self._conn:
                # The write lock before the check: a second first registration waits here, then finds ours.
                self._conn.execute("BEGIN IMMEDIATE")
                if self._conn.execute(HAS_USERS_SQL).fetchone()[0]:
                    return False
                if _insert_team(self._conn, team):
                    _append(self._conn, _team_created(team, user.username))
                _insert_user(self._conn, user)
                _append(self._conn, _user_added(user, None))
                return True

        return _guard(self, insert)

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
        changes = {"admin": admin, "teams": None if teams is None else _teams(teams.items()), "disabled": disabled}
        changes = {name: value for name, value in changes.items() if value is not None}
        if agent is not None:
            changes["agent"] = agent or None  # "": unlinked
        key = username_key(username)

        def update() -> User | None:
            with self._conn:
                # Under the write lock: two admins demoting each other at once can't both pass the check.
                self._conn.execute("BEGIN IMMEDIATE")
                before = _read_user(self._conn, "username_key = ?", (key,))
                if before is None:
                    return None
                after = replace(before, **changes)
                if user_values(after) == user_values(before):
                    return before
                if _enabled_admin(before) and not _enabled_admin(after) and not _other_admins(self._conn, key):
                    raise LastAdmin()
                self._conn.execute(
                    "UPDATE users SET admin = ?, disabled = ?, agent = ? WHERE username_key = ?",
                    (int(after.admin), int(after.disabled), after.agent, key),
                )
                _set_memberships(self._conn, key, after.teams)
                values = user_values(before), user_values(after)
                _append(self._conn, AuditEntry(at, by, records.USER_CHANGED, "", before.username, *values))
                return after

        return _guard(self, update)

    def set_reset_code(self, username: str, code_hash: str, expires_at: datetime, by: str, at: datetime) -> bool:
        key = username_key(username)

        def update() -> bool:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                row = self._conn.execute("SELECT username FROM users WHERE username_key = ?", (key,)).fetchone()
                if row is None:
                    return False
                self._conn.execute(
                    "UPDATE users SET reset_hash = ?, reset_expires = ? WHERE username_key = ?",
                    (code_hash, expires_at.isoformat(), key),
                )
                after = {"expires_at": expires_at.isoformat()}
                _append(self._conn, AuditEntry(at, by, records.RESET_ISSUED, "", row[0], None, after))
                return True

        return _guard(self, update)

    def use_reset_code(self, username: str, code_hash: str, password_hash: str, now: datetime) -> bool:
        key = username_key(username)

        def use() -> bool:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")  # read and spend under one lock: a code works once
                row = self._conn.execute(
                    "SELECT username, reset_hash, reset_expires FROM users WHERE username_key = ?", (key,)
                ).fetchone()
                # A plain comparison: the hash of a random code gives nothing away to timing.
                if row is None or row[1] is None or row[1] != code_hash or datetime.fromisoformat(row[2]) <= now:
                    return False
                self._conn.execute(
                    "UPDATE users SET password_hash = ?, token_hash = NULL, reset_hash = NULL, reset_expires = NULL "
                    "WHERE username_key = ?",
                    (password_hash, key),
                )
                _append(self._conn, AuditEntry(now, row[0], records.PASSWORD_RESET, "", row[0]))
                return True

        return _guard(self, use)

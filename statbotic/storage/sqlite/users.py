"""Users: their records, their teams (a row of memberships each), passwords and access tokens.

A user's teams are read in the same statement as the user (one snapshot)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from types import MappingProxyType

from ... import records
from ...auth import username_key
from ...errors import DuplicateUser
from ...records import AuditEntry, User, user_values
from .audit import _append
from .errors import _guard

# A user with every field; their teams in the same statement (one snapshot, the memberships' key).
USER_SQL = (
    "SELECT username, password_hash, created_at, admin, disabled, email, agent, (SELECT json_group_object(team, role) "
    "FROM memberships WHERE memberships.username_key = users.username_key) FROM users"
)
HAS_USERS_SQL = "SELECT EXISTS (SELECT 1 FROM users)"


def _read_user(conn: sqlite3.Connection, where: str, params: tuple) -> User | None:
    row = conn.execute(f"{USER_SQL} WHERE {where}", params).fetchone()
    return _user(row) if row else None


def _user(row: tuple) -> User:
    username, password_hash, created_at, admin, disabled, email, agent, teams = row
    return User(
        username=username,
        password_hash=password_hash,
        created_at=datetime.fromisoformat(created_at),
        admin=bool(admin),
        teams=_teams(json.loads(teams).items()),
        disabled=bool(disabled),
        email=email,
        agent=agent,
    )


def _teams(pairs: Iterable[tuple[str, str]]) -> Mapping[str, str]:
    """A user's team -> role mapping as records hold it: by team name, read-only."""
    return MappingProxyType(dict(sorted(pairs)))


def _insert_user(conn: sqlite3.Connection, user: User) -> None:
    """Insert the user and their teams, inside the caller's transaction; DuplicateUser if the name is taken."""
    key = username_key(user.username)
    try:
        conn.execute(
            "INSERT INTO users (username_key, username, password_hash, created_at, admin, disabled, email, agent) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, user.username, user.password_hash, user.created_at.isoformat(), int(user.admin),
             int(user.disabled), user.email, user.agent),
        )  # fmt: skip
    except sqlite3.IntegrityError:
        raise DuplicateUser(f"The username {user.username!r} is taken.") from None
    _set_memberships(conn, key, user.teams)
    # The name's failures from before it was a user's are not the new user's.
    conn.execute("DELETE FROM logins WHERE username_key = ?", (key,))


def _set_memberships(conn: sqlite3.Connection, key: str, teams: Mapping[str, str]) -> None:
    conn.execute("DELETE FROM memberships WHERE username_key = ?", (key,))
    conn.executemany(
        "INSERT INTO memberships (username_key, team, role) VALUES (?, ?, ?)",
        ((key, team, role) for team, role in teams.items()),
    )


def _user_added(user: User, by: str | None) -> AuditEntry:
    """USER_REGISTERED by the user, or USER_ADDED by the admin ``by``."""
    action, actor = (records.USER_REGISTERED, user.username) if by is None else (records.USER_ADDED, by)
    return AuditEntry(user.created_at, actor, action, "", user.username, None, user_values(user))


class Users:
    """SQLiteStore's users (see store.py)."""

    def add_user(self, user: User, audit: bool = True, by: str | None = None) -> None:
        def insert() -> None:
            with self._conn:  # one transaction: the user, their teams and the audit entry, or none of them
                self._conn.execute("BEGIN IMMEDIATE")
                _insert_user(self._conn, user)
                if audit:
                    _append(self._conn, _user_added(user, by))

        _guard(self, insert)

    def has_users(self) -> bool:
        return bool(_guard(self, lambda: self._conn.execute(HAS_USERS_SQL).fetchone()[0]))

    def get_user(self, username: str) -> User | None:
        return _guard(self, lambda: _read_user(self._conn, "username_key = ?", (username_key(username),)))

    def set_password_hash(self, username: str, password_hash: str) -> None:
        def update() -> None:
            with self._conn:
                self._conn.execute(
                    "UPDATE users SET password_hash = ? WHERE username_key = ?", (password_hash, username_key(username))
                )

        _guard(self, update)

    def set_token_hash(self, username: str, token_hash: str, at: datetime | None = None) -> None:
        def update() -> None:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                changed = self._conn.execute(
                    "UPDATE users SET token_hash = ? WHERE username_key = ?", (token_hash, username_key(username))
                ).rowcount
                if changed and at is not None:
                    _append(self._conn, AuditEntry(at, username, records.TOKEN_ISSUED, "", username))

        _guard(self, update)

    def get_user_by_token_hash(self, token_hash: str) -> User | None:
        return _guard(self, lambda: _read_user(self._conn, "token_hash = ?", (token_hash,)))

    def iter_users(self) -> Iterator[User]:
        sql = f"{USER_SQL} ORDER BY created_at, username_key"
        rows = _guard(self, lambda: self._conn.execute(sql).fetchall())
        return (_user(row) for row in rows)

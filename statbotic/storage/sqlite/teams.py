"""The department's teams (a team's name keys its days and targets; its display name is what a rename
changes) and the registration setting (a JSON value in ``settings``; no row: invite only)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from ... import records
from ...errors import DuplicateTeam
from ...records import AuditEntry, Registration, Team, registration_values
from .audit import _append
from .columns import _json
from .errors import _guard


def _insert_team(conn: sqlite3.Connection, team: Team) -> bool:
    """Insert the team unless one has its name; whether it was inserted."""
    done = conn.execute(
        "INSERT INTO teams (name, display_name, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
        (team.name, team.display_name, team.created_at.isoformat()),
    )
    return done.rowcount == 1


def _team_created(team: Team, by: str) -> AuditEntry:
    after = {"display_name": team.display_name}
    return AuditEntry(team.created_at, by, records.TEAM_CREATED, team.name, team.name, None, after)


def _team(row: tuple) -> Team:
    name, display_name, created_at = row
    return Team(name, display_name, datetime.fromisoformat(created_at))


REGISTRATION_SQL = "SELECT value FROM settings WHERE key = 'registration'"


def _registration(row: tuple | None) -> Registration:
    if row is None:
        return Registration()
    values = json.loads(row[0])
    return Registration(values["mode"], tuple(values["domains"]))


class Teams:
    """SQLiteStore's teams and registration setting (see store.py)."""

    def teams(self) -> tuple[Team, ...]:
        sql = "SELECT name, display_name, created_at FROM teams ORDER BY name"
        return tuple(_team(row) for row in _guard(self, lambda: self._conn.execute(sql).fetchall()))

    def add_team(self, team: Team, by: str | None) -> None:
        def insert() -> None:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                if not _insert_team(self._conn, team):
                    raise DuplicateTeam(f"The team name {team.name!r} is taken.")
                if by is not None:
                    _append(self._conn, _team_created(team, by))

        _guard(self, insert)

    def rename_team(self, name: str, display_name: str, by: str, at: datetime) -> bool:
        def rename() -> bool:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                row = self._conn.execute("SELECT display_name FROM teams WHERE name = ?", (name,)).fetchone()
                if row is None:
                    return False
                self._conn.execute("UPDATE teams SET display_name = ? WHERE name = ?", (display_name, name))
                values = {"display_name": row[0]}, {"display_name": display_name}
                _append(self._conn, AuditEntry(at, by, records.TEAM_RENAMED, name, name, *values))
                return True

        return _guard(self, rename)

    # registration
    def get_registration(self) -> Registration:
        return _registration(_guard(self, lambda: self._conn.execute(REGISTRATION_SQL).fetchone()))

    def set_registration(self, registration: Registration, by: str, at: datetime) -> None:
        def save() -> None:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                before = _registration(self._conn.execute(REGISTRATION_SQL).fetchone())
                self._conn.execute(
                    "INSERT INTO settings (key, value) VALUES ('registration', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (_json(registration_values(registration)),),
                )
                values = registration_values(before), registration_values(registration)
                _append(self._conn, AuditEntry(at, by, records.REGISTRATION_SET, "", "registration", *values))

        _guard(self, save)

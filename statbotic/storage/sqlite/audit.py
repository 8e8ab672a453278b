"""The audit log, append-only: ``_append`` writes an entry inside the caller's transaction (each change
and its entry are committed together or not at all); AuditLog reads entries back."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from ... import records
from ...records import AuditEntry
from .columns import _json
from .errors import _guard

AUDIT_SQL = "INSERT INTO audit (at, actor, action, team, subject, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)"
_AUDIT_COLUMNS = "at, actor, action, team, subject, before, after"


def _append(conn: sqlite3.Connection, entry: AuditEntry) -> None:
    """Append an entry to the audit log, inside the caller's transaction."""
    conn.execute(
        AUDIT_SQL,
        (
            entry.at.isoformat(),
            entry.actor,
            entry.action,
            entry.team,
            entry.subject,
            _json(entry.before),
            _json(entry.after),
        ),
    )


def _entry(row: tuple) -> AuditEntry:
    at, actor, action, team, subject, before, after = row
    load = lambda text: None if text is None else json.loads(text)  # noqa: E731
    return AuditEntry(datetime.fromisoformat(at), actor, action, team, subject, load(before), load(after))


class AuditLog:
    """SQLiteStore's reads of the audit log (see store.py)."""

    def audit_since(self, since: datetime) -> list[AuditEntry]:
        return self._audit("at >= ? ORDER BY at, seq", (since.isoformat(),))

    def day_history(self, team: str, day: date) -> list[AuditEntry]:
        where = "team = ? AND subject = ? AND action IN (?, ?, ?) ORDER BY seq"
        actions = (records.DAY_ADDED, records.DAY_CHANGED, records.DAY_DELETED)
        return self._audit(where, (team, day.isoformat(), *actions))

    def _audit(self, where: str, params: tuple) -> list[AuditEntry]:
        sql = f"SELECT {_AUDIT_COLUMNS} FROM audit WHERE {where}"
        return [_entry(row) for row in _guard(self, lambda: self._conn.execute(sql, params).fetchall())]

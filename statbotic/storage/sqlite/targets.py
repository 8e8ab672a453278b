"""Targets: one row per team and range metric, at least or at most an exact decimal, or none."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ... import records
from ...records import AuditEntry, Target, target_values
from .audit import _append
from .errors import _guard


def _target(row: tuple) -> Target:
    metric, direction, value, set_by, set_at = row
    return Target.from_stored(metric, direction, value, set_by, datetime.fromisoformat(set_at))


class Targets:
    """SQLiteStore's targets (see store.py)."""

    def get_targets(self, team: str) -> dict[str, Target]:
        rows = _guard(
            self,
            lambda: self._conn.execute(
                "SELECT metric, direction, value, set_by, set_at FROM targets WHERE team = ?", (team,)
            ).fetchall(),
        )
        return {row[0]: _target(row) for row in rows}

    def set_target(self, team: str, target: Target, audit: bool = True) -> None:
        direction, value = target.stored()

        def upsert() -> None:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                before = self._target(team, target.metric)
                self._conn.execute(
                    "INSERT INTO targets (team, metric, direction, value, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (team, metric) DO UPDATE SET direction = excluded.direction, "
                    "value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at",
                    (team, target.metric, direction, value, target.set_by, target.set_at.isoformat()),
                )
                if audit:
                    values = target_values(before), target_values(target)
                    _append(
                        self._conn,
                        AuditEntry(target.set_at, target.set_by, records.TARGET_SET, team, target.metric, *values),
                    )

        _guard(self, upsert)

    def _target(self, team: str, metric: str) -> Target | None:
        row = self._conn.execute(
            "SELECT metric, direction, value, set_by, set_at FROM targets WHERE team = ? AND metric = ?", (team, metric)
        ).fetchone()
        return _target(row) if row else None

    def iter_all_targets(self) -> Iterator[tuple[str, Target]]:
        rows = _guard(
            self,
            lambda: self._conn.execute(
                "SELECT team, metric, direction, value, set_by, set_at FROM targets ORDER BY team, metric"
            ).fetchall(),
        )
        return ((row[0], _target(row[1:])) for row in rows)

    def clear_target(self, team: str, metric: str, by: str | None = None, at: datetime | None = None) -> bool:
        def delete() -> bool:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                before = self._target(team, metric)
                self._conn.execute("DELETE FROM targets WHERE team = ? AND metric = ?", (team, metric))
                if before is not None and by is not None and at is not None:
                    _append(self._conn, AuditEntry(at, by, records.TARGET_CLEARED, team, metric, target_values(before)))
                return before is not None

        return _guard(self, delete)

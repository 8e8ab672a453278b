"""Metric definitions: one row per metric of ``metric_definitions`` (its definition_values as JSON), read
once per store and kept until this store saves one or another connection changes the file.

The catalogue (metrics.Metrics over every definition, retired ones too) is what days.py names a day's
values by: DayRecord.entered by entry key, the table's rows by metric key."""

from __future__ import annotations

import json
from datetime import datetime

from ... import records
from ...records import AuditEntry
from .audit import _append
from .errors import _guard

DEFINITIONS_SQL = "SELECT definition FROM metric_definitions ORDER BY position, key"


class Definitions:
    """SQLiteStore's metric definitions (see store.py)."""

    # (PRAGMA data_version when read, the definitions, their catalogue): None until first read.
    _definitions_read: tuple | None = None

    def metric_definitions(self):
        return _guard(self, self._catalogue).definitions

    def _catalogue(self):
        """metrics.Metrics over every definition of the store.  Read again only when the file changed
        since (PRAGMA data_version counts other connections' commits; this store's own saves forget it),
        so a report reads its definitions at the cost of one PRAGMA."""
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        cached = self._definitions_read
        if cached is not None and cached[0] == version:
            return cached[1]
        from ...metric_kinds import definition_from_values
        from ...metrics import Metrics

        rows = self._conn.execute(DEFINITIONS_SQL).fetchall()
        catalogue = Metrics(tuple(definition_from_values(json.loads(text)) for (text,) in rows))
        self._definitions_read = (version, catalogue)
        return catalogue

    def _definitions_changed(self) -> None:
        self._definitions_read = None

    def save_metric_definition(self, definition, by: str, at: datetime) -> None:
        from ...metric_kinds import definition_values

        values = json.loads(json.dumps(definition_values(definition)))  # as the JSON column gives it back
        text = json.dumps(values, sort_keys=True)

        def save() -> None:
            with self._conn:  # one transaction: the definition and its audit entry, or neither
                self._conn.execute("BEGIN IMMEDIATE")
                row = self._conn.execute(
                    "SELECT definition FROM metric_definitions WHERE key = ?", (definition.key,)
                ).fetchone()
                before = None if row is None else json.loads(row[0])
                if before == values:
                    return
                self._conn.execute(
                    "INSERT INTO metric_definitions (key, position, definition, version) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET position = excluded.position, "
                    "definition = excluded.definition, version = excluded.version",
                    (definition.key, definition.order, text, definition.version),
                )
                action = records.METRIC_ADDED if before is None else records.METRIC_CHANGED
                _append(self._conn, AuditEntry(at, by, action, "", definition.key, before, values))
                self._definitions_changed()

        try:
            _guard(self, save)
        finally:
            self._definitions_changed()

    def metric_has_data(self, key: str) -> bool:
        # No index leads with the metric: a scan that stops at the first row (an admin's question, rare).
        sql = "SELECT 1 FROM day_values WHERE metric = ? LIMIT 1"
        return _guard(self, lambda: self._conn.execute(sql, (key,)).fetchone()) is not None

"""Days: one row of ``stats`` per (team, date), upserted on that key; ranges read and summed through it.

The columns for the figures come from metrics.py (STORED_KEYS, ENTRY_KEYS, COMPONENT_KEYS)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from ... import records
from ...metrics import ENTRY_KEYS, legacy_range_sums, typed_entry
from ...metrics import LEGACY_STORED as STORED_KEYS
from ...metrics import LEGACY_SUMMED as COMPONENT_KEYS
from ...records import AuditEntry, DayRecord, RangeTotals
from .audit import _append
from .errors import _guard

_DAY_COLUMNS = ("team", "date", *STORED_KEYS, "updated_by", "updated_at")
UPSERT_SQL = (
    f"INSERT INTO stats ({', '.join(_DAY_COLUMNS)}) VALUES ({', '.join('?' * len(_DAY_COLUMNS))}) "
    f"ON CONFLICT (team, date) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _DAY_COLUMNS[2:])}"
)


def _day_params(record: DayRecord) -> tuple:
    values = {**record.entered, **record.components}
    return (
        record.team,
        record.day.isoformat(),
        *(values[k] for k in STORED_KEYS),
        record.updated_by,
        record.updated_at.isoformat(),
    )


# The distinct teams through the (team, date) key: one index seek per team (a skip scan), not a read
# of every record, so listing 100 teams costs the same whatever the years of days they hold.
TEAMS_SQL = (
    "WITH RECURSIVE found(team) AS (SELECT MIN(team) FROM stats UNION ALL "
    "SELECT (SELECT MIN(team) FROM stats WHERE team > found.team) FROM found WHERE found.team IS NOT NULL)"
)


def _day(row: tuple) -> DayRecord:
    team, day, *figures, updated_by, updated_at = row
    return DayRecord(
        team=team,
        day=date.fromisoformat(day),
        entered=typed_entry(dict(zip(ENTRY_KEYS, figures, strict=True))),
        updated_by=updated_by,
        updated_at=datetime.fromisoformat(updated_at),
    )


def _day_entry(before: DayRecord | None, after: DayRecord) -> AuditEntry:
    action = records.DAY_ADDED if before is None else records.DAY_CHANGED
    previous = None if before is None else dict(before.entered)
    return AuditEntry(
        after.updated_at, after.updated_by, action, after.team, after.day.isoformat(), previous, dict(after.entered)
    )


class Days:
    """SQLiteStore's days and range sums (see store.py)."""

    def metric_definitions(self):  # the built-ins until the store keeps definitions (issue 12, stores step)
        from ...builtin_metrics import BUILTIN_DEFINITIONS

        return tuple(sorted(BUILTIN_DEFINITIONS, key=lambda d: (d.order, d.key)))

    def upsert_day(self, record: DayRecord) -> None:
        def upsert() -> None:
            with self._conn:  # one transaction: the day and its audit entry, or neither
                self._conn.execute("BEGIN IMMEDIATE")
                before = next(self._select_days("team = ? AND date = ?", (record.team, record.day.isoformat())), None)
                self._conn.execute(UPSERT_SQL, _day_params(record))
                _append(self._conn, _day_entry(before, record))

        _guard(self, upsert)

    def upsert_days(self, records: Iterable[DayRecord]) -> int:
        def upsert() -> int:
            with self._conn:  # one transaction: all the days or none
                self._conn.execute("BEGIN IMMEDIATE")
                return self._conn.executemany(UPSERT_SQL, (_day_params(r) for r in records)).rowcount

        return _guard(self, upsert)

    def delete_day(self, team: str, day: date, by: str, at: datetime) -> bool:
        where = ("team = ? AND date = ?", (team, day.isoformat()))

        def delete() -> bool:
            with self._conn:  # one transaction: the deletion and its audit entry, or neither
                self._conn.execute("BEGIN IMMEDIATE")
                before = next(self._select_days(*where), None)
                if before is None:
                    return False
                self._conn.execute(f"DELETE FROM stats WHERE {where[0]}", where[1])
                figures = dict(before.entered)
                _append(self._conn, AuditEntry(at, by, records.DAY_DELETED, team, day.isoformat(), figures, None))
                return True

        return _guard(self, delete)

    def get_day(self, team: str, day: date) -> DayRecord | None:
        rows = self._select_days("team = ? AND date = ?", (team, day.isoformat()))
        return next(rows, None)

    def iter_days(self, team: str, start: date, end: date) -> Iterator[DayRecord]:
        return self._select_days(
            "team = ? AND date BETWEEN ? AND ? ORDER BY date", (team, start.isoformat(), end.isoformat())
        )

    def iter_all_days(self) -> Iterator[DayRecord]:
        return self._select_days("1 ORDER BY team, date", ())

    def _select_days(self, where: str, params: tuple) -> Iterator[DayRecord]:
        sql = f"SELECT team, date, {', '.join(ENTRY_KEYS)}, updated_by, updated_at FROM stats WHERE {where}"
        cursor = _guard(self, lambda: self._conn.execute(sql, params))
        while True:  # fetch in batches: a long range streams instead of loading at once
            rows = _guard(self, lambda: cursor.fetchmany(500))
            if not rows:
                return
            yield from (_day(row) for row in rows)

    def range_totals(self, team: str, start: date, end: date) -> RangeTotals:
        where, params = "team = ? AND date BETWEEN ? AND ?", (team, start.isoformat(), end.isoformat())
        # Integers summed exactly (SUM, not TOTAL, which sums in floating point).
        sums_sql = f"SELECT {', '.join(f'COALESCE(SUM({k}), 0)' for k in COMPONENT_KEYS)} FROM stats WHERE {where}"

        def read() -> tuple:
            # One read transaction, so the sums and the dates describe the same moment.
            with self._conn:
                self._conn.execute("BEGIN")
                sums = self._conn.execute(sums_sql, params).fetchone()
                dates = self._conn.execute(f"SELECT date FROM stats WHERE {where} ORDER BY date", params).fetchall()
            return sums, dates

        sums, dates = _guard(self, read)
        return RangeTotals(
            start=start,
            end=end,
            sums=legacy_range_sums(dict(zip(COMPONENT_KEYS, sums, strict=True))),
            days_with_data=tuple(date.fromisoformat(d) for (d,) in dates),
        )

    def team_range_totals(self, start: date, end: date, teams: Sequence[str] | None = None) -> dict[str, RangeTotals]:
        if teams is None:  # every team, each range read through the (team, date) key
            head, chosen, params = f"{TEAMS_SQL} ", "SELECT team FROM found", ()
        else:
            head, chosen, params = "", ", ".join("?" * len(teams)), tuple(teams)
        # Integers summed exactly (SUM, not TOTAL); each team's dates come along in the same row.
        sql = (
            f"{head}SELECT team, {', '.join(f'SUM({k})' for k in COMPONENT_KEYS)}, GROUP_CONCAT(date) FROM stats "
            f"WHERE team IN ({chosen}) AND date BETWEEN ? AND ? GROUP BY team ORDER BY team"
        )
        rows = _guard(self, lambda: self._conn.execute(sql, (*params, start.isoformat(), end.isoformat())).fetchall())
        return {
            team: RangeTotals(
                start,
                end,
                legacy_range_sums(dict(zip(COMPONENT_KEYS, sums, strict=True))),
                tuple(date.fromisoformat(d) for d in sorted(dates.split(","))),
            )
            for team, *sums, dates in rows
        }

"""Days: a header row of ``days`` per (team, date) (who changed it last, when) and one row of ``day_values``
per metric with a value that day, keyed (team, date, metric); ranges summed per metric in one GROUP BY.

A day's values are named by entry key in DayRecord.entered (metrics.entry_key: today's column for a
built-in) and by metric key in the table; the store's catalogue (definitions.py) converts.  The rows are
metric_kinds.stored_values over every definition of the store, retired ones too."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime

from ... import records
from ...records import AuditEntry, DayRecord, RangeTotals
from .audit import _append
from .errors import _guard

HEADER_SQL = (
    "INSERT INTO days (team, date, updated_by, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (team, date) DO UPDATE SET updated_by = excluded.updated_by, updated_at = excluded.updated_at"
)
VALUES_SQL = (
    "INSERT INTO day_values (team, date, metric, value, total, base) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (team, date, metric) DO UPDATE SET value = excluded.value, total = excluded.total, "
    "base = excluded.base"
)
DAY_VALUES_SQL = "SELECT metric, value FROM day_values WHERE team = ? AND date = ?"

# The distinct teams through the (team, date) key: one index seek per team (a skip scan), not a read
# of every record, so listing 100 teams costs the same whatever the years of days they hold.
TEAMS_SQL = (
    "WITH RECURSIVE found(team) AS (SELECT MIN(team) FROM days UNION ALL "
    "SELECT (SELECT MIN(team) FROM days WHERE team > found.team) FROM found WHERE found.team IS NOT NULL)"
)
# Integers summed exactly (SUM, not TOTAL, which sums in floating point); COUNT(*): the metric's days.
RANGE_SQL = (
    "SELECT metric, SUM(value), SUM(total), SUM(base), COUNT(*) FROM day_values "
    "WHERE team = ? AND date BETWEEN ? AND ? GROUP BY metric"
)


def _values(catalogue, entered: Mapping[str, int]) -> dict[str, int]:
    """A record's values by metric key; InvalidInput for a figure the store has no metric for (a copy
    from a store whose definitions were not copied first), rather than losing it."""
    values = catalogue.by_metric(entered)
    if len(values) != len(entered):  # one entry key per metric: a key went missing
        from ...errors import InvalidInput

        unknown = sorted(key for key in entered if not catalogue.by_metric({key: 0}))
        raise InvalidInput(f"The store has no metric for {', '.join(unknown)}: define it first.")
    return values


def _entered(catalogue, values: Mapping[str, int]) -> dict[str, int]:
    """A day's values by metric key as DayRecord.entered (by entry key), in the catalogue's order."""
    from ...metrics import entry_key

    return {entry_key(d): int(values[d.key]) for d in catalogue.definitions if d.key in values}


def _rows(catalogue, team: str, day: str, values: Mapping[str, int]) -> list[tuple]:
    """The day's rows of day_values, refused (InvalidInput) when the day can't be true: a share above its
    base, a duration or a share without its base that day."""
    from ...metric_kinds import check_day, stored_values

    check_day(catalogue.definitions, values)
    return [(team, day, metric, *row) for metric, row in stored_values(catalogue.definitions, values).items()]


def _day_entry(before: DayRecord | None, after: DayRecord) -> AuditEntry:
    action = records.DAY_ADDED if before is None else records.DAY_CHANGED
    previous = None if before is None else dict(before.entered)
    return AuditEntry(
        after.updated_at, after.updated_by, action, after.team, after.day.isoformat(), previous, dict(after.entered)
    )


class Days:
    """SQLiteStore's days and range sums (see store.py)."""

    def upsert_day(self, record: DayRecord) -> None:
        def upsert() -> None:
            with self._conn:  # one transaction: the day and its audit entry, or neither
                self._conn.execute("BEGIN IMMEDIATE")
                catalogue = self._catalogue()
                before = self._read_day(record.team, record.day)
                kept = {} if before is None else catalogue.by_metric(before.entered)
                values = {**kept, **_values(catalogue, record.entered)}
                self._write_day(catalogue, record, values)
                after = DayRecord(
                    record.team, record.day, _entered(catalogue, values), record.updated_by, record.updated_at
                )
                _append(self._conn, _day_entry(before, after))

        _guard(self, upsert)

    def upsert_days(self, records: Iterable[DayRecord]) -> int:
        def upsert() -> int:
            with self._conn:  # one transaction: all the days or none
                self._conn.execute("BEGIN IMMEDIATE")
                catalogue = self._catalogue()
                every = {d.key for d in catalogue.definitions if d.entered}
                count = 0
                for record in records:
                    values = _values(catalogue, record.entered)
                    if values.keys() != every:  # a metric absent keeps the day's value, if it has one
                        values = {**self._stored_values(record.team, record.day.isoformat()), **values}
                    self._write_day(catalogue, record, values)
                    count += 1
                return count

        return _guard(self, upsert)

    def _write_day(self, catalogue, record: DayRecord, values: Mapping[str, int]) -> None:
        day = record.day.isoformat()
        rows = _rows(catalogue, record.team, day, values)  # checked before anything is written
        self._conn.execute(HEADER_SQL, (record.team, day, record.updated_by, record.updated_at.isoformat()))
        self._conn.executemany(VALUES_SQL, rows)

    def _stored_values(self, team: str, day: str) -> dict[str, int]:
        return dict(self._conn.execute(DAY_VALUES_SQL, (team, day)).fetchall())

    def delete_day(self, team: str, day: date, by: str, at: datetime) -> bool:
        where = ("team = ? AND date = ?", (team, day.isoformat()))

        def delete() -> bool:
            with self._conn:  # one transaction: the deletion and its audit entry, or neither
                self._conn.execute("BEGIN IMMEDIATE")
                before = self._read_day(team, day)
                if before is None:
                    return False
                self._conn.execute(f"DELETE FROM day_values WHERE {where[0]}", where[1])
                self._conn.execute(f"DELETE FROM days WHERE {where[0]}", where[1])
                figures = dict(before.entered)
                _append(self._conn, AuditEntry(at, by, records.DAY_DELETED, team, day.isoformat(), figures, None))
                return True

        return _guard(self, delete)

    def get_day(self, team: str, day: date) -> DayRecord | None:
        return _guard(self, lambda: self._read_day(team, day))

    def _read_day(self, team: str, day: date) -> DayRecord | None:
        return next(self._select_days("d.team = ? AND d.date = ?", (team, day.isoformat())), None)

    def iter_days(self, team: str, start: date, end: date) -> Iterator[DayRecord]:
        return self._select_days("d.team = ? AND d.date BETWEEN ? AND ?", (team, start.isoformat(), end.isoformat()))

    def iter_all_days(self) -> Iterator[DayRecord]:
        return self._select_days("1", ())

    def _select_days(self, where: str, params: tuple) -> Iterator[DayRecord]:
        """The days matching ``where`` (over ``days d``) by team then date, each with its values: one
        query, the header joined to its rows, streamed in batches."""
        catalogue = _guard(self, self._catalogue)
        sql = (
            "SELECT d.team, d.date, d.updated_by, d.updated_at, v.metric, v.value FROM days d "
            "LEFT JOIN day_values v ON v.team = d.team AND v.date = d.date "
            f"WHERE {where} ORDER BY d.team, d.date"
        )
        cursor = _guard(self, lambda: self._conn.execute(sql, params))
        header, values = None, {}
        while True:  # fetch in batches: a long range streams instead of loading at once
            rows = _guard(self, lambda: cursor.fetchmany(500))
            if not rows:
                break
            for team, day, updated_by, updated_at, metric, value in rows:
                if header != (team, day, updated_by, updated_at):
                    if header is not None:
                        yield _record(catalogue, header, values)
                    header, values = (team, day, updated_by, updated_at), {}
                if metric is not None:
                    values[metric] = value
        if header is not None:
            yield _record(catalogue, header, values)

    def range_totals(self, team: str, start: date, end: date) -> RangeTotals:
        params = (team, start.isoformat(), end.isoformat())

        def read() -> tuple:
            # One read transaction, so the sums and the dates describe the same moment.
            with self._conn:
                self._conn.execute("BEGIN")
                catalogue = self._catalogue()
                sums = self._conn.execute(RANGE_SQL, params).fetchall()
                dates = self._conn.execute(
                    "SELECT date FROM days WHERE team = ? AND date BETWEEN ? AND ? ORDER BY date", params
                ).fetchall()
            return catalogue, sums, dates

        catalogue, sums, dates = _guard(self, read)
        return _totals(catalogue, start, end, sums, [d for (d,) in dates])

    def team_range_totals(self, start: date, end: date, teams: Sequence[str] | None = None) -> dict[str, RangeTotals]:
        if teams is None:  # every team, each range read through the (team, date) key
            head, chosen, params = f"{TEAMS_SQL} ", "SELECT team FROM found", ()
        else:
            head, chosen, params = "", ", ".join("?" * len(teams)), tuple(teams)
        params += (start.isoformat(), end.isoformat())
        where = f"team IN ({chosen}) AND date BETWEEN ? AND ?"
        sums_sql = (
            f"{head}SELECT team, metric, SUM(value), SUM(total), SUM(base), COUNT(*) FROM day_values "
            f"WHERE {where} GROUP BY team, metric"
        )
        dates_sql = f"{head}SELECT team, GROUP_CONCAT(date) FROM days WHERE {where} GROUP BY team ORDER BY team"

        def read() -> tuple:
            with self._conn:  # one read transaction: every team's sums and dates at the same moment
                self._conn.execute("BEGIN")
                catalogue = self._catalogue()
                sums = self._conn.execute(sums_sql, params).fetchall()
                dates = self._conn.execute(dates_sql, params).fetchall()
            return catalogue, sums, dates

        catalogue, sums, dates = _guard(self, read)
        per_team: dict[str, list] = {}
        for team, *row in sums:
            per_team.setdefault(team, []).append(row)
        return {
            team: _totals(catalogue, start, end, per_team.get(team, []), sorted(days.split(",")))
            for team, days in dates
        }


def _record(catalogue, header: tuple, values: Mapping[str, int]) -> DayRecord:
    team, day, updated_by, updated_at = header
    return DayRecord(
        team, date.fromisoformat(day), _entered(catalogue, values), updated_by, datetime.fromisoformat(updated_at)
    )


def _totals(catalogue, start: date, end: date, rows: Iterable[tuple], dates: Iterable[str]) -> RangeTotals:
    """RangeTotals from the GROUP BY's rows (metric, Σ value, Σ total, Σ base, days) and the dates."""
    from ...metrics import named_sums

    per_metric, days = {}, {}
    for metric, value, total, base, count in rows:
        per_metric[metric] = (value, total, base)
        days[metric] = count
    return RangeTotals(
        start=start,
        end=end,
        sums=named_sums(catalogue.definitions, per_metric),
        days_with_data=tuple(date.fromisoformat(d) for d in dates),
        metric_days={d.key: days.get(d.key, 0) for d in catalogue.definitions if d.entered},
    )

"""Days: a header row of ``days`` per (team, date) (who changed it last, when, the imports it came from)
and one row of ``day_values`` per metric with a value that day, keyed (team, date, metric); ranges summed
per metric in one GROUP BY.  A day's figures per agent are rows of ``agent_values`` keyed (team, date,
agent, metric), shaped like ``day_values``: the team's row of a metric with agent rows is their sum
(metric_kinds.combined_values), so a range of the team and the sum of its agents' agree to the digit.

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
    "INSERT INTO days (team, date, updated_by, updated_at, sources) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (team, date) DO UPDATE SET updated_by = excluded.updated_by, updated_at = excluded.updated_at, "
    "sources = excluded.sources"
)
AGENT_VALUES_SQL = (
    "INSERT INTO agent_values (team, date, agent, metric, value, total, base) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
DAY_AGENTS_SQL = "SELECT agent, metric, value FROM agent_values WHERE team = ? AND date = ?"
AGENT_RANGE_SQL = (
    "SELECT agent, metric, SUM(value), SUM(total), SUM(base), COUNT(*) FROM agent_values "
    "WHERE team = ? AND date BETWEEN ? AND ? GROUP BY agent, metric"
)
AGENT_DATES_SQL = (
    "SELECT agent, GROUP_CONCAT(DISTINCT date) FROM agent_values WHERE team = ? AND date BETWEEN ? AND ? "
    "GROUP BY agent ORDER BY agent"
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


class _Day:
    """What saving a record makes of a day: its values and agent values by metric key (the stored ones
    of metrics the record doesn't enter, then the record's), the team's rows of day_values (a metric with
    agent rows: their sum) and the agents' rows.  Refused (InvalidInput) before anything is written when
    the day or an agent's can't be true (a share above its base, a duration or a share without its base),
    or an agent has a figure of a metric the record doesn't enter."""

    def __init__(self, catalogue, record: DayRecord, kept: Mapping[str, int], kept_agents: Mapping) -> None:
        from ...metric_kinds import check_day, combined_values, stored_values
        from ..agent_rows import merged_agents

        definitions = catalogue.definitions
        entered = _values(catalogue, record.entered)
        self.written = tuple(entered)  # the metrics written whole: team value and agent rows
        given = {name: _values(catalogue, figures) for name, figures in record.agents.items()}
        agents = merged_agents(definitions, kept_agents, given, entered)
        combined = combined_values(definitions, agents.values())
        self.values = {**kept, **entered, **{metric: row[0] for metric, row in combined.items()}}
        check_day(definitions, self.values)
        self.rows = {**stored_values(definitions, self.values), **combined}
        self.agents = agents
        self.agent_rows = {name: stored_values(definitions, figures) for name, figures in agents.items()}

    def record(self, catalogue, record: DayRecord, sources: Mapping) -> DayRecord:
        agents = {name: _entered(catalogue, figures) for name, figures in sorted(self.agents.items())}
        return DayRecord(
            record.team,
            record.day,
            _entered(catalogue, self.values),
            record.updated_by,
            record.updated_at,
            agents,
            sources,
        )


def _day_entry(before: DayRecord | None, after: DayRecord) -> AuditEntry:
    action = records.DAY_ADDED if before is None else records.DAY_CHANGED
    return AuditEntry(
        after.updated_at,
        after.updated_by,
        action,
        after.team,
        after.day.isoformat(),
        records.day_values(before),
        records.day_values(after),
    )


def _by_metric(catalogue, agents: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {name: catalogue.by_metric(figures) for name, figures in agents.items()}


def _sources_text(sources: Mapping) -> str | None:
    from .columns import _json

    return _json({name: dict(source) for name, source in sources.items()}) if sources else None


class Days:
    """SQLiteStore's days and range sums (see store.py)."""

    def upsert_day(self, record: DayRecord) -> None:
        def upsert() -> None:
            with self._conn:  # one transaction: the day and its audit entry, or neither
                self._conn.execute("BEGIN IMMEDIATE")
                catalogue = self._catalogue()
                before = self._read_day(record.team, record.day)
                kept = {} if before is None else catalogue.by_metric(before.entered)
                kept_agents = {} if before is None else _by_metric(catalogue, before.agents)
                saved = _Day(catalogue, record, kept, kept_agents)
                sources = {**(before.sources if before else {}), **record.sources} if record.sources else {}
                self._write_day(record, saved, sources)
                _append(self._conn, _day_entry(before, saved.record(catalogue, record, sources)))

        _guard(self, upsert)

    def upsert_days(self, records: Iterable[DayRecord]) -> int:
        def upsert() -> int:
            with self._conn:  # one transaction: all the days or none
                self._conn.execute("BEGIN IMMEDIATE")
                catalogue = self._catalogue()
                every = {d.key for d in catalogue.definitions if d.entered}
                count = 0
                for record in records:
                    kept, kept_agents = {}, {}
                    if _values(catalogue, record.entered).keys() != every:  # absent metrics keep the day's
                        day = record.day.isoformat()
                        kept = self._stored_values(record.team, day)
                        kept_agents = self._stored_agents(record.team, day)
                    self._write_day(record, _Day(catalogue, record, kept, kept_agents), record.sources)
                    count += 1
                return count

        return _guard(self, upsert)

    def _write_day(self, record: DayRecord, saved: _Day, sources: Mapping) -> None:
        team, day = record.team, record.day.isoformat()
        header = (team, day, record.updated_by, record.updated_at.isoformat(), _sources_text(sources))
        self._conn.execute(HEADER_SQL, header)
        self._conn.executemany(VALUES_SQL, [(team, day, metric, *row) for metric, row in saved.rows.items()])
        written = ", ".join("?" * len(saved.written))
        self._conn.execute(
            f"DELETE FROM agent_values WHERE team = ? AND date = ? AND metric IN ({written})",
            (team, day, *saved.written),
        )
        self._conn.executemany(
            AGENT_VALUES_SQL,
            [
                (team, day, name, metric, *row)
                for name, rows in saved.agent_rows.items()
                for metric, row in rows.items()
                if metric in saved.written
            ],
        )

    def _stored_values(self, team: str, day: str) -> dict[str, int]:
        return dict(self._conn.execute(DAY_VALUES_SQL, (team, day)).fetchall())

    def _stored_agents(self, team: str, day: str) -> dict[str, dict[str, int]]:
        agents: dict[str, dict[str, int]] = {}
        for agent, metric, value in self._conn.execute(DAY_AGENTS_SQL, (team, day)):
            agents.setdefault(agent, {})[metric] = value
        return agents

    def delete_day(self, team: str, day: date, by: str, at: datetime) -> bool:
        where = ("team = ? AND date = ?", (team, day.isoformat()))

        def delete() -> bool:
            with self._conn:  # one transaction: the deletion and its audit entry, or neither
                self._conn.execute("BEGIN IMMEDIATE")
                before = self._read_day(team, day)
                if before is None:
                    return False
                for table in ("day_values", "agent_values", "days"):
                    self._conn.execute(f"DELETE FROM {table} WHERE {where[0]}", where[1])
                figures = records.day_values(before)
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
        """The days matching ``where`` (over ``days d``) by team then date, each with its values, agents
        and sources: the header joined to its rows, and the agent rows beside them in the same order,
        both streamed in batches."""
        catalogue = _guard(self, self._catalogue)
        sql = (
            "SELECT d.team, d.date, d.updated_by, d.updated_at, d.sources, v.metric, v.value FROM days d "
            "LEFT JOIN day_values v ON v.team = d.team AND v.date = d.date "
            f"WHERE {where} ORDER BY d.team, d.date"
        )
        agents_sql = f"SELECT d.team, d.date, d.agent, d.metric, d.value FROM agent_values d WHERE {where} "
        agents_sql += "ORDER BY d.team, d.date, d.agent"
        agent_rows = _batched(self, _guard(self, lambda: self._conn.execute(agents_sql, params)))
        pending = next(agent_rows, None)
        header, values = None, {}

        def finished() -> DayRecord:
            nonlocal pending
            agents: dict[str, dict[str, int]] = {}
            key = header[:2]
            while pending is not None and tuple(pending[:2]) < key:  # rows of no day: none, but never stall
                pending = next(agent_rows, None)
            while pending is not None and tuple(pending[:2]) == key:
                agents.setdefault(pending[2], {})[pending[3]] = pending[4]
                pending = next(agent_rows, None)
            return _record(catalogue, header, values, agents)

        for team, day, updated_by, updated_at, sources, metric, value in _batched(
            self, _guard(self, lambda: self._conn.execute(sql, params))
        ):
            if header != (team, day, updated_by, updated_at, sources):
                if header is not None:
                    yield finished()
                header, values = (team, day, updated_by, updated_at, sources), {}
            if metric is not None:
                values[metric] = value
        if header is not None:
            yield finished()

    def agent_range_totals(self, team: str, start: date, end: date) -> dict[str, RangeTotals]:
        params = (team, start.isoformat(), end.isoformat())

        def read() -> tuple:
            with self._conn:  # one read transaction: every agent's sums and dates at the same moment
                self._conn.execute("BEGIN")
                catalogue = self._catalogue()
                sums = self._conn.execute(AGENT_RANGE_SQL, params).fetchall()
                dates = self._conn.execute(AGENT_DATES_SQL, params).fetchall()
            return catalogue, sums, dates

        catalogue, sums, dates = _guard(self, read)
        per_agent: dict[str, list] = {}
        for agent, *row in sums:
            per_agent.setdefault(agent, []).append(row)
        return {
            agent: _totals(catalogue, start, end, per_agent.get(agent, []), sorted(days.split(",")))
            for agent, days in dates
        }

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


def _batched(store, cursor) -> Iterator[tuple]:
    """A cursor's rows fetched in batches: a long range streams instead of loading at once."""
    while True:
        rows = _guard(store, lambda: cursor.fetchmany(500))
        if not rows:
            return
        yield from rows


def _record(catalogue, header: tuple, values: Mapping[str, int], agents: Mapping[str, Mapping[str, int]]) -> DayRecord:
    import json

    team, day, updated_by, updated_at, sources = header
    return DayRecord(
        team,
        date.fromisoformat(day),
        _entered(catalogue, values),
        updated_by,
        datetime.fromisoformat(updated_at),
        {name: _entered(catalogue, figures) for name, figures in agents.items()},
        json.loads(sources) if sources else records.NO_SOURCES,
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

"""The embedded default store: one SQLite file, stdlib sqlite3, WAL journal.

The queries' columns for the figures come from metrics.py.  The schema carries its version in
PRAGMA user_version; ``MIGRATIONS[n]`` (SQL, or a function for changes SQL alone can't make
exactly) takes a database from version n to n + 1.  Migrations are history: written out in full,
never generated from today's metrics.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from .. import private, records
from ..auth import username_key
from ..errors import DuplicateUser, StoreUnavailable
from ..metrics import COMPONENT_KEYS, ENTRY_KEYS, STORED_KEYS, typed_entry
from ..records import AuditEntry, DayRecord, LoginState, RangeTotals, Target, User, target_values
from ..throttle import quiet_after
from .base import Store

BUSY_TIMEOUT_SECONDS = 5.0


SCHEMA_V1 = """
CREATE TABLE users (
    username_key  TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE TABLE stats (
    team TEXT NOT NULL,
    date TEXT NOT NULL,
    comments INTEGER NOT NULL, solves INTEGER NOT NULL, chats INTEGER NOT NULL,
    wait_seconds REAL NOT NULL, csat_percent REAL NOT NULL, csat_ratings INTEGER NOT NULL,
    wait_seconds_total REAL NOT NULL, csat_good INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (team, date)
) WITHOUT ROWID;
"""

# v2: access tokens for scripts (stored as SHA-256 of a random token; at most one per user).
SCHEMA_V2 = """
ALTER TABLE users ADD COLUMN token_hash TEXT;
CREATE UNIQUE INDEX users_token_hash ON users (token_hash);
"""

# v3: every figure an exact integer.  The wait is kept in tenths of a second (the typed wait, as its
# shortest decimal, rounded half up to the tenth); CSAT as positive of all ratings, keeping each day's
# stored count of positive ratings; the typed CSAT % goes.
STATS_V3 = """
CREATE TABLE stats (
    team TEXT NOT NULL,
    date TEXT NOT NULL,
    comments INTEGER NOT NULL, solves INTEGER NOT NULL, chats INTEGER NOT NULL,
    wait_tenths INTEGER NOT NULL, csat_ratings INTEGER NOT NULL, csat_good INTEGER NOT NULL,
    wait_tenths_total INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (team, date)
) WITHOUT ROWID
"""


def _exact_integers(conn: sqlite3.Connection) -> None:
    from ..exact import fraction_of, round_half_up

    conn.execute("ALTER TABLE stats RENAME TO stats_v2")
    conn.execute(STATS_V3)
    old = conn.execute(
        "SELECT team, date, comments, solves, chats, wait_seconds, csat_ratings, csat_good, updated_by, updated_at"
        " FROM stats_v2"
    )
    for team, day, comments, solves, chats, wait, ratings, good, by, at in old:
        tenths = int(round_half_up(fraction_of(repr(float(wait))) * 10))
        conn.execute(
            "INSERT INTO stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (team, day, comments, solves, chats, tenths, ratings, min(good, ratings), tenths * chats, by, at),
        )
    conn.execute("DROP TABLE stats_v2")


# v4: targets set in the app, one per team and range metric: at least ('>=') or at most ('<=') an exact
# decimal value, or 'none' (turned off in the app, overriding an environment default); who set it and when.
SCHEMA_V4 = """
CREATE TABLE targets (
    team      TEXT NOT NULL,
    metric    TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('>=', '<=', 'none')),
    value     TEXT CHECK ((value IS NULL) = (direction = 'none')),
    set_by    TEXT NOT NULL,
    set_at    TEXT NOT NULL,
    PRIMARY KEY (team, metric)
) WITHOUT ROWID
"""

# v5: the audit log, append-only: one row per change (when, who, what, the values before and after as
# JSON of exactly what the tables keep), written in the change's own transaction; triggers refuse
# any UPDATE or DELETE of a row.  (A function: the triggers' bodies hold semicolons.)
SCHEMA_V5 = (
    """CREATE TABLE audit (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    team    TEXT NOT NULL,
    subject TEXT NOT NULL,
    before  TEXT,
    after   TEXT
)""",
    "CREATE INDEX audit_at ON audit (at)",
    "CREATE INDEX audit_subject ON audit (team, subject)",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
)


def _audit_log(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA_V5:
        conn.execute(statement)


# v6: login throttling, one row per username key that failed or logged in (unknown names too, so they
# behave the same): the latest failures (ISO times, space-separated, at most throttle.LIMIT), the lock,
# the failures since the last successful login and that login; quiet_after: when an unknown name's row
# may be deleted; version: counts the writes (compare and set).
SCHEMA_V6 = """
CREATE TABLE logins (
    username_key TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    failures     TEXT NOT NULL,
    locked_until TEXT,
    lock_minutes INTEGER NOT NULL,
    failed_since INTEGER NOT NULL,
    last_login   TEXT,
    quiet_after  TEXT
) WITHOUT ROWID
"""

MIGRATIONS: tuple = (SCHEMA_V1, SCHEMA_V2, _exact_integers, SCHEMA_V4, _audit_log, SCHEMA_V6)

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


SCHEMA_VERSION = len(MIGRATIONS)
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


def _json(values) -> str | None:
    return None if values is None else json.dumps(values, sort_keys=True)


# The distinct teams through the (team, date) key: one index seek per team (a skip scan), not a read
# of every record, so listing 100 teams costs the same whatever the years of days they hold.
TEAMS_SQL = (
    "WITH RECURSIVE found(team) AS (SELECT MIN(team) FROM stats UNION ALL "
    "SELECT (SELECT MIN(team) FROM stats WHERE team > found.team) FROM found WHERE found.team IS NOT NULL)"
)


class SQLiteStore(Store):
    """Store on one SQLite file.  Each write is one statement in one transaction.

    The folder is created 0700 and the file 0600 (so are its -wal and -shm: SQLite gives them the
    file's mode); ``warnings`` names those that existed already readable by other users."""

    def __init__(self, path: Path, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.description = f"the data file {path}"
        self._conn = _guard(self, lambda: self._connect())

    def _connect(self) -> sqlite3.Connection:
        private.make_folder(self.path.parent)
        self.warnings = self._readable_by_others()
        private.create_file(self.path)
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            _migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _readable_by_others(self) -> tuple[str, ...]:
        """What other users can read of the folder, the file and its -wal and -shm, before we open them."""
        found = [private.readable_by_others(self.path.parent, "The data folder")]
        found += [
            private.readable_by_others(Path(f"{self.path}{end}"), "The data file") for end in ("", "-wal", "-shm")
        ]
        return tuple(sentence for sentence in found if sentence)

    # users
    def add_user(self, user: User, audit: bool = True) -> None:
        def insert() -> None:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute(
                    "INSERT INTO users (username_key, username, password_hash, created_at) VALUES (?, ?, ?, ?)",
                    (username_key(user.username), user.username, user.password_hash, user.created_at.isoformat()),
                )
                if audit:
                    _append(self._conn, _registered(user))
                # The name's failures from before it was a user's are not the new user's.
                self._conn.execute("DELETE FROM logins WHERE username_key = ?", (username_key(user.username),))

        try:
            _guard(self, insert)
        except sqlite3.IntegrityError:
            raise DuplicateUser(f"The username {user.username!r} is taken.") from None

    def get_user(self, username: str) -> User | None:
        row = _guard(
            self,
            lambda: self._conn.execute(
                "SELECT username, password_hash, created_at FROM users WHERE username_key = ?",
                (username_key(username),),
            ).fetchone(),
        )
        return _user(row) if row else None

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

    def get_login(self, username: str) -> tuple[User | None, LoginState]:
        key = username_key(username)

        def read() -> tuple:
            with self._conn:  # one read transaction: the user and the state of the same moment
                self._conn.execute("BEGIN")
                user = self._conn.execute(
                    "SELECT username, password_hash, created_at FROM users WHERE username_key = ?", (key,)
                ).fetchone()
                state = self._conn.execute(f"SELECT {_LOGIN_COLUMNS} FROM logins WHERE username_key = ?", (key,))
                return user, state.fetchone()

        user, state = _guard(self, read)
        return (_user(user) if user else None), (_login_state(state) if state else LoginState())

    def save_login_state(self, username: str, known: bool, expected: LoginState, state: LoginState) -> bool:
        key, quiet = username_key(username), quiet_after(state)
        values = (
            expected.version + 1,
            " ".join(t.isoformat() for t in state.failures),
            _iso(state.locked_until),
            state.lock_minutes,
            state.failed_since,
            _iso(state.last_login),
            _iso(quiet),
        )

        def write() -> bool:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                if quiet is not None:  # a failure: delete unknown names' rows that no longer matter
                    self._conn.execute(
                        "DELETE FROM logins WHERE (quiet_after IS NULL OR quiet_after < ?) AND username_key <> ? "
                        "AND username_key NOT IN (SELECT username_key FROM users)",
                        (state.failures[-1].isoformat() if state.failures else quiet.isoformat(), key),
                    )
                if expected.version == 0:
                    done = self._conn.execute(
                        f"INSERT INTO logins (username_key, {_LOGIN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (username_key) DO NOTHING",
                        (key, *values),
                    )
                else:
                    done = self._conn.execute(
                        "UPDATE logins SET version = ?, failures = ?, locked_until = ?, lock_minutes = ?, "
                        "failed_since = ?, last_login = ?, quiet_after = ? WHERE username_key = ? AND version = ?",
                        (*values, key, expected.version),
                    )
                return done.rowcount == 1

        return _guard(self, write)

    def get_user_by_token_hash(self, token_hash: str) -> User | None:
        row = _guard(
            self,
            lambda: self._conn.execute(
                "SELECT username, password_hash, created_at FROM users WHERE token_hash = ?", (token_hash,)
            ).fetchone(),
        )
        return _user(row) if row else None

    def iter_users(self) -> Iterator[User]:
        rows = _guard(
            self,
            lambda: self._conn.execute(
                "SELECT username, password_hash, created_at FROM users ORDER BY created_at, username_key"
            ).fetchall(),
        )
        return (_user(row) for row in rows)

    # days
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
            sums=dict(zip(COMPONENT_KEYS, sums, strict=True)),
            days_with_data=tuple(date.fromisoformat(d) for (d,) in dates),
        )

    def teams(self) -> tuple[str, ...]:
        sql = f"{TEAMS_SQL} SELECT team FROM found WHERE team IS NOT NULL"
        rows = _guard(self, lambda: self._conn.execute(sql).fetchall())
        return tuple(team for (team,) in rows)

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
                dict(zip(COMPONENT_KEYS, sums, strict=True)),
                tuple(date.fromisoformat(d) for d in sorted(dates.split(","))),
            )
            for team, *sums, dates in rows
        }

    # targets
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

    # the audit log
    def audit_since(self, since: datetime) -> list[AuditEntry]:
        return self._audit("at >= ? ORDER BY at, seq", (since.isoformat(),))

    def day_history(self, team: str, day: date) -> list[AuditEntry]:
        where = "team = ? AND subject = ? AND action IN (?, ?) ORDER BY seq"
        return self._audit(where, (team, day.isoformat(), records.DAY_ADDED, records.DAY_CHANGED))

    def _audit(self, where: str, params: tuple) -> list[AuditEntry]:
        sql = f"SELECT {_AUDIT_COLUMNS} FROM audit WHERE {where}"
        return [_entry(row) for row in _guard(self, lambda: self._conn.execute(sql, params).fetchall())]

    def close(self) -> None:
        self._conn.close()


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date.  The version is read again under the write lock, so several
    processes opening a new file at once (web sessions) migrate it exactly once."""
    if _schema_version(conn) == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for number in range(_schema_version(conn), SCHEMA_VERSION):
            migration = MIGRATIONS[number]
            if callable(migration):
                migration(conn)
            else:
                _run_script(conn, migration)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _schema_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreUnavailable(f"The data file was written by a newer Statbotic (schema {version}); please upgrade.")
    return version


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT first; run statement by statement inside our transaction instead.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


_LOGIN_COLUMNS = "version, failures, locked_until, lock_minutes, failed_since, last_login, quiet_after"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _login_state(row: tuple) -> LoginState:
    version, failures, locked_until, lock_minutes, failed_since, last_login, _ = row
    return LoginState(
        failures=tuple(datetime.fromisoformat(t) for t in failures.split()),
        locked_until=_when(locked_until),
        lock_minutes=lock_minutes,
        failed_since=failed_since,
        last_login=_when(last_login),
        version=version,
    )


def _user(row: tuple) -> User:
    return User(username=row[0], password_hash=row[1], created_at=datetime.fromisoformat(row[2]))


def _day(row: tuple) -> DayRecord:
    team, day, *figures, updated_by, updated_at = row
    return DayRecord(
        team=team,
        day=date.fromisoformat(day),
        entered=typed_entry(dict(zip(ENTRY_KEYS, figures, strict=True))),
        updated_by=updated_by,
        updated_at=datetime.fromisoformat(updated_at),
    )


def _registered(user: User) -> AuditEntry:
    return AuditEntry(user.created_at, user.username, records.USER_REGISTERED, "", user.username)


def _day_entry(before: DayRecord | None, after: DayRecord) -> AuditEntry:
    action = records.DAY_ADDED if before is None else records.DAY_CHANGED
    previous = None if before is None else dict(before.entered)
    return AuditEntry(
        after.updated_at, after.updated_by, action, after.team, after.day.isoformat(), previous, dict(after.entered)
    )


def _entry(row: tuple) -> AuditEntry:
    at, actor, action, team, subject, before, after = row
    load = lambda text: None if text is None else json.loads(text)  # noqa: E731
    return AuditEntry(datetime.fromisoformat(at), actor, action, team, subject, load(before), load(after))


def _target(row: tuple) -> Target:
    metric, direction, value, set_by, set_at = row
    return Target.from_stored(metric, direction, value, set_by, datetime.fromisoformat(set_at))


def _guard(store: SQLiteStore, operation):
    """Run a database operation, turning SQLite's failures into StoreUnavailable with advice."""
    try:
        return operation()
    except sqlite3.IntegrityError:
        raise
    except sqlite3.OperationalError as exc:
        full = _full_or_unwritable(store, exc)
        if full:
            raise StoreUnavailable(full) from exc
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise StoreUnavailable(
                f"The data file {store.path} is busy (locked by another program). Try again in a moment."
            ) from exc
        if "readonly" in text or "unable to open" in text:
            raise StoreUnavailable(
                f"Can't write the data file {store.path}. Check that the folder exists and "
                "is writable, or set STATBOTIC_DATA_DIR."
            ) from exc
        raise StoreUnavailable(f"The data file {store.path} could not be used ({exc}).") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreUnavailable(
            f"The data file {store.path} is damaged or is not a Statbotic database. "
            "Restore it from a backup or move it aside."
        ) from exc
    except (FileExistsError, NotADirectoryError) as exc:
        raise StoreUnavailable(
            f"{store.path.parent} is (or is inside) a file, not a folder. Point STATBOTIC_DATA_DIR at a folder."
        ) from exc
    except OSError as exc:
        raise StoreUnavailable(
            f"Can't use the data folder {store.path.parent}: {exc.strerror or exc}. Check STATBOTIC_DATA_DIR."
        ) from exc


# Writes the disk refused.  SQLite says SQLITE_FULL only for ENOSPC or a short write; a disk quota
# (EDQUOT), a file size limit (EFBIG) or a failed fsync come back as a bare "disk I/O error".
_WRITE_FAILURES = frozenset(
    (
        sqlite3.SQLITE_IOERR_WRITE,
        sqlite3.SQLITE_IOERR_FSYNC,
        sqlite3.SQLITE_IOERR_DIR_FSYNC,
        sqlite3.SQLITE_IOERR_TRUNCATE,
        sqlite3.SQLITE_IOERR_SHMSIZE,
    )
)


def _full_or_unwritable(store: SQLiteStore, exc: sqlite3.OperationalError) -> str | None:
    """The message for a full disk or a write the disk refused, naming the folder; None for other failures."""
    folder = store.path.parent
    if exc.sqlite_errorcode == sqlite3.SQLITE_FULL:
        return (
            f"The disk holding the data folder {folder} is full. "
            "Free some space, or set STATBOTIC_DATA_DIR to a folder on another disk."
        )
    if exc.sqlite_errorcode in _WRITE_FAILURES:
        return (
            f"Can't write to the data folder {folder}: the disk is full or can't be written (disk I/O error). "
            "Free some space or check the disk, or set STATBOTIC_DATA_DIR to another folder."
        )
    return None

"""The embedded default store: one SQLite file, stdlib sqlite3, WAL journal.

The queries' columns for the figures come from metrics.py.  The schema carries its version in
PRAGMA user_version; ``MIGRATIONS[n]`` (SQL, or a function for changes SQL alone can't make
exactly) takes a database from version n to n + 1.  Migrations are history: written out in full,
never generated from today's metrics.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

from .. import private, records
from ..auth import username_key
from ..errors import DuplicateTeam, DuplicateUser, InvalidInput, LastAdmin, StoreUnavailable
from ..frozen import replace
from ..metrics import COMPONENT_KEYS, ENTRY_KEYS, STORED_KEYS, typed_entry
from ..records import (
    AuditEntry,
    DayRecord,
    Invite,
    LoginState,
    RangeTotals,
    Registration,
    Target,
    Team,
    User,
    invite_values,
    registration_values,
    target_values,
    user_values,
)
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

# v7: people.  Users gain the store-wide admin flag, disabled, an e-mail address and a one-time reset code
# (its SHA-256 and expiry).  Teams become records (name keys days and targets; display_name is what a
# rename changes).  A user's role per team is a row of memberships (not a JSON column: "who is in team X"
# stays an indexed read, and this migration grants every role with one INSERT ... SELECT).  The registration
# setting is a JSON value in settings (no row: Registration(), invite only).  Invites are kept by their
# code's hash.  Existing data: a team record for each team that has days or targets, created at its earliest
# day's or target's change (the oldest moment the store knows it existed); the oldest user (created_at, then
# name) becomes the admin; every user becomes a lead of every team (before this, everyone could change every
# figure: nobody loses what they could do).  No registration row is written.
SCHEMA_V7 = """
ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN reset_hash TEXT;
ALTER TABLE users ADD COLUMN reset_expires TEXT;
CREATE TABLE teams (
    name         TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    created_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE memberships (
    username_key TEXT NOT NULL,
    team         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('viewer', 'lead')),
    PRIMARY KEY (username_key, team)
) WITHOUT ROWID;
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE invites (
    code_hash  TEXT PRIMARY KEY,
    team       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'lead')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by    TEXT,
    used_at    TEXT
) WITHOUT ROWID;
INSERT INTO teams (name, display_name, created_at)
    SELECT team, team, MIN(at)
    FROM (SELECT team, updated_at AS at FROM stats UNION ALL SELECT team, set_at AS at FROM targets)
    GROUP BY team;
UPDATE users SET admin = 1
    WHERE username_key = (SELECT username_key FROM users ORDER BY created_at, username_key LIMIT 1);
INSERT INTO memberships (username_key, team, role) SELECT username_key, name, 'lead' FROM users, teams
"""

MIGRATIONS: tuple = (SCHEMA_V1, SCHEMA_V2, _exact_integers, SCHEMA_V4, _audit_log, SCHEMA_V6, SCHEMA_V7)

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
    """Store on one SQLite file.  Each write is one transaction, with its audit entry when it has one.

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
    def add_user(self, user: User, audit: bool = True, by: str | None = None) -> None:
        def insert() -> None:
            with self._conn:  # one transaction: the user, their teams and the audit entry, or none of them
                self._conn.execute("BEGIN IMMEDIATE")
                _insert_user(self._conn, user)
                if audit:
                    _append(self._conn, _user_added(user, by))

        _guard(self, insert)

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

    def has_users(self) -> bool:
        return bool(_guard(self, lambda: self._conn.execute(HAS_USERS_SQL).fetchone()[0]))

    def update_user(
        self,
        username: str,
        *,
        by: str,
        at: datetime,
        admin: bool | None = None,
        teams: Mapping[str, str] | None = None,
        disabled: bool | None = None,
    ) -> User | None:
        changes = {"admin": admin, "teams": None if teams is None else _teams(teams.items()), "disabled": disabled}
        changes = {name: value for name, value in changes.items() if value is not None}
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
                    "UPDATE users SET admin = ?, disabled = ? WHERE username_key = ?",
                    (int(after.admin), int(after.disabled), key),
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

    def get_login(self, username: str) -> tuple[User | None, LoginState]:
        key = username_key(username)

        def read() -> tuple:
            with self._conn:  # one read transaction: the user and the state of the same moment
                self._conn.execute("BEGIN")
                user = _read_user(self._conn, "username_key = ?", (key,))
                state = self._conn.execute(f"SELECT {_LOGIN_COLUMNS} FROM logins WHERE username_key = ?", (key,))
                return user, state.fetchone()

        user, state = _guard(self, read)
        return user, (_login_state(state) if state else LoginState())

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
        return _guard(self, lambda: _read_user(self._conn, "token_hash = ?", (token_hash,)))

    def iter_users(self) -> Iterator[User]:
        sql = f"{USER_SQL} ORDER BY created_at, username_key"
        rows = _guard(self, lambda: self._conn.execute(sql).fetchall())
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
            sums=dict(zip(COMPONENT_KEYS, sums, strict=True)),
            days_with_data=tuple(date.fromisoformat(d) for (d,) in dates),
        )

    # teams
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

    # registration and invites
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

    def add_invite(self, invite: Invite) -> None:
        def insert() -> None:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.execute(
                        f"INSERT INTO invites ({_INVITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            invite.code_hash,
                            invite.team,
                            invite.role,
                            invite.created_by,
                            invite.created_at.isoformat(),
                            invite.expires_at.isoformat(),
                            invite.used_by,
                            _iso(invite.used_at),
                        ),
                    )
                except sqlite3.IntegrityError:
                    raise InvalidInput("That invite code is in use already: issue another.") from None
                entry = AuditEntry(
                    invite.created_at, invite.created_by, records.INVITE_ISSUED, invite.team, "invite", None,
                    invite_values(invite),
                )  # fmt: skip
                _append(self._conn, entry)

        _guard(self, insert)

    def get_invite(self, code_hash: str) -> Invite | None:
        return _guard(self, lambda: _read_invite(self._conn, code_hash))

    def redeem_invite(self, user: User, code_hash: str, now: datetime) -> Invite | None:
        def redeem() -> Invite | None:
            with self._conn:  # one transaction: the user, the invite spent, both entries; or nothing
                self._conn.execute("BEGIN IMMEDIATE")
                invite = _read_invite(self._conn, code_hash)
                if invite is None or invite.used_by is not None or invite.expires_at <= now:
                    return None
                member = replace(user, admin=False, teams=_teams([(invite.team, invite.role)]))
                _insert_user(self._conn, member)  # DuplicateUser rolls the whole transaction back
                self._conn.execute(
                    "UPDATE invites SET used_by = ?, used_at = ? WHERE code_hash = ?",
                    (member.username, now.isoformat(), code_hash),
                )
                _append(self._conn, _user_added(member, None))
                used = {**invite_values(invite), "used_by": member.username}
                entry = AuditEntry(now, member.username, records.INVITE_USED, invite.team, "invite", None, used)
                _append(self._conn, entry)
                return invite

        return _guard(self, redeem)

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
        where = "team = ? AND subject = ? AND action IN (?, ?, ?) ORDER BY seq"
        actions = (records.DAY_ADDED, records.DAY_CHANGED, records.DAY_DELETED)
        return self._audit(where, (team, day.isoformat(), *actions))

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


# A user with every field; their teams in the same statement (one snapshot, the memberships' key).
USER_SQL = (
    "SELECT username, password_hash, created_at, admin, disabled, email, (SELECT json_group_object(team, role) "
    "FROM memberships WHERE memberships.username_key = users.username_key) FROM users"
)
HAS_USERS_SQL = "SELECT EXISTS (SELECT 1 FROM users)"


def _read_user(conn: sqlite3.Connection, where: str, params: tuple) -> User | None:
    row = conn.execute(f"{USER_SQL} WHERE {where}", params).fetchone()
    return _user(row) if row else None


def _user(row: tuple) -> User:
    username, password_hash, created_at, admin, disabled, email, teams = row
    return User(
        username=username,
        password_hash=password_hash,
        created_at=datetime.fromisoformat(created_at),
        admin=bool(admin),
        teams=_teams(json.loads(teams).items()),
        disabled=bool(disabled),
        email=email,
    )


def _teams(pairs: Iterable[tuple[str, str]]) -> Mapping[str, str]:
    """A user's team -> role mapping as records hold it: by team name, read-only."""
    return MappingProxyType(dict(sorted(pairs)))


def _insert_user(conn: sqlite3.Connection, user: User) -> None:
    """Insert the user and their teams, inside the caller's transaction; DuplicateUser if the name is taken."""
    key = username_key(user.username)
    try:
        conn.execute(
            "INSERT INTO users (username_key, username, password_hash, created_at, admin, disabled, email) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, user.username, user.password_hash, user.created_at.isoformat(), int(user.admin),
             int(user.disabled), user.email),
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


def _enabled_admin(user: User) -> bool:
    return user.admin and not user.disabled


def _other_admins(conn: sqlite3.Connection, key: str) -> bool:
    """Whether an enabled admin other than the user with this key exists."""
    sql = "SELECT EXISTS (SELECT 1 FROM users WHERE admin = 1 AND disabled = 0 AND username_key <> ?)"
    return bool(conn.execute(sql, (key,)).fetchone()[0])


def _user_added(user: User, by: str | None) -> AuditEntry:
    """USER_REGISTERED by the user, or USER_ADDED by the admin ``by``."""
    action, actor = (records.USER_REGISTERED, user.username) if by is None else (records.USER_ADDED, by)
    return AuditEntry(user.created_at, actor, action, "", user.username, None, user_values(user))


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


_INVITE_COLUMNS = "code_hash, team, role, created_by, created_at, expires_at, used_by, used_at"


def _read_invite(conn: sqlite3.Connection, code_hash: str) -> Invite | None:
    row = conn.execute(f"SELECT {_INVITE_COLUMNS} FROM invites WHERE code_hash = ?", (code_hash,)).fetchone()
    if row is None:
        return None
    code, team, role, created_by, created_at, expires_at, used_by, used_at = row
    when = datetime.fromisoformat
    return Invite(code, team, role, created_by, when(created_at), when(expires_at), used_by, _when(used_at))


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

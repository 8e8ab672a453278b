"""The SQLite file's schema: its versions and how a file is brought up to date.

The schema carries its version in PRAGMA user_version; ``MIGRATIONS[n]`` (SQL, or a function for
changes SQL alone can't make exactly) takes a database from version n to n + 1.  Migrations are
history: written out in full, never generated from today's metrics.
"""

from __future__ import annotations

import sqlite3

from ...errors import StoreUnavailable

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
    from ...exact import fraction_of, round_half_up

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


SCHEMA_VERSION = len(MIGRATIONS)


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

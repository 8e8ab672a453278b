"""The SQLite file's schema: its versions and how a file is brought up to date.

The schema carries its version in PRAGMA user_version; ``MIGRATIONS[n]`` (SQL, or a function for
changes SQL alone can't make exactly) takes a database from version n to n + 1.  Migrations are
history: written out in full, never generated from today's metrics.
"""

from __future__ import annotations

import json
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


# v8: metrics as data (issue 12).  The store keeps its metric definitions (``definition``: the JSON of
# metric_kinds.definition_values; ``position``: the admin's order; ``version``: raised by each change) and
# each day as a header (who changed it last, when) and one row per metric with a value that day: the
# entered integer and, by kind, a duration's total (value x items) and a duration's items or a share's
# base that day (metric_kinds.stored_values).  A metric without a value that day has no row: no data,
# never a zero.  Existing data: the seven built-in definitions as they were at schema 8 (written out
# below, never read from today's builtin_metrics), and each day of ``stats`` copied, its six columns as
# the six entered built-ins; in the same transaction every team's sums of the six columns are checked
# against the new rows' before ``stats`` is dropped.  The audit log is left as it is (a day's entries
# already name its figures by the same keys).
SCHEMA_V8 = """
CREATE TABLE metric_definitions (
    key        TEXT PRIMARY KEY,
    position   INTEGER NOT NULL,
    definition TEXT NOT NULL,
    version    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE days (
    team       TEXT NOT NULL,
    date       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (team, date)
) WITHOUT ROWID;
CREATE TABLE day_values (
    team   TEXT NOT NULL,
    date   TEXT NOT NULL,
    metric TEXT NOT NULL,
    value  INTEGER NOT NULL,
    total  INTEGER,
    base   INTEGER,
    PRIMARY KEY (team, date, metric)
) WITHOUT ROWID
"""

# The built-in definitions schema 8 seeds: (key, position, definition_values as JSON).
BUILTINS_V8 = (
    (
        "comments",
        1,
        '{"alias": "", "bases": [], "column": "Comments", "direction": ">=", "entry_column": "", '
        '"entry_label": "", "formula_text": "", "key": "comments", "kind": "count", '
        '"label": "Ticket public comments", "listed": true, "maximum": 1000000, "min_sample": 0, '
        '"minimum": 0, "noun": "comments", "option": "", "order": 1, "places": 0, '
        '"prompt": "Ticket public comments", "retired": false, "source": "Zendesk", "target": null, '
        '"target_setting": null, "teams": [], "usually_within": null, "version": 1}',
    ),
    (
        "solves",
        2,
        '{"alias": "", "bases": [], "column": "Solves", "direction": ">=", "entry_column": "", '
        '"entry_label": "", "formula_text": "", "key": "solves", "kind": "count", "label": "Ticket solves", '
        '"listed": true, "maximum": 1000000, "min_sample": 0, "minimum": 0, "noun": "", "option": "", '
        '"order": 2, "places": 0, "prompt": "Ticket solves", "retired": false, "source": "Zendesk", '
        '"target": null, "target_setting": null, "teams": [], "usually_within": null, "version": 1}',
    ),
    (
        "chats",
        3,
        '{"alias": "", "bases": [], "column": "Chats", "direction": ">=", "entry_column": "", '
        '"entry_label": "", "formula_text": "", "key": "chats", "kind": "count", "label": "Live chats", '
        '"listed": true, "maximum": 1000000, "min_sample": 0, "minimum": 0, "noun": "chats", "option": "", '
        '"order": 3, "places": 0, "prompt": "Live chats", "retired": false, "source": "Intercom", '
        '"target": null, "target_setting": null, "teams": [], "usually_within": null, "version": 1}',
    ),
    (
        "wait_seconds",
        4,
        '{"alias": "wait", "bases": ["chats"], "column": "Wait", "direction": "<=", "entry_column": "", '
        '"entry_label": "", '
        '"formula_text": "sum of (wait in tenths of a second x chats) / sum of chats / 10", '
        '"key": "wait_seconds", "kind": "duration", "label": "Average chat wait", "listed": true, '
        '"maximum": 86400, "min_sample": 0, "minimum": 0, "noun": "", "option": "", "order": 4, "places": 1, '
        '"prompt": "Average chat wait (e.g. 65, 1:05 or 1m 5s)", "retired": false, "source": "Intercom", '
        '"target": null, "target_setting": null, "teams": [], "usually_within": null, "version": 1}',
    ),
    (
        "csat_ratings",
        5,
        '{"alias": "ratings", "bases": [], "column": "Rated", "direction": ">=", "entry_column": "", '
        '"entry_label": "", "formula_text": "", "key": "csat_ratings", "kind": "count", '
        '"label": "CSAT ratings", "listed": false, "maximum": 1000000, "min_sample": 0, "minimum": 0, '
        '"noun": "ratings", "option": "", "order": 5, "places": 0, '
        '"prompt": "CSAT ratings (conversations rated)", "retired": false, "source": "Intercom", '
        '"target": null, "target_setting": null, "teams": [], "usually_within": "chats", "version": 1}',
    ),
    (
        "csat_percent",
        6,
        '{"alias": "csat", "bases": ["csat_ratings"], "column": "CSAT", "direction": ">=", '
        '"entry_column": "Positive", "entry_label": "Positive CSAT ratings", '
        '"formula_text": "100 x sum of positive ratings / sum of ratings", "key": "csat_percent", '
        '"kind": "share", "label": "Chat CSAT", "listed": true, "maximum": 1000000, "min_sample": 30, '
        '"minimum": 0, "noun": "positive", "option": "--positive", "order": 6, "places": 1, '
        '"prompt": "Positive CSAT ratings (4 or 5 stars; or a %, e.g. 96%)", "retired": false, '
        '"source": "Intercom", "target": "95", "target_setting": "STATBOTIC_TARGET_CSAT", "teams": [], '
        '"usually_within": null, "version": 1}',
    ),
    (
        "comments_per_solve",
        7,
        '{"alias": "comments-per-solve", "bases": ["comments", "solves"], "column": "C/S", '
        '"direction": "<=", "entry_column": "", "entry_label": "", '
        '"formula_text": "sum of comments / sum of solves (ideal 1, good 2)", "key": "comments_per_solve", '
        '"kind": "ratio", "label": "Public comments per solve", "listed": true, "maximum": 1000000, '
        '"min_sample": 0, "minimum": 0, "noun": "", "option": "", "order": 7, "places": 2, "prompt": "", '
        '"retired": false, "source": "", "target": "2", '
        '"target_setting": "STATBOTIC_TARGET_COMMENTS_PER_SOLVE", "teams": [], "usually_within": null, '
        '"version": 1}',
    ),
)

# Schema 7's entered columns -> the built-in metric each one is the value of.
COLUMNS_V7 = (
    ("comments", "comments"),
    ("solves", "solves"),
    ("chats", "chats"),
    ("wait_tenths", "wait_seconds"),
    ("csat_ratings", "csat_ratings"),
    ("csat_good", "csat_percent"),
)


def _metrics_as_data(conn: sqlite3.Connection) -> None:
    from ...metric_kinds import definition_from_values, stored_values

    _run_script(conn, SCHEMA_V8)
    conn.executemany("INSERT INTO metric_definitions VALUES (?, ?, ?, 1)", BUILTINS_V8)
    definitions = tuple(definition_from_values(json.loads(text)) for _, _, text in BUILTINS_V8)
    columns = ", ".join(column for column, _ in COLUMNS_V7)
    conn.execute("INSERT INTO days SELECT team, date, updated_by, updated_at FROM stats")
    old = conn.execute(f"SELECT team, date, {columns} FROM stats")
    while rows := old.fetchmany(1000):
        conn.executemany(
            "INSERT INTO day_values VALUES (?, ?, ?, ?, ?, ?)",
            [
                (team, day, metric, *stored)
                for team, day, *values in rows
                for metric, stored in stored_values(
                    definitions, {metric: value for (_, metric), value in zip(COLUMNS_V7, values, strict=True)}
                ).items()
            ],
        )
    _check_sums_v8(conn, definitions)
    conn.execute("DROP TABLE stats")


def _check_sums_v8(conn: sqlite3.Connection, definitions: tuple) -> None:
    """Every team's sums of schema 7's columns equal its sums through the new rows (the figures of every
    report unchanged), or the migration stops (and is rolled back) naming the team."""
    from ...metrics import named_sums

    old_sql = (
        "SELECT team, COUNT(*), SUM(comments), SUM(solves), SUM(chats), SUM(wait_tenths_total), SUM(csat_ratings),"
        " SUM(csat_good) FROM stats GROUP BY team"
    )
    old = {team: figures for team, *figures in conn.execute(old_sql)}
    per_metric: dict[str, dict] = {}
    new_sql = "SELECT team, metric, SUM(value), SUM(total), SUM(base) FROM day_values GROUP BY team, metric"
    for team, metric, *sums in conn.execute(new_sql):
        per_metric.setdefault(team, {})[metric] = tuple(sums)
    new_days = dict(conn.execute("SELECT team, COUNT(*) FROM days GROUP BY team").fetchall())
    for team in sorted(set(old) | set(per_metric) | set(new_days)):
        days, comments, solves, chats, wait_total, ratings, good = old.get(team, (0,) * 7)
        sums = named_sums(definitions, per_metric.get(team, {}))
        expected = {
            "comments": comments,
            "solves": solves,
            "chats": chats,
            "wait_tenths_total": wait_total,
            "wait_seconds.items": chats,
            "csat_ratings": ratings,
            "csat_good": good,
            "csat_percent.base": ratings,
        }
        if new_days.get(team, 0) != days or sums != expected:
            raise StoreUnavailable(
                f"Updating the data file to schema 8 stopped: team {team!r}'s sums would change "
                f"({expected} became {sums}). Nothing was changed; please report this."
            )


# Schema 9 (issue 13): figures per agent, the imports a day came from, and the agent a user is.
# ``agent_values`` holds a day's rows per agent, shaped like ``day_values`` (the team's row of a metric
# with agent rows is their sum); ``days.sources`` the day's imports as JSON (NULL: typed); ``users.agent``
# the agent whose figures are the user's own.
SCHEMA_V9 = """
CREATE TABLE agent_values (
    team   TEXT NOT NULL,
    date   TEXT NOT NULL,
    agent  TEXT NOT NULL,
    metric TEXT NOT NULL,
    value  INTEGER NOT NULL,
    total  INTEGER,
    base   INTEGER,
    PRIMARY KEY (team, date, agent, metric)
) WITHOUT ROWID;
ALTER TABLE days ADD COLUMN sources TEXT;
ALTER TABLE users ADD COLUMN agent TEXT
"""


# Schema 10 (issue 14): share links.  A share is a read-only link to one team's report of fixed dates:
# ``id`` is its short public name (list, revoke), ``token_hash`` the SHA-256 of its 256-bit token (the
# token itself is never stored); ``first_day``..``last_day`` with the period's label and unit as shared;
# who made it and when; when it expires; and, once revoked, when and by whom.
SCHEMA_V10 = """
CREATE TABLE shares (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    team       TEXT NOT NULL,
    first_day  TEXT NOT NULL,
    last_day   TEXT NOT NULL,
    label      TEXT NOT NULL,
    unit       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_by TEXT
) WITHOUT ROWID;
CREATE INDEX shares_team ON shares (team, created_at)
"""

MIGRATIONS: tuple = (
    SCHEMA_V1,
    SCHEMA_V2,
    _exact_integers,
    SCHEMA_V4,
    _audit_log,
    SCHEMA_V6,
    SCHEMA_V7,
    _metrics_as_data,
    SCHEMA_V9,
    SCHEMA_V10,
)


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

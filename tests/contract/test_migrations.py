"""Stores made by earlier versions migrate in place: nothing lost, every figure an exact integer.

Schema 2 kept the typed wait as a float and the typed CSAT % beside the stored count of good ratings;
schema 3 keeps the wait in tenths of a second (the typed decimal, rounded half up) and the stored count;
schema 4 adds the targets set in the app; schema 5 the audit log; schema 6 the login throttling state (a
table, empty at first); schema 7 people: teams as records, roles per team, the admin, registration, invites;
schema 8 metrics as data: the built-in definitions, and each day's six columns as one row per metric.
"""

import sqlite3
from datetime import UTC, date, datetime

import pytest

from statbotic.builtin_metrics import BUILTIN_DEFINITIONS
from statbotic.errors import LastAdmin, StoreUnavailable
from statbotic.metrics import Direction, Goal
from statbotic.records import LEAD, DayRecord, LoginState, Registration, Target, Team, User
from statbotic.storage.sqlite import SQLiteStore
from statbotic.storage.sqlite.schema import MIGRATIONS, SCHEMA_VERSION

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
# (date, comments, solves, chats, wait typed, CSAT % typed, ratings, good ratings stored by v2)
OLD_DAYS = [
    ("2026-03-01", 40, 20, 30, 45.0, 96.0, 25, 24),
    ("2026-03-02", 52, 12, 110, 111.8181, 90.4, 52, 47),
    ("2026-03-03", 7, 7, 3, 12.25, 66.7, 3, 2),
    ("2026-03-04", 0, 0, 0, 0.0, 0.0, 0, 0),
]


def converted(day: str, comments: int, solves: int, chats: int, tenths: int, ratings: int, good: int) -> DayRecord:
    entered = dict(
        comments=comments, solves=solves, chats=chats, wait_tenths=tenths, csat_ratings=ratings, csat_good=good
    )
    return DayRecord("default", date.fromisoformat(day), entered, "dana", NOW)


EXPECTED = [
    converted("2026-03-01", 40, 20, 30, 450, 25, 24),
    converted("2026-03-02", 52, 12, 110, 1118, 52, 47),
    converted("2026-03-03", 7, 7, 3, 123, 3, 2),  # 12.25 s is 122.5 tenths: half up
    converted("2026-03-04", 0, 0, 0, 0, 0, 0),
]


def test_a_version_2_sqlite_file_keeps_every_day_as_exact_integers(tmp_path):
    path = tmp_path / "statbotic.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0] + MIGRATIONS[1])
    old.execute(
        "INSERT INTO users (username_key, username, password_hash, created_at) VALUES ('dana', 'dana', 'x', ?)",
        (NOW.isoformat(),),
    )
    for day, comments, solves, chats, wait, percent, ratings, good in OLD_DAYS:
        old.execute(
            "INSERT INTO stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                "default",
                day,
                comments,
                solves,
                chats,
                wait,
                percent,
                ratings,
                wait * chats,
                good,
                "dana",
                NOW.isoformat(),
            ),
        )
    old.execute("PRAGMA user_version = 2")
    old.commit()
    old.close()

    store = SQLiteStore(path)
    assert list(store.iter_all_days()) == EXPECTED
    sums = store.range_totals("default", date(2026, 3, 1), date(2026, 3, 31)).sums
    assert sums["wait_tenths_total"] == 450 * 30 + 1118 * 110 + 123 * 3
    assert sums["csat_good"] == 73 and sums["csat_ratings"] == 80
    assert store.get_user("dana") is not None
    store.close()
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(stats)")]
    assert "csat_percent" not in columns and "wait_seconds" not in columns


def test_a_version_3_sqlite_file_opens_at_the_current_version_with_its_days_intact_and_no_targets(tmp_path):
    path = tmp_path / "statbotic.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(MIGRATIONS[0] + MIGRATIONS[1])
    MIGRATIONS[2](old)
    for record in EXPECTED:
        entered = record.entered
        old.execute(
            "INSERT INTO stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.team,
                record.day.isoformat(),
                *(entered[k] for k in ("comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good")),
                entered["wait_tenths"] * entered["chats"],  # as the old schema stored it
                record.updated_by,
                record.updated_at.isoformat(),
            ),
        )
    old.execute("PRAGMA user_version = 3")
    old.close()

    store = SQLiteStore(path)
    assert list(store.iter_all_days()) == EXPECTED
    assert store.get_targets("default") == {}
    store.set_target("default", Target("csat_percent", Goal(Direction.AT_LEAST, 96), "dana", NOW))
    assert store.get_targets("default")["csat_percent"].goal == Goal(Direction.AT_LEAST, 96)
    assert store.get_login("dana") == (None, LoginState())
    store.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10


def version_file(tmp_path, version: int, *statements: tuple):
    """A data file as Statbotic left it at schema ``version``, with these (sql, params) run in it."""
    path = tmp_path / "statbotic.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:version]:
        if callable(migration):
            migration(old)
        else:
            old.executescript(migration)
    for sql, params in statements:
        old.execute(sql, params)
    old.execute(f"PRAGMA user_version = {version}")
    old.close()
    return path


def version_4_file(tmp_path, *statements: tuple):
    """A data file as Statbotic left it at schema 4, with these (sql, params) run in it."""
    return version_file(tmp_path, 4, *statements)


def test_a_version_4_sqlite_file_gets_an_empty_audit_log_and_its_days_first_change_keeps_the_before(tmp_path):
    store = SQLiteStore(version_4_file(tmp_path))
    store.upsert_days(EXPECTED)  # a bulk load: not audited
    assert store.audit_since(NOW.replace(year=2000)) == []
    first = EXPECTED[0]
    changed = DayRecord(first.team, first.day, {**first.entered, "comments": 1}, "dana", NOW)
    store.upsert_day(changed)
    [entry] = store.day_history(first.team, first.day)
    assert (entry.action, entry.before, entry.after) == ("day changed", dict(first.entered), dict(changed.entered))
    store.close()


def test_a_version_4_sqlite_file_gets_the_logins_table_and_keeps_its_users(tmp_path):
    path = version_4_file(tmp_path, ("INSERT INTO users VALUES ('dana', 'Dana', 'hash', ?, NULL)", (NOW.isoformat(),)))

    store = SQLiteStore(path)
    user, state = store.get_login("DANA")
    assert (user.username, state) == ("Dana", LoginState())
    assert store.save_login_state("dana", True, state, LoginState(last_login=NOW))
    assert store.get_login("dana")[1] == LoginState(last_login=NOW, version=1)
    store.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def day_row(record: DayRecord) -> tuple:
    """(sql, params) inserting a day as schema 3 to 6 keep it."""
    keys = ("comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good")
    params = (
        record.team,
        record.day.isoformat(),
        *(record.entered[k] for k in keys),
        record.entered["wait_tenths"] * record.entered["chats"],  # as schemas 3 to 6 stored it
        record.updated_by,
        record.updated_at.isoformat(),
    )
    return "INSERT INTO stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params


EARLIER = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
BILLING = [
    DayRecord("billing", date(2026, 3, 1), dict(EXPECTED[1].entered), "lee", EARLIER),
    DayRecord("billing", date(2026, 3, 2), dict(EXPECTED[2].entered), "lee", NOW),
]


def test_a_version_6_sqlite_file_gets_team_records_an_admin_and_every_user_a_lead_of_every_team(tmp_path):
    users = "INSERT INTO users VALUES (?, ?, ?, ?, ?)"
    path = version_file(
        tmp_path,
        6,
        (users, ("lee", "lee", "hash-of-lee", NOW.isoformat(), None)),
        (users, ("dana", "Dana", "hash-of-dana", EARLIER.isoformat(), "f" * 64)),  # the oldest, added second
        *(day_row(record) for record in EXPECTED + BILLING),
        (
            "INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?)",
            ("sales", "csat_percent", ">=", "96", "dana", datetime(2026, 2, 1, tzinfo=UTC).isoformat()),
        ),
    )

    store = SQLiteStore(path)
    assert list(store.iter_all_days()) == BILLING + EXPECTED  # by team, then date: every figure as it was
    sums = store.range_totals("default", date(2026, 3, 1), date(2026, 3, 31)).sums
    assert sums["wait_tenths_total"] == 450 * 30 + 1118 * 110 + 123 * 3 and sums["csat_good"] == 73
    assert store.get_targets("sales")["csat_percent"].goal == Goal(Direction.AT_LEAST, 96)
    assert store.teams() == (  # created at their earliest day or target
        Team("billing", "billing", EARLIER),
        Team("default", "default", NOW),
        Team("sales", "sales", datetime(2026, 2, 1, tzinfo=UTC)),
    )
    every_team = {"billing": LEAD, "default": LEAD, "sales": LEAD}
    assert list(store.iter_users()) == [
        User("Dana", "hash-of-dana", EARLIER, admin=True, teams=every_team),
        User("lee", "hash-of-lee", NOW, admin=False, teams=every_team),
    ]
    assert store.get_user_by_token_hash("f" * 64).username == "Dana"
    assert store.get_registration() == Registration()  # nothing saved: invite only
    assert store.audit_since(datetime(1970, 1, 1, tzinfo=UTC)) == []  # a migration is no one's change
    with pytest.raises(LastAdmin):
        store.update_user("dana", by="dana", at=NOW, admin=False)
    store.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10


def test_a_version_6_sqlite_file_without_users_or_days_migrates_to_an_empty_people_model(tmp_path):
    store = SQLiteStore(version_file(tmp_path, 6))
    assert (store.teams(), store.has_users(), store.get_registration()) == ((), False, Registration())
    store.close()


V7_SUMS = (
    "SELECT team, COUNT(*), SUM(comments), SUM(solves), SUM(chats), SUM(wait_tenths_total), SUM(csat_ratings), "
    "SUM(csat_good) FROM stats GROUP BY team ORDER BY team"
)
AUDITED = [
    ("2026-03-01T09:00:00+00:00", "dana", "day added", "default", "2026-03-01", None, '{"chats": 30}'),
    ("2026-03-02T09:00:00+00:00", "dana", "target set", "sales", "csat_percent", None, '{"value": "96"}'),
]


def version_7_file(tmp_path, *days: DayRecord):
    audit = "INSERT INTO audit (at, actor, action, team, subject, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)"
    return version_file(
        tmp_path,
        7,
        ("INSERT INTO users (username_key, username, password_hash, created_at) VALUES ('dana', 'Dana', 'x', ?)",
         (EARLIER.isoformat(),)),
        ("INSERT INTO teams VALUES ('default', 'Default', ?), ('billing', 'Billing', ?)",
         (EARLIER.isoformat(), EARLIER.isoformat())),
        *(day_row(record) for record in days),
        *((audit, row) for row in AUDITED),
    )  # fmt: skip


def test_a_version_7_sqlite_file_keeps_every_figure_as_per_metric_values_and_its_audit_log(tmp_path):
    path = version_7_file(tmp_path, *EXPECTED, *BILLING)
    old = sqlite3.connect(path)
    old_sums = old.execute(V7_SUMS).fetchall()
    old_audit = old.execute("SELECT * FROM audit ORDER BY seq").fetchall()
    old.close()

    store = SQLiteStore(path)
    assert store.metric_definitions() == tuple(sorted(BUILTIN_DEFINITIONS, key=lambda d: (d.order, d.key)))
    assert list(store.iter_all_days()) == BILLING + EXPECTED  # every figure, who and when, as they were
    for team, days, comments, solves, chats, wait_total, ratings, good in old_sums:
        totals = store.range_totals(team, date(2026, 1, 1), date(2026, 12, 31))
        assert totals.sums == {
            "comments": comments,
            "solves": solves,
            "chats": chats,
            "wait_tenths_total": wait_total,
            "wait_seconds.items": chats,
            "csat_ratings": ratings,
            "csat_good": good,
            "csat_percent.base": ratings,
        }
        assert len(totals.days_with_data) == days
        assert set(totals.metric_days.values()) == {days}  # every built-in on every day
    assert store.team_range_totals(date(2026, 1, 1), date(2026, 12, 31)) == {
        team: store.range_totals(team, date(2026, 1, 1), date(2026, 12, 31)) for team in ("billing", "default")
    }
    store.close()

    migrated = sqlite3.connect(path)
    assert migrated.execute("SELECT * FROM audit ORDER BY seq").fetchall() == old_audit  # untouched
    tables = {name for (name,) in migrated.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "stats" not in tables and {"metric_definitions", "days", "day_values"} <= tables
    assert migrated.execute("SELECT COUNT(*) FROM day_values").fetchone()[0] == 6 * len(EXPECTED + BILLING)
    assert migrated.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10


def test_a_version_7_file_whose_sums_would_change_is_left_as_it_was(tmp_path):
    # A wait total that is not the wait x the chats (written by hand): its sum can't survive the copy.
    broken = EXPECTED[1]
    sql, params = day_row(broken)
    params = (*params[:8], params[8] + 1, *params[9:])
    path = version_7_file(tmp_path, EXPECTED[0], *BILLING)
    old = sqlite3.connect(path)
    old.execute(sql, params)
    old.commit()
    old.close()

    with pytest.raises(StoreUnavailable, match="schema 8 stopped: team 'default'"):
        SQLiteStore(path)
    kept = sqlite3.connect(path)
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 7
    assert kept.execute("SELECT COUNT(*) FROM stats").fetchone()[0] == 4
    tables = {name for (name,) in kept.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "day_values" not in tables and "metric_definitions" not in tables


@pytest.mark.mongo
def test_a_mongodb_store_from_before_schema_3_is_converted_once(fresh_mongo_uri):
    import pymongo

    from statbotic.storage.mongo import MongoStore
    from statbotic.storage.mongo.schema import SCHEMA_VERSION as MONGO_SCHEMA_VERSION

    client = pymongo.MongoClient(fresh_mongo_uri, tz_aware=True)
    database = client.get_default_database()
    database.stats.insert_many(
        [
            {
                "team": "default", "date": day, "comments": comments, "solves": solves, "chats": chats,
                "wait_seconds": wait, "csat_percent": percent, "csat_ratings": ratings,
                "wait_seconds_total": wait * chats, "csat_good": good, "updated_by": "dana", "updated_at": NOW,
            }
            for day, comments, solves, chats, wait, percent, ratings, good in OLD_DAYS
        ]
    )  # fmt: skip
    store = MongoStore.connect(fresh_mongo_uri)
    assert list(store.iter_all_days()) == EXPECTED
    store.close()
    again = MongoStore.connect(fresh_mongo_uri)  # a second start finds schema 3 and changes nothing
    assert list(again.iter_all_days()) == EXPECTED
    again.close()
    stored = database.stats.find_one({"date": "2026-03-02"})
    assert "csat_percent" not in stored and "wait_seconds_total" not in stored
    assert database.meta.find_one({"_id": "schema"})["version"] == MONGO_SCHEMA_VERSION == 7
    client.close()

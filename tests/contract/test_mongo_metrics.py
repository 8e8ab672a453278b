"""The MongoDB store's own side of metrics as data (tests/contract/test_metric_values.py holds the contract on
every backend): definitions kept in the department document and read ahead with the login, a day's values
by metric in its document, and a schema-4 store (as the previous version left it) migrated to schema 5 with
every figure identical, also when the migration was stopped half-way and runs again."""

from datetime import UTC, date, datetime, timedelta

import pymongo
import pytest

from statbotic.builtin_metrics import BUILTIN_DEFINITIONS
from statbotic.errors import InvalidInput, StoreUnavailable
from statbotic.metric_kinds import Kind, MetricDefinition, definition_values
from statbotic.records import LEAD, AuditEntry, DayRecord, Team, User
from statbotic.storage.mongo import MongoStore, schema
from statbotic.storage.mongo.documents import DEPARTMENT_ID, DEPARTMENT_KEY, MARKER_ID
from statbotic.storage.mongo.schema import INDEX_NAMES, LEGACY_FIELDS
from tests.support.mongo_commands import counted

pytestmark = pytest.mark.mongo

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
HASH = "pbkdf2_sha256$1000$c2FsdA$aGFzaA"
DAY = date(2026, 11, 2)
BUILTINS = tuple(sorted(BUILTIN_DEFINITIONS, key=lambda d: (d.order, d.key)))
CALLS = MetricDefinition("calls", "Calls answered", Kind.COUNT, order=8)
HANDLE = MetricDefinition(
    "handle_time", "Average handle time", Kind.DURATION, maximum=86_400, bases=("calls",), order=9
)
FIRST_CONTACT = MetricDefinition("first_contact", "First-contact resolution", Kind.SHARE, bases=("calls",), order=10)
# (comments, solves, chats, wait_tenths, csat_ratings, csat_good) of schema-4 days, by team
OLD = {
    "support": [(40, 20, 30, 450, 25, 24), (52, 12, 110, 1118, 52, 47), (7, 7, 3, 123, 3, 2), (0, 0, 0, 0, 0, 0)],
    "billing": [(9, 3, 12, 605, 4, 4), (11, 10, 0, 0, 0, 0)],
}
ENTERED = ("comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good")


@pytest.fixture
def database(fresh_mongo_uri):
    client = pymongo.MongoClient(fresh_mongo_uri, tz_aware=True)
    yield client.get_default_database()
    client.close()


@pytest.fixture
def store_m(fresh_mongo_uri):
    store = MongoStore.connect(fresh_mongo_uri)
    lead = User("lead", HASH, NOW, admin=True, teams={"support": LEAD})
    assert store.add_first_user(lead, Team("support", "Support", NOW))
    yield store
    store.close()


def old_days(team: str) -> list[DayRecord]:
    return [
        DayRecord(team, DAY + timedelta(days=n), dict(zip(ENTERED, figures, strict=True)), "dana", NOW)
        for n, figures in enumerate(OLD[team])
    ]


def schema_4_store(database, converted: int = 0) -> None:
    """A store as schema 4 left it: marker, meta, the department, a user, days of two teams in schema 4's
    fields (one with its history) and a tombstone.  ``converted``: that many days already carry ``values``
    beside their old fields, as a migration stopped half-way leaves them."""
    database.meta.insert_one({"_id": "schema", "version": 4})
    teams = [{"name": name, "display_name": name.title(), "created_at": NOW} for name in ("billing", "support")]
    database.users.insert_many(
        [
            {"_id": MARKER_ID, "version": 4, "indexes": INDEX_NAMES},
            {"_id": DEPARTMENT_ID, "kind": DEPARTMENT_ID, "username_key": DEPARTMENT_KEY, "version": 3,
             "teams": teams, "first_user": "dana"},
            {"username_key": "dana", "username": "dana", "password_hash": HASH, "token_hash": "f" * 64,
             "created_at": NOW, "admin": True, "teams": [{"team": "support", "role": LEAD}], "disabled": False},
        ]
    )  # fmt: skip
    documents = []
    for team in OLD:
        for record in old_days(team):
            document = {"team": team, "date": record.day.isoformat(), **record.entered}
            document.update(wait_tenths_total=record.entered["wait_tenths"] * record.entered["chats"])
            document.update(updated_by="dana", updated_at=NOW)
            if team == "support" and record.day == DAY:
                document.update(
                    created_at=NOW, audited_at=NOW, history=[{"at": NOW, "by": "dana", "after": dict(record.entered)}]
                )
            documents.append(document)
    for document in documents[:converted]:
        document["values"] = schema._legacy_values(document)
    documents.append({"team": "support", "date": "2026-10-30", "deleted_at": NOW, "history": []})  # a tombstone
    database.stats.insert_many(documents)


def expected_sums(team: str) -> dict[str, int]:
    days = [dict(zip(ENTERED, figures, strict=True)) for figures in OLD[team]]
    sums = {key: sum(day[key] for day in days) for key in ("comments", "solves", "chats", "csat_ratings", "csat_good")}
    sums["wait_tenths_total"] = sum(day["wait_tenths"] * day["chats"] for day in days)
    return {**sums, "wait_seconds.items": sums["chats"], "csat_percent.base": sums["csat_ratings"]}


def check_migrated(uri: str, database) -> None:
    store = MongoStore.connect(uri)
    assert list(store.iter_all_days()) == old_days("billing") + old_days("support")
    for team in OLD:
        totals = store.range_totals(team, DAY - timedelta(days=7), DAY + timedelta(days=7))
        assert dict(totals.sums) == expected_sums(team)  # every figure as it was
        assert dict(totals.metric_days) == {d.key: len(OLD[team]) for d in BUILTINS if d.entered}
    assert store.metric_definitions() == BUILTINS
    assert [(e.action, e.subject) for e in store.audit_since(NOW - timedelta(days=1))] == [
        ("day added", DAY.isoformat())
    ]  # the migration is no change anyone made
    store.close()
    for document in database.stats.find({"deleted_at": {"$exists": False}}):
        assert not set(LEGACY_FIELDS) & set(document) and set(document["values"]) == {
            d.key for d in BUILTINS if d.entered
        }
    assert database.stats.find_one({"date": "2026-10-30"})["deleted_at"] == NOW  # the tombstone stays one
    department = database.users.find_one({"_id": DEPARTMENT_ID})
    assert department["metrics"] == {d.key: definition_values(d) for d in BUILTINS}
    assert database.meta.find_one({"_id": "schema"})["version"] == schema.SCHEMA_VERSION
    assert database.users.find_one({"_id": MARKER_ID})["version"] == schema.SCHEMA_VERSION


def test_a_schema_4_store_gets_the_built_in_definitions_and_each_day_s_values_with_every_figure_identical(
    fresh_mongo_uri, database, monkeypatch
):
    monkeypatch.setattr(schema, "MIGRATION_BATCH", 2)  # several bulk writes and cursor batches
    schema_4_store(database)
    check_migrated(fresh_mongo_uri, database)
    wait = database.stats.find_one({"team": "support", "date": "2026-11-03"})["values"]["wait_seconds"]
    assert wait == {"value": 1118, "total": 1118 * 110, "base": 110}


def test_a_migration_stopped_half_way_runs_again_to_the_same_figures(fresh_mongo_uri, database, monkeypatch):
    monkeypatch.setattr(schema, "MIGRATION_BATCH", 2)
    schema_4_store(database, converted=3)  # three days converted, their old fields not yet unset
    database.stats.update_one({"date": DAY.isoformat()}, {"$unset": dict.fromkeys(LEGACY_FIELDS, "")})  # one unset
    check_migrated(fresh_mongo_uri, database)
    # A second process that read the old marker migrates again: nothing changes.
    department = database.users.find_one({"_id": DEPARTMENT_ID})
    days = list(database.stats.find({}, sort=[("team", 1), ("date", 1)]))
    database.meta.update_one({"_id": "schema"}, {"$set": {"version": 4}})
    database.users.update_one({"_id": MARKER_ID}, {"$set": {"version": 4}})
    check_migrated(fresh_mongo_uri, database)
    assert database.users.find_one({"_id": DEPARTMENT_ID}) == department
    assert list(database.stats.find({}, sort=[("team", 1), ("date", 1)])) == days


def test_a_migration_whose_sums_would_change_stops_before_removing_anything(fresh_mongo_uri, database):
    schema_4_store(database)
    database.stats.update_one({"team": "billing", "date": DAY.isoformat()}, {"$inc": {"wait_tenths_total": 1}})
    with pytest.raises(StoreUnavailable, match="figures of team 'billing' did not come out the same"):
        MongoStore.connect(fresh_mongo_uri).get_user("dana")
    assert database.stats.count_documents({"comments": {"$exists": True}}) == 6  # the old fields all kept
    assert database.users.find_one({"_id": MARKER_ID})["version"] == 4  # the next start tries again


def test_definitions_are_read_ahead_with_the_login_and_a_custom_metric_adds_no_round_trip(store_m, fresh_mongo_uri):
    store_m.save_metric_definition(CALLS, by="lead", at=NOW)
    store_m.save_metric_definition(HANDLE, by="lead", at=NOW)
    store_m.set_token_hash("lead", "f" * 64)
    entered = {"comments": 4, "solves": 2, "chats": 3, "wait_tenths": 10, "csat_ratings": 1, "csat_good": 1}
    store_m.upsert_days([DayRecord("support", DAY, {**entered, "calls": 5, "handle_time": 1200}, "lead", NOW)])

    store, commands = counted(fresh_mongo_uri)
    assert store.get_user_by_token_hash("f" * 64).username == "lead"
    assert store.metric_definitions() == (*BUILTINS, CALLS, HANDLE)
    totals = store.range_totals("support", DAY, DAY + timedelta(days=30))
    assert (totals.sums["calls"], totals.sums["handle_time.total"], totals.sums["handle_time.items"]) == (5, 6000, 5)
    assert commands.seen == [("find", "users"), ("find", "stats")]  # the login (definitions too) and the range
    store.close()

    store, commands = counted(fresh_mongo_uri)  # no login: the marker's find brings the definitions
    assert store.range_totals("support", DAY, DAY).metric_days["calls"] == 1
    assert store.get_day("support", DAY).entered["handle_time"] == 1200
    assert commands.seen == [("find", "users"), ("find", "stats"), ("find", "stats")]
    store.close()


def test_definitions_live_in_the_department_document_each_change_audited_there(store_m, database):
    assert store_m.metric_definitions() == BUILTINS  # a new store's department: the built-ins, unwritten
    store_m.save_metric_definition(CALLS, by="lead", at=NOW)  # seeds the built-ins in the same write
    relabelled = MetricDefinition("calls", "Calls taken", Kind.COUNT, order=8, version=2)
    store_m.save_metric_definition(relabelled, by="lead", at=NOW + timedelta(minutes=1))
    store_m.save_metric_definition(relabelled, by="lead", at=NOW + timedelta(minutes=2))  # unchanged: nothing
    assert store_m.metric_definitions() == (*BUILTINS, relabelled)
    department = database.users.find_one({"_id": DEPARTMENT_ID})
    assert department["metrics"] == {d.key: definition_values(d) for d in (*BUILTINS, relabelled)}
    assert [e for e in store_m.audit_since(NOW) if e.subject == "calls"] == [
        AuditEntry(NOW, "lead", "metric added", "", "calls", None, definition_values(CALLS)),
        AuditEntry(
            NOW + timedelta(minutes=1), "lead", "metric changed", "", "calls",
            definition_values(CALLS), definition_values(relabelled),
        ),
    ]  # fmt: skip
    assert store_m.teams() == (Team("support", "Support", NOW),)  # the rest of the document kept


def test_a_day_s_values_are_kept_by_metric_and_a_partial_day_keeps_the_others(store_m, database):
    for definition in (CALLS, HANDLE, FIRST_CONTACT):
        store_m.save_metric_definition(definition, by="lead", at=NOW)
    builtin = {"comments": 4, "solves": 2, "chats": 3, "wait_tenths": 10, "csat_ratings": 1, "csat_good": 1}
    store_m.upsert_day(DayRecord("support", DAY, {**builtin, "calls": 5, "handle_time": 1200}, "lead", NOW))
    assert not store_m.metric_has_data("first_contact") and store_m.metric_has_data("handle_time")
    later = NOW + timedelta(minutes=5)
    store_m.get_day("support", DAY)  # as a form reads it first: the write starts from it (no round trip)
    store_m.upsert_day(DayRecord("support", DAY, {**builtin, "chats": 6}, "lee", later))  # no calls, no handle time
    whole = {**builtin, "chats": 6, "calls": 5, "handle_time": 1200}
    assert store_m.get_day("support", DAY) == DayRecord("support", DAY, whole, "lee", later)
    values = database.stats.find_one({"team": "support", "date": DAY.isoformat()})["values"]
    assert values["handle_time"] == {"value": 1200, "total": 6000, "base": 5}
    assert values["wait_seconds"] == {"value": 10, "total": 60, "base": 6}
    assert store_m.day_history("support", DAY)[-1].after == whole  # the day as it now is

    with pytest.raises(InvalidInput, match="needs calls for the same day"):
        store_m.upsert_day(DayRecord("support", DAY + timedelta(days=1), {**builtin, "first_contact": 1}, "lee", later))
    assert store_m.get_day("support", DAY + timedelta(days=1)) is None  # refused before writing
    with pytest.raises(InvalidInput, match="no metric for reopens"):
        store_m.upsert_day(DayRecord("support", DAY, {**builtin, "reopens": 1}, "lee", later))

    store_m.upsert_day(DayRecord("support", DAY, {"first_contact": 4}, "lee", later))  # its base: the kept calls
    assert store_m.get_day("support", DAY).entered == {**whole, "first_contact": 4}
    totals = store_m.range_totals("support", DAY, DAY + timedelta(days=1))
    assert (totals.sums["first_contact"], totals.sums["first_contact.base"], totals.metric_days["first_contact"]) == (
        4,
        5,
        1,
    )
    assert store_m.delete_day("support", DAY, by="lee", at=later)
    assert "values" not in database.stats.find_one({"team": "support", "date": DAY.isoformat()})  # a tombstone
    assert not store_m.metric_has_data("calls")


def test_a_partial_day_written_after_another_process_changed_the_day_keeps_that_change(store_m, fresh_mongo_uri):
    store_m.save_metric_definition(CALLS, by="lead", at=NOW)
    builtin = {"comments": 4, "solves": 2, "chats": 3, "wait_tenths": 10, "csat_ratings": 1, "csat_good": 1}
    store_m.upsert_day(DayRecord("support", DAY, builtin, "lead", NOW))
    assert [d.day for d in store_m.iter_days("support", DAY - timedelta(days=28), DAY)] == [DAY]  # read ahead
    other = MongoStore.connect(fresh_mongo_uri)
    other.upsert_day(DayRecord("support", DAY, {"calls": 9}, "lee", NOW))  # meanwhile, elsewhere
    other.close()
    store_m.upsert_day(DayRecord("support", DAY, {**builtin, "comments": 5}, "lead", NOW))  # its read is stale
    assert store_m.get_day("support", DAY).entered == {**builtin, "comments": 5, "calls": 9}

    assert store_m.delete_day("support", DAY, by="lead", at=NOW)
    assert list(store_m.iter_days("support", DAY - timedelta(days=28), DAY)) == []  # the tombstone is not read
    store_m.upsert_day(DayRecord("support", DAY, builtin, "lead", NOW))  # onto the tombstone
    assert store_m.get_day("support", DAY).entered == builtin
    assert [e.action for e in store_m.day_history("support", DAY)] == [
        "day added",
        "day changed",
        "day changed",
        "day deleted",
        "day added",
    ]


def test_a_metric_defined_by_another_process_since_the_login_is_known_to_the_next_save(store_m, fresh_mongo_uri):
    # The session read the definitions with its login (kept for READ_AHEAD_SECONDS); an admin elsewhere
    # defines a metric; the session's next day with it is saved, not refused as unknown.
    session = MongoStore.connect(fresh_mongo_uri, team="support")
    assert session.get_login("lead")[0] is not None  # the login's find brings the department
    assert "calls" not in {d.key for d in session.metric_definitions()}
    store_m.save_metric_definition(CALLS, by="lead", at=NOW)
    entered = dict(zip(ENTERED, (4, 2, 10, 300, 5, 4), strict=True)) | {"calls": 7}
    session.upsert_day(DayRecord("support", DAY, entered, "lead", NOW))
    assert session.get_day("support", DAY).entered == entered
    with pytest.raises(InvalidInput, match="no metric for nope"):  # a figure still unknown is refused
        session.upsert_day(DayRecord("support", DAY, {**entered, "nope": 1}, "lead", NOW))
    session.close()

"""The MongoDB store's own side of people (test_people.py holds the contract on every backend): the department
document read ahead by the login, a deleted day's tombstone, the auxiliary documents kept out of the users'
list, and a schema-3 store (as the previous version left it) migrated in place."""

from datetime import UTC, date, datetime, timedelta

import pymongo
import pytest

from statbotic.records import LEAD, OPEN, AuditEntry, DayRecord, Invite, LoginState, Registration, Team, User
from statbotic.storage.mongo import MongoStore
from statbotic.storage.mongo.documents import DEPARTMENT_ID, MARKER_ID
from statbotic.storage.mongo.schema import INDEX_NAMES, SCHEMA_VERSION
from tests.support.mongo_commands import counted

pytestmark = pytest.mark.mongo

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
HASH = "pbkdf2_sha256$1000$c2FsdA$aGFzaA"
FIGURES = dict(comments=52, solves=12, chats=110, wait_tenths=1118, csat_ratings=52, csat_good=47)
DAY = date(2026, 11, 20)


def test_after_a_token_login_the_teams_and_the_registration_cost_no_round_trip(fresh_mongo_uri):
    store = MongoStore.connect(fresh_mongo_uri)
    lead = User("lead", HASH, NOW, admin=True, teams={"support": LEAD})
    assert store.add_first_user(lead, Team("support", "Support", NOW))
    store.add_team(Team("billing", "Billing", NOW), by="lead")
    store.set_registration(Registration(OPEN, ("example.com",)), by="lead", at=NOW)
    store.set_token_hash("lead", "f" * 64)
    store.close()

    store, commands = counted(fresh_mongo_uri)
    assert store.get_user_by_token_hash("f" * 64) == lead
    assert [t.name for t in store.teams()] == ["billing", "support"]
    assert store.get_registration() == Registration(OPEN, ("example.com",))
    assert store.get_targets("support") == {}
    assert commands.seen == [("find", "users")]  # the user, marker, department and targets in one find
    store.rename_team("billing", "Billing & Payments", by="lead", at=NOW)  # our own change: read again
    assert store.teams()[0].display_name == "Billing & Payments"
    store.close()


def test_a_deleted_day_entered_again_reads_as_added_and_a_bulk_loaded_day_s_deletion_keeps_its_figures(store_m):
    store = store_m
    store.upsert_days([DayRecord("support", DAY, FIGURES, "dana", NOW)])  # a load: no history of its own
    assert store.delete_day("support", DAY, by="lee", at=NOW + timedelta(minutes=1))
    store.upsert_days([DayRecord("support", DAY + timedelta(days=1), FIGURES, "dana", NOW)])
    again = DayRecord("support", DAY, {**FIGURES, "chats": 7}, "lee", NOW + timedelta(minutes=2))
    store.upsert_day(again)
    assert store.get_day("support", DAY) == again
    assert store.day_history("support", DAY) == [
        AuditEntry(NOW + timedelta(minutes=1), "lee", "day deleted", "support", "2026-11-20", FIGURES, None),
        AuditEntry(again.updated_at, "lee", "day added", "support", "2026-11-20", None, dict(again.entered)),
    ]
    assert store.delete_day("support", DAY, by="lee", at=NOW + timedelta(minutes=3))
    store.upsert_days([again])  # a load onto the tombstone brings the day back, unaudited
    assert [d.day for d in store.iter_all_days()] == [DAY, DAY + timedelta(days=1)]
    assert store.range_totals("support", DAY, DAY).sums["chats"] == 7


def test_the_users_list_holds_users_only_and_a_user_may_be_called_department(store_m):
    store = store_m
    store.add_team(Team("support", "Support", NOW), by=None)
    store.add_invite(Invite("c" * 64, "support", LEAD, "root", NOW, NOW + timedelta(hours=1)))
    assert store.save_login_state("nobody", False, LoginState(), LoginState(failures=(NOW,)))
    store.add_user(User("department", HASH, NOW))
    assert [u.username for u in store.iter_users()] == ["department"]
    assert [t.name for t in store.teams()] == ["support"]


def test_a_user_s_agent_is_a_field_of_their_document_absent_while_unlinked(store_m, fresh_mongo_uri):
    store = store_m
    store.add_user(User("root", HASH, NOW, admin=True), audit=False)
    store.add_user(User("ana", HASH, NOW, agent="Ana Lima"), audit=False)
    store.add_user(User("lee", HASH, NOW), audit=False)
    client = pymongo.MongoClient(fresh_mongo_uri, tz_aware=True)
    users = client.get_default_database().users

    def agent_field(name: str) -> list:
        document = users.find_one({"username": name})
        return [document["agent"]] if "agent" in document else []

    assert (agent_field("ana"), agent_field("lee")) == (["Ana Lima"], [])
    store.update_user("lee", by="root", at=NOW, agent="Lee $Wong. Jr")  # "$" and "." are a value's, not a key's
    store.update_user("ana", by="root", at=NOW, agent="")
    assert (agent_field("ana"), agent_field("lee")) == ([], ["Lee $Wong. Jr"])
    assert (store.get_user("ana").agent, store.get_user("lee").agent) == (None, "Lee $Wong. Jr")
    client.close()


@pytest.fixture
def store_m(fresh_mongo_uri):
    store = MongoStore.connect(fresh_mongo_uri)
    yield store
    store.close()


def schema_3_store(database) -> None:
    """A store as the previous version (schema 3) left it: marker, meta, users with history, days of two
    teams (one with history), a third team with targets only, an unknown name's login record."""
    database.meta.insert_one({"_id": "schema", "version": 3})
    database.users.insert_many(
        [
            {"_id": MARKER_ID, "version": 3, "indexes": INDEX_NAMES},
            {"username_key": "zoe", "username": "Zoe", "password_hash": HASH, "created_at": NOW},
            {
                "username_key": "dana", "username": "dana", "password_hash": HASH, "token_hash": "f" * 64,
                "created_at": NOW - timedelta(days=3), "audited_at": NOW - timedelta(days=3),
                "history": [{"at": NOW - timedelta(days=3), "by": "dana", "action": "user registered"}],
            },
            {
                "_id": "targets:sales", "kind": "targets", "team": "sales", "username_key": "targets:sales",
                "goals": {"chats": {"direction": ">=", "value": "40", "set_by": "dana", "set_at": NOW}},
            },
            {"_id": "login:eve", "kind": "login", "username_key": "login:eve", "quiet_after": None},
        ]
    )  # fmt: skip
    for team, days in (("support", 3), ("billing", 2)):
        for n in range(days):
            day = {"team": team, "date": (DAY + timedelta(days=n)).isoformat(), **FIGURES}
            day.update(wait_tenths_total=FIGURES["wait_tenths"] * FIGURES["chats"], updated_by="dana", updated_at=NOW)
            if team == "support" and n == 0:
                day.update(created_at=NOW, audited_at=NOW, history=[{"at": NOW, "by": "dana", "after": FIGURES}])
            database.stats.insert_one(day)


def test_a_schema_3_store_gets_team_records_its_oldest_user_as_admin_and_every_user_a_lead(fresh_mongo_uri):
    client = pymongo.MongoClient(fresh_mongo_uri, tz_aware=True)
    database = client.get_default_database()
    schema_3_store(database)
    before_days = sorted((d["team"], d["date"]) for d in database.stats.find())

    store, commands = counted(fresh_mongo_uri)
    dana = store.get_user_by_token_hash("f" * 64)
    assert [t.name for t in store.teams()] == ["billing", "sales", "support"]  # read again after migrating
    every_team = {"billing": LEAD, "sales": LEAD, "support": LEAD}
    assert (dana.admin, dict(dana.teams), dana.disabled, dana.email) == (True, every_team, False, None)
    zoe = store.get_user("zoe")
    assert (zoe.admin, dict(zoe.teams)) == (False, every_team)
    assert store.get_registration() == Registration()
    assert sorted((d.team, d.day.isoformat()) for d in store.iter_all_days()) == before_days
    assert store.range_totals("support", DAY, DAY + timedelta(days=6)).sums["comments"] == 3 * FIGURES["comments"]
    assert [t.goal.value for _, t in store.iter_all_targets()] == [40]
    assert [(e.action, e.subject) for e in store.audit_since(NOW - timedelta(days=30))] == [
        ("user registered", "dana"),
        ("day added", DAY.isoformat()),
    ]  # the migration is no change anyone made: no entry
    assert store.has_users() and store.add_first_user(User("x-new", HASH, NOW), Team("new", "New", NOW)) is False
    store.close()
    assert commands.seen[0] == ("find", "users")
    assert database.meta.find_one({"_id": "schema"})["version"] == SCHEMA_VERSION
    assert database.users.find_one({"_id": DEPARTMENT_ID})["first_user"] == "dana"

    # Migrating again (a second process that read the old marker too) changes nothing.
    department = database.users.find_one({"_id": DEPARTMENT_ID})
    database.meta.update_one({"_id": "schema"}, {"$set": {"version": 3}})
    database.users.update_one({"_id": MARKER_ID}, {"$set": {"version": 3}})
    store = MongoStore.connect(fresh_mongo_uri)
    assert store.get_user("dana") == dana
    store.close()
    assert database.users.find_one({"_id": DEPARTMENT_ID}) == department
    client.close()

"""Figures per agent on MongoDB (schema 6): the shape a day's document keeps them in (lists: agent and
mapping names are free text, never field names), the round trips they cost (none more for a day's
read and save; one find for every agent's range), and a schema-5 store opened by this version."""

from datetime import UTC, date, datetime

import pymongo
import pytest

from statbotic.records import UNASSIGNED, DayRecord, User
from statbotic.storage.mongo import MongoStore
from statbotic.storage.mongo.documents import MARKER_ID
from statbotic.storage.mongo.schema import SCHEMA_VERSION
from tests.support.mongo_commands import counted

pytestmark = pytest.mark.mongo

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
TEAM = "support"
DAY = date(2026, 11, 20)
HASH = "pbkdf2_sha256$1000$c2FsdA$aGFzaA"
CHATS = dict(chats=30, wait_tenths=450, csat_ratings=20, csat_good=19)
FIGURES = dict(comments=52, solves=12, **CHATS)
AGENTS = {"j.doe": dict(chats=10, wait_tenths=300), "$ara": dict(chats=20, wait_tenths=525), UNASSIGNED: {}}
AGENTS = {name: figures for name, figures in AGENTS.items() if figures}
INTERCOM = {"files": "conversations.json", "sha256": "b2" * 32, "rows": 4_310, "row_keys": "77aa"}


@pytest.fixture
def uri(fresh_mongo_uri):
    """A store with a user (so a counted store's first find is the login's) and one typed day."""
    store = MongoStore.connect(fresh_mongo_uri)
    store.add_user(User("lead", HASH, NOW, admin=True, teams={TEAM: "lead"}))
    store.upsert_day(DayRecord(TEAM, DAY, FIGURES, "lead", NOW))
    store.close()
    return fresh_mongo_uri


@pytest.fixture
def database(uri):
    client = pymongo.MongoClient(uri, tz_aware=True)
    yield client.get_default_database()
    client.close()


def logged_in(uri):
    """A counted store after its login's find (the marker and definitions came with it)."""
    store, commands = counted(uri)
    assert store.get_user("lead") is not None
    commands.seen.clear()
    return store, commands


def field_names(value) -> list[str]:
    """Every field name in a document, at any depth."""
    if isinstance(value, dict):
        return [name for key, inner in value.items() for name in (key, *field_names(inner))]
    if isinstance(value, list):
        return [name for item in value for name in field_names(item)]
    return []


def test_agents_and_sources_are_lists_so_no_field_is_named_after_an_agent(uri, database):
    store = MongoStore.connect(uri)
    store.upsert_day(DayRecord(TEAM, DAY, dict(chats=0, wait_tenths=0), "lead", NOW, AGENTS, {"a.b": INTERCOM}))
    document = database.stats.find_one({"team": TEAM, "date": DAY.isoformat()})
    assert [agent["name"] for agent in document["agents"]] == sorted(AGENTS)
    assert document["sources"] == [{"name": "a.b", **INTERCOM}]
    assert not [name for name in field_names(document) if "." in name or name.startswith("$")]
    assert store.get_day(TEAM, DAY).agents == AGENTS
    store.close()


def test_a_day_s_read_and_its_save_with_agents_cost_what_a_typed_one_did(uri):
    store, commands = logged_in(uri)
    store.get_day(TEAM, DAY)
    store.upsert_day(DayRecord(TEAM, DAY, dict(chats=0, wait_tenths=0), "lead", NOW, AGENTS))  # some metrics
    assert commands.seen == [("find", "stats"), ("update", "stats")]
    commands.seen.clear()
    whole = {"ana": FIGURES, "ben": FIGURES}
    store.upsert_day(DayRecord(TEAM, DAY, FIGURES, "lead", NOW, whole))  # every metric, no sources: no read
    assert commands.seen == [("update", "stats")]
    commands.seen.clear()
    assert [day.agents for day in store.iter_days(TEAM, DAY, DAY)] == [whole]
    assert commands.seen == [("find", "stats")]
    store.close()


def test_every_agent_s_range_totals_are_one_find(uri):
    store = MongoStore.connect(uri)
    store.upsert_day(DayRecord(TEAM, DAY, dict(chats=0, wait_tenths=0), "lead", NOW, AGENTS))
    store.close()
    store, commands = logged_in(uri)
    totals = store.agent_range_totals(TEAM, date(2026, 1, 1), date(2026, 12, 31))
    assert commands.seen == [("find", "stats")]
    assert {name: t.sums["chats"] for name, t in totals.items()} == {n: f["chats"] for n, f in AGENTS.items()}
    store.close()


def test_a_schema_5_store_is_opened_without_touching_its_days(uri, database):
    database.users.update_one({"_id": MARKER_ID}, {"$set": {"version": 5}})
    database.meta.update_one({"_id": "schema"}, {"$set": {"version": 5}})
    days = list(database.stats.find({}))
    store, commands = counted(uri)
    assert store.get_day(TEAM, DAY) == DayRecord(TEAM, DAY, FIGURES, "lead", NOW)
    store.close()
    assert [c for c in commands.seen if c[1] == "stats" and c[0] != "createIndexes"] == [("find", "stats")]
    assert list(database.stats.find({})) == days
    assert database.users.find_one({"_id": MARKER_ID})["version"] == SCHEMA_VERSION == 7
    assert database.meta.find_one({"_id": "schema"})["version"] == SCHEMA_VERSION


def test_a_save_racing_another_keeps_both_saves_agent_rows(uri):
    first, second = MongoStore.connect(uri), MongoStore.connect(uri)
    assert first.get_day(TEAM, DAY) is not None  # read for its form: the save below starts from it
    tickets = {"ana": dict(comments=30, solves=7), "ben": dict(comments=22, solves=5)}
    second.upsert_day(DayRecord(TEAM, DAY, dict(comments=52, solves=12), "bob", NOW, tickets))
    chats = {"ana": dict(chats=10, wait_tenths=300), "cy": dict(chats=20, wait_tenths=525)}
    first.upsert_day(DayRecord(TEAM, DAY, dict(chats=30, wait_tenths=450), "lead", NOW, chats))  # retried
    day = second.get_day(TEAM, DAY)
    assert day.agents == {"ana": {**tickets["ana"], **chats["ana"]}, "ben": tickets["ben"], "cy": chats["cy"]}
    assert (day.entered["comments"], day.entered["chats"]) == (52, 30)
    first.close()
    second.close()

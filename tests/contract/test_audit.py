"""The audit log keeps the same promises on every backend (the ``store`` fixture runs each test on each):
every audited change appends one entry with when, who, what and the exact values before and after;
nothing secret is in it; nothing in the app edits or deletes an entry."""

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from statbotic import auth, people, services
from statbotic.metrics import Direction, Goal, range_metric
from statbotic.records import AuditEntry, DayRecord, Target, User
from statbotic.storage.base import Store

T0 = datetime(2026, 11, 3, 17, 0, tzinfo=UTC)
TEAM = "support"
DAY = date(2026, 11, 3)
FIGURES = dict(comments=52, solves=12, chats=110, wait_tenths=1118, csat_ratings=52, csat_good=47)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def day(by: str, minutes: int, **changes) -> DayRecord:
    return DayRecord(TEAM, DAY, {**FIGURES, **changes}, by, at(minutes))


def test_every_version_of_a_day_is_an_entry_with_its_figures_before_and_after(store):
    store.upsert_day(day("dana", 0))
    store.upsert_day(day("lee", 5, chats=111))
    store.upsert_day(day("dana", 9, chats=111, csat_good=48))
    store.upsert_day(DayRecord(TEAM, DAY + timedelta(days=1), FIGURES, "dana", at(10)))  # another day

    history = store.day_history(TEAM, DAY)
    assert history == [
        AuditEntry(at(0), "dana", "day added", TEAM, "2026-11-03", None, FIGURES),
        AuditEntry(at(5), "lee", "day changed", TEAM, "2026-11-03", FIGURES, {**FIGURES, "chats": 111}),
        AuditEntry(
            at(9),
            "dana",
            "day changed",
            TEAM,
            "2026-11-03",
            {**FIGURES, "chats": 111},
            {**FIGURES, "chats": 111, "csat_good": 48},
        ),
    ]
    assert all(type(value) is int for entry in history for value in entry.after.values())  # exact, as stored
    assert all(entry.at.utcoffset() == timedelta(0) for entry in history)  # UTC
    assert store.day_history(TEAM, DAY - timedelta(days=1)) == []
    assert store.day_history("other", DAY) == []
    assert store.get_day(TEAM, DAY).entered == {**FIGURES, "chats": 111, "csat_good": 48}  # reads are unchanged


def test_the_log_since_a_moment_holds_every_kind_of_change_oldest_first(store):
    dana = User("dana", auth.hash_password("a-long-password"), at(0))
    store.add_user(dana)
    store.set_token_hash("dana", "f" * 64, at(1))
    store.upsert_day(day("dana", 2))
    csat = Target("csat_percent", Goal(Direction.AT_LEAST, 95), "dana", at(3))
    store.set_target(TEAM, csat)
    store.set_target(TEAM, Target("csat_percent", Goal(Direction.AT_LEAST, 96), "lee", at(4)))
    assert store.clear_target(TEAM, "csat_percent", "dana", at(5)) is True
    assert store.clear_target(TEAM, "csat_percent", "dana", at(6)) is False  # nothing to clear: no entry

    log = store.audit_since(EPOCH)
    assert [(e.at, e.actor, e.action, e.team, e.subject) for e in log] == [
        (at(0), "dana", "user registered", "", "dana"),
        (at(1), "dana", "token issued", "", "dana"),
        (at(2), "dana", "day added", TEAM, "2026-11-03"),
        (at(3), "dana", "target set", TEAM, "csat_percent"),
        (at(4), "lee", "target set", TEAM, "csat_percent"),
        (at(5), "dana", "target cleared", TEAM, "csat_percent"),
    ]
    assert [(e.before, e.after) for e in log[3:]] == [
        (None, {"direction": ">=", "value": "95"}),
        ({"direction": ">=", "value": "95"}, {"direction": ">=", "value": "96"}),
        ({"direction": ">=", "value": "96"}, None),
    ]
    assert [e.at for e in store.audit_since(at(4))] == [at(4), at(5)]
    assert store.audit_since(at(7)) == []
    text = repr(log)  # no secret: never the token's hash, never the password hash
    assert "f" * 64 not in text and dana.password_hash not in text and "pbkdf2" not in text


def test_the_services_write_the_entries_with_the_user_and_the_time_in_utc(store):
    dana = people.register(store, "dana", "a-long-password", default_team=TEAM)  # the first user: admin
    token = services.issue_token(store, dana)
    services.record_day(store, TEAM, dana, DAY, FIGURES)
    services.set_target(store, TEAM, dana, range_metric("chats"), Goal(Direction.AT_LEAST, 40))
    services.clear_target(store, TEAM, dana, range_metric("chats"))
    log = services.audit_log(store, EPOCH, user=dana)
    # All in the same second or two: entries of one second about different things come in no set order.
    expected = ["team created", "user registered", "token issued", "day added", "target set", "target cleared"]
    assert sorted(e.action for e in log) == sorted(expected)
    assert [e.at for e in log] == sorted(e.at for e in log)
    assert {e.actor for e in log} == {"dana"} and all(e.at.utcoffset() == timedelta(0) for e in log)
    assert token not in repr(log) and auth.token_hash(token) not in repr(log)
    assert [e.action for e in services.day_history(store, TEAM, DAY, user=dana)] == ["day added"]


def test_bulk_loads_and_copies_are_not_changes_anyone_made(store):
    store.upsert_days([day("dana", 0), DayRecord(TEAM, DAY + timedelta(days=1), FIGURES, "dana", at(0))])
    store.add_user(User("lee", "pbkdf2_sha256$1000$c2FsdA$aGFzaA", at(0)), audit=False)
    store.set_target(TEAM, Target("chats", Goal(Direction.AT_LEAST, 40), "lee", at(0)), audit=False)
    assert store.audit_since(EPOCH) == []


def test_no_store_method_edits_or_deletes_an_entry(store):
    public = {name for name in vars(Store) if not name.startswith("_")}
    touching_the_log = {name for name in public if "audit" in name or "history" in name}
    assert touching_the_log == {"audit_since", "day_history"}  # reads only


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_sqlite_log_refuses_an_update_or_a_delete_even_from_outside_the_app(store, settings):
    store.upsert_day(day("dana", 0))
    store.close()
    conn = sqlite3.connect(settings.database_path)
    for statement in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    conn.close()

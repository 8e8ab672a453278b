"""`statbotic copy-data`: the local history moves to MongoDB, and a second run changes nothing."""

import subprocess
import sys
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from statbotic.metric_kinds import Kind, MetricDefinition
from statbotic.metrics import Direction, Goal
from statbotic.records import DayRecord, Target, User
from statbotic.storage.mongo import MongoStore
from statbotic.storage.sqlite import SQLiteStore
from tests.conftest import ROOT

pytestmark = pytest.mark.mongo
NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def copy(tmp_path, uri) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "STATBOTIC_DATA_DIR": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "copy-data", "--to", uri],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )


def test_copy_data_is_complete_and_idempotent(tmp_path, fresh_mongo_uri):
    local = SQLiteStore(tmp_path / "data" / "statbotic.sqlite3")
    local.add_user(User("alice", "pbkdf2_sha256$1000$YQ$Yg", NOW))
    local.add_user(User("Bob", "pbkdf2_sha256$1000$Yw$ZA", NOW))
    calls = MetricDefinition("calls", "Calls answered", Kind.COUNT, order=20, teams=("tier2",))
    local.save_metric_definition(calls, by="alice", at=NOW)
    days = [
        DayRecord(
            team,
            date(2026, 10, d),
            dict(comments=d, solves=1, chats=2, wait_tenths=35, csat_ratings=4, csat_good=4)
            | ({"calls": 10 + d} if team == "tier2" else {}),
            "alice",
            NOW,
        )
        for team in ("default", "tier2")
        for d in range(1, 11)
    ]
    for record in days:
        local.upsert_day(record)
    targets = [
        ("default", Target("csat_percent", Goal(Direction.AT_LEAST, Fraction(96)), "alice", NOW)),
        ("default", Target("wait_seconds", None, "alice", NOW)),  # turned off in the app
        ("tier2", Target("chats", Goal(Direction.AT_LEAST, Fraction("40.5")), "Bob", NOW)),
    ]
    for team, target in targets:
        local.set_target(team, target)
    local.close()

    first = copy(tmp_path, fresh_mongo_uri)
    assert first.returncode == 0, first.stderr
    assert "users: 2 copied, 0 already there" in first.stdout
    assert "metrics: 1 copied, 7 already identical" in first.stdout  # the built-ins are every store's
    assert "days:  20 copied, 0 already identical" in first.stdout
    assert "targets: 3 copied, 0 already identical" in first.stdout
    # The audit log is not copied, and says so: 2 users registered, 20 days added, 3 targets set.
    assert "audit log: not copied; its 26 entries stay in the data file" in first.stdout  # and 1 metric added

    second = copy(tmp_path, fresh_mongo_uri)
    assert second.returncode == 0, second.stderr
    assert "users: 0 copied, 2 already there" in second.stdout
    assert "metrics: 0 copied, 8 already identical" in second.stdout
    assert "days:  0 copied, 20 already identical" in second.stdout
    assert "targets: 0 copied, 3 already identical" in second.stdout

    remote = MongoStore.connect(fresh_mongo_uri)
    assert list(remote.iter_all_days()) == days
    assert list(remote.iter_all_targets()) == targets
    assert remote.get_user("BOB").password_hash == "pbkdf2_sha256$1000$Yw$ZA"
    assert remote.metric_definitions() == SQLiteStore(tmp_path / "data" / "statbotic.sqlite3").metric_definitions()
    # Copies are nobody's changes, but for a definition: the target says where it came from.
    assert [(e.actor, e.action, e.subject) for e in remote.audit_since(datetime(1970, 1, 1, tzinfo=UTC))] == [
        ("copy-data", "metric added", "calls")
    ]
    remote.close()


def test_copy_data_without_a_local_file_says_so(tmp_path, fresh_mongo_uri):
    result = copy(tmp_path, fresh_mongo_uri)
    assert result.returncode == 1
    assert "There is no local data file" in result.stderr


def test_copy_data_carries_each_user_whole_with_the_agent_they_are_linked_to(tmp_path, fresh_mongo_uri):
    local = SQLiteStore(tmp_path / "data" / "statbotic.sqlite3")
    local.add_user(User("alice", "pbkdf2_sha256$1000$YQ$Yg", NOW, admin=True, teams={"default": "lead"}))
    local.add_user(User("ana", "pbkdf2_sha256$1000$Yw$ZA", NOW, teams={"default": "viewer"}, agent="Ana Lima"))
    local.add_user(User("lee", "pbkdf2_sha256$1000$Yx$ZB", NOW, agent="Lee $Wong. Jr", disabled=True))
    users = list(local.iter_users())
    local.close()

    result = copy(tmp_path, fresh_mongo_uri)
    assert result.returncode == 0, result.stderr
    assert "users: 3 copied, 0 already there" in result.stdout
    remote = MongoStore.connect(fresh_mongo_uri)
    assert list(remote.iter_users()) == users and [u.agent for u in users] == [None, "Ana Lima", "Lee $Wong. Jr"]
    assert remote.get_user("ANA").agent == "Ana Lima"
    remote.close()

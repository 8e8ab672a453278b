"""Round trips to MongoDB, counted with pymongo's command monitoring: on a remote cluster each costs tens of
milliseconds, so every command's list is pinned here (counts are deterministic; times are measured by
benchmarks/mongo_latency.py, never asserted).  Counted from the first command after the driver connected
(its handshake and heartbeats are not commands) to the end of the process's work, the store's close included.

Also the start-up work behind those counts: indexes made once per schema version (a marker read in the same
find as the login), again when the marker is stale, and a unique index dropped by hand caught by a read.
"""

import functools
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta

import pymongo
import pytest
from pymongo import monitoring

from statbotic import auth, services
from statbotic.cli import main
from statbotic.records import DayRecord
from statbotic.storage.mongo import MongoStore
from statbotic.storage.mongo.documents import MARKER_ID
from statbotic.storage.mongo.schema import INDEX_NAMES, SCHEMA_VERSION
from tests.conftest import ROOT

pytestmark = pytest.mark.mongo

PASSWORD = "round-trips-1"
TEAM = "default"
TODAY = date.today()
LAST_MONTH_START = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
FIGURES = ["--comments", "52", "--solves", "12", "--chats", "110", "--wait", "111.8"]
FIGURES += ["--ratings", "52", "--positive", "47"]

LOGIN = ("find", "users")  # the user, the start-up marker, the department and the team's targets in one find
# A password login also records itself (the last login, the failures reset: throttle.py) on the user's
# document: the second and last round trip of a login.  A token login records nothing.
RECORDED = ("update", "users")
VIEW = [LOGIN, ("find", "stats")]
ADD = [LOGIN, ("find", "stats"), ("update", "stats")]
FIRST_START = [
    LOGIN,
    ("createIndexes", "users"),
    ("createIndexes", "users"),
    ("createIndexes", "users"),  # audited_at (the audit log's find)
    ("createIndexes", "stats"),
    ("createIndexes", "stats"),  # audited_at
    ("find", "meta"),
    ("update", "users"),  # the marker
    # The start-up work may have made or migrated the department document, so the read ahead is dropped;
    # the admin's command reads the teams again (is STATBOTIC_TEAM one of them?): once per schema version.
    ("find", "users"),
]


class Commands(monitoring.CommandListener):
    """Every command the clients made while counting, as (command, collection)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        target = event.command.get(event.command_name)
        self.seen.append((event.command_name, target if isinstance(target, str) else event.command.get("collection")))

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass


@pytest.fixture
def shared(fresh_mongo_uri):
    """A store whose first user 'lead' (password and token) made team default; days in the last two months
    and a target."""
    from statbotic.metrics import Direction, Goal
    from statbotic.records import Target, Team, User

    store = MongoStore.connect(fresh_mongo_uri)
    now = datetime.now(UTC).replace(microsecond=0)
    user = User("lead", auth.hash_password(PASSWORD), now, admin=True, teams={TEAM: "lead"})
    assert store.add_first_user(user, Team(TEAM, TEAM, now))
    token = services.issue_token(store, user)
    entered = dict(comments=40, solves=20, chats=30, wait_tenths=450, csat_ratings=25, csat_good=24)
    days = [LAST_MONTH_START - timedelta(days=n) for n in range(-20, 25)]
    store.upsert_days(DayRecord(TEAM, day, entered, "lead", now) for day in days)
    store.set_target(TEAM, Target("csat_percent", Goal(Direction.AT_LEAST, 95), "lead", now))
    store.close()
    client = pymongo.MongoClient(fresh_mongo_uri, tz_aware=True)
    yield fresh_mongo_uri, token, client.get_default_database()
    client.close()


@pytest.fixture
def cli(shared, tmp_path, monkeypatch, capsys):
    """run(*argv, token=True) -> (status, out, err, commands): the CLI in-process, its commands counted."""
    uri, token, _ = shared
    monkeypatch.chdir(tmp_path)
    for name, value in {"STATBOTIC_DATA_DIR": str(tmp_path / "data"), "MONGODB_URI": uri, "NO_COLOR": "1"}.items():
        monkeypatch.setenv(name, value)

    def run(*argv, token_login=True):
        if token_login is None:  # as the environment is
            pass
        elif token_login:
            monkeypatch.setenv("STATBOTIC_TOKEN", token)
            monkeypatch.delenv("STATBOTIC_USER", raising=False)
            monkeypatch.delenv("STATBOTIC_PASSWORD", raising=False)
        else:
            monkeypatch.delenv("STATBOTIC_TOKEN", raising=False)
            monkeypatch.setenv("STATBOTIC_USER", "lead")
            monkeypatch.setenv("STATBOTIC_PASSWORD", PASSWORD)
        commands = Commands()
        with monkeypatch.context() as patch:
            patch.setattr(pymongo, "MongoClient", functools.partial(pymongo.MongoClient, event_listeners=[commands]))
            status = main(list(argv))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return status, out, err, commands.seen

    return run


@pytest.mark.parametrize("token_login", [True, False], ids=["token", "password"])
def test_view_last_month_is_two_finds_the_login_and_the_range(cli, token_login):
    status, out, _, seen = cli("view", "last month", "--json", token_login=token_login)
    assert status == 0 and '"days_with_data"' in out
    assert seen == (VIEW if token_login else [LOGIN, RECORDED, *VIEW[1:]])


def test_view_of_a_long_range_with_every_day_is_still_two_finds(cli):
    # Two years of days (this one and the one before) in one reply: no getMore.
    status, _, _, seen = cli("view", f"{LAST_MONTH_START.year}", "--json", "--daily")
    assert status == 0 and seen == VIEW


def test_add_is_the_login_one_read_of_the_day_and_its_history_and_the_write(cli):
    status, out, _, seen = cli("add", TODAY.isoformat(), *FIGURES, "--force")
    assert status == 0 and "Saved the stats" in out
    assert seen == ADD
    status, out, _, seen = cli("add", TODAY.isoformat(), *FIGURES, "--force", "--overwrite")
    assert status == 0 and "Updated the stats" in out
    assert seen == ADD
    status, out, _, seen = cli("add", TODAY.isoformat(), *FIGURES, "--force")  # a retry: the same figures
    assert status == 0 and "already saved" in out
    assert seen == ADD[:2]
    other = [*FIGURES[:-1], str(int(FIGURES[-1]) - 1)]
    status, _, err, seen = cli("add", TODAY.isoformat(), *other, "--force")
    assert status == 1 and "has figures already" in err
    assert seen == ADD[:2]


def test_a_token_login_is_one_find_a_password_login_and_a_new_token_a_write_each(cli):
    status, _, _, seen = cli("targets", "list")
    assert status == 0 and seen == [LOGIN]
    status, _, _, seen = cli("users", "token", token_login=False)
    assert status == 0 and seen == [LOGIN, RECORDED, ("update", "users")]


def test_a_failed_login_is_one_find_and_its_record(cli, monkeypatch):
    monkeypatch.setenv("STATBOTIC_PASSWORD", "wrong-password")
    for name in ("lead", "nobody"):  # a user, and a name nobody has: the same commands
        monkeypatch.setenv("STATBOTIC_USER", name)
        status, _, err, seen = cli("targets", "list", token_login=None)
        assert status == 1 and "Username or password is incorrect." in err
        assert seen == [LOGIN, ("delete", "users"), ("update", "users")]


def test_a_store_left_by_an_earlier_version_makes_its_indexes_once(cli, shared):
    _, _, database = shared
    database.users.delete_one({"_id": MARKER_ID})  # as versions before the marker left a store
    status, _, err, seen = cli("view", "last month", "--json")
    assert status == 0, err
    assert seen == FIRST_START + VIEW[1:]
    marker = {"_id": MARKER_ID, "version": SCHEMA_VERSION, "indexes": INDEX_NAMES}
    assert database.users.find_one({"_id": MARKER_ID}) == marker
    assert cli("view", "last month", "--json")[3] == VIEW


def test_a_marker_naming_fewer_indexes_makes_them_again_once(cli, shared):
    _, _, database = shared
    database.users.update_one({"_id": MARKER_ID}, {"$set": {"indexes": INDEX_NAMES[:-1]}})
    assert cli("view", "last month", "--json")[3] == FIRST_START + VIEW[1:]
    assert cli("view", "last month", "--json")[3] == VIEW


def test_a_marker_from_a_newer_version_is_refused(cli, shared):
    _, _, database = shared
    database.users.update_one({"_id": MARKER_ID}, {"$set": {"version": SCHEMA_VERSION + 1}})
    status, out, err, seen = cli("view", "last month", "--json")
    assert status == 1 and out == ""
    assert f"was written by a newer Statbotic (schema {SCHEMA_VERSION + 1}); please upgrade." in err
    assert seen == [LOGIN]


def test_a_command_that_reads_no_user_first_reads_the_marker_alone(shared):
    uri, _, _ = shared
    commands = Commands()
    client = pymongo.MongoClient(uri, tz_aware=True, event_listeners=[commands])
    store = MongoStore(client, client.get_default_database().name, "the test server")
    assert store.get_day(TEAM, LAST_MONTH_START) is not None
    assert store.get_day(TEAM, LAST_MONTH_START + timedelta(days=1)) is not None
    store.close()
    assert commands.seen == [("find", "users"), ("find", "stats"), ("find", "stats")]


def test_two_processes_starting_at_once_on_a_new_store_both_succeed(fresh_mongo_uri):
    """Two clients starting together (as two processes would) both make the indexes and the marker."""
    barrier, failures = threading.Barrier(2), []

    def start() -> None:
        try:
            store = MongoStore.connect(fresh_mongo_uri)
            barrier.wait()
            assert store.get_user("nobody") is None
            store.close()
        except Exception as problem:  # noqa: BLE001  (reported below, from the test's own thread)
            failures.append(problem)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    client = pymongo.MongoClient(fresh_mongo_uri)
    database = client.get_default_database()
    made = sorted(f"{c}.{name}" for c in ("users", "stats", "targets") for name in database[c].index_information())
    assert [name for name in made if not name.endswith("._id_")] == INDEX_NAMES
    assert database.users.count_documents({"_id": MARKER_ID}) == 1
    client.close()


def test_a_unique_index_dropped_by_hand_is_caught_by_the_read_that_finds_a_day_twice(cli, shared):
    _, _, database = shared
    database.stats.drop_index("team_date_unique")
    copy = database.stats.find_one({"team": TEAM, "date": LAST_MONTH_START.isoformat()}, {"_id": 0})
    database.stats.insert_one(copy)  # what a race of two first saves of one day can leave without the index

    status, _, err, _ = cli("view", "last month", "--json")
    assert status == 1
    assert f"holds two records of team 'default' for {LAST_MONTH_START}: its unique index on (team, date)" in err
    assert "indexes" not in database.users.find_one({"_id": MARKER_ID})
    status, _, err, _ = cli("view", "last month", "--json")  # the next start can't make it yet
    assert status == 1 and "can't make its unique index on stats: two documents there share a key" in err

    database.stats.delete_one({"team": TEAM, "date": LAST_MONTH_START.isoformat()})
    status, _, _, seen = cli("view", "last month", "--json")
    assert status == 0 and seen == FIRST_START + VIEW[1:]
    assert "team_date_unique" in database.stats.index_information()


def test_a_real_process_ends_cleanly_without_waiting_for_the_drivers_threads(shared, tmp_path):
    # The store's close lets the process end without joining pymongo's daemon threads (they stop at
    # their next half-second tick): nothing may show for it, and the output is complete.
    uri, token, _ = shared
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MONGODB_URI": uri, "STATBOTIC_TOKEN": token}
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "view", "last month", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.rstrip().endswith("}")


def test_the_department_view_is_the_login_and_one_find_for_every_team(cli):
    status, out, _, seen = cli("view", "last month", "--all-teams", "--json")
    assert status == 0 and '"statbotic-department"' in out
    assert seen == VIEW
    # The teams named are checked against the team records, read ahead with the login: no round trip.
    status, _, _, seen = cli("view", "last month", "--teams", TEAM, "--json")
    assert status == 0 and seen == VIEW


def test_a_day_s_history_is_one_find_and_the_audit_log_one_find_per_collection(cli):
    assert cli("add", TODAY.isoformat(), *FIGURES, "--force")[0] == 0
    status, out, _, seen = cli("history", TODAY.isoformat(), "--json")
    assert status == 0 and '"day added"' in out
    assert seen == [LOGIN, ("find", "stats")]  # the day's document, its history only
    status, out, _, seen = cli("audit", "--since", "7d", "--json")
    assert status == 0 and '"token issued"' in out
    assert seen == [LOGIN, ("find", "stats"), ("find", "users")]  # the documents changed since then


def test_a_custom_metric_adds_no_round_trip_to_a_view_or_an_add(cli, shared):
    # The definitions are in the department document, which the login's find brings; an add gives every
    # figure the team tracks, the custom ones by their options (--calls, --handle-time), in the same trips.
    from statbotic.metric_kinds import Kind, MetricDefinition

    uri, _, _ = shared
    store = MongoStore.connect(uri)
    now = datetime.now(UTC).replace(microsecond=0)
    store.save_metric_definition(MetricDefinition("calls", "Calls answered", Kind.COUNT, order=8), "lead", now)
    store.save_metric_definition(
        MetricDefinition("handle_time", "Handle time", Kind.DURATION, maximum=86_400, bases=("calls",), order=9),
        "lead",
        now,
    )
    entered = dict(comments=1, solves=1, chats=1, wait_tenths=10, csat_ratings=1, csat_good=1, calls=4, handle_time=90)
    store.upsert_days([DayRecord(TEAM, TODAY, entered, "lead", now)])
    store.close()
    for arguments in (("last month",), (f"{LAST_MONTH_START.year}", "--daily"), ("last month", "--all-teams")):
        status, _, _, seen = cli("view", *arguments, "--json")
        assert status == 0 and seen == VIEW
    custom = ("--calls", "5", "--handle-time", "80")
    status, out, _, seen = cli("add", TODAY.isoformat(), *FIGURES, *custom, "--force", "--overwrite")
    assert status == 0 and "Updated the stats" in out
    assert seen == ADD
    store = MongoStore.connect(uri)
    assert {k: store.get_day(TEAM, TODAY).entered[k] for k in ("calls", "handle_time", "chats")} == {
        "calls": 5,
        "handle_time": 800,
        "chats": 110,
    }
    store.close()


def test_a_running_period_s_pacing_adds_no_round_trip_to_a_view_or_a_check(cli):
    # Pacing (issue 14) reads the recent window and the rest of the period in the view's one range read.
    for arguments in (("view", "this month", "--json"), ("view", "this week"), ("check", "--for", "this month")):
        status, out, _, seen = cli(*arguments)
        assert status in (0, 3) and seen == VIEW
    assert '"pacing"' in cli("view", "this month", "--json")[1]

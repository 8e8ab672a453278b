"""SQLite specifics: schema versions migrate forward, range queries use the (team, date) key."""

import os
import sqlite3
from datetime import date

import pytest

from statbotic.errors import StoreUnavailable
from statbotic.storage.sqlite import SQLiteStore
from statbotic.storage.sqlite.schema import MIGRATIONS, SCHEMA_VERSION


def test_a_version_1_file_is_migrated_and_keeps_its_data(tmp_path):
    path = tmp_path / "statbotic.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0])
    old.execute("INSERT INTO users VALUES ('dana', 'Dana', 'pbkdf2_sha256$1$YQ$Yg', '2026-01-01T00:00:00+00:00')")
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    store = SQLiteStore(path)
    assert store.get_user("dana").username == "Dana"
    store.set_token_hash("dana", "f" * 64)
    assert store.get_user_by_token_hash("f" * 64).username == "Dana"
    store.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10


def test_a_file_from_a_newer_statbotic_is_refused_plainly(tmp_path):
    path = tmp_path / "statbotic.sqlite3"
    newer = sqlite3.connect(path)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    with pytest.raises(StoreUnavailable, match="newer Statbotic"):
        SQLiteStore(path)


def test_a_damaged_file_is_refused_plainly(tmp_path):
    path = tmp_path / "statbotic.sqlite3"
    path.write_bytes(b"this is not a database at all, just some bytes " * 100)
    with pytest.raises(StoreUnavailable, match="damaged or is not a Statbotic database"):
        SQLiteStore(path)


def test_a_data_folder_that_cannot_be_created_is_explained(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreUnavailable, match="STATBOTIC_DATA_DIR"):
        SQLiteStore(blocker / "data" / "statbotic.sqlite3")


def test_range_queries_search_the_primary_key_instead_of_scanning(tmp_path):
    store = SQLiteStore(tmp_path / "statbotic.sqlite3")
    store.metric_definitions()  # read once per store (and again only when the file changed)
    statements = []
    store._conn.set_trace_callback(statements.append)  # the SQL the store really runs, values filled in
    store.range_totals("default", date(2026, 1, 1), date(2026, 1, 31))
    list(store.iter_days("default", date(2026, 1, 1), date(2026, 1, 31)))
    store.agent_range_totals("default", date(2026, 1, 1), date(2026, 1, 31))
    store._conn.set_trace_callback(None)
    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    # the range's sums per metric and its dates; the days with their values, and their agents' rows;
    # the agents' sums and dates
    assert len(selects) == 6
    for sql in selects:
        plan = " ".join(row[-1] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        searched = plan.replace("SEARCH d ", "SEARCH days ").replace("SEARCH v ", "SEARCH day_values ")
        assert "SCAN" not in plan, (sql, plan)
        assert (
            any(
                f"SEARCH {table} USING PRIMARY KEY (team=? AND date>? AND date<?)" in searched
                for table in ("days", "day_values", "agent_values")
            )
            or "SEARCH d USING PRIMARY KEY (team=? AND date>? AND date<?)" in plan
        ), (sql, plan)
    store.close()


def test_many_processes_opening_a_new_file_at_once_create_the_schema_exactly_once(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    path = tmp_path / "statbotic.sqlite3"
    code = (
        "import sys; from pathlib import Path; from statbotic.storage.sqlite import SQLiteStore; "
        "SQLiteStore(Path(sys.argv[1])).close(); print('ok')"
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(12)
    ]
    results = [child.communicate(timeout=60) for child in children]
    assert [out for out, _ in results] == ["ok\n"] * 12, [err for _, err in results]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def fill_until_it_fails(store: SQLiteStore) -> StoreUnavailable:
    """Save ever more days (with long team names, so the file grows fast) until the store fails."""
    from datetime import UTC, datetime, timedelta

    from statbotic.records import DayRecord

    figures = dict(comments=1, solves=1, chats=1, wait_tenths=10, csat_ratings=1, csat_good=1)
    try:
        for n in range(100_000):
            day = date(2000, 1, 1) + timedelta(days=n)
            store.upsert_day(DayRecord("a-team-name-" * 20, day, figures, "lee", datetime.now(UTC)))
    except StoreUnavailable as problem:
        return problem
    raise AssertionError("the store never failed")


UNDER_A_FILE_SIZE_LIMIT = """
import resource, signal, sys
from pathlib import Path

from statbotic.storage.sqlite import SQLiteStore
from tests.contract.test_sqlite_schema import fill_until_it_fails

store = SQLiteStore(Path(sys.argv[1]))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
problem = fill_until_it_fails(store)
print(problem.message)
print(type(problem.__cause__).__name__, problem.__cause__)
"""


def test_a_write_the_file_system_refuses_names_the_folder_and_says_it_is_full_or_unwritable(tmp_path):
    """SQLite says only 'disk I/O error' when a write fails (here: past the file size limit, EFBIG)."""
    import subprocess
    import sys

    from tests.conftest import ROOT, need

    need(sys.platform != "win32", "RLIMIT_FSIZE (the resource module) is POSIX only")
    folder = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-c", UNDER_A_FILE_SIZE_LIMIT, str(folder / "statbotic.sqlite3")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    message, cause = result.stdout.splitlines()
    assert cause == "OperationalError disk I/O error", result.stdout + result.stderr
    assert message == (
        f"Can't write to the data folder {folder}: the disk is full or can't be written (disk I/O error). "
        "Free some space or check the disk, or set STATBOTIC_DATA_DIR to another folder."
    )


def test_a_full_database_names_the_folder_and_says_it_is_full(tmp_path):
    """SQLITE_FULL, as a full disk gives it; here from the page limit SQLite enforces (PRAGMA max_page_count)."""
    store = SQLiteStore(tmp_path / "statbotic.sqlite3")
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    problem = fill_until_it_fails(store)
    store.close()
    assert isinstance(problem.__cause__, sqlite3.OperationalError)
    assert str(problem.__cause__) == "database or disk is full"
    assert problem.message == (
        f"The disk holding the data folder {tmp_path} is full. "
        "Free some space, or set STATBOTIC_DATA_DIR to a folder on another disk."
    )


def mode(path) -> int:
    return os.stat(path).st_mode & 0o777


def test_a_new_data_folder_and_file_are_private_even_under_umask_022(tmp_path, umask_022):
    folder = tmp_path / "data"
    store = SQLiteStore(folder / "statbotic.sqlite3")
    store.set_token_hash("nobody", "f" * 64)  # a write: the WAL holds it while the store is open
    files = sorted(os.listdir(folder))
    assert files == ["statbotic.sqlite3", "statbotic.sqlite3-shm", "statbotic.sqlite3-wal"]
    assert {name: mode(folder / name) for name in files} == dict.fromkeys(files, 0o600)
    assert mode(folder) == 0o700
    assert store.warnings == ()
    store.close()


def test_existing_files_other_users_can_read_are_named_with_the_fix_and_left_as_they_are(tmp_path, umask_022):
    folder = tmp_path / "shared data"
    folder.mkdir()  # 0755, as an earlier Statbotic (or mkdir) made it
    path = folder / "statbotic.sqlite3"
    sqlite3.connect(path).close()  # 0644
    store = SQLiteStore(path)
    assert store.warnings == (
        f"The data folder {folder} can be read by other users (mode 0755); to keep it private: chmod 700 '{folder}'",
        f"The data file {path} can be read by other users (mode 0644); to keep it private: chmod 600 '{path}'",
    )
    assert store.get_user("nobody") is None  # it still runs
    store.close()
    assert (mode(folder), mode(path)) == (0o755, 0o644)


def selects_run(store: SQLiteStore, read) -> list[str]:
    """The SELECT statements the store runs for ``read()``, values filled in."""
    statements = []
    store._conn.set_trace_callback(statements.append)
    try:
        read()
    finally:
        store._conn.set_trace_callback(None)
    return [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def test_a_range_with_twelve_metrics_is_one_group_by_query_and_one_read_of_its_dates(tmp_path):
    from tests.contract.test_metric_values import CUSTOM, NOVEMBER, OTHER, TEAM, add_customs, builtins, customs, day

    store = SQLiteStore(tmp_path / "statbotic.sqlite3")
    add_customs(store)
    assert len(store.metric_definitions()) == 12 and len(CUSTOM) == 5
    store.upsert_days(day(n, team=team, **builtins(n), **customs(n)) for n in range(1, 29) for team in (TEAM, OTHER))
    one = selects_run(store, lambda: store.range_totals(TEAM, *NOVEMBER))
    assert len(one) == 2, one  # the definitions were read once, and the file has not changed since
    sums, dates = one
    assert "SUM(value), SUM(total), SUM(base), COUNT(*) FROM day_values" in sums and sums.endswith("GROUP BY metric")
    assert dates.startswith("SELECT date FROM days")
    every = selects_run(store, lambda: store.team_range_totals(*NOVEMBER))
    assert len(every) == 2 and every[0].endswith("GROUP BY team, metric"), every
    store.close()


def test_definitions_saved_by_another_process_are_read_again_and_a_stores_own_save_at_once(tmp_path):
    from tests.contract.test_metric_values import CALLS, NOW, SLA

    path = tmp_path / "statbotic.sqlite3"
    mine, theirs = SQLiteStore(path), SQLiteStore(path)
    assert len(mine.metric_definitions()) == len(theirs.metric_definitions()) == 7
    theirs.save_metric_definition(CALLS, "bob", NOW)
    assert CALLS in mine.metric_definitions()
    mine.save_metric_definition(SLA, "alice", NOW)
    assert SLA in mine.metric_definitions() and SLA in theirs.metric_definitions()
    assert selects_run(mine, mine.metric_definitions) == []  # nothing changed since: no read
    mine.close()
    theirs.close()

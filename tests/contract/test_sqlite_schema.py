"""SQLite specifics: schema versions migrate forward, range queries use the (team, date) key."""

import sqlite3
from datetime import date

import pytest

from statbotic.errors import StoreUnavailable
from statbotic.storage.sqlite import MIGRATIONS, SCHEMA_VERSION, SQLiteStore


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
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4


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
    statements = []
    store._conn.set_trace_callback(statements.append)  # the SQL the store really runs, values filled in
    store.range_totals("default", date(2026, 1, 1), date(2026, 1, 31))
    list(store.iter_days("default", date(2026, 1, 1), date(2026, 1, 31)))
    store._conn.set_trace_callback(None)
    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3
    for sql in selects:
        plan = " ".join(row[-1] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "SEARCH stats USING PRIMARY KEY (team=? AND date>? AND date<?)" in plan, (sql, plan)
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

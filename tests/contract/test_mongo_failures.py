"""The MongoDB store when things go wrong: a server that stops mid-session, one that is down at
start, a bad URI.  The app says something useful and never shows a traceback or saves half a day."""

import subprocess
import sys
from datetime import date

import pytest

from statbotic.config import Settings
from statbotic.logfile import mask_uri
from statbotic.storage.mongo import MongoStore
from tests.conftest import ROOT, database_uri, need
from tests.transcript import EXIT, LOGIN, figures, menu, period, play

pytestmark = pytest.mark.mongo


@pytest.fixture
def own_server(tmp_path):
    """A wire server of this test's own, so stopping it disturbs no other test."""
    from tests.support.wireserver import WireServer, WireServerUnavailable, ensure_binary

    try:
        binary = ensure_binary()
    except WireServerUnavailable as problem:
        need(False, f"no MongoDB-wire server: {problem.reason}")
    server = WireServer(binary, tmp_path / "wire")
    server.start()
    yield server
    server.close()


def test_a_server_stopped_mid_session_is_explained_and_the_save_retried_after_restart(
    own_server, tmp_path, password_hash
):
    from statbotic.records import User
    from statbotic.services import utc_now

    uri = database_uri(own_server.uri, "midsession")
    settings = Settings(data_dir=tmp_path / "data", export_dir=tmp_path / "exports", mongodb_uri=uri)
    store = MongoStore.connect(uri)
    store.add_user(User("alice", password_hash, utc_now(), teams={"default": "lead"}))

    def stop_then(answer):
        def act():
            own_server.stop()
            return answer

        return act

    def restart_then_yes():
        own_server.restart()
        return "y"

    # The server stops as Save? is answered (the figures were checked against the history just before):
    # the first retry fails, the second follows a restart.
    saving = [*menu("1"), ("Date", "2026-11-24"), *figures("7", "7", "10", "7", "10", "7"), ("Save?", stop_then("y"))]
    retrying = [("Try again", "y"), ("Try again", restart_then_yes), ("Enter more stats", "n")]
    viewing = [*menu("2"), *period("2026-11-24", "0"), ("View more", "n")]
    console = play(store, settings, LOGIN, saving, retrying, viewing, EXIT)
    host = uri.split("//")[1].split("/")[0]
    assert console.text.count(f"Can't reach the database at {host} — check MONGODB_URI or your network.") == 2
    assert "Saved the stats for 2026-11-24." in console.text
    assert "Days with data: 1 of 1." in console.text
    assert store.get_day("default", date(2026, 11, 24)).entered["comments"] == 7
    store.close()


def run_app(env_extra: dict, stdin: str, tmp_path) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NO_COLOR": "1",
        "PYTHONPATH": str(ROOT),
        "STATBOTIC_DATA_DIR": str(tmp_path / "data"),
        **env_extra,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py")],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )


def test_a_server_down_at_start_is_explained_and_retry_can_be_declined(tmp_path):
    # The menus appear at once; the store is opened by the first option that needs it.
    result = run_app({"MONGODB_URI": "mongodb://lead:hunter2secret@127.0.0.1:9/statbotic"}, "1\nn\n0\n", tmp_path)
    output = result.stdout + result.stderr
    assert "Can't reach the database at 127.0.0.1:9 — check MONGODB_URI or your network." in output
    assert "Try again? (y/n)" in output
    assert "Cancelled. Nothing was saved." in output
    assert output.count("Login menu") == 2
    assert result.returncode == 0
    assert "Traceback" not in output and "hunter2secret" not in output
    log = (tmp_path / "data" / "statbotic.log").read_text()
    assert "ServerSelectionTimeoutError" in log and "MONGODB_URI=mongodb://lead:***@127.0.0.1:9" in log
    assert "hunter2secret" not in log


@pytest.mark.parametrize("uri", ["mongodb://lead:hunter2secret@", "mysql://lead:hunter2secret@db/x", "mongodb://"])
def test_a_bad_uri_names_the_setting_and_hides_the_password(tmp_path, uri):
    result = run_app({"MONGODB_URI": uri}, "2\n", tmp_path)
    output = result.stdout + result.stderr
    assert "MONGODB_URI is not a usable MongoDB connection string" in output
    if uri.startswith("mongodb"):
        assert result.returncode == 0  # the message, then the login menu again, then end of input
    else:  # found at start, before the banner (environment.py): the app stops
        assert result.returncode == 1 and "Login menu" not in output
    assert "Traceback" not in output and "hunter2secret" not in output


def test_mask_uri_hides_only_the_password():
    assert (
        mask_uri("mongodb+srv://lead:s3cr%40t@cluster0.x.net/db?tls=true")
        == "mongodb+srv://lead:***@cluster0.x.net/db?tls=true"
    )
    assert mask_uri("mongodb://127.0.0.1:27017/") == "mongodb://127.0.0.1:27017/"

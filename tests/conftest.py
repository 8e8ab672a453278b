"""Shared fixtures: settings in a temp folder, and a ``store`` on every backend.

The MongoDB backend runs against a real MongoDB-wire server: STATBOTIC_TEST_MONGODB_URI if set,
else FerretDB built from tests/wireserver with Go.  Without either, MongoDB tests skip with the
reason -- except under CI=true, where they fail: CI must run them.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from statbotic.config import Settings

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "mongo"]


@pytest.fixture(autouse=True)
def hermetic_environment(monkeypatch):
    """No test sees the developer's own Statbotic settings (a STATBOTIC_TOKEN, a MONGODB_URI...)."""
    for name in list(os.environ):
        ours = name.startswith("STATBOTIC_") and not name.startswith(("STATBOTIC_TEST", "STATBOTIC_WIRESERVER"))
        if ours or name == "MONGODB_URI":
            monkeypatch.delenv(name)


@pytest.fixture
def umask_022():
    """The usual umask (files 0644, folders 0755 unless created otherwise), whatever the test runner's."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mongo_unavailable_reason() -> str | None:
    """Why the MongoDB tests can't run here, or None when they can (checked once, cheaply)."""
    import shutil

    if os.environ.get("STATBOTIC_TEST_MONGODB_URI", "").strip() or shutil.which("go"):
        return None
    return (
        "MongoDB tests skipped: Go is not installed (it builds the FerretDB wire server) "
        "and STATBOTIC_TEST_MONGODB_URI is not set"
    )


def pytest_collection_modifyitems(config, items):
    reason = mongo_unavailable_reason()
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "mongo":
            item.add_marker(pytest.mark.mongo)
            if reason and not IN_CI:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_report_header(config):
    reason = mongo_unavailable_reason()
    if reason is None:
        given = os.environ.get("STATBOTIC_TEST_MONGODB_URI", "").strip()
        return "MongoDB tests: " + ("STATBOTIC_TEST_MONGODB_URI" if given else "FerretDB wire server built with Go")
    return reason + (" -- but CI=true, so they will fail" if IN_CI else "")


def need(condition: bool, reason: str) -> None:
    """Skip loudly when something a test needs is missing; under CI=true, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def mongo_server_uri(tmp_path_factory) -> str:
    """The base URI of a running MongoDB-wire server for the whole session."""
    given = os.environ.get("STATBOTIC_TEST_MONGODB_URI", "").strip()
    if given:
        yield given
        return
    from tests.support.wireserver import WireServer, WireServerUnavailable, ensure_binary

    try:
        binary = ensure_binary()
    except WireServerUnavailable as problem:
        need(False, f"no MongoDB-wire server for the MongoDB tests: {problem.reason}")
    server = WireServer(binary, tmp_path_factory.mktemp("wireserver"))
    try:
        server.start()
    except WireServerUnavailable as problem:
        need(False, f"the MongoDB-wire server did not start: {problem.reason}")
    yield server.uri
    server.stop()


def database_uri(base_uri: str, name: str) -> str:
    """The server URI with a database name of our own (each test gets a fresh database)."""
    head, _, query = base_uri.partition("?")
    scheme, _, rest = head.partition("://")
    hosts = rest.split("/", 1)[0]
    return f"{scheme}://{hosts}/{name}" + (f"?{query}" if query else "")


@pytest.fixture
def fresh_mongo_uri(request) -> str:
    base = request.getfixturevalue("mongo_server_uri")
    return database_uri(base, f"statbotic_test_{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def settings(tmp_path: Path, backend, request) -> Settings:
    """Settings for one test on one backend, with data and exports in a temp folder."""
    mongodb_uri = request.getfixturevalue("fresh_mongo_uri") if backend == "mongo" else None
    return Settings(data_dir=tmp_path / "data", export_dir=tmp_path / "exports", mongodb_uri=mongodb_uri)


@pytest.fixture
def store(settings):
    from statbotic.storage import open_store

    opened = open_store(settings)
    yield opened
    opened.close()


PASSWORD = "s3cret-pass"


@pytest.fixture(scope="session")
def password_hash() -> str:
    from statbotic import auth

    return auth.hash_password(PASSWORD)  # hashed once: each hash takes a deliberate ~0.3 s


@pytest.fixture
def alice(store, password_hash):
    """A registered user 'alice' (password PASSWORD) in the test's store: an admin, and lead of team default
    (what the first user of a new store is)."""
    from statbotic.records import User
    from statbotic.services import utc_now

    user = User("alice", password_hash, utc_now(), admin=True, teams={"default": "lead"})
    store.add_user(user)
    return user


@pytest.fixture
def as_alice(store, settings, alice):
    """Play a transcript as alice: logged in first, Exit last (tests/transcript.py builds the steps)."""
    from tests.transcript import EXIT, LOGIN, play

    def session(*steps, leaving=None):
        if leaving is None:
            return play(store, settings, LOGIN, *steps, EXIT)
        return play(store, settings, LOGIN, *steps, leaving=leaving)

    return session


def use_store_from_the_environment(settings, monkeypatch, tmp_path, **more: str) -> dict[str, str]:
    """Set the environment a `statbotic` command reads to this test's store (and ``more`` settings),
    and run in tmp_path; the variables set."""
    env = {
        "STATBOTIC_DATA_DIR": str(settings.data_dir),
        "STATBOTIC_EXPORT_DIR": str(settings.export_dir),
        "NO_COLOR": "1",
        **more,
    }
    if settings.mongodb_uri:
        env["MONGODB_URI"] = settings.mongodb_uri
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    return env

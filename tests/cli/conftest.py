"""The CLI tests' environment: this test's store, a user 'lead' who logs in by environment variables
(the first user: an admin), and ``org``: teams and people with every role, for the people commands."""

import io
import sys
from datetime import UTC, date, datetime

import pytest

from statbotic import services
from statbotic.cli import main
from statbotic.records import DayRecord, Team, User
from tests.conftest import use_store_from_the_environment

PASSWORD = "cli-password-1"


@pytest.fixture
def cli_env(settings, monkeypatch, tmp_path):
    """Environment for the CLI on this test's backend, with a user 'lead' who logs in by env."""
    env = use_store_from_the_environment(
        settings, monkeypatch, tmp_path, STATBOTIC_USER="lead", STATBOTIC_PASSWORD=PASSWORD
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "lead", "--password-stdin"]) == 0
    return env


NOW = datetime(2026, 11, 26, tzinfo=UTC)
DAY = "2026-11-03"  # billing has figures for it
FIGURES = dict(comments=30, solves=10, chats=120, wait_tenths=500, csat_ratings=100, csat_good=90)
PEOPLE = {  # name -> (teams and roles, admin); each logs in with PASSWORD
    "vic": ({"billing": "viewer"}, False),
    "lena": ({"billing": "lead"}, False),
    "sam": ({"support": "lead"}, False),
    "dis": ({"billing": "lead"}, False),  # disabled, after taking a token: see ``org``
    "nobody": ({}, False),
}


@pytest.fixture(scope="session")
def cli_password_hash() -> str:
    from statbotic import auth

    return auth.hash_password(PASSWORD)  # once: each hash takes a deliberate ~0.3 s


@pytest.fixture
def org(cli_env, store, cli_password_hash, monkeypatch):
    """Beside cli_env's admin 'lead': teams billing and support, the PEOPLE, billing's figures for DAY,
    and 'dis' disabled after taking a token (returned: ``org["token"]``)."""
    for team in ("billing", "support"):
        store.add_team(Team(team, team.title(), NOW), "lead")
    for name, (teams, admin) in PEOPLE.items():
        store.add_user(User(name, cli_password_hash, NOW, admin, teams), by="lead")
    store.upsert_day(DayRecord("billing", date.fromisoformat(DAY), FIGURES, "lena", NOW))
    token = services.issue_token(store, store.get_user("dis"))
    assert store.update_user("dis", by="lead", at=NOW, disabled=True).disabled
    return {"token": token}


def snapshot(store) -> dict:
    """Everything a people or data command could change, read afresh: compare before and after a refusal."""
    from statbotic.records import user_values

    return {
        "users": [(u.username, u.password_hash, u.email, user_values(u)) for u in store.iter_users()],
        "teams": store.teams(),
        "registration": store.get_registration(),
        "days": list(store.iter_all_days()),
        "targets": list(store.iter_all_targets()),
        "audit": len(store.audit_since(datetime(1970, 1, 1, tzinfo=UTC))),
    }

"""An attacker's world on each backend: two teams with figures and targets, a person of every role, and
``snapshot(store)``, the whole store read afresh, to show that a refused attempt changed nothing.

alpha (team A) and beta (team B) have figures for DAY that no other number in the store equals, so an
output that leaks B's figures is caught by a plain search for them.  Everyone logs in with
tests.conftest.PASSWORD (hashed once a session); vic, ann and dis also have tokens, and dis is disabled.
"""

import io
import sys
from datetime import UTC, date, datetime

import pytest

from statbotic import services
from statbotic.cli import main
from statbotic.config import Settings
from statbotic.frozen import replace
from statbotic.metrics import Direction, Goal
from statbotic.records import INVITE, DayRecord, Registration, Target, Team, User
from tests.conftest import PASSWORD, use_store_from_the_environment

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 26, tzinfo=UTC)
A, B = "alpha", "beta"
DAY = "2026-11-03"
FIGURES_A = dict(comments=30, solves=10, chats=120, wait_tenths=500, csat_ratings=100, csat_good=90)
FIGURES_B = dict(comments=4321, solves=1234, chats=987, wait_tenths=6543, csat_ratings=555, csat_good=444)
B_MARKS = ("4321", "1,234", "1234", "4,321", "987", "555", "444")  # B's figures as any output would print them
NEW_FIGURES = [  # a day's figures for `statbotic add`
    *("--comments", "11", "--solves", "5", "--chats", "40", "--wait", "30"),
    *("--ratings", "10", "--positive", "9"),
]
PEOPLE = {  # name -> (admin, teams)
    "root": (True, {A: "lead"}),
    "ann": (False, {A: "lead"}),  # a lead of team A
    "vic": (False, {A: "viewer"}),  # a viewer of team A
    "bob": (False, {B: "lead"}),  # a lead of team B
    "dis": (False, {A: "lead"}),  # disabled after taking a token
}


def snapshot(store) -> dict:
    """Everything in the store a command could change (but login states, which failures change by design):
    every day of every team, every user whole (hash included), the teams, the registration setting, every
    target, and the audit log entry by entry."""
    return {
        "days": list(store.iter_all_days()),
        "users": list(store.iter_users()),
        "teams": store.teams(),
        "registration": store.get_registration(),
        "targets": list(store.iter_all_targets()),
        "audit": store.audit_since(EPOCH),
    }


@pytest.fixture
def world(store, settings, password_hash, monkeypatch, tmp_path):
    """The store with teams A and B, PEOPLE, figures and a target for DAY in each team, registration by
    invite; the CLI's environment pointing at it (STATBOTIC_TEAM=alpha, nobody logged in yet).
    Returns the tokens by name."""
    for team in (A, B):
        store.add_team(Team(team, team.title(), NOW), "root")
    for name, (admin, teams) in PEOPLE.items():
        store.add_user(User(name, password_hash, NOW, admin, teams), by="root")
    day = date.fromisoformat(DAY)
    store.upsert_day(DayRecord(A, day, FIGURES_A, "ann", NOW))
    store.upsert_day(DayRecord(B, day, FIGURES_B, "bob", NOW))
    store.set_target(A, Target("csat_percent", Goal(Direction.AT_LEAST, 95), "ann", NOW))
    store.set_target(B, Target("csat_percent", Goal(Direction.AT_LEAST, 97), "bob", NOW))
    store.set_registration(Registration(INVITE), "root", NOW)
    tokens = {name: services.issue_token(store, store.get_user(name)) for name in ("vic", "ann", "dis")}
    assert store.update_user("dis", by="root", at=NOW, disabled=True).disabled
    use_store_from_the_environment(settings, monkeypatch, tmp_path, STATBOTIC_TEAM=A)
    return tokens


@pytest.fixture
def menu_settings(settings) -> Settings:
    """The menus' settings: team A is the default team, as STATBOTIC_TEAM makes it for the CLI."""
    return replace(settings, team=A)


class Attacker:
    """Runs `statbotic ...` in-process as someone: by name and password, or by a token."""

    def __init__(self, monkeypatch, capsys) -> None:
        self.monkeypatch, self.capsys = monkeypatch, capsys

    def as_user(self, name: str, password: str = PASSWORD) -> "Attacker":
        self.monkeypatch.delenv("STATBOTIC_TOKEN", raising=False)
        self.monkeypatch.setenv("STATBOTIC_USER", name)
        self.monkeypatch.setenv("STATBOTIC_PASSWORD", password)
        return self

    def with_token(self, token: str) -> "Attacker":
        self.monkeypatch.delenv("STATBOTIC_USER", raising=False)
        self.monkeypatch.delenv("STATBOTIC_PASSWORD", raising=False)
        self.monkeypatch.setenv("STATBOTIC_TOKEN", token)
        return self

    def nobody(self) -> "Attacker":
        for name in ("STATBOTIC_TOKEN", "STATBOTIC_USER", "STATBOTIC_PASSWORD"):
            self.monkeypatch.delenv(name, raising=False)
        return self

    def run(self, *argv: str, stdin: str = "") -> tuple[int, str, str]:
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        status = main(list(argv))
        out, err = self.capsys.readouterr()
        assert "Traceback" not in out + err
        return status, out, err

    def refused(self, *argv: str, stdin: str = "new-password-1\n") -> str:
        """Run a command that must be refused: exit 1, nothing on stdout, one line on stderr (returned)."""
        status, out, err = self.run(*argv, stdin=stdin)
        assert (status, out) == (1, ""), (argv, status, out, err)
        assert err.startswith("statbotic: ") and err.count("\n") == 1, (argv, err)
        return err.removeprefix("statbotic: ").rstrip("\n")


@pytest.fixture
def attacker(world, monkeypatch, capsys) -> Attacker:
    return Attacker(monkeypatch, capsys)

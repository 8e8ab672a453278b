"""Every command that changes or reveals something refuses whoever may not: a viewer, a lead of another
team (or of their own, for admin commands), a disabled user by password, and by their token.  Each refusal
exits 1 with one line, and a fresh read of the store shows nothing changed (conftest.snapshot)."""

import io
import sys

import pytest

from tests.cli.conftest import DAY, PASSWORD, snapshot
from tests.cli.test_commands import FIGURES, run

ADMIN_ONLY = [
    ["users", "list"],
    ["users", "add", "newbie", "--team", "billing", "--password-stdin"],
    ["users", "role", "vic", "--team", "billing", "--role", "lead"],
    ["users", "role", "vic", "--team", "billing", "--remove"],
    ["users", "admin", "vic", "--grant"],
    ["users", "disable", "vic"],
    ["users", "enable", "dis"],
    ["users", "edit", "vic", "--agent", "Vic Agent"],
    ["users", "edit", "dis", "--no-agent"],
    ["users", "reset", "vic"],
    ["users", "unlock", "vic"],
    ["teams", "add", "newteam"],
    ["teams", "rename", "billing", "Renamed"],
    ["registration", "show"],
    ["registration", "set", "--mode", "open"],
    ["audit"],
]
BILLING_LEADS = [  # admins, and leads of billing
    ["users", "invite", "--team", "billing", "--role", "viewer"],
    ["delete", DAY, "--team", "billing", "--yes"],
    ["add", "2026-11-04", *FIGURES, "--team", "billing", "--force"],
    ["targets", "set", "csat", ">= 90", "--team", "billing"],
    ["targets", "clear", "csat", "--team", "billing"],
]
BILLING_VIEWERS = [  # anyone in billing
    ["view", DAY, "--team", "billing"],
    ["export", DAY, "--format", "json", "-o", "-", "--team", "billing"],
    ["history", DAY, "--team", "billing"],
    ["targets", "list", "--team", "billing"],
]
NOT_ADMINS = ["vic", "lena", "sam", "dis", "token of dis"]
NOT_BILLING_LEADS = ["vic", "sam", "dis", "token of dis"]
NOT_IN_BILLING = ["sam", "nobody", "dis", "token of dis"]
CASES = (
    [(argv, who) for argv in ADMIN_ONLY for who in NOT_ADMINS]
    + [(argv, who) for argv in BILLING_LEADS for who in NOT_BILLING_LEADS]
    + [(argv, who) for argv in BILLING_VIEWERS for who in NOT_IN_BILLING]
)


def act_as(monkeypatch, org, who: str) -> None:
    if who == "token of dis":
        monkeypatch.delenv("STATBOTIC_USER")
        monkeypatch.delenv("STATBOTIC_PASSWORD")
        monkeypatch.setenv("STATBOTIC_TOKEN", org["token"])
    else:
        monkeypatch.setenv("STATBOTIC_USER", who)
        monkeypatch.setenv("STATBOTIC_PASSWORD", PASSWORD)
    monkeypatch.setattr(sys, "stdin", io.StringIO("new-password-1\n"))


@pytest.mark.parametrize("argv, who", CASES, ids=[f"{' '.join(a[:2])}-by-{w}" for a, w in CASES])
def test_refused_with_one_line_and_nothing_changed(org, store, capsys, monkeypatch, argv, who):
    before = snapshot(store)
    act_as(monkeypatch, org, who)
    status, out, err = run(capsys, *argv)
    assert (status, out) == (1, ""), err
    assert err.startswith("statbotic: ") and err.count("\n") == 1, err
    if who in ("dis", "token of dis"):
        assert "disabled" in err
    assert snapshot(store) == before


def test_the_refused_commands_work_for_an_admin(org, store, capsys, monkeypatch):
    """The other side of the table: each command above, run by the admin 'lead', succeeds."""
    for argv in BILLING_VIEWERS + ADMIN_ONLY + BILLING_LEADS:  # deleting the day last but one
        monkeypatch.setattr(sys, "stdin", io.StringIO("new-password-1\n"))
        status, _, err = run(capsys, *argv)
        assert status == 0, (argv, err)


def test_a_lead_does_in_their_own_team_what_they_may(org, capsys, monkeypatch):
    act_as(monkeypatch, org, "lena")
    for argv in BILLING_VIEWERS + BILLING_LEADS:
        assert run(capsys, *argv)[0] == 0, argv


def test_a_lead_cant_invite_into_another_team(org, store, capsys, monkeypatch):
    before = snapshot(store)
    act_as(monkeypatch, org, "lena")
    status, _, err = run(capsys, "users", "invite", "--team", "support", "--role", "viewer")
    assert status == 1 and err == "statbotic: lena is not in team support: ask an admin to add you to it.\n"
    assert snapshot(store) == before


def test_a_team_the_user_isnt_in_is_refused(org, capsys, monkeypatch):
    act_as(monkeypatch, org, "vic")
    status, out, err = run(capsys, "view", DAY, "--team", "support")
    assert (status, out) == (1, "") and err == "statbotic: vic is not in team support: ask an admin to add you to it.\n"


def test_an_unknown_team_is_refused_naming_the_users_own(org, capsys, monkeypatch):
    act_as(monkeypatch, org, "vic")
    status, _, err = run(capsys, "view", DAY, "--team", "bililng")
    assert status == 1 and err == "statbotic: There is no team 'bililng'. Your teams: billing.\n"
    monkeypatch.setenv("STATBOTIC_USER", "lead")
    status, _, err = run(capsys, "delete", DAY, "--team", "bililng", "--yes")
    assert status == 1 and err == "statbotic: There is no team 'bililng'. Your teams: billing, default, support.\n"
    status, _, err = run(capsys, "users", "invite", "--team", "bililng", "--role", "viewer")
    assert status == 1 and "There is no team 'bililng'." in err


def test_a_user_in_no_team_is_told_so(org, capsys, monkeypatch):
    act_as(monkeypatch, org, "nobody")
    status, _, err = run(capsys, "view", DAY)
    assert status == 1 and err == "statbotic: nobody is in no team yet: ask an admin to add you to one.\n"


def test_a_viewer_is_refused_before_being_asked_to_confirm_a_delete(org, store, capsys, monkeypatch):
    before = snapshot(store)
    act_as(monkeypatch, org, "vic")
    status, _, err = run(capsys, "delete", DAY, "--team", "billing")  # no --yes, no terminal: still exit 1
    assert status == 1 and err == "statbotic: Only a lead of team billing can delete days; vic is a viewer there.\n"
    assert snapshot(store) == before

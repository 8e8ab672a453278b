"""The people commands' success paths and JSON shapes: users, teams, registration, invites, resets, delete.

On both backends (``org`` in conftest.py: admin 'lead', teams billing and support, a viewer, leads, a
disabled user).  Refusals are in test_refusals.py."""

import io
import json
import re
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.cli.conftest import DAY, PASSWORD, snapshot
from tests.cli.test_commands import run

CODE = re.compile(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}\n")


def as_user(monkeypatch, name: str, password: str = PASSWORD) -> None:
    monkeypatch.setenv("STATBOTIC_USER", name)
    monkeypatch.setenv("STATBOTIC_PASSWORD", password)


def stdin(monkeypatch, *lines: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))


def users_json(capsys) -> dict:
    status, out, _ = run(capsys, "users", "list", "--json")
    assert status == 0
    return {user["name"]: user for user in json.loads(out)["users"]}


def test_users_list_as_a_table_and_as_json(org, capsys):
    status, out, _ = run(capsys, "users", "list")
    assert status == 0
    header = out.splitlines()[1]
    assert [cell.strip() for cell in header.strip("│|").split("│" if "│" in header else "|")] == [
        "User", "Admin", "Teams", "Last login", "Status", "E-mail", "Agent"
    ]  # fmt: skip
    assert "billing:viewer" in out and "disabled" in out and "never" in out
    users = users_json(capsys)
    assert set(users) == {"lead", "vic", "lena", "sam", "dis", "nobody"}
    assert set(users["vic"]) == {"name", "admin", "teams", "last_login", "status", "email", "agent", "created_at"}
    assert users["vic"]["agent"] is None
    assert users["lead"]["admin"] is True and users["lead"]["teams"] == {"default": "lead"}
    assert users["lead"]["status"] == "active" and datetime.fromisoformat(users["lead"]["last_login"])
    assert (users["vic"]["teams"], users["vic"]["last_login"], users["vic"]["email"]) == (
        {"billing": "viewer"},
        None,
        None,
    )
    assert users["dis"]["status"] == "disabled"


def test_users_list_says_locked(org, capsys, monkeypatch):
    as_user(monkeypatch, "vic", "not-the-password")
    for _ in range(5):
        assert run(capsys, "view", "today")[0] == 1
    as_user(monkeypatch, "lead")
    assert users_json(capsys)["vic"]["status"] == "locked"


def test_users_add_into_a_team_with_a_role(org, capsys, monkeypatch):
    stdin(monkeypatch, "new-password-1")
    status, out, _ = run(capsys, "users", "add", "newbie", "--team", "support", "--role", "lead", "--password-stdin")
    assert (status, out) == (0, "Added newbie, a lead of team support.\n")
    assert users_json(capsys)["newbie"]["teams"] == {"support": "lead"}
    status, _, err = run(capsys, "users", "add", "other", "--role", "lead", "--password-stdin")
    assert status == 2 and "--role is the role in --team" in err


def test_users_role_puts_in_changes_and_takes_out(org, capsys):
    status, out, _ = run(capsys, "users", "role", "vic", "--team", "support", "--role", "lead")
    assert (status, out) == (0, "vic is now a viewer of team billing and a lead of team support.\n")
    assert run(capsys, "users", "role", "vic", "--team", "billing", "--role", "lead")[0] == 0
    assert users_json(capsys)["vic"]["teams"] == {"billing": "lead", "support": "lead"}
    status, out, _ = run(capsys, "users", "role", "vic", "--team", "billing", "--remove")
    assert (status, out) == (0, "vic is now a lead of team support.\n")
    status, _, err = run(capsys, "users", "role", "vic", "--team", "billing", "--remove")
    assert status == 1 and err == "statbotic: vic is not in team billing.\n"
    status, _, err = run(capsys, "users", "role", "vic", "--team", "billing")
    assert status == 2 and "one of the arguments --role --remove is required" in err


def test_users_edit_links_a_user_to_an_agent_shown_by_users_list_and_audited(org, store, capsys):
    status, out, err = run(capsys, "users", "edit", "VIC", "--agent", "  Ana Lima ")
    assert (status, out, err) == (0, "vic is linked to agent Ana Lima: Ana Lima's figures are vic's own.\n", "")
    assert store.get_user("vic").agent == "Ana Lima"  # trimmed, case kept
    assert users_json(capsys)["vic"]["agent"] == "Ana Lima"
    status, out, _ = run(capsys, "users", "list")
    vic_row = next(line for line in out.splitlines() if line.startswith(("│ vic ", "| vic ")))
    assert vic_row.rstrip("│| ").endswith("Ana Lima")  # the last column, Agent
    status, out, _ = run(capsys, "audit", "--json")
    changes = [e for e in json.loads(out)["entries"] if e["action"] == "user changed" and e["subject"] == "vic"]
    assert [(e["before"].get("agent"), e["after"].get("agent")) for e in changes] == [(None, "Ana Lima")]
    assert "agent" not in changes[0]["before"]  # unlinked: no key at all, as in entries from before agents
    status, out, _ = run(capsys, "audit")
    assert "user changed: vic: agent none → agent Ana Lima" in " ".join(out.split())

    assert run(capsys, "users", "edit", "vic", "--agent", "ANA LIMA")[0] == 0  # another name: case counts
    assert store.get_user("vic").agent == "ANA LIMA"
    assert run(capsys, "users", "edit", "vic", "--no-agent") == (0, "vic is linked to no agent.\n", "")
    assert store.get_user("vic").agent is None and users_json(capsys)["vic"]["agent"] is None


def test_users_edit_links_a_disabled_user_and_yourself_too(org, store, capsys):
    assert run(capsys, "users", "edit", "dis", "--agent", "Dee Iss")[0] == 0
    assert run(capsys, "users", "edit", "lead", "--agent", "Lee Ad")[0] == 0
    assert (store.get_user("dis").agent, store.get_user("lead").agent) == ("Dee Iss", "Lee Ad")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["vic"], "one of the arguments --agent --no-agent is required"),
        (["vic", "--agent", "A", "--no-agent"], "not allowed with argument"),
        (["vic", "--agent", "   "], "An agent's name has 1 to 80 printable characters"),
        (["vic", "--agent", "x" * 81], "An agent's name has 1 to 80 printable characters"),
        (["vic", "--agent", "Ana\tLima"], "An agent's name has 1 to 80 printable characters"),
        (["vic", "--agent", "(unassigned)"], "(unassigned) holds the imported rows that name no agent"),
        (["no such user!", "--agent", "Ana"], "3 to 32"),
    ],
)
def test_users_edit_refuses_bad_arguments_as_usage_errors_changing_nothing(org, store, capsys, argv, message):
    before = snapshot(store)
    status, out, err = run(capsys, "users", "edit", *argv)
    assert (status, out) == (2, "") and message in err
    assert snapshot(store) == before


def test_users_edit_of_an_unknown_user_fails_changing_nothing(org, store, capsys):
    before = snapshot(store)
    assert run(capsys, "users", "edit", "ghost", "--agent", "Ana Lima") == (
        1, "", "statbotic: There is no user named 'ghost'.\n"
    )  # fmt: skip
    assert snapshot(store) == before


def test_an_agent_name_of_80_characters_is_kept_whole(org, store, capsys):
    name = "Ã" + "é" * 78 + "z"  # printable, not ASCII
    assert run(capsys, "users", "edit", "vic", "--agent", name)[0] == 0
    assert store.get_user("vic").agent == name and len(name) == 80


def test_users_admin_grant_and_revoke_but_never_the_last_admin(org, capsys):
    status, _, err = run(capsys, "users", "admin", "lead", "--revoke")
    assert status == 1 and err == "statbotic: That would leave no admin: make another user an admin first.\n"
    assert run(capsys, "users", "admin", "sam", "--grant") == (0, "sam is now an admin.\n", "")
    assert users_json(capsys)["sam"]["admin"] is True
    assert run(capsys, "users", "admin", "sam", "--revoke") == (0, "sam is no longer an admin.\n", "")
    status, _, err = run(capsys, "users", "admin", "sam", "--grant", "--revoke")
    assert status == 2 and "not allowed with argument" in err


def test_disable_stops_password_and_token_and_enable_restores_both(org, capsys, monkeypatch):
    as_user(monkeypatch, "vic")
    status, token, _ = run(capsys, "users", "token")
    assert status == 0 and token.startswith("sbt_")
    as_user(monkeypatch, "lead")
    status, out, _ = run(capsys, "users", "disable", "vic")
    assert (status, out) == (0, "Disabled vic: their password and token no longer log in.\n")

    as_user(monkeypatch, "vic")
    status, out, err = run(capsys, "view", "today", "--team", "billing")
    assert (status, out, err) == (1, "", "statbotic: This account is disabled: ask an admin to enable it.\n")
    monkeypatch.delenv("STATBOTIC_USER")
    monkeypatch.setenv("STATBOTIC_TOKEN", token.strip())
    status, out, err = run(capsys, "view", "today", "--team", "billing")
    assert (status, out) == (1, "") and err == "statbotic: That access token's user, vic, is disabled: ask an admin.\n"

    monkeypatch.delenv("STATBOTIC_TOKEN")
    as_user(monkeypatch, "lead")
    assert run(capsys, "users", "enable", "vic") == (0, "Enabled vic.\n", "")
    monkeypatch.setenv("STATBOTIC_TOKEN", token.strip())
    monkeypatch.delenv("STATBOTIC_USER")
    assert run(capsys, "teams", "list", "--json")[0] == 0
    monkeypatch.delenv("STATBOTIC_TOKEN")
    as_user(monkeypatch, "vic")
    assert run(capsys, "teams", "list", "--json")[0] == 0


def test_an_admin_cant_disable_themselves(org, capsys):
    status, _, err = run(capsys, "users", "disable", "LEAD")
    assert status == 1 and err == "statbotic: You can't disable yourself: ask another admin.\n"


def test_reset_prints_a_code_alone_and_set_password_uses_it_once(org, capsys, monkeypatch):
    status, code, err = run(capsys, "users", "reset", "vic")
    assert status == 0 and CODE.fullmatch(code), code
    expires = datetime.strptime(err.split("until ")[1][:16], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(hours=24)
    assert "statbotic users set-password vic --code CODE" in err and code.strip() not in err

    monkeypatch.delenv("STATBOTIC_USER")  # no login: the code is the credential
    monkeypatch.delenv("STATBOTIC_PASSWORD")
    stdin(monkeypatch, "brand-new-pass-1")
    typed = code.strip().lower().replace("-", " ")  # as read aloud
    status, out, _ = run(capsys, "users", "set-password", "vic", "--code", typed, "--password-stdin")
    assert (status, out) == (0, "The password of vic is set; log in with it.\n")
    stdin(monkeypatch, "brand-new-pass-2")
    status, _, err = run(capsys, "users", "set-password", "vic", "--code", code.strip(), "--password-stdin")
    assert status == 1 and err == "statbotic: That reset code is not valid for this name: it may be used or expired.\n"

    as_user(monkeypatch, "vic", "brand-new-pass-1")
    assert run(capsys, "teams", "list")[0] == 0
    as_user(monkeypatch, "vic")
    assert run(capsys, "teams", "list")[0] == 1


def test_wrong_reset_codes_lock_the_name_like_wrong_passwords(org, capsys, monkeypatch):
    errors = []
    for _ in range(5):
        stdin(monkeypatch, "brand-new-pass-1")
        status, _, err = run(
            capsys, "users", "set-password", "vic", "--code", "AAAA-BBBB-CCCC-DDDD", "--password-stdin"
        )
        assert status == 1
        errors.append(err)
    assert errors[-1].startswith("statbotic: Too many failed logins for this name. Try again in")
    status, _, err = run(capsys, "users", "set-password", "vic", "--password-stdin")
    assert status == 2 and "use --code CODE" in err


def test_an_invite_prints_a_code_alone_and_registers_once(org, capsys, monkeypatch):
    as_user(monkeypatch, "lena")  # a lead invites into their own team
    status, code, err = run(capsys, "users", "invite", "--team", "billing", "--role", "viewer", "--days", "2")
    assert status == 0 and CODE.fullmatch(code), code
    assert "Invite into team billing as a viewer, single use, until " in err and code.strip() not in err
    expires = datetime.strptime(err.split("until ")[1][:16], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert timedelta(days=2) - timedelta(minutes=2) < expires - datetime.now(UTC) <= timedelta(days=2)

    monkeypatch.delenv("STATBOTIC_USER")
    stdin(monkeypatch, "new-password-1")
    status, out, _ = run(capsys, "users", "register", "newbie", "--invite", code.strip(), "--password-stdin")
    assert (status, out) == (0, "Registered newbie, a viewer of team billing.\n")
    stdin(monkeypatch, "new-password-1")
    status, _, err = run(capsys, "users", "register", "again", "--invite", code.strip(), "--password-stdin")
    assert status == 1 and "That invite code is not valid" in err
    as_user(monkeypatch, "lead")
    assert users_json(capsys)["newbie"]["teams"] == {"billing": "viewer"}


@pytest.mark.parametrize("days", ["0", "91", "seven", "-1"])
def test_invite_days_out_of_range_are_usage_errors(org, capsys, days):
    status, _, err = run(capsys, "users", "invite", "--team", "billing", "--role", "viewer", "--days", days)
    assert status == 2 and "a whole number of days from 1 to 90" in err


def test_register_follows_the_registration_setting(org, capsys, monkeypatch):
    def register(*extra):
        stdin(monkeypatch, "new-password-1")
        return run(capsys, "users", "register", *extra, "--password-stdin")

    # A store without a setting is invite only.
    status, _, err = register("newbie")
    assert status == 1 and "Registration needs an invite code (--invite CODE)" in err
    assert run(capsys, "registration", "set", "--mode", "closed")[0] == 0
    status, _, err = register("newbie")
    assert (
        status == 1
        and err == "statbotic: Registration is closed: an admin adds users (Administration, or statbotic users add).\n"
    )

    assert run(capsys, "registration", "set", "--mode", "open", "--domains", "example.com")[0] == 0
    status, _, err = register("newbie")
    assert status == 1 and "asks for your e-mail address at example.com: add --email" in err
    status, _, err = register("newbie", "--email", "newbie@elsewhere.org")
    assert status == 1 and "Registration accepts addresses at example.com only." in err
    status, out, err = register("newbie", "--email", "newbie@Example.com")
    assert (status, out) == (0, "Registered newbie, in no team yet.\n") and "An admin adds you to a team" in err
    status, _, err = register("Newbie", "--email", "x@example.com")
    assert status == 1 and "is taken" in err
    user = users_json(capsys)["newbie"]
    assert (user["teams"], user["email"], user["admin"]) == ({}, "newbie@Example.com", False)


def test_teams_list_for_an_admin_and_for_a_viewer(org, capsys, monkeypatch):
    status, out, _ = run(capsys, "teams", "list", "--json")
    document = json.loads(out)
    assert status == 0 and document["admin"] is True
    assert [(t["name"], t["display_name"], t["role"]) for t in document["teams"]] == [
        ("billing", "Billing", None), ("default", "default", "lead"), ("support", "Support", None)
    ]  # fmt: skip
    assert set(document["teams"][0]) == {"name", "display_name", "role", "created_at"}
    status, out, _ = run(capsys, "teams", "list")
    assert status == 0 and "(admin)" in out and "Your role" in out

    as_user(monkeypatch, "vic")
    status, out, _ = run(capsys, "teams", "list", "--json")
    assert json.loads(out) == {
        "admin": False,
        "teams": [
            {"name": "billing", "display_name": "Billing", "role": "viewer", "created_at": "2026-11-26T00:00:00+00:00"}
        ],
    }
    as_user(monkeypatch, "nobody")
    assert run(capsys, "teams", "list") == (0, "nobody is in no team yet: ask an admin to add you to one.\n", "")


def test_teams_add_and_rename(org, capsys):
    assert run(capsys, "teams", "add", "emea-chat", "--display-name", "EMEA  chat") == (
        0, "Created team emea-chat (EMEA chat).\n", ""
    )  # fmt: skip
    assert run(capsys, "teams", "add", "apac")[1] == "Created team apac (apac).\n"
    status, _, err = run(capsys, "teams", "add", "apac")
    assert status == 1 and err.count("\n") == 1
    status, _, err = run(capsys, "teams", "add", "no spaces")
    assert status == 1 and "A team name has 1 to 32 characters" in err
    assert run(capsys, "teams", "rename", "emea-chat", "EMEA live chat") == (
        0, "Team emea-chat is now shown as EMEA live chat.\n", ""
    )  # fmt: skip
    names = {t["name"]: t["display_name"] for t in json.loads(run(capsys, "teams", "list", "--json")[1])["teams"]}
    assert names["emea-chat"] == "EMEA live chat" and names["apac"] == "apac"
    status, _, err = run(capsys, "teams", "rename", "emea", "x")
    assert status == 1 and "There is no team 'emea'. Teams: apac, billing, default, emea-chat, support." in err


def test_registration_show_and_set(org, capsys):
    assert json.loads(run(capsys, "registration", "show", "--json")[1]) == {"mode": "invite", "domains": []}
    status, out, _ = run(capsys, "registration", "set", "--mode", "open", "--domains", "Example.com, @example.org")
    assert status == 0 and "Registration: open. E-mail domains: example.com, example.org." in out
    assert run(capsys, "registration", "set", "--mode", "invite")[0] == 0  # the domains stay
    assert json.loads(run(capsys, "registration", "show", "--json")[1]) == {
        "mode": "invite", "domains": ["example.com", "example.org"]
    }  # fmt: skip
    assert run(capsys, "registration", "set", "--no-domains")[0] == 0  # the mode stays
    status, out, _ = run(capsys, "registration", "show")
    assert out == (
        "Registration: invite. E-mail domains: any (no e-mail address is asked).\n"
        "invite: registering needs an invite code from an admin or a lead\n"
    )


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "say what to set: --mode, --domains or --no-domains."),
        (["--domains", "not a domain"], "'not' is not an e-mail domain"),
        (["--domains", " , "], "--domains takes domains separated by commas"),
        (["--domains", "a.com", "--no-domains"], "not allowed with argument"),
        (["--mode", "sometimes"], "invalid choice: 'sometimes'"),
    ],
)
def test_registration_set_usage_errors(org, capsys, argv, message):
    status, _, err = run(capsys, "registration", "set", *argv)
    assert status == 2 and message in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def day_there(capsys, team: str = "billing") -> bool:
    status, out, _ = run(capsys, "view", DAY, "--team", team, "--json")
    return status == 0 and json.loads(out)["summary"]["days_with_data"] == 1


def test_delete_with_yes_and_the_history_keeps_the_day(org, capsys, monkeypatch):
    as_user(monkeypatch, "lena")
    status, out, _ = run(capsys, "delete", DAY, "--team", "billing", "--yes")
    assert (status, out) == (0, f"Deleted the figures of {DAY} (team billing); its history keeps them.\n")
    assert not day_there(capsys)
    history = json.loads(run(capsys, "history", DAY, "--team", "billing", "--json")[1])["entries"]
    assert [(e["action"], e["by"], e["after"]) for e in history][-1] == ("day deleted", "lena", None)
    status, out, _ = run(capsys, "history", DAY, "--team", "billing")
    assert "lena  day deleted: Ticket public comments 30" in out
    assert run(capsys, "delete", DAY, "--team", "billing", "--yes") == (
        0, f"Team billing has no figures for {DAY}: nothing to delete.\n", ""
    )  # fmt: skip


def test_delete_asks_in_a_terminal_and_refuses_without_one(org, capsys, monkeypatch):
    as_user(monkeypatch, "lena")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    status, _, err = run(capsys, "delete", DAY, "--team", "billing")
    assert status == 2 and "needs --yes when there is no terminal" in err
    assert day_there(capsys)

    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    status, _, err = run(capsys, "delete", DAY, "--team", "billing")
    assert status == 1 and f"Delete the figures of {DAY}? (y/n)" in err and "Nothing was deleted." in err
    assert "Ticket public comments 30" in err and "saved by lena" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert day_there(capsys)

    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert run(capsys, "delete", DAY, "--team", "billing")[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert not day_there(capsys)


def test_the_audit_log_reads_the_people_changes(org, capsys):
    assert run(capsys, "users", "role", "vic", "--team", "support", "--role", "lead")[0] == 0
    assert run(capsys, "registration", "set", "--mode", "open")[0] == 0
    assert run(capsys, "delete", DAY, "--team", "billing", "--yes")[0] == 0
    status, out, _ = run(capsys, "audit")
    text = " ".join(out.split())
    assert status == 0
    assert "lead user changed: vic: " in text and "teams billing viewer; support lead" in text
    assert "lead registration set: registration: " in text and "mode open" in text
    assert f"lead day deleted: team billing {DAY}: Ticket public comments 30" in text


def test_every_new_command_has_help_with_an_example(capsys):
    commands = [
        ["users", "list"], ["users", "role"], ["users", "admin"], ["users", "disable"], ["users", "enable"],
        ["users", "reset"], ["users", "set-password"], ["users", "register"], ["users", "invite"],
        ["teams", "list"], ["teams", "add"], ["teams", "rename"], ["registration", "show"],
        ["registration", "set"], ["delete"],
    ]  # fmt: skip
    for argv in commands:
        status, out, _ = run(capsys, *argv, "--help")
        assert status == 0 and "example" in out and f"statbotic {' '.join(argv)}" in out, argv

"""The CLI under login throttling: a locked name exits 1 with 'try again', whatever the password; the
state is the store's, so each command (a new process) sees it; `users unlock` clears it."""

import io
import sys

from statbotic.cli import main

LOCKED = "statbotic: Too many failed logins for this name. Try again in"
WRONG = "statbotic: Username or password is incorrect.\n"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def fail_five_times(capsys, monkeypatch, name: str) -> list[str]:
    monkeypatch.setenv("STATBOTIC_PASSWORD", "not-the-password")
    errors = []
    for _ in range(5):
        status, out, err = run(capsys, "view", "today", "--user", name)
        assert status == 1 and out == ""
        errors.append(err)
    return errors


def test_a_locked_name_exits_1_even_with_the_right_password_until_unlocked(cli_env, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("helper-password\n"))
    assert run(capsys, "users", "add", "helper", "--admin", "--password-stdin")[0] == 0
    errors = fail_five_times(capsys, monkeypatch, "lead")
    assert errors[:4] == [WRONG] * 4 and errors[4] == f"{LOCKED} 1 minute.\n"
    monkeypatch.setenv("STATBOTIC_PASSWORD", cli_env["STATBOTIC_PASSWORD"])
    status, _, err = run(capsys, "view", "today")
    assert status == 1 and err == f"{LOCKED} 2 minutes.\n"

    # Another admin unlocks it.
    monkeypatch.setenv("STATBOTIC_PASSWORD", "helper-password")
    status, out, _ = run(capsys, "users", "unlock", "LEAD", "--user", "helper")
    assert status == 0 and out == "Unlocked LEAD: its failed logins are cleared.\n"
    status, out, _ = run(capsys, "users", "unlock", "lead", "--user", "helper")
    assert status == 0 and out == "lead was not locked and had no failed logins to clear.\n"

    monkeypatch.setenv("STATBOTIC_PASSWORD", cli_env["STATBOTIC_PASSWORD"])
    status, out, err = run(capsys, "view", "today", "--json")
    assert status == 0 and err == ""  # a script's login stays quiet
    status, out, err = run(capsys, "users", "token")
    assert status == 0 and out.startswith("sbt_")
    assert err.startswith("Last login: ") and err.endswith("; no failed attempts since.\n")


def test_an_unknown_name_is_locked_the_same_way(cli_env, capsys, monkeypatch):
    assert fail_five_times(capsys, monkeypatch, "lead") == fail_five_times(capsys, monkeypatch, "nobody")


def test_users_unlock_needs_a_login_and_a_valid_name(cli_env, capsys, monkeypatch):
    status, _, err = run(capsys, "users", "unlock", "no spaces allowed")
    assert status == 2 and "3 to 32 characters" in err
    monkeypatch.setenv("STATBOTIC_PASSWORD", "not-the-password")
    status, out, err = run(capsys, "users", "unlock", "lead")
    assert status == 1 and out == "" and err == WRONG

"""Nothing edits or deletes an audit entry: no command is there for it, every command that changes
something only appends, and only an admin reads the log.  That a SQLite connection from outside the app
can't UPDATE or DELETE an entry either is tested in tests/contract/test_audit.py."""

import argparse
from collections import Counter
from datetime import date

import pytest

from statbotic import people
from statbotic.commands import build_parser
from tests.security.conftest import DAY, EPOCH, NEW_FIGURES, snapshot

TAMPERING = ("edit", "delete", "remove", "purge", "clear", "prune", "truncate", "rewrite", "rotate", "drop", "vacuum")


def command_paths(parser: argparse.ArgumentParser, path=()) -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every command and subcommand build_parser declares, by its words."""
    found = {}
    for action in parser._actions:  # argparse keeps subparsers here and nowhere public
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found[(*path, name)] = child
                found.update(command_paths(child, (*path, name)))
    return found


def test_no_command_edits_or_deletes_audit_entries():
    paths = command_paths(build_parser())
    assert ("users", "invite") in paths and ("delete",) in paths  # the walk reaches every level
    about_audit = [path for path in paths if any("audit" in word or "log" in word for word in path)]
    assert about_audit == [("audit",)]
    for path, parser in paths.items():
        options = {option for action in parser._actions for option in action.option_strings}
        assert not any(word in TAMPERING for word in options if "audit" in word), (path, options)
    options = {option for action in paths[("audit",)]._actions for option in action.option_strings}
    assert options == {"-h", "--help", "--since", "--json", "--user"}  # reading, nothing else
    assert not any(word in TAMPERING for word in paths[("audit",)].format_help().split() if word != "log")


def mutating_commands(store) -> list[tuple[str, ...]]:
    """(who runs it, argv...) for each command that changes something, in an order that works."""
    return [
        ("root", "add", "2026-11-04", *NEW_FIGURES, "--force"),
        ("root", "add", "2026-11-04", *NEW_FIGURES[:-1], "8", "--force", "--overwrite"),
        ("root", "delete", "2026-11-04", "--yes"),
        ("root", "delete", DAY, "--yes", "--team", "beta"),
        ("root", "targets", "set", "csat", ">= 90"),
        ("root", "targets", "clear", "csat"),
        ("root", "users", "add", "newbie", "--team", "alpha", "--role", "viewer", "--password-stdin"),
        ("root", "users", "role", "newbie", "--team", "beta", "--role", "lead"),
        ("root", "users", "role", "newbie", "--team", "beta", "--remove"),
        ("root", "users", "admin", "newbie", "--grant"),
        ("root", "users", "admin", "newbie", "--revoke"),
        ("root", "users", "disable", "newbie"),
        ("root", "users", "enable", "newbie"),
        ("root", "users", "reset", "newbie"),
        ("root", "users", "unlock", "newbie"),
        ("root", "users", "invite", "--role", "viewer"),
        ("root", "users", "token"),
        ("root", "teams", "add", "gamma"),
        ("root", "teams", "rename", "gamma", "Gamma rays"),
        ("root", "registration", "set", "--mode", "open", "--domains", "example.com"),
        ("root", "registration", "set", "--mode", "invite", "--no-domains"),
        ("", "users", "register", "joiner", "--invite", people_invite(store), "--password-stdin"),
    ]


def people_invite(store) -> str:
    code, _ = people.create_invite(store, store.get_user("root"), "alpha", "viewer")
    return code


def test_every_changing_command_only_appends_to_the_log(attacker, store, backend):
    """Each earlier entry is still there, unchanged; on SQLite in the same place.  (MongoDB keeps each
    document's entries inside it and merges them by their time, to the second: entries of one second in
    different documents may come back in another order than they were written -- none is lost or changed.)"""
    log = store.audit_since(EPOCH)
    for who, *argv in mutating_commands(store):
        status, _, err = (attacker.as_user(who) if who else attacker.nobody()).run(*argv, stdin="a-new-password\n")
        assert status == 0, (argv, err)
        now = store.audit_since(EPOCH)
        assert len(now) >= len(log) + (argv[:2] != ["users", "unlock"]), argv  # unlocks are not audited
        assert not Counter(map(repr, log)) - Counter(map(repr, now)), argv
        if backend == "sqlite":
            for number, (earlier, again) in enumerate(zip(log, now, strict=False)):
                assert again == earlier, (argv, number)
        log = now


def test_a_day_deleted_stays_in_its_history(attacker, store):
    history = store.day_history("alpha", date.fromisoformat(DAY))
    assert attacker.as_user("root").run("delete", DAY, "--yes")[0] == 0
    after = store.day_history("alpha", date.fromisoformat(DAY))
    assert after[: len(history)] == history and after[-1].action == "day deleted"


@pytest.mark.parametrize("who", ["vic", "ann"])
def test_only_an_admin_reads_the_log(attacker, world, store, who):
    before = snapshot(store)
    for argv in (["audit"], ["audit", "--since", "2000-01-01", "--json"]):
        assert attacker.with_token(world[who]).refused(*argv) == "Only an admin can read the audit log."
    assert snapshot(store) == before


def test_a_lead_reads_the_history_of_their_own_team_only(attacker, world):
    assert attacker.with_token(world["ann"]).run("history", DAY)[0] == 0
    assert attacker.with_token(world["ann"]).refused("history", DAY, "--team", "beta") == (
        "ann is not in team beta: ask an admin to add you to it."
    )


def test_no_menu_offers_to_change_the_log(world, store, menu_settings):
    from tests.transcript import EXIT, log_in_as, menu, play

    before = snapshot(store)
    console = play(
        store,
        menu_settings,
        log_in_as("root"),
        ("Choose a team", "1"),
        menu("10", "12"),
        ("how many days", ""),
        menu("0"),
        EXIT,
    )
    administration = console.text.split("\nAdministration\n", 1)[1].split("Choose an option")[0]
    assert "Audit log" in administration
    assert not any(word in administration.lower() for word in ("edit", "delete", "purge", "clear the"))
    assert snapshot(store) == before

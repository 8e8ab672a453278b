"""A viewer of team A tries to add or change figures, targets and people: through the menus, the CLI with
a password and the CLI with their token.  Each is refused and nothing in the store changes."""

import re

import pytest

from tests.security.conftest import DAY, NEW_FIGURES, snapshot
from tests.transcript import EXIT, log_in_as, menu, play

EDITS = [
    ["add", "2026-11-04", *NEW_FIGURES, "--force"],
    ["add", DAY, *NEW_FIGURES, "--overwrite", "--force"],
    ["targets", "set", "csat", ">= 50"],
    ["targets", "clear", "csat"],
    ["delete", DAY, "--yes"],
    ["users", "invite", "--role", "viewer"],
    ["users", "invite", "--role", "lead"],
]


def main_menus(text: str) -> list[str]:
    return re.findall(r"^Main menu .*?(?=^Choose an option)", text, flags=re.M | re.S)


def test_the_menus_dont_offer_add_and_typing_its_key_is_an_unknown_choice(world, store, menu_settings):
    before = snapshot(store)
    console = play(store, menu_settings, log_in_as("vic"), menu("1", "10"), EXIT)
    (shown,) = main_menus(console.text)  # refused at the menu's own prompt: no form was opened
    assert "Add or update stats" not in shown and "Invite" not in shown and "Administration" not in shown
    assert console.text.count("Please choose one of: 2, 3, 4, 5, 6, 7, 8, 12, 14, 0.") == 2
    assert console.prompts[-3:] == ["Choose an option: "] * 3  # the same menu asked again each time
    assert snapshot(store) == before


@pytest.mark.parametrize("argv", EDITS, ids=lambda argv: " ".join(argv[:3]))
def test_the_cli_refuses_a_viewer_by_password(attacker, store, argv):
    before = snapshot(store)
    message = attacker.as_user("vic").refused(*argv)
    assert "vic is a viewer there" in message
    assert snapshot(store) == before


@pytest.mark.parametrize("argv", EDITS, ids=lambda argv: " ".join(argv[:3]))
def test_the_cli_refuses_a_viewer_by_token(attacker, world, store, argv):
    before = snapshot(store)
    message = attacker.with_token(world["vic"]).refused(*argv)
    assert message.startswith("Only a lead of team alpha can ") and message.endswith("; vic is a viewer there.")
    assert snapshot(store) == before


def test_a_viewer_token_claiming_to_be_someone_else_is_refused(attacker, world, store, monkeypatch):
    before = snapshot(store)
    monkeypatch.setenv("STATBOTIC_USER", "ann")
    attacker.with_token(world["vic"])
    monkeypatch.setenv("STATBOTIC_USER", "ann")
    assert attacker.refused("add", "2026-11-04", *NEW_FIGURES, "--force") == "STATBOTIC_TOKEN belongs to vic, not ann."
    assert snapshot(store) == before

"""A lead of team A (ann) reaches for team B: writing, reading, exporting and inviting are refused, and a
department view shows A alone -- B's name and figures appear nowhere in the text or the JSON."""

import json

import pytest

from tests.security.conftest import B_MARKS, DAY, NEW_FIGURES, snapshot
from tests.transcript import EXIT, log_in_as, menu, period, play

TOUCH_B = [
    ["add", "2026-11-04", *NEW_FIGURES, "--force", "--team", "beta"],
    ["add", DAY, *NEW_FIGURES, "--overwrite", "--force", "--team", "beta"],
    ["targets", "set", "csat", ">= 50", "--team", "beta"],
    ["targets", "clear", "csat", "--team", "beta"],
    ["targets", "list", "--team", "beta"],
    ["delete", DAY, "--yes", "--team", "beta"],
    ["history", DAY, "--team", "beta"],
    ["view", DAY, "--team", "beta"],
    ["view", DAY, "--team", "beta", "--json"],
    ["export", DAY, "--format", "json", "-o", "-", "--team", "beta"],
    ["export", DAY, "--format", "csv", "--team", "beta"],
    ["view", DAY, "--teams", "beta"],
    ["view", DAY, "--teams", "alpha,beta", "--json"],
    ["export", DAY, "--format", "summary-csv", "-o", "-", "--teams", "beta"],
    ["users", "invite", "--role", "viewer", "--team", "beta"],
    ["users", "invite", "--role", "lead", "--team", "beta"],
]


@pytest.mark.parametrize("argv", TOUCH_B, ids=lambda argv: " ".join(argv[:2]))
def test_a_lead_of_a_is_refused_everything_in_b(attacker, world, store, argv):
    before = snapshot(store)
    message = attacker.with_token(world["ann"]).refused(*argv)
    assert message == "ann is not in team beta: ask an admin to add you to it."
    assert snapshot(store) == before


def test_by_password_too(attacker, store):
    before = snapshot(store)
    message = attacker.as_user("ann").refused("add", "2026-11-04", *NEW_FIGURES, "--force", "--team", "beta")
    assert message == "ann is not in team beta: ask an admin to add you to it."
    assert snapshot(store) == before


def test_a_team_b_that_doesnt_exist_by_another_spelling_names_only_as_teams(attacker, world):
    message = attacker.with_token(world["ann"]).refused("view", DAY, "--team", "Beta")
    assert message == "There is no team 'Beta'. Your teams: alpha."


def assert_only_a(text: str) -> None:
    assert "alpha" in text.lower()
    assert "beta" not in text.lower()
    for mark in B_MARKS:
        assert mark not in text, mark


@pytest.mark.parametrize(
    "argv",
    [
        ["view", DAY, "--all-teams"],
        ["view", DAY, "--all-teams", "--json"],
        ["export", DAY, "--format", "json", "-o", "-", "--all-teams"],
        ["export", DAY, "--format", "summary-csv", "-o", "-", "--all-teams"],
    ],
    ids=lambda argv: " ".join(argv[2:]),
)
def test_all_teams_shows_a_lead_of_a_only_a(attacker, world, store, argv):
    before = snapshot(store)
    status, out, err = attacker.with_token(world["ann"]).run(*argv)
    assert (status, err) == (0, "")
    assert_only_a(out)
    if "--json" in argv or "json" in argv:
        document = json.loads(out)
        assert "beta" not in json.dumps(document)
    assert snapshot(store) == before


def test_the_department_menu_shows_a_lead_of_a_only_a(world, store, menu_settings):
    before = snapshot(store)
    console = play(store, menu_settings, log_in_as("ann"), menu("7"), period(DAY, "0"), EXIT)
    shown = console.text.split("Department view for", 1)[1]
    assert "(1 team)" in shown
    assert_only_a(shown)
    assert snapshot(store) == before


def test_the_admin_sees_b_where_the_lead_of_a_doesnt(attacker, store):
    """The other side: B's figures are there to be leaked, so the searches above mean something."""
    status, out, _ = attacker.as_user("root").run("view", DAY, "--all-teams", "--json")
    assert status == 0 and "beta" in out and "4321" in out

"""Share links (issue 14) under attack: a viewer can't make, list or revoke one (by password, by token, in
the menus); a lead of A can't share or revoke B's; a disabled lead's token makes none; a share's token
is no login; and a share's page never shows another team or other dates than the ones shared."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from statbotic import shares
from statbotic.periods import span
from statbotic.share_command import shared_page
from tests.security.conftest import B_MARKS, DAY, snapshot
from tests.transcript import log_in_as, menu, play

VIEWER_REFUSED = [
    (["share", DAY], "Only a lead of team alpha can share its reports; vic is a viewer there."),
    (
        ["share", "last month", "--team", "alpha"],
        "Only a lead of team alpha can share its reports; vic is a viewer there.",
    ),
    (["share", "list"], "Only leads and admins share reports, and see the links shared."),
    (["share", "list", "--json"], "Only leads and admins share reports, and see the links shared."),
    (["share", "revoke", "ANYID234"], "Only leads and admins share reports, and revoke them."),
]


def shares_and_snapshot(store) -> tuple:
    return store.shares(), snapshot(store)


@pytest.mark.parametrize("how", ["password", "token"])
@pytest.mark.parametrize(
    "argv, message", VIEWER_REFUSED, ids=lambda value: " ".join(value) if isinstance(value, list) else ""
)
def test_a_viewer_is_refused_every_share_command(attacker, world, store, how, argv, message):
    shares.create_share(
        store, store.get_user("ann"), "alpha", span(date(2026, 11, 1), date(2026, 11, 3)), timedelta(days=1)
    )
    before = shares_and_snapshot(store)
    who = attacker.with_token(world["vic"]) if how == "token" else attacker.as_user("vic")
    assert who.refused(*argv) == message
    assert shares_and_snapshot(store) == before


def test_a_viewer_can_t_revoke_a_share_of_their_own_team_by_its_id(attacker, world, store):
    _, made = shares.create_share(
        store, store.get_user("ann"), "alpha", span(date(2026, 11, 1), date(2026, 11, 3)), timedelta(days=1)
    )
    before = shares_and_snapshot(store)
    assert attacker.with_token(world["vic"]).refused("share", "revoke", made.id) == (
        "Only leads and admins share reports, and revoke them."
    )
    assert shares_and_snapshot(store) == before


def test_a_lead_of_a_can_t_share_or_revoke_b(attacker, world, store):
    _, theirs = shares.create_share(
        store, store.get_user("bob"), "beta", span(date(2026, 11, 1), date(2026, 11, 3)), timedelta(days=1)
    )
    before = shares_and_snapshot(store)
    ann = attacker.with_token(world["ann"])
    assert ann.refused("share", DAY, "--team", "beta") == "ann is not in team beta: ask an admin to add you to it."
    assert (
        ann.refused("share", "revoke", theirs.id)
        == f"There is no share '{theirs.id}' of your teams (statbotic share list)."
    )
    status, out, _ = ann.run("share", "list", "--json")
    assert status == 0 and theirs.id not in out and "beta" not in out
    assert shares_and_snapshot(store) == before


def test_a_disabled_lead_s_token_makes_no_share(attacker, world, store):
    before = shares_and_snapshot(store)
    status, out, err = attacker.with_token(world["dis"]).run("share", DAY)
    assert (status, out) == (1, "") and "disabled" in err
    assert shares_and_snapshot(store) == before


def test_a_share_token_is_no_login_and_a_login_token_opens_no_share(attacker, world, store):
    token, _ = shares.create_share(
        store, store.get_user("ann"), "alpha", span(date(2026, 11, 1), date(2026, 11, 3)), timedelta(days=1)
    )
    status, out, _ = attacker.with_token(token).run("view", DAY)
    assert status == 1 and out == ""
    assert attacker.nobody().run("share-page", stdin=world["ann"]) == (4, "", "")
    assert attacker.nobody().run("share-page", stdin=token)[0] == 0


def test_a_viewer_has_no_share_entry_in_the_menus(world, store, menu_settings):
    console = play(store, menu_settings, log_in_as("vic"), menu("15", "0"))
    assert "Share a report link" not in console.text
    assert "Please choose one of: 2, 3, 4, 5, 6, 7, 8, 12, 14, 0." in console.text


@pytest.mark.parametrize("team, other", [("alpha", "beta"), ("beta", "alpha")])
def test_a_share_s_page_shows_only_its_team_and_its_dates(attacker, world, store, settings, team, other):
    lead = store.get_user("ann" if team == "alpha" else "bob")
    now = datetime.now(UTC)
    shared_day = date.fromisoformat(DAY)
    token, made = shares.create_share(store, lead, team, span(shared_day, shared_day), timedelta(days=1))
    page = shared_page(store, token, settings, now)
    assert f"Team {team}" in page and DAY in page
    assert f"team {other}" not in page.lower()
    if team == "alpha":  # in what the page says (its text, charts' titles and descriptions), not its colours
        words = re.sub(r"<[^>]*>", " ", re.sub(r"<style[^>]*>.*?</style>", " ", page, flags=re.S))
        assert [mark for mark in B_MARKS if mark in words] == []
    assert "2026-11-04" not in page  # a later day, outside the share's dates
    status, out, _ = attacker.nobody().run("share-page", stdin=token)
    assert status == 0 and f"team {other}" not in out.lower() and DAY in out

"""Linking a user to an agent decides whose figures are theirs ("my stats"): only an admin may do it.  A
viewer linking themselves to a colleague, a lead of the user's team or of another team, a disabled user's
token, an admin demoted while the form is open: each is refused, and the whole store stays as it was."""

import pytest

from statbotic import people
from statbotic.errors import Forbidden
from tests.security.conftest import NOW, snapshot
from tests.transcript import EXIT, log_in_as, menu, play

REFUSAL = "Only an admin can link users to agents."
ATTEMPTS = [  # (who, how they log in, the command)
    ("vic", "password", ["users", "edit", "vic", "--agent", "Ann Lead"]),  # a viewer taking a lead's figures
    ("vic", "token", ["users", "edit", "vic", "--agent", "Ann Lead"]),
    ("vic", "token", ["users", "edit", "ann", "--no-agent"]),
    ("ann", "token", ["users", "edit", "vic", "--agent", "Someone Else"]),  # a lead of vic's own team
    ("ann", "password", ["users", "edit", "ann", "--no-agent"]),
    ("bob", "password", ["users", "edit", "vic", "--agent", "Bob Lead"]),  # a lead of another team
    ("bob", "password", ["users", "edit", "bob", "--agent", "Ann Lead"]),
    ("dis", "token", ["users", "edit", "dis", "--agent", "Ann Lead"]),  # disabled: no rights at all
]


@pytest.fixture
def linked(world, store):
    """ann linked to her agent "Ann Lead" by root: the figures someone may try to take, or to unlink."""
    assert people.set_agent(store, store.get_user("root"), "ann", "Ann Lead").agent == "Ann Lead"
    return world


@pytest.mark.parametrize(("who", "login", "argv"), ATTEMPTS, ids=lambda v: v if isinstance(v, str) else v[-1])
def test_only_an_admin_links_or_unlinks_by_password_or_token(attacker, linked, store, who, login, argv):
    before = snapshot(store)
    if login == "token":
        attacker.with_token(linked[who])
    else:
        attacker.as_user(who)
    message = attacker.refused(*argv)
    expected = "That access token's user, dis, is disabled: ask an admin." if who == "dis" else REFUSAL
    assert message == expected
    assert snapshot(store) == before


@pytest.mark.parametrize("who", ["vic", "ann", "bob", "dis"])
def test_the_service_refuses_whoever_is_not_an_enabled_admin(linked, store, who):
    before = snapshot(store)
    for username, agent in (("vic", "Ann Lead"), ("ann", None), (who, "Ann Lead")):
        with pytest.raises(Forbidden, match=REFUSAL):
            people.set_agent(store, store.get_user(who), username, agent)
    assert snapshot(store) == before


def test_a_disabled_admin_cant_link(linked, store):
    assert store.update_user("dis", by="root", at=NOW, admin=True).admin  # still disabled
    before = snapshot(store)
    with pytest.raises(Forbidden, match=REFUSAL):
        people.set_agent(store, store.get_user("dis"), "dis", "Ann Lead")
    assert snapshot(store) == before


def test_the_menus_offer_a_lead_no_administration_so_no_link(linked, store, menu_settings):
    before = snapshot(store)
    # Administration's key for linking (14) is the main menu's Report for a manager, 15 its Share a report
    # link: try a key beyond them
    console = play(store, menu_settings, log_in_as("bob"), menu("16"), EXIT)
    assert "Link a user to an agent" not in console.text and "Please choose one of:" in console.text
    assert snapshot(store) == before


def test_an_admin_demoted_while_typing_the_agent_saves_nothing(linked, store, menu_settings, password_hash):
    from statbotic.records import User

    store.add_user(User("root2", password_hash, NOW, admin=True), by="root")

    def demote_root() -> str:
        people.set_admin(store, store.get_user("root2"), "root", False)
        return "Ann Lead"

    console = play(
        store,
        menu_settings,
        log_in_as("root"),
        ("Choose a team", "1"),
        menu("10", "14"),
        ("Username", "vic"),
        ("vic's agent", demote_root),
        EXIT,
    )
    assert REFUSAL in console.text
    assert store.get_user("vic").agent is None and store.get_user("ann").agent == "Ann Lead"

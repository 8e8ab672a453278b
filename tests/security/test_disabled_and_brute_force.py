"""A disabled user tries their password and their token; an attacker guesses passwords and reset codes
past the limit.  Refused, with the same words for a name that doesn't exist; an admin's enable or unlock
gives the account back."""

import re

import pytest

from statbotic import people, throttle
from tests.conftest import PASSWORD
from tests.security.conftest import DAY, NEW_FIGURES, snapshot
from tests.transcript import EXIT, add_day, log_in_as, menu, play

LOCKED = re.compile(r"Too many failed logins for this name\. Try again in \d+ minutes?\.")
DISABLED = "This account is disabled: ask an admin to enable it."


def test_a_disabled_users_password_and_token_are_refused_until_enabled(attacker, world, store):
    before = snapshot(store)
    assert attacker.as_user("dis").refused("view", DAY) == DISABLED
    assert attacker.with_token(world["dis"]).refused("add", "2026-11-04", *NEW_FIGURES, "--force") == (
        "That access token's user, dis, is disabled: ask an admin."
    )
    assert attacker.with_token(world["dis"]).refused("users", "token") == (
        "That access token's user, dis, is disabled: ask an admin."
    )
    assert snapshot(store) == before
    assert attacker.as_user("root").run("users", "enable", "dis")[0] == 0
    assert attacker.with_token(world["dis"]).run("view", DAY)[0] == 0
    assert attacker.as_user("dis").run("view", DAY)[0] == 0


def test_the_menus_refuse_a_disabled_user_and_show_the_login_menu_again(world, store, menu_settings):
    before = snapshot(store)
    console = play(store, menu_settings, log_in_as("dis"), ("Username", KeyboardInterrupt), EXIT)
    assert DISABLED in console.text and "logged in" not in console.text
    assert console.text.count("Login menu") == 2
    assert snapshot(store) == before


def test_a_menu_session_ends_its_rights_when_its_user_is_disabled(world, store, menu_settings):
    """ann is logged in to the menus when an admin disables her: her next choice can't add a day."""
    root = store.get_user("root")

    def disable_ann() -> str:
        people.set_disabled(store, root, "ann", True)
        return "1"

    before_days = list(store.iter_all_days())
    console = play(store, menu_settings, log_in_as("ann"), menu(disable_ann))
    assert console.text.endswith("ann is disabled now: ask an admin to enable you. Logged out.\n")
    assert "Date of the stats" not in console.text
    assert list(store.iter_all_days()) == before_days


def test_a_day_typed_in_while_its_lead_is_demoted_is_not_saved(world, store, menu_settings):
    """ann opens the add form as a lead; before she answers Save?, an admin makes her a viewer."""
    root = store.get_user("root")

    def demote_ann() -> str:
        people.set_role(store, root, "ann", "alpha", "viewer")
        return "y"

    before_days = list(store.iter_all_days())
    console = play(
        store,
        menu_settings,
        log_in_as("ann"),
        menu("1"),
        add_day("2026-11-04", "11", "5", "40", "30", "10", "9", save=demote_ann)[:-1],  # refused: no "more?"
        EXIT,
    )
    assert "Only a lead of team alpha can add or change days; ann is a viewer there." in console.text
    assert list(store.iter_all_days()) == before_days


def test_an_admin_demoted_meanwhile_leaves_the_administration_menu(world, store, menu_settings, password_hash):
    from statbotic.records import User

    store.add_user(User("root2", password_hash, store.get_user("root").created_at, admin=True), by="root")

    def demote_root() -> str:
        people.set_admin(store, store.get_user("root2"), "root", False)
        return "1"

    before = list(store.iter_users())
    console = play(store, menu_settings, log_in_as("root"), ("Choose a team", "1"), menu("10", demote_root), EXIT)
    assert "Only an admin can list users." in console.text
    assert len(list(store.iter_users())) == len(before)


def wrong_logins(attacker, name: str, tries: int) -> list[str]:
    return [attacker.as_user(name, "not-the-password").refused("view", DAY) for _ in range(tries)]


def test_past_the_limit_a_name_is_locked_even_for_the_right_password(attacker, store):
    known = wrong_logins(attacker, "ann", throttle.LIMIT + 1)
    unknown = wrong_logins(attacker, "nosuchuser", throttle.LIMIT + 1)
    assert known == unknown  # the same words: nothing tells whether the name exists
    assert known[: throttle.LIMIT - 1] == ["Username or password is incorrect."] * (throttle.LIMIT - 1)
    assert LOCKED.fullmatch(known[-1]), known
    before = snapshot(store)
    for name in ("ann", "ANN", "Ann"):  # the right password, under any spelling of the name
        assert LOCKED.fullmatch(attacker.as_user(name).refused("view", DAY))
    assert snapshot(store) == before
    assert attacker.as_user("vic").run("view", DAY)[0] == 0  # another name is not locked
    status, out, _ = attacker.as_user("root").run("users", "unlock", "ann")
    assert (status, out) == (0, "Unlocked ann: its failed logins are cleared.\n")
    assert attacker.as_user("ann").run("view", DAY)[0] == 0


def test_the_menus_lock_the_name_too(attacker, world, store, menu_settings):
    wrong_logins(attacker, "ann", throttle.LIMIT)
    console = play(store, menu_settings, log_in_as("ann"), EXIT)
    assert "Too many failed logins for this name. Try again in" in console.text and "logged in" not in console.text


def wrong_codes(attacker, name: str, tries: int) -> list[str]:
    argv = ("users", "set-password", name, "--code", "AAAA-BBBB-CCCC-DDDD", "--password-stdin")
    return [attacker.nobody().refused(*argv, stdin="mallory-password\n") for _ in range(tries)]


def test_guessing_reset_codes_locks_the_name_and_the_right_code_is_then_refused(attacker, store):
    code = people.issue_reset_code(store, store.get_user("root"), "vic")
    known = wrong_codes(attacker, "vic", throttle.LIMIT + 1)
    assert known == wrong_codes(attacker, "nosuchuser", throttle.LIMIT + 1)
    assert known[0] == "That reset code is not valid for this name: it may be used or expired."
    assert LOCKED.fullmatch(known[-1]), known
    before = snapshot(store)
    argv = ("users", "set-password", "vic", "--code", code, "--password-stdin")
    assert LOCKED.fullmatch(attacker.nobody().refused(*argv, stdin="mallory-password\n"))
    assert LOCKED.fullmatch(attacker.as_user("vic").refused("view", DAY))  # the password too: the name is locked
    assert snapshot(store) == before
    assert attacker.as_user("root").run("users", "unlock", "vic")[0] == 0
    assert attacker.as_user("vic", PASSWORD).run("view", DAY)[0] == 0
    assert attacker.nobody().run(*argv, stdin="vics-new-password\n")[0] == 0  # the code was not spent


@pytest.mark.parametrize("name", ["ann", "nosuchuser"])
def test_the_lock_is_in_the_store_so_a_new_process_changes_nothing(attacker, store, settings, name):
    from statbotic.storage import open_store

    wrong_logins(attacker, name, throttle.LIMIT)
    reopened = open_store(settings)
    try:
        _, state = reopened.get_login(name)
        assert state.locked_until is not None
    finally:
        reopened.close()

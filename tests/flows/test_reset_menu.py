"""The login menu's 3: a new password with a reset code from an admin; a wrong code is throttled like a login."""

import re

import pytest

from statbotic import auth, people
from statbotic.errors import LoginLocked
from statbotic.services import login
from statbotic.throttle import LIMIT
from tests.conftest import PASSWORD
from tests.flows.conftest import add_member
from tests.transcript import EXIT, answers, log_in_as, menu, play

NEW = "a brand new one"


def reset(name: str, code: str, *passwords: str) -> list:
    return [*menu("3"), ("Username", name), ("Reset code", code), *new_password(*(passwords or (NEW,)))]


def new_password(password: str) -> list:
    return [("New password", password), ("Confirm", password)]


def test_an_admin_issues_a_code_and_the_user_sets_a_new_password_with_it_once(teams, settings, as_alice, password_hash):
    add_member(teams, password_hash, "bob", default="viewer")
    issued = as_alice(("Choose a team", "1"), menu("10", "6"), ("Username", "bob"), menu("0"))
    code = re.search(r"Reset code for bob: (\S+)\n", issued.text).group(1)
    console = play(
        teams,
        settings,
        menu("3"),
        ("Username", "bob"),
        answers("Reset code", "", code.lower()),
        ("New password", "short"),
        new_password(NEW),
        reset("bob", code),  # spent
        log_in_as("bob", NEW),
        EXIT,
    )
    assert "Please type the reset code." in console.text and "at least 8 characters" in console.text
    assert "Your new password is set, bob. You can log in now." in console.text
    assert "That reset code is not valid for this name: it may be used or expired." in console.text
    assert "Main menu (bob, team default)" in console.text
    assert login(teams, "bob", NEW).username == "bob"


def test_a_wrong_code_or_an_unknown_name_says_so_and_changes_nothing(teams, settings, password_hash):
    add_member(teams, password_hash, "bob", default="viewer")
    people.issue_reset_code(teams, teams.get_user("alice"), "bob")
    console = play(teams, settings, reset("bob", "AAAA-BBBB-CCCC-DDDD"), reset("nobody", "AAAA-BBBB-CCCC-DDDD"), EXIT)
    assert console.text.count("That reset code is not valid for this name: it may be used or expired.") == 2
    assert login(teams, "bob", PASSWORD).username == "bob"


def test_wrong_codes_lock_the_name_like_failed_logins(teams, settings, password_hash):
    add_member(teams, password_hash, "bob", default="viewer")
    code = people.issue_reset_code(teams, teams.get_user("alice"), "bob")
    wrong = [step for _ in range(LIMIT) for step in reset("bob", "AAAA-BBBB-CCCC-DDDD")]
    console = play(teams, settings, wrong, reset("bob", code), EXIT)
    assert re.search(r"Too many failed logins for this name\. Try again in \d+ minutes?\.", console.text)
    assert console.text.count("Too many failed logins") == 2  # the right code is refused while locked
    assert auth.verify_password(PASSWORD, teams.get_user("bob").password_hash)  # the password stayed
    with pytest.raises(LoginLocked):
        login(teams, "bob", PASSWORD)

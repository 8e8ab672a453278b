import os

import pytest

from statbotic.records import OPEN, Registration
from statbotic.services import login, utc_now
from tests.transcript import EXIT, LOGIN, PASSWORD, answers, menu, period, play


def register(name: str, password: str, confirm: str | None = None) -> list:
    return [*menu("2"), ("username", name), ("Choose a password", password), ("Confirm", confirm or password)]


def test_register_then_log_in_then_exit(store, settings):
    console = play(
        store,
        settings,
        register("Dana_Lead", "longenough"),
        menu("1"),
        ("Username", "dana_lead"),
        ("Password", "longenough"),
        EXIT,
    )
    assert "Registered Dana_Lead" in console.text
    assert "Hello, Dana_Lead!" in console.text
    assert "Main menu" in console.text
    assert console.secret_prompts == [
        "Choose a password (at least 8 characters): ",
        "Confirm the password: ",
        "Password: ",
    ]
    assert login(store, "DANA_LEAD", "longenough").username == "Dana_Lead"


def test_register_refuses_bad_and_taken_names_before_asking_the_password(store, settings, alice):
    store.set_registration(Registration(OPEN), "alice", utc_now())  # no invite code asked first
    console = play(
        store,
        settings,
        menu("2"),
        answers("username", "al", "has space", "ALICE", "bob"),
        answers("Choose a password", "short", "long enough"),
        ("Confirm", "different!"),
        ("Choose a password", "long enough"),
        ("Confirm", "long enough"),
        EXIT,
    )
    assert console.text.count("3 to 32 characters") == 2
    assert "The username 'ALICE' is taken" in console.text
    assert "at least 8 characters." in console.text
    assert "The passwords don't match" in console.text
    assert store.get_user("bob") is not None


def test_login_gives_one_message_for_unknown_users_and_wrong_passwords_then_three_strikes(store, settings, alice):
    attempts = [("nobody", PASSWORD), ("alice", "wrong-password"), ("alice", "again wrong")]
    console = play(
        store,
        settings,
        menu("1"),
        [step for name, word in attempts for step in (("Username", name), ("Password", word))],
        EXIT,
    )
    assert console.text.count("Username or password is incorrect.") == 3
    assert "2 tries left" in console.text and "1 try left" in console.text
    assert "Too many failed attempts" in console.text
    assert "Main menu" not in console.text


def test_a_wrong_menu_choice_is_explained_and_the_menu_asked_again(store, settings, alice):
    console = play(store, settings, menu("7", ""), LOGIN, menu("9"), EXIT)
    assert console.text.count("Please choose one of: 1, 2, 3, 0.") == 2
    assert "Please choose one of: 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 0." in console.text  # one team: no 9


def test_ctrl_c_in_the_registration_form_cancels_it(store, settings):
    console = play(store, settings, menu("2"), ("username", "carol"), ("Choose a password", KeyboardInterrupt), EXIT)
    assert "Cancelled. Nothing was saved." in console.text
    assert store.get_user("carol") is None
    assert list(store.iter_users()) == []


@pytest.mark.parametrize("backend", ["sqlite"])
def test_files_other_users_can_read_are_named_once_when_the_store_opens(settings, password_hash):
    from statbotic.records import User
    from statbotic.services import utc_now
    from statbotic.storage.sqlite import SQLiteStore

    store = SQLiteStore(settings.database_path)
    store.add_user(User("alice", password_hash, utc_now(), admin=True, teams={"default": "lead"}))
    store.close()
    os.chmod(settings.database_path, 0o640)
    console = play(None, settings, LOGIN, menu("2"), period("2026-11"), ("View more", "n"), EXIT)
    warning = (
        f"The data file {settings.database_path} can be read by other users (mode 0640); "
        f"to keep it private: chmod 600 {settings.database_path}"
    )
    assert console.text.count(warning) == 1
    assert console.text.index("Login menu") < console.text.index(warning) < console.text.index("Username")

"""Strangers try to register: without an invite, with a spent, expired or made-up one, from a domain the
store doesn't accept, into a closed store; and two first users at once.  Each is refused and nothing in
the store changes; an invite refused for another reason stays usable."""

import threading
from datetime import timedelta

import pytest

from statbotic import people
from statbotic.errors import InvalidInput
from statbotic.records import CLOSED, INVITE, OPEN, Registration
from statbotic.services import utc_now
from statbotic.storage import open_store
from tests.security.conftest import EPOCH, NOW, A, snapshot
from tests.transcript import EXIT, answers, menu, play

NEW_PASSWORD = "mallory-password"
NOT_VALID = "That invite code is not valid: it may be used or expired. Ask for a new one."


def invite(store, role="viewer", days=7, now=None) -> str:
    code, _ = people.create_invite(store, store.get_user("root"), A, role, days, now=now)
    return code


def spent_invite(store) -> str:
    code = invite(store)
    people.register(store, "early", NEW_PASSWORD, default_team=A, invite_code=code)
    return code


def expired_invite(store) -> str:
    return invite(store, days=1, now=utc_now() - timedelta(days=2))


def setting(store, mode, *domains) -> None:
    store.set_registration(Registration(mode, domains), "root", NOW)


def register(attacker, *extra: str) -> str:
    return attacker.nobody().refused("users", "register", "mallory", "--password-stdin", *extra, stdin=NEW_PASSWORD)


def test_without_an_invite(attacker, store):
    before = snapshot(store)
    assert register(attacker) == "Registration needs an invite code (--invite CODE): ask an admin or a lead for one."
    with pytest.raises(InvalidInput, match="needs an invite code"):
        people.register(store, "mallory", NEW_PASSWORD, default_team=A)
    assert snapshot(store) == before


@pytest.mark.parametrize("make", [spent_invite, expired_invite, lambda store: "AAAA-BBBB-CCCC-DDDD"])
def test_with_a_spent_expired_or_made_up_invite(attacker, store, make):
    code = make(store)
    before = snapshot(store)
    assert register(attacker, "--invite", code) == NOT_VALID
    with pytest.raises(InvalidInput, match="not valid"):  # the use case itself, past the CLI's early check
        people.register(store, "mallory", NEW_PASSWORD, default_team=A, invite_code=code)
    assert snapshot(store) == before


def test_a_disallowed_domain_leaves_the_invite_unspent(attacker, store):
    setting(store, INVITE, "example.com")
    code = invite(store)
    before = snapshot(store)
    for address in ("mallory@evil.example", "mallory@example.com.evil.example", "mallory@sub.example.com"):
        message = register(attacker, "--invite", code, "--email", address)
        assert message == "Registration accepts addresses at example.com only."
    assert register(attacker, "--invite", code) == (
        "Registration asks for your e-mail address at example.com: add --email."
    )
    with pytest.raises(InvalidInput):
        people.register(store, "mallory", NEW_PASSWORD, default_team=A, invite_code=code, email="m@evil.example")
    assert snapshot(store) == before
    assert people.check_invite(store, code).used_by is None


def test_open_mode_with_domains_refuses_other_domains(attacker, store):
    setting(store, OPEN, "example.com")
    before = snapshot(store)
    message = register(attacker, "--email", "mallory@evil.example")
    assert message == "Registration accepts addresses at example.com only."
    assert snapshot(store) == before


def test_closed_refuses_even_a_good_invite(attacker, store):
    code = invite(store)
    setting(store, CLOSED)
    before = snapshot(store)
    message = "Registration is closed: an admin adds users (Administration, or statbotic users add)."
    assert register(attacker, "--invite", code) == message
    assert register(attacker) == message
    assert snapshot(store) == before


def test_a_taken_name_leaves_the_invite_unspent(attacker, store):
    code = invite(store, role="lead")
    before = snapshot(store)
    assert attacker.nobody().refused("users", "register", "ANN", "--invite", code, "--password-stdin") == (
        "The username 'ANN' is taken. Please choose another."
    )
    assert snapshot(store) == before
    assert people.check_invite(store, code).used_by is None


def test_the_menus_refuse_each_bad_code_and_come_back_to_the_login_menu(world, store, menu_settings):
    codes = [spent_invite(store), expired_invite(store), "AAAA-BBBB-CCCC-DDDD", ""]
    before = snapshot(store)
    console = play(store, menu_settings, menu("2"), answers("Invite code", *codes, KeyboardInterrupt), EXIT)
    assert console.text.count(NOT_VALID) == len(codes)
    assert "Cancelled. Nothing was saved." in console.text
    assert console.text.count("Login menu") == 2  # the same menu again
    assert snapshot(store) == before


def test_the_menus_refuse_a_disallowed_domain(world, store, menu_settings):
    setting(store, INVITE, "example.com")
    code = invite(store)
    before = snapshot(store)
    console = play(
        store,
        menu_settings,
        menu("2"),
        ("Invite code", code),
        ("username", "mallory"),
        answers("e-mail address", "mallory@evil.example", "m@example.com.evil.example", KeyboardInterrupt),
        EXIT,
    )
    assert console.text.count("Registration accepts addresses at example.com only.") == 2
    assert console.text.count("Login menu") == 2
    assert snapshot(store) == before
    assert people.check_invite(store, code).used_by is None


def test_the_menus_say_closed_and_show_the_login_menu_again(world, store, menu_settings):
    setting(store, CLOSED)
    before = snapshot(store)
    console = play(store, menu_settings, menu("2"), EXIT)
    assert "Registration is closed" in console.text and console.text.count("Login menu") == 2
    assert console.prompts == ["Choose an option: "] * 2
    assert snapshot(store) == before


def test_two_first_users_at_once_make_exactly_one_admin(settings):
    """Two registrations race on an empty store, each through its own connection opened in its own thread:
    one becomes the admin; the other finds a store that now wants an invite and is refused."""
    open_store(settings).close()  # the schema made once, before the race
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def race(name: str) -> None:
        store = open_store(settings)
        try:
            start.wait()
            outcomes[name] = people.register(store, name, NEW_PASSWORD, default_team=A)
        except InvalidInput as refused:
            outcomes[name] = refused
        finally:
            store.close()

    threads = [threading.Thread(target=race, args=(name,)) for name in ("eve", "mal")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store = open_store(settings)
    try:
        users = list(store.iter_users())
        assert len(users) == 1 and users[0].admin, outcomes
        loser = ({"eve", "mal"} - {users[0].username}).pop()
        assert isinstance(outcomes[loser], InvalidInput) and "invite" in outcomes[loser].message
        assert store.get_registration().mode == INVITE
        assert [entry.action for entry in store.audit_since(EPOCH)].count("user registered") == 1
    finally:
        store.close()


class FirstClaimedUserNotYetWritten:
    """A store in the moment between a first registration's two writes on MongoDB: the claim is made (so
    add_first_user refuses), the user not yet (so has_users says no)."""

    def __init__(self, store) -> None:
        self.store = store

    def add_first_user(self, user, team) -> bool:
        return False

    def has_users(self) -> bool:
        return False

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_losing_the_first_users_claim_is_no_way_in_without_an_invite(settings):
    store = open_store(settings)
    try:
        with pytest.raises(InvalidInput, match="needs an invite code"):
            people.register(FirstClaimedUserNotYetWritten(store), "mal", NEW_PASSWORD, default_team=A)
        assert list(store.iter_users()) == [] and store.audit_since(EPOCH) == []
    finally:
        store.close()

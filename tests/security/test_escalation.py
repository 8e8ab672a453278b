"""A lead tries to become more than a lead, or to make someone else more; the last admin tries to stop
being one.  Refused, nothing changed."""

import pytest

from statbotic import people
from statbotic.errors import Forbidden, InvalidInput, LastAdmin
from statbotic.records import User
from tests.security.conftest import NOW, snapshot

ONLY_ADMINS = [
    (["users", "role", "ann", "--team", "alpha", "--role", "lead"], "Only an admin can change roles."),
    (["users", "role", "ann", "--team", "beta", "--role", "lead"], "Only an admin can change roles."),
    (["users", "role", "vic", "--team", "alpha", "--role", "lead"], "Only an admin can change roles."),
    (["users", "admin", "ann", "--grant"], "Only an admin can make or unmake admins."),
    (["users", "add", "sidekick", "--admin", "--password-stdin"], "Only an admin can add users."),
    (
        ["users", "add", "sidekick", "--team", "alpha", "--role", "lead", "--password-stdin"],
        "Only an admin can add users.",
    ),
    (["users", "enable", "dis"], "Only an admin can disable or enable users."),
    (["users", "reset", "root"], "Only an admin can reset a password."),
    (["registration", "set", "--mode", "open"], "Only an admin can change who may register."),
    (["teams", "add", "mine"], "Only an admin can create teams."),
]


@pytest.mark.parametrize(
    "argv, message", ONLY_ADMINS, ids=lambda value: " ".join(value[:3]) if isinstance(value, list) else ""
)
def test_a_lead_is_refused_what_only_an_admin_does(attacker, world, store, argv, message):
    before = snapshot(store)
    assert attacker.with_token(world["ann"]).refused(*argv) == message
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "extra",
    [["--role", "admin"], ["--role", "viewer", "--admin"], ["--role", "viewer", "--teams", "beta"]],
    ids=["role admin", "--admin", "--teams"],
)
def test_an_invite_takes_no_role_or_field_beyond_viewer_and_lead(attacker, world, store, extra):
    before = snapshot(store)
    status, out, err = attacker.with_token(world["ann"]).run("users", "invite", *extra)
    assert (status, out) == (2, "") and err.startswith("statbotic: "), err  # refused by the parser: a usage error
    assert snapshot(store) == before
    with pytest.raises(InvalidInput, match="A role is viewer or lead, not 'admin'"):
        people.create_invite(store, store.get_user("ann"), "alpha", "admin")
    assert snapshot(store) == before


def test_a_redeemed_invite_never_makes_an_admin_whatever_the_user_record_says(store, world):
    code, invite = people.create_invite(store, store.get_user("ann"), "alpha", "viewer")
    forged = User("forger", "x", NOW, admin=True, teams={"beta": "lead"})
    from statbotic import auth

    assert store.redeem_invite(forged, auth.token_hash(code), NOW) == invite
    stored = store.get_user("forger")
    assert not stored.admin and dict(stored.teams) == {"alpha": "viewer"}


def test_the_last_admin_cant_revoke_or_disable_themselves(attacker, store):
    before = snapshot(store)
    attacker.as_user("root")
    assert attacker.refused("users", "admin", "root", "--revoke") == LastAdmin().message
    assert attacker.refused("users", "disable", "root") == "You can't disable yourself: ask another admin."
    assert snapshot(store) == before


def test_a_disabled_admin_doesnt_count_as_another_admin(attacker, store):
    """dis is made an admin while disabled: root is still the last enabled admin."""
    assert store.update_user("dis", by="root", at=NOW, admin=True).admin
    before = snapshot(store)
    assert attacker.as_user("root").refused("users", "admin", "root", "--revoke") == LastAdmin().message
    assert snapshot(store) == before


def test_two_admins_cant_leave_the_store_without_one(world, store):
    root = store.get_user("root")
    people.set_admin(store, root, "ann", True)
    ann = store.get_user("ann")
    people.set_admin(store, ann, "root", False)
    before = snapshot(store)
    with pytest.raises(LastAdmin):
        people.set_admin(store, ann, "ann", False)
    with pytest.raises(Forbidden):  # root, demoted, acts no more as an admin
        people.set_disabled(store, store.get_user("root"), "ann", True)
    assert snapshot(store) == before

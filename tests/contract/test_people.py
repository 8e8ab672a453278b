"""People on every backend (the ``store`` fixture runs each test on each): users with every field, the first
user, access changes and the last admin, reset codes, teams as records, registration, invites, deleting a
day; each change audited with who, what, before and after, and never a hash or a code in the log."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from threading import Barrier

import pytest

from statbotic.errors import DuplicateTeam, DuplicateUser, LastAdmin
from statbotic.frozen import replace
from statbotic.records import (
    CLOSED,
    LEAD,
    OPEN,
    VIEWER,
    AuditEntry,
    DayRecord,
    Invite,
    Registration,
    Team,
    User,
    invite_values,
    user_values,
)

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HASH = "pbkdf2_sha256$1000$c2FsdA$aGFzaA"
NEW_HASH = "pbkdf2_sha256$2000$bmV3$bmV3"
CODE, OTHER_CODE = "c" * 64, "d" * 64  # the SHA-256 of a code, as services hand it to the store
FIGURES = dict(comments=52, solves=12, chats=110, wait_tenths=1118, csat_ratings=52, csat_good=47)


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def person(name: str, minutes: int = 0, **fields) -> User:
    return User(name, HASH, later(minutes), **fields)


def invite(code: str = CODE, team: str = "support", role: str = VIEWER, expires: int = 60) -> Invite:
    return Invite(code, team, role, "alice", NOW, later(expires))


def log(store) -> list[AuditEntry]:
    return store.audit_since(EPOCH)


def assert_no_secret(store, *secrets: str) -> None:
    text = repr(log(store))
    assert [secret for secret in (HASH, NEW_HASH, "pbkdf2", *secrets) if secret in text] == []


def with_admin(store) -> User:
    """A store whose only admin is 'root', a lead of support (added as a copy: no audit entry)."""
    root = person("root", admin=True, teams={"support": LEAD})
    store.add_user(root, audit=False)
    return root


# users with every field


def test_every_read_of_a_user_returns_every_field(store):
    dana = person("Dana", admin=True, teams={"support": LEAD, "billing": VIEWER}, disabled=True, email="d@example.com")
    lee = person("lee", 1)
    store.add_user(dana)
    store.add_user(lee)
    store.set_token_hash("dana", "f" * 64)
    assert store.get_user("DANA") == dana
    assert store.get_user_by_token_hash("f" * 64) == dana  # disabled users too: services refuse them
    assert store.get_login("dana")[0] == dana
    assert list(store.iter_users()) == [dana, lee]  # oldest first
    plain = store.get_user("lee")  # a user given no more than a name, a hash and a time
    assert (plain.admin, dict(plain.teams), plain.disabled, plain.email) == (False, {}, False, None)


def test_a_user_registered_is_audited_by_them_and_one_added_by_an_admin_by_the_admin(store):
    dana, lee = person("dana", teams={"support": VIEWER}), person("lee", 1, admin=True, email="lee@example.com")
    store.add_user(dana)
    store.add_user(lee, by="alice")
    store.add_user(person("kim", 2), audit=False)  # a copy: nobody changed anything
    assert log(store) == [
        AuditEntry(NOW, "dana", "user registered", "", "dana", None, user_values(dana)),
        AuditEntry(later(1), "alice", "user added", "", "lee", None, user_values(lee)),
    ]
    assert log(store)[0].after == {"admin": False, "teams": {"support": "viewer"}, "disabled": False}
    assert_no_secret(store, "lee@example.com")


def test_has_users_says_whether_there_is_any(store):
    assert store.has_users() is False
    store.add_user(person("dana"), audit=False)
    assert store.has_users() is True


def test_the_first_user_is_added_once_with_their_team_and_later_ones_are_refused(store):
    first = person("Dana", admin=True, teams={"support": LEAD})
    assert store.add_first_user(first, Team("support", "Support", NOW)) is True
    assert store.get_user("dana") == first
    assert store.teams() == (Team("support", "Support", NOW),)
    assert [(e.actor, e.action, e.team, e.subject, e.before, e.after) for e in log(store)] == [
        ("Dana", "team created", "support", "support", None, {"display_name": "Support"}),
        ("Dana", "user registered", "", "Dana", None, user_values(first)),
    ]

    second = person("lee", 1, admin=True, teams={"sales": LEAD})
    assert store.add_first_user(second, Team("sales", "Sales", later(1))) is False
    assert store.get_user("lee") is None and [t.name for t in store.teams()] == ["support"]
    assert len(log(store)) == 2


def test_the_first_user_joins_a_team_that_exists_already_without_creating_it_again(store):
    store.add_team(Team("support", "Support desk", NOW), by=None)
    first = person("dana", 1, admin=True, teams={"support": LEAD})
    assert store.add_first_user(first, Team("support", "Support", later(1))) is True
    assert store.teams() == (Team("support", "Support desk", NOW),)
    assert [e.action for e in log(store)] == ["user registered"]


def test_of_first_users_registering_at_once_exactly_one_wins(store, settings):
    from statbotic.storage import open_store

    names = ["ann", "ben", "cal", "dee"]
    start = Barrier(len(names))

    def register(name: str) -> bool:
        each = open_store(settings)  # a store of its own, opened in its thread, as another process would
        try:
            start.wait()
            first = person(name, admin=True, teams={"support": LEAD})
            return each.add_first_user(first, Team("support", "Support", NOW))
        finally:
            each.close()

    with ThreadPoolExecutor(len(names)) as pool:
        won = list(pool.map(register, names))
    assert sorted(won) == [False, False, False, True]
    assert [u.username for u in store.iter_users()] == [names[won.index(True)]]
    assert [e.action for e in log(store)] == ["team created", "user registered"]


# changing a user's access


def test_each_field_of_a_user_changes_alone_and_none_leaves_it(store):
    with_admin(store)
    dana = person("Dana", 1, teams={"support": VIEWER}, email="d@example.com")
    store.add_user(dana, audit=False)

    made_admin = store.update_user("DANA", by="root", at=later(2), admin=True)
    assert made_admin == User("Dana", HASH, later(1), True, {"support": VIEWER}, False, "d@example.com")
    moved = store.update_user("dana", by="root", at=later(3), teams={"billing": LEAD, "sales": VIEWER})
    assert dict(moved.teams) == {"billing": LEAD, "sales": VIEWER} and moved.admin is True  # the whole mapping
    disabled = store.update_user("dana", by="root", at=later(4), disabled=True)
    assert (disabled.admin, dict(disabled.teams), disabled.disabled) == (True, {"billing": LEAD, "sales": VIEWER}, True)
    assert store.get_user("dana") == disabled and store.get_login("dana")[0] == disabled

    assert log(store) == [
        AuditEntry(later(2), "root", "user changed", "", "Dana", user_values(dana), user_values(made_admin)),
        AuditEntry(later(3), "root", "user changed", "", "Dana", user_values(made_admin), user_values(moved)),
        AuditEntry(later(4), "root", "user changed", "", "Dana", user_values(moved), user_values(disabled)),
    ]
    assert log(store)[2].after == {"admin": True, "teams": {"billing": "lead", "sales": "viewer"}, "disabled": True}
    assert_no_secret(store, "d@example.com")


def test_changing_an_unknown_user_is_none(store):
    assert store.update_user("nobody", by="root", at=NOW, admin=True) is None
    assert log(store) == []


def test_a_change_that_changes_nothing_writes_no_entry(store):
    with_admin(store)
    dana = person("dana", teams={"support": VIEWER})
    store.add_user(dana, audit=False)
    assert store.update_user("dana", by="root", at=NOW, admin=False, teams={"support": VIEWER}, disabled=False) == dana
    assert store.update_user("dana", by="root", at=NOW) == dana
    assert log(store) == []


@pytest.mark.parametrize("change", [dict(admin=False), dict(disabled=True), dict(admin=False, disabled=True)])
def test_the_last_enabled_admin_cannot_be_demoted_or_disabled(store, change):
    root = with_admin(store)
    store.add_user(person("lee", 1, admin=True, disabled=True), audit=False)  # a disabled admin is no admin
    with pytest.raises(LastAdmin) as refused:
        store.update_user("root", by="root", at=NOW, **change)
    assert refused.value.message == "That would leave no admin: make another user an admin first."
    assert store.get_user("root") == root and log(store) == []
    store.update_user("root", by="root", at=NOW, teams={})  # other changes to the last admin are fine
    assert store.get_user("root").admin is True


def test_an_admin_can_be_demoted_while_another_enabled_admin_remains(store):
    with_admin(store)
    store.add_user(person("lee", 1), audit=False)
    store.update_user("lee", by="root", at=later(1), admin=True)
    assert store.update_user("root", by="lee", at=later(2), admin=False).admin is False
    with pytest.raises(LastAdmin):
        store.update_user("lee", by="lee", at=later(3), disabled=True)
    assert [e.at for e in log(store)] == [later(1), later(2)]


# linking a user to an agent (their own figures: "my stats")


def test_a_user_with_an_agent_is_stored_whole_and_read_back_by_every_lookup(store):
    ana = person("ana", teams={"support": VIEWER}, agent="Ana Lima")
    store.add_user(ana, by="root")
    store.set_token_hash("ana", "f" * 64)
    assert store.get_user("ANA") == ana and store.get_login("ana")[0] == ana
    assert store.get_user_by_token_hash("f" * 64) == ana and list(store.iter_users()) == [ana]
    access = {"admin": False, "teams": {"support": "viewer"}, "disabled": False}
    assert log(store)[0].after == {**access, "agent": "Ana Lima"}


def test_linking_relinking_and_unlinking_an_agent_audited_with_before_and_after(store):
    with_admin(store)
    dana = person("Dana", 1, teams={"support": VIEWER})
    store.add_user(dana, audit=False)
    assert store.get_user("dana").agent is None  # a user from before agents: no agent

    linked = store.update_user("dana", by="root", at=later(2), agent="Dana Souza  (EMEA)")
    assert linked.agent == "Dana Souza  (EMEA)" and store.get_user("DANA") == linked  # as given, case and spaces
    relinked = store.update_user("dana", by="root", at=later(3), agent="dana souza")
    assert relinked.agent == "dana souza" and store.get_login("dana")[0] == relinked
    moved = store.update_user("dana", by="root", at=later(4), teams={"billing": LEAD})  # None leaves the agent
    assert moved.agent == "dana souza" and dict(moved.teams) == {"billing": LEAD}
    unlinked = store.update_user("dana", by="root", at=later(5), agent="")
    assert unlinked.agent is None and store.get_user("dana") == unlinked == replace(moved, agent=None)
    assert [u for u in store.iter_users() if u.username == "Dana"] == [unlinked]

    access = {"admin": False, "teams": {"support": "viewer"}, "disabled": False}
    assert log(store) == [
        AuditEntry(later(2), "root", "user changed", "", "Dana", access, {**access, "agent": "Dana Souza  (EMEA)"}),
        AuditEntry(later(3), "root", "user changed", "", "Dana", user_values(linked), user_values(relinked)),
        AuditEntry(later(4), "root", "user changed", "", "Dana", user_values(relinked), user_values(moved)),
        AuditEntry(later(5), "root", "user changed", "", "Dana", user_values(moved), user_values(unlinked)),
    ]
    assert "agent" not in log(store)[-1].after  # unlinked reads as a user who never had an agent


def test_linking_the_same_agent_again_or_unlinking_an_unlinked_user_writes_nothing(store):
    with_admin(store)
    store.add_user(person("dana", agent="Ana Lima"), audit=False)
    store.add_user(person("lee", 1), audit=False)
    assert store.update_user("dana", by="root", at=NOW, agent="Ana Lima").agent == "Ana Lima"
    assert store.update_user("lee", by="root", at=NOW, agent="").agent is None
    assert store.update_user("nobody", by="root", at=NOW, agent="Ana Lima") is None
    assert log(store) == []


def test_the_last_admin_may_be_linked_to_an_agent(store):
    root = with_admin(store)
    assert store.update_user("root", by="root", at=NOW, agent="Root Agent") == replace(root, agent="Root Agent")


# password reset codes


def test_a_reset_code_works_once_replaces_the_password_and_forgets_the_token(store):
    store.add_user(person("Dana"), audit=False)
    store.set_token_hash("dana", "f" * 64)
    assert store.set_reset_code("DANA", CODE, later(30), by="alice", at=later(1)) is True
    assert store.use_reset_code("dana", CODE, NEW_HASH, later(2)) is True
    assert store.get_user("dana").password_hash == NEW_HASH
    assert store.get_user_by_token_hash("f" * 64) is None
    assert store.use_reset_code("dana", CODE, HASH, later(3)) is False  # spent
    assert store.get_user("dana").password_hash == NEW_HASH
    assert log(store) == [
        AuditEntry(later(1), "alice", "reset code issued", "", "Dana", None, {"expires_at": later(30).isoformat()}),
        AuditEntry(later(2), "Dana", "password reset", "", "Dana"),
    ]
    assert_no_secret(store, CODE, "f" * 64)


@pytest.mark.parametrize(
    "code, now",
    [
        (OTHER_CODE, later(2)),  # the wrong code
        (CODE, later(30)),  # at its expiry: it works only before
        (CODE, later(31)),  # expired
    ],
)
def test_a_wrong_or_expired_reset_code_changes_nothing(store, code, now):
    store.add_user(person("dana"), audit=False)
    store.set_token_hash("dana", "f" * 64)
    store.set_reset_code("dana", CODE, later(30), by="alice", at=later(1))
    assert store.use_reset_code("dana", code, NEW_HASH, now) is False
    assert store.get_user("dana").password_hash == HASH
    assert store.get_user_by_token_hash("f" * 64).username == "dana"
    assert [e.action for e in log(store)] == ["reset code issued"]


def test_a_new_reset_code_replaces_the_earlier_one(store):
    store.add_user(person("dana"), audit=False)
    store.set_reset_code("dana", CODE, later(30), by="alice", at=later(1))
    store.set_reset_code("dana", OTHER_CODE, later(40), by="alice", at=later(2))
    assert store.use_reset_code("dana", CODE, NEW_HASH, later(3)) is False
    assert store.use_reset_code("dana", OTHER_CODE, NEW_HASH, later(3)) is True


def test_reset_codes_of_unknown_users_do_nothing(store):
    assert store.set_reset_code("nobody", CODE, later(30), by="alice", at=NOW) is False
    assert store.use_reset_code("nobody", CODE, NEW_HASH, NOW) is False
    store.add_user(person("dana"), audit=False)
    assert store.use_reset_code("dana", CODE, NEW_HASH, NOW) is False  # no code issued
    assert log(store) == []


# deleting a day


def test_deleting_a_day_removes_it_and_the_history_shows_it(store):
    day = date(2026, 11, 20)
    store.upsert_day(DayRecord("support", day, FIGURES, "dana", NOW))
    store.upsert_day(DayRecord("support", day + timedelta(1), FIGURES, "dana", NOW))
    store.upsert_day(DayRecord("billing", day, FIGURES, "dana", NOW))
    assert store.delete_day("support", day, by="lee", at=later(5)) is True
    assert store.get_day("support", day) is None
    assert store.range_totals("support", day, day).days_with_data == ()
    assert [(d.team, d.day) for d in store.iter_all_days()] == [("billing", day), ("support", day + timedelta(1))]
    assert store.day_history("support", day) == [
        AuditEntry(NOW, "dana", "day added", "support", "2026-11-20", None, FIGURES),
        AuditEntry(later(5), "lee", "day deleted", "support", "2026-11-20", FIGURES, None),
    ]
    assert store.delete_day("support", day, by="lee", at=later(6)) is False  # nothing left to delete
    assert store.delete_day("sales", day, by="lee", at=later(6)) is False
    assert len(log(store)) == 4


# teams


def test_a_team_is_created_once_and_audited_unless_copied(store):
    store.add_team(Team("support", "Support", NOW), by="alice")
    with pytest.raises(DuplicateTeam) as taken:
        store.add_team(Team("support", "Other", later(1)), by="alice")
    assert taken.value.message == "The team name 'support' is taken."
    store.add_team(Team("billing", "Billing", later(2)), by=None)  # a copy
    assert store.teams() == (Team("billing", "Billing", later(2)), Team("support", "Support", NOW))
    created = AuditEntry(NOW, "alice", "team created", "support", "support", None, {"display_name": "Support"})
    assert log(store) == [created]


def test_renaming_a_team_changes_its_display_name_only(store):
    store.add_team(Team("support", "Support", NOW), by=None)
    assert store.rename_team("support", "Customer care", by="alice", at=later(1)) is True
    assert store.teams() == (Team("support", "Customer care", NOW),)
    assert store.rename_team("nope", "Anything", by="alice", at=later(2)) is False
    assert store.teams() == (Team("support", "Customer care", NOW),)
    assert log(store) == [
        AuditEntry(
            later(1), "alice", "team renamed", "support", "support", {"display_name": "Support"},
            {"display_name": "Customer care"},
        )
    ]  # fmt: skip


# registration


def test_registration_is_invite_only_until_an_admin_sets_it(store):
    assert store.get_registration() == Registration() == Registration("invite", ())
    store.set_registration(Registration(OPEN, ("example.com", "example.org")), by="alice", at=later(1))
    assert store.get_registration() == Registration(OPEN, ("example.com", "example.org"))
    store.set_registration(Registration(CLOSED), by="lee", at=later(2))
    assert store.get_registration() == Registration(CLOSED, ())
    assert log(store) == [
        AuditEntry(
            later(1), "alice", "registration set", "", "registration", {"mode": "invite", "domains": []},
            {"mode": "open", "domains": ["example.com", "example.org"]},
        ),
        AuditEntry(
            later(2), "lee", "registration set", "", "registration",
            {"mode": "open", "domains": ["example.com", "example.org"]}, {"mode": "closed", "domains": []},
        ),
    ]  # fmt: skip


# invites


def test_an_invite_round_trips_and_its_issue_is_audited_without_the_code(store):
    issued = invite(role=LEAD)
    store.add_invite(issued)
    assert store.get_invite(CODE) == issued
    assert store.get_invite(OTHER_CODE) is None
    assert log(store) == [AuditEntry(NOW, "alice", "invite issued", "support", "invite", None, invite_values(issued))]
    assert log(store)[0].after == {"team": "support", "role": "lead", "expires_at": later(60).isoformat()}
    assert_no_secret(store, CODE)


def test_an_invite_registers_its_user_in_its_team_with_its_role_never_as_admin(store):
    store.add_invite(invite(role=LEAD))
    hopeful = person("Dana", 5, admin=True, teams={"billing": LEAD}, email="d@example.com")
    assert store.redeem_invite(hopeful, CODE, later(10)) == invite(role=LEAD)  # the invite as it was
    assert store.get_user("dana") == User("Dana", HASH, later(5), False, {"support": LEAD}, False, "d@example.com")
    assert store.get_invite(CODE) == Invite(CODE, "support", LEAD, "alice", NOW, later(60), "Dana", later(10))
    registered = store.get_user("dana")
    assert log(store)[1:] == [
        AuditEntry(later(5), "Dana", "user registered", "", "Dana", None, user_values(registered)),
        AuditEntry(
            later(10), "Dana", "invite used", "support", "invite", None,
            {"team": "support", "role": "lead", "expires_at": later(60).isoformat(), "used_by": "Dana"},
        ),
    ]  # fmt: skip
    assert_no_secret(store, CODE, "d@example.com")


def test_an_invite_works_once(store):
    store.add_invite(invite())
    assert store.redeem_invite(person("dana"), CODE, later(1)) is not None
    assert store.redeem_invite(person("lee"), CODE, later(2)) is None
    assert store.get_user("lee") is None and store.get_invite(CODE).used_by == "dana"
    assert [e.action for e in log(store)] == ["invite issued", "user registered", "invite used"]


@pytest.mark.parametrize("code, now", [(CODE, later(60)), (CODE, later(61)), (OTHER_CODE, later(1))])
def test_an_expired_or_unknown_invite_registers_nobody(store, code, now):
    store.add_invite(invite())
    assert store.redeem_invite(person("dana"), code, now) is None
    assert store.get_user("dana") is None and store.has_users() is False
    assert store.get_invite(CODE).used_by is None
    assert [e.action for e in log(store)] == ["invite issued"]


def test_a_taken_name_leaves_the_invite_unused(store):
    store.add_user(person("Dana"), audit=False)
    store.add_invite(invite())
    with pytest.raises(DuplicateUser):
        store.redeem_invite(person("dana", 1), CODE, later(2))
    assert store.get_invite(CODE) == invite()
    assert dict(store.get_user("dana").teams) == {}
    assert [e.action for e in log(store)] == ["invite issued"]
    assert store.redeem_invite(person("lee", 3), CODE, later(4)).team == "support"  # still good for another name

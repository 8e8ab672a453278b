"""Register follows who may register: the first user becomes admin; invite, closed, e-mail domains, open."""

from datetime import timedelta

from statbotic import people
from statbotic.frozen import replace
from statbotic.records import CLOSED, INVITE, OPEN, Registration
from statbotic.services import login, utc_now
from tests.transcript import EXIT, answers, log_in_as, menu, play

PASSWORD = "long enough"


def password() -> list:
    return [("Choose a password", PASSWORD), ("Confirm", PASSWORD)]


def invite(store, alice, team="billing", role="lead", days=7, now=None) -> str:
    code, _ = people.create_invite(store, alice, team, role, days, now=now)
    return code


def setting(store, mode, *domains):
    store.set_registration(Registration(mode, domains), "alice", utc_now())


def test_the_first_user_is_told_they_become_the_admin_and_lead_of_the_default_team(store, settings):
    console = play(store, settings, menu("2"), ("username", "ada"), password(), log_in_as("ada", PASSWORD), EXIT)
    assert "You are the first user: you'll be the admin, and a lead of team default." in console.text
    assert "Main menu (ada, team default)" in console.text and "  10  Administration" in console.text
    ada = store.get_user("ada")
    assert ada.admin and dict(ada.teams) == {"default": "lead"}
    assert [team.name for team in store.teams()] == ["default"]
    assert store.get_registration().mode == INVITE  # closed to strangers from now on


def test_in_the_web_page_nobody_registers_first_the_operator_makes_the_admin(store, settings):
    web = replace(settings, web_session=True)  # a new deploy: a stranger must not become its admin
    console = play(store, web, menu("2"), EXIT)
    assert people.NO_ADMIN_ON_THE_WEB in console.text
    assert "Choose a username" not in console.text
    assert not store.has_users() and store.audit_since(utc_now() - timedelta(days=1)) == []


def test_invite_mode_asks_the_code_first_and_refuses_a_bad_spent_or_expired_one(teams, settings):
    alice = teams.get_user("alice")
    good = invite(teams, alice)
    spent = invite(teams, alice, "default", "viewer")
    people.register(teams, "early", PASSWORD, default_team="default", invite_code=spent)
    expired = invite(teams, alice, days=1, now=utc_now() - timedelta(days=2))
    console = play(
        teams,
        settings,
        menu("2"),
        answers("Invite code", "NOPE-NOPE-NOPE-NOPE", spent, expired, good.lower().replace("-", " ")),
        ("username", "bea"),
        password(),
        log_in_as("bea", PASSWORD),
        EXIT,
    )
    assert console.prompts[1] == "Invite code: "  # before anything else
    assert console.text.count("That invite code is not valid: it may be used or expired. Ask for a new one.") == 3
    assert "Registered bea. You can log in now." in console.text
    assert dict(teams.get_user("bea").teams) == {"billing": "lead"}
    assert "Main menu (bea, team Billing desk)" in console.text and "  1  Add or update stats" in console.text


def test_closed_says_so_before_asking_anything(teams, settings):
    setting(teams, CLOSED)
    console = play(teams, settings, menu("2"), EXIT)
    assert "Registration is closed: an admin adds users (Administration, or statbotic users add)." in console.text
    assert console.prompts == ["Choose an option: "] * 2


def test_allowed_domains_ask_the_address_and_refuse_others(teams, settings):
    setting(teams, OPEN, "example.com")
    console = play(
        teams,
        settings,
        menu("2"),
        ("username", "cas"),
        answers("e-mail address (at example.com)", "cas", "cas@example.org", "Cas@Example.com"),
        password(),
        EXIT,
    )
    assert "'cas' is not an e-mail address (name@example.com)." in console.text
    assert "Registration accepts addresses at example.com only." in console.text
    assert teams.get_user("cas").email == "Cas@Example.com"


def test_open_registers_with_no_team_and_says_so(teams, settings):
    setting(teams, OPEN)
    console = play(teams, settings, menu("2"), ("username", "dee"), password(), log_in_as("dee", PASSWORD), EXIT)
    assert "Registered dee. You can log in now." in console.text
    assert "You are in no team yet: an admin adds you to one." in console.text
    assert "Main menu (dee, in no team yet)" in console.text
    assert login(teams, "dee", PASSWORD).teams == {}

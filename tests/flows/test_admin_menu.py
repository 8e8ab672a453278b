"""The Administration menu, each action end to end, and what it refuses (asked again, nothing saved)."""

import contextlib
import re
from datetime import timedelta

from statbotic import people, services
from statbotic.errors import AuthenticationFailed
from statbotic.records import CLOSED, OPEN, Registration
from statbotic.throttle import LIMIT
from tests.conftest import PASSWORD
from tests.flows.conftest import NOW, add_member
from tests.flows.test_fits_80_columns import long_lines
from tests.transcript import answers, log_in_as, menu, play

ADMIN = [("Choose a team", "1"), *menu("10")]  # alice, an admin, picks among every team, then Administration
BACK = menu("0")  # from the Administration menu to the main menu


def bob(store, password_hash, **teams):
    return add_member(store, password_hash, "bob", **(teams or {"default": "viewer"}))


def test_list_users_shows_admin_teams_last_login_and_status_within_80_columns(teams, as_alice, password_hash):
    bob(teams, password_hash)
    add_member(teams, password_hash, "cy", default="lead", billing="viewer")
    add_member(teams, password_hash, "a_name_of_thirty_two_characters_", **{f"team-{n}": "viewer" for n in range(3)})
    people.set_disabled(teams, teams.get_user("alice"), "cy", True)
    people.set_agent(teams, teams.get_user("alice"), "a_name_of_thirty_two_characters_", "Agent " + "y" * 74)
    for _ in range(LIMIT):
        _fail(teams, "bob")
    console = as_alice(ADMIN, menu("1"), BACK)
    assert long_lines(console.text) == []
    assert row(console.text, "alice") == ["alice", "yes", "default: lead", row(console.text, "alice")[3], "active"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row(console.text, "alice")[3])  # this login's
    assert row(console.text, "bob") == ["bob", "", "default: viewer", "never", "locked"]
    assert row(console.text, "cy") == ["cy", "", "billing: viewer", "never", "disabled"]  # default: lead below
    assert "│ Name " in console.text and "│ Teams and roles │ Last login UTC   │ Status" in console.text


def _fail(store, name):
    with contextlib.suppress(AuthenticationFailed):  # LoginLocked at the last
        services.log_in(store, name, "wrong password")


def flat(text: str) -> str:
    """The output with lines joined: a long message wraps at 80 columns wherever its words fall."""
    return " ".join(text.split())


def row(text: str, name: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(f"│ {name} "))
    return [cell.strip() for cell in line.split("│")[1:-1]]


def test_add_a_user_asks_again_on_a_bad_or_taken_name_and_saves_only_at_the_end(teams, as_alice):
    console = as_alice(
        ADMIN,
        menu("2"),
        answers("Username", "x", "ALICE", "bob"),
        ("Choose a team", "1"),  # billing, then the role there
        ("Choose a role", "2"),
        ("admin", "n"),
        ("password for bob", "long enough"),
        ("Confirm", "long enough"),
        menu("2"),
        ("Username", "carol"),
        ("Choose a team", "3"),  # no team
        ("admin", "y"),
        ("password for carol", KeyboardInterrupt),
        BACK,
    )
    assert "3 to 32 characters" in console.text and "The username 'ALICE' is taken" in console.text
    assert "Added bob, a lead of team billing. Tell them their password." in console.text
    assert dict(teams.get_user("bob").teams) == {"billing": "lead"} and not teams.get_user("bob").admin
    assert services.login(teams, "bob", "long enough").username == "bob"
    assert "Cancelled. Nothing was saved." in console.text and teams.get_user("carol") is None
    assert console.text.rstrip().endswith("Choose an option: 0")  # back in Administration after Ctrl-C


def test_change_a_role_add_to_a_team_and_remove_from_it(teams, as_alice, password_hash):
    bob(teams, password_hash)
    console = as_alice(
        ADMIN,
        menu("3"),
        answers("Username", "nobody", "BOB"),
        ("Choose a team", "2"),  # default
        ("Choose a role", "2"),  # lead
        menu("3"),
        ("Username", "bob"),
        ("Choose a team", "1"),  # billing: not in it, so no "Remove" to choose
        answers("Choose a role", "3", "1"),
        menu("3"),
        ("Username", "bob"),
        ("Choose a team", "2"),
        ("Choose a role", "3"),  # remove from default
        BACK,
    )
    assert "There is no user named 'nobody' (1 List users shows them)." in console.text
    assert "bob is a viewer of team default." in console.text
    assert "bob is now a lead of team default." in console.text
    assert "bob is now a viewer of team billing and a lead of team default." in console.text
    assert "  3  Remove from the team" in console.text and "Please choose one of: 1, 2." in console.text
    assert dict(teams.get_user("bob").teams) == {"billing": "viewer"}


def test_the_last_admin_cannot_be_unmade_and_another_admin_can(teams, as_alice, password_hash):
    bob(teams, password_hash)
    console = as_alice(
        ADMIN,
        menu("4"),
        ("Username", "alice"),
        ("Take admin away from alice?", "y"),
        ("Username", "bob"),
        ("Make bob an admin?", "y"),
        menu("4"),
        ("Username", "bob"),
        ("Take admin away from bob?", "n"),
        BACK,
    )
    assert "That would leave no admin: make another user an admin first." in console.text
    assert "bob is now an admin." in console.text and "Nothing was changed." in console.text
    assert teams.get_user("bob").admin and teams.get_user("alice").admin


def test_unmaking_yourself_leaves_administration_for_the_main_menu_without_it(teams, as_alice, password_hash):
    add_member(teams, password_hash, "root", admin=True)
    console = as_alice(ADMIN, menu("4"), ("Username", "alice"), ("Take admin away", "y"))
    assert "alice is no longer an admin." in console.text
    last_menu = console.text[console.text.rindex("Main menu") :]
    assert last_menu.startswith("Main menu (alice, team default)") and "Administration" not in last_menu


def test_disable_and_enable_a_user_but_never_yourself(teams, settings, as_alice, password_hash):
    bob(teams, password_hash)
    console = as_alice(
        ADMIN,
        menu("5"),
        ("Username", "alice"),
        ("Disable alice", "y"),
        ("Username", "bob"),
        ("Disable bob (no login, no token)?", "y"),
        BACK,
    )
    assert "You can't disable yourself: ask another admin." in console.text
    assert "bob is disabled." in console.text and teams.get_user("bob").disabled
    refused = play(teams, settings, log_in_as("bob"), ("Username", KeyboardInterrupt), menu("0"))
    assert "This account is disabled: ask an admin to enable it." in refused.text
    again = as_alice(ADMIN, menu("5"), ("Username", "bob"), ("Enable bob again?", "y"), BACK)
    assert "bob is enabled." in again.text and not teams.get_user("bob").disabled


def test_a_reset_code_is_shown_once_with_how_long_it_lasts_and_what_to_do(teams, as_alice, password_hash):
    bob(teams, password_hash)
    console = as_alice(ADMIN, menu("6"), answers("Username", "bobby", "bob"), BACK)
    code = re.search(r"Reset code for bob: (\S+)\n", console.text).group(1)
    assert "It is shown only this once and lasts 24 hours; it replaces any earlier one." in console.text
    assert "bob chooses 3 Set a new password with a reset code at the login menu." in console.text
    people.reset_password(teams, "bob", code.lower(), "a new password")
    assert services.login(teams, "bob", "a new password").username == "bob"


def test_unlock_a_name_clears_its_failed_logins(teams, as_alice, password_hash):
    bob(teams, password_hash)
    for _ in range(LIMIT):
        _fail(teams, "bob")
    console = as_alice(ADMIN, menu("7"), answers("Name to unlock", "", "bob"), menu("7"), ("Name", "bob"), BACK)
    assert "Please type a name." in console.text
    assert "Unlocked bob: its failed logins are cleared." in console.text
    assert "bob was not locked and had no failed logins to clear." in console.text
    assert services.login(teams, "bob", PASSWORD).username == "bob"


def test_create_a_team_refusing_a_bad_or_taken_name_then_rename_it(teams, as_alice):
    console = as_alice(
        ADMIN,
        menu("8"),
        answers("Team name", "has space", "billing", "tier-2"),
        ("Display name [tier-2]", ""),
        menu("9"),
        ("Choose a team", "3"),  # billing, default, tier-2
        answers("New display name for tier-2", "   ", "Tier 2 support"),
        BACK,
    )
    assert "A team name has 1 to 32 characters" in console.text
    assert "There is a team billing already: choose another name." in console.text
    assert "Created team tier-2." in console.text
    assert "A team's display name has 1 to" in console.text
    assert "Team tier-2 is shown as Tier 2 support." in console.text
    assert [(t.name, t.display_name) for t in teams.teams()][-1] == ("tier-2", "Tier 2 support")


def test_who_may_register_shows_the_setting_and_sets_the_mode_and_the_domains(teams, as_alice):
    console = as_alice(
        ADMIN,
        menu("10", "1"),
        ("Choose a mode", "3"),
        menu("10", "2"),
        answers("Allowed domains", "", "not a domain", "Example.COM, @example.org"),
        menu("10", "2"),
        ("Allowed domains", "none"),
        BACK,
    )
    # menu("10", ...) above: Administration's 10, then 1 (the mode) or 2 (the domains) in "Who may register"
    assert "Registration: invite. E-mail domains: any (no e-mail address is asked)." in console.text
    assert "Saved. Registration: closed." in console.text
    assert "Type the domains (e.g. example.com, example.org), or none." in console.text
    assert "'not' is not an e-mail domain (e.g. example.com)." in console.text
    assert "Saved. Registration: closed. E-mail domains: example.com, example.org." in console.text
    assert teams.get_registration() == Registration(CLOSED, ())


def test_create_an_invite_for_a_team_role_and_days_shown_once_with_its_expiry(teams, as_alice):
    console = as_alice(
        ADMIN,
        menu("11"),
        ("Choose a team", "1"),
        ("Choose a role", "2"),
        answers("Valid for how many days", "0", "91", "three", "3"),
        BACK,
    )
    assert console.text.count("Please type a whole number of days from 1 to 90.") == 3
    code = re.search(r"Invite code: (\S+)\n", console.text).group(1)
    invite = people.check_invite(teams, code)
    assert (invite.team, invite.role) == ("billing", "lead")
    assert invite.expires_at - invite.created_at == timedelta(days=3)
    until = f"{invite.expires_at:%Y-%m-%d %H:%M:%S} UTC"
    assert f"For one registration as a lead of team billing, until {until}." in flat(console.text)
    assert "It is shown only this once" in console.text


def test_the_audit_log_of_the_last_days_shows_the_changes_made_here(teams, as_alice):
    teams.set_registration(Registration(OPEN), "alice", services.utc_now())
    console = as_alice(ADMIN, menu("12"), answers("how many days", "0", "x", ""), BACK)
    assert console.text.count("Please type a whole number of days from 1 to 3660.") == 2
    assert "Audit log since " in console.text
    log = flat(console.text[console.text.index("Audit log since") :])
    assert "alice user registered: alice: admin yes" in log
    assert re.search(r"alice registration set: registration: .*mode invite → .*mode open", log)


def test_link_a_user_to_an_agent_asking_again_until_the_name_is_one_then_relink_and_unlink(
    teams, as_alice, password_hash
):
    bob(teams, password_hash)
    long_name = "Ana " + "x" * 77  # 81 characters
    console = as_alice(
        ADMIN,
        menu("14"),
        answers("Username", "nobody", "BOB"),
        answers("bob's agent", "", "   ", long_name, "Ana\tLima", "(unassigned)", "  Ana Lima  "),
        menu("1"),
        menu("14"),
        ("Username", "bob"),
        ("Choose", "1"),  # another agent
        ("bob's agent", "ana lima"),
        menu("14"),
        ("Username", "bob"),
        answers("Choose", "3", "2"),  # unlink
        BACK,
    )
    text = flat(console.text)
    assert "There is no user named 'nobody' (1 List users shows them)." in text
    assert "bob is linked to no agent." in text
    assert text.count("An agent's name has 1 to 80 printable characters, as imports spell it.") == 4
    assert "(unassigned) holds the imported rows that name no agent: it is nobody's." in text
    assert "bob is linked to agent Ana Lima: Ana Lima's figures are bob's own." in text
    assert "│ agent: Ana Lima │" in console.text  # List users: under bob's name
    assert "bob is linked to agent Ana Lima." in text and "  2  Unlink (no agent)" in console.text
    assert "bob is linked to agent ana lima: ana lima's figures are bob's own." in text  # case counts
    assert "Please choose one of: 1, 2." in text
    assert "bob is linked to no agent." in text[text.rindex("Unlink (no agent)") :]
    assert teams.get_user("bob").agent is None
    changes = [(e.before.get("agent"), e.after.get("agent")) for e in teams.audit_since(NOW - timedelta(days=1))
               if e.action == "user changed"]  # fmt: skip
    assert changes == [(None, "Ana Lima"), ("Ana Lima", "ana lima"), ("ana lima", None)]
    assert [line for line in long_lines(console.text) if long_name not in line] == []  # but the answer typed


def test_cancelling_the_agent_link_saves_nothing_and_the_audit_log_shows_a_link(teams, as_alice, password_hash):
    bob(teams, password_hash)
    console = as_alice(
        ADMIN,
        menu("14"),
        ("Username", "bob"),
        ("bob's agent", KeyboardInterrupt),
        menu("14"),
        ("Username", "alice"),  # yourself: the session follows
        ("alice's agent", "Alice Admin"),
        menu("12"),
        ("how many days", ""),
        BACK,
    )
    assert "Cancelled. Nothing was saved." in console.text and teams.get_user("bob").agent is None
    assert teams.get_user("alice").agent == "Alice Admin"
    log = flat(console.text[console.text.index("Audit log since") :])
    assert "alice user changed: alice: agent none → agent Alice Admin" in log

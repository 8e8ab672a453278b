"""Each role's main menu shows only what the role allows, and says which team it shows."""

import re

from statbotic import people
from tests.flows.conftest import add_member
from tests.transcript import EXIT, log_in_as, menu, play


def main_menus(text: str) -> list[str]:
    """Each main menu shown: its title and entries, one string."""
    return re.findall(r"^Main menu .*?(?=^Choose an option)", text, flags=re.M | re.S)


def test_a_viewer_has_no_add_and_no_10_and_sees_targets_without_changing_them(teams, settings, password_hash):
    add_member(teams, password_hash, "vic", default="viewer")
    console = play(teams, settings, log_in_as("vic"), menu("1", "10", "6"), EXIT)
    shown = main_menus(console.text)[0]
    assert shown.startswith("Main menu (vic, team default)\n")
    assert "Add or update stats" not in shown and "  10  " not in shown and "Switch team" not in shown
    assert "Please choose one of: 2, 3, 4, 5, 6, 7, 8, 12, 14, 0." in console.text
    assert "Targets for team default" in console.text
    assert "Leads of team default set its targets." in console.text
    assert "Targets menu" not in console.text


def test_a_lead_has_add_and_invite_someone_to_the_team_but_no_administration(teams, settings, password_hash):
    add_member(teams, password_hash, "lee", default="lead")
    console = play(teams, settings, log_in_as("lee"), menu("10"), ("Choose a role", "1"), ("days", ""), EXIT)
    shown = main_menus(console.text)[0]
    assert "  1  Add or update stats" in shown
    assert "  10  Invite someone to team default" in shown
    assert "Administration" not in console.text
    code = re.search(r"Invite code: (\S+)", console.text).group(1)
    invite = people.check_invite(teams, code)
    assert (invite.team, invite.role, invite.created_by) == ("default", "viewer", "lee")


def test_an_admin_has_administration_at_10_and_picks_among_every_team(teams, as_alice):
    console = as_alice(("Choose a team", "1"))
    assert "Your teams\n  1  default, admin\n  2  Billing desk (billing), admin\n" in console.text
    shown = main_menus(console.text)[0]
    assert shown.startswith("Main menu (alice, team default)\n")
    assert "  1  Add or update stats" in shown and "  10  Administration" in shown
    assert "Invite someone" not in shown


def test_a_user_in_no_team_sees_only_which_team_am_i_in(teams, settings, password_hash):
    add_member(teams, password_hash, "nora")
    console = play(teams, settings, log_in_as("nora"), menu("1", "2"), EXIT)
    assert main_menus(console.text)[0] == "Main menu (nora, in no team yet)\n  1  Which team am I in?\n  0  Exit\n"
    assert "nora is in no team yet: an admin adds you to one (then log in again)." in console.text
    assert "Please choose one of: 1, 0." in console.text


def test_a_user_in_two_teams_picks_one_after_login_and_9_switches(teams, settings, password_hash):
    add_member(teams, password_hash, "dana", default="viewer", billing="lead")
    console = play(
        teams,
        settings,
        log_in_as("dana"),
        ("Choose a team", "2"),
        menu("9"),
        ("Choose a team", "1"),
        EXIT,
    )
    assert "Your teams\n  1  default, viewer\n  2  Billing desk (billing), lead\n" in console.text
    assert "Showing team Billing desk." in console.text
    billing, default = main_menus(console.text)
    assert billing.startswith("Main menu (dana, team Billing desk)\n")
    assert "  1  Add or update stats" in billing and "  9  Switch team" in billing
    assert "  10  Invite someone to team Billing desk" in billing
    assert default.startswith("Main menu (dana, team default)\n")
    assert "Add or update stats" not in default and "  10  " not in default

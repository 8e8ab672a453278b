"""How the audit log reads, for the entries people changes write (render.changes_text)."""

from datetime import UTC, datetime

from statbotic.records import (
    DAY_DELETED,
    PASSWORD_RESET,
    REGISTRATION_SET,
    USER_CHANGED,
    USER_REGISTERED,
    AuditEntry,
    Registration,
    User,
    registration_values,
    user_values,
)
from statbotic.ui.render import changes_text

T = datetime(2026, 11, 26, tzinfo=UTC)
FIGURES = dict(comments=52, solves=12, chats=110, wait_tenths=1118, csat_ratings=52, csat_good=47)


def entry(action: str, before=None, after=None, team: str = "") -> AuditEntry:
    return AuditEntry(T, "root", action, team, "dana", before, after)


def test_a_user_entry_reads_as_its_access_before_and_after():
    dana = User("dana", "hash", T, admin=True, teams={"support": "lead"})
    viewer = User("dana", "hash", T, teams={"billing": "lead", "support": "viewer"})
    assert changes_text(entry(USER_REGISTERED, None, user_values(dana))) == (
        "admin yes, teams support lead, disabled no"
    )
    assert changes_text(entry(USER_CHANGED, user_values(dana), user_values(viewer))) == (
        "admin yes, teams support lead → admin no, teams billing lead; support viewer"
    )
    assert changes_text(entry(PASSWORD_RESET)) == ""


def test_registration_and_a_deleted_day_read_plainly():
    values = registration_values(Registration()), registration_values(Registration("open", ("example.com",)))
    text = changes_text(entry(REGISTRATION_SET, *values))
    assert text == "mode invite, domains none → mode open, domains example.com"
    deleted = changes_text(entry(DAY_DELETED, FIGURES, None, team="support"))
    assert deleted.startswith("Ticket public comments 52, ") and deleted.endswith(" → deleted")


def test_linking_an_agent_reads_as_none_to_the_name_and_an_unlinked_user_as_before_agents():
    dana = User("dana", "hash", T, teams={"support": "viewer"})
    linked = User("dana", "hash", T, teams={"support": "viewer"}, agent="Dana Souza")
    assert user_values(dana) == {"admin": False, "teams": {"support": "viewer"}, "disabled": False}  # no "agent"
    assert changes_text(entry(USER_CHANGED, user_values(dana), user_values(linked))) == "agent none → agent Dana Souza"
    assert changes_text(entry(USER_CHANGED, user_values(linked), user_values(dana))) == "agent Dana Souza → agent none"
    assert changes_text(entry(USER_REGISTERED, None, user_values(linked))) == (
        "admin no, teams support viewer, disabled no, agent Dana Souza"
    )

"""`15` Share a report link (issue 14): a lead shares a period of their team, sees the link once, lists
the team's links and revokes one; a bad expiry is asked again; a viewer has no such entry."""

import re
from datetime import UTC, datetime

from statbotic import shares
from statbotic.frozen import replace
from tests.flows.conftest import add_member
from tests.transcript import EXIT, log_in_as, menu, period, play

LINK = re.compile(r"^(\S*)/share/([A-Za-z0-9_-]{43})$", re.M)


def test_a_lead_shares_lists_and_revokes_a_link(teams, settings, password_hash):
    add_member(teams, password_hash, "lee", default="lead")
    settings = replace(settings, public_url="https://stats.example.com")
    console = play(
        teams,
        settings,
        log_in_as("lee"),
        menu("15", "1"),
        period("2026-W47"),
        ("Valid for how long", "13w"),
        ("Valid for how long", "2w"),
        menu("2", "3"),
        ("Choose a link to revoke", "1"),
        ("loses it for good", "n"),
        menu("3"),
        ("Choose a link to revoke", "1"),
        ("loses it for good", "y"),
        menu("0"),
        EXIT,
    )
    text = console.text
    assert "A share lasts from 1 hour to 90 days, not '13w'." in text
    assert "Read-only link to team default, 2026-W47 (2026-11-16 to 2026-11-22):" in text
    origin, token = LINK.search(text).groups()
    assert origin == "https://stats.example.com"
    (made,) = teams.shares(["default"])
    assert (made.created_by, made.start.isoformat(), made.end.isoformat()) == ("lee", "2026-11-16", "2026-11-22")
    assert made.expires_at - made.created_at == shares.parse_expiry("2w")
    assert f"  {made.id}  team default, 2026-11-16 to 2026-11-22, by lee, until " in text and ": active" in text
    assert "Kept: nothing was revoked." in text  # "n" first: asked, and kept
    assert f"Revoked {made.id}: the link shows nothing any more." in text
    assert shares.open_share(teams, token, datetime.now(UTC)) is None
    assert text.count(token) == 1  # shown only once


def test_without_a_public_url_the_path_is_shown_and_the_setting_named(teams, settings, password_hash):
    add_member(teams, password_hash, "lee", default="lead")
    console = play(
        teams, settings, log_in_as("lee"), menu("15", "1"), period("last month"), ("Valid for", ""), menu("0"), EXIT
    )
    origin, token = LINK.search(console.text).groups()
    assert origin == "" and "STATBOTIC_PUBLIC_URL" in console.text
    (made,) = teams.shares()
    assert made.expires_at - made.created_at == shares.parse_expiry("7d")
    assert made.label == ""  # "last month" would be wrong next month: the dates alone


def test_a_viewer_has_no_share_entry(teams, settings, password_hash):
    add_member(teams, password_hash, "vic", default="viewer")
    console = play(teams, settings, log_in_as("vic"), menu("15", "6"), EXIT)
    assert "Share a report link" not in console.text
    assert "Please choose one of: 2, 3, 4, 5, 6, 7, 8, 12, 14, 0." in console.text


def test_in_the_web_page_the_visitor_is_told_to_put_the_page_s_address_in_front(teams, settings, password_hash):
    add_member(teams, password_hash, "lee", default="lead")
    web = replace(settings, web_session=True)
    console = play(
        teams, web, log_in_as("lee"), menu("15", "1"), period("last month"), ("Valid for", ""), menu("0"), EXIT
    )
    assert "Put this page's address in front: what your browser shows, up to /share." in console.text
    assert "STATBOTIC_PUBLIC_URL" not in console.text  # a setting of the server, not the visitor's to set


def test_a_period_beginning_after_the_link_expires_is_refused_and_nothing_shared(teams, settings, password_hash):
    add_member(teams, password_hash, "lee", default="lead")
    console = play(
        teams, settings, log_in_as("lee"), menu("15", "1"), period("2030-01"), ("Valid for", ""), menu("0"), EXIT
    )
    assert "begins after the link would expire" in console.text and "Traceback" not in console.text
    assert teams.shares() == []

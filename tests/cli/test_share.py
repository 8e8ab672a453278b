"""`statbotic share` (issue 14) on both stores: a lead shares a period of their team and gets the link
once; `share list` shows their teams' links with a status (never a token), an admin's every link;
`share revoke ID` ends one; the web server's hidden `share-page` makes the page of a live share from a
token on stdin, and exits 4 with nothing for an unknown, expired or revoked one.  Expiry is controlled
by making shares with an explicit ``now`` in the past (shares.create_share), never by sleeping."""

import io
import json
import re
import sys
from datetime import date, timedelta

import pytest

from statbotic import shares
from statbotic.cli import main
from statbotic.periods import span
from statbotic.services import utc_now
from tests.cli.conftest import DAY

TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
BILLING = ["--team", "billing"]


def run(capsys, monkeypatch, *argv, stdin: str = ""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def as_user(monkeypatch, name: str) -> None:
    monkeypatch.setenv("STATBOTIC_USER", name)


def shared(capsys, monkeypatch, *argv) -> str:
    status, out, err = run(capsys, monkeypatch, "share", *argv)
    assert status == 0, err
    return out.strip()


def test_a_lead_shares_a_period_and_the_page_shows_that_team_and_those_dates(org, capsys, monkeypatch):
    as_user(monkeypatch, "lena")
    status, out, err = run(capsys, monkeypatch, "share", f"{DAY}..2026-11-05", *BILLING, "--expires", "24h")
    assert status == 0
    link = out.strip()
    assert link.startswith("/share/") and TOKEN.fullmatch(link.removeprefix("/share/"))
    assert "Team billing, 2026-11-03 to 2026-11-05: read-only, no login, until " in err
    assert "STATBOTIC_PUBLIC_URL" in err
    status, page, _ = run(capsys, monkeypatch, "share-page", stdin=link.removeprefix("/share/") + "\n")
    assert status == 0
    assert "Team billing" in page and "2026-11-03 to 2026-11-05" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "team support" not in page.lower()


def test_the_link_starts_with_statbotic_public_url(org, capsys, monkeypatch):
    monkeypatch.setenv("STATBOTIC_PUBLIC_URL", "https://stats.example.com/")
    as_user(monkeypatch, "lena")
    link = shared(capsys, monkeypatch, "last month", *BILLING)
    assert link.startswith("https://stats.example.com/share/") and TOKEN.fullmatch(link.rsplit("/", 1)[1])


def test_a_public_url_that_is_not_an_origin_is_refused_at_start(org, capsys, monkeypatch):
    monkeypatch.setenv("STATBOTIC_PUBLIC_URL", "https://stats.example.com/statbotic")
    status, out, err = run(capsys, monkeypatch, "share", "last month")
    assert (status, out) == (1, "") and "STATBOTIC_PUBLIC_URL is the web page's address" in err


@pytest.mark.parametrize(
    "expires, message",
    [
        ("7", "A share's expiry is a number of hours, days or weeks such as 24h, 7d or 2w, not '7'."),
        ("91d", "A share lasts from 1 hour to 90 days, not '91d'."),
        ("0h", "A share lasts from 1 hour to 90 days, not '0h'."),
        ("13w", "A share lasts from 1 hour to 90 days, not '13w'."),
    ],
)
def test_a_bad_expiry_is_a_usage_error_naming_it(org, store, capsys, monkeypatch, expires, message):
    as_user(monkeypatch, "lena")
    status, out, err = run(capsys, monkeypatch, "share", "last month", *BILLING, "--expires", expires)
    assert (status, out) == (2, "") and message in err
    assert store.shares() == []


def test_list_shows_a_lead_their_teams_links_and_an_admin_all_with_their_status(org, store, capsys, monkeypatch):
    lena, sam = store.get_user("lena"), store.get_user("sam")
    period = span(date(2026, 11, 1), date(2026, 11, 7))
    past = utc_now() - timedelta(days=10)
    _, live = shares.create_share(store, lena, "billing", period, timedelta(days=7))
    _, old = shares.create_share(store, lena, "billing", period, timedelta(days=7), now=past)  # expired 3 days ago
    _, gone = shares.create_share(store, lena, "billing", period, timedelta(days=7))
    shares.revoke_share(store, lena, gone.id)
    _, theirs = shares.create_share(store, sam, "support", period, timedelta(days=7))

    as_user(monkeypatch, "lena")
    status, out, _ = run(capsys, monkeypatch, "share", "list", "--json")
    listed = json.loads(out)["shares"]
    assert status == 0
    assert listed[0]["id"] == old.id  # the oldest first (the others were made in the same second)
    assert {(s["id"], s["team"], s["status"]) for s in listed} == {
        (old.id, "billing", "expired"),
        (live.id, "billing", "active"),
        (gone.id, "billing", "revoked"),
    }
    assert {(s["start"], s["end"]) for s in listed} == {("2026-11-01", "2026-11-07")}
    assert not any(s.token_hash in out for s in (live, old, gone))
    status, out, _ = run(capsys, monkeypatch, "share", "list")
    assert status == 0 and live.id in out and "expired" in out and "revoked" in out and theirs.id not in out

    as_user(monkeypatch, "lead")  # the admin
    status, out, _ = run(capsys, monkeypatch, "share", "list", "--json")
    assert {s["id"] for s in json.loads(out)["shares"]} == {old.id, live.id, gone.id, theirs.id}


def test_revoke_ends_a_link_at_once_and_is_audited(org, store, capsys, monkeypatch):
    as_user(monkeypatch, "lena")
    token = shared(capsys, monkeypatch, DAY, *BILLING).removeprefix("/share/")
    assert run(capsys, monkeypatch, "share-page", stdin=token)[0] == 0
    (made,) = store.shares()
    status, out, _ = run(capsys, monkeypatch, "share", "revoke", made.id.lower())
    assert status == 0 and out.startswith(f"Revoked share {made.id} (team billing")
    assert run(capsys, monkeypatch, "share-page", stdin=token) == (4, "", "")
    status, out, err = run(capsys, monkeypatch, "share", "revoke", made.id)
    assert (status, out) == (1, "") and f"The share {made.id} was revoked already." in err

    as_user(monkeypatch, "lead")
    status, out, _ = run(capsys, monkeypatch, "audit", "--since", "1d", "--json")
    actions = [(e["action"], e["by"], e["subject"]) for e in json.loads(out)["entries"] if "share" in e["action"]]
    assert actions == [("share created", "lena", f"share {made.id}"), ("share revoked", "lena", f"share {made.id}")]
    assert token not in out and made.token_hash not in out


def test_a_lead_cant_revoke_another_team_s_link_and_learns_nothing_of_it(org, store, capsys, monkeypatch):
    _, theirs = shares.create_share(
        store, store.get_user("lena"), "billing", span(date(2026, 11, 1), date(2026, 11, 2)), timedelta(days=1)
    )
    as_user(monkeypatch, "sam")
    status, out, err = run(capsys, monkeypatch, "share", "revoke", theirs.id)
    assert (status, out) == (1, "")
    assert f"There is no share '{theirs.id}' of your teams" in err
    unknown = run(capsys, monkeypatch, "share", "revoke", "ZZZZ2222")[2]
    assert unknown.replace("ZZZZ2222", theirs.id) == err  # the same words as for a share that doesn't exist
    assert store.get_share(theirs.id).revoked_at is None


def test_share_page_is_4_and_silent_for_an_unknown_expired_or_malformed_token(org, store, capsys, monkeypatch):
    lena = store.get_user("lena")
    period = span(date(2026, 11, 1), date(2026, 11, 2))
    expired, _ = shares.create_share(
        store, lena, "billing", period, timedelta(hours=1), now=utc_now() - timedelta(hours=2)
    )
    for given in (expired, "A" * 43, "", "x" * 5000, "../../etc/passwd", "é" * 43, "\udcff\udcfe"):  # stdin undecoded
        assert run(capsys, monkeypatch, "share-page", stdin=given + "\n") == (4, "", "")


def test_a_link_of_a_creator_no_longer_in_the_team_shows_nothing(org, store, capsys, monkeypatch):
    lena = store.get_user("lena")
    token, _ = shares.create_share(
        store, lena, "billing", span(date(2026, 11, 1), date(2026, 11, 2)), timedelta(days=1)
    )
    assert run(capsys, monkeypatch, "share-page", stdin=token)[0] == 0
    store.update_user("lena", by="lead", at=utc_now(), teams={"support": "viewer"})
    assert run(capsys, monkeypatch, "share-page", stdin=token) == (4, "", "")


def test_share_takes_one_period_and_revoke_needs_an_id(org, capsys, monkeypatch):
    as_user(monkeypatch, "lena")
    status, _, err = run(capsys, monkeypatch, "share", "revoke")
    assert status == 2 and "share revoke needs the share's ID" in err
    status, _, err = run(capsys, monkeypatch, "share", "last month", "extra")
    assert status == 2 and "share takes one PERIOD" in err
    status, _, err = run(capsys, monkeypatch, "share", "list", "extra")
    assert status == 2 and "share list takes no argument" in err


def test_a_running_month_is_shared_whole_and_shows_to_the_day_it_is_opened(org, store, capsys, monkeypatch):
    as_user(monkeypatch, "lena")
    status, _, err = run(capsys, monkeypatch, "share", "this month", *BILLING, "--json")
    assert status == 0, err
    (made,) = [s for s in store.shares() if s.team == "billing"]
    today = date.today()
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert (made.start, made.end) == (today.replace(day=1), month_end)  # the month, not the month to date
    assert shares.shown_period(made, today).end == today  # today: days to come are not missing
    assert shares.shown_period(made, month_end + timedelta(days=1)).end == month_end  # opened later: the month


def test_a_period_beginning_after_the_link_expires_is_refused_and_nothing_is_stored(org, store, capsys, monkeypatch):
    as_user(monkeypatch, "lena")
    status, out, err = run(capsys, monkeypatch, "share", "2030-01", *BILLING)
    assert (status, out) == (1, "")
    assert "2030-01-01 to 2030-01-31 begins after the link would expire" in err and "share it once it has begun" in err
    assert store.shares() == []
    start = date.today() + timedelta(days=5)  # begins before a 7-day link ends: shared
    link = shared(capsys, monkeypatch, f"{start}..{start + timedelta(days=2)}", *BILLING)
    assert TOKEN.fullmatch(link.rsplit("/")[-1])


def test_a_link_of_a_creator_now_a_viewer_of_the_team_shows_nothing(org, store, capsys, monkeypatch):
    lena = store.get_user("lena")
    token, _ = shares.create_share(store, lena, "billing", span(date(2026, 11, 1), date(2026, 11, 2)), timedelta(1))
    store.update_user("lena", by="lead", at=utc_now(), teams={"billing": "viewer"})  # may see, may not share
    assert run(capsys, monkeypatch, "share-page", stdin=token) == (4, "", "")


def test_a_share_s_page_names_no_agent_and_no_user(org, capsys, monkeypatch, tmp_path):
    as_user(monkeypatch, "lena")
    day = (date.fromisoformat(DAY) + timedelta(days=3)).isoformat()
    figures = ["--comments", "20", "--solves", "10", "--chats", "50", "--wait", "30", "--ratings", "20"]
    status, _, err = run(capsys, monkeypatch, "add", day, "--agent", "Ana Lima", *figures, "--positive", "19", *BILLING)
    assert status == 0, err
    status, _, _ = run(capsys, monkeypatch, "report", day, *BILLING, "-o", str(tmp_path / "lead.html"))
    lead_page = (tmp_path / "lead.html").read_text(encoding="utf-8")
    assert status == 0 and "Ana Lima" in lead_page and "by lena" in lead_page  # the lead's own report has both
    link = shared(capsys, monkeypatch, day, *BILLING)
    status, page, _ = run(capsys, monkeypatch, "share-page", stdin=link.rsplit("/", 1)[1] + "\n")
    assert status == 0 and "Team billing" in page
    assert "Ana Lima" not in page and "lena" not in page


def test_a_shared_range_of_dates_keeps_its_end_so_pacing_counts_its_days(org, store, capsys, monkeypatch):
    today = date.today()
    made = shares.create_share(
        store,
        store.get_user("lena"),
        "billing",
        span(today - timedelta(days=3), today + timedelta(days=9)),
        timedelta(1),
    )[1]
    assert shares.shown_period(made, today).end == today + timedelta(days=9)  # as `view` shows such a range

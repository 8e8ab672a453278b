"""`14` Report for a manager and `15` Share a report link (issue 14) in a real terminal (pexpect), on a
store seeded through its API: a lead writes the team's report (one HTML page in STATBOTIC_EXPORT_DIR whose
headline figures are `statbotic view --json`'s), Ctrl-C at its period and Ctrl-D at "Which report?"
writing nothing; a lead shares "last month" for the default 7 days (the link shown once), sees it active
with `statbotic share list --json`, revokes it with 15 -> 3, and Ctrl-C at the expiry saves no share; a
viewer has no 15."""

import io
import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from statbotic.periods import parse_period
from tests.conftest import need
from tests.e2e.test_terminal import answer, expect_clean_exit, interrupt

pytestmark = [pytest.mark.pty, pytest.mark.parametrize("backend", ["sqlite"])]

PASSWORD = "pty-report-password-1"
NOW = datetime(2026, 11, 26, tzinfo=UTC)
WEEK = "2026-W47"  # 2026-11-16..22: five days of figures (seeded)
REPORT_NAME = "statbotic-report-default-2026-11-16-2026-11-22.html"
LINK = re.compile(r"^/share/([A-Za-z0-9_-]{43})\r?$", re.M)
MENU = "Choose an option: "
PERIOD = "Start date or period"
EXPIRY = "Valid for how long"
VIEWER_KEYS = "Please choose one of: 2, 3, 4, 5, 6, 7, 8, 12, 14, 0."


@pytest.fixture
def seeded(settings):
    """Team default with week 47's figures (116 positive of 125 ratings), its lead 'lee' and viewer 'vic'."""
    from statbotic import auth
    from statbotic.records import DayRecord, Team, User
    from statbotic.storage import open_store

    store = open_store(settings)
    try:
        hashed = auth.hash_password(PASSWORD)  # once: a hash takes a deliberate ~0.3 s
        store.add_user(User("alice", hashed, NOW, admin=True, teams={"default": "lead"}))
        store.add_team(Team("default", "default", NOW), None)
        store.add_user(User("lee", hashed, NOW, admin=False, teams={"default": "lead"}))
        store.add_user(User("vic", hashed, NOW, admin=False, teams={"default": "viewer"}))
        for offset, good in zip((0, 1, 2, 4, 5), (24, 23, 25, 24, 20), strict=True):
            entered = dict(comments=20 + offset, solves=10, chats=50, wait_tenths=400, csat_ratings=25, csat_good=good)
            store.upsert_day(DayRecord("default", date(2026, 11, 16) + timedelta(days=offset), entered, "alice", NOW))
    finally:
        store.close()
    return settings


def statbotic(app_env, cwd, user: str, *argv: str, stdin: str = "") -> subprocess.CompletedProcess:
    """The `statbotic` command (the console script beside this Python) on the same store, logged in as
    ``user`` by environment variables."""
    command = Path(sys.executable).with_name("statbotic")
    need(command.is_file(), f"the statbotic command is not installed beside {sys.executable}")
    result = subprocess.run(
        [str(command), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env={**app_env, "STATBOTIC_USER": user, "STATBOTIC_PASSWORD": PASSWORD},
        cwd=cwd,
        timeout=60,
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def log_in(spawn_app, name: str):
    """run.py in a pty, logged in as ``name``; everything it writes is kept in ``child.logfile_read``."""
    child = spawn_app()
    child.logfile_read = io.StringIO()
    answer(child, MENU, "1")
    answer(child, "Username: ", name)
    answer(child, "Password: ", PASSWORD)
    child.expect_exact(f"Hello, {name}!")
    return child


def leave(child) -> str:
    """Exit from the main menu; all the session's output."""
    answer(child, MENU, "0")
    expect_clean_exit(child)
    return child.logfile_read.getvalue()


class Headline(HTMLParser):
    """A report page's headline figures (its rows' data-metric -> data-value), and how many <html> it has."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.pages = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.pages += tag == "html"
        if tag == "tr" and "data-metric" in values:
            self.values[values["data-metric"]] = values["data-value"]


def test_a_lead_writes_the_team_report_and_ctrl_c_or_ctrl_d_write_nothing(seeded, spawn_app, app_env, tmp_path):
    exports = seeded.export_dir
    child = log_in(spawn_app, "lee")
    answer(child, MENU, "14")
    answer(child, PERIOD, WEEK)
    child.expect_exact("Which report?")
    answer(child, "Choose a report: ", "1")
    child.expect(r"Wrote the report to (\S+)\r?\n")
    written = Path(child.match.group(1))
    assert written == (exports / REPORT_NAME).resolve()
    assert [p.name for p in exports.iterdir()] == [REPORT_NAME]

    answer(child, MENU, "14")  # Ctrl-C at the period: cancelled, back at the main menu
    child.expect_exact(PERIOD)
    interrupt(child)
    child.expect_exact("Cancelled. Nothing was saved.")
    child.expect_exact("Main menu (lee, ")
    output = leave(child)
    assert "Traceback" not in output
    assert [p.name for p in exports.iterdir()] == [REPORT_NAME]

    page = written.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    headline = Headline(page)
    assert headline.pages == 1
    assert headline.values["csat_percent"] == "92.8"  # 116 positive of 125 ratings
    view = statbotic(app_env, tmp_path, "lee", "view", WEEK, "--json")
    assert view.returncode == 0, view.stderr
    figures = json.loads(view.stdout)["summary"]["figures"]
    assert headline.values == {key: "" if f["value"] is None else str(f["value"]) for key, f in figures.items()}

    child = log_in(spawn_app, "lee")  # Ctrl-D at "Which report?": the app leaves, no file
    answer(child, MENU, "14")
    answer(child, PERIOD, WEEK)
    child.expect_exact("Choose a report: ")
    child.sendeof()
    expect_clean_exit(child)
    assert "Traceback" not in child.logfile_read.getvalue()
    assert [p.name for p in exports.iterdir()] == [REPORT_NAME]


def listed(app_env, cwd) -> list[dict]:
    result = statbotic(app_env, cwd, "lee", "share", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["shares"]


def page_status(app_env, cwd, token: str) -> int:
    """The web server's `share-page` for the token: 0 with a page, 4 for no live share."""
    return statbotic(app_env, cwd, "lee", "share-page", stdin=token + "\n").returncode


def test_a_lead_shares_last_month_lists_it_and_revokes_it_and_ctrl_c_saves_no_share(
    seeded, spawn_app, app_env, tmp_path
):
    child = log_in(spawn_app, "lee")
    answer(child, MENU, "15")
    answer(child, MENU, "1")
    answer(child, PERIOD, "last month")
    answer(child, EXPIRY, "")  # Enter: the default, 7d
    child.expect_exact("It is shown only this once.")
    answer(child, MENU, "0")
    output = leave(child)
    (token,) = LINK.findall(output)
    assert output.count(token) == 1  # shown once, never again

    last_month = parse_period("last month", date.today())
    (share,) = listed(app_env, tmp_path)
    assert share["status"] == "active" and share["revoked_at"] is None
    assert (share["team"], share["created_by"]) == ("default", "lee")
    assert (share["start"], share["end"]) == (last_month.start.isoformat(), last_month.end.isoformat())
    made, expires = (datetime.fromisoformat(share[key]) for key in ("created_at", "expires_at"))
    assert expires - made == timedelta(days=7)
    assert f"Read-only link to team default, {share['period']}:" in output
    assert token not in json.dumps(share)
    assert page_status(app_env, tmp_path, token) == 0

    child = log_in(spawn_app, "lee")
    answer(child, MENU, "15")
    answer(child, MENU, "3")
    child.expect_exact(f"1  {share['id']}  team default, ")
    answer(child, "Choose a link to revoke: ", "1")
    answer(child, "loses it for good (y/n): ", "y")
    child.expect_exact(f"Revoked {share['id']}: the link shows nothing any more.")

    answer(child, MENU, "1")  # Ctrl-C at the expiry: cancelled, no share saved
    answer(child, PERIOD, "last month")
    child.expect_exact(EXPIRY)
    interrupt(child)
    child.expect_exact("Cancelled. Nothing was saved.")
    answer(child, MENU, "0")
    output = leave(child)
    assert "Traceback" not in output and not LINK.search(output)

    (revoked,) = listed(app_env, tmp_path)
    assert (revoked["id"], revoked["status"]) == (share["id"], "revoked") and revoked["revoked_at"]
    assert page_status(app_env, tmp_path, token) == 4


def test_a_viewer_has_no_15_and_typing_it_is_refused(seeded, spawn_app):
    child = log_in(spawn_app, "vic")
    child.expect_exact(MENU)
    menu = child.before
    assert "14  Report for a manager" in menu
    assert not re.search(r"^ *15  ", menu, re.M) and "Share a report link" not in menu
    child.sendline("15")
    child.expect_exact(VIEWER_KEYS)
    answer(child, MENU, "0")
    expect_clean_exit(child)

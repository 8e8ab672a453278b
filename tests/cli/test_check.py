"""`statbotic check` (issue 14) on both stores: exit 0 when every day of the period has figures and meets
every target, 3 when a day is missing or missed one, a line per finding (and --json); days judged by
their own figures, with the targets the views use."""

import json
from datetime import date, timedelta

from statbotic.cli import main
from tests.cli.conftest import DAY

BILLING = ["--team", "billing"]


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def add(capsys, day: str, ratings: int, positive: int):
    figures = ["--comments", "40", "--solves", "30", "--chats", "120", "--wait", "40", "--ratings", str(ratings)]
    status, _, err = run(capsys, "add", day, *figures, "--positive", str(positive), *BILLING, "--force")
    assert status == 0, err


def test_a_day_meeting_every_target_exits_0(org, capsys):
    # org's DAY: 90 of 100 ratings positive misses the default 95 % CSAT target; a day of 96 of 100 meets it
    met = (date.fromisoformat(DAY) + timedelta(days=1)).isoformat()
    add(capsys, met, 100, 96)
    status, out, _ = run(capsys, "check", "--for", met, *BILLING)
    assert status == 0 and "every target met" in out


def test_a_missed_target_and_a_missing_day_exit_3_one_line_each(org, capsys):
    after = date.fromisoformat(DAY) + timedelta(days=2)
    add(capsys, after.isoformat(), 38, 35)  # 35 / 38 = 92.1 %
    status, out, _ = run(capsys, "check", "--for", f"{DAY}..{after}", *BILLING)
    assert status == 3
    lines = out.splitlines()
    assert lines == [
        f"{DAY}: Chat CSAT 90.0 % < 95.0 % target (100 ratings)",
        f"{DAY}: Public comments per solve 3.00 > 2.00 target (10 ticket solves)",  # 30 comments, 10 solves
        f"{date.fromisoformat(DAY) + timedelta(days=1)}: no figures entered",
        f"{after}: Chat CSAT 92.1 % < 95.0 % target (38 ratings)",
    ]


def test_the_json_lists_the_findings_for_scripts(org, capsys):
    status, out, _ = run(capsys, "check", "--for", DAY, "--json", *BILLING)
    document = json.loads(out)
    assert status == 3 and document["ok"] is False
    finding, per_solve = document["findings"]
    assert per_solve["metric"] == "comments_per_solve" and per_solve["value"] == "3.00"
    assert finding["kind"] == "missed" and finding["metric"] == "csat_percent" and finding["base"] == 100
    assert finding["value"] == "90.0" and finding["target"] == {"direction": ">=", "value": "95"}


def test_a_target_turned_off_is_not_a_finding_and_a_viewer_may_check(org, capsys, monkeypatch):
    for metric in ("csat", "comments-per-solve"):
        status, _, err = run(capsys, "targets", "set", metric, "none", *BILLING)
        assert status == 0, err
    monkeypatch.setenv("STATBOTIC_USER", "vic")  # a viewer of billing
    status, out, _ = run(capsys, "check", "--for", DAY, *BILLING)
    assert status == 0 and "every target met" in out


def test_a_bad_period_is_a_usage_error(org, capsys):
    status, _, err = run(capsys, "check", "--for", "someday", *BILLING)
    assert status == 2 and "someday" in err


def test_today_is_never_missing_its_figures_come_once_it_is_over(org, capsys):
    today = date.today()
    yesterday = today - timedelta(days=1)
    status, out, _ = run(capsys, "check", "--for", f"{yesterday}..{today}", *BILLING)
    findings = [line for line in out.splitlines() if not line.startswith("Pacing: ")]  # a running period is paced
    assert (status, findings) == (3, [f"{yesterday}: no figures entered"])
    status, out, _ = run(capsys, "check", "--for", "today", *BILLING)
    assert status == 0 and "no day of it is over yet, so none is missing" in out
    add(capsys, yesterday.isoformat(), 100, 96)
    status, out, _ = run(capsys, "check", "--for", f"{yesterday}..{today}", "--json", *BILLING)
    assert status == 0 and json.loads(out)["findings"] == []


def test_a_period_that_has_not_begun_is_a_usage_error_not_a_pass(org, capsys):
    tomorrow = date.today() + timedelta(days=1)
    for period in ("2030", tomorrow.isoformat()):
        status, out, err = run(capsys, "check", "--for", period, *BILLING)
        assert (status, out) == (2, "") and "has not begun: check days that have (e.g. --for yesterday)." in err


def test_a_miss_that_would_round_to_the_target_shows_the_decimals_that_tell_them_apart(org, capsys):
    day = (date.fromisoformat(DAY) + timedelta(days=1)).isoformat()
    figures = ["--comments", "2004", "--solves", "1000", "--chats", "120", "--wait", "40", "--ratings", "100"]
    status, _, err = run(capsys, "add", day, *figures, "--positive", "96", *BILLING, "--force")
    assert status == 0, err
    status, out, _ = run(capsys, "check", "--for", day, *BILLING)
    missed = f"{day}: Public comments per solve 2.004 > 2.00 target (1,000 ticket solves)"
    assert (status, out.splitlines()) == (3, [missed])
    status, out, _ = run(capsys, "view", day, *BILLING)
    assert "Public comments per solve 2.004: target <= 2.00 missed" in " ".join(out.split())

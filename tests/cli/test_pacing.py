"""Pacing (issue 14) on both stores: `view` of a running period shows what the rest of it needs for
each target (text and --json), `check` of one prints it and exits 3 when a target is out of reach; a
period that has ended shows nothing new.

The CLI pages run on the real today, so the days are seeded relative to it and every expectation is
worked out from the same dates (on the 1st of a month, "this month" has no past day yet)."""

import json
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from statbotic.cli import main
from statbotic.exact import decimal_text
from statbotic.periods import add_months
from statbotic.records import DayRecord, Team

NOW = datetime(2026, 11, 26, tzinfo=UTC)
TEAM = ["--team", "pace"]
RATED, POSITIVE = 40, 36  # every seeded day: 36 of 40 ratings positive (90 %), 30 comments on 20 solves


@pytest.fixture
def team(cli_env, store):
    store.add_team(Team("pace", "Pace", NOW), "lead")
    return store


def seed(store, day: date, rated: int = RATED, positive: int = POSITIVE) -> None:
    entered = dict(comments=30, solves=20, chats=100, wait_tenths=400, csat_ratings=rated, csat_good=positive)
    store.upsert_day(DayRecord("pace", day, entered, "lead", NOW))


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out


def month_end(today: date) -> date:
    return add_months(today.replace(day=1), 1) - timedelta(days=1)


def test_the_view_of_this_month_paces_each_target_from_the_usual_volume(team, capsys):
    today = date.today()
    past = [today - timedelta(days=n) for n in (1, 2, 3)]  # 40 ratings a day: the usual volume
    for day in past:
        seed(team, day)
    this_month = [day for day in past if day.month == today.month]
    remaining = (month_end(today) - today).days + 1  # today has no figures: it is still to come
    rated, positive, to_come = RATED * len(this_month), POSITIVE * len(this_month), RATED * remaining
    needed = (95 * (rated + to_come) - 100 * positive) / Fraction(to_come)

    status, out = run(capsys, "view", "this month", "--json", *TEAM)
    assert status == 0
    csat = next(pace for pace in json.loads(out)["pacing"] if pace["metric"] == "csat_percent")
    assert csat["days_remaining"] == remaining and csat["usual_per_day"] == "40.0"
    assert csat["base_so_far"] == rated and csat["needed"] == decimal_text(needed, 1, grouped=False)
    assert csat["status"] == ("out_of_reach" if needed > 100 else "needs")
    assert csat["target"] == {"direction": ">=", "value": "95"}
    assert csat["text"].startswith("Chat CSAT 90.0 % so far this month;" if this_month else "Chat CSAT: no figure yet")
    assert "at the usual ~40 ratings a day" in csat["text"]

    status, out = run(capsys, "view", "this month", *TEAM)
    assert status == 0
    block = out[out.index("\nPacing\n") :]  # after the report, lines wrapped to fit 80 columns
    assert " ".join(csat["text"].split()) in " ".join(block.split())


def test_a_period_that_has_ended_shows_no_pacing(team, capsys):
    seed(team, date.today().replace(day=1) - timedelta(days=1))  # last month's last day
    status, out = run(capsys, "view", "last month", "--json", *TEAM)
    assert status == 0 and "pacing" not in json.loads(out)
    status, out = run(capsys, "view", "last month", *TEAM)
    assert status == 0 and "Pacing" not in out
    status, out = run(capsys, "check", "--for", "last month", "--json", *TEAM)
    assert json.loads(out)["pacing"] == []


def test_check_of_this_month_finds_a_target_out_of_reach(team, capsys):
    today = date.today()
    seed(team, today, rated=10_000, positive=0)  # today entered: so far, 0 % of 10,000 ratings
    past = [today - timedelta(days=n) for n in (1, 2, 3)]
    for day in past:
        seed(team, day, rated=1, positive=1)  # the usual volume: 1 rating a day
    rated = 10_000 + sum(day.month == today.month for day in past)
    status, out = run(capsys, "check", "--for", "this month", "--json", *TEAM)
    document = json.loads(out)
    assert status == 3 and document["ok"] is False
    lost = [finding for finding in document["findings"] if finding["kind"] == "out_of_reach"]
    assert [(f["metric"], f["date"], f["value"], f["base"]) for f in lost] == [
        ("csat_percent", month_end(today).isoformat(), "0.0", rated)
    ]
    assert "95.0 % is out of reach" in lost[0]["text"]
    assert [pace["metric"] for pace in document["pacing"]] == ["csat_percent", "comments_per_solve"]

    status, out = run(capsys, "check", "--for", "this month", *TEAM)
    assert status == 3
    pacing = [line for line in out.splitlines() if line.startswith("Pacing: ")]
    assert pacing[0] == f"Pacing: {lost[0]['text']}" and len(pacing) == 2


def test_check_of_a_past_day_is_as_it_was(team, capsys):
    yesterday = date.today() - timedelta(days=1)
    seed(team, yesterday, rated=100, positive=96)
    status, out = run(capsys, "check", "--for", "yesterday", *TEAM)
    assert status == 0 and "every target met" in out and "Pacing" not in out


def test_the_view_s_report_with_its_paces_is_the_view_s_report(team, settings):
    from statbotic import pacing, services
    from statbotic.periods import parse_period

    today = date.today()
    for n in range(40):  # the previous month, the recent window and this month so far
        seed(team, today - timedelta(days=n + 1), positive=30 + n % 10)
    user = team.get_user("lead")
    for text in ("this month", "this week", "last month", "yesterday"):
        period = parse_period(text, today)
        report, paces = pacing.view_and_paces(team, "pace", period, settings.targets, user=user, today=today)
        assert report == services.view_report(team, "pace", period, settings.targets, user=user)
        assert bool(paces) == (text.startswith("this "))


def test_the_report_paces_the_team_and_the_department_each_team_against_its_own_targets(team, capsys, tmp_path):
    import html

    today = date.today()
    seed(team, today - timedelta(days=1))  # the usual volume
    seed(team, today)  # so this week has figures, even on a Monday
    status, out = run(capsys, "view", "this week", "--json", *TEAM)
    texts = [pace["text"] for pace in json.loads(out)["pacing"]]
    assert status == 0 and texts  # the week runs: a pace per target
    status, _ = run(capsys, "report", "this week", *TEAM, "-o", str(tmp_path / "team.html"))
    page = html.unescape((tmp_path / "team.html").read_text(encoding="utf-8"))
    assert status == 0 and '<section id="pacing"><h2>Pacing</h2>' in page and all(text in page for text in texts)
    status, _ = run(capsys, "report", "this week", "--teams", "pace", "-o", str(tmp_path / "department.html"))
    page = html.unescape((tmp_path / "department.html").read_text(encoding="utf-8"))
    assert status == 0 and all(f"Team pace: {text}" in page for text in texts)
    status, _ = run(capsys, "report", "last week", "--teams", "pace", "-o", str(tmp_path / "ended.html"))
    assert status == 0 and "<h2>Pacing</h2>" not in (tmp_path / "ended.html").read_text(encoding="utf-8")

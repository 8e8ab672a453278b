"""`view PERIOD --all-teams / --teams A,B [--json]` and `export ... --all-teams`, on every backend."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from statbotic.records import DayRecord, Team
from tests.cli.test_commands import run

NOW = datetime(2026, 11, 26, tzinfo=UTC)


@pytest.fixture
def teams(store, cli_env):
    """Week 2026-W47: billing 80 of 100 ratings a day on 2 days, support 98 of 100 on 3 days (both team records)."""
    for team, positive, days in (("billing", 80, 2), ("support", 98, 3)):
        store.add_team(Team(team, team.title(), NOW), by=None)
        entered = dict(comments=30, solves=10, chats=120, wait_tenths=500, csat_ratings=100, csat_good=positive)
        store.upsert_days(
            DayRecord(team, date(2026, 11, 16) + timedelta(days=n), entered, "lead", NOW) for n in range(days)
        )
    return store


def test_view_all_teams_as_json_sums_across_teams_and_splits_the_miss(teams, capsys):
    status, out, _ = run(capsys, "view", "2026-W47", "--all-teams", "--json")
    assert status == 0
    document = json.loads(out)
    assert document["format"] == "statbotic-department" and document["targets_of_team"] == "default"
    assert [t["team"] for t in document["teams"]] == ["billing", "support"]
    # (160 + 294) / (200 + 300) = 90.8 %, not the mean of 80 % and 98 % (89 %)
    assert document["department"]["figures"]["csat_percent"]["value"] == 90.8
    assert document["department"]["team_days"] == 5 and document["department"]["per_team_day"]["chats"] == 120
    csat = document["targets"]["csat_percent"]
    assert csat["met"] is False and csat["gap"] == 4.2 and csat["most"] == "billing"
    # billing: -(100 x 160 - 95 x 200) / 500 = 6 pp; support: -(29,400 - 28,500) / 500 = -1.8 pp
    assert csat["contributions"] == {"billing": 6, "support": -1.8}
    assert document["teams"][0]["shares"]["csat_ratings"] == 0.4


def test_view_all_teams_as_a_table(teams, capsys):
    status, out, _ = run(capsys, "view", "2026-W47", "--all-teams")
    assert status == 0
    assert "Department view for 2026-W47" in out
    assert "missed by 4.2 pp; billing contributes 6.0 pp of it" in " ".join(out.split())
    assert max(len(line) for line in out.splitlines()) <= 80


def test_teams_chooses_a_subset_and_an_unknown_team_is_refused(teams, capsys):
    status, out, _ = run(capsys, "view", "2026-W47", "--teams", "support", "--json")
    assert status == 0 and [t["team"] for t in json.loads(out)["teams"]] == ["support"]
    status, _, err = run(capsys, "view", "2026-W47", "--teams", "support,suport")
    assert status == 1 and "There is no team 'suport'. Your teams: billing, default, support." in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["view", "2026-W47", "--all-teams", "--daily"], "--daily is for one team's view"),
        (["view", "2026-W47", "--all-teams", "--teams", "a"], "--all-teams and --teams: choose one."),
        (["view", "2026-W47", "--teams", " , "], "--teams takes team names"),
        (["export", "2026-W47", "--all-teams", "--format", "csv"], "the department exports as --format json"),
    ],
)
def test_department_options_that_dont_fit_are_usage_errors(teams, capsys, argv, message):
    status, _, err = run(capsys, *argv)
    assert status == 2 and message in err


def test_export_all_teams_as_summary_csv_and_json(teams, capsys, cli_env):
    status, out, _ = run(capsys, "export", "2026-W47", "--all-teams", "--format", "summary-csv", "-o", "-")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 * 6  # billing, support, then the department: a row per metric each
    billing = next(r for r in rows if r["team"] == "billing" and r["metric"] == "csat_percent")
    assert (billing["met"], billing["contribution_to_gap"], billing["share_of_denominator"]) == ("false", "6", "0.4")
    total = next(r for r in rows if r["scope"] == "department" and r["metric"] == "chats")
    assert (total["per_day"], total["denominator"], total["denominator_sum"]) == ("120", "team_days", "5")
    status, out, _ = run(capsys, "export", "2026-W47", "--all-teams", "--format", "json")
    assert status == 0 and "Exported the department (2 teams, 5 team-days) to" in out
    written = out.split(" to ", 1)[1].strip()
    assert written.endswith("department-stats-2026-11-16-2026-11-22.json")
    assert json.loads(Path(written).read_text(encoding="utf-8"))["department"]["team_days"] == 5


def test_a_period_without_data_exports_nothing(teams, capsys):
    status, _, err = run(capsys, "export", "2025-W47", "--all-teams", "--format", "json")
    assert status == 1 and "No stats" in err

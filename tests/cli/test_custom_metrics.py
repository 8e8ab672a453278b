"""Metrics an admin defined (issue 12) through the CLI, on both backends: `add
--calls-answered 40`, `view --json`, the JSON and CSV exports (self-describing; blank, never 0, for the
days before the metric), targets on a custom metric (its definition's default, then the team's own),
and the department view with a team that doesn't track it.

A custom metric of each kind, tracked by team support only: calls_answered and replies (counts),
handle_seconds (a duration averaged per call), sla_met (a share of the calls), replies_per_call (a
ratio).  The definitions are saved with the store's own method (the admin's services come elsewhere)."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from statbotic.goals import Direction
from statbotic.metric_kinds import Kind, MetricDefinition
from statbotic.records import DayRecord, Team
from tests.cli.test_commands import FIGURES, run

NOW = datetime(2026, 11, 26, tzinfo=UTC)
SUPPORT = ("support",)
CALLS = MetricDefinition(
    "calls_answered",
    "Calls answered",
    Kind.COUNT,
    prompt="Calls answered",
    source="Phone",
    noun="calls",
    target=Fraction(30),
    order=8,
    teams=SUPPORT,
)
REPLIES = MetricDefinition("replies", "Replies", Kind.COUNT, source="Phone", order=9, teams=SUPPORT)
HANDLE = MetricDefinition(
    "handle_seconds",
    "Average handle time",
    Kind.DURATION,
    source="Phone",
    maximum=86_400,
    places=1,
    direction=Direction.AT_MOST,
    bases=("calls_answered",),
    order=10,
    teams=SUPPORT,
)
SLA = MetricDefinition(
    "sla_met", "SLA met", Kind.SHARE, source="Phone", places=1, bases=("calls_answered",), order=11, teams=SUPPORT
)
PER_CALL = MetricDefinition(
    "replies_per_call",
    "Replies per call",
    Kind.RATIO,
    places=2,
    bases=("replies", "calls_answered"),
    order=12,
    teams=SUPPORT,
)
CUSTOM = (CALLS, REPLIES, HANDLE, SLA, PER_CALL)
BUILT_IN_DAY = dict(comments=30, solves=10, chats=120, wait_tenths=500, csat_ratings=100, csat_good=90)
CUSTOM_FIGURES = ["--calls-answered", "40", "--replies", "60", "--handle-seconds", "1:05", "--sla-met", "90%"]
WEEK = "2026-11-02..2026-11-08"


@pytest.fixture
def custom(store, cli_env):
    """Teams support and billing with built-in days on 2 and 3 November; then the custom metrics, tracked
    by support only (so those days have no value for them)."""
    for team in ("support", "billing"):
        store.add_team(Team(team, team.title(), NOW), by=None)
        store.upsert_days(
            DayRecord(team, date(2026, 11, 2) + timedelta(days=n), BUILT_IN_DAY, "lead", NOW) for n in range(2)
        )
    for definition in CUSTOM:
        store.save_metric_definition(definition, "lead", NOW)
    return store


def add_support_day(capsys, day: str = "2026-11-04", *more: str):
    return run(capsys, "add", day, "--team", "support", *FIGURES, *CUSTOM_FIGURES, *more)


def test_add_takes_an_option_per_custom_metric_and_saves_each_value(custom, capsys):
    status, out, err = add_support_day(capsys)
    assert (status, err) == (0, "")
    assert "90 % of 40 calls = 36 SLA met (90.0 %)" in out  # the percentage converted, shown
    saved = custom.get_day("support", date(2026, 11, 4)).entered
    assert (saved["calls_answered"], saved["replies"], saved["handle_seconds"], saved["sla_met"]) == (40, 60, 650, 36)
    assert saved["comments"] == 52  # the built-ins as ever
    status, out, _ = add_support_day(capsys)  # a script's retry: the same figures, nothing to do
    assert status == 0 and "already saved (the same figures)" in out


@pytest.mark.parametrize(
    "extra, team, message",
    [
        (["--calls-answerd", "40"], "support", "'--calls-answerd' is not a figure team support tracks"),
        (CUSTOM_FIGURES, "billing", "'--calls-answered' is not a figure team billing tracks"),
        (CUSTOM_FIGURES[2:], "support", "the following arguments are required: --calls-answered"),
        (["--calls-answered"], "support", "argument '--calls-answered': expected one argument"),
        (["--calls-answered", "forty", *CUSTOM_FIGURES[2:]], "support", "'forty' is not a number. Calls answered"),
    ],
)
def test_a_custom_option_that_doesnt_fit_is_a_usage_error_and_saves_nothing(custom, capsys, extra, team, message):
    status, _, err = run(capsys, "add", "2026-11-04", "--team", team, *FIGURES, *extra)
    assert status == 2 and message in err, err
    assert custom.get_day(team, date(2026, 11, 4)) is None


def test_unknown_option_names_the_teams_figures(custom, capsys):
    status, _, err = run(capsys, "add", "2026-11-04", "--team", "support", *FIGURES, "--calls", "4")
    assert status == 2
    assert "--comments, --solves, --chats, --wait, --ratings, --positive, --calls-answered, --replies," in err
    assert "statbotic metrics list" in err


def test_add_help_says_how_custom_metrics_are_given(custom, capsys):
    status, out, _ = run(capsys, "add", "--help")
    assert status == 0
    text = " ".join(out.split())
    assert "--<key with - for _>" in text and "statbotic metrics list" in text and "--calls-answered 40" in text


def test_view_json_has_each_custom_figure_over_its_own_days(custom, capsys):
    assert add_support_day(capsys)[0] == 0
    status, out, _ = run(capsys, "view", WEEK, "--team", "support", "--json", "--daily")
    assert status == 0
    document = json.loads(out)
    assert document["version"] == 5
    figures = document["summary"]["figures"]
    assert (figures["calls_answered"]["value"], figures["calls_answered"]["days_with_data"]) == (40, 1)
    assert figures["calls_answered"]["per_day"] == 40  # over its one day, not the range's three
    assert figures["comments"]["days_with_data"] == 3
    assert figures["handle_seconds"]["value"] == 65 and figures["sla_met"]["value"] == 90
    assert figures["replies_per_call"]["value"] == 1.5
    days = {d["date"]: d for d in document["days"]}
    assert "calls_answered" not in days["2026-11-02"]["entered"]  # no data, never a zero
    assert days["2026-11-04"]["components"]["handle_seconds.total"] == 650 * 40
    # billing doesn't track them: its view has only the built-ins
    status, out, _ = run(capsys, "view", WEEK, "--team", "billing", "--json")
    assert status == 0 and "calls_answered" not in json.loads(out)["summary"]["figures"]


def test_the_json_export_describes_each_metric_and_its_components(custom, capsys):
    assert add_support_day(capsys)[0] == 0
    status, out, _ = run(capsys, "export", WEEK, "--team", "support", "--format", "json", "-o", "-")
    assert status == 0
    document = json.loads(out)
    assert document["version"] == 5
    metrics = {m["key"]: m for m in document["definitions"]["metrics"]}
    assert metrics["handle_seconds"] == {
        "key": "handle_seconds",
        "label": "Average handle time",
        "kind": "duration",
        "unit": "seconds",
        "formula": metrics["handle_seconds"]["formula"],
        "bases": ["calls_answered"],
        "source": "Phone",
        "listed": True,
        "places": 1,
        "direction": "<=",
        "default_target": None,
        "entered_as": "handle_seconds",
        "components": ["handle_seconds.total", "handle_seconds.items"],
    }
    assert metrics["handle_seconds"]["formula"]
    assert metrics["wait_seconds"]["components"] == ["wait_tenths_total", "wait_seconds.items"]
    assert metrics["csat_percent"]["components"] == ["csat_good", "csat_percent.base"]
    assert metrics["replies_per_call"]["kind"] == "ratio" and metrics["calls_answered"]["default_target"] == 30
    components = [c["key"] for c in document["definitions"]["components"]]
    assert {"sla_met", "sla_met.base", "calls_answered", "wait_seconds.items"} <= set(components)
    summary = document["summary"]
    assert summary["sums"]["sla_met.base"] == 40 and summary["figures"]["sla_met"]["days_with_data"] == 1
    first, _, third = document["days"]
    assert "sla_met" not in first["components"] and third["components"]["sla_met.base"] == 40


def test_the_csv_export_has_a_column_per_metric_blank_before_it(custom, capsys):
    assert add_support_day(capsys)[0] == 0
    status, out, _ = run(capsys, "export", WEEK, "--team", "support", "--format", "csv", "-o", "-")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["date"] for r in rows] == ["2026-11-02", "2026-11-03", "2026-11-04"]
    columns = list(rows[0])
    assert columns[:9] == [
        "team", "date", "agent", "comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good"
    ]  # fmt: skip
    assert {"calls_answered", "handle_seconds", "handle_seconds.total", "sla_met.base", "replies"} <= set(columns)
    assert "replies_per_call" not in columns  # a ratio: nothing entered, no component
    before, after = rows[0], rows[2]
    assert (before["calls_answered"], before["handle_seconds.total"], before["sla_met.base"]) == ("", "", "")
    assert (after["calls_answered"], after["handle_seconds.total"], after["sla_met"]) == ("40", "26000", "36")
    assert before["wait_seconds.items"] == "120" and before["comments"] == "30"
    status, out, _ = run(capsys, "export", WEEK, "--team", "support", "--format", "summary-csv", "-o", "-")
    summary = {r["metric"]: r for r in csv.DictReader(io.StringIO(out))}
    calls = summary["calls_answered"]
    assert (calls["value"], calls["per_day"], calls["denominator_sum"], calls["metric_days_with_data"]) == (
        "40",
        "40",
        "1",
        "1",
    )
    assert (calls["target"], calls["target_direction"], calls["met"]) == ("30", ">=", "true")  # the definition's


def test_an_export_file_is_written_whole(custom, capsys, settings):
    assert add_support_day(capsys)[0] == 0
    status, out, _ = run(capsys, "export", WEEK, "--team", "support", "--format", "csv")
    assert status == 0 and "Exported 3 days to" in out
    written = Path(out.split(" to ", 1)[1].strip())
    assert written.read_text(encoding="utf-8").count("\n") == 4
    assert not [p for p in written.parent.iterdir() if p.name.startswith(".partial-")]


def test_a_custom_metric_takes_a_target_by_key_or_alias(custom, capsys):
    assert add_support_day(capsys)[0] == 0
    status, out, _ = run(capsys, "targets", "list", "--team", "support")
    assert status == 0
    line = next(line for line in out.splitlines() if "calls-answered" in line)
    assert ">= 30" in line and "metric's default" in line
    assert run(capsys, "targets", "set", "calls_answered", ">= 45", "--team", "support")[0] == 0
    status, out, _ = run(capsys, "targets", "set", "handle-seconds", "60", "--team", "support")
    assert status == 0 and "Average handle time target set to <= 60.0 s." in out
    status, out, _ = run(capsys, "targets", "list", "--team", "support", "--json")
    listed = json.loads(out)["targets"]
    assert (listed["calls_answered"]["target"], listed["calls_answered"]["source"]) == (45, "app")
    status, out, _ = run(capsys, "view", WEEK, "--team", "support", "--json")
    judged = json.loads(out)["targets"]
    assert (judged["calls_answered"]["met"], judged["handle_seconds"]["met"]) == (False, False)
    status, out, _ = run(capsys, "targets", "clear", "calls-answered", "--team", "support")
    assert status == 0 and "now >= 30.0 per day (metric's default)" in out
    status, _, err = run(capsys, "targets", "set", "calls-answered", "40", "--team", "billing")
    assert status == 2 and "'calls-answered' is not a metric. Use one of: comments," in err


def test_the_department_sums_a_metric_over_the_teams_tracking_it_and_names_the_others(custom, capsys):
    assert add_support_day(capsys)[0] == 0
    status, out, _ = run(capsys, "view", WEEK, "--all-teams", "--json")
    assert status == 0
    document = json.loads(out)
    department = document["department"]
    assert department["not_tracked_by"]["calls_answered"] == ["billing"]
    assert department["figures"]["calls_answered"]["value"] == 40
    assert department["metric_team_days"]["calls_answered"] == 1 and department["metric_team_days"]["comments"] == 5
    assert department["per_team_day"]["calls_answered"] == 40  # over support's one day with calls
    assert department["figures"]["comments"]["value"] == 30 * 4 + 52  # both teams' comments
    rows = {row["team"]: row for row in document["teams"]}
    assert "calls_answered" in rows["billing"]["not_tracked"] and rows["support"]["not_tracked"] == []
    assert rows["support"]["shares"]["calls_answered"] == 1 and rows["billing"]["shares"]["calls_answered"] is None
    calls = document["targets"]["calls_answered"]  # the definition's default target, judged per team-day
    assert (calls["met"], calls["teams_met"]) == (True, {"support": True})
    status, out, _ = run(capsys, "view", WEEK, "--all-teams")
    assert status == 0
    text = " ".join(out.split())
    assert "Calls answered: not tracked by billing" in text
    status, out, _ = run(capsys, "export", WEEK, "--all-teams", "--format", "summary-csv", "-o", "-")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert not [r for r in rows if r["team"] == "billing" and r["metric"] == "calls_answered"]
    total = next(r for r in rows if r["scope"] == "department" and r["metric"] == "calls_answered")
    assert (total["value"], total["denominator"], total["denominator_sum"]) == ("40", "team_days", "1")
    status, out, _ = run(capsys, "export", WEEK, "--all-teams", "--format", "json", "-o", "-")
    metrics = [m["key"] for m in json.loads(out)["definitions"]["metrics"]]
    assert "replies_per_call" in metrics


def test_the_view_table_shows_the_custom_figures(custom, capsys):
    assert add_support_day(capsys)[0] == 0
    status, out, _ = run(capsys, "view", WEEK, "--team", "support")  # --daily's table: render.py's (i12-screens)
    assert status == 0
    assert "Calls answered" in out and "Replies per call" in out and "SLA met" in out
    status, out, _ = run(capsys, "delete", "2026-11-04", "--team", "support", "--yes")
    assert status == 0 and custom.get_day("support", date(2026, 11, 4)) is None

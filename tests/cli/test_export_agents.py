"""Exports with per-agent figures (issue 13, format 5) on both stores: the daily CSV's ``agent`` column
(each agent's row after its day's team row, by name, "(unassigned)" last), the JSON's per-day ``agents``
and its ``agents`` section (each agent's range summary), the department JSON's agents per team, the
agents' sums equal to the team's to the digit (computed here from the figures saved, not read back), and
the round trip of the app's own CSV through `import --preset statbotic-daily`.

The days are saved through services.record_day (what an import or the "by agent" form does), generated
from a seeded random source: a day of every metric by agent, a day of Intercom's by agent with Zendesk's
typed as team totals, and a typed day without agents.
"""

import csv
import io
import json
import random
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from statbotic import services
from statbotic.exact import exported, round_half_up
from statbotic.records import UNASSIGNED
from tests.cli.test_commands import run

START = date(2026, 10, 1)
DAYS = 9
PERIOD = "2026-10-01..2026-10-09"
NAMES = ("Cy Lee", "Ana", "bo", UNASSIGNED)  # listed: Ana, bo, Cy Lee (case ignored), then (unassigned)
LISTED = ["Ana", "bo", "Cy Lee", UNASSIGNED]
ZENDESK = ("comments", "solves")
INTERCOM = ("chats", "wait_tenths", "csat_ratings", "csat_good")
COUNTS = ("comments", "solves", "chats", "csat_ratings", "csat_good")  # and parts: summed to the digit


def agent_figures(rng: random.Random, keys: tuple[str, ...]) -> dict[str, int]:
    figures = {}
    if "comments" in keys:
        figures["solves"] = rng.randrange(0, 40)
        figures["comments"] = figures["solves"] + rng.randrange(0, 50)
    if "chats" in keys:
        figures["chats"] = rng.randrange(0, 60)
        figures["wait_tenths"] = rng.randrange(0, 3000)
        figures["csat_ratings"] = rng.randrange(0, figures["chats"] + 1)
        figures["csat_good"] = rng.randrange(0, figures["csat_ratings"] + 1)
    return figures


def planned_days() -> dict[date, tuple[dict[str, int], dict[str, dict[str, int]]]]:
    """Each day's typed team figures and its agents' figures: day 0, 3, 6 every metric by agent (bo
    Intercom's only); 1, 4, 7 Intercom's by agent, Zendesk's typed; 2, 5, 8 typed, no agents."""
    rng = random.Random(13)
    days = {}
    for n in range(DAYS):
        day = START + timedelta(days=n)
        if n % 3 == 0:
            agents = {name: agent_figures(rng, INTERCOM if name == "bo" else ZENDESK + INTERCOM) for name in NAMES}
            days[day] = ({}, agents)
        elif n % 3 == 1:
            days[day] = (agent_figures(rng, ZENDESK), {name: agent_figures(rng, INTERCOM) for name in NAMES})
        else:
            days[day] = (agent_figures(rng, ZENDESK + INTERCOM), {})
    return days


def expected_team(typed: dict[str, int], agents: dict[str, dict[str, int]]) -> dict[str, int]:
    """A day's team figures worked out here: counts and parts summed over the agents carrying them, the
    wait their summed wait x chats over their summed chats (rounded half up; 0 without chats)."""
    team = dict(typed)
    for key in COUNTS:
        having = [figures[key] for figures in agents.values() if key in figures]
        if having:
            team[key] = sum(having)
    waited = [(f["wait_tenths"], f["chats"]) for f in agents.values() if "wait_tenths" in f]
    if waited:
        chats = sum(c for _, c in waited)
        team["wait_tenths"] = int(round_half_up(Fraction(sum(w * c for w, c in waited), chats))) if chats else 0
    return team


@pytest.fixture
def agent_days(store, cli_env):
    lead = store.get_user("lead")
    days = planned_days()
    for day, (typed, agents) in days.items():
        services.record_day(store, "default", lead, day, typed, agents=agents)
    return days


def export(capsys, fmt: str, *more: str) -> str:
    status, out, err = run(capsys, "export", PERIOD, "--format", fmt, "-o", "-", *more)
    assert status == 0, err
    return out


def test_the_csv_has_an_agent_column_and_each_agents_row_after_its_days_team_row(agent_days, capsys):
    rows = list(csv.DictReader(io.StringIO(export(capsys, "csv"))))
    assert list(rows[0])[:3] == ["team", "date", "agent"]
    expected_order = []
    for day, (_, agents) in agent_days.items():
        expected_order.append((day.isoformat(), ""))
        expected_order += [(day.isoformat(), name) for name in LISTED if name in agents]
    assert [(r["date"], r["agent"]) for r in rows] == expected_order
    for row in rows:
        typed, agents = agent_days[date.fromisoformat(row["date"])]
        if row["agent"]:
            figures = agents[row["agent"]]
            assert (row["updated_by"], row["updated_at"]) == ("", "")  # the day's row says them
        else:
            figures = expected_team(typed, agents)
            assert row["updated_by"] == "lead" and row["updated_at"]
        for key in ZENDESK + INTERCOM:
            assert row[key] == str(figures.get(key, "")), (row["date"], row["agent"], key)  # blank: none
        waited = [agents[row["agent"]]] if row["agent"] else [f for f in agents.values() if "chats" in f]
        if not row["agent"] and not waited:
            waited = [typed]  # a typed day
        # a team row's total is its agents' summed totals, as stored (not its rounded average x chats)
        assert row["wait_tenths_total"] == str(sum(f["wait_tenths"] * f["chats"] for f in waited))
        assert row["wait_seconds.items"] == str(sum(f["chats"] for f in waited))


def test_the_csv_agents_rows_sum_to_the_team_row_to_the_digit(agent_days, capsys):
    rows = list(csv.DictReader(io.StringIO(export(capsys, "csv"))))
    for day, (typed, agents) in agent_days.items():
        team = next(r for r in rows if r["date"] == day.isoformat() and not r["agent"])
        mine = [r for r in rows if r["date"] == day.isoformat() and r["agent"]]
        assert len(mine) == len(agents)
        for key in (*COUNTS, "wait_tenths_total", "wait_seconds.items", "csat_percent.base"):
            cells = [int(r[key]) for r in mine if r[key]]
            if cells:  # a metric the agents carry: the team's is their sum
                assert int(team[key]) == sum(cells), (day, key)
            else:
                assert team[key] == str(typed.get(key, "")) or key not in typed
        if mine:
            items, total = int(team["wait_seconds.items"]), int(team["wait_tenths_total"])
            expected = int(round_half_up(Fraction(total, items))) if items else 0
            assert int(team["wait_tenths"]) == expected


def test_the_json_has_each_days_agents_and_each_agents_range_summary(agent_days, capsys):
    document = json.loads(export(capsys, "json"))
    assert (document["format"], document["version"]) == ("statbotic-export", 5)
    for day in document["days"]:
        typed, agents = agent_days[date.fromisoformat(day["date"])]
        assert list(day["agents"]) == [name for name in LISTED if name in agents]
        for name, figures in day["agents"].items():
            assert figures["entered"] == agents[name]
            if "chats" in agents[name]:
                assert figures["components"]["wait_tenths_total"] == agents[name]["wait_tenths"] * agents[name]["chats"]
        assert day["entered"] == expected_team(typed, agents)
    section = document["agents"]
    assert list(section) == LISTED
    team = document["summary"]
    assert set(section["Ana"]) == set(team) - {"targets", "previous"}  # the team's summary's shape
    for name, summary in section.items():
        mine = [agents[name] for _, agents in agent_days.values() if name in agents]
        assert summary["days_with_data"] == len(mine)
        for key in COUNTS:
            assert summary["sums"][key] == sum(f.get(key, 0) for f in mine), (name, key)
        ratings, good = summary["sums"]["csat_ratings"], summary["sums"]["csat_good"]
        assert summary["figures"]["csat_percent"]["value"] == (
            exported(Fraction(100 * good, ratings)) if ratings else None
        )
        waited = sum(f["wait_tenths"] * f["chats"] for f in mine)
        assert summary["sums"]["wait_tenths_total"] == waited
    # Intercom's metrics have agent rows on every agents' day: there the agents' sums are the team's
    typed_days = [typed for typed, agents in agent_days.values() if not agents]
    for key in ("chats", "csat_ratings", "csat_good"):
        agents_sum = sum(s["sums"][key] for s in section.values())
        assert agents_sum + sum(typed[key] for typed in typed_days) == team["sums"][key], key
    totals = sum(s["sums"]["wait_tenths_total"] for s in section.values())
    assert totals + sum(t["wait_tenths"] * t["chats"] for t in typed_days) == team["sums"]["wait_tenths_total"]
    # and a charting tool re-aggregates the range from the days' components
    for key, value in team["sums"].items():
        assert sum(day["components"].get(key, 0) for day in document["days"]) == value, key


def test_the_department_json_has_each_teams_agents(agent_days, capsys):
    document = json.loads(export(capsys, "json", "--all-teams"))
    (default,) = [t for t in document["teams"] if t["team"] == "default"]
    assert list(default["agents"]) == LISTED
    ana = [agents["Ana"] for _, agents in agent_days.values() if "Ana" in agents]
    assert default["agents"]["Ana"]["sums"]["chats"] == sum(f["chats"] for f in ana)
    summary_csv = export(capsys, "summary-csv", "--all-teams")
    assert "Ana" not in summary_csv  # a row per team and metric: an agent's figures are in its team's export


def test_a_csv_export_file_is_written_whole_with_its_agent_rows(agent_days, capsys):
    status, out, _ = run(capsys, "export", PERIOD, "--format", "csv")
    assert status == 0 and f"Exported {DAYS} days to" in out
    written = Path(out.split(" to ", 1)[1].strip())
    lines = 1 + DAYS + sum(len(agents) for _, agents in agent_days.values())
    assert written.read_text(encoding="utf-8").count("\n") == lines
    assert not [p for p in written.parent.iterdir() if p.name.startswith(".partial-")]


# --- the round trip: export -> import into an empty store -> the same views and the same export ----------


def without_times(document: dict) -> dict:
    """A JSON document without when it was generated and when each day was saved (the import saves later)."""
    document.pop("generated_at", None)
    for day in document["days"]:
        day.pop("updated_at")
    return document


def csv_without_times(text: str) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        row.pop("updated_at")
    return rows


def emptied(capsys, store) -> None:
    for n in range(DAYS):
        assert run(capsys, "delete", (START + timedelta(days=n)).isoformat(), "--yes")[0] == 0
    assert list(store.iter_all_days()) == []


def import_csv(capsys, path: Path) -> str:
    status, out, err = run(capsys, "import", str(path), "--preset", "statbotic-daily", "--on-conflict", "skip")
    assert status == 0, err
    return out


def test_the_csv_round_trips_the_teams_days_into_an_empty_store(agent_days, store, capsys, tmp_path):
    view = without_times(json.loads(run(capsys, "view", PERIOD, "--daily", "--json")[1]))
    path = tmp_path / "october.csv"
    path.write_text(export(capsys, "csv"), encoding="utf-8")
    emptied(capsys, store)
    assert f"{DAYS} saved, 0 unchanged" in import_csv(capsys, path)
    assert without_times(json.loads(run(capsys, "view", PERIOD, "--daily", "--json")[1])) == view
    assert f"0 saved, {DAYS} unchanged" in import_csv(capsys, path)


def test_the_csv_round_trips_every_agents_figures_and_re_exports_the_same(agent_days, store, capsys, tmp_path):
    first_csv, first_json = export(capsys, "csv"), without_times(json.loads(export(capsys, "json")))
    path = tmp_path / "october.csv"
    path.write_text(first_csv, encoding="utf-8")
    emptied(capsys, store)
    import_csv(capsys, path)
    stored = {record.day: {n: dict(f) for n, f in record.agents.items()} for record in store.iter_all_days()}
    assert stored == {day: agents for day, (_, agents) in agent_days.items()}
    assert without_times(json.loads(export(capsys, "json"))) == first_json  # each day's agents, each summary
    assert csv_without_times(export(capsys, "csv")) == csv_without_times(first_csv)

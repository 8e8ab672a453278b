"""`statbotic view PERIOD --by agent [--rank M] [--json]` on both stores: each agent's figures from
their own sums, the ranking, the team's total and its notes; usage errors and a period without data."""

import json
from datetime import date

import pytest

from statbotic.exact import exported
from statbotic.records import UNASSIGNED
from tests.cli.test_commands import run
from tests.flows.test_fits_80_columns import long_lines
from tests.support.agent_days import every_row, expected, generate, names, of_agent, record

FIRST, DAYS = date(2026, 11, 2), 14


@pytest.fixture
def agent_days(cli_env, store):
    """Two weeks of generated agent rows in team default, saved by the admin 'lead'."""
    days = generate(29, FIRST, DAYS)
    record(store, "default", store.get_user("lead"), days)
    return days


def same_figures(shown: dict, wanted: dict) -> None:
    for key, (value, numerator, denominator) in wanted.items():
        figure = shown[key]
        assert figure["value"] == exported(value), key
        assert figure["numerator"]["sum"] == numerator, key
        if denominator is not None:
            assert figure["denominator"]["sum"] == denominator, key


def test_json_gives_each_agent_their_own_figures_and_the_team_total(agent_days, capsys):
    status, out, _ = run(capsys, "view", "2026-11-02..2026-11-15", "--by", "agent", "--json")
    assert status == 0
    document = json.loads(out)
    assert (document["team"], document["scope"], document["ranked_by"]) == ("default", "every", "solves")
    assert sorted(a["agent"] for a in document["agents"]) == names(agent_days)
    for agent in document["agents"]:
        same_figures(agent["metrics"], expected(of_agent(agent_days, agent["agent"])))
        assert agent["days"] == len(of_agent(agent_days, agent["agent"]))
        ratings = agent["metrics"]["csat_percent"]["denominator"]["sum"]
        assert agent["metrics"]["csat_percent"]["small_sample"] is (0 < ratings < 30)
    same_figures(document["team_total"]["metrics"], expected(every_row(agent_days)))
    assert document["team_total"]["days"] == DAYS and document["adds_up"] is True
    ranked = [a for a in document["agents"] if a["rank"] is not None]
    solves = [a["metrics"]["solves"]["value"] for a in ranked]
    assert solves == sorted(solves, reverse=True) and [a["agent"] for a in document["agents"]][-1] == UNASSIGNED


def test_rank_by_the_wait_puts_the_shortest_first(agent_days, capsys):
    status, out, _ = run(capsys, "view", "2026-11-02..2026-11-15", "--by", "agent", "--rank", "wait", "--json")
    assert status == 0
    document = json.loads(out)
    assert (document["ranked_by"], document["direction"]) == ("wait_seconds", "<=")
    waits = [a["metrics"]["wait_seconds"]["value"] for a in document["agents"] if a["rank"] is not None]
    assert waits == sorted(waits) and len(waits) == len(names(agent_days)) - 1


def test_the_table_lists_the_agents_in_rank_order_with_the_team_total(agent_days, capsys):
    status, out, _ = run(capsys, "view", "2026-11-02..2026-11-15", "--by", "agent", "--rank", "csat")
    assert status == 0
    assert "Figures per agent for 2026-11-02 to 2026-11-15 (team default)" in out
    assert "Ranked by Chat CSAT, highest first" in out
    scores = {name: expected(of_agent(agent_days, name))["csat_percent"][0] for name in names(agent_days)}
    best = max((score, name) for name, score in scores.items() if name != UNASSIGNED and score is not None)[1]
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in out.splitlines() if line.startswith("│ ")]
    assert rows[0][0] == "# Agent" and rows[1][0] == f"1 {best}" and rows[-2][0] == f"- {UNASSIGNED}"
    assert rows[-1][0] == "Team total" and rows[-1][-1] == str(DAYS)
    assert long_lines(out) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--rank", "solves"], "--rank orders the agents of --by agent: add --by agent."),
        (["--by", "agent", "--daily"], "--by agent is one team's agents"),
        (["--by", "agent", "--all-teams"], "--by agent is one team's agents"),
        (["--by", "agent", "--rank", "speed"], "'speed' is not a metric. Use one of: comments, solves"),
        (["--by", "team"], "invalid choice: 'team'"),
    ],
)
def test_usage_errors_exit_2(cli_env, capsys, argv, message):
    status, out, err = run(capsys, "view", "2026-11", *argv)
    assert status == 2 and out == "" and message in err


def test_a_period_without_data_says_so_like_view_and_exits_0(agent_days, capsys):
    status, out, _ = run(capsys, "view", "2025-11", "--by", "agent")
    assert status == 0 and "No stats were entered for 2025-11" in out and "Team total" not in out
    status, out, _ = run(capsys, "view", "2025-11", "--by", "agent", "--json")
    document = json.loads(out)
    assert status == 0 and document["agents"] == [] and document["team_total"]["days"] == 0


def test_days_typed_as_team_totals_are_noted(agent_days, capsys):
    typed = ["--comments", "52", "--solves", "12", "--chats", "110", "--wait", "40", "--ratings", "52"]
    assert run(capsys, "add", "2026-11-16", *typed, "--positive", "47")[0] == 0
    status, out, _ = run(capsys, "view", "2026-11-02..2026-11-16", "--by", "agent")
    assert status == 0
    assert f"1 of {DAYS + 1} days with data has no agent figures (typed as team" in out
    status, out, _ = run(capsys, "view", "2026-11-02..2026-11-16", "--by", "agent", "--json")
    document = json.loads(out)
    assert document["adds_up"] is False and document["days_without_agents"] == 1
    assert document["team_total"]["metrics"]["solves"]["value"] == sum(r["solves"] for r in every_row(agent_days)) + 12

"""The main menu's 12: "Agents" for leads and admins (every agent, ranked, again by another metric
chosen by number), "My stats" for viewers (their own agent's row beside the team's total; a viewer not
linked to an agent is told how to be, before anything is asked)."""

from datetime import date

import pytest

from statbotic.records import UNASSIGNED, User
from tests.flows.conftest import NOW, add_member
from tests.flows.test_fits_80_columns import long_lines
from tests.support.agent_days import AGENTS, expected, generate, of_agent, record
from tests.transcript import EXIT, log_in_as, menu, period, play

WEEK_47 = "2026-W47"


@pytest.fixture
def agent_week(store, alice):
    """Week 47 of team default with generated agent rows, saved by alice."""
    days = generate(47, date(2026, 11, 16), 7)
    record(store, "default", alice, days)
    return days


def table_rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in text.splitlines() if line.startswith("│ ")]


def first_cells(text: str) -> list[str]:
    return [row[0] for row in table_rows(text) if row[0] not in ("# Agent", "Agent")]


def test_agents_ranks_by_solves_then_again_by_the_wait_chosen_by_number(agent_week, as_alice):
    console = as_alice(
        menu("12"),
        period(WEEK_47),
        ("Rank by another metric", "y"),
        ("Choose a metric", "4"),  # the team's metrics in order: 4 is the average chat wait
        ("Rank by another metric", "n"),
    )
    text = console.text
    assert "  12  Agents" in text and "My stats" not in text
    assert "Ranked by Ticket solves, highest first" in text and "Ranked by Average chat wait, lowest first" in text
    first, second = text.split("Ranked by Average chat wait")
    solves = {name: expected(of_agent(agent_week, name))["solves"][0] for name in AGENTS}
    waits = {name: expected(of_agent(agent_week, name))["wait_seconds"][0] for name in AGENTS}
    by_solves = sorted(AGENTS, key=lambda name: (-solves[name], name))
    by_wait = sorted(AGENTS, key=lambda name: (waits[name], name))
    assert [cell.split(" ", 1)[1] for cell in first_cells(first)[: len(AGENTS)]] == by_solves
    assert [cell.split(" ", 1)[1] for cell in first_cells(second)[: len(AGENTS)]] == by_wait
    assert first_cells(second)[-2:] == [f"- {UNASSIGNED}", "Team total"]
    assert long_lines(text) == []


def test_a_lead_linked_to_an_agent_sees_every_agent_and_their_own_marked(store, agent_week, settings, password_hash):
    store.add_user(User("lee", password_hash, NOW, teams={"default": "lead"}, agent="Dev"))
    console = play(store, settings, log_in_as("lee"), menu("12"), period(WEEK_47), ("Rank by another", "n"), EXIT)
    cells = first_cells(console.text)
    assert [cell for cell in cells if cell.endswith("(you)")] == [next(c for c in cells if " Dev" in c)]
    assert len(cells) == len(AGENTS) + 2  # the agents, the unassigned rows, the team's total


def test_a_linked_viewer_sees_only_their_own_row_beside_the_team(store, agent_week, settings, password_hash):
    store.add_user(User("vic", password_hash, NOW, teams={"default": "viewer"}, agent="Bo Chen"))
    console = play(store, settings, log_in_as("vic"), menu("12"), period(WEEK_47), EXIT)
    text = console.text
    assert "  12  My stats" in text and "Agents" not in text.split("My stats for")[0].split("Main menu")[1]
    assert "My stats for 2026-W47 (2026-11-16 to 2026-11-22) (team default)" in text
    assert first_cells(text) == ["Bo Chen (you)", "Team total"]
    for other in (name for name in AGENTS if name != "Bo Chen"):
        assert other not in text
    assert "Ranked by" not in text
    mine = table_rows(text)[1]
    assert mine[2] == str(expected(of_agent(agent_week, "Bo Chen"))["solves"][1])


def test_a_viewer_not_linked_is_told_to_ask_an_admin_before_any_question(store, agent_week, settings, password_hash):
    add_member(store, password_hash, "val", default="viewer")
    console = play(store, settings, log_in_as("val"), menu("12"), EXIT)
    text = " ".join(console.text.split())
    assert "val is not linked to an agent, so there are no figures of yours to show: ask an admin to link you" in text
    assert 'statbotic users edit val --agent "Your Name"' in text
    assert "Start date or period" not in console.text


def test_a_period_without_figures_says_so_and_asks_nothing_more(agent_week, as_alice):
    console = as_alice(menu("12"), period("2025-11"))
    assert "Figures per agent for 2025-11" in console.text and "No stats were entered for 2025-11" in console.text
    assert "Rank by another metric" not in console.text

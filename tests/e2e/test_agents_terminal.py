"""The agents view in a real terminal: a lead ranks the agents, then ranks them again by the wait."""

from datetime import date

import pytest

from tests.e2e.test_terminal import PASSWORD, answer, expect_clean_exit, register_and_log_in
from tests.support.agent_days import AGENTS, expected, generate, of_agent, record

pytestmark = [pytest.mark.pty, pytest.mark.parametrize("backend", ["sqlite"])]


def test_a_lead_ranks_the_agents_by_solves_then_by_the_wait(spawn_app, settings):
    child = spawn_app()
    register_and_log_in(child, "pat")  # the store's first user: its admin, lead of team default
    answer(child, "Choose an option: ", "0")
    expect_clean_exit(child)
    from statbotic.storage import open_store

    store = open_store(settings)
    days = generate(5, date(2026, 11, 16), 7)
    try:
        record(store, "default", store.get_user("pat"), days)
    finally:
        store.close()
    waits = {name: expected(of_agent(days, name))["wait_seconds"][0] for name in AGENTS}
    quickest = min(AGENTS, key=lambda name: (waits[name], name))

    child = spawn_app()
    answer(child, "Choose an option: ", "1")
    answer(child, "Username: ", "pat")
    answer(child, "Password: ", PASSWORD)
    answer(child, "Choose an option: ", "12")
    answer(child, "Start date or period", "2026-W47")
    child.expect_exact("Ranked by Ticket solves, highest first")
    child.expect_exact("Team total")
    answer(child, "Rank by another metric? (y/n): ", "y")
    answer(child, "Choose a metric: ", "4")
    child.expect_exact("Ranked by Average chat wait, lowest first")
    child.expect_exact(f"│ 1 {quickest} ")
    answer(child, "Rank by another metric? (y/n): ", "n")
    answer(child, "Choose an option: ", "0")
    expect_clean_exit(child)

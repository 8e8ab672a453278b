"""`statbotic add` on a day with figures per agent, on both stores: one source per day.  Totals equal to
the agents' sum keep their rows; different ones are refused (exit 1, both shown) unless --agents-stand or
--typed-stands says which stands."""

from datetime import date

import pytest

from statbotic import services
from tests.cli.conftest import snapshot
from tests.cli.test_import import ok, run

DAY = "2026-10-07"
AGENTS = {
    "Ana": dict(comments=12, solves=6, chats=30, wait_tenths=400, csat_ratings=15, csat_good=14),
    "Bo": dict(comments=8, solves=4, chats=20, wait_tenths=650, csat_ratings=10, csat_good=9),
}
SUMS = {key: AGENTS["Ana"][key] + AGENTS["Bo"][key] for key in AGENTS["Ana"]}
SUMS["wait_tenths"] = (400 * 30 + 650 * 20) // 50  # 25,000 / 50 chats: exactly 500
TYPED = ["--comments", "21", "--solves", "10", "--chats", "50", "--wait", "50", "--ratings", "25"]


@pytest.fixture
def with_agents(org, store):
    services.record_day(store, "billing", store.get_user("lena"), date.fromisoformat(DAY), {}, agents=AGENTS)
    assert dict(store.get_day("billing", date.fromisoformat(DAY)).entered) == SUMS
    return store


def day_of(store):
    return store.get_day("billing", date.fromisoformat(DAY))


def test_different_totals_are_refused_with_both_shown(with_agents, capsys):
    before = snapshot(with_agents)
    status, _, err = run(capsys, "add", DAY, *TYPED, "--positive", "23", "--team", "billing", "--overwrite")
    assert status == 1
    assert "Ticket public comments typed 21, the sum of 2 agents 20" in err and "--agents-stand" in err
    assert snapshot(with_agents) == before


def test_equal_totals_keep_the_agents_rows(with_agents, capsys):
    same = ["--comments", "20", *TYPED[2:], "--positive", "23", "--team", "billing"]
    assert "already saved (the same figures)" in ok(capsys, "add", DAY, *same)
    assert "Updated" in ok(capsys, "add", DAY, *same, "--overwrite")
    assert {k: dict(v) for k, v in day_of(with_agents).agents.items()} == AGENTS


def test_the_agents_can_stand(with_agents, capsys):
    ok(capsys, "add", DAY, *TYPED, "--positive", "23", "--team", "billing", "--overwrite", "--agents-stand")
    record = day_of(with_agents)
    assert dict(record.entered) == SUMS and {k: dict(v) for k, v in record.agents.items()} == AGENTS


def test_the_typed_totals_can_stand(with_agents, capsys):
    ok(capsys, "add", DAY, *TYPED, "--positive", "23", "--team", "billing", "--overwrite", "--typed-stands")
    record = day_of(with_agents)
    assert record.entered["comments"] == 21 and record.agents == {}
    entry = with_agents.day_history("billing", date.fromisoformat(DAY))[-1]
    assert "agents" in entry.before and "agents" not in entry.after  # the history keeps what went


def typed_for(agent: str, figures: dict) -> list[str]:
    wait = figures["wait_tenths"]
    return [
        "--agent", agent, "--comments", str(figures["comments"]), "--solves", str(figures["solves"]),
        "--chats", str(figures["chats"]), "--wait", f"{wait // 10}.{wait % 10}",
        "--ratings", str(figures["csat_ratings"]), "--positive", str(figures["csat_good"]), "--team", "billing",
    ]  # fmt: skip


def test_the_by_agent_form_makes_the_team_the_sum_of_the_agents_typed(org, store, capsys):
    day = "2026-10-08"
    assert "the sum of 1 agent" in ok(capsys, "add", day, *typed_for("Ana", AGENTS["Ana"]))
    assert "the sum of 2 agents" in ok(capsys, "add", day, *typed_for("Bo", AGENTS["Bo"]))
    record = store.get_day("billing", date.fromisoformat(day))
    assert dict(record.entered) == SUMS and {k: dict(v) for k, v in record.agents.items()} == AGENTS

    assert "already saved (the same figures)" in ok(capsys, "add", day, *typed_for("Bo", AGENTS["Bo"]))
    changed = {**AGENTS["Bo"], "solves": 7}
    status, _, err = run(capsys, "add", day, *typed_for("Bo", changed))
    assert status == 1 and "--overwrite" in err
    ok(capsys, "add", day, *typed_for("Bo", changed), "--overwrite")
    assert store.get_day("billing", date.fromisoformat(day)).entered["solves"] == AGENTS["Ana"]["solves"] + 7


def test_an_agents_figures_on_a_typed_day_need_the_lead_to_say_the_agents_stand(org, store, capsys):
    before = snapshot(store)  # billing typed its totals for DAY (org)
    from tests.cli.conftest import DAY as TYPED_DAY

    status, _, err = run(capsys, "add", TYPED_DAY, *typed_for("Ana", AGENTS["Ana"]))
    assert status == 1 and "typed team totals" in err and "--agents-stand" in err
    assert snapshot(store) == before
    ok(capsys, "add", TYPED_DAY, *typed_for("Ana", AGENTS["Ana"]), "--agents-stand")
    assert dict(store.get_day("billing", date.fromisoformat(TYPED_DAY)).entered) == AGENTS["Ana"]

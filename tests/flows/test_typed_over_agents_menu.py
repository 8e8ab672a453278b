"""One source per day (issue 13): a lead typing a day that has figures per agent sees the typed totals and
the agents' sum side by side and chooses which stands; typed figures equal to the agents' sum keep the
agents' rows without a question.  On both stores."""

from datetime import UTC, date, datetime

import pytest

from statbotic import services
from tests.transcript import menu

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "mongo"])

TEAM = "default"
DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 26, tzinfo=UTC)
AGENTS = {
    "Ana": dict(comments=12, solves=6, chats=30, wait_tenths=400, csat_ratings=15, csat_good=14),
    "Bo": dict(comments=8, solves=4, chats=20, wait_tenths=650, csat_ratings=10, csat_good=9),
}
SUMS = dict(comments=20, solves=10, chats=50, wait_tenths=500, csat_ratings=25, csat_good=23)  # 25000/50
PROMPTS = ("Ticket public comments", "Ticket solves", "Live chats", "Average chat wait", "CSAT ratings", "Positive")


@pytest.fixture
def with_agents(store, alice):
    services.record_day(store, TEAM, alice, DAY, {}, agents=AGENTS)
    assert dict(store.get_day(TEAM, DAY).entered) == SUMS
    return store


def retype(*answers, choice: str | None = None) -> list:
    return [
        *menu("1"),
        ("Date", DAY.isoformat()),
        ("Overwrite", "y"),
        *zip(PROMPTS, answers, strict=True),
        ("Save?", "y"),
        *([("Choose", choice)] if choice else []),
        ("Enter more stats", "n"),
    ]


def test_totals_equal_to_the_agents_sum_keep_their_rows(with_agents, as_alice):
    console = as_alice(retype("20", "10", "50", "50", "25", "23"))
    assert "figures per agent" not in console.text
    record = with_agents.get_day(TEAM, DAY)
    assert dict(record.entered) == SUMS and set(record.agents) == {"Ana", "Bo"}


def test_the_agents_figures_can_stand_over_different_totals(with_agents, as_alice):
    console = as_alice(retype("21", "10", "50", "50", "25", "23", choice="1"))
    assert "has figures per agent, and your totals differ from their sum" in console.text
    assert "│ Ticket public comments │ 21    │ 20          │ 2      │" in console.text  # side by side
    record = with_agents.get_day(TEAM, DAY)
    assert dict(record.entered) == SUMS and {k: dict(v) for k, v in record.agents.items()} == AGENTS


def test_the_typed_totals_can_stand_and_the_agents_rows_go(with_agents, as_alice):
    as_alice(retype("21", "10", "50", "50", "25", "23", choice="2"))
    record = with_agents.get_day(TEAM, DAY)
    assert record.entered["comments"] == 21 and record.agents == {}
    assert with_agents.agent_range_totals(TEAM, DAY, DAY) == {}


def by_agent(name: str, day: date, answers, save: str = "y", more: str = "n", extra=()) -> list:
    return [
        *menu("13"),
        ("Agent's name", name),
        ("Date", day.isoformat()),
        *zip(PROMPTS, answers, strict=True),
        ("Save these as", save),
        *extra,
        ("Enter another agent", more),
    ]


def typed(figures: dict) -> tuple[str, ...]:
    wait = figures["wait_tenths"]
    keys = ("comments", "solves", "chats")
    return (*(str(figures[k]) for k in keys), f"{wait // 10}.{wait % 10}", *(str(figures[k]) for k in keys[3:]),
            str(figures["csat_ratings"]), str(figures["csat_good"]))  # fmt: skip


def test_the_by_agent_form_makes_the_team_the_sum_of_its_agents(store, alice, as_alice):
    day = date(2026, 11, 19)
    console = as_alice(by_agent("Ana", day, typed(AGENTS["Ana"])), by_agent("  Bo ", day, typed(AGENTS["Bo"])))
    assert "Saved Bo's stats for 2026-11-19; the team's figures are the sum of 2 agents." in console.text
    record = store.get_day(TEAM, day)
    assert dict(record.entered) == SUMS and {k: dict(v) for k, v in record.agents.items()} == AGENTS


def test_the_by_agent_form_on_a_typed_day_asks_before_the_agents_sum_stands(store, alice, as_alice):
    services.record_day(store, TEAM, alice, DAY, SUMS)  # typed team totals
    console = as_alice(by_agent("Ana", DAY, typed(AGENTS["Ana"]), extra=[("sum of its agents", "n")]))
    assert "The day has typed team totals" in console.text
    assert store.get_day(TEAM, DAY).agents == {} and dict(store.get_day(TEAM, DAY).entered) == SUMS
    as_alice(by_agent("Ana", DAY, typed(AGENTS["Ana"]), extra=[("sum of its agents", "y")]))
    assert dict(store.get_day(TEAM, DAY).entered) == AGENTS["Ana"]


def test_a_bad_agent_name_is_asked_again(store, alice, as_alice):
    console = as_alice(*menu("13"), ("Agent's name", "   "), ("Agent's name", "x" * 81), ("Agent's name", "Ana"),
                       ("Date", DAY.isoformat()), *zip(PROMPTS, typed(AGENTS["Ana"]), strict=True),
                       ("Save these as", "n"), ("Enter another agent", "n"))  # fmt: skip
    assert "An agent needs a name." in console.text and "at most 80 characters" in console.text
    assert store.get_day(TEAM, DAY) is None

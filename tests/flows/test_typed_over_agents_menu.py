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

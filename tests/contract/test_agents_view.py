"""The agents view on every store: each agent's figures are the ratios of their own sums, to the digit,
and the agents add up to the team's total exactly when every day came with agent rows (issue 13).

Expectations come from tests/support/agent_days.py: plain arithmetic on the generated integers."""

from datetime import UTC, date, datetime

import pytest

from statbotic import services
from statbotic.agent_report import agents_view, notes
from statbotic.periods import Period
from statbotic.records import UNASSIGNED, User
from tests.support.agent_days import every_row, expected, generate, names, of_agent, record

TEAM = "default"
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "2026-11", "month")
LEAD = User("lena", "-", datetime(2026, 11, 1, tzinfo=UTC), teams={TEAM: "lead"})


def figures_of(summary) -> dict:
    return {f.metric.key: (f.value, f.numerator, f.denominator) for f in summary.figures}


@pytest.fixture
def month(store):
    """25 generated days of November with agent rows (unassigned ones too), saved as imports save them."""
    days = generate(13, date(2026, 11, 3), 25)
    record(store, TEAM, LEAD, days)
    return days


def test_each_agent_is_the_ratio_of_their_own_sums_to_the_digit(store, month):
    view = agents_view(store, TEAM, NOVEMBER, user=LEAD)
    assert sorted(row.agent for row in view.rows) == names(month)
    for row in view.rows:
        assert figures_of(row.summary) == expected(of_agent(month, row.agent)), row.agent
        assert row.days == len(of_agent(month, row.agent))


def test_the_agents_add_up_to_the_team_total_when_every_day_has_agent_rows(store, month):
    view = agents_view(store, TEAM, NOVEMBER, user=LEAD)
    assert figures_of(view.total) == expected(every_row(month))
    assert view.total.days_with_data == len(month)
    for figure in view.total.figures:
        parts = [row.summary.figure(figure.metric.key) for row in view.rows]
        assert sum(part.numerator for part in parts) == figure.numerator
        if figure.denominator is not None:
            assert sum(part.denominator for part in parts) == figure.denominator
    assert view.adds_up and view.agentless_days == 0 and view.typed_metrics == ()
    assert [note for note in notes(view) if "typed" in note] == []


def test_days_typed_as_team_totals_are_in_the_team_total_only_and_counted(store, month):
    typed = {
        date(2026, 11, 28): dict(comments=50, solves=20, chats=30, wait_tenths=400, csat_ratings=10, csat_good=9),
        date(2026, 11, 29): dict(comments=44, solves=21, chats=25, wait_tenths=350, csat_ratings=8, csat_good=8),
    }
    metrics = services.team_metrics(store, TEAM)
    for day, entered in typed.items():
        services.record_day(store, TEAM, LEAD, day, entered, metrics)
    view = agents_view(store, TEAM, NOVEMBER, user=LEAD)
    assert figures_of(view.total) == expected(every_row(month) + list(typed.values()))
    for row in view.rows:  # the agents' own figures are untouched
        assert figures_of(row.summary) == expected(of_agent(month, row.agent))
    assert view.agentless_days == 2 and not view.adds_up
    assert f"2 of {len(month) + 2} days with data have no agent figures" in notes(view)[0]


def test_a_metric_typed_on_a_day_with_agent_rows_is_named(store, month):
    """An import of solves per agent, with the rest typed as the team's: the solves still add up."""
    metrics = services.team_metrics(store, TEAM)
    typed = dict(comments=50, chats=30, wait_tenths=400, csat_ratings=10, csat_good=9)
    agents = {"Dev": {"solves": 7}, "Eve Okafor": {"solves": 5}}
    services.record_day(store, TEAM, LEAD, date(2026, 11, 28), typed, metrics, agents=agents)
    view = agents_view(store, TEAM, NOVEMBER, user=LEAD)
    assert view.agentless_days == 0
    assert "solves" not in view.typed_metrics
    assert set(view.typed_metrics) == {"comments", "chats", "wait_seconds", "csat_percent", "comments_per_solve"}
    assert "typed as team totals on some days" in " ".join(notes(view))
    solves = sum(row.summary.figure("solves").numerator for row in view.rows)
    assert solves == view.total.figure("solves").numerator == sum(r["solves"] for r in every_row(month)) + 12


def test_unassigned_rows_are_shown_and_never_ranked(store, month):
    view = agents_view(store, TEAM, NOVEMBER, user=LEAD)
    (unassigned,) = [row for row in view.rows if row.agent == UNASSIGNED]
    assert unassigned.rank is None and view.rows[-1] is unassigned
    assert all(row.rank is not None for row in view.rows if row.agent != UNASSIGNED)


def test_a_period_without_figures_has_no_rows(store, month):
    view = agents_view(store, TEAM, Period(date(2025, 1, 1), date(2025, 1, 31)), user=LEAD)
    assert view.rows == () and not view.has_data and notes(view) == []

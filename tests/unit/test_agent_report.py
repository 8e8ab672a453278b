"""agent_report alone: the ranking (direction-aware, ties, no figure, unassigned), who sees which rows,
the default ranking and the JSON document, over RangeTotals summed here from generated agent days."""

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from statbotic import agent_report
from statbotic.agent_report import EVERY, OWN, build_agents_view, default_ranking, rank_by, scope_of
from statbotic.builtin_metrics import BUILTIN_DEFINITIONS
from statbotic.errors import Forbidden
from statbotic.metrics import BUILTIN, Metrics
from statbotic.periods import Period
from statbotic.records import UNASSIGNED, DayRecord, RangeTotals, User
from statbotic.services import totals_of
from tests.support.agent_days import expected, generate, of_agent

NOW = datetime(2026, 11, 26, tzinfo=UTC)
WEEK = Period(date(2026, 11, 16), date(2026, 11, 22))


def totals(days: dict, metrics: Metrics = BUILTIN):
    """(the team's RangeTotals, each agent's) of generated days: {date: {agent: figures}}."""
    agents = sorted({name for by_agent in days.values() for name in by_agent})
    by_agent = {
        name: totals_of(
            [DayRecord("t", day, by_agent[name], "x", NOW) for day, by_agent in days.items() if name in by_agent],
            WEEK,
            metrics,
        )
        for name in agents
    }
    return _team(by_agent, len(days)), by_agent


def _team(by_agent: dict, days: int) -> RangeTotals:
    """The team's totals as a store keeps a day of agent rows: every component the sum of the agents'."""
    sums: dict[str, int] = {}
    for agent in by_agent.values():
        for key, value in agent.sums.items():
            sums[key] = sums.get(key, 0) + value
    dates = tuple(sorted({d for agent in by_agent.values() for d in agent.days_with_data}))
    metric_days = {d.key: days for d in BUILTIN.definitions if d.entered}
    return RangeTotals(WEEK.start, WEEK.end, sums, dates, metric_days)


def day(comments=10, solves=5, chats=10, wait_tenths=300, csat_ratings=4, csat_good=4) -> dict:
    return dict(
        comments=comments,
        solves=solves,
        chats=chats,
        wait_tenths=wait_tenths,
        csat_ratings=csat_ratings,
        csat_good=csat_good,
    )


def view_of(days: dict, **options):
    team, by_agent = totals(days)
    return build_agents_view("t", team, by_agent, BUILTIN, **options)


def order(view) -> list[tuple[int | None, str]]:
    return [(row.rank, row.agent) for row in view.rows]


SAMPLE = {
    date(2026, 11, 16): {
        "Zoe": day(solves=9, wait_tenths=900),
        "Abe": day(solves=9, wait_tenths=200),
        "Mia": day(solves=12, wait_tenths=500),
        "Lou": day(solves=3, chats=0, wait_tenths=0, csat_ratings=0, csat_good=0),  # no wait: no chats
        UNASSIGNED: day(solves=40, wait_tenths=10),
    }
}


def test_the_default_ranking_is_solves_highest_first_ties_share_a_rank_by_name():
    assert order(view_of(SAMPLE)) == [(1, "Mia"), (2, "Abe"), (2, "Zoe"), (4, "Lou"), (None, UNASSIGNED)]


def test_a_lower_is_better_metric_ranks_lowest_first_and_agents_without_a_figure_follow_unranked():
    view = view_of(SAMPLE, ranked_by=BUILTIN.metric_named("wait"))
    assert order(view) == [(1, "Abe"), (2, "Mia"), (3, "Zoe"), (None, "Lou"), (None, UNASSIGNED)]
    assert order(rank_by(view, BUILTIN.metric_named("solves"))) == order(view_of(SAMPLE))


def test_ranking_by_every_metric_follows_its_direction_on_generated_figures():
    days = generate(7, WEEK.start, 7)
    for metric in BUILTIN.range_metrics:
        view = view_of(days, ranked_by=metric)
        ranked = [row for row in view.rows if row.rank is not None]
        values = [expected(of_agent(days, row.agent))[metric.key][0] for row in ranked]
        better_first = sorted(values, reverse=metric.direction.value == ">=")
        assert values == better_first, metric.key
        assert [row.rank for row in ranked][0] == 1
        assert all(row.rank is None for row in view.rows if row.agent == UNASSIGNED)


def test_a_lead_sees_every_agent_with_their_own_row_marked():
    view = view_of(SAMPLE, scope=EVERY, own_agent="Zoe")
    assert [row.agent for row in view.rows if row.own] == ["Zoe"] and len(view.rows) == 5


def test_a_viewer_sees_only_their_own_row_unranked_beside_the_team_total():
    view = view_of(SAMPLE, scope=OWN, own_agent="Abe")
    (row,) = view.rows
    assert (row.agent, row.rank, row.own, row.days) == ("Abe", None, True, 1)
    assert view.total.figure("solves").value == 73
    document = agent_report.agents_document(view, "week")
    assert [a["agent"] for a in document["agents"]] == ["Abe"] and document["ranked_by"] is None
    assert "Zoe" not in str(document) and "Mia" not in str(document)


def test_a_viewer_whose_agent_has_no_figures_is_told_so():
    view = view_of(SAMPLE, scope=OWN, own_agent="Nobody")
    assert view.rows[0].days == 0 and "Nobody has no figures in this period." in agent_report.notes(view)


def user(admin=False, agent=None, **teams):
    return User("pat", "-", NOW, admin=admin, teams=teams, agent=agent)


@pytest.mark.parametrize(
    ("who", "scope"),
    [
        (user(t="lead"), EVERY),
        (user(t="lead", agent="Pat"), EVERY),
        (user(admin=True), EVERY),
        (user(t="viewer", agent="Pat"), OWN),
    ],
    ids=["lead", "linked lead", "admin", "linked viewer"],
)
def test_who_sees_what(who, scope):
    assert scope_of(who, "t") == scope


def test_a_viewer_not_linked_is_told_to_ask_an_admin():
    with pytest.raises(Forbidden) as refused:
        scope_of(user(t="viewer"), "t")
    assert 'statbotic users edit pat --agent "Your Name"' in refused.value.message


@pytest.mark.parametrize(
    "who",
    [user(other="lead", agent="Pat"), user(agent="Pat"), User("pat", "-", NOW, admin=True, disabled=True)],
    ids=["lead of another team", "in no team", "disabled admin"],
)
def test_anyone_outside_the_team_is_refused(who):
    with pytest.raises(Forbidden):
        scope_of(who, "t")


def test_the_default_ranking_without_solves_is_the_first_count():
    without = Metrics(tuple(d for d in BUILTIN_DEFINITIONS if d.key not in ("solves", "comments_per_solve")))
    assert default_ranking(BUILTIN).key == "solves"
    assert default_ranking(without).key == without.range_metrics[0].key == "comments"


def test_the_document_carries_each_figure_as_view_json_does_and_its_small_sample_flag():
    document = agent_report.agents_document(view_of(SAMPLE), "week")
    assert document["ranked_by"] == "solves" and document["direction"] == ">="
    mia = next(a for a in document["agents"] if a["agent"] == "Mia")
    assert (mia["rank"], mia["days"]) == (1, 1)
    csat = mia["metrics"]["csat_percent"]
    assert csat["value"] == 100 and csat["small_sample"] is True  # 4 ratings: fewer than 30
    assert csat["numerator"] == {"component": "csat_good", "sum": 4}
    assert csat["denominator"]["sum"] == 4
    wait = mia["metrics"]["wait_seconds"]
    assert wait["value"] == 50 and wait["small_sample"] is False
    total = document["team_total"]["metrics"]
    assert total["solves"]["value"] == 73 and total["csat_percent"]["value"] == 100
    assert total["wait_seconds"]["numerator"]["sum"] == 10 * (900 + 200 + 500 + 10)
    assert total["wait_seconds"]["value"] == Fraction(10 * 1610, 10 * 40)
    assert document["adds_up"] is True and document["days_without_agents"] == 0


def test_the_default_ranking_is_the_first_metric_some_agent_has_a_figure_of():
    start = date(2026, 11, 1)
    chats_only = {
        "Ana": RangeTotals(start, start, {"chats": 4}, (start,), {"chats": 1}),
        "Bo": RangeTotals(start, start, {"chats": 9}, (start,), {"chats": 1}),
    }
    team = RangeTotals(start, start, {"chats": 13}, (start,), {"chats": 1})
    view = build_agents_view("default", team, chats_only, BUILTIN)
    assert view.ranked_by.key == "chats"  # nobody has solves: an Intercom file alone
    assert [(row.agent, row.rank) for row in view.rows] == [("Bo", 1), ("Ana", 2)]
